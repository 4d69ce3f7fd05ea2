"""Pages that put several apps' numbers side by side, so no lower app has to read a higher one: the shift-hour
balance sets economy's owed hours against staffing's published rotas and contact's staffed hours.

The page keeps its address, URL name (economy:balance, see urls.py) and template (economy/balance.html): it is one
of the economy tabs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from samvirke.contact.selectors import staffed_hours_by_municipality
from samvirke.core.lib.clock import days_in_year, local_year_bounds
from samvirke.directory.selectors import the_fellesskab_or_404
from samvirke.economy import access
from samvirke.economy.forms import year_asked
from samvirke.economy.lib.balance import band_weeks, hour_balance
from samvirke.economy.lib.fees import hours_for
from samvirke.economy.lib.invoicing import membership_span
from samvirke.economy.models import EconomySettings
from samvirke.economy.selectors import members_in_year, model_years
from samvirke.staffing.selectors import published_hours


@login_required
def balance(request: HttpRequest) -> HttpResponse:
    """Owed shift hours per member for the year (prorated by days of membership) and the weekly band.

    Planned hours come from the year's published rotas ("–" when there is none), checked week by week
    against the band; staffed hours so far are compared with the owed hours pro rata to today.
    """
    access.require_economy(request.user)
    fellesskab = the_fellesskab_or_404()
    year = year_asked(request)
    settings = EconomySettings.objects.filter(fellesskab=fellesskab, year=year).first()
    visible = access.visible_member_codes(request.user)
    rows = []
    today = timezone.localdate()
    published_weeks: list[dt.date] = []
    if settings is not None:
        params = settings.params()
        year_start, year_end = local_year_bounds(year)
        started = year_start <= timezone.now()
        staffed = staffed_hours_by_municipality(year_start, min(timezone.now(), year_end))
        published_weeks, weekly, scheduled = published_hours(year)
        for member in members_in_year(fellesskab, year):
            if member.kommunekode not in visible:
                continue
            span = membership_span(member, year)
            assert span is not None
            member_days = (span[1] - span[0]).days + 1
            days_so_far = max(0, (min(span[1], today) - span[0]).days + 1) if started else None
            member_weeks = [week for week in published_weeks if span[0] <= week <= span[1]]
            by_week = weekly.get(member.kommunekode, {})
            _per_year, _per_week, band_min, band_max = hours_for(member.population, params)
            rows.append(
                hour_balance(
                    member.kommunekode,
                    member.name,
                    member.population,
                    member_days,
                    days_in_year(year),
                    params,
                    scheduled=scheduled.get(member.kommunekode, Decimal(0)) if published_weeks else None,
                    staffed=staffed.get(member.kommunekode, Decimal(0)) if started else None,
                    member_days_so_far=days_so_far,
                    band_check=band_weeks(by_week, member_weeks, band_min, band_max),
                )
            )
    return render(
        request,
        "economy/balance.html",
        {
            "year": year,
            "years": sorted(set(model_years(fellesskab)) | {year}),
            "settings": settings,
            "rows": rows,
            "total_owed": sum(row.owed_this_year for row in rows),
            "published_weeks": len(published_weeks),
            "today": today,
            "so_far_is_today": dt.date(year, 1, 1) <= today <= dt.date(year, 12, 31),
        },
    )

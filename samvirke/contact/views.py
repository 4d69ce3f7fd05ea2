"""Contact-centre pages: the wallboard, the KPI reports and the export (the agent desk is in desk_views.py).

Thin: permissions from contact/access.py, reads from selectors.py and lib/kpi.py, writes through actions/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from samvirke.audit.actions import record
from samvirke.contact import access, exports, selectors
from samvirke.contact.desk_views import htmx_login_required
from samvirke.contact.lib.kpi import (
    CHATBOT_SHARE_FORMULA,
    compute_kpis,
    kpis_by,
    kpis_per_line,
    period_key,
    who_carries_whom,
)
from samvirke.contact.models import (
    Contact,
)
from samvirke.core.lib.clock import LOCAL, local_day_bounds
from samvirke.directory.models import Actor, Line

MAX_REPORT_DAYS = 366


def _tabs(user: Actor) -> dict[str, bool]:
    return {"can_desk": access.can_work_desk(user), "can_reports": access.can_view_reports(user)}


# --- the wallboard ---------------------------------------------------------------------------------------------


def _wallboard_context() -> dict[str, Any]:
    now = timezone.now()
    return {
        "figures": selectors.wallboard_figures(now),
        "queues": selectors.queues_now(now),
        "now": now,
        "service_level_seconds": selectors.service_level_seconds(),
    }


@htmx_login_required
@require_GET
def wallboard(request: HttpRequest) -> HttpResponse:
    if not access.can_view_wallboard(request.user):
        raise PermissionDenied("Tavlen er for fællesskabets medarbejdere.")
    template = "contact/_wallboard_figures.html" if request.htmx else "contact/wallboard.html"  # type: ignore[attr-defined]
    return render(request, template, {**_tabs(request.user), **_wallboard_context()})


# --- reports ---------------------------------------------------------------------------------------------------


class ReportForm(forms.Form):
    start = forms.DateField(label="Fra", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="Til og med", widget=forms.DateInput(attrs={"type": "date"}))
    period = forms.ChoiceField(
        label="Opdel pr.", choices=[("day", "Dag"), ("week", "Uge"), ("month", "Måned")], initial="day"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError("Slutdatoen ligger før startdatoen.")
            if (end - start).days > MAX_REPORT_DAYS:
                raise forms.ValidationError(f"Vælg højst {MAX_REPORT_DAYS} dage ad gangen.")
        return data


def _report_form(request: HttpRequest) -> ReportForm:
    today = timezone.now().astimezone(LOCAL).date()
    data = {
        "start": request.GET.get("fra", (today - dt.timedelta(days=29)).isoformat()),
        "end": request.GET.get("til", today.isoformat()),
        "period": request.GET.get("periode", "day"),
    }
    return ReportForm(data)


def _bounds(form: ReportForm) -> tuple[dt.datetime, dt.datetime]:
    start, _ = local_day_bounds(form.cleaned_data["start"])
    _, end = local_day_bounds(form.cleaned_data["end"])
    return start, end


@login_required
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    if not access.can_view_reports(request.user):
        raise PermissionDenied("Rapporterne er for sekretariatet, regionen og kommunernes koordinatorer.")
    form = _report_form(request)
    context: dict[str, Any] = {**_tabs(request.user), "form": form, "chatbot_formula": CHATBOT_SHARE_FORMULA}
    if not form.is_valid():
        return render(request, "contact/reports.html", context, status=400)
    start, end = _bounds(form)
    period = form.cleaned_data["period"]
    records = selectors.contact_records(Contact.objects.filter(offered_at__gte=start, offered_at__lt=end))
    threshold = selectors.service_level_seconds()
    names = selectors.line_names()
    context.update(
        {
            "total": compute_kpis(records, threshold, sum(selectors.chatbot_counts(start, end, period).values())),
            "by_period": kpis_by(
                records,
                lambda r: period_key(r.offered_at.astimezone(LOCAL), period),
                threshold,
                selectors.chatbot_counts(start, end, period),
            ),
            "by_member": kpis_by(
                records,
                lambda r: r.citizen_municipality or "Ukendt kommune",
                threshold,
                selectors.chatbot_counts_by_municipality(start, end),
            ),
            "by_line": {
                names.get(line, line or "Ingen linje"): kpis
                for line, kpis in kpis_per_line(records, selectors.line_thresholds(), threshold).items()
            },
            "carried": who_carries_whom(records),
            "untrained": _untrained_overflow(start, end),
            "overflow_to_untrained": settings.ROUTING_OVERFLOW_TO_UNQUALIFIED,
            "threshold": threshold,
            "query": request.GET.urlencode(),
        }
    )
    return render(request, "contact/reports.html", context)


def _untrained_overflow(start: dt.datetime, end: dt.datetime) -> list[tuple[str, int]]:
    counts = selectors.unqualified_overflow_counts(start, end)
    return [(str(label), counts.get(value, 0)) for value, label in Line.choices]


@login_required
@require_GET
def export_contacts(request: HttpRequest, fmt: str) -> HttpResponse:
    """One row per contact, in the user's scope (see access.visible_contacts); the read is audited."""
    if not access.can_view_reports(request.user):
        raise PermissionDenied("Udtrækket er for sekretariatet, regionen og kommunernes koordinatorer.")
    form = _report_form(request)
    if not form.is_valid():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        return HttpResponse(
            "Ugyldig periode: " + " ".join(problems), status=400, content_type="text/plain; charset=utf-8"
        )
    start, end = _bounds(form)
    contacts = (
        access.visible_contacts(request.user)
        .filter(offered_at__gte=start, offered_at__lt=end)
        .select_related("queue", "citizen_municipality", "agent_municipality", "agent")
        .order_by("offered_at", "id")
    )
    record(request.user, "contact.export", None, {"from": str(start.date()), "to": str(end.date()), "format": fmt})
    name = f"kontakter-{form.cleaned_data['start']}-{form.cleaned_data['end']}"
    if fmt == "xlsx":
        return exports.contacts_xlsx(contacts, name)
    return exports.contacts_csv(contacts, name)

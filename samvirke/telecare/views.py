"""Telemedicine's pages: the landsdele one may see, and a landsdel's year (its municipalities, the split of the
forecast, the invoices). Thin: access decides, selectors read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from samvirke.telecare import access, selectors


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = access.require_telecare(request.user)
    landsdele = list(access.visible_landsdele(user))
    if len(landsdele) == 1:
        return redirect("telecare:landsdel", slug=landsdele[0].slug)
    return render(request, "telecare/index.html", {"landsdele": landsdele})


def _year(raw: str, default: int) -> int:
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


@login_required
def landsdel(request: HttpRequest, slug: str) -> HttpResponse:
    landsdel = access.access_landsdel(request.user, slug)
    today = timezone.localdate()
    year = _year(request.GET.get("aar", ""), today.year)
    codes = access.visible_codes(request.user, landsdel)
    budget = selectors.budget_for(landsdel, year)
    return render(
        request,
        "telecare/landsdel.html",
        {
            "landsdel": landsdel,
            "year": year,
            "programme_year": landsdel.programme_year(year),
            "budget": budget,
            "region_amount": budget.basis["amounts"].get("region") if budget and codes is None else None,
            "rows": selectors.municipal_rows(landsdel, codes, year, today),
            "invoices": selectors.invoices_for(landsdel, year, codes),
            "sees_all": codes is None,
        },
    )

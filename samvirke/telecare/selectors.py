"""Reads for telemedicine's pages: a landsdel's municipalities, enrolments, budgets and invoices, cut to what the
user may see (access.visible_codes) before anything leaves the database layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from samvirke.directory.models import Municipality, PopulationAged40Plus
from samvirke.telecare.models import Enrolment, Landsdel, SubscriptionInvoice, TelecareBudget


@dataclass(frozen=True)
class MunicipalRow:
    code: int
    name: str
    population_40plus: int | None
    enrolled_now: int
    forecast_amount: Decimal | None
    invoiced: Decimal


def municipal_rows(landsdel: Landsdel, codes: set[int] | None, year: int, today: dt.date) -> list[MunicipalRow]:
    municipalities = Municipality.objects.filter(region=landsdel.region_id).order_by("name")
    if codes is not None:
        municipalities = municipalities.filter(code__in=codes)
    populations: dict[int, int] = {}
    for municipality_id, count in (
        PopulationAged40Plus.objects.filter(municipality__in=municipalities, year__lte=year)
        .order_by("year")
        .values_list("municipality_id", "count")
    ):
        populations[municipality_id] = count
    enrolled = dict(
        Enrolment.objects.filter(landsdel=landsdel, municipality__in=municipalities, enrolled_from__lte=today)
        .filter(Q(enrolled_to__isnull=True) | Q(enrolled_to__gte=today))
        .values_list("municipality_id")
        .annotate(n=Count("pk"))
    )
    budget = TelecareBudget.objects.filter(landsdel=landsdel, year=year).first()
    amounts = budget.basis.get("amounts", {}) if budget else {}
    invoiced: dict[int, Decimal] = {}
    for municipality_id, amount in (
        SubscriptionInvoice.objects.filter(landsdel=landsdel, year=year, municipality__in=municipalities)
        .exclude(kind="addon")
        .values_list("municipality_id", "amount")
    ):
        invoiced[municipality_id] = invoiced.get(municipality_id, Decimal("0.00")) + amount
    return [
        MunicipalRow(
            code=m.code,
            name=m.name,
            population_40plus=populations.get(m.pk),
            enrolled_now=enrolled.get(m.pk, 0),
            forecast_amount=Decimal(amounts[str(m.code)]) if str(m.code) in amounts else None,
            invoiced=invoiced.get(m.pk, Decimal("0.00")),
        )
        for m in municipalities
    ]


def budget_for(landsdel: Landsdel, year: int) -> TelecareBudget | None:
    return TelecareBudget.objects.filter(landsdel=landsdel, year=year).first()


def invoices_for(landsdel: Landsdel, year: int, codes: set[int] | None) -> list[SubscriptionInvoice]:
    invoices = SubscriptionInvoice.objects.filter(landsdel=landsdel, year=year).select_related("municipality")
    if codes is not None:
        invoices = invoices.filter(municipality__code__in=codes)
    return list(invoices.order_by("number"))

"""Writes for the economy: the yearly model, invoicing runs with credit notes, contact volumes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from samvirke.audit.actions import record
from samvirke.directory.models import Fellesskab, Membership, Region
from samvirke.economy.lib.fees import EconomyParams
from samvirke.economy.lib.invoicing import BillableMember, IssuedInvoice, PlannedInvoice, plan_year, reconcile
from samvirke.economy.models import (
    ContactVolume,
    EconomySettings,
    Invoice,
    InvoiceKind,
    InvoiceSequence,
)


class EconomySettingsMissing(ValueError):
    pass


def params_from_settings(settings: EconomySettings) -> EconomyParams:
    return EconomyParams(
        price_per_citizen=settings.price_per_citizen,
        budget=settings.budget,
        hours_per_1000=settings.hours_per_1000,
        weeks=settings.weeks,
        band=(settings.band_min, settings.band_max),
        hourly_rate=settings.hourly_rate,
    )


def billable_members(fellesskab: Fellesskab) -> list[BillableMember]:
    memberships = (
        Membership.objects.filter(fellesskab=fellesskab)
        .select_related("municipality", "pilot_payer")
        .order_by("municipality__name")
    )
    return [
        BillableMember(
            membership_id=m.pk,
            kommunekode=m.municipality.code,
            name=m.municipality.name,
            population=m.municipality.population,
            population_year=m.municipality.population_year,
            population_source=m.municipality.population_source,
            member_since=m.member_since,
            left_on=m.left_on,
            pilot_start=m.pilot_start,
            pilot_end=m.pilot_end,
            pilot_payer_id=m.pilot_payer_id,
            pilot_payer_name=m.pilot_payer.name if m.pilot_payer else None,
        )
        for m in memberships
    ]


def _active_invoices(fellesskab: Fellesskab, year: int) -> list[Invoice]:
    return list(
        Invoice.objects.filter(
            fellesskab=fellesskab, year=year, kind=InvoiceKind.INVOICE, credited_by__isnull=True
        ).order_by("number")
    )


def _as_issued(invoice: Invoice) -> IssuedInvoice:
    return IssuedInvoice(
        invoice_id=invoice.pk,
        membership_id=invoice.membership_id,
        payer_kind=invoice.payer_kind,
        payer_name=invoice.payer_name,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        days_billed=invoice.days_billed,
        population=invoice.population,
        full_year_fee=invoice.full_year_fee,
        amount=invoice.amount,
    )


@dataclass
class InvoicingRun:
    year: int
    issued: list[Invoice] = field(default_factory=list)
    credit_notes: list[Invoice] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"Fakturering {self.year}: {len(self.issued)} nye fakturaer, {len(self.credit_notes)} kreditnotaer, "
            f"{self.unchanged} uændrede."
        )


def _next_number(sequence: InvoiceSequence) -> str:
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{sequence.year}-{sequence.last_number:04d}"


@transaction.atomic
def do_run_invoicing(actor: Any, fellesskab: Fellesskab, year: int) -> InvoicingRun:
    """Issue the year's operations-fee invoices. Safe to run again: only what changed is credited and reissued.

    The year's sequence row is locked first, so two runs at once are serialised and never double-invoice.
    """
    sequence, _ = InvoiceSequence.objects.get_or_create(fellesskab=fellesskab, year=year)
    sequence = InvoiceSequence.objects.select_for_update().get(pk=sequence.pk)
    try:
        settings = EconomySettings.objects.get(fellesskab=fellesskab, year=year)
    except EconomySettings.DoesNotExist:
        raise EconomySettingsMissing(
            f"Der er ingen økonomimodel for {year}. Sekretariatet skal først angive pris eller budget for året."
        ) from None
    planned = plan_year(year, billable_members(fellesskab), params_from_settings(settings))
    active = {invoice.pk: invoice for invoice in _active_invoices(fellesskab, year)}
    plan = reconcile(planned, [_as_issued(invoice) for invoice in active.values()])
    run = InvoicingRun(year=year, unchanged=len(plan.unchanged))

    for old in plan.to_credit:
        original = active[old.invoice_id]
        note = Invoice.objects.create(
            number=_next_number(sequence),
            kind=InvoiceKind.CREDIT_NOTE,
            fellesskab=fellesskab,
            year=year,
            membership_id=original.membership_id,
            municipality_id=original.municipality_id,
            payer_kind=original.payer_kind,
            payer_region_id=original.payer_region_id,
            payer_name=original.payer_name,
            period_start=original.period_start,
            period_end=original.period_end,
            days_billed=original.days_billed,
            days_in_year=original.days_in_year,
            population=original.population,
            population_year=original.population_year,
            population_source=original.population_source,
            full_year_fee=original.full_year_fee,
            price_per_citizen=original.price_per_citizen,
            amount=-original.amount,
            explanation=f"Krediterer faktura {original.number} i sin helhed, fordi grundlaget er ændret "
            "(indbyggertal, medlemskab, pilotperiode eller pris).",
            credits=original,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record(actor, "economy.credit_note_issued", note, {"credits": original.number, "amount": str(note.amount)})
        run.credit_notes.append(note)

    municipality_ids = dict(Membership.objects.filter(fellesskab=fellesskab).values_list("pk", "municipality_id"))
    for new in plan.to_issue:
        invoice = _create_invoice(actor, fellesskab, year, new, municipality_ids[new.membership_id], sequence)
        run.issued.append(invoice)
    if run.issued or run.credit_notes:  # a run that changes nothing writes nothing, not even its audit entry
        record(
            actor,
            "economy.invoicing_run",
            fellesskab,
            {"year": year, "issued": len(run.issued), "credited": len(run.credit_notes), "unchanged": run.unchanged},
        )
    return run


def _create_invoice(
    actor: Any,
    fellesskab: Fellesskab,
    year: int,
    planned: PlannedInvoice,
    municipality_id: int,
    sequence: InvoiceSequence,
) -> Invoice:
    invoice = Invoice.objects.create(
        number=_next_number(sequence),
        kind=InvoiceKind.INVOICE,
        fellesskab=fellesskab,
        year=year,
        membership_id=planned.membership_id,
        municipality_id=municipality_id,
        payer_kind=planned.payer_kind,
        payer_region=Region.objects.get(pk=planned.payer_region_id) if planned.payer_region_id else None,
        payer_name=planned.payer_name,
        period_start=planned.period_start,
        period_end=planned.period_end,
        days_billed=planned.days_billed,
        days_in_year=planned.days_in_year,
        population=planned.population,
        population_year=planned.population_year,
        population_source=planned.population_source,
        full_year_fee=planned.full_year_fee,
        price_per_citizen=planned.price_per_citizen,
        amount=planned.amount,
        explanation=planned.explanation,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(actor, "economy.invoice_issued", invoice, {"amount": str(invoice.amount), "payer": invoice.payer_name})
    return invoice


@transaction.atomic
def do_save_economy_settings(actor: Any, fellesskab: Fellesskab, year: int, **values: Any) -> EconomySettings:
    """Create or change a year's model. Validated by the fee model first, so a bad setting writes nothing."""
    fields = {
        "price_per_citizen": values.get("price_per_citizen"),
        "budget": values.get("budget"),
        "hours_per_1000": values.get("hours_per_1000", Decimal(8)),
        "weeks": values.get("weeks", 48),
        "band_min": values.get("band_min", Decimal("0.7")),
        "band_max": values.get("band_max", Decimal("1.3")),
        "hourly_rate": values.get("hourly_rate", Decimal(343)),
    }
    EconomyParams(
        price_per_citizen=fields["price_per_citizen"],
        budget=fields["budget"],
        hours_per_1000=fields["hours_per_1000"],
        weeks=fields["weeks"],
        band=(fields["band_min"], fields["band_max"]),
        hourly_rate=fields["hourly_rate"],
    )  # raises EconomyInputError with a Danish message
    settings, created = EconomySettings.objects.update_or_create(fellesskab=fellesskab, year=year, defaults=fields)
    record(
        actor,
        "economy.settings_saved",
        settings,
        {"year": year, "created": created, **{k: None if v is None else str(v) for k, v in fields.items()}},
    )
    return settings


@transaction.atomic
def do_set_contact_volume(
    actor: Any, fellesskab: Fellesskab, year: int, channel: str, contacts: int, source: str
) -> ContactVolume:
    volume, _ = ContactVolume.objects.update_or_create(
        fellesskab=fellesskab, year=year, channel=channel, defaults={"contacts": contacts, "source": source}
    )
    record(actor, "economy.contact_volume_set", volume, {"year": year, "channel": channel, "contacts": contacts})
    return volume


def days_in(year: int) -> int:
    return (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1

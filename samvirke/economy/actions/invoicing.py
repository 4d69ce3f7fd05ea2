"""Writes for the economy: the yearly model, invoicing runs with credit notes, contact volumes."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from samvirke.audit.actions import record
from samvirke.directory.access import acting_person
from samvirke.directory.models import Actor, Fellesskab, Membership, Person, Region
from samvirke.economy.lib.fees import EconomyParams
from samvirke.economy.lib.invoicing import (
    InvoicingPlan,
    IssuedInvoice,
    PlannedInvoice,
    plan_token,
    plan_year,
    reconcile,
)
from samvirke.economy.models import (
    ContactVolume,
    EconomySettings,
    Invoice,
    InvoiceKind,
    InvoiceSequence,
)
from samvirke.economy.selectors import billable_members


class EconomySettingsMissing(ValueError):
    pass


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


class InvoicingChanged(ValueError):
    """What a run would do is no longer what was confirmed (a double click, a colleague, a new population)."""


class InvoicingNotConfirmed(ValueError):
    """The year is not over, and the one invoicing has not confirmed that they know what that means."""


@dataclass(frozen=True)
class InvoicingPreview:
    """What a run would do now, read outside any transaction; `token` names it for the confirmation."""

    year: int
    plan: InvoicingPlan
    last_number: int  # the year's last invoice number when the plan was made
    token: str
    settings: EconomySettings
    municipality_ids: dict[int, int]  # membership → municipality
    regions: dict[int, Region]

    @property
    def issue_total(self) -> Decimal:
        return sum((invoice.amount for invoice in self.plan.to_issue), Decimal("0.00"))

    @property
    def credit_total(self) -> Decimal:
        return sum((invoice.amount for invoice in self.plan.to_credit), Decimal("0.00"))

    @property
    def changes_anything(self) -> bool:
        return bool(self.plan.to_issue or self.plan.to_credit)


def year_is_over(year: int, today: dt.date) -> bool:
    return today > dt.date(year, 12, 31)


def prepare_invoicing(fellesskab: Fellesskab, year: int) -> InvoicingPreview:
    """Read what invoicing `year` needs and plan it: the computing happens here, outside the run's transaction."""
    settings = EconomySettings.objects.filter(fellesskab=fellesskab, year=year).first()
    if settings is None:
        raise EconomySettingsMissing(
            f"Der er ingen økonomimodel for {year}. Sekretariatet skal først angive pris eller budget for året."
        )
    sequence = InvoiceSequence.objects.filter(fellesskab=fellesskab, year=year).first()
    last_number = sequence.last_number if sequence else 0
    members = billable_members(fellesskab)
    planned = plan_year(year, members, settings.params())
    issued = [_as_issued(invoice) for invoice in _active_invoices(fellesskab, year)]
    plan = reconcile(planned, issued)
    payer_ids = {invoice.payer_region_id for invoice in plan.to_issue if invoice.payer_region_id}
    return InvoicingPreview(
        year=year,
        plan=plan,
        last_number=last_number,
        token=plan_token(plan, last_number),
        settings=settings,
        municipality_ids=dict(Membership.objects.filter(fellesskab=fellesskab).values_list("pk", "municipality_id")),
        regions=Region.objects.in_bulk(payer_ids),
    )


def do_run_invoicing(
    actor: Actor | None,
    fellesskab: Fellesskab,
    year: int,
    *,
    confirmed_token: str | None = None,
    today: dt.date | None = None,
    early_confirmed: bool = False,
) -> InvoicingRun:
    """Issue the year's operations-fee invoices. Safe to run again: only what changed is credited and reissued.

    The plan is computed first, outside any transaction; the run then writes it in one short transaction, which
    locks the year's invoice numbering and first checks that no other run has numbered an invoice since the
    plan was made. A confirmed run (`confirmed_token`, from the confirmation page) issues only what was
    confirmed: if the plan has changed since — a double click, a colleague's run, a new population — it
    issues nothing and raises InvoicingChanged, so the second of two clicks is told rather than obeyed twice.
    With `today` before the year's end, the caller must have confirmed that too (`early_confirmed`).
    """
    if today is not None and not year_is_over(year, today) and not early_confirmed:
        raise InvoicingNotConfirmed(
            f"Året {year} er ikke slut. Bekræft, at du vil fakturere før årets udgang, eller vent til januar."
        )
    for _attempt in range(3):
        preview = prepare_invoicing(fellesskab, year)
        if confirmed_token is not None and preview.token != confirmed_token:
            raise InvoicingChanged(_changed_message(year, preview))
        try:
            return _issue(actor, fellesskab, preview)
        except InvoicingChanged:
            if confirmed_token is not None:
                raise
            # An unconfirmed run (the demo, a command) plans again from what the other run wrote.
    raise InvoicingChanged(f"Faktureringen for {year} blev ændret af andre kørsler undervejs. Prøv igen.")


def _changed_message(year: int, preview: InvoicingPreview) -> str:
    now = (
        "Der er intet nyt at udstede nu."
        if not preview.changes_anything
        else f"Nu ville en kørsel udstede {len(preview.plan.to_issue)} og kreditere {len(preview.plan.to_credit)}."
    )
    return (
        f"Faktureringen for {year} er ændret, siden du bekræftede – fx et dobbeltklik, eller en anden har "
        f"faktureret i mellemtiden. Intet er udstedt denne gang. {now}"
    )


def _issue(actor: Actor | None, fellesskab: Fellesskab, preview: InvoicingPreview) -> InvoicingRun:
    """Write the plan in one short transaction: numbers reserved at once, rows inserted in bulk, one audit entry
    per invoice and credit note and one for the run (bench/invoicing.py measures it)."""
    year, plan = preview.year, preview.plan
    run = InvoicingRun(year=year, unchanged=len(plan.unchanged))
    if not preview.changes_anything:
        return run  # a run that changes nothing writes nothing, not even its audit entry
    issued_by = acting_person(actor)
    with transaction.atomic():
        sequence, _ = InvoiceSequence.objects.get_or_create(fellesskab=fellesskab, year=year)
        sequence = InvoiceSequence.objects.select_for_update().get(pk=sequence.pk)
        if sequence.last_number != preview.last_number:
            raise InvoicingChanged(_changed_message(year, preview))
        to_credit = [old.invoice_id for old in plan.to_credit]
        if Invoice.objects.filter(credits_id__in=to_credit).exists():
            raise InvoicingChanged(_changed_message(year, preview))  # credited since the plan was made
        originals = Invoice.objects.in_bulk(to_credit)
        numbers = (f"{year}-{number:04d}" for number in itertools.count(sequence.last_number + 1))
        run.credit_notes = [
            _credit_note(fellesskab, year, originals[invoice_id], next(numbers), issued_by) for invoice_id in to_credit
        ]
        run.issued = [_invoice(fellesskab, year, new, next(numbers), preview, issued_by) for new in plan.to_issue]
        Invoice.objects.bulk_create([*run.credit_notes, *run.issued])
        sequence.last_number += len(run.credit_notes) + len(run.issued)
        sequence.save(update_fields=["last_number"])
        for note in run.credit_notes:
            assert note.credits is not None and note.pk is not None
            record(
                actor, "economy.credit_note_issued", note, {"credits": note.credits.number, "amount": str(note.amount)}
            )
        for invoice in run.issued:
            assert invoice.pk is not None
            record(
                actor, "economy.invoice_issued", invoice, {"amount": str(invoice.amount), "payer": invoice.payer_name}
            )
        record(
            actor,
            "economy.invoicing_run",
            fellesskab,
            {"year": year, "issued": len(run.issued), "credited": len(run.credit_notes), "unchanged": run.unchanged},
        )
    return run


def _credit_note(
    fellesskab: Fellesskab, year: int, original: Invoice, number: str, issued_by: Person | None
) -> Invoice:
    return Invoice(
        number=number,
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
        issued_by=issued_by,
    )


def _invoice(
    fellesskab: Fellesskab,
    year: int,
    planned: PlannedInvoice,
    number: str,
    preview: InvoicingPreview,
    issued_by: Person | None,
) -> Invoice:
    return Invoice(
        number=number,
        kind=InvoiceKind.INVOICE,
        fellesskab=fellesskab,
        year=year,
        membership_id=planned.membership_id,
        municipality_id=preview.municipality_ids[planned.membership_id],
        payer_kind=planned.payer_kind,
        payer_region=preview.regions[planned.payer_region_id] if planned.payer_region_id else None,
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
        issued_by=issued_by,
    )


@transaction.atomic
def do_save_economy_settings(actor: Actor | None, fellesskab: Fellesskab, year: int, **values: Any) -> EconomySettings:
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
    actor: Actor | None, fellesskab: Fellesskab, year: int, channel: str, contacts: int, source: str
) -> ContactVolume:
    volume, _ = ContactVolume.objects.update_or_create(
        fellesskab=fellesskab, year=year, channel=channel, defaults={"contacts": contacts, "source": source}
    )
    record(actor, "economy.contact_volume_set", volume, {"year": year, "channel": channel, "contacts": contacts})
    return volume

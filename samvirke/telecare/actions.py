"""Every write for telemedicine's fællesskab: enrolments, the year's forecast, quarterly invoices, the true-up after
the accounts close, and add-on services. Each action is one short transaction with its audit entries; invoice
numbers come from economy's InvoiceSequence for the landsdel's fællesskab, locked while numbering (the pattern of
economy's invoicing), so numbers never repeat and running a quarter twice issues nothing new.

Budget cycle (seed 003, ch. 5): a forecast of the year's payments in the spring of the year before → four
quarterly instalments of each owner's forecast share → after the year's accounts close, each owner's actual share
(computed with the year's actual coverage) against what it was invoiced: an extra invoice or a credit note for the
difference, so every owner's year adds up to its actual share to the øre.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from samvirke.audit.actions import record
from samvirke.core.lib.formatting import decimal_da, kr, percent_da
from samvirke.directory.access import acting_person
from samvirke.directory.models import Actor, Municipality, PopulationAged40Plus
from samvirke.economy.lib.fees import round_half_up
from samvirke.economy.models import InvoiceSequence
from samvirke.telecare.lib import payments
from samvirke.telecare.lib.enrolments import EnrolmentRow
from samvirke.telecare.lib.seed_costs import load_seed_costs
from samvirke.telecare.models import (
    AddOnMode,
    AddOnService,
    AddOnUsage,
    Enrolment,
    Landsdel,
    SubscriptionInvoice,
    SubscriptionKind,
    TelecareBudget,
)

REGION = "region"  # the region's owner key; a municipality's is its kommunekode as text
ZERO = Decimal("0.00")


class TelecareActionError(ValueError):
    """A write that cannot be done as asked; the message is Danish and goes to the user as it is."""


# --- enrolments ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnrolmentImport:
    created: int
    updated: int
    unchanged: int

    def summary(self) -> str:
        return f"{self.created} nye indskrivninger, {self.updated} ændrede, {self.unchanged} uændrede."


def do_import_enrolments(actor: Actor | None, landsdel: Landsdel, rows: list[EnrolmentRow]) -> EnrolmentImport:
    """Write checked rows (lib.enrolments). Idempotent on (landsdel, citizen_ref, enrolled_from): a row already
    there unchanged is left alone, one with a new end date or municipality is updated."""
    municipalities = {m.code: m for m in Municipality.objects.filter(region=landsdel.region_id)}
    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {
            (e.citizen_ref, e.enrolled_from): e
            for e in Enrolment.objects.select_for_update().filter(
                landsdel=landsdel, citizen_ref__in=[row.citizen_ref for row in rows]
            )
        }
        new: list[Enrolment] = []
        for row in rows:
            municipality = municipalities[row.kommunekode]
            current = existing.get((row.citizen_ref, row.enrolled_from))
            if current is None:
                new.append(
                    Enrolment(
                        landsdel=landsdel,
                        municipality=municipality,
                        citizen_ref=row.citizen_ref,
                        enrolled_from=row.enrolled_from,
                        enrolled_to=row.enrolled_to,
                    )
                )
                created += 1
            elif (current.municipality_id, current.enrolled_to) != (municipality.pk, row.enrolled_to):
                current.municipality, current.enrolled_to = municipality, row.enrolled_to
                current.save(update_fields=["municipality", "enrolled_to"])
                updated += 1
            else:
                unchanged += 1
        Enrolment.objects.bulk_create(new)
        result = EnrolmentImport(created, updated, unchanged)
        if created or updated:
            record(
                actor,
                "telecare.enrolments_imported",
                landsdel,
                {"rows": len(rows), "created": created, "updated": updated, "unchanged": unchanged},
            )
    return result


# --- reading what the split needs ---------------------------------------------------------------------------


def populations_40plus(landsdel: Landsdel, year: int) -> tuple[dict[int, int], dict[str, Any]]:
    """Inhabitants aged 40+ of every municipality of the landsdel: each one's latest figure for a year up to
    `year`, and where it came from. A municipality without any figure → TelecareActionError naming it."""
    municipalities = list(Municipality.objects.filter(region=landsdel.region_id).order_by("name"))
    figures: dict[int, PopulationAged40Plus] = {}
    for figure in PopulationAged40Plus.objects.filter(municipality__in=municipalities, year__lte=year).order_by("year"):
        figures[figure.municipality_id] = figure  # the latest year wins
    missing = [m.name for m in municipalities if m.pk not in figures]
    if missing:
        raise TelecareActionError(
            f"Der mangler indbyggertal 40+ (år {year} eller før) for: {', '.join(missing)}. "
            "Indlæs dem med import-population-40plus."
        )
    by_code = {m.code: figures[m.pk].count for m in municipalities}
    sources = {str(m.code): {"year": figures[m.pk].year, "source": figures[m.pk].source} for m in municipalities}
    return by_code, sources


def enrolments_of(landsdel: Landsdel) -> list[payments.Enrolment]:
    return [
        payments.Enrolment(kommunekode=code, citizen_ref=ref, enrolled_from=start, enrolled_to=end)
        for code, ref, start, end in Enrolment.objects.filter(landsdel=landsdel).values_list(
            "municipality__code", "citizen_ref", "enrolled_from", "enrolled_to"
        )
    ]


def owner_amounts(result: payments.PaymentResult) -> dict[str, Decimal]:
    """Each owner's amount: "region" and every kommunekode (as text)."""
    amounts = {REGION: result.region_amount}
    for member in result.members:
        amounts[str(member.kommunekode)] = member.amount
    return amounts


def compute_split(
    landsdel: Landsdel,
    year: int,
    total: Decimal,
    *,
    weight: Decimal,
    region_share: Decimal,
    population_40plus: Mapping[int, int],
    enrolments: Iterable[payments.Enrolment],
) -> payments.PaymentResult:
    try:
        return payments.compute_payments(total, region_share, weight, population_40plus, list(enrolments), year)
    except payments.PaymentInputError as error:
        raise TelecareActionError(str(error)) from None


# --- the forecast -------------------------------------------------------------------------------------------


def forecast_total_from_costs(landsdel: Landsdel, year: int) -> Decimal:
    """The landsdel's total for the programme year from its cost table (seed 003, Bilag B "Fordeling af
    omkostninger mellem region og kommuner", thousand kr.): År 1–5, then År n for every later year."""
    programme_year = landsdel.programme_year(year)
    if programme_year < 1:
        raise TelecareActionError(f"{year} ligger før programmets første år ({landsdel.first_year}).")
    try:
        table = load_seed_costs().landsdel(landsdel.slug).region_municipal
    except KeyError:
        raise TelecareActionError(
            f"Der er ingen omkostningstabel for {landsdel.name}; angiv budgettet for {year}."
        ) from None
    column = min(programme_year, len(table.total.values)) - 1
    return Decimal(table.total.values[column]) * 1000


def do_make_forecast(
    actor: Actor | None,
    landsdel: Landsdel,
    year: int,
    *,
    total: Decimal | None = None,
    now: dt.datetime | None = None,
) -> TelecareBudget:
    """The year's forecast: the total (given, or the landsdel's cost table for the programme year) split between
    the region and the municipalities with the landsdel's settings, usage from the current enrolments (their
    coverage of `year` as they stand). Refused once the year has invoices: a forecast already invoiced is
    corrected by the true-up, not rewritten."""
    if total is None:
        total = forecast_total_from_costs(landsdel, year)
    if total < 0:
        raise TelecareActionError("Budgettet kan ikke være negativt.")
    total = round_half_up(total, 2)
    populations, sources = populations_40plus(landsdel, year)
    result = compute_split(
        landsdel,
        year,
        total,
        weight=landsdel.weight,
        region_share=landsdel.region_share,
        population_40plus=populations,
        enrolments=enrolments_of(landsdel),
    )
    amounts = owner_amounts(result)
    basis = {
        "programme_year": landsdel.programme_year(year),
        "population_40plus": {str(code): count for code, count in populations.items()},
        "population_sources": sources,
        "split": payments.to_json_dict(result),
        "amounts": {owner: str(amount) for owner, amount in amounts.items()},
    }
    with transaction.atomic():
        if (
            SubscriptionInvoice.objects.filter(landsdel=landsdel, year=year)
            .exclude(kind=SubscriptionKind.ADDON)
            .exists()
        ):
            raise TelecareActionError(
                f"Der er allerede faktureret for {year}; prognosen kan ikke ændres. "
                "Forskellen rettes ved efterreguleringen."
            )
        budget, created = TelecareBudget.objects.update_or_create(
            landsdel=landsdel,
            year=year,
            defaults={
                "forecast_total": total,
                "forecast_made_at": now or timezone.now(),
                "forecast_made_by": acting_person(actor),
                "weight": landsdel.weight,
                "region_share": landsdel.region_share,
                "basis": basis,
            },
        )
        record(
            actor,
            "telecare.forecast_made",
            budget,
            {
                "year": year,
                "created": created,
                "total": str(total),
                "weight": str(landsdel.weight),
                "region_share": str(landsdel.region_share),
            },
        )
    return budget


# --- invoices -----------------------------------------------------------------------------------------------


def _numbers(landsdel: Landsdel, year: int, count: int) -> list[str]:
    """Reserve `count` invoice numbers of the landsdel's fællesskab for `year`; call inside a transaction."""
    sequence, _ = InvoiceSequence.objects.get_or_create(fellesskab=landsdel.fellesskab, year=year)
    sequence = InvoiceSequence.objects.select_for_update().get(pk=sequence.pk)
    first = sequence.last_number + 1
    sequence.last_number += count
    sequence.save(update_fields=["last_number"])
    return [f"{year}-{number:04d}" for number in range(first, first + count)]


@dataclass
class Payer:
    owner: str
    name: str
    region_id: int | None = None
    municipality_id: int | None = None


def _payers(landsdel: Landsdel, owners: Iterable[str]) -> dict[str, Payer]:
    municipalities = {str(m.code): m for m in Municipality.objects.filter(region=landsdel.region_id)}
    payers: dict[str, Payer] = {}
    for owner in owners:
        if owner == REGION:
            payers[owner] = Payer(owner, landsdel.region.name, region_id=landsdel.region_id)
        else:
            municipality = municipalities[owner]
            payers[owner] = Payer(owner, f"{municipality.name} Kommune", municipality_id=municipality.pk)
    return payers


def _budget(landsdel: Landsdel, year: int) -> TelecareBudget:
    budget = TelecareBudget.objects.filter(landsdel=landsdel, year=year).first()
    if budget is None:
        raise TelecareActionError(f"Der er ingen prognose for {year}. Lav prognosen, før der faktureres.")
    return budget


@dataclass
class InvoiceRun:
    issued: list[SubscriptionInvoice] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return f"{len(self.issued)} fakturaer udstedt, {self.unchanged} fandtes allerede."


def _new_invoice(
    landsdel: Landsdel, payer: Payer, *, number: str, kind: str, year: int, quarter: int | None, amount: Decimal,
    explanation: str, basis: dict[str, Any], actor: Actor | None, now: dt.datetime,
) -> SubscriptionInvoice:  # fmt: skip
    return SubscriptionInvoice(
        landsdel=landsdel,
        number=number,
        kind=kind,
        region_id=payer.region_id,
        municipality_id=payer.municipality_id,
        payer_name=payer.name,
        year=year,
        quarter=quarter,
        amount=amount,
        explanation=explanation,
        basis=basis,
        issued_at=now,
        issued_by=acting_person(actor),
    )


def do_issue_quarter(
    actor: Actor | None, landsdel: Landsdel, year: int, quarter: int, *, now: dt.datetime | None = None
) -> InvoiceRun:
    """Invoice every owner (the region and each municipality) its instalment for the quarter: a quarter of its
    forecast amount (payments.quarterly_instalments, the four adding up to the amount exactly). An owner invoiced
    for the quarter already is skipped, so a second run issues nothing."""
    if quarter not in (1, 2, 3, 4):
        raise TelecareActionError(f"Kvartalet skal være 1, 2, 3 eller 4, ikke {quarter}.")
    now = now or timezone.now()
    run = InvoiceRun()
    with transaction.atomic():
        budget = TelecareBudget.objects.select_for_update().filter(landsdel=landsdel, year=year).first()
        if budget is None:
            raise TelecareActionError(f"Der er ingen prognose for {year}. Lav prognosen, før der faktureres.")
        if budget.closed_at is not None:
            raise TelecareActionError(f"Året {year} er afsluttet; der faktureres ikke flere kvartaler.")
        amounts = {owner: Decimal(amount) for owner, amount in budget.basis["amounts"].items()}
        done = {
            invoice.owner_key
            for invoice in SubscriptionInvoice.objects.filter(
                landsdel=landsdel, year=year, quarter=quarter, kind=SubscriptionKind.QUARTERLY
            ).select_related("municipality")
        }
        payers = _payers(landsdel, amounts)
        to_issue = [
            (owner, payments.quarterly_instalments(amount)[quarter - 1])
            for owner, amount in amounts.items()
            if owner not in done
        ]
        run.unchanged = len(done)
        to_issue = [(owner, amount) for owner, amount in to_issue if amount > 0]
        if not to_issue:
            return run
        numbers = _numbers(landsdel, year, len(to_issue))
        for number, (owner, amount) in zip(numbers, to_issue, strict=True):
            share = _share_text(budget, owner)
            run.issued.append(
                _new_invoice(
                    landsdel,
                    payers[owner],
                    number=number,
                    kind=SubscriptionKind.QUARTERLY,
                    year=year,
                    quarter=quarter,
                    amount=amount,
                    explanation=(
                        f"Abonnement på telemedicin i {landsdel.name}, {quarter}. kvartal {year}: en fjerdedel af "
                        f"{share} af prognosen på {kr(budget.forecast_total)} kr. "
                        f"(årsbeløb {kr(amounts[owner])} kr.)."
                    ),
                    basis={"forecast_amount": str(amounts[owner]), "budget_id": budget.pk},
                    actor=actor,
                    now=now,
                )
            )
        SubscriptionInvoice.objects.bulk_create(run.issued)
        for invoice in run.issued:
            record(actor, "telecare.invoice_issued", invoice, {"amount": str(invoice.amount), "kind": invoice.kind})
        record(
            actor, "telecare.quarter_invoiced", landsdel, {"year": year, "quarter": quarter, "issued": len(run.issued)}
        )
    return run


def _share_text(budget: TelecareBudget, owner: str) -> str:
    if owner == REGION:
        return f"regionens andel ({percent_da(budget.region_share)})"
    return "kommunens andel"


def invoiced_per_owner(landsdel: Landsdel, year: int) -> dict[str, Decimal]:
    """What each owner has been invoiced for the year's subscription (instalments, extra invoices and credit
    notes; add-ons are outside the joint split)."""
    totals: dict[str, Decimal] = {}
    rows = (
        SubscriptionInvoice.objects.filter(landsdel=landsdel, year=year)
        .exclude(kind=SubscriptionKind.ADDON)
        .values("region_id", "municipality__code")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        owner = REGION if row["region_id"] is not None else str(row["municipality__code"])
        totals[owner] = totals.get(owner, ZERO) + row["total"]
    return totals


def actual_split(landsdel: Landsdel, budget: TelecareBudget, actual_total: Decimal) -> payments.PaymentResult:
    """The year's actual split: the actual total, the settings of the forecast, the populations it used, and the
    year's actual coverage from the enrolments."""
    populations = {int(code): count for code, count in budget.basis["population_40plus"].items()}
    return compute_split(
        landsdel,
        budget.year,
        actual_total,
        weight=budget.weight,
        region_share=budget.region_share,
        population_40plus=populations,
        enrolments=enrolments_of(landsdel),
    )


def do_close_year(
    actor: Actor | None, landsdel: Landsdel, year: int, actual_total: Decimal, *, now: dt.datetime | None = None
) -> InvoiceRun:
    """After the accounts close: each owner's actual share against what it was invoiced; the difference as an
    extra invoice (owed more) or a credit note (paid too much). Running it again with the same actual issues
    nothing; with a corrected actual, only the new difference."""
    if actual_total < 0:
        raise TelecareActionError("Det faktiske forbrug kan ikke være negativt.")
    actual_total = round_half_up(actual_total, 2)
    now = now or timezone.now()
    run = InvoiceRun()
    budget = _budget(landsdel, year)
    result = actual_split(landsdel, budget, actual_total)
    actual = owner_amounts(result)
    with transaction.atomic():
        budget = TelecareBudget.objects.select_for_update().get(pk=budget.pk)
        paid = invoiced_per_owner(landsdel, year)
        for owner in paid:
            actual.setdefault(owner, ZERO)
        for owner in actual:
            paid.setdefault(owner, ZERO)
        adjustments = [t for t in payments.true_up(paid, actual) if t.difference != 0]
        payers = _payers(landsdel, [t.owner for t in adjustments])
        numbers = _numbers(landsdel, year, len(adjustments)) if adjustments else []
        split_json = payments.to_json_dict(result)
        for number, adjustment in zip(numbers, adjustments, strict=True):
            extra = adjustment.difference > 0
            run.issued.append(
                _new_invoice(
                    landsdel,
                    payers[adjustment.owner],
                    number=number,
                    kind=SubscriptionKind.EXTRA if extra else SubscriptionKind.CREDIT_NOTE,
                    year=year,
                    quarter=None,
                    amount=adjustment.difference,
                    explanation=(
                        f"Efterregulering af abonnementet på telemedicin i {landsdel.name} for {year}: "
                        f"faktisk andel {kr(adjustment.actual)} kr. af et faktisk forbrug på {kr(actual_total)} kr., "
                        f"faktureret {kr(adjustment.paid)} kr.; "
                        + (
                            f"der mangler {kr(adjustment.difference)} kr."
                            if extra
                            else f"der krediteres {kr(-adjustment.difference)} kr."
                        )
                    ),  # fmt: skip
                    basis={
                        "paid": str(adjustment.paid),
                        "actual": str(adjustment.actual),
                        "actual_total": str(actual_total),
                    },
                    actor=actor,
                    now=now,
                )
            )
        SubscriptionInvoice.objects.bulk_create(run.issued)
        run.unchanged = len(actual) - len(adjustments)
        changed = budget.actual_total != actual_total
        if changed or budget.closed_at is None:
            budget.actual_total = actual_total
            budget.closed_at = now
            budget.closed_by = acting_person(actor)
            budget.basis = {**budget.basis, "actual_split": split_json}
            budget.save(update_fields=["actual_total", "closed_at", "closed_by", "basis"])
        for invoice in run.issued:
            record(actor, "telecare.invoice_issued", invoice, {"amount": str(invoice.amount), "kind": invoice.kind})
        if run.issued or changed:
            record(
                actor,
                "telecare.year_closed",
                budget,
                {"year": year, "actual_total": str(actual_total), "adjustments": len(run.issued)},
            )
    return run


# --- add-on services ----------------------------------------------------------------------------------------


def do_record_addon_usage(
    actor: Actor | None, service: AddOnService, municipality: Municipality, year: int, quarter: int, quantity: Decimal
) -> AddOnUsage:
    """A municipality's use of a tariff add-on in a quarter (set, not added). Refused once invoiced."""
    if service.mode != AddOnMode.TARIFF:
        raise TelecareActionError(
            f"«{service.name}» er for alle og betales gennem abonnementet; "
            "forbrug registreres kun for tilkøb med takst."
        )
    if quarter not in (1, 2, 3, 4):
        raise TelecareActionError(f"Kvartalet skal være 1, 2, 3 eller 4, ikke {quarter}.")
    if quantity < 0:
        raise TelecareActionError("Mængden kan ikke være negativ.")
    if municipality.region_id != service.landsdel.region_id:
        raise TelecareActionError(f"{municipality.name} ligger ikke i {service.landsdel.name}.")
    with transaction.atomic():
        usage = (
            AddOnUsage.objects.select_for_update()
            .filter(service=service, municipality=municipality, year=year, quarter=quarter)
            .first()
        )
        if usage is not None and usage.invoice_id is not None:
            raise TelecareActionError(f"Forbruget for {quarter}. kvartal {year} er allerede faktureret.")
        if usage is None:
            usage = AddOnUsage.objects.create(
                service=service, municipality=municipality, year=year, quarter=quarter, quantity=quantity
            )
        else:
            usage.quantity = quantity
            usage.save(update_fields=["quantity"])
        record(actor, "telecare.addon_usage_recorded", usage, {"quantity": str(quantity)})
    return usage


def do_invoice_addons(
    actor: Actor | None, landsdel: Landsdel, year: int, quarter: int, *, now: dt.datetime | None = None
) -> InvoiceRun:
    """Invoice the quarter's tariff add-ons directly to the municipalities that used them: quantity × tariff, one
    invoice per service and municipality, outside the joint split. Usage invoiced already is skipped."""
    now = now or timezone.now()
    run = InvoiceRun()
    with transaction.atomic():
        usages = list(
            AddOnUsage.objects.select_for_update()
            .filter(
                service__landsdel=landsdel,
                service__mode=AddOnMode.TARIFF,
                year=year,
                quarter=quarter,
                invoice__isnull=True,
                quantity__gt=0,
            )
            .select_related("service", "municipality")
            .order_by("service__name", "municipality__name")
        )
        run.unchanged = AddOnUsage.objects.filter(
            service__landsdel=landsdel, year=year, quarter=quarter, invoice__isnull=False
        ).count()
        if not usages:
            return run
        numbers = _numbers(landsdel, year, len(usages))
        for number, usage in zip(numbers, usages, strict=True):
            tariff = usage.service.tariff
            assert tariff is not None  # a tariff add-on has one (the database's check)
            amount = round_half_up(usage.quantity * tariff, 2)
            payer = Payer(
                str(usage.municipality.code), f"{usage.municipality.name} Kommune", None, usage.municipality.pk
            )
            run.issued.append(
                _new_invoice(
                    landsdel,
                    payer,
                    number=number,
                    kind=SubscriptionKind.ADDON,
                    year=year,
                    quarter=quarter,
                    amount=amount,
                    explanation=(
                        f"Tilkøbsydelsen «{usage.service.name}», {quarter}. kvartal {year}: "
                        f"{decimal_da(usage.quantity)} {usage.service.unit} à {kr(tariff)} kr. "
                        "Betales direkte af kommunen og indgår ikke i den fælles fordeling."
                    ),
                    basis={"service": usage.service.name, "quantity": str(usage.quantity), "tariff": str(tariff)},
                    actor=actor,
                    now=now,
                )
            )
        SubscriptionInvoice.objects.bulk_create(run.issued)
        for usage, invoice in zip(usages, run.issued, strict=True):
            usage.invoice = invoice
            usage.save(update_fields=["invoice"])
            record(actor, "telecare.invoice_issued", invoice, {"amount": str(invoice.amount), "kind": invoice.kind})
    return run


# --- the landsdel's settings --------------------------------------------------------------------------------


def do_save_landsdel_settings(
    actor: Actor | None, landsdel: Landsdel, *, weight: Decimal, region_share: Decimal, first_year: int
) -> bool:
    """The secretariat's settings: w (0–1), the region's share (0–1), the programme's first year. A forecast
    already made keeps the settings it was made with (TelecareBudget.weight/region_share); True if anything
    changed."""
    if not Decimal(0) <= weight <= 1:
        raise TelecareActionError(f"Vægten w skal ligge mellem 0 og 1, ikke {decimal_da(weight)}.")
    if not Decimal(0) <= region_share <= 1:
        raise TelecareActionError(f"Regionens andel skal ligge mellem 0 og 1, ikke {decimal_da(region_share)}.")
    if not 2000 <= first_year <= 2100:
        raise TelecareActionError(f"Programmets første år skal ligge mellem 2000 og 2100, ikke {first_year}.")
    with transaction.atomic():
        current = Landsdel.objects.select_for_update().get(pk=landsdel.pk)
        before = {
            "weight": str(current.weight),
            "region_share": str(current.region_share),
            "first_year": current.first_year,
        }
        current.weight, current.region_share, current.first_year = weight, region_share, first_year
        after = {"weight": str(current.weight), "region_share": str(current.region_share), "first_year": first_year}
        if {k: Decimal(str(v)) for k, v in before.items()} == {k: Decimal(str(v)) for k, v in after.items()}:
            return False
        current.save(update_fields=["weight", "region_share", "first_year"])
        record(actor, "telecare.settings_saved", current, {"before": before, "after": after})
    landsdel.weight, landsdel.region_share, landsdel.first_year = weight, region_share, first_year
    return True

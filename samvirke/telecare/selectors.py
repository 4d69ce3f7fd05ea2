"""Reads for telemedicine's pages: a landsdel's municipalities, enrolments, budgets and invoices, cut to what the
user may see (access.visible_codes) before anything leaves the database layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q, Sum

from samvirke.core.lib.formatting import decimal_da, kr, number_da, percent_da
from samvirke.directory.models import Municipality, PopulationAged40Plus
from samvirke.economy.lib.fees import round_half_up
from samvirke.telecare import actions
from samvirke.telecare.lib import costs, payments, seed_volumes, support_staffing, volume_chart, volumes
from samvirke.telecare.lib.seed_costs import load_seed_costs
from samvirke.telecare.lib.support_staffing import SupportStaffing
from samvirke.telecare.lib.volumes import YearVolume
from samvirke.telecare.models import (
    AddOnService,
    Enrolment,
    Landsdel,
    SubscriptionInvoice,
    SubscriptionKind,
    TelecareBudget,
)


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


# --- volumes ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VolumeRow:
    year: int  # calendar year
    label: str  # "2025 (År 1)"
    volume: YearVolume
    doubled: YearVolume
    staffing: SupportStaffing
    doubled_staffing: SupportStaffing
    visits_per_day: Decimal
    doubled_visits_per_day: Decimal


def volume_rows(landsdel: Landsdel) -> list[VolumeRow]:
    """The landsdel's seed N series (seed 003, Bilag B) as years of the programme from its first year, with the
    doubled target group beside each; [] for a landsdel the seed has no series for."""
    series = seed_volumes.seed_series().get(landsdel.slug)
    if not series:
        return []
    plain, twice = volumes.year_volumes(series), volumes.doubled_volumes(series)
    rows = []
    for index, (volume, doubled) in enumerate(zip(plain, twice, strict=True)):
        year = landsdel.first_year + index
        rows.append(
            VolumeRow(
                year=year,
                label=f"{year} (År {index + 1})",
                volume=volume,
                doubled=doubled,
                staffing=support_staffing.support_staffing(volume),
                doubled_staffing=support_staffing.support_staffing(doubled),
                visits_per_day=support_staffing.logistics_visits_per_working_day(volume),
                doubled_visits_per_day=support_staffing.logistics_visits_per_working_day(doubled),
            )
        )
    return rows


def chart_for(rows: list[VolumeRow]) -> volume_chart.VolumeChart | None:
    if not rows:
        return None
    return volume_chart.volume_chart([row.volume for row in rows], [str(row.year) for row in rows])


# --- costs --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostSection:
    table_18: costs.NationalTable
    table_19: costs.NationalTable
    national_discrepancies: list[costs.Discrepancy]
    landsdel: costs.Landsdel | None
    municipal_rows: list[costs.MunicipalRow]
    landsdel_discrepancies: list[costs.Discrepancy]


def cost_section(landsdel: Landsdel, codes: set[int] | None) -> CostSection:
    """Tabel 18/19 (national, mio. kr.) and the landsdel's own Bilag B tables (1.000 kr.), with the printed
    sums that differ from their parts (costs.check_printed); a coordinator gets only its own municipal row."""
    seed = load_seed_costs()
    discrepancies = costs.check_printed(seed)
    try:
        own = seed.landsdel(landsdel.slug)
    except KeyError:
        own = None
    own_tables = {own.region_municipal.number, own.municipal.number} if own else set()
    rows = [row for row in own.municipal.rows if codes is None or row.kommunekode in codes] if own else []
    return CostSection(
        table_18=seed.table_18,
        table_19=seed.table_19,
        national_discrepancies=[d for d in discrepancies if d.table in (18, 19)],
        landsdel=own,
        municipal_rows=rows,
        landsdel_discrepancies=[d for d in discrepancies if d.table in own_tables],
    )


# --- the split and its scenarios ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    weight: Decimal
    region_share: Decimal
    result: payments.PaymentResult
    note: str = ""


@dataclass(frozen=True)
class ScenarioRow:
    owner: str  # "region" or the kommunekode
    name: str
    amounts: list[Decimal]


@dataclass(frozen=True)
class ScenarioTable:
    total: Decimal
    total_source: str
    scenarios: list[Scenario]
    rows: list[ScenarioRow]
    municipal_totals: list[Decimal]
    region_totals: list[Decimal]
    totals: list[Decimal]
    explanations: list[str]
    problem: str = ""
    skipped: list[str] = field(default_factory=list)


def _names(landsdel: Landsdel) -> dict[int, str]:
    return dict(Municipality.objects.filter(region=landsdel.region_id).values_list("code", "name"))


def scenario_table(landsdel: Landsdel, year: int, codes: set[int] | None) -> ScenarioTable:
    """The year's split under the landsdel's settings and side by side under w 1 / 0,5 / 0, region share 65 / 80 /
    50 % and the doubled target group: each column a scenario, each row an owner (cut to `codes`)."""
    budget = budget_for(landsdel, year)
    try:
        if budget is not None:
            total, source = budget.forecast_total, f"prognosen for {year}"
        else:
            total = actions.forecast_total_from_costs(landsdel, year)
            source = f"omkostningstabellen for programmets år {landsdel.programme_year(year)} (seed 003, Bilag B)"
        populations, _sources = actions.populations_40plus(landsdel, year)
    except actions.TelecareActionError as error:
        return ScenarioTable(Decimal(0), "", [], [], [], [], [], [], problem=str(error))
    enrolments = actions.enrolments_of(landsdel)
    doubled = [replace(e, citizen_ref=f"{e.citizen_ref}#2") for e in enrolments] + enrolments
    settings = [
        ("base", "Landsdelens indstilling", landsdel.weight, landsdel.region_share, enrolments, ""),
        ("w1", "w = 1", Decimal(1), landsdel.region_share, enrolments, ""),
        ("w05", "w = 0,5", Decimal("0.5"), landsdel.region_share, enrolments, ""),
        ("w0", "w = 0", Decimal(0), landsdel.region_share, enrolments, ""),
        ("r65", "Region 65 %", landsdel.weight, Decimal("0.65"), enrolments, ""),
        ("r80", "Region 80 %", landsdel.weight, Decimal("0.80"), enrolments, ""),
        ("r50", "Region 50 %", landsdel.weight, Decimal("0.50"), enrolments, ""),
        (
            "double",
            "Dobbelt målgruppe",
            landsdel.weight,
            landsdel.region_share,
            doubled,
            "Hver kommunes borgere fordoblet: andelene og dermed beløbene er de samme, fordi alle fordobles; "
            "mængderne (opkald, kørsler) står under Mængder. Seed'en opgør ikke omkostningerne ved dobbelt målgruppe.",
        ),
    ]
    scenarios: list[Scenario] = []
    skipped: list[str] = []
    for key, label, weight, share, rows, note in settings:
        try:
            result = actions.compute_split(
                landsdel, year, total, weight=weight, region_share=share, population_40plus=populations,
                enrolments=rows,
            )  # fmt: skip
        except actions.TelecareActionError as error:
            skipped.append(f"{label}: {error}")
            continue
        scenarios.append(Scenario(key, label, weight, share, result, note))
    if not scenarios:
        return ScenarioTable(total, source, [], [], [], [], [], [], problem=" ".join(skipped))
    names = _names(landsdel)
    table_rows: list[ScenarioRow] = []
    if codes is None:
        table_rows.append(
            ScenarioRow(actions.REGION, landsdel.region.name, [s.result.region_amount for s in scenarios])
        )
    base = scenarios[0].result  # the landsdel's setting, or the first that could be computed
    for index, member in enumerate(base.members):
        if codes is not None and member.kommunekode not in codes:
            continue
        table_rows.append(
            ScenarioRow(
                str(member.kommunekode),
                f"{names.get(member.kommunekode, member.kommunekode)} Kommune",
                [s.result.members[index].amount for s in scenarios],
            )
        )
    explanations = [
        _explain(member, base, names) for member in base.members if codes is None or member.kommunekode in codes
    ]
    return ScenarioTable(
        total=total,
        total_source=source,
        scenarios=scenarios,
        rows=table_rows,
        municipal_totals=[s.result.municipal_total for s in scenarios],
        region_totals=[s.result.region_amount for s in scenarios],
        totals=[s.result.total for s in scenarios],
        explanations=explanations,
        skipped=skipped,
    )


def _explain(member: payments.MemberPayment, result: payments.PaymentResult, names: dict[int, str]) -> str:
    """Why a municipality pays what it pays, in Danish: its D share, its coverage share, w."""
    population_total = sum(m.population_40plus for m in result.members)
    coverage_total = sum((m.coverage for m in result.members), Fraction(0))
    d_share = Fraction(member.population_40plus, population_total) if population_total else Fraction(0)
    u_share = member.coverage / coverage_total if coverage_total else Fraction(0)
    w = result.weight
    name = names.get(member.kommunekode, str(member.kommunekode))
    usage = (
        f"{decimal_da(round_half_up(member.coverage, 2))} borgerår af {decimal_da(round_half_up(coverage_total, 2))} "
        f"i programmet ({percent_da(round_half_up(u_share, 4))})"
        if coverage_total
        else "ingen borgere i programmet i året endnu"
    )
    return (
        f"{name}: {number_da(member.population_40plus, grouped=True)} af landsdelens "
        f"{number_da(population_total, grouped=True)} indbyggere på 40+ "
        f"({percent_da(round_half_up(d_share, 4))}) og {usage}. Med w = {decimal_da(w)} er andelen "
        f"{decimal_da(w)} × {percent_da(round_half_up(d_share, 4))} + {decimal_da(1 - w)} × "
        f"{percent_da(round_half_up(u_share, 4))} = {percent_da(round_half_up(member.share, 4))} af kommunernes "
        f"{kr(result.municipal_total)} kr., altså {kr(member.amount)} kr."
    )


# --- invoices per owner -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerTotal:
    owner: str
    name: str
    forecast: Decimal | None
    instalments: Decimal
    true_up: Decimal
    invoiced: Decimal
    actual: Decimal | None
    addons: Decimal

    @property
    def difference(self) -> Decimal | None:
        """Actual share − invoiced (the subscription): 0 once the year is trued up."""
        return None if self.actual is None else self.actual - self.invoiced


def owner_totals(landsdel: Landsdel, year: int, codes: set[int] | None) -> list[OwnerTotal]:
    """Per owner for the year: forecast, quarterly instalments, true-up (extra invoices − credit notes), all
    invoiced for the subscription, the actual share after the close, and add-ons (outside the split)."""
    budget = budget_for(landsdel, year)
    forecast = {k: Decimal(v) for k, v in (budget.basis.get("amounts", {}) if budget else {}).items()}
    actual: dict[str, Decimal] = {}
    if budget is not None and "actual_split" in budget.basis:
        split = budget.basis["actual_split"]
        actual[actions.REGION] = Decimal(split["region_amount"])
        actual.update({str(m["kommunekode"]): Decimal(m["amount"]) for m in split["members"]})
    sums: dict[tuple[str, str], Decimal] = {}
    for region_id, code, kind, amount in (
        SubscriptionInvoice.objects.filter(landsdel=landsdel, year=year)
        .values_list("region_id", "municipality__code", "kind")
        .annotate(total=Sum("amount"))
        .values_list("region_id", "municipality__code", "kind", "total")
    ):
        owner = actions.REGION if region_id is not None else str(code)
        sums[(owner, kind)] = sums.get((owner, kind), Decimal("0.00")) + amount
    names = _names(landsdel)
    owners = [actions.REGION] + [str(code) for code in sorted(names, key=lambda c: names[c])]
    zero = Decimal("0.00")
    rows = []
    for owner in owners:
        if codes is not None and (owner == actions.REGION or int(owner) not in codes):
            continue
        instalments = sums.get((owner, SubscriptionKind.QUARTERLY), zero)
        true_up = sums.get((owner, SubscriptionKind.EXTRA), zero) + sums.get(
            (owner, SubscriptionKind.CREDIT_NOTE), zero
        )
        rows.append(
            OwnerTotal(
                owner=owner,
                name=landsdel.region.name if owner == actions.REGION else f"{names[int(owner)]} Kommune",
                forecast=forecast.get(owner),
                instalments=instalments,
                true_up=true_up,
                invoiced=instalments + true_up,
                actual=actual.get(owner) if budget and budget.closed_at else None,
                addons=sums.get((owner, SubscriptionKind.ADDON), zero),
            )
        )
    return rows


def sum_or_none(values: list[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, Decimal("0.00")) if present else None


def addon_services(landsdel: Landsdel) -> list[AddOnService]:
    return list(AddOnService.objects.filter(landsdel=landsdel).order_by("name"))


@dataclass(frozen=True)
class QuarterPlan:
    year: int
    quarter: int
    to_issue: list[tuple[str, Decimal]]  # (payer, amount)
    already: int
    problem: str = ""

    @property
    def total(self) -> Decimal:
        return sum((amount for _name, amount in self.to_issue), Decimal("0.00"))


def quarter_plan(landsdel: Landsdel, year: int, quarter: int) -> QuarterPlan:
    """What issuing the quarter would do now (the confirmation step; actions.do_issue_quarter decides again)."""
    budget = budget_for(landsdel, year)
    if budget is None:
        return QuarterPlan(
            year, quarter, [], 0, f"Der er ingen prognose for {year}. Lav prognosen, før der faktureres."
        )
    if budget.closed_at is not None:
        return QuarterPlan(year, quarter, [], 0, f"Året {year} er afsluttet; der faktureres ikke flere kvartaler.")
    done = {
        invoice.owner_key
        for invoice in SubscriptionInvoice.objects.filter(
            landsdel=landsdel, year=year, quarter=quarter, kind=SubscriptionKind.QUARTERLY
        ).select_related("municipality")
    }
    names = _names(landsdel)
    to_issue = []
    for owner, amount in budget.basis.get("amounts", {}).items():
        instalment = payments.quarterly_instalments(Decimal(amount))[quarter - 1]
        if owner in done or instalment <= 0:
            continue
        name = landsdel.region.name if owner == actions.REGION else f"{names.get(int(owner), owner)} Kommune"
        to_issue.append((name, instalment))
    return QuarterPlan(year, quarter, to_issue, len(done))

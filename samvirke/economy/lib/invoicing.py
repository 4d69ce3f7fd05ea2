"""A year's operations-fee invoices: who pays what for which days, and what changes against what was issued.

Seed 000: the fee is invoiced at the end of the year; seed 002: during Region Sjælland's pilot the region pays it
for the participating municipalities for two years. A member that joins or leaves during the year pays for
its days of membership; the pilot's days go to the region, the rest to the municipality.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from samvirke.core.lib.formatting import kr, thousands
from samvirke.economy.lib.fees import EconomyParams, Member, compute_economy, round_half_up

REGION = "region"
MUNICIPALITY = "municipality"


BASIS_FIELDS = ("payer_name", "period_start", "period_end", "days_billed", "population", "full_year_fee", "amount")


def invoice_basis(invoice: object) -> tuple[object, ...]:
    """What an issued invoice must still agree with a fresh plan on; any difference calls for a credit note."""
    return tuple(getattr(invoice, name) for name in BASIS_FIELDS)


@dataclass(frozen=True)
class BillableMember:
    """A membership as invoicing sees it: dates of membership and of the pilot, and the population."""

    membership_id: int
    kommunekode: int
    name: str
    population: int
    population_year: int
    population_source: str
    member_since: dt.date | None
    left_on: dt.date | None
    pilot_start: dt.date | None = None
    pilot_end: dt.date | None = None
    pilot_payer_id: int | None = None
    pilot_payer_name: str | None = None


@dataclass(frozen=True)
class PlannedInvoice:
    membership_id: int
    kommunekode: int
    name: str
    payer_kind: str
    payer_region_id: int | None
    payer_name: str
    period_start: dt.date
    period_end: dt.date
    days_billed: int
    days_in_year: int
    population: int
    population_year: int
    population_source: str
    full_year_fee: Decimal
    price_per_citizen: Decimal
    amount: Decimal
    explanation: str

    @property
    def key(self) -> tuple[int, str]:
        return (self.membership_id, self.payer_kind)

    def basis(self) -> tuple[object, ...]:
        return invoice_basis(self)


@dataclass(frozen=True)
class IssuedInvoice:
    """An invoice already issued and not credited, with the same basis fields as a PlannedInvoice."""

    invoice_id: int
    membership_id: int
    payer_kind: str
    payer_name: str
    period_start: dt.date
    period_end: dt.date
    days_billed: int
    population: int
    full_year_fee: Decimal
    amount: Decimal

    @property
    def key(self) -> tuple[int, str]:
        return (self.membership_id, self.payer_kind)

    def basis(self) -> tuple[object, ...]:
        return invoice_basis(self)


@dataclass(frozen=True)
class InvoicingPlan:
    to_issue: list[PlannedInvoice]
    to_credit: list[IssuedInvoice]
    unchanged: list[IssuedInvoice]


def _overlap(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> tuple[dt.date, dt.date] | None:
    start, end = max(a_start, b_start), min(a_end, b_end)
    return (start, end) if start <= end else None


def _days(span: tuple[dt.date, dt.date] | None) -> int:
    return 0 if span is None else (span[1] - span[0]).days + 1


def membership_span(member: BillableMember, year: int) -> tuple[dt.date, dt.date] | None:
    """The member's days in `year` (first and last day, inclusive); None when it was not a member then.

    A member is a member from `member_since` through the day before `left_on`.
    """
    if member.member_since is None:
        return None
    end = member.left_on - dt.timedelta(days=1) if member.left_on else dt.date(year, 12, 31)
    return _overlap(member.member_since, end, dt.date(year, 1, 1), dt.date(year, 12, 31))


def _kr(amount: Decimal) -> str:
    """Danish money text: Decimal('92208.75') → '92.208,75 kr.'."""
    return f"{kr(amount)} kr."


def _date(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _planned(
    member: BillableMember,
    fee: Decimal,
    price: Decimal,
    days_in_year: int,
    *,
    payer_kind: str,
    payer_region_id: int | None,
    payer_name: str,
    period_start: dt.date,
    period_end: dt.date,
    days_billed: int,
    amount: Decimal,
    explanation: str,
) -> PlannedInvoice:
    return PlannedInvoice(
        membership_id=member.membership_id,
        kommunekode=member.kommunekode,
        name=member.name,
        payer_kind=payer_kind,
        payer_region_id=payer_region_id,
        payer_name=payer_name,
        period_start=period_start,
        period_end=period_end,
        days_billed=days_billed,
        days_in_year=days_in_year,
        population=member.population,
        population_year=member.population_year,
        population_source=member.population_source,
        full_year_fee=fee,
        price_per_citizen=price,
        amount=amount,
        explanation=explanation,
    )


def plan_year(year: int, members: list[BillableMember], params: EconomyParams) -> list[PlannedInvoice]:
    """The invoices for `year`: one per member and payer, amounts prorated by days and rounded half up.

    The full-year fee comes from the fee model (docs/models/hotline-economy.md) over the members billed this year;
    under a budget the explanation says it is the member's share of the budget by population (largest
    remainder), since population × the implied 4-decimal price need not give the fee.
    A member's share of it is fee × member days / days in the year; the region's part is fee × pilot days /
    days in the year; the municipality pays the rest, so the two parts add up to the member's share.
    """
    days_in_year = _days((dt.date(year, 1, 1), dt.date(year, 12, 31)))
    spans = {m.membership_id: membership_span(m, year) for m in members}
    billed = [m for m in members if spans[m.membership_id] is not None]
    if not billed:
        return []
    economy = compute_economy([Member(m.name, m.kommunekode, m.population) for m in billed], params)
    price = economy.price_per_citizen
    planned: list[PlannedInvoice] = []
    for member, row in zip(billed, economy.rows, strict=True):
        span = spans[member.membership_id]
        assert span is not None
        member_days = _days(span)
        pilot = None
        if member.pilot_start and member.pilot_end and member.pilot_payer_id:
            pilot = _overlap(span[0], span[1], member.pilot_start, member.pilot_end)
        pilot_days = _days(pilot)
        fee = row.fee
        member_share = round_half_up(Fraction(fee) * member_days / days_in_year, 2)
        region_share = round_half_up(Fraction(fee) * pilot_days / days_in_year, 2)
        municipality_share = member_share - region_share
        population_text = (
            f"{thousands(member.population)} indbyggere ({member.population_year}, {member.population_source})"
        )
        if params.budget is not None:
            # The fee is a share of the budget (largest remainder), not population × the implied price.
            basis_text = (
                f"Driftsbidrag {year}: andel af budget {_kr(params.budget)}: {population_text} / "
                f"{thousands(economy.total.population)} indbyggere i alt (største rest) = {_kr(fee)} for et helt år."
            )
        else:
            basis_text = (
                f"Driftsbidrag {year}: {population_text} × {str(price).replace('.', ',')} kr. pr. borger = "
                f"{_kr(fee)} for et helt år."
            )

        if pilot is not None and pilot_days > 0:
            planned.append(
                _planned(
                    member,
                    fee,
                    price,
                    days_in_year,
                    payer_kind=REGION,
                    payer_region_id=member.pilot_payer_id,
                    payer_name=member.pilot_payer_name or "Regionen",
                    period_start=pilot[0],
                    period_end=pilot[1],
                    days_billed=pilot_days,
                    amount=region_share,
                    explanation=(
                        f"{basis_text} Pilotfinansiering {_date(pilot[0])}–{_date(pilot[1])}: "
                        f"{pilot_days} af {days_in_year} dage = {_kr(region_share)}"
                    ),
                )
            )
        own_days = member_days - pilot_days
        if own_days > 0:
            period_text = f"Medlem {_date(span[0])}–{_date(span[1])}: {member_days} af {days_in_year} dage"
            if pilot_days:
                period_text += f", heraf {pilot_days} dage betalt af {member.pilot_payer_name}"
            planned.append(
                _planned(
                    member,
                    fee,
                    price,
                    days_in_year,
                    payer_kind=MUNICIPALITY,
                    payer_region_id=None,
                    payer_name=f"{member.name} Kommune",
                    period_start=span[0],
                    period_end=span[1],
                    days_billed=own_days,
                    amount=municipality_share,
                    explanation=f"{basis_text} {period_text}; kommunen betaler {own_days} dage = "
                    f"{_kr(municipality_share)}",
                )
            )
    return planned


def reconcile(planned: list[PlannedInvoice], issued: list[IssuedInvoice]) -> InvoicingPlan:
    """Compare a fresh plan with what was issued: unchanged invoices stay; a changed or vanished one is
    credited in full and, if still due, issued anew. Running a year twice therefore issues nothing twice.
    """
    issued_by_key = {invoice.key: invoice for invoice in issued}
    planned_keys = {invoice.key for invoice in planned}
    to_issue: list[PlannedInvoice] = []
    to_credit: list[IssuedInvoice] = []
    unchanged: list[IssuedInvoice] = []
    for invoice in planned:
        existing = issued_by_key.get(invoice.key)
        if existing is None:
            to_issue.append(invoice)
        elif existing.basis() == invoice.basis():
            unchanged.append(existing)
        else:
            to_credit.append(existing)
            to_issue.append(invoice)
    to_credit += [invoice for invoice in issued if invoice.key not in planned_keys]
    return InvoicingPlan(to_issue=to_issue, to_credit=to_credit, unchanged=unchanged)


# --- what the invoices bill against the full-year fees ---------------------------------------------------------

PRORATION_RULE = (
    "Et medlem, der kommer ind eller træder ud i løbet af året, betaler kun for sine medlemsdage: "
    "helårsbidrag × medlemsdage / dage i året, afrundet til øre (halvt op)."
)


@dataclass(frozen=True)
class MemberBilling:
    """One member's full-year fee (the economy page) and what its invoices for the year add up to."""

    kommunekode: int
    name: str
    full_year_fee: Decimal
    billed: Decimal
    member_days: int
    days_in_year: int
    first_day: dt.date
    last_day: dt.date

    @property
    def is_prorated(self) -> bool:
        return self.member_days < self.days_in_year

    @property
    def difference(self) -> Decimal:
        return self.full_year_fee - self.billed


def billing_by_member(planned: list[PlannedInvoice]) -> list[MemberBilling]:
    """The planned invoices per member (a pilot member has one to the region and maybe one to itself)."""
    by_member: dict[int, list[PlannedInvoice]] = {}
    for invoice in planned:
        by_member.setdefault(invoice.kommunekode, []).append(invoice)
    return [
        MemberBilling(
            kommunekode=code,
            name=invoices[0].name,
            full_year_fee=invoices[0].full_year_fee,
            billed=sum((invoice.amount for invoice in invoices), Decimal("0.00")),
            member_days=sum(invoice.days_billed for invoice in invoices),
            days_in_year=invoices[0].days_in_year,
            first_day=min(invoice.period_start for invoice in invoices),
            last_day=max(invoice.period_end for invoice in invoices),
        )
        for code, invoices in by_member.items()
    ]


@dataclass(frozen=True)
class YearBilling:
    """The economy page's total of full-year fees against the total the year's invoices bill, and why they differ.

    `rounding` is what is left when the prorated members are accounted for: the page's total is computed from
    the total population (seed 000), not as the sum of the members' rounded fees.
    """

    full_year_total: Decimal
    billed_total: Decimal
    members: tuple[MemberBilling, ...]

    @property
    def difference(self) -> Decimal:
        return self.full_year_total - self.billed_total

    @property
    def size_of_difference(self) -> Decimal:
        return abs(self.difference)

    @property
    def prorated(self) -> tuple[MemberBilling, ...]:
        return tuple(member for member in self.members if member.is_prorated)

    @property
    def prorated_difference(self) -> Decimal:
        return sum((member.difference for member in self.prorated), Decimal("0.00"))

    @property
    def rounding(self) -> Decimal:
        return self.difference - self.prorated_difference


def year_billing(full_year_total: Decimal, planned: list[PlannedInvoice]) -> YearBilling:
    members = billing_by_member(planned)
    billed = sum((member.billed for member in members), Decimal("0.00"))
    return YearBilling(full_year_total=full_year_total, billed_total=billed, members=tuple(members))


def plan_token(plan: InvoicingPlan, last_number: int) -> str:
    """A short fingerprint of what a run would do and of the invoice numbers used so far: the confirmation page
    carries it, and a run whose plan or numbering has changed since (a double click, a colleague, a new
    population) issues nothing and says so."""
    digest = hashlib.sha256()
    digest.update(f"{last_number}|".encode())
    for invoice in plan.to_issue:
        digest.update(repr((invoice.key, invoice.basis())).encode())
    for issued in plan.to_credit:
        digest.update(f"|credit {issued.invoice_id}".encode())
    for issued in plan.unchanged:
        digest.update(f"|keep {issued.invoice_id}".encode())
    return digest.hexdigest()[:20]

"""The telemedicine fællesskab's subscription payments and budget cycle (seed 003, 5.3; docs/models/telecare.md).

One subscription covers the operators' costs and the secretariat; the secretariat invoices the region and every
municipality of the landsdel (seed 003, 5.3.5, l. 4020–4040):

- region / municipalities: `region_split`, by default 65/35 (sensitivity 80/20 and 50/50 are just other shares);
- between the municipalities: share_i = w·D_i/ΣD + (1 − w)·U_i/ΣU (seed 003, 5.3.3, l. 3953–3985), D the
  population over 40 (demand-independent, the mandatory element: every owner pays something whatever its use
  when w > 0), U the citizens enrolled, counted as a coverage per citizen per year from quarters (5.3.5 and
  5.3.6, l. 4034 and l. 4077–4090): a citizen counts in a quarter when enrolled on the quarter's last day, and
  counts (quarters)/4 for the year — so a citizen enrolled for 2 months no longer costs as much as one enrolled
  for 10;
- the budget cycle (5.3.6, l. 4057–4070): a forecast in the spring of the year before, paid in four quarterly
  instalments, and a true-up after the accounts close (extra invoice or credit note per owner).

Money is `Decimal` kr. with øre; shares are exact `Fraction`s; amounts are split with the largest remainder to
the øre (the hotline's budget split, `samvirke.economy.lib.fees.largest_remainder`), so they add up exactly.
Bad input raises `PaymentInputError` with a Danish message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from samvirke.core.lib.masking import looks_like_cpr
from samvirke.economy.lib.fees import largest_remainder, money_text, round_half_up

DEFAULT_REGION_SHARE = Decimal("0.65")
SENSITIVITY_REGION_SHARES = (Decimal("0.80"), Decimal("0.50"))  # seed 003, 5.3.2: 80/20 and 50/50
SHARE_PLACES = 6  # decimals of a share in JSON (the exact fraction is given too)
MEMBER_COLUMNS = ("kommunekode", "population_40plus")
ENROLMENT_COLUMNS = ("kommunekode", "citizen_ref", "enrolled_from", "enrolled_to")
REGION_OWNER = "region"

# A CPR number: ddmmyy and a four-digit serial, with or without a hyphen (or a space) between.
_PLAIN_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


class PaymentInputError(ValueError):
    """Bad input to the payment model; the message is Danish (one sentence per problem, joined by newlines)."""

    def __init__(self, problems: str | Sequence[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


# --- checks ---------------------------------------------------------------------------------------


def _decimal(value: object, what: str) -> Decimal:
    """A number given as Decimal, int or text ("0,65" or "0.65"); floats, bools and the rest are refused."""
    if isinstance(value, bool | float):
        raise PaymentInputError(f"{what} skal være et eksakt tal (Decimal eller tekst), ikke {value!r}.")
    if isinstance(value, str):
        cleaned = value.strip().replace("\u00a0", "").replace(" ", "")
        if not _PLAIN_NUMBER.match(cleaned):
            raise PaymentInputError(f"{what} skal være et tal som fx 0.65 eller 0,65, ikke '{value}'.")
        return Decimal(cleaned.replace(",", "."))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise PaymentInputError(f"{what} skal være et endeligt tal, ikke {value}.")
        return value
    raise PaymentInputError(f"{what} skal være et tal, ikke {value!r}.")


def _share(value: object, what: str) -> Decimal:
    share = _decimal(value, what)
    if not 0 <= share <= 1:
        raise PaymentInputError(f"{what} skal ligge mellem 0 og 1, ikke {share}.")
    return share


def _amount(value: object, what: str, places: int = 2) -> Decimal:
    amount = _decimal(value, what)
    if amount < 0:
        raise PaymentInputError(f"{what} må ikke være negativt ({amount} kr.).")
    if (Fraction(amount) * 10**places).denominator != 1:
        raise PaymentInputError(f"{what} skal angives i hele øre (højst {places} decimaler), ikke {amount}.")
    return amount


def _kommunekode(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise PaymentInputError(f"En kommunekode skal være et positivt heltal, ikke {value!r}.")
    return value


def _populations(population_40plus: Mapping[int, int]) -> dict[int, int]:
    if not population_40plus:
        raise PaymentInputError("Der er ingen medlemskommuner at fordele mellem.")
    checked: dict[int, int] = {}
    for code, population in population_40plus.items():
        _kommunekode(code)
        if isinstance(population, bool) or not isinstance(population, int) or population <= 0:
            raise PaymentInputError(
                f"Kommune {code}: indbyggere over 40 år (D) skal være et positivt heltal, ikke {population!r}."
            )
        checked[code] = population
    return checked


# --- region and municipalities --------------------------------------------------------------------


def region_split(total: Decimal, region_share: Decimal = DEFAULT_REGION_SHARE) -> tuple[Decimal, Decimal]:
    """(region_amount, municipal_total) in kr. with øre: the region's part rounded half up, the municipalities
    the rest, so the two add up to `total` exactly (seed 003, 5.3.2: 65/35 by default; 80/20 and 50/50 as
    sensitivity)."""
    total = _amount(total, "Det samlede beløb")
    share = _share(region_share, "Regionens andel")
    region = round_half_up(Fraction(total) * Fraction(share), 2)
    return region, total - region


def municipal_shares(
    population_40plus: Mapping[int, int],
    coverage: Mapping[int, Fraction | Decimal],
    weight: Decimal,
) -> dict[int, Fraction]:
    """Each municipality's exact share: w·D_i/ΣD + (1 − w)·U_i/ΣU, summing to 1 (seed 003, 5.3.3, l. 3953).

    Keys are kommunekoder; D the population over 40 (> 0), U the coverage (citizen-years, ≥ 0; missing = 0).
    At w < 1 the coverage must not be all zero (a year without enrolments has no usage to share by).
    """
    populations = _populations(population_40plus)
    w = Fraction(_share(weight, "Vægten w"))
    usage: dict[int, Fraction] = {code: Fraction(0) for code in populations}
    for code, value in coverage.items():
        if code not in populations:
            raise PaymentInputError(f"Kommunekode {code} har tilmeldte borgere, men er ikke blandt medlemmerne.")
        if isinstance(value, bool) or not isinstance(value, Fraction | Decimal | int):
            raise PaymentInputError(f"Kommune {code}: dækningen skal være et tal, ikke {value!r}.")
        if isinstance(value, Decimal) and not value.is_finite():
            raise PaymentInputError(f"Kommune {code}: dækningen skal være et endeligt tal, ikke {value}.")
        if value < 0:
            raise PaymentInputError(f"Kommune {code}: dækningen kan ikke være negativ ({value}).")
        usage[code] = Fraction(value)
    total_d = sum(populations.values())
    total_u = sum(usage.values(), Fraction(0))
    if w < 1 and total_u == 0:
        raise PaymentInputError(
            "Der er ingen tilmeldte borgere i året, så den brugsafhængige del (1 − w) kan ikke fordeles; "
            "brug w = 1 eller angiv tilmeldinger."
        )
    shares: dict[int, Fraction] = {}
    for code, population in populations.items():
        share = w * Fraction(population, total_d)
        if w < 1:
            share += (1 - w) * usage[code] / total_u
        shares[code] = share
    return shares


def split_total(total: Decimal, shares: Mapping[int, Fraction], places: int = 2) -> dict[int, Decimal]:
    """Split `total` by `shares` to `places` decimals (the øre); the parts add up to `total` exactly.

    Largest remainder, as the hotline's budget split (samvirke.economy.lib.fees.largest_remainder); ties go to
    the larger share, then the lower key. Shares are non-negative and not all zero; they are used in proportion
    (normally they sum to 1).
    """
    total = _amount(total, "Beløbet", places)
    if not shares:
        raise PaymentInputError("Der er ingen andele at fordele beløbet efter.")
    codes = list(shares)
    values = []
    for code in codes:
        value = shares[code]
        if isinstance(value, bool) or not isinstance(value, Fraction | int) or value < 0:
            raise PaymentInputError(f"Andelen for {code} skal være en ikke-negativ brøk, ikke {value!r}.")
        values.append(Fraction(value))
    if sum(values) == 0:
        raise PaymentInputError("Andelene er alle 0; beløbet kan ikke fordeles.")
    units = int(Fraction(total) * 10**places)
    parts = largest_remainder(units, values, [(-value, code) for value, code in zip(values, codes, strict=True)])
    return {code: Decimal(part).scaleb(-places) for code, part in zip(codes, parts, strict=True)}


# --- coverage -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    """A citizen enrolled in a municipality from `enrolled_from` to `enrolled_to` (both days included; None =
    still enrolled). `citizen_ref` is pseudonymous: a CPR-looking reference is refused."""

    kommunekode: int
    citizen_ref: str
    enrolled_from: dt.date
    enrolled_to: dt.date | None

    def __post_init__(self) -> None:
        _kommunekode(self.kommunekode)
        if not isinstance(self.citizen_ref, str) or not self.citizen_ref.strip():
            raise PaymentInputError(f"Kommune {self.kommunekode}: en tilmelding mangler borgerens reference.")
        if looks_like_cpr(self.citizen_ref):
            raise PaymentInputError(
                f"Kommune {self.kommunekode}: borgerreferencen ligner et CPR-nummer; brug en pseudonym "
                "reference (fx et løbenummer), aldrig CPR-nummeret."
            )
        if isinstance(self.enrolled_from, dt.datetime) or not isinstance(self.enrolled_from, dt.date):
            raise PaymentInputError(f"Borger {self.citizen_ref}: startdatoen skal være en dato.")
        if self.enrolled_to is not None:
            if isinstance(self.enrolled_to, dt.datetime) or not isinstance(self.enrolled_to, dt.date):
                raise PaymentInputError(f"Borger {self.citizen_ref}: slutdatoen skal være en dato eller tom.")
            if self.enrolled_to < self.enrolled_from:
                raise PaymentInputError(
                    f"Borger {self.citizen_ref}: tilmeldingen slutter ({self.enrolled_to.isoformat()}) "
                    f"før den begynder ({self.enrolled_from.isoformat()})."
                )

    def enrolled_on(self, day: dt.date) -> bool:
        return self.enrolled_from <= day and (self.enrolled_to is None or day <= self.enrolled_to)


def quarter_ends(year: int) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """The last days of a year's four quarters: 31 March, 30 June, 30 September, 31 December."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise PaymentInputError(f"Året skal være et årstal, fx 2025, ikke {year!r}.")
    return (dt.date(year, 3, 31), dt.date(year, 6, 30), dt.date(year, 9, 30), dt.date(year, 12, 31))


def quarters_covered(enrolment: Enrolment, year: int) -> int:
    """How many of the year's quarters (0–4) count for the enrolment: those whose last day it includes
    (seed 003, 5.3.6, l. 4077–4090)."""
    return sum(1 for day in quarter_ends(year) if enrolment.enrolled_on(day))


def coverage(enrolments: Iterable[Enrolment], year: int) -> dict[int, Fraction]:
    """Citizen-years per kommunekode: Σ quarters covered / 4 (seed 003, 5.3.5, l. 4034: "dækningsgrad pr.
    borger pr. år baseret på kvartaler").

    Each quarter counts for the municipality where the citizen is enrolled on its last day, so a citizen who
    moves counts in both municipalities, a quarter each time. Two enrolments of one citizen covering the same
    quarter's last day are refused (they would count the citizen twice). Every kommunekode of an enrolment is
    a key, even with 0.
    """
    ends = quarter_ends(year)
    quarters: dict[int, int] = {}
    counted: dict[tuple[str, dt.date], int] = {}
    for enrolment in enrolments:
        if not isinstance(enrolment, Enrolment):
            raise PaymentInputError(f"En tilmelding skal være en Enrolment, ikke {enrolment!r}.")
        quarters.setdefault(enrolment.kommunekode, 0)
        for day in ends:
            if not enrolment.enrolled_on(day):
                continue
            key = (enrolment.citizen_ref.strip(), day)
            if key in counted:
                raise PaymentInputError(
                    f"Borger {enrolment.citizen_ref} er tilmeldt to gange den {day.isoformat()} "
                    f"(kommune {counted[key]} og {enrolment.kommunekode}); en borger tæller kun ét sted pr. kvartal."
                )
            counted[key] = enrolment.kommunekode
            quarters[enrolment.kommunekode] += 1
    return {code: Fraction(count, 4) for code, count in quarters.items()}


# --- the payments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberPayment:
    """One municipality's coverage (citizen-years), exact share of the municipal total and amount (kr.)."""

    kommunekode: int
    population_40plus: int
    coverage: Fraction
    share: Fraction
    amount: Decimal


@dataclass(frozen=True)
class PaymentResult:
    """The year's payments: the region's amount, the municipal total and each municipality's payment (in the
    members' order). region_amount + municipal_total = total, and the members' amounts add up to
    municipal_total, to the øre."""

    total: Decimal
    region_share: Decimal
    weight: Decimal
    year: int
    region_amount: Decimal
    municipal_total: Decimal
    members: list[MemberPayment]


def compute_payments(
    total: Decimal,
    region_share: Decimal,
    weight: Decimal,
    population_40plus: Mapping[int, int],
    enrolments: Iterable[Enrolment],
    year: int,
) -> PaymentResult:
    """The subscription for one year (seed 003, 5.3): region vs municipalities, then the municipalities by
    w·D/ΣD + (1 − w)·U/ΣU with U the quarterly coverage. Every enrolment's kommunekode must be a member."""
    total = _amount(total, "Det samlede beløb")
    region_share = _share(region_share, "Regionens andel")
    weight = _share(weight, "Vægten w")
    populations = _populations(population_40plus)
    enrolments = list(enrolments)
    unknown = sorted({e.kommunekode for e in enrolments if isinstance(e, Enrolment)} - set(populations))
    if unknown:
        raise PaymentInputError(
            f"Ukendt kommunekode i tilmeldingerne: {', '.join(map(str, unknown))} er ikke blandt medlemmerne."
        )
    covered = coverage(enrolments, year)
    region_amount, municipal_total = region_split(total, region_share)
    shares = municipal_shares(populations, covered, weight)
    amounts = split_total(municipal_total, shares)
    members = [
        MemberPayment(
            kommunekode=code,
            population_40plus=population,
            coverage=covered.get(code, Fraction(0)),
            share=shares[code],
            amount=amounts[code],
        )
        for code, population in populations.items()
    ]
    return PaymentResult(
        total=total,
        region_share=region_share,
        weight=weight,
        year=year,
        region_amount=region_amount,
        municipal_total=municipal_total,
        members=members,
    )


def fraction_text(value: Fraction, places: int) -> str:
    """A fraction as a decimal text with `places` decimals, half up: Fraction(1, 3) → '0.333333'."""
    return f"{round_half_up(value, places):f}"


def to_json_dict(result: PaymentResult) -> dict[str, Any]:
    """The `samvirke telecare-payments --format json` shape (docs/cli.md): money as "0.00" strings like the
    hotline-economy command; coverage (citizen-years, quarters) with 2 decimals; the share with 6 decimals and
    exactly as "p/q"."""
    return {
        "year": result.year,
        "total": money_text(result.total),
        "region_share": f"{result.region_share:f}",
        "weight": f"{result.weight:f}",
        "region_amount": money_text(result.region_amount),
        "municipal_total": money_text(result.municipal_total),
        "members": [
            {
                "kommunekode": member.kommunekode,
                "population_40plus": member.population_40plus,
                "coverage": fraction_text(member.coverage, 2),
                "share": fraction_text(member.share, SHARE_PLACES),
                "share_exact": f"{member.share.numerator}/{member.share.denominator}",
                "amount": money_text(member.amount),
            }
            for member in result.members
        ],
    }


# --- budget cycle ---------------------------------------------------------------------------------


def owner_amounts(result: PaymentResult) -> dict[str, Decimal]:
    """Every owner's amount for the year: "region" and each kommunekode (as text) — the keys `true_up` uses."""
    amounts = {REGION_OWNER: result.region_amount}
    amounts.update({str(member.kommunekode): member.amount for member in result.members})
    return amounts


def quarterly_instalments(amount: Decimal) -> list[Decimal]:
    """A year's amount in four quarterly instalments (kr. with øre) adding up to it exactly; an øre left over
    goes to the earliest quarters (100.03 → 25.01, 25.01, 25.01, 25.00)."""
    parts = split_total(amount, {1: Fraction(1), 2: Fraction(1), 3: Fraction(1), 4: Fraction(1)})
    return [parts[quarter] for quarter in (1, 2, 3, 4)]


@dataclass(frozen=True)
class TrueUp:
    """One owner's true-up after the accounts close: what it paid, its actual share, and the difference
    (actual − paid): > 0 an extra invoice, < 0 a credit note, 0 nothing."""

    owner: str
    paid: Decimal
    actual: Decimal
    difference: Decimal

    @property
    def kind(self) -> str:
        if self.difference > 0:
            return "ekstra faktura"
        if self.difference < 0:
            return "kreditnota"
        return "ingen regulering"


def true_up(paid: Mapping[str, Decimal], actual: Mapping[str, Decimal]) -> list[TrueUp]:
    """Per owner: paid vs actual → extra invoice or credit note (seed 003, 5.3.6, l. 4069: "regulering af
    abonnementsbetalingerne efter budgetåret"). After it every owner's year equals its actual share exactly.

    Owners in `paid`'s order, then those only in `actual`; an owner missing on one side counts 0.00 there (a
    member that joined or left during the year)."""
    owners = list(paid) + [owner for owner in actual if owner not in paid]
    rows = []
    for owner in owners:
        paid_amount = _signed_money(paid.get(owner, Decimal("0.00")), f"Det betalte for {owner}")
        actual_amount = _amount(actual.get(owner, Decimal("0.00")), f"Det faktiske beløb for {owner}")
        rows.append(TrueUp(owner, paid_amount, actual_amount, actual_amount - paid_amount))
    return rows


def _signed_money(value: object, what: str) -> Decimal:
    amount = _decimal(value, what)
    if (Fraction(amount) * 100).denominator != 1:
        raise PaymentInputError(f"{what} skal angives i hele øre (højst to decimaler), ikke {amount}.")
    return amount


# --- CSV ------------------------------------------------------------------------------------------


def _rows(text: str, columns: Sequence[str]) -> Iterable[tuple[int, dict[str, str]]]:
    """(line number, cells by column) for each non-blank line of a CSV text with a header naming `columns`
    (any order; comma or semicolon, the header line decides; a BOM tolerated)."""
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    expected = ",".join(columns)
    header: list[str] | None = None
    for cells in reader:
        if any(cell.strip() for cell in cells):
            header = [cell.strip().lower() for cell in cells]
            break
    if header is None:
        raise PaymentInputError(f"Filen er tom. Første linje skal være: {expected}")
    if sorted(header) != sorted(columns):
        raise PaymentInputError(
            f"Linje {reader.line_num}: kolonnerne skal være {expected} (i vilkårlig rækkefølge), "
            f"men filen har {','.join(header)}."
        )
    position = {name: header.index(name) for name in columns}
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise PaymentInputError(
                f"Linje {reader.line_num}: der er {len(cells)} felter, men der skal være {len(header)} ({expected})."
            )
        yield reader.line_num, {name: cells[index].strip() for name, index in position.items()}


def _positive_int(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else None


def _date(text: str, line: int, what: str) -> dt.date:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise PaymentInputError(f"Linje {line}: {what} skal være en dato som 2025-03-31, ikke '{text}'.")


def parse_members_csv(text: str) -> dict[int, int]:
    """Members from CSV text with the columns kommunekode,population_40plus → {kommunekode: D}, in file order.

    Every problem is reported with its line number (the header is line 1) in one PaymentInputError; a
    kommunekode twice is refused."""
    members: dict[int, int] = {}
    first_line: dict[int, int] = {}
    problems: list[str] = []
    for line, cells in _rows(text, MEMBER_COLUMNS):
        code = _positive_int(cells["kommunekode"])
        population = _positive_int(cells["population_40plus"].replace(".", ""))
        line_problems = []
        if code is None:
            line_problems.append(f"kommunekoden skal være et positivt heltal, ikke '{cells['kommunekode']}'")
        elif code in first_line:
            line_problems.append(f"kommunekode {code} står to gange (også i linje {first_line[code]})")
        if population is None:
            line_problems.append(
                f"indbyggere over 40 år skal være et positivt heltal, ikke '{cells['population_40plus']}'"
            )
        if line_problems:
            problems.append(f"Linje {line}: " + "; ".join(line_problems) + ".")
            continue
        assert code is not None and population is not None
        first_line[code] = line
        members[code] = population
    if problems:
        raise PaymentInputError(problems)
    if not members:
        raise PaymentInputError(f"Filen har ingen kommuner, kun overskriften {','.join(MEMBER_COLUMNS)}.")
    return members


def parse_enrolments_csv(text: str) -> list[Enrolment]:
    """Enrolments from CSV text with the columns kommunekode,citizen_ref,enrolled_from,enrolled_to (ISO dates;
    an empty enrolled_to = still enrolled). Every problem is reported with its line number; a CPR-looking
    citizen_ref is refused (the reference must be pseudonymous). A file with only the header is no enrolments."""
    enrolments: list[Enrolment] = []
    problems: list[str] = []
    for line, cells in _rows(text, ENROLMENT_COLUMNS):
        try:
            code = _positive_int(cells["kommunekode"])
            if code is None:
                raise PaymentInputError(f"kommunekoden skal være et positivt heltal, ikke '{cells['kommunekode']}'.")
            start = _date(cells["enrolled_from"], line, "enrolled_from")
            end = _date(cells["enrolled_to"], line, "enrolled_to") if cells["enrolled_to"] else None
            enrolments.append(Enrolment(code, cells["citizen_ref"], start, end))
        except PaymentInputError as error:
            message = str(error)
            problems.append(message if message.startswith("Linje ") else f"Linje {line}: {message}")
    if problems:
        raise PaymentInputError(problems)
    return enrolments

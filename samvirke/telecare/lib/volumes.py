"""Telecare volumes: citizens in the programme, new citizens, support calls and logistics trips per month.

Seed 003, Bilag B and chapter 2 (Tabel 1–9, l. 729–1107; docs/models/telecare.md "Volume model",
docs/sources.md#seed-003). From the citizens in the programme N_y at the end of year y (+12·y months;
N_0 = 0), per month in year y:

    new_y   = round((N_y − N_{y−1}) / 12)        0 when N_y < N_{y−1} (the take-downs are in the trip rate)
    calls_y = round(calls_rate × N_y)            calls_rate = 0.083 (≈ 1 call per citizen per year)
    trips_y = round(new_y + trips_rate × N_y)    new_y the rounded figure; trips_rate = 0.04 (exchanges and
                                                 take-downs), the set-up of every new citizen one trip

Rounding is half up (ties away from zero), done exactly on fractions — never float, never `round()`.

The doubled target group (seed 003, Tabel 3/6/9, l. 807–1107, and each landsdel's Bilag B tables): twice the
citizens and twice the intake of new citizens per month. `doubled_volumes` doubles the *rounded* intake, as the
seed does (Syddanmark's doubled trips are 2 × 3 + 0.04 × 5,600 = 230, printed 230); `year_volumes(doubled(N))`
rounds the doubled intake instead (7 new, 231 trips) and so differs from the printed cell by one in two places.

Pure: no Django, no database, no settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from samvirke.economy.lib.fees import round_half_up

__all__ = [
    "DEFAULT_CALLS_PER_CITIZEN_MONTH",
    "DEFAULT_TRIPS_PER_CITIZEN_MONTH",
    "MAX_CITIZENS",
    "MAX_RATE",
    "MAX_YEARS",
    "VolumeInputError",
    "VolumeRates",
    "YearVolume",
    "doubled",
    "doubled_volumes",
    "half_up",
    "parse_citizens",
    "parse_rate",
    "year_volumes",
]

DEFAULT_CALLS_PER_CITIZEN_MONTH = Decimal("0.083")
DEFAULT_TRIPS_PER_CITIZEN_MONTH = Decimal("0.04")
# Far beyond any plausible programme: Denmark has under 6 million inhabitants; a rate of 10 calls or trips per
# citizen per month is a typo (83 for 0.083), not a forecast.
MAX_CITIZENS = 10_000_000
MAX_RATE = Decimal(10)
MAX_YEARS = 100


class VolumeInputError(ValueError):
    """Bad input to the volume model; the message is one Danish sentence."""


def half_up(value: Fraction | int) -> int:
    """The nearest integer, ties away from zero (ROUND_HALF_UP), exactly: economy's rounding, as an int."""
    return int(round_half_up(value))


def _rate(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise VolumeInputError(f"{what} skal være et eksakt tal (Decimal), ikke {value!r}.")
    rate = Decimal(value)
    if not rate.is_finite():
        raise VolumeInputError(f"{what} skal være et endeligt tal, ikke {rate}.")
    if rate < 0:
        raise VolumeInputError(f"{what} kan ikke være negativ ({rate}).")
    if rate > MAX_RATE:
        raise VolumeInputError(f"{what} er urimeligt stor ({rate}); højst {MAX_RATE} pr. borger pr. måned.")
    return rate


@dataclass(frozen=True)
class VolumeRates:
    """Support calls and logistics trips per citizen in the programme per month (seed 003: 0.083 and 0.04)."""

    calls_per_citizen_month: Decimal = DEFAULT_CALLS_PER_CITIZEN_MONTH
    trips_per_citizen_month: Decimal = DEFAULT_TRIPS_PER_CITIZEN_MONTH

    def __post_init__(self) -> None:
        _rate(self.calls_per_citizen_month, "Antal supportkald pr. borger pr. måned")
        _rate(self.trips_per_citizen_month, "Antal udkørsler pr. borger pr. måned")


@dataclass(frozen=True)
class YearVolume:
    """One year's monthly volumes; `year` is 1-based (+12·year months from the start of operations)."""

    year: int
    citizens: int
    new_per_month: int
    calls_per_month: int
    trips_per_month: int


def _citizens(citizens: Sequence[int]) -> list[int]:
    if isinstance(citizens, str | bytes) or not isinstance(citizens, Sequence):
        raise VolumeInputError(f"Antal borgere skal være en række hele tal (ét pr. år), ikke {citizens!r}.")
    if not citizens:
        raise VolumeInputError("Angiv antal borgere for mindst ét år.")
    if len(citizens) > MAX_YEARS:
        raise VolumeInputError(f"Højst {MAX_YEARS} år ad gangen (fik {len(citizens)}).")
    checked = []
    for year, value in enumerate(citizens, start=1):
        if isinstance(value, bool) or not isinstance(value, int):
            raise VolumeInputError(f"Antal borgere i år {year} skal være et helt tal, ikke {value!r}.")
        if value < 0:
            raise VolumeInputError(f"Antal borgere i år {year} kan ikke være negativt ({value}).")
        if value > MAX_CITIZENS:
            raise VolumeInputError(
                f"Antal borgere i år {year} er urimeligt stort ({value}); højst {MAX_CITIZENS:_}.".replace("_", ".")
            )
        checked.append(int(value))
    return checked


def _new_per_month(increase: int, step: int) -> int:
    if increase <= 0:
        return 0
    return half_up(Fraction(increase, 12 * step)) * step


def year_volumes(citizens: Sequence[int], rates: VolumeRates = VolumeRates(), *, new_step: int = 1) -> list[YearVolume]:
    """Each year's new citizens, support calls and logistics trips per month from the citizens N_1, N_2, ….

    `new_step` rounds the new citizens per month to a multiple of it (half up); 1, the model, everywhere but in
    the explanation of the seed's whole-country row, which matches only with 10 (seed_volumes.seed_anomalies).
    """
    series = _citizens(citizens)
    if isinstance(new_step, bool) or not isinstance(new_step, int) or new_step < 1:
        raise VolumeInputError(f"Afrundingen af nye borgere skal være et helt tal over 0, ikke {new_step!r}.")
    calls_rate = Fraction(rates.calls_per_citizen_month)
    trips_rate = Fraction(rates.trips_per_citizen_month)
    volumes = []
    previous = 0
    for year, n in enumerate(series, start=1):
        new = _new_per_month(n - previous, new_step)
        volumes.append(
            YearVolume(
                year=year,
                citizens=n,
                new_per_month=new,
                calls_per_month=half_up(calls_rate * n),
                trips_per_month=half_up(new + trips_rate * n),
            )
        )
        previous = n
    return volumes


def doubled(citizens: Sequence[int]) -> list[int]:
    """The doubled target group: twice the citizens every year."""
    return [2 * n for n in _citizens(citizens)]


def doubled_volumes(citizens: Sequence[int], rates: VolumeRates = VolumeRates()) -> list[YearVolume]:
    """The seed's doubled-target-group scenario: 2·N citizens, twice the (rounded) new citizens per month.

    calls = round(calls_rate × 2·N); trips = round(2·new + trips_rate × 2·N). This reproduces the seed's
    doubled columns (Tabel 6 and 9, each landsdel's driftssituation tables); `year_volumes(doubled(N))` differs
    from them by one trip where rounding the doubled intake differs from doubling the rounded one.
    """
    calls_rate = Fraction(rates.calls_per_citizen_month)
    trips_rate = Fraction(rates.trips_per_citizen_month)
    result = []
    for base in year_volumes(citizens, rates):
        n = 2 * base.citizens
        new = 2 * base.new_per_month
        result.append(
            YearVolume(
                year=base.year,
                citizens=n,
                new_per_month=new,
                calls_per_month=half_up(calls_rate * n),
                trips_per_month=half_up(new + trips_rate * n),
            )
        )
    return result


# --- parsing what a person types (the CLI; the web forms) -------------------------------------------------------


def parse_citizens(text: str) -> list[int]:
    """'310,1420,2580' (or with spaces/semicolons) → [310, 1420, 2580]; thousands separators are refused."""
    parts = [part.strip() for part in text.replace(";", ",").split(",")]
    if not text.strip() or not any(parts):
        raise VolumeInputError("Angiv antal borgere pr. år adskilt af komma, fx 310,1420,2580,3290,3350.")
    values = []
    for year, part in enumerate(parts, start=1):
        digits = part[1:] if part.startswith("-") else part
        if not digits.isascii() or not digits.isdigit():
            raise VolumeInputError(
                f"Antal borgere i år {year} skal være et helt tal uden tusindtalsseparator, ikke '{part}'."
            )
        values.append(int(part))
    return _citizens(values)


def parse_rate(text: str, what: str) -> Decimal:
    """A rate typed by a person, '0.083' or '0,083', as an exact Decimal within 0..MAX_RATE."""
    cleaned = text.strip().replace(",", ".")
    body = cleaned[1:] if cleaned.startswith("-") else cleaned
    whole, _, fraction = body.partition(".")
    if not whole.isascii() or not fraction.isascii() or not (whole + fraction).isdigit() or not whole:
        raise VolumeInputError(f"{what} skal være et tal som fx 0.083 eller 0,083, ikke '{text}'.")
    return _rate(Decimal(cleaned), what)

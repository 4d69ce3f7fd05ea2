"""Contact forecasts per half-hour interval for staffing (issue 6). Pure: NumPy only, no database, no clock.

The model (kept simple and robust on purpose):

- **Profile.** A weekday × time-of-day profile: the share of a normal week's contacts that arrives in each of
  the week's 7 × 48 local half-hour intervals (shares sum to 1). From history it is a ratio-of-sums estimate
  (contacts in the interval ÷ the weekly level of the weeks they came from), using only ordinary days
  (no holidays, no first day after a holiday). Without history `Profile.default()` is a Danish municipal
  hotline: Monday busiest, morning peak 9–11, quieter afternoons and evenings.
- **Level and trend.** Each 7-day block of history gives a weekly level: its contacts ÷ the profile share of the
  ordinary days it contains. That handles partial weeks and holiday weeks without special cases. A straight
  line is fitted through the recent levels (weighted least squares, made robust with Huber weights so one odd
  week does not tilt it) and extrapolated with a damped trend, so long horizons do not run away.
- **Calendar.** Danish public holidays plus 24 December, 31 December and 5 June are closed (zero), as in
  `samvirke.core.lib.hours`. The first opening day after a holiday gets `after_holiday_uplift` extra
  (the backlog), default +10 %.
- **Opening hours.** The forecast is zero outside the opening hours; an interval that is open for part of its
  half-hour gets that part of the profile.
- **Without history** `forecast_from_volume` spreads a yearly volume over the profile within the opening
  hours, skipping holidays, so that the year from `start` sums to the yearly volume.

Times are local wall-clock time in Europe/Copenhagen: a day has 48 half-hour intervals, 0 = 00:00–00:30.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from samvirke.core.lib import arrival
from samvirke.core.lib.clock import LOCAL, minutes_of_day
from samvirke.core.lib.hours import OpeningHours, is_closed_day

SLOTS_PER_DAY = 48
SLOT_MINUTES = 30
MIN_HISTORY_WEEKS = 2

FloatArray = npt.NDArray[np.float64]
HoursLike = OpeningHours | Mapping[int, Sequence[tuple[dt.time, dt.time]]]

# Relative contacts per local hour (a Danish municipal hotline; the same shape as samvirke.contact.lib.traffic):
# morning peak 9–11, a dip at lunch, quiet after 17, a thin tail outside the usual opening hours.
DEFAULT_HOUR_WEIGHTS: tuple[float, ...] = arrival.hour_weights()
# Monday is the busiest day; Friday quieter; the weekend (if open at all) quiet.
DEFAULT_WEEKDAY_WEIGHTS: tuple[float, ...] = arrival.weekday_factors(weekend=True)


# ---------------------------------------------------------------------------------------------------- calendar
# The closed days (`is_closed_day`) are `samvirke.core.lib.hours`'s.


def is_after_holiday(day: dt.date, weekday_open: Sequence[bool]) -> bool:
    """The first opening day after one or more holidays that fell on regular opening days."""
    if not weekday_open[day.weekday()] or is_closed_day(day):
        return False
    previous = day - dt.timedelta(days=1)
    for _ in range(7):
        if weekday_open[previous.weekday()]:
            return is_closed_day(previous)
        previous -= dt.timedelta(days=1)
    return False


def open_fractions(hours: HoursLike) -> FloatArray:
    """(7, 48): the open part (0–1) of each weekday's half-hour intervals."""
    week = hours.week if isinstance(hours, OpeningHours) else hours
    fractions = np.zeros((7, SLOTS_PER_DAY))
    slot_starts = np.arange(SLOTS_PER_DAY) * SLOT_MINUTES
    spans = 0
    for weekday, day_spans in week.items():
        if weekday not in range(7):
            raise ValueError(f"Ugyldig ugedag i åbningstiderne: {weekday!r} (0 = mandag … 6 = søndag).")
        for start, end in day_spans:
            begin, finish = minutes_of_day(start), minutes_of_day(end)
            if finish <= begin:
                raise ValueError(f"Sluttiden skal ligge efter starttiden i åbningstiderne: {start:%H.%M}–{end:%H.%M}.")
            overlap = np.minimum(slot_starts + SLOT_MINUTES, finish) - np.maximum(slot_starts, begin)
            fractions[weekday] += np.clip(overlap, 0, None) / SLOT_MINUTES
            spans += 1
    if spans == 0:
        raise ValueError("Åbningstiderne indeholder ingen tidsrum – hotlinen ville aldrig have åbent.")
    return np.minimum(fractions, 1.0)


def _days(start: dt.date, count: int) -> list[dt.date]:
    return [start + dt.timedelta(days=offset) for offset in range(count)]


# ----------------------------------------------------------------------------------------------------- profile


@dataclass(frozen=True, eq=False)
class Profile:
    """`shares[weekday, interval]`: the share of a normal week's contacts in that half-hour (sums to 1)."""

    shares: FloatArray

    def __post_init__(self) -> None:
        shares = np.asarray(self.shares, dtype=np.float64)
        if shares.shape != (7, SLOTS_PER_DAY):
            raise ValueError(f"En profil skal have 7 × {SLOTS_PER_DAY} halvtimer, ikke {shares.shape}.")
        if not np.all(np.isfinite(shares)) or np.any(shares < 0):
            raise ValueError("En profil kan ikke have negative andele.")
        if not math.isclose(float(shares.sum()), 1.0, rel_tol=1e-6):
            raise ValueError("En profils andele skal summe til 1 (brug Profile.from_array).")
        object.__setattr__(self, "shares", shares)

    @classmethod
    def from_array(cls, weights: npt.ArrayLike) -> Profile:
        """Any non-negative (7, 48) weights, normalised to shares."""
        array = np.asarray(weights, dtype=np.float64)
        if array.shape != (7, SLOTS_PER_DAY):
            raise ValueError(f"En profil skal have 7 × {SLOTS_PER_DAY} halvtimer, ikke {array.shape}.")
        if not np.all(np.isfinite(array)) or np.any(array < 0):
            raise ValueError("En profil kan ikke have negative vægte.")
        total = float(array.sum())
        if total <= 0:
            raise ValueError("En profil skal have mindst én halvtime med henvendelser.")
        return cls(array / total)

    @classmethod
    def from_weights(cls, weekday_weights: Sequence[float], hour_weights: Sequence[float]) -> Profile:
        """A weekday factor (7) times a time-of-day shape: 24 hourly or 48 half-hourly weights."""
        if len(weekday_weights) != 7:
            raise ValueError("Der skal være en vægt for hver af ugens 7 dage.")
        if len(hour_weights) not in (24, SLOTS_PER_DAY):
            raise ValueError("Døgnprofilen skal have 24 timevægte eller 48 halvtimevægte.")
        day_shape = np.asarray(hour_weights, dtype=np.float64)
        if len(day_shape) == 24:
            day_shape = np.repeat(day_shape, 2)
        return cls.from_array(np.outer(np.asarray(weekday_weights, dtype=np.float64), day_shape))

    @classmethod
    def default(cls) -> Profile:
        """A Danish municipal hotline: Monday busiest, morning peak 9–11, quieter afternoons and evenings."""
        return cls.from_weights(DEFAULT_WEEKDAY_WEIGHTS, DEFAULT_HOUR_WEIGHTS)

    def weekday_shares(self) -> FloatArray:
        """(7,): each weekday's share of the week."""
        shares: FloatArray = self.shares.sum(axis=1)
        return shares

    def within(self, hours: HoursLike) -> Profile:
        """The profile restricted to the opening hours and renormalised."""
        return Profile.from_array(self.shares * open_fractions(hours))


# ----------------------------------------------------------------------------------------------------- history


@dataclass(frozen=True, eq=False)
class History:
    """Contacts per local day and half-hour: `counts[day, interval]`, day 0 = `start`."""

    start: dt.date
    counts: FloatArray

    def __post_init__(self) -> None:
        counts = np.asarray(self.counts, dtype=np.float64)
        if counts.ndim != 2 or counts.shape[1] != SLOTS_PER_DAY:
            raise ValueError(f"Historikken skal have {SLOTS_PER_DAY} halvtimer pr. dag.")
        if not np.all(np.isfinite(counts)):
            raise ValueError("Historikken indeholder ugyldige tal.")
        if np.any(counts < 0):
            raise ValueError("Antallet af henvendelser kan ikke være negativt.")
        object.__setattr__(self, "counts", counts)

    @property
    def days(self) -> int:
        return int(self.counts.shape[0])

    @property
    def end(self) -> dt.date:
        """The day after the last day (exclusive)."""
        return self.start + dt.timedelta(days=self.days)

    def split(self, days: int) -> tuple[History, History]:
        """The first `days` days and the rest."""
        return (
            History(self.start, self.counts[:days]),
            History(self.start + dt.timedelta(days=days), self.counts[days:]),
        )


def _bin(stamps: list[float], weights: FloatArray | None, start: dt.date | None, end: dt.date | None) -> History:
    """Epoch seconds → local day and half-hour (vectorised; the UTC offset is constant within a UTC hour)."""
    if not stamps and (start is None or end is None):
        raise ValueError("Historikken er tom: angiv start og slut, eller giv mindst én henvendelse.")
    seconds = np.asarray(stamps, dtype=np.float64)
    utc_hours, inverse = np.unique(np.floor(seconds / 3600).astype(np.int64), return_inverse=True)
    offsets = np.array(
        [_utc_offset_seconds(int(hour) * 3600) for hour in utc_hours.tolist()], dtype=np.float64
    ).reshape(-1)
    local = seconds + (offsets[inverse] if len(seconds) else 0.0)
    epoch_day = np.floor(local / 86400).astype(np.int64)
    slot = ((local - epoch_day * 86400) // (SLOT_MINUTES * 60)).astype(np.int64)
    epoch = dt.date(1970, 1, 1)
    first = start or epoch + dt.timedelta(days=int(epoch_day.min()))
    last = end or epoch + dt.timedelta(days=int(epoch_day.max()) + 1)
    if last <= first:
        raise ValueError("Historikkens slutdato skal ligge efter startdatoen.")
    days = (last - first).days
    index = epoch_day - (first - epoch).days
    inside = (index >= 0) & (index < days)
    flat = index[inside] * SLOTS_PER_DAY + slot[inside]
    counts = np.bincount(flat, weights=None if weights is None else weights[inside], minlength=days * SLOTS_PER_DAY)
    return History(first, counts.astype(np.float64).reshape(days, SLOTS_PER_DAY))


def _utc_offset_seconds(epoch_seconds: int) -> float:
    offset = dt.datetime.fromtimestamp(epoch_seconds, LOCAL).utcoffset()
    return offset.total_seconds() if offset is not None else 0.0


def _timestamp(moment: dt.datetime) -> float:
    if moment.tzinfo is None:
        raise ValueError(f"Tidspunktet {moment:%Y-%m-%d %H:%M} mangler tidszone (brug aware datetimes).")
    return moment.timestamp()


def history_from_arrivals(
    arrivals: Iterable[dt.datetime], start: dt.date | None = None, end: dt.date | None = None
) -> History:
    """Count arrival times (aware) per local half-hour. `start`/`end` (end exclusive) default to the first
    and last arrival's day; give them so that quiet days at either end count as zero, not as missing."""
    return _bin([_timestamp(moment) for moment in arrivals], None, start, end)


def history_from_counts(
    counts: Mapping[dt.datetime, float] | Iterable[tuple[dt.datetime, float]],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> History:
    """Pre-aggregated contacts per half-hour interval, keyed by the interval's (aware) start time."""
    pairs = list(counts.items()) if isinstance(counts, Mapping) else list(counts)
    values = np.asarray([float(value) for _moment, value in pairs], dtype=np.float64)
    if np.any(~np.isfinite(values)) or np.any(values < 0):
        raise ValueError("Antallet af henvendelser kan ikke være negativt.")
    return _bin([_timestamp(moment) for moment, _value in pairs], values, start, end)


# ------------------------------------------------------------------------------------------------------- model


@dataclass(frozen=True)
class ForecastSettings:
    """`trend_window_weeks`: the recent weeks the level and trend are fitted on. `profile_window_weeks`: the
    recent weeks the profile is estimated from. `damping` (0–1]: the trend's weekly damping factor (1 = a
    straight line). `after_holiday_uplift`: extra share on the first opening day after a holiday (0.1 = +10 %)."""

    trend_window_weeks: int = 26
    profile_window_weeks: int = 52
    damping: float = 0.98
    after_holiday_uplift: float = 0.1

    def __post_init__(self) -> None:
        if self.trend_window_weeks < 1 or self.profile_window_weeks < 1:
            raise ValueError("Vinduerne for trend og profil skal være mindst én uge.")
        if not 0 < self.damping <= 1:
            raise ValueError("Dæmpningen af trenden skal ligge mellem 0 (udelukket) og 1.")
        if not self.after_holiday_uplift >= 0:
            raise ValueError("Tillægget efter helligdage kan ikke være negativt.")


@dataclass(frozen=True, eq=False)
class ForecastModel:
    """A fitted model: `level` contacts in a normal full week (all 7 × 48 intervals of the profile) at `origin`,
    changing by `trend_per_week` a week (damped by `damping` beyond `origin`)."""

    profile: Profile
    level: float
    trend_per_week: float
    origin: dt.date
    settings: ForecastSettings

    def weekly_level(self, day: dt.date) -> float:
        """The weekly level at the middle of `day`."""
        weeks = ((day - self.origin).days + 0.5) / 7
        if weeks > 0 and self.settings.damping < 1:
            phi = self.settings.damping
            weeks = (1 - phi**weeks) / -math.log(phi)
        return max(0.0, self.level + self.trend_per_week * weeks)

    def forecast(self, hours: HoursLike, weeks: int, start: dt.date | None = None) -> Forecast:
        """Contacts per half-hour for `weeks` weeks from `start` (default: the day after the history)."""
        first = self.origin if start is None else start
        days = _horizon_days(weeks)
        levels = np.array([self.weekly_level(day) for day in _days(first, days)])
        counts = _spread(first, levels, open_fractions(hours), self.profile, self.settings.after_holiday_uplift)
        return Forecast(first, counts, self)


def _horizon_days(weeks: int) -> int:
    if weeks <= 0:
        raise ValueError(f"Prognoseperioden skal være mindst én uge (fik {weeks}).")
    return int(weeks) * 7


def _spread(start: dt.date, levels: FloatArray, fractions: FloatArray, profile: Profile, uplift: float) -> FloatArray:
    """levels[day] × profile within the opening hours; holidays zero, the day after a holiday uplifted."""
    weekday_open = [bool(row.sum() > 0) for row in fractions]
    counts = np.zeros((len(levels), SLOTS_PER_DAY))
    for index, day in enumerate(_days(start, len(levels))):
        weekday = day.weekday()
        if not weekday_open[weekday] or is_closed_day(day):
            continue
        factor = levels[index] * (1 + uplift if is_after_holiday(day, weekday_open) else 1)
        counts[index] = factor * profile.shares[weekday] * fractions[weekday]
    return counts


def fit_model(history: History, hours: HoursLike, settings: ForecastSettings | None = None) -> ForecastModel:
    """Estimate the profile, the weekly level and its trend from `history` (at least two weeks)."""
    settings = settings or ForecastSettings()
    if history.days < MIN_HISTORY_WEEKS * 7:
        raise ValueError(
            f"Historikken er for kort: der kræves mindst {MIN_HISTORY_WEEKS} uger ({MIN_HISTORY_WEEKS * 7} dage), "
            f"men der er {history.days} dage."
        )
    fractions = open_fractions(hours)
    weekday_open = [bool(row.sum() > 0) for row in fractions]
    dates = _days(history.start, history.days)
    weekdays = np.array([day.weekday() for day in dates])
    ordinary = np.array([not is_closed_day(day) and not is_after_holiday(day, weekday_open) for day in dates])
    block = (history.days - 1 - np.arange(history.days)) // 7  # 0 = the last 7 days, counted backwards
    in_profile_window = ordinary & (block < settings.profile_window_weeks)

    # Pass 1: the average day per weekday; pass 2: the same as a ratio to the weekly level (removes the trend).
    profile = _profile_from_days(history.counts, weekdays, in_profile_window, np.ones(history.days), fractions)
    levels, weights, centres = _block_levels(history.counts, weekdays, ordinary, block, profile)
    day_level = np.where(weights > 0, levels, np.nan)[block]
    day_level = np.where(np.isfinite(day_level), day_level, np.nanmean(levels) if np.any(weights > 0) else 1.0)
    profile = _profile_from_days(history.counts, weekdays, in_profile_window & (day_level > 0), day_level, fractions)
    levels, weights, centres = _block_levels(history.counts, weekdays, ordinary, block, profile)

    # Weekly levels → a robust straight line over the recent weeks, anchored at the end of the history.
    end = history.days / 7
    recent = (weights > 0) & (centres >= end - settings.trend_window_weeks)
    level, trend = _robust_line(centres[recent] - end, levels[recent], weights[recent])
    return ForecastModel(profile, level, trend, history.end, settings)


def _profile_from_days(
    counts: FloatArray,
    weekdays: npt.NDArray[np.int64],
    use: npt.NDArray[np.bool_],
    day_level: FloatArray,
    fractions: FloatArray,
) -> Profile:
    rows = np.zeros((7, SLOTS_PER_DAY))
    have = np.zeros(7, dtype=bool)
    for weekday in range(7):
        chosen = use & (weekdays == weekday)
        if chosen.any():
            rows[weekday] = counts[chosen].sum(axis=0) / day_level[chosen].sum()
            have[weekday] = True
    if not have.all() and have.any():
        # A weekday seen only on holidays (a short history over Christmas): borrow the default weekday factor
        # (within the opening hours) and the time-of-day shape of the weekdays seen.
        default = Profile.from_array(Profile.default().shares * fractions)
        seen_share = rows[have].sum() / default.weekday_shares()[have].sum()
        seen_shape = rows[have].sum(axis=0)
        for missing in np.flatnonzero(~have).tolist():
            if seen_shape.sum() > 0:
                shape = seen_shape / seen_shape.sum()
            else:
                shape = default.shares[missing] / default.shares[missing].sum()
            rows[missing] = shape * default.weekday_shares()[missing] * seen_share
    if rows.sum() <= 0:
        return Profile.default()
    return Profile.from_array(rows)


def _block_levels(
    counts: FloatArray,
    weekdays: npt.NDArray[np.int64],
    ordinary: npt.NDArray[np.bool_],
    block: npt.NDArray[np.int64],
    profile: Profile,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per 7-day block: weekly level, weight (the share of a normal week seen on ordinary days), centre (weeks)."""
    blocks = int(block.max()) + 1
    day_share = np.where(ordinary, profile.weekday_shares()[weekdays], 0.0)
    day_total = np.where(ordinary, counts.sum(axis=1), 0.0)

    def per_block(values: FloatArray) -> FloatArray:
        return np.bincount(block, weights=values, minlength=blocks).astype(np.float64)

    weights = per_block(day_share)
    totals = per_block(day_total)
    ordinary_days = per_block(ordinary.astype(np.float64))
    centre_sums = per_block(np.where(ordinary, np.arange(len(block)) + 0.5, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        levels: FloatArray = np.where(weights > 0, totals / weights, 0.0)
        centres: FloatArray = np.where(ordinary_days > 0, centre_sums / ordinary_days, 0.0) / 7
    return levels, weights, centres


def _robust_line(x: FloatArray, y: FloatArray, weights: FloatArray) -> tuple[float, float]:
    """Weighted least squares y = a + b·x with Huber reweighting; (a, b). Fewer than 3 points: no trend."""
    if len(x) == 0:
        return 0.0, 0.0
    if len(x) < 3:
        return float(np.average(y, weights=weights)), 0.0
    current = weights.copy()
    intercept, slope = 0.0, 0.0
    for _ in range(10):
        design = np.column_stack([np.ones_like(x), x]) * np.sqrt(current)[:, None]
        solution, *_rest = np.linalg.lstsq(design, y * np.sqrt(current), rcond=None)
        intercept, slope = float(solution[0]), float(solution[1])
        residuals = y - (intercept + slope * x)
        scale = 1.4826 * float(np.median(np.abs(residuals - np.median(residuals))))
        if scale <= 1e-9:
            break
        cutoff = 1.345 * scale
        robust = np.minimum(1.0, cutoff / np.maximum(np.abs(residuals), 1e-12))
        current = weights * robust
    return intercept, slope


# ---------------------------------------------------------------------------------------------------- forecast


@dataclass(frozen=True, eq=False)
class Forecast:
    """Expected contacts per local day and half-hour: `counts[day, interval]`, day 0 = `start`."""

    start: dt.date
    counts: FloatArray
    model: ForecastModel | None = None

    @property
    def days(self) -> int:
        return int(self.counts.shape[0])

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days)

    def total(self) -> float:
        return float(self.counts.sum())

    def daily_totals(self) -> list[tuple[dt.date, float]]:
        return list(zip(_days(self.start, self.days), self.counts.sum(axis=1).tolist(), strict=True))

    def weekly_totals(self) -> list[tuple[dt.date, float]]:
        """Per 7-day block from `start` (the block's first day)."""
        sums = self.counts.sum(axis=1)
        return [
            (self.start + dt.timedelta(days=first), float(sums[first : first + 7].sum()))
            for first in range(0, self.days, 7)
        ]

    def intervals(self) -> list[tuple[dt.datetime, float]]:
        """(local start time, expected contacts) for every interval with a forecast above zero."""
        result = []
        for day_index, slot in zip(*np.nonzero(self.counts), strict=True):
            day = self.start + dt.timedelta(days=int(day_index))
            moment = dt.datetime.combine(day, dt.time(int(slot) // 2, (int(slot) % 2) * SLOT_MINUTES), tzinfo=LOCAL)
            result.append((moment, float(self.counts[day_index, slot])))
        return result

    def at(self, moment: dt.datetime) -> float:
        """The forecast for the half-hour containing `moment` (aware), or 0 outside the period."""
        local = dt.datetime.fromtimestamp(_timestamp(moment), LOCAL)
        index = (local.date() - self.start).days
        if not 0 <= index < self.days:
            return 0.0
        return float(self.counts[index, (local.hour * 60 + local.minute) // SLOT_MINUTES])


def forecast(
    history: History,
    hours: HoursLike,
    weeks: int,
    start: dt.date | None = None,
    settings: ForecastSettings | None = None,
) -> Forecast:
    """Fit on `history` and forecast `weeks` weeks from `start` (default: the day after the history)."""
    _horizon_days(weeks)
    return fit_model(history, hours, settings).forecast(hours, weeks, start)


def forecast_from_volume(
    yearly_volume: float,
    hours: HoursLike,
    start: dt.date,
    weeks: int,
    profile: Profile | None = None,
    after_holiday_uplift: float = 0.1,
) -> Forecast:
    """Without history: spread `yearly_volume` contacts over the profile within the opening hours, holidays
    closed, so that the year from `start` (to the same date next year) sums to `yearly_volume`."""
    if not math.isfinite(yearly_volume) or yearly_volume < 0:
        raise ValueError(f"Årsvolumen kan ikke være negativ (fik {yearly_volume}).")
    days = _horizon_days(weeks)
    settings = ForecastSettings(after_holiday_uplift=after_holiday_uplift)
    profile = profile or Profile.default()
    fractions = open_fractions(hours)
    year_days = (_same_day_next_year(start) - start).days
    span = max(days, year_days)
    unit = _spread(start, np.ones(span), fractions, profile, after_holiday_uplift)
    per_year = float(unit[:year_days].sum())
    if per_year <= 0:
        raise ValueError("Profilen har ingen henvendelser inden for åbningstiderne.")
    level = yearly_volume / per_year
    model = ForecastModel(profile, level, 0.0, start, settings)
    return Forecast(start, unit[:days] * level, model)


def _same_day_next_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28) + dt.timedelta(days=1)


# -------------------------------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class ForecastEvaluation:
    """Errors of a forecast against what happened. Intervals compared: those open by the opening hours on
    non-holidays plus any with actual contacts; days: those containing such an interval. WAPE = Σ|error| ÷
    Σ actual; `bias` = Σ(forecast − actual) ÷ Σ actual (positive: over-forecast); `mean_error` = the same per
    interval in contacts. Ratios are NaN when there were no actual contacts."""

    holdout_weeks: int
    intervals: int
    days: int
    actual_total: float
    forecast_total: float
    mae_interval: float
    wape_interval: float
    mae_day: float
    wape_day: float
    bias: float
    mean_error: float


def compare(prediction: Forecast, actual: History, hours: HoursLike) -> ForecastEvaluation:
    """Error measures of `prediction` against `actual` over the days they share."""
    first = max(prediction.start, actual.start)
    last = min(prediction.end, actual.end)
    if last <= first:
        raise ValueError("Prognosen og historikken har ingen dage til fælles.")
    predicted = prediction.counts[(first - prediction.start).days : (last - prediction.start).days]
    observed = actual.counts[(first - actual.start).days : (last - actual.start).days]
    fractions = open_fractions(hours)
    dates = _days(first, (last - first).days)
    open_mask = np.array([fractions[day.weekday()] * (not is_closed_day(day)) > 0 for day in dates])
    mask = open_mask | (observed > 0)
    used_days = mask.any(axis=1)
    error = np.where(mask, predicted - observed, 0.0)
    day_error = error.sum(axis=1)[used_days]
    actual_total = float(np.where(mask, observed, 0.0).sum())
    intervals = int(mask.sum())
    days = int(used_days.sum())

    def ratio(value: float) -> float:
        return value / actual_total if actual_total > 0 else math.nan

    abs_interval = float(np.abs(error).sum())
    abs_day = float(np.abs(day_error).sum())
    signed = float(error.sum())
    return ForecastEvaluation(
        holdout_weeks=(last - first).days // 7,
        intervals=intervals,
        days=days,
        actual_total=actual_total,
        forecast_total=float(np.where(mask, predicted, 0.0).sum()),
        mae_interval=abs_interval / intervals if intervals else math.nan,
        wape_interval=ratio(abs_interval),
        mae_day=abs_day / days if days else math.nan,
        wape_day=ratio(abs_day),
        bias=ratio(signed),
        mean_error=signed / intervals if intervals else math.nan,
    )


def evaluate_holdout(
    history: History, hours: HoursLike, holdout_weeks: int = 4, settings: ForecastSettings | None = None
) -> ForecastEvaluation:
    """Hold out the last `holdout_weeks` weeks, forecast them from the rest, and measure the errors."""
    if holdout_weeks <= 0:
        raise ValueError(f"Der skal holdes mindst én uge ude til evalueringen (fik {holdout_weeks}).")
    needed = (MIN_HISTORY_WEEKS + holdout_weeks) * 7
    if history.days < needed:
        raise ValueError(
            f"Historikken er for kort til at holde {holdout_weeks} uger ude: der kræves mindst {needed} dage "
            f"({MIN_HISTORY_WEEKS} ugers grundlag + {holdout_weeks} ugers test), men der er {history.days} dage."
        )
    train, test = history.split(history.days - holdout_weeks * 7)
    predicted = fit_model(train, hours, settings).forecast(hours, holdout_weeks, test.start)
    return compare(predicted, test, hours)

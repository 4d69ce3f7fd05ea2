"""The volumes chart on a landsdel's telemedicine page, as SVG geometry the template draws: per year a group of
bars (calls and trips per month) and the citizens in the programme as a second panel. Like economy's bar chart
(samvirke/economy/lib/chart.py) every bar's length is its value as a share of the largest in its panel, so bars
of one panel compare; economy's helper takes the hotline's economy rows, so the proportion is computed here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from samvirke.telecare.lib.volumes import YearVolume

WIDTH = 640
PANEL_HEIGHT = 160
TOP = 24
LEFT = 48
GAP = 40  # between the panels


@dataclass(frozen=True)
class SvgBar:
    series: str  # "citizens", "calls", "trips"
    label: str  # the year's label
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class SvgLabel:
    text: str
    x: float
    y: float


@dataclass(frozen=True)
class VolumeChart:
    width: int
    height: int
    bars: tuple[SvgBar, ...]
    year_labels: tuple[SvgLabel, ...]
    axis_labels: tuple[SvgLabel, ...]
    baselines: tuple[float, ...]


def _height(value: int, largest: int) -> float:
    return float(Fraction(value, largest) * PANEL_HEIGHT) if largest > 0 else 0.0


def volume_chart(volumes: Sequence[YearVolume], labels: Sequence[str]) -> VolumeChart:
    """Two panels over the same years: citizens in the programme (top), calls and trips per month (bottom)."""
    if len(labels) != len(volumes):
        raise ValueError("one label per year")
    slot = (WIDTH - LEFT - 8) / max(len(volumes), 1)
    bar = slot / 3
    top_base = TOP + PANEL_HEIGHT
    bottom_base = top_base + GAP + PANEL_HEIGHT
    most_citizens = max((v.citizens for v in volumes), default=0)
    most_per_month = max((max(v.calls_per_month, v.trips_per_month) for v in volumes), default=0)
    bars: list[SvgBar] = []
    year_labels: list[SvgLabel] = []
    for index, (volume, label) in enumerate(zip(volumes, labels, strict=True)):
        x0 = LEFT + index * slot
        height = _height(volume.citizens, most_citizens)
        bars.append(SvgBar("citizens", label, volume.citizens, x0 + bar, top_base - height, bar, height))
        for offset, series, value in ((0.5, "calls", volume.calls_per_month), (1.5, "trips", volume.trips_per_month)):
            height = _height(value, most_per_month)
            bars.append(SvgBar(series, label, value, x0 + offset * bar, bottom_base - height, bar, height))
        year_labels.append(SvgLabel(label, x0 + slot / 2, bottom_base + 16))
    axis_labels = (
        SvgLabel("Borgere i programmet", LEFT, TOP - 8),
        SvgLabel("Opkald og kørsler pr. måned", LEFT, top_base + GAP - 8),
    )
    return VolumeChart(
        width=WIDTH,
        height=bottom_base + 24,
        bars=tuple(bars),
        year_labels=tuple(year_labels),
        axis_labels=axis_labels,
        baselines=(top_base, bottom_base),
    )

"""Every printed cell of seed 003's volume tables (samvirke/telecare/data/volumes.json), recomputed from the N
series alone; the seed's whole-country anomaly listed, not hidden (docs/models/telecare.md)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from samvirke.telecare.lib.seed_volumes import (
    DATA_FILE,
    LANDSDEL_KEYS,
    NEAREST_10,
    PrintedRow,
    computed_cells,
    printed_rows,
    region_codes,
    seed_anomalies,
    seed_series,
    series_info,
)
from samvirke.telecare.lib.volumes import year_volumes

ROWS = printed_rows()


def row_id(row: PrintedRow) -> str:
    part = "B" if row.part == "bilag_b" else "kap2"
    return f"{part}-T{row.table}-l{row.line}-{row.series}-{row.quantity}-{row.scenario}"


def is_the_whole_country_anomaly(row: PrintedRow) -> bool:
    return row.series == "landet" and row.quantity == "trips_per_month"


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_every_printed_cell_from_the_citizens_series_alone(row):
    computed = computed_cells(row)
    if is_the_whole_country_anomaly(row):
        # Chapter 2, Tabel 7 (l. 1028): no cell matches our formula; every cell matches with new rounded to 10.
        assert all(c != p for c, p in zip(computed, row.values, strict=True))
        assert computed_cells(row, new_step=10) == row.values
    else:
        assert computed == row.values


def test_the_seed_anomalies_are_exactly_the_whole_country_trips():
    anomalies = seed_anomalies()
    assert [(a.label, a.series, a.quantity, a.scenario, a.year) for a in anomalies] == [
        ("seed 003, Tabel 7 (l. 1028)", "landet", "trips_per_month", "base", year) for year in range(1, 6)
    ]
    assert [a.printed for a in anomalies] == [134, 534, 708, 692, 500]
    assert [a.computed for a in anomalies] == [136, 537, 710, 689, 497]
    assert [a.alternative for a in anomalies] == [134, 534, 708, 692, 500]
    assert {a.explanation for a in anomalies} == {NEAREST_10}


def test_the_whole_country_calls_do_match():
    # Only the trips are off: the calls (Tabel 4, l. 933) need no new citizens.
    assert [v.calls_per_month for v in year_volumes(seed_series()["landet"])] == [91, 423, 764, 979, 996]


# --- the data file itself: complete, consistent, and where the seed prints it ----------------------------------------


def test_the_series_and_region_codes():
    assert seed_series() == {
        "hovedstaden": [310, 1420, 2580, 3290, 3350],
        "sjaelland": [170, 780, 1410, 1800, 1850],
        "syddanmark": [260, 1190, 2160, 2760, 2800],
        "midtjylland": [240, 1100, 2000, 2550, 2600],
        "nordjylland": [130, 600, 1080, 1380, 1400],
        "landet": [1100, 5100, 9200, 11800, 12000],
        "gennemsnitskommune": [10, 50, 95, 120, 122],
    }
    assert region_codes() == {
        "hovedstaden": 1084,
        "sjaelland": 1085,
        "syddanmark": 1083,
        "midtjylland": 1082,
        "nordjylland": 1081,
    }
    assert series_info()["sjaelland"].name == "Landsdel Sjælland"


def test_every_table_is_there():
    main = {row.table for row in ROWS if row.part == "main"}
    assert main == set(range(1, 10))
    appendix = {row.table for row in ROWS if row.part == "bilag_b"}
    # each landsdel's six volume tables; the appendix numbers on (Sjælland 9–14 …), two cost tables between
    assert appendix == {first + k for first in (1, 9, 17, 25, 33) for k in range(6)}
    for key, first in zip(LANDSDEL_KEYS, (1, 9, 17, 25, 33), strict=True):
        tables = {row.table for row in ROWS if row.part == "bilag_b" and row.series == key}
        assert tables == set(range(first, first + 6)), key
    cells = sum(len(row.values) for row in ROWS)
    # chapter 2: 3 × 2 × 5 + 3 × 5 × 5 + 3 × 5 × 2; Bilag B per landsdel: 5 + 5 + 2 + 5 + 2 + 5 + 2
    assert cells == 30 + 75 + 30 + 5 * 26


def test_the_series_appear_printed_where_the_data_file_says():
    for key, info in series_info().items():
        printed = [
            row
            for row in ROWS
            if row.series == key and row.quantity == "citizens" and row.scenario == "base" and len(row.years) == 5
        ]
        assert printed, key
        assert all(list(row.values) == seed_series()[key] for row in printed), key
        assert any(row.line == info.line and f"Tabel {row.table}" == info.table for row in printed), key


def test_a_cell_printed_twice_is_the_same_both_times():
    # Chapter 2 and Bilag B print the same figures: a wrong extraction in one of them shows up here.
    seen: dict[tuple[str, str, str, int], set[int]] = defaultdict(set)
    for row in ROWS:
        for year, value in zip(row.years, row.values, strict=True):
            seen[(row.series, row.quantity, row.scenario, year)].add(value)
    assert {key: values for key, values in seen.items() if len(values) > 1} == {}
    # and the landsdele are printed in both parts for every quantity they have in chapter 2
    for key in LANDSDEL_KEYS:
        parts = {row.part for row in ROWS if row.series == key and row.quantity == "trips_per_month"}
        assert parts == {"main", "bilag_b"}


def test_rows_are_well_formed():
    for row in ROWS:
        assert len(row.years) == len(row.values) > 0
        assert set(row.years) <= {1, 2, 3, 4, 5}
        assert row.quantity in {"citizens", "new_per_month", "calls_per_month", "trips_per_month"}
        assert row.scenario in {"base", "doubled"}
        assert row.series in seed_series()
        assert row.table_line <= row.line <= row.table_line + 40
        assert (row.part == "main") == (row.line < 2000)
    text = DATA_FILE.read_text(encoding="utf-8")
    assert "docs/sources.md#seed-003" in text
    assert "shared" not in text and "/work" not in text  # the repo stands on its own

"""Seed 003's national cost tables (Tabel 18, l. 4115; Tabel 19, l. 4224) and costs.py on inputs of our own."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samvirke.telecare.lib.costs import (
    LINE_ITEMS,
    CostInputError,
    CostYear,
    NationalTable,
    PrintedRow,
    PrintedSum,
    check_national,
    check_printed,
    check_tables_agree,
    cost_year,
    period_total,
    region_municipal_split,
    seed_cost_years,
)
from samvirke.telecare.lib.seed_costs import DATA_FILE, load_seed_costs, parse_seed_costs

D = Decimal


@pytest.fixture(scope="module")
def t18() -> NationalTable:
    return load_seed_costs().table_18


@pytest.fixture(scope="module")
def t19() -> NationalTable:
    return load_seed_costs().table_19


def column(table: NationalTable, key: str) -> list[str]:
    return ["-" if value is None else str(value) for value in table.row(key).values]


# --- the printed cells -------------------------------------------------------------------------------------------


def test_table_18_is_the_seeds_table_cell_by_cell(t18: NationalTable) -> None:
    assert (t18.number, t18.line) == (18, 4115)
    assert t18.columns == ("År 1", "År 2", "År 3", "År 4", "År 5", "Samlet (År 1-5)", "År n")
    assert column(t18, "etablering") == ["13.0", "7.0", "-", "-", "-", "20.0", "-"]
    assert column(t18, "udbud") == ["3.0", "-", "-", "-", "-", "3.0", "-"]
    assert column(t18, "projektledelse") == ["10.0", "7.0", "-", "-", "-", "17.0", "-"]
    assert column(t18, "drift") == ["18.2", "36.9", "43.7", "38.2", "31.6", "168.5", "41.5"]
    assert column(t18, "indkøb") == ["4.5", "15.9", "17.9", "13.1", "5.9", "57.3", "14.8"]
    assert column(t18, "logistik") == ["1.0", "4.0", "4.1", "2.7", "3.2", "15.0", "4.2"]
    assert column(t18, "service") == ["12.4", "12.7", "13", "13.2", "13.3", "64.6", "13.3"]
    assert column(t18, "support") == ["0.3", "1.2", "2.2", "2.7", "2.7", "9.1", "2.7"]
    assert column(t18, "styring") == ["0.0", "3.0", "6.5", "6.5", "6.5", "22.5", "6.5"]
    assert column(t18, "total") == ["31.2", "43.9", "43.7", "38.2", "31.6", "188.5", "41.5"]
    assert column(t18, "region") == ["20.3", "28.5", "28.4", "24.8", "20.5", "122.5", "27.0"]
    assert column(t18, "kommuner") == ["10.9", "15.4", "15.3", "13.4", "11.1", "66.0", "14.5"]


def test_table_19_has_every_sub_item_under_its_line_item(t19: NationalTable) -> None:
    assert (t19.number, t19.line) == (19, 4224)
    children = {key: [row.key for row in t19.rows if row.parent == key] for key in LINE_ITEMS}
    assert [len(children[key]) for key in LINE_ITEMS] == [9, 3, 3, 2, 1]
    assert column(t19, "indkøb.iltmåler") == ["1.7", "6", "6.2", "3.8", "-", "17.7", "-"]
    assert column(t19, "indkøb.udskiftning") == ["-", "-", "-", "-", "1.8", "1.8", "10.7"]
    assert column(t19, "service.drift") == ["8.6", "8.6", "8.6", "8.6", "8.6", "43", "8.6"]
    assert column(t19, "support.sundhedsprofessionelle") == ["0.2", "1", "1.8", "2.2", "2.2", "7.4", "2.2"]
    assert column(t19, "samlet") == ["18.2", "36.9", "43.7", "38.2", "31.6", "168.5", "41.5"]


def _sum(table: NationalTable, keys: list[str], index: int) -> Decimal:
    return sum((table.row(key).values[index] or D(0) for key in keys), D(0))


def test_every_cell_of_table_19_summed_against_its_printed_sum(t19: NationalTable) -> None:
    """Independently of check_printed: each line item = Σ its sub-items, the total = Σ line items, the period
    column = Σ År 1–5; the only misses are År 2's total (36.8 against 36.9) and the period total it carries."""
    misses: list[tuple[object, ...]] = []
    for index, name in enumerate(t19.columns):
        for key in LINE_ITEMS:
            parts = [row.key for row in t19.rows if row.parent == key]
            if _sum(t19, parts, index) != (t19.row(key).values[index] or D(0)):
                misses.append((key, name))
        if _sum(t19, list(LINE_ITEMS), index) != t19.row("samlet").values[index]:
            misses.append(("samlet", name, _sum(t19, list(LINE_ITEMS), index)))
    for row in t19.rows:
        years = sum((value or D(0) for value in row.values[:5]), D(0))
        if years != (row.values[5] or D(0)):
            misses.append((row.key, "Samlet (År 1-5)", years))
    assert misses == [("samlet", "År 2", D("36.8")), ("samlet", "Samlet (År 1-5)", D("168.6"))]


def test_every_cell_of_table_18_summed_against_its_printed_sum(t18: NationalTable) -> None:
    misses = []
    for index, name in enumerate(t18.columns):
        for total, parts in (
            ("etablering", ["udbud", "projektledelse"]),
            ("drift", list(LINE_ITEMS)),
            ("total", ["etablering", "drift"]),
            ("total", ["region", "kommuner"]),
        ):
            if _sum(t18, parts, index) != (t18.row(total).values[index] or D(0)):
                misses.append((total, name, _sum(t18, parts, index)))
    for row in t18.rows:
        years = sum((value or D(0) for value in row.values[:5]), D(0))
        if years != (row.values[5] or D(0)):
            misses.append((row.key, "Samlet (År 1-5)", years))
    assert misses == [
        ("drift", "År 2", D("36.8")),
        ("drift", "Samlet (År 1-5)", D("168.6")),
        ("total", "Samlet (År 1-5)", D("188.6")),
        ("kommuner", "Samlet (År 1-5)", D("66.1")),
    ]


def test_check_printed_lists_exactly_the_national_discrepancies() -> None:
    national = [d for d in check_printed(load_seed_costs()) if d.table in (18, 19)]
    assert [(d.kind, d.table, d.line, d.row, d.column, d.printed, d.computed) for d in national] == [
        ("sum", 18, 4132, "Driftsomkostninger", "År 2", D("36.9"), D("36.8")),
        ("period", 18, 4132, "Driftsomkostninger", "Samlet (År 1-5)", D("168.5"), D("168.6")),
        ("period", 18, 4144, "Total", "Samlet (År 1-5)", D("188.5"), D("188.6")),
        ("period", 18, 4148, "Heraf kommuner (35%)", "Samlet (År 1-5)", D("66.0"), D("66.1")),
        ("sum", 19, 4315, "Samlet", "År 2", D("36.9"), D("36.8")),
        ("period", 19, 4315, "Samlet", "Samlet (År 1-5)", D("168.5"), D("168.6")),
    ]
    assert national[0].difference == D("0.1")


def test_table_18s_65_35_rows_are_65_and_35_percent_of_the_total_rounded_half_up(t18: NationalTable) -> None:
    for index, name in enumerate(t18.columns):
        total = t18.row("total").values[index]
        assert total is not None
        region, municipalities = region_municipal_split(total, D("0.65"))
        assert (name, region, municipalities) == (
            name,
            t18.row("region").values[index],
            t18.row("kommuner").values[index],
        )


def test_table_19_repeats_table_18s_line_items(t18: NationalTable, t19: NationalTable) -> None:
    assert check_tables_agree(t18, t19) == []


def test_seed_cost_years_are_table_18_by_line_item(t18: NationalTable) -> None:
    years = seed_cost_years(t18)
    assert [year.label for year in years] == ["År 1", "År 2", "År 3", "År 4", "År 5", "År n"]
    assert years[0].establishment == {"udbud": D("3.0"), "projektledelse": D("10.0")}
    assert years[1].operations["indkøb"] == D("15.9")
    assert [year.total for year in years] == [D(x) for x in ("31.2", "43.8", "43.7", "38.2", "31.6", "41.5")]
    period = period_total(years[:5])
    assert period.operations_total == D("168.5")  # the line items' period sums add up to the printed 168.5 …
    assert period.total == D("188.5")  # … and with establishment to the printed 188.5
    assert period.operations == {
        "indkøb": D("57.3"),
        "logistik": D("15.0"),
        "service": D("64.6"),
        "support": D("9.1"),
        "styring": D("22.5"),
    }


# --- costs.py on inputs of our own ---------------------------------------------------------------------------------


def test_cost_year_totals() -> None:
    year = cost_year("År 1", {"udbud": D("2.5")}, {"indkøb": 4, "styring": D("1.25")})
    assert (year.establishment_total, year.operations_total, year.total) == (D("2.5"), D("5.25"), D("7.75"))
    assert CostYear("tom").total == 0


@pytest.mark.parametrize(
    ("establishment", "operations", "message"),
    [
        ({}, {"kaffe": D(1)}, "Ukendt driftspost: kaffe"),
        ({"indkøb": D(1)}, {}, "Ukendt etableringspost: indkøb"),
        ({}, {"service": D(-1)}, "må ikke være negativt"),
        ({}, {"service": 1.5}, "skal være et tal"),
        ({}, {"service": D("NaN")}, "endeligt"),
        ({}, {"service": True}, "skal være et tal"),
    ],
)
def test_cost_year_refuses_bad_input(
    establishment: dict[str, object], operations: dict[str, object], message: str
) -> None:
    with pytest.raises(CostInputError, match=message):
        cost_year("År 1", establishment, operations)


def test_cost_year_needs_a_label() -> None:
    with pytest.raises(CostInputError, match="betegnelse"):
        cost_year(" ", {}, {})


def test_region_municipal_split_on_our_own_amounts() -> None:
    assert region_municipal_split(D("100"), D("0.65")) == (D("65.0"), D("35.0"))
    assert region_municipal_split(D("0.5"), D("0.65"), places=2) == (D("0.33"), D("0.17"))  # 0.325 half up
    assert region_municipal_split(D("10"), D("0.8"), places=0) == (D("8"), D("2"))
    assert region_municipal_split(D("10"), D("0"), places=0) == (D("0"), D("10"))
    with pytest.raises(CostInputError, match="mellem 0 og 1"):
        region_municipal_split(D("10"), D("1.2"))


@given(
    amount=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    share=st.decimals(min_value=0, max_value=1, places=3, allow_nan=False, allow_infinity=False),
    places=st.integers(min_value=0, max_value=3),
)
def test_region_and_municipalities_always_add_up(amount: Decimal, share: Decimal, places: int) -> None:
    region, municipalities = region_municipal_split(amount, share, places)
    assert region + municipalities == amount
    assert abs(region - amount * share) <= D(1).scaleb(-places) / 2


def test_check_national_on_a_table_of_our_own() -> None:
    table = NationalTable(
        number=1,
        line=10,
        title="egen",
        unit="kr.",
        columns=("År 1", "År 2", "Samlet (År 1-5)"),
        rows=(
            PrintedRow("a", "A", 11, (D(1), D(2), D(3))),
            PrintedRow("b", "B", 12, (D(2), None, D(2))),
            PrintedRow("t", "T", 13, (D(3), D(3), D(6))),
        ),
        sums=(PrintedSum("t", ("a", "b")),),
        period_column="Samlet (År 1-5)",
    )
    found = check_national(table)
    assert [(d.kind, d.row, d.column, d.printed, d.computed) for d in found] == [
        ("sum", "T", "År 2", D(3), D(2)),
        ("sum", "T", "Samlet (År 1-5)", D(6), D(5)),
    ]


def test_the_loader_refuses_a_malformed_file() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    broken["landsdele"][0]["municipal"]["rows"][0]["values"].pop()
    with pytest.raises(ValueError, match="hovedstaden København: expected 6 values"):
        parse_seed_costs(broken)
    broken = copy.deepcopy(data)
    broken["national"]["table_18"]["rows"][0]["values"][0] = "13,0"
    with pytest.raises(ValueError, match="Tabel 18 etablering: not a number"):
        parse_seed_costs(broken)
    broken = copy.deepcopy(data)
    del broken["midtjylland_scenarios"]
    with pytest.raises(ValueError, match="missing or malformed field"):
        parse_seed_costs(broken)

"""The hotline fællesskab's fee and shift-hour model (samvirke.economy.lib.fees), against seed 000."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samvirke.economy.lib.fees import (
    EconomyInputError,
    EconomyParams,
    Member,
    compare_scenarios,
    comparison_to_json_dict,
    compute_economy,
    fees_by_budget,
    hours_for,
    parse_decimal,
    parse_members_csv,
    price_from_budget,
    round_half_up,
    to_json_dict,
)
from tests.economy.golden import GOLDEN

GOLDEN_TOTAL_POPULATION = 851868
GOLDEN_TOTAL_FEE_AT_1_25 = Decimal("1064835.00")
GOLDEN_TOTAL_FEE_AT_1_7375 = Decimal("1480120.65")
GOLDEN_TOTAL_HOURS_PER_YEAR = 6815
GOLDEN_TOTAL_HOURS_PER_WEEK = 142

SEED_MEMBERS = [Member(name, code, population) for name, code, population, *_ in GOLDEN]
PRICE_PROPOSAL = Decimal("1.25")
PRICE_2025 = Decimal("1.7375")


def economy(price: str | Decimal = PRICE_PROPOSAL, members=None, **params):
    return compute_economy(SEED_MEMBERS if members is None else members, EconomyParams(Decimal(price), **params))


def by_name(result):
    return {row.name: row for row in result.rows}


# --- the seed's tables ----------------------------------------------------------------------------


def test_fee_at_1_25_reproduces_the_seed_table():
    rows = by_name(economy(PRICE_PROPOSAL))
    for name, _code, _population, fee, *_ in GOLDEN:
        assert rows[name].fee == Decimal(fee), name


def test_fee_at_1_7375_reproduces_the_seed_table():
    rows = by_name(economy(PRICE_2025))
    for name, _code, _population, _fee, fee, *_ in GOLDEN:
        assert rows[name].fee == Decimal(fee), name


def test_hours_per_year_per_week_and_band_reproduce_the_seed_table():
    rows = by_name(economy())
    for name, _code, _population, _fee, _fee_2025, per_year, per_week, band_min, band_max in GOLDEN:
        row = rows[name]
        assert (row.hours_per_year, row.hours_per_week, row.band_min, row.band_max) == (
            per_year,
            per_week,
            band_min,
            band_max,
        ), name


def test_hours_do_not_depend_on_the_price():
    cheap, dear = economy(PRICE_PROPOSAL), economy(PRICE_2025)
    assert [(r.hours_per_year, r.hours_per_week) for r in cheap.rows] == [
        (r.hours_per_year, r.hours_per_week) for r in dear.rows
    ]


def test_totals_row_at_1_25_reproduces_the_seed():
    total = economy(PRICE_PROPOSAL).total
    assert total.population == GOLDEN_TOTAL_POPULATION
    assert total.fee == GOLDEN_TOTAL_FEE_AT_1_25 == GOLDEN_TOTAL_POPULATION * PRICE_PROPOSAL
    assert total.hours_per_year == GOLDEN_TOTAL_HOURS_PER_YEAR
    assert total.hours_per_week == GOLDEN_TOTAL_HOURS_PER_WEEK


def test_totals_row_at_1_7375_reproduces_the_seed():
    total = economy(PRICE_2025).total
    assert total.fee == GOLDEN_TOTAL_FEE_AT_1_7375 == GOLDEN_TOTAL_POPULATION * PRICE_2025
    assert total.hours_per_year == GOLDEN_TOTAL_HOURS_PER_YEAR
    assert total.hours_per_week == GOLDEN_TOTAL_HOURS_PER_WEEK


def test_total_fee_at_1_7375_is_the_population_times_price_not_the_sum_of_rounded_fees():
    # The seed prints 1,480,120.65; its seventeen rounded cells add up to 1,480,120.68.
    total = economy(PRICE_2025).total
    assert total.fee_sum_of_rows == Decimal("1480120.68")
    assert total.fee == Decimal("1480120.65")


def test_total_hours_per_year_come_from_the_total_population_not_the_sum_of_rounded_rows():
    # 6,815 = round(851,868 × 8 / 1000) is printed; the rounded rows add up to 6,814.
    total = economy().total
    assert total.hours_per_year_sum_of_rows == 6814
    assert total.hours_per_year == 6815


def test_total_hours_per_week_is_the_rounded_total_not_the_sum_of_rounded_weeks():
    result = economy()
    assert sum(row.hours_per_week for row in result.rows) == 141
    assert result.total.hours_per_week == 142


def test_holbaek_hours_are_valued_at_the_seeds_343_kr_per_hour():
    assert by_name(economy())["Holbæk"].hours_value == Decimal("202370.00")


def test_holbaek_590_hours_at_343_40_is_202_606_kr_within_one_krone_of_the_seeds_202_605():
    # Seed 000 says 590 hours → 202.605 kr.; 590 × 343.40 = 202,606.00, and no rate with two
    # decimals gives 202,605 exactly (343.39 gives 202,600.10). The rate is a setting with decimals.
    holbaek = by_name(economy(hourly_rate=Decimal("343.40")))["Holbæk"]
    assert holbaek.hours_per_year == 590
    assert holbaek.hours_value == Decimal("202606.00")
    assert abs(holbaek.hours_value - Decimal("202605")) <= 1


def test_hourly_rate_may_have_decimals_and_is_shown_in_the_json():
    data = to_json_dict(economy(hourly_rate="343,40"))
    assert data["params"]["hourly_rate"] == "343.40"
    assert to_json_dict(economy())["params"]["hourly_rate"] == "343.00"


def test_total_hours_value_is_total_hours_times_rate():
    total = economy().total
    assert total.hours_value == 6815 * Decimal(343)


def test_budget_of_the_2025_total_implies_1_7375_per_citizen():
    assert price_from_budget(GOLDEN_TOTAL_FEE_AT_1_7375, SEED_MEMBERS) == PRICE_2025


def test_budget_allocation_adds_up_to_the_budget_and_stays_within_an_ore_of_the_price_fees():
    by_budget = compute_economy(SEED_MEMBERS, EconomyParams(budget=GOLDEN_TOTAL_FEE_AT_1_7375))
    by_price = by_name(economy(PRICE_2025))
    assert sum(row.fee for row in by_budget.rows) == GOLDEN_TOTAL_FEE_AT_1_7375
    assert by_budget.total.fee == GOLDEN_TOTAL_FEE_AT_1_7375
    assert by_budget.price_per_citizen == PRICE_2025
    for row in by_budget.rows:
        assert abs(row.fee - by_price[row.name].fee) <= Decimal("0.01"), row.name


def test_budget_of_the_proposal_total_gives_exactly_the_fees_at_1_25():
    # At 1.25 every fee is a whole øre, so nothing is left over for the largest remainders.
    by_budget = compute_economy(SEED_MEMBERS, EconomyParams(budget=GOLDEN_TOTAL_FEE_AT_1_25))
    assert [row.fee for row in by_budget.rows] == [row.fee for row in economy(PRICE_PROPOSAL).rows]


def test_leftover_ore_go_to_the_largest_remainder_then_the_larger_population_then_the_lower_code():
    equal = [Member("A", 101, 1), Member("B", 102, 1), Member("C", 103, 1)]
    assert fees_by_budget(equal, Decimal("1.00")) == [Decimal("0.34"), Decimal("0.33"), Decimal("0.33")]
    unequal = [Member("Lille", 101, 1), Member("Stor", 102, 2)]
    # exact shares 0.3333… and 0.6666…: the leftover øre goes to the larger remainder (Stor)
    assert fees_by_budget(unequal, Decimal("1.00")) == [Decimal("0.33"), Decimal("0.67")]
    tie = [Member("Lille", 101, 1), Member("Stor", 102, 3)]
    # exact shares 0.005 and 0.015 øre-halves: equal remainders, the larger population wins
    assert fees_by_budget(tie, Decimal("0.02")) == [Decimal("0.00"), Decimal("0.02")]


# --- JSON shape (docs/cli.md, the stable command-line contract) -----------------------------------


def test_json_has_the_design_keys_with_money_as_strings_and_hours_as_ints():
    data = to_json_dict(economy())
    row = data["rows"][0]
    assert set(row) >= {
        "name",
        "kommunekode",
        "population",
        "fee",
        "hours_per_year",
        "hours_per_week",
        "band_min",
        "band_max",
        "hours_value",
    }
    assert row == {
        "name": "Greve",
        "kommunekode": 253,
        "population": 52157,
        "fee": "65196.25",
        "hours_per_year": 417,
        "hours_per_week": 9,
        "band_min": 6,
        "band_max": 11,
        "hours_value": "143031.00",
    }
    total = data["total"]
    assert {key: total[key] for key in ("population", "fee", "hours_per_year", "hours_per_week", "hours_value")} == {
        "population": 851868,
        "fee": "1064835.00",
        "hours_per_year": 6815,
        "hours_per_week": 142,
        "hours_value": "2337545.00",
    }


def test_json_money_always_has_two_decimals():
    data = to_json_dict(economy(PRICE_2025))
    assert data["total"]["fee"] == "1480120.65"
    assert {row["name"]: row["fee"] for row in data["rows"]}["Odsherred"] == "57045.60"
    assert all(row["fee"].split(".")[1].__len__() == 2 for row in data["rows"])


def test_json_params_show_a_price_implied_by_a_budget():
    data = to_json_dict(compute_economy(SEED_MEMBERS, EconomyParams(budget=Decimal("1480120.65"))))
    assert data["params"]["price_per_citizen"] == "1.7375"
    assert data["params"]["price_from_budget"] is True
    assert data["params"]["budget"] == "1480120.65"


# --- scenarios ------------------------------------------------------------------------------------


def test_comparing_all_17_at_1_25_with_2025_at_1_7375_shows_each_members_extra_fee():
    comparison = compare_scenarios(economy(PRICE_PROPOSAL), economy(PRICE_2025))
    greve = comparison.rows[0]
    assert (greve.name, greve.fee_a, greve.fee_b, greve.fee_difference) == (
        "Greve",
        Decimal("65196.25"),
        Decimal("90622.79"),
        Decimal("25426.54"),
    )
    assert greve.hours_per_year_difference == 0
    assert comparison.total.fee_difference == Decimal("415285.65")


def test_a_member_only_in_one_scenario_counts_as_zero_in_the_difference():
    fewer = [m for m in SEED_MEMBERS if m.name != "Greve"]
    comparison = compare_scenarios(economy(PRICE_PROPOSAL), economy(PRICE_2025, members=fewer))
    greve = comparison.rows[0]
    assert greve.fee_b is None and greve.hours_per_year_b is None
    assert greve.fee_difference == Decimal("-65196.25")
    assert greve.hours_per_year_difference == -417
    data = comparison_to_json_dict(comparison)
    assert data["rows"][0]["fee_b"] is None and data["rows"][0]["fee_difference"] == "-65196.25"


# --- inputs of our own ----------------------------------------------------------------------------


def test_a_single_small_member_gets_its_own_rounding():
    member = Member("Læsø", 825, 1775)
    result = compute_economy([member], EconomyParams(price_per_citizen=Decimal("1.25")))
    row = result.rows[0]
    # 1775 × 1.25 = 2218.75; 1775 × 8 / 1000 = 14.2 → 14 h; 14 / 48 = 0.29 → 0; band 0.20 → 0, 0.38 → 0
    assert (row.fee, row.hours_per_year, row.hours_per_week, row.band_min, row.band_max) == (
        Decimal("2218.75"),
        14,
        0,
        0,
        0,
    )


def test_half_ore_and_half_hours_round_up_not_to_even():
    one = EconomyParams(price_per_citizen=Decimal(1))
    # 0.025 kr. → 0.03 kr. (round() would give 0.02)
    assert compute_economy([Member("X", 101, 1)], EconomyParams(price_per_citizen=Decimal("0.025"))).rows[
        0
    ].fee == Decimal("0.03")
    # 1,000 × 2.5 / 1000 = 2.5 h → 3 h (round() would give 2)
    assert hours_for(1_000, EconomyParams(price_per_citizen=Decimal(1), hours_per_1000=Decimal("2.5")))[0] == 3
    # 3,000 × 8 / 1000 = 24 h a year; 24 / 48 = 0.5 h a week → 1 (round() would give 0)
    assert hours_for(3_000, one)[:2] == (24, 1)
    # just below a half stays down: 242,187 × 8 / 1000 = 1,937.496 → 1,937
    assert hours_for(242_187, one)[0] == 1937


def test_round_half_up_goes_away_from_zero_on_ties():
    assert round_half_up(Decimal("2.5")) == Decimal(3)
    assert round_half_up(Decimal("-2.5")) == Decimal(-3)
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_half_up(Decimal("1.005"), 2) == Decimal("1.01")


def test_other_settings_change_hours_and_band():
    params: dict[str, Any] = dict(hours_per_1000=Decimal(10), weeks=40, band=(Decimal("0.5"), Decimal("1.5")))
    holbaek = by_name(economy(**params))["Holbæk"]
    # 73,767 × 10 / 1000 = 737.67 → 738 h; 738 / 40 = 18.45 → 18; band 9.225 → 9, 27.675 → 28
    assert (holbaek.hours_per_year, holbaek.hours_per_week, holbaek.band_min, holbaek.band_max) == (738, 18, 9, 28)


def test_numbers_may_be_typed_with_a_danish_decimal_comma():
    assert parse_decimal("1,7375", "Prisen") == Decimal("1.7375")
    params = EconomyParams(price_per_citizen="1,25")  # type: ignore[arg-type]
    assert params.price_per_citizen == Decimal("1.25")


# --- property tests -------------------------------------------------------------------------------

member_lists = st.lists(
    st.tuples(st.integers(min_value=101, max_value=999), st.integers(min_value=1, max_value=2_000_000)),
    min_size=1,
    max_size=30,
    unique_by=lambda pair: pair[0],
).map(lambda pairs: [Member(f"Kommune {code}", code, population) for code, population in pairs])
budgets = st.integers(min_value=0, max_value=10**11).map(lambda ore: Decimal(ore).scaleb(-2))
prices = st.decimals(min_value=0, max_value=100, places=4, allow_nan=False, allow_infinity=False)


@given(member_lists, budgets)
def test_budget_allocation_sums_to_the_budget_to_the_ore(members, budget):
    result = compute_economy(members, EconomyParams(budget=budget))
    assert sum(row.fee for row in result.rows) == budget
    assert result.total.fee == budget
    assert all(row.fee >= 0 and row.fee == row.fee.quantize(Decimal("0.01")) for row in result.rows)


@given(member_lists, budgets)
def test_under_a_budget_a_larger_population_never_pays_less(members, budget):
    rows = compute_economy(members, EconomyParams(budget=budget)).rows
    for a in rows:
        for b in rows:
            if a.population > b.population:
                assert a.fee >= b.fee


@given(member_lists, budgets)
def test_each_budget_fee_is_within_one_ore_of_the_exact_share(members, budget):
    rows = compute_economy(members, EconomyParams(budget=budget)).rows
    total_population = sum(m.population for m in members)
    for row in rows:
        exact = budget * row.population / total_population
        assert abs(row.fee - exact) < Decimal("0.01")


@given(member_lists, prices)
def test_at_a_price_a_larger_population_never_pays_less_nor_works_fewer_hours(members, price):
    rows = compute_economy(members, EconomyParams(price_per_citizen=price)).rows
    for a in rows:
        for b in rows:
            if a.population > b.population:
                assert a.fee >= b.fee
                assert a.hours_per_year >= b.hours_per_year
                assert a.hours_per_week >= b.hours_per_week


@given(st.integers(min_value=1, max_value=2_000_000), prices, prices)
def test_fee_is_monotone_in_the_price(population, price_a, price_b):
    low, high = sorted((price_a, price_b))
    fee_low = compute_economy([Member("X", 101, population)], EconomyParams(price_per_citizen=low)).rows[0].fee
    fee_high = compute_economy([Member("X", 101, population)], EconomyParams(price_per_citizen=high)).rows[0].fee
    assert fee_low <= fee_high


@given(st.integers(min_value=1, max_value=2_000_000))
def test_band_holds_the_weekly_hours(population):
    per_year, per_week, band_min, band_max = hours_for(population, EconomyParams(price_per_citizen=Decimal(1)))
    assert band_min <= per_week <= band_max


# --- CSV ------------------------------------------------------------------------------------------


def seed_csv() -> str:
    return "name,kommunekode,population\n" + "".join(f"{n},{c},{p}\n" for n, c, p, *_ in GOLDEN)


def test_members_csv_of_the_seed_gives_the_seed_totals():
    members = parse_members_csv(seed_csv())
    assert members == SEED_MEMBERS
    assert compute_economy(members, EconomyParams(price_per_citizen=PRICE_2025)).total.fee == Decimal("1480120.65")


def test_members_csv_columns_may_come_in_any_order_with_a_bom_semicolons_and_blank_lines():
    text = "\ufeffPopulation;Name;Kommunekode\n\n73.767;Holbæk;316\n 45810 ; Vordingborg ; 390 \n"
    assert parse_members_csv(text) == [Member("Holbæk", 316, 73767), Member("Vordingborg", 390, 45810)]


def test_members_csv_quoted_names_may_contain_commas():
    text = 'name,kommunekode,population\n"Holbæk, Kommune",316,73767\n'
    assert parse_members_csv(text) == [Member("Holbæk, Kommune", 316, 73767)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Filen er tom"),
        ("name,kommunekode\nGreve,253\n", "Linje 1: kolonnerne skal være name,kommunekode,population"),
        ("navn,kode,indbyggere\nGreve,253,52157\n", "Linje 1: kolonnerne skal være"),
        ("name,kommunekode,population\n", "Filen har ingen kommuner"),
        ("name,kommunekode,population\nGreve,253,52157,x\n", "Linje 2: der er 4 felter, men der skal være 3"),
        ("name,kommunekode,population\nGreve,253\n", "Linje 2: der er 2 felter"),
        (
            "name,kommunekode,population\nGreve,253,mange\n",
            "Linje 2: befolkningstallet skal være et positivt heltal, ikke 'mange'",
        ),
        (
            "name,kommunekode,population\nGreve,253,-5\n",
            "Linje 2: befolkningstallet skal være et positivt heltal, ikke '-5'",
        ),
        (
            "name,kommunekode,population\nGreve,253,0\n",
            "Linje 2: befolkningstallet skal være et positivt heltal, ikke '0'",
        ),
        ("name,kommunekode,population\nGreve,253,52157.5\n", "ikke '52157.5'"),
        (
            "name,kommunekode,population\nGreve,abc,52157\n",
            "Linje 2: kommunekoden skal være et positivt heltal, ikke 'abc'",
        ),
        ("name,kommunekode,population\n,253,52157\n", "Linje 2: navnet mangler"),
        (
            "name,kommunekode,population\nGreve,253,52157\nKøge,259,62574\nGreve igen,253,1\n",
            "Linje 4: kommunekode 253 står også i linje 2",
        ),
    ],
)
def test_a_bad_members_csv_is_refused_naming_the_line(text, message):
    with pytest.raises(EconomyInputError) as error:
        parse_members_csv(text)
    assert message in str(error.value)


def test_a_bad_members_csv_reports_every_bad_line_at_once():
    text = "name,kommunekode,population\nGreve,253,-1\nKøge,259,62574\nLejre,x,29134\n"
    with pytest.raises(EconomyInputError) as error:
        parse_members_csv(text)
    assert [problem.split(":")[0] for problem in error.value.problems] == ["Linje 2", "Linje 4"]


def test_the_error_is_a_value_error():
    assert issubclass(EconomyInputError, ValueError)


# --- bad input to the model -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "Angiv enten en pris pr. borger eller et samlet budget."),
        ({"price_per_citizen": Decimal(1), "budget": Decimal(100)}, "ikke begge"),
        ({"price_per_citizen": Decimal("-1.25")}, "Prisen pr. borger skal være 0 eller derover, ikke -1.25"),
        ({"budget": Decimal("-100")}, "Budgettet skal være 0 eller derover"),
        ({"budget": Decimal("100.001")}, "hele øre"),
        ({"price_per_citizen": 1.25}, "ikke som float"),
        ({"price_per_citizen": "en krone"}, "Prisen pr. borger skal være et tal"),
        ({"price_per_citizen": 1, "weeks": 0}, "Antal arbejdsuger skal være mindst 1, ikke 0"),
        ({"price_per_citizen": 1, "weeks": -4}, "mindst 1, ikke -4"),
        ({"price_per_citizen": 1, "weeks": 4.5}, "Antal arbejdsuger skal være et helt tal"),
        ({"price_per_citizen": 1, "band": (Decimal("1.3"), Decimal("0.7"))}, "nedre faktor (1.3) er større"),
        ({"price_per_citizen": 1, "band": (Decimal(1),)}, "Båndet skal være to tal"),
        ({"price_per_citizen": 1, "hours_per_1000": Decimal(-8)}, "Timer pr. 1.000 indbyggere skal være 0"),
        ({"price_per_citizen": 1, "hourly_rate": Decimal(-1)}, "Timeprisen skal være 0 eller derover"),
    ],
)
def test_bad_parameters_are_refused_with_a_danish_message(kwargs, message):
    with pytest.raises(EconomyInputError) as error:
        EconomyParams(**kwargs)
    assert message in str(error.value)


def test_an_empty_member_list_is_refused():
    with pytest.raises(EconomyInputError, match="ingen medlemskommuner"):
        compute_economy([], EconomyParams(price_per_citizen=Decimal(1)))


def test_a_duplicate_kommunekode_is_refused():
    members = [Member("Greve", 253, 52157), Member("Greve 2", 253, 1)]
    with pytest.raises(EconomyInputError, match=r"Kommunekode 253 står to gange \(Greve og Greve 2\)"):
        compute_economy(members, EconomyParams(price_per_citizen=Decimal(1)))


@pytest.mark.parametrize(
    ("population", "message"),
    [
        (0, "befolkningstallet skal være et positivt heltal, ikke 0"),
        (-5, "befolkningstallet skal være et positivt heltal, ikke -5"),
        (1.5, "befolkningstallet skal være et positivt heltal, ikke 1.5"),
    ],
)
def test_a_member_without_a_positive_whole_population_is_refused(population, message):
    with pytest.raises(EconomyInputError, match=message):
        Member("Greve", 253, population)


def test_a_member_needs_a_name_and_a_positive_kommunekode():
    with pytest.raises(EconomyInputError, match="navnet mangler"):
        Member(" ", 253, 1)
    with pytest.raises(EconomyInputError, match="kommunekoden skal være et positivt tal"):
        Member("Greve", 0, 1)
    with pytest.raises(EconomyInputError, match="kommunekoden skal være et heltal"):
        Member("Greve", "253", 1)  # type: ignore[arg-type]


def test_price_from_budget_refuses_an_empty_member_list():
    with pytest.raises(EconomyInputError):
        price_from_budget(Decimal(100), [])

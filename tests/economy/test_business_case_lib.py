"""Business cases and the portfolio overview (samvirke.economy.lib.business_case), against seed 004."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import samvirke.economy
from samvirke.economy.lib.business_case import (
    BusinessCaseInputError,
    case_row_for_years,
    compute_case,
    parse_case,
    parse_overview,
    payback_years,
    reconcile_portfolio,
    reconciliation_to_json_dict,
    round_to_hundred,
    row_total,
    to_json_dict,
)

CASES_DIR = Path(samvirke.economy.__file__).resolve().parent / "data" / "business_cases"


def load(number: int) -> dict:
    return json.loads((CASES_DIR / f"case{number}.json").read_text(encoding="utf-8"))


def result(number: int):
    return compute_case(parse_case(load(number)))


def discrepancies(number: int) -> list[tuple[str, int | None, int, int, str]]:
    return [(d.row, d.year, d.printed, d.computed, d.kind) for d in result(number).discrepancies]


# --- the five cases of seed 004 -------------------------------------------------------------------


def test_case_1_derived_rows_reproduce_tabel_1():
    case = result(1)
    assert case.varig == (0, -14, -51, -136, -304)
    assert case.implementering == (450, 449, 75, 0, 0)
    assert case.impact == (150, 435, 24, -136, -304)


def test_case_1_innovation_pool_counts_in_implementation_but_not_in_the_impact():
    case = result(1)
    assert case.implementering[0] == 450
    assert case.impact[0] == 150


def test_case_1_pays_back_in_6_years_extrapolating_the_last_year():
    # cumulative 150, 585, 609, 473, 169, then −135 with 2020's −304 repeated
    assert result(1).payback_years == 6


def test_case_3_derived_rows_reproduce_tabel_1():
    case = result(3)
    assert case.varig == (0, -2989, -2939, -2939, -2939)
    assert case.implementering == (1506, 450, 450, 0, 0)
    assert case.impact == (1506, -2539, -2489, -2939, -2939)


def test_case_3_pays_back_in_2_years():
    # cumulative 1,506, then −1,033
    assert result(3).payback_years == 2


@pytest.mark.parametrize(("number", "years"), [(1, 6), (2, 6), (3, 2), (4, 6), (5, 6)])
def test_every_case_pays_back_in_the_years_the_seed_prints(number, years):
    assert result(number).payback_years == years


def test_case_2_lines_add_up_to_minus_573_and_minus_1576_not_the_printed_572_and_1575():
    case = result(2)
    assert case.varig == (0, -573, -1576, -1576, -1576)
    assert case.implementering == (3723, 1388, 573, 0, 0)
    assert case.impact == (3723, 815, -1003, -1576, -1576)


def test_case_2_reports_the_seeds_rounding_and_its_impact_error_of_18():
    assert discrepancies(2) == [
        ("varig", 2017, -572, -573, "rounding"),
        ("varig", 2018, -1575, -1576, "rounding"),
        ("varig", 2019, -1575, -1576, "rounding"),
        ("varig", 2020, -1575, -1576, "rounding"),
        ("impact", 2016, 3705, 3723, "error"),
        # the printed impact is printed varig + implementation, so it inherits the off-by-one
        ("impact", 2017, 816, 815, "rounding"),
        ("impact", 2018, -1002, -1003, "rounding"),
        ("impact", 2019, -1575, -1576, "rounding"),
        ("impact", 2020, -1575, -1576, "rounding"),
    ]


@pytest.mark.parametrize("number", [1, 3, 4, 5])
def test_tabel_1_of_cases_1_3_4_and_5_adds_up(number):
    # Case 4's known errors are in its Tabel 4 (row totals 16,200 and 23,900), not in Tabel 1.
    assert [item for item in discrepancies(number) if item[0] != "row_total"] == []


def test_case_4s_tabel_4_row_totals_are_errors_and_its_other_row_totals_add_up():
    case = parse_case(load(4))
    computed = {total.label: row_total(case, total) for total in case.row_totals}
    assert computed == {
        "Implementeringsudgifter (Tabel 3)": 3200,
        "Investeringer totalt, service (Tabel 3)": 3200,
        "Hardware (Tabel 4)": 7700,
        "Implementering og udvikling (Tabel 4)": 13000,  # printed 16,200
        "Investeringer totalt, anlæg (Tabel 4)": 20700,  # printed 23,900
    }
    found = [(d.row, d.year, d.label, d.printed, d.computed, d.kind) for d in compute_case(case).discrepancies]
    assert found == [
        ("row_total", None, "Implementering og udvikling (Tabel 4)", 16200, 13000, "error"),
        ("row_total", None, "Investeringer totalt, anlæg (Tabel 4)", 23900, 20700, "error"),
    ]


def test_case_4_four_year_rows_with_an_empty_first_year():
    case = result(4)
    assert case.case.years == (2016, 2017, 2018, 2019)
    assert case.varig == (0, -5900, -5000, -5000)
    assert case.implementering == (17700, 6200, 0, 0)
    assert case.impact == (17700, 300, -5000, -5000)


def test_case_5_four_year_rows():
    case = result(5)
    assert case.varig == (0, 0, -1850, -1850)
    assert case.implementering == (3500, 3150, 0, 0)
    assert case.impact == (3500, 3150, -1850, -1850)


def test_json_has_the_design_shape_with_integral_numbers_as_ints():
    data = to_json_dict(result(2))
    assert {"varig", "implementering", "impact", "payback_years", "discrepancies"} <= set(data)
    assert data["varig"] == [0, -573, -1576, -1576, -1576]
    assert all(type(value) is int for value in data["varig"] + data["implementering"] + data["impact"])
    assert data["payback_years"] == 6
    assert data["discrepancies"][4] == {
        "row": "impact",
        "year": 2016,
        "printed": 3705,
        "computed": 3723,
        "kind": "error",
        "difference": -18,
    }
    json.dumps(data)  # serialisable as it is


def test_json_keeps_decimal_amounts_as_numbers():
    data = load(3)
    data["lines"][0]["values"] = [-177.5, -3166, -3166, -3166, -3166]
    out = to_json_dict(compute_case(parse_case(data)))
    assert out["varig"][0] == -0.5
    assert json.loads(json.dumps(out))["varig"][0] == -0.5


def test_every_case_file_names_its_source_in_the_seed():
    for number in range(1, 6):
        assert "Seed 004" in load(number)["source"]


# --- payback --------------------------------------------------------------------------------------


def test_payback_is_the_first_year_whose_cumulative_impact_is_at_most_zero():
    assert payback_years([100, -100]) == 2
    assert payback_years([0]) == 1
    assert payback_years([-5, 10]) == 1


def test_payback_is_none_when_the_steady_state_never_pays_back():
    assert payback_years([100, 0]) is None
    assert payback_years([100, 50]) is None
    assert payback_years([]) is None


def test_payback_is_none_beyond_the_cap():
    # 1,000 then −10 a year: pays back in year 101, beyond the 50-year cap
    assert payback_years([1000, -10]) is None
    assert payback_years([1000, -10], cap=200) == 101


def test_a_line_may_be_excluded_from_payback_explicitly():
    data = load(3)
    data["lines"][3]["excluded_from_payback"] = True  # the 956 technology investment
    case = compute_case(parse_case(data))
    assert case.implementering[0] == 1506
    assert case.impact[0] == 550
    assert case.payback_years == 1 + 0 + 1  # 550, then −1,989


def test_innovation_pool_lines_are_excluded_from_payback_by_default():
    data = load(1)
    del data["lines"][6]["excluded_from_payback"]
    case = parse_case(data)
    assert case.lines[6].excluded_from_payback is True
    assert case.lines[0].excluded_from_payback is False
    assert compute_case(case).impact[0] == 150


def test_a_case_without_printed_rows_has_no_discrepancies():
    data = load(2)
    del data["printed"]
    assert compute_case(parse_case(data)).discrepancies == ()


def test_a_printed_difference_above_one_is_an_error_and_null_cells_are_skipped():
    data = load(3)
    data["printed"]["varig"] = [None, -2991, -2938, None, -2939]
    found = [(d.row, d.year, d.kind) for d in compute_case(parse_case(data)).discrepancies]
    assert found == [("varig", 2017, "error"), ("varig", 2018, "rounding")]


# --- bad input ------------------------------------------------------------------------------------


def bad(mutate):
    data = load(1)
    mutate(data)
    with pytest.raises(BusinessCaseInputError) as error:
        parse_case(data)
    return str(error.value)


def test_a_line_with_the_wrong_number_of_years_is_refused_naming_the_line():
    message = bad(lambda d: d["lines"][0].update(values=[-224, -555, -740, -851]))
    assert message == "Linjen 'Reducerede lønomkostninger' har 4 beløb, men casen har 5 år (2016–2020)."


def test_a_printed_row_with_the_wrong_number_of_years_is_refused():
    message = bad(lambda d: d["printed"].update(impact=[150, 435, 24]))
    assert "Den trykte række 'impact'" in message and "har 3 beløb, men casen har 5 år" in message


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["lines"][1].update(block="permanent"), "Linjen 'Nye omkostninger vedr. teknologi': blokken skal"),
        (
            lambda d: d["lines"][1].update(area="Drift"),
            "styringsområdet skal være Service, Anlæg eller Innovationspuljen",
        ),
        (lambda d: d["lines"][1].update(values=[1, 2, "tre", 4, 5]), "Linjen 'Nye omkostninger vedr. teknologi', 2018"),
        (lambda d: d["lines"][1].update(values=[1, 2, True, 4, 5]), "beløbet skal være et tal eller null"),
        (
            lambda d: d["lines"][1].update(excluded_from_payback="ja"),
            "'excluded_from_payback' skal være true eller false",
        ),
        (lambda d: d["lines"][1].update(exclude=True), "ukendte felter: exclude"),
        (lambda d: d["lines"][1].pop("values"), "mangler sine beløb"),
        (lambda d: d["lines"][1].update(label=""), "Linje nr. 2 i 'lines' mangler en tekst"),
        (lambda d: d.update(years=[2016, 2018, 2019, 2020, 2021]), "Årene skal være fortløbende"),
        (lambda d: d.update(years=[]), "'years' skal være en liste af årstal"),
        (lambda d: d.update(years=["2016", 2017, 2018, 2019, 2020]), "hele årstal"),
        (lambda d: d.update(lines=[]), "mindst én linje"),
        (lambda d: d.update(title=" "), "mangler en titel"),
        (lambda d: d["printed"].update(payback=[6, 6, 6, 6, 6]), "'printed' kan kun indeholde"),
        (lambda d: d.update(extra=1), "ukendte felter: extra"),
    ],
)
def test_bad_case_input_is_refused_with_a_danish_message(mutate, message):
    assert message in bad(mutate)


def test_a_case_must_be_an_object():
    with pytest.raises(BusinessCaseInputError, match="JSON-objekt"):
        parse_case([1, 2, 3])


def test_the_error_is_a_value_error():
    assert issubclass(BusinessCaseInputError, ValueError)


# --- the portfolio overview (seed 004 l.1–82) -----------------------------------------------------

OVERVIEW: dict[str, Any] = json.loads((CASES_DIR / "overview.json").read_text(encoding="utf-8"))


def all_cases():
    return [parse_case(load(number)) for number in range(1, 6)]


def test_overview_rounds_to_100_half_away_from_zero():
    assert [round_to_hundred(v) for v in (449, 450, -450, -1850, 3150, -51, -136, 49)] == [
        400,
        500,
        -500,
        -1900,
        3200,
        -100,
        -100,
        0,
    ]
    assert round_to_hundred(Decimal("-149.99")) == -100


def test_a_four_year_case_carries_its_last_year_forward_into_the_overview():
    assert case_row_for_years([2016, 2017, 2018, 2019], [0, -5900, -5000, -5000], range(2015, 2021)) == [
        0,
        0,
        -5900,
        -5000,
        -5000,
        -5000,
    ]


def test_the_overviews_own_sums_add_up():
    assert reconcile_portfolio(parse_overview(OVERVIEW), all_cases()).sum_differences == ()


def test_the_overview_differs_from_the_cases_beyond_rounding():
    found = [
        (d.proposal.split()[0], d.row, d.year, d.overview, d.case_rounded)
        for d in reconcile_portfolio(parse_overview(OVERVIEW), all_cases()).proposal_differences
    ]
    assert found == [
        ("Online", "net", 2019, -200, -100),
        ("Online", "investment", 2017, 600, 400),
        ("Online", "investment", 2018, 0, 100),
        ("Elektroniske", "investment", 2016, 3800, 3700),
        ("Elektroniske", "investment", 2017, 2000, 1400),
        ("Elektroniske", "investment", 2018, 0, 600),
        ("Velfærdsteknologier", "investment", 2017, 1000, 500),
        ("Velfærdsteknologier", "investment", 2018, 0, 500),
        ("CSC", "net", 2017, -6000, -5900),
        ("CSC", "net", 2018, -5100, -5000),
        ("CSC", "net", 2019, -5100, -5000),
        ("CSC", "net", 2020, -5100, -5000),
        ("CSC", "investment", 2016, 18100, 17700),
        ("CSC", "investment", 2017, 6300, 6200),
        ("Borgeradgang", "investment", 2016, 3600, 3500),
    ]


def test_reconciliation_json_names_the_case_value_before_rounding():
    data = reconciliation_to_json_dict(reconcile_portfolio(parse_overview(OVERVIEW), all_cases()))
    assert data["proposal_differences"][0] == {
        "area": "Hjemmeplejen",
        "proposal": "Online støtte- og hjemmepleje via skærmbesøg",
        "row": "net",
        "year": 2019,
        "overview": -200,
        "case_value": -136,
        "case_rounded": -100,
        "difference": -100,
    }
    assert data["sum_differences"] == []


def test_an_overview_sum_that_does_not_add_up_is_reported():
    overview = copy.deepcopy(OVERVIEW)
    overview["net_total"][1] = -9500
    overview["areas"][0]["investment_total"][0] = 4200
    found = [
        (d.area, d.row, d.year, d.printed, d.computed)
        for d in reconcile_portfolio(parse_overview(overview), all_cases()).sum_differences
    ]
    assert found == [
        ("Hjemmeplejen", "Investeringsbehov", 2016, 4200, 4300),
        (None, "Nettoeffektivisering", 2017, -9500, -9600),
    ]


def test_an_overview_proposal_without_its_case_is_refused():
    with pytest.raises(BusinessCaseInputError, match="ingen business case med titlen"):
        reconcile_portfolio(parse_overview(OVERVIEW), all_cases()[1:])


def test_an_overview_row_with_the_wrong_number_of_years_is_refused():
    overview = copy.deepcopy(OVERVIEW)
    overview["areas"][1]["proposals"][0]["net"] = [0, -3000]
    with pytest.raises(BusinessCaseInputError, match="har 2 beløb, men casen har 5 år"):
        parse_overview(overview)

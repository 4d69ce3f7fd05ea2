"""The telemedicine subscription payments (samvirke.telecare.lib.payments), against seed 003, ch. 5.3."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from samvirke.economy.lib.fees import round_half_up
from samvirke.telecare.lib.payments import (
    Enrolment,
    PaymentInputError,
    compute_payments,
    coverage,
    municipal_shares,
    owner_amounts,
    parse_enrolments_csv,
    parse_members_csv,
    quarterly_instalments,
    quarters_covered,
    region_split,
    split_total,
    to_json_dict,
    true_up,
)

D = dt.date
MIO = Decimal(1_000_000)

# Seed 003, Tabel 18 (l. 4115): total, regions 65 %, municipalities 35 %, mio. kr. per year (Y1–Y5, year N, sum).
TABLE_18 = [
    ("31.2", "20.3", "10.9"),
    ("43.9", "28.5", "15.4"),
    ("43.7", "28.4", "15.3"),
    ("38.2", "24.8", "13.4"),
    ("31.6", "20.5", "11.1"),
    ("41.5", "27.0", "14.5"),
    ("188.5", "122.5", "66.0"),
]


def enrol(code: int, ref: str, start: dt.date, end: dt.date | None = None) -> Enrolment:
    return Enrolment(kommunekode=code, citizen_ref=ref, enrolled_from=start, enrolled_to=end)


# --- region / municipalities ------------------------------------------------------------------------


@pytest.mark.parametrize(("total", "region", "municipal"), TABLE_18)
def test_region_split_reproduces_table_18_at_65_35(total: str, region: str, municipal: str) -> None:
    region_amount, municipal_total = region_split(Decimal(total) * MIO, Decimal("0.65"))
    assert region_amount + municipal_total == Decimal(total) * MIO
    assert round_half_up(region_amount / MIO, 1) == Decimal(region)
    assert round_half_up(municipal_total / MIO, 1) == Decimal(municipal)


def test_region_split_rounds_the_region_half_up_and_gives_the_municipalities_the_rest() -> None:
    assert region_split(Decimal("0.01"), Decimal("0.5")) == (Decimal("0.01"), Decimal("0.00"))
    assert region_split(Decimal("100.00")) == (Decimal("65.00"), Decimal("35.00"))
    assert region_split(Decimal("10.01"), Decimal("0.65")) == (Decimal("6.51"), Decimal("3.50"))


@pytest.mark.parametrize(("share", "region", "municipal"), [("0.80", "800.00", "200.00"), ("0.50", "500.00", "500.00")])
def test_region_share_sensitivity_80_20_and_50_50(share: str, region: str, municipal: str) -> None:
    assert region_split(Decimal("1000"), Decimal(share)) == (Decimal(region), Decimal(municipal))
    result = compute_payments(Decimal("1000"), Decimal(share), Decimal(1), {101: 3, 147: 1}, [], 2025)
    assert result.municipal_total == Decimal(municipal)
    assert [m.amount for m in result.members] == [Decimal(municipal) * 3 / 4, Decimal(municipal) / 4]


def test_municipal_shares_formula_exact() -> None:
    shares = municipal_shares({1: 100, 2: 300}, {1: Fraction(3), 2: Fraction(1)}, Decimal("0.4"))
    # 0.4 × 100/400 + 0.6 × 3/4 = 1/10 + 9/20 = 11/20; 0.4 × 3/4 + 0.6 × 1/4 = 3/10 + 3/20 = 9/20
    assert shares == {1: Fraction(11, 20), 2: Fraction(9, 20)}
    assert sum(shares.values()) == 1


def test_w_zero_is_pure_usage_and_w_one_pure_population() -> None:
    populations = {1: 1000, 2: 9000, 3: 5000}
    usage = {1: Fraction(5, 4), 2: Fraction(1, 4)}
    assert municipal_shares(populations, usage, Decimal(0)) == {1: Fraction(5, 6), 2: Fraction(1, 6), 3: 0}
    assert municipal_shares(populations, usage, Decimal(1)) == {
        1: Fraction(1, 15),
        2: Fraction(3, 5),
        3: Fraction(1, 3),
    }


def test_mandatory_element_a_member_without_citizens_pays_its_population_part() -> None:
    result = compute_payments(
        Decimal("1000.00"), Decimal("0"), Decimal("0.3"), {101: 1, 147: 1}, [enrol(101, "b1", D(2024, 1, 1))], 2025
    )
    idle = result.members[1]
    assert idle.coverage == 0
    assert idle.share == Fraction(3, 10) * Fraction(1, 2)
    assert idle.amount == Decimal("150.00")


def test_split_total_largest_remainder_adds_up() -> None:
    assert split_total(Decimal("1.00"), {1: Fraction(1, 3), 2: Fraction(1, 3), 3: Fraction(1, 3)}) == {
        1: Decimal("0.34"),
        2: Decimal("0.33"),
        3: Decimal("0.33"),
    }
    parts = split_total(Decimal("0.05"), {7: Fraction(1, 2), 3: Fraction(1, 2)})
    assert parts == {7: Decimal("0.02"), 3: Decimal("0.03")}  # a tie goes to the lower kommunekode
    assert split_total(Decimal("10"), {1: Fraction(0), 2: Fraction(1)}) == {1: Decimal("0.00"), 2: Decimal("10.00")}


# --- coverage ------------------------------------------------------------------------------------


def test_quarters_counted_on_the_quarters_last_day() -> None:
    assert quarters_covered(enrol(1, "a", D(2025, 3, 31), D(2025, 6, 29)), 2025) == 1
    assert quarters_covered(enrol(1, "a", D(2025, 4, 1), D(2025, 6, 30)), 2025) == 1
    assert quarters_covered(enrol(1, "a", D(2025, 4, 1), D(2025, 6, 29)), 2025) == 0
    assert quarters_covered(enrol(1, "a", D(2020, 1, 1)), 2025) == 4
    assert quarters_covered(enrol(1, "a", D(2020, 1, 1), D(2024, 12, 31)), 2025) == 0
    assert quarters_covered(enrol(1, "a", D(2026, 1, 1)), 2025) == 0


def test_seed_example_2_against_10_months() -> None:
    # Seed 003, 5.3.6 (l. 4077–4090): counted once a year, a citizen enrolled for 2 months costs as much as one
    # enrolled for 10; counted by quarter, the coverage per citizen per year evens this out.
    two_months = enrol(101, "borger-A", D(2025, 11, 1), D(2025, 12, 31))
    ten_months = enrol(147, "borger-B", D(2025, 3, 1), D(2025, 12, 31))
    assert coverage([two_months, ten_months], 2025) == {101: Fraction(1, 4), 147: Fraction(1)}
    result = compute_payments(
        Decimal("1000.00"), Decimal(0), Decimal(0), {101: 50, 147: 50}, [two_months, ten_months], 2025
    )
    assert [m.amount for m in result.members] == [Decimal("200.00"), Decimal("800.00")]
    ten_months_from_january = enrol(147, "borger-B", D(2025, 1, 1), D(2025, 10, 31))
    assert coverage([ten_months_from_january], 2025) == {147: Fraction(3, 4)}


def test_a_citizen_who_moves_counts_where_enrolled_on_each_quarters_last_day() -> None:
    first = enrol(101, "x7", D(2025, 2, 1), D(2025, 5, 14))
    second = enrol(147, "x7", D(2025, 5, 15))
    assert coverage([first, second], 2025) == {101: Fraction(1, 4), 147: Fraction(3, 4)}


def test_a_citizen_enrolled_twice_on_a_quarters_last_day_is_refused() -> None:
    with pytest.raises(PaymentInputError, match="tilmeldt to gange den 2025-06-30"):
        coverage([enrol(101, "x7", D(2025, 1, 1)), enrol(147, "x7", D(2025, 6, 1))], 2025)


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: region_split(Decimal(-1), Decimal("0.65")), "negativt"),
        (lambda: region_split("mange", Decimal("0.65")), "skal være et tal"),  # type: ignore[arg-type]
        (lambda: region_split(Decimal(1), Decimal("1.2")), "mellem 0 og 1"),
        (lambda: region_split(Decimal(1), Decimal("-0.1")), "mellem 0 og 1"),
        (lambda: region_split(1.5, Decimal("0.65")), "eksakt"),  # type: ignore[arg-type]
        (lambda: region_split(Decimal("NaN"), Decimal("0.65")), "endeligt"),
        (lambda: region_split(Decimal("1.001"), Decimal("0.65")), "hele øre"),
        (lambda: municipal_shares({1: 1}, {}, Decimal("1.5")), "Vægten w"),
        (lambda: municipal_shares({1: 0}, {}, Decimal(1)), "positivt heltal"),
        (lambda: municipal_shares({1: -4}, {}, Decimal(1)), "positivt heltal"),
        (lambda: municipal_shares({}, {}, Decimal(1)), "ingen medlemskommuner"),
        (lambda: municipal_shares({1: 5}, {2: Fraction(1)}, Decimal(0)), "ikke er blandt medlemmerne|ikke blandt"),
        (lambda: municipal_shares({1: 5}, {}, Decimal("0.9")), "ingen tilmeldte borgere"),
        (lambda: enrol(101, "a", D(2025, 5, 1), D(2025, 4, 30)), "slutter"),
        (lambda: enrol(101, "010203-1234", D(2025, 5, 1)), "CPR-nummer"),
        (lambda: enrol(101, "0102031234", D(2025, 5, 1)), "pseudonym"),
        (lambda: enrol(101, "", D(2025, 5, 1)), "reference"),
        (
            lambda: compute_payments(
                Decimal(1), Decimal("0.65"), Decimal(1), {101: 5}, [enrol(999, "a", D(2025, 1, 1))], 2025
            ),
            "Ukendt kommunekode",
        ),
        (lambda: compute_payments(Decimal(1), Decimal("0.65"), Decimal("0.5"), {101: 5}, [], 2025), "ingen tilmeldte"),
        (lambda: parse_members_csv("kommunekode,population_40plus\n101,5\n101,7\n"), "står to gange"),
        (lambda: parse_members_csv("kommunekode,population_40plus\n101,0\n"), "positivt heltal"),
        (lambda: parse_members_csv("kommune,d\n101,5\n"), "kolonnerne"),
        (lambda: parse_enrolments_csv("kommunekode,citizen_ref,enrolled_from,enrolled_to\n101,a,1.5.2025,\n"), "dato"),
    ],
)
def test_bad_input_is_refused_with_a_danish_message(call, message: str) -> None:
    with pytest.raises(PaymentInputError, match=message):
        call()


# --- result, JSON, CSV -----------------------------------------------------------------------------


def test_compute_payments_and_json() -> None:
    enrolments = [
        enrol(101, "a", D(2024, 6, 1)),
        enrol(101, "b", D(2025, 8, 1), D(2025, 11, 30)),
        enrol(147, "c", D(2025, 1, 1), D(2025, 3, 31)),
    ]
    result = compute_payments(
        Decimal("1000000.00"), Decimal("0.65"), Decimal("0.5"), {101: 200, 147: 300}, enrolments, 2025
    )
    assert result.region_amount == Decimal("650000.00")
    assert result.municipal_total == Decimal("350000.00")
    # U: 101 → 4/4 + 1/4 = 5/4, 147 → 1/4; shares 0.5·2/5 + 0.5·5/6 = 37/60 and 0.5·3/5 + 0.5·1/6 = 23/60
    assert [m.share for m in result.members] == [Fraction(37, 60), Fraction(23, 60)]
    assert [m.amount for m in result.members] == [Decimal("215833.33"), Decimal("134166.67")]
    data = to_json_dict(result)
    assert data["region_amount"] == "650000.00"
    assert data["municipal_total"] == "350000.00"
    assert data["members"][0] == {
        "kommunekode": 101,
        "population_40plus": 200,
        "coverage": "1.25",
        "share": "0.616667",
        "share_exact": "37/60",
        "amount": "215833.33",
    }


def test_parse_csv_files() -> None:
    members = parse_members_csv("\ufeffpopulation_40plus;kommunekode\n12.345;101\n\n678;147\n")
    assert members == {101: 12345, 147: 678}
    enrolments = parse_enrolments_csv(
        "kommunekode,citizen_ref,enrolled_from,enrolled_to\n101,=HYPERLINK(1),2025-01-01,\n147,b,2025-02-01,2025-03-31\n"
    )
    assert enrolments == [
        enrol(101, "=HYPERLINK(1)", D(2025, 1, 1), None),
        enrol(147, "b", D(2025, 2, 1), D(2025, 3, 31)),
    ]
    assert parse_enrolments_csv("kommunekode,citizen_ref,enrolled_from,enrolled_to\n") == []


def test_parse_enrolments_reports_every_line() -> None:
    text = (
        "kommunekode,citizen_ref,enrolled_from,enrolled_to\n101,1211991234,2025-01-01,\n147,b,2025-05-01,2025-04-01\n"
    )
    with pytest.raises(PaymentInputError) as caught:
        parse_enrolments_csv(text)
    assert len(caught.value.problems) == 2
    assert caught.value.problems[0].startswith("Linje 2: ") and "pseudonym" in caught.value.problems[0]
    assert caught.value.problems[1].startswith("Linje 3: ") and "slutter" in caught.value.problems[1]


# --- budget cycle --------------------------------------------------------------------------------


def test_quarterly_instalments_add_up() -> None:
    assert quarterly_instalments(Decimal("100.03")) == [Decimal("25.01")] * 3 + [Decimal("25.00")]
    assert quarterly_instalments(Decimal("0.01")) == [Decimal("0.01")] + [Decimal("0.00")] * 3


def test_true_up_over_a_year() -> None:
    members = {101: 200, 147: 300}
    forecast = compute_payments(
        Decimal("400000"), Decimal("0.65"), Decimal("0.5"), members, [enrol(101, "a", D(2025, 1, 1))], 2026
    )
    paid = {
        owner: sum(quarterly_instalments(amount), Decimal("0.00")) for owner, amount in owner_amounts(forecast).items()
    }
    actual = compute_payments(
        Decimal("430000"),
        Decimal("0.65"),
        Decimal("0.5"),
        members,
        [enrol(101, "a", D(2025, 1, 1)), enrol(147, "b", D(2026, 2, 1))],
        2026,
    )
    rows = true_up(paid, owner_amounts(actual))
    assert [row.owner for row in rows] == ["region", "101", "147"]
    assert rows[0].difference == Decimal("19500.00") and rows[0].kind == "ekstra faktura"
    assert rows[1].kind == "kreditnota"  # 101's share fell when 147 got a citizen
    assert all(row.paid + row.difference == row.actual for row in rows)
    assert sum(row.difference for row in rows) == Decimal("30000.00")


def test_true_up_owner_on_one_side_only_counts_zero_on_the_other() -> None:
    rows = true_up({"101": Decimal("5.00")}, {"147": Decimal("2.00")})
    assert [(r.owner, r.paid, r.actual, r.difference, r.kind) for r in rows] == [
        ("101", Decimal("5.00"), Decimal("0.00"), Decimal("-5.00"), "kreditnota"),
        ("147", Decimal("0.00"), Decimal("2.00"), Decimal("2.00"), "ekstra faktura"),
    ]
    assert true_up({"x": Decimal("1.00")}, {"x": Decimal("1.00")})[0].kind == "ingen regulering"

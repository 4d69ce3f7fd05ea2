"""Properties of the telemedicine payments (samvirke.telecare.lib.payments) over generated inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from samvirke.telecare.lib.payments import (
    Enrolment,
    compute_payments,
    owner_amounts,
    quarterly_instalments,
    true_up,
)

YEAR = 2025
totals = st.integers(min_value=0, max_value=10**11).map(lambda ore: Decimal(ore).scaleb(-2))
fractions_0_1 = st.integers(min_value=0, max_value=100).map(lambda pct: Decimal(pct).scaleb(-2))
populations = st.dictionaries(
    st.integers(min_value=101, max_value=999), st.integers(min_value=1, max_value=500_000), min_size=1, max_size=12
)


@st.composite
def enrolments_for(draw: st.DrawFn, codes: list[int]) -> list[Enrolment]:
    result = []
    for index in range(draw(st.integers(min_value=1, max_value=15))):
        start = dt.date(YEAR - 1, 1, 1) + dt.timedelta(days=draw(st.integers(min_value=0, max_value=730)))
        length = draw(st.none() | st.integers(min_value=0, max_value=500))
        end = None if length is None else start + dt.timedelta(days=length)
        result.append(Enrolment(draw(st.sampled_from(codes)), f"borger-{index}", start, end))
    return result


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Decimal, Decimal, Decimal, dict[int, int], list[Enrolment]]:
    members = draw(populations)
    enrolments = draw(enrolments_for(sorted(members)))
    # Without usage in the year only w = 1 is defined.
    weight = draw(fractions_0_1) if any(_counts(e) for e in enrolments) else Decimal(1)
    return draw(totals), draw(fractions_0_1), weight, members, enrolments


def _counts(enrolment: Enrolment) -> bool:
    return any(
        enrolment.enrolled_on(day) for day in (dt.date(YEAR, m, d) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31)))
    )


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_amounts_add_up_to_the_total_to_the_ore(scenario) -> None:
    total, region_share, weight, members, enrolments = scenario
    result = compute_payments(total, region_share, weight, members, enrolments, YEAR)
    assert result.region_amount + result.municipal_total == total
    assert sum(m.amount for m in result.members) == result.municipal_total
    assert all(m.amount >= 0 and m.amount == m.amount.quantize(Decimal("0.01")) for m in result.members)
    assert sum(m.share for m in result.members) == 1


@settings(max_examples=200, deadline=None)
@given(total=totals, members=populations)
def test_at_w_one_a_larger_population_never_pays_less(total: Decimal, members: dict[int, int]) -> None:
    result = compute_payments(total, Decimal("0.35"), Decimal(1), members, [], YEAR)
    for a in result.members:
        for b in result.members:
            if a.population_40plus > b.population_40plus:
                assert a.amount >= b.amount


@settings(max_examples=200, deadline=None)
@given(forecast=scenarios(), actual_total=totals, data=st.data())
def test_true_up_makes_every_owners_year_equal_its_actual_share(forecast, actual_total: Decimal, data) -> None:
    total, region_share, weight, members, enrolments = forecast
    planned = compute_payments(total, region_share, weight, members, enrolments, YEAR)
    instalments = {owner: quarterly_instalments(amount) for owner, amount in owner_amounts(planned).items()}
    assert all(len(parts) == 4 and sum(parts) == owner_amounts(planned)[o] for o, parts in instalments.items())
    paid = {owner: sum(parts, Decimal("0.00")) for owner, parts in instalments.items()}
    actual_enrolments = data.draw(enrolments_for(sorted(members)))
    actual_weight = weight if any(_counts(e) for e in actual_enrolments) else Decimal(1)
    actual = compute_payments(actual_total, region_share, actual_weight, members, actual_enrolments, YEAR)
    rows = true_up(paid, owner_amounts(actual))
    assert {row.owner for row in rows} == set(owner_amounts(actual))
    for row in rows:
        assert row.paid + row.difference == owner_amounts(actual)[row.owner]
        assert row.kind == (
            "ekstra faktura" if row.difference > 0 else "kreditnota" if row.difference < 0 else "ingen regulering"
        )
    assert sum(row.difference for row in rows) == actual_total - total

"""The steering figures (pure): calls per citizen per month against the model's 0.083, repeat faults per model,
installation times."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from samvirke.telesupport.lib.steering import InstallRow, install_summary, month_rates, months_between, repeat_faults


def test_months_between_crosses_the_new_year() -> None:
    assert months_between(dt.date(2025, 11, 30), dt.date(2026, 2, 1)) == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]
    assert months_between(dt.date(2026, 3, 1), dt.date(2026, 2, 1)) == []


def test_780_citizens_at_the_model_rate_make_65_calls() -> None:
    # seed 003: 0.083 calls per citizen per month; at +24 months Sjælland has 780 citizens → 64.74 ≈ 65 calls
    rows = month_rates(
        {(2026, 1): 65, (2026, 2): 130},
        {(2026, 1): 780, (2026, 2): 780, (2026, 3): 0},
        [(2026, 1), (2026, 2), (2026, 3)],
    )
    assert rows[0].rate == Fraction(65, 780)
    assert rows[0].model_rate == Fraction(83, 1000)
    assert rows[0].ratio is not None and abs(float(rows[0].ratio) - 1.004) < 0.001
    assert rows[1].ratio == 2 * rows[0].ratio
    assert rows[2].rate is None and rows[2].ratio is None
    own = month_rates({(2026, 1): 10}, {(2026, 1): 100}, [(2026, 1)], model_rate=Decimal("0.1"))
    assert own[0].ratio == 1
    with pytest.raises(ValueError):
        month_rates({(2026, 1): -1}, {(2026, 1): 1}, [(2026, 1)])


def test_repeat_faults_per_model() -> None:
    rows = repeat_faults([("Vægt A", "S1"), ("Vægt A", "S1"), ("Vægt A", "S2"), ("Tablet T", "T1"), ("Vægt A", "S1")])
    assert rows[0].model == "Vægt A" and (rows[0].faults, rows[0].units, rows[0].repeat_units) == (4, 2, 1)
    assert rows[0].repeat_share == Fraction(1, 2)
    assert (rows[1].model, rows[1].repeat_units, rows[1].repeat_share) == ("Tablet T", 0, 0)
    assert repeat_faults([]) == []


def test_install_summary_medians_and_met_shares() -> None:
    rows = [InstallRow("standard", d, d <= 12) for d in (5, 9, 12, 14)] + [InstallRow("urgent", 1, True)]
    standard, urgent = install_summary(rows)
    assert (standard.count, standard.met, standard.median_days, standard.max_days) == (4, 3, Fraction(21, 2), 14)
    assert standard.met_share == Fraction(3, 4)
    assert (urgent.count, urgent.median_days) == (1, 1)
    empty = install_summary([])
    assert [(s.urgency, s.count, s.median_days, s.met_share) for s in empty] == [
        ("standard", 0, None, None),
        ("urgent", 0, None, None),
    ]

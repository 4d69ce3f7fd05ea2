"""The economy page's bar chart: lengths proportional to the amounts, the largest at 100 %."""

from __future__ import annotations

from decimal import Decimal

from samvirke.economy.lib.chart import bar_chart
from samvirke.economy.lib.fees import EconomyParams, Member, compute_economy
from tests.economy.golden import GOLDEN


def test_every_bar_is_its_amount_as_a_share_of_the_largest() -> None:
    members = [Member(name, code, population) for name, code, population, *_ in GOLDEN]
    bars = bar_chart(compute_economy(members, EconomyParams(price_per_citizen=Decimal("1.25"))).rows)
    assert [bar.name for bar in bars[:2]] == ["Roskilde", "Næstved"]  # largest population first
    roskilde = bars[0]
    assert roskilde.fee_percent == 100.0 and roskilde.hours_percent == 100.0
    for bar in bars:
        assert abs(bar.fee_percent - float(bar.fee / roskilde.fee) * 100) < 1e-9
        assert abs(bar.hours_percent - bar.hours / roskilde.hours * 100) < 1e-9
    # Holbæk's 92,208.75 kr. is 81.5 % of Roskilde's 113,075.00 kr.
    holbaek = next(bar for bar in bars if bar.name == "Holbæk")
    assert round(holbaek.fee_percent, 1) == 81.5


def test_no_members_no_bars() -> None:
    assert bar_chart([]) == []

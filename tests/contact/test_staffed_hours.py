"""Staffed hours from the presence log, and the economy's shift-hour balance that shows them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from samvirke.contact.lib.presence import StatusChange, staffed_seconds
from samvirke.contact.selectors import staffed_hours_by_municipality
from samvirke.directory.models import Person
from tests.contact.conftest import LOCAL, Telephony, at

T0 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=LOCAL)


def hours(h: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=h)


def test_staffed_time_counts_ready_busy_and_wrap_up_but_not_pause() -> None:
    changes = [
        StatusChange("a", "ready", hours(0)),
        StatusChange("a", "busy", hours(1)),
        StatusChange("a", "wrap_up", hours(1.5)),
        StatusChange("a", "pause", hours(2)),  # half an hour's break
        StatusChange("a", "ready", hours(2.5)),
        StatusChange("a", "offline", hours(4)),
        StatusChange("b", "ready", hours(3)),  # still logged in at the end of the window
    ]
    seconds = staffed_seconds(changes, hours(0), hours(5))
    assert seconds["a"] == pytest.approx(3.5 * 3600)
    assert seconds["b"] == pytest.approx(2 * 3600)


def test_a_shift_that_started_before_the_window_counts_from_its_start() -> None:
    seconds = staffed_seconds([StatusChange("a", "offline", hours(2))], hours(1), hours(5), {"a": "busy"})
    assert seconds == {"a": pytest.approx(3600)}
    assert staffed_seconds([], hours(1), hours(5), {"a": "offline"}) == {}


@pytest.mark.django_db
def test_staffed_hours_by_municipality(agents: list[Person]) -> None:
    telephony = Telephony()
    telephony.agent("agent-holbaek-1", "ready", at(0))
    telephony.agent("agent-holbaek-1", "offline", at(2 * 3600))
    telephony.agent("agent-greve-1", "ready", at(0))
    telephony.agent("agent-greve-1", "pause", at(1800))
    result = staffed_hours_by_municipality(at(-3600), at(3 * 3600))
    assert result == {316: Decimal("2.0"), 253: Decimal("0.5")}


@pytest.mark.django_db
def test_the_balance_page_shows_staffed_hours(secretariat: Person, agents: list[Person]) -> None:
    from django.utils import timezone

    from samvirke.directory.models import Fellesskab, FellesskabService
    from samvirke.economy.demo import load_demo_economy
    from tests.conftest import client_for

    load_demo_economy(Fellesskab.objects.get(service=FellesskabService.HOTLINE))
    telephony = Telephony()
    now = timezone.now()
    telephony.agent("agent-holbaek-1", "ready", now - dt.timedelta(hours=3))
    telephony.agent("agent-holbaek-1", "offline", now - dt.timedelta(hours=1))
    html = client_for(secretariat).get(f"/oekonomi/vagttimer/?aar={now.year}").content.decode()
    holbaek_row = html[html.index('<th scope="row">Holbæk</th>') :].split("</tr>")[0]
    assert "2,0 (" in holbaek_row

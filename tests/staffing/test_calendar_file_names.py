"""The calendar files (.ics) say who works each shift: a member's calendar with three agents on one shift reads as
three people, not three identical "Hotlinevagt" entries (issue 11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from samvirke.directory.models import Fellesskab, Person
from samvirke.staffing.models import Rota, Shift
from tests.conftest import GREVE, client_for
from tests.staffing.handmade import HandmadeRota, agent, at, make_rota

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(fellesskab: Fellesskab, holbaek_agent: Person) -> HandmadeRota:
    return make_rota(fellesskab, holbaek_agent)


@pytest.fixture(autouse=True)
def now(monkeypatch: pytest.MonkeyPatch) -> None:
    """A week after the hand-made week (the calendar files hold four weeks back)."""
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC))


def summaries(text: str) -> list[str]:
    unfolded = text.replace("\r\n ", "")
    return [line.removeprefix("SUMMARY:") for line in unfolded.split("\r\n") if line.startswith("SUMMARY:")]


def test_a_member_calendar_with_three_agents_on_one_shift_names_each(
    week: HandmadeRota, greve_coordinator: Person
) -> None:
    greve = week.shifts["G2"]  # Wednesday 9–13, Peter Hansen
    ida = week.agents["greve-2"]
    ole = agent("agent-greve-3", GREVE, "Ole", "Berg")
    for person in (ida, ole):
        Shift.objects.create(
            rota=greve.rota, municipality=greve.municipality, agent=person, starts_at=at(2, 9), ends_at=at(2, 13)
        )
    text = client_for(greve_coordinator).get("/bemanding/kalender/253.ics").content.decode()
    assert sorted(summaries(text)) == [
        "Ida Madsen – hotlinevagt (Greve)",
        "Ole Berg – hotlinevagt (Greve)",
        "Peter Hansen – hotlinevagt (Greve)",  # G1 Monday 12–14
        "Peter Hansen – hotlinevagt (Greve)",  # G2 Wednesday 9–13
    ]


def test_a_shift_nobody_has_says_so_in_the_calendar(week: HandmadeRota, secretariat: Person) -> None:
    text = client_for(secretariat).get("/bemanding/kalender/259.ics").content.decode()
    assert summaries(text) == ["Ikke fordelt – hotlinevagt (Køge)"]


def test_commas_and_semicolons_in_a_name_are_escaped(week: HandmadeRota, secretariat: Person) -> None:
    peter = week.agents["greve-1"]
    peter.first_name, peter.last_name = "Peter; Jr.", "Hansen, Sr."
    peter.save()
    text = client_for(secretariat).get("/bemanding/kalender/253.ics").content.decode()
    assert "Peter\\; Jr. Hansen\\, Sr. – hotlinevagt (Greve)" in summaries(text)
    assert Rota.objects.count() == 1

"""The rota pages' fixes from issue 11: the week field shows its date, and one count of "udækkede halve timer" on
the week list and the week page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from samvirke.directory.models import Fellesskab, Person
from tests.conftest import client_for
from tests.staffing.handmade import WEEK, HandmadeRota, make_rota

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(fellesskab: Fellesskab, holbaek_agent: Person) -> HandmadeRota:
    return make_rota(fellesskab, holbaek_agent)


@pytest.fixture(autouse=True)
def now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Monday 7 December 2026, a week after the hand-made week (the calendar files hold four weeks back)."""
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC))


# --- the week field ----------------------------------------------------------------------------------------------


def test_the_week_field_has_an_iso_date_so_the_browser_shows_it(secretariat: Person) -> None:
    html = client_for(secretariat).get("/bemanding/").content.decode()
    field = re.search(r'<input type="date" name="week" value="([^"]*)"', html)
    assert field is not None and field.group(1) == "2026-12-14"  # next Monday, not "14.12.2026"


def test_a_refused_week_keeps_what_was_typed(secretariat: Person) -> None:
    response = client_for(secretariat).post("/bemanding/", {"week": "2026-12-16", "aht_seconds": "5"})
    assert response.status_code == 400
    assert 'name="week" value="2026-12-16"' in response.content.decode()


# --- one count of uncovered half-hours ---------------------------------------------------------------------------


def test_the_week_list_and_the_week_page_count_uncovered_half_hours_alike(
    week: HandmadeRota, secretariat: Person
) -> None:
    """Mon–Fri 9–14 needs one agent each half-hour. Uncovered: Tuesday 12–14 (4), Wednesday 13–14 (2), Thursday
    and Friday (10 each) = 26 half-hours; Monday 9.00 needs three and has two: one more, 27. Two agents short on
    Thursday 9.00 still counts once: it is half-hours, not agent-half-hours (those would be 28 + 1)."""
    rota = week.rota
    requirement = list(rota.requirement)
    requirement[0] = 3  # Monday 9.00: Holbæk's and Køge's agents are there
    requirement[30] = 2  # Thursday 9.00: nobody
    rota.requirement = requirement
    rota.report = {**rota.report, "shortfall": 122, "coverage_met": False}  # the solver's agent-half-hours: unused
    rota.save()
    page = client_for(secretariat).get(f"/bemanding/{WEEK}/").content.decode()
    assert re.search(r'id="uncovered">(\d+)<', page).group(1) == "27"  # type: ignore[union-attr]
    listing = client_for(secretariat).get("/bemanding/").content.decode()
    row = listing[listing.index(f'href="/bemanding/{WEEK}/"') :].split("</tr>")[0]
    assert '<td class="num uncovered">27</td>' in row
    for html in (page, listing):
        assert "de halve timer i ugen, hvor der er planlagt færre agenter end behovet" in html


def test_a_swap_that_moves_no_time_leaves_the_count_as_it_was(week: HandmadeRota, secretariat: Person) -> None:
    client = client_for(secretariat)
    before = re.search(r'id="uncovered">(\d+)<', client.get(f"/bemanding/{WEEK}/").content.decode())
    client.post(f"/bemanding/{WEEK}/316/byt/", {"kind": "overdrag", "shift": week.shifts["H2"].pk, "to": "253"})
    after = re.search(r'id="uncovered">(\d+)<', client.get(f"/bemanding/{WEEK}/").content.decode())
    assert before is not None and after is not None and before.group(1) == after.group(1) == "26"

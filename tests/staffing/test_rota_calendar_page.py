"""The rota as a week calendar on the pages (who works when, as blocks in a grid), and the Excel export's agent
column. The layout maths is tested in test_calendar.py; here the HTTP pages."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from samvirke.directory.models import Fellesskab, Person
from tests.conftest import client_for
from tests.staffing.handmade import WEEK, HandmadeRota, make_rota

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(fellesskab: Fellesskab, holbaek_agent: Person) -> HandmadeRota:
    return make_rota(fellesskab, holbaek_agent)


def blocks(html: str) -> list[str]:
    """Each calendar block's text, whitespace collapsed."""
    found = re.findall(r'<div class="wc-block[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", b).split()) for b in found]


def test_the_rota_page_shows_who_works_when_as_blocks_in_a_week_grid(week: HandmadeRota, holbaek_agent: Person) -> None:
    html = client_for(holbaek_agent).get(f"/bemanding/{WEEK}/").content.decode()
    assert 'class="week-cal"' in html
    for day in ("Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag"):
        assert f">{day}</div>" in html
    assert ">Lørdag</div>" not in html  # closed at weekends
    found = blocks(html)
    assert "09.00–11.00 Køge ikke fordelt" in found
    assert "09.00–12.00 Holbæk Agent (dig)" in found  # the fixed persona, named "Agent", is the viewer
    assert "12.00–13.00 Holbæk Hanne Andersen" in found
    assert "12.00–14.00 Greve Peter Hansen" in found
    assert len(found) == 6
    # Monday 9–12 (Holbæk) and 9–11 (Køge) sit side by side, in rows 2 (09.00) to 8 (12.00).
    assert (
        'style="grid-row: 2 / 8; grid-column: 2 / 3"' in html or 'style="grid-row: 2 / 8; grid-column: 3 / 4"' in html
    )
    assert 'id="uncovered"' in html and "need-bar" in html  # the requirement chart stays


def test_shifts_at_the_same_time_are_listed_in_one_block(week: HandmadeRota, secretariat: Person) -> None:
    from samvirke.staffing import actions

    actions.do_swap_shift(secretariat, week.shifts["K1"].pk, week.shifts["H1"].municipality)
    week.shifts["K1"].refresh_from_db()
    week.shifts["K1"].starts_at, week.shifts["K1"].ends_at = week.shifts["G2"].starts_at, week.shifts["G2"].ends_at
    week.shifts["K1"].save()
    html = client_for(secretariat).get(f"/bemanding/{WEEK}/").content.decode()
    assert "09.00–13.00 · 2 vagter Greve Peter Hansen Holbæk" in " ".join(blocks(html))


def test_the_member_page_has_the_same_calendar_with_only_its_shifts(week: HandmadeRota, holbaek_agent: Person) -> None:
    html = client_for(holbaek_agent).get(f"/bemanding/{WEEK}/316/").content.decode()
    found = blocks(html)
    assert sorted(found) == ["09.00–12.00 Agent (dig)", "09.00–12.00 Hanne Andersen", "12.00–13.00 Hanne Andersen"]
    assert 'id="member-total">7,0 timer<' in html and "bånd 5–8 timer" in html


def test_the_excel_export_has_the_agent_of_each_shift(week: HandmadeRota, secretariat: Person) -> None:
    response = client_for(secretariat).get(f"/bemanding/{WEEK}/vagtplan.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["Vagter"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Kommune", "Kommunekode", "Dag", "Fra", "Til", "Timer", "Aften/fredag", "Agent")
    by_start = {(row[1], row[3]): row[7] for row in rows[1:]}
    assert by_start[(316, "2026-11-30 12:00")] == "Hanne Andersen"
    assert by_start[(253, "2026-11-30 12:00")] == "Peter Hansen"
    assert by_start[(259, "2026-11-30 09:00")] == "ikke fordelt"
    assert len(rows) - 1 == len(week.shifts)


def test_an_agent_sees_its_own_shifts_marked_in_the_week(week: HandmadeRota) -> None:
    second = week.agents["holbaek-2"]
    html = client_for(second).get(f"/bemanding/{WEEK}/").content.decode()
    marked = re.findall(r'<li class="wc-shift[^"]* mine" data-shift="(\d+)"', html)
    assert sorted(map(int, marked)) == sorted([week.shifts["H2"].pk, week.shifts["H3"].pk])
    assert html.count("(dig)") == 2

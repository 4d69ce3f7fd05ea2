"""An agent's calendar subscription: a token URL (no session) with the agent's published shifts, valid
iCalendar; a wrong token is a 404; a new password revokes the link. Who sees the link."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from samvirke.directory.models import Fellesskab, Person, Role
from samvirke.staffing import access
from samvirke.staffing.models import Rota, RotaStatus, Shift
from tests.conftest import _person, client_for
from tests.staffing.handmade import WEEK, HandmadeRota, at, make_rota

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The feeds hold shifts from four weeks back; the hand-made week stays within that whatever the date."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC))


@pytest.fixture
def week(fellesskab: Fellesskab, holbaek_agent: Person) -> HandmadeRota:
    return make_rota(fellesskab, holbaek_agent)


def feed_url(person: Person) -> str:
    return f"/bemanding/kalender/agent/{access.agent_feed_token(person)}.ics"


def events(text: str) -> list[dict[str, str]]:
    unfolded = text.replace("\r\n ", "")
    return [
        dict(line.split(":", 1) for line in block.strip("\r\n").split("\r\n"))
        for block in re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", unfolded, re.S)
    ]


def test_the_feed_holds_the_agents_published_shifts_and_nobody_elses(week: HandmadeRota) -> None:
    second = week.agents["holbaek-2"]
    draft = Rota.objects.create(
        fellesskab=week.rota.fellesskab,
        week_start=week.rota.week_start.replace(day=7),
        status=RotaStatus.DRAFT,
        forecast_source="kladde",
        aht_seconds=270,
        target_service_level=0.8,
        target_seconds=60,
        shrinkage=0.3,
        max_occupancy=0.85,
    )
    Shift.objects.create(
        rota=draft, municipality=week.shifts["H2"].municipality, agent=second, starts_at=at(7, 9), ends_at=at(7, 11)
    )
    response = Client().get(feed_url(second))  # no login: a calendar app has no session
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    found = events(text)
    assert sorted(e["UID"] for e in found) == sorted(
        f"samvirke-shift-{week.shifts[n].pk}@samvirke" for n in ("H2", "H3")
    )
    mon = next(e for e in found if e["UID"].startswith(f"samvirke-shift-{week.shifts['H3'].pk}@"))
    assert mon["DTSTART"] == "20261130T110000Z" and mon["DTEND"] == "20261130T120000Z"  # 12–13 Copenhagen time
    assert mon["SUMMARY"] == "Hanne Andersen – hotlinevagt (Holbæk)"


def test_the_feed_is_valid_icalendar(week: HandmadeRota) -> None:
    text = Client().get(feed_url(week.agents["holbaek-2"])).content.decode()
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert all(len(line.encode()) <= 75 for line in lines)  # folded (RFC 5545 §3.1)
    assert text.count("BEGIN:VEVENT") == text.count("END:VEVENT") == 2
    assert all({"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} <= set(e) for e in events(text))
    assert "\n" not in text.replace("\r\n", "")


@pytest.mark.parametrize("mangle", ["digest", "id", "garbage"])
def test_a_wrong_token_is_a_404(week: HandmadeRota, mangle: str) -> None:
    token = access.agent_feed_token(week.agents["holbaek-2"])
    pk, digest = token.split("-", 1)
    wrong = {
        "digest": f"{pk}-{digest[:-1]}{'0' if digest[-1] != '0' else '1'}",
        "id": f"{week.agents['holbaek-1'].pk}-{digest}",
        "garbage": "abc",
    }[mangle]
    assert Client().get(f"/bemanding/kalender/agent/{wrong}.ics").status_code == 404


def test_a_new_password_gives_a_new_token_and_the_old_one_stops_working(week: HandmadeRota) -> None:
    agent = week.agents["holbaek-2"]
    old = feed_url(agent)
    assert Client().get(old).status_code == 200
    agent.set_password("a-brand-new-password-456")
    agent.save()
    assert feed_url(agent) != old
    assert Client().get(old).status_code == 404
    assert Client().get(feed_url(agent)).status_code == 200


def test_an_agent_who_left_has_no_feed(week: HandmadeRota) -> None:
    agent = week.agents["holbaek-2"]
    url = feed_url(agent)
    agent.is_active = False
    agent.save()
    assert Client().get(url).status_code == 404


def test_the_agent_sees_its_subscription_link(week: HandmadeRota, holbaek_agent: Person) -> None:
    html = client_for(holbaek_agent).get("/bemanding/").content.decode()
    assert "Abonnér i din kalender" in html and f"http://testserver{feed_url(holbaek_agent)}" in html
    assert f"webcal://testserver{feed_url(holbaek_agent)}" in html
    rota = client_for(holbaek_agent).get(f"/bemanding/{WEEK}/").content.decode()
    assert "Abonnér i din kalender" in rota
    member = client_for(holbaek_agent).get(f"/bemanding/{WEEK}/316/").content.decode()
    assert feed_url(holbaek_agent) in member and feed_url(week.agents["holbaek-2"]) not in member


def test_nobody_but_the_agent_sees_an_agents_private_link(
    week: HandmadeRota, secretariat: Person, greve_coordinator: Person
) -> None:
    """The link works without a login, so whoever sees it reads the agent's shifts: the coordinator and the
    secretariat get the member's calendar file instead."""
    holbaek_coordinator = _person("koordinator-holbaek", Role.COORDINATOR, 316)
    for person in (secretariat, holbaek_coordinator):
        html = client_for(person).get(f"/bemanding/{WEEK}/316/").content.decode()
        assert "/bemanding/kalender/agent/" not in html and "Kalenderabonnement" not in html
        assert 'href="/bemanding/kalender/316.ics"' in html  # the member's calendar file
    assert "Abonnér i din kalender" not in client_for(secretariat).get("/bemanding/").content.decode()  # not an agent
    greve = client_for(greve_coordinator).get(f"/bemanding/{WEEK}/253/").content.decode()
    assert "/bemanding/kalender/agent/" not in greve and 'href="/bemanding/kalender/253.ics"' in greve
    colleague = client_for(week.agents["holbaek-2"]).get(f"/bemanding/{WEEK}/316/").content.decode()
    assert feed_url(week.agents["holbaek-2"]) in colleague and feed_url(week.agents["holbaek-1"]) not in colleague


def test_only_the_agent_may_see_its_link(week: HandmadeRota, secretariat: Person, greve_coordinator: Person) -> None:
    agent = week.agents["holbaek-2"]
    holbaek_coordinator = _person("koordinator-holbaek", Role.COORDINATOR, 316)
    assert access.can_see_agent_feed(agent, agent)
    for other in (secretariat, holbaek_coordinator, greve_coordinator, week.agents["holbaek-1"]):
        assert not access.can_see_agent_feed(other, agent), other.username


def test_the_session_feed_of_my_own_shifts_stays(week: HandmadeRota, holbaek_agent: Person) -> None:
    text = client_for(holbaek_agent).get("/bemanding/mine-vagter.ics").content.decode()
    assert [e["UID"] for e in events(text)] == [f"samvirke-shift-{week.shifts['H1'].pk}@samvirke"]

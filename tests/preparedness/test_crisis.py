"""Crisis mode (seed 002 l.86–104): one audited switch publishes the notice to the chat, the phone reply and the desks,
reroutes a stricken member's numbers, extends the hours; switching off restores everything and writes the log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from samvirke.audit.models import AuditEntry
from samvirke.contact.models import Contact
from samvirke.directory.models import Municipality, Person, Role
from samvirke.knowledge.models import CrisisNotice
from samvirke.knowledge.selectors import active_crisis_notices
from samvirke.preparedness.actions import PreparednessError, do_end_crisis, do_start_crisis
from samvirke.preparedness.lib.crisis import HOURS_AROUND_THE_CLOCK, HOURS_EXTENDED, crisis_keeps_open, ivr_message
from samvirke.preparedness.models import Crisis, CrisisLogEntry, CrisisScope, Reroute
from tests.conftest import GREVE, HOLBAEK, KOEGE, _person, client_for
from tests.contact.conftest import GREVE_NUMBER, HOLBAEK_NUMBER, LOCAL, MONDAY_10, Telephony, at

STORM = {"title": "Strømsvigt", "text": "Strømmen er gået i Holbæk. Følg holbaek.dk for nyt."}


def _m(code: int) -> Municipality:
    return Municipality.objects.get(code=code)


def _start(actor: Person, **fields: object) -> Crisis:
    values: dict[str, object] = {"scope": CrisisScope.FELLESSKAB, **STORM, "at": MONDAY_10}
    values.update(fields)
    return do_start_crisis(actor, **values)  # type: ignore[arg-type]


# --- the pure rules -----------------------------------------------------------------------------------------------


def test_the_extended_hours_keep_the_line_open_also_at_night_and_on_holidays() -> None:
    christmas_night = dt.datetime(2026, 12, 24, 23, 30, tzinfo=LOCAL)
    assert crisis_keeps_open(HOURS_AROUND_THE_CLOCK, christmas_night)
    assert not crisis_keeps_open(HOURS_EXTENDED, christmas_night)
    assert crisis_keeps_open(HOURS_EXTENDED, christmas_night.replace(hour=21, minute=59))
    assert not crisis_keeps_open("none", christmas_night.replace(hour=12))
    assert ivr_message("Storm.", "Bliv inde.", drill=True) == "Dette er en øvelse. Storm. Bliv inde."


# --- the switch ---------------------------------------------------------------------------------------------------


def test_switching_on_publishes_the_notice_to_the_chat_logs_and_audits(secretariat: Person) -> None:
    crisis = _start(secretariat, extended_hours=HOURS_AROUND_THE_CLOCK)
    notice = crisis.notice
    assert notice is not None and notice.published and notice.body == STORM["text"]
    assert set(notice.municipalities.values_list("code", flat=True)) == {HOLBAEK, GREVE, KOEGE}
    assert [n.pk for n in active_crisis_notices(_m(GREVE), MONDAY_10)] == [notice.pk]
    assert AuditEntry.objects.filter(action="preparedness.crisis_started").count() == 1
    texts = list(crisis.log.values_list("text", flat=True))
    assert texts[0] == "Krisetilstand slået til: Strømsvigt." and any("Døgnåbent" in text for text in texts)

    do_end_crisis(secretariat, crisis, at=MONDAY_10 + dt.timedelta(hours=3))
    crisis.refresh_from_db()
    notice.refresh_from_db()
    assert crisis.ended_at is not None and crisis.ended_by == secretariat and not notice.published
    assert active_crisis_notices(_m(GREVE), MONDAY_10 + dt.timedelta(hours=4)) == []
    assert crisis.log.last() is not None and crisis.log.last().text == "Krisetilstand slået fra."
    assert AuditEntry.objects.filter(action="preparedness.crisis_ended").count() == 1


def test_switching_on_twice_is_refused_and_changes_nothing(secretariat: Person) -> None:
    _start(secretariat)
    before = (Crisis.objects.count(), CrisisNotice.objects.count(), CrisisLogEntry.objects.count())
    with pytest.raises(PreparednessError, match="allerede slået til"):
        _start(secretariat, title="Oversvømmelse")
    assert (Crisis.objects.count(), CrisisNotice.objects.count(), CrisisLogEntry.objects.count()) == before
    # A drill is not a crisis: it may run beside it (and is refused twice too).
    _start(secretariat, drill=True)
    with pytest.raises(PreparednessError, match="En øvelse er allerede"):
        _start(secretariat, drill=True)


def test_switching_off_twice_is_refused(secretariat: Person) -> None:
    crisis = _start(secretariat)
    do_end_crisis(secretariat, crisis, at=MONDAY_10)
    with pytest.raises(PreparednessError, match="allerede slået fra"):
        do_end_crisis(secretariat, crisis, at=MONDAY_10)


def test_a_coordinator_switches_only_for_its_own_municipality(fellesskab: object, greve_coordinator: Person) -> None:
    with pytest.raises(PreparednessError, match="egen kommune"):
        _start(greve_coordinator)  # the whole fællesskab: the secretariat's switch
    with pytest.raises(PreparednessError, match="egen kommune"):
        _start(greve_coordinator, scope=CrisisScope.MEMBER, stricken=_m(HOLBAEK))
    assert not Crisis.objects.exists() and not CrisisNotice.objects.exists()
    crisis = _start(greve_coordinator, scope=CrisisScope.MEMBER, stricken=_m(GREVE), reroute=Reroute.POOL)
    assert crisis.notice is not None and list(crisis.notice.municipalities.all()) == [_m(GREVE)]
    holbaek_coordinator = _person("coordinator-holbaek", Role.COORDINATOR, HOLBAEK)
    with pytest.raises(PreparednessError, match="egen kommune"):
        do_end_crisis(holbaek_coordinator, crisis, at=MONDAY_10)
    assert Crisis.objects.get().ended_at is None


def test_bad_input_is_refused_in_danish(secretariat: Person) -> None:
    with pytest.raises(PreparednessError, match="overskrift"):
        _start(secretariat, title="  ")
    with pytest.raises(PreparednessError, match="ramte kommune"):
        _start(secretariat, scope=CrisisScope.MEMBER)
    with pytest.raises(PreparednessError, match="mindst én kommune"):
        _start(secretariat, scope=CrisisScope.MEMBER, stricken=_m(HOLBAEK), reroute=Reroute.MEMBERS)
    with pytest.raises(PreparednessError, match="andre medlemskommuner"):
        _start(
            secretariat,
            scope=CrisisScope.MEMBER,
            stricken=_m(HOLBAEK),
            reroute=Reroute.MEMBERS,
            reroute_to=[_m(HOLBAEK)],
        )
    assert not Crisis.objects.exists()


# --- the phone: the reply, the rerouting, the hours ---------------------------------------------------------------


def test_the_call_offered_reply_carries_the_ivr_message_while_the_crisis_lasts(
    telephony: Telephony, agents: list[Person], secretariat: Person
) -> None:
    assert "ivr_message" not in telephony.offer("before", at(0)).json()
    crisis = _start(secretariat)
    reply = telephony.offer("during", at(10)).json()
    assert reply["ivr_message"] == "Strømsvigt. Strømmen er gået i Holbæk. Følg holbaek.dk for nyt."
    assert reply["crisis"] == {"id": crisis.pk, "rerouted": "none"}
    do_end_crisis(secretariat, crisis, at=at(20))
    assert "ivr_message" not in telephony.offer("after", at(30)).json()


def test_a_member_crisis_speaks_only_to_the_stricken_members_callers(
    telephony: Telephony, agents: list[Person], secretariat: Person
) -> None:
    _start(secretariat, scope=CrisisScope.MEMBER, stricken=_m(HOLBAEK))
    assert "ivr_message" in telephony.offer("holbaek", at(0), called=HOLBAEK_NUMBER).json()
    assert "ivr_message" not in telephony.offer("greve", at(1), called=GREVE_NUMBER).json()


def test_the_stricken_members_calls_go_to_the_pool_and_back_after(
    telephony: Telephony, agents: list[Person], secretariat: Person
) -> None:
    telephony.agent("agent-holbaek-1", "ready", at(0))  # the longest idle: it would get the call
    telephony.agent("agent-greve-1", "ready", at(5))
    crisis = _start(secretariat, scope=CrisisScope.MEMBER, stricken=_m(HOLBAEK), reroute=Reroute.POOL)
    reply = telephony.offer("c1", at(10), called=HOLBAEK_NUMBER).json()
    assert reply["agent"] == "agent-greve-1" and reply["crisis"]["rerouted"] == "pool"
    do_end_crisis(secretariat, crisis, at=at(20))
    assert telephony.offer("c2", at(30), called=HOLBAEK_NUMBER).json()["agent"] == "agent-holbaek-1"


def test_the_stricken_members_calls_go_to_the_named_members(
    telephony: Telephony, agents: list[Person], secretariat: Person
) -> None:
    telephony.agent("agent-holbaek-1", "ready", at(0))
    telephony.agent("agent-greve-1", "ready", at(1))
    telephony.agent("agent-koege-1", "ready", at(2))
    _start(secretariat, scope=CrisisScope.MEMBER, stricken=_m(HOLBAEK), reroute=Reroute.MEMBERS, reroute_to=[_m(KOEGE)])
    reply = telephony.offer("c1", at(10), called=HOLBAEK_NUMBER).json()
    assert reply["agent"] == "agent-koege-1" and reply["crisis"]["rerouted"] == "members"
    # Other members' calls are routed as always: the longest idle.
    assert telephony.offer("c2", at(11), called=GREVE_NUMBER).json()["agent"] == "agent-holbaek-1"


def test_the_extended_hours_open_the_line_and_switching_off_closes_it(
    telephony: Telephony, agents: list[Person], secretariat: Person
) -> None:
    evening = dt.datetime(2026, 11, 23, 21, 30, tzinfo=LOCAL)  # the hotline closes at 20
    telephony.agent("agent-greve-1", "ready", evening)
    assert telephony.offer("closed", evening).json()["state"] == "closed"
    crisis = _start(secretariat, extended_hours=HOURS_EXTENDED, at=evening)
    reply = telephony.offer("open", evening + dt.timedelta(minutes=1)).json()
    assert reply["state"] == "assigned" and reply["agent"] == "agent-greve-1"
    do_end_crisis(secretariat, crisis, at=evening + dt.timedelta(minutes=2))
    closed = telephony.offer("closed-again", evening + dt.timedelta(minutes=3)).json()
    assert closed["state"] == "closed" and "ivr_message" not in closed


def test_the_drill_line_gets_the_drills_reply_and_touches_no_live_queue(
    telephony: Telephony, agents: list[Person], secretariat: Person, settings: object
) -> None:
    number = settings.PREPAREDNESS_DRILL_NUMBER  # type: ignore[attr-defined]
    assert telephony.offer("d0", at(0), called=number).json()["ivr_message"] is None
    _start(secretariat, drill=True, title="Øvelse storm")
    reply = telephony.offer("d1", at(1), called=number).json()
    assert reply["drill"] is True and reply["ivr_message"].startswith("Dette er en øvelse. Øvelse storm.")
    live = telephony.offer("live", at(2)).json()
    assert "ivr_message" not in live  # the live line knows no drill
    assert not Contact.objects.filter(external_id__in=["d0", "d1"]).exists()
    assert not CrisisNotice.objects.exists()  # the citizens' chat shows no drill


# --- the page -----------------------------------------------------------------------------------------------------

FORM = {"title": "Storm", "text": "Bliv inde.", "scope": "fellesskab", "reroute": "none", "extended_hours": "none"}


def test_the_page_switches_on_and_off_and_refuses_twice(secretariat: Person) -> None:
    client = client_for(secretariat)
    assert client.get("/beredskab/").status_code == 200
    assert client.post("/beredskab/slaa-til/", FORM).status_code == 302
    again = client.post("/beredskab/slaa-til/", {**FORM, "title": "Storm igen"})
    assert again.status_code == 409 and "allerede slået til" in again.content.decode()
    crisis = Crisis.objects.get()
    assert client.post(f"/beredskab/{crisis.pk}/slaa-fra/").status_code == 302
    page = client.get("/beredskab/").content.decode()
    assert "Krisetilstand slået fra." in page
    assert Crisis.objects.get().ended_at is not None


def test_the_page_shows_form_errors_in_danish(secretariat: Person) -> None:
    response = client_for(secretariat).post("/beredskab/slaa-til/", {**FORM, "title": "", "scope": "member"})
    body = response.content.decode()
    assert response.status_code == 400 and "Skriv en overskrift." in body and "Vælg den ramte kommune." in body
    assert not Crisis.objects.exists()


def test_outsiders_and_agents_are_refused(
    secretariat: Person, outsider: Person, holbaek_agent: Person, region_staff: Person
) -> None:
    crisis = _start(secretariat)
    for person in (outsider, holbaek_agent, region_staff):
        client = client_for(person)
        assert client.get("/beredskab/").status_code == 403
        assert client.post("/beredskab/slaa-til/", {**FORM, "drill": "on"}).status_code == 403
        assert client.post(f"/beredskab/{crisis.pk}/slaa-fra/").status_code == 403
    assert Crisis.objects.count() == 1 and Crisis.objects.get().ended_at is None


def test_a_coordinator_of_another_member_cannot_switch_off_a_members_crisis(
    secretariat: Person, greve_coordinator: Person
) -> None:
    crisis = _start(secretariat, scope=CrisisScope.MEMBER, stricken=_m(HOLBAEK))
    assert client_for(greve_coordinator).post(f"/beredskab/{crisis.pk}/slaa-fra/").status_code == 403
    refused = client_for(greve_coordinator).post(
        "/beredskab/slaa-til/", {**FORM, "scope": "member", "stricken": _m(HOLBAEK).pk, "drill": "on"}
    )
    assert refused.status_code == 409 and "egen kommune" in refused.content.decode()
    assert Crisis.objects.count() == 1 and Crisis.objects.get().ended_at is None


def test_every_open_desk_shows_the_banner_at_its_next_poll(secretariat: Person, holbaek_agent: Person) -> None:
    client = client_for(holbaek_agent)
    page = client.get("/kontaktcenter/").content.decode()
    assert 'data-testid="crisis-banner"' not in page
    seen = page.split('name="seen_crisis" value="')[1].split('"')[0]
    crisis = _start(secretariat, at=timezone.now())
    poll = client.get("/kontaktcenter/skrivebord/", {"seen_crisis": seen})
    body = poll.content.decode()
    assert poll.status_code == 200 and 'id="desk-crisis"' in body and "Krisetilstand: Strømsvigt" in body
    do_end_crisis(secretariat, crisis, at=timezone.now())
    new_seen = body.split('name="seen_crisis" value="')[1].split('"')[0]
    cleared = client.get("/kontaktcenter/skrivebord/", {"seen_crisis": new_seen}).content.decode()
    assert 'id="desk-crisis"' in cleared and 'data-testid="crisis-banner"' not in cleared


def test_the_openapi_schema_declares_the_ivr_message(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    reply = schema["paths"]["/api/telephony/events"]["post"]["responses"]["200"]["content"]["application/json"]
    assert reply["schema"]["properties"]["ivr_message"]["type"] == "string"
    assert "ivr_message" in schema["paths"]["/api/telephony/events"]["post"]["description"]


def test_a_waiting_call_of_the_stricken_member_is_rerouted_too(
    telephony: Telephony, agents: list[Person], secretariat: Person
) -> None:
    _start(secretariat, scope=CrisisScope.MEMBER, stricken=_m(HOLBAEK), reroute=Reroute.POOL)
    assert telephony.offer("waits", at(0), called=HOLBAEK_NUMBER).json()["state"] == "queued"
    # Holbæk's own agent becomes ready first: it leaves the call to the others and stays ready.
    assert telephony.agent("agent-holbaek-1", "ready", at(5)).json()["assigned_call_id"] is None
    assert telephony.agent("agent-greve-1", "ready", at(10)).json()["assigned_call_id"] == "waits"
    # Greve's calls still reach Holbæk's agent.
    assert telephony.offer("greve", at(15), called=GREVE_NUMBER).json()["agent"] == "agent-holbaek-1"


def test_the_extended_hours_also_keep_the_chat_hand_over_open(secretariat: Person) -> None:
    from samvirke.contact.actions import do_start_chat

    evening = dt.datetime(2026, 11, 23, 21, 30, tzinfo=LOCAL)
    assert do_start_chat(_m(GREVE), "", evening).state == "closed"
    crisis = _start(secretariat, extended_hours=HOURS_EXTENDED, at=evening)
    assert do_start_chat(_m(GREVE), "", evening).state == "queued"
    do_end_crisis(secretariat, crisis, at=evening)
    assert do_start_chat(_m(GREVE), "", evening).state == "closed"

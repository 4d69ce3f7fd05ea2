"""samvirke simulate-traffic: a short historic run through the real API, a live run, and refused options."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from samvirke.assistant.models import ChatbotConversation
from samvirke.audit.models import AuditEntry
from samvirke.contact.actions import do_set_agent_status
from samvirke.contact.management.commands.simulate_traffic import Command
from samvirke.contact.models import AgentState, AgentStatus, Contact, ContactState, TelephonyEvent
from samvirke.core.lib.clock import LOCAL
from samvirke.directory.models import Fellesskab, Municipality, Person, Role
from tests.conftest import GREVE, HOLBAEK, KOEGE
from tests.training.helpers import train

LOCAL_MONDAY_0755 = dt.datetime(2026, 11, 23, 7, 55, tzinfo=LOCAL)


def simulate(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("simulate_traffic", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def simulated_agents(fellesskab: Fellesskab) -> list[Person]:
    """The simulator's own agents, as seed-demo makes them: one per member, never able to log in."""
    people = []
    for code, name in ((HOLBAEK, "holbaek"), (GREVE, "greve"), (KOEGE, "koege")):
        person = Person(
            username=f"sim-{name}-1",
            first_name="Agent",
            last_name=f"{name.capitalize()} 1",
            role=Role.AGENT,
            municipality=Municipality.objects.get(code=code),
            is_simulated=True,
            is_active=False,
        )
        person.set_unusable_password()
        person.save()
        train(person)  # as seed-demo trains them: the contact centre routes only trained agents
        people.append(person)
    return people


def _driven_usernames(prefix: str) -> set[str]:
    """Every agent the run's events set a status for."""
    events = TelephonyEvent.objects.filter(event_id__startswith=f"{prefix}-", type="agent_status")
    return {event.payload["agent"] for event in events}


@pytest.mark.django_db
def test_one_historic_day_gives_contacts_in_consistent_states(
    simulated_agents: list[Person], agents: list[Person]
) -> None:
    out, err = simulate(
        "--start", "2026-11-23", "--days", "1", "--calls-per-year", "4000", "--seed", "4", "--prefix", "t1"
    )
    assert err == ""  # no unexpected replies
    assert "Opkald tilbudt:" in out and "Servicemål" in out and "Chatbotsamtaler:" in out
    contacts = Contact.objects.filter(external_id__startswith="t1-")
    states = dict(contacts.values_list("state").annotate(n=Count("id")))
    assert sum(states.values()) > 10
    # The day is over: every call was answered and ended, transferred, or abandoned; nobody still waits.
    assert set(states) <= {ContactState.ENDED, ContactState.TRANSFERRED, ContactState.ABANDONED}
    assert states.get(ContactState.ENDED, 0) > 0
    answered = contacts.filter(state__in=[ContactState.ENDED, ContactState.TRANSFERRED])
    assert not answered.filter(answered_at__isnull=True).exists()
    assert not answered.filter(agent__isnull=True).exists()
    # In-process the agents registered every answered call (the desk's registration, called directly).
    assert answered.filter(registered_at__isnull=False).count() == answered.count()
    assert not contacts.filter(state=ContactState.ABANDONED, answered_at__isnull=False).exists()
    # Timestamps are simulated time on Monday 23 November, inside opening hours.
    assert {c.offered_at.astimezone(LOCAL).date().isoformat() for c in contacts} == {"2026-11-23"}
    assert all(8 <= c.offered_at.astimezone(LOCAL).hour < 20 for c in contacts)
    # Every event was applied once, and the agents logged off at the end of the day.
    events = TelephonyEvent.objects.filter(event_id__startswith="t1-")
    assert events.count() > 3 * contacts.count()
    assert not events.exclude(outcome="applied").exists()
    assert set(AgentState.objects.values_list("status", flat=True)) == {AgentStatus.OFFLINE}
    assert f"Opkald tilbudt: {contacts.count()}," in out
    assert ChatbotConversation.objects.count() > 0


@pytest.mark.django_db
def test_it_drives_its_own_simulated_agents_and_never_a_persons_login(
    simulated_agents: list[Person], agents: list[Person]
) -> None:
    person = agents[0]  # agent-holbaek-1, a person's login
    simulate("--start", "2026-11-23", "--days", "1", "--calls-per-year", "4000", "--seed", "4", "--prefix", "t3")
    assert _driven_usernames("t3") == {p.username for p in simulated_agents}
    answered = Contact.objects.filter(external_id__startswith="t3-", answered_at__isnull=False)
    assert answered.exists() and not answered.exclude(agent__is_simulated=True).exists()
    assert not AuditEntry.objects.filter(actor=person).exists()  # nothing registered in the person's name
    assert not AgentState.objects.filter(person=person).exists()  # nor a status set for the person


@pytest.mark.django_db
def test_a_person_is_driven_only_when_named(simulated_agents: list[Person], agents: list[Person]) -> None:
    out, err = simulate(
        "--start", "2026-11-23", "--days", "1", "--calls-per-year", "2000", "--seed", "4", "--prefix", "t4",
        "--agent", "agent-holbaek-1", "--agent", "agent-greve-1",
    )  # fmt: skip
    assert err == ""
    assert "simulatoren styrer agent-holbaek-1, agent-greve-1" in out  # said out loud
    assert _driven_usernames("t4") == {"agent-holbaek-1", "agent-greve-1"}
    with pytest.raises(CommandError, match="ingen agent med brugernavnet nobody"):
        simulate("--agent", "nobody")
    with pytest.raises(CommandError, match="enten --agents"):
        simulate("--agent", "agent-holbaek-1", "--agents", "1")


@pytest.mark.django_db
def test_a_call_given_to_a_person_on_the_desk_is_never_answered_or_registered_for_them(
    simulated_agents: list[Person], agents: list[Person]
) -> None:
    # A person who went ready on the desk before the simulated agents' first shift gets the first call.
    person = agents[0]
    start = LOCAL_MONDAY_0755
    do_set_agent_status(person, AgentStatus.READY, start)
    out, err = simulate(
        "--start", "2026-11-23", "--days", "1", "--calls-per-year", "4000", "--seed", "4", "--prefix", "t5"
    )
    assert err == ""
    theirs = Contact.objects.filter(external_id__startswith="t5-", agent=person)
    assert theirs.exists()
    # The person never answered on the desk, so the citizen hung up; no answer, no registration in their name.
    assert not theirs.filter(answered_at__isnull=False).exists()
    assert not theirs.filter(registered_at__isnull=False).exists()
    assert set(theirs.values_list("state", flat=True)) == {ContactState.ABANDONED}
    assert person.username not in _driven_usernames("t5")
    assert "Opkald til medarbejdere, som simulatoren ikke styrer:" in out


@pytest.mark.django_db
def test_a_live_run_from_an_earlier_start_plays_that_traffic_now(simulated_agents: list[Person]) -> None:
    from django.utils import timezone

    started = timezone.now()
    out, err = simulate(
        "--start", "2026-11-23T19:40:00+01:00", "--realtime", "--speed", "20000", "--calls-per-year", "400000",
        "--prefix", "t2",
    )  # fmt: skip
    finished = timezone.now()
    assert err == ""
    assert "realtid ×20000" in out
    contacts = Contact.objects.filter(external_id__startswith="t2-")
    assert contacts.exists()
    # The last twenty minutes before closing on 23 November, played from the moment the run started: the contact
    # centre sees them now (a person on the desk answers by the wall clock), compressed ×20000.
    assert all(started - dt.timedelta(seconds=1) <= c.offered_at <= finished for c in contacts)


@pytest.mark.slow
@pytest.mark.django_db
def test_a_live_run_from_now_stamps_its_events_by_the_wall_clock(simulated_agents: list[Person]) -> None:
    from django.utils import timezone

    from tests.browser.livesite import busy_morning
    from tests.contact.conftest import open_all_hours

    open_all_hours()  # the run starts now, whatever the hour
    started = timezone.now()
    # From the latest working morning (the simulated day ends at 20:00; a run from now in the evening has none).
    simulate(
        "--realtime", "--start", busy_morning(), "--speed", "50000", "--calls-per-year", "400000", "--prefix", "t9"
    )
    finished = timezone.now()
    events = TelephonyEvent.objects.filter(event_id__startswith="t9-")
    assert events.exists()
    # Simulated time runs ×50000 ahead; the events carry the compressed clock, so the contact centre sees
    # offers, answers and ends in the order and at the moments they happened.
    assert all(started - dt.timedelta(seconds=1) <= e.occurred_at <= finished for e in events)
    answered = Contact.objects.filter(external_id__startswith="t9-", answered_at__isnull=False)
    assert all(c.answered_at is not None and c.offered_at <= c.answered_at for c in answered)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "0"], "--days skal være mellem"),
        (["--speed", "2"], "--speed bruges kun sammen med --realtime"),
        (["--realtime", "--speed", "-1"], "--speed skal være større end 0"),
        (["--start", "i morgen"], "--start skal være en dato"),
        (["--calls-per-year", "0"], "--calls-per-year skal være større end 0"),
        (["--agents", "0"], "--agents skal være mindst 1"),
    ],
)
def test_bad_options_are_refused_in_danish(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        simulate(*args)


@pytest.mark.django_db
def test_too_many_agents_and_a_bad_url_are_refused(simulated_agents: list[Person]) -> None:
    with pytest.raises(CommandError, match="der er kun 3 simulerede agenter"):
        simulate("--agents", "99")
    with pytest.raises(CommandError, match="--url skal være en http"):
        simulate("--url", "ftp://example.org")


@pytest.mark.django_db
def test_without_members_it_says_to_seed_the_demo_first() -> None:
    with pytest.raises(CommandError, match="seed-demo"):
        simulate("--days", "1")


@pytest.mark.django_db
def test_without_simulated_agents_it_says_to_seed_the_demo_and_takes_no_persons_login(agents: list[Person]) -> None:
    with pytest.raises(CommandError, match="ingen simulerede agenter. Kør først: samvirke seed-demo"):
        simulate("--days", "1")


def test_the_command_line_exits_non_zero_with_a_danish_line_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["samvirke", "simulate_traffic", "--days", "0"])
    assert exit_info.value.code != 0
    assert "--days skal være mellem 1 og" in capsys.readouterr().err


@pytest.mark.django_db
def test_days_outside_the_apis_event_window_are_refused_before_anything_is_sent(
    simulated_agents: list[Person], settings: Any
) -> None:
    settings.TELEPHONY_EVENT_MAX_AGE = dt.timedelta(days=30)  # the default (this module's fixture widens it)
    settings.TELEPHONY_EVENT_MAX_AHEAD = dt.timedelta(hours=24)
    with pytest.raises(CommandError, match="uden for det tidsrum, telefoni-API'et tager imod"):
        simulate("--start", "2020-01-06", "--days", "1")
    assert not TelephonyEvent.objects.exists()


@pytest.mark.django_db
def test_it_says_which_agents_are_not_trained_and_makes_up_no_training(fellesskab: Fellesskab) -> None:
    person = Person(
        username="sim-greve-1",
        role=Role.AGENT,
        municipality=Municipality.objects.get(code=GREVE),
        is_simulated=True,
        is_active=False,
    )
    person.set_unusable_password()
    person.save()
    out, _err = simulate(
        "--start", "2026-11-23", "--days", "1", "--calls-per-year", "400", "--seed", "4", "--prefix", "t9"
    )
    assert "1 af de 1 agenter er ikke uddannet til hotlinen (sim-greve-1)" in out
    assert not Contact.objects.filter(external_id__startswith="t9-", agent=person).exists()
    assert not person.qualifications.exists()

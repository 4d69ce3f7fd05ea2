"""samvirke simulate-traffic: a short historic run through the real API, a live run, and refused options."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from samvirke.assistant.models import ChatbotConversation
from samvirke.contact.lib.traffic import LOCAL
from samvirke.contact.management.commands.simulate_traffic import Command
from samvirke.contact.models import AgentState, AgentStatus, Contact, ContactState, TelephonyEvent
from samvirke.directory.models import Person


def simulate(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("simulate_traffic", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_one_historic_day_gives_contacts_in_consistent_states(agents: list[Person]) -> None:
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
def test_a_live_run_paces_the_events(agents: list[Person]) -> None:
    out, err = simulate(
        "--start", "2026-11-23T19:40:00+01:00", "--realtime", "--speed", "20000", "--calls-per-year", "400000",
        "--prefix", "t2",
    )  # fmt: skip
    assert err == ""
    assert "realtid ×20000" in out
    contacts = Contact.objects.filter(external_id__startswith="t2-")
    assert contacts.exists()
    local = [c.offered_at.astimezone(LOCAL) for c in contacts]
    assert all(t.hour == 19 and t.minute >= 40 for t in local)


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
def test_too_many_agents_and_a_bad_url_are_refused(agents: list[Person]) -> None:
    with pytest.raises(CommandError, match="der er kun 3 medarbejdere"):
        simulate("--agents", "99")
    with pytest.raises(CommandError, match="--url skal være en http"):
        simulate("--url", "ftp://example.org")


@pytest.mark.django_db
def test_without_members_it_says_to_seed_the_demo_first() -> None:
    with pytest.raises(CommandError, match="seed-demo"):
        simulate("--days", "1")


def test_the_command_line_exits_non_zero_with_a_danish_line_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["samvirke", "simulate_traffic", "--days", "0"])
    assert exit_info.value.code != 0
    assert "--days skal være mellem 1 og" in capsys.readouterr().err

"""The demo's training records (seed-demo) and what they do to the demo's traffic: with overflow to untrained agents
off (the default), no health-app call reaches an agent without the health line's skill or training (issue 14: 19 of
32 did, after 120 s of overflow)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from samvirke.contact.demo import load_demo_contact_centre
from samvirke.contact.models import Contact
from samvirke.contact.selectors import unqualified_overflow_counts
from samvirke.directory.models import Fellesskab, HotlineNumber, Membership, Municipality, Person, Role
from samvirke.training.demo import load_demo_training
from samvirke.training.models import MedLytBooking, MedLytSession, Qualification, TrainingRecord
from tests.conftest import GREVE, HOLBAEK, KOEGE, _person

DAY = dt.date(2026, 11, 23)


@pytest.fixture
def demo_people(fellesskab: Fellesskab) -> list[Person]:
    """Per member a coordinator, agents 1–3 and the simulator's agents 1–3 (as seed-demo makes them)."""
    people = []
    for code, name in ((HOLBAEK, "holbaek"), (GREVE, "greve"), (KOEGE, "koege")):
        people.append(_person(f"koordinator-{name}", Role.COORDINATOR, code))
        people += [_person(f"agent-{name}-{n}", Role.AGENT, code) for n in (1, 2, 3)]
        for n in (1, 2, 3):
            sim = Person(
                username=f"sim-{name}-{n}",
                role=Role.AGENT,
                municipality=Municipality.objects.get(code=code),
                is_simulated=True,
                is_active=False,
            )
            sim.set_unusable_password()
            sim.save()
            people.append(sim)
        membership = Membership.objects.get(municipality__code=code)
        HotlineNumber.objects.create(membership=membership, line="health_apps", number=f"70300{code}")
    return people


@pytest.mark.django_db
def test_most_demo_agents_are_trained_a_few_for_the_health_line_and_a_second_run_changes_nothing(
    demo_people: list[Person],
) -> None:
    today = timezone.localdate()
    holbaek = Municipality.objects.get(code=HOLBAEK)
    summary = load_demo_training(today, holbaek)
    assert summary == (
        "Uddannelse: 18 medarbejdere uddannet til hotlinen, heraf 6 også til sundhedsapps-linjen; "
        "3 venter på deres med-lyt-dag."
    )
    general = set(Qualification.objects.filter(line="citizen_service").values_list("person__username", flat=True))
    health = set(Qualification.objects.filter(line="health_apps").values_list("person__username", flat=True))
    assert "agent-holbaek-3" not in general and "sim-holbaek-3" in general and "koordinator-greve" in general
    assert health == {f"{kind}-{name}-1" for kind in ("agent", "sim") for name in ("holbaek", "greve", "koege")}
    assert MedLytBooking.objects.filter(session__date__gt=today, attended=False).count() == 3
    counts = (TrainingRecord.objects.count(), MedLytSession.objects.count(), MedLytBooking.objects.count())
    again = load_demo_training(today, holbaek)
    assert again.endswith("intet ændret.")
    assert (TrainingRecord.objects.count(), MedLytSession.objects.count(), MedLytBooking.objects.count()) == counts


def _demo_day(settings: Any, overflow_to_untrained: bool) -> tuple[int, dict[str, int]]:
    settings.ROUTING_OVERFLOW_TO_UNQUALIFIED = overflow_to_untrained
    settings.TELEPHONY_EVENT_MAX_AGE = dt.timedelta(days=3650)
    load_demo_contact_centre()  # the health-app skill for each member's first agent
    load_demo_training(timezone.localdate(), Municipality.objects.get(code=HOLBAEK))
    call_command(
        "simulate_traffic", "--start", DAY.isoformat(), "--days", "1", "--calls-per-year", "60000", "--seed", "7",
        "--prefix", "d", stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    health_calls = Contact.objects.filter(queue__line="health_apps", external_id__startswith="d-").count()
    start = dt.datetime.combine(DAY, dt.time(0), tzinfo=dt.UTC)
    return health_calls, unqualified_overflow_counts(start, start + dt.timedelta(days=2))


@pytest.mark.django_db
def test_with_overflow_off_no_demo_health_call_reaches_an_untrained_agent(
    demo_people: list[Person], settings: Any
) -> None:
    health_calls, untrained = _demo_day(settings, overflow_to_untrained=False)
    assert health_calls >= 10
    assert untrained == {}


@pytest.mark.django_db
def test_with_overflow_on_the_same_day_hands_health_calls_to_untrained_agents_and_counts_them(
    demo_people: list[Person], settings: Any
) -> None:
    health_calls, untrained = _demo_day(settings, overflow_to_untrained=True)
    assert 0 < untrained.get("health_apps", 0) <= health_calls

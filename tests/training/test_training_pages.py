"""Training records: the actions' refusals (Danish, nothing changed) and the page's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from samvirke.directory.models import Fellesskab, Municipality, Person, Role
from samvirke.training.actions import TrainingError, do_book_session, do_mark_attended, do_record_step
from samvirke.training.models import MedLytBooking, MedLytSession, Qualification
from tests.conftest import GREVE, HOLBAEK, _person, client_for

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def holbaek_coordinator(fellesskab: Fellesskab) -> Person:
    return _person("koordinator-holbaek", Role.COORDINATOR, HOLBAEK)


def _session(capacity: int, day: dt.date | None = None) -> MedLytSession:
    return MedLytSession.objects.create(
        date=day or _today(), host=Municipality.objects.get(code=GREVE), capacity=capacity
    )


def test_qualification_follows_the_steps(holbaek_agent: Person) -> None:
    today = _today()
    do_record_step(None, holbaek_agent, "elearning", today - dt.timedelta(days=20))
    do_record_step(None, holbaek_agent, "course_day", today - dt.timedelta(days=5))
    assert not Qualification.objects.filter(person=holbaek_agent).exists()
    booking = do_book_session(None, holbaek_agent, _session(2))
    do_mark_attended(None, booking)
    assert list(Qualification.objects.filter(person=holbaek_agent).values_list("line", "since")) == [
        ("citizen_service", today)
    ]
    do_record_step(None, holbaek_agent, "health_module", today)
    assert Qualification.objects.filter(person=holbaek_agent).count() == 2
    do_record_step(None, holbaek_agent, "course_day", None)  # cleared: no longer qualified for either line
    assert not Qualification.objects.filter(person=holbaek_agent).exists()


def test_a_session_over_capacity_is_refused_and_nothing_changes(fellesskab: Fellesskab) -> None:
    people = [_person(f"agent-{i}", Role.AGENT, HOLBAEK) for i in range(3)]
    session = _session(2)
    do_book_session(None, people[0], session)
    do_book_session(None, people[1], session)
    with pytest.raises(TrainingError, match="fuldt booket"):
        do_book_session(None, people[2], session)
    with pytest.raises(TrainingError, match="allerede booket"):
        do_book_session(None, people[0], session)
    assert MedLytBooking.objects.filter(session=session).count() == 2


def test_a_future_completion_and_a_past_session_are_refused(holbaek_agent: Person) -> None:
    with pytest.raises(TrainingError, match="fremtiden"):
        do_record_step(None, holbaek_agent, "elearning", _today() + dt.timedelta(days=1))
    with pytest.raises(TrainingError, match="overstået"):
        do_book_session(None, holbaek_agent, _session(3, _today() - dt.timedelta(days=1)))
    future = do_book_session(None, holbaek_agent, _session(3, _today() + dt.timedelta(days=7)))
    with pytest.raises(TrainingError, match="selve med-lyt-dagen"):
        do_mark_attended(None, future)
    assert not MedLytBooking.objects.filter(attended=True).exists()


def test_the_page_over_capacity_shows_a_danish_message(holbaek_coordinator: Person) -> None:
    other = _person("agent-holbaek-2", Role.AGENT, HOLBAEK)
    session = _session(1)
    do_book_session(None, other, session)
    client = client_for(holbaek_coordinator)
    response = client.post(f"/uddannelse/{holbaek_coordinator.pk}/book/", {"session": session.pk}, follow=True)
    assert "fuldt booket (1 pladser)" in response.content.decode()
    assert MedLytBooking.objects.filter(session=session).count() == 1


def test_a_coordinator_sees_and_records_its_own_agents_only(
    holbaek_coordinator: Person, holbaek_agent: Person, greve_coordinator: Person
) -> None:
    greve_agent = _person("agent-greve", Role.AGENT, GREVE)
    client = client_for(holbaek_coordinator)
    page = client.get("/uddannelse/").content.decode()
    assert f'id="trainee-{holbaek_agent.pk}"' in page and f'id="trainee-{greve_agent.pk}"' not in page
    day = (_today() - dt.timedelta(days=2)).isoformat()
    assert client.post(f"/uddannelse/{holbaek_agent.pk}/trin/", {"step": "elearning", "on": day}).status_code == 302
    assert holbaek_agent.training.elearning_on == dt.date.fromisoformat(day)
    # Another municipality's coordinator is refused, and nothing changes.
    refused = client_for(greve_coordinator)
    response = refused.post(f"/uddannelse/{holbaek_agent.pk}/trin/", {"step": "course_day", "on": day})
    assert response.status_code == 403
    holbaek_agent.training.refresh_from_db()
    assert holbaek_agent.training.course_day_on is None
    assert client.post("/uddannelse/med-lyt/ny/", {"host": 316, "date": day, "capacity": 2}).status_code == 403


def test_outsiders_and_agents_are_refused(outsider: Person, holbaek_agent: Person, secretariat: Person) -> None:
    assert client_for(outsider).get("/uddannelse/").status_code == 403
    assert client_for(holbaek_agent).get("/uddannelse/").status_code == 403
    assert client_for(outsider).post(f"/uddannelse/{holbaek_agent.pk}/trin/", {"step": "elearning"}).status_code == 403
    page = client_for(secretariat).get("/uddannelse/").content.decode()
    assert f'id="trainee-{holbaek_agent.pk}"' in page and "Ny med-lyt-dag" in page


def test_the_secretariat_creates_a_session_and_bad_input_is_a_danish_message(secretariat: Person) -> None:
    client = client_for(secretariat)
    holbaek = Municipality.objects.get(code=HOLBAEK)
    day = (_today() + dt.timedelta(days=14)).isoformat()
    response = client.post("/uddannelse/med-lyt/ny/", {"host": holbaek.pk, "date": day, "capacity": 0}, follow=True)
    assert "mindst én plads" in response.content.decode() and not MedLytSession.objects.exists()
    client.post("/uddannelse/med-lyt/ny/", {"host": holbaek.pk, "date": day, "capacity": 4})
    response = client.post("/uddannelse/med-lyt/ny/", {"host": holbaek.pk, "date": day, "capacity": 4}, follow=True)
    assert "har allerede en med-lyt-dag" in response.content.decode()
    assert MedLytSession.objects.get().capacity == 4

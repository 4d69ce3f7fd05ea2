"""Demo training records for seed-demo: the demo's agents took the e-learning, the course day and a med-lyt day
before the demo starts, so the hotline still routes and the rota still names them; the first agent of each member
(the one the contact centre's demo gives the health-app skill) also took the health-line module. The third agent of
each member is still in training: its med-lyt day is booked in two weeks. Idempotent: a person who already has a
training record keeps it as it is (also if someone edited it)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from samvirke.directory.models import Municipality, Person, Role
from samvirke.training.actions import do_book_session, do_record_training
from samvirke.training.models import MedLytBooking, MedLytSession, TrainingRecord

COURSE_DAYS_BEFORE = (60, 50, 40)  # e-learning, course day, med-lyt: days before today
SESSION_CAPACITY = 20


def _session(host: Municipality, date: dt.date) -> MedLytSession:
    session, _ = MedLytSession.objects.get_or_create(
        host=host, date=date, defaults={"capacity": SESSION_CAPACITY, "is_demo": True}
    )
    return session


def _in_training(person: Person) -> bool:
    return person.role == Role.AGENT and person.username.endswith("-3") and not person.is_simulated


def _health_trained(person: Person) -> bool:
    return person.role == Role.AGENT and person.username.endswith("-1")


@transaction.atomic
def load_demo_training(today: dt.date, host: Municipality) -> str:
    """Training for every demo agent and coordinator without a record; med-lyt days at `host` (a member that already
    takes calls), one a day from 40 days ago, 20 seats each."""
    elearning, course_day, medlyt_day = (today - dt.timedelta(days=n) for n in COURSE_DAYS_BEFORE)
    people = (
        Person.objects.filter(role__in=[Role.AGENT, Role.COORDINATOR], municipality__isnull=False)
        .exclude(pk__in=TrainingRecord.objects.values("person_id"))
        .order_by("username")
    )
    trained = health = waiting = 0
    upcoming: MedLytSession | None = None
    day = medlyt_day
    for person in people:
        if _in_training(person):
            do_record_training(None, person, elearning=elearning, course_day=course_day, medlyt=None)
            if upcoming is None:
                upcoming = _session(host, today + dt.timedelta(days=14))
            elif MedLytBooking.objects.filter(session=upcoming).count() >= upcoming.capacity:
                upcoming = _session(host, upcoming.date + dt.timedelta(days=1))
            do_book_session(None, person, upcoming)
            waiting += 1
            continue
        session = _session(host, day)
        if session.bookings.count() >= session.capacity:
            day += dt.timedelta(days=1)
            session = _session(host, day)
        do_record_training(
            None,
            person,
            elearning=elearning,
            course_day=course_day,
            medlyt=session,
            health_module=course_day if _health_trained(person) else None,
        )
        trained += 1
        health += _health_trained(person)
    if not trained and not waiting:
        return "Uddannelse: alle demo-medarbejdere havde allerede en uddannelsesregistrering; intet ændret."
    return (
        f"Uddannelse: {trained} medarbejdere uddannet til hotlinen, heraf {health} også til sundhedsapps-linjen; "
        f"{waiting} venter på deres med-lyt-dag."
    )

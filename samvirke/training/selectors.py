"""Reads for the training page: each trainee's steps and qualifications, the med-lyt days and their seats."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from samvirke.directory.models import Person
from samvirke.training.lib.qualification import (
    GENERAL_LINE,
    HEALTH_LINE,
    TELEMEDICINE_LINE,
    TrainingState,
    is_qualified,
    missing_steps,
)
from samvirke.training.models import MedLytBooking, MedLytSession, Qualification, TrainingRecord


@dataclass(frozen=True)
class TraineeRow:
    person: Person
    state: TrainingState
    bookings: list[MedLytBooking]
    general: bool
    health: bool
    telemedicine: bool
    missing_general: list[str]


def trainee_rows(people: list[Person], today: dt.date) -> list[TraineeRow]:
    ids = [p.pk for p in people]
    records = {r.person_id: r for r in TrainingRecord.objects.filter(person_id__in=ids)}
    bookings: dict[int, list[MedLytBooking]] = {}
    for booking in MedLytBooking.objects.filter(person_id__in=ids).select_related("session", "session__host"):
        bookings.setdefault(booking.person_id, []).append(booking)
    rows = []
    for person in people:
        record = records.get(person.pk)
        attended = [b.session.date for b in bookings.get(person.pk, []) if b.attended]
        state = TrainingState(
            elearning=record.elearning_on if record else None,
            course_day=record.course_day_on if record else None,
            medlyt=min(attended) if attended else None,
            health_module=record.health_module_on if record else None,
            telemedicine_module=record.telemedicine_module_on if record else None,
        )
        rows.append(
            TraineeRow(
                person=person,
                state=state,
                bookings=bookings.get(person.pk, []),
                general=is_qualified(state, GENERAL_LINE, today),
                health=is_qualified(state, HEALTH_LINE, today),
                telemedicine=is_qualified(state, TELEMEDICINE_LINE, today),
                missing_general=missing_steps(state, GENERAL_LINE, today),
            )
        )
    return rows


def upcoming_sessions(today: dt.date) -> list[MedLytSession]:
    """Med-lyt days from today on, each with `booked` (seats taken)."""
    return list(MedLytSession.objects.filter(date__gte=today).select_related("host").annotate(booked=Count("bookings")))


def qualified_agents(municipality_id: int, line: str, day: dt.date) -> int:
    """How many active agents and coordinators of the municipality may take calls on `line` on `day`."""
    return (
        Qualification.objects.filter(
            person__municipality_id=municipality_id, person__is_active=True, line=line, since__lte=day
        )
        .values("person")
        .distinct()
        .count()
    )

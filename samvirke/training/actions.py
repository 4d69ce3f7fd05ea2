"""Every write to the training records: one short transaction each, audited. Bad input raises TrainingError with a
Danish message, and nothing is changed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from samvirke.audit.actions import record
from samvirke.core.lib.clock import LOCAL
from samvirke.directory.models import Actor, Municipality, Person, Role
from samvirke.training.lib.qualification import LINES, STEP_NAMES, TrainingState, qualified_since
from samvirke.training.models import MedLytBooking, MedLytSession, Qualification, TrainingRecord

TRAINABLE_ROLES = (Role.AGENT, Role.COORDINATOR)
RECORDED_STEPS = {
    "elearning": "elearning_on",
    "course_day": "course_day_on",
    "health_module": "health_module_on",
    "telemedicine_module": "telemedicine_module_on",
}


class TrainingError(Exception):
    """A request the training records refuse; the message is Danish and shown to the user."""


def _today() -> dt.date:
    return timezone.now().astimezone(LOCAL).date()


def training_state(person: Person) -> TrainingState:
    """The dates each step was done (the first attended med-lyt day), read from the database."""
    row = TrainingRecord.objects.filter(person=person).first()
    first_medlyt = MedLytBooking.objects.filter(person=person, attended=True).order_by("session__date").first()
    return TrainingState(
        elearning=row.elearning_on if row else None,
        course_day=row.course_day_on if row else None,
        medlyt=first_medlyt.session.date if first_medlyt else None,
        health_module=row.health_module_on if row else None,
        telemedicine_module=row.telemedicine_module_on if row else None,
    )


def _refresh_qualifications(person: Person) -> None:
    state = training_state(person)
    for line in LINES:
        since = qualified_since(state, line)
        if since is None:
            Qualification.objects.filter(person=person, line=line).delete()
        else:
            Qualification.objects.update_or_create(person=person, line=line, defaults={"since": since})


def _check_trainee(person: Person) -> None:
    if person.role not in TRAINABLE_ROLES or person.municipality_id is None:
        raise TrainingError(f"{person.get_full_name()} er ikke medarbejder i en kommune og kan ikke uddannes her.")


def do_record_step(actor: Actor | None, person: Person, step: str, on: dt.date | None) -> TrainingRecord:
    """Record (or, with `on` None, clear) the day the person finished a step: e-learning, course day, health module."""
    if step not in RECORDED_STEPS:
        raise TrainingError("Ukendt uddannelsestrin.")
    _check_trainee(person)
    if on is not None and on > _today():
        raise TrainingError(f"Datoen for {STEP_NAMES[step]} kan ikke ligge i fremtiden.")
    with transaction.atomic():
        row, _ = TrainingRecord.objects.select_for_update().get_or_create(person=person)
        setattr(row, RECORDED_STEPS[step], on)
        row.save(update_fields=[RECORDED_STEPS[step]])
        _refresh_qualifications(person)
        record(actor, "training.step", row, {"step": step, "on": on.isoformat() if on else None})
    return row


def do_record_training(
    actor: Actor | None,
    person: Person,
    *,
    elearning: dt.date | None,
    course_day: dt.date | None,
    medlyt: MedLytSession | None,
    health_module: dt.date | None = None,
    telemedicine_module: dt.date | None = None,
) -> TrainingRecord:
    """Record a whole course of training done earlier (a member joining with trained staff, the demo): the steps'
    dates and attendance on a med-lyt day that has passed. Again with the same values changes nothing."""
    _check_trainee(person)
    today = _today()
    if any(day is not None and day > today for day in (elearning, course_day, health_module, telemedicine_module)) or (
        medlyt is not None and medlyt.date > today
    ):
        raise TrainingError("Gennemført uddannelse kan ikke ligge i fremtiden.")
    with transaction.atomic():
        row, _ = TrainingRecord.objects.select_for_update().get_or_create(person=person)
        row.elearning_on, row.course_day_on, row.health_module_on = elearning, course_day, health_module
        row.telemedicine_module_on = telemedicine_module
        row.save()
        if medlyt is not None:
            locked = MedLytSession.objects.select_for_update().get(pk=medlyt.pk)
            booking = MedLytBooking.objects.filter(session=locked, person=person).first()
            if booking is None:
                if MedLytBooking.objects.filter(session=locked).count() >= locked.capacity:
                    raise TrainingError(
                        f"Med-lyt-dagen den {locked.date:%d.%m.%Y} er fuldt booket ({locked.capacity} pladser)."
                    )
                booking = MedLytBooking(session=locked, person=person, booked_at=timezone.now())
            booking.attended = True
            booking.save()
        _refresh_qualifications(person)
        record(actor, "training.recorded", row, {"medlyt": medlyt.pk if medlyt else None})
    return row


def do_create_session(actor: Actor | None, host: Municipality, date: dt.date, capacity: int) -> MedLytSession:
    if capacity < 1:
        raise TrainingError("En med-lyt-dag skal have mindst én plads.")
    if capacity > 20:
        raise TrainingError("En med-lyt-dag kan højst have 20 pladser.")
    with transaction.atomic():
        if MedLytSession.objects.filter(host=host, date=date).exists():
            raise TrainingError(f"{host.name} har allerede en med-lyt-dag den {date:%d.%m.%Y}.")
        session = MedLytSession.objects.create(host=host, date=date, capacity=capacity)
        record(actor, "training.session_created", session, {"capacity": capacity})
    return session


def do_book_session(actor: Actor | None, person: Person, session: MedLytSession) -> MedLytBooking:
    """Book the person on the med-lyt day; over capacity, twice, or on a day that has passed is refused."""
    _check_trainee(person)
    with transaction.atomic():
        locked = MedLytSession.objects.select_for_update().get(pk=session.pk)  # one booking at a time per session
        if locked.date < _today():
            raise TrainingError(f"Med-lyt-dagen den {locked.date:%d.%m.%Y} er overstået og kan ikke bookes.")
        if MedLytBooking.objects.filter(session=locked, person=person).exists():
            raise TrainingError(f"{person.get_full_name()} er allerede booket på denne med-lyt-dag.")
        taken = MedLytBooking.objects.filter(session=locked).count()
        if taken >= locked.capacity:
            raise TrainingError(
                f"Med-lyt-dagen den {locked.date:%d.%m.%Y} er fuldt booket ({locked.capacity} pladser)."
            )
        booking = MedLytBooking.objects.create(session=locked, person=person, booked_at=timezone.now())
        record(actor, "training.booked", booking, {"session": locked.pk})
    return booking


def do_mark_attended(actor: Actor | None, booking: MedLytBooking, attended: bool = True) -> MedLytBooking:
    """The person listened in on the day (or did not, after all); only once the day has come."""
    with transaction.atomic():
        locked = MedLytBooking.objects.select_for_update().select_related("session", "person").get(pk=booking.pk)
        if attended and locked.session.date > _today():
            raise TrainingError("Deltagelse kan først registreres på selve med-lyt-dagen eller senere.")
        locked.attended = attended
        locked.save(update_fields=["attended"])
        _refresh_qualifications(locked.person)
        record(actor, "training.attended", locked, {"attended": attended})
    return locked

"""Agents trained for a line, for tests elsewhere (routing, the rota): the whole course done well before the
contact-centre tests' Monday 23 November 2026."""

from __future__ import annotations

import datetime as dt

from samvirke.directory.models import Person
from samvirke.training.actions import do_record_training
from samvirke.training.models import MedLytSession

DONE = dt.date(2026, 10, 1)


def train(person: Person, *, health: bool = False, telemedicine: bool = False, on: dt.date = DONE) -> None:
    """Give the person e-learning, course day and a med-lyt day on `on` (and the health module, with `health`; the
    telemedicine module, with `telemedicine`)."""
    assert person.municipality is not None
    session, _ = MedLytSession.objects.get_or_create(date=on, host=person.municipality, defaults={"capacity": 20})
    do_record_training(
        None,
        person,
        elearning=on,
        course_day=on,
        medlyt=session,
        health_module=on if health else None,
        telemedicine_module=on if telemedicine else None,
    )

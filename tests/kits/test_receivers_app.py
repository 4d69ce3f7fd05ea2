"""The set-up task follows the consent that covers logistics (a referral comes before the consent), once per course."""

import datetime as dt

import pytest

from samvirke.consent.actions import do_end_course, do_enrol, do_record_consent
from samvirke.kits.models import LogisticsTask, TaskKind
from tests.consent.conftest import refer

pytestmark = pytest.mark.django_db
GIVEN = dt.datetime(2025, 3, 4, 10, tzinfo=dt.UTC)


def setups(citizen):
    return LogisticsTask.objects.filter(citizen=citizen, kind=TaskKind.SETUP)


def test_recording_a_logistics_consent_creates_the_setup_task_once(landsdel, consent_text):
    citizen = refer(landsdel, "SJ-0101")
    assert not setups(citizen).exists()  # referred, no consent yet
    do_record_consent(None, citizen, operator_kinds=["support"], given_at=GIVEN)
    assert not setups(citizen).exists()  # a consent that does not cover logistics makes no task
    do_record_consent(None, citizen, operator_kinds=["logistics", "support"], given_at=GIVEN)
    task = setups(citizen).get()
    assert task.due == dt.date(2025, 3, 19) and task.referred_on == dt.date(2025, 3, 3)
    do_record_consent(None, citizen, operator_kinds=["logistics"], given_at=GIVEN)  # again: still one
    do_enrol(None, citizen, dt.date(2025, 3, 10))  # the enrolment signal: still one
    assert setups(citizen).count() == 1


def test_a_new_course_after_a_takedown_gets_a_new_setup(landsdel, consent_text):
    citizen = refer(landsdel, "SJ-0102")
    do_record_consent(None, citizen, operator_kinds=["logistics"], given_at=GIVEN)
    citizen = do_enrol(None, citizen, dt.date(2025, 3, 10))
    citizen = do_end_course(None, citizen, dt.date(2025, 6, 1))
    assert LogisticsTask.objects.filter(citizen=citizen, kind=TaskKind.TAKEDOWN).count() == 1
    do_record_consent(None, citizen, operator_kinds=["logistics"], given_at=GIVEN)  # course ended: no new set-up
    assert setups(citizen).count() == 1
    do_enrol(None, citizen, dt.date(2025, 9, 1))
    assert setups(citizen).count() == 2

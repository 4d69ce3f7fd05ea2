"""Referral, enrolment, end of course and consent: CPR never stored, telecare's Enrolment follows, audited,
signals sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from samvirke.audit.models import AuditEntry
from samvirke.consent.actions import (
    ConsentActionError,
    do_end_course,
    do_enrol,
    do_record_consent,
    do_withdraw_consent,
)
from samvirke.consent.models import Consent, ConsentText, ProgrammeCitizen
from samvirke.consent.signals import citizen_referred, course_ended
from samvirke.telecare.models import Enrolment, Landsdel
from tests.consent.conftest import KINDS, refer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["citizen_ref", "name", "address", "phone", "referrer_name"])
@pytest.mark.parametrize("cpr", ["010203-1234", "0102031234", "01.02.03-1234"])
def test_a_cpr_looking_value_is_refused_in_any_field(landsdel: Landsdel, field: str, cpr: str) -> None:
    with pytest.raises(ConsentActionError, match="CPR"):
        refer(landsdel, **dict[str, Any]({field: cpr}))
    assert not ProgrammeCitizen.objects.exists()
    assert not AuditEntry.objects.filter(action="consent.citizen_referred").exists()


def test_cpr_in_free_text_is_masked(landsdel: Landsdel) -> None:
    citizen = refer(landsdel, measurements_note="Målt hos 010203-1234: SpO2 92")
    assert "010203" not in citizen.measurements_note and "[CPR-nummer]" in citizen.measurements_note


def test_referral_is_audited_and_signalled(landsdel: Landsdel) -> None:
    got: list[Any] = []

    def receiver(sender: Any, citizen: ProgrammeCitizen, **kwargs: Any) -> None:
        got.append(citizen.citizen_ref)

    citizen_referred.connect(receiver)
    try:
        citizen = refer(landsdel, urgency="urgent")
    finally:
        citizen_referred.disconnect(receiver)
    assert got == ["SJ-0001"]
    assert citizen.urgency == "urgent"
    assert AuditEntry.objects.filter(action="consent.citizen_referred", object_id=str(citizen.pk)).exists()


def test_bad_referrals(landsdel: Landsdel) -> None:
    with pytest.raises(ConsentActionError, match="Kommunen ligger ikke"):
        refer(landsdel, code=751)  # Aarhus: not in Region Sjælland
    with pytest.raises(ConsentActionError, match="Hastegraden"):
        refer(landsdel, urgency="now")
    refer(landsdel)
    with pytest.raises(ConsentActionError):
        refer(landsdel)  # the same reference twice in a landsdel
    assert ProgrammeCitizen.objects.count() == 1


def test_enrol_and_end_keep_telecare_enrolment_in_step(landsdel: Landsdel) -> None:
    citizen = refer(landsdel)
    got: list[dt.date] = []

    def receiver(sender: Any, day: dt.date, **kwargs: Any) -> None:
        got.append(day)

    citizen = do_enrol(None, citizen, dt.date(2025, 3, 10))
    enrolment = Enrolment.objects.get(citizen_ref="SJ-0001")
    assert (enrolment.enrolled_from, enrolment.enrolled_to, enrolment.municipality.code) == (
        dt.date(2025, 3, 10),
        None,
        253,
    )
    with pytest.raises(ConsentActionError, match="allerede"):
        do_enrol(None, citizen, dt.date(2025, 3, 11))
    course_ended.connect(receiver)
    try:
        citizen = do_end_course(None, citizen, dt.date(2025, 9, 30))
    finally:
        course_ended.disconnect(receiver)
    assert got == [dt.date(2025, 9, 30)]
    enrolment.refresh_from_db()
    assert enrolment.enrolled_to == dt.date(2025, 9, 30)
    assert not citizen.in_programme
    with pytest.raises(ConsentActionError):
        do_end_course(None, citizen, dt.date(2025, 10, 1))


def test_enrolment_before_referral_is_refused(landsdel: Landsdel) -> None:
    citizen = refer(landsdel)
    with pytest.raises(ConsentActionError):
        do_enrol(None, citizen, dt.date(2025, 3, 1))
    assert not Enrolment.objects.exists()


def test_consent_by_proxy_needs_who_and_authority(landsdel: Landsdel, consent_text: ConsentText) -> None:
    citizen = refer(landsdel)
    with pytest.raises(ConsentActionError, match="stedfortræder"):
        do_record_consent(None, citizen, operator_kinds=KINDS, by_proxy=True, proxy_name="Jens Hansen")
    consent = do_record_consent(
        None,
        citizen,
        operator_kinds=["support", "logistics"],
        diagnoses=["KOL", "Hjertesvigt"],
        by_proxy=True,
        proxy_name="Jens Hansen",
        proxy_authority="Fremtidsfuldmagt",
    )
    assert consent.text_version.version == "2025.1"
    assert consent.diagnoses == ["KOL", "Hjertesvigt"]
    with pytest.raises(ConsentActionError, match="operatørtype"):
        do_record_consent(None, citizen, operator_kinds=["Falck A/S"])  # types, never named operators
    assert Consent.objects.count() == 1


def test_withdrawal_twice_is_refused(landsdel: Landsdel, consent_text: ConsentText) -> None:
    citizen = refer(landsdel)
    consent = do_record_consent(None, citizen, operator_kinds=KINDS)
    do_withdraw_consent(None, consent)
    with pytest.raises(ConsentActionError, match="allerede"):
        do_withdraw_consent(None, consent)
    assert AuditEntry.objects.filter(action="consent.consent_withdrawn").count() == 1


def test_no_active_text_no_consent(landsdel: Landsdel) -> None:
    citizen = refer(landsdel)
    with pytest.raises(ConsentActionError, match="standardtekst"):
        do_record_consent(None, citizen, operator_kinds=KINDS)

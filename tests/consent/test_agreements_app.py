"""Data processing agreements: one per operator and controller from the kind's template, accessions, the
sub-processor register with notice on replacement, termination with return/deletion, the yearly audit statement
and its reminder (selector, command and page)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from samvirke.audit.models import AuditEntry
from samvirke.consent.actions import (
    ConsentActionError,
    do_accede,
    do_add_sub_processor,
    do_record_audit_statement,
    do_sign_agreement,
    do_terminate_agreement,
)
from samvirke.consent.models import DataProcessingAgreement, DpaTemplate, Operator, SubProcessor
from samvirke.consent.selectors import audit_statements_due
from samvirke.directory.models import Municipality, Person
from samvirke.telecare.models import Landsdel
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(landsdel: Landsdel) -> Operator:
    DpaTemplate.objects.create(operator_kind="logistics", version="L-1", body="…")
    return Operator.objects.create(name="Logistik A/S", kind="logistics", landsdel=landsdel)


def test_agreements_per_controller_and_accession(landsdel: Landsdel, operator: Operator) -> None:
    region_dpa = do_sign_agreement(None, operator, signed_at=dt.date(2025, 2, 1), region=landsdel.region)
    greve = Municipality.objects.get(code=253)
    greve_dpa = do_sign_agreement(None, operator, signed_at=dt.date(2025, 2, 28), municipality=greve)
    assert region_dpa.template.version == "L-1" and region_dpa.audit_statement_due == dt.date(2026, 2, 1)
    assert greve_dpa.controller_name == "Greve"
    with pytest.raises(ConsentActionError, match="allerede"):
        do_sign_agreement(None, operator, signed_at=dt.date(2025, 3, 1), municipality=greve)
    with pytest.raises(ConsentActionError, match="landsdel"):
        do_sign_agreement(
            None, operator, signed_at=dt.date(2025, 3, 1), municipality=Municipality.objects.get(code=751)
        )
    do_accede(None, greve_dpa, "Greve Kommune", dt.date(2025, 3, 1))
    with pytest.raises(ConsentActionError, match="allerede"):
        do_accede(None, greve_dpa, "Greve Kommune", dt.date(2025, 3, 2))
    assert DataProcessingAgreement.objects.count() == 2 and greve_dpa.accessions.count() == 1


def test_no_template_no_agreement(landsdel: Landsdel) -> None:
    health = Operator.objects.create(name="Sundhed", kind="health", landsdel=landsdel)
    with pytest.raises(ConsentActionError, match="skabelon"):
        do_sign_agreement(None, health, signed_at=dt.date(2025, 2, 1), region=landsdel.region)


def test_sub_processor_replacement_needs_notice(operator: Operator) -> None:
    old = do_add_sub_processor(None, operator, name="Kurér ApS", service="Transport", since=dt.date(2025, 1, 1))
    with pytest.raises(ConsentActionError, match="underrettet"):
        do_add_sub_processor(
            None, operator, name="Bud A/S", service="Transport", since=dt.date(2025, 6, 1), replaces=old
        )
    with pytest.raises(ConsentActionError, match="før"):
        do_add_sub_processor(
            None,
            operator,
            name="Bud A/S",
            service="Transport",
            since=dt.date(2025, 6, 1),
            replaces=old,
            notified_at=dt.date(2025, 6, 2),
        )
    assert SubProcessor.objects.count() == 1
    new = do_add_sub_processor(
        None,
        operator,
        name="Bud A/S",
        service="Transport",
        since=dt.date(2025, 6, 1),
        replaces=old,
        notified_at=dt.date(2025, 5, 1),
    )
    old.refresh_from_db()
    assert old.until == dt.date(2025, 6, 1) and new.replaces == old


def test_termination_records_return_or_deletion(landsdel: Landsdel, operator: Operator) -> None:
    dpa = do_sign_agreement(None, operator, signed_at=dt.date(2025, 2, 1), region=landsdel.region)
    with pytest.raises(ConsentActionError):
        do_terminate_agreement(None, dpa, dt.date(2026, 1, 31), "kept", dt.date(2026, 2, 10))
    do_terminate_agreement(None, dpa, dt.date(2026, 1, 31), "deleted", dt.date(2026, 2, 10))
    dpa.refresh_from_db()
    assert (dpa.terminated_at, dpa.data_returned_or_deleted) == (dt.date(2026, 1, 31), "deleted")
    assert audit_statements_due(dt.date(2026, 3, 1)) == []  # a terminated agreement is not reminded
    assert AuditEntry.objects.filter(action="consent.dpa_terminated").count() == 1


def test_audit_statement_reminder(landsdel: Landsdel, operator: Operator, secretariat: Person) -> None:
    dpa = do_sign_agreement(None, operator, signed_at=dt.date(2025, 2, 1), region=landsdel.region)
    assert audit_statements_due(dt.date(2025, 12, 1)) == []
    assert audit_statements_due(dt.date(2026, 1, 10)) == [(dpa, 22)]
    assert audit_statements_due(dt.date(2026, 2, 11)) == [(dpa, -10)]
    out = io.StringIO()
    call_command("consent_reminders", "--today", "2026-02-11", stdout=out)
    assert out.getvalue().strip() == (
        "Logistik A/S – Region Sjælland: revisionserklæring 01.02.2026, OVERSKREDET med 10 dage."
    )
    do_record_audit_statement(None, dpa, dt.date(2026, 2, 15))
    assert audit_statements_due(dt.date(2026, 2, 16)) == []
    out = io.StringIO()
    call_command("consent_reminders", "--today", "2026-02-16", stdout=out)
    assert "Ingen revisionserklæringer" in out.getvalue()
    with pytest.raises(CommandError, match="Ugyldig dato"):
        call_command("consent_reminders", "--today", "16.02.2026")
    page = client_for(secretariat).get("/samtykke/databehandleraftaler/").content.decode()
    assert "Logistik A/S – Region Sjælland" in page and "15.2.2026" in page

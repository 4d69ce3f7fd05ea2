"""Retention: personal data older than its period is removed; the event log never holds a citizen's number."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from samvirke.assistant.models import UnansweredQuestion
from samvirke.audit.models import AuditEntry
from samvirke.contact.lib.retention import RetentionPolicy, cutoffs, mask_number
from samvirke.contact.models import ChatMessage, Contact, TelephonyEvent
from samvirke.directory.models import Municipality, Person
from tests.contact.conftest import Telephony, at

pytestmark = pytest.mark.django_db


def test_policy_and_cutoffs() -> None:
    now = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    limits = cutoffs(now, RetentionPolicy(caller_numbers_days=30, chats_days=90, unanswered_questions_days=365))
    assert limits["caller_numbers"] == dt.datetime(2026, 10, 24, tzinfo=dt.UTC)
    assert limits["unanswered_questions"] == dt.datetime(2025, 11, 23, tzinfo=dt.UTC)
    with pytest.raises(ValueError):
        RetentionPolicy(chats_days=0)
    assert mask_number("20304050") == "••••••50" and mask_number("") == ""


def test_the_event_log_keeps_no_citizens_number(agents: list[Person]) -> None:
    Telephony().offer("c1", at(0))
    assert TelephonyEvent.objects.get().payload["caller_number"] == "••••••50"
    assert Contact.objects.get().caller_number == "20304050"  # for a callback, until the retention period ends


def test_cleanup_removes_only_what_is_older_than_its_period(agents: list[Person], settings: Any) -> None:
    settings.TELEPHONY_EVENT_MAX_AGE = dt.timedelta(days=365)  # the old call arrives as a platform's late replay
    telephony = Telephony()
    old, recent = timezone.now() - dt.timedelta(days=100), timezone.now() - dt.timedelta(days=5)
    for call_id, moment in (("old", old), ("recent", recent)):
        telephony.offer(call_id, moment.replace(hour=10, minute=0))
    old_contact = Contact.objects.get(external_id="old")
    Contact.objects.filter(pk=old_contact.pk).update(transcript="Borger: hej")
    ChatMessage.objects.create(contact=old_contact, from_citizen=True, text="hej", sent_at=old)
    holbaek = Municipality.objects.get(code=316)
    for moment in (timezone.now() - dt.timedelta(days=400), recent):
        question = UnansweredQuestion.objects.create(municipality=holbaek, masked_text="?", confidence=0.1)
        UnansweredQuestion.objects.filter(pk=question.pk).update(asked_at=moment)

    out = StringIO()
    call_command("retention_cleanup", "--dry-run", stdout=out)
    assert "Ville slette: 1 borgernumre" in out.getvalue()
    assert Contact.objects.get(external_id="old").caller_number == "20304050"

    call_command("retention_cleanup", stdout=StringIO())
    assert Contact.objects.get(external_id="old").caller_number == ""
    assert Contact.objects.get(external_id="old").transcript == ""
    assert Contact.objects.get(external_id="recent").caller_number == "20304050"
    assert not ChatMessage.objects.exists()
    assert UnansweredQuestion.objects.count() == 1
    assert AuditEntry.objects.filter(action="retention.applied").count() == 1


def test_a_bad_period_is_refused() -> None:
    with pytest.raises(CommandError, match="Ugyldig opbevaringsperiode"):
        call_command("retention_cleanup", "--chats-days", "0", stdout=StringIO())

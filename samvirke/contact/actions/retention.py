"""Retention: personal data deleted or blanked after its period (the `retention-cleanup` command)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction

from samvirke.assistant.models import UnansweredQuestion
from samvirke.audit.actions import record
from samvirke.contact.lib.retention import RetentionPolicy, cutoffs
from samvirke.contact.models import ChatMessage, Contact


def do_apply_retention(now: dt.datetime, policy: RetentionPolicy, dry_run: bool = False) -> dict[str, int]:
    """Delete or blank personal data older than its retention period. Counts what it did (or would do)."""
    limits = cutoffs(now, policy)
    with transaction.atomic():
        numbers = Contact.objects.filter(offered_at__lt=limits["caller_numbers"]).exclude(caller_number="")
        transcripts = Contact.objects.filter(offered_at__lt=limits["chats"]).exclude(transcript="")
        messages = ChatMessage.objects.filter(contact__offered_at__lt=limits["chats"])
        unanswered = UnansweredQuestion.objects.filter(asked_at__lt=limits["unanswered_questions"])
        # Sessions hold the citizen's conversation with the assistant (masked) and staff logins: the expired ones
        # (what `clearsessions` deletes), and any last written before the chats' cutoff (a session's expiry is its
        # last write plus SESSION_COOKIE_AGE), so a conversation never outlives the chats' retention period.
        sessions = Session.objects.filter(
            expire_date__lt=max(now, limits["chats"] + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE))
        )
        counts = {
            "caller_numbers": numbers.count(),
            "chat_transcripts": transcripts.count(),
            "chat_messages": messages.count(),
            "unanswered_questions": unanswered.count(),
            "sessions": sessions.count(),
        }
        if not dry_run:
            numbers.update(caller_number="")
            transcripts.update(transcript="")
            messages.delete()
            unanswered.delete()
            sessions.delete()
            record(None, "retention.applied", None, {**counts, "policy": policy.__dict__})
        return counts

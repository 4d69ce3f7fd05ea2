"""A login lockout goes into the audit log: one entry when a username is locked for an address, not one for each
attempt made while it stays locked (django-axes signals every one of them)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from samvirke.audit.actions import record
from samvirke.audit.models import AuditEntry

LOCKED_OUT = "limits.login_locked_out"


@receiver(user_locked_out, dispatch_uid="samvirke-login-lockout-audit")
def audit_lockout(sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any) -> None:
    details = {"username": (username or "")[:150], "ip": ip_address or ""}
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    with transaction.atomic():
        if AuditEntry.objects.filter(action=LOCKED_OUT, at__gte=since, details=details).exists():
            return
        record(None, LOCKED_OUT, None, details)

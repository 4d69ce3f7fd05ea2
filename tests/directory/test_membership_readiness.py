"""Membership.ready_for_shifts from the member page: a member moved back to onboarding takes no calls or shifts; one
the secretariat declares active does (its override), and the audit entry says which."""

from __future__ import annotations

import pytest

from samvirke.audit.models import AuditEntry
from samvirke.directory.models import Membership, Person
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_left_then_onboarding_is_not_ready_and_active_is(secretariat: Person) -> None:
    client = client_for(secretariat)
    client.post("/kommuner/316/status/", {"status": "left"})
    client.post("/kommuner/316/status/", {"status": "onboarding"})
    assert Membership.objects.get(municipality__code=316).ready_for_shifts is False
    entry = AuditEntry.objects.filter(action="directory.membership_status_changed").order_by("-id").first()
    assert entry is not None and entry.details["ready_for_shifts"] is False
    client.post("/kommuner/316/status/", {"status": "active"})
    assert Membership.objects.get(municipality__code=316).ready_for_shifts is True
    entry = AuditEntry.objects.filter(action="directory.membership_status_changed").order_by("-id").first()
    assert entry is not None and entry.details["ready_for_shifts"] is True

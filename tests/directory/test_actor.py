"""The request user's type (directory.models.Actor): who an action is recorded as, and what a check hands back."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from samvirke.audit.actions import SYSTEM_ACTOR, record
from samvirke.directory.access import acting_person, require_member_list
from samvirke.directory.models import Person


def test_an_action_is_done_by_the_signed_in_person_else_by_nobody(holbaek_agent: Person) -> None:
    assert acting_person(holbaek_agent) == holbaek_agent
    assert acting_person(AnonymousUser()) is None
    assert acting_person(None) is None


def test_a_require_check_hands_back_the_person_it_let_in(secretariat: Person, outsider: Person) -> None:
    assert require_member_list(secretariat) == secretariat
    with pytest.raises(PermissionDenied):
        require_member_list(outsider)
    with pytest.raises(PermissionDenied):
        require_member_list(AnonymousUser())


@pytest.mark.django_db
def test_the_audit_log_records_an_anonymous_user_as_the_system() -> None:
    entry = record(AnonymousUser(), "test.anonymous")
    assert entry.actor_id is None
    assert entry.actor_name == SYSTEM_ACTOR

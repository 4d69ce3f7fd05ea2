"""A request that meets a locked database gets "try again" (503 with Retry-After), never a 500, and nothing is
written: a page shows a Danish sentence, the API and the telephony platform get JSON."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from samvirke.contact import actions as contact_actions
from samvirke.contact.models import TelephonyEvent
from samvirke.core.middleware import BUSY_MESSAGE
from samvirke.directory import views as directory_views
from samvirke.directory.models import Person
from tests.conftest import client_for
from tests.contact.conftest import MONDAY_10, Telephony


def _locked(*args: object, **kwargs: object) -> None:
    raise OperationalError("database is locked")


def test_a_telephony_event_that_meets_a_lock_gets_503_with_a_retry(
    telephony: Telephony, fellesskab: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contact_actions, "process_event", _locked)
    response = telephony.offer("call-1", MONDAY_10)
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json() == {"detail": BUSY_MESSAGE, "retry_after_seconds": 2}
    assert not TelephonyEvent.objects.exists()


def test_a_page_that_meets_a_lock_gets_a_danish_503(secretariat: Person, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(directory_views, "_memberships", _locked)
    response = client_for(secretariat).get("/medlemmer/")
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "Prøv igen om et øjeblik" in response.content.decode()


def test_other_database_errors_are_not_hidden(telephony: Telephony, fellesskab: object,
                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    def broken(*args: object, **kwargs: object) -> None:
        raise OperationalError("no such table: contact_contact")

    monkeypatch.setattr(contact_actions, "process_event", broken)
    with pytest.raises(OperationalError):
        telephony.offer("call-1", MONDAY_10)

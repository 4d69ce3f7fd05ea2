from __future__ import annotations

import pytest

from samvirke.audit.actions import record
from samvirke.audit.models import AppendOnlyError, AuditEntry
from samvirke.directory.models import Municipality, Person


def test_an_entry_names_who_what_and_which_object(holbaek_agent: Person) -> None:
    holbaek = Municipality.objects.get(code=316)
    entry = record(holbaek_agent, "test.looked", holbaek, {"why": "test"})
    assert entry.actor_name == "agent-holbaek"
    assert (entry.object_type, entry.object_id, entry.object_repr) == (
        "directory.Municipality",
        str(holbaek.pk),
        "Holbæk Kommune",
    )
    assert entry.at is not None


def test_entries_cannot_be_changed_or_deleted(db: None) -> None:
    entry = record(None, "test.something")
    entry.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(action="x")
    assert AuditEntry.objects.get().action == "test.something"


def test_admin_saves_are_audited(secretariat: Person) -> None:
    from tests.conftest import client_for

    secretariat.is_staff = secretariat.is_superuser = True
    secretariat.save()
    holbaek = Municipality.objects.get(code=316)
    response = client_for(secretariat).post(
        f"/admin/directory/municipality/{holbaek.pk}/change/",
        {
            "code": 316,
            "name": "Holbæk",
            "region": holbaek.region_id,
            "population": 74000,
            "population_year": 2025,
            "population_source": "test",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.changed")
    assert entry.actor == secretariat
    assert entry.details["fields"] == ["population", "population_source", "population_year"]

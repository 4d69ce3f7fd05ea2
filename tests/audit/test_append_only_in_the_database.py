"""The audit log is append-only in the database itself: raw SQL and managers that bypass the model's guard
are refused by triggers (migration audit 0003), on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.db.models.fields import Field

from samvirke.audit.actions import record
from samvirke.audit.models import AuditEntry
from samvirke.directory.models import Person

TABLE = AuditEntry._meta.db_table


def _refused(statement: str, params: list[int | str | None] | None = None) -> None:
    # A savepoint, so the refused statement does not end the test's transaction on PostgreSQL.
    refused = pytest.raises(IntegrityError, match="Revisionsloggen er kun til tilføjelser")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def entry(db: None) -> AuditEntry:
    return record(None, "test.something", details={"n": 1})


def test_the_base_manager_cannot_update_an_entry(entry: AuditEntry) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry._base_manager.filter(pk=entry.pk).update(action="rewritten")
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.something"


def test_the_base_manager_cannot_delete_an_entry(entry: AuditEntry) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry._base_manager.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_raw_sql_cannot_delete_an_entry(entry: AuditEntry) -> None:
    _refused(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])
    _refused(f"DELETE FROM {TABLE}")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def _columns() -> list[Field[Any, Any]]:
    return [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]


@pytest.mark.parametrize("column", [field.column for field in _columns()])
def test_raw_sql_cannot_update_any_column(entry: AuditEntry, column: str) -> None:
    # Every column, taken from the model, so a column added later is covered without editing this test.
    value = {"at": "2000-01-01 00:00:00+00:00", "details": "{}", "actor_id": None}.get(column, "rewritten")
    _refused(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).actor_name == "system"


def test_raw_sql_cannot_set_the_actor_of_an_entry(entry: AuditEntry, holbaek_agent: Person) -> None:
    _refused(f"UPDATE {TABLE} SET actor_id = %s WHERE id = %s", [holbaek_agent.pk, entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).actor_id is None


def test_new_entries_are_still_written(entry: AuditEntry) -> None:
    record(None, "test.another")
    assert AuditEntry.objects.count() == 2


def test_a_person_who_has_acted_cannot_be_deleted_but_can_be_deactivated(holbaek_agent: Person) -> None:
    # on_delete=PROTECT: SET_NULL would have to UPDATE the entry, which the database refuses.
    record(holbaek_agent, "test.something")
    with pytest.raises(ProtectedError):
        holbaek_agent.delete()
    holbaek_agent.is_active = False
    holbaek_agent.save(update_fields=["is_active"])
    entry = AuditEntry.objects.get()
    assert entry.actor == holbaek_agent and entry.actor_name == "agent-holbaek"


def test_a_person_who_has_not_acted_can_still_be_deleted(holbaek_agent: Person) -> None:
    record(None, "test.something")
    holbaek_agent.delete()
    assert AuditEntry.objects.count() == 1


# The test runner empties the database after a transactional test (TRUNCATE on PostgreSQL, DELETE on
# SQLite through Samvirke's flush command). These two, in this order, show the flush still works.
@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_may_leave_entries_behind() -> None:
    record(None, "test.left-behind")
    assert AuditEntry.objects.filter(action="test.left-behind").exists()


@pytest.mark.django_db(transaction=True)
def test_the_flush_after_a_transactional_test_empties_the_log_and_keeps_the_triggers() -> None:
    assert not AuditEntry.objects.filter(action="test.left-behind").exists()
    entry = record(None, "test.after-flush")
    with pytest.raises(IntegrityError):
        AuditEntry._base_manager.filter(pk=entry.pk).delete()

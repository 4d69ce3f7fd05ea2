"""The audit log is append-only in the database itself, not only in the model.

AuditEntry's save(), delete() and queryset refuse changes, but raw SQL, `_base_manager` and Django's own
deletion collector go round the model. These triggers refuse every UPDATE and DELETE of a row, on both
databases, with an IntegrityError.

The actor link becomes PROTECT (it was SET_NULL): SET_NULL makes Django UPDATE old entries when a person
is deleted, which the trigger refuses. Carving that one UPDATE out of the trigger would need the SQLite
trigger to list every column and be kept in step with the model; instead a person who has acted is
deactivated, not deleted, and the entry keeps the actor's name as text anyway.

Emptying the whole table is still possible, on purpose: PostgreSQL's TRUNCATE does not fire row
triggers, so the test runner's flush between transactional tests works. SQLite has no TRUNCATE, and its
flush is a DELETE that the trigger would refuse, so Samvirke's `flush` command (samvirke/audit/
management/commands/flush.py) drops the SQLite DELETE trigger for the length of the flush and puts it
back. `flush` erases every table and is never part of normal operation.

Any later migration that rebuilds this table on SQLite (most AlterFields do) drops its triggers; such a
migration must reinstall them, and tests/audit/test_append_only_in_the_database.py fails if it does not.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLE = "audit_auditentry"

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'Revisionsloggen er kun til tilføjelser: % af en post er ikke tilladt.', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END
    $$;
    """,
    f"""
    CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();
    """,
]
POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only();",
]

# RAISE(ABORT, …) surfaces as an IntegrityError (SQLITE_CONSTRAINT_TRIGGER), as on PostgreSQL.
SQLITE_NO_UPDATE = f"""
    CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'Revisionsloggen er kun til tilføjelser: UPDATE af en post er ikke tilladt.'); END;
"""
SQLITE_NO_DELETE = f"""
    CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'Revisionsloggen er kun til tilføjelser: DELETE af en post er ikke tilladt.'); END;
"""
SQLITE_INSTALL = [SQLITE_NO_UPDATE, SQLITE_NO_DELETE]
SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {TABLE}_no_update;", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;"]


def _run(schema_editor: BaseDatabaseSchemaEditor, by_vendor: dict[str, list[str]]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in by_vendor:
        raise RuntimeError(f"The audit log's append-only triggers are written for {sorted(by_vendor)}, not {vendor}.")
    for statement in by_vendor[vendor]:
        schema_editor.execute(statement, params=None)  # None: the SQL is sent as written, % and all


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})


def remove(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"postgresql": POSTGRESQL_REMOVE, "sqlite": SQLITE_REMOVE})


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(install, remove),
    ]

"""The audit log becomes tamper-evident: each entry carries chain_hash, sha256 of its predecessor's hash and its own
canonical JSON (samvirke/audit/lib/chain.py), and `at` is set by record() before hashing (a default, no longer
auto_now_add, which would set it after).

Existing entries are hashed here, in id order. That is an UPDATE of every row, which the append-only triggers of
migration 0003 refuse, so they are removed for the length of this migration and installed again at its end (on
SQLite the AlterField rebuilds the table, which drops them anyway; tests/audit/test_append_only_in_the_database.py
checks they are back).
"""

import importlib

import django.utils.timezone
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from samvirke.audit.lib.chain import GENESIS, next_hash

append_only = importlib.import_module("samvirke.audit.migrations.0003_actor_protect_and_append_only_triggers")


def hash_existing_entries(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    AuditEntry = apps.get_model("audit", "AuditEntry")
    previous = GENESIS
    for entry in AuditEntry._base_manager.using(schema_editor.connection.alias).order_by("id").iterator(chunk_size=2000):
        fields = {
            "at": entry.at,
            "actor_id": entry.actor_id,
            "actor_name": entry.actor_name,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "details": entry.details,
        }
        previous = next_hash(previous, fields)
        # QuerySet.update on the historical model: the live model's AppendOnlyError guards are not on it.
        AuditEntry._base_manager.using(schema_editor.connection.alias).filter(pk=entry.pk).update(chain_hash=previous)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_actor_protect_and_append_only_triggers")]

    operations = [
        migrations.RunPython(append_only.remove, append_only.install),
        migrations.AddField(
            model_name="auditentry",
            name="chain_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="kædehash"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="tidspunkt"),
        ),
        migrations.RunPython(hash_existing_entries, migrations.RunPython.noop),
        migrations.RunPython(append_only.install, append_only.remove),
    ]

from django.db import migrations

from samvirke.contact.reference_data import ensure_queues


def create(apps, schema_editor):
    ensure_queues(apps.get_model("contact", "Skill"), apps.get_model("contact", "Queue"))


class Migration(migrations.Migration):
    dependencies = [("contact", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

"""Load the five regions and the 98 municipalities every Samvirke installation needs."""

from django.db import migrations

from samvirke.directory.reference_data import ensure_reference_data


def load(apps, schema_editor):
    ensure_reference_data(apps.get_model("directory", "Region"), apps.get_model("directory", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

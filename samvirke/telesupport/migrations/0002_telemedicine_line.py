"""The telemedicine line's queue and skill (telesupport/reference_data.py), so calls to a region's number on the
line "telemedicine" reach it through the telephony API."""

from django.db import migrations

from samvirke.telesupport.reference_data import ensure_telemedicine_queue


def create(apps, schema_editor):
    ensure_telemedicine_queue(apps.get_model("contact", "Skill"), apps.get_model("contact", "Queue"))


class Migration(migrations.Migration):
    dependencies = [("telesupport", "0001_initial"), ("contact", "0008_health_line_60_hours")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

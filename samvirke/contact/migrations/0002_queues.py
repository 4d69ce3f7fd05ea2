"""The fællesskab's two lines as queues: the members' hotline (the default) and the region's health-app line,
which needs agents trained in health apps and overflows to everyone after two minutes."""

from django.db import migrations

WEEKDAYS_8_TO_20 = {str(day): [["08:00", "20:00"]] for day in range(5)}
WEEKDAYS_9_TO_15 = {str(day): [["09:00", "15:00"]] for day in range(5)}


def create(apps, schema_editor):
    Skill = apps.get_model("contact", "Skill")
    Queue = apps.get_model("contact", "Queue")
    health, _ = Skill.objects.get_or_create(slug="health_apps", defaults={"name": "Sundhedsapps (MinSP, Min Læge)"})
    Queue.objects.get_or_create(
        line="citizen_service",
        defaults={
            "slug": "hotline",
            "name": "Borgerservice-hotline",
            "priority": 1,
            "is_default": True,
            "opening_hours": WEEKDAYS_8_TO_20,
        },
    )
    Queue.objects.get_or_create(
        line="health_apps",
        defaults={
            "slug": "sundhedsapps",
            "name": "Sundhedsapps-linje",
            "priority": 2,
            "skill": health,
            "overflow_after_seconds": 120,
            "opening_hours": WEEKDAYS_9_TO_15,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("contact", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

"""The health-app line is open 60 hours a week (seed 001), Monday–Friday 8–20; it was made with 9–15 (30 hours).
A queue whose hours someone has changed since keeps them."""

from django.db import migrations

OLD = {str(day): [["09:00", "15:00"]] for day in range(5)}
NEW = {str(day): [["08:00", "20:00"]] for day in range(5)}


def sixty_hours(apps, schema_editor):
    Queue = apps.get_model("contact", "Queue")
    for queue in Queue.objects.filter(line="health_apps"):
        if queue.opening_hours == OLD:
            queue.opening_hours = NEW
            queue.save(update_fields=["opening_hours"])


class Migration(migrations.Migration):
    dependencies = [("contact", "0007_contact_transfer_number")]
    operations = [migrations.RunPython(sixty_hours, migrations.RunPython.noop)]

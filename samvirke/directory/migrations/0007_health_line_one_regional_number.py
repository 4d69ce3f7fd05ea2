"""The health-app line has one number for the whole region (seed 001), not one per member. The demo gave each
member its own (70 21 0k kk): those demo numbers become the region's one demo number, 70 21 00 00. A member's own
health-line number that is not demo data is left as it is (it still routes, with the member as the citizen's
municipality); the secretariat removes it in the admin when the regional number is in use."""

from django.db import migrations

DEMO_REGIONAL_NUMBER = "70210000"  # as samvirke/directory/lib/demo.py's DEMO_HEALTH_LINE_NUMBER


def one_regional_number(apps, schema_editor):
    HotlineNumber = apps.get_model("directory", "HotlineNumber")
    LineNumber = apps.get_model("directory", "LineNumber")
    demo = HotlineNumber.objects.filter(line="health_apps", is_demo=True).select_related("membership__municipality")
    regions = {number.membership.municipality.region_id for number in demo}
    demo.delete()
    for region_id in sorted(regions):
        if LineNumber.objects.filter(region_id=region_id, line="health_apps").exists():
            continue
        if LineNumber.objects.filter(number=DEMO_REGIONAL_NUMBER).exists():
            continue  # one demo region only; a second would need its own number
        LineNumber.objects.create(region_id=region_id, line="health_apps", number=DEMO_REGIONAL_NUMBER, is_demo=True)


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_line_number")]
    # Forward only: the per-member demo numbers are not made again (seed-demo no longer makes them either).
    operations = [migrations.RunPython(one_regional_number, migrations.RunPython.noop)]

"""A landsdel's fællesskab is a telemedicine fællesskab (directory.FellesskabService), so the installation's hotline
fællesskab (directory.selectors.the_fellesskab) is never one of them, whichever was created first."""

import django.db.models.deletion
from django.db import migrations, models


def mark_landsdel_fellesskaber(apps, schema_editor):
    Landsdel = apps.get_model("telecare", "Landsdel")
    Fellesskab = apps.get_model("directory", "Fellesskab")
    Fellesskab.objects.filter(pk__in=Landsdel.objects.values("fellesskab_id")).update(service="telemedicine")


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0010_fellesskab_service'),
        ('telecare', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(mark_landsdel_fellesskaber, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='landsdel',
            name='fellesskab',
            field=models.OneToOneField(limit_choices_to={'service': 'telemedicine'}, on_delete=django.db.models.deletion.PROTECT, related_name='landsdel', to='directory.fellesskab', verbose_name='fællesskab'),
        ),
    ]

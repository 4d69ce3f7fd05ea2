"""The shipped populations' source named a slide deck ("Seed 000: …") or carried an instruction to the operator
("(gengivet; opdatér med samvirke import-population)"), and invoices print it. Rename both to the source itself,
only where it is still the shipped text (an imported figure keeps its own source). Issued invoices keep the text
they were issued with."""

from django.db import migrations

RENAMED = {
    "Seed 000: Region Sjælland × Den Digitale Hotline, økonomimodel": (
        "Danmarks Statistik, FOLK1A, 2024 (som gengivet i Den Digitale Hotlines økonomimodel for Region Sjælland)"
    ),
    "Danmarks Statistik FOLK1A 2024K1 (gengivet; opdatér med samvirke import-population)": (
        "Danmarks Statistik, FOLK1A, 1. kvartal 2024"
    ),
}


def rename(apps, schema_editor):
    Municipality = apps.get_model("directory", "Municipality")
    for old, new in RENAMED.items():
        Municipality.objects.filter(population_source=old).update(population_source=new)


def rename_back(apps, schema_editor):
    Municipality = apps.get_model("directory", "Municipality")
    for old, new in RENAMED.items():
        Municipality.objects.filter(population_source=new).update(population_source=old)


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_person_is_simulated")]
    operations = [migrations.RunPython(rename, rename_back)]

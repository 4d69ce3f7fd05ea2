"""The five regions and 98 municipalities every installation starts with."""

from __future__ import annotations

import importlib

from django.db.models import Count, Sum

from samvirke.directory.models import Municipality, Region

SJAELLAND_SEED_000 = {
    253: 52157, 259: 62574, 350: 29134, 265: 90460, 269: 24414, 320: 37573, 376: 60035, 316: 73767,
    326: 48524, 360: 39846, 370: 84651, 306: 32832, 329: 36130, 330: 79802, 340: 30523, 336: 23636,
    390: 45810,
}  # fmt: skip


def test_there_are_98_municipalities_in_5_regions(db: None) -> None:
    assert Municipality.objects.count() == 98
    counts = dict(Region.objects.annotate(n=Count("municipalities")).values_list("name", "n"))
    assert counts == {
        "Region Hovedstaden": 29,
        "Region Sjælland": 17,
        "Region Syddanmark": 22,
        "Region Midtjylland": 19,
        "Region Nordjylland": 11,
    }


def test_region_sjaellands_17_have_the_seeds_populations(db: None) -> None:
    sjaelland = dict(Municipality.objects.filter(region__code=1085).values_list("code", "population"))
    assert sjaelland == SJAELLAND_SEED_000
    assert sum(sjaelland.values()) == 851868


def test_every_population_states_its_source_and_year(db: None) -> None:
    assert not Municipality.objects.filter(population_source="").exists()
    assert set(Municipality.objects.values_list("population_year", flat=True)) == {2024}
    total = Municipality.objects.aggregate(total=Sum("population"))["total"]
    assert 5_800_000 < total < 6_100_000  # Denmark, 2024


def test_every_population_names_its_real_source_not_a_file_or_an_instruction(db: None) -> None:
    # The source is printed on every invoice: "Seed 000: …" (a slide deck's file name) and
    # "(gengivet; opdatér med samvirke import-population)" (an instruction to the operator) do not belong there.
    sources = set(Municipality.objects.values_list("population_source", flat=True))
    assert sources == {
        "Danmarks Statistik, FOLK1A, 1. kvartal 2024",
        "Danmarks Statistik, FOLK1A, 2024 (som gengivet i Den Digitale Hotlines økonomimodel for Region Sjælland)",
    }
    assert Municipality.objects.get(code=316).population_source.startswith("Danmarks Statistik, FOLK1A, 2024")


def test_the_migration_renames_a_shipped_source_and_keeps_an_imported_one(db: None) -> None:
    from django.apps import apps

    migration = importlib.import_module("samvirke.directory.migrations.0004_population_sources_name_real_sources")
    Municipality.objects.filter(code=316).update(
        population_source="Seed 000: Region Sjælland × Den Digitale Hotline, økonomimodel"
    )
    Municipality.objects.filter(code=101).update(population_source="Københavns Kommune, egen opgørelse 2025")
    migration.rename(apps, None)
    holbaek, copenhagen = Municipality.objects.get(code=316), Municipality.objects.get(code=101)
    assert holbaek.population_source.startswith("Danmarks Statistik, FOLK1A, 2024 (som gengivet")
    assert copenhagen.population_source == "Københavns Kommune, egen opgørelse 2025"

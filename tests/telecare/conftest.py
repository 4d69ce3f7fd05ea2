"""Fixtures for the telecare app's database tests: landsdel Sjælland (Region Sjælland, 1085) with its 17
municipalities' populations aged 40+ (invented here: 52 % of the reference population, rounded)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from samvirke.directory.models import Fellesskab, Municipality, PopulationAged40Plus, Region
from samvirke.telecare.models import Enrolment, Landsdel

SJAELLAND = 1085
GREVE, HOLBAEK, KOEGE, ROSKILDE = 253, 316, 259, 265


@pytest.fixture
def landsdel(fellesskab: Fellesskab) -> Landsdel:
    region = Region.objects.get(code=SJAELLAND)
    landsdel = Landsdel.objects.create(
        name="Sjælland",
        slug="sjaelland",
        region=region,
        fellesskab=Fellesskab.objects.create(
            name="Telemedicin Sjælland", slug="telemedicin-sjaelland", service="telemedicine"
        ),
        first_year=2025,
    )
    for municipality in Municipality.objects.filter(region=region):
        PopulationAged40Plus.objects.create(
            municipality=municipality,
            year=2024,
            count=round(municipality.population * Decimal("0.52")),
            source="Test: 52 % af indbyggertallet",
        )
    return landsdel


def enrol(landsdel: Landsdel, code: int, ref: str, start: dt.date, end: dt.date | None = None) -> Enrolment:
    return Enrolment.objects.create(
        landsdel=landsdel,
        municipality=Municipality.objects.get(code=code),
        citizen_ref=ref,
        enrolled_from=start,
        enrolled_to=end,
    )

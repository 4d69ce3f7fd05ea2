"""Fixtures for consent: landsdel Sjælland with one operator of each kind and a user each, a citizen of Greve
referred, enrolled and with a consent covering every operator kind, and the personas of tests/conftest.py."""

from __future__ import annotations

import datetime as dt

import pytest

from samvirke.consent.actions import do_enrol, do_record_consent, do_refer_citizen
from samvirke.consent.models import ConsentText, Operator, OperatorKind, OperatorUser, ProgrammeCitizen
from samvirke.directory.models import Fellesskab, Person, Region, Role
from samvirke.telecare.models import Landsdel
from tests.conftest import PASSWORD

SJAELLAND = 1085
GREVE, HOLBAEK = 253, 316
KINDS = [k.value for k in OperatorKind]


@pytest.fixture
def landsdel(fellesskab: Fellesskab) -> Landsdel:
    return Landsdel.objects.create(
        name="Sjælland",
        slug="sjaelland",
        region=Region.objects.get(code=SJAELLAND),
        fellesskab=Fellesskab.objects.create(
            name="Telemedicin Sjælland", slug="telemedicin-sjaelland", service="telemedicine"
        ),
        first_year=2025,
    )


@pytest.fixture
def other_landsdel(fellesskab: Fellesskab) -> Landsdel:
    return Landsdel.objects.create(
        name="Hovedstaden",
        slug="hovedstaden",
        region=Region.objects.get(code=1084),
        fellesskab=Fellesskab.objects.create(
            name="Telemedicin Hovedstaden", slug="telemedicin-hovedstaden", service="telemedicine"
        ),
        first_year=2025,
    )


def operator_person(landsdel: Landsdel, kind: str, username: str | None = None) -> Person:
    operator, _ = Operator.objects.get_or_create(
        landsdel=landsdel, name=f"{kind.capitalize()} A/S ({landsdel.slug})", defaults={"kind": kind}
    )
    person = Person(username=username or f"{kind}-{landsdel.slug}", first_name=kind, role=Role.NONE)
    person.set_password(PASSWORD)
    person.save()
    OperatorUser.objects.create(person=person, operator=operator)
    return person


@pytest.fixture
def operators(landsdel: Landsdel) -> dict[str, Person]:
    return {kind: operator_person(landsdel, kind) for kind in KINDS}


@pytest.fixture
def consent_text(db: None) -> ConsentText:
    return ConsentText.objects.create(version="2025.1", body="Jeg giver samtykke til …", active=True)


def refer(landsdel: Landsdel, ref: str = "SJ-0001", code: int = GREVE, **extra: object) -> ProgrammeCitizen:
    fields: dict[str, object] = {
        "citizen_ref": ref,
        "municipality": code,
        "name": "Karen Hansen",
        "address": "Byvej 1",
        "postcode": "2670",
        "city": "Greve",
        "phone": "43 40 00 00",
        "latitude": "55.583000",
        "longitude": "12.300000",
        "referred_at": dt.date(2025, 3, 3),
        "referrer_kind": "hospital",
        "referrer_name": "Lungemedicinsk afd., Roskilde",
        "measurements_note": "SpO2 93 %, vægt 71,2 kg",
    }
    fields.update(extra)
    return do_refer_citizen(None, landsdel, **fields)


@pytest.fixture
def citizen(landsdel: Landsdel, consent_text: ConsentText) -> ProgrammeCitizen:
    citizen = refer(landsdel)
    citizen = do_enrol(None, citizen, dt.date(2025, 3, 10))
    do_record_consent(None, citizen, operator_kinds=KINDS, given_at=dt.datetime(2025, 3, 4, 10, tzinfo=dt.UTC))
    return citizen

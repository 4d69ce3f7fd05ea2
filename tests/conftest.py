"""Fixed personas, as in every test of Samvirke: an agent of Holbæk, a coordinator of Greve, the secretariat,
region staff of Region Sjælland and an outsider (a coordinator of Aarhus, which is not a member).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client

from samvirke.directory.models import (
    Fellesskab,
    HotlineNumber,
    Membership,
    MembershipStatus,
    Municipality,
    Person,
    Region,
    Role,
)

HOLBAEK, GREVE, AARHUS, KOEGE = 316, 253, 751, 259
PASSWORD = "test-password-123"


@pytest.fixture
def fellesskab(db: None) -> Fellesskab:
    if not Region.objects.exists():
        # A transactional test before this one flushed what the migrations loaded.
        from samvirke.contact.models import Queue, Skill
        from samvirke.contact.reference_data import ensure_queues
        from samvirke.directory.reference_data import ensure_reference_data

        ensure_reference_data(Region, Municipality)
        ensure_queues(Skill, Queue)
    fellesskab = Fellesskab.objects.create(name="Testfællesskabet", slug="test")
    sjaelland = Region.objects.get(code=1085)
    for code, line_digits in ((HOLBAEK, "316"), (GREVE, "253"), (KOEGE, "259")):
        membership = Membership.objects.create(
            fellesskab=fellesskab,
            municipality=Municipality.objects.get(code=code),
            status=MembershipStatus.ACTIVE,
            member_since=dt.date(2025, 2, 1),
            pilot_start=dt.date(2025, 2, 1),
            pilot_end=dt.date(2027, 1, 31),
            pilot_payer=sjaelland,
        )
        HotlineNumber.objects.create(membership=membership, line="citizen_service", number=f"70200{line_digits}")
    return fellesskab


def _person(username: str, role: str, municipality_code: int | None = None, region_code: int | None = None) -> Person:
    person = Person(
        username=username,
        first_name=username.split("-")[0].capitalize(),
        role=role,
        municipality=Municipality.objects.get(code=municipality_code) if municipality_code else None,
        region=Region.objects.get(code=region_code) if region_code else None,
    )
    person.set_password(PASSWORD)
    person.save()
    return person


@pytest.fixture
def holbaek_agent(fellesskab: Fellesskab) -> Person:
    return _person("agent-holbaek", Role.AGENT, HOLBAEK)


@pytest.fixture
def greve_coordinator(fellesskab: Fellesskab) -> Person:
    return _person("koordinator-greve", Role.COORDINATOR, GREVE)


@pytest.fixture
def secretariat(fellesskab: Fellesskab) -> Person:
    return _person("sekretariat", Role.SECRETARIAT)


@pytest.fixture
def region_staff(fellesskab: Fellesskab) -> Person:
    return _person("region-sjaelland", Role.REGION_STAFF, region_code=1085)


@pytest.fixture
def outsider(fellesskab: Fellesskab) -> Person:
    """A coordinator of Aarhus: a real municipal user, but Aarhus is not a member of the fællesskab."""
    return _person("koordinator-aarhus", Role.COORDINATOR, AARHUS)


def client_for(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture(autouse=True)
def _fresh_queue_cache() -> Iterator[None]:
    """The contact centre caches its queues per process for ten seconds; each test starts from the database."""
    from samvirke.contact.selectors import forget_cached_queues

    forget_cached_queues()
    yield
    forget_cached_queues()


@pytest.fixture(autouse=True)
def _a_fresh_assistant_worker() -> Iterator[None]:
    """Each test meets the assistant as a newly started worker would: nothing served, nothing refused (the
    databases come and go under one test process, and a model served from a flushed database is not what the
    next test's database holds). The last model this process trained is kept, so tests on the same knowledge do
    not train it again."""
    from samvirke.assistant import service

    service.forget_served_engine(keep_last_build=True)
    yield
    service.forget_served_engine(keep_last_build=True)

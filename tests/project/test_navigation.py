"""The header's links by role: each person sees the pages they may open, and no others."""

from __future__ import annotations

import re

import pytest

from samvirke.directory.models import Person, Role
from tests.conftest import _person, client_for

NAV = re.compile(r'<nav class="mainnav"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')


def header_links(person: Person, page: str = "/vidensbase/") -> list[tuple[str, str]]:
    html = client_for(person).get(page).content.decode()
    match = NAV.search(html)
    assert match is not None, html[:2000]
    return [(label, url) for url, label in LINK.findall(match.group(1))]


@pytest.fixture
def guide_editor(fellesskab: object) -> Person:
    return _person("redaktoer", Role.GUIDE_EDITOR)


@pytest.fixture
def staff_secretariat(secretariat: Person) -> Person:
    # As in the demo (seed-demo): the secretariat runs the Django admin.
    secretariat.is_staff = secretariat.is_superuser = True
    secretariat.save(update_fields=["is_staff", "is_superuser"])
    return secretariat


def test_an_agent_sees_its_municipality_the_desk_and_the_guides_but_not_the_economy(holbaek_agent: Person) -> None:
    assert header_links(holbaek_agent) == [
        ("Medlemmer", "/medlemmer/"),
        ("Holbæk", "/kommuner/316/"),
        ("Kontaktcenter", "/kontaktcenter/"),
        ("Vagtplan", "/bemanding/"),
        ("Vidensbase", "/vidensbase/"),
    ]


def test_a_coordinator_also_sees_the_economy_and_the_business_cases(greve_coordinator: Person) -> None:
    assert header_links(greve_coordinator) == [
        ("Medlemmer", "/medlemmer/"),
        ("Greve", "/kommuner/253/"),
        ("Kontaktcenter", "/kontaktcenter/"),
        ("Vagtplan", "/bemanding/"),
        ("Uddannelse", "/uddannelse/"),
        ("Vidensbase", "/vidensbase/"),
        ("Økonomi", "/oekonomi/"),
        ("Business cases", "/oekonomi/business-cases/"),
        ("Beredskab", "/beredskab/"),
    ]


def test_the_secretariat_sees_the_wallboard_and_the_administration_but_no_municipality(
    staff_secretariat: Person,
) -> None:
    assert header_links(staff_secretariat) == [
        ("Medlemmer", "/medlemmer/"),
        ("Kontaktcenter", "/kontaktcenter/tavle/"),
        ("Vagtplan", "/bemanding/"),
        ("Uddannelse", "/uddannelse/"),
        ("Vidensbase", "/vidensbase/"),
        ("Optagelse", "/optagelse/"),
        ("Økonomi", "/oekonomi/"),
        ("Business cases", "/oekonomi/business-cases/"),
        ("Beredskab", "/beredskab/"),
        ("Administration", "/admin/"),
    ]


def test_the_region_sees_the_economy_but_not_the_business_cases(region_staff: Person) -> None:
    assert header_links(region_staff) == [
        ("Medlemmer", "/medlemmer/"),
        ("Kontaktcenter", "/kontaktcenter/tavle/"),
        ("Vagtplan", "/bemanding/"),
        ("Vidensbase", "/vidensbase/"),
        ("Økonomi", "/oekonomi/"),
    ]


def test_a_guide_editor_sees_the_guides_and_no_economy(guide_editor: Person) -> None:
    assert header_links(guide_editor) == [
        ("Medlemmer", "/medlemmer/"),
        ("Kontaktcenter", "/kontaktcenter/tavle/"),
        ("Vagtplan", "/bemanding/"),
        ("Vidensbase", "/vidensbase/"),
    ]


def test_the_outsider_sees_no_links(outsider: Person) -> None:
    assert header_links(outsider, "/medlemmer/") == []


def test_only_the_secretariat_sees_the_administration(
    staff_secretariat: Person,
    holbaek_agent: Person,
    greve_coordinator: Person,
    region_staff: Person,
    guide_editor: Person,
) -> None:
    seeing = [
        person.username
        for person in (staff_secretariat, holbaek_agent, greve_coordinator, region_staff, guide_editor)
        if ("Administration", "/admin/") in header_links(person)
    ]
    assert seeing == ["sekretariat"]


def test_the_current_page_is_marked(greve_coordinator: Person) -> None:
    html = client_for(greve_coordinator).get("/oekonomi/business-cases/").content.decode()
    assert '<a href="/oekonomi/business-cases/" aria-current="page">' in html
    assert '<a href="/oekonomi/" aria-current' not in html

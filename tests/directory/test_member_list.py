from __future__ import annotations

import re

from samvirke.directory.models import Membership, MembershipStatus, Person
from tests.conftest import client_for


def test_the_secretariat_sees_every_member_with_population_status_and_numbers(secretariat: Person) -> None:
    response = client_for(secretariat).get("/medlemmer/")
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Holbæk", "Greve", "Køge"):
        assert name in page
    assert "73.767" in page  # Holbæk's population, written the Danish way
    assert "70 20 03 16" in page  # Holbæk's hotline number
    assert "Aktiv" in page
    assert "Region Sjælland" in page  # pays the fee during the pilot
    # 73,767 + 52,157 + 62,574
    assert "188.498 indbyggere i alt" in page


def test_an_agent_of_a_member_sees_the_member_list(holbaek_agent: Person) -> None:
    assert client_for(holbaek_agent).get("/medlemmer/").status_code == 200


def test_region_staff_of_the_members_region_see_the_member_list(region_staff: Person) -> None:
    assert client_for(region_staff).get("/medlemmer/").status_code == 200


def test_the_list_filters_by_status(secretariat: Person) -> None:
    Membership.objects.filter(municipality__code=253).update(status=MembershipStatus.ONBOARDING)
    page = client_for(secretariat).get("/medlemmer/?status=onboarding").content.decode()
    assert "Greve" in page
    assert "Holbæk" not in page


def test_an_unknown_status_filter_shows_everyone(secretariat: Person) -> None:
    page = client_for(secretariat).get("/medlemmer/?status=<script>").content.decode()
    assert "Holbæk" in page and "Greve" in page
    assert "<script>" not in page


def test_a_member_that_left_no_longer_counts_and_its_staff_lose_access(
    holbaek_agent: Person, secretariat: Person
) -> None:
    Membership.objects.filter(municipality__code=316).update(status=MembershipStatus.LEFT)
    assert client_for(holbaek_agent).get("/medlemmer/").status_code == 403
    page = client_for(secretariat).get("/medlemmer/").content.decode()
    assert "2 medlemskommuner" in page


def test_the_home_page_sends_members_to_the_member_list(greve_coordinator: Person) -> None:
    response = client_for(greve_coordinator).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/medlemmer/"


def test_the_api_lists_members_for_a_member(holbaek_agent: Person) -> None:
    members = client_for(holbaek_agent).get("/api/directory/members").json()
    assert [m["name"] for m in members] == ["Greve", "Holbæk", "Køge"]
    holbaek = members[1]
    assert holbaek["kommunekode"] == 316
    assert holbaek["population"] == 73767
    assert holbaek["pilot_payer"] == "Region Sjælland"
    assert holbaek["hotline_numbers"] == [{"line": "citizen_service", "number": "70200316", "is_demo": False}]


def test_the_openapi_schema_describes_the_directory_endpoints(db: None) -> None:
    from django.test import Client

    schema = Client().get("/api/openapi.json").json()
    assert "/api/directory/members" in schema["paths"]


def _linked_pages(page: str) -> list[str]:
    return re.findall(r'href="(/kommuner/\d+/)"', page)


def test_an_agent_is_linked_only_to_the_pages_it_may_open(holbaek_agent: Person) -> None:
    client = client_for(holbaek_agent)
    page = client.get("/medlemmer/").content.decode()
    assert "Greve" in page and "Køge" in page  # every member is listed
    assert set(_linked_pages(page)) == {"/kommuner/316/"}  # but only the own municipality is a link
    assert all(client.get(url).status_code == 200 for url in _linked_pages(page))


def test_the_secretariat_and_the_region_are_linked_to_every_members_page(
    secretariat: Person, region_staff: Person
) -> None:
    for person in (secretariat, region_staff):
        client = client_for(person)
        links = _linked_pages(client.get("/medlemmer/").content.decode())
        assert sorted(links) == ["/kommuner/253/", "/kommuner/259/", "/kommuner/316/"]
        assert all(client.get(url).status_code == 200 for url in links)

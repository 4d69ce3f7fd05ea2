"""Every page: an anonymous visitor is sent to the login page, an outsider is refused."""

from __future__ import annotations

import pytest
from django.test import Client

from samvirke.directory.models import Person
from tests.conftest import client_for

PAGES = ["/", "/medlemmer/", "/medlemmer/?status=active", "/kommuner/316/", "/kommuner/253/"]
API = ["/api/directory/members", "/api/directory/municipalities/316"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_login(fellesskab: object, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("url", PAGES)
def test_an_outsider_is_refused(outsider: Person, url: str) -> None:
    response = client_for(outsider).get(url)
    assert response.status_code == 403
    assert "Ingen adgang" in response.content.decode()


@pytest.mark.parametrize("url", API)
def test_the_api_refuses_anonymous_callers(fellesskab: object, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 401
    assert response.json()["detail"] == "Log ind først."


@pytest.mark.parametrize("url", API)
def test_the_api_refuses_an_outsider(outsider: Person, url: str) -> None:
    response = client_for(outsider).get(url)
    assert response.status_code == 403
    assert response.json()["detail"]


def test_a_user_without_a_role_is_refused(fellesskab: object) -> None:
    nobody = Person.objects.create_user("nobody", password="x-long-password")
    assert client_for(nobody).get("/medlemmer/").status_code == 403


def test_the_status_change_is_refused_for_anonymous_and_outsiders(outsider: Person) -> None:
    assert Client().post("/kommuner/316/status/", {"status": "left"}).status_code == 302
    assert client_for(outsider).post("/kommuner/316/status/", {"status": "left"}).status_code == 403


def test_the_admin_is_closed_to_people_who_are_not_staff(outsider: Person, holbaek_agent: Person) -> None:
    for person in (outsider, holbaek_agent):
        response = client_for(person).get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_the_admin_opens_for_a_superuser(secretariat: Person) -> None:
    secretariat.is_staff = secretariat.is_superuser = True
    secretariat.save()
    client = client_for(secretariat)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/directory/municipality/").status_code == 200
    assert client.get("/admin/audit/auditentry/").status_code == 200

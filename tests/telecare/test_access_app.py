"""Who sees telemedicine: the secretariat every landsdel, region staff their region's, a coordinator its own
municipality's rows only (the others' rows are not sent), agents and outsiders nothing (403)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from samvirke.directory.models import Person
from samvirke.telecare.actions import do_issue_quarter, do_make_forecast
from samvirke.telecare.models import Landsdel
from tests.conftest import client_for
from tests.telecare.conftest import GREVE, HOLBAEK, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoiced(landsdel: Landsdel) -> Landsdel:
    enrol(landsdel, GREVE, "SJ-0001", dt.date(2025, 1, 2))
    do_make_forecast(None, landsdel, 2025, total=Decimal("5580000"))
    do_issue_quarter(None, landsdel, 2025, 1)
    return landsdel


def _page(person: Person) -> str:
    response = client_for(person).get("/telemedicin/sjaelland/?aar=2025")
    assert response.status_code == 200
    return response.content.decode()


def test_the_secretariat_sees_every_municipality_and_the_region(invoiced: Landsdel, secretariat: Person) -> None:
    page = _page(secretariat)
    assert page.count('<tr data-code="') == 17
    assert "Region Sjælland" in page and "Greve Kommune" in page and "Holbæk Kommune" in page
    assert "3.627.000,00" in page  # the region's 65 % of the forecast


def test_region_staff_see_their_region_s_landsdel(invoiced: Landsdel, region_staff: Person) -> None:
    assert _page(region_staff).count('<tr data-code="') == 17


def test_a_coordinator_gets_only_its_own_municipality_s_rows(invoiced: Landsdel, greve_coordinator: Person) -> None:
    page = _page(greve_coordinator)
    assert page.count('<tr data-code="') == 1 and f'data-code="{GREVE}"' in page
    assert f'data-code="{HOLBAEK}"' not in page
    assert "Holbæk" not in page and "Region Sjælland</td>" not in page  # others' invoices are not sent
    assert "3.627.000,00" not in page
    assert "Greve Kommune" in page


@pytest.mark.parametrize("who", ["holbaek_agent", "outsider"])
def test_agents_and_outsiders_are_refused(invoiced: Landsdel, who: str, request: pytest.FixtureRequest) -> None:
    person: Person = request.getfixturevalue(who)
    client = client_for(person)
    assert client.get("/telemedicin/").status_code == 403
    assert client.get("/telemedicin/sjaelland/").status_code == 403


def test_anonymous_visitors_go_to_login_and_unknown_landsdele_are_404(invoiced: Landsdel, secretariat: Person) -> None:
    assert Client().get("/telemedicin/sjaelland/")["Location"].startswith("/login/")
    assert client_for(secretariat).get("/telemedicin/fyn/").status_code == 404


def test_the_index_leads_to_the_one_landsdel_and_the_menu_shows_it(
    invoiced: Landsdel, greve_coordinator: Person
) -> None:
    client = client_for(greve_coordinator)
    assert client.get("/telemedicin/")["Location"] == "/telemedicin/sjaelland/"
    assert 'href="/telemedicin/"' in client.get("/telemedicin/sjaelland/").content.decode()


def test_the_page_explains_the_split_in_danish(invoiced: Landsdel, secretariat: Person) -> None:
    page = _page(secretariat)
    assert "Prognosen for 2025 er 5.580.000,00 kr." in page
    assert "Regionen betaler 65,0 %" in page and "w = 1" in page
    assert "Kvartalsfaktura" in page and "1. kvartal" in page

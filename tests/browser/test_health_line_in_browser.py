"""The pages issue 14 adds for the health-app line and the pilot grant, in a real browser: the region follows its
grant (spent + left = granted, years without a model said so), and the contact centre's report shows each line."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", "--quiet-logins", "--no-traffic", "--no-rota", stdout=open("/dev/null", "w"))  # noqa: SIM115


def log_in(page: Any, base_url: str, username: str, then: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base_url}{then}")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill("samvirke-demo")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base_url}{then}")


def _amount(text: str) -> Decimal:
    return Decimal(text.replace("kr.", "").strip().replace(".", "").replace(",", "."))


def test_the_region_follows_its_pilot_grant(live_server: Any, demo: None, page: Any) -> None:
    log_in(page, live_server.url, "region", "/oekonomi/pilotbevilling/")
    assert page.get_by_role("link", name="Pilotbevilling").get_attribute("aria-current") == "page"
    assert page.get_by_role("heading", name="Den Digitale Hotline i Region Sjælland (Regionale Udviklingsmidler)")
    spent = _amount(page.locator("[data-spent]").inner_text())
    left = _amount(page.locator("[data-remaining]").inner_text())
    assert spent > 0 and spent + left == Decimal("2000000.00")
    assert page.locator('tr[data-year="2025"]', has_text="Region Sjælland (bevillingen)").count() == 1
    assert page.locator('tr[data-year="2027"]', has_text="Ingen økonomimodel for 2027").count() == 1
    screenshot(page, "economy-pilot-grant-1280")


def test_the_report_shows_each_line(live_server: Any, demo: None, page: Any) -> None:
    log_in(page, live_server.url, "sekretariat", "/kontaktcenter/rapporter/")
    assert page.get_by_role("heading", name="Pr. linje").is_visible()
    table = page.locator("#minsp-table")
    assert table.locator("tr", has_text="Sundhedsapps-linje").count() == 1
    assert table.locator("tr", has_text="Borgerservice-hotline").count() == 1

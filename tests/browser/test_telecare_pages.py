"""Telemedicine's landsdel page in a real browser at 1280 px: the secretariat uploads enrolments, makes the
forecast, issues the first quarter after its confirmation step and sees the invoices; a coordinator sees only its
own municipality's row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from samvirke.directory.models import Person
from samvirke.telecare.models import Landsdel, SubscriptionInvoice
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.conftest import PASSWORD
from tests.telecare.conftest import GREVE, HOLBAEK
from tests.telecare.conftest import landsdel as landsdel  # noqa: F401  (a fixture, used by name)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, base_url: str, username: str, then: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base_url}{then}")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base_url}{then}")


def test_the_secretariat_uploads_forecasts_and_invoices_a_quarter(
    live_server: Any, page: Any, landsdel: Landsdel, secretariat: Person, greve_coordinator: Person, tmp_path: Path
) -> None:
    csv = tmp_path / "indskrivninger.csv"
    csv.write_text(
        f"kommunekode,citizen_ref,enrolled_from,enrolled_to\n{GREVE},SJ-1,2025-01-02,\n{HOLBAEK},SJ-2,2025-02-01,\n",
        encoding="utf-8",
    )
    log_in(page, live_server.url, "sekretariat", "/telemedicin/sjaelland/?aar=2025")
    page.get_by_label("Indskrivninger (CSV)").set_input_files(str(csv))
    page.get_by_role("button", name="Indlæs indskrivninger").click()
    assert "2 nye indskrivninger" in page.locator(".messages").inner_text()

    page.get_by_label("Samlet budget (kr.)").fill("5580000")
    page.get_by_role("button", name="Lav prognose").click()
    assert "Prognosen for 2025 er lavet: 5.580.000,00 kr." in page.locator(".messages").inner_text()

    page.get_by_role("button", name="Fakturér kvartal …").click()
    assert page.get_by_role("heading", name="Fakturér 1. kvartal 2025").is_visible()
    assert not SubscriptionInvoice.objects.exists()
    page.get_by_role("button", name="Udsted 18 fakturaer").click()
    assert "18 fakturaer udstedt" in page.locator(".messages").inner_text()
    assert page.locator("#invoice-table tbody tr").count() == 18
    assert SubscriptionInvoice.objects.filter(quarter=1).count() == 18
    page.goto(f"{live_server.url}/telemedicin/sjaelland/?aar=2025")
    screenshot(page, "telecare-landsdel-secretariat-1280")
    for part in ("sekretariat", "volume-chart", "scenario-table"):
        page.locator(f"#{part}").screenshot(path=str(ARTIFACTS / f"telecare-{part}-1280.png"))

    page.context.clear_cookies()
    log_in(page, live_server.url, "koordinator-greve", "/telemedicin/sjaelland/?aar=2025")
    assert page.locator("#municipal-table tbody tr").count() == 1
    assert page.locator("#owner-totals tbody tr").count() == 1
    assert "Greve" in page.locator("#owner-totals tbody").inner_text()
    assert page.locator("#invoice-table tbody tr").count() == 1
    assert "Holbæk" not in page.content()
    assert page.locator("#sekretariat").count() == 0
    screenshot(page, "telecare-landsdel-coordinator-1280")

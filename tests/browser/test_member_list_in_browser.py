"""The secretariat logs in through the real login form and sees the member list."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.conftest import screenshot

# Live-server tests flush the database after each test; seed-demo puts the reference data back.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", "--quiet-logins", "--no-traffic", "--no-rota", stdout=open("/dev/null", "w"))  # noqa: SIM115


def log_in(page: Any, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/medlemmer/")
    assert "/login/" in page.url
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill("samvirke-demo")
    page.get_by_role("button", name="Log ind").click()


def test_the_secretariat_logs_in_and_sees_the_member_list(live_server: Any, demo: None, page: Any) -> None:
    log_in(page, live_server.url, "sekretariat")
    page.wait_for_url(f"{live_server.url}/medlemmer/")
    assert page.get_by_role("heading", name="Medlemmer").is_visible()
    rows = page.locator("table.data-table tbody tr")
    assert rows.count() == 17
    holbaek = page.get_by_role("row", name="Holbæk")
    assert "73.767" in holbaek.inner_text()
    assert "Aktiv" in holbaek.inner_text()
    assert "70 20 03 16" in holbaek.inner_text()
    assert "851.868 indbyggere i alt" in page.locator(".lead").inner_text()
    screenshot(page, "member-list")

    page.get_by_role("link", name="Holbæk").click()
    page.wait_for_url(f"{live_server.url}/kommuner/316/")
    assert page.get_by_role("heading", name="Holbæk Kommune").is_visible()
    assert page.get_by_role("cell", name="koordinator-holbaek").is_visible()
    screenshot(page, "municipality-holbaek")


def test_a_coordinator_is_refused_another_municipality_in_the_browser(live_server: Any, demo: None, page: Any) -> None:
    log_in(page, live_server.url, "koordinator-greve")
    page.wait_for_url(f"{live_server.url}/medlemmer/")
    page.goto(f"{live_server.url}/kommuner/316/")
    assert page.get_by_role("heading", name="Ingen adgang").is_visible()


def test_logging_out_ends_the_session(live_server: Any, demo: None, page: Any) -> None:
    log_in(page, live_server.url, "agent-holbaek-1")
    page.wait_for_url(f"{live_server.url}/medlemmer/")
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url(f"{live_server.url}/login/")
    page.goto(f"{live_server.url}/medlemmer/")
    assert "/login/" in page.url

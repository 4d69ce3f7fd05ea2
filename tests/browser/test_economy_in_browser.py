"""The economy pages in a real browser at 1280 px: the chart's bars are as long as their amounts, and invoicing
shows what it will do, says when the year is not over, and a double click issues nothing twice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from samvirke.directory.models import Fellesskab, FellesskabService
from samvirke.economy.actions.invoicing import do_save_economy_settings, prepare_invoicing
from samvirke.economy.models import EconomySettings, Invoice
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo() -> int:
    """The demo, with a model for this year (the demo has 2025 and 2026), not yet invoiced."""
    call_command("seed_demo", "--quiet-logins", "--no-traffic", "--no-rota", stdout=open("/dev/null", "w"))  # noqa: SIM115
    year = timezone.localdate().year
    fellesskab = Fellesskab.objects.get(service=FellesskabService.HOTLINE)
    if not EconomySettings.objects.filter(fellesskab=fellesskab, year=year).exists():
        do_save_economy_settings(None, fellesskab, year, price_per_citizen=Decimal("1.25"))
    return year


def log_in(page: Any, base_url: str, then: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base_url}{then}")
    page.get_by_label("Brugernavn").fill("sekretariat")
    page.get_by_label("Adgangskode").fill("samvirke-demo")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base_url}{then}")


def test_the_charts_bars_are_as_long_as_their_amounts(live_server: Any, demo: int, page: Any) -> None:
    log_in(page, live_server.url, f"/oekonomi/?aar={demo}")
    for kind in ("fee", "hours"):
        bars = page.locator(f".bar-{kind}").evaluate_all(
            "bars => bars.map(b => [Number(b.dataset.value), b.getBoundingClientRect().width,"
            " b.parentElement.getBoundingClientRect().width])"
        )
        assert len(bars) == 17
        largest = max(value for value, _width, _area in bars)
        full = {round(area, 1) for _value, _width, area in bars}
        assert len(full) == 1  # every bar is drawn against the same width
        (area,) = full
        for value, width, _area in bars:
            assert width == pytest.approx(value / largest * area, abs=1.0), (kind, value, width)
        widest = max(bars, key=lambda bar: bar[1])
        assert widest[0] == largest  # 100 % is the longest bar, never narrower than 88 %
    page.locator("figure.barchart").scroll_into_view_if_needed()
    screenshot(page, "economy-overview-chart-1280")


def test_invoicing_asks_says_the_year_is_not_over_and_a_double_click_issues_once(
    live_server: Any, demo: int, page: Any
) -> None:
    year = demo
    fellesskab = Fellesskab.objects.get(service=FellesskabService.HOTLINE)
    expected = len(prepare_invoicing(fellesskab, year).plan.to_issue)
    log_in(page, live_server.url, f"/oekonomi/fakturaer/?aar={year}")
    page.get_by_role("link", name=f"Fakturér {year} …").click()
    page.wait_for_url(f"{live_server.url}/oekonomi/fakturaer/koer/?aar={year}")
    assert page.get_by_role("heading", name=f"Fakturér {year}").is_visible()
    if timezone.localdate().month <= 12:  # this year is never over yet
        assert f"Året {year} er ikke slut" in page.locator("#year-not-over").inner_text()
    assert not Invoice.objects.filter(year=year).exists()
    screenshot(page, "invoicing-confirmation-1280")

    button = page.get_by_role("button", name=f"Udsted {expected} fakturaer")
    button.click()  # without the "not over" box: the browser itself refuses (required)
    assert not Invoice.objects.filter(year=year).exists()
    page.get_by_label("Jeg fakturerer før årets udgang", exact=False).check()
    button.dblclick()
    page.wait_for_url(f"{live_server.url}/oekonomi/fakturaer/?aar={year}")
    page.wait_for_load_state()
    assert Invoice.objects.filter(year=year).count() == expected  # one run won; nothing issued twice
    messages = page.locator(".messages").inner_text()
    assert "nye fakturaer" in messages or "Intet er udstedt denne gang" in messages
    screenshot(page, "invoicing-after-double-click-1280")

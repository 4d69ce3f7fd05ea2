"""The rota's week calendar in a real browser at 1280 px: shifts at the same time sit side by side, later ones
lower down, the week fits without scrolling sideways; and an exchange made with the member page's form shows
up in the calendar."""

from __future__ import annotations

from typing import Any

import pytest

from samvirke.directory.models import Fellesskab, Person
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD
from tests.staffing.handmade import WEEK, HandmadeRota, make_rota

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def week(fellesskab: Fellesskab, holbaek_agent: Person) -> HandmadeRota:
    return make_rota(fellesskab, holbaek_agent)


def log_in(page: Any, base_url: str, username: str, then: str) -> None:
    page.goto(f"{base_url}{then}")
    assert "/login/" in page.url
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base_url}{then}")


def box(page: Any, shift_pk: int) -> dict[str, float]:
    result: dict[str, float] = (
        page.locator(f'[data-shift="{shift_pk}"]').locator("xpath=ancestor::div[1]").bounding_box()
    )
    return result


def test_the_week_calendar_puts_shifts_side_by_side_and_follows_an_exchange(
    live_server: Any, week: HandmadeRota, secretariat: Person, page: Any
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "sekretariat", f"/bemanding/{WEEK}/")
    calendar = page.locator(".week-cal")
    assert calendar.is_visible()
    assert page.locator(".wc-day").all_inner_texts() == ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag"]

    holbaek, koege, later = (
        box(page, week.shifts["H1"].pk),
        box(page, week.shifts["K1"].pk),
        box(page, week.shifts["H3"].pk),
    )
    assert holbaek["y"] == pytest.approx(koege["y"], abs=1)  # both start at 09.00 ...
    assert (
        holbaek["x"] + holbaek["width"] <= koege["x"] + 1 or koege["x"] + koege["width"] <= holbaek["x"] + 1
    )  # ... apart
    assert later["y"] >= holbaek["y"] + holbaek["height"] - 1  # 12.00 is below 09–12
    scroller = page.locator(".week-cal-scroll")
    assert scroller.evaluate("el => el.scrollWidth <= el.clientWidth")  # the week fits at 1280 px
    assert "Køge" in page.locator(f'[data-shift="{week.shifts["K1"].pk}"]').inner_text()
    assert "ikke fordelt" in page.locator(f'[data-shift="{week.shifts["K1"].pk}"]').inner_text()
    screenshot(page, "rota-week-calendar")

    page.goto(f"{live_server.url}/bemanding/{WEEK}/316/")
    form = page.locator("#swap")
    form.get_by_label("Byt: begge vagter skifter kommune").check()
    form.get_by_label("Vores vagt", exact=True).select_option(str(week.shifts["H1"].pk))
    form.get_by_label("Deres vagt (ved bytte)").select_option(str(week.shifts["G1"].pk))
    form.get_by_role("button", name="Byt vagter").click()
    page.wait_for_url(f"{live_server.url}/bemanding/{WEEK}/316/")
    assert "Byttet: Greve har nu vagten mandag 09.00–12.00" in page.locator("body").inner_text()
    assert page.locator("#member-total").inner_text() == "6,0 timer"
    moved = page.locator(f'[data-shift="{week.shifts["G1"].pk}"]')
    assert moved.is_visible() and "Agent" in moved.inner_text()  # Greve's 12–14 came to Holbæk's free agent
    assert page.locator(f'[data-shift="{week.shifts["H1"].pk}"]').count() == 0
    screenshot(page, "member-week-calendar-after-swap")

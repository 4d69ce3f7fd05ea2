"""Pages that must work with no internet and in the citizen's language: /api/docs (Swagger UI from our own static
files) and a citizen's page that does not exist (with DEBUG on, as in `make demo`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from samvirke.directory.models import Fellesskab
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def block_the_internet(page: Any, base_url: str) -> list[str]:
    """Abort every request that is not to the live server; return the list of what was tried."""
    tried: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(base_url) or url.startswith("data:"):
            request_route.continue_()
        else:
            tried.append(url)
            request_route.abort()

    page.route("**/*", route)
    return tried


def test_the_api_docs_render_with_the_network_blocked(live_server: Any, page: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    tried = block_the_internet(page, live_server.url)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/api/docs")
    title = page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert "Samvirke API" in title.inner_text()
    page.get_by_text("/api/telephony/events").first.wait_for()  # the operations are listed
    assert page.locator(".opblock").count() >= 5
    assert tried == []  # nothing was even asked of the internet
    assert errors == []
    screenshot(page, "api-docs-offline-1280")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_citizen_gets_a_danish_404_in_the_citizen_style_with_debug_on(
    live_server: Any, fellesskab: Fellesskab, page: Any, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    with override_settings(DEBUG=True):
        response = page.goto(f"{live_server.url}/chat/999/")
        assert response is not None and response.status == 404
        assert page.get_by_role("heading", name="Siden findes ikke").is_visible()
        text = page.locator("main").inner_text()
        assert "Der findes ingen chat for kommunekode 999" in text and "borger.dk" in text
        assert "Page not found" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll
    screenshot(page, f"citizen-404-{width}")

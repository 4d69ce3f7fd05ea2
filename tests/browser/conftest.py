"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium); no browser download."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("SAMVIRKE_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one unless told
# that this thread does no async work of its own (it doesn't: the test and the live server are plain sync).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") or os.environ.get("SAMVIRKE_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        _watch_for_csp_violations(browser)
        yield browser
        browser.close()


# Console messages of every page in every context of the session's browser that say the Content-Security-Policy
# refused something (an inline script or style, an eval, a resource from elsewhere). Each browser test must end
# with none (check_no_csp_violations below).
CSP_VIOLATIONS: list[str] = []


def _is_csp_violation(text: str) -> bool:
    return text.startswith("Refused to") or "Content Security Policy" in text


def _record_csp_violation(message: Any) -> None:
    if _is_csp_violation(message.text):
        CSP_VIOLATIONS.append(message.text)


def _watch_for_csp_violations(browser: Any) -> None:
    open_context = browser.new_context

    def new_context(*args: Any, **kwargs: Any) -> Any:
        context = open_context(*args, **kwargs)
        context.on("console", _record_csp_violation)
        return context

    browser.new_context = new_context


@pytest.fixture(autouse=True)
def check_no_csp_violations() -> Iterator[None]:
    CSP_VIOLATIONS.clear()
    yield
    violations, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []
    assert violations == [], "the Content-Security-Policy refused something on a page"


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="da-DK", viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path

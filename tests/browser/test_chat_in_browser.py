"""A citizen asks in the chat widget: the answer is the municipality's variant; a crisis notice comes first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from samvirke.directory.models import Municipality
from samvirke.knowledge.actions import do_load_knowledge
from samvirke.knowledge.models import CrisisNotice
from tests.browser.conftest import screenshot
from tests.browser.test_member_list_in_browser import demo  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def guides(demo: None) -> None:  # noqa: F811
    do_load_knowledge(None)


def ask(page: Any, question: str) -> Any:
    before = page.locator("#chat-log > li").count()
    page.get_by_label("Dit spørgsmål").fill(question)
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('#chat-log > li').length > {before}", timeout=60_000)
    return page.locator("#chat-log > li").last


def test_a_question_in_the_widget_gets_the_municipalitys_variant(live_server: Any, guides: None, page: Any) -> None:
    page.goto(f"{live_server.url}/chat/326/")  # Kalundborg
    answer = ask(page, "hvornår har borgerservice åbent")
    assert "Borgerservice åbningstider og kontakt" in answer.inner_text()
    assert "Kalundborg" in answer.inner_text()
    # The reply was added without a page load, into the live region, and focus is back in the field.
    assert page.url.endswith("/chat/326/")
    assert page.evaluate("document.activeElement.id") == "question"
    screenshot(page, "chat-kalundborg")


def test_a_crisis_notice_comes_first(live_server: Any, guides: None, page: Any) -> None:
    notice = CrisisNotice.objects.create(
        title="Vandforsyningen er afbrudt i Sorø",
        body="Kog vandet før brug. Følg med på soroe.dk.",
        published=True,
        starts_at=timezone.now() - dt.timedelta(hours=2),
    )
    notice.municipalities.add(Municipality.objects.get(code=340))
    page.goto(f"{live_server.url}/chat/340/")
    assert page.get_by_role("alert").first.inner_text().startswith("Vigtigt: Vandforsyningen er afbrudt i Sorø")
    answer = ask(page, "jeg skal have nyt pas")
    text = answer.inner_text()
    assert text.index("Vandforsyningen er afbrudt") < text.index("Pas")


def test_the_chat_works_without_javascript(live_server: Any, guides: None, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    page = context.new_page()
    page.goto(f"{live_server.url}/chat/316/")
    page.get_by_label("Dit spørgsmål").fill("jeg har mistet min telefon og kan ikke bruge mitid")
    page.get_by_role("button", name="Spørg").click()
    page.wait_for_load_state()
    assert "Mistet eller ny telefon med MitID-appen" in page.locator("#chat-log").inner_text()
    context.close()

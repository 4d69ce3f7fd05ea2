"""The knowledge base in a real browser: the editor's overview, the agents' search, a variant's preview, a diff,
the reports, and a crisis notice the secretariat writes that the citizens' chat shows first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from samvirke.assistant.actions import do_record_feedback, do_record_unanswered
from samvirke.directory.models import Municipality
from samvirke.knowledge.models import Guide
from tests.browser.conftest import screenshot
from tests.browser.test_member_list_in_browser import demo, log_in  # noqa: F401 (fixture)

# Slow: the module trains the assistant once before its first scene (≈ 20 s here).
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_editor_reads_the_overview_and_searches_like_an_agent(
    live_server: Any,
    demo: None,  # noqa: F811
    page: Any,
) -> None:
    log_in(page, live_server.url, "redaktoer")
    page.wait_for_url(f"{live_server.url}/medlemmer/")
    page.goto(f"{live_server.url}/vidensbase/")
    assert page.get_by_role("heading", name="Vidensbase", exact=True).is_visible()
    assert page.get_by_role("link", name="Pas", exact=True).is_visible()
    screenshot(page, "knowledge-index")

    page.goto(f"{live_server.url}/vidensbase/soeg/?q=nyt+pas")
    first = page.locator("details.kb-hit").first
    assert first.locator(".kb-hit-title").inner_text() == "Pas"
    assert "Håndteres af: Hotlinen svarer selv" in first.inner_text()
    screenshot(page, "knowledge-search")

    page.get_by_label("Borgerens kommune").select_option(label="Kalundborg")
    page.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_url("**kommune=326**")
    assert "Borgerservice Kalundborg" in page.locator(".kb-facts").inner_text()


def test_the_editor_edits_a_guide_previews_a_variant_and_reads_the_diff(
    live_server: Any,
    demo: None,  # noqa: F811
    page: Any,
) -> None:
    log_in(page, live_server.url, "redaktoer")
    page.wait_for_url(f"{live_server.url}/medlemmer/")
    page.goto(f"{live_server.url}/vidensbase/passport/")
    body = page.get_by_label("Tekst (Markdown)")
    body.fill(body.input_value().replace("2-3 uger", "cirka 3 uger"))
    page.get_by_label("Bemærkning til ændringen").fill("Ny sagsbehandlingstid")
    page.get_by_role("button", name="Gem kladde").click()
    assert page.get_by_text("Kladden er gemt.").is_visible()
    assert "cirka 3 uger" not in Guide.objects.get(topic_id="passport").body  # a draft: the published text stays
    page.get_by_role("button", name="Udgiv kladden").click()
    assert page.get_by_text("Guiden er udgivet.").is_visible()
    assert "cirka 3 uger" in Guide.objects.get(topic_id="passport").body
    screenshot(page, "knowledge-topic")

    page.get_by_role("link", name="Se ændringer").first.click()
    assert page.locator(".kb-diff-add", has_text="cirka 3 uger").is_visible()
    assert page.locator(".kb-diff-del", has_text="2-3 uger").is_visible()
    screenshot(page, "knowledge-revision")

    page.goto(f"{live_server.url}/vidensbase/opening-hours/variant/316/")
    text = page.get_by_label("Kommunens tekst (Markdown)")
    text.fill(text.input_value() + "\n## Mere hjælp\n- Spørg på biblioteket i {municipality}.\n")
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    assert page.get_by_role("heading", name="Forhåndsvisning (ikke gemt)").is_visible()
    assert "Spørg på biblioteket i Holbæk." in page.locator(".kb-preview").inner_text()
    screenshot(page, "knowledge-variant-preview")

    Guide.objects.filter(topic_id="waste").update(
        body="## Kort svar\nRing til kommunen.\n\n## Mere hjælp\n- [Læs mere](http://example.com)\n",
        review_date=dt.date(2024, 12, 31),
    )
    page.goto(f"{live_server.url}/vidensbase/rapporter/kvalitet/")
    assert page.get_by_role("row", name="Affald og storskrald").first.is_visible()
    screenshot(page, "knowledge-quality")

    holbaek, greve = Municipality.objects.get(code=316), Municipality.objects.get(code=253)
    do_record_unanswered(holbaek, "min mor 010190-1234 skal have hjælp til sin hund", "", 0.05)
    do_record_unanswered(greve, "kan i ringe til mig på 22334455 om mit pas", "passport", 0.31)
    do_record_feedback(greve, "passport", False, "pas til barn")
    page.goto(f"{live_server.url}/vidensbase/rapporter/manglende-svar/")
    assert page.get_by_role("heading", name="Manglende svar", exact=True).is_visible()
    assert "010190-1234" not in page.content() and "22334455" not in page.content()
    screenshot(page, "knowledge-missing-answers")


def test_the_secretariat_publishes_a_crisis_notice_that_the_chat_shows_first(
    live_server: Any,
    demo: None,  # noqa: F811
    page: Any,
) -> None:
    log_in(page, live_server.url, "sekretariat")
    page.wait_for_url(f"{live_server.url}/medlemmer/")
    page.goto(f"{live_server.url}/vidensbase/krise/")
    page.get_by_label("Overskrift").fill("Strømafbrydelse i Holbæk")
    page.get_by_label("Tekst", exact=True).fill("Der er ingen strøm i dele af byen. Følg med på holbaek.dk.")
    page.get_by_label("Holbæk").check()
    page.get_by_label("Udgiv med det samme").check()
    page.get_by_role("button", name="Gem krisemeddelelsen").click()
    assert page.get_by_text("Krisemeddelelsen »Strømafbrydelse i Holbæk« er udgivet.").is_visible()
    assert page.get_by_role("row", name="Strømafbrydelse i Holbæk").get_by_text("Vises nu").is_visible()
    screenshot(page, "knowledge-crisis")

    page.goto(f"{live_server.url}/chat/316/")
    assert page.get_by_role("alert").first.inner_text().startswith("Vigtigt: Strømafbrydelse i Holbæk")

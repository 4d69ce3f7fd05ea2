"""An editor's day with the guides, in a real browser at 1280 px, with a citizen asking in the chat beside it:
a new guide is created, falls short of the standard, is refused without an override and published with one, and
the chat answers with it; a live guide's draft leaves the citizens on the published text until it is published.

The knowledge base is the four-topic one of tests/knowledge (Pas among them), not the demo's 52 topics: every
publication retrains the assistant for real, and on the whole knowledge base that takes minutes on a busy CI
machine; on four topics, seconds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from samvirke.directory.models import Person
from samvirke.knowledge.models import Guide, GuideRevision, GuideStatus, RevisionEvent, Topic
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.test_chat_in_browser import ask
from tests.conftest import PASSWORD
from tests.knowledge.conftest import guide_editor, small_knowledge  # noqa: F401 (fixtures, used by name)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHORT_GUIDE = "## Kort svar\nDu må gerne tænde bål i haven, hvis der ikke er bålforbud i kommunen.\n"
EXAMPLES = "må jeg tænde bål i haven\nmå man lave bål i haven\nhvornår er der bålforbud\nmå jeg brænde grene af i haven"


@pytest.fixture
def background_tasks_run_at_once(settings: Any) -> None:
    """The assistant learns in a background task; here the task runs when it is enqueued, as a worker would.
    First among a test's fixtures: a page the editor opens before it would queue a build no one runs."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture
def editor(
    browser: Any,
    live_server: Any,
    small_knowledge: object,  # noqa: F811
    guide_editor: Person,  # noqa: F811
) -> Iterator[Any]:
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/login/?next=/vidensbase/")
    page.get_by_label("Brugernavn").fill(guide_editor.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}/vidensbase/")
    yield page
    assert errors == []  # no script errors on any page the editor saw
    context.close()


@pytest.fixture
def citizen(browser: Any) -> Iterator[Any]:
    """A citizen on Holbæk's website, in a browser of her own (no login), at the same time as the editor."""
    context = browser.new_context(locale="da-DK", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_new_guide_below_the_bar_is_published_only_with_a_reason_and_the_chat_answers_with_it(
    background_tasks_run_at_once: None, live_server: Any, editor: Any, citizen: Any
) -> None:
    editor.goto(f"{live_server.url}/vidensbase/")
    editor.get_by_role("link", name="Ny guide").click()
    assert "## Sådan gør du" in editor.get_by_label("Tekst (Markdown)").input_value()  # the format's template
    editor.get_by_label("Emne-id").fill("baal-i-haven")
    editor.get_by_label("Titel").fill("Bål i haven")
    editor.get_by_label("Kategori").fill("Bolig og miljø")
    editor.get_by_label("Synonymer").fill("bål, bålforbud, afbrænding, haveaffald")
    editor.get_by_label("Eksempelspørgsmål").fill(EXAMPLES)
    screenshot(editor, "guide-editing-create-form")
    editor.get_by_label("Tekst (Markdown)").fill(SHORT_GUIDE)
    editor.get_by_role("button", name="Opret som kladde").click()

    assert editor.get_by_text("Guiden »Bål i haven« er oprettet som kladde.").is_visible()
    draft = editor.locator("#kladde")
    assert draft.get_by_role("heading", name="Guiden er ikke udgivet").is_visible()
    assert draft.get_by_text("Mangler afsnit: Sådan gør du, Hvis det ikke virker, Mere hjælp.").is_visible()
    assert draft.get_by_text("For kort: 16 ord (mindst 80).").is_visible()

    draft.get_by_role("button", name="Udgiv guiden").click()  # without the override
    draft = editor.locator("#kladde")
    assert draft.get_by_role("alert").inner_text().startswith("Guiden opfylder ikke fællesskabets standard")
    assert Guide.objects.get(topic_id="baal-i-haven").status == GuideStatus.DRAFT

    draft.get_by_label("Udgiv alligevel").check()
    draft.get_by_label("Begrundelse").fill("Bålforbud fra i aften; hele guiden skrives i morgen")
    screenshot(editor, "guide-editing-publish-override")
    draft.screenshot(path=str(ARTIFACTS / "guide-editing-override-card.png"))
    draft.get_by_role("button", name="Udgiv guiden").click()
    assert editor.get_by_text("Guiden er udgivet trods 2 kvalitetsproblemer").is_visible()
    assert editor.get_by_text("Assistenten lærer ændringen i baggrunden – den er klar om få sekunder.").is_visible()
    revision = GuideRevision.objects.filter(guide__topic_id="baal-i-haven").first()
    assert revision is not None and revision.event == RevisionEvent.PUBLISHED
    assert revision.override_reason == "Bålforbud fra i aften; hele guiden skrives i morgen"

    citizen.goto(f"{live_server.url}/chat/316/")
    answer = ask(citizen, "må jeg tænde bål i haven")
    assert "Bål i haven" in answer.inner_text()
    assert "Du må gerne tænde bål i haven" in answer.inner_text()


def test_a_live_guides_draft_reaches_the_citizens_only_when_it_is_published(
    background_tasks_run_at_once: None, live_server: Any, editor: Any, citizen: Any
) -> None:
    # Pas links to »Bestil tid i Borgerservice«, which the four-topic knowledge base lacks; with it, Pas meets the
    # standard and is published without an override.
    Topic.objects.create(id="book-appointment", category="Kommunen", title="Bestil tid i Borgerservice")
    citizen.goto(f"{live_server.url}/chat/316/")
    before = ask(citizen, "jeg skal have nyt pas")
    assert "Det tager normalt 2-3 uger" in before.inner_text()

    editor.goto(f"{live_server.url}/vidensbase/passport/")
    body = editor.get_by_label("Tekst (Markdown)")
    body.fill(body.input_value().replace("Det tager normalt 2-3 uger", "Det tager normalt cirka 3 uger"))
    editor.get_by_label("Bemærkning til ændringen").fill("Ny sagsbehandlingstid")
    editor.get_by_role("button", name="Gem kladde").click()
    assert editor.get_by_text("Kladden er gemt. Borgerne og assistenten får stadig den udgivne tekst").is_visible()
    draft = editor.locator("#kladde")
    assert draft.get_by_role("heading", name="Kladde venter på udgivelse").is_visible()
    assert draft.locator(".kb-diff-add mark", has_text="cirka").is_visible()
    assert draft.get_by_role("button", name="Udgiv kladden").is_visible()
    assert draft.get_by_role("button", name="Kassér kladden").is_visible()
    screenshot(editor, "guide-editing-pending-draft")
    draft.screenshot(path=str(ARTIFACTS / "guide-editing-pending-draft-card.png"))

    still = ask(citizen, "hvor lang tid tager det at få et nyt pas")
    assert "Det tager normalt 2-3 uger" in still.inner_text() and "cirka 3 uger" not in still.inner_text()

    draft.get_by_role("button", name="Udgiv kladden").click()
    assert editor.get_by_text("Guiden er udgivet. Assistenten lærer ændringen i baggrunden").is_visible()
    assert editor.locator("#kladde").count() == 0

    after = ask(citizen, "jeg skal have nyt pas")
    assert "Det tager normalt cirka 3 uger" in after.inner_text()

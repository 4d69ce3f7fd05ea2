"""Editing guides as editors expect: creating a guide in the web UI, a published guide's draft that keeps the
published text online, publishing below the quality bar only with a reason, no revision for a save that changes
nothing, two editors at once, and telling the assistant exactly when what it learns from has changed."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from samvirke import knowledge_base_urls as knowledge_urls
from samvirke.assistant import service
from samvirke.audit.models import AuditEntry
from samvirke.directory.models import Municipality, Person
from samvirke.knowledge import actions
from samvirke.knowledge.lib.editing import GUIDE_TEMPLATE, RESERVED_TOPIC_IDS, GuideContent
from samvirke.knowledge.models import (
    ExampleQuestion,
    Guide,
    GuideDraft,
    GuideRevision,
    GuideStatus,
    GuideVariant,
    RevisionEvent,
    Topic,
)
from samvirke.knowledge.signals import knowledge_changed
from tests.assistant.conftest import run_background_worker
from tests.conftest import GREVE, HOLBAEK, client_for
from tests.knowledge.conftest import BONFIRE_BODY, BONFIRE_EXAMPLES, POOR_BODY
from tests.knowledge.test_pages import edit_form

ASSISTANT_LEARNS = "Assistenten lærer ændringen i baggrunden – den er klar om få sekunder."
NEXT_YEAR = (dt.date.today() + dt.timedelta(days=365)).isoformat()


def everything() -> tuple[object, ...]:
    """All that creating, editing and publishing can write, to show that a refused request changed nothing."""
    return (
        list(Topic.objects.order_by("pk").values_list("pk", "title", "synonyms", "category", "handled_by")),
        list(Guide.objects.order_by("pk").values_list("pk", "body", "status", "review_date", "version", "updated_at")),
        list(GuideDraft.objects.order_by("pk").values_list("pk", "title", "synonyms", "body", "review_date")),
        list(GuideVariant.objects.order_by("pk").values_list("pk", "body", "mode", "version")),
        GuideRevision.objects.count(),
        list(ExampleQuestion.objects.order_by("pk").values_list("pk", "text")),
        AuditEntry.objects.count(),
    )


def new_guide_form(**changes: str) -> dict[str, str]:
    form = {
        "topic_id": "baal-i-haven",
        "title": "Bål i haven",
        "category": "Bolig og miljø",
        "handled_by": "hotline",
        "synonyms": "bål, bålforbud,  afbrænding, Bål",
        "body": BONFIRE_BODY,
        "review_date": NEXT_YEAR,
        "examples": BONFIRE_EXAMPLES,
    }
    return {**form, **changes}


@pytest.fixture
def announcements() -> Iterator[list[str]]:
    """The reasons knowledge_changed was sent with (it is sent after commit; tests run the commit callbacks)."""
    heard: list[str] = []

    def listen(sender: object, reason: str, **kwargs: Any) -> None:
        heard.append(reason)

    knowledge_changed.connect(listen)
    yield heard
    knowledge_changed.disconnect(listen)


@pytest.fixture
def linked_topics(small_knowledge: object) -> None:
    """The topic the small knowledge base lacks that Pas links to, so Pas meets the standard and can be published
    without an override (check_guide only needs the linked topic to exist)."""
    Topic.objects.create(id="book-appointment", category="Kommunen", title="Bestil tid i Borgerservice")


def citizen_text(topic_id: str, code: int = HOLBAEK) -> str:
    """The guide as the citizens' chat gives it when the citizen picks the topic (no model involved)."""
    return Client().get(f"/chat/{code}/", {"emne": topic_id}).content.decode()


# --- 1. creating a guide in the web UI ----------------------------------------------------------------


def test_the_create_form_starts_from_the_guide_formats_template(small_knowledge: object, guide_editor: Person) -> None:
    page = client_for(guide_editor).get("/vidensbase/ny/").content.decode()
    for section in ("## Kort svar", "## Sådan gør du", "## Hvis det ikke virker", "## Mere hjælp"):
        assert section in page
    assert "To til fire sætninger, der svarer på det, borgeren oftest spørger om." in page
    assert '<option value="Pas og kørekort">' in page  # the existing categories to choose from
    assert "Ny guide" in client_for(guide_editor).get("/vidensbase/").content.decode()


def test_an_editor_creates_a_guide_as_a_draft_with_its_examples(
    small_knowledge: object, guide_editor: Person, announcements: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(guide_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/vidensbase/ny/", new_guide_form())
    assert response.status_code == 302
    assert response["Location"] == "/vidensbase/baal-i-haven/#kladde"
    topic = Topic.objects.get(pk="baal-i-haven")
    assert (topic.title, topic.category, topic.handled_by) == ("Bål i haven", "Bolig og miljø", "hotline")
    assert topic.synonyms == "bål, bålforbud, afbrænding"
    guide = Guide.objects.get(topic=topic)
    assert guide.status == GuideStatus.DRAFT and guide.owner == guide_editor and guide.body == BONFIRE_BODY
    assert list(topic.examples.values_list("text", flat=True)) == BONFIRE_EXAMPLES.splitlines()
    revision = GuideRevision.objects.get(guide=guide)
    assert revision.event == RevisionEvent.CREATED and revision.author == guide_editor
    entry = AuditEntry.objects.get(action="knowledge.guide_created")
    assert entry.actor == guide_editor and entry.details["examples"] == 4
    assert announcements == []  # a draft: nothing the assistant learns from has changed

    page = client.get("/vidensbase/baal-i-haven/").content.decode()
    assert "er oprettet som kladde" in page
    assert "Guiden er ikke udgivet" in page and "Udgiv guiden" in page
    assert "Assistenten lærer det, når guiden udgives." not in page
    assert "Du må gerne tænde bål" not in citizen_text("baal-i-haven")  # citizens do not get a draft


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"topic_id": "passport"}, "»passport« er allerede brugt af emnet »Pas«."),
        ({"topic_id": "Bål i haven"}, "må kun indeholde små bogstaver a–z"),
        ({"topic_id": "baal--haven"}, "må kun indeholde små bogstaver a–z"),
        ({"topic_id": "-baal"}, "må kun indeholde små bogstaver a–z"),
        ({"topic_id": "b"}, "skal være 2–80 tegn langt"),
        ({"topic_id": "ny"}, "»ny« er navnet på en af vidensbasens egne sider"),
        ({"topic_id": "soeg"}, "»soeg« er navnet på en af vidensbasens egne sider"),
        ({"topic_id": ""}, "Skriv et emne-id."),
        ({"title": "  "}, "Guiden skal have en titel."),
        ({"title": "Pas"}, "To emner med samme titel forvirrer"),
        ({"title": "x" * 201}, "højst have 200 tegn"),
        ({"category": ""}, "Vælg eller skriv en kategori."),
        ({"handled_by": "forward:naboen"}, "Marker en gyldig valgmulighed."),
        ({"body": ""}, "Guiden skal have en tekst."),
        ({"body": "x" * 50_001}, "højst have 50000 tegn"),
        ({"synonyms": "bål, " * 250}, "højst have 1000 tegn"),
        ({"examples": "x" * 501}, "Eksempelspørgsmål nr. 1 er over 500 tegn."),
        ({"examples": "\n".join(f"spørgsmål {n}" for n in range(51))}, "Skriv højst 50 eksempelspørgsmål her"),
        ({"review_date": "i morgen"}, "Skriv datoen som"),
    ],
)
def test_bad_input_to_the_create_form_gets_a_danish_message_and_writes_nothing(
    small_knowledge: object, guide_editor: Person, changes: dict[str, str], message: str
) -> None:
    before = everything()
    response = client_for(guide_editor).post("/vidensbase/ny/", new_guide_form(**changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Guiden er ikke oprettet" in page or 'class="message message-error"' in page
    assert everything() == before


def test_the_create_action_refuses_what_the_form_would_have_refused(small_knowledge: object) -> None:
    """The action does not trust its caller (a command, a future API)."""
    content = GuideContent("Bål i haven", "", BONFIRE_BODY, None)
    before = everything()
    with pytest.raises(actions.KnowledgeInputError, match="allerede brugt"):
        actions.do_create_guide(
            None, topic_id="passport", category="X", handled_by="hotline", content=content, examples=[]
        )
    with pytest.raises(actions.KnowledgeInputError, match="vidensbasens egne sider"):
        actions.do_create_guide(
            None, topic_id="krise", category="X", handled_by="hotline", content=content, examples=[]
        )
    with pytest.raises(actions.KnowledgeInputError, match="hvem der behandler"):
        actions.do_create_guide(None, topic_id="baal", category="X", handled_by="<b>", content=content, examples=[])
    assert everything() == before


@pytest.mark.parametrize("who", ["holbaek_agent", "greve_coordinator", "region_staff"])
def test_only_editors_and_the_secretariat_create_guides(
    small_knowledge: object, who: str, request: pytest.FixtureRequest
) -> None:
    client = client_for(request.getfixturevalue(who))
    before = everything()
    assert client.get("/vidensbase/ny/").status_code == 403
    assert client.post("/vidensbase/ny/", new_guide_form()).status_code == 403
    assert everything() == before
    assert "Ny guide" not in client.get("/vidensbase/").content.decode()


def test_the_secretariat_creates_a_guide_too(small_knowledge: object, secretariat: Person) -> None:
    assert client_for(secretariat).post("/vidensbase/ny/", new_guide_form()).status_code == 302
    assert Guide.objects.filter(topic_id="baal-i-haven", status=GuideStatus.DRAFT).exists()


def test_every_page_of_the_knowledge_base_is_a_reserved_topic_id() -> None:
    """A new page under /vidensbase/<word>/ would hide a topic called <word>; the create form must refuse it."""
    first_words = {str(pattern.pattern).split("/", 1)[0] for pattern in knowledge_urls.urlpatterns}
    pages = {word for word in first_words if word and not word.startswith("<")}
    assert pages == set(RESERVED_TOPIC_IDS)


# --- 2. a live guide's draft is a separate revision ---------------------------------------------------


def test_a_draft_of_a_published_guide_keeps_the_published_text_online(
    small_knowledge: object, guide_editor: Person, announcements: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    guide = Guide.objects.get(topic_id="passport")
    published_body, updated_at = guide.body, guide.updated_at
    assert "Det tager normalt 2-3 uger" in citizen_text("passport")
    new_body = published_body.replace("Det tager normalt 2-3 uger", "Det tager normalt 5 uger")
    client = client_for(guide_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/vidensbase/passport/", edit_form(guide, body=new_body, title="Pas og ID-kort"))
    assert response.status_code == 302 and response["Location"].endswith("#kladde")

    guide.refresh_from_db()
    assert guide.status == GuideStatus.PUBLISHED and guide.body == published_body and guide.updated_at == updated_at
    assert Topic.objects.get(pk="passport").title == "Pas"
    assert GuideDraft.objects.get(guide=guide).body == new_body
    chat = citizen_text("passport")
    assert "Det tager normalt 2-3 uger" in chat and "5 uger" not in chat and "Pas og ID-kort" not in chat
    assert announcements == []  # nothing public changed

    page = client.get("/vidensbase/passport/").content.decode()
    assert "Kladden er gemt. Borgerne og assistenten får stadig den udgivne tekst" in page
    assert "Kladde venter på udgivelse" in page
    draft_card = page.split('id="kladde"', 1)[1].split("</section>", 1)[0]
    assert "<mark>2-3</mark>" in draft_card and "<mark>5</mark>" in draft_card  # the word diff against published
    assert '<th scope="row">Titel</th><td>Pas</td><td>Pas og ID-kort</td>' in draft_card
    assert "Udgiv kladden" in draft_card and "Kassér kladden" in draft_card
    assert 'value="Pas og ID-kort"' in page  # the edit form continues from the draft
    assert "Kladde venter" in client.get("/vidensbase/").content.decode()


def test_publishing_the_draft_puts_it_online_and_tells_the_assistant(
    linked_topics: None, guide_editor: Person, announcements: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    guide = Guide.objects.get(topic_id="passport")
    new_body = guide.body.replace("Det tager normalt 2-3 uger", "Det tager normalt 5 uger")
    client = client_for(guide_editor)
    client.post("/vidensbase/passport/", edit_form(guide, body=new_body, synonyms="pas, rejsepas, ID-kort"))
    guide.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/vidensbase/passport/udgiv/", {"version": str(guide.version)})
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.body == new_body and guide.status == GuideStatus.PUBLISHED
    assert not GuideDraft.objects.filter(guide=guide).exists()
    assert Topic.objects.get(pk="passport").synonyms == "pas, rejsepas, ID-kort"
    assert "Det tager normalt 5 uger" in citizen_text("passport")
    assert announcements == ["guide_published"]
    revision = GuideRevision.objects.filter(guide=guide).first()
    assert revision is not None and revision.event == RevisionEvent.PUBLISHED and revision.override_reason == ""
    entry = AuditEntry.objects.get(action="knowledge.guide_published")
    assert entry.details["changed"] == ["synonyms", "body"] and entry.details["quality_override"] is False

    page = client.get("/vidensbase/passport/").content.decode()
    assert f"Guiden er udgivet. {ASSISTANT_LEARNS}" in page
    assert "Kladde venter på udgivelse" not in page
    # The publication's diff is against the text published before it, not against its own draft.
    diff = client.get(f"/vidensbase/passport/revisioner/{revision.pk}/").content.decode()
    assert "<mark>5</mark>" in diff and "<mark>2-3</mark>" in diff


def test_discarding_the_draft_leaves_the_published_guide_as_it_was(
    small_knowledge: object, guide_editor: Person, announcements: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    guide = Guide.objects.get(topic_id="passport")
    published_body = guide.body
    client = client_for(guide_editor)
    client.post("/vidensbase/passport/", edit_form(guide, body=published_body + "\nEn ekstra linje.\n"))
    guide.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/vidensbase/passport/kladde/kasser/", {"version": str(guide.version)})
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.body == published_body and guide.status == GuideStatus.PUBLISHED
    assert not GuideDraft.objects.filter(guide=guide).exists()
    assert GuideRevision.objects.filter(guide=guide).first().event == RevisionEvent.DISCARDED  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(action="knowledge.guide_draft_discarded", actor=guide_editor).exists()
    assert announcements == []
    assert "Kladden er kasseret. Den udgivne tekst er uændret." in client.get("/vidensbase/passport/").content.decode()
    assert "En ekstra linje" not in edit_form(guide)["body"]


def test_taking_a_guide_offline_and_back_tells_the_assistant_each_time(
    linked_topics: None, guide_editor: Person, announcements: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    guide = Guide.objects.get(topic_id="passport")
    client = client_for(guide_editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/vidensbase/passport/afpublicer/", {"version": str(guide.version)})
    guide.refresh_from_db()
    assert guide.status == GuideStatus.DRAFT
    assert "Det tager normalt" not in citizen_text("passport")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/vidensbase/passport/udgiv/", {"version": str(guide.version)})
    guide.refresh_from_db()
    assert guide.status == GuideStatus.PUBLISHED
    assert "Det tager normalt" in citizen_text("passport")
    assert announcements == ["guide_unpublished", "guide_published"]


def test_an_unpublished_guide_is_edited_in_place(
    small_knowledge: object, guide_editor: Person, announcements: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(guide_editor)
    client.post("/vidensbase/ny/", new_guide_form(body=POOR_BODY))
    guide = Guide.objects.get(topic_id="baal-i-haven")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/vidensbase/baal-i-haven/", edit_form(guide, body=BONFIRE_BODY, title="Bål og bålforbud")
        )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.body == BONFIRE_BODY and guide.status == GuideStatus.DRAFT
    assert Topic.objects.get(pk="baal-i-haven").title == "Bål og bålforbud"
    assert not GuideDraft.objects.exists()
    assert announcements == []
    assert "Kladden er gemt. Guiden er ikke udgivet" in client.get("/vidensbase/baal-i-haven/").content.decode()


def test_an_agent_sees_the_published_guide_but_no_draft_and_no_buttons(
    small_knowledge: object, guide_editor: Person, holbaek_agent: Person
) -> None:
    guide = Guide.objects.get(topic_id="passport")
    client_for(guide_editor).post("/vidensbase/passport/", edit_form(guide, body=guide.body + "\nHemmelig kladde.\n"))
    page = client_for(holbaek_agent).get("/vidensbase/passport/").content.decode()
    assert "Hemmelig kladde" not in page
    assert "Udgiv kladden" not in page and "Kassér kladden" not in page and "Tag guiden offline" not in page
    before = everything()
    agent = client_for(holbaek_agent)
    for url in (
        "/vidensbase/passport/udgiv/",
        "/vidensbase/passport/kladde/kasser/",
        "/vidensbase/passport/afpublicer/",
    ):
        assert (
            agent.post(url, {"version": str(Guide.objects.get(pk=guide.pk).version), "override": "on"}).status_code
            == 403
        )
    assert everything() == before


# --- 3. publishing below the quality bar --------------------------------------------------------------


@pytest.fixture
def poor_guide(small_knowledge: object, guide_editor: Person) -> Guide:
    """A new guide like issue 11's: short, hard to read, without the required sections."""
    client_for(guide_editor).post("/vidensbase/ny/", new_guide_form(body=POOR_BODY))
    return Guide.objects.get(topic_id="baal-i-haven")


def test_the_publish_form_lists_the_problems_and_offers_the_override(poor_guide: Guide, guide_editor: Person) -> None:
    page = client_for(guide_editor).get("/vidensbase/baal-i-haven/").content.decode()
    card = page.split('id="kladde"', 1)[1].split("</section>", 1)[0]
    assert "Guiden opfylder ikke fællesskabets standard:" in card
    assert "Mangler afsnit: Kort svar, Sådan gør du, Hvis det ikke virker, Mere hjælp." in card
    assert "For kort: 24 ord (mindst 80)." in card
    assert "Svær at læse: LIX" in card
    assert "Udgiv alligevel" in card and 'name="reason"' in card


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Guiden opfylder ikke fællesskabets standard, så den er ikke udgivet."),
        ({"reason": "Borgerne har brug for den nu"}, "Guiden opfylder ikke fællesskabets standard"),
        ({"override": "on"}, "Skriv en begrundelse for at udgive guiden alligevel."),
        ({"override": "on", "reason": "   "}, "Skriv en begrundelse for at udgive guiden alligevel."),
        ({"override": "on", "reason": "x" * 301}, "højst have 300 tegn"),
    ],
)
def test_publishing_below_the_bar_without_a_ticked_override_and_a_reason_is_refused(
    poor_guide: Guide,
    guide_editor: Person,
    data: dict[str, str],
    message: str,
    announcements: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    before = everything()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(guide_editor).post(
            "/vidensbase/baal-i-haven/udgiv/", {"version": str(poor_guide.version), **data}
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "For kort: 24 ord (mindst 80)." in page  # the problems are listed with the refusal
    assert everything() == before
    assert announcements == []


def test_publishing_below_the_bar_with_the_override_keeps_the_reason(
    poor_guide: Guide, guide_editor: Person, announcements: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(guide_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/vidensbase/baal-i-haven/udgiv/",
            {"version": str(poor_guide.version), "override": "on", "reason": "  Bålforbud   fra i aften  "},
        )
    assert response.status_code == 302
    poor_guide.refresh_from_db()
    assert poor_guide.status == GuideStatus.PUBLISHED
    revision = GuideRevision.objects.filter(guide=poor_guide).first()
    assert revision is not None and revision.event == RevisionEvent.PUBLISHED
    assert revision.override_reason == "Bålforbud fra i aften"
    assert "For kort: 24 ord (mindst 80)." in revision.overridden_problems
    entry = AuditEntry.objects.get(action="knowledge.guide_published")
    assert entry.details["quality_override"] is True and entry.details["override_reason"] == "Bålforbud fra i aften"
    assert "For kort: 24 ord (mindst 80)." in entry.details["problems"]
    assert announcements == ["guide_published"]

    page = client.get("/vidensbase/baal-i-haven/").content.decode()
    assert (
        "Guiden er udgivet trods 3 kvalitetsproblemer; begrundelsen er gemt i revisionen." in page
        and ASSISTANT_LEARNS in page
    )
    assert "trods kvalitetsproblemer" in page and "Begrundelse: Bålforbud fra i aften" in page
    revision_page = client.get(f"/vidensbase/baal-i-haven/revisioner/{revision.pk}/").content.decode()
    assert "Udgivet trods kvalitetsproblemer." in revision_page and "»Bålforbud fra i aften«" in revision_page


def test_a_guide_that_meets_the_standard_is_published_without_an_override(
    small_knowledge: object, guide_editor: Person
) -> None:
    client = client_for(guide_editor)
    client.post("/vidensbase/ny/", new_guide_form())
    guide = Guide.objects.get(topic_id="baal-i-haven")
    page = client.get("/vidensbase/baal-i-haven/").content.decode()
    assert "Udgiv alligevel" not in page.split('id="kladde"', 1)[1].split("</section>", 1)[0]
    assert client.post("/vidensbase/baal-i-haven/udgiv/", {"version": str(guide.version)}).status_code == 302
    guide.refresh_from_db()
    assert guide.status == GuideStatus.PUBLISHED
    assert GuideRevision.objects.filter(guide=guide).first().overridden_problems == []  # type: ignore[union-attr]
    assert "Bål i haven" in citizen_text("baal-i-haven")


def test_a_draft_that_breaks_the_standard_cannot_replace_a_good_published_text(
    small_knowledge: object, guide_editor: Person
) -> None:
    guide = Guide.objects.get(topic_id="passport")
    client = client_for(guide_editor)
    client.post("/vidensbase/passport/", edit_form(guide, body=POOR_BODY))
    guide.refresh_from_db()
    before = everything()
    response = client.post("/vidensbase/passport/udgiv/", {"version": str(guide.version)})
    assert response.status_code == 400
    assert everything() == before
    assert "Det tager normalt 2-3 uger" in citizen_text("passport")


def test_publishing_a_published_guide_without_a_draft_is_refused(small_knowledge: object, guide_editor: Person) -> None:
    guide = Guide.objects.get(topic_id="passport")
    before = everything()
    response = client_for(guide_editor).post("/vidensbase/passport/udgiv/", {"version": str(guide.version)})
    assert response.status_code == 400
    assert "Guiden er allerede udgivet, og der er ingen kladde at udgive." in response.content.decode()
    assert everything() == before


def test_the_template_text_left_in_a_guide_is_a_quality_problem(small_knowledge: object, guide_editor: Person) -> None:
    client = client_for(guide_editor)
    client.post("/vidensbase/ny/", new_guide_form(body=GUIDE_TEMPLATE))
    page = client.get("/vidensbase/baal-i-haven/").content.decode()
    assert "Skabelonens hjælpetekst står der stadig: »To til fire sætninger" in page


# --- 4. a save with no change is no revision ----------------------------------------------------------


def test_saving_the_draft_again_unchanged_writes_nothing(small_knowledge: object, guide_editor: Person) -> None:
    guide = Guide.objects.get(topic_id="passport")
    client = client_for(guide_editor)
    client.post("/vidensbase/passport/", edit_form(guide, body=guide.body + "\nNy linje.\n"))
    before = everything()
    response = client.post("/vidensbase/passport/", edit_form(guide, note="bare en bemærkning"))
    assert response.status_code == 302
    assert everything() == before
    assert "Ingen ændringer at gemme." in client.get("/vidensbase/passport/").content.decode()


@pytest.mark.parametrize(
    "changes",
    [{"title": "Pas til voksne"}, {"synonyms": "pas, rejsepas"}, {"review_date": "2031-01-31"}],
)
def test_a_change_to_the_title_synonyms_or_review_date_alone_is_a_change(
    small_knowledge: object, guide_editor: Person, changes: dict[str, str]
) -> None:
    guide = Guide.objects.get(topic_id="passport")
    revisions = GuideRevision.objects.count()
    client_for(guide_editor).post("/vidensbase/passport/", edit_form(guide, **changes))
    assert GuideRevision.objects.count() == revisions + 1
    assert GuideDraft.objects.filter(guide=guide).exists()


def test_saving_a_variant_unchanged_writes_nothing(small_knowledge: object, greve_coordinator: Person) -> None:
    variant = GuideVariant.objects.get(guide__topic_id="opening-hours", municipality__code=GREVE)
    client = client_for(greve_coordinator)
    before = everything()
    body = variant.body.replace("\n", "\r\n")
    data = {"mode": variant.mode, "body": body, "version": str(variant.version), "save": "1"}
    response = client.post("/vidensbase/opening-hours/variant/253/", data)
    assert response.status_code == 302
    assert everything() == before
    assert "Ingen ændringer at gemme." in client.get("/vidensbase/opening-hours/variant/253/").content.decode()


# --- 5. two editors at once ---------------------------------------------------------------------------


def test_the_second_of_two_editors_is_told_and_keeps_her_text(
    small_knowledge: object, guide_editor: Person, secretariat: Person
) -> None:
    guide = Guide.objects.get(topic_id="passport")
    jonas, sekretariat = client_for(guide_editor), client_for(secretariat)
    opened = edit_form(guide)  # both open the edit form on the same version
    first = opened["body"].replace("Det tager normalt 2-3 uger", "Det tager normalt 4 uger")
    assert jonas.post("/vidensbase/passport/", {**opened, "body": first}).status_code == 302
    after_first = everything()

    second = opened["body"].replace("## Mere hjælp", "## Mere hjælp\n- Husk pasfoto.")
    response = sekretariat.post("/vidensbase/passport/", {**opened, "body": second, "note": "pasfoto"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Guiden er ændret, mens du arbejdede (redaktoer gemte" in page
    assert "Din ændring er ikke gemt, men din tekst står stadig i feltet" in page
    assert "- Husk pasfoto." in page.split('name="body"', 1)[1].split("</textarea>", 1)[0]  # her text, kept
    conflict = page.split('class="kb-conflict"', 1)[1].split("</pre>", 1)[0]
    assert "Den anden ændring" in conflict and "<mark>4</mark>" in conflict and "<mark>2-3</mark>" in conflict
    assert "Husk pasfoto" not in conflict  # the diff is the other editor's change, not hers
    assert everything() == after_first

    # Having seen it, she saves again: the form now carries the version she has seen.
    guide.refresh_from_db()
    assert f'name="version" value="{guide.version}"' in page
    resubmitted = {
        **opened,
        "body": first.replace("## Mere hjælp", "## Mere hjælp\n- Husk pasfoto."),
        "version": str(guide.version),
    }
    assert sekretariat.post("/vidensbase/passport/", resubmitted).status_code == 302
    draft = GuideDraft.objects.get(guide=guide)
    assert "4 uger" in draft.body and "Husk pasfoto" in draft.body


def test_a_double_click_on_save_is_saved_once(small_knowledge: object, guide_editor: Person) -> None:
    guide = Guide.objects.get(topic_id="passport")
    form = edit_form(guide, body=guide.body + "\nNy linje.\n")
    client = client_for(guide_editor)
    revisions = GuideRevision.objects.count()
    assert client.post("/vidensbase/passport/", form).status_code == 302
    assert client.post("/vidensbase/passport/", form).status_code == 302  # the same text: nothing to save
    assert GuideRevision.objects.count() == revisions + 1


def test_publishing_a_draft_that_changed_since_the_page_was_opened_is_refused(
    small_knowledge: object, guide_editor: Person, secretariat: Person
) -> None:
    guide = Guide.objects.get(topic_id="passport")
    jonas = client_for(guide_editor)
    jonas.post("/vidensbase/passport/", edit_form(guide, body=guide.body + "\nJonas' linje.\n"))
    guide.refresh_from_db()
    seen_version = guide.version  # the secretariat opens the page and reads Jonas' draft …
    jonas.post("/vidensbase/passport/", edit_form(guide, body=guide.body + "\nEn linje, hun ikke har læst.\n"))
    before = everything()
    response = client_for(secretariat).post("/vidensbase/passport/udgiv/", {"version": str(seen_version)})
    assert response.status_code == 409
    assert "Guiden er ændret, siden du åbnede siden (redaktoer gemte" in response.content.decode()
    assert everything() == before


def test_a_double_click_on_publish_publishes_once(linked_topics: None, guide_editor: Person) -> None:
    guide = Guide.objects.get(topic_id="passport")
    client = client_for(guide_editor)
    client.post("/vidensbase/passport/", edit_form(guide, body=guide.body + "\nNy linje.\n"))
    guide.refresh_from_db()
    form = {"version": str(guide.version)}
    assert client.post("/vidensbase/passport/udgiv/", form).status_code == 302
    assert client.post("/vidensbase/passport/udgiv/", form).status_code == 302
    assert AuditEntry.objects.filter(action="knowledge.guide_published").count() == 1
    assert "Guiden er allerede udgivet." in client.get("/vidensbase/passport/").content.decode()


@pytest.mark.parametrize("version", [None, "", "abc", "-1", "9" * 30])
def test_a_form_without_a_readable_version_is_treated_as_stale(
    small_knowledge: object, guide_editor: Person, version: str | None
) -> None:
    guide = Guide.objects.get(topic_id="passport")
    form = edit_form(guide, body=guide.body + "\nNy linje.\n")
    if version is None:
        del form["version"]
    else:
        form["version"] = version
    before = everything()
    response = client_for(guide_editor).post("/vidensbase/passport/", form)
    assert response.status_code == 409  # refused with the text kept, not a 400 about a field she cannot see
    assert "Ny linje." in response.content.decode().split('name="body"', 1)[1].split("</textarea>", 1)[0]
    assert everything() == before


def test_two_coordinators_editing_a_variant_at_once(
    small_knowledge: object, greve_coordinator: Person, guide_editor: Person
) -> None:
    variant = GuideVariant.objects.get(guide__topic_id="opening-hours", municipality__code=GREVE)
    opened = {"mode": variant.mode, "version": str(variant.version), "save": "1"}
    first = variant.body.rstrip("\n") + "\nParkering i kælderen.\n"
    assert (
        client_for(guide_editor).post("/vidensbase/opening-hours/variant/253/", {**opened, "body": first}).status_code
        == 302
    )
    after_first = everything()
    second = variant.body.rstrip("\n") + "\nHusk nummerbrik.\n"
    response = client_for(greve_coordinator).post("/vidensbase/opening-hours/variant/253/", {**opened, "body": second})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Varianten er ændret, mens du arbejdede (redaktoer gemte" in page
    assert "Husk nummerbrik." in page.split('name="body"', 1)[1].split("</textarea>", 1)[0]
    assert "+Parkering i kælderen." in page.split('class="kb-conflict"', 1)[1].split("</pre>", 1)[0]
    assert everything() == after_first


def test_two_editors_creating_the_same_municipalitys_first_variant(
    small_knowledge: object, guide_editor: Person, secretariat: Person
) -> None:
    form = {"mode": "replace", "version": "0", "save": "1"}
    url = "/vidensbase/passport/variant/259/"  # Køge has no variant of Pas
    assert client_for(guide_editor).post(url, {**form, "body": "## Kort svar\nFørst.\n"}).status_code == 302
    response = client_for(secretariat).post(url, {**form, "body": "## Kort svar\nAnden.\n"})
    assert response.status_code == 409
    assert GuideVariant.objects.get(guide__topic_id="passport", municipality__code=259).body == "## Kort svar\nFørst.\n"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL's row locks (the SQLite test database is in memory; SQLite serialises writers anyway)",
)
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_cannot_both_win(fellesskab: object, tmp_path: Any) -> None:
    """Real concurrency, one database connection per editor: the version check and the write happen under the
    guide's row lock (PostgreSQL) or SQLite's write lock, so exactly one of two saves from the same version wins."""
    from samvirke.knowledge.actions import do_create_guide

    guide = do_create_guide(
        None,
        topic_id="baal-i-haven",
        category="Bolig og miljø",
        handled_by="hotline",
        content=GuideContent("Bål i haven", "", BONFIRE_BODY, None),
        examples=[],
    )
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save(line: str) -> Callable[[], None]:
        def run() -> None:
            try:
                start.wait()
                content = GuideContent("Bål i haven", "", BONFIRE_BODY + line, None)
                actions.do_save_guide_draft(None, guide, content, base_version=1)
                outcomes.append("saved")
            except actions.EditConflict:
                outcomes.append("conflict")
            finally:
                connection.close()

        return run

    threads = [threading.Thread(target=save(f"\nLinje {n}.\n")) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    guide.refresh_from_db()
    assert guide.version == 2
    assert GuideRevision.objects.filter(guide=guide, event=RevisionEvent.DRAFT).count() == 1


# --- 6. telling the assistant -------------------------------------------------------------------------


def test_examples_of_an_unpublished_guide_are_not_announced_but_a_published_guides_are(
    small_knowledge: object, guide_editor: Person, announcements: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(guide_editor)
    client.post("/vidensbase/ny/", new_guide_form())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/vidensbase/baal-i-haven/eksempler/", {"text": "må jeg grille i haven"})
    assert announcements == []
    assert "Assistenten lærer det, når guiden udgives." in client.get("/vidensbase/baal-i-haven/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/vidensbase/passport/eksempler/", {"text": "mit pas er udløbet hvad gør jeg"})
    assert announcements == ["example_added"]
    page = client.get("/vidensbase/passport/").content.decode()
    assert f"Eksempelspørgsmålet er tilføjet. {ASSISTANT_LEARNS}" in page
    assert "med det samme" not in page


def test_the_assistant_learns_a_published_guide_and_not_a_draft(
    small_knowledge: object, guide_editor: Person, django_capture_on_commit_callbacks: Any
) -> None:
    service.build_engine("loaded")  # as `samvirke load-guides` does
    client = client_for(guide_editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/vidensbase/ny/", new_guide_form())
    run_background_worker()  # nothing queued for a draft: the worker has nothing to learn
    holbaek = Municipality.objects.get(code=HOLBAEK)
    engine = service.engine()
    assert engine is not None and "baal-i-haven" not in {c.topic_id for c in engine.rank("bål", 10)}
    guide = Guide.objects.get(topic_id="baal-i-haven")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/vidensbase/baal-i-haven/udgiv/", {"version": str(guide.version)})
    run_background_worker()  # the retrain the publication queued, as `samvirke db_worker` runs it
    reply = service.ask("må jeg tænde bål i haven", holbaek, now=timezone.now())
    assert reply.topic_id == "baal-i-haven" and reply.kind == "answer"
    assert "Du må gerne tænde bål i din have" in reply.answer_text

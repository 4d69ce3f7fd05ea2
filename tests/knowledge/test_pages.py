"""The knowledge-base pages: who may read and who may edit, the agents' search, editing guides and variants with
revisions and diffs, the reports, and crisis notices that reach the citizens' chat first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from samvirke.assistant.actions import do_record_feedback, do_record_unanswered
from samvirke.audit.models import AuditEntry
from samvirke.directory.models import Municipality, Person
from samvirke.knowledge.lib.diff import diff_lines
from samvirke.knowledge.models import (
    CrisisNotice,
    ExampleQuestion,
    Guide,
    GuideDraft,
    GuideRevision,
    GuideStatus,
    GuideVariant,
    RevisionEvent,
    Topic,
)
from tests.conftest import GREVE, HOLBAEK, KOEGE, client_for

READ_PAGES = [
    "/vidensbase/",
    "/vidensbase/?problemer=1",
    "/vidensbase/soeg/",
    "/vidensbase/passport/",
    "/vidensbase/opening-hours/variant/316/",
    "/vidensbase/passport/revisioner/{revision}/",
    "/vidensbase/krise/",
]
REPORT_PAGES = ["/vidensbase/rapporter/kvalitet/", "/vidensbase/rapporter/manglende-svar/"]
WRITES = [
    ("/vidensbase/passport/", {"body": "## Kort svar\nÆndret.", "status": "published"}),
    ("/vidensbase/passport/udgiv/", {"version": "1", "override": "on", "reason": "Nu"}),
    ("/vidensbase/passport/kladde/kasser/", {"version": "1"}),
    ("/vidensbase/passport/afpublicer/", {"version": "1"}),
    ("/vidensbase/ny/", {"topic_id": "ny-guide", "title": "Ny", "category": "X", "handled_by": "hotline", "body": "x"}),
    ("/vidensbase/passport/eksempler/", {"text": "hvor får jeg et pas"}),
    ("/vidensbase/passport/eksempler/{example}/slet/", {}),
    ("/vidensbase/opening-hours/variant/253/", {"mode": "sections", "body": "## Kort svar\nÆndret."}),
    ("/vidensbase/krise/", {"title": "Storm", "body": "Hold dig inde."}),
    ("/vidensbase/krise/{notice}/", {"title": "Storm", "body": "Hold dig inde."}),
    ("/vidensbase/krise/{notice}/udgiv/", {"published": "1"}),
]


@pytest.fixture
def notice(fellesskab: object) -> CrisisNotice:
    notice = CrisisNotice.objects.create(
        title="Oversvømmelse ved havnen", body="Undgå havneområdet.", starts_at=timezone.now(), published=False
    )
    notice.municipalities.add(Municipality.objects.get(code=HOLBAEK))
    return notice


def fill(url: str, notice: CrisisNotice) -> str:
    revision = GuideRevision.objects.filter(guide__topic_id="passport").first()
    example = ExampleQuestion.objects.filter(topic_id="passport").first()
    assert revision is not None and example is not None
    return url.format(revision=revision.pk, example=example.pk, notice=notice.pk)


def snapshot() -> tuple[object, ...]:
    """Everything the pages can write, to show that a refused or bad request changed nothing."""
    return (
        list(Topic.objects.order_by("pk").values_list("pk", "title", "synonyms")),
        list(Guide.objects.values_list("pk", "body", "status", "review_date", "version")),
        list(GuideDraft.objects.values_list("pk", "title", "synonyms", "body", "review_date")),
        list(GuideVariant.objects.values_list("pk", "body", "mode", "version")),
        GuideRevision.objects.count(),
        list(ExampleQuestion.objects.values_list("pk", "text")),
        list(CrisisNotice.objects.values_list("pk", "title", "published")),
    )


# --- who may see what ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", READ_PAGES + REPORT_PAGES)
def test_anonymous_visitors_are_sent_to_login(small_knowledge: object, notice: CrisisNotice, url: str) -> None:
    response = Client().get(fill(url, notice))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("url", READ_PAGES + REPORT_PAGES)
def test_an_outsider_is_refused(small_knowledge: object, notice: CrisisNotice, outsider: Person, url: str) -> None:
    response = client_for(outsider).get(fill(url, notice))
    assert response.status_code == 403
    assert "Ingen adgang" in response.content.decode()


@pytest.mark.parametrize(("url", "data"), WRITES)
def test_writes_are_refused_for_anonymous_visitors_and_outsiders(
    small_knowledge: object, notice: CrisisNotice, outsider: Person, url: str, data: dict[str, str]
) -> None:
    before = snapshot()
    anonymous = Client().post(fill(url, notice), data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next=")
    assert client_for(outsider).post(fill(url, notice), data).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("url", READ_PAGES)
def test_an_agent_reads_every_guide_page(
    small_knowledge: object, notice: CrisisNotice, holbaek_agent: Person, url: str
) -> None:
    response = client_for(holbaek_agent).get(fill(url, notice))
    assert response.status_code == 200
    assert 'aria-label="Vidensbase"' in response.content.decode()


@pytest.mark.parametrize(("url", "data"), WRITES)
def test_an_agent_cannot_edit_anything(
    small_knowledge: object, notice: CrisisNotice, holbaek_agent: Person, url: str, data: dict[str, str]
) -> None:
    before = snapshot()
    response = client_for(holbaek_agent).post(fill(url, notice), data)
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("url", REPORT_PAGES)
def test_the_reports_are_for_editors_and_the_secretariat(
    small_knowledge: object,
    holbaek_agent: Person,
    greve_coordinator: Person,
    guide_editor: Person,
    secretariat: Person,
    url: str,
) -> None:
    assert client_for(holbaek_agent).get(url).status_code == 403
    assert client_for(greve_coordinator).get(url).status_code == 403
    assert client_for(guide_editor).get(url).status_code == 200
    assert client_for(secretariat).get(url).status_code == 200


def test_an_agent_sees_no_edit_forms_and_no_report_tabs(small_knowledge: object, holbaek_agent: Person) -> None:
    page = client_for(holbaek_agent).get("/vidensbase/passport/").content.decode()
    assert "Redigér den fælles guide" not in page
    assert "Nyt eksempelspørgsmål" not in page
    assert "/vidensbase/rapporter/kvalitet/" not in page


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/vidensbase/findes-ikke/", "Der findes intet emne med id »findes-ikke« i vidensbasen."),
        ("/vidensbase/passport/variant/999/", "Der findes ingen medlemskommune med kommunekode 999."),
        ("/vidensbase/passport/variant/751/", "Der findes ingen medlemskommune med kommunekode 751."),
        ("/vidensbase/passport/revisioner/999999/", "Der findes ingen revision nr. 999999 af guiden »Pas«."),
        ("/vidensbase/soeg/?q=pas&kommune=999", "Der findes ingen medlemskommune med kommunekode 999."),
        ("/vidensbase/soeg/?q=pas&kommune=abc", "Der findes ingen medlemskommune med kommunekode »abc«."),
    ],
)
def test_unknown_topics_municipalities_and_revisions_are_a_danish_404(
    small_knowledge: object, holbaek_agent: Person, url: str, message: str
) -> None:
    response = client_for(holbaek_agent).get(url)
    assert response.status_code == 404
    assert message in response.content.decode()


def test_a_revision_of_another_guide_is_not_found_under_this_one(
    small_knowledge: object, holbaek_agent: Person
) -> None:
    other = GuideRevision.objects.filter(guide__topic_id="mitid-get").first()
    assert other is not None
    assert client_for(holbaek_agent).get(f"/vidensbase/passport/revisioner/{other.pk}/").status_code == 404


# --- 1. the overview ----------------------------------------------------------------------------------


def test_the_overview_lists_topics_by_category_with_their_quality(knowledge: object, holbaek_agent: Person) -> None:
    page = client_for(holbaek_agent).get("/vidensbase/").content.decode()
    assert Topic.objects.count() == 52
    assert page.count('href="/vidensbase/') >= 52
    assert ">MitID</th>" in page  # a category heading
    assert "Opfylder standarden" in page
    assert "Udgivet" in page


def test_the_overview_can_show_only_guides_with_problems(small_knowledge: object, holbaek_agent: Person) -> None:
    Guide.objects.filter(topic_id="passport").update(body="## Kort svar\nFor kort.\n")
    page = client_for(holbaek_agent).get("/vidensbase/?problemer=1").content.decode()
    assert ">Pas</a>" in page
    assert "For kort: 4 ord (mindst 80)." in page
    assert "Opfylder standarden" not in page


# --- 2. the agents' search ----------------------------------------------------------------------------


def test_an_agent_searches_and_gets_the_guide_as_her_municipality_has_it(
    knowledge: object, holbaek_agent: Person
) -> None:
    response = client_for(holbaek_agent).get("/vidensbase/soeg/", {"q": "nyt pas"})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<span class="kb-hit-title">Pas</span>' in page
    assert page.index("kb-hit-title") == page.index('<span class="kb-hit-title">Pas</span>') + len('<span class="')
    assert "Borgerservice i Holbæk" in page  # the {municipality} placeholder filled for Holbæk
    assert "{municipality}" not in page
    assert "Håndteres af:</strong> Hotlinen svarer selv" in page
    assert '<option value="316" selected>Holbæk</option>' in page


def test_the_secretariat_chooses_the_citizens_municipality(knowledge: object, secretariat: Person) -> None:
    client = client_for(secretariat)
    default = client.get("/vidensbase/soeg/").content.decode()
    assert '<option value="253" selected>Greve</option>' in default  # the first member by name
    query = {"q": "hvornår har borgerservice åbent", "kommune": str(KOEGE)}
    page = client.get("/vidensbase/soeg/", query).content.decode()
    assert "Borgerservice åbningstider og kontakt" in page
    assert "Køge" in page and "Borgerservice Holbæk" not in page


def test_a_forwarded_topic_says_who_handles_it_in_plain_danish(knowledge: object, holbaek_agent: Person) -> None:
    topic = Topic.objects.filter(handled_by="forward:municipality").first()
    assert topic is not None
    page = client_for(holbaek_agent).get("/vidensbase/soeg/", {"emne": topic.pk}).content.decode()
    assert f'<span class="kb-hit-title">{topic.title}</span>' in page
    assert "Borgerens egen kommune: Holbæk Kommune" in page


def test_search_input_is_escaped(knowledge: object, holbaek_agent: Person) -> None:
    page = client_for(holbaek_agent).get("/vidensbase/soeg/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_an_active_crisis_notice_is_shown_to_the_agent_first(knowledge: object, holbaek_agent: Person) -> None:
    notice = CrisisNotice.objects.create(
        title="Strømsvigt i Holbæk", body="Ingen strøm.", published=True, starts_at=timezone.now()
    )
    notice.municipalities.add(Municipality.objects.get(code=HOLBAEK))
    page = client_for(holbaek_agent).get("/vidensbase/soeg/", {"q": "nyt pas"}).content.decode()
    assert page.index("Krise: Strømsvigt i Holbæk") < page.index("kb-hit-title")


# --- 3. a guide: editing, examples, revisions ---------------------------------------------------------


def edit_form(guide: Guide, **changes: str) -> dict[str, str]:
    """The guide's edit form as the page fills it in (the draft if there is one), with `changes` typed in."""
    guide.refresh_from_db()
    content = guide.working_content()
    form = {
        "version": str(guide.version),
        "title": content.title,
        "synonyms": content.synonyms,
        "body": content.body,
        "review_date": content.review_date.isoformat() if content.review_date else "",
        "note": "",
    }
    return {**form, **changes}


def test_an_editor_edits_a_guide_and_gets_a_revision_with_a_diff(small_knowledge: object, guide_editor: Person) -> None:
    guide = Guide.objects.get(topic_id="passport")
    new_body = guide.body.replace("Det tager normalt 2-3 uger", "Det tager normalt 3 uger <script>x</script>")
    client = client_for(guide_editor)
    response = client.post(
        "/vidensbase/passport/",
        edit_form(guide, body=new_body, review_date="2027-09-30", note="Ny sagsbehandlingstid"),
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    draft = guide.pending_draft()
    assert draft is not None and "3 uger <script>x</script>" in draft.body
    assert draft.review_date == dt.date(2027, 9, 30)
    revision = GuideRevision.objects.filter(guide=guide).first()
    assert revision is not None and revision.note == "Ny sagsbehandlingstid" and revision.author_name == "redaktoer"
    assert revision.event == RevisionEvent.DRAFT
    assert AuditEntry.objects.filter(action="knowledge.guide_draft_saved", actor=guide_editor).exists()

    assert "Kladden er gemt." in client.get("/vidensbase/passport/").content.decode()
    page = client.get(f"/vidensbase/passport/revisioner/{revision.pk}/").content.decode()
    assert '<span class="kb-diff-del">' in page and '<span class="kb-diff-add">' in page
    assert "-Du søger om pas på borger.dk" in page
    assert "+Du søger om pas på borger.dk" in page
    assert "<mark>cirka</mark>" not in page and "&lt;script&gt;" in page and "<script>x" not in page
    assert "Ny sagsbehandlingstid" in page


def test_saving_a_guide_unchanged_makes_no_revision(small_knowledge: object, guide_editor: Person) -> None:
    guide = Guide.objects.get(topic_id="passport")
    before = snapshot()
    audit = AuditEntry.objects.count()
    # A browser sends the textarea with CRLF line ends; that is not a change.
    form = edit_form(guide)
    client = client_for(guide_editor)
    response = client.post("/vidensbase/passport/", {**form, "body": form["body"].replace("\n", "\r\n")})
    assert response.status_code == 302
    assert snapshot() == before
    assert AuditEntry.objects.count() == audit
    assert "Ingen ændringer at gemme." in client.get("/vidensbase/passport/").content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"body": ""}, "Guiden skal have en tekst."),
        ({"title": "   "}, "Guiden skal have en titel."),
        ({"title": "x" * 201}, "højst have 200 tegn"),
        ({"synonyms": "pas, " * 300}, "højst have 1000 tegn"),
        ({"body": "x" * 50_001}, "højst have 50000 tegn"),
        ({"review_date": "31.02.2027"}, "Skriv datoen som"),
        ({"note": "x" * 301}, "højst have 300 tegn"),
        ({"title": "åbningstider"}, "To emner med samme titel forvirrer"),  # any case, also æ, ø, å
    ],
)
def test_bad_guide_input_gets_a_danish_message_and_saves_nothing(
    small_knowledge: object, guide_editor: Person, changes: dict[str, str], message: str
) -> None:
    Topic.objects.filter(pk="opening-hours").update(title="Åbningstider")
    before = snapshot()
    response = client_for(guide_editor).post(
        "/vidensbase/passport/", edit_form(Guide.objects.get(topic_id="passport"), **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == before


def test_the_secretariat_takes_a_guide_offline(small_knowledge: object, secretariat: Person) -> None:
    guide = Guide.objects.get(topic_id="passport")
    response = client_for(secretariat).post("/vidensbase/passport/afpublicer/", {"version": str(guide.version)})
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.status == GuideStatus.DRAFT
    assert AuditEntry.objects.filter(action="knowledge.guide_unpublished", actor=secretariat).exists()


def test_an_editor_adds_and_deletes_example_questions(small_knowledge: object, guide_editor: Person) -> None:
    client = client_for(guide_editor)
    response = client.post("/vidensbase/passport/eksempler/", {"text": "  skal  jeg have nyt pas til ferien  "})
    assert response.status_code == 302
    example = ExampleQuestion.objects.get(topic_id="passport", text="skal jeg have nyt pas til ferien")
    assert "skal jeg have nyt pas til ferien" in client.get("/vidensbase/passport/").content.decode()
    response = client.post(f"/vidensbase/passport/eksempler/{example.pk}/slet/")
    assert response.status_code == 302
    assert not ExampleQuestion.objects.filter(pk=example.pk).exists()
    assert AuditEntry.objects.filter(action="knowledge.example_deleted").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Skriv spørgsmålet, før du tilføjer det."),
        ("NYT PAS", "»NYT PAS« er allerede et eksempelspørgsmål til dette emne."),
        ("x" * 501, "højst have 500 tegn"),
    ],
)
def test_a_bad_example_question_gets_a_danish_message(
    small_knowledge: object, guide_editor: Person, text: str, message: str
) -> None:
    before = snapshot()
    response = client_for(guide_editor).post("/vidensbase/passport/eksempler/", {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == before


def test_deleting_an_example_of_another_topic_is_not_found(small_knowledge: object, guide_editor: Person) -> None:
    other = ExampleQuestion.objects.filter(topic_id="mitid-get").first()
    assert other is not None
    response = client_for(guide_editor).post(f"/vidensbase/passport/eksempler/{other.pk}/slet/")
    assert response.status_code == 404
    assert ExampleQuestion.objects.filter(pk=other.pk).exists()


# --- 4. variants --------------------------------------------------------------------------------------


def test_a_coordinator_edits_her_own_municipalitys_variant(small_knowledge: object, greve_coordinator: Person) -> None:
    body = "## Kort svar\nBorgerservice i Greve har åbent alle hverdage. Ring på {phone}.\n"
    client = client_for(greve_coordinator)
    response = client.post(
        "/vidensbase/opening-hours/variant/253/",
        {"mode": "sections", "body": body, "note": "Nye tider", "version": "1", "save": "1"},
    )
    assert response.status_code == 302
    variant = GuideVariant.objects.get(guide__topic_id="opening-hours", municipality__code=GREVE)
    assert variant.body == body
    revision = GuideRevision.objects.filter(variant=variant).first()
    assert revision is not None and revision.note == "Nye tider"
    page = client.get("/vidensbase/opening-hours/variant/253/").content.decode()
    assert "Borgerservice i Greve har åbent alle hverdage." in page
    assert "Vis forhåndsvisning" in page


def test_a_coordinator_is_refused_another_municipalitys_variant(
    small_knowledge: object, greve_coordinator: Person
) -> None:
    before = snapshot()
    client = client_for(greve_coordinator)
    data = {"mode": "replace", "body": "## Kort svar\nOvertaget.", "save": "1"}
    assert client.post("/vidensbase/opening-hours/variant/316/", data).status_code == 403
    assert client.post("/vidensbase/opening-hours/variant/316/", {**data, "preview": "1"}).status_code == 403
    assert snapshot() == before
    page = client.get("/vidensbase/opening-hours/variant/316/").content.decode()
    assert "Gem varianten" not in page  # she may read it, not edit it


def test_the_preview_shows_the_citizens_text_without_saving(small_knowledge: object, greve_coordinator: Person) -> None:
    before = snapshot()
    body = "## Hvis det ikke virker\nRing til {municipality} på {phone}.\n"
    response = client_for(greve_coordinator).post(
        "/vidensbase/passport/variant/253/", {"mode": "sections", "body": body, "preview": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Forhåndsvisning (ikke gemt)" in page
    assert "Ring til Greve på" in page
    assert "Du søger om pas på borger.dk" in page  # the shared sections are kept
    assert snapshot() == before


def test_an_editor_creates_a_variant_for_any_member(small_knowledge: object, guide_editor: Person) -> None:
    response = client_for(guide_editor).post(
        "/vidensbase/passport/variant/259/", {"mode": "replace", "body": "## Kort svar\nKøge-tekst.", "save": "1"}
    )
    assert response.status_code == 302
    assert GuideVariant.objects.get(guide__topic_id="passport", municipality__code=259).mode == "replace"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "sections", "body": ""}, "Varianten skal have en tekst."),
        ({"mode": "sections", "body": "Bare en linje uden overskrift."}, "mindst ét afsnit med en overskrift"),
        ({"mode": "sections", "body": "Indledning\n\n## Kort svar\nTekst."}, "Tekst før den første ## overskrift"),
        ({"mode": "alt", "body": "## Kort svar\nTekst."}, "Marker en gyldig valgmulighed."),
    ],
)
def test_bad_variant_input_gets_a_danish_message_and_saves_nothing(
    small_knowledge: object, greve_coordinator: Person, data: dict[str, str], message: str
) -> None:
    before = snapshot()
    response = client_for(greve_coordinator).post("/vidensbase/opening-hours/variant/253/", {**data, "save": "1"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == before


def test_a_variant_revision_is_diffed_against_the_variants_previous_revision(
    small_knowledge: object, greve_coordinator: Person
) -> None:
    client = client_for(greve_coordinator)
    old = GuideVariant.objects.get(guide__topic_id="opening-hours", municipality__code=GREVE).body
    new = old.rstrip("\n") + "\nEkstra linje om parkering.\n"
    client.post(
        "/vidensbase/opening-hours/variant/253/", {"mode": "sections", "body": new, "version": "1", "save": "1"}
    )
    revision = GuideRevision.objects.filter(variant__municipality__code=GREVE).first()
    assert revision is not None
    page = client.get(f"/vidensbase/opening-hours/revisioner/{revision.pk}/").content.decode()
    assert '<span class="kb-diff-add">' in page and "+Ekstra linje om parkering." in page
    assert "kb-diff-del" not in page.split("<pre", 1)[1].split("</pre>", 1)[0]
    assert "Greves variant" in page


def test_a_changed_line_marks_the_words_that_changed() -> None:
    lines = diff_lines("## Kort svar\nDet tager 2-3 uger.\n", "## Kort svar\nDet tager 3 uger.\n", "før", "efter")
    assert [line.kind for line in lines] == ["file", "file", "hunk", "same", "del", "add"]
    assert lines[4].parts == (("-", False), ("Det tager ", False), ("2-", True), ("3 uger.", False))
    assert lines[5].parts == (("+", False), ("Det tager 3 uger.", False))
    assert diff_lines("samme", "samme", "før", "efter") == []


def test_the_first_revision_is_compared_with_an_empty_text(small_knowledge: object, holbaek_agent: Person) -> None:
    revision = GuideRevision.objects.filter(guide__topic_id="passport", variant=None).get()
    page = client_for(holbaek_agent).get(f"/vidensbase/passport/revisioner/{revision.pk}/").content.decode()
    assert "Første version" in page
    assert "+## Kort svar" in page


# --- 6. the quality report ----------------------------------------------------------------------------


def test_the_quality_report_lists_a_guide_you_break(knowledge: object, guide_editor: Person) -> None:
    client = client_for(guide_editor)
    assert "Alle guides opfylder standarden." in client.get("/vidensbase/rapporter/kvalitet/").content.decode()
    Guide.objects.filter(topic_id="passport").update(
        body="## Kort svar\nSe [her](http://example.com).\n", review_date=dt.date(2020, 1, 1)
    )
    page = client.get("/vidensbase/rapporter/kvalitet/").content.decode()
    assert ">Pas</a>" in page
    assert "Mangler afsnit: Sådan gør du, Hvis det ikke virker, Mere hjælp." in page
    assert "For kort:" in page
    assert "Ugyldigt link: &#x27;http://example.com&#x27;." in page
    assert "dage over" in page  # the overdue review


def test_the_quality_report_lists_a_variant_that_breaks_the_standard(
    small_knowledge: object, secretariat: Person
) -> None:
    GuideVariant.objects.filter(guide__topic_id="opening-hours", municipality__code=GREVE).update(
        mode="replace", body="## Kort svar\nRing.\n"
    )
    page = client_for(secretariat).get("/vidensbase/rapporter/kvalitet/").content.decode()
    assert 'href="/vidensbase/opening-hours/variant/253/">Greve</a>' in page


# --- 7. the missing-answers report --------------------------------------------------------------------


def test_the_missing_answers_report_shows_masked_questions_never_the_cpr(
    small_knowledge: object, guide_editor: Person
) -> None:
    holbaek = Municipality.objects.get(code=HOLBAEK)
    do_record_unanswered(holbaek, "mit cpr er 010190-1234 og jeg vil klage over naboens hund", "passport", 0.12)
    do_record_unanswered(holbaek, "hvad er opskriften på æblekage", "", 0.01)
    do_record_feedback(holbaek, "passport", False, "pas 010190-1234")
    do_record_feedback(holbaek, "passport", True, "pas")
    page = client_for(guide_editor).get("/vidensbase/rapporter/manglende-svar/").content.decode()
    assert "010190" not in page
    assert "[CPR-nummer]" in page and "naboens hund" in page
    assert page.index("opskriften på æblekage") < page.index("naboens hund")  # newest first
    assert "Intet bud" in page
    assert '<td class="num">50 %</td>' in page  # one "nej" of two answers for Pas

    only_passport = client_for(guide_editor).get("/vidensbase/rapporter/manglende-svar/?emne=passport")
    assert "æblekage" not in only_passport.content.decode()


# --- 8. crisis notices --------------------------------------------------------------------------------


def test_a_crisis_notice_created_by_the_secretariat_shows_first_in_the_chat(
    small_knowledge: object, secretariat: Person
) -> None:
    starts = timezone.localtime() - dt.timedelta(minutes=5)
    response = client_for(secretariat).post(
        "/vidensbase/krise/",
        {
            "title": "Vandforsyningen er afbrudt",
            "body": "Kog vandet før brug.",
            "municipalities": [str(HOLBAEK), str(GREVE)],
            "keywords": "vand, forsyning",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "published": "on",
        },
    )
    assert response.status_code == 302
    notice = CrisisNotice.objects.get()
    assert notice.published and {m.code for m in notice.municipalities.all()} == {HOLBAEK, GREVE}
    assert AuditEntry.objects.filter(action="knowledge.crisis_notice_saved", actor=secretariat).exists()

    chat = Client().get("/chat/316/").content.decode()
    assert "Vigtigt: Vandforsyningen er afbrudt" in chat
    assert chat.index("Vandforsyningen er afbrudt") < chat.index('id="chat-log"')
    assert "Vandforsyningen" not in Client().get("/chat/259/").content.decode()  # Køge was not chosen


def test_the_secretariat_unpublishes_and_publishes_a_notice(
    small_knowledge: object, secretariat: Person, notice: CrisisNotice
) -> None:
    client = client_for(secretariat)
    assert client.post(f"/vidensbase/krise/{notice.pk}/udgiv/", {"published": "1"}).status_code == 302
    notice.refresh_from_db()
    assert notice.published
    assert "Oversvømmelse ved havnen" in Client().get("/chat/316/").content.decode()
    client.post(f"/vidensbase/krise/{notice.pk}/udgiv/", {"published": "0"})
    notice.refresh_from_db()
    assert not notice.published
    assert "Oversvømmelse ved havnen" not in Client().get("/chat/316/").content.decode()


def test_the_secretariat_edits_a_notice(small_knowledge: object, secretariat: Person, notice: CrisisNotice) -> None:
    client = client_for(secretariat)
    assert "Oversvømmelse ved havnen" in client.get(f"/vidensbase/krise/{notice.pk}/").content.decode()
    response = client.post(
        f"/vidensbase/krise/{notice.pk}/",
        {
            "title": "Oversvømmelse ved havnen og stranden",
            "body": "Undgå området.",
            "municipalities": [str(HOLBAEK)],
            "starts_at": "01.03.2026 08:00",
            "ends_at": "02.03.2026 20:00",
        },
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.title == "Oversvømmelse ved havnen og stranden"
    assert timezone.localtime(notice.ends_at).hour == 20


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "x", "municipalities": ["316"], "starts_at": "2026-03-01T08:00"}, "påkrævet"),
        ({"title": "Storm", "body": "x", "starts_at": "2026-03-01T08:00"}, "Vælg mindst én kommune"),
        (
            {"title": "Storm", "body": "x", "municipalities": ["751"], "starts_at": "2026-03-01T08:00"},
            "Marker en gyldig valgmulighed.",
        ),
        ({"title": "Storm", "body": "x", "municipalities": ["316"], "starts_at": "i morgen"}, "Skriv tidspunktet"),
        (
            {
                "title": "Storm",
                "body": "x",
                "municipalities": ["316"],
                "starts_at": "2026-03-01T08:00",
                "ends_at": "2026-03-01T07:00",
            },
            "Slut-tidspunktet skal ligge efter start-tidspunktet.",
        ),
    ],
)
def test_a_bad_crisis_notice_gets_a_danish_message_and_saves_nothing(
    small_knowledge: object, secretariat: Person, data: dict[str, object], message: str
) -> None:
    response = client_for(secretariat).post("/vidensbase/krise/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CrisisNotice.objects.exists()


def test_agents_see_published_notices_but_not_drafts(
    small_knowledge: object, holbaek_agent: Person, notice: CrisisNotice
) -> None:
    client = client_for(holbaek_agent)
    page = client.get("/vidensbase/krise/").content.decode()
    assert "Oversvømmelse ved havnen" not in page and "Ny krisemeddelelse" not in page
    CrisisNotice.objects.filter(pk=notice.pk).update(published=True)
    assert "Oversvømmelse ved havnen" in client.get("/vidensbase/krise/").content.decode()

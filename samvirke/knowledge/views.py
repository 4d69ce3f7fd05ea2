"""Knowledge-base pages: the guide overview, the agents' guide search, a guide with its examples, variants and
revisions, creating a guide, editing it as a draft and publishing it (below the quality bar only with a reason), a
municipality's variant with a preview, a revision's diff, the quality and missing-answers reports and the crisis
notices.

Thin: permission checks and object look-ups from knowledge/access.py, text work from knowledge/lib/, the
assistant's search from assistant/service.py, every write through knowledge/actions.py.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from samvirke.assistant import service
from samvirke.assistant.models import AnswerFeedback, UnansweredQuestion
from samvirke.directory.models import Municipality
from samvirke.knowledge import access, actions
from samvirke.knowledge.forms import (
    CrisisNoticeForm,
    ExampleForm,
    GuideForm,
    NewGuideForm,
    PublishForm,
    VariantForm,
    VersionForm,
)
from samvirke.knowledge.lib.editing import GUIDE_TEMPLATE, GuideContent, changed_fields
from samvirke.knowledge.lib.guides import (
    PLACEHOLDERS,
    apply_variant,
    fill_placeholders,
    markdown_to_html,
    sections,
)
from samvirke.knowledge.lib.quality import QualityProblem, check_guide
from samvirke.knowledge.models import (
    CrisisNotice,
    ExampleQuestion,
    Guide,
    GuideRevision,
    GuideStatus,
    GuideVariant,
    RevisionEvent,
    Topic,
    VariantMode,
)

MAX_REPORT_ROWS = 200
REVIEW_SOON_DAYS = 30


# --- helpers ------------------------------------------------------------------------------------------


def _tabs(user: Any, current: str) -> list[dict[str, str]]:
    items = [("guides", "Guides", reverse("knowledge:index")), ("search", "Søg i guides", reverse("knowledge:search"))]
    if access.can_see_reports(user):
        items += [
            ("quality", "Kvalitet", reverse("knowledge:quality_report")),
            ("missing", "Manglende svar", reverse("knowledge:missing_answers")),
        ]
    items.append(("crisis", "Krisemeddelelser", reverse("knowledge:crisis_notices")))
    return [
        {"key": key, "label": label, "url": url, "current": "page" if key == current else ""}
        for key, label, url in items
    ]


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], tab: str = "", status: int = 200
) -> HttpResponse:
    return render(request, f"knowledge/{template}", {"tabs": _tabs(request.user, tab), **context}, status=status)


def _problems(guide: Guide, known_topics: set[str], today: dt.date) -> list[QualityProblem]:
    return check_guide(guide.body, known_topics=known_topics, review_date=guide.review_date, today=today)


def _known_topics() -> set[str]:
    return set(Topic.objects.values_list("pk", flat=True))


_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


def _guide_html(body: str, mark_placeholders: bool = False) -> str:
    html = markdown_to_html(body, guide_url=reverse("knowledge:topic", args=["TOPIC"]).replace("TOPIC", "{topic}"))
    if mark_placeholders:  # the shared text: show where each municipality's own values go
        html = _PLACEHOLDER.sub(r'<span class="kb-placeholder">{\1}</span>', html)
    return html


def handled_by_text(topic: Topic, municipality: Municipality | None = None, phone: str = "") -> str:
    """Where a topic's cases go, in plain Danish for the agent on the phone."""
    target = topic.forward_target
    if target is None:
        return "Hotlinen svarer selv"
    if target == "municipality":
        if municipality is None:
            return "Borgerens egen kommune"
        return f"Borgerens egen kommune: {municipality.name} Kommune" + (f", tlf. {phone}" if phone else "")
    if target == "region-minsp-support":
        return "Regionens MinSP-support (tekniske fejl i Min Sundhedsplatform)"
    return f"Stilles videre til {target}"


def _owner_name(guide: Guide | None) -> str:
    if guide is None or guide.owner is None:
        return ""
    return guide.owner.get_full_name() or guide.owner.get_username()


def _topic_with_guide(topic: Topic) -> Guide:
    guide = Guide.objects.filter(topic=topic).first()
    if guide is None:
        raise Http404(f"Der findes ingen fælles guide for »{topic.title}« endnu.")
    return guide


# --- 1. overview --------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    access.require_read_guides(request.user)
    today = timezone.localdate()
    known = _known_topics()
    topics = (
        Topic.objects.select_related("guide__owner", "guide__draft")
        .annotate(n_examples=Count("examples", distinct=True), n_variants=Count("guide__variants", distinct=True))
        .order_by("category", "title")
    )
    only_problems = request.GET.get("problemer") == "1"
    groups: dict[str, list[dict[str, Any]]] = {}
    counts = {"all": 0, "problems": 0, "overdue": 0}
    for topic in topics:
        guide = getattr(topic, "guide", None)
        problems = _problems(guide, known, today) if guide else [QualityProblem("guide", "Der er ingen guide endnu.")]
        counts["all"] += 1
        counts["problems"] += bool(problems)
        counts["overdue"] += bool(guide and guide.review_date and guide.review_date < today)
        if only_problems and not problems:
            continue
        groups.setdefault(topic.category, []).append(
            {
                "topic": topic,
                "guide": guide,
                "owner": _owner_name(guide),
                "problems": problems,
                "overdue": bool(guide and guide.review_date and guide.review_date < today),
                "handled_by": handled_by_text(topic),
                "has_draft": bool(guide and guide.pending_draft()),
            }
        )
    return _render(
        request,
        "index.html",
        {
            "groups": sorted(groups.items()),
            "counts": counts,
            "only_problems": only_problems,
            "can_edit": access.can_edit_guides(request.user),
        },
        tab="guides",
    )


# --- 2. the agents' guide search ----------------------------------------------------------------------


def _chosen_municipality(request: HttpRequest, members: list[Municipality]) -> Municipality:
    raw = request.GET.get("kommune", "").strip()
    if raw:
        if not raw.isdigit():
            raise Http404(f"Der findes ingen medlemskommune med kommunekode »{raw[:10]}«.")
        return access.access_member_municipality(request.user, int(raw))
    own = getattr(request.user, "municipality", None)
    if own is not None and own in members:
        return own
    if not members:
        raise Http404("Der findes ingen medlemskommuner i fællesskabet endnu.")
    return members[0]


@dataclass(frozen=True)
class SearchHit:
    topic_id: str
    title: str
    category: str
    percent: int
    handled_by: str
    forwarded: bool
    html: str


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    access.require_read_guides(request.user)
    members = list(access.member_municipalities())
    municipality = _chosen_municipality(request, members)
    query = request.GET.get("q", "").replace("\x00", "").strip()[: service.MAX_QUESTION_CHARS]
    values = service.placeholder_values(municipality)
    local_link = f'href="?kommune={municipality.code}&amp;emne='
    hits: list[SearchHit] = []
    chosen_topic = request.GET.get("emne", "").strip()
    if chosen_topic:
        topic = access.access_topic(request.user, chosen_topic)
        _topic_with_guide(topic)  # a Danish 404 for a topic that has no guide yet
        hits.append(
            SearchHit(
                topic.pk,
                topic.title,
                topic.category,
                100,
                handled_by_text(topic, municipality, values.get("phone", "")),
                topic.forward_target is not None,
                markdown_to_html(service.guide_text_for(topic, municipality), guide_url="?emne={topic}").replace(
                    'href="?emne=', local_link
                ),
            )
        )
    elif query:
        topics = {t.pk: t for t in Topic.objects.all()}
        for hit in service.search(query, municipality):
            topic = topics[hit.topic_id]
            hits.append(
                SearchHit(
                    hit.topic_id,
                    hit.title,
                    hit.category,
                    round(hit.probability * 100),
                    handled_by_text(topic, municipality, values.get("phone", "")),
                    topic.forward_target is not None,
                    hit.html.replace('href="?emne=', local_link),
                )
            )
    return _render(
        request,
        "search.html",
        {
            "query": query,
            "chosen_topic": chosen_topic,
            "municipality": municipality,
            "members": members,
            "hits": hits,
            "values": values,
            "info": getattr(municipality, "service_info", None),
            "crisis_notices": service.active_crisis_notices(municipality, timezone.now()),
        },
        tab="search",
    )


# --- 3. one guide: reading it, editing it as a draft, publishing it -------------------------------------------

ASSISTANT_LEARNS = "Assistenten lærer ændringen i baggrunden – den er klar om få sekunder."
FIELD_LABELS = {"title": "Titel", "synonyms": "Synonymer", "review_date": "Næste gennemsyn"}


@dataclass(frozen=True)
class ConflictView:
    """What the second of two editors sees: whose save came first, and that change as a diff."""

    message: str
    lines: list[DiffLine]
    theirs_only: bool  # the lines are exactly the other editor's change (else: the saved text against yours)


def _field_changes(old: GuideContent, new: GuideContent) -> list[dict[str, str]]:
    """The draft's changes outside the text, for the topic page (the text has its own diff)."""

    def shown(value: object) -> str:
        if isinstance(value, dt.date):
            return value.strftime("%d.%m.%Y")
        return str(value) if value else "–"

    return [
        {"label": FIELD_LABELS[name], "old": shown(getattr(old, name)), "new": shown(getattr(new, name))}
        for name in changed_fields(old, new)
        if name in FIELD_LABELS
    ]


def _topic_page(
    request: HttpRequest,
    topic: Topic,
    status: int = 200,
    *,
    guide_form: GuideForm | None = None,
    example_form: ExampleForm | None = None,
    publish_form: PublishForm | None = None,
    publish_problems: list[QualityProblem] | None = None,
    publish_error: str = "",
    conflict: ConflictView | None = None,
) -> HttpResponse:
    user = request.user
    guide = Guide.objects.select_related("owner", "draft").filter(topic=topic).first()
    today = timezone.localdate()
    can_edit = access.can_edit_guides(user)
    context: dict[str, Any] = {
        "topic": topic,
        "guide": guide,
        "owner": _owner_name(guide),
        "handled_by": handled_by_text(topic),
        "examples": topic.examples.order_by("id"),
        "can_edit": can_edit,
        "example_form": example_form or ExampleForm(),
    }
    if guide is not None:
        known = _known_topics()
        variants = list(guide.variants.select_related("municipality").order_by("municipality__name"))
        with_variant = {v.municipality_id for v in variants}
        draft = guide.pending_draft()
        working = guide.working_content()
        publishable = draft is not None or not guide.is_published
        context.update(
            guide_html=_guide_html(guide.body, mark_placeholders=True),
            problems=_problems(guide, known, today),
            variants=variants,
            editable_without_variant=[
                m
                for m in access.member_municipalities()
                if m.pk not in with_variant and access.can_edit_variant(user, m)
            ],
            revisions=guide.revisions.select_related("variant__municipality")[:50],
            revision_count=guide.revisions.count(),
            draft=draft,
            publishable=publishable,
            publish_error=publish_error,
        )
        if draft is not None:
            context.update(
                draft_lines=diff_lines(guide.body, draft.body, "den udgivne tekst", "kladden"),
                draft_field_changes=_field_changes(guide.saved_content(), working),
            )
        if can_edit:
            context.update(
                guide_form=guide_form
                or GuideForm(
                    initial={
                        "version": guide.version,
                        "title": working.title,
                        "synonyms": working.synonyms,
                        "body": working.body,
                        "review_date": working.review_date,
                    }
                ),
                conflict=conflict,
            )
        if can_edit and publishable:
            problems = publish_problems
            if problems is None:
                problems = check_guide(working.body, known_topics=known, review_date=working.review_date, today=today)
            context.update(
                publish_problems=problems,
                publish_form=publish_form or PublishForm(initial={"version": guide.version}),
            )
    return _render(request, "topic.html", context, tab="guides", status=status)


def _topic_url(topic: Topic, anchor: str = "") -> str:
    return reverse("knowledge:topic", args=[topic.pk]) + (f"#{anchor}" if anchor else "")


def _editable_guide(request: HttpRequest, topic_id: str) -> tuple[Topic, Guide]:
    topic = access.access_topic(request.user, topic_id)
    access.require_edit_guides(request.user)
    return topic, _topic_with_guide(topic)


def _saved_by(conflict: actions.EditConflict) -> str:
    when = timezone.localtime(conflict.at).strftime("%d.%m.%Y kl. %H:%M") if conflict.at else "for lidt siden"
    return f"{conflict.by} gemte {when}"


@login_required
def topic_detail(request: HttpRequest, topic_id: str) -> HttpResponse:
    """The guide; a POST saves the edit form as a draft (the published text stays online)."""
    topic = access.access_topic(request.user, topic_id)
    if request.method != "POST":
        return _topic_page(request, topic)
    access.require_edit_guides(request.user)
    guide = _topic_with_guide(topic)
    form = GuideForm(request.POST)
    if not form.is_valid():
        return _topic_page(request, topic, 400, guide_form=form)
    try:
        result = actions.do_save_guide_draft(
            request.user, guide, form.content(), base_version=form.base_version(), note=form.cleaned_data["note"]
        )
    except actions.EditConflict as conflict:
        # Keep the editor's text in the form, now based on the saved version: saving again is a decision made
        # with the other change in view, not an accident.
        data = request.POST.copy()
        data["version"] = str(conflict.version)
        stale = GuideForm(data)
        stale.is_valid()
        yours = stale.cleaned_data.get("body", "")
        if conflict.base_body is not None:
            lines = diff_lines(conflict.base_body, conflict.current_body, "teksten da du begyndte", "teksten nu")
        else:
            lines = diff_lines(conflict.current_body, yours, "teksten nu", "din tekst")
        message = (
            f"Guiden er ændret, mens du arbejdede ({_saved_by(conflict)}). Din ændring er ikke gemt, men din tekst "
            "står stadig i feltet. Se den anden ændring herunder, ret din tekst til, og gem igen."
        )
        view = ConflictView(message, lines, conflict.base_body is not None)
        return _topic_page(request, topic, 409, guide_form=stale, conflict=view)
    except actions.KnowledgeInputError as error:
        form.add_error(None, str(error))
        return _topic_page(request, topic, 400, guide_form=form)
    if result is actions.DraftSaved.UNCHANGED:
        messages.info(request, "Ingen ændringer at gemme.")
        return redirect(_topic_url(topic))
    if result is actions.DraftSaved.PENDING:
        messages.success(
            request,
            "Kladden er gemt. Borgerne og assistenten får stadig den udgivne tekst, til kladden udgives.",
        )
    else:
        messages.success(request, "Kladden er gemt. Guiden er ikke udgivet, så borgerne ser den ikke endnu.")
    return redirect(_topic_url(topic, "kladde"))


@login_required
@require_POST
def publish_guide(request: HttpRequest, topic_id: str) -> HttpResponse:
    topic, guide = _editable_guide(request, topic_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _topic_page(request, topic, 400, publish_form=form)
    data = form.cleaned_data
    try:
        result = actions.do_publish_guide(
            request.user, guide, base_version=data["version"] or 0, override=data["override"], reason=data["reason"]
        )
    except actions.EditConflict as conflict:
        message = (
            f"Guiden er ændret, siden du åbnede siden ({_saved_by(conflict)}), så intet er udgivet. "
            "Læs kladden, som den er nu, før du udgiver den."
        )
        return _topic_page(request, topic, 409, publish_error=message)
    except actions.QualityRefused as refused:
        return _topic_page(
            request, topic, 400, publish_form=form, publish_problems=refused.problems, publish_error=str(refused)
        )
    except actions.KnowledgeInputError as error:
        return _topic_page(request, topic, 400, publish_error=str(error))
    if result.repeated:
        messages.info(request, "Guiden er allerede udgivet.")
    elif result.overridden:
        messages.success(
            request,
            f"Guiden er udgivet trods {len(result.overridden)} "
            f"{'kvalitetsproblem' if len(result.overridden) == 1 else 'kvalitetsproblemer'}; begrundelsen er gemt i "
            f"revisionen. {ASSISTANT_LEARNS}",
        )
    else:
        messages.success(request, f"Guiden er udgivet. {ASSISTANT_LEARNS}")
    return redirect(_topic_url(topic))


def _version(request: HttpRequest) -> int:
    form = VersionForm(request.POST)
    return (form.cleaned_data["version"] or 0) if form.is_valid() else 0


@login_required
@require_POST
def discard_draft(request: HttpRequest, topic_id: str) -> HttpResponse:
    topic, guide = _editable_guide(request, topic_id)
    try:
        discarded = actions.do_discard_guide_draft(request.user, guide, base_version=_version(request))
    except actions.EditConflict as conflict:
        message = (
            f"Kladden er ændret, siden du åbnede siden ({_saved_by(conflict)}), så den er ikke kasseret. "
            "Læs den, som den er nu."
        )
        return _topic_page(request, topic, 409, publish_error=message)
    except actions.KnowledgeInputError as error:
        return _topic_page(request, topic, 400, publish_error=str(error))
    if discarded:
        messages.success(request, "Kladden er kasseret. Den udgivne tekst er uændret.")
    else:
        messages.info(request, "Kladden er allerede kasseret.")
    return redirect(_topic_url(topic))


@login_required
@require_POST
def unpublish_guide(request: HttpRequest, topic_id: str) -> HttpResponse:
    topic, guide = _editable_guide(request, topic_id)
    try:
        unpublished = actions.do_unpublish_guide(request.user, guide, base_version=_version(request))
    except actions.EditConflict as conflict:
        message = (
            f"Guiden er ændret, siden du åbnede siden ({_saved_by(conflict)}), så den er ikke taget offline. "
            "Læs den, som den er nu."
        )
        return _topic_page(request, topic, 409, publish_error=message)
    except actions.KnowledgeInputError as error:
        messages.error(request, str(error))
        return redirect(_topic_url(topic))
    if unpublished:
        messages.success(
            request, f"Guiden er taget offline: borgerne og assistenten får den ikke længere. {ASSISTANT_LEARNS}"
        )
    else:
        messages.info(request, "Guiden er allerede taget offline.")
    return redirect(_topic_url(topic))


@login_required
def new_topic(request: HttpRequest) -> HttpResponse:
    """A new topic and its guide, saved as a draft."""
    access.require_edit_guides(request.user)
    categories = sorted(set(Topic.objects.values_list("category", flat=True)))
    status = 200
    if request.method == "POST":
        form = NewGuideForm(request.POST, categories=categories)
        if form.is_valid():
            data = form.cleaned_data
            try:
                guide = actions.do_create_guide(
                    request.user,
                    topic_id=data["topic_id"],
                    category=data["category"],
                    handled_by=data["handled_by"],
                    content=form.content(),
                    examples=data["examples"],
                )
            except actions.KnowledgeInputError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Guiden »{guide.topic.title}« er oprettet som kladde. Borgerne og assistenten får den først, "
                    "når den er udgivet.",
                )
                return redirect(_topic_url(guide.topic, "kladde"))
        status = 400
    else:
        form = NewGuideForm(
            initial={
                "body": GUIDE_TEMPLATE,
                "handled_by": "hotline",
                "review_date": timezone.localdate() + dt.timedelta(days=365),
            },
            categories=categories,
        )
    return _render(request, "new_topic.html", {"form": form}, tab="guides", status=status)


@login_required
@require_POST
def add_example(request: HttpRequest, topic_id: str) -> HttpResponse:
    topic = access.access_topic(request.user, topic_id)
    access.require_edit_guides(request.user)
    form = ExampleForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_example_question(request.user, topic, form.cleaned_data["text"])
        except actions.KnowledgeInputError as error:
            form.add_error("text", str(error))
        else:
            published = Guide.objects.filter(topic=topic, status=GuideStatus.PUBLISHED).exists()
            learns = ASSISTANT_LEARNS if published else "Assistenten lærer det, når guiden udgives."
            messages.success(request, f"Eksempelspørgsmålet er tilføjet. {learns}")
            return redirect(_topic_url(topic, "eksempler"))
    return _topic_page(request, topic, 400, example_form=form)


@login_required
@require_POST
def delete_example(request: HttpRequest, topic_id: str, example_id: int) -> HttpResponse:
    topic = access.access_topic(request.user, topic_id)
    access.require_edit_guides(request.user)
    example = ExampleQuestion.objects.filter(pk=example_id, topic=topic).first()
    if example is None:
        raise Http404(f"Der findes intet eksempelspørgsmål nr. {example_id} til dette emne.")
    actions.do_delete_example_question(request.user, example)
    messages.success(request, f"»{example.text}« er slettet fra eksempelspørgsmålene.")
    return redirect(_topic_url(topic, "eksempler"))


# --- 4. one municipality's variant --------------------------------------------------------------------


def _citizen_text(guide: Guide, body: str | None, mode: str, municipality: Municipality) -> str:
    return fill_placeholders(apply_variant(guide.body, body, mode), service.placeholder_values(municipality))


@login_required
def variant_detail(request: HttpRequest, topic_id: str, code: int) -> HttpResponse:
    topic = access.access_topic(request.user, topic_id)
    municipality = access.access_member_municipality(request.user, code)
    guide = _topic_with_guide(topic)
    variant = GuideVariant.objects.filter(guide=guide, municipality=municipality).first()
    status = 200
    previewing = False
    conflict: ConflictView | None = None
    if request.method == "POST":
        access.require_edit_variant(request.user, municipality)
        form = VariantForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" not in request.POST:
                try:
                    saved = actions.do_save_variant(
                        request.user,
                        guide,
                        municipality,
                        data["body"],
                        data["mode"],
                        data["note"],
                        base_version=form.base_version(),
                    )
                except actions.EditConflict as error:
                    posted = request.POST.copy()
                    posted["version"] = str(error.version)
                    form = VariantForm(posted)
                    form.is_valid()
                    if error.base_body is not None:
                        lines = diff_lines(error.base_body, error.current_body, "teksten da du begyndte", "teksten nu")
                    else:
                        lines = diff_lines(error.current_body, data["body"], "teksten nu", "din tekst")
                    conflict = ConflictView(
                        f"Varianten er ændret, mens du arbejdede ({_saved_by(error)}). Din ændring er ikke gemt, "
                        "men din tekst står stadig i feltet. Se den anden ændring herunder, ret din tekst til, "
                        "og gem igen.",
                        lines,
                        error.base_body is not None,
                    )
                    variant = GuideVariant.objects.filter(guide=guide, municipality=municipality).first()
                    status = 409
                else:
                    if saved is None:
                        messages.info(request, "Ingen ændringer at gemme.")
                    else:
                        messages.success(request, f"{municipality.name}s variant af »{topic.title}« er gemt.")
                    return redirect("knowledge:variant", topic_id=topic.pk, code=municipality.code)
            else:
                previewing = True
        else:
            status = 400
        if previewing:
            citizen_text = _citizen_text(guide, form.cleaned_data["body"], form.cleaned_data["mode"], municipality)
        else:
            citizen_text = _citizen_text(
                guide, variant.body if variant else None, variant.mode if variant else "", municipality
            )
    else:
        initial = (
            {"mode": variant.mode, "body": variant.body, "version": variant.version}
            if variant
            else {"mode": VariantMode.SECTIONS, "body": "", "version": 0}
        )
        form = VariantForm(initial=initial)
        citizen_text = _citizen_text(
            guide, variant.body if variant else None, variant.mode if variant else "", municipality
        )
    problems = [
        p
        for p in check_guide(citizen_text, known_topics=_known_topics(), review_date=None, today=timezone.localdate())
        if p.check != "review"
    ]
    return _render(
        request,
        "variant.html",
        {
            "topic": topic,
            "guide": guide,
            "municipality": municipality,
            "variant": variant,
            "form": form,
            "can_edit": access.can_edit_variant(request.user, municipality),
            "previewing": previewing,
            "citizen_html": _guide_html(citizen_text),
            "problems": problems,
            "shared_headings": [heading for heading, _ in sections(guide.body) if heading],
            "revisions": variant.revisions.all()[:20] if variant else [],
            "conflict": conflict,
        },
        tab="guides",
        status=status,
    )


# --- 5. a revision and its diff -----------------------------------------------------------------------


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "file" | "hunk" | "add" | "del" | "same"
    text: str
    # The line cut into (text, changed) pieces, so a changed word inside a long paragraph line stands out.
    parts: tuple[tuple[str, bool], ...] = ()


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def _word_parts(old: str, new: str) -> tuple[tuple[tuple[str, bool], ...], tuple[tuple[str, bool], ...]]:
    """Mark the words that differ between a removed line and the added line that replaced it."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    old_parts: list[tuple[str, bool]] = []
    new_parts: list[tuple[str, bool]] = []

    def add(parts: list[tuple[str, bool]], text: str, changed: bool) -> None:
        if parts and parts[-1][1] == changed:
            parts[-1] = (parts[-1][0] + text, changed)
        elif text:
            parts.append((text, changed))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        add(old_parts, "".join(a[i1:i2]), tag != "equal")
        add(new_parts, "".join(b[j1:j2]), tag != "equal")
    return tuple(old_parts), tuple(new_parts)


def diff_lines(old: str, new: str, old_name: str, new_name: str) -> list[DiffLine]:
    """A unified diff (difflib) of two texts, each line tagged for colouring; [] when they are equal.

    Where a run of removed lines is followed by as many added lines, each pair is also compared word by word.
    """
    result = []
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), old_name, new_name, lineterm="", n=3)
    for number, line in enumerate(lines):
        if number < 2:  # the "--- old" and "+++ new" header (a removed "-- x" line also starts with "---")
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "same"
        result.append(DiffLine(kind, line, ((line, False),)))
    i = 0
    while i < len(result):
        if result[i].kind != "del":
            i += 1
            continue
        start = i
        while i < len(result) and result[i].kind == "del":
            i += 1
        removed = i - start
        added_start = i
        while i < len(result) and result[i].kind == "add":
            i += 1
        if i - added_start == removed:
            for k in range(removed):
                gone, came = result[start + k], result[added_start + k]
                old_parts, new_parts = _word_parts(gone.text[1:], came.text[1:])
                result[start + k] = DiffLine("del", gone.text, (("-", False), *old_parts))
                result[added_start + k] = DiffLine("add", came.text, (("+", False), *new_parts))
    return result


def _revision_name(revision: GuideRevision | None) -> str:
    if revision is None:
        return "(ingen tidligere version)"
    when = timezone.localtime(revision.created_at).strftime("%d.%m.%Y %H:%M")
    return f"revision {revision.pk}, {when}, {revision.author_name}"


@login_required
@require_GET
def revision_detail(request: HttpRequest, topic_id: str, revision_id: int) -> HttpResponse:
    topic = access.access_topic(request.user, topic_id)
    revision = (
        GuideRevision.objects.filter(pk=revision_id, guide__topic=topic)
        .select_related("variant__municipality", "guide")
        .first()
    )
    if revision is None:
        raise Http404(f"Der findes ingen revision nr. {revision_id} af guiden »{topic.title}«.")
    same_text = GuideRevision.objects.filter(guide=revision.guide, variant=revision.variant)
    earlier = Q(created_at__lt=revision.created_at) | Q(created_at=revision.created_at, pk__lt=revision.pk)
    previous = same_text.filter(earlier).order_by("-created_at", "-pk").first()
    # What a publication changed is the difference from what was published before it, not from its own draft.
    compared = previous
    if revision.event == RevisionEvent.PUBLISHED:
        compared = (
            same_text.filter(earlier, event__in=[RevisionEvent.PUBLISHED, RevisionEvent.SAVED])
            .order_by("-created_at", "-pk")
            .first()
        )
    following = (
        same_text.filter(Q(created_at__gt=revision.created_at) | Q(created_at=revision.created_at, pk__gt=revision.pk))
        .order_by("created_at", "pk")
        .first()
    )
    lines = diff_lines(
        compared.body if compared else "", revision.body, _revision_name(compared), _revision_name(revision)
    )
    return _render(
        request,
        "revision.html",
        {
            "topic": topic,
            "revision": revision,
            "previous": previous,
            "compared": compared,
            "following": following,
            "lines": lines,
            "added": sum(1 for line in lines if line.kind == "add"),
            "removed": sum(1 for line in lines if line.kind == "del"),
        },
        tab="guides",
    )


# --- 6. the quality report ----------------------------------------------------------------------------


@login_required
@require_GET
def quality_report(request: HttpRequest) -> HttpResponse:
    access.require_see_reports(request.user)
    today = timezone.localdate()
    known = _known_topics()
    guides = list(Guide.objects.select_related("topic", "owner").order_by("topic__category", "topic__title"))
    failing: list[dict[str, Any]] = []
    reviews: list[dict[str, Any]] = []
    for guide in guides:
        problems = [p for p in _problems(guide, known, today) if p.check != "review"]
        if problems:
            failing.append({"guide": guide, "owner": _owner_name(guide), "problems": problems})
        if guide.review_date is None or guide.review_date <= today + dt.timedelta(days=REVIEW_SOON_DAYS):
            days = (today - guide.review_date).days if guide.review_date else None
            reviews.append({"guide": guide, "owner": _owner_name(guide), "days_overdue": days})
    reviews.sort(key=lambda row: (row["guide"].review_date or dt.date.min, row["guide"].topic.title))
    variant_failures: list[dict[str, Any]] = []
    values: dict[int, dict[str, str]] = {}
    variants = GuideVariant.objects.select_related("guide__topic", "municipality", "municipality__service_info")
    for variant in variants.order_by("guide__topic__title", "municipality__name"):
        municipality = variant.municipality
        if municipality.pk not in values:
            values[municipality.pk] = service.placeholder_values(municipality)
        text = fill_placeholders(apply_variant(variant.guide.body, variant.body, variant.mode), values[municipality.pk])
        problems = [
            p for p in check_guide(text, known_topics=known, review_date=None, today=today) if p.check != "review"
        ]
        if problems:
            variant_failures.append({"variant": variant, "problems": problems})
    return _render(
        request,
        "quality_report.html",
        {
            "failing": failing,
            "reviews": reviews,
            "overdue_count": sum(1 for row in reviews if row["days_overdue"] is None or row["days_overdue"] > 0),
            "variant_failures": variant_failures,
            "guide_count": len(guides),
            "today": today,
            "soon_days": REVIEW_SOON_DAYS,
        },
        tab="quality",
    )


# --- 7. the missing-answers report --------------------------------------------------------------------


@login_required
@require_GET
def missing_answers(request: HttpRequest) -> HttpResponse:
    access.require_see_reports(request.user)
    titles = dict(Topic.objects.values_list("pk", "title"))
    by_topic = [
        {"topic_id": row["best_topic"], "title": titles.get(row["best_topic"], ""), "count": row["n"]}
        for row in UnansweredQuestion.objects.values("best_topic").annotate(n=Count("pk")).order_by("-n", "best_topic")
    ]
    feedback = [
        {"topic_id": row["topic_id"], "title": titles.get(row["topic_id"], ""), "no": row["no"], "yes": row["yes"]}
        for row in AnswerFeedback.objects.values("topic_id")
        .annotate(no=Count("pk", filter=Q(helpful=False)), yes=Count("pk", filter=Q(helpful=True)))
        .filter(no__gt=0)
        .order_by("-no", "topic_id")
    ]
    questions = UnansweredQuestion.objects.select_related("municipality").order_by("-asked_at", "-pk")
    chosen = request.GET.get("emne")
    if chosen is not None:
        questions = questions.filter(best_topic=chosen)
    total = questions.count()
    rows = [
        {"question": q, "title": titles.get(q.best_topic, ""), "percent": round(q.confidence * 100)}
        for q in questions[:MAX_REPORT_ROWS]
    ]
    return _render(
        request,
        "missing_answers.html",
        {
            "by_topic": by_topic,
            "feedback": feedback,
            "rows": rows,
            "total": total,
            "shown": len(rows),
            "chosen": chosen,
            "chosen_title": titles.get(chosen or "", "Intet bud") if chosen is not None else "",
            "all_count": UnansweredQuestion.objects.count(),
        },
        tab="missing",
    )


# --- 8. crisis notices --------------------------------------------------------------------------------


def _notice_state(notice: CrisisNotice, now: dt.datetime) -> tuple[str, str]:
    if not notice.published:
        return "draft", "Ikke udgivet"
    if notice.starts_at > now:
        return "planned", "Planlagt"
    if notice.ends_at is not None and notice.ends_at <= now:
        return "ended", "Udløbet"
    return "active", "Vises nu"


def _crisis_page(request: HttpRequest, form: CrisisNoticeForm | None, status: int = 200) -> HttpResponse:
    can_manage = access.can_manage_crisis_notices(request.user)
    notices = CrisisNotice.objects.prefetch_related("municipalities").order_by("-starts_at", "-pk")
    if not can_manage:
        notices = notices.filter(published=True)
    now = timezone.now()
    rows = [{"notice": n, "state": _notice_state(n, now)} for n in notices]
    return _render(
        request,
        "crisis_list.html",
        {"rows": rows, "form": form, "can_manage": can_manage},
        tab="crisis",
        status=status,
    )


def _crisis_form(data: Any = None, notice: CrisisNotice | None = None) -> CrisisNoticeForm:
    members = list(access.member_municipalities())
    if notice is None:
        initial: dict[str, Any] = {"starts_at": timezone.localtime().replace(second=0, microsecond=0)}
    else:
        initial = {
            "title": notice.title,
            "body": notice.body,
            "municipalities": [str(m.code) for m in notice.municipalities.all()],
            "keywords": notice.keywords,
            "starts_at": timezone.localtime(notice.starts_at),
            "ends_at": timezone.localtime(notice.ends_at) if notice.ends_at else None,
            "published": notice.published,
        }
    form = CrisisNoticeForm(data, initial=initial, municipalities=members)
    if notice is not None:
        form.fields["published"].label = "Udgivet"
    return form


def _save_notice(request: HttpRequest, form: CrisisNoticeForm, notice: CrisisNotice | None) -> CrisisNotice | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return actions.do_save_crisis_notice(
            request.user,
            notice,
            title=data["title"],
            body=data["body"],
            municipalities=form.chosen_municipalities(),
            keywords=data["keywords"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            published=data["published"],
        )
    except actions.KnowledgeInputError as error:
        form.add_error(None, str(error))
        return None


@login_required
def crisis_notices(request: HttpRequest) -> HttpResponse:
    access.require_read_guides(request.user)
    if request.method != "POST":
        can_manage = access.can_manage_crisis_notices(request.user)
        return _crisis_page(request, _crisis_form() if can_manage else None)
    access.require_manage_crisis_notices(request.user)
    form = _crisis_form(request.POST)
    notice = _save_notice(request, form, None)
    if notice is None:
        return _crisis_page(request, form, 400)
    state = "udgivet" if notice.published else "gemt som kladde (ikke udgivet)"
    messages.success(request, f"Krisemeddelelsen »{notice.title}« er {state}.")
    return redirect("knowledge:crisis_notices")


def _access_notice(request: HttpRequest, notice_id: int) -> CrisisNotice:
    access.require_read_guides(request.user)
    access.require_manage_crisis_notices(request.user)
    notice = CrisisNotice.objects.filter(pk=notice_id).first()
    if notice is None:
        raise Http404(f"Der findes ingen krisemeddelelse nr. {notice_id}.")
    return notice


@login_required
def crisis_notice_edit(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _access_notice(request, notice_id)
    status = 200
    if request.method == "POST":
        form = _crisis_form(request.POST, notice)
        if _save_notice(request, form, notice) is not None:
            messages.success(request, f"Krisemeddelelsen »{notice.title}« er gemt.")
            return redirect("knowledge:crisis_notices")
        status = 400
    else:
        form = _crisis_form(notice=notice)
    return _render(request, "crisis_form.html", {"notice": notice, "form": form}, tab="crisis", status=status)


@login_required
@require_POST
def crisis_notice_publish(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _access_notice(request, notice_id)
    published = request.POST.get("published") == "1"
    actions.do_publish_crisis_notice(request.user, notice, published)
    messages.success(
        request,
        f"Krisemeddelelsen »{notice.title}« er {'udgivet' if published else 'taget af (ikke længere udgivet)'}.",
    )
    return redirect("knowledge:crisis_notices")

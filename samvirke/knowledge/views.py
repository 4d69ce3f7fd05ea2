"""Knowledge-base pages: the guide overview, a guide with its examples, variants and revisions, creating a guide,
editing it as a draft and publishing it (below the quality bar only with a reason), a municipality's variant with
a preview, a revision's diff, the quality report and the crisis notices.

Thin: permission checks and object look-ups from knowledge/access.py, reads from knowledge/selectors.py, text
work from knowledge/lib/, every write through knowledge/actions.py. The guide search and the missing-answers
report, which ask the assistant, are the assistant's pages (assistant/staff_views.py) in these tabs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from samvirke.knowledge import access, actions, selectors
from samvirke.knowledge.forms import (
    CrisisNoticeForm,
    ExampleForm,
    GuideForm,
    NewGuideForm,
    PublishForm,
    VariantForm,
    VersionForm,
)
from samvirke.knowledge.lib.diff import DiffLine, diff_lines
from samvirke.knowledge.lib.editing import GuideContent, changed_fields
from samvirke.knowledge.lib.guides import PLACEHOLDERS, handled_by_text, markdown_to_html, sections
from samvirke.knowledge.lib.quality import QualityProblem, check_guide
from samvirke.knowledge.models import CrisisNotice, Guide, GuideRevision, Topic
from samvirke.knowledge.pages import render_page

ASSISTANT_LEARNS = "Assistenten lærer ændringen i baggrunden – den er klar om få sekunder."
FIELD_LABELS = {"title": "Titel", "synonyms": "Synonymer", "review_date": "Næste gennemsyn"}

_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


def _guide_html(body: str, mark_placeholders: bool = False) -> str:
    html = markdown_to_html(body, guide_url=reverse("knowledge:topic", args=["TOPIC"]).replace("TOPIC", "{topic}"))
    if mark_placeholders:  # the shared text: show where each municipality's own values go
        html = _PLACEHOLDER.sub(r'<span class="kb-placeholder">{\1}</span>', html)
    return html


def _topic_url(topic: Topic, anchor: str = "") -> str:
    return reverse("knowledge:topic", args=[topic.pk]) + (f"#{anchor}" if anchor else "")


# --- 1. overview --------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    access.require_read_guides(request.user)
    only_problems = request.GET.get("problemer") == "1"
    overview = selectors.guide_overview(timezone.localdate(), only_problems)
    return render_page(
        request,
        "index.html",
        {
            "groups": overview.groups,
            "counts": overview.counts,
            "only_problems": only_problems,
            "can_edit": access.can_edit_guides(request.user),
        },
        tab="guides",
    )


# --- 2. one guide: reading it, editing it as a draft, publishing it -------------------------------------------


@dataclass(frozen=True)
class ConflictView:
    """What the second of two editors sees: whose save came first, and that change as a diff."""

    message: str
    lines: list[DiffLine]
    theirs_only: bool  # the lines are exactly the other editor's change (else: the saved text against yours)


def _saved_by(conflict: actions.EditConflict) -> str:
    when = timezone.localtime(conflict.at).strftime("%d.%m.%Y kl. %H:%M") if conflict.at else "for lidt siden"
    return f"{conflict.by} gemte {when}"


def _conflict_view(subject: str, conflict: actions.EditConflict, yours: str) -> ConflictView:
    """`subject` ("Guiden", "Varianten") changed while the editor worked on `yours`: the other change as a diff
    (when the text the editor started from is known), else the saved text against the editor's."""
    if conflict.base_body is not None:
        lines = diff_lines(conflict.base_body, conflict.current_body, "teksten da du begyndte", "teksten nu")
    else:
        lines = diff_lines(conflict.current_body, yours, "teksten nu", "din tekst")
    message = (
        f"{subject} er ændret, mens du arbejdede ({_saved_by(conflict)}). Din ændring er ikke gemt, men din tekst "
        "står stadig i feltet. Se den anden ændring herunder, ret din tekst til, og gem igen."
    )
    return ConflictView(message, lines, conflict.base_body is not None)


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
    guide = selectors.guide_with_owner(topic)
    today = timezone.localdate()
    can_edit = access.can_edit_guides(user)
    context: dict[str, Any] = {
        "topic": topic,
        "guide": guide,
        "owner": selectors.owner_name(guide),
        "handled_by": handled_by_text(topic.forward_target),
        "examples": selectors.examples_of(topic),
        "can_edit": can_edit,
        "example_form": example_form or ExampleForm(),
    }
    if guide is not None:
        known = selectors.known_topics()
        variants = selectors.guide_variants(guide)
        with_variant = {v.municipality_id for v in variants}
        draft = guide.pending_draft()
        working = guide.working_content()
        publishable = draft is not None or not guide.is_published
        context.update(
            guide_html=_guide_html(guide.body, mark_placeholders=True),
            problems=selectors.guide_problems(guide, known, today),
            variants=variants,
            editable_without_variant=[
                m
                for m in access.member_municipalities()
                if m.pk not in with_variant and access.can_edit_variant(user, m)
            ],
            revisions=selectors.guide_revisions(guide),
            revision_count=selectors.revision_count(guide),
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
            context.update(guide_form=guide_form or GuideForm.for_guide(guide), conflict=conflict)
        if can_edit and publishable:
            problems = publish_problems
            if problems is None:
                problems = check_guide(working.body, known_topics=known, review_date=working.review_date, today=today)
            context.update(
                publish_problems=problems,
                publish_form=publish_form or PublishForm(initial={"version": guide.version}),
            )
    return render_page(request, "topic.html", context, tab="guides", status=status)


def _editable_guide(request: HttpRequest, topic_id: str) -> tuple[Topic, Guide]:
    topic = access.access_topic(request.user, topic_id)
    access.require_edit_guides(request.user)
    return topic, access.guide_of(topic)


@login_required
def topic_detail(request: HttpRequest, topic_id: str) -> HttpResponse:
    """The guide; a POST saves the edit form as a draft (the published text stays online)."""
    topic = access.access_topic(request.user, topic_id)
    if request.method != "POST":
        return _topic_page(request, topic)
    access.require_edit_guides(request.user)
    guide = access.guide_of(topic)
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
        view = _conflict_view("Guiden", conflict, stale.cleaned_data.get("body", ""))
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
    categories = selectors.topic_categories()
    if request.method != "POST":
        form = NewGuideForm.blank(categories, timezone.localdate())
        return render_page(request, "new_topic.html", {"form": form}, tab="guides")
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
    return render_page(request, "new_topic.html", {"form": form}, tab="guides", status=400)


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
            learns = ASSISTANT_LEARNS if selectors.is_published(topic) else "Assistenten lærer det, når guiden udgives."
            messages.success(request, f"Eksempelspørgsmålet er tilføjet. {learns}")
            return redirect(_topic_url(topic, "eksempler"))
    return _topic_page(request, topic, 400, example_form=form)


@login_required
@require_POST
def delete_example(request: HttpRequest, topic_id: str, example_id: int) -> HttpResponse:
    topic = access.access_topic(request.user, topic_id)
    access.require_edit_guides(request.user)
    example = access.access_example(topic, example_id)
    actions.do_delete_example_question(request.user, example)
    messages.success(request, f"»{example.text}« er slettet fra eksempelspørgsmålene.")
    return redirect(_topic_url(topic, "eksempler"))


# --- 3. one municipality's variant --------------------------------------------------------------------


@login_required
def variant_detail(request: HttpRequest, topic_id: str, code: int) -> HttpResponse:
    """The municipality's variant and its citizens' text; a POST saves it, or with "preview" only shows it."""
    topic = access.access_topic(request.user, topic_id)
    municipality = access.access_member_municipality(request.user, code)
    guide = access.guide_of(topic)
    variant = selectors.variant_of(guide, municipality)
    status = 200
    conflict: ConflictView | None = None
    previewing = request.method == "POST" and "preview" in request.POST
    if request.method != "POST":
        form = VariantForm.for_variant(variant)
    else:
        access.require_edit_variant(request.user, municipality)
        form = VariantForm(request.POST)
        if not form.is_valid():
            status, previewing = 400, False
        elif not previewing:
            data = form.cleaned_data
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
                conflict = _conflict_view("Varianten", error, data["body"])
                variant = selectors.variant_of(guide, municipality)
                status = 409
            else:
                if saved is None:
                    messages.info(request, "Ingen ændringer at gemme.")
                else:
                    messages.success(request, f"{municipality.name}s variant af »{topic.title}« er gemt.")
                return redirect("knowledge:variant", topic_id=topic.pk, code=municipality.code)
    if previewing:
        citizen_text = selectors.citizen_text(guide, form.cleaned_data["body"], form.cleaned_data["mode"], municipality)
    else:
        citizen_text = selectors.citizen_text(
            guide, variant.body if variant else None, variant.mode if variant else "", municipality
        )
    return render_page(
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
            "problems": selectors.text_problems(citizen_text, timezone.localdate()),
            "shared_headings": [heading for heading, _ in sections(guide.body) if heading],
            "revisions": selectors.variant_revisions(variant),
            "conflict": conflict,
        },
        tab="guides",
        status=status,
    )


# --- 4. a revision and its diff -----------------------------------------------------------------------


def _revision_name(revision: GuideRevision | None) -> str:
    if revision is None:
        return "(ingen tidligere version)"
    when = timezone.localtime(revision.created_at).strftime("%d.%m.%Y %H:%M")
    return f"revision {revision.pk}, {when}, {revision.author_name}"


@login_required
@require_GET
def revision_detail(request: HttpRequest, topic_id: str, revision_id: int) -> HttpResponse:
    topic = access.access_topic(request.user, topic_id)
    revision = selectors.revision_of(topic, revision_id)
    if revision is None:
        raise Http404(f"Der findes ingen revision nr. {revision_id} af guiden »{topic.title}«.")
    around = selectors.revision_neighbours(revision)
    compared = around.compared
    lines = diff_lines(
        compared.body if compared else "", revision.body, _revision_name(compared), _revision_name(revision)
    )
    return render_page(
        request,
        "revision.html",
        {
            "topic": topic,
            "revision": revision,
            "previous": around.previous,
            "compared": compared,
            "following": around.following,
            "lines": lines,
            "added": sum(1 for line in lines if line.kind == "add"),
            "removed": sum(1 for line in lines if line.kind == "del"),
        },
        tab="guides",
    )


# --- 5. the quality report ----------------------------------------------------------------------------


@login_required
@require_GET
def quality_report(request: HttpRequest) -> HttpResponse:
    access.require_see_reports(request.user)
    return render_page(request, "quality_report.html", selectors.quality_report(timezone.localdate()), tab="quality")


# --- 6. crisis notices --------------------------------------------------------------------------------


def _crisis_page(request: HttpRequest, form: CrisisNoticeForm | None, status: int = 200) -> HttpResponse:
    can_manage = access.can_manage_crisis_notices(request.user)
    rows = selectors.crisis_notice_rows(include_unpublished=can_manage, now=timezone.now())
    return render_page(
        request,
        "crisis_list.html",
        {"rows": rows, "form": form, "can_manage": can_manage},
        tab="crisis",
        status=status,
    )


def _crisis_form(data: Any = None, notice: CrisisNotice | None = None) -> CrisisNoticeForm:
    return CrisisNoticeForm.for_notice(data, notice, municipalities=list(access.member_municipalities()))


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
    return access.crisis_notice(notice_id)


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
    return render_page(request, "crisis_form.html", {"notice": notice, "form": form}, tab="crisis", status=status)


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

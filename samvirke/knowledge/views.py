"""Knowledge-base pages: the guide overview, the agents' guide search, a guide with its examples, variants and
revisions, a municipality's variant with a preview, a revision's diff, the quality and missing-answers reports
and the crisis notices.

Thin: permission checks and object look-ups from knowledge/access.py, text work from knowledge/lib/, the
assistant's search from assistant/service.py, every write through knowledge/actions.py.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from django import forms
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
    Topic,
    VariantMode,
)

MAX_REPORT_ROWS = 200
REVIEW_SOON_DAYS = 30
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


# --- forms --------------------------------------------------------------------------------------------


def _markdown(value: str) -> str:
    """Textarea text as guides store it: Unix line ends, no surrounding blank lines, one final newline."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() + "\n"


class GuideForm(forms.Form):
    body = forms.CharField(
        label="Tekst (Markdown)",
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 26, "class": "markdown", "spellcheck": "true"}),
        error_messages={"required": "Guiden skal have en tekst."},
    )
    status = forms.ChoiceField(label="Status", choices=GuideStatus.choices)
    review_date = forms.DateField(
        label="Næste gennemsyn",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"],
        error_messages={"invalid": "Skriv datoen som ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ."},
    )
    note = forms.CharField(
        label="Bemærkning til ændringen", max_length=300, required=False, help_text="Fx hvad du har rettet og hvorfor"
    )

    def clean_body(self) -> str:
        return _markdown(self.cleaned_data["body"])


class VariantForm(forms.Form):
    mode = forms.ChoiceField(label="Type", choices=VariantMode.choices, widget=forms.RadioSelect)
    body = forms.CharField(
        label="Kommunens tekst (Markdown)",
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 20, "class": "markdown", "spellcheck": "true"}),
        error_messages={"required": "Varianten skal have en tekst."},
    )
    note = forms.CharField(label="Bemærkning til ændringen", max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        body, mode = data.get("body"), data.get("mode")
        if body is None or mode != VariantMode.SECTIONS:
            return data
        body = _markdown(body)
        data["body"] = body
        parts = sections(body)
        if not any(heading for heading, _ in parts):
            self.add_error(
                "body",
                "En variant, der erstatter navngivne afsnit, skal have mindst ét afsnit med en overskrift "
                "som »## Kort svar«.",
            )
        elif parts[0][0] == "":
            self.add_error(
                "body",
                "Tekst før den første ## overskrift bliver ikke vist. Flyt den ind under en overskrift, "
                "eller vælg typen »Erstatter hele teksten«.",
            )
        return data

    def clean_body(self) -> str:
        return _markdown(self.cleaned_data["body"])


class ExampleForm(forms.Form):
    text = forms.CharField(
        label="Nyt eksempelspørgsmål",
        max_length=500,
        error_messages={"required": "Skriv spørgsmålet, før du tilføjer det."},
    )


class CrisisNoticeForm(forms.Form):
    title = forms.CharField(label="Overskrift", max_length=200)
    body = forms.CharField(label="Tekst", widget=forms.Textarea(attrs={"rows": 5}), max_length=5_000)
    municipalities = forms.MultipleChoiceField(
        label="Kommuner",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Vælg mindst én kommune, meddelelsen gælder for."},
    )
    keywords = forms.CharField(label="Nøgleord", max_length=300, required=False, help_text="Kommaseparerede ord")
    starts_at = forms.DateTimeField(
        label="Gælder fra",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        error_messages={"invalid": "Skriv tidspunktet som DD.MM.ÅÅÅÅ TT:MM."},
    )
    ends_at = forms.DateTimeField(
        label="Gælder til",
        required=False,
        help_text="Tom: indtil meddelelsen afpubliceres",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        error_messages={"invalid": "Skriv tidspunktet som DD.MM.ÅÅÅÅ TT:MM."},
    )
    published = forms.BooleanField(label="Udgiv med det samme", required=False)

    def __init__(self, *args: Any, municipalities: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_code = {str(m.code): m for m in municipalities}
        field = self.fields["municipalities"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(m.code), m.name) for m in municipalities]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "Slut-tidspunktet skal ligge efter start-tidspunktet.")
        return data

    def chosen_municipalities(self) -> list[Municipality]:
        return [self.by_code[code] for code in self.cleaned_data["municipalities"]]


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
        Topic.objects.select_related("guide__owner")
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
            }
        )
    return _render(
        request,
        "index.html",
        {"groups": sorted(groups.items()), "counts": counts, "only_problems": only_problems},
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


# --- 3. one guide -------------------------------------------------------------------------------------


def _topic_page(request: HttpRequest, topic: Topic, status: int = 200, **bound: forms.Form) -> HttpResponse:
    user = request.user
    guide = getattr(topic, "guide", None)
    today = timezone.localdate()
    can_edit = access.can_edit_guides(user)
    context: dict[str, Any] = {
        "topic": topic,
        "guide": guide,
        "owner": _owner_name(guide),
        "handled_by": handled_by_text(topic),
        "examples": topic.examples.order_by("id"),
        "can_edit": can_edit,
        "example_form": bound.get("example_form") or ExampleForm(),
    }
    if guide is not None:
        variants = list(guide.variants.select_related("municipality").order_by("municipality__name"))
        with_variant = {v.municipality_id for v in variants}
        context.update(
            guide_html=_guide_html(guide.body, mark_placeholders=True),
            problems=_problems(guide, _known_topics(), today),
            variants=variants,
            editable_without_variant=[
                m
                for m in access.member_municipalities()
                if m.pk not in with_variant and access.can_edit_variant(user, m)
            ],
            revisions=guide.revisions.select_related("variant__municipality")[:50],
            revision_count=guide.revisions.count(),
            guide_form=bound.get("guide_form")
            or GuideForm(initial={"body": guide.body, "status": guide.status, "review_date": guide.review_date}),
        )
    return _render(request, "topic.html", context, tab="guides", status=status)


@login_required
def topic_detail(request: HttpRequest, topic_id: str) -> HttpResponse:
    topic = access.access_topic(request.user, topic_id)
    if request.method != "POST":
        return _topic_page(request, topic)
    access.require_edit_guides(request.user)
    guide = _topic_with_guide(topic)
    form = GuideForm(request.POST)
    if not form.is_valid():
        return _topic_page(request, topic, 400, guide_form=form)
    data = form.cleaned_data
    changed = data["body"] != guide.body
    actions.do_save_guide(
        request.user, guide, data["body"], status=data["status"], review_date=data["review_date"], note=data["note"]
    )
    messages.success(
        request, "Guiden er gemt." + ("" if changed else " Teksten var uændret, så der er ingen ny revision.")
    )
    return redirect("knowledge:topic", topic_id=topic.pk)


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
            messages.success(
                request, "Eksempelspørgsmålet er tilføjet. Assistenten lærer det i baggrunden – klar om få sekunder."
            )
            return redirect(reverse("knowledge:topic", args=[topic.pk]) + "#eksempler")
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
    return redirect(reverse("knowledge:topic", args=[topic.pk]) + "#eksempler")


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
    if request.method == "POST":
        access.require_edit_variant(request.user, municipality)
        form = VariantForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" not in request.POST:
                actions.do_save_variant(request.user, guide, municipality, data["body"], data["mode"], data["note"])
                messages.success(request, f"{municipality.name}s variant af »{topic.title}« er gemt.")
                return redirect("knowledge:variant", topic_id=topic.pk, code=municipality.code)
            previewing = True
            citizen_text = _citizen_text(guide, data["body"], data["mode"], municipality)
        else:
            status = 400
            citizen_text = _citizen_text(
                guide, variant.body if variant else None, variant.mode if variant else "", municipality
            )
    else:
        initial = (
            {"mode": variant.mode, "body": variant.body} if variant else {"mode": VariantMode.SECTIONS, "body": ""}
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
    previous = (
        same_text.filter(Q(created_at__lt=revision.created_at) | Q(created_at=revision.created_at, pk__lt=revision.pk))
        .order_by("-created_at", "-pk")
        .first()
    )
    following = (
        same_text.filter(Q(created_at__gt=revision.created_at) | Q(created_at=revision.created_at, pk__gt=revision.pk))
        .order_by("created_at", "pk")
        .first()
    )
    lines = diff_lines(
        previous.body if previous else "", revision.body, _revision_name(previous), _revision_name(revision)
    )
    return _render(
        request,
        "revision.html",
        {
            "topic": topic,
            "revision": revision,
            "previous": previous,
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

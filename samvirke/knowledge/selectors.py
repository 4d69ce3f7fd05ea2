"""Reads of the knowledge base: a guide as one municipality's citizens see it, the active crisis notices, and what
the knowledge pages list (the overview, a guide's variants and revisions, the quality report, the crisis notices).

The assistant (above) reads guides through here too; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from samvirke.core.lib.hours import inside_sentence
from samvirke.directory.models import HotlineNumber, Line, LineNumber, Municipality
from samvirke.knowledge.lib.guides import apply_variant, fill_placeholders, handled_by_text
from samvirke.knowledge.lib.lines import line_for_category
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
)

REVIEW_SOON_DAYS = 30

# --- a guide as citizens see it ------------------------------------------------------------------------------


def hotline_phone(municipality: Municipality, line: str = Line.CITIZEN_SERVICE) -> str:
    """The number this municipality's citizens call for `line`: the member's own number for it, else the region's
    one number for the line (the health-app line, seed 001), else the member's hotline number."""
    own = HotlineNumber.objects.filter(membership__municipality=municipality, line=line).first()
    if own is not None:
        return own.display_number
    if line != Line.CITIZEN_SERVICE:
        regional = LineNumber.objects.filter(region_id=municipality.region_id, line=line).first()
        if regional is not None:
            return regional.display_number
        return hotline_phone(municipality)
    return ""


def topic_line(topic: Topic) -> str:
    """The line a topic is answered on (Line's value): the health-app topics on the health-app line."""
    return line_for_category(topic.category)


def placeholder_values(municipality: Municipality) -> dict[str, str]:
    values = {"municipality": municipality.name, "hotline_phone": hotline_phone(municipality)}
    info = getattr(municipality, "service_info", None)
    if info is not None:
        values.update(
            opening_hours=inside_sentence(info.opening_hours),
            phone=info.phone,
            address=info.address,
            booking_url=info.booking_url,
        )
    return values


def guide_text_for(topic: Topic, municipality: Municipality, values: dict[str, str] | None = None) -> str:
    """The guide as this municipality's citizens see it: variant applied, placeholders filled (`values` from
    placeholder_values, passed in by callers that fill several texts for the same municipality)."""
    variant = GuideVariant.objects.filter(guide=topic.guide, municipality=municipality).first()
    body = apply_variant(topic.guide.body, variant.body if variant else None, variant.mode if variant else "sections")
    values = values if values is not None else placeholder_values(municipality)
    line = topic_line(topic)
    if line != Line.CITIZEN_SERVICE:
        # A health-app guide's "ring til …" is the health-app line's number, not the hotline's.
        values = {**values, "hotline_phone": hotline_phone(municipality, line)}
    return fill_placeholders(body, values)


def citizen_text(guide: Guide, body: str | None, mode: str, municipality: Municipality) -> str:
    """The guide with a variant's text (`body`, None for none) as the municipality's citizens would see it."""
    return fill_placeholders(apply_variant(guide.body, body, mode), placeholder_values(municipality))


def active_crisis_notices(municipality: Municipality, now: dt.datetime) -> list[CrisisNotice]:
    return list(
        CrisisNotice.objects.filter(published=True, municipalities=municipality, starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("-starts_at")
    )


# --- quality -------------------------------------------------------------------------------------------------


def known_topics() -> set[str]:
    return set(Topic.objects.values_list("pk", flat=True))


def guide_problems(guide: Guide, known: set[str], today: dt.date) -> list[QualityProblem]:
    return check_guide(guide.body, known_topics=known, review_date=guide.review_date, today=today)


def text_problems(text: str, today: dt.date, known: set[str] | None = None) -> list[QualityProblem]:
    """A citizen's text's problems, without the review date (a variant's text has none of its own)."""
    known = known_topics() if known is None else known
    return [p for p in check_guide(text, known_topics=known, review_date=None, today=today) if p.check != "review"]


def owner_name(guide: Guide | None) -> str:
    if guide is None or guide.owner is None:
        return ""
    return guide.owner.get_full_name() or guide.owner.get_username()


# --- the overview and one guide --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    groups: list[tuple[str, list[dict[str, Any]]]]  # by category, each topic's row
    counts: dict[str, int]  # "all", "problems", "overdue"


def guide_overview(today: dt.date, only_problems: bool) -> Overview:
    """Every topic with its guide's state, by category; `only_problems`: only the rows with a problem."""
    known = known_topics()
    topics = (
        Topic.objects.select_related("guide__owner", "guide__draft")
        .annotate(n_examples=Count("examples", distinct=True), n_variants=Count("guide__variants", distinct=True))
        .order_by("category", "title")
    )
    groups: dict[str, list[dict[str, Any]]] = {}
    counts = {"all": 0, "problems": 0, "overdue": 0}
    for topic in topics:
        guide = getattr(topic, "guide", None)
        problems = (
            guide_problems(guide, known, today) if guide else [QualityProblem("guide", "Der er ingen guide endnu.")]
        )
        overdue = bool(guide and guide.review_date and guide.review_date < today)
        counts["all"] += 1
        counts["problems"] += bool(problems)
        counts["overdue"] += overdue
        if only_problems and not problems:
            continue
        groups.setdefault(topic.category, []).append(
            {
                "topic": topic,
                "guide": guide,
                "owner": owner_name(guide),
                "problems": problems,
                "overdue": overdue,
                "handled_by": handled_by_text(topic.forward_target),
                "has_draft": bool(guide and guide.pending_draft()),
            }
        )
    return Overview(sorted(groups.items()), counts)


def guide_with_owner(topic: Topic) -> Guide | None:
    return Guide.objects.select_related("owner", "draft").filter(topic=topic).first()


def topics_by_id() -> dict[str, Topic]:
    return {t.pk: t for t in Topic.objects.all()}


def is_published(topic: Topic) -> bool:
    return Guide.objects.filter(topic=topic, status=GuideStatus.PUBLISHED).exists()


def examples_of(topic: Topic) -> QuerySet[ExampleQuestion]:
    return topic.examples.order_by("id")


def guide_variants(guide: Guide) -> list[GuideVariant]:
    return list(guide.variants.select_related("municipality").order_by("municipality__name"))


def guide_revisions(guide: Guide, limit: int = 50) -> QuerySet[GuideRevision]:
    """The newest `limit` revisions of the guide and its variants."""
    return guide.revisions.select_related("variant__municipality")[:limit]


def revision_count(guide: Guide) -> int:
    return guide.revisions.count()


def variant_revisions(variant: GuideVariant | None, limit: int = 20) -> QuerySet[GuideRevision] | list[GuideRevision]:
    """The newest `limit` revisions of the variant; none when there is no variant."""
    return variant.revisions.all()[:limit] if variant is not None else []


def variant_of(guide: Guide, municipality: Municipality) -> GuideVariant | None:
    return GuideVariant.objects.filter(guide=guide, municipality=municipality).first()


def topic_categories() -> list[str]:
    return sorted(set(Topic.objects.values_list("category", flat=True)))


# --- a revision ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevisionNeighbours:
    previous: GuideRevision | None  # the revision of the same text just before
    compared: GuideRevision | None  # what the revision's diff is against
    following: GuideRevision | None


def revision_of(topic: Topic, revision_id: int) -> GuideRevision | None:
    return (
        GuideRevision.objects.filter(pk=revision_id, guide__topic=topic)
        .select_related("variant__municipality", "guide")
        .first()
    )


def revision_neighbours(revision: GuideRevision) -> RevisionNeighbours:
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
    return RevisionNeighbours(previous, compared, following)


# --- the quality report ----------------------------------------------------------------------------------------


def quality_report(today: dt.date) -> dict[str, Any]:
    """The guides below the standard, the reviews due within REVIEW_SOON_DAYS (or overdue), and the variants
    whose citizen text is below the standard: the quality report page's context."""
    known = known_topics()
    guides = list(Guide.objects.select_related("topic", "owner").order_by("topic__category", "topic__title"))
    failing: list[dict[str, Any]] = []
    reviews: list[dict[str, Any]] = []
    for guide in guides:
        problems = [p for p in guide_problems(guide, known, today) if p.check != "review"]
        if problems:
            failing.append({"guide": guide, "owner": owner_name(guide), "problems": problems})
        if guide.review_date is None or guide.review_date <= today + dt.timedelta(days=REVIEW_SOON_DAYS):
            days = (today - guide.review_date).days if guide.review_date else None
            reviews.append({"guide": guide, "owner": owner_name(guide), "days_overdue": days})
    reviews.sort(key=lambda row: (row["guide"].review_date or dt.date.min, row["guide"].topic.title))
    variant_failures: list[dict[str, Any]] = []
    values: dict[int, dict[str, str]] = {}
    variants = GuideVariant.objects.select_related("guide__topic", "municipality", "municipality__service_info")
    for variant in variants.order_by("guide__topic__title", "municipality__name"):
        municipality = variant.municipality
        if municipality.pk not in values:
            values[municipality.pk] = placeholder_values(municipality)
        text = fill_placeholders(apply_variant(variant.guide.body, variant.body, variant.mode), values[municipality.pk])
        problems = text_problems(text, today, known)
        if problems:
            variant_failures.append({"variant": variant, "problems": problems})
    return {
        "failing": failing,
        "reviews": reviews,
        "overdue_count": sum(1 for row in reviews if row["days_overdue"] is None or row["days_overdue"] > 0),
        "variant_failures": variant_failures,
        "guide_count": len(guides),
        "today": today,
        "soon_days": REVIEW_SOON_DAYS,
    }


# --- crisis notices --------------------------------------------------------------------------------------------


def notice_state(notice: CrisisNotice, now: dt.datetime) -> tuple[str, str]:
    if not notice.published:
        return "draft", "Ikke udgivet"
    if notice.starts_at > now:
        return "planned", "Planlagt"
    if notice.ends_at is not None and notice.ends_at <= now:
        return "ended", "Udløbet"
    return "active", "Vises nu"


def crisis_notice_rows(include_unpublished: bool, now: dt.datetime) -> list[dict[str, Any]]:
    """The crisis notices, newest first, each with its state; only the published ones unless asked."""
    notices: QuerySet[CrisisNotice] = CrisisNotice.objects.prefetch_related("municipalities").order_by(
        "-starts_at", "-pk"
    )
    if not include_unpublished:
        notices = notices.filter(published=True)
    return [{"notice": n, "state": notice_state(n, now)} for n in notices]

"""Writes to the knowledge base: loading the shipped guides; creating a guide, saving its draft, publishing it
(below the quality bar only with a reason), discarding a draft, taking a guide offline; variants; example
questions; crisis notices. Guides and variants carry a version, so two editors at once cannot overwrite each other.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from samvirke.audit.actions import record
from samvirke.directory.access import acting_person
from samvirke.directory.models import Actor, Municipality, Person
from samvirke.knowledge import content
from samvirke.knowledge.lib.editing import GuideContent, changed_fields, topic_id_problem
from samvirke.knowledge.lib.quality import QualityProblem, check_guide
from samvirke.knowledge.models import (
    CrisisNotice,
    ExampleQuestion,
    Guide,
    GuideDraft,
    GuideRevision,
    GuideStatus,
    GuideVariant,
    RevisionEvent,
    ServiceInfo,
    Topic,
    VariantMode,
)
from samvirke.knowledge.signals import announce_knowledge_changed

HANDLED_BY_PATTERN = re.compile(r"^(hotline|forward:[a-z0-9-]{2,70})$")


def _author_name(actor: Actor | None) -> str:
    person = acting_person(actor)
    return person.get_username() if person is not None else "system"


def _revision(
    actor: Actor | None,
    guide: Guide,
    body: str,
    variant: GuideVariant | None = None,
    note: str = "",
    *,
    event: str = RevisionEvent.SAVED,
    version: int | None = None,
    overridden_problems: list[str] | None = None,
    override_reason: str = "",
) -> None:
    GuideRevision.objects.create(
        guide=guide,
        variant=variant,
        event=event,
        version=version,
        body=body,
        author=acting_person(actor),
        author_name=_author_name(actor),
        note=note,
        overridden_problems=overridden_problems or [],
        override_reason=override_reason,
    )


@transaction.atomic
def do_load_knowledge(actor: Actor | None, data_dir: Path = content.DATA_DIR) -> dict[str, int]:
    """Create what is missing from the shipped files. Never overwrites a guide or variant editors changed."""
    counts = {"topics": 0, "guides": 0, "examples": 0, "variants": 0, "service_info": 0}
    guides = content.read_guides(data_dir)
    extra_examples = content.read_extra_examples(data_dir)
    owners = {p.username: p for p in Person.objects.filter(username__in={g.meta.get("owner") for g in guides.values()})}
    for record_ in content.read_topics(data_dir):
        guide_file = guides.get(record_.topic_id)
        topic, created = Topic.objects.get_or_create(
            id=record_.topic_id,
            defaults={
                "category": record_.category,
                "title": record_.title,
                "must_cover": record_.must_cover,
                "handled_by": record_.handled_by,
                "synonyms": ", ".join(guide_file.synonyms) if guide_file else "",
            },
        )
        counts["topics"] += created
        if guide_file is None:
            continue
        guide, created = Guide.objects.get_or_create(
            topic=topic,
            defaults={
                "body": guide_file.body,
                "status": GuideStatus.PUBLISHED,
                "owner": owners.get(guide_file.meta.get("owner", "")),
                "review_date": guide_file.review_date,
            },
        )
        if created:
            counts["guides"] += 1
            _revision(
                actor,
                guide,
                guide.body,
                note="Indlæst fra de fælles guidefiler",
                event=RevisionEvent.PUBLISHED,
                version=guide.version,
            )
        # Thousands of examples: one query for what exists and one bulk insert, not a query per example.
        existing = set(ExampleQuestion.objects.filter(topic=topic).values_list("text", flat=True))
        new_examples = [
            ExampleQuestion(topic=topic, text=text[:500])
            for text in content.all_examples(guide_file, extra_examples.get(topic.pk, []))
            if text[:500] not in existing
        ]
        ExampleQuestion.objects.bulk_create(new_examples)
        counts["examples"] += len(new_examples)
    municipalities = {m.code: m for m in Municipality.objects.all()}
    for topic_id, code, variant_file in content.read_variants(data_dir):
        if code not in municipalities or not Guide.objects.filter(topic_id=topic_id).exists():
            continue
        guide = Guide.objects.get(topic_id=topic_id)
        variant, created = GuideVariant.objects.get_or_create(
            guide=guide,
            municipality=municipalities[code],
            defaults={
                "mode": variant_file.meta.get("mode", VariantMode.SECTIONS),
                "body": variant_file.body,
                "is_demo": variant_file.meta.get("demo", "").lower() == "true",
            },
        )
        if created:
            counts["variants"] += 1
            _revision(
                actor,
                guide,
                variant.body,
                variant,
                note="Indlæst fra de kommunale variantfiler",
                version=variant.version,
            )
    for row in content.read_service_info(data_dir):
        code = int(row["kommunekode"])
        if code not in municipalities:
            continue
        _, created = ServiceInfo.objects.get_or_create(
            municipality=municipalities[code],
            defaults={
                "opening_hours": row["opening_hours"],
                "phone": row["phone"],
                "address": row["address"],
                "booking_url": row.get("booking_url", ""),
                "self_service_url": row.get("self_service_url", ""),
                "is_demo": True,
            },
        )
        counts["service_info"] += created
    if any(counts.values()):
        record(actor, "knowledge.loaded", None, counts)
    if counts["topics"] or counts["guides"] or counts["examples"]:
        announce_knowledge_changed("loaded")
    return counts


class KnowledgeInputError(ValueError):
    """Input an action refuses, with a Danish sentence for the user; nothing has been written."""


class QualityRefused(KnowledgeInputError):
    """Publishing a guide below the quality bar without ticking »Udgiv alligevel« and giving a reason."""

    def __init__(self, problems: list[QualityProblem], message: str = "") -> None:
        super().__init__(
            message
            or "Guiden opfylder ikke fællesskabets standard, så den er ikke udgivet. Ret problemerne, eller sæt "
            "kryds i »Udgiv alligevel« og skriv en begrundelse."
        )
        self.problems = problems


class EditConflict(Exception):
    """Someone saved the guide or variant after the editor opened it; nothing has been written.

    `base_body` is the text the editor started from (None when it is no longer known) and `current_body` the text
    now saved, so the page can show the other editor's change; `version` is the version now saved.
    """

    def __init__(
        self, message: str, *, version: int, base_body: str | None, current_body: str, by: str, at: dt.datetime | None
    ) -> None:
        super().__init__(message)
        self.version, self.base_body, self.current_body, self.by, self.at = version, base_body, current_body, by, at


class DraftSaved(enum.Enum):
    UNCHANGED = "unchanged"  # the same as what is saved: nothing written
    PENDING = "pending"  # a draft beside the published guide, which stays online
    IN_PLACE = "in_place"  # the guide is not published, so its own text was changed


@dataclass(frozen=True)
class Published:
    repeated: bool = False  # a second click on a publish that had already happened: nothing written
    overridden: tuple[str, ...] = ()  # the quality problems published anyway


MAX_REASON_CHARS = 300
MAX_SYNONYMS_CHARS = 1_000
MAX_BODY_CHARS = 50_000
MAX_NEW_EXAMPLES = 50


def _lock_guide(guide: Guide) -> Guide:
    """The guide and its topic, locked for this transaction (PostgreSQL; SQLite's IMMEDIATE transactions are
    serialised anyway), read fresh: the version checked is the one now saved."""
    return Guide.objects.select_for_update().select_related("topic").get(pk=guide.pk)


def _guide_revisions(guide: Guide) -> QuerySet[GuideRevision]:
    return GuideRevision.objects.filter(guide=guide, variant=None).order_by("-created_at", "-pk")


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y kl. %H:%M") if moment else "for nylig"


def _conflict(
    subject: str, revisions: QuerySet[GuideRevision], version: int, base_version: int, current_body: str
) -> EditConflict:
    last = revisions.first()
    base = revisions.filter(version=base_version).first() if base_version else None
    by = last.author_name if last else "en anden"
    at = last.created_at if last else None
    return EditConflict(
        f"{by} har gemt {subject} {_when(at)}, efter at du åbnede den.",
        version=version,
        base_body=base.body if base else None,
        current_body=current_body,
        by=by,
        at=at,
    )


def _repeats_last_event(guide: Guide, actor: Actor | None, base_version: int, event: str) -> bool:
    """A second click on the same button: the guide's last event is this one, by this user, from the version the
    form was based on."""
    last = _guide_revisions(guide).first()
    return bool(
        last is not None
        and last.event == event
        and last.version == guide.version == base_version + 1
        and last.author_id is not None
        and last.author_id == (actor.pk if actor is not None else None)
    )


def _check_content(content: GuideContent, topic: Topic) -> None:
    if not content.title.strip():
        raise KnowledgeInputError("Guiden skal have en titel.")
    if len(content.title) > 200:
        raise KnowledgeInputError("Titlen må højst være 200 tegn.")
    if len(content.synonyms) > MAX_SYNONYMS_CHARS:
        raise KnowledgeInputError(f"Synonymerne må højst fylde {MAX_SYNONYMS_CHARS} tegn.")
    if not content.body.strip():
        raise KnowledgeInputError("Guiden skal have en tekst.")
    if len(content.body) > MAX_BODY_CHARS:
        raise KnowledgeInputError(f"Teksten må højst være {MAX_BODY_CHARS} tegn.")
    title = content.title.strip().casefold()
    if topic.title.strip().casefold() == title:
        return  # unchanged: an old duplicate must not block every other edit
    # Compared in Python: SQLite's case-insensitive match knows only ASCII, and Danish titles have æ, ø and å.
    for other_id, other_title in Topic.objects.exclude(pk=topic.pk).values_list("pk", "title"):
        if other_title.strip().casefold() == title:
            raise KnowledgeInputError(
                f"Emnet »{other_id}« hedder allerede »{other_title}«. To emner med samme titel forvirrer "
                "borgerne og assistenten; vælg en anden titel."
            )


@transaction.atomic
def do_create_guide(
    actor: Actor | None,
    *,
    topic_id: str,
    category: str,
    handled_by: str,
    content: GuideContent,
    examples: list[str],
) -> Guide:
    """A new topic with its guide, saved as a draft (not published: citizens and the assistant do not see it yet),
    and its first example questions."""
    problem = topic_id_problem(topic_id)
    if problem:
        raise KnowledgeInputError(problem)
    existing = Topic.objects.filter(pk=topic_id).first()
    if existing is not None:
        raise KnowledgeInputError(f"Emne-id'et »{topic_id}« er allerede brugt af emnet »{existing.title}«.")
    if not category.strip() or len(category) > 100:
        raise KnowledgeInputError("Vælg eller skriv en kategori (højst 100 tegn).")
    if not HANDLED_BY_PATTERN.match(handled_by):
        raise KnowledgeInputError("Vælg, hvem der behandler emnet.")
    if len(examples) > MAX_NEW_EXAMPLES:
        raise KnowledgeInputError(f"Skriv højst {MAX_NEW_EXAMPLES} eksempelspørgsmål her; flere kan tilføjes bagefter.")
    if any(len(text) > 500 for text in examples):
        raise KnowledgeInputError("Et eksempelspørgsmål må højst være 500 tegn.")
    topic = Topic(id=topic_id, category=category.strip(), handled_by=handled_by)
    _check_content(content, topic)
    try:
        with transaction.atomic():  # two editors creating the same id at once: the second is told, not a 500
            topic = Topic.objects.create(
                id=topic_id,
                category=category.strip(),
                title=content.title.strip(),
                handled_by=handled_by,
                synonyms=content.synonyms,
            )
    except IntegrityError:
        raise KnowledgeInputError(f"Emne-id'et »{topic_id}« er lige blevet oprettet af en anden.") from None
    guide = Guide.objects.create(
        topic=topic,
        body=content.body,
        status=GuideStatus.DRAFT,
        owner=acting_person(actor),
        review_date=content.review_date,
        version=1,
    )
    ExampleQuestion.objects.bulk_create(ExampleQuestion(topic=topic, text=text) for text in examples)
    _revision(actor, guide, content.body, event=RevisionEvent.CREATED, version=guide.version)
    record(
        actor,
        "knowledge.guide_created",
        guide,
        {"topic": topic.pk, "category": topic.category, "handled_by": handled_by, "examples": len(examples)},
    )
    # Not published, so nothing the assistant learns from has changed: no announcement.
    return guide


@transaction.atomic
def do_save_guide_draft(
    actor: Actor | None, guide: Guide, content: GuideContent, *, base_version: int, note: str = ""
) -> DraftSaved:
    """Save an editor's changes as a draft.

    A published guide stays online as it is: the changes wait in its GuideDraft until they are published. A guide
    that is not published is changed in place. The same content as what is saved writes nothing (no revision, no
    audit entry), also when it arrives twice; a form based on an older version than the saved one is refused.
    """
    guide = _lock_guide(guide)
    topic = guide.topic
    draft = guide.pending_draft()
    current = guide.working_content()
    if content == current:
        return DraftSaved.UNCHANGED
    if guide.version != base_version:
        raise _conflict("guiden", _guide_revisions(guide), guide.version, base_version, current.body)
    _check_content(content, topic)
    changed = changed_fields(current, content)
    guide.version += 1
    if draft is not None or guide.is_published:
        draft = draft or GuideDraft(guide=guide)
        draft.title, draft.synonyms, draft.body, draft.review_date = (
            content.title,
            content.synonyms,
            content.body,
            content.review_date,
        )
        draft.author = acting_person(actor)
        draft.author_name = _author_name(actor)
        draft.saved_at = timezone.now()
        draft.save()
        guide.save(update_fields=["version"])  # not updated_at: the published guide has not changed
        result = DraftSaved.PENDING
    else:
        topic.title, topic.synonyms = content.title, content.synonyms
        topic.save(update_fields=["title", "synonyms"])
        guide.body, guide.review_date = content.body, content.review_date
        guide.save(update_fields=["body", "review_date", "version", "updated_at"])
        result = DraftSaved.IN_PLACE
    _revision(actor, guide, content.body, note=note, event=RevisionEvent.DRAFT, version=guide.version)
    record(
        actor,
        "knowledge.guide_draft_saved",
        guide,
        {"version": guide.version, "changed": changed, "published_text_kept": result is DraftSaved.PENDING},
    )
    # Nothing public changed (a published guide keeps its text until the draft is published): no announcement.
    return result


@transaction.atomic
def do_publish_guide(
    actor: Actor | None,
    guide: Guide,
    *,
    base_version: int,
    override: bool = False,
    reason: str = "",
    today: dt.date | None = None,
) -> Published:
    """Publish the pending draft (or the unpublished guide). Below the quality bar (check_guide) only with
    `override` and a reason, both kept in the revision and the audit log; otherwise QualityRefused and nothing
    changes."""
    guide = _lock_guide(guide)
    if guide.version != base_version:
        if _repeats_last_event(guide, actor, base_version, RevisionEvent.PUBLISHED):
            return Published(repeated=True)
        raise _conflict("guiden", _guide_revisions(guide), guide.version, base_version, guide.working_content().body)
    draft = guide.pending_draft()
    if draft is None and guide.is_published:
        raise KnowledgeInputError("Guiden er allerede udgivet, og der er ingen kladde at udgive.")
    before = guide.saved_content()
    content = guide.working_content()
    problems = check_guide(
        content.body,
        known_topics=set(Topic.objects.values_list("pk", flat=True)),
        review_date=content.review_date,
        today=today or timezone.localdate(),
    )
    reason = " ".join(reason.split())
    if problems:
        if not override:
            raise QualityRefused(problems)
        if not reason:
            raise QualityRefused(problems, "Skriv en begrundelse for at udgive guiden alligevel.")
        if len(reason) > MAX_REASON_CHARS:
            raise QualityRefused(problems, f"Begrundelsen må højst være {MAX_REASON_CHARS} tegn.")
    overridden = tuple(p.message for p in problems)
    topic = guide.topic
    if (topic.title, topic.synonyms) != (content.title, content.synonyms):
        topic.title, topic.synonyms = content.title, content.synonyms
        topic.save(update_fields=["title", "synonyms"])
    was_published = guide.is_published
    guide.body, guide.review_date, guide.status = content.body, content.review_date, GuideStatus.PUBLISHED
    guide.version += 1
    guide.save(update_fields=["body", "review_date", "status", "version", "updated_at"])
    if draft is not None:
        draft.delete()
    _revision(
        actor,
        guide,
        content.body,
        event=RevisionEvent.PUBLISHED,
        version=guide.version,
        overridden_problems=list(overridden),
        override_reason=reason if problems else "",
    )
    record(
        actor,
        "knowledge.guide_published",
        guide,
        {
            "version": guide.version,
            "was_published": was_published,
            "changed": changed_fields(before, content) if was_published else [],
            "quality_override": bool(problems),
            "override_reason": reason if problems else "",
            "problems": list(overridden),
        },
    )
    announce_knowledge_changed("guide_published")
    return Published(overridden=overridden)


@transaction.atomic
def do_discard_guide_draft(actor: Actor | None, guide: Guide, *, base_version: int) -> bool:
    """Throw away a published guide's pending draft; the published text was never touched. False: a repeated
    click, nothing written."""
    guide = _lock_guide(guide)
    if guide.version != base_version:
        if _repeats_last_event(guide, actor, base_version, RevisionEvent.DISCARDED):
            return False
        raise _conflict("guiden", _guide_revisions(guide), guide.version, base_version, guide.working_content().body)
    draft = guide.pending_draft()
    if draft is None:
        raise KnowledgeInputError("Der er ingen kladde at kassere.")
    discarded = draft.content()
    draft.delete()
    guide.version += 1
    guide.save(update_fields=["version"])
    _revision(actor, guide, guide.body, event=RevisionEvent.DISCARDED, version=guide.version)
    record(
        actor,
        "knowledge.guide_draft_discarded",
        guide,
        {"version": guide.version, "discarded_changes": changed_fields(guide.saved_content(), discarded)},
    )
    return True


@transaction.atomic
def do_unpublish_guide(actor: Actor | None, guide: Guide, *, base_version: int) -> bool:
    """Take a published guide offline: citizens and the assistant stop getting it. A pending draft stays pending.
    False: a repeated click, nothing written."""
    guide = _lock_guide(guide)
    if guide.version != base_version:
        if _repeats_last_event(guide, actor, base_version, RevisionEvent.UNPUBLISHED):
            return False
        raise _conflict("guiden", _guide_revisions(guide), guide.version, base_version, guide.working_content().body)
    if not guide.is_published:
        raise KnowledgeInputError("Guiden er ikke udgivet.")
    guide.status = GuideStatus.DRAFT
    guide.version += 1
    guide.save(update_fields=["status", "version", "updated_at"])
    _revision(actor, guide, guide.working_content().body, event=RevisionEvent.UNPUBLISHED, version=guide.version)
    record(actor, "knowledge.guide_unpublished", guide, {"version": guide.version})
    announce_knowledge_changed("guide_unpublished")
    return True


@transaction.atomic
def do_save_variant(
    actor: Actor | None,
    guide: Guide,
    municipality: Municipality,
    body: str,
    mode: str,
    note: str = "",
    *,
    base_version: int,
) -> GuideVariant | None:
    """Create or change a municipality's variant; live at once. None: the same as what is saved, nothing written.
    `base_version` is the variant's version the form was based on (0: there was no variant)."""
    _lock_guide(guide)  # one variant save per guide at a time: two first variants of a municipality cannot race
    variant = GuideVariant.objects.filter(guide=guide, municipality=municipality).first()
    if variant is not None and (variant.body, variant.mode) == (body, mode):
        return None
    current_version = variant.version if variant is not None else 0
    if current_version != base_version:
        revisions = GuideRevision.objects.filter(guide=guide, variant=variant).order_by("-created_at", "-pk")
        raise _conflict(
            f"{municipality.name}s variant", revisions, current_version, base_version, variant.body if variant else ""
        )
    created = variant is None
    if variant is None:
        variant = GuideVariant.objects.create(guide=guide, municipality=municipality, body=body, mode=mode, version=1)
    else:
        variant.body, variant.mode = body, mode
        variant.version += 1
        variant.save(update_fields=["body", "mode", "version", "updated_at"])
    Guide.objects.filter(pk=guide.pk).update(updated_at=variant.updated_at)
    _revision(actor, guide, body, variant, note=note, version=variant.version)
    record(actor, "knowledge.variant_saved", variant, {"created": created, "mode": mode, "version": variant.version})
    return variant


def _is_published(topic_id: str) -> bool:
    return Guide.objects.filter(topic_id=topic_id, status=GuideStatus.PUBLISHED).exists()


@transaction.atomic
def do_add_example_question(actor: Actor | None, topic: Topic, text: str) -> ExampleQuestion:
    """Add a question as citizens ask it. The assistant learns from the examples of published guides only, so it
    is told only when the topic's guide is published (it learns the rest when the guide is)."""
    text = " ".join(text.split())
    if not text:
        raise KnowledgeInputError("Skriv spørgsmålet, før du tilføjer det.")
    if len(text) > 500:
        raise KnowledgeInputError("Spørgsmålet må højst være 500 tegn.")
    if any(existing.lower() == text.lower() for existing in topic.examples.values_list("text", flat=True)):
        raise KnowledgeInputError(f"»{text}« er allerede et eksempelspørgsmål til dette emne.")
    example = ExampleQuestion.objects.create(topic=topic, text=text)
    record(actor, "knowledge.example_added", example, {"topic": topic.pk})
    if _is_published(topic.pk):
        announce_knowledge_changed("example_added")
    return example


@transaction.atomic
def do_delete_example_question(actor: Actor | None, example: ExampleQuestion) -> None:
    record(actor, "knowledge.example_deleted", example, {"topic": example.topic_id, "text": example.text})
    example.delete()
    if _is_published(example.topic_id):
        announce_knowledge_changed("example_deleted")


@transaction.atomic
def do_save_crisis_notice(
    actor: Actor | None,
    notice: CrisisNotice | None,
    *,
    title: str,
    body: str,
    municipalities: list[Municipality],
    keywords: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    published: bool,
) -> CrisisNotice:
    """Create (notice=None) or change a crisis notice. Published and current, it comes first in every answer
    to the citizens of the municipalities it covers, day and night."""
    if not title.strip() or not body.strip():
        raise KnowledgeInputError("En krisemeddelelse skal have en overskrift og en tekst.")
    if not municipalities:
        raise KnowledgeInputError("Vælg mindst én kommune, meddelelsen gælder for.")
    if ends_at is not None and ends_at <= starts_at:
        raise KnowledgeInputError("Slut-tidspunktet skal ligge efter start-tidspunktet.")
    created = notice is None
    if notice is None:
        notice = CrisisNotice()
    notice.title, notice.body, notice.keywords = title.strip(), body.strip(), keywords.strip()
    notice.starts_at, notice.ends_at, notice.published = starts_at, ends_at, published
    notice.save()
    notice.municipalities.set(municipalities)
    record(
        actor,
        "knowledge.crisis_notice_saved",
        notice,
        {"created": created, "published": published, "municipalities": sorted(m.code for m in municipalities)},
    )
    return notice


@transaction.atomic
def do_publish_crisis_notice(actor: Actor | None, notice: CrisisNotice, published: bool) -> CrisisNotice:
    notice = CrisisNotice.objects.select_for_update().get(pk=notice.pk)
    notice.published = published
    notice.save(update_fields=["published"])
    record(actor, "knowledge.crisis_notice_published" if published else "knowledge.crisis_notice_unpublished", notice)
    return notice

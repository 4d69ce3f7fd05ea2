"""Writes to the knowledge base: loading the shipped guides, saving guides and variants with revisions,
example questions and crisis notices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import transaction

from samvirke.audit.actions import record
from samvirke.directory.models import Municipality, Person
from samvirke.knowledge import content
from samvirke.knowledge.models import (
    CrisisNotice,
    ExampleQuestion,
    Guide,
    GuideRevision,
    GuideStatus,
    GuideVariant,
    ServiceInfo,
    Topic,
    VariantMode,
)
from samvirke.knowledge.signals import announce_knowledge_changed


def _author_name(actor: Any) -> str:
    return actor.get_username() if getattr(actor, "is_authenticated", False) else "system"


def _revision(actor: Any, guide: Guide, body: str, variant: GuideVariant | None = None, note: str = "") -> None:
    GuideRevision.objects.create(
        guide=guide,
        variant=variant,
        body=body,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        author_name=_author_name(actor),
        note=note,
    )


@transaction.atomic
def do_load_knowledge(actor: Any, data_dir: Path = content.DATA_DIR) -> dict[str, int]:
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
            _revision(actor, guide, guide.body, note="Indlæst fra de fælles guidefiler")
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
            _revision(actor, guide, variant.body, variant, note="Indlæst fra de kommunale variantfiler")
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


@transaction.atomic
def do_save_guide(
    actor: Any, guide: Guide, body: str, *, status: str, review_date: dt.date | None, note: str = ""
) -> Guide:
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    changed = guide.body != body
    guide.body, guide.status, guide.review_date = body, status, review_date
    guide.save(update_fields=["body", "status", "review_date", "updated_at"])
    if changed:
        _revision(actor, guide, body, note=note)
    record(actor, "knowledge.guide_saved", guide, {"status": status, "changed": changed})
    announce_knowledge_changed("guide_saved")
    return guide


@transaction.atomic
def do_save_variant(
    actor: Any, guide: Guide, municipality: Municipality, body: str, mode: str, note: str = ""
) -> GuideVariant:
    variant, created = GuideVariant.objects.get_or_create(
        guide=guide, municipality=municipality, defaults={"body": body, "mode": mode}
    )
    if not created:
        variant.body, variant.mode = body, mode
        variant.save(update_fields=["body", "mode", "updated_at"])
    Guide.objects.filter(pk=guide.pk).update(updated_at=variant.updated_at)
    _revision(actor, guide, body, variant, note=note)
    record(actor, "knowledge.variant_saved", variant, {"created": created, "mode": mode})
    return variant


class KnowledgeInputError(ValueError):
    """Input an action refuses, with a Danish sentence for the user; nothing has been written."""


@transaction.atomic
def do_add_example_question(actor: Any, topic: Topic, text: str) -> ExampleQuestion:
    """Add a question as citizens ask it; the assistant learns it when its engine is next rebuilt."""
    text = " ".join(text.split())
    if not text:
        raise KnowledgeInputError("Skriv spørgsmålet, før du tilføjer det.")
    if len(text) > 500:
        raise KnowledgeInputError("Spørgsmålet må højst være 500 tegn.")
    if any(existing.lower() == text.lower() for existing in topic.examples.values_list("text", flat=True)):
        raise KnowledgeInputError(f"»{text}« er allerede et eksempelspørgsmål til dette emne.")
    example = ExampleQuestion.objects.create(topic=topic, text=text)
    record(actor, "knowledge.example_added", example, {"topic": topic.pk})
    announce_knowledge_changed("example_added")
    return example


@transaction.atomic
def do_delete_example_question(actor: Any, example: ExampleQuestion) -> None:
    record(actor, "knowledge.example_deleted", example, {"topic": example.topic_id, "text": example.text})
    example.delete()
    announce_knowledge_changed("example_deleted")


@transaction.atomic
def do_save_crisis_notice(
    actor: Any,
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
def do_publish_crisis_notice(actor: Any, notice: CrisisNotice, published: bool) -> CrisisNotice:
    notice = CrisisNotice.objects.select_for_update().get(pk=notice.pk)
    notice.published = published
    notice.save(update_fields=["published"])
    record(actor, "knowledge.crisis_notice_published" if published else "knowledge.crisis_notice_unpublished", notice)
    return notice

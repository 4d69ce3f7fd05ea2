"""The assistant as the rest of Samvirke uses it: an engine built from the published guides, and replies
composed with the citizen's municipality's variant, crisis notices first and the hotline when unsure.

The engine lives in the process's memory as a cache of what is in the database; it is rebuilt when the
knowledge changes (checked with one cheap query per question), so any number of workers can serve it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import pickle
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from samvirke.assistant.lib import dialogue
from samvirke.assistant.lib import engine as engine_module
from samvirke.assistant.lib import text as text_module
from samvirke.assistant.lib.dialogue import Intent
from samvirke.assistant.lib.engine import AssistantEngine, Candidate, TopicDoc
from samvirke.assistant.lib.hours import describe, inside_sentence, is_open, next_opening, when_da
from samvirke.assistant.lib.masking import bounded
from samvirke.assistant.lib.text import words
from samvirke.assistant.models import AnsweredTopic
from samvirke.contact.actions import chat_opening_hours
from samvirke.contact.models import Contact
from samvirke.directory.models import HotlineNumber, Line, Municipality
from samvirke.knowledge import content
from samvirke.knowledge.lib.guides import apply_variant, fill_placeholders, markdown_to_html, plain_text, sections
from samvirke.knowledge.models import CrisisNotice, ExampleQuestion, Guide, GuideStatus, GuideVariant, Topic

MAX_QUESTION_CHARS = 500  # longer input is cut: no citizen question needs more, and it bounds the work
SUGGESTION_FLOOR = 0.25
FORWARD_TEXT = {
    "municipality": "Det her behandler din egen kommune: kontakt {municipality} Kommune på {phone}.",
    "region-minsp-support": "Tekniske fejl i Min Sundhedsplatform løser regionens MinSP-support. "
    "Ring til hotlinen på {hotline_phone}, så stiller vi dig om.",
}

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_cache: dict[str, Any] = {"version": None, "engine": None}
_engines: dict[str, AssistantEngine] = {}


def knowledge_version() -> tuple[Any, ...]:
    guides = Guide.objects.filter(status=GuideStatus.PUBLISHED).aggregate(n=Count("pk"), changed=Max("updated_at"))
    examples = ExampleQuestion.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return (guides["n"], guides["changed"], examples["n"], examples["last"])


def _topic_docs() -> list[TopicDoc]:
    examples: dict[str, list[str]] = {}
    for topic_id, text in ExampleQuestion.objects.order_by("pk").values_list("topic_id", "text"):
        examples.setdefault(topic_id, []).append(text)
    return [
        TopicDoc(
            topic_id=topic.pk,
            title=topic.title,
            text=plain_text(topic.guide.body),
            examples=tuple(examples.get(topic.pk, ())),
            synonyms=tuple(s.strip() for s in topic.synonyms.split(",") if s.strip()),
        )
        for topic in Topic.objects.filter(guide__status=GuideStatus.PUBLISHED).select_related("guide").order_by("pk")
    ]


def _digest(docs: list[TopicDoc]) -> str:
    """Identifies an engine: the knowledge, the shipped training files and the engine's own code (a pickle
    made by older code is never loaded by newer code)."""
    hasher = hashlib.sha256(repr(docs).encode())
    for module in (engine_module, text_module):
        hasher.update(Path(module.__file__ or "").read_bytes())
    hasher.update(repr((content.read_out_of_scope_training(), content.read_synonym_pairs())).encode())
    return hasher.hexdigest()


def _cache_path(digest: str) -> Path:
    return Path(settings.VAR_DIR) / "cache" / f"assistant-{digest[:32]}.pickle"


def _load_or_build(digest: str, docs: list[TopicDoc]) -> AssistantEngine:
    """Build the engine, or load the one another process built from the same content.

    Training takes seconds; the pickle in var/cache/ lets every worker (and every test run) start at once.
    Only files this installation wrote itself are read, so unpickling them is safe.
    """
    path = _cache_path(digest)
    try:
        with path.open("rb") as handle:
            cached = pickle.load(handle)  # noqa: S301 (our own cache file, see docstring)
        if isinstance(cached, AssistantEngine):
            return cached
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    built = AssistantEngine(docs, content.read_out_of_scope_training(), content.read_synonym_pairs())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as temporary:
            pickle.dump(built, temporary, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary.name, path)  # atomic: a reader never sees half a file
    except OSError:
        logger.warning("Could not cache the assistant engine at %s", path)
    return built


def engine() -> AssistantEngine | None:
    """The engine for the knowledge as it is now. Rebuilt only when the knowledge's content changed: the
    cheap version check runs per question; the content digest only when the version moved (a new worker,
    an edit), so identical content (another worker, a test database) reuses a built engine."""
    version = knowledge_version()
    if version[0] == 0:
        return None
    with _lock:
        if _cache["version"] != version:
            docs = _topic_docs()
            digest = _digest(docs)
            built = _engines.get(digest) or _load_or_build(digest, docs)
            _engines.clear()  # keep one: an engine holds a few MB of vectors and a classifier
            _engines[digest] = built
            _cache["engine"], _cache["version"] = built, version
        return _cache["engine"]


MITID_SUPPORT_PHONE = "33 98 00 10"  # MitID Support, open day and night (mitid.dk)
QUICK_REPLY_COUNT = 6
QUICK_REPLY_DAYS = 28
# Offered until there is data to say what citizens ask about most: the hotline's everyday questions.
QUICK_REPLY_FALLBACK = (
    "mitid-lost-phone", "digital-post-read", "address-change", "health-card", "passport", "mitid-get",
    "borger-dk-login", "opening-hours",
)  # fmt: skip
DIALOGUE_TEXT = {
    Intent.GREETING: "Hej! Jeg er {municipality} Kommunes digitale assistent. Skriv dit spørgsmål med dine egne "
    "ord, eller vælg et af emnerne herunder.",
    Intent.THANKS: "Selv tak! Skriv endelig, hvis der er andet, jeg kan hjælpe med.",
    Intent.GIBBERISH: "Det forstod jeg desværre ikke. Prøv at skrive dit spørgsmål med andre ord, fx »Jeg har "
    "fået ny telefon og skal have MitID med«, eller vælg et af emnerne herunder.",
}


@dataclass(frozen=True)
class Handover:
    """How a citizen reaches a person from the chat right now: a chat with an agent while the hotline is open;
    otherwise when it opens next, a callback or a message — and for MitID, MitID's own support day and night."""

    open: bool
    status: str  # "Hotlinen har åbent nu, indtil kl. 20.00." / "Hotlinen har lukket nu. Den åbner mandag kl. 08.00."
    opens: str  # "mandag 23. november kl. 08.00", or "" when open (or no opening within two weeks)
    phone: str
    mitid_support: bool = False

    @property
    def mitid_support_phone(self) -> str:
        return MITID_SUPPORT_PHONE


@dataclass
class Reply:
    question: str
    municipality: Municipality
    kind: str  # "answer" | "clarify" | "handoff" (don't know) | "human" | "greeting" | "thanks" | "gibberish"
    topic_id: str | None = None
    topic_title: str = ""
    confidence: float = 0.0
    candidates: list[Candidate] = field(default_factory=list)
    answer_text: str = ""
    answer_html: str = ""
    crisis_notices: list[CrisisNotice] = field(default_factory=list)
    hotline_phone: str = ""
    hotline_open: bool = False
    hotline_status: str = ""
    handover: Handover | None = None  # offered with "don't know" and when the citizen asks for a person

    @property
    def suggestions(self) -> list[Candidate]:
        """When unsure, the topics worth offering: only serious candidates, so nonsense gets none."""
        return [c for c in self.candidates[:2] if c.probability >= SUGGESTION_FLOOR]

    @property
    def handoff(self) -> bool:
        """The assistant hands the citizen over to the hotline: it does not know, or a person was asked for."""
        return self.kind in ("handoff", Intent.HUMAN)

    @property
    def unanswered(self) -> bool:
        """A real question the assistant could not answer: what the editors' "Manglende svar" report is for
        (not a greeting, thanks, gibberish or a request for a person, and not an empty field)."""
        return self.kind == "handoff" and bool(self.question.strip())

    @property
    def offers_topics(self) -> bool:
        return self.kind in (Intent.GREETING, Intent.GIBBERISH)

    def as_json(self) -> dict[str, Any]:
        """The DESIGN.md shape of `samvirke ask --format json` (keys stable; add, don't rename)."""
        return {
            "topic_id": self.topic_id if self.kind == "answer" else None,
            "confidence": self.confidence,
            "handoff": self.handoff,
            "answer": self.answer_text,
            "candidates": [
                {"topic_id": c.topic_id, "title": c.title, "probability": c.probability} for c in self.candidates
            ],
            "kind": self.kind,
            "crisis_notices": [notice.title for notice in self.crisis_notices],
            "hotline_open": self.hotline_open,
        }


def hotline_phone(municipality: Municipality) -> str:
    number = HotlineNumber.objects.filter(membership__municipality=municipality, line=Line.CITIZEN_SERVICE).first()
    if number is None:
        return ""
    return number.display_number


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
    return fill_placeholders(body, values if values is not None else placeholder_values(municipality))


def active_crisis_notices(municipality: Municipality, now: dt.datetime) -> list[CrisisNotice]:
    return list(
        CrisisNotice.objects.filter(published=True, municipalities=municipality, starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("-starts_at")
    )


@dataclass(frozen=True)
class GuideHit:
    topic_id: str
    title: str
    category: str
    probability: float
    handled_by: str
    html: str


def search(question: str, municipality: Municipality, limit: int = 5) -> list[GuideHit]:
    """The agents' guide search: the assistant's ranking, each guide as the caller's municipality has it."""
    current = engine()
    if current is None or not words(question):
        return []
    ranked = current.rank(question[:MAX_QUESTION_CHARS], limit)
    topics = {t.pk: t for t in Topic.objects.filter(pk__in=[c.topic_id for c in ranked]).select_related("guide")}
    values = placeholder_values(municipality)
    hits = []
    for candidate in ranked:
        topic = topics.get(candidate.topic_id)
        if topic is None:
            continue
        text = guide_text_for(topic, municipality, values)
        hits.append(
            GuideHit(
                topic_id=topic.pk,
                title=topic.title,
                category=topic.category,
                probability=candidate.probability,
                handled_by=topic.handled_by,
                html=markdown_to_html(text, guide_url="?emne={topic}"),
            )
        )
    return hits


def handover_for(
    municipality: Municipality, now: dt.datetime | None = None, topic_id: str | None = None, phone: str | None = None
) -> Handover:
    """What the chat offers a citizen who wants a person, now. `topic_id`: what the conversation is about;
    `phone`: the municipality's hotline number, when the caller has it already."""
    local = timezone.localtime(now or timezone.now())
    hours = chat_opening_hours()
    open_now = is_open(hours, local)
    following = None if open_now else next_opening(hours, local)
    return Handover(
        open=open_now,
        status=describe(hours, local),
        opens=when_da(local, following, with_date=True) if following else "",
        phone=hotline_phone(municipality) if phone is None else phone,
        mitid_support=not open_now and (topic_id or "").startswith("mitid-"),
    )


def ask(
    question: str,
    municipality: Municipality,
    now: dt.datetime | None = None,
    topic_id: str | None = None,
    conversation_topic: str | None = None,
) -> Reply:
    """Answer a citizen's turn for a municipality. `topic_id` answers a topic the citizen chose (a quick reply or
    a clarification); `conversation_topic` is what the conversation was about before (for a hand-over)."""
    now = now or timezone.now()
    question = bounded(question.replace("\x00", ""), MAX_QUESTION_CHARS)
    reply = Reply(
        question=question,
        municipality=municipality,
        kind="handoff",
        crisis_notices=active_crisis_notices(municipality, now),
        hotline_phone=hotline_phone(municipality),
    )
    current = engine()
    if topic_id is None:
        decision = dialogue.decide(question, current)
        reply.kind, reply.topic_id, reply.confidence, reply.candidates = (
            decision.kind,
            decision.topic_id,
            decision.confidence,
            decision.candidates,
        )
    else:
        reply.kind, reply.topic_id, reply.confidence = "answer", topic_id, 1.0
    topic = Topic.objects.filter(pk=reply.topic_id, guide__status=GuideStatus.PUBLISHED).select_related("guide").first()
    if reply.kind == "answer" and topic is not None:
        values = placeholder_values(municipality)
        text = guide_text_for(topic, municipality, values)
        reply.topic_title = topic.title
        short = dict(sections(text)).get("Kort svar", "")
        forward = FORWARD_TEXT.get(topic.forward_target or "", "")
        reply.answer_text = plain_text(short).strip() + (" " + fill_placeholders(forward, values) if forward else "")
        reply.answer_html = markdown_to_html(text, guide_url="?emne={topic}")
        if forward:
            reply.answer_html = f'<p class="forward">{fill_placeholders(forward, values)}</p>\n' + reply.answer_html
    elif reply.kind == "clarify":
        titles = " eller ".join(f"»{c.title}«" for c in reply.candidates[:2])
        reply.answer_text = f"Mener du {titles}?"
    elif reply.kind in DIALOGUE_TEXT:
        reply.answer_text = DIALOGUE_TEXT[Intent(reply.kind)].format(municipality=municipality.name)
    else:
        if reply.kind != Intent.HUMAN:
            reply.kind, reply.topic_id = "handoff", None
        about = conversation_topic or next((c.topic_id for c in reply.suggestions), None)
        reply.handover = handover_for(municipality, now, about, reply.hotline_phone)
        reply.answer_text = _handover_text(reply)
    if reply.handover is None:
        reply.handover = handover_for(municipality, now, phone=reply.hotline_phone)
    reply.hotline_open, reply.hotline_status = reply.handover.open, reply.handover.status
    if reply.kind not in ("handoff", Intent.HUMAN):
        reply.handover = None
    return reply


def _handover_text(reply: Reply) -> str:
    handover = reply.handover
    assert handover is not None
    phone = f" Du kan også ringe til hotlinen på {handover.phone}." if handover.phone else ""
    first = "Det kan jeg desværre ikke svare sikkert på." if reply.kind == "handoff" else ""
    if handover.open:
        offer = "Du kan chatte med en medarbejder fra hotlinen nu." + phone
    else:
        offer = (
            f"{handover.status} Du kan bestille en opringning eller skrive en besked, så vender en medarbejder "
            "tilbage, når hotlinen åbner."
        )
        if handover.mitid_support:
            offer += f" MitID Support har åbent døgnet rundt på tlf. {MITID_SUPPORT_PHONE}."
    return f"{first} {offer}".strip()


def quick_replies(now: dt.datetime | None = None, limit: int = QUICK_REPLY_COUNT) -> list[Topic]:
    """The topics the chat offers as quick replies: what citizens asked about most over the last four weeks —
    the topics agents registered contacts under, and those the assistant answered — filled up from a fixed
    list of the hotline's everyday questions when there is little data."""
    since = (now or timezone.now()) - dt.timedelta(days=QUICK_REPLY_DAYS)
    counts: dict[str, int] = {}
    registered = (
        Contact.objects.filter(offered_at__gte=since)
        .exclude(topic_id="")
        .order_by()
        .values_list("topic_id")
        .annotate(n=Count("pk"))
    )
    answered = (
        AnsweredTopic.objects.filter(day__gte=timezone.localdate(since))
        .order_by()
        .values_list("topic_id")
        .annotate(n=Sum("answers"))
    )
    for topic_id, n in [*registered, *answered]:
        counts[topic_id] = counts.get(topic_id, 0) + int(n or 0)
    published = {t.pk: t for t in Topic.objects.filter(guide__status=GuideStatus.PUBLISHED)}
    return [published[t] for t in dialogue.most_asked(counts, published, QUICK_REPLY_FALLBACK, limit)]

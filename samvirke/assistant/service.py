"""The assistant as the rest of Samvirke uses it: an engine built from the published guides, and replies
composed with the citizen's municipality's variant, crisis notices first and the hotline when unsure.

The engine is trained in the background and stored in the database; every process serves the newest build:

- A web request never trains. A change to what the assistant learns from (knowledge_changed) queues a retrain
  (tasks.retrain_assistant, run by `samvirke db_worker`); a burst of changes queues one. Commands (seed-demo,
  load-guides, ask, assistant-eval, assistant-train) may train at once, in their own process.
- A build is stored as a ModelBuild row: the pickled engine and its HMAC-SHA256 keyed with SECRET_KEY. It is
  unpickled only when the HMAC matches, so a row or file written by anyone without the key runs no code here.
- Each process checks with one indexed query per question whether a newer build exists; if so it verifies,
  loads and probes it and swaps its reference, while its other threads keep answering with the old engine. A
  build that fails to verify or load is refused (logged) and the previous engine keeps answering.
- Before the first build (a fresh database) engine() is None: the citizen is handed over to the hotline at once
  (the answer says the assistant cannot answer safely and gives the hotline), and a build is queued.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import os
import pickle
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.html import format_html
from django.views.decorators.debug import sensitive_variables
from threadpoolctl import threadpool_limits

from samvirke.assistant import actions, hotline
from samvirke.assistant.lib import dialogue
from samvirke.assistant.lib import engine as engine_module
from samvirke.assistant.lib import text as text_module
from samvirke.assistant.lib.dialogue import Intent
from samvirke.assistant.lib.engine import AssistantEngine, Candidate
from samvirke.assistant.lib.text import words
from samvirke.assistant.models import AnsweredTopic, ModelBuild
from samvirke.core.lib.hours import describe, is_open, next_opening, week_da, when_da
from samvirke.core.lib.masking import bounded
from samvirke.directory.models import Municipality
from samvirke.knowledge import content
from samvirke.knowledge.lib.guides import fill_placeholders, markdown_to_html, plain_text, sections
from samvirke.knowledge.lib.lines import CITIZEN_SERVICE, line_for_category
from samvirke.knowledge.lib.topicdoc import TopicDoc
from samvirke.knowledge.models import CrisisNotice, ExampleQuestion, Guide, GuideStatus, Topic
from samvirke.knowledge.selectors import active_crisis_notices, guide_text_for, hotline_phone, placeholder_values

MAX_QUESTION_CHARS = 500  # longer input is cut: no citizen question needs more, and it bounds the work
SUGGESTION_FLOOR = 0.25
FORWARD_TEXT = {
    "municipality": "Det her behandler din egen kommune: kontakt {municipality} Kommune på {phone}.",
    "region-minsp-support": "Tekniske fejl i Min Sundhedsplatform løser regionens MinSP-support. "
    "Ring til hotlinen på {hotline_phone}, så stiller vi dig om.",
}

logger = logging.getLogger(__name__)

# The training thread yields the CPU to web requests (on Linux the nice value is per thread, so the rest of the
# worker process, and a test or command that trains, keep theirs) and uses one BLAS/OpenMP thread: on two cores
# shared with the web workers more threads only wait for each other (bench/assistant_retrain.py measures both).
TRAINING_NICENESS = 10
TRAINING_BLAS_THREADS = 1
MODEL_HMAC_SALT = "samvirke.assistant.model"
PROBE_QUESTION = "hvordan får jeg et nyt pas"


class UntrustedModel(Exception):
    """A stored model whose HMAC does not match: not unpickled."""


@dataclass
class _Served:
    """The engine this process answers with, and the build it came from."""

    build_id: int | None = None
    engine: AssistantEngine | None = None
    digest: str = ""
    code_version: str = ""


@dataclass(frozen=True)
class _Trained:
    """A model this process trained, as stored (the payload is what was signed)."""

    engine: AssistantEngine
    payload: bytes
    seconds: float
    warm_started: bool
    recalibrated: bool


KEEP_TRAINED_IN_MEMORY = 2  # the last models this process trained, by digest: the same knowledge again (an edit
# undone, a database restored, a test) is stored again without training


@dataclass
class _ProcessState:
    served: _Served = field(default_factory=_Served)
    refused: frozenset[int] = frozenset()  # builds that failed to verify or load: not tried again (replaced,
    # never changed in place, so a thread reading it meanwhile is safe)
    asked_for_build: bool = False  # this process has queued a build for a missing or outdated model
    trained: dict[str, _Trained] = field(default_factory=dict)  # by digest, oldest first


_state = _ProcessState()
_swap_lock = threading.Lock()


def forget_served_engine(keep_last_build: bool = False) -> None:
    """Drop what this process holds (the served engine, refusals, its last build unless `keep_last_build`): it
    reloads from the database as a new worker would. For tests, whose databases come and go under one process."""
    global _state
    with _swap_lock:
        _state = _ProcessState(trained=_state.trained if keep_last_build else {})


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


@functools.cache
def code_version() -> str:
    """Identifies the code and shipped files a model is trained with: a build by other code is replaced."""
    hasher = hashlib.sha256()
    for module in (engine_module, text_module):
        hasher.update(Path(module.__file__ or "").read_bytes())
    hasher.update(repr((content.read_out_of_scope_training(), content.read_synonym_pairs())).encode())
    return hasher.hexdigest()


def _digest(docs: list[TopicDoc]) -> str:
    """Identifies an engine: the knowledge, the shipped training files and the engine's own code."""
    return hashlib.sha256(repr(docs).encode() + code_version().encode()).hexdigest()


def sign_model(payload: bytes) -> str:
    return salted_hmac(MODEL_HMAC_SALT, payload, algorithm="sha256").hexdigest()


@sensitive_variables("secret", "expected")
def _trusted(payload: bytes, signature: str) -> bool:
    """The HMAC matches under SECRET_KEY or one of SECRET_KEY_FALLBACKS (a rotated key)."""
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        expected = salted_hmac(MODEL_HMAC_SALT, payload, secret=secret, algorithm="sha256").hexdigest()
        if constant_time_compare(expected, signature):
            return True
    return False


def load_model(payload: bytes, signature: str) -> AssistantEngine:
    """The engine in a stored build: the HMAC is checked before anything is unpickled, and the result must
    answer a probe question (a build by older code may lack what this code needs)."""
    if not signature or not _trusted(payload, signature):
        raise UntrustedModel("the model's HMAC does not match: refused, not unpickled")
    loaded = pickle.loads(payload)  # noqa: S301 (HMAC-verified above: written by a holder of SECRET_KEY)
    if not isinstance(loaded, AssistantEngine):
        raise TypeError(f"the model is a {type(loaded).__name__}, not an AssistantEngine")
    loaded.decide(PROBE_QUESTION)
    return loaded


def _newest_build() -> tuple[int, str] | None:
    """(id, digest) of the newest servable build this process has not refused: one indexed query."""
    builds = ModelBuild.objects.exclude(signature="")
    if _state.refused:
        builds = builds.exclude(pk__in=_state.refused)
    return builds.order_by("-knowledge_read_at", "-pk").values_list("pk", "digest").first()


def _swap_in(build_id: int) -> None:
    """Load build `build_id` and serve it. Other threads keep answering with the current engine meanwhile
    (they do not wait for the lock unless there is no engine at all)."""
    if not _swap_lock.acquire(blocking=_state.served.engine is None):
        return
    try:
        row = ModelBuild.objects.filter(pk=build_id).values_list("digest", "code_version", "signature").first()
        if row is None:
            return
        digest, code, signature = row
        if (_state.served.build_id, _state.served.digest) == (build_id, digest):
            return  # another thread swapped it in while this one waited
        current = _state.served
        if current.engine is not None and current.digest == digest and current.code_version == code:
            _state.served = _Served(build_id, current.engine, digest, code)  # same content: nothing to load
            return
        known = _state.trained.get(digest)
        if known is not None and code == code_version() and signature and _trusted(known.payload, signature):
            _state.served = _Served(build_id, known.engine, digest, code)  # the very model this process stored
            return
        started = time.perf_counter()
        payload = ModelBuild.objects.filter(pk=build_id).values_list("payload", flat=True).first() or b""
        try:
            loaded = load_model(bytes(payload), signature)
        except UntrustedModel:
            logger.error("Assistant model %s refused: its HMAC does not match (tampered, or another key)", build_id)
            _state.refused |= {build_id}
            return
        except Exception:
            logger.exception("Assistant model %s could not be loaded; the previous model keeps answering", build_id)
            _state.refused |= {build_id}
            return
        _state.served = _Served(build_id, loaded, digest, code)
        logger.info("Assistant model %s swapped in (%.0f ms)", build_id, (time.perf_counter() - started) * 1000)
    finally:
        _swap_lock.release()


def _refresh() -> None:
    """Serve the newest build; when it is refused, the next newest (a few at most: each refusal is remembered)."""
    for _attempt in range(actions.KEEP_SERVABLE_BUILDS):
        newest = _newest_build()
        if newest is None:
            served = _state.served.build_id
            if served is not None and not ModelBuild.objects.filter(pk=served).exists():
                _state.served = _Served()  # its build is gone (a test database, or deleted by hand)
            return
        if newest == (_state.served.build_id, _state.served.digest):  # the digest too: test databases reuse ids
            return
        refused = len(_state.refused)
        _swap_in(newest[0])
        if len(_state.refused) == refused:
            return


def engine() -> AssistantEngine | None:
    """The engine to answer with: the newest build any process stored, as this process has it in memory. Never
    trains. None until the first build exists; then a build is queued (once per process), as it is when the
    newest build was made by other code (a new release)."""
    _refresh()
    served = _state.served
    if not _state.asked_for_build:
        if served.engine is None and Guide.objects.filter(status=GuideStatus.PUBLISHED).exists():
            _ask_for_build("no_model")
        elif served.engine is not None and served.code_version != code_version():
            _ask_for_build("new_code")
    return served.engine


def _ask_for_build(reason: str) -> None:
    _state.asked_for_build = True
    try:
        with transaction.atomic():  # a savepoint inside a request's transaction: a failure here stays here
            request_retrain(reason)
    except DatabaseError:
        logger.exception("Could not queue a retrain of the assistant (%s)", reason)


def request_retrain(reason: str) -> bool:
    """Queue a retrain unless one is already waiting (it will read this change too). True: queued now."""
    if not actions.do_note_knowledge_changed(reason, timezone.now()):
        return False
    transaction.on_commit(functools.partial(_enqueue_retrain, reason))
    return True


def _enqueue_retrain(reason: str) -> None:
    from samvirke.assistant.tasks import retrain_assistant  # tasks imports this module

    try:
        retrain_assistant.enqueue(reason=reason)
    except Exception:
        logger.exception("Could not queue a retrain of the assistant (%s)", reason)
        actions.do_forget_pending_retrain()


@dataclass(frozen=True)
class BuildResult:
    build: ModelBuild | None  # None: no published guides, nothing to learn
    stored: bool  # False: the newest build already had this knowledge, nothing was written


def build_engine(reason: str, from_scratch: bool = False) -> BuildResult:
    """Train on the knowledge as it is now and store the build, unless the newest build already has it (so a
    retrain queued twice costs a digest, not a training). The training runs outside any transaction, in a
    low-priority thread; the result is written in one short transaction. Raises if training fails (the previous
    build keeps serving). `from_scratch`: train and store without starting from any earlier model."""
    knowledge_read_at = timezone.now()
    docs = _topic_docs()
    if not docs:
        return BuildResult(None, stored=False)
    digest = _digest(docs)
    newest = ModelBuild.objects.exclude(signature="").defer("payload").order_by("-knowledge_read_at", "-pk").first()
    if newest is not None and newest.digest == digest and not from_scratch:
        actions.do_confirm_newest_build(knowledge_read_at)
        return BuildResult(newest, stored=False)
    trained = None if from_scratch else _state.trained.pop(digest, None)  # trained on the same knowledge before
    if trained is None:
        trained = _train(docs, None if from_scratch else _previous_engine())
    build = actions.do_store_model_build(
        payload=trained.payload,
        signature=sign_model(trained.payload),
        digest=digest,
        code_version=code_version(),
        knowledge_read_at=knowledge_read_at,
        reason=reason,
        built_at=timezone.now(),
        seconds=trained.seconds,
        topics=len(docs),
        examples=sum(len(doc.examples) for doc in docs),
        warm_started=trained.warm_started,
        recalibrated=trained.recalibrated,
    )
    _state.trained[digest] = trained
    while len(_state.trained) > KEEP_TRAINED_IN_MEMORY:
        del _state.trained[next(iter(_state.trained))]
    with _swap_lock:
        _state.served = _Served(build.pk, trained.engine, digest, code_version())
    logger.info("Assistant model %s stored for %s (trained in %.1f s)", build.pk, reason, trained.seconds)
    return BuildResult(build, stored=True)


def _previous_engine() -> AssistantEngine | None:
    """The engine a new build starts from: the newest build, if it was made by this code; else the last one this
    process trained. (Any engine will do for the classifier's start; the calibration is kept only for a small
    drift from the one it was fitted on.)"""
    _refresh()
    served = _state.served
    if served.engine is not None and served.code_version == code_version():
        return served.engine
    return next(reversed(_state.trained.values())).engine if _state.trained else None


def _train(docs: list[TopicDoc], previous: AssistantEngine | None) -> _Trained:
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="assistant-training") as pool:
        return pool.submit(_train_here, docs, previous).result()


def _train_here(docs: list[TopicDoc], previous: AssistantEngine | None) -> _Trained:
    _lower_this_threads_priority()
    started = time.perf_counter()
    with threadpool_limits(limits=TRAINING_BLAS_THREADS):
        built = AssistantEngine(
            docs, content.read_out_of_scope_training(), content.read_synonym_pairs(), previous=previous
        )
    payload = pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL)
    seconds = time.perf_counter() - started
    info = built.build_info
    logger.info("Assistant trained in %.1f s: %s", seconds, info)
    return _Trained(built, payload, seconds, info.started_from == "previous", info.recalibrated)


def _lower_this_threads_priority() -> None:
    if not sys.platform.startswith("linux"):
        return  # elsewhere the nice value is per process: leave the process alone
    thread = threading.get_native_id()
    try:
        if os.getpriority(os.PRIO_PROCESS, thread) < TRAINING_NICENESS:
            os.setpriority(os.PRIO_PROCESS, thread, TRAINING_NICENESS)
    except OSError:
        logger.warning("Could not lower the training thread's priority")


def current_engine(reason: str = "command") -> AssistantEngine | None:
    """For commands: the engine for the knowledge as it is now, trained here and stored if no build has it."""
    build_engine(reason)
    return engine()


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
    phone: str  # the number of the line the conversation's topic belongs to (the health-app line's for its topics)
    mitid_support: bool = False
    line: LineInfo | None = None  # the line `phone` belongs to

    @property
    def mitid_support_phone(self) -> str:
        return MITID_SUPPORT_PHONE


# The lines as the subject of a sentence ("Sundhedsapps-linjen har åbent nu …"); directory's Line values.
LINE_SUBJECTS = {CITIZEN_SERVICE: "Hotlinen", "health_apps": "Sundhedsapps-linjen"}


@dataclass(frozen=True)
class LineInfo:
    """The phone line a topic is answered on, for this citizen now: the health-app topics on the region's
    health-app line (its one number and its own hours, seed 001), the rest on the member's hotline."""

    line: str  # "citizen_service" | "health_apps"
    name: str  # "Hotlinen" | "Sundhedsapps-linjen"
    phone: str  # "70 21 00 00", or "" when the municipality has no number
    hours: str  # "mandag–fredag kl. 08.00–20.00"
    open: bool
    status: str  # "Sundhedsapps-linjen har åbent nu, indtil kl. 20.00."

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "name": self.name,
            "phone": self.phone,
            "hours": self.hours,
            "open": self.open,
            "status": self.status,
        }


def topic_line(topic_id: str | None) -> str:
    """The line a topic is answered on ("citizen_service" without a topic, or for an unknown one)."""
    if not topic_id:
        return CITIZEN_SERVICE
    category = Topic.objects.filter(pk=topic_id).values_list("category", flat=True).first()
    return line_for_category(category) if category is not None else CITIZEN_SERVICE


def line_info(municipality: Municipality, line: str, now: dt.datetime | None = None) -> LineInfo:
    local = timezone.localtime(now or timezone.now())
    hours = hotline.line_opening_hours(line)
    name = LINE_SUBJECTS.get(line, "Hotlinen")
    return LineInfo(
        line=line,
        name=name,
        phone=hotline_phone(municipality, line),
        hours=week_da(hours),
        open=is_open(hours, local),
        status=describe(hours, local, name),
    )


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
    line: LineInfo | None = None  # the phone line for the answered topic (or the hotline)

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
        """The shape of `samvirke ask --format json` (docs/cli.md; keys stable: add, don't rename)."""
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
            "line": self.line.as_json() if self.line is not None else None,
        }


@dataclass(frozen=True)
class GuideHit:
    topic_id: str
    title: str
    category: str
    probability: float
    handled_by: str
    html: str


def search(
    question: str, municipality: Municipality, limit: int = 5, guide_url: str = "?emne={topic}"
) -> list[GuideHit]:
    """The agents' guide search: the assistant's ranking, each guide as the caller's municipality has it
    (`guide_url`: where a guide's link to another guide goes, as markdown_to_html takes it)."""
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
                html=markdown_to_html(text, guide_url=guide_url),
            )
        )
    return hits


def handover_for(
    municipality: Municipality, now: dt.datetime | None = None, topic_id: str | None = None, phone: str | None = None
) -> Handover:
    """What the chat offers a citizen who wants a person, now. `topic_id`: what the conversation is about (a
    health-app topic gives the health-app line's number and hours); `phone`: the municipality's hotline number,
    when the caller has it already."""
    local = timezone.localtime(now or timezone.now())
    hours = hotline.chat_opening_hours()
    open_now = is_open(hours, local)
    following = None if open_now else next_opening(hours, local)
    line = topic_line(topic_id)
    info = line_info(municipality, line, local) if line != CITIZEN_SERVICE or phone is None else None
    return Handover(
        open=open_now,
        status=describe(hours, local),
        opens=when_da(local, following, with_date=True) if following else "",
        phone=info.phone if info is not None else (phone or ""),
        mitid_support=not open_now and (topic_id or "").startswith("mitid-"),
        line=info,
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
            # The filled text holds the municipality's name and phone, data someone typed: escaped like the guide.
            reply.answer_html = format_html('<p class="forward">{}</p>\n', fill_placeholders(forward, values)) + (
                reply.answer_html
            )
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
    about_topic = reply.topic_id if reply.kind == "answer" else conversation_topic
    reply.line = reply.handover.line or line_info(municipality, topic_line(about_topic), now)
    if reply.kind == "answer" and reply.line.line != CITIZEN_SERVICE and reply.line.phone:
        # A health-app topic is answered on the region's health-app line: its number and hours, not the hotline's.
        sentence = _call_line_sentence(reply.line)
        reply.answer_text = f"{reply.answer_text} {sentence}".strip()
        reply.answer_html = format_html('<p class="line">{}</p>\n', sentence) + reply.answer_html
    if reply.kind not in ("handoff", Intent.HUMAN):
        reply.handover = None
    return reply


def _call_line_sentence(line: LineInfo) -> str:
    """The sentence that sends a citizen to a line: "Du kan ringe til Sundhedsapps-linjen på 70 21 00 00 (…)"."""
    return f"Du kan ringe til {line.name} på {line.phone} ({line.hours})."


def _handover_text(reply: Reply) -> str:
    handover = reply.handover
    assert handover is not None
    phone = f" Du kan også ringe til hotlinen på {handover.phone}." if handover.phone else ""
    if handover.phone and handover.line is not None and handover.line.line != CITIZEN_SERVICE:
        phone = f" {_call_line_sentence(handover.line)}"
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
    registered = hotline.registered_topic_counts(since)
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

"""Every write of telemedicine support (seed 003, ch. 3, Tabel 12, l. 1872–1900): set up a landsdel's support
(its settings, the telemedicine line's regional number, the starting problem trees), open a case (from a contact on
the telemedicine line, or typed), walk the device's problem tree, forward (problem solving, Service as a
ServiceRequest, Logistics as kits' exchange task, health staff), follow up, close (only after the follow-up), record
lessons, edit the trees. Each action is one short transaction with its audit entry and a CaseEvent in the case's
history; free text is bounded and masked (CPR, phone, e-mail) before it is stored. A citizen is found by
citizen_ref within the landsdel; the case stores only the reference to consent's ProgrammeCitizen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from samvirke.audit.actions import record
from samvirke.consent.access import has_active_consent
from samvirke.consent.models import OperatorKind, ProgrammeCitizen
from samvirke.contact.models import Contact, Queue, Skill
from samvirke.core.lib.masking import bounded, mask_personal_data
from samvirke.directory.models import LineNumber, Person
from samvirke.kits.actions import KitsActionError, do_create_exchange
from samvirke.kits.models import Unit
from samvirke.telecare.models import Landsdel
from samvirke.telesupport.lib import trees
from samvirke.telesupport.lib.seed_trees import SEED_TREES
from samvirke.telesupport.models import (
    MAX_FREE_TEXT,
    CallerKind,
    CaseEvent,
    CaseState,
    DeviceKind,
    ForwardTo,
    Lesson,
    LessonState,
    Priority,
    ProblemTree,
    ServiceRequest,
    ServiceRequestState,
    SupportCase,
    SupportModel,
    TelesupportSettings,
)
from samvirke.telesupport.reference_data import TELEMEDICINE_LINE, ensure_telemedicine_queue


class SupportActionError(ValueError):
    """A write that cannot be done as asked; the message is Danish and goes to the user as it is."""


def clean_text(text: str, what: str, *, required: bool = True, limit: int = MAX_FREE_TEXT) -> str:
    cleaned = mask_personal_data(bounded(str(text or ""), limit)).strip()
    if required and not cleaned:
        raise SupportActionError(f"Skriv {what}.")
    return cleaned


def _event(case: SupportCase, actor: Person | None, kind: str, note: str = "", at: dt.datetime | None = None) -> None:
    CaseEvent.objects.create(case=case, at=at or timezone.now(), actor=actor, kind=kind, note=note[:MAX_FREE_TEXT])


# --- setting up a landsdel ----------------------------------------------------------------------------------


def do_setup_landsdel_support(
    actor: Person | None,
    landsdel: Landsdel,
    *,
    line_number: str = "",
    support_model: str = SupportModel.TECHNICAL,
) -> TelesupportSettings:
    """Idempotent: the telemedicine line's queue, the landsdel's settings, its regional number on the line (if
    given) and the seed problem trees for every device kind it has none for."""
    if support_model not in SupportModel.values:
        raise SupportActionError("Vælg en af de to supportmodeller.")
    if line_number and not (line_number.isdigit() and len(line_number) == 8):
        raise SupportActionError("Telefonnummeret skal være 8 cifre.")
    with transaction.atomic():
        ensure_telemedicine_queue(Skill, Queue)
        settings, created = TelesupportSettings.objects.get_or_create(
            landsdel=landsdel, defaults={"support_model": support_model}
        )
        if line_number:
            taken = LineNumber.objects.filter(number=line_number).exclude(
                region=landsdel.region, line=TELEMEDICINE_LINE
            )
            if taken.exists():
                raise SupportActionError(f"Nummeret {line_number} bruges allerede af en anden linje.")
            LineNumber.objects.update_or_create(
                region=landsdel.region, line=TELEMEDICINE_LINE, defaults={"number": line_number}
            )
        made = []
        for kind, data in SEED_TREES.items():
            _, new = ProblemTree.objects.get_or_create(
                landsdel=landsdel, device_kind=kind, defaults={"data": data, "updated_by": actor}
            )
            if new:
                made.append(kind)
        if created or made or line_number:
            record(
                actor,
                "telesupport.setup",
                settings,
                {"support_model": settings.support_model, "trees": made, "line_number": line_number},
            )
    return settings


def do_set_support_model(actor: Person, landsdel: Landsdel, support_model: str) -> TelesupportSettings:
    if support_model not in SupportModel.values:
        raise SupportActionError("Vælg en af de to supportmodeller.")
    with transaction.atomic():
        settings, _ = TelesupportSettings.objects.get_or_create(landsdel=landsdel)
        before = settings.support_model
        settings.support_model = support_model
        settings.save(update_fields=["support_model"])
        record(actor, "telesupport.support_model", settings, {"from": before, "to": support_model})
    return settings


# --- cases ----------------------------------------------------------------------------------------------------


def find_citizen(landsdel: Landsdel, citizen_ref: str) -> ProgrammeCitizen:
    ref = str(citizen_ref or "").strip()
    citizen = ProgrammeCitizen.objects.filter(landsdel=landsdel, citizen_ref=ref).first() if ref else None
    if citizen is None:
        raise SupportActionError(f"Der er ingen borger med referencen «{ref[:40]}» i {landsdel}.")
    return citizen


def do_open_case(
    actor: Person,
    landsdel: Landsdel,
    *,
    device_kind: str,
    description: str,
    priority: str = Priority.NORMAL,
    caller_kind: str = CallerKind.CITIZEN,
    citizen_ref: str = "",
    contact: Contact | None = None,
    unit: Unit | None = None,
    at: dt.datetime | None = None,
) -> SupportCase:
    """A case per problem: from a contact on the telemedicine line, or typed. The citizen (optional: a health
    professional may call about equipment in general) is looked up by citizen_ref in the landsdel."""
    if device_kind not in DeviceKind.values:
        raise SupportActionError("Vælg udstyret: tablet, app, vægt eller saturationsmåler.")
    if priority not in Priority.values:
        raise SupportActionError("Vælg en prioritet: kritisk, høj, normal eller lav.")
    if caller_kind not in CallerKind.values:
        raise SupportActionError("Vælg, om det er borgeren eller sundhedspersonale, der henvender sig.")
    text = clean_text(description, "en kort beskrivelse af problemet")
    citizen = find_citizen(landsdel, citizen_ref) if str(citizen_ref or "").strip() else None
    if contact is not None and contact.queue.line != TELEMEDICINE_LINE:
        raise SupportActionError("Kontakten kom ikke ind på den telemedicinske linje.")
    if unit is not None and (
        unit.landsdel_id != landsdel.pk or (citizen is not None and unit.citizen_id != citizen.pk)
    ):
        raise SupportActionError("Enheden hører ikke til borgeren i denne landsdel.")
    now = at or timezone.now()
    with transaction.atomic():
        case = SupportCase.objects.create(
            landsdel=landsdel,
            citizen=citizen,
            caller_kind=caller_kind,
            contact=contact,
            priority=priority,
            device_kind=device_kind,
            unit=unit,
            description=text,
            opened_at=now,
            opened_by=actor,
        )
        _event(case, actor, "opened", f"{case.get_priority_display()}: {text}", now)
        record(actor, "telesupport.open_case", case, {"priority": priority, "device_kind": device_kind})
    return case


def _require_open(case: SupportCase) -> None:
    if case.state == CaseState.CLOSED:
        raise SupportActionError("Sagen er lukket.")


def do_set_priority(actor: Person, case: SupportCase, priority: str) -> SupportCase:
    _require_open(case)
    if priority not in Priority.values:
        raise SupportActionError("Vælg en prioritet: kritisk, høj, normal eller lav.")
    with transaction.atomic():
        before = case.priority
        case.priority = priority
        case.save(update_fields=["priority", "priority_rank"])
        _event(case, actor, "priority", f"{before} → {priority}")
        record(actor, "telesupport.priority", case, {"from": before, "to": priority})
    return case


def tree_for(case: SupportCase) -> tuple[ProblemTree, trees.Tree]:
    row = ProblemTree.objects.filter(landsdel_id=case.landsdel_id, device_kind=case.device_kind).first()
    if row is None:
        raise SupportActionError("Der er intet problemtræ for dette udstyr i landsdelen.")
    try:
        return row, trees.parse_tree(row.data)
    except trees.TreeError as error:
        raise SupportActionError(f"Problemtræet er ugyldigt: {error}") from error


def do_walk_tree(actor: Person, case: SupportCase, answers: Sequence[str]) -> trees.WalkResult:
    """Record the answers given so far; when they reach an outcome, the outcome (its text, cause and proposed
    forward) is recorded on the case too. A wrong answer changes nothing."""
    _require_open(case)
    row, tree = tree_for(case)
    try:
        result = trees.walk(tree, list(answers))
    except trees.WalkError as error:
        raise SupportActionError(str(error)) from error
    with transaction.atomic():
        case.tree_answers = [answer.label for _, answer in result.steps]
        case.tree_version = row.version
        fields = ["tree_answers", "tree_version"]
        if isinstance(result.node, trees.Outcome):
            case.outcome_node = result.node.id
            case.outcome_text = result.node.text
            if result.node.cause:
                case.cause = result.node.cause
            fields += ["outcome_node", "outcome_text", "cause"]
            _event(case, actor, "tree_outcome", f"{' → '.join(case.tree_answers)}: {result.node.text}")
            record(actor, "telesupport.walk_tree", case, {"answers": case.tree_answers, "outcome": result.node.id})
        else:
            case.outcome_node = ""
            case.outcome_text = ""
            fields += ["outcome_node", "outcome_text"]
        case.save(update_fields=fields)
    return result


def _follow_up_days(case: SupportCase) -> int:
    settings = TelesupportSettings.objects.filter(landsdel_id=case.landsdel_id).first()
    return settings.follow_up_days if settings is not None else 2


def do_resolve(actor: Person, case: SupportCase, note: str = "", at: dt.datetime | None = None) -> SupportCase:
    """The fix worked (or the question was answered): the case goes to follow-up."""
    _require_open(case)
    text = clean_text(note, "", required=False)
    now = at or timezone.now()
    with transaction.atomic():
        case.state = CaseState.FOLLOW_UP
        case.follow_up_at = now + dt.timedelta(days=_follow_up_days(case))
        case.save(update_fields=["state", "follow_up_at"])
        _event(case, actor, "resolved", text, now)
        record(actor, "telesupport.resolve", case)
    return case


def do_forward(
    actor: Person,
    case: SupportCase,
    forward_to: str,
    note: str = "",
    *,
    unit: Unit | None = None,
    at: dt.datetime | None = None,
) -> SupportCase:
    """Forward to problem solving, Service (a ServiceRequest), Logistics (kits' exchange of the faulty unit) or the
    monitoring health staff. The case waits for follow-up."""
    _require_open(case)
    if forward_to not in ForwardTo.values:
        raise SupportActionError("Vælg, hvor sagen skal sendes hen.")
    text = clean_text(note, "", required=False)
    now = at or timezone.now()
    with transaction.atomic():
        if forward_to == ForwardTo.LOGISTICS:
            unit = unit or case.unit
            if case.citizen is None or unit is None:
                raise SupportActionError("En ombytning kræver borgeren og den enhed, der skal byttes.")
            if unit.citizen_id != case.citizen_id:
                raise SupportActionError("Enheden er ikke hos borgeren.")
            if not has_active_consent(case.citizen, OperatorKind.LOGISTICS, now):
                raise SupportActionError("Borgeren har ikke givet samtykke til logistikoperatøren; ingen ombytning.")
            reason = text or case.outcome_text or case.description
            try:
                case.exchange_task = do_create_exchange(actor, case.citizen, unit, reason[:300])
            except KitsActionError as error:
                raise SupportActionError(str(error)) from error
            case.unit = unit
        elif forward_to == ForwardTo.SERVICE:
            ServiceRequest.objects.create(
                landsdel=case.landsdel,
                case=case,
                unit=unit or case.unit,
                text=text or case.outcome_text or case.description,
                created_at=now,
                created_by=actor,
            )
        case.forwarded_to = forward_to
        case.forwarded_at = now
        case.state = CaseState.FORWARDED
        case.follow_up_at = now + dt.timedelta(days=_follow_up_days(case))
        case.save(update_fields=["forwarded_to", "forwarded_at", "state", "follow_up_at", "exchange_task", "unit"])
        _event(case, actor, "forwarded", f"{case.get_forwarded_to_display()}. {text}".strip(), now)
        record(actor, "telesupport.forward", case, {"to": forward_to})
    return case


def do_follow_up(actor: Person, case: SupportCase, note: str, at: dt.datetime | None = None) -> SupportCase:
    """The follow-up every case gets (seed 003: "Opsamling på henvendelser"): the agent checks with the caller that
    the problem is gone."""
    _require_open(case)
    text = clean_text(note, "hvad opfølgningen viste")
    now = at or timezone.now()
    with transaction.atomic():
        case.followed_up_at = now
        case.follow_up_note = text
        case.state = CaseState.FOLLOW_UP
        case.save(update_fields=["followed_up_at", "follow_up_note", "state"])
        _event(case, actor, "followed_up", text, now)
        record(actor, "telesupport.follow_up", case)
    return case


def do_close_case(actor: Person, case: SupportCase, at: dt.datetime | None = None) -> SupportCase:
    _require_open(case)
    if case.followed_up_at is None:
        raise SupportActionError("Sagen kan først lukkes, når der er fulgt op på den.")
    now = at or timezone.now()
    with transaction.atomic():
        case.state = CaseState.CLOSED
        case.closed_at = now
        case.save(update_fields=["state", "closed_at"])
        _event(case, actor, "closed", "", now)
        record(actor, "telesupport.close_case", case)
    return case


def do_record_lesson(
    actor: Person,
    landsdel: Landsdel,
    text: str,
    *,
    case: SupportCase | None = None,
    device_kind: str = "",
    proposes_tree_change: bool = False,
) -> Lesson:
    body = clean_text(text, "erfaringen")
    if device_kind and device_kind not in DeviceKind.values:
        raise SupportActionError("Ukendt udstyr.")
    if case is not None and case.landsdel_id != landsdel.pk:
        raise SupportActionError("Sagen hører til en anden landsdel.")
    with transaction.atomic():
        lesson = Lesson.objects.create(
            landsdel=landsdel,
            case=case,
            device_kind=device_kind or (case.device_kind if case else ""),
            text=body,
            proposes_tree_change=proposes_tree_change,
            created_at=timezone.now(),
            created_by=actor,
        )
        if case is not None:
            _event(case, actor, "lesson", body)
        record(actor, "telesupport.lesson", lesson, {"proposes_tree_change": proposes_tree_change})
    return lesson


def do_decide_lesson(actor: Person, lesson: Lesson, adopted: bool) -> Lesson:
    with transaction.atomic():
        lesson.state = LessonState.ADOPTED if adopted else LessonState.REJECTED
        lesson.save(update_fields=["state"])
        record(actor, "telesupport.lesson_decided", lesson, {"state": lesson.state})
    return lesson


def do_request_service(
    actor: Person, landsdel: Landsdel, text: str, *, case: SupportCase | None = None, unit: Unit | None = None
) -> ServiceRequest:
    """A request to the Service operator from the kit's status page (without forwarding a case)."""
    body = clean_text(text, "hvad Service skal gøre")
    if unit is not None and unit.landsdel_id != landsdel.pk:
        raise SupportActionError("Enheden hører til en anden landsdel.")
    with transaction.atomic():
        request = ServiceRequest.objects.create(
            landsdel=landsdel, case=case, unit=unit, text=body, created_at=timezone.now(), created_by=actor
        )
        if case is not None:
            _event(case, actor, "service_request", body)
        record(actor, "telesupport.service_request", request)
    return request


def do_answer_service_request(actor: Person, request: ServiceRequest, answer: str) -> ServiceRequest:
    body = clean_text(answer, "svaret")
    with transaction.atomic():
        request.answer = body
        request.answered_at = timezone.now()
        request.state = ServiceRequestState.DONE
        request.save(update_fields=["answer", "answered_at", "state"])
        record(actor, "telesupport.service_answer", request)
    return request


# --- trees ----------------------------------------------------------------------------------------------------


def do_save_tree(actor: Person, tree: ProblemTree, data: dict[str, Any]) -> ProblemTree:
    """A new version of the tree; an invalid one (trees.TreeError, Danish) changes nothing."""
    trees.parse_tree(data)
    with transaction.atomic():
        tree.data = data
        tree.version += 1
        tree.updated_by = actor
        tree.save(update_fields=["data", "version", "updated_by", "updated_at"])
        record(actor, "telesupport.tree_saved", tree, {"version": tree.version})
    return tree

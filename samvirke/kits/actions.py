"""Every write for devices, kits and logistics (issue 16, seed 003 ch. 3). Each action is one short transaction with
its audit entry; a refused write changes nothing, and the attempt is logged in the audit (`kits.refused`) with the
Danish reason the caller shows.

- units: ordered → received into stock → moved along the lifecycle (lib.lifecycle), each change a UnitEvent;
- kits: units bundled (a unit in at most one kit — checked, and the database's unique constraint behind it), paired;
- logistics tasks (set-up, exchange, take-down) only for a citizen whose active consent covers the logistics
  operator; due by the 12/2 working-day benchmark from the referral (lib.benchmark); the one-visit install with its
  checklist (deliver, set up, test, register, instruct — no health advice), inside the task's window, and its result
  reported back to the referrer; self-collection (the flexible concept).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from samvirke.audit.actions import record
from samvirke.consent.access import has_active_consent
from samvirke.consent.models import OperatorKind, ProgrammeCitizen
from samvirke.core.lib.masking import mask_personal_data
from samvirke.directory.models import Actor
from samvirke.kits import planner, selectors
from samvirke.kits.lib import lifecycle
from samvirke.kits.lib.benchmark import due_date
from samvirke.kits.models import (
    CHECKLIST_STEPS,
    DayPlan,
    DayPlanState,
    DayPlanStop,
    DeviceModel,
    Kit,
    KitUnit,
    LogisticsTask,
    TaskKind,
    TaskState,
    Unit,
    UnitEvent,
)
from samvirke.kits.planner import PlanningError, PlanSettings, Problem, Solution
from samvirke.telecare.models import Landsdel

ACTIVE_PLAN_STATES = (DayPlanState.QUEUED, DayPlanState.RUNNING)


class KitsActionError(ValueError):
    """A write that cannot be done as asked; the message is Danish and goes to the user as it is."""


def _refuse(actor: Actor | None, what: str, obj: Any, message: str, **details: Any) -> KitsActionError:
    """Log the refused attempt (its own short transaction, so it stays when the caller's work is undone)."""
    record(
        actor,
        "kits.refused",
        obj if obj is not None and getattr(obj, "pk", None) else None,
        {"action": what, "reason": message, **details},
    )
    return KitsActionError(message)


def _actor_obj(actor: Actor | None) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _event(actor: Actor | None, unit: Unit, before: str, note: str = "") -> UnitEvent:
    return UnitEvent.objects.create(
        unit=unit,
        at=timezone.now(),
        actor=_actor_obj(actor),
        from_status=before,
        to_status=unit.status,
        location=unit.location,
        note=mask_personal_data(note)[:300],
    )


# --- units ---------------------------------------------------------------------------------------------------


def do_order_units(
    actor: Actor | None, landsdel: Landsdel, model: DeviceModel, serials: Iterable[str], location: str = "Leverandør"
) -> list[Unit]:
    """Units bought and on their way: status "ordered". A serial already known is refused (nothing created)."""
    cleaned = [str(serial).strip() for serial in serials]
    if not cleaned or any(not serial for serial in cleaned):
        raise _refuse(actor, "order_units", None, "Angiv et serienummer for hver enhed.")
    if len(set(cleaned)) != len(cleaned):
        raise _refuse(actor, "order_units", None, "Det samme serienummer står to gange.")
    known = sorted(Unit.objects.filter(serial__in=cleaned).values_list("serial", flat=True))
    if known:
        raise _refuse(actor, "order_units", None, f"Serienummeret findes allerede: {', '.join(known)}.")
    with transaction.atomic():
        units = []
        for serial in cleaned:
            unit = Unit.objects.create(serial=serial, model=model, landsdel=landsdel, location=location)
            _event(actor, unit, "", "Bestilt")
            units.append(unit)
        record(actor, "kits.units_ordered", None, {"landsdel": landsdel.slug, "model": model.pk, "serials": cleaned})
    return units


def do_move_unit(
    actor: Actor | None,
    unit: Unit,
    to_status: str,
    location: str | None = None,
    note: str = "",
    citizen: ProgrammeCitizen | None = None,
) -> Unit:
    """Move a unit to `to_status` (and `location`); an impossible transition is refused, nothing changed, logged."""
    with transaction.atomic():
        current = Unit.objects.select_for_update().get(pk=unit.pk)
        before = current.status
        try:
            lifecycle.check_transition(before, to_status)
        except lifecycle.TransitionRefused as exc:
            error = str(exc)
        else:
            error = ""
        if not error:
            if location is not None:
                current.location = location.strip()[:200]
            if to_status in lifecycle.AT_CITIZEN:
                if citizen is not None:
                    current.citizen = citizen
            elif to_status != lifecycle.COLLECTED:
                current.citizen = None
            current.status = to_status
            current.save(update_fields=["status", "location", "citizen"])
            _event(actor, current, before, note)
            record(actor, "kits.unit_moved", current, {"from": before, "to": to_status, "location": current.location})
    if error:
        raise _refuse(actor, "move_unit", unit, error, serial=unit.serial, to=to_status)
    unit.refresh_from_db()
    return unit


def do_receive_units(actor: Actor | None, units: Iterable[Unit], location: str) -> list[Unit]:
    """Ordered units arrive in the landsdel's store: ordered → in stock (all or none)."""
    units = list(units)
    wrong = [u.serial for u in units if Unit.objects.get(pk=u.pk).status != lifecycle.ORDERED]
    if wrong:
        raise _refuse(actor, "receive_units", None, f"Kun bestilte enheder kan modtages: {', '.join(wrong)}.")
    with transaction.atomic():
        return [do_move_unit(actor, unit, lifecycle.IN_STOCK, location, "Modtaget på lager") for unit in units]


# --- kits ----------------------------------------------------------------------------------------------------


def do_build_kit(
    actor: Actor | None, landsdel: Landsdel, units: Iterable[Unit], citizen: ProgrammeCitizen | None = None
) -> Kit:
    """Bundle units into a kit. A unit already in a kit, of another landsdel, or out of service is refused."""
    units = list(units)
    if not units:
        raise _refuse(actor, "build_kit", None, "Et kit skal have mindst én enhed.")
    taken = sorted(KitUnit.objects.filter(unit__in=units).values_list("unit__serial", flat=True))
    if taken:
        raise _refuse(actor, "build_kit", None, f"Enheden er allerede i et andet kit: {', '.join(taken)}.")
    foreign = [u.serial for u in units if u.landsdel_id != landsdel.pk]
    if foreign:
        raise _refuse(actor, "build_kit", None, f"Enheden hører til en anden landsdel: {', '.join(foreign)}.")
    out = [u.serial for u in units if u.status in lifecycle.FINAL]
    if out:
        raise _refuse(actor, "build_kit", None, f"Enheden er ude af drift: {', '.join(out)}.")
    try:
        with transaction.atomic():
            kit = Kit.objects.create(landsdel=landsdel, citizen=citizen)
            for unit in units:
                KitUnit.objects.create(kit=kit, unit=unit)
            record(actor, "kits.kit_built", kit, {"units": [u.serial for u in units]})
    except IntegrityError:  # a concurrent build took one of the units first
        raise _refuse(actor, "build_kit", None, "En af enhederne blev lagt i et andet kit samtidig.") from None
    return kit


def do_pair_kit(actor: Actor | None, kit: Kit) -> Kit:
    if not kit.members.exists():
        raise _refuse(actor, "pair_kit", kit, "Et tomt kit kan ikke parres.")
    with transaction.atomic():
        Kit.objects.filter(pk=kit.pk).update(paired=True)
        record(actor, "kits.kit_paired", kit)
    kit.refresh_from_db()
    return kit


# --- logistics tasks -----------------------------------------------------------------------------------------


def _create_task(
    actor: Actor | None,
    citizen: ProgrammeCitizen,
    kind: str,
    unit: Unit | None = None,
    kit: Kit | None = None,
    reason: str = "",
) -> LogisticsTask:
    if not has_active_consent(citizen, OperatorKind.LOGISTICS):
        raise _refuse(
            actor,
            f"create_{kind}",
            citizen,
            "Borgeren har intet aktivt samtykke, der dækker logistikoperatøren; opgaven er ikke oprettet.",
        )
    now = timezone.now()
    with transaction.atomic():
        task = LogisticsTask.objects.create(
            kind=kind,
            citizen=citizen,
            landsdel_id=citizen.landsdel_id,
            unit=unit,
            kit=kit,
            reason=mask_personal_data(reason)[:300],
            urgency=citizen.urgency,
            created_at=now,
            referred_on=citizen.referred_at if kind == TaskKind.SETUP else timezone.localdate(now),
            due=due_date(citizen.referred_at if kind == TaskKind.SETUP else timezone.localdate(now), citizen.urgency),
            checklist={step: False for step, _label in CHECKLIST_STEPS} if kind == TaskKind.SETUP else {},
        )
        record(actor, f"kits.task_created.{kind}", task, {"citizen": citizen.pk, "due": task.due.isoformat()})
    return task


def do_create_setup(actor: Actor | None, citizen: ProgrammeCitizen, kit: Kit | None = None) -> LogisticsTask:
    """The set-up task for a referred citizen: due 12 (standard) / 2 (urgent) working days after the referral."""
    return _create_task(actor, citizen, TaskKind.SETUP, kit=kit)


def do_create_exchange(actor: Actor | None, citizen: ProgrammeCitizen, unit: Unit, reason: str) -> LogisticsTask:
    """An exchange of a faulty unit (telesupport calls this): the unit is marked faulty if it was not already."""
    if unit.citizen_id not in (None, citizen.pk):
        raise _refuse(actor, "create_exchange", unit, "Enheden står hos en anden borger.")
    task = _create_task(actor, citizen, TaskKind.EXCHANGE, unit=unit, reason=reason)
    if unit.status in (lifecycle.INSTALLED, lifecycle.IN_USE, lifecycle.REMOTE_FIXED):
        do_move_unit(actor, unit, lifecycle.FAULT, note=f"Ombytning: {reason}")
    return task


def do_create_takedown(actor: Actor | None, citizen: ProgrammeCitizen) -> LogisticsTask:
    return _create_task(actor, citizen, TaskKind.TAKEDOWN)


def do_set_window(actor: Actor | None, task: LogisticsTask, start: dt.datetime, end: dt.datetime) -> LogisticsTask:
    if end <= start:
        raise _refuse(actor, "set_window", task, "Tidsvinduet skal slutte efter det begynder.")
    with transaction.atomic():
        LogisticsTask.objects.filter(pk=task.pk).update(window_start=start, window_end=end)
        record(actor, "kits.task_window", task, {"start": start.isoformat(), "end": end.isoformat()})
    task.refresh_from_db()
    return task


def do_self_collect(actor: Actor | None, task: LogisticsTask) -> LogisticsTask:
    """The flexible concept: a self-reliant citizen collects the kit; no visit is planned for the task."""
    if task.kind != TaskKind.SETUP or task.state not in (TaskState.OPEN, TaskState.PLANNED):
        raise _refuse(actor, "self_collect", task, "Kun en åben opsætning kan afhentes af borgeren.")
    with transaction.atomic():
        LogisticsTask.objects.filter(pk=task.pk).update(state=TaskState.SELF_COLLECT)
        record(actor, "kits.task_self_collect", task)
    task.refresh_from_db()
    return task


def do_complete_install(
    actor: Actor | None, task: LogisticsTask, checklist: Mapping[str, bool], at: dt.datetime, result: str
) -> LogisticsTask:
    """The one-visit install: every checklist step done, the visit inside the task's window; the kit's units go
    installed at the citizen's, and the result is reported back to the referrer (recorded on the task)."""
    missing = [label for step, label in CHECKLIST_STEPS if not checklist.get(step)]
    if task.kind != TaskKind.SETUP:
        raise _refuse(actor, "complete_install", task, "Kun en opsætning afsluttes med installationstjeklisten.")
    if task.state in (TaskState.DONE, TaskState.CANCELLED):
        raise _refuse(actor, "complete_install", task, "Opgaven er allerede afsluttet.")
    if missing:
        raise _refuse(actor, "complete_install", task, f"Tjeklisten mangler: {', '.join(missing)}.")
    if task.window_start and task.window_end and not task.window_start <= at <= task.window_end:
        raise _refuse(actor, "complete_install", task, "Besøget ligger uden for opgavens tidsvindue.")
    if not has_active_consent(task.citizen, OperatorKind.LOGISTICS, at):
        raise _refuse(actor, "complete_install", task, "Borgeren har ikke længere et aktivt samtykke.")
    citizen = task.citizen
    with transaction.atomic():
        if task.kit is not None:
            for member in task.kit.members.select_related("unit"):
                unit = member.unit
                while unit.status != lifecycle.INSTALLED:
                    step = {lifecycle.IN_STOCK: lifecycle.PREPARING, lifecycle.PREPARING: lifecycle.INSTALLED}.get(
                        unit.status
                    )
                    if step is None:
                        raise _refuse(actor, "complete_install", task, f"Enheden {unit.serial} kan ikke installeres.")
                    unit = do_move_unit(actor, unit, step, "Hos borgeren", "Installation", citizen=citizen)
            Kit.objects.filter(pk=task.kit.pk).update(citizen=citizen)
        reported_to = f"{citizen.get_referrer_kind_display()}: {citizen.referrer_name}".strip(": ")
        LogisticsTask.objects.filter(pk=task.pk).update(
            state=TaskState.DONE,
            checklist={step: True for step, _label in CHECKLIST_STEPS},
            completed_at=at,
            result=mask_personal_data(result)[:500],
            result_reported_to=reported_to[:200],
            result_reported_at=timezone.now(),
        )
        record(actor, "kits.install_completed", task, {"at": at.isoformat(), "reported_to": reported_to})
    task.refresh_from_db()
    return task


# --- day plans (the solver runs in kits.tasks.plan_day, never in the request nor inside a transaction) ----------


class DayPlanAlreadyRunning(KitsActionError):
    def __init__(self, plan: DayPlan) -> None:
        super().__init__("Dagen planlægges allerede; siden viser planen, når den er færdig.")
        self.plan = plan


def do_request_day_plan(
    actor: Actor | None, landsdel: Landsdel, day: dt.date, settings: PlanSettings | None = None
) -> DayPlan:
    """Queue the day's route planning for the background worker and return at once. Refused at once (nothing
    queued) for bad settings or a landsdel without technicians; a day already being planned is not queued twice."""
    settings = settings or PlanSettings()
    try:
        settings.check()
    except PlanningError as exc:
        raise _refuse(actor, "request_day_plan", None, str(exc)) from None
    if not selectors.technicians(landsdel):
        raise _refuse(
            actor, "request_day_plan", None, "Landsdelen har ingen teknikere (brugere hos en logistikoperatør)."
        )
    with transaction.atomic():
        Landsdel.objects.select_for_update().get(pk=landsdel.pk)  # one request at a time per landsdel
        running = (
            DayPlan.objects.filter(landsdel=landsdel, date=day, state__in=ACTIVE_PLAN_STATES).order_by("-id").first()
        )
        if running is not None:
            raise DayPlanAlreadyRunning(running)
        plan = DayPlan.objects.create(
            landsdel=landsdel,
            date=day,
            requested_by=_actor_obj(actor),
            requested_at=timezone.now(),
            settings=settings.as_dict(),
        )
        record(actor, "kits.request_day_plan", plan, {"date": day.isoformat(), **settings.as_dict()})
        _enqueue_plan(plan.pk)
    return plan


def _enqueue_plan(plan_id: int) -> None:
    """As staffing's rota builds: the database backend writes the task's row in this transaction; a backend that
    runs the task at once (TASKS_BACKEND=immediate) runs it after the commit, outside the transaction."""
    from django_tasks_db import DatabaseBackend

    from samvirke.kits.tasks import plan_day  # tasks imports this module

    if isinstance(plan_day.get_backend(), DatabaseBackend):
        plan_day.enqueue(plan_id)
    else:
        transaction.on_commit(lambda: plan_day.enqueue(plan_id))


def do_start_day_plan(plan_id: int) -> DayPlan | None:
    """The worker claims a queued plan (→ running); None when there is nothing to run."""
    with transaction.atomic():
        plan = DayPlan.objects.select_for_update().filter(pk=plan_id, state=DayPlanState.QUEUED).first()
        if plan is None:
            return None
        plan.state = DayPlanState.RUNNING
        plan.save(update_fields=["state"])
    return plan


def do_fail_day_plan(plan_id: int, reason: str) -> None:
    with transaction.atomic():
        updated = DayPlan.objects.filter(pk=plan_id, state__in=ACTIVE_PLAN_STATES).update(
            state=DayPlanState.FAILED, error=reason[:300], finished_at=timezone.now()
        )
        if updated:
            record(None, "kits.day_plan_failed", DayPlan.objects.get(pk=plan_id), {"reason": reason[:300]})


def do_save_day_plan(plan_id: int, problem: Problem, solution: Solution) -> DayPlan | None:
    """Write the solved plan in one short transaction: a stop per visit (technician, order, arrival, departure),
    the tasks planned with their technician, the unplanned visits with why. The tasks are read again here: what
    changed since the planner's read is listed on the plan (`changes`), and a task no longer open gets no stop."""
    with transaction.atomic():
        plan = DayPlan.objects.select_for_update().select_related("landsdel").filter(pk=plan_id).first()
        if plan is None or plan.state != DayPlanState.RUNNING:
            return None
        now_tasks = selectors.planning_tasks(plan.landsdel, plan.date)
        changes = selectors.changed_tasks(problem.tasks, now_tasks)
        still_open = {t.task_id for t in now_tasks}
        for route in solution.plan.routes:
            technician_id = int(route.technician_key)
            sequence = 0
            for stop in route.stops:
                task_id = int(stop.visit_key)
                if task_id not in still_open:
                    continue
                sequence += 1
                DayPlanStop.objects.create(
                    plan=plan,
                    technician_id=technician_id,
                    task_id=task_id,
                    sequence=sequence,
                    arrival=planner.moment_of(plan.date, stop.start),
                    departure=planner.moment_of(plan.date, stop.departure),
                    travel_seconds=stop.travel_seconds,
                )
                LogisticsTask.objects.filter(pk=task_id).update(state=TaskState.PLANNED, technician_id=technician_id)
        plan.state = DayPlanState.DONE
        plan.finished_at = timezone.now()
        plan.solver_status = solution.plan.status[:60]
        plan.travel_seconds = solution.plan.travel_seconds
        plan.baseline_travel_seconds = solution.baseline.travel_seconds
        plan.unplanned = [{"task": int(u.visit_key), "reason": u.reason} for u in solution.unplanned]
        plan.changes = changes
        plan.save()
        record(
            plan.requested_by,
            "kits.day_plan_saved",
            plan,
            {
                "date": plan.date.isoformat(),
                "stops": plan.stops.count(),
                "unplanned": len(plan.unplanned),
                "changes": len(changes),
                "travel_seconds": plan.travel_seconds,
                "baseline_travel_seconds": plan.baseline_travel_seconds,
            },
        )
    return plan

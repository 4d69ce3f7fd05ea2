"""Writes in staffing: request a week's rota build, the background build's progress and result, publish a rota,
move a shift to another member (directly by the secretariat; a coordinator asks, and the other member's
coordinator or the secretariat accepts or declines). Each in one short transaction, each audited.

A build computes for up to its time limit (forecast → Erlang → CP-SAT → simulation, staffing/builder.py) outside
any transaction; only what it found is written, in `do_save_rota`'s one short transaction. On SQLite a transaction
holds the write lock, so a long one would keep the telephony events waiting (issue 11).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from samvirke.audit.actions import record
from samvirke.core.lib.formatting import number_da
from samvirke.directory.access import acting_person
from samvirke.directory.models import Actor, Fellesskab, Membership, MembershipStatus, Municipality, Person, Role
from samvirke.staffing.builder import (
    PlannedRota,
    RotaSettings,
    StaffingError,
    check_buildable,
    plan_rota,
)
from samvirke.staffing.lib import builds
from samvirke.staffing.lib.planning import monday_of
from samvirke.staffing.models import (
    BuildState,
    Rota,
    RotaBuild,
    RotaStatus,
    Shift,
    SwapRequest,
    SwapRequestState,
)

__all__ = [
    "BuildAlreadyRunning",
    "BuildAbandoned",
    "RotaSettings",
    "StaffingError",
    "SwapResult",
    "do_advance_rota_build",
    "do_build_rota",
    "do_expire_stalled_builds",
    "do_fail_rota_build",
    "do_publish_rota",
    "do_request_rota_build",
    "do_save_rota",
    "do_start_rota_build",
    "do_accept_swap_request",
    "do_decline_swap_request",
    "do_request_swap",
    "do_swap_shift",
]


class BuildAlreadyRunning(StaffingError):
    """A build of the week is already queued or running: `build` is that one."""

    def __init__(self, build: RotaBuild) -> None:
        self.build = build
        super().__init__(running_sentence(build))


class BuildAbandoned(Exception):
    """The build is no longer active (marked failed as stalled while it ran): its result must not be written."""


def _week_name(week_start: dt.date) -> str:
    return f"uge {week_start.isocalendar()[1]}"


def person_name(person: Person | None) -> str:
    if person is None:
        return "systemet"
    return str(person.get_full_name() or person.get_username())


def running_sentence(build: RotaBuild) -> str:
    """ "En opbygning af uge 51 er allerede i gang, startet af Sekretariat kl. 10.31." """
    when = timezone.localtime(build.requested_at)
    return (
        f"En opbygning af {_week_name(build.week_start)} er allerede i gang, startet af "
        f"{person_name(build.requested_by)} kl. {when:%H.%M}."
    )


def _published_refusal(week_start: dt.date) -> StaffingError:
    return StaffingError(
        f"Vagtplanen for {_week_name(week_start)} er offentliggjort og kan ikke bygges om. Byt vagter i stedet."
    )


def do_expire_stalled_builds(fellesskab: Fellesskab, week_start: dt.date, now: dt.datetime | None = None) -> int:
    """Mark the week's active builds that are past their deadline (lib/builds.py) as failed, with the Danish
    reason: a worker that died must not block the week for good. Returns how many."""
    now = now or timezone.now()
    expired = 0
    with transaction.atomic():
        for build in RotaBuild.objects.select_for_update().filter(
            fellesskab=fellesskab, week_start=week_start, state__in=builds.ACTIVE
        ):
            reason = builds.stalled_reason(build.state, build.requested_at, build.phase_since,
                                           build.time_limit_seconds, now)  # fmt: skip
            if reason is not None:
                _fail(build, reason, now)
                expired += 1
    return expired


def do_request_rota_build(
    actor: Actor | None, fellesskab: Fellesskab, day: dt.date, settings: RotaSettings, now: dt.datetime | None = None
) -> RotaBuild:
    """Queue a build of the rota for the week of `day` for the background worker, and return at once. Refuses a
    week whose rota is published (StaffingError) and a week that already has a build queued or running
    (BuildAlreadyRunning, saying who started it), so a double click or two secretaries start one build."""
    now = now or timezone.now()
    week_start = monday_of(day)
    check_buildable(fellesskab, week_start)  # opening hours, members: refused at once, not after a queue
    do_expire_stalled_builds(fellesskab, week_start, now)
    with transaction.atomic():
        if Rota.objects.filter(fellesskab=fellesskab, week_start=week_start, status=RotaStatus.PUBLISHED).exists():
            raise _published_refusal(week_start)
        running = _active_build(fellesskab, week_start)
        if running is not None:
            raise BuildAlreadyRunning(running)
        try:
            # A savepoint: on PostgreSQL two requests can both find no active build; the partial unique constraint
            # lets one insert, and the other is told who was first.
            with transaction.atomic():
                build = RotaBuild.objects.create(
                    fellesskab=fellesskab,
                    week_start=week_start,
                    requested_by=acting_person(actor),
                    requested_at=now,
                    settings=settings.as_dict(),
                )
        except IntegrityError:
            running = _active_build(fellesskab, week_start)
            if running is None:
                raise
            raise BuildAlreadyRunning(running) from None
        record(actor, "staffing.request_rota_build", build, {"week": week_start.isoformat(), **settings.as_dict()})
        _enqueue(build.pk)
    return build


def _active_build(fellesskab: Fellesskab, week_start: dt.date) -> RotaBuild | None:
    return (
        RotaBuild.objects.filter(fellesskab=fellesskab, week_start=week_start, state__in=builds.ACTIVE)
        .select_related("requested_by")
        .first()
    )


def _enqueue(build_id: int) -> None:
    """Hand the build to the background worker. With the database backend the task's row is written in this
    transaction, so the build and its task exist together or not at all; a backend that runs the task at once
    (TASKS_BACKEND=immediate) runs it after the commit, outside this transaction."""
    from django_tasks_db import DatabaseBackend

    from samvirke.staffing.tasks import build_rota  # tasks imports this module

    if isinstance(build_rota.get_backend(), DatabaseBackend):
        build_rota.enqueue(build_id)
    else:
        transaction.on_commit(lambda: build_rota.enqueue(build_id))


def do_start_rota_build(build_id: int, now: dt.datetime | None = None) -> RotaBuild | None:
    """The worker claims a queued build (→ forecasting). None if there is nothing to run: the build is gone, ran
    already (a task delivered twice), or waited past its deadline (then it is marked failed here)."""
    now = now or timezone.now()
    with transaction.atomic():
        build = (
            RotaBuild.objects.select_for_update(of=("self",))
            .filter(pk=build_id)
            .select_related("fellesskab", "requested_by")
            .first()
        )
        if build is None or build.state != BuildState.QUEUED:
            return None
        reason = builds.stalled_reason(build.state, build.requested_at, None, build.time_limit_seconds, now)
        if reason is not None:
            _fail(build, reason, now)
            return None
        build.state = BuildState.FORECASTING
        build.started_at = build.phase_since = now
        build.save(update_fields=["state", "started_at", "phase_since"])
    return build


def do_advance_rota_build(build_id: int, state: str, now: dt.datetime | None = None) -> None:
    """The worker reports the next phase (one UPDATE). Raises BuildAbandoned if the build is no longer active."""
    if state not in builds.ACTIVE:
        raise ValueError(f"not a running phase: {state!r}")
    changed = RotaBuild.objects.filter(pk=build_id, state__in=builds.ACTIVE).update(
        state=state, phase_since=now or timezone.now()
    )
    if not changed:
        raise BuildAbandoned(build_id)


def do_fail_rota_build(build_id: int, reason: str, now: dt.datetime | None = None) -> None:
    """Mark a build failed with a Danish reason (a build that already ended stays as it ended)."""
    with transaction.atomic():
        build = RotaBuild.objects.select_for_update().filter(pk=build_id, state__in=builds.ACTIVE).first()
        if build is not None:
            _fail(build, reason, now or timezone.now())


def _fail(build: RotaBuild, reason: str, now: dt.datetime) -> None:
    build.failed_in = build.state
    build.state = BuildState.FAILED
    build.failure = reason[:500]
    build.finished_at = now
    build.save(update_fields=["state", "failed_in", "failure", "finished_at"])
    record(None, "staffing.rota_build_failed", build, {"week": build.week_start.isoformat(), "reason": reason})


def do_save_rota(
    actor: Actor | None,
    plan: PlannedRota,
    build: RotaBuild | None = None,
    publish: bool = False,
    now: dt.datetime | None = None,
) -> Rota:
    """Write a computed rota in one short transaction: create the week's rota (or replace a draft and its shifts),
    mark `build` done, and with `publish` publish it at once. Refuses a week that was published meanwhile
    (StaffingError), and a build that is no longer active (BuildAbandoned)."""
    now = now or timezone.now()
    with transaction.atomic():
        if build is not None:
            locked = RotaBuild.objects.select_for_update().get(pk=build.pk)
            if locked.state not in builds.ACTIVE:
                raise BuildAbandoned(build.pk)
        existing = (
            Rota.objects.select_for_update()
            .filter(fellesskab_id=plan.fellesskab_id, week_start=plan.week_start)
            .first()
        )
        if existing is not None and existing.status == RotaStatus.PUBLISHED:
            raise StaffingError(
                f"Vagtplanen for {_week_name(plan.week_start)} blev offentliggjort, mens den blev bygget, og er ikke "
                "bygget om. Byt vagter i stedet."
            )
        created_by = acting_person(actor)
        if existing is None:
            rota = Rota.objects.create(
                fellesskab_id=plan.fellesskab_id, week_start=plan.week_start, created_by=created_by, **plan.fields
            )
        else:
            rota = existing
            for name, value in plan.fields.items():
                setattr(rota, name, value)
            rota.created_by = created_by
            rota.save()
            rota.shifts.all().delete()
        Shift.objects.bulk_create(
            Shift(
                rota=rota,
                municipality_id=shift.municipality_id,
                agent_id=shift.agent_id,
                starts_at=shift.starts_at,
                ends_at=shift.ends_at,
                evening=shift.evening,
            )
            for shift in plan.shifts
        )
        details: dict[str, int | str] = {"shifts": len(plan.shifts), "status": plan.status}
        if build is not None:
            details["build"] = build.pk
            RotaBuild.objects.filter(pk=build.pk).update(
                state=BuildState.DONE, finished_at=now, phase_since=now, rota=rota
            )
        record(actor, "staffing.build_rota", rota, details)
        if publish:
            rota.status = RotaStatus.PUBLISHED
            rota.save(update_fields=["status"])
            record(actor, "staffing.publish_rota", rota)
    return rota


def do_build_rota(
    actor: Actor | None,
    fellesskab: Fellesskab,
    day: dt.date,
    settings: RotaSettings,
    today: dt.date | None = None,
    publish: bool = False,
) -> Rota:
    """Build (or rebuild, while it is a draft) the rota for the week of `day` here and now, without the background
    worker (seed-demo, tests): computed outside any transaction, written in one short one. `today` (default: the
    local date) ends the contact history the forecast learns from. The web page queues a build instead
    (`do_request_rota_build`)."""
    week_start = monday_of(day)
    if Rota.objects.filter(fellesskab=fellesskab, week_start=week_start, status=RotaStatus.PUBLISHED).exists():
        raise _published_refusal(week_start)  # before the solver's half minute, not after it
    plan = plan_rota(fellesskab, week_start, settings, today or timezone.localdate())
    return do_save_rota(actor, plan, publish=publish)


@transaction.atomic
def do_publish_rota(actor: Actor | None, rota: Rota) -> Rota:
    """Publish a draft. Refused while a build of the week is queued or running: it would replace the draft being
    published (or fail because the week was published under it)."""
    locked = Rota.objects.select_for_update().get(pk=rota.pk)
    if locked.status == RotaStatus.PUBLISHED:
        return locked
    running = _active_build(locked.fellesskab, locked.week_start)
    if (
        running is not None
        and builds.stalled_reason(
            running.state, running.requested_at, running.phase_since, running.time_limit_seconds, timezone.now()
        )
        is None
    ):
        raise StaffingError(f"{running_sentence(running)} Offentliggør vagtplanen, når opbygningen er færdig.")
    locked.status = RotaStatus.PUBLISHED
    locked.save(update_fields=["status"])
    record(actor, "staffing.publish_rota", locked)
    return locked


@dataclass(frozen=True)
class SwapResult:
    """The shifts that changed hands (each now with its receiving member and agent, or none) and warnings in
    Danish, e.g. a member that ends up outside its weekly band."""

    shifts: tuple[Shift, ...]
    warnings: tuple[str, ...]


def _is_active_member(rota: Rota, municipality: Municipality) -> bool:
    return (
        Membership.objects.filter(fellesskab=rota.fellesskab, municipality=municipality)
        .exclude(status__in=[MembershipStatus.PROSPECTIVE, MembershipStatus.LEFT])
        .exists()
    )


def _overlapping(agent: Person, shift: Shift, moving: list[int]) -> Shift | None:
    """The agent's other shift (in any week) that overlaps `shift`, leaving out the shifts being moved."""
    return (
        Shift.objects.filter(agent=agent, starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at)
        .exclude(pk__in=moving)
        .first()
    )


def _free_agent(shift: Shift, moving: list[int], taken: list[tuple[Person, Shift]]) -> Person | None:
    """One of the receiving member's agents who is free for the whole shift: the one with the fewest hours in
    the week so far (ties by username), as the rota builder hands out shifts; None if nobody is free."""
    candidates = Person.objects.filter(municipality_id=shift.municipality_id, role=Role.AGENT, is_active=True)
    hours: dict[int, float] = {}
    for agent_id, starts_at, ends_at in (
        Shift.objects.filter(rota_id=shift.rota_id, agent__in=candidates)
        .exclude(pk__in=moving)
        .values_list("agent_id", "starts_at", "ends_at")
    ):
        hours[agent_id] = hours.get(agent_id, 0.0) + (ends_at - starts_at).total_seconds() / 3600
    free = [
        agent
        for agent in candidates
        if _overlapping(agent, shift, moving) is None
        and not any(a.pk == agent.pk and s.starts_at < shift.ends_at and s.ends_at > shift.starts_at for a, s in taken)
    ]
    return min(free, key=lambda a: (hours.get(a.pk, 0.0), a.username), default=None)


def _band_warnings(rota: Rota, municipalities: list[Municipality]) -> list[str]:
    """A sentence per member whose scheduled hours in the week now fall outside its band (from the rota's
    report, so the same band the page shows)."""
    bands = {row["kommunekode"]: row for row in rota.report.get("members", [])}
    warnings = []
    for municipality in municipalities:
        band = bands.get(municipality.code)
        if band is None:
            continue
        hours = sum(s.hours for s in rota.shifts.filter(municipality=municipality))
        if not band["band_min"] - 1e-9 <= hours <= band["band_max"] + 1e-9:
            warnings.append(
                f"{municipality.name} har nu {number_da(hours, 1)} timer i ugen, uden for båndet "
                f"{band['band_min']:.0f}–{band['band_max']:.0f} timer."
            )
    return warnings


@transaction.atomic
def do_swap_shift(
    actor: Actor | None,
    shift_id: int,
    to: Municipality,
    other_shift_id: int | None = None,
    taker: Person | None = None,
) -> SwapResult:
    """Swap shifts between two members of the same week: `shift` goes to `to`, and — in an exchange — `to`'s
    `other_shift` comes back. Without `other_shift_id` it is a one-way hand-over. Each moved shift gets one of
    its receiving member's agents who is free then (`taker`, if given, takes the shift that comes back), or
    none ("ikke fordelt"). Warns when a member ends up outside its weekly band; refuses only what would give
    one agent two shifts at once. The hour balances follow from the shifts.

    Changes the other member's rota without asking it: for the secretariat, and for an accepted SwapRequest
    (a coordinator's view calls do_request_swap instead)."""
    return _swap_shift(actor, shift_id, to, other_shift_id, taker)


def _swap_shift(
    actor: Actor | None, shift_id: int, to: Municipality, other_shift_id: int | None, taker: Person | None
) -> SwapResult:
    shift = Shift.objects.select_for_update().select_related("rota", "municipality").filter(pk=shift_id).first()
    if shift is None:
        raise StaffingError("Vagten findes ikke.")
    rota = shift.rota
    if not _is_active_member(rota, to):
        raise StaffingError(f"{to.name} er ikke aktivt medlem og kan ikke overtage vagter.")
    if shift.municipality_id == to.pk:
        raise StaffingError(f"Vagten er allerede {to.name}s.")
    giver = shift.municipality
    other = None
    if other_shift_id is not None:
        other = Shift.objects.select_for_update().filter(pk=other_shift_id, rota=rota, municipality=to).first()
        if other is None:
            raise StaffingError(f"Den anden vagt findes ikke blandt {to.name}s vagter i samme uge.")
    elif taker is not None:
        raise StaffingError("Der er ingen vagt at give en agent, når vagten kun overdrages.")
    if taker is not None and (taker.municipality_id != giver.pk or taker.role != Role.AGENT or not taker.is_active):
        raise StaffingError(f"{taker.get_full_name() or taker.username} er ikke agent i {giver.name}.")

    moving = [shift.pk] + ([other.pk] if other else [])
    previous = {s.pk: s.agent_id for s in [shift, other] if s is not None}
    taken: list[tuple[Person, Shift]] = []
    shift.municipality = to
    shift.agent = _free_agent(shift, moving, taken)
    if shift.agent is not None:
        taken.append((shift.agent, shift))
    if other is not None:
        other.municipality = giver
        if taker is not None:
            clash = _overlapping(taker, other, moving)
            if clash is not None or any(a.pk == taker.pk for a, _ in taken):
                raise StaffingError(
                    f"{taker.get_full_name() or taker.username} har allerede en vagt på det tidspunkt; "
                    "vælg en anden agent eller lad Samvirke finde en ledig."
                )
            other.agent = taker
        else:
            other.agent = _free_agent(other, moving, taken)
    moved = [s for s in (shift, other) if s is not None]
    for moved_shift in moved:
        moved_shift.save(update_fields=["municipality", "agent"])
    warnings = _band_warnings(rota, [giver, to])
    record(
        actor,
        "staffing.swap_shift",
        shift,
        {
            "from": giver.code,
            "to": to.code,
            "exchanged_for": other.pk if other else None,
            "agents": {str(s.pk): [previous[s.pk], s.agent_id] for s in moved},
            "warnings": warnings,
        },
    )
    return SwapResult(tuple(moved), tuple(warnings))


# --- swap requests: a coordinator asks, the other member answers ----------------------------------------------


def _request_details(request: SwapRequest) -> dict[str, int | None]:
    return {
        "from": request.from_municipality.code,
        "to": request.to_municipality.code,
        "shift": request.shift_id,
        "exchanged_for": request.other_shift_id,
        "taker": request.taker_id,
    }


def do_request_swap(
    actor: Actor | None,
    shift_id: int,
    to: Municipality,
    other_shift_id: int | None = None,
    taker: Person | None = None,
) -> SwapRequest:
    """Ask `to` to take `shift` (and, in an exchange, to give `other_shift` back): the rota is not changed.

    The swap is tried in a savepoint and rolled back, so a request that could not be carried out now (an
    unknown shift, a busy agent, a member that has left) is refused with the same Danish sentence as a direct
    swap. Raises StaffingError; one request per shift may wait at a time."""
    with transaction.atomic():
        savepoint = transaction.savepoint()
        try:
            _swap_shift(actor, shift_id, to, other_shift_id, taker)
        finally:
            transaction.savepoint_rollback(savepoint)
        shift = Shift.objects.select_related("municipality").get(pk=shift_id)
        other = Shift.objects.get(pk=other_shift_id) if other_shift_id is not None else None
        waiting = SwapRequest.objects.filter(state=SwapRequestState.PENDING).filter(
            models.Q(shift__in=[s for s in (shift, other) if s is not None])
            | models.Q(other_shift__in=[s for s in (shift, other) if s is not None])
        )
        if waiting.exists():
            raise StaffingError("Der venter allerede en anmodning om en af vagterne; vent på svaret på den først.")
        request = SwapRequest.objects.create(
            rota=shift.rota,
            from_municipality=shift.municipality,
            to_municipality=to,
            shift=shift,
            shift_agent_id=shift.agent_id,
            other_shift=other,
            other_shift_agent_id=other.agent_id if other is not None else None,
            taker=taker,
            requested_by=acting_person(actor),
        )
        record(actor, "staffing.swap_requested", request, _request_details(request))
    return request


def _pending_request(request_id: int) -> SwapRequest:
    request = (
        SwapRequest.objects.select_for_update()
        .select_related("from_municipality", "to_municipality")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise StaffingError("Anmodningen findes ikke.")
    if request.state != SwapRequestState.PENDING:
        raise StaffingError(f"Anmodningen er allerede {request.get_state_display()}.")
    return request


def _still_as_requested(request: SwapRequest) -> bool:
    shifts = {
        s.pk: s for s in Shift.objects.select_for_update().filter(pk__in=[request.shift_id, request.other_shift_id])
    }
    shift = shifts.get(request.shift_id)
    if shift is None or (shift.municipality_id, shift.agent_id) != (
        request.from_municipality_id,
        request.shift_agent_id,
    ):
        return False
    if request.other_shift_id is None:
        return True
    other = shifts.get(request.other_shift_id)
    return other is not None and (other.municipality_id, other.agent_id) == (
        request.to_municipality_id,
        request.other_shift_agent_id,
    )


def do_accept_swap_request(actor: Actor | None, request_id: int) -> SwapResult:
    """Carry out a waiting request, in one short transaction, if its shifts are still as they were when it was
    made (member and agent); otherwise the request is marked stale and a StaffingError says so. A swap that can
    no longer be done (an agent became busy) raises StaffingError and leaves the request waiting."""
    with transaction.atomic():
        request = _pending_request(request_id)
        stale = not _still_as_requested(request)
        if stale:
            request.state = SwapRequestState.STALE
        else:
            result = _swap_shift(
                actor, request.shift_id, request.to_municipality, request.other_shift_id, request.taker
            )
            request.state = SwapRequestState.ACCEPTED
        request.decided_by = acting_person(actor)
        request.decided_at = timezone.now()
        request.save(update_fields=["state", "decided_by", "decided_at"])
        record(
            actor,
            "staffing.swap_request_stale" if stale else "staffing.swap_request_accepted",
            request,
            _request_details(request),
        )
    if stale:
        raise StaffingError(
            "Vagterne er ændret, siden anmodningen blev sendt, så den kan ikke gennemføres som aftalt. "
            f"{request.from_municipality.name} kan sende en ny."
        )
    return result


@transaction.atomic
def do_decline_swap_request(actor: Actor | None, request_id: int) -> SwapRequest:
    """Decline a waiting request: the rota stays as it is."""
    request = _pending_request(request_id)
    request.state = SwapRequestState.DECLINED
    request.decided_by = acting_person(actor)
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decided_by", "decided_at"])
    record(actor, "staffing.swap_request_declined", request, _request_details(request))
    return request

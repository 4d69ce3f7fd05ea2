"""Background work in staffing, run by `samvirke db_worker` (django-tasks): a week's rota build.

The web request only queues the build (actions.do_request_rota_build); here the worker claims it, computes the
rota outside any transaction (builder.plan_rota: forecast, Erlang, CP-SAT, simulation), reporting each phase, and
writes the result in one short transaction (actions.do_save_rota). Whatever goes wrong ends the build as failed
with a Danish reason, never as "running" for good; a worker killed outright is caught by the phase deadlines in
lib/builds.py.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from samvirke.staffing import actions
from samvirke.staffing.builder import RotaSettings, StaffingError, plan_rota

logger = logging.getLogger(__name__)

INTERNAL_FAILURE = (
    "Opbygningen stoppede med en intern fejl ({name}); intet er gemt. Prøv igen, og giv driften besked, hvis det "
    "sker igen."
)


@task()
def build_rota(build_id: int) -> str:
    """Run the queued build `build_id`; returns a line for the task's result."""
    return run_rota_build(build_id)


def run_rota_build(build_id: int) -> str:
    build = actions.do_start_rota_build(build_id)
    if build is None:
        return f"build {build_id}: nothing to run"
    try:
        plan = plan_rota(
            build.fellesskab,
            build.week_start,
            RotaSettings.from_dict(build.settings),
            # The history the forecast learns from ends the day the build was asked for, as if built then.
            timezone.localdate(build.requested_at),
            on_phase=lambda state: actions.do_advance_rota_build(build_id, state),
        )
        rota = actions.do_save_rota(build.requested_by, plan, build=build)
    except actions.BuildAbandoned:
        logger.warning("Rota build %s was given up (marked failed) while it ran; its result is not saved", build_id)
        return f"build {build_id}: given up"
    except StaffingError as exc:
        actions.do_fail_rota_build(build_id, str(exc))
        return f"build {build_id}: failed: {exc}"
    except Exception as exc:
        actions.do_fail_rota_build(build_id, INTERNAL_FAILURE.format(name=type(exc).__name__))
        raise  # the worker records the traceback with the task's result
    return f"build {build_id}: rota {rota.pk} with {len(plan.shifts)} shifts ({plan.status})"

"""Background work in kits, run by `samvirke db_worker` (django-tasks): a landsdel's day plan.

The request only queues the plan (actions.do_request_day_plan). Here the worker claims it (→ running), reads the
day's visits and the technicians in one short read (planner.gather), solves the routes outside any transaction
(planner.solve: OR-Tools and the nearest-neighbour baseline), and writes the plan in one short transaction
(actions.do_save_day_plan, which also notes the tasks that changed meanwhile). Whatever goes wrong ends the plan as
failed with a Danish reason, never as "running" for good.
"""

from __future__ import annotations

import logging

from django_tasks import task

from samvirke.kits import actions, planner

logger = logging.getLogger(__name__)

INTERNAL_FAILURE = "Planlægningen stoppede med en intern fejl ({name}); intet er gemt. Prøv igen."


@task()
def plan_day(plan_id: int) -> str:
    """Run the queued day plan `plan_id`; returns a line for the task's result."""
    return run_day_plan(plan_id)


def run_day_plan(plan_id: int) -> str:
    plan = actions.do_start_day_plan(plan_id)
    if plan is None:
        return f"day plan {plan_id}: nothing to run"
    try:
        settings = planner.PlanSettings.from_dict(plan.settings)
        problem = planner.gather(plan.landsdel, plan.date, settings)
        solution = planner.solve(problem)
        saved = actions.do_save_day_plan(plan_id, problem, solution)
    except planner.PlanningError as exc:
        actions.do_fail_day_plan(plan_id, str(exc))
        return f"day plan {plan_id}: failed: {exc}"
    except Exception as exc:
        actions.do_fail_day_plan(plan_id, INTERNAL_FAILURE.format(name=type(exc).__name__))
        raise
    if saved is None:
        return f"day plan {plan_id}: given up while it ran"
    return f"day plan {plan_id}: {solution.plan.planned} visits planned, {len(solution.unplanned)} not"

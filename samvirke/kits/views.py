"""The kits pages: stock with reorder warnings, the tasks with their benchmark state, a task's one-visit checklist,
a unit's timeline and move form, the day plan (queued for the background worker, polled, printable). Thin: access
decides, selectors read, actions write. A citizen's name and address come only through consent.disclosure
(each look-up logged); lists show the pseudonymous reference."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from samvirke.consent.disclosure import DisclosureRefused, disclose
from samvirke.consent.models import ProgrammeCitizen
from samvirke.directory.models import Actor
from samvirke.kits import access, actions, selectors
from samvirke.kits.forms import ChecklistForm, MoveForm, PlanForm
from samvirke.kits.lib import lifecycle
from samvirke.kits.models import CHECKLIST_STEPS, DayPlanState, TaskKind, TaskState
from samvirke.kits.planner import PlanSettings

VISIT_FIELDS = ("name", "address", "postcode", "city", "phone")


def _visit_card(user: Actor, citizen: ProgrammeCitizen, purpose: str) -> dict[str, Any]:
    """Who and where, through consent's disclosure (logged); a refusal is shown, not raised."""
    try:
        return {"ok": True, **disclose(user, citizen, VISIT_FIELDS, purpose)}
    except DisclosureRefused as exc:
        return {"ok": False, "refused": str(exc)}


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = access.require_kits(request.user)
    landsdele = list(access.visible_landsdele(user))
    if len(landsdele) == 1:
        return redirect("kits:stock", slug=landsdele[0].slug)
    return render(request, "kits/index.html", {"landsdele": landsdele})


@login_required
@require_GET
def stock(request: HttpRequest, slug: str) -> HttpResponse:
    landsdel = access.access_landsdel(request.user, slug)
    rows = selectors.stock(landsdel)
    return render(
        request,
        "kits/stock.html",
        {
            "landsdel": landsdel,
            "rows": rows,
            "warnings": [row for row in rows if row.reorder],
            "units": selectors.units(landsdel),
            "can_work": access.can_work(request.user, landsdel),
        },
    )


@login_required
@require_GET
def tasks(request: HttpRequest, slug: str) -> HttpResponse:
    landsdel = access.access_landsdel(request.user, slug)
    include_done = request.GET.get("alle") == "1"
    return render(
        request,
        "kits/tasks.html",
        {
            "landsdel": landsdel,
            "rows": selectors.tasks(landsdel, timezone.now(), include_done),
            "include_done": include_done,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.access_task(request.user, pk)
    can_work = access.can_work(request.user, found.landsdel)
    form = ChecklistForm(initial={"visited_at": timezone.localtime().replace(second=0, microsecond=0)})
    status = 200
    if request.method == "POST":
        person = access.require_work(request.user, found.landsdel)
        form = ChecklistForm(request.POST)
        if form.is_valid():
            try:
                actions.do_complete_install(
                    person, found, form.steps(), form.cleaned_data["visited_at"], form.cleaned_data["result"]
                )
            except actions.KitsActionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Installationen er registreret, og resultatet er meldt til henviseren.")
                return redirect("kits:task", pk=found.pk)
        status = 400
    card = _visit_card(request.user, found.citizen, f"Logistikopgave {found.pk}: besøg hos borgeren")
    return render(
        request,
        "kits/task.html",
        {
            "task": found,
            "benchmark": selectors.task_benchmark(found, timezone.now()),
            "card": card,
            "form": form,
            "steps": CHECKLIST_STEPS,
            "can_complete": can_work
            and found.kind == TaskKind.SETUP
            and found.state in (TaskState.OPEN, TaskState.PLANNED),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.access_unit(request.user, pk)
    form = MoveForm(initial={"location": found.location})
    status = 200
    if request.method == "POST":
        person = access.require_work(request.user, found.landsdel)
        form = MoveForm(request.POST)
        if form.is_valid():
            try:
                actions.do_move_unit(
                    person,
                    found,
                    form.cleaned_data["to_status"],
                    form.cleaned_data["location"],
                    form.cleaned_data["note"],
                )
            except actions.KitsActionError as exc:
                form.add_error("to_status", str(exc))
            else:
                messages.success(request, "Enheden er flyttet.")
                return redirect("kits:unit", pk=found.pk)
        status = 400
        found.refresh_from_db()
    return render(
        request,
        "kits/unit.html",
        {
            "unit": found,
            "status_label": lifecycle.STATUS_LABELS[found.status],
            "next_labels": [
                lifecycle.STATUS_LABELS[s] for s in lifecycle.STATUSES if s in lifecycle.TRANSITIONS[found.status]
            ],
            "events": selectors.unit_timeline(found),
            "labels": lifecycle.STATUS_LABELS,
            "form": form,
            "can_work": access.can_work(request.user, found.landsdel),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def day_plans(request: HttpRequest, slug: str) -> HttpResponse:
    landsdel = access.access_landsdel(request.user, slug)
    form = PlanForm(initial={"date": timezone.localdate()})
    status = 200
    if request.method == "POST":
        person = access.require_work(request.user, landsdel)
        form = PlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            settings = PlanSettings(
                shift_start=data["shift_start"].strftime("%H:%M"),
                shift_end=data["shift_end"].strftime("%H:%M"),
                avg_speed_kmh=data["avg_speed_kmh"],
                depot_latitude=data["depot_latitude"],
                depot_longitude=data["depot_longitude"],
            )
            try:
                plan = actions.do_request_day_plan(person, landsdel, data["date"], settings)
            except actions.DayPlanAlreadyRunning as exc:
                messages.warning(request, str(exc))
                return redirect("kits:day_plan", pk=exc.plan.pk)
            except actions.KitsActionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Dagen planlægges nu i baggrunden; siden viser ruterne, når de er klar.")
                return redirect("kits:day_plan", pk=plan.pk)
        status = 400
    return render(
        request,
        "kits/day_plans.html",
        {
            "landsdel": landsdel,
            "form": form,
            "plans": selectors.plans(landsdel),
            "technicians": selectors.technicians(landsdel),
            "can_work": access.can_work(request.user, landsdel),
        },
        status=status,
    )


def _plan_context(request: HttpRequest, pk: int, with_routes: bool = True) -> dict[str, Any]:
    """The plan page's context; the polled status card asks without the routes (no disclosure for a poll)."""
    plan = access.access_plan(request.user, pk)
    active = plan.state in (DayPlanState.QUEUED, DayPlanState.RUNNING)
    routes: list[dict[str, Any]] = []
    if with_routes and plan.state == DayPlanState.DONE:
        for route in selectors.plan_routes(plan):
            stops = [
                {
                    "stop": stop,
                    "card": _visit_card(request.user, stop.task.citizen, f"Dagsplan {plan.date:%d.%m.%Y}: besøg"),
                    "travel_minutes": round(stop.travel_seconds / 60),
                }
                for stop in route.stops
            ]
            routes.append({"technician": route.technician, "stops": stops})
    saved = None
    if plan.baseline_travel_seconds:
        saved = round(100 * (plan.baseline_travel_seconds - plan.travel_seconds) / plan.baseline_travel_seconds)
    return {
        "plan": plan,
        "active": active,
        "routes": routes,
        "travel_minutes": round(plan.travel_seconds / 60),
        "baseline_minutes": round((plan.baseline_travel_seconds or 0) / 60),
        "saved_percent": saved,
    }


@login_required
@require_GET
def day_plan(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "kits/day_plan.html", _plan_context(request, pk))


@login_required
@require_GET
def day_plan_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's state, polled by htmx while it is queued or running; when it is done the page reloads."""
    context = _plan_context(request, pk, with_routes=False)
    response = render(request, "kits/_plan_status.html", context)
    if getattr(request, "htmx", False) and not context["active"]:
        response["HX-Refresh"] = "true"
    return response

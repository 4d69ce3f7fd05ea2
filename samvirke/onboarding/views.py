"""Onboarding's pages: the overview, the intake form, the planner's proposal, a checklist, the timeline. Thin:
check access, read, call an action, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from samvirke.directory.selectors import the_fellesskab_or_404
from samvirke.onboarding import access, selectors
from samvirke.onboarding.actions import (
    OnboardingError,
    do_create_cohort,
    do_create_intake,
    do_override_readiness,
    do_tick_item,
)
from samvirke.onboarding.forms import CohortForm, IntakeForm, OverrideForm, PlanForm
from samvirke.onboarding.lib.checklist import OWNER_LABELS, Owner
from samvirke.onboarding.lib.cohorts import DEFAULT_MAX_COHORT, DEFAULT_NOTICE_MONTHS


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    access.require_planner(request.user)
    fellesskab = the_fellesskab_or_404()
    rows = selectors.intakes(fellesskab)
    ready = selectors.readiness(fellesskab)
    return render(
        request,
        "onboarding/overview.html",
        {
            "rows": [
                (
                    intake,
                    sum(1 for item in intake.checklist.all() if item.done_on),
                    len(intake.checklist.all()),
                    ready.get(intake.municipality_id, False),
                )
                for intake in rows
            ],
            "waiting": sum(1 for intake in rows if intake.cohort_id is None),
        },
    )


@login_required
def new_intake(request: HttpRequest) -> HttpResponse:
    user = access.require_planner(request.user)
    fellesskab = the_fellesskab_or_404()
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intake = do_create_intake(
                user,
                fellesskab,
                form.cleaned_data["municipality"],
                form.cleaned_data["contact_name"],
                form.cleaned_data["contact_email"],
                form.cleaned_data["notified_on"],
                form.cleaned_data["wished_start"],
            )
        except OnboardingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{intake.municipality.name} er registreret til optagelse.")
            return redirect("onboarding:plan")
    return render(request, "onboarding/intake_form.html", {"form": form}, status=400 if form.errors else 200)


def _plan_page(request: HttpRequest, max_cohort: int, form: PlanForm, status: int = 200) -> HttpResponse:
    fellesskab = the_fellesskab_or_404()
    proposed, result = selectors.proposal(fellesskab, max_cohort, DEFAULT_NOTICE_MONTHS)
    return render(
        request,
        "onboarding/plan.html",
        {
            "proposed": proposed,
            "refused": result.refused,
            "max_cohort": max_cohort,
            "notice_months": DEFAULT_NOTICE_MONTHS,
            "form": form,
        },
        status=status,
    )


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    access.require_planner(request.user)
    form = PlanForm(request.GET if "max_cohort" in request.GET else None, initial={"max_cohort": DEFAULT_MAX_COHORT})
    if form.is_bound and not form.is_valid():
        return _plan_page(request, DEFAULT_MAX_COHORT, form, status=400)
    max_cohort = form.cleaned_data["max_cohort"] if form.is_bound else DEFAULT_MAX_COHORT
    return _plan_page(request, max_cohort, form)


@login_required
@require_POST
def create_cohort(request: HttpRequest) -> HttpResponse:
    user = access.require_planner(request.user)
    fellesskab = the_fellesskab_or_404()
    form = CohortForm(request.POST)
    if form.is_valid():
        try:
            cohort = do_create_cohort(
                user, fellesskab, [i.pk for i in form.cleaned_data["intakes"]], form.cleaned_data["first_shift"]
            )
        except OnboardingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Holdet med første vagt {cohort.first_shift:%d.%m.%Y} er oprettet.")
            return redirect("onboarding:overview")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return _plan_page(request, DEFAULT_MAX_COHORT, PlanForm(initial={"max_cohort": DEFAULT_MAX_COHORT}), status=400)


def _checklist_page(
    request: HttpRequest, code: int, override_form: OverrideForm | None = None, status: int = 200
) -> HttpResponse:
    intake = access.access_intake_by_code(request.user, code)
    ready = selectors.readiness(intake.fellesskab).get(intake.municipality_id, False)
    return render(
        request,
        "onboarding/checklist.html",
        {
            "intake": intake,
            "items": list(intake.checklist.select_related("done_by")),
            "ready": ready,
            "owners": {o.value: OWNER_LABELS[o] for o in Owner},
            "can_override": access.can_plan(request.user) and not intake.override_reason and intake.cohort_id,
            "override_form": override_form or OverrideForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def checklist(request: HttpRequest, code: int) -> HttpResponse:
    return _checklist_page(request, code)


@login_required
@require_POST
def tick(request: HttpRequest, code: int, pk: int) -> HttpResponse:
    intake = access.access_intake_by_code(request.user, code)
    item = access.access_item(request.user, intake, pk)
    done = request.POST.get("done") == "1"
    try:
        do_tick_item(request.user, item, done, timezone.localdate())
    except OnboardingError as error:
        messages.error(request, str(error))
    return redirect("onboarding:checklist", code=code)


@login_required
@require_POST
def override(request: HttpRequest, code: int) -> HttpResponse:
    access.require_planner(request.user)
    intake = access.access_intake_by_code(request.user, code)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            do_override_readiness(request.user, intake, form.cleaned_data["reason"])
        except OnboardingError as error:
            messages.error(request, str(error))
            return _checklist_page(request, code, status=400)
        messages.success(request, f"{intake.municipality.name} kan nu få opkald og vagter.")
        return redirect("onboarding:checklist", code=code)
    return _checklist_page(request, code, form, status=400)


@login_required
def timeline(request: HttpRequest) -> HttpResponse:
    access.require_planner(request.user)
    fellesskab = the_fellesskab_or_404()
    chart = selectors.timeline(fellesskab, timezone.localdate())
    return render(request, "onboarding/timeline.html", {"chart": chart})

"""The training page (`/uddannelse/`): a coordinator's own agents, the secretariat's all; record the steps, book
med-lyt days and mark who attended. Forms post to the small views below; a refusal is a Danish message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from samvirke.core.lib.clock import LOCAL
from samvirke.training import access, actions, selectors
from samvirke.training.forms import BookingForm, SessionForm, StepForm


def _form_errors(form: StepForm | SessionForm | BookingForm) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = access.require_manage_training(request.user)
    today = timezone.now().astimezone(LOCAL).date()
    rows = selectors.trainee_rows(access.trainees_for(user), today)
    return render(
        request,
        "training/index.html",
        {
            "rows": rows,
            "sessions": selectors.upcoming_sessions(today),
            "step_form": StepForm(),
            "session_form": SessionForm() if access.can_create_sessions(user) else None,
            "qualified_general": sum(1 for r in rows if r.general),
            "qualified_health": sum(1 for r in rows if r.health),
        },
    )


@login_required
@require_POST
def record_step(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access.access_trainee(request.user, person_id)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("training:index")
    try:
        actions.do_record_step(request.user, person, form.cleaned_data["step"], form.cleaned_data["on"])
    except actions.TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Uddannelsen for {person.get_full_name() or person.username} er gemt.")
    return redirect("training:index")


@login_required
@require_POST
def book(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access.access_trainee(request.user, person_id)
    form = BookingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("training:index")
    session = access.access_session(request.user, form.cleaned_data["session"])
    try:
        actions.do_book_session(request.user, person, session)
    except actions.TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{person.get_full_name() or person.username} er booket på {session}.")
    return redirect("training:index")


@login_required
@require_POST
def attended(request: HttpRequest, pk: int) -> HttpResponse:
    booking = access.access_booking(request.user, pk)
    try:
        actions.do_mark_attended(request.user, booking, request.POST.get("attended", "1") == "1")
    except actions.TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Deltagelsen er registreret.")
    return redirect("training:index")


@login_required
@require_POST
def create_session(request: HttpRequest) -> HttpResponse:
    user = access.require_create_sessions(request.user)
    form = SessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("training:index")
    try:
        session = actions.do_create_session(
            user, form.cleaned_data["host"], form.cleaned_data["date"], form.cleaned_data["capacity"]
        )
    except actions.TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{session} er oprettet.")
    return redirect("training:index")

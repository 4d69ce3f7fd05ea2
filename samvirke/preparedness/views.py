"""The preparedness page: crisis mode's switch (and the drill's), what is on now, and the log of earlier crises."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from samvirke.directory.models import Role
from samvirke.knowledge.access import member_municipalities
from samvirke.preparedness import access, actions, selectors
from samvirke.preparedness.forms import CrisisForm, SurgeAnswerForm, SurgeRequestForm
from samvirke.preparedness.models import CrisisScope, SurgeRequest


def _page(request: HttpRequest, form: CrisisForm | None = None, status: int = 200) -> HttpResponse:
    person = access.require_preparedness(request.user)
    crises = [
        (crisis, access.can_end(person, crisis))
        for crisis in selectors.crisis_history()
        if person.role == Role.SECRETARIAT
        or crisis.scope == CrisisScope.FELLESSKAB
        or crisis.stricken_id == person.municipality_id
    ]
    if form is None:
        initial = {} if person.role == Role.SECRETARIAT else {"scope": CrisisScope.MEMBER}
        form = CrisisForm(members=list(member_municipalities()), initial=initial)
        if person.role != Role.SECRETARIAT:
            form.fields["stricken"].initial = person.municipality_id
    open_crises = [crisis for crisis, _ in crises if crisis.is_open]
    asks = [
        (crisis, SurgeRequestForm(members=list(member_municipalities())))
        for crisis in open_crises
        if access.can_request_surge(person, crisis)
    ]
    answers = [
        (
            surge,
            SurgeAnswerForm(
                initial={"answer": surge.answer if surge.answer != "pending" else None, "agents": surge.agents}
            ),
        )
        for surge in SurgeRequest.objects.filter(crisis__ended_at__isnull=True).select_related("crisis")
        if access.can_answer_surge(person, surge)
    ]
    return render(
        request,
        "preparedness/index.html",
        {
            "surge_forms": asks,
            "surge_answers": answers,
            "form": form,
            "crises": crises,
            "open": open_crises,
            "is_secretariat": person.role == Role.SECRETARIAT,
            "drill_number": settings.PREPAREDNESS_DRILL_NUMBER,
        },
        status=status,
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    person = access.require_preparedness(request.user)
    form = CrisisForm(request.POST, members=list(member_municipalities()))
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    try:
        crisis = actions.do_start_crisis(
            person,
            at=timezone.now(),
            title=data["title"],
            text=data["text"],
            scope=data["scope"],
            stricken=data.get("stricken"),
            reroute=data["reroute"],
            reroute_to=list(data.get("reroute_to") or []),
            extended_hours=data["extended_hours"],
            drill=data["drill"],
        )
    except actions.PreparednessError as exc:
        form.add_error(None, str(exc))
        return _page(request, form, status=409)
    messages.success(request, f"{'Øvelsen' if crisis.is_drill else 'Krisetilstand'} er slået til: {crisis.title}.")
    return redirect("preparedness:index")


@login_required
@require_POST
def end(request: HttpRequest, crisis_id: int) -> HttpResponse:
    person = access.require_preparedness(request.user)
    crisis = access.access_crisis(person, crisis_id)
    try:
        actions.do_end_crisis(person, crisis, at=timezone.now())
    except actions.PreparednessError as exc:
        messages.error(request, str(exc))
        return redirect("preparedness:index")
    messages.success(request, f"{'Øvelsen' if crisis.is_drill else 'Krisetilstand'} er slået fra.")
    return redirect("preparedness:index")


@login_required
@require_POST
def request_surge(request: HttpRequest, crisis_id: int) -> HttpResponse:
    person = access.require_preparedness(request.user)
    crisis = access.access_crisis(person, crisis_id)
    form = SurgeRequestForm(request.POST, members=list(member_municipalities()))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("preparedness:index")
    try:
        asked = actions.do_request_surge(person, crisis, list(form.cleaned_data["municipalities"]), at=timezone.now())
    except actions.PreparednessError as exc:
        messages.error(request, str(exc))
        return redirect("preparedness:index")
    messages.success(request, f"{asked} kommune(r) er bedt om ekstra medarbejdere.")
    return redirect("preparedness:index")


@login_required
@require_POST
def answer_surge(request: HttpRequest, request_id: int) -> HttpResponse:
    person = access.require_preparedness(request.user)
    surge = access.access_surge_request(person, request_id)
    form = SurgeAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("preparedness:index")
    yes = form.cleaned_data["answer"] == "yes"
    try:
        actions.do_answer_surge(person, surge, yes=yes, agents=form.cleaned_data.get("agents"), at=timezone.now())
    except actions.PreparednessError as exc:
        messages.error(request, str(exc))
        return redirect("preparedness:index")
    messages.success(request, "Jeres svar er sendt til sekretariatet.")
    return redirect("preparedness:index")

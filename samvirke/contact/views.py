"""Contact-centre pages: the agent desk (live by htmx polling), the wallboard, the KPI reports and the export.

Thin: permissions from contact/access.py, reads from selectors.py and lib/kpi.py, writes through actions.py.
State lives in the database, so the desk works the same whichever web worker answers a poll.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from samvirke.assistant import service
from samvirke.audit.actions import record
from samvirke.contact import access, actions, exports, selectors
from samvirke.contact.lib.kpi import (
    CHATBOT_SHARE_FORMULA,
    compute_kpis,
    kpis_by,
    period_key,
    who_carries_whom,
)
from samvirke.contact.models import (
    TOPIC_FORWARD_TARGETS,
    AgentState,
    AgentStatus,
    Contact,
    ContactState,
    ForwardedTo,
    PauseReason,
)
from samvirke.directory.models import Municipality, Person
from samvirke.knowledge.models import ServiceInfo, Topic

LOCAL = selectors.LOCAL
MAX_REPORT_DAYS = 366


def _tabs(user: Any) -> dict[str, bool]:
    return {"can_desk": access.can_work_desk(user), "can_reports": access.can_view_reports(user)}


def _desk_user(request: HttpRequest) -> Person:
    """The agent or coordinator at the desk; everyone else is refused."""
    if not access.can_work_desk(request.user):
        raise PermissionDenied("Skrivebordet er for medarbejdere i fællesskabets kommuner.")
    return cast(Person, request.user)


# --- the agent desk -------------------------------------------------------------------------------------------


class RegistrationForm(forms.Form):
    topic_id = forms.ChoiceField(label="Emne")
    resolved_at_once = forms.TypedChoiceField(
        label="Straksafklaret",
        choices=[("ja", "Ja"), ("nej", "Nej")],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": "Angiv, om henvendelsen blev straksafklaret."},
    )
    forwarded_to = forms.ChoiceField(label="Videresendt til", choices=ForwardedTo.choices, required=False)
    note = forms.CharField(
        label="Notat",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="CPR-numre, telefonnumre og e-mailadresser fjernes, før notatet gemmes.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topics = [
            (topic.pk, f"{topic.category}: {topic.title}") for topic in Topic.objects.order_by("category", "title")
        ]
        field = cast(forms.ChoiceField, self.fields["topic_id"])
        field.choices = [("", "Vælg emne …"), *topics]
        self.fields["topic_id"].error_messages["required"] = "Vælg emnet for henvendelsen."


def _desk_context(request: HttpRequest, person: Person, state: AgentState | None = None) -> dict[str, Any]:
    now = timezone.now()
    state = state or actions.agent_state_for(person, now)
    contact = state.current_contact
    if contact is not None:
        contact = Contact.objects.select_related("citizen_municipality", "queue").get(pk=contact.pk)
    phase = "idle"
    if contact is not None:
        phase = "offered" if contact.state == ContactState.ASSIGNED else "working"
    context: dict[str, Any] = {
        **_tabs(request.user),
        "agent": state,
        "contact": contact,
        "phase": phase,
        # While the agent works on a contact the key stays the same, so polling never resets the form.
        "desk_key": f"{contact.pk}:working" if phase == "working" and contact else f"{state.status}:{phase}",
        "pause_reasons": PauseReason.choices,
        "statuses": AgentStatus,
    }
    if contact is not None and phase == "working":
        context["form"] = RegistrationForm()
        context["service_info"] = _service_info(contact.citizen_municipality)
        context["chat_messages"] = list(contact.messages.all())
    start, end = selectors.local_day_bounds(now.astimezone(LOCAL).date())
    context["answered_today"] = Contact.objects.filter(
        agent=person, answered_at__gte=start, answered_at__lt=end
    ).count()
    return context


def _service_info(municipality: Municipality | None) -> ServiceInfo | None:
    if municipality is None:
        return None
    return ServiceInfo.objects.filter(municipality=municipality).first()


@login_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    person = _desk_user(request)
    return render(request, "contact/desk.html", _desk_context(request, person))


@login_required
@require_GET
def desk_panel(request: HttpRequest) -> HttpResponse:
    """Polled every two seconds. 204 when nothing changed, so a half-written registration is never replaced."""
    person = _desk_user(request)
    state = actions.agent_state_for(person, timezone.now())
    # A ready agent's poll is also the clock that lets an overflowed contact reach it between events.
    idle = state.status == AgentStatus.READY and state.current_contact_id is None
    if idle and actions.dispatch_waiting(timezone.now()):
        state = actions.agent_state_for(person, timezone.now())
    context = _desk_context(request, person, state)
    if request.GET.get("seen") == context["desk_key"]:
        return HttpResponse(status=204)
    return render(request, "contact/_desk_panel.html", context)


@login_required
@require_POST
def set_status(request: HttpRequest) -> HttpResponse:
    person = _desk_user(request)
    status = request.POST.get("status", "")
    reason = request.POST.get("pause_reason", "")
    if status not in (AgentStatus.READY, AgentStatus.PAUSE, AgentStatus.OFFLINE) or (
        reason and reason not in PauseReason.values
    ):
        messages.error(request, "Ugyldig status.")
        return redirect("contact:desk")
    try:
        actions.do_set_agent_status(person, status, timezone.now(), reason)
    except actions.ContactError as exc:
        messages.error(request, str(exc))
    return redirect("contact:desk")


def _own_contact_id(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("contact_id", ""))
    except ValueError:
        return 0


@login_required
@require_POST
def answer(request: HttpRequest) -> HttpResponse:
    person = _desk_user(request)
    try:
        actions.do_answer_contact(person, _own_contact_id(request), timezone.now())
    except actions.ContactError as exc:
        messages.error(request, str(exc))
    return redirect("contact:desk")


@login_required
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    person = _desk_user(request)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        context = _desk_context(request, person)
        context["form"] = form
        return render(request, "contact/desk.html", context, status=400)
    registration = actions.Registration(
        topic_id=form.cleaned_data["topic_id"],
        resolved_at_once=form.cleaned_data["resolved_at_once"],
        forwarded_to=form.cleaned_data["forwarded_to"] or "",
        note=form.cleaned_data["note"],
    )
    try:
        actions.do_register_contact(person, _own_contact_id(request), registration, timezone.now())
    except actions.ContactError as exc:
        messages.error(request, str(exc))
        return redirect("contact:desk")
    messages.success(request, "Henvendelsen er registreret.")
    return redirect("contact:desk")


@login_required
@require_POST
def transfer(request: HttpRequest) -> HttpResponse:
    """Transfer to the topic's target (minsp-technical → the region's MinSP support, … → the citizen's
    municipality)."""
    person = _desk_user(request)
    topic = Topic.objects.filter(pk=request.POST.get("topic_id", "")).first()
    if topic is None:
        messages.error(request, "Vælg emnet, så Samvirke ved, hvor opkaldet skal viderestilles til.")
        return redirect("contact:desk")
    target = TOPIC_FORWARD_TARGETS.get(topic.forward_target or "", ForwardedTo.OTHER)
    try:
        actions.do_transfer_contact(person, _own_contact_id(request), target, timezone.now())
    except actions.ContactError as exc:
        messages.error(request, str(exc))
        return redirect("contact:desk")
    messages.success(request, f"Viderestillet til {ForwardedTo(target).label.lower()}.")
    return redirect("contact:desk")


@login_required
@require_GET
def guide_search(request: HttpRequest) -> HttpResponse:
    """The desk's guide search: the assistant's engine, each guide as the caller's municipality has it."""
    person = _desk_user(request)
    state = AgentState.objects.filter(person=person).select_related("current_contact").first()
    contact = state.current_contact if state else None
    municipality = contact.citizen_municipality if contact and contact.citizen_municipality else None
    municipality = municipality or person.municipality
    query = request.GET.get("q", "")[:500]
    hits = service.search(query, municipality) if query.strip() and municipality else []
    return render(request, "contact/_guide_hits.html", {"hits": hits, "query": query, "municipality": municipality})


@login_required
@require_POST
def send_chat(request: HttpRequest) -> HttpResponse:
    person = _desk_user(request)
    contact = Contact.objects.filter(pk=_own_contact_id(request), agent=person).first()
    if contact is None:
        raise PermissionDenied("Samtalen er ikke din.")
    try:
        actions.do_send_chat_message(contact, request.POST.get("text", ""), False, timezone.now())
    except actions.ContactError as exc:
        messages.error(request, str(exc))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "contact/_chat_messages.html", {"chat_messages": contact.messages.all()})
    return redirect("contact:desk")


@login_required
@require_GET
def chat_messages(request: HttpRequest, contact_id: int) -> HttpResponse:
    person = _desk_user(request)
    contact = Contact.objects.filter(pk=contact_id, agent=person).first()
    if contact is None:
        raise PermissionDenied("Samtalen er ikke din.")
    return render(request, "contact/_chat_messages.html", {"chat_messages": contact.messages.all()})


# --- the wallboard ---------------------------------------------------------------------------------------------


def _wallboard_context() -> dict[str, Any]:
    now = timezone.now()
    return {
        "figures": selectors.wallboard_figures(now),
        "queues": selectors.queues_now(now),
        "now": now,
        "service_level_seconds": selectors.service_level_seconds(),
    }


@login_required
@require_GET
def wallboard(request: HttpRequest) -> HttpResponse:
    if not access.can_view_wallboard(request.user):
        raise PermissionDenied("Tavlen er for fællesskabets medarbejdere.")
    template = "contact/_wallboard_figures.html" if request.htmx else "contact/wallboard.html"  # type: ignore[attr-defined]
    return render(request, template, {**_tabs(request.user), **_wallboard_context()})


# --- reports ---------------------------------------------------------------------------------------------------


class ReportForm(forms.Form):
    start = forms.DateField(label="Fra", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="Til og med", widget=forms.DateInput(attrs={"type": "date"}))
    period = forms.ChoiceField(
        label="Opdel pr.", choices=[("day", "Dag"), ("week", "Uge"), ("month", "Måned")], initial="day"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError("Slutdatoen ligger før startdatoen.")
            if (end - start).days > MAX_REPORT_DAYS:
                raise forms.ValidationError(f"Vælg højst {MAX_REPORT_DAYS} dage ad gangen.")
        return data


def _report_form(request: HttpRequest) -> ReportForm:
    today = timezone.now().astimezone(LOCAL).date()
    data = {
        "start": request.GET.get("fra", (today - dt.timedelta(days=29)).isoformat()),
        "end": request.GET.get("til", today.isoformat()),
        "period": request.GET.get("periode", "day"),
    }
    return ReportForm(data)


def _bounds(form: ReportForm) -> tuple[dt.datetime, dt.datetime]:
    start, _ = selectors.local_day_bounds(form.cleaned_data["start"])
    _, end = selectors.local_day_bounds(form.cleaned_data["end"])
    return start, end


@login_required
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    if not access.can_view_reports(request.user):
        raise PermissionDenied("Rapporterne er for sekretariatet, regionen og kommunernes koordinatorer.")
    form = _report_form(request)
    context: dict[str, Any] = {**_tabs(request.user), "form": form, "chatbot_formula": CHATBOT_SHARE_FORMULA}
    if not form.is_valid():
        return render(request, "contact/reports.html", context, status=400)
    start, end = _bounds(form)
    period = form.cleaned_data["period"]
    records = selectors.contact_records(Contact.objects.filter(offered_at__gte=start, offered_at__lt=end))
    threshold = selectors.service_level_seconds()
    context.update(
        {
            "total": compute_kpis(records, threshold, sum(selectors.chatbot_counts(start, end, period).values())),
            "by_period": kpis_by(
                records,
                lambda r: period_key(r.offered_at.astimezone(LOCAL), period),
                threshold,
                selectors.chatbot_counts(start, end, period),
            ),
            "by_member": kpis_by(
                records,
                lambda r: r.citizen_municipality or "Ukendt kommune",
                threshold,
                selectors.chatbot_counts_by_municipality(start, end),
            ),
            "carried": who_carries_whom(records),
            "threshold": threshold,
            "query": request.GET.urlencode(),
        }
    )
    return render(request, "contact/reports.html", context)


@login_required
@require_GET
def export_contacts(request: HttpRequest, fmt: str) -> HttpResponse:
    """One row per contact, in the user's scope (see access.visible_contacts); the read is audited."""
    if not access.can_view_reports(request.user):
        raise PermissionDenied("Udtrækket er for sekretariatet, regionen og kommunernes koordinatorer.")
    form = _report_form(request)
    if not form.is_valid():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        return HttpResponse(
            "Ugyldig periode: " + " ".join(problems), status=400, content_type="text/plain; charset=utf-8"
        )
    start, end = _bounds(form)
    contacts = (
        access.visible_contacts(request.user)
        .filter(offered_at__gte=start, offered_at__lt=end)
        .select_related("queue", "citizen_municipality", "agent_municipality", "agent")
        .order_by("offered_at", "id")
    )
    record(request.user, "contact.export", None, {"from": str(start.date()), "to": str(end.date()), "format": fmt})
    name = f"kontakter-{form.cleaned_data['start']}-{form.cleaned_data['end']}"
    if fmt == "xlsx":
        return exports.contacts_xlsx(contacts, name)
    return exports.contacts_csv(contacts, name)

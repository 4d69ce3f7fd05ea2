"""The agent desk: one page, drawn in parts that the page's poll redraws only when they have changed.

The parts (templates contact/_desk_<part>.html), each an element with an id and a key that the page sends back with
every poll:
- status: the agent's status and how long it has held it, the wrap-up countdown, the status buttons;
- queue: how many wait in the queues the agent serves and the longest wait; contacts the agent may take itself;
- pending: the agent's contacts that are over and not registered;
- work: the contact the agent is offered or works on. Drawn once per contact, so what the agent types there (the
  registration, a chat message, a guide search) is never replaced by a poll. Two parts of it change during the
  contact and are redrawn on their own:
  - contact: its state and timer, and the transfer controls while it can be transferred;
  - chat: the messages.
The poll (GET every 2 s) only reads. It answers 204 when nothing changed, else the changed parts as htmx
out-of-band swaps (the poll itself swaps nothing: hx-swap="none"). Timers tick in the browser (desk.js) from the
moments the parts carry, so a part changes only when something happens.

Thin: permissions from access.py, reads from selectors.py, writes through actions/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from samvirke.assistant import service
from samvirke.contact import access, actions, desk_actions, selectors
from samvirke.contact.lib.desk import fill_canned_reply, region_key, suggestion_query, wrap_up_ends_at
from samvirke.contact.lib.retention import RetentionPolicy
from samvirke.contact.lib.transfer import PhoneNumberError, destination_label, display_phone, normalise_phone
from samvirke.contact.models import (
    AgentState,
    AgentStatus,
    CannedReply,
    Channel,
    ChatMessage,
    Contact,
    ContactState,
    ForwardedTo,
    PauseReason,
)
from samvirke.core.lib.clock import LOCAL
from samvirke.core.lib.masking import mask_personal_data
from samvirke.directory.models import Actor, Person
from samvirke.knowledge.models import ServiceInfo, Topic
from samvirke.preparedness.selectors import Banner, desk_banners

PARTS = ("crisis", "status", "queue", "pending", "work", "contact", "chat")
WORK_PARTS = ("contact", "chat")  # inside "work": redrawn on their own only while "work" stays
# The contact's part is two elements: its state and timer in the caller's card, the transfer controls beside the
# registration (the two change together).
PART_TEMPLATES = {
    part: [f"contact/_desk_{part}.html"] + (["contact/_desk_transfer.html"] if part == "contact" else [])
    for part in PARTS
}
MAX_TYPED_NAME_CHARS = 60
SUGGESTED_GUIDES = 3


def htmx_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """login_required, except that a request from the page's htmx (a poll, a send) after the session has ended
    sends the whole page to the login form instead of drawing the login form into a part of the desk."""

    protected = login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and request.htmx:  # type: ignore[attr-defined]
            response = HttpResponse(status=204)
            login = resolve_url(settings.LOGIN_URL)
            response["HX-Redirect"] = f"{login}?{urlencode({'next': reverse('contact:desk')})}"
            return response
        return protected(request, *args, **kwargs)

    return wrapper


def _desk_user(request: HttpRequest) -> Person:
    """The agent or coordinator at the desk; everyone else is refused."""
    if not access.can_work_desk(request.user):
        raise PermissionDenied("Skrivebordet er for medarbejdere i fællesskabets kommuner.")
    return cast(Person, request.user)


def _tabs(user: Actor) -> dict[str, bool]:
    return {"can_desk": access.can_work_desk(user), "can_reports": access.can_view_reports(user)}


# --- what the desk shows --------------------------------------------------------------------------------------


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
        max_length=actions.MAX_NOTE_CHARS,
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
        self.fields["forwarded_to"].error_messages["invalid_choice"] = "Vælg en modtager fra listen."
        self.fields["topic_id"].error_messages["invalid_choice"] = "Vælg et emne fra listen."


class RegistrationDraftForm(RegistrationForm):
    """The same fields, none required: what the agent has filled in so far (saved as it goes, and with a
    transfer)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            form_field.required = False
        resolved = cast(forms.TypedChoiceField, self.fields["resolved_at_once"])
        resolved.empty_value = None

    def draft(self) -> actions.RegistrationDraft:
        data = self.cleaned_data
        return actions.RegistrationDraft(
            topic_id=data.get("topic_id") or "",
            resolved_at_once=data.get("resolved_at_once"),
            forwarded_to=data.get("forwarded_to") or "",
            note=data.get("note") or "",
        )


def _draft_initial(contact: Contact) -> dict[str, Any]:
    """The registration form filled with what is kept on the contact, so a reload or a refusal loses nothing."""
    resolved = (
        {True: "ja", False: "nej"}.get(contact.resolved_at_once) if contact.resolved_at_once is not None else None
    )
    return {
        "topic_id": contact.topic_id,
        "resolved_at_once": resolved,
        "forwarded_to": contact.forwarded_to,
        "note": contact.note,
    }


@dataclass
class Snapshot:
    """What the poll reads every two seconds (a few indexed queries), enough to key every part."""

    person: Person
    now: dt.datetime
    state: AgentState
    contact: Contact | None
    phase: str  # idle | offered | working
    answered_today: int
    queues: list[selectors.QueueNow]
    waiting: list[selectors.WaitingContact]
    pending: list[selectors.PendingRegistration]
    chat: tuple[int, int] | None
    keys: dict[str, str] = field(default_factory=dict)
    banners: list[Banner] = field(default_factory=list)  # an open crisis or drill (preparedness)

    @property
    def in_conversation(self) -> bool:
        return self.contact is not None and self.contact.state == ContactState.ANSWERED

    @property
    def wrap_up_seconds_left(self) -> int:
        ends = self.wrap_up_ends
        return max(0, round((ends - self.now).total_seconds())) if ends else 0

    @property
    def can_pick(self) -> bool:
        return self.contact is None and self.state.status in (AgentStatus.READY, AgentStatus.PAUSE)

    @property
    def wrap_up_ends(self) -> dt.datetime | None:
        if self.state.status != AgentStatus.WRAP_UP or self.contact is None or self.state.status_since is None:
            return None
        return wrap_up_ends_at(self.state.status_since, self.contact.queue.wrap_up_seconds)


def _snapshot(person: Person, now: dt.datetime) -> Snapshot:
    state = selectors.agent_state(person)
    contact = state.current_contact if state.current_contact_id else None
    phase = "idle" if contact is None else ("offered" if contact.state == ContactState.ASSIGNED else "working")
    served = selectors.served_queues(state, selectors.cached_queues())
    queues = selectors.desk_queues(served)
    snapshot = Snapshot(
        person=person,
        now=now,
        state=state,
        contact=contact,
        phase=phase,
        answered_today=selectors.answered_today(person, now),
        queues=queues,
        waiting=[],
        pending=selectors.pending_registrations(person, state.current_contact_id, now),
        chat=None,
        banners=desk_banners(),
    )
    if snapshot.can_pick and any(row.waiting for row in queues):
        snapshot.waiting = selectors.waiting_contacts(served)
    if contact is not None and phase == "working" and contact.channel == Channel.CHAT:
        snapshot.chat = selectors.chat_summary(contact)
    snapshot.keys = _keys(snapshot)
    return snapshot


def _keys(s: Snapshot) -> dict[str, str]:
    contact, state = s.contact, s.state
    return {
        "crisis": region_key([banner.key for banner in s.banners]),
        "status": region_key(
            [state.status, state.pause_reason, state.status_since, s.phase, contact and contact.pk, s.answered_today]
            + ([contact.state] if contact else [])
        ),
        "queue": region_key(
            [s.can_pick]
            + [(row.queue.pk, row.waiting, row.oldest, row.callbacks) for row in s.queues]
            + [waiting.pk for waiting in s.waiting]
        ),
        "pending": region_key([pending.pk for pending in s.pending]),
        # While the agent works on a contact the key stays the same, so a poll never redraws the forms.
        "work": region_key([s.phase, contact.pk if contact else state.status]),
        "contact": region_key([contact.state, contact.ended_at, state.status] if contact else []),
        "chat": region_key(list(s.chat or ())),
    }


def _context(request: HttpRequest, s: Snapshot, parts: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The template context for these parts: the snapshot, plus what only the work part needs when it is drawn."""
    contact = s.contact
    context: dict[str, Any] = {
        **_tabs(request.user),
        "snapshot": s,
        "agent": s.state,
        "contact": contact,
        "phase": s.phase,
        "keys": s.keys,
        "now": s.now,
        "pause_reasons": [choice for choice in PauseReason.choices if choice[0] != PauseReason.NO_ANSWER],
    }
    if contact is None:
        return context
    if contact.answered_at and contact.ended_at:
        context["talk_seconds"] = max(0, round((contact.ended_at - contact.answered_at).total_seconds()))
    if "work" in parts and contact.ivr_topic:
        topic = Topic.objects.filter(pk=contact.ivr_topic.strip()).values_list("title", flat=True).first()
        context["ivr_topic_label"] = topic or contact.ivr_topic
    if "work" in parts and contact.callback_requested:
        context["callback_number"] = display_phone(contact.caller_number) if contact.caller_number else ""
        context["citizen_messages"] = list(
            ChatMessage.objects.filter(contact=contact, from_citizen=True).values_list("text", flat=True)[:5]
        )
    if s.phase != "working":
        return context
    if "work" in parts:
        context["form"] = RegistrationForm(initial=_draft_initial(contact))
        if isinstance(request.user, Person):  # actions other apps offer for the queue's line (desk_actions)
            context["desk_actions"] = desk_actions.actions_for(request.user, contact)
        context["service_info"] = ServiceInfo.objects.filter(municipality=contact.citizen_municipality_id).first()
        municipality = contact.citizen_municipality.name if contact.citizen_municipality else None
        if contact.channel == Channel.CHAT:
            context["canned_replies"] = [
                (reply.title, fill_canned_reply(reply.text, municipality))
                for reply in CannedReply.objects.filter(active=True)
            ]
        if access.may_see_earlier_contacts(request.user, s.state.current_contact_id, contact):
            context["earlier"] = selectors.earlier_contacts(contact, s.now)
            context["retention_days"] = RetentionPolicy().caller_numbers_days
    if ("work" in parts or "contact" in parts) and contact.state == ContactState.ANSWERED:
        context["destinations"] = selectors.transfer_destinations(contact, selectors.cached_queues(), s.now)
    if ("work" in parts or "chat" in parts) and contact.channel == Channel.CHAT:
        context["chat_messages"] = list(contact.messages.all())
    return context


def _render_desk(request: HttpRequest, person: Person, status: int = 200, **extra: Any) -> HttpResponse:
    snapshot = _snapshot(person, timezone.now())
    context = _context(request, snapshot, PARTS)
    context.update(extra)
    return render(request, "contact/desk.html", context, status=status)


@htmx_login_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    return _render_desk(request, _desk_user(request))


@htmx_login_required
@require_GET
def desk_panel(request: HttpRequest) -> HttpResponse:
    """The desk's poll, every two seconds: the parts whose keys differ from the page's, or 204. Reads only."""
    person = _desk_user(request)
    snapshot = _snapshot(person, timezone.now())
    changed = [part for part in PARTS if request.GET.get(f"seen_{part}") != snapshot.keys[part]]
    if "work" in changed or snapshot.phase != "working":
        changed = [part for part in changed if part not in WORK_PARTS]
    if snapshot.chat is None and "chat" in changed:
        changed.remove("chat")
    if not changed:
        return HttpResponse(status=204)
    context = {**_context(request, snapshot, changed), "oob": True}
    html = "".join(
        render_to_string(template, context, request) for part in changed for template in PART_TEMPLATES[part]
    )
    return HttpResponse(html)


# --- the agent's clicks ---------------------------------------------------------------------------------------


def _refused(request: HttpRequest, message: str, status: int = 409) -> HttpResponse:
    """A refusal: for the page's htmx a Danish line it shows (and the typed text stays), else a message on the
    desk."""
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    messages.error(request, message)
    return redirect("contact:desk")


def _first_error(form: forms.Form) -> str:
    """The form's first problem, as its field's label and Danish message."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return "ugyldige oplysninger."


def _posted_contact_id(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("contact_id", "")[:20])
    except ValueError:
        return 0


@htmx_login_required
@require_POST
def set_status(request: HttpRequest) -> HttpResponse:
    person = _desk_user(request)
    status = request.POST.get("status", "")
    reason = request.POST.get("pause_reason", "")
    if status not in (AgentStatus.READY, AgentStatus.PAUSE, AgentStatus.OFFLINE) or (
        reason and (reason not in PauseReason.values or reason == PauseReason.NO_ANSWER)
    ):
        return _refused(request, "Ugyldig status.", 400)
    try:
        actions.do_set_agent_status(person, status, timezone.now(), reason)
    except actions.ContactError as exc:
        return _refused(request, str(exc))
    return redirect("contact:desk")


@htmx_login_required
@require_POST
def answer(request: HttpRequest) -> HttpResponse:
    person = _desk_user(request)
    try:
        actions.do_answer_contact(person, _posted_contact_id(request), timezone.now())
    except actions.ContactError as exc:
        return _refused(request, str(exc))
    return redirect("contact:desk")


@htmx_login_required
@require_POST
def pick(request: HttpRequest) -> HttpResponse:
    """The agent takes a waiting contact from the desk's queue list."""
    person = _desk_user(request)
    try:
        actions.do_pick_contact(person, _posted_contact_id(request), timezone.now())
    except actions.ContactError as exc:
        return _refused(request, str(exc))
    messages.success(request, "Henvendelsen er din.")
    return redirect("contact:desk")


def _own_contact(person: Person, contact_id: int) -> Contact:
    contact = (
        Contact.objects.select_related("queue", "citizen_municipality").filter(pk=contact_id, agent=person).first()
    )
    if contact is None:
        raise PermissionDenied("Henvendelsen er ikke din.")
    return contact


@htmx_login_required
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    person = _desk_user(request)
    contact = _own_contact(person, _posted_contact_id(request))
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        # What was filled in is kept, so nothing is lost by the refusal.
        draft = RegistrationDraftForm(request.POST)
        if draft.is_valid():
            actions.do_save_registration_draft(person, contact.pk, draft.draft(), timezone.now())
        if request.POST.get("later"):
            return _registration_page(request, contact, form, status=400)
        return _render_desk(request, person, status=400, form=form)
    registration = actions.Registration(
        topic_id=form.cleaned_data["topic_id"],
        resolved_at_once=form.cleaned_data["resolved_at_once"],
        forwarded_to=form.cleaned_data["forwarded_to"] or "",
        note=form.cleaned_data["note"],
    )
    try:
        actions.do_register_contact(person, contact.pk, registration, timezone.now())
    except actions.ContactError as exc:
        return _refused(request, str(exc))
    messages.success(request, "Henvendelsen er registreret.")
    return redirect("contact:desk")


@htmx_login_required
@require_POST
def save_draft(request: HttpRequest) -> HttpResponse:
    """Saves the registration as the agent fills it in (htmx, on every change): a wrap-up that runs out, a reload or
    a lost connection loses nothing."""
    person = _desk_user(request)
    contact = _own_contact(person, _posted_contact_id(request))
    form = RegistrationDraftForm(request.POST)
    if not form.is_valid():
        return _refused(request, f"Kladden kunne ikke gemmes: {_first_error(form)}", 400)
    now = timezone.now()
    try:
        actions.do_save_registration_draft(person, contact.pk, form.draft(), now)
    except actions.ContactError as exc:
        return _refused(request, str(exc))
    return HttpResponse(f"Kladden er gemt kl. {now.astimezone(LOCAL):%H.%M.%S}.")


def _chosen_destination(request: HttpRequest, contact: Contact) -> actions.TransferDestination:
    choice = request.POST.get("destination", "")[:60]
    if choice == "typed":
        phone = normalise_phone(request.POST.get("typed_number", ""))
        name = mask_personal_data(request.POST.get("typed_name", "")[:MAX_TYPED_NAME_CHARS].strip())
        return actions.TransferDestination(
            label=destination_label(name, phone), forwarded_to=ForwardedTo.OTHER, phone=phone
        )
    options = selectors.transfer_destinations(contact, selectors.cached_queues(), timezone.now())
    chosen = next((option for option in options if option.value == choice), None)
    if chosen is None:
        raise actions.ContactError("Vælg, hvor henvendelsen skal viderestilles til.")
    if chosen.unavailable:
        raise actions.ContactError(f"Kan ikke viderestille til {chosen.label}: {chosen.unavailable}.")
    return actions.TransferDestination(chosen.label, chosen.forwarded_to, chosen.queue_slug, chosen.phone)


@htmx_login_required
@require_POST
def transfer(request: HttpRequest) -> HttpResponse:
    """Transfer to a queue of the contact centre or an outside number, with the registration as far as it is
    filled in (kept, never emptied)."""
    person = _desk_user(request)
    contact = _own_contact(person, _posted_contact_id(request))
    form = RegistrationDraftForm(request.POST)
    if not form.is_valid():
        return _refused(request, f"Ikke viderestillet: {_first_error(form)}", 400)
    now = timezone.now()
    try:
        destination = _chosen_destination(request, contact)
        actions.do_transfer_contact(person, contact.pk, destination, now, form.draft())
    except (actions.ContactError, PhoneNumberError) as exc:
        # Refused: what the agent filled in is kept all the same.
        actions.do_save_registration_draft(person, contact.pk, form.draft(), now)
        return _refused(request, str(exc))
    done = "Registreringen er gemt." if form.draft().complete else "Gør registreringen færdig nedenfor."
    messages.success(request, f"Viderestillet til {destination.label}. {done}")
    return redirect("contact:desk")


@htmx_login_required
@require_POST
def send_chat(request: HttpRequest) -> HttpResponse:
    person = _desk_user(request)
    contact = _own_contact(person, _posted_contact_id(request))
    try:
        actions.do_send_agent_message(
            person, contact.pk, request.POST.get("text", ""), timezone.now(), request.POST.get("client_id", "")
        )
    except actions.ContactError as exc:
        return _refused(request, str(exc))
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("contact:desk")
    summary = selectors.chat_summary(contact)
    context = {"chat_messages": list(contact.messages.all()), "keys": {"chat": region_key(list(summary))}}
    return render(request, "contact/_desk_chat.html", context)


# --- registering later, guides ----------------------------------------------------------------------------------


def _registration_page(
    request: HttpRequest, contact: Contact, form: RegistrationForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "contact/register_later.html",
        {**_tabs(request.user), "contact": contact, "form": form},
        status=status,
    )


@htmx_login_required
@require_GET
def register_later(request: HttpRequest, contact_id: int) -> HttpResponse:
    """A contact of the agent's that is over and not registered (its wrap-up ran out, or it was transferred
    without a complete registration): the registration form, filled with what was kept."""
    person = _desk_user(request)
    contact = _own_contact(person, contact_id)
    if contact.registered_at is not None:
        messages.info(request, "Henvendelsen er allerede registreret.")
        return redirect("contact:desk")
    if contact.answered_at is None:
        raise Http404("Henvendelsen blev ikke besvaret og skal ikke registreres.")
    return _registration_page(request, contact, RegistrationForm(initial=_draft_initial(contact)))


@htmx_login_required
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


@htmx_login_required
@require_GET
def suggested_guides(request: HttpRequest) -> HttpResponse:
    """Guides for the contact the agent is in, before it searches: from what the citizen told the assistant (a
    chat), or the topic chosen in the phone menu (a call). Loaded after the desk is drawn (the search takes a
    moment)."""
    person = _desk_user(request)
    state = selectors.agent_state(person)
    contact = state.current_contact if state.current_contact_id else None
    if contact is None or contact.citizen_municipality is None:
        return render(request, "contact/_guide_hits.html", {"hits": [], "suggested": True})
    titles = dict(Topic.objects.filter(pk=contact.ivr_topic.strip()).values_list("pk", "title"))
    query = suggestion_query(contact.transcript, contact.ivr_topic, titles)
    hits = service.search(query, contact.citizen_municipality, limit=SUGGESTED_GUIDES) if query else []
    return render(
        request,
        "contact/_guide_hits.html",
        {"hits": hits, "suggested": True, "source": "chat" if contact.transcript.strip() else "ivr", "query": query},
    )

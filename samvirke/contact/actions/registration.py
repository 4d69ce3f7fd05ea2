"""The agent's registration of a contact (the wrap-up), its draft, and the transfer of a contact that keeps it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from samvirke.audit.actions import record
from samvirke.contact.actions.routing import (
    ContactError,
    _assign,
    _release_agent,
    _schedule_overflow,
    _take_ready_agent,
    dispatch_waiting,
)
from samvirke.contact.lib.transfer import next_leg_id
from samvirke.contact.models import AgentState, Channel, ChatMessage, Contact, ContactState, ForwardedTo, Queue
from samvirke.contact.selectors import cached_queues, queue_is_open
from samvirke.core.lib.clock import LOCAL
from samvirke.core.lib.masking import mask_personal_data
from samvirke.directory.models import Person

FINISHED_STATES = (ContactState.ENDED, ContactState.TRANSFERRED, ContactState.ABANDONED, ContactState.CLOSED)


MAX_NOTE_CHARS = 4000


@dataclass(frozen=True)
class Registration:
    topic_id: str
    resolved_at_once: bool
    forwarded_to: str = ""
    note: str = ""


@dataclass(frozen=True)
class RegistrationDraft:
    """What the agent has filled in so far; any field may still be empty."""

    topic_id: str = ""
    resolved_at_once: bool | None = None
    forwarded_to: str = ""
    note: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.topic_id) and self.resolved_at_once is not None


def _clean_note(note: str) -> str:
    return mask_personal_data(note[:MAX_NOTE_CHARS].strip())[:MAX_NOTE_CHARS]


def _holds(actor: Person, contact: Contact) -> bool:
    """Whether the agent still holds the contact (in the conversation or its wrap-up)."""
    return AgentState.objects.filter(person=actor, current_contact=contact).exists()


def _registered_as(contact: Contact, registration: Registration) -> bool:
    return (
        contact.topic_id == registration.topic_id
        and contact.resolved_at_once == registration.resolved_at_once
        and contact.forwarded_to == registration.forwarded_to
        and contact.note == _clean_note(registration.note)
    )


def do_register_contact(actor: Person, contact_id: int, registration: Registration, at: dt.datetime) -> Contact:
    """The agent's wrap-up: topic, straksafklaret, forwarded to, a note (masked before it is stored).

    The same registration twice (a double click) is one registration. While the agent still holds the contact it may
    correct what it registered; afterwards a registration stands."""
    if registration.forwarded_to not in ForwardedTo.values:
        raise ContactError("Ugyldig modtager.")
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact_id, agent=actor).first()
        if contact is None:
            raise ContactError("Du kan kun registrere kontakter, du selv har besvaret.")
        if contact.answered_at is None and contact.state not in (
            ContactState.ANSWERED,
            ContactState.ENDED,
            ContactState.TRANSFERRED,
        ):
            raise ContactError("Kontakten er ikke besvaret endnu.")
        if contact.registered_at is not None:
            if _registered_as(contact, registration):
                return contact
            if not _holds(actor, contact):
                moment = contact.registered_at.astimezone(LOCAL)
                raise ContactError(f"Henvendelsen er allerede registreret ({moment:%d.%m. kl. %H.%M}).")
        contact.topic_id = registration.topic_id
        contact.resolved_at_once = registration.resolved_at_once
        contact.forwarded_to = registration.forwarded_to
        contact.note = _clean_note(registration.note)
        contact.registered_at = at
        contact.save(update_fields=["topic_id", "resolved_at_once", "forwarded_to", "note", "registered_at"])
        if contact.channel == Channel.CHAT and contact.state == ContactState.ANSWERED:
            # A chat ends when the agent registers it.
            contact.state = ContactState.ENDED
            contact.ended_at = at
            contact.save(update_fields=["state", "ended_at"])
        if contact.state in FINISHED_STATES:
            _release_agent(contact, at)
        record(actor, "contact.register", contact, {"topic": contact.topic_id, "resolved": contact.resolved_at_once})
        return contact


def _apply_draft(contact: Contact, draft: RegistrationDraft) -> list[str]:
    """Copy the draft's filled-in fields onto the contact; the names of the fields that changed."""
    changed = []
    values: dict[str, Any] = {
        "topic_id": draft.topic_id,
        "resolved_at_once": draft.resolved_at_once,
        "forwarded_to": draft.forwarded_to,
        "note": _clean_note(draft.note),
    }
    for name, value in values.items():
        if getattr(contact, name) != value:
            setattr(contact, name, value)
            changed.append(name)
    return changed


def do_save_registration_draft(actor: Person, contact_id: int, draft: RegistrationDraft, at: dt.datetime) -> Contact:
    """Keep what the agent has filled in so far on the contact, so that nothing is lost when the wrap-up time runs
    out or the page is reloaded. A registered contact is left as it is."""
    if draft.forwarded_to not in ForwardedTo.values:
        raise ContactError("Ugyldig modtager.")
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact_id, agent=actor).first()
        if contact is None:
            raise ContactError("Du kan kun registrere kontakter, du selv har besvaret.")
        if contact.registered_at is not None:
            return contact
        changed = _apply_draft(contact, draft)
        if changed:
            contact.save(update_fields=changed)
            record(actor, "contact.draft", contact, {"fields": changed})
        return contact


@dataclass(frozen=True)
class TransferDestination:
    """Where a contact is transferred to: another queue of the contact centre (the contact goes on there as a new
    leg) or an outside number. `label` is what the citizen reads, e.g. "Holbæk Kommune, tlf. 72 36 36 36"."""

    label: str
    forwarded_to: str
    queue_slug: str = ""
    phone: str = ""  # an outside number's 8 digits: the platform moves the call there (api.py, call_transferred)


def do_transfer_contact(
    actor: Person,
    contact_id: int,
    destination: TransferDestination,
    at: dt.datetime,
    draft: RegistrationDraft | None = None,
) -> Contact:
    """Transfer the contact the agent is in, keeping what the agent registered (saved with the transfer; complete,
    it is the registration, else a draft to finish in the wrap-up). For a call the platform moves the line and its
    call_transferred event later only confirms it. To another queue the contact goes on as a new leg in that queue
    (the call as "<call id>/2", see api.py; a chat with its messages, on the citizen's same page)."""
    draft = draft or RegistrationDraft()
    if draft.forwarded_to not in ForwardedTo.values or destination.forwarded_to not in ForwardedTo.values:
        raise ContactError("Ugyldig modtager.")
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact_id, agent=actor).first()
        if contact is None:
            raise ContactError("Du kan kun viderestille kontakter, du selv har besvaret.")
        if contact.state == ContactState.TRANSFERRED and contact.transferred_to == destination.label:
            return contact  # the same transfer again (a double click)
        if contact.state not in (ContactState.ANSWERED, ContactState.ASSIGNED):
            raise ContactError("Kun en igangværende samtale kan viderestilles; denne er afsluttet.")
        target = None
        if destination.queue_slug:
            target = next((queue for queue in cached_queues() if queue.slug == destination.queue_slug), None)
            if target is None or target.pk == contact.queue_id:
                raise ContactError("Vælg en anden kø end den, henvendelsen kom fra.")
            if not queue_is_open(target, at):
                raise ContactError(f"{target.name} har lukket nu. Vælg et nummer i stedet.")
        changed = _apply_draft(contact, draft)
        if not contact.forwarded_to:
            contact.forwarded_to = destination.forwarded_to
        if draft.complete:
            contact.registered_at = at
        if contact.answered_at is None:
            contact.answered_at = at
        contact.state = ContactState.TRANSFERRED
        contact.ended_at = at
        contact.transferred_to = destination.label
        # Only a call is moved to a number; a chat to an outside number only tells the citizen where to call.
        contact.transfer_number = destination.phone if contact.channel == Channel.PHONE and not target else ""
        leg = _continue_in_queue(contact, target, at) if target is not None else None
        if leg is not None:
            contact.chat_token = ""  # the citizen's page follows the chat to its new leg
        contact.save(
            update_fields=[
                *changed,
                "forwarded_to",
                "registered_at",
                "answered_at",
                "state",
                "ended_at",
                "transferred_to",
                "transfer_number",
                "chat_token",
            ]
        )
        _release_agent(contact, at)
        details: dict[str, Any] = {"to": destination.label, "registered": draft.complete}
        if leg is not None:
            details["leg"] = leg.pk
        record(actor, "contact.transfer", contact, details)
        return contact


def _continue_in_queue(contact: Contact, queue: Queue, at: dt.datetime) -> Contact:
    """The transferred contact's new leg in `queue`, with the conversation so far and the first agent's
    registration as a hand-over note; given to a ready agent at once if there is one."""
    from samvirke.knowledge.models import Topic

    topic = (
        Topic.objects.filter(pk=contact.topic_id).values_list("title", flat=True).first() if contact.topic_id else None
    )
    handover = [
        f"— Viderestillet fra {contact.queue.name} {at.astimezone(LOCAL):%d.%m. kl. %H.%M} —",
        f"Emne: {topic or 'ikke valgt endnu'}",
    ]
    if contact.note:
        handover.append(f"Notat: {contact.note}")
    messages = list(contact.messages.all()) if contact.channel == Channel.CHAT else []
    if messages:
        handover.append("Chatten indtil nu:")
        handover += [f"{'Borger' if m.from_citizen else 'Medarbejder'}: {m.text}" for m in messages]
    transcript = "\n".join([*([contact.transcript] if contact.transcript else []), *handover])
    leg = Contact.objects.create(
        channel=contact.channel,
        external_id=next_leg_id(contact.external_id, contact.transferred_from_id is not None),
        queue=queue,
        priority=queue.priority,
        called_number=contact.called_number,
        caller_number=contact.caller_number,
        unknown_number=contact.unknown_number,
        citizen_municipality_id=contact.citizen_municipality_id,
        municipality_source=contact.municipality_source,
        ivr_topic=contact.ivr_topic,
        callback_requested=contact.callback_requested,
        offered_at=at,
        transcript=transcript[-20000:],
        chat_token=contact.chat_token,
        transferred_from=contact,
    )
    if messages:
        ChatMessage.objects.bulk_create(
            ChatMessage(contact=leg, from_citizen=m.from_citizen, text=m.text, sent_at=m.sent_at) for m in messages
        )
    agent = _take_ready_agent(queue, leg.channel, at=at)
    if agent is not None:
        _assign(leg, agent, at)
    else:
        transaction.on_commit(lambda: dispatch_waiting(at))
        _schedule_overflow(queue, at)
    return leg

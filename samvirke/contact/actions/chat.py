"""Chats: a citizen handed over from the assistant, the messages both sides write, callbacks and messages left
out of hours, and the agent taking an offered chat."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from samvirke.audit.actions import record
from samvirke.contact.actions.routing import ContactError, _assign, _release_agent, _take_ready_agent
from samvirke.contact.models import Channel, ChatMessage, Contact, ContactState, MunicipalitySource
from samvirke.contact.selectors import LIVE_STATES, LOCAL, chat_queue, queue_is_open
from samvirke.core.lib.hours import is_open, next_opening
from samvirke.core.lib.masking import bounded, mask_personal_data
from samvirke.core.lib.opening import parse_opening_hours
from samvirke.directory.models import Municipality, Person
from samvirke.preparedness.selectors import crisis_for_call


def do_answer_contact(person: Person, contact_id: int, at: dt.datetime) -> Contact:
    """The agent takes an offered chat (phone calls are answered on the phone; the platform reports it)."""
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact_id, agent=person).first()
        if contact is None:
            raise ContactError("Kontakten er ikke tilbudt dig.")
        if contact.state == ContactState.ASSIGNED:
            contact.state = ContactState.ANSWERED
            contact.answered_at = at
            contact.save(update_fields=["state", "answered_at"])
        return contact


MAX_CHAT_MESSAGE_CHARS = 2000
_CLIENT_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def _valid_client_id(client_id: str) -> str:
    """A message id the page made (letters, digits, - and _), or "" for anything else."""
    client_id = client_id[:40]
    return client_id if all(char in _CLIENT_ID_CHARS for char in client_id) else ""


def _already_sent(contact: Contact, client_id: str) -> ChatMessage | None:
    """The message a page already sent with this id (a double click or a retry), if any."""
    return ChatMessage.objects.filter(contact=contact, client_id=client_id).first() if client_id else None


def do_send_agent_message(
    person: Person, contact_id: int, text: str, at: dt.datetime, client_id: str = ""
) -> ChatMessage:
    """The agent writes in a chat it is in. `client_id`, made by the desk page for each message, makes a
    double-clicked or retried Send one message."""
    text = mask_personal_data(bounded(text, MAX_CHAT_MESSAGE_CHARS).strip())
    if not text:
        raise ContactError("Skriv en besked først.")
    client_id = _valid_client_id(client_id)
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact_id, agent=person, channel=Channel.CHAT).first()
        if contact is None:
            raise ContactError("Samtalen er ikke din.")
        if (sent := _already_sent(contact, client_id)) is not None:
            return sent
        if contact.state != ContactState.ANSWERED:
            raise ContactError("Samtalen er afsluttet; beskeden blev ikke sendt.")
        return ChatMessage.objects.create(
            contact=contact, from_citizen=False, text=text, sent_at=at, client_id=client_id
        )


# ---------------------------------------------------------------------------------------------------------------
# Chat handed over from the assistant


MAX_TRANSCRIPT_CHARS = 20000
MAX_LATER_MESSAGE_CHARS = 1000  # a callback's or a message's text: what the citizen needs help with


def do_start_chat(municipality: Municipality, transcript: str, at: dt.datetime) -> Contact:
    """A citizen asks the assistant for a human: a chat contact with the conversation so far (masked)."""
    with transaction.atomic():
        queue = chat_queue()
        token = secrets.token_urlsafe(24)
        contact = Contact.objects.create(
            channel=Channel.CHAT,
            external_id=f"chat-{token[:20]}",
            queue=queue,
            priority=queue.priority,
            citizen_municipality=municipality,
            municipality_source=MunicipalitySource.CHAT_PAGE,
            offered_at=at,
            transcript=mask_personal_data(bounded(transcript, MAX_TRANSCRIPT_CHARS)),
            chat_token=token,
        )
        crisis = crisis_for_call(municipality.pk, at)  # a crisis extends the hours and reroutes chats too
        if not queue_is_open(queue, at) and not (crisis and crisis.keeps_open):
            contact.state = ContactState.CLOSED
            contact.save(update_fields=["state"])
            return contact
        if crisis is not None:
            agent = _take_ready_agent(
                queue, Channel.CHAT, at=at, only_from=crisis.only_from, never_from=crisis.never_from
            )
        else:
            agent = _take_ready_agent(queue, Channel.CHAT, at=at)
        if agent is not None:
            _assign(contact, agent, at)
        return contact


@dataclass(frozen=True)
class LaterRequest:
    """A citizen's request, made in the chat, for the hotline to get back: a callback (`phone`, eight digits) or a
    message answered in writing (`phone` empty). `key` comes from the form, so a second click on the same form
    finds the contact the first one made instead of making another."""

    message: str
    phone: str = ""
    key: str = ""


def do_request_later_contact(
    municipality: Municipality, request: LaterRequest, transcript: str, at: dt.datetime
) -> Contact:
    """Out of hours (or by choice), the citizen asks to be called back or leaves a message: a chat contact that
    joins the queue when the hotline opens, and goes to a ready agent at once if it is open.

    While the hotline is closed the contact is offered at the next opening (`offered_at`), so routing takes it
    in the order of the morning's contacts and the KPIs measure the wait from when agents could answer, not the
    night. The number is kept in `caller_number`, which retention-cleanup empties after its period; the message
    and the conversation are masked (CPR, phone, e-mail) like every chat.
    """
    message = mask_personal_data(bounded(request.message, MAX_LATER_MESSAGE_CHARS).strip())
    if not request.phone and not message:
        raise ContactError("Skriv din besked til hotlinen.")
    external_id = f"later-{request.key}" if request.key else f"later-{secrets.token_urlsafe(18)}"
    existing = Contact.objects.filter(external_id=external_id).first()
    if existing is not None:
        return existing  # the same form sent twice
    try:
        with transaction.atomic():
            return _queue_later_contact(municipality, request, message, transcript, external_id, at)
    except IntegrityError:  # … or both clicks at the same moment
        return Contact.objects.get(external_id=external_id)


def _queue_later_contact(
    municipality: Municipality, request: LaterRequest, message: str, transcript: str, external_id: str,
    at: dt.datetime,
) -> Contact:  # fmt: skip
    queue = chat_queue()
    local = at.astimezone(LOCAL)
    hours = parse_opening_hours(queue.opening_hours)
    opens = None if is_open(hours, local) else next_opening(hours, local)
    asked = f"{'Ønsker opringning' if request.phone else 'Besked til hotlinen'}, sendt {local:%d.%m.%Y kl. %H.%M}"
    contact = Contact.objects.create(
        channel=Channel.CHAT,
        external_id=external_id,
        queue=queue,
        priority=queue.priority,
        citizen_municipality=municipality,
        municipality_source=MunicipalitySource.CHAT_PAGE,
        callback_requested=bool(request.phone),
        caller_number=request.phone,
        offered_at=opens or at,
        transcript=mask_personal_data(bounded(f"{asked}.\n{transcript}", MAX_TRANSCRIPT_CHARS)).strip(),
        chat_token=secrets.token_urlsafe(24),
    )
    if message:
        ChatMessage.objects.create(contact=contact, from_citizen=True, text=message, sent_at=at)
    record(
        None,
        "contact.callback_requested" if request.phone else "contact.message_left",
        contact,
        {"municipality": municipality.code, "offered_at": contact.offered_at.isoformat(), "while_closed": bool(opens)},
    )
    if opens is None:
        agent = _take_ready_agent(queue, Channel.CHAT, at=at)
        if agent is not None:
            _assign(contact, agent, at)
    return contact


def do_send_chat_message(
    contact: Contact, text: str, from_citizen: bool, at: dt.datetime, client_id: str = ""
) -> ChatMessage | None:
    """A message in a live chat (the citizen's side). `client_id`, made by the page for each message, makes a
    double-clicked or retried Send one message."""
    text = mask_personal_data(bounded(text, MAX_CHAT_MESSAGE_CHARS).strip())
    if not text:
        return None
    client_id = _valid_client_id(client_id)
    with transaction.atomic():
        locked = Contact.objects.select_for_update().get(pk=contact.pk)
        if (sent := _already_sent(locked, client_id)) is not None:
            return sent
        if locked.state not in LIVE_STATES:
            raise ContactError("Samtalen er afsluttet.")
        return ChatMessage.objects.create(
            contact=locked, from_citizen=from_citizen, text=text, sent_at=at, client_id=client_id
        )


def do_leave_chat(contact: Contact, at: dt.datetime) -> None:
    """The citizen closes the chat: abandoned if no one answered yet, else ended."""
    with transaction.atomic():
        locked = Contact.objects.select_for_update().get(pk=contact.pk)
        if locked.state in (ContactState.QUEUED, ContactState.ASSIGNED):
            locked.state = ContactState.ABANDONED
            locked.abandoned_at = at
            locked.save(update_fields=["state", "abandoned_at"])
        elif locked.state == ContactState.ANSWERED:
            locked.state = ContactState.ENDED
            locked.ended_at = at
            locked.save(update_fields=["state", "ended_at"])
        else:
            return
        _release_agent(locked, at)


def do_rate_chat(contact: Contact, rating: int) -> None:
    if not 1 <= rating <= 9:
        raise ContactError("Vælg en vurdering fra 1 til 9.")
    Contact.objects.filter(pk=contact.pk, state__in=[ContactState.ENDED, ContactState.TRANSFERRED]).update(
        satisfaction=rating
    )

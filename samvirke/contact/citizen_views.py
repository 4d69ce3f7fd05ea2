"""The citizen's side of a chat handed over from the assistant to a human agent, and of a callback or message
asked for when the hotline is closed.

No login: the chat is reached by an unguessable token in its address, bound to the municipality's chat page.
Works without JavaScript (plain forms, a refresh link); with it, htmx polls for new messages."""

from __future__ import annotations

import contextlib
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from samvirke.assistant import actions as assistant_actions
from samvirke.assistant import chat_page, service
from samvirke.assistant.chat_page import CONVERSATION_KEY, HISTORY_KEY, LATER_KEY
from samvirke.contact import actions, selectors
from samvirke.contact.lib.phone import MAX_INPUT_CHARS, parse_danish_phone
from samvirke.contact.lib.retention import mask_number
from samvirke.contact.models import Contact, ContactState
from samvirke.core.lib.hours import when_da
from samvirke.core.lib.masking import bounded
from samvirke.knowledge.access import chat_municipality

MAX_WAITING_PER_SESSION = 3  # callbacks and messages one browser may have waiting: enough for a citizen, not a flood
BOT_LINES = {
    "answer": "",
    "clarify": "(assistenten spurgte, hvad borgeren mente)",
    "handoff": "(assistenten kendte ikke svaret)",
    "human": "(borgeren bad om en medarbejder)",
    "greeting": "(hilsen)",
    "thanks": "(tak)",
    "gibberish": "(assistenten forstod ikke beskeden)",
}


def _chat(code: int, token: str) -> Contact:
    contact = (
        Contact.objects.select_related("citizen_municipality", "agent")
        .filter(chat_token=token, citizen_municipality__code=code)
        .exclude(chat_token="")
        .first()
    )
    if contact is None:
        raise Http404("Samtalen findes ikke.")
    return contact


def _transcript(history: list[dict[str, Any]]) -> str:
    """The conversation with the assistant for the agent (the session keeps it masked already)."""
    lines = []
    for turn in history:
        lines.append(f"Borger: {turn.get('question', '')}")
        answer = turn.get("topic_title") or BOT_LINES.get(turn.get("kind", ""), "") or BOT_LINES["handoff"]
        lines.append(f"Assistent: {answer}")
        if turn.get("feedback") == "nej":
            lines.append("Borger: (svaret hjalp ikke)")
    return "\n".join(lines)


@require_POST
def start(request: HttpRequest, code: int) -> HttpResponse:
    municipality = chat_municipality(code)
    history = request.session.get(HISTORY_KEY.format(code=code), [])
    contact = actions.do_start_chat(municipality, _transcript(history), timezone.now())
    assistant_actions.do_mark_handed_over(request.session.get(CONVERSATION_KEY.format(code=code)))
    return redirect("chat_human:conversation", code=code, token=contact.chat_token)


@require_POST
def callback(request: HttpRequest, code: int) -> HttpResponse:
    """Out of hours: "ring me when you open" — a number (kept only as long as retention allows) and a short text."""
    return _later(request, code, callback=True)


@require_POST
def message(request: HttpRequest, code: int) -> HttpResponse:
    """Out of hours: a message to the hotline, answered by an agent on the page the citizen is sent to."""
    return _later(request, code, callback=False)


def _waiting(tokens: list[str]) -> int:
    return Contact.objects.filter(chat_token__in=tokens, state__in=selectors.LIVE_STATES).count() if tokens else 0


def _later(request: HttpRequest, code: int, callback: bool) -> HttpResponse:
    municipality = chat_municipality(code)
    text = bounded(request.POST.get("message", ""), actions.MAX_LATER_MESSAGE_CHARS)
    typed_phone = bounded(request.POST.get("phone", ""), MAX_INPUT_CHARS + 1)
    key = bounded(request.POST.get("key", ""), 40)
    if not key.replace("-", "").replace("_", "").isalnum():
        key = ""  # not a key this page made: no duplicate check, nothing else changes
    tokens = request.session.get(LATER_KEY.format(code=code), [])
    errors: dict[str, str] = {}
    phone = parse_danish_phone(typed_phone) if callback else ""
    if callback and phone is None:
        errors["phone"] = "Skriv et dansk telefonnummer med 8 cifre, fx 20 30 40 50."
    if not callback and not text.strip():
        errors["message"] = "Skriv din besked til hotlinen."
    if not errors and _waiting(tokens) >= MAX_WAITING_PER_SESSION:
        errors["form"] = (
            "Du har allerede bedt hotlinen om at vende tilbage. En medarbejder kontakter dig, når hotlinen åbner."
        )
    if errors:
        turns = chat_page.history(request, code)
        context = chat_page.page_context(request, municipality, turns)
        context.update(
            handover=service.handover_for(municipality, topic_id=chat_page.conversation_topic(turns)),
            later_form={"callback": callback, "errors": errors, "phone": typed_phone, "message": text},
            crisis_notices=service.active_crisis_notices(municipality, timezone.now()),
        )
        return render(request, "assistant/chat.html", context, status=400)
    later = actions.LaterRequest(text, phone or "", f"{'cb' if callback else 'msg'}-{key}" if key else "")
    contact = actions.do_request_later_contact(
        municipality, later, _transcript(chat_page.history(request, code)), timezone.now()
    )
    assistant_actions.do_mark_handed_over(request.session.get(CONVERSATION_KEY.format(code=code)))
    if contact.chat_token not in tokens:
        request.session[LATER_KEY.format(code=code)] = [*tokens, contact.chat_token][-MAX_WAITING_PER_SESSION * 2 :]
    return redirect("chat_human:conversation", code=code, token=contact.chat_token)


def _context(contact: Contact) -> dict[str, object]:
    now = timezone.now()
    waits = selectors.waits_for_opening(contact, now)
    position = selectors.queue_position(contact) if contact.state == ContactState.QUEUED and not waits else None
    return {
        "contact": contact,
        "municipality": contact.citizen_municipality,
        "chat_messages": list(contact.messages.all()),
        "position": position,
        "waits_for_opening": waits,
        "opens": when_da(timezone.localtime(now), timezone.localtime(contact.offered_at), with_date=True),
        "masked_phone": mask_number(contact.caller_number),
        # Polled while someone may write; a request waiting for the morning is not polled all night.
        "live": contact.state in selectors.LIVE_STATES and not waits,
        "open": contact.state in selectors.LIVE_STATES,
        "hotline_phone": service.hotline_phone(contact.citizen_municipality) if contact.citizen_municipality else "",
        "ratings": range(1, 10),
    }


@require_GET
def conversation(request: HttpRequest, code: int, token: str) -> HttpResponse:
    contact = _chat(code, token)
    if request.htmx:  # type: ignore[attr-defined]
        return _state_fragment(request, contact)
    return render(request, "contact/citizen_chat.html", _context(contact))


# htmx stops polling an element whose poll is answered 286 (and still shows the answer): a chat that is over no
# longer changes, and redrawing it every 2 s would reset the rating the citizen is choosing.
STOP_POLLING = 286


def _state_fragment(request: HttpRequest, contact: Contact) -> HttpResponse:
    """The chat's state for the page's poll or after a message; once the chat is over, the message form goes
    too (an out-of-band swap) and the poll stops."""
    context = _context(contact)
    over = not context["open"]
    response = render(request, "contact/_citizen_chat_state.html", {**context, "over": over})
    if over:
        response.status_code = STOP_POLLING
    return response


@require_POST
def send(request: HttpRequest, code: int, token: str) -> HttpResponse:
    contact = _chat(code, token)
    with contextlib.suppress(actions.ContactError):  # the page shows that the chat has ended
        actions.do_send_chat_message(
            contact, request.POST.get("text", ""), True, timezone.now(), request.POST.get("client_id", "")
        )
    if request.htmx:  # type: ignore[attr-defined]
        return _state_fragment(request, _chat(code, token))
    return redirect("chat_human:conversation", code=code, token=token)


@require_POST
def leave(request: HttpRequest, code: int, token: str) -> HttpResponse:
    contact = _chat(code, token)
    actions.do_leave_chat(contact, timezone.now())
    return redirect("chat_human:conversation", code=code, token=token)


@require_POST
def rate(request: HttpRequest, code: int, token: str) -> HttpResponse:
    contact = _chat(code, token)
    try:
        actions.do_rate_chat(contact, int(bounded(request.POST.get("rating", "0"), 2)))
    except (ValueError, actions.ContactError):
        context = _context(contact)
        context["rating_error"] = "Vælg en vurdering fra 1 til 9."
        return render(request, "contact/citizen_chat.html", context, status=400)
    return redirect("chat_human:conversation", code=code, token=token)

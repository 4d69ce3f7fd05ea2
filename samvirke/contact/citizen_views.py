"""The citizen's side of a chat handed over from the assistant to a human agent.

No login: the chat is reached by an unguessable token in its address, bound to the municipality's chat page.
Works without JavaScript (plain forms, a refresh link); with it, htmx polls for new messages."""

from __future__ import annotations

import contextlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from samvirke.assistant import actions as assistant_actions
from samvirke.assistant import service
from samvirke.assistant.views import CONVERSATION_KEY, HISTORY_KEY
from samvirke.contact import actions
from samvirke.contact.models import Contact, ContactState
from samvirke.knowledge.access import chat_municipality


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


def _transcript(history: list[dict[str, str]]) -> str:
    lines = []
    for turn in history:
        lines.append(f"Borger: {turn.get('question', '')}")
        answer = turn.get("topic_title") or "(assistenten kendte ikke svaret)"
        lines.append(f"Assistent: {answer}")
    return "\n".join(lines)


@require_POST
def start(request: HttpRequest, code: int) -> HttpResponse:
    municipality = chat_municipality(code)
    history = request.session.get(HISTORY_KEY.format(code=code), [])
    contact = actions.do_start_chat(municipality, _transcript(history), timezone.now())
    assistant_actions.do_mark_handed_over(request.session.get(CONVERSATION_KEY.format(code=code)))
    return redirect("chat_human:conversation", code=code, token=contact.chat_token)


def _context(contact: Contact) -> dict[str, object]:
    position = actions.queue_position(contact) if contact.state == ContactState.QUEUED else None
    return {
        "contact": contact,
        "municipality": contact.citizen_municipality,
        "chat_messages": list(contact.messages.all()),
        "position": position,
        "live": contact.state in actions.LIVE_STATES,
        "hotline_phone": service.hotline_phone(contact.citizen_municipality) if contact.citizen_municipality else "",
        "ratings": range(1, 10),
    }


@require_GET
def conversation(request: HttpRequest, code: int, token: str) -> HttpResponse:
    contact = _chat(code, token)
    template = "contact/_citizen_chat_state.html" if request.htmx else "contact/citizen_chat.html"  # type: ignore[attr-defined]
    return render(request, template, _context(contact))


@require_POST
def send(request: HttpRequest, code: int, token: str) -> HttpResponse:
    contact = _chat(code, token)
    with contextlib.suppress(actions.ContactError):  # the page shows that the chat has ended
        actions.do_send_chat_message(contact, request.POST.get("text", ""), True, timezone.now())
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "contact/_citizen_chat_state.html", _context(_chat(code, token)))
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
        actions.do_rate_chat(contact, int(request.POST.get("rating", "0")))
    except (ValueError, actions.ContactError):
        context = _context(contact)
        context["rating_error"] = "Vælg en vurdering fra 1 til 9."
        return render(request, "contact/citizen_chat.html", context, status=400)
    return redirect("chat_human:conversation", code=code, token=token)

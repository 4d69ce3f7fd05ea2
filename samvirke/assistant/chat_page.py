"""The citizens' chat page's session and context, shared by the assistant's views (assistant/views.py) and the
contact centre's hand-over views (contact/citizen_views.py), which draw the same page after a refused callback.

The conversation lives in the citizen's session (the last MAX_HISTORY turns), masked like everything else Samvirke
stores."""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from samvirke.assistant import service
from samvirke.directory.models import Municipality

HISTORY_KEY = "chat-history-{code}"
CONVERSATION_KEY = "chatbot-conversation-{code}"  # counts conversations for the chatbot share
LATER_KEY = "chat-later-{code}"  # tokens of the callbacks and messages this session asked for
MAX_HISTORY = 10


def history(request: HttpRequest, code: int) -> list[dict[str, Any]]:
    turns = request.session.get(HISTORY_KEY.format(code=code), [])
    return turns if isinstance(turns, list) else []


def conversation_topic(turns: list[dict[str, Any]]) -> str | None:
    """What the conversation is about: the topic of the latest turn that had one."""
    return next((turn["topic_id"] for turn in reversed(turns) if turn.get("topic_id")), None)


def page_context(request: HttpRequest, municipality: Municipality, turns: list[dict[str, Any]]) -> dict[str, Any]:
    later = request.session.get(LATER_KEY.format(code=municipality.code), [])
    return {
        "municipality": municipality,
        "earlier": turns,
        "hotline_phone": service.hotline_phone(municipality),
        "quick_replies": SimpleLazyObject(service.quick_replies),  # read only when the page shows them
        "later_token": later[-1] if later else "",
        "form_key": secrets.token_urlsafe(16),
    }

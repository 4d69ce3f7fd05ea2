"""The citizens' chat page per municipality: a plain form that works without JavaScript, enhanced with it.

The conversation lives in the citizen's session (the last MAX_HISTORY turns), masked like everything else
Samvirke stores: what the citizen typed is shown back once, in the reply, and kept only with CPR numbers, phone
numbers and e-mail addresses replaced.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from samvirke.assistant import actions, service
from samvirke.assistant.chat_page import (
    CONVERSATION_KEY,
    HISTORY_KEY,
    MAX_HISTORY,
    conversation_topic,
    history,
    page_context,
)
from samvirke.core.lib.masking import bounded, mask_personal_data
from samvirke.knowledge.access import chat_municipality
from samvirke.knowledge.models import GuideStatus, Topic

MAX_TOPIC_ID_CHARS = 80


def _published_topic(topic_id: str) -> Topic | None:
    if not topic_id:
        return None
    return Topic.objects.filter(pk=topic_id, guide__status=GuideStatus.PUBLISHED).first()


def _remember(request: HttpRequest, code: int, turns: list[dict[str, Any]], reply: service.Reply) -> dict[str, Any]:
    turn = {
        "id": secrets.token_hex(6),
        "question": mask_personal_data(reply.question),
        "kind": reply.kind,
        "topic_id": reply.topic_id or "",
        "topic_title": reply.topic_title,
        "feedback": "",
    }
    turns.append(turn)
    request.session[HISTORY_KEY.format(code=code)] = turns[-MAX_HISTORY:]
    return turn


@require_http_methods(["GET", "POST"])
def chat(request: HttpRequest, code: int) -> HttpResponse:
    municipality = chat_municipality(code)
    turns = history(request, code)
    reply = None
    if request.method == "POST":
        # Cut to size before anything else looks at it (the masking and the dialogue layer included).
        question = bounded(request.POST.get("question", ""), service.MAX_QUESTION_CHARS)
        chosen = _published_topic(bounded(request.POST.get("topic", ""), MAX_TOPIC_ID_CHARS))
        if chosen is not None:  # a quick reply or "which one did you mean?"
            reply = service.ask(chosen.title, municipality, topic_id=chosen.pk)
        else:
            reply = service.ask(question, municipality, conversation_topic=conversation_topic(turns))
        conversation_key = CONVERSATION_KEY.format(code=code)
        request.session[conversation_key] = actions.do_count_question(
            request.session.get(conversation_key),
            municipality,
            timezone.now(),
            # Quick replies are not counted as asked: the most shown topics would otherwise stay on top.
            answered_topic=reply.topic_id if reply.kind == "answer" and chosen is None else None,
        )
        if reply.unanswered:
            best = reply.candidates[0].topic_id if reply.candidates else ""
            actions.do_record_unanswered(municipality, question, best, reply.confidence)
    elif request.GET.get("emne"):
        topic = _published_topic(bounded(request.GET["emne"], MAX_TOPIC_ID_CHARS))
        if topic is not None:
            reply = service.ask(topic.title, municipality, topic_id=topic.pk)
    earlier = list(turns)
    turn = _remember(request, code, turns, reply) if reply is not None else None
    context = page_context(request, municipality, earlier)
    context.update(
        reply=reply,
        turn=turn,
        crisis_notices=reply.crisis_notices if reply else service.active_crisis_notices(municipality, timezone.now()),
    )
    if request.headers.get("X-Requested-With") == "fetch":
        return render(request, "assistant/_reply.html", context)
    return render(request, "assistant/chat.html", context)


@require_POST
def feedback(request: HttpRequest, code: int) -> HttpResponse:
    """Did the answer help? "Nej" always offers the hand-over (a chat with an agent, or a callback or message when
    the hotline is closed). Without JavaScript the whole conversation is shown again, not just a thank-you."""
    municipality = chat_municipality(code)
    helpful = request.POST.get("helpful") == "ja"
    turns = history(request, code)
    turn_id = bounded(request.POST.get("turn", ""), 20)
    turn = next((t for t in turns if turn_id and t.get("id") == turn_id), None)
    topic_id = turn["topic_id"] if turn else bounded(request.POST.get("topic_id", ""), MAX_TOPIC_ID_CHARS)
    if turn is None or not turn.get("feedback"):  # a second click on the same answer counts once
        question = turn["question"] if turn else request.POST.get("question", "")
        actions.do_record_feedback(municipality, topic_id, helpful, bounded(question, actions.MAX_STORED_CHARS))
        if turn is not None:
            turn["feedback"] = "ja" if helpful else "nej"
            request.session[HISTORY_KEY.format(code=code)] = turns
    context = page_context(request, municipality, turns)
    context.update(
        helpful=helpful,
        handover=None if helpful else service.handover_for(municipality, topic_id=topic_id or None),
        crisis_notices=service.active_crisis_notices(municipality, timezone.now()),
    )
    if request.headers.get("X-Requested-With") == "fetch":
        return render(request, "assistant/_feedback.html", context)
    context["feedback_turn"] = True
    return render(request, "assistant/chat.html", context)

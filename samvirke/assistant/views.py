"""The citizens' chat page per municipality: a plain form that works without JavaScript, enhanced with it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from samvirke.assistant import actions, service
from samvirke.knowledge.access import chat_municipality
from samvirke.knowledge.models import Topic

HISTORY_KEY = "chat-history-{code}"
CONVERSATION_KEY = "chatbot-conversation-{code}"  # counts conversations for the chatbot share
MAX_HISTORY = 10


@require_http_methods(["GET", "POST"])
def chat(request: HttpRequest, code: int) -> HttpResponse:
    municipality = chat_municipality(code)
    history_key = HISTORY_KEY.format(code=code)
    reply = None
    question = ""
    if request.method == "POST":
        question = request.POST.get("question", "")
        reply = service.ask(question, municipality)
        conversation_key = CONVERSATION_KEY.format(code=code)
        request.session[conversation_key] = actions.do_count_question(
            request.session.get(conversation_key), municipality, timezone.now()
        )
        if reply.handoff and question.strip():
            best = reply.candidates[0].topic_id if reply.candidates else ""
            actions.do_record_unanswered(municipality, question, best, reply.confidence)
    elif request.GET.get("emne"):
        topic = Topic.objects.filter(pk=request.GET["emne"]).first()
        if topic is not None:
            question = topic.title
            reply = service.ask(topic.title, municipality, topic_id=topic.pk)
    history: list[dict[str, str]] = request.session.get(history_key, [])
    if reply is not None:
        turn = {
            "question": reply.question,
            "kind": reply.kind,
            "topic_id": reply.topic_id or "",
            "topic_title": reply.topic_title,
        }
        history = (history + [turn])[-MAX_HISTORY:]
        request.session[history_key] = history
    context = {
        "municipality": municipality,
        "reply": reply,
        "question": question,
        "earlier": history[:-1] if reply is not None else history,
        "hotline_phone": service.hotline_phone(municipality),
        "crisis_notices": reply.crisis_notices
        if reply
        else service.active_crisis_notices(municipality, timezone.now()),
    }
    if request.headers.get("X-Requested-With") == "fetch":
        return render(request, "assistant/_reply.html", context)
    return render(request, "assistant/chat.html", context)


@require_POST
def feedback(request: HttpRequest, code: int) -> HttpResponse:
    municipality = chat_municipality(code)
    helpful = request.POST.get("helpful") == "ja"
    actions.do_record_feedback(
        municipality, request.POST.get("topic_id", ""), helpful, request.POST.get("question", "")
    )
    message = "Tak for din tilbagemelding." if helpful else "Tak. Vi bruger din tilbagemelding til at forbedre svarene."
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(f'<p class="feedback-thanks">{message}</p>')
    return render(request, "assistant/chat.html", {"municipality": municipality, "feedback_message": message,
                                                     "hotline_phone": service.hotline_phone(municipality)})  # fmt: skip

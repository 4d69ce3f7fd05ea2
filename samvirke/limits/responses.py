"""What a client over a limit sees: a Danish sentence in the style of the page it was on, and Retry-After.

The citizen's chat asks with fetch (chat.js) and the chat with an agent with htmx (citizen-chat.js); both show
the sentence in the chat rather than replacing the page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

TOO_MANY_REQUESTS = 429


def wait_da(seconds: int) -> str:
    """ "40 sekunder", "1 minut", "15 minutter"."""
    if seconds < 90:
        return f"{seconds} sekund" if seconds == 1 else f"{seconds} sekunder"
    minutes = (seconds + 59) // 60
    return f"{minutes} minut" if minutes == 1 else f"{minutes} minutter"


def citizen_message(retry_after: int) -> str:
    return f"Du har sendt mange beskeder på kort tid. Vent lidt, og prøv igen om {wait_da(retry_after)}."


def login_message(retry_after: int) -> str:
    return f"For mange forsøg på at logge ind på kort tid. Prøv igen om {wait_da(retry_after)}."


def lockout_message(retry_after: int) -> str:
    return (
        "Brugeren er midlertidigt spærret efter for mange forkerte adgangskoder fra denne adresse. "
        f"Prøv igen om {wait_da(retry_after)}, eller bed sekretariatet om at ophæve spærringen."
    )


def _with_retry_after(response: HttpResponse, retry_after: int) -> HttpResponse:
    response["Retry-After"] = str(retry_after)
    return response


def citizen_too_many(request: HttpRequest, retry_after: int, municipality_code: int | None) -> HttpResponse:
    message = citizen_message(retry_after)
    if request.headers.get("HX-Request") == "true":
        # htmx does not swap an error response: citizen-chat.js puts this text into the chat's alert line.
        response = HttpResponse(message, status=TOO_MANY_REQUESTS, content_type="text/plain; charset=utf-8")
    elif request.headers.get("X-Requested-With") == "fetch":
        # chat.js adds this turn to the conversation, as it would an answer.
        html = render_to_string("limits/_too_many_turn.html", {"message": message}, request=request)
        response = HttpResponse(html, status=TOO_MANY_REQUESTS)
    else:
        context = {"message": message, "chat_code": municipality_code}
        response = HttpResponse(
            render_to_string("limits/citizen_too_many.html", context, request=request), status=TOO_MANY_REQUESTS
        )
    return _with_retry_after(response, retry_after)


def login_page(request: HttpRequest, message: str, retry_after: int) -> HttpResponse:
    context: dict[str, Any] = {
        "form": AuthenticationForm(request),
        "refusal": message,
        "next": request.GET.get("next", ""),
    }
    html = render_to_string("registration/login.html", context, request=request)
    return _with_retry_after(HttpResponse(html, status=TOO_MANY_REQUESTS), retry_after)


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes calls this when a username is locked for this address (AXES_LOCKOUT_CALLABLE)."""
    from django.conf import settings

    retry_after = int(settings.AXES_COOLOFF_TIME.total_seconds())
    return login_page(request, lockout_message(retry_after), retry_after)

"""A Danish, citizen-styled page when a citizen's page is not found (/chat/…), also with DEBUG on.

Citizens reach /chat/<kommunekode>/ from their municipality's website; a wrong code or an old link must give
them a page in their language and style, never Django's English debug page (which DEBUG=1 shows instead of the
404 handler) or the staff pages' layout. Staff pages keep samvirke.directory.views.page_not_found.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

CITIZEN_PREFIX = "/chat/"
DEFAULT_MESSAGE = "Siden findes ikke."
# Our own Http404 messages are Danish sentences for the reader; Django's (resolver, get_object_or_404) are not.
_DANISH_OPENINGS = ("Der findes", "Samtalen", "Siden")


def is_citizen_path(path: str) -> bool:
    return path.startswith(CITIZEN_PREFIX)


def danish_message(exception: BaseException | None) -> str:
    text = str(exception.args[0]) if exception is not None and exception.args else ""
    return text if text.startswith(_DANISH_OPENINGS) else DEFAULT_MESSAGE


def citizen_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return render(request, "citizen_404.html", {"message": danish_message(exception)}, status=404)


class CitizenNotFoundMiddleware:
    """Turns a citizen page's 404 into the citizen 404 page: an Http404 a view raises, and an address that matches
    no URL at all. A 404 response a view returns on purpose (a fragment for the chat's script) is left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and is_citizen_path(request.path_info)
            and getattr(request, "resolver_match", None) is None  # no URL matched
        ):
            return citizen_not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404) and is_citizen_path(request.path_info):
            return citizen_not_found(request, exception)
        return None

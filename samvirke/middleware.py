"""A request that meets a busy database gets "try again" (503 with Retry-After), never a 500.

On SQLite one writer holds the lock at a time; a request waits up to the busy timeout (settings.py) and then
Django raises OperationalError("database is locked"). On PostgreSQL a lock timeout or a deadlock the database broke
raises OperationalError/"could not obtain lock" likewise. Either way nothing was written (the transaction rolled
back), so asking the client to retry is the honest answer: a browser shows a Danish sentence, the API and the
telephony platform get JSON with `retry_after_seconds`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 2
BUSY_MESSAGE = "Systemet har travlt lige nu. Prøv igen om et øjeblik – intet er gemt."
_BUSY_MARKERS = ("database is locked", "database table is locked", "could not obtain lock", "deadlock detected",
                 "lock timeout")  # fmt: skip


def is_busy_database(error: BaseException) -> bool:
    return isinstance(error, OperationalError) and any(marker in str(error).lower() for marker in _BUSY_MARKERS)


def busy_response(request: HttpRequest) -> HttpResponse:
    wants_json = request.path_info.startswith("/api/") or "application/json" in request.headers.get("Accept", "")
    if wants_json:
        response: HttpResponse = JsonResponse(
            {"detail": BUSY_MESSAGE, "retry_after_seconds": RETRY_AFTER_SECONDS}, status=503
        )
    else:
        response = HttpResponse(render_to_string("503.html", {"message": BUSY_MESSAGE}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy_database(exception):
            return None
        logger.warning("Busy database on %s %s: %s", request.method, request.path_info, exception)
        return busy_response(request)

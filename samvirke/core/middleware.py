"""A request that meets a busy database gets "try again" (503 with Retry-After), never a 500.

On SQLite one writer holds the lock at a time; a request waits up to the busy timeout (settings.py) and then
Django raises OperationalError("database is locked"). On PostgreSQL a lock timeout or a deadlock the database broke
raises OperationalError/"could not obtain lock" likewise. Either way nothing was written (the transaction rolled
back), so asking the client to retry is the honest answer: a browser shows a Danish sentence, the API and the
telephony platform get JSON with `retry_after_seconds`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
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


# --- Hostile input (issue 12): refused before any view, or the form parser, sees it. ---

CITIZEN_PATH_PREFIX = "/chat/"
TOO_LARGE_MESSAGE = "Det, du har sendt, er for langt. Skriv dit spørgsmål kortere og prøv igen – intet er gemt."
CONTROL_CHARACTER_MESSAGE = (
    "Forespørgslen indeholder ugyldige tegn (fx et NUL-tegn eller et andet kontroltegn) og er afvist – intet er gemt."
)
# C0 control characters and DEL, except tab, line feed and carriage return (which forms and JSON legitimately carry).
UNREADABLE_MESSAGE = "Forespørgslen kunne ikke læses og er afvist – intet er gemt."
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same characters written as JSON escapes (\u0000), where the backslash is not itself escaped (\\u0000 is text).
# Linear: the look-behind lets a match start only where a run of backslashes starts.
_JSON_CONTROL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])")
_JSON_CONTENT_TYPES = ("application/json", "application/problem+json")


def _wants_json(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def bad_input_response(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """A refusal in Danish: JSON for the API, a small page otherwise."""
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(render_to_string("400.html", {"message": message}), status=status)


def has_control_characters(text: str) -> bool:
    return _CONTROL_CHARACTERS.search(text) is not None


class CitizenRequestSizeMiddleware:
    """Anonymous citizens' POSTs (/chat/…) larger than settings.CITIZEN_MAX_REQUEST_BYTES get a 413 before the body
    is read or parsed: no citizen form needs more than a few kilobytes (a question is cut to 500 characters, a
    message to 1,000), and a 2 MB question would otherwise be read, parsed and held by the worker first. Without a
    Content-Length, Django reads no body at all, so there is no way around the check."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path_info.startswith(CITIZEN_PATH_PREFIX):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return bad_input_response(request, TOO_LARGE_MESSAGE, 400)
            if length > settings.CITIZEN_MAX_REQUEST_BYTES:
                logger.info("Refused a %d-byte POST to %s", length, request.path_info)
                return bad_input_response(request, TOO_LARGE_MESSAGE, 413)
        return self.get_response(request)


class ControlCharacterMiddleware:
    """A request carrying NUL or another C0 control character (tab, CR and LF excepted) in its path, query string,
    cookies, form fields or JSON body gets a 400 with a Danish message before any view runs.

    PostgreSQL text cannot hold NUL (psycopg raises, and the request was a 500), and no person types the others;
    refusing them here, once, keeps every view, token lookup and form free of them. First in the middleware list,
    so the telephony platform's signed events are checked too (a 400 for such a body is the honest answer).
    Uploaded files are left to their importers; file uploads are not read here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            carries_control = self._carries_control_characters(request)
        except RequestDataTooBig:
            return bad_input_response(request, TOO_LARGE_MESSAGE, 413)
        except MultiPartParserError:
            return bad_input_response(request, UNREADABLE_MESSAGE, 400)
        if carries_control:
            logger.info("Refused control characters in %s %s", request.method, request.path_info[:200])
            return bad_input_response(request, CONTROL_CHARACTER_MESSAGE, 400)
        return self.get_response(request)

    @staticmethod
    def _carries_control_characters(request: HttpRequest) -> bool:
        if has_control_characters(request.path_info) or has_control_characters(request.META.get("QUERY_STRING", "")):
            return True
        if any(has_control_characters(key) or has_control_characters(value) for key, value in request.COOKIES.items()):
            return True
        for key, values in request.GET.lists():
            if has_control_characters(key) or any(has_control_characters(value) for value in values):
                return True
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return False
        content_type = request.content_type or ""
        if content_type in _JSON_CONTENT_TYPES or content_type.endswith("+json"):
            body = request.body.decode("utf-8", errors="replace")
            return has_control_characters(body) or _JSON_CONTROL_ESCAPE.search(body) is not None
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for key, values in request.POST.lists():
                if has_control_characters(key) or any(has_control_characters(value) for value in values):
                    return True
        if content_type == "multipart/form-data":
            return any(
                _text_upload_has_control_characters(upload)
                for _, uploads in request.FILES.lists()
                for upload in uploads
                if isinstance(upload, UploadedFile)
            )
        return False


_TEXT_UPLOAD_SUFFIXES = (".json", ".csv", ".txt")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_CONTROL_ESCAPE_BYTES = re.compile(rb"(?<!\\)(?:\\\\)*\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])")


def _text_upload_has_control_characters(upload: UploadedFile) -> bool:
    """A text file uploaded (a business case or an overview as JSON, a CSV) with NUL or another control character,
    raw or as a JSON escape: its importer would store it. Binary uploads (.xlsx is a zip) are their importers' to
    read. The uploads are small (each importer caps its size), and the file is rewound for the view."""
    name = (upload.name or "").lower()
    if not name.endswith(_TEXT_UPLOAD_SUFFIXES):
        return False
    upload.seek(0)
    data = upload.read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    upload.seek(0)
    if _CONTROL_BYTES.search(data):
        return True
    return name.endswith(".json") and _JSON_CONTROL_ESCAPE_BYTES.search(data) is not None

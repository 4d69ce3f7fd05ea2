"""The telephony platform's events go straight to their view, past the middleware that serves browsers.

The events endpoint is called by a machine, hundreds of times a second at peak, with an HMAC signature instead of a
session: sessions, CSRF, authentication, messages, locale, htmx, static files and frame options do nothing for it,
and together with URL resolution they were about a tenth of the CPU an event cost (bench/contact_throughput.py).
This middleware, first in the list, answers `POST /api/telephony/events` itself, with the same view the API
declares (so the OpenAPI schema and the tests still describe it). Everything else passes through untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from samvirke.contact.api import receive_event
from samvirke.core.middleware import busy_response, is_busy_database


class TelephonyEventsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def path(self) -> str:
        return reverse("api:receive_event")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path_info == self.path:
            request.get_host()  # still refuse a Host outside ALLOWED_HOSTS (DisallowedHost → 400)
            try:
                return receive_event(request)
            except OperationalError as exc:
                # Outside the middleware below, so answered here: a busy database → 503, and the platform
                # delivers the event again (its event_id makes that safe).
                if is_busy_database(exc):
                    return busy_response(request)
                raise
        return self.get_response(request)

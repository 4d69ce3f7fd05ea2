"""Rate limits on every anonymous endpoint: the citizen's chat and the login forms.

Each rule names a view, the methods it counts and the limit (settings.RATE_LIMITS, from RATE_LIMIT_* env vars).
Requests are counted per client address (X-Forwarded-For only through settings.TRUSTED_PROXY_COUNT trusted
proxies) and, for a hand-over to a person, per browser session too. The counters live in the database
(samvirke.limits.actions), so a limit holds across every worker and server.

The telephony API (signed, samvirke.contact.middleware) and staff pages behind the login are not limited here."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from samvirke.limits import actions, responses
from samvirke.limits.lib.rates import client_address, parse_rate

logger = logging.getLogger(__name__)

GET = frozenset({"GET", "HEAD"})
POST = frozenset({"POST"})


@dataclass(frozen=True)
class Rule:
    scope: str  # a key of settings.RATE_LIMITS
    methods: frozenset[str]
    by_session: bool = False  # count by the session (scope "<scope>_session") as well as by address
    applies: Callable[[HttpRequest], bool] = lambda request: True


def _asks_a_topic(request: HttpRequest) -> bool:
    return "emne" in request.GET  # /chat/<kode>/?emne=… answers a topic like a question


RULES: dict[str, tuple[Rule, ...]] = {
    "assistant:chat": (
        Rule("ask", POST),
        Rule("ask", GET, applies=_asks_a_topic),
        Rule("page", GET, applies=lambda request: not _asks_a_topic(request)),
    ),
    "assistant:feedback": (Rule("feedback", POST),),
    "chat_human:start": (Rule("handover", POST, by_session=True),),
    "chat_human:callback": (Rule("handover", POST, by_session=True),),
    "chat_human:message": (Rule("handover", POST, by_session=True),),
    "chat_human:send": (Rule("citizen_message", POST),),
    "chat_human:leave": (Rule("citizen_message", POST),),
    "chat_human:rate": (Rule("citizen_message", POST),),
    "chat_human:conversation": (Rule("poll", GET),),
    "staffing:agent_feed": (Rule("calendar", GET),),  # a calendar app's subscription: the token is the key
    "login": (Rule("login", POST),),
    "admin:login": (Rule("login", POST),),
}
LOGIN_VIEWS = frozenset({"login", "admin:login"})


def _now() -> dt.datetime:
    return timezone.now()


def client_ip(request: HttpRequest) -> str:
    """The client's address for the limits and for django-axes (AXES_CLIENT_IP_CALLABLE)."""
    return client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        settings.TRUSTED_PROXY_COUNT,
    )


def axes_client_ip(request: HttpRequest) -> str | None:
    """The client's address for django-axes (AXES_CLIENT_IP_CALLABLE), which stores it in a GenericIPAddressField:
    PostgreSQL's inet refuses the counters' "unknown" (a request without REMOTE_ADDR, as the test client's login)
    and an IPv6 /64 network, so those become no address and the network's first address."""
    address = client_ip(request)
    if address == "unknown":
        return None
    return address.split("/", 1)[0]


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: dict[str, object]
    ) -> HttpResponse | None:
        match = request.resolver_match
        rules = RULES.get(match.view_name, ()) if match is not None else ()
        rules = tuple(rule for rule in rules if request.method in rule.methods and rule.applies(request))
        if not rules or not settings.RATE_LIMITS_ENABLED:
            return None
        now = _now()
        refused_for = 0
        for rule in rules:
            identities = [(rule.scope, "ip:" + client_ip(request))]
            session_key = getattr(request, "session", None) and request.session.session_key
            if rule.by_session and session_key:
                identities.append((rule.scope + "_session", "session:" + session_key))
            for scope, identity in identities:
                rate = parse_rate(settings.RATE_LIMITS[scope])
                verdict = actions.do_count_request(settings.SECRET_KEY, scope, identity, rate, now)
                if not verdict.allowed:
                    refused_for = max(refused_for, verdict.retry_after)
                    logger.warning("Rate limit %s (%s) reached on %s %s", scope, rate, request.method, request.path)
        if not refused_for:
            return None
        assert match is not None
        if match.view_name in LOGIN_VIEWS:
            return responses.login_page(request, responses.login_message(refused_for), refused_for)
        code = view_kwargs.get("code")
        return responses.citizen_too_many(request, refused_for, code if isinstance(code, int) else None)

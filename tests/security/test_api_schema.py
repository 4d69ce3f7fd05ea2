"""The JSON API keeps the contract its OpenAPI schema states, under schemathesis (issue 12: 0 server errors, 0 schema
violations, on SQLite and PostgreSQL alike — the suite runs on both in CI).

Every operation in /api/openapi.json is fuzzed in-process through the WSGI application with schemathesis' default
checks (no 5xx, status codes and content types the schema lists, bodies that match its response schemas, invalid
data rejected, …). The telephony platform's calls are signed with the test secret by a `before_call` hook, over the
exact bytes that are sent; the session-authenticated operations are called as the secretariat. The run is bounded
and deterministic: a fixed seed, derandomised generation, no example database, and MAX_EXAMPLES per operation.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from schemathesis.core import NotSet

from samvirke.contact.lib.signature import HEADER, sign
from samvirke.contact.models import Queue
from samvirke.directory.models import Fellesskab, Role
from tests.conftest import GREVE, HOLBAEK, _person

MAX_EXAMPLES = 40
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 2026,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "operations": [
            {
                # An event the schema allows can still be refused with 400 and a Danish message for what JSON
                # Schema cannot say: its time must lie within a window around now (a setting), and each type needs
                # its own fields (call_offered a called_number, agent_status an agent and a status, …).
                "include-name": "POST /api/telephony/events",
                "checks": {"positive_data_acceptance": {"expected-statuses": [200, 400, 401, 403, 404, 409]}},
            }
        ],
    }
)


@pytest.fixture
def _connection_kept_open() -> Iterator[None]:
    """Django closes the database connection when a request finishes; inside a test's transaction that would end
    the test's database. Its test client stops that for the length of a request; the WSGI application called by
    schemathesis needs the same for the length of the test."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def hotline(fellesskab: Fellesskab, _connection_kept_open: None) -> None:
    Queue.objects.update(opening_hours={str(day): [["00:00", "24:00"]] for day in range(7)})
    _person("agent-holbaek-1", Role.AGENT, HOLBAEK)  # someone agent_status and call_offered can reach
    _person("agent-greve-1", Role.AGENT, GREVE)


_session: dict[str, str] = {}


@pytest.fixture
def secretariat_session(fellesskab: Fellesskab) -> Iterator[None]:
    """A logged-in secretariat, whose session cookie the auth provider below gives the calls that need a login."""
    client = Client()
    client.force_login(_person("sekretariat", Role.SECRETARIAT))
    _session["id"] = client.cookies[settings.SESSION_COOKIE_NAME].value
    yield
    _session.clear()


# Loaded once, when the module is collected, from the application itself (the document needs no database).
# (schemathesis.pytest.from_fixture would load it per test, but 4.32.5 reads a pytest-internal attribute that
# pytest 9 no longer has.)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application(), config=CONFIG)


@schema.auth(refresh_interval=None)
class SecretariatSession:
    """The session cookie as schemathesis' auth, so its auth checks know it: a call it sends without it (or with a
    made-up one) must be refused with 401."""

    def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str | None:
        return _session.get("id")

    def set(self, case: schemathesis.Case, data: str, context: schemathesis.AuthContext) -> None:
        case.cookies = {**(case.cookies or {}), settings.SESSION_COOKIE_NAME: data}


def _now_for_every_other_time(body: Any) -> Any:
    """Most generated times lie outside the window around now the API accepts, and are refused with a 400 before
    the event goes further: every other well-formed one is moved to now, so the routing behind the check is fuzzed
    too. (Here, not in a map_body hook: schemathesis' coverage phase, where most cases come from, skips those.)
    The window itself is tested in test_sec_telephony.py."""
    if not isinstance(body, dict) or not isinstance(body.get("occurred_at"), str) or len(body["occurred_at"]) % 2:
        return body
    try:
        dt.datetime.fromisoformat(body["occurred_at"])
    except ValueError:
        return body
    return {**body, "occurred_at": timezone.now().isoformat()}


def _wire_body(case: schemathesis.Case) -> bytes:
    """The generated body as the bytes that go on the wire (JSON as json.dumps writes it)."""
    body = case.body
    if isinstance(body, NotSet):
        return b""
    if isinstance(body, bytes):
        return body
    return json.dumps(body).encode()


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: schemathesis.Case, kwargs: dict[str, Any]) -> None:
    """Sign a call to the telephony API as the platform does: the events over the body — serialised here and sent
    as these very bytes — and the assignments poll over its path with the query."""
    full_path = case.operation.schema.get_full_path(case.formatted_path)
    if not full_path.startswith("/api/telephony/") or case.headers is None or HEADER not in case.headers:
        return  # not the platform's, or a case that tests the missing signature: sent as generated
    if case.method.upper() == "POST":
        case.body = _now_for_every_other_time(case.body)
        signed = kwargs["data"] = _wire_body(case)
    else:
        signed = (full_path + ("?" + urlencode(case.query, doseq=True) if case.query else "")).encode()
    case.headers[HEADER] = sign(signed, settings.TELEPHONY_SECRET)  # case-insensitive: replaces the generated one


@schema.parametrize()
# The fixtures set up the hotline once per operation; examples share it (each only adds rows), as intended.
@hypothesis.settings(suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
def test_the_api_keeps_its_openapi_contract(case: schemathesis.Case, hotline: None, secretariat_session: None) -> None:
    case.call_and_validate()

"""The error replies every JSON endpoint can give, declared in the OpenAPI schema so it describes them all (a reply
the schema does not list is a finding: issue 12, tests/security/test_api_schema.py)."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class DetailOut(Schema):
    detail: str


class InvalidOut(Schema):
    """422: the request's parameters did not validate (django-ninja's errors, one per field)."""

    detail: str
    errors: list[dict[str, Any]]


class BusyOut(Schema):
    """503: the database was busy; nothing was written, try again after `retry_after_seconds`."""

    detail: str
    retry_after_seconds: int


# What an endpoint behind a login can answer besides its 200: not logged in, no access, not found, invalid
# parameters, busy.
SESSION_ERRORS: dict[int, Any] = {401: DetailOut, 403: DetailOut, 404: DetailOut, 422: InvalidOut, 503: BusyOut}

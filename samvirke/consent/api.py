"""GET /api/telecare/citizens/{ref}: a citizen's fields for the caller, exactly those the caller may see (through
disclosure.citizen_card, so logged); 403 (refused, logged) or 404 with a Danish message otherwise. Session auth as
the other endpoints."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from samvirke.consent import access
from samvirke.consent.disclosure import citizen_card
from samvirke.core.api_schemas import SESSION_ERRORS

router = Router(tags=["telecare"])

API_PURPOSE = "Opslag via API"


class CitizenOut(Schema):
    """Only the fields the caller may see are present; the others are left out of the reply entirely."""

    citizen_ref: str | None = None
    name: str | None = None
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    phone: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    diagnosis: str | None = None
    in_programme: bool | None = None
    municipality: str | None = None
    referred_at: dt.date | None = None
    referrer_kind: str | None = None
    referrer_name: str | None = None
    urgency: str | None = None
    enrolled_at: dt.date | None = None
    ended_at: dt.date | None = None
    self_collect: bool | None = None
    measurements_note: str | None = None


@router.get(
    "/citizens/{ref}",
    response={200: CitizenOut, **SESSION_ERRORS},
    exclude_unset=True,
    summary="En borger i telemedicin (kun de felter, du må se)",
)
def get_citizen(request: HttpRequest, ref: str, landsdel: str | None = None) -> CitizenOut:
    citizen = access.access_citizen(request.user, ref, landsdel)
    return CitizenOut(**citizen_card(request.user, citizen, API_PURPOSE))

"""Directory endpoints. The same access checks as the pages (directory/access.py)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from samvirke.core.api_schemas import SESSION_ERRORS
from samvirke.directory import access
from samvirke.directory.models import HotlineNumber, Membership

router = Router(tags=["directory"])


class HotlineNumberOut(Schema):
    line: str
    number: str
    is_demo: bool


class MemberOut(Schema):
    kommunekode: int
    name: str
    region: str
    population: int
    population_year: int
    population_source: str
    status: str
    member_since: dt.date | None
    pilot_end: dt.date | None
    pilot_payer: str | None
    hotline_numbers: list[HotlineNumberOut]


class MunicipalityOut(Schema):
    kommunekode: int
    name: str
    region: str
    population: int
    population_year: int
    population_source: str


def _member_out(membership: Membership) -> MemberOut:
    municipality = membership.municipality
    numbers: list[HotlineNumber] = list(membership.hotline_numbers.all())
    return MemberOut(
        kommunekode=municipality.code,
        name=municipality.name,
        region=municipality.region.name,
        population=municipality.population,
        population_year=municipality.population_year,
        population_source=municipality.population_source,
        status=membership.status,
        member_since=membership.member_since,
        pilot_end=membership.pilot_end,
        pilot_payer=membership.pilot_payer.name if membership.pilot_payer else None,
        hotline_numbers=[HotlineNumberOut(line=n.line, number=n.number, is_demo=n.is_demo) for n in numbers],
    )


@router.get("/members", response={200: list[MemberOut], **SESSION_ERRORS}, summary="Fællesskabets medlemmer")
def list_members(request: HttpRequest) -> list[MemberOut]:
    access.require_member_list(request.user)
    memberships = (
        Membership.objects.select_related("municipality__region", "pilot_payer")
        .prefetch_related("hotline_numbers")
        .order_by("municipality__name")
    )
    return [_member_out(m) for m in memberships]


@router.get("/municipalities/{code}", response={200: MunicipalityOut, **SESSION_ERRORS}, summary="En kommune")
def get_municipality(request: HttpRequest, code: int) -> MunicipalityOut:
    municipality = access.access_municipality_by_code(request.user, code)
    return MunicipalityOut(
        kommunekode=municipality.code,
        name=municipality.name,
        region=municipality.region.name,
        population=municipality.population,
        population_year=municipality.population_year,
        population_source=municipality.population_source,
    )

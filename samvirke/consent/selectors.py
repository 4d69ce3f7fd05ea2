"""Reads for consent: who is an operator user, the citizens' consents, the agreements' audit statements due."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from samvirke.consent.models import Consent, DataProcessingAgreement, Operator, OperatorUser, ProgrammeCitizen
from samvirke.directory.models import Actor, Person


def operator_of(person: Actor | None) -> Operator | None:
    """The operator a person works for, or None (secretariat, region staff, coordinators, everyone else)."""
    if not isinstance(person, Person) or person.pk is None:
        return None
    row = OperatorUser.objects.select_related("operator__landsdel").filter(person=person).first()
    return row.operator if row is not None else None


def consents_of(citizen: ProgrammeCitizen) -> QuerySet[Consent]:
    return Consent.objects.filter(citizen=citizen).select_related("text_version").order_by("-given_at", "-id")


def audit_statements_due(today: dt.date, within_days: int = 30) -> list[tuple[DataProcessingAgreement, int]]:
    """Running agreements whose yearly audit statement is overdue or due within `within_days`, soonest first,
    with the days left (negative: overdue)."""
    horizon = today + dt.timedelta(days=within_days)
    agreements = (
        DataProcessingAgreement.objects.select_related("operator", "region", "municipality")
        .filter(terminated_at__isnull=True, audit_statement_due__isnull=False, audit_statement_due__lte=horizon)
        .order_by("audit_statement_due", "id")
    )
    return [(a, (a.audit_statement_due - today).days) for a in agreements if a.audit_statement_due is not None]


def agreements_for(user: Actor | None) -> QuerySet[DataProcessingAgreement]:
    """The agreements the user may see: the secretariat all; region staff those of operators in their region's
    landsdel; a coordinator those their municipality or their region is controller of."""
    from samvirke.directory.models import Role

    agreements = DataProcessingAgreement.objects.select_related(
        "operator__landsdel", "region", "municipality", "template"
    ).prefetch_related("accessions", "operator__sub_processors")
    if not isinstance(user, Person) or not user.is_authenticated or operator_of(user) is not None:
        return agreements.none()
    if user.role == Role.SECRETARIAT:
        return agreements.all()
    if user.role == Role.REGION_STAFF and user.region_id is not None:
        return agreements.filter(operator__landsdel__region_id=user.region_id)
    if user.role == Role.COORDINATOR and user.municipality is not None:
        return agreements.filter(municipality=user.municipality) | agreements.filter(
            region_id=user.municipality.region_id
        )
    return agreements.none()


def consent_state(citizen: ProgrammeCitizen) -> str:
    """ "aktivt", "tilbagekaldt" or "mangler" — the register's column; no personal field."""
    consents = list(consents_of(citizen))
    if any(c.withdrawn_at is None for c in consents):
        return "aktivt"
    return "tilbagekaldt" if consents else "mangler"

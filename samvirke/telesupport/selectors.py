"""Reads for telemedicine support: the desk (critical first, then the oldest), a case with its history, the
citizen's card through consent.disclosure (logged; refused without consent), the kit's operational status from
kits, and the steering figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from samvirke.consent.access import allowed_fields, ordered_fields
from samvirke.consent.disclosure import FIELD_LABELS, DisclosureRefused, disclose
from samvirke.consent.models import ProgrammeCitizen
from samvirke.contact.models import Contact
from samvirke.core.lib.clock import LOCAL
from samvirke.directory.models import Person
from samvirke.kits.lib import benchmark
from samvirke.kits.lib.lifecycle import label as status_label
from samvirke.kits.models import LogisticsTask, TaskKind, TaskState, Unit, UnitEvent
from samvirke.telecare.models import Landsdel
from samvirke.telesupport.labels import card_value
from samvirke.telesupport.lib import steering
from samvirke.telesupport.models import CaseState, Priority, ServiceRequest, SupportCase
from samvirke.telesupport.reference_data import TELEMEDICINE_LINE

# What support needs to help a caller (seed 003 ch. 6: support sees name, address, phone, in the programme).
SUPPORT_CARD_FIELDS = ("citizen_ref", "name", "address", "postcode", "city", "phone", "in_programme")


def desk_cases(landsdel: Landsdel, *, closed: bool = False) -> QuerySet[SupportCase]:
    """The landsdel's cases, critical first, then by age (the oldest first)."""
    cases = SupportCase.objects.filter(landsdel=landsdel).select_related("citizen", "unit__model")
    cases = cases.filter(state=CaseState.CLOSED) if closed else cases.exclude(state=CaseState.CLOSED)
    return cases.order_by("priority_rank", "opened_at", "pk")


def follow_ups_due(landsdel: Landsdel, now: dt.datetime) -> int:
    return (
        SupportCase.objects.filter(landsdel=landsdel, followed_up_at__isnull=True, follow_up_at__lte=now)
        .exclude(state=CaseState.CLOSED)
        .count()
    )


def unlinked_contacts(since: dt.datetime) -> QuerySet[Contact]:
    """Calls on the telemedicine line with no case yet (the agent opens one from the call)."""
    return (
        Contact.objects.filter(queue__line=TELEMEDICINE_LINE, offered_at__gte=since, support_cases__isnull=True)
        .order_by("-offered_at")
        .select_related("queue")
    )


@dataclass(frozen=True)
class CitizenCard:
    rows: list[tuple[str, Any]]
    refused: str = ""


def citizen_card(person: Person, case: SupportCase) -> CitizenCard:
    """The fields support may see about the case's citizen, through consent.disclosure (every look logged)."""
    if case.citizen is None:
        return CitizenCard([])
    fields = [f for f in ordered_fields(allowed_fields(person)) if f in SUPPORT_CARD_FIELDS]
    try:
        values = disclose(person, case.citizen, fields, f"Supportsag {case.pk}")
    except DisclosureRefused as refused:
        return CitizenCard([], str(refused.args[0] if refused.args else refused))
    return CitizenCard([(FIELD_LABELS.get(f, f), card_value(f, values[f])) for f in fields])


@dataclass(frozen=True)
class UnitStatus:
    unit: Unit
    label: str
    events: list[UnitEvent]


def kit_status(citizen: ProgrammeCitizen | None) -> list[UnitStatus]:
    """The citizen's units and their lifecycle status (no personal data: serials, models, statuses)."""
    if citizen is None:
        return []
    units = Unit.objects.filter(citizen=citizen).select_related("model").order_by("model__kind", "serial")
    return [UnitStatus(unit, status_label(unit.status), list(unit.events.order_by("-at", "-pk")[:5])) for unit in units]


def service_requests(landsdel: Landsdel) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(landsdel=landsdel).select_related("case", "unit")


# --- steering ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Steering:
    first: dt.date
    last: dt.date
    by_priority: list[tuple[str, int, int]]  # label, open, all in the period
    by_cause: list[tuple[str, int]]
    month_rates: list[steering.MonthRate]
    repeat_faults: list[steering.RepeatFaults]
    devices_by_status: list[tuple[str, int]]
    installs: list[steering.InstallSummary]
    installs_open_breached: int
    forwarded: list[tuple[str, int]]


def _citizens_per_month(landsdel: Landsdel, months: list[steering.Month]) -> dict[steering.Month, int]:
    out = {}
    for year, month in months:
        start = dt.date(year, month, 1)
        end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        out[(year, month)] = (
            ProgrammeCitizen.objects.filter(landsdel=landsdel, enrolled_at__isnull=False, enrolled_at__lte=end)
            .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start))
            .count()
        )
    return out


def _calls_per_month(landsdel: Landsdel, first: dt.date, last: dt.date) -> Counter[steering.Month]:
    """Calls about the landsdel's citizens: cases opened from a call on the line, plus cases typed in (a call
    taken outside the telephony, e.g. the health staff's), by the month they were opened."""
    start = dt.datetime.combine(first, dt.time(0), tzinfo=LOCAL)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL)
    counts: Counter[steering.Month] = Counter()
    for opened in SupportCase.objects.filter(landsdel=landsdel, opened_at__gte=start, opened_at__lt=end).values_list(
        "opened_at", flat=True
    ):
        local = opened.astimezone(LOCAL)
        counts[(local.year, local.month)] += 1
    return counts


def steering_data(landsdel: Landsdel, first: dt.date, last: dt.date) -> Steering:
    start = dt.datetime.combine(first, dt.time(0), tzinfo=LOCAL)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL)
    period = SupportCase.objects.filter(landsdel=landsdel, opened_at__gte=start, opened_at__lt=end)
    priorities = dict(period.values_list("priority").annotate(n=Count("pk")).values_list("priority", "n"))
    open_now = dict(
        SupportCase.objects.filter(landsdel=landsdel)
        .exclude(state=CaseState.CLOSED)
        .values_list("priority")
        .annotate(n=Count("pk"))
        .values_list("priority", "n")
    )
    by_priority = [(str(label), open_now.get(value, 0), priorities.get(value, 0)) for value, label in Priority.choices]
    by_cause = [
        (cause or "Ikke angivet", n)
        for cause, n in period.values_list("cause")
        .annotate(n=Count("pk"))
        .order_by("-n", "cause")
        .values_list("cause", "n")
    ]
    forwarded = [
        (str(SupportCase(forwarded_to=value).get_forwarded_to_display()), n)
        for value, n in period.exclude(forwarded_to="")
        .values_list("forwarded_to")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("forwarded_to", "n")
    ]
    months = steering.months_between(first, last)
    rates = steering.month_rates(_calls_per_month(landsdel, first, last), _citizens_per_month(landsdel, months), months)
    faults = UnitEvent.objects.filter(unit__landsdel=landsdel, to_status="fault", at__gte=start, at__lt=end)
    repeat = steering.repeat_faults(faults.values_list("unit__model__name", "unit__serial"))
    devices = [
        (status_label(status), n)
        for status, n in Unit.objects.filter(landsdel=landsdel)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by("status")
        .values_list("status", "n")
    ]
    setups = LogisticsTask.objects.filter(
        landsdel=landsdel, kind=TaskKind.SETUP, state=TaskState.DONE, completed_at__gte=start, completed_at__lt=end
    )
    rows = []
    for referred_on, urgency, completed in setups.values_list("referred_on", "urgency", "completed_at"):
        if completed is None:
            continue
        done = completed.astimezone(LOCAL).date()
        used = benchmark.working_days_between(referred_on, done)
        rows.append(steering.InstallRow(urgency, used, done <= benchmark.due_date(referred_on, urgency)))
    today = timezone.localdate()
    breached = (
        LogisticsTask.objects.filter(landsdel=landsdel, kind=TaskKind.SETUP, due__lt=today)
        .exclude(state__in=[TaskState.DONE, TaskState.CANCELLED])
        .count()
    )
    return Steering(
        first,
        last,
        by_priority,
        by_cause,
        rates,
        repeat,
        devices,
        steering.install_summary(rows),
        breached,
        forwarded,
    )

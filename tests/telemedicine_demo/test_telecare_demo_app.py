"""Issue 16's demo data (consent/kits/telesupport demo.py, as seed-demo calls them) and simulate-telecare."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction
from io import StringIO
from math import ceil, floor

import pytest
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from samvirke.consent.demo import load_demo_consent
from samvirke.consent.models import Consent, DataProcessingAgreement, ProgrammeCitizen
from samvirke.contact.models import Contact
from samvirke.core.lib.clock import LOCAL
from samvirke.directory.models import Fellesskab
from samvirke.kits import selectors as kit_selectors
from samvirke.kits.demo import load_demo_kits
from samvirke.kits.lib import lifecycle
from samvirke.kits.lib.benchmark import BREACHED, WARNING, is_working_day
from samvirke.kits.models import DayPlan, Kit, LogisticsTask, TaskKind, Unit
from samvirke.telecare.demo import DEMO_LANDSDEL, load_demo_telecare
from samvirke.telecare.models import Enrolment, Landsdel
from samvirke.telesupport.demo import load_demo_telesupport
from samvirke.telesupport.lib import telecare_traffic as traffic
from samvirke.telesupport.models import CaseState, Priority, SupportCase
from samvirke.telesupport.reference_data import TELEMEDICINE_LINE
from samvirke.telesupport.simulator import TelecareSimulation


def load_all() -> Landsdel:
    today = timezone.localdate()
    load_demo_telecare(today)
    landsdel = Landsdel.objects.get(slug=DEMO_LANDSDEL)
    _summary, people = load_demo_consent(landsdel, today, make_password("x"))
    load_demo_kits(landsdel, today, people)
    load_demo_telesupport(landsdel, today, people)
    return landsdel


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@pytest.mark.slow
def test_the_demo_data_is_consistent_and_a_second_run_adds_nothing(fellesskab: Fellesskab) -> None:
    landsdel = load_all()
    today = timezone.localdate()
    current = set(
        Enrolment.objects.filter(landsdel=landsdel, enrolled_from__lte=today)
        .exclude(enrolled_to__lte=today)
        .values_list("citizen_ref", flat=True)
    )
    assert len(current) > 700  # the seed's +24-month volume (780 at the year's end)
    with_consent = set(
        Consent.objects.filter(citizen__landsdel=landsdel).values_list("citizen__citizen_ref", flat=True)
    )
    in_programme = set(
        ProgrammeCitizen.objects.filter(
            landsdel=landsdel, enrolled_at__isnull=False, ended_at__isnull=True
        ).values_list("citizen_ref", flat=True)
    )
    assert current <= in_programme and current <= with_consent
    assert (
        Consent.objects.filter(by_proxy=True).exists() and Consent.objects.filter(withdrawn_at__isnull=False).exists()
    )
    # Every installed kit's units are at that citizen's, installed or in use there.
    kits = Kit.objects.filter(landsdel=landsdel, citizen__isnull=False)
    in_kits = Unit.objects.filter(kit_membership__kit__in=kits)
    assert in_kits.count() == 4 * kits.count() > 0
    assert not in_kits.exclude(citizen=F("kit_membership__kit__citizen")).exists()
    assert not in_kits.exclude(status__in=lifecycle.AT_CITIZEN).exists()
    # The stock page's counts are the units in stock; one kind is below its reorder point.
    stock = kit_selectors.stock(landsdel)
    for row in stock:
        assert row.in_stock == Unit.objects.filter(landsdel=landsdel, model__kind=row.kind, status="in_stock").count()
    assert [row.kind for row in stock if row.reorder] == ["saturation_meter"]
    # Open tasks of every kind; set-ups around the benchmark: one warning, one breached.
    now = dt.datetime.combine(today, dt.time(9), tzinfo=LOCAL)
    rows = kit_selectors.tasks(landsdel, now)
    assert {row.task.kind for row in rows} == {TaskKind.SETUP, TaskKind.EXCHANGE, TaskKind.TAKEDOWN}
    states = Counter(row.benchmark.state for row in rows if row.task.kind == TaskKind.SETUP and row.benchmark)
    assert states[BREACHED] >= 1 and states[WARNING] >= 1
    assert DayPlan.objects.filter(landsdel=landsdel, date__gt=today).count() == 1
    # An installed citizen has no open set-up (the proxy and withdrawn consents' signal made one: it is the done one).
    installed_setups = LogisticsTask.objects.filter(kind=TaskKind.SETUP, citizen__enrolled_at__isnull=False)
    assert not installed_setups.exclude(state="done").exists()
    assert installed_setups.count() == Kit.objects.filter(landsdel=landsdel).count()
    # Support: every state and every priority; one audit statement overdue; the line has its number.
    cases = SupportCase.objects.filter(landsdel=landsdel)
    assert set(cases.values_list("state", flat=True)) == set(CaseState.values)
    assert set(cases.values_list("priority", flat=True)) == set(Priority.values)
    overdue = DataProcessingAgreement.objects.filter(audit_statement_due__lt=today)
    assert overdue.count() == 1
    before = row_counts()
    load_all()
    after = row_counts()
    assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == {}


@pytest.mark.slow
def test_the_simulator_on_a_fixed_seed(fellesskab: Fellesskab) -> None:
    landsdel = load_all()
    citizens_before = ProgrammeCitizen.objects.count()
    tasks_before = Counter(LogisticsTask.objects.values_list("kind", flat=True))
    simulation = TelecareSimulation(DEMO_LANDSDEL, 14, seed=3)
    result = simulation.run()
    expected = simulation.plan.expected
    # Stochastic rounding: each count is the expectation rounded down or up (ends and referrals may find no
    # citizen to act on, so a count can be lower, never higher).
    for kind in traffic.CALL_KINDS + (traffic.END_OF_COURSE,):
        assert floor(expected[kind]) - 1 <= result.counts[kind] <= ceil(expected[kind]), kind
    assert result.counts[traffic.REFERRAL] <= ceil(expected[traffic.REFERRAL]) + 1
    calls = sum(result.counts[k] for k in traffic.CALL_KINDS)
    per_citizen_month = Fraction(calls) / result.citizens / (Fraction(14) / traffic.DAYS_PER_MONTH)
    assert abs(per_citizen_month - Fraction(83, 1000)) < Fraction(2, 100)
    # The calls came in on the telemedicine line through the telephony events, each with its case.
    contacts = Contact.objects.filter(queue__line=TELEMEDICINE_LINE)
    assert contacts.count() == calls and contacts.filter(state="ended").count() == calls
    assert SupportCase.objects.filter(contact__in=contacts).count() == calls
    assert ProgrammeCitizen.objects.count() == citizens_before + result.counts[traffic.REFERRAL]
    tasks_after = Counter(LogisticsTask.objects.values_list("kind", flat=True))
    assert tasks_after[TaskKind.SETUP] - tasks_before[TaskKind.SETUP] == result.counts[traffic.REFERRAL]
    assert tasks_after[TaskKind.EXCHANGE] - tasks_before[TaskKind.EXCHANGE] == result.counts[traffic.FAULT_EXCHANGE]
    assert tasks_after[TaskKind.TAKEDOWN] - tasks_before[TaskKind.TAKEDOWN] == result.counts[traffic.END_OF_COURSE]
    assert landsdel.pk


def test_the_plan_follows_the_rates_and_the_working_days() -> None:
    days = [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(28)]  # four weeks, no holiday
    plan = traffic.plan_telecare(
        days, citizens=780, new_per_month=Fraction(0), is_working_day=is_working_day, tz=LOCAL, seed=1
    )
    months = Fraction(28) / traffic.DAYS_PER_MONTH
    assert plan.expected[traffic.FAULT_EXCHANGE] == Fraction(4, 100) * 780 * months / 2
    calls = sum(plan.count(k) for k in traffic.CALL_KINDS)
    assert abs(calls - float(Fraction(83, 1000) * 780 * months)) <= 3
    assert all(h.at.weekday() < 5 and dt.time(8) <= h.at.time() <= dt.time(16) for h in plan.happenings)
    again = traffic.plan_telecare(
        days, citizens=780, new_per_month=Fraction(0), is_working_day=is_working_day, tz=LOCAL, seed=1
    )
    assert again == plan
    # Easter 2026: Thursday 2 April to Monday 6 April closed; a weekend and the holidays give nothing.
    closed = [dt.date(2026, 4, 2) + dt.timedelta(days=i) for i in range(5)]
    assert (
        traffic.plan_telecare(
            closed, citizens=780, new_per_month=Fraction(50), is_working_day=is_working_day, tz=LOCAL, seed=1
        ).happenings
        == []
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "0"], "--days skal være mellem 1 og 30"),
        (["--days", "31"], "--days skal være mellem 1 og 30"),
        (["--speed", "5"], "--speed bruges kun sammen med --realtime"),
        (["--realtime", "--speed", "0"], "--speed skal være større end 0"),
        (["--landsdel", "nord"], "Der er ingen landsdel «nord»"),
    ],
)
def test_bad_options_are_refused_with_one_danish_line(db: None, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("simulate_telecare", *args, stdout=StringIO())
    assert not SupportCase.objects.exists()


def test_without_the_demo_the_simulator_says_what_to_run(fellesskab: Fellesskab) -> None:
    load_demo_telecare(timezone.localdate())  # a landsdel, but no telemedicine line yet
    with pytest.raises(CommandError, match="intet nummer på den telemedicinske linje. Kør først: samvirke seed-demo"):
        call_command("simulate_telecare", stdout=StringIO())

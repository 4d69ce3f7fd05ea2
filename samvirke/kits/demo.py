"""Demo data for kits (issue 16): device models with suppliers; for every enrolled citizen of consent's demo an
installed, paired kit (tablet, app, scale, saturation meter) with each unit's history and the completed set-up task;
stock in the store with reorder points (saturation meters below theirs); new referrals with open set-up tasks around
the 12/2-working-day benchmark (one close to the due day, one past it); take-down tasks for courses that ended this
week; time windows for the next working day and a day plan for it, queued for the background worker.

The ~3,000 units of the installed kits, their ~15,000 events, the kits and their set-up tasks are bulk inserts with the
fields kits' actions would write (the same statuses in the lifecycle's order, due dates from lib.benchmark), and one
audit entry per load: unit by unit through do_move_unit (one audit entry per move) took seed-demo half a minute. The
rest — stock, referrals, take-downs, windows, the day plan — goes through the actions (and consent's signals make the
referrals' set-up tasks). Safe to run again: a citizen who has a kit gets none, a landsdel with stock gets no more."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from samvirke.audit.actions import record
from samvirke.consent.access import has_active_consent
from samvirke.consent.actions import do_record_consent, do_refer_citizen
from samvirke.consent.demo import ALL_KINDS, DemoPeople, citizen_fields
from samvirke.consent.models import OperatorKind, ProgrammeCitizen, Urgency
from samvirke.core.lib.clock import LOCAL
from samvirke.directory.models import Municipality
from samvirke.kits.actions import (
    do_create_takedown,
    do_order_units,
    do_receive_units,
    do_request_day_plan,
    do_self_collect,
    do_set_window,
)
from samvirke.kits.lib import lifecycle
from samvirke.kits.lib.benchmark import add_working_days, due_date, is_working_day
from samvirke.kits.models import (
    CHECKLIST_STEPS,
    DayPlan,
    DeviceKind,
    DeviceModel,
    Kit,
    KitUnit,
    LogisticsTask,
    ReorderPoint,
    TaskKind,
    TaskState,
    Unit,
    UnitEvent,
)
from samvirke.telecare.models import Landsdel

SEED = 16
# (kind, model, supplier, serial prefix). Invented models and suppliers.
MODELS: list[tuple[str, str, str, str]] = [
    (DeviceKind.TABLET, "TeleTab 10 LTE", "Nordisk Tablet A/S", "TAB"),
    (DeviceKind.APP, "KOL Hjemme-app 3", "Telemedicinsk Software ApS", "APP"),
    (DeviceKind.SCALE, "VægtLink BT-4", "MediVægt ApS", "VGT"),
    (DeviceKind.SATURATION_METER, "OxiLink BT", "Saturation Nordic A/S", "SAT"),
]
# kind → (units ready in the store, reorder point): saturation meters below theirs.
STOCK: dict[str, tuple[int, int]] = {
    DeviceKind.TABLET: (24, 10),
    DeviceKind.APP: (40, 15),
    DeviceKind.SCALE: (16, 8),
    DeviceKind.SATURATION_METER: (5, 8),
}
STORE = "Lager, Sorø"
AT_HOME = "Hos borgeren"
# New referrals waiting for their set-up: (ref, kommunekode, working days since the referral, urgency, self collect).
# 13 working days: past the 12-day benchmark; 11: due tomorrow (a warning); urgent yesterday: due tomorrow.
REFERRALS: list[tuple[str, int, int, str, bool]] = [
    ("SJ-H00001", 330, 13, Urgency.STANDARD, False),
    ("SJ-H00002", 316, 11, Urgency.STANDARD, False),
    ("SJ-H00003", 370, 1, Urgency.URGENT, False),
    ("SJ-H00004", 265, 6, Urgency.STANDARD, False),
    ("SJ-H00005", 259, 4, Urgency.STANDARD, False),
    ("SJ-H00006", 340, 3, Urgency.STANDARD, False),
    ("SJ-H00007", 376, 2, Urgency.STANDARD, False),
    ("SJ-H00008", 253, 5, Urgency.STANDARD, True),
]


def _working_days_before(day: dt.date, count: int) -> dt.date:
    current = day
    while count:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def next_working_day(day: dt.date) -> dt.date:
    return add_working_days(day, 1)


def _models() -> dict[str, DeviceModel]:
    models: dict[str, DeviceModel] = {}
    for kind, name, supplier, _prefix in MODELS:
        model = DeviceModel.objects.filter(name=name, supplier=supplier).first()
        if model is None:
            model = DeviceModel.objects.create(name=name, supplier=supplier, kind=kind)
            record(None, "kits.demo_model_created", model, {"kind": str(kind)})
        models[kind] = model
    return models


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LOCAL)


def _installed_kits(landsdel: Landsdel, models: dict[str, DeviceModel], actor_id: int | None) -> int:
    """An installed, paired kit with its unit histories and its completed set-up task for every enrolled citizen
    without a kit (bulk: see the module's docstring)."""
    citizens = list(
        ProgrammeCitizen.objects.filter(landsdel=landsdel, enrolled_at__isnull=False, kits__isnull=True).order_by(
            "citizen_ref"
        )
    )
    if not citizens:
        return 0
    prefixes = {kind: prefix for kind, _name, _supplier, prefix in MODELS}
    units: list[Unit] = []
    for citizen in citizens:
        number = citizen.citizen_ref.removeprefix("SJ-")
        for kind, model in models.items():
            units.append(
                Unit(
                    serial=f"{prefixes[kind]}-{number}",
                    model=model,
                    landsdel=landsdel,
                    status=lifecycle.IN_USE,
                    location=AT_HOME,
                    citizen=citizen,
                )
            )
    Unit.objects.bulk_create(units, batch_size=500)
    by_serial = {u.serial: u for u in Unit.objects.filter(serial__in=[u.serial for u in units])}
    kits = Kit.objects.bulk_create(
        [Kit(landsdel=landsdel, citizen=citizen, paired=True) for citizen in citizens], batch_size=500
    )
    if any(kit.pk is None for kit in kits):  # a database that returns no ids from a bulk insert
        kits = list(Kit.objects.filter(citizen__in=citizens).order_by("citizen__citizen_ref"))
    members: list[KitUnit] = []
    events: list[UnitEvent] = []
    tasks: list[LogisticsTask] = []
    for citizen, kit in zip(citizens, kits, strict=True):
        assert citizen.enrolled_at is not None
        number = citizen.citizen_ref.removeprefix("SJ-")
        installed = _moment(citizen.enrolled_at, 10)
        received = _moment(_working_days_before(citizen.referred_at, 10), 9)
        steps = [
            (received - dt.timedelta(days=7), "", lifecycle.ORDERED, "Leverandør", "Bestilt"),
            (received, lifecycle.ORDERED, lifecycle.IN_STOCK, STORE, "Modtaget på lager"),
            (installed - dt.timedelta(days=1), lifecycle.IN_STOCK, lifecycle.PREPARING, STORE, "Batterier, parring"),
            (installed, lifecycle.PREPARING, lifecycle.INSTALLED, AT_HOME, "Installation"),
            (installed + dt.timedelta(hours=2), lifecycle.INSTALLED, lifecycle.IN_USE, AT_HOME, "Første måling"),
        ]
        for kind in models:
            unit = by_serial[f"{prefixes[kind]}-{number}"]
            members.append(KitUnit(kit=kit, unit=unit))
            for at, before, after, location, note in steps:
                events.append(
                    UnitEvent(
                        unit=unit,
                        at=at,
                        actor_id=actor_id if after in (lifecycle.PREPARING, lifecycle.INSTALLED) else None,
                        from_status=before,
                        to_status=after,
                        location=location,
                        note=note,
                    )
                )
        reported = f"{citizen.get_referrer_kind_display()}: {citizen.referrer_name}"
        tasks.append(
            LogisticsTask(
                kind=TaskKind.SETUP,
                citizen=citizen,
                landsdel=landsdel,
                kit=kit,
                urgency=citizen.urgency,
                created_at=_moment(citizen.referred_at, 12),
                referred_on=citizen.referred_at,
                due=due_date(citizen.referred_at, citizen.urgency),
                technician_id=actor_id,
                state=TaskState.DONE,
                checklist={step: True for step, _label in CHECKLIST_STEPS},
                completed_at=installed,
                result="Installeret og testet; borgeren instrueret.",
                result_reported_to=reported[:200],
                result_reported_at=installed + dt.timedelta(hours=1),
            )
        )
    KitUnit.objects.bulk_create(members, batch_size=500)
    UnitEvent.objects.bulk_create(events, batch_size=1000)
    # A consent recorded through the action (by proxy, withdrawn) already made the citizen's set-up task (kits'
    # receiver): that task is the one completed, not a second.
    made = dict(
        LogisticsTask.objects.filter(citizen__in=citizens, kind=TaskKind.SETUP, state=TaskState.OPEN).values_list(
            "citizen_id", "id"
        )
    )
    fields = ("kit", "technician_id", "state", "checklist", "completed_at", "result", "result_reported_to")
    for task in tasks:
        existing = made.get(task.citizen_id)
        if existing is not None:
            LogisticsTask.objects.filter(pk=existing).update(
                **{name: getattr(task, name) for name in fields}, result_reported_at=task.result_reported_at
            )
    LogisticsTask.objects.bulk_create([t for t in tasks if t.citizen_id not in made], batch_size=500)
    record(
        None,
        "kits.demo_kits_loaded",
        landsdel,
        {"kits": len(kits), "units": len(units), "events": len(events), "why_bulk": "demo volume; see kits/demo.py"},
    )
    return len(kits)


def _stock(landsdel: Landsdel, models: dict[str, DeviceModel]) -> None:
    """Ready units in the store, ordered and received through the actions; the reorder points."""
    if Unit.objects.filter(landsdel=landsdel, status=lifecycle.IN_STOCK).exists():
        return
    prefixes = {kind: prefix for kind, _name, _supplier, prefix in MODELS}
    for kind, (count, minimum) in STOCK.items():
        serials = [f"{prefixes[kind]}-L{i:04d}" for i in range(1, count + 1)]
        units = do_order_units(None, landsdel, models[kind], serials)
        do_receive_units(None, units, STORE)
        if not ReorderPoint.objects.filter(landsdel=landsdel, kind=kind).exists():
            point = ReorderPoint.objects.create(landsdel=landsdel, kind=kind, minimum=minimum)
            record(None, "kits.demo_reorder_point", point, {"kind": str(kind), "minimum": minimum})


def _referrals(landsdel: Landsdel, today: dt.date) -> int:
    """New referrals with consent: consent's signal makes each set-up task (kits.receivers)."""
    made = 0
    known = set(ProgrammeCitizen.objects.filter(landsdel=landsdel).values_list("citizen_ref", flat=True))
    municipalities = {m.code: m for m in Municipality.objects.filter(region=landsdel.region_id)}
    for ref, code, days, urgency, self_collect in REFERRALS:
        if ref in known:
            continue
        rng = random.Random(f"{SEED}-{ref}")  # noqa: S311 (demo data, not security)
        referred = _working_days_before(today, days)
        fields = citizen_fields(rng, municipalities[code], referred)
        fields.update({"citizen_ref": ref, "urgency": urgency, "self_collect": self_collect})
        citizen = do_refer_citizen(None, landsdel, **fields)
        do_record_consent(None, citizen, operator_kinds=ALL_KINDS, given_at=_moment(referred, 13))
        if self_collect:
            task = LogisticsTask.objects.filter(citizen=citizen, kind=TaskKind.SETUP).first()
            if task is not None:
                do_self_collect(None, task)
        made += 1
    return made


def _takedowns(landsdel: Landsdel) -> int:
    """A take-down task for each course that ended and has none yet."""
    made = 0
    for citizen in ProgrammeCitizen.objects.filter(landsdel=landsdel, ended_at__isnull=False, kits__isnull=False):
        if LogisticsTask.objects.filter(citizen=citizen, kind=TaskKind.TAKEDOWN).exists():
            continue
        if not has_active_consent(citizen, OperatorKind.LOGISTICS):
            continue  # a withdrawn consent: the action would refuse (and log the attempt)
        do_create_takedown(None, citizen)
        made += 1
    return made


def _windows_and_plan(landsdel: Landsdel, day: dt.date, people: DemoPeople) -> DayPlan | None:
    """Time windows on the next working day for the open set-ups the citizens agreed a time for (every other one),
    and the day's plan, queued for the background worker (db_worker in make demo)."""
    if DayPlan.objects.filter(landsdel=landsdel, date=day).exists():
        return None
    open_setups = LogisticsTask.objects.filter(
        landsdel=landsdel, kind=TaskKind.SETUP, state=TaskState.OPEN, window_start__isnull=True
    ).order_by("due", "id")
    for index, task in enumerate(open_setups):
        if index % 2 == 0:
            start = _moment(day, 8 + (index % 3) * 2)
            do_set_window(None, task, start, start + dt.timedelta(hours=3))
    return do_request_day_plan(people.by_username.get("logistik-sjaelland"), landsdel, day)


def load_demo_kits(landsdel: Landsdel, today: dt.date, people: DemoPeople) -> str:
    models = _models()
    technician = people.by_username.get("logistik-sjaelland")
    kits = _installed_kits(landsdel, models, technician.pk if technician else None)
    _stock(landsdel, models)
    referrals = _referrals(landsdel, today)
    takedowns = _takedowns(landsdel)
    plan_day = next_working_day(today)
    plan = _windows_and_plan(landsdel, plan_day, people)
    below = [
        str(label)
        for kind, label in DeviceKind.choices
        if (point := ReorderPoint.objects.filter(landsdel=landsdel, kind=kind).first()) is not None
        and Unit.objects.filter(landsdel=landsdel, model__kind=kind, status=lifecycle.IN_STOCK).count() <= point.minimum
    ]
    open_tasks = LogisticsTask.objects.filter(landsdel=landsdel, state__in=(TaskState.OPEN, TaskState.PLANNED))
    units, all_kits = Unit.objects.filter(landsdel=landsdel).count(), Kit.objects.filter(landsdel=landsdel).count()
    return (
        f"Udstyr: {units} enheder, {all_kits} kits ({kits} nye), {referrals} nye henvisninger og {takedowns} nye "
        f"nedtagninger; {open_tasks.count()} åbne logistikopgaver; under genbestillingspunktet: "
        f"{', '.join(below) or 'ingen'}; dagsplan {plan_day:%d.%m.%Y} {'sat i kø' if plan else 'findes'}. "
        "Se /telemedicin/udstyr/sjaelland/ (logistik-sjaelland, tekniker-sjaelland-1..2, sekretariat)."
    )


__all__: Sequence[str] = ("load_demo_kits", "next_working_day")

"""Staffing pages: the weeks' rotas, a rota as a week calendar with requirement vs scheduled per interval and
each member's owed vs scheduled hours, a member's shifts, Excel and iCalendar exports, and shift swaps.

Thin: permissions in staffing/access.py, writes in staffing/actions.py, the Excel and iCalendar files in
staffing/exports.py, maths in staffing/lib/.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from samvirke.core.lib.clock import LOCAL
from samvirke.directory.models import Actor, Municipality, Person, Role
from samvirke.directory.selectors import the_fellesskab
from samvirke.staffing import access, actions, selectors
from samvirke.staffing.exports import WEEKDAYS, XLSX, agent_name, rota_workbook, shifts_calendar
from samvirke.staffing.lib import builds, ics
from samvirke.staffing.lib.calendar import CalendarEntry, WeekCalendar, clock, entry_for, week_calendar
from samvirke.staffing.lib.planning import monday_of, scheduled_per_interval
from samvirke.staffing.lib.planning import uncovered_half_hours as count_uncovered
from samvirke.staffing.lib.rota import Interval
from samvirke.staffing.models import Rota, RotaBuild, Shift, SwapRequest, SwapRequestState

# One definition of "udækkede halve timer" (lib/planning.uncovered_half_hours), explained where it is shown.
UNCOVERED_EXPLAINED = (
    "Udækkede halve timer: de halve timer i ugen, hvor der er planlagt færre agenter end behovet (en halv time, der "
    "mangler to agenter, tæller én gang)."
)


class BuildForm(forms.Form):
    # An <input type="date"> only shows an ISO value (2026-12-14); the Danish format (14.12.2026) leaves it empty.
    week = forms.DateField(
        label="Uge (en dag i ugen)", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    calls_per_year = forms.IntegerField(
        label="Opkald om året",
        min_value=0,
        max_value=10_000_000,  # the whole country's hotline takes ~266,000; more is a typing error
        required=False,
        help_text="Tomt: fra kontaktcentrets historik",
    )
    aht_seconds = forms.IntegerField(label="Behandlingstid (sek.)", min_value=10, max_value=3600, initial=270)
    target_service_level = forms.FloatField(label="Servicemål (andel)", min_value=0.01, max_value=0.99, initial=0.8)
    target_seconds = forms.IntegerField(label="Inden for (sek.)", min_value=1, max_value=3600, initial=60)
    shrinkage = forms.FloatField(label="Svind (andel)", min_value=0, max_value=0.9, initial=0.3)
    time_limit_seconds = forms.IntegerField(
        label="Løserens tidsgrænse (sek.)",
        min_value=5,
        max_value=300,
        required=False,
        help_text="Tomt: 30 sekunder. Længere kan give en bedre plan.",
    )


def _week_label(week_start: dt.date) -> str:
    year, week, _ = week_start.isocalendar()
    return f"uge {week} {year} ({week_start:%d.%m.}–{week_start + dt.timedelta(days=6):%d.%m.%Y})"


def _week_start(week: str) -> dt.date:
    try:
        return monday_of(dt.date.fromisoformat(week))
    except ValueError:
        raise Http404("Ugyldig uge.") from None


def _rota(week: str) -> Rota:
    week_start = _week_start(week)
    fellesskab = the_fellesskab()
    rota = Rota.objects.filter(fellesskab=fellesskab, week_start=week_start).first() if fellesskab else None
    if rota is None:
        raise Http404("Der er ingen vagtplan for den uge.")
    return rota


def _build_card(build: RotaBuild | None) -> dict[str, Any] | None:
    """The template's view of a build: its progress now (lib/builds.py), who asked and when."""
    if build is None:
        return None
    now = timezone.localtime()
    local = timezone.localtime
    progress = builds.progress(
        build.state,
        local(build.requested_at),
        local(build.started_at) if build.started_at else None,
        local(build.phase_since) if build.phase_since else None,
        local(build.finished_at) if build.finished_at else None,
        build.time_limit_seconds,
        build.failure,
        now,
        build.failed_in,
    )
    return {
        "build": build,
        "progress": progress,
        "percent": round(100 * progress.fraction) if progress.fraction is not None else None,
        "week": build.week_start.isoformat(),
        "week_label": _week_label(build.week_start),
        "requested_by": actions.person_name(build.requested_by),
        "requested_at": local(build.requested_at),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access.require_view_rota(request.user)
    today = timezone.localdate()
    form = BuildForm(initial={"week": monday_of(today) + dt.timedelta(days=7)})
    fellesskab = the_fellesskab()
    if request.method == "POST":
        access.require_plan(request.user)
        form = BuildForm(request.POST)
        if form.is_valid() and fellesskab is not None:
            data = form.cleaned_data
            settings = actions.RotaSettings(
                calls_per_year=data["calls_per_year"] or 0,
                aht_seconds=data["aht_seconds"],
                target_service_level=data["target_service_level"],
                target_seconds=data["target_seconds"],
                shrinkage=data["shrinkage"],
                time_limit_seconds=data["time_limit_seconds"] or actions.RotaSettings.time_limit_seconds,
            )
            try:
                build = actions.do_request_rota_build(request.user, fellesskab, data["week"], settings)
            except actions.BuildAlreadyRunning as exc:
                # A double click, or another secretary first: show the build that runs, and say so.
                messages.warning(request, str(exc))
                return redirect("staffing:rota", week=exc.build.week_start.isoformat())
            except actions.StaffingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    f"Vagtplanen for {_week_label(build.week_start)} bygges nu i baggrunden; siden her viser, hvor "
                    "langt den er.",
                )
                return redirect("staffing:rota", week=build.week_start.isoformat())
    feed_url = _feed_url(request, cast(Person, request.user)) if _is_agent(request.user) else None
    rotas = list(Rota.objects.filter(fellesskab=fellesskab)[:30]) if fellesskab else []
    uncovered = selectors.uncovered_half_hours(rotas)
    latest = selectors.latest_builds(fellesskab)
    by_week: dict[dt.date, dict[str, Any]] = {
        rota.week_start: {"rota": rota, "uncovered": uncovered[rota.pk]} for rota in rotas
    }
    with_rota = set(Rota.objects.filter(fellesskab=fellesskab).values_list("week_start", flat=True))
    for week_start, build in latest.items():
        # A week whose first build runs or failed has no rota yet, but a page that shows the build.
        if week_start in by_week or week_start not in with_rota:
            by_week.setdefault(week_start, {"rota": None, "uncovered": None})["build"] = _build_card(build)
    weeks = [{"week_start": w, "label": _week_label(w), **by_week[w]} for w in sorted(by_week, reverse=True)[:30]]
    return render(
        request,
        "staffing/index.html",
        {
            "form": form,
            "weeks": weeks,
            "running": [_build_card(build) for build in selectors.active_builds(fellesskab)],
            "uncovered_explained": UNCOVERED_EXPLAINED,
            "can_plan": access.can_plan(request.user),
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else None,
        },
        status=400 if form.errors else 200,
    )


def _intervals(rota: Rota) -> list[Interval]:
    return selectors.rota_intervals(rota)


@login_required
@require_GET
def rota_detail(request: HttpRequest, week: str) -> HttpResponse:
    """The week's rota, and the progress or result of its latest build: a week whose first build still runs (or
    failed) has a page with only that."""
    access.require_view_rota(request.user)
    week_start = _week_start(week)
    fellesskab = the_fellesskab()
    rota = Rota.objects.filter(fellesskab=fellesskab, week_start=week_start).first() if fellesskab else None
    build = selectors.latest_builds(fellesskab, [week_start]).get(week_start)
    if rota is None and build is None:
        raise Http404("Der er ingen vagtplan for den uge.")
    card = _build_card(build)
    if rota is None:
        return render(
            request,
            "staffing/rota.html",
            {
                "rota": None,
                "week_label": _week_label(week_start),
                "build": card,
                "can_plan": access.can_plan(request.user),
            },
        )
    intervals = _intervals(rota)
    shifts = list(rota.shifts.select_related("municipality", "agent"))
    scheduled = scheduled_per_interval(intervals, [(s.starts_at, s.ends_at) for s in shifts], rota.week_start)
    peak = max([*rota.requirement, *scheduled, 1])
    chart = [
        {
            "label": f"{WEEKDAYS[i.weekday][:3].lower()} {i.start:%H.%M}",
            "required": need,
            "scheduled": have,
            "required_pct": round(100 * need / peak, 1),
            "scheduled_pct": round(100 * have / peak, 1),
            "short": have < need,
        }
        for i, need, have in zip(intervals, rota.requirement, scheduled, strict=True)
    ]
    # The counts table: rows are the times of day, columns the open weekdays.
    days = sorted({i.weekday for i in intervals})
    times = sorted({i.start for i in intervals})
    cell = {(i.weekday, i.start): c for i, c in zip(intervals, chart, strict=True)}
    calendar = [(t, [cell.get((d, t)) for d in days]) for t in times]
    week_grid = _week_calendar(
        intervals,
        [
            entry_for(s.pk, *_local(s), s.municipality.name, agent_name(s.agent), unassigned=s.agent is None)
            for s in shifts
        ],
        {(i.weekday, i.start.hour * 60 + i.start.minute): c for i, c in zip(intervals, chart, strict=True)},
        mine={s.pk for s in shifts if s.agent_id is not None and s.agent_id == request.user.pk},
    )
    hours_by_member: dict[int, float] = defaultdict(float)
    evening_by_member: dict[int, float] = defaultdict(float)
    for shift in shifts:
        hours_by_member[shift.municipality.code] += shift.hours
        if shift.evening:
            evening_by_member[shift.municipality.code] += shift.hours
    members = []
    rows = rota.report.get("members", [])
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=[r["kommunekode"] for r in rows])}
    for row in rows:
        code = row["kommunekode"]
        hours = hours_by_member.get(code, 0.0)
        members.append(
            {
                **row,
                "scheduled": hours,
                "evening": evening_by_member.get(code, 0.0),
                "within_band": row["band_min"] - 1e-9 <= hours <= row["band_max"] + 1e-9,
                "can_see": code in municipalities and access.can_view_member_shifts(request.user, municipalities[code]),
            }
        )
    return render(
        request,
        "staffing/rota.html",
        {
            "rota": rota,
            "week_label": _week_label(rota.week_start),
            "chart": chart,
            "days": [WEEKDAYS[d] for d in days],
            "calendar": calendar,
            "week": week_grid,
            "members": members,
            "total_required": sum(rota.requirement) / 2,
            "total_scheduled": sum(scheduled) / 2,
            "uncovered": count_uncovered(rota.requirement, scheduled),
            "uncovered_explained": UNCOVERED_EXPLAINED,
            "build": card,
            # The solver's report: a few summary sentences, then one line per short interval ("man 08.00–08.30: …").
            "summary_problems": [p for p in rota.report.get("problems", []) if not _is_interval_line(p)],
            "interval_problems": [p for p in rota.report.get("problems", []) if _is_interval_line(p)],
            "can_plan": access.can_plan(request.user),
            "is_agent": _is_agent(request.user),
        },
    )


@login_required
@require_GET
def build_status(request: HttpRequest, week: str) -> HttpResponse:
    """The week's latest build as a card, polled by htmx while the build runs. When a polled build has finished,
    the page reloads (HX-Refresh) to show the rota it built."""
    access.require_view_rota(request.user)
    week_start = _week_start(week)
    build = selectors.latest_builds(the_fellesskab(), [week_start]).get(week_start)
    if build is None:
        raise Http404("Der er ingen opbygning af den uge.")
    card = _build_card(build)
    assert card is not None
    response = render(
        request, "staffing/_build_status.html", {"build": card, "can_plan": access.can_plan(request.user)}
    )
    if getattr(request, "htmx", False) and card["progress"].state == builds.DONE:
        response["HX-Refresh"] = "true"
    return response


def _local(shift: Shift) -> tuple[dt.datetime, dt.datetime]:
    return shift.starts_at.astimezone(LOCAL), shift.ends_at.astimezone(LOCAL)


def _shift_label(shift: Shift, in_sentence: bool = False) -> str:
    """ "Mandag 08.30–11.00 (Hanne Olsen)": a shift in a swap form's list ("mandag …" inside a sentence)."""
    start, end = _local(shift)
    day = WEEKDAYS[start.weekday()]
    return f"{day.lower() if in_sentence else day} {start:%H.%M}–{end:%H.%M} ({agent_name(shift.agent)})"


def _is_agent(user: Actor) -> bool:
    return bool(access.can_view_rota(user) and user.role == Role.AGENT)


def _feed_url(request: HttpRequest, agent: Person) -> str:
    path = reverse("staffing:agent_feed", kwargs={"token": access.agent_feed_token(agent)})
    return request.build_absolute_uri(path)


def _week_calendar(
    intervals: list[Interval],
    entries: list[CalendarEntry],
    cells: dict[tuple[int, int], Any],
    mine: set[int] | None = None,
) -> dict[str, Any]:
    """The week calendar for the template: the grid from lib/calendar.py, the day names, each half hour's
    background (closed, or short of agents according to the chart's cells) and the viewer's own shifts."""
    grid: WeekCalendar = week_calendar(
        [(i.weekday, i.start.hour * 60 + i.start.minute, i.minutes) for i in intervals], entries
    )
    slots = []
    for slot in grid.slots:
        c = cells.get((slot.weekday, slot.start))
        title = f"{WEEKDAYS[slot.weekday]} {clock(slot.start)}"
        if c is not None:
            title += f": planlagt {c['scheduled']}, behov {c['required']}"
        elif not slot.open:
            title += ": lukket"
        slots.append({"slot": slot, "short": bool(c and c["short"]), "title": title})
    return {
        "grid": grid,
        "days": [(day, WEEKDAYS[day.weekday]) for day in grid.days],
        "times": [(row, clock(minute)) for row, minute in grid.times],
        "slots": slots,
        "mine": mine or set(),
    }


def _is_interval_line(problem: str) -> bool:
    return problem[:4] in {"man ", "tir ", "ons ", "tor ", "fre ", "lør ", "søn "}


def _member(code: int) -> Municipality:
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise Http404("Ukendt kommunekode.")
    return municipality


@login_required
@require_GET
def member_shifts(request: HttpRequest, week: str, code: int) -> HttpResponse:
    rota = _rota(week)
    municipality = _member(code)
    if not access.can_view_member_shifts(request.user, municipality):
        access.require_plan(request.user)
    shifts = list(rota.shifts.filter(municipality=municipality).select_related("agent"))
    band = next((r for r in rota.report.get("members", []) if r["kommunekode"] == municipality.code), None)
    total = sum(s.hours for s in shifts)
    calendar = _week_calendar(
        _intervals(rota),
        [entry_for(s.pk, *_local(s), agent_name(s.agent), unassigned=s.agent is None) for s in shifts],
        {},
        mine={s.pk for s in shifts if s.agent_id is not None and s.agent_id == request.user.pk},
    )
    can_swap = access.can_swap_for(request.user, municipality)
    others: list[dict[str, Any]] = []
    if can_swap:
        other_shifts: dict[int, list[Shift]] = defaultdict(list)
        for other in rota.shifts.exclude(municipality=municipality).select_related("agent"):
            other_shifts[other.municipality_id].append(other)
        members = Municipality.objects.filter(
            code__in=[row["kommunekode"] for row in rota.report.get("members", [])]
        ).exclude(pk=municipality.pk)
        others = [
            {"municipality": m, "shifts": [(o.pk, _shift_label(o)) for o in other_shifts.get(m.pk, [])]}
            for m in members.order_by("name")
        ]
    agents = list(
        Person.objects.filter(municipality=municipality, role=Role.AGENT, is_active=True).order_by(
            "first_name", "last_name", "username"
        )
    )
    hours_by_agent: dict[int, float] = defaultdict(float)
    for shift in shifts:
        if shift.agent_id is not None:
            hours_by_agent[shift.agent_id] += shift.hours
    agent_rows = [
        {
            "agent": agent,
            "name": agent_name(agent),
            "hours": hours_by_agent.get(agent.pk, 0.0),
            "feed_url": _feed_url(request, agent) if access.can_see_agent_feed(request.user, agent) else None,
        }
        for agent in agents
    ]
    return render(
        request,
        "staffing/member.html",
        {
            "rota": rota,
            "week_label": _week_label(rota.week_start),
            "municipality": municipality,
            "shifts": shifts,
            "my_shifts": [(s.pk, _shift_label(s)) for s in shifts],
            "total": total,
            "band": band,
            "within_band": band is None or band["band_min"] - 1e-9 <= total <= band["band_max"] + 1e-9,
            "week": calendar,
            "others": others,
            "agents": agent_rows,
            "show_feeds": any(row["feed_url"] for row in agent_rows),
            "can_swap": can_swap,
            "can_plan": access.can_plan(request.user),
            "swaps_directly": access.swaps_directly(request.user),
            "swap_requests": _swap_request_rows(request.user, rota, municipality),
        },
    )


@login_required
@require_POST
def publish(request: HttpRequest, week: str) -> HttpResponse:
    access.require_plan(request.user)
    rota = _rota(week)
    try:
        rota = actions.do_publish_rota(request.user, rota)
    except actions.StaffingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Vagtplanen er offentliggjort.")
    return redirect("staffing:rota", week=rota.week_start.isoformat())


def _posted_id(request: HttpRequest, name: str) -> int | None:
    """A posted id: None when the field is empty, 0 (matches nothing) when it is not a number."""
    value = request.POST.get(name, "").strip()
    if not value:
        return None
    return int(value) if value.isdigit() else 0


@login_required
@require_POST
def swap(request: HttpRequest, week: str, code: int) -> HttpResponse:
    """Exchange one of this member's shifts for one of another member's (kind=bytte), or hand one over
    (kind=overdrag). Bad ids get a message and change nothing."""
    rota = _rota(week)
    municipality = _member(code)
    access.require_swap_for(request.user, municipality)
    kind = request.POST.get("kind", "")
    shift_id = _posted_id(request, "shift")
    other_id = _posted_id(request, "other_shift")
    to_code = _posted_id(request, "to")
    taker_id = _posted_id(request, "taker")
    shift = rota.shifts.filter(pk=shift_id or 0, municipality=municipality).first()
    other = (
        rota.shifts.filter(pk=other_id or 0).exclude(municipality=municipality).select_related("municipality").first()
    )
    target = other.municipality if other is not None else Municipality.objects.filter(code=to_code or 0).first()
    taker = Person.objects.filter(pk=taker_id).first() if taker_id else None
    error = None
    if kind not in ("bytte", "overdrag"):
        error = "Vælg, om vagterne skal byttes, eller om vagten kun skal overdrages."
    elif shift is None:
        error = f"Vælg en af {municipality.name}s vagter i ugen."
    elif kind == "bytte" and other is None:
        error = "Vælg den vagt fra et andet medlem, der skal byttes med."
    elif kind == "bytte" and to_code and target is not None and target.code != to_code:
        error = "Den valgte vagt hører ikke til det valgte medlem."
    elif kind == "overdrag" and (target is None or other_id is not None):
        error = "Vælg kun det medlem, der overtager vagten, når den overdrages."
    elif taker_id and taker is None:
        error = "Den valgte agent findes ikke."
    if error is None and shift is not None and target is not None and not access.swaps_directly(request.user):
        # A coordinator may not change another member's rota: the other member is asked.
        try:
            actions.do_request_swap(
                request.user, shift.pk, target, other.pk if kind == "bytte" and other else None, taker
            )
        except actions.StaffingError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                f"Anmodningen er sendt til {target.name}. Vagtplanen ændres først, når {target.name}s koordinator "
                "eller sekretariatet accepterer den.",
            )
    elif error is None and shift is not None and target is not None:
        try:
            result = actions.do_swap_shift(
                request.user, shift.pk, target, other.pk if kind == "bytte" and other else None, taker
            )
        except actions.StaffingError as exc:
            error = str(exc)
        else:
            messages.success(request, _swap_sentence(result, municipality, target))
            for warning in result.warnings:
                messages.warning(request, warning)
    if error is not None:
        messages.error(request, error)
    return redirect("staffing:member", week=week, code=code)


def _swap_request_for_answer(request: HttpRequest, week: str, code: int, pk: int) -> SwapRequest:
    """The waiting request `pk` to `code` in the week, once the user may answer for `code` (403 otherwise)."""
    rota = _rota(week)
    municipality = _member(code)
    if not access.can_answer_swap_request(request.user, municipality.pk):
        raise PermissionDenied("Kun den modtagende kommunes koordinator og sekretariatet svarer på en anmodning.")
    swap_request = SwapRequest.objects.filter(pk=pk, rota=rota, to_municipality=municipality).first()
    if swap_request is None:
        raise Http404("Anmodningen findes ikke.")
    return swap_request


@login_required
@require_POST
def accept_swap(request: HttpRequest, week: str, code: int, pk: int) -> HttpResponse:
    swap_request = _swap_request_for_answer(request, week, code, pk)
    try:
        result = actions.do_accept_swap_request(request.user, swap_request.pk)
    except actions.StaffingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _swap_sentence(result, swap_request.from_municipality, swap_request.to_municipality))
        for warning in result.warnings:
            messages.warning(request, warning)
    return redirect("staffing:member", week=week, code=code)


@login_required
@require_POST
def decline_swap(request: HttpRequest, week: str, code: int, pk: int) -> HttpResponse:
    swap_request = _swap_request_for_answer(request, week, code, pk)
    try:
        actions.do_decline_swap_request(request.user, swap_request.pk)
    except actions.StaffingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Anmodningen fra {swap_request.from_municipality.name} er afvist; vagtplanen er uændret."
        )
    return redirect("staffing:member", week=week, code=code)


def _swap_request_rows(user: Actor, rota: Rota, municipality: Municipality) -> list[dict[str, Any]]:
    """The waiting requests to or from the member, each as a sentence, and whether the user may answer it."""
    waiting = (
        SwapRequest.objects.filter(rota=rota, state=SwapRequestState.PENDING)
        .filter(Q(from_municipality=municipality) | Q(to_municipality=municipality))
        .select_related(
            "from_municipality",
            "to_municipality",
            "shift__agent",
            "other_shift__agent",
            "requested_by",
        )
    )
    rows = []
    for item in waiting:
        giver, receiver = item.from_municipality.name, item.to_municipality.name
        if item.other_shift is not None:
            sentence = (
                f"{giver} vil give vagten {_shift_label(item.shift, in_sentence=True)} til {receiver} og få "
                f"vagten {_shift_label(item.other_shift, in_sentence=True)} i stedet."
            )
        else:
            sentence = f"{giver} vil overdrage vagten {_shift_label(item.shift, in_sentence=True)} til {receiver}."
        rows.append(
            {
                "request": item,
                "sentence": sentence,
                "incoming": item.to_municipality_id == municipality.pk,
                "by": agent_name(item.requested_by) if item.requested_by else "",
                "can_answer": item.to_municipality_id == municipality.pk
                and access.can_answer_swap_request(user, municipality.pk),
            }
        )
    return rows


def _swap_sentence(result: actions.SwapResult, giver: Municipality, receiver: Municipality) -> str:
    mine, *theirs = result.shifts
    if theirs:
        return (
            f"Byttet: {receiver.name} har nu vagten {_shift_label(mine, in_sentence=True)}, "
            f"og {giver.name} har nu vagten {_shift_label(theirs[0], in_sentence=True)}."
        )
    return f"Vagten {_shift_label(mine, in_sentence=True)} er overdraget til {receiver.name}."


@login_required
@require_GET
def export_xlsx(request: HttpRequest, week: str) -> HttpResponse:
    access.require_view_rota(request.user)
    rota = _rota(week)
    plans = access.can_plan(request.user)
    shifts = [
        shift
        for shift in rota.shifts.select_related("municipality", "agent")
        if plans or access.can_view_member_shifts(request.user, shift.municipality)
    ]
    response = HttpResponse(rota_workbook(rota, shifts), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="vagtplan-{rota.week_start}.xlsx"'
    return response


@login_required
@require_GET
def member_calendar(request: HttpRequest, code: int) -> HttpResponse:
    """An iCalendar file of a member's published shifts (from four weeks back), for the coordinator's calendar."""
    municipality = _member(code)
    if not access.can_view_member_shifts(request.user, municipality):
        access.require_plan(request.user)
    shifts = Shift.objects.filter(municipality=municipality)
    return _calendar(shifts, f"Hotlinevagter {municipality.name}", f"vagter-{municipality.code}.ics")


@login_required
@require_GET
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The logged-in agent's own published shifts as an iCalendar file."""
    access.require_view_rota(request.user)
    person = cast(Person, request.user)
    name = person.get_username()
    return _calendar(Shift.objects.filter(agent=person), f"Mine hotlinevagter ({name})", f"mine-vagter-{name}.ics")


@require_GET
def agent_feed(request: HttpRequest, token: str) -> HttpResponse:
    """An agent's published shifts for a calendar app to subscribe to: no session, the token is the key (see
    access.agent_feed_token; a new password gives a new token). A wrong token is a plain 404."""
    agent = access.agent_by_feed_token(token)
    if agent is None:
        raise Http404("Ukendt kalender.")
    name = agent.get_full_name() or agent.get_username()
    response = _calendar(
        Shift.objects.filter(agent=agent),
        f"Hotlinevagter ({name})",
        f"vagter-{agent.get_username()}.ics",
        disposition="inline",  # a calendar app subscribes to it; nobody saves it as a file
    )
    response["Cache-Control"] = "private, max-age=900"
    return response


def _calendar(shifts: QuerySet[Shift], title: str, filename: str, disposition: str = "attachment") -> HttpResponse:
    now = timezone.now()
    published = selectors.published_shifts_since(shifts, now - dt.timedelta(weeks=4))
    response = HttpResponse(shifts_calendar(published, title, now), content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response

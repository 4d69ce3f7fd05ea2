"""Staffing pages: the weeks' rotas, a rota as a week calendar with requirement vs scheduled per interval and
each member's owed vs scheduled hours, a member's shifts, Excel and iCalendar exports, and shift swaps.

Thin: permissions in staffing/access.py, writes in staffing/actions.py, maths in staffing/lib/.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from samvirke.directory.models import Municipality, Person
from samvirke.directory.selectors import the_fellesskab
from samvirke.staffing import access, actions
from samvirke.staffing.lib.planning import LOCAL, interval_moment, monday_of, scheduled_per_interval
from samvirke.staffing.lib.rota import Interval
from samvirke.staffing.models import Rota, RotaStatus, Shift

WEEKDAYS = ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"]


class BuildForm(forms.Form):
    week = forms.DateField(label="Uge (en dag i ugen)", widget=forms.DateInput(attrs={"type": "date"}))
    calls_per_year = forms.IntegerField(
        label="Opkald om året", min_value=0, required=False, help_text="Tomt: fra kontaktcentrets historik"
    )
    aht_seconds = forms.IntegerField(label="Behandlingstid (sek.)", min_value=10, max_value=3600, initial=270)
    target_service_level = forms.FloatField(label="Servicemål (andel)", min_value=0.01, max_value=0.99, initial=0.8)
    target_seconds = forms.IntegerField(label="Inden for (sek.)", min_value=1, max_value=3600, initial=60)
    shrinkage = forms.FloatField(label="Svind (andel)", min_value=0, max_value=0.9, initial=0.3)


def _week_label(week_start: dt.date) -> str:
    year, week, _ = week_start.isocalendar()
    return f"uge {week} {year} ({week_start:%d.%m.}–{week_start + dt.timedelta(days=6):%d.%m.%Y})"


def _rota(week: str) -> Rota:
    try:
        week_start = monday_of(dt.date.fromisoformat(week))
    except ValueError:
        raise Http404("Ugyldig uge.") from None
    fellesskab = the_fellesskab()
    rota = Rota.objects.filter(fellesskab=fellesskab, week_start=week_start).first() if fellesskab else None
    if rota is None:
        raise Http404("Der er ingen vagtplan for den uge.")
    return rota


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access.require_view_rota(request.user)
    today = timezone.localdate()
    form = BuildForm(initial={"week": monday_of(today) + dt.timedelta(days=7)})
    if request.method == "POST":
        access.require_plan(request.user)
        form = BuildForm(request.POST)
        fellesskab = the_fellesskab()
        if form.is_valid() and fellesskab is not None:
            data = form.cleaned_data
            settings = actions.RotaSettings(
                calls_per_year=data["calls_per_year"] or 0,
                aht_seconds=data["aht_seconds"],
                target_service_level=data["target_service_level"],
                target_seconds=data["target_seconds"],
                shrinkage=data["shrinkage"],
            )
            try:
                rota = actions.do_build_rota(request.user, fellesskab, data["week"], settings)
            except actions.StaffingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Vagtplanen for {_week_label(rota.week_start)} er bygget.")
                return redirect("staffing:rota", week=rota.week_start.isoformat())
    return render(
        request,
        "staffing/index.html",
        {
            "form": form,
            "rotas": [(r, _week_label(r.week_start)) for r in Rota.objects.all()[:30]],
            "can_plan": access.can_plan(request.user),
        },
        status=400 if form.errors else 200,
    )


def _intervals(rota: Rota) -> list[Interval]:
    return [Interval(day, dt.time.fromisoformat(start), minutes) for day, start, minutes in rota.intervals]


@login_required
@require_GET
def rota_detail(request: HttpRequest, week: str) -> HttpResponse:
    access.require_view_rota(request.user)
    rota = _rota(week)
    intervals = _intervals(rota)
    shifts = list(rota.shifts.select_related("municipality"))
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
    # The calendar: rows are the times of day, columns the open weekdays.
    days = sorted({i.weekday for i in intervals})
    times = sorted({i.start for i in intervals})
    cell = {(i.weekday, i.start): c for i, c in zip(intervals, chart, strict=True)}
    calendar = [(t, [cell.get((d, t)) for d in days]) for t in times]
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
            "members": members,
            "total_required": sum(rota.requirement) / 2,
            "total_scheduled": sum(scheduled) / 2,
            "uncovered": sum(1 for c in chart if c["short"]),
            # The solver's report: a few summary sentences, then one line per short interval ("man 08.00–08.30: …").
            "summary_problems": [p for p in rota.report.get("problems", []) if not _is_interval_line(p)],
            "interval_problems": [p for p in rota.report.get("problems", []) if _is_interval_line(p)],
            "can_plan": access.can_plan(request.user),
        },
    )


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
    shifts = rota.shifts.filter(municipality=municipality).select_related("agent")
    members = Municipality.objects.filter(
        code__in=[row["kommunekode"] for row in rota.report.get("members", [])]
    ).exclude(pk=municipality.pk)
    return render(
        request,
        "staffing/member.html",
        {
            "rota": rota,
            "week_label": _week_label(rota.week_start),
            "municipality": municipality,
            "shifts": shifts,
            "total": sum(s.hours for s in shifts),
            "others": members,
            "can_plan": access.can_plan(request.user),
        },
    )


@login_required
@require_POST
def publish(request: HttpRequest, week: str) -> HttpResponse:
    access.require_plan(request.user)
    rota = actions.do_publish_rota(request.user, _rota(week))
    messages.success(request, "Vagtplanen er offentliggjort.")
    return redirect("staffing:rota", week=rota.week_start.isoformat())


@login_required
@require_POST
def swap(request: HttpRequest, week: str, code: int) -> HttpResponse:
    access.require_plan(request.user)
    rota = _rota(week)
    target = Municipality.objects.filter(code=request.POST.get("to", "0") or 0).first()
    try:
        shift_id = int(request.POST.get("shift", ""))
    except ValueError:
        shift_id = 0
    if target is None or not rota.shifts.filter(pk=shift_id).exists():
        messages.error(request, "Vælg en vagt og en kommune, der skal overtage den.")
    else:
        try:
            shift = actions.do_swap_shift(request.user, shift_id, target)
        except actions.StaffingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"Vagten {shift.starts_at.astimezone(LOCAL):%a %H.%M} er flyttet til {target.name}."
            )
    return redirect("staffing:member", week=week, code=code)


@login_required
@require_GET
def export_xlsx(request: HttpRequest, week: str) -> HttpResponse:
    access.require_view_rota(request.user)
    rota = _rota(week)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = "Vagter"
    sheet.append(["Kommune", "Kommunekode", "Dag", "Fra", "Til", "Timer", "Aften/fredag"])
    for shift in rota.shifts.select_related("municipality"):
        if not access.can_view_member_shifts(request.user, shift.municipality) and not access.can_plan(request.user):
            continue
        start, end = shift.starts_at.astimezone(LOCAL), shift.ends_at.astimezone(LOCAL)
        sheet.append(
            [
                shift.municipality.name,
                shift.municipality.code,
                WEEKDAYS[start.weekday()],
                f"{start:%Y-%m-%d %H:%M}",
                f"{end:%H:%M}",
                shift.hours,
                "ja" if shift.evening else "nej",
            ]
        )
    needs = workbook.create_sheet("Behov")
    needs.append(["Interval", "Forventede henvendelser", "Behov (agenter)"])
    for interval, volume, need in zip(_intervals(rota), rota.volumes, rota.requirement, strict=True):
        needs.append([f"{interval_moment(interval, rota.week_start):%Y-%m-%d %H:%M}", volume, need])
    for ws in (sheet, needs):
        for cell in ws[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="vagtplan-{rota.week_start}.xlsx"'
    return response


def _ics_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


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


def _calendar(shifts: Any, title: str, filename: str) -> HttpResponse:
    since = timezone.now() - dt.timedelta(weeks=4)
    shifts = (
        shifts.filter(rota__status=RotaStatus.PUBLISHED, ends_at__gte=since)
        .select_related("municipality")
        .order_by("starts_at")
    )
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Samvirke//Vagtplan//DA",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text(title)}",
    ]
    for shift in shifts:
        municipality = shift.municipality
        lines += [
            "BEGIN:VEVENT",
            f"UID:samvirke-shift-{shift.pk}@samvirke",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{shift.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
            f"DTEND:{shift.ends_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
            f"SUMMARY:{_ics_text(f'Hotlinevagt ({municipality.name})')}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

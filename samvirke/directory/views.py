"""Directory pages: home, the member list, a municipality's page. Thin: check access, query, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from samvirke.core.not_found import citizen_not_found, danish_message, is_citizen_path
from samvirke.directory import access
from samvirke.directory.actions import (
    ALLOWED_TRANSITIONS,
    MembershipTransitionError,
    do_change_membership_status,
)
from samvirke.directory.models import HotlineNumber, Membership, MembershipStatus, Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if access.can_view_member_list(user):
        return redirect("directory:member_list")
    raise PermissionDenied(
        "Din bruger er ikke tilknyttet fællesskabet endnu. Kontakt din kommunes koordinator eller sekretariatet."
    )


def _memberships() -> Any:
    return Membership.objects.select_related("municipality__region", "pilot_payer", "fellesskab").prefetch_related(
        Prefetch("hotline_numbers", queryset=HotlineNumber.objects.order_by("line"))
    )


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    access.require_member_list(request.user)
    status = request.GET.get("status", "")
    memberships = _memberships().order_by("municipality__name")
    if status in MembershipStatus.values:
        memberships = memberships.filter(status=status)
    else:
        status = ""
    current = memberships.exclude(status=MembershipStatus.LEFT)
    totals = current.aggregate(population=Sum("municipality__population"))
    # Link only the pages the user may open: an agent or a coordinator sees its own municipality's page only.
    linkable = access.viewable_municipality_ids(request.user, [m.municipality for m in memberships])
    counts = {choice: 0 for choice in MembershipStatus.values}
    for row in Membership.objects.values_list("status", flat=True):
        counts[row] += 1
    return render(
        request,
        "directory/member_list.html",
        {
            "memberships": memberships,
            "member_count": current.count(),
            "total_population": totals["population"] or 0,
            "status_filter": status,
            "status_choices": [(value, label, counts[value]) for value, label in MembershipStatus.choices],
            "today": timezone.localdate(),
            "own_municipality_id": getattr(request.user, "municipality_id", None),
            "linkable_municipality_ids": linkable,
        },
    )


@login_required
def municipality_detail(request: HttpRequest, code: int) -> HttpResponse:
    municipality = access.access_municipality_by_code(request.user, code)
    membership = _memberships().filter(municipality=municipality).first()
    people = None
    if access.can_view_people_of(request.user, municipality):
        # Active people, and the simulated agents the traffic simulator drives (inactive: they never log in).
        people = (
            municipality.people.filter(Q(is_active=True) | Q(is_simulated=True))
            .exclude(role=Role.NONE)
            .order_by("is_simulated", "role", "first_name", "last_name")
        )
    next_statuses: list[tuple[str, str]] = []
    if membership is not None and access.can_change_membership(request.user):
        next_statuses = [
            (value, label)
            for value, label in MembershipStatus.choices
            if value in ALLOWED_TRANSITIONS[membership.status]
        ]
    return render(
        request,
        "directory/municipality_detail.html",
        {
            "municipality": municipality,
            "membership": membership,
            "people": people,
            "next_statuses": next_statuses,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def change_membership_status(request: HttpRequest, code: int) -> HttpResponse:
    municipality = access.access_municipality_by_code(request.user, code)
    if not access.can_change_membership(request.user):
        raise PermissionDenied("Kun sekretariatet kan ændre et medlemskab.")
    membership = get_object_or_404(Membership, municipality=municipality)
    try:
        do_change_membership_status(request.user, membership, request.POST.get("status", ""), timezone.localdate())
    except MembershipTransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{municipality.name}: status ændret.")
    return redirect("directory:municipality", code=municipality.code)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else "Du har ikke adgang til denne side."
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Only our own Http404 messages are Danish sentences; Django's resolver messages are not for users.
    if is_citizen_path(request.path_info):
        return citizen_not_found(request, exception)  # a citizen gets the citizen pages' style, not the staff's
    return render(request, "404.html", {"message": danish_message(exception)}, status=404)

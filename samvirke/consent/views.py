"""The consent pages: the register of citizens and their consents, a citizen's page (exactly the fields the viewer
may see, through disclosure.citizen_card, so logged), a printable consent, the export, and the data processing
agreements. Thin: access decides, disclosure discloses, actions write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from samvirke.consent import access, selectors
from samvirke.consent.actions import ConsentActionError, do_record_consent, do_withdraw_consent
from samvirke.consent.disclosure import FIELD_LABELS, DisclosureRefused, citizen_card
from samvirke.consent.exports import citizens_workbook
from samvirke.consent.models import Consent, OperatorKind, ProgrammeCitizen

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _citizen(request: HttpRequest, pk: int) -> ProgrammeCitizen:
    access.require_citizens(request.user)
    citizen = get_object_or_404(ProgrammeCitizen.objects.select_related("landsdel", "municipality"), pk=pk)
    if not access.visible_citizens(request.user).filter(pk=citizen.pk).exists():
        raise PermissionDenied("Du har ikke adgang til denne borger.")
    return citizen


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The consent register: pseudonymous references and the consent state, no personal field."""
    user = access.require_citizens(request.user)
    citizens = access.visible_citizens(user).order_by("landsdel__name", "citizen_ref")
    rows = [(c, selectors.consent_state(c)) for c in citizens]
    return render(
        request,
        "consent/register.html",
        {
            "rows": rows,
            "can_manage": access.can_manage_citizens(user),
            "can_view_agreements": access.can_view_agreements(user),
        },
    )


@login_required
@require_GET
def citizen(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.require_citizens(request.user)
    found = _citizen(request, pk)
    can_manage = access.can_manage_citizens(person)
    refused = ""
    card: dict[str, object] = {}
    try:
        card = citizen_card(person, found, "Borgerens side i samtykkeregistret")
    except DisclosureRefused as exc:
        if not can_manage:
            raise  # an operator user without consent sees nothing (403, logged)
        refused = str(exc)
    return render(
        request,
        "consent/citizen.html",
        {
            "citizen": found,
            "card": [(FIELD_LABELS[name], value) for name, value in card.items()],
            "refused": refused,
            "consents": selectors.consents_of(found) if can_manage else [],
            "can_manage": can_manage,
            "operator_kinds": OperatorKind.choices,
        },
    )


@login_required
@require_POST
def record_consent(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.require_manage_citizens(request.user)
    found = _citizen(request, pk)
    by_proxy = request.POST.get("by_proxy") == "on"
    try:
        do_record_consent(
            person,
            found,
            operator_kinds=request.POST.getlist("operator_kinds"),
            diagnoses=[d for d in request.POST.get("diagnoses", "").split(",")],
            by_proxy=by_proxy,
            proxy_name=request.POST.get("proxy_name", "")[:200],
            proxy_authority=request.POST.get("proxy_authority", "")[:200],
        )
    except ConsentActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Samtykket er registreret.")
    return redirect("consent:citizen", pk=found.pk)


@login_required
@require_POST
def withdraw_consent(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.require_manage_citizens(request.user)
    consent = get_object_or_404(Consent.objects.select_related("citizen"), pk=pk)
    _citizen(request, consent.citizen_id)
    try:
        do_withdraw_consent(person, consent)
    except ConsentActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Samtykket er trukket tilbage. Intet videregives herefter til operatørerne.")
    return redirect("consent:citizen", pk=consent.citizen_id)


@login_required
@require_GET
def printable_consent(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.require_manage_citizens(request.user)
    consent = get_object_or_404(Consent.objects.select_related("citizen", "text_version"), pk=pk)
    found = _citizen(request, consent.citizen_id)
    card = citizen_card(person, found, "Udskrift af samtykke")
    kinds = dict(OperatorKind.choices)
    return render(
        request,
        "consent/print.html",
        {
            "consent": consent,
            "card": card,
            "kinds": [kinds.get(k, k) for k in consent.operator_kinds],
            "printed_at": timezone.localtime(),
        },
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    user = access.require_citizens(request.user)
    body = citizens_workbook(user, access.visible_citizens(user).order_by("landsdel__name", "citizen_ref"))
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="borgere-telemedicin.xlsx"'
    return response


@login_required
@require_GET
def agreements(request: HttpRequest) -> HttpResponse:
    if not access.can_view_agreements(request.user):
        raise PermissionDenied("Databehandleraftalerne er for sekretariatet, regionen og kommunerne.")
    today = timezone.localdate()
    found = list(selectors.agreements_for(request.user))
    due = {
        a.pk: (f"overskredet med {-days} dage" if days < 0 else f"om {days} dage")
        for a, days in selectors.audit_statements_due(today)
    }
    return render(
        request,
        "consent/agreements.html",
        {"agreements": [(a, due.get(a.pk)) for a in found], "today": today},
    )

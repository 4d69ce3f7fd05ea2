"""The consent pages: the register of citizens and their consents, a citizen's page (exactly the fields the viewer
may see, through disclosure.citizen_card, so logged), a printable consent, the export, and the data processing
agreements. Thin: access decides, disclosure discloses, actions write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samvirke.consent import access, selectors
from samvirke.consent.actions import (
    ConsentActionError,
    do_accede,
    do_add_sub_processor,
    do_end_course,
    do_enrol,
    do_record_audit_statement,
    do_record_consent,
    do_refer_citizen,
    do_sign_agreement,
    do_terminate_agreement,
    do_withdraw_consent,
)
from samvirke.consent.disclosure import FIELD_LABELS, DisclosureRefused, citizen_card
from samvirke.consent.exports import citizens_workbook
from samvirke.consent.forms import (
    AccessionForm,
    AuditStatementForm,
    ConsentForm,
    DayForm,
    ReferForm,
    SignAgreementForm,
    SubProcessorForm,
    TerminateForm,
    agreement_forms,
)
from samvirke.consent.models import Consent, DataProcessingAgreement, Operator, OperatorKind, ProgrammeCitizen
from samvirke.directory.models import Municipality, Person, Region, Role
from samvirke.telecare.models import Landsdel

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


def _render_citizen(
    request: HttpRequest, person: Person, found: ProgrammeCitizen, bound: dict[str, forms.Form], status: int = 200
) -> HttpResponse:
    """The citizen's page; `bound` holds a form that failed, shown again with its Danish messages."""
    can_manage = access.can_manage_citizens(person)
    refused = ""
    card: dict[str, object] = {}
    try:
        card = citizen_card(person, found, "Borgerens side i samtykkeregistret")
    except DisclosureRefused as exc:
        if not can_manage:
            raise  # an operator user without consent sees nothing (403, logged)
        refused = str(exc)
    context: dict[str, Any] = {
        "citizen": found,
        "card": [(FIELD_LABELS[name], value) for name, value in card.items()],
        "refused": refused,
        "consents": selectors.consents_of(found) if can_manage else [],
        "can_manage": can_manage,
    }
    if can_manage:
        context["consent_form"] = bound.get("consent") or ConsentForm()
        context["enrol_form"] = bound.get("enrol") or DayForm(prefix="enrol", initial={"day": timezone.localdate()})
        context["end_form"] = bound.get("end") or DayForm(prefix="end", initial={"day": timezone.localdate()})
    return render(request, "consent/citizen.html", context, status=status)


@login_required
@require_GET
def citizen(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.require_citizens(request.user)
    return _render_citizen(request, person, _citizen(request, pk), {})


@login_required
@require_POST
def record_consent(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.require_manage_citizens(request.user)
    found = _citizen(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            do_record_consent(
                person,
                found,
                text=data["text_version"],
                data_categories=data["data_categories"],
                purposes=data["purposes"],
                operator_kinds=data["operator_kinds"],
                diagnoses=data["diagnoses"],
                by_proxy=data["by_proxy"],
                proxy_name=data["proxy_name"],
                proxy_authority=data["proxy_authority"],
            )
        except ConsentActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Samtykket er registreret.")
            return redirect("consent:citizen", pk=found.pk)
    return _render_citizen(request, person, found, {"consent": form}, status=400)


def _course_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    person = access.require_manage_citizens(request.user)
    found = _citizen(request, pk)
    form = DayForm(request.POST, prefix=step)
    if form.is_valid():
        day = form.cleaned_data["day"]
        try:
            if step == "enrol":
                do_enrol(person, found, day)
            else:
                do_end_course(person, found, day)
        except ConsentActionError as exc:
            form.add_error("day", str(exc))
        else:
            done = "Borgeren er indskrevet" if step == "enrol" else "Forløbet er afsluttet"
            messages.success(request, f"{done} pr. {day:%d.%m.%Y}.")
            return redirect("consent:citizen", pk=found.pk)
    return _render_citizen(request, person, found, {step: form}, status=400)


@login_required
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_step(request, pk, "enrol")


@login_required
@require_POST
def end_course(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_step(request, pk, "end")


def _referral_scope(person: Person) -> tuple[QuerySet[Landsdel], QuerySet[Municipality]]:
    """Where the person may refer: the secretariat every landsdel and its region's municipalities; region staff
    their region's; a coordinator only citizens of their own municipality."""
    landsdele = Landsdel.objects.select_related("region").order_by("name")
    municipalities = Municipality.objects.order_by("name")
    if person.role == Role.SECRETARIAT:
        return landsdele, municipalities.filter(region_id__in=landsdele.values("region_id"))
    if person.role == Role.REGION_STAFF and person.region_id is not None:
        return landsdele.filter(region_id=person.region_id), municipalities.filter(region_id=person.region_id)
    if person.role == Role.COORDINATOR and person.municipality is not None:
        region_id = person.municipality.region_id
        return landsdele.filter(region_id=region_id), municipalities.filter(pk=person.municipality.pk)
    return landsdele.none(), municipalities.none()


@login_required
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest) -> HttpResponse:
    """A referral from the municipality or the hospital. Operators do not refer (403)."""
    person = access.require_manage_citizens(request.user)
    landsdele, municipalities = _referral_scope(person)
    if request.method == "POST":
        form = ReferForm(request.POST, landsdele=landsdele, municipalities=municipalities)
        if form.is_valid():
            try:
                found = do_refer_citizen(person, form.cleaned_data["landsdel"], **form.action_fields())
            except ConsentActionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Borger {found.citizen_ref} er henvist.")
                return redirect("consent:citizen", pk=found.pk)
        return render(request, "consent/refer.html", {"form": form}, status=400)
    form = ReferForm(landsdele=landsdele, municipalities=municipalities)
    return render(request, "consent/refer.html", {"form": form})


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


# --- data processing agreements -----------------------------------------------------------------------------


def _require_agreements(request: HttpRequest) -> Person:
    if not access.can_view_agreements(request.user):
        raise PermissionDenied("Databehandleraftalerne er for sekretariatet, regionen og kommunerne.")
    assert isinstance(request.user, Person)
    return request.user


def _agreement_operators(person: Person) -> QuerySet[Operator]:
    """The operators the person may sign with: the secretariat any; region staff and coordinators those of their
    region's landsdel."""
    operators = Operator.objects.select_related("landsdel").order_by("landsdel__name", "kind", "name")
    if person.role == Role.SECRETARIAT:
        return operators
    if person.role == Role.REGION_STAFF and person.region_id is not None:
        return operators.filter(landsdel__region_id=person.region_id)
    if person.role == Role.COORDINATOR and person.municipality is not None:
        return operators.filter(landsdel__region_id=person.municipality.region_id)
    return operators.none()


def _controllers(person: Person) -> list[tuple[str, str]]:
    """The controllers the person acts for, as "region:<pk>" / "municipality:<pk>" choices: the secretariat every
    landsdel's region and its municipalities; region staff their region and its municipalities; a coordinator
    their own municipality."""
    regions = Region.objects.filter(pk__in=Landsdel.objects.values("region_id")).order_by("name")
    if person.role == Role.REGION_STAFF:
        regions = regions.filter(pk=person.region.pk) if person.region is not None else regions.none()
    elif person.role != Role.SECRETARIAT:
        regions = regions.none()
    municipalities = Municipality.objects.filter(region__in=regions).order_by("name")
    if person.role == Role.COORDINATOR and person.municipality is not None:
        municipalities = Municipality.objects.filter(pk=person.municipality.pk)
    return [(f"region:{r.pk}", r.name) for r in regions] + [
        (f"municipality:{m.pk}", f"{m.name} Kommune") for m in municipalities
    ]


def _can_manage_sub_processors(person: Person) -> bool:
    return person.role in (Role.SECRETARIAT, Role.REGION_STAFF)


def _managed_agreement(person: Person, pk: int) -> DataProcessingAgreement:
    """An agreement the person acts on: the secretariat any; region staff those of their region's operators; a
    coordinator those their own municipality is controller of (403 otherwise, 404 if none)."""
    agreement = get_object_or_404(DataProcessingAgreement.objects.select_related("operator__landsdel"), pk=pk)
    if person.role == Role.SECRETARIAT:
        return agreement
    if person.role == Role.REGION_STAFF and agreement.operator.landsdel.region_id == person.region_id:
        return agreement
    if (
        person.role == Role.COORDINATOR
        and person.municipality_id is not None
        and agreement.municipality_id == person.municipality_id
    ):
        return agreement
    raise PermissionDenied("Du handler ikke for den dataansvarlige i denne aftale.")


def _render_agreements(
    request: HttpRequest, person: Person, bound: dict[Any, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    """The register; `bound` holds a form that failed ("sign", "sub", or (agreement pk, name) for an agreement's
    own), shown again with its Danish messages."""
    bound = bound or {}
    today = timezone.localdate()
    found = list(selectors.agreements_for(person))
    due = {
        a.pk: (f"overskredet med {-days} dage" if days < 0 else f"om {days} dage")
        for a, days in selectors.audit_statements_due(today)
    }
    operators = _agreement_operators(person)
    rows = []
    for agreement in found:
        own: dict[str, forms.Form] = {}
        try:
            _managed_agreement(person, agreement.pk)
        except PermissionDenied:
            pass
        else:
            own = agreement_forms(agreement)
            for name in own:
                if (agreement.pk, name) in bound:
                    own[name] = bound[(agreement.pk, name)]
        rows.append((agreement, due.get(agreement.pk), own))
    can_sub = _can_manage_sub_processors(person)
    return render(
        request,
        "consent/agreements.html",
        {
            "agreements": rows,
            "today": today,
            "sign_form": bound.get("sign")
            or SignAgreementForm(operators=operators, controllers=_controllers(person), initial={"signed_at": today}),
            "sub_form": (bound.get("sub") or SubProcessorForm(operators=operators)) if can_sub else None,
        },
        status=status,
    )


@login_required
@require_GET
def agreements(request: HttpRequest) -> HttpResponse:
    return _render_agreements(request, _require_agreements(request))


@login_required
@require_POST
def sign_agreement(request: HttpRequest) -> HttpResponse:
    person = _require_agreements(request)
    form = SignAgreementForm(request.POST, operators=_agreement_operators(person), controllers=_controllers(person))
    if form.is_valid():
        kind, _, pk = form.cleaned_data["controller"].partition(":")
        region = Region.objects.get(pk=pk) if kind == "region" else None
        municipality = Municipality.objects.get(pk=pk) if kind == "municipality" else None
        try:
            agreement = do_sign_agreement(
                person,
                form.cleaned_data["operator"],
                signed_at=form.cleaned_data["signed_at"],
                region=region,
                municipality=municipality,
            )
        except ConsentActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{agreement} er registreret.")
            return redirect("consent:agreements")
    return _render_agreements(request, person, {"sign": form}, status=400)


def _agreement_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    person = _require_agreements(request)
    agreement = _managed_agreement(person, pk)
    prefix = f"dpa{agreement.pk}"
    form: forms.Form
    try:
        if name == "accede":
            form = AccessionForm(request.POST, prefix=prefix)
            if form.is_valid():
                data = form.cleaned_data
                do_accede(person, agreement, data["participant"], data["acceded_at"])
                messages.success(request, f"{data['participant']} har tiltrådt aftalen.")
        elif name == "audit":
            form = AuditStatementForm(request.POST, prefix=prefix)
            if form.is_valid():
                do_record_audit_statement(person, agreement, form.cleaned_data["received_at"])
                messages.success(request, "Revisionserklæringen er registreret; den næste skal komme om et år.")
        else:
            form = TerminateForm(request.POST, prefix=prefix)
            if form.is_valid():
                data = form.cleaned_data
                do_terminate_agreement(person, agreement, data["terminated_at"], data["handling"], data["handled_at"])
                messages.success(request, "Aftalen er ophørt.")
    except ConsentActionError as exc:
        form.add_error(None, str(exc))
    if form.is_valid():
        return redirect(f"{reverse('consent:agreements')}#dpa-{agreement.pk}")
    return _render_agreements(request, person, {(agreement.pk, name): form}, status=400)


@login_required
@require_POST
def accede(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_step(request, pk, "accede")


@login_required
@require_POST
def audit_statement(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_step(request, pk, "audit")


@login_required
@require_POST
def terminate_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_step(request, pk, "terminate")


@login_required
@require_POST
def add_sub_processor(request: HttpRequest) -> HttpResponse:
    person = _require_agreements(request)
    if not _can_manage_sub_processors(person):
        raise PermissionDenied("Underdatabehandlerne registreres af sekretariatet og regionen.")
    form = SubProcessorForm(request.POST, operators=_agreement_operators(person))
    if form.is_valid():
        data = form.cleaned_data
        try:
            sub = do_add_sub_processor(
                person,
                data["operator"],
                name=data["name"],
                service=data["service"],
                since=data["since"],
                country=data["country"],
                replaces=data["replaces"],
                notified_at=data["notified_at"],
            )
        except ConsentActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Underdatabehandleren {sub.name} er registreret.")
            return redirect("consent:agreements")
    return _render_agreements(request, person, {"sub": form}, status=400)

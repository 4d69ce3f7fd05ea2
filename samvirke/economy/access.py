"""Every permission check on economy data, written once.

- The secretariat sees and runs everything: the model, all members' fees and hours, invoicing.
- A coordinator sees its own municipality's rows, invoices, balance and business cases, and edits its own
  business cases.
- Region staff see the members of their own region (the region pays their fee during the pilot).
- Agents, guide editors and outsiders see no economy.
"""

from __future__ import annotations

from typing import TypeGuard

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from samvirke.directory.access import belongs_to_fellesskab, is_secretariat
from samvirke.directory.models import Actor, Membership, MembershipStatus, Municipality, Person, Role
from samvirke.economy.models import BusinessCase, Invoice, PilotGrant

ECONOMY_ROLES = (Role.SECRETARIAT, Role.COORDINATOR, Role.REGION_STAFF)


def can_view_economy(user: Actor) -> TypeGuard[Person]:
    if not belongs_to_fellesskab(user):
        return False
    return bool(user.role in ECONOMY_ROLES)


def require_economy(user: Actor) -> Person:
    if not can_view_economy(user):
        raise PermissionDenied("Økonomien er for sekretariatet, kommunernes koordinatorer og regionen.")
    return user


def visible_municipalities(user: Actor) -> QuerySet[Municipality]:
    """The municipalities whose economy this user may see (empty for people with no economy access)."""
    if not can_view_economy(user):
        return Municipality.objects.none()
    if user.role == Role.SECRETARIAT:
        return Municipality.objects.all()
    # The database holds region staff to a region and coordinators to a municipality; the None tests are for the
    # type checker (a None would match no municipality either way).
    if user.role == Role.REGION_STAFF and user.region_id is not None:
        return Municipality.objects.filter(region_id=user.region_id)
    if user.role == Role.COORDINATOR and user.municipality_id is not None:
        return Municipality.objects.filter(pk=user.municipality_id)
    return Municipality.objects.none()


def sees_all_members(user: Actor) -> TypeGuard[Person]:
    return is_secretariat(user)


def can_manage_economy(user: Actor) -> TypeGuard[Person]:
    """Change the yearly model, run invoicing, type in contact volumes: the secretariat only."""
    return is_secretariat(user)


def require_manage_economy(user: Actor) -> Person:
    if not can_manage_economy(user):
        raise PermissionDenied("Kun sekretariatet kan ændre økonomimodellen og fakturere.")
    return user


def access_invoice(user: Actor, pk: int) -> Invoice:
    try:
        invoice = Invoice.objects.select_related("municipality", "membership", "fellesskab", "credits").get(pk=pk)
    except Invoice.DoesNotExist:
        raise Http404("Der findes ingen faktura med det nummer.") from None
    if not visible_municipalities(user).filter(pk=invoice.municipality_id).exists():
        raise PermissionDenied("Du har ikke adgang til denne faktura.")
    return invoice


# --- business cases ----------------------------------------------------------------------------------


def can_view_business_cases(user: Actor) -> TypeGuard[Person]:
    return can_view_economy(user) and user.role in (Role.SECRETARIAT, Role.COORDINATOR)


def require_business_cases(user: Actor) -> Person:
    if not can_view_business_cases(user):
        raise PermissionDenied("Business cases er for sekretariatet og kommunernes koordinatorer.")
    return user


def visible_business_cases(user: Actor) -> QuerySet[BusinessCase]:
    if not can_view_business_cases(user):
        return BusinessCase.objects.none()
    cases = BusinessCase.objects.select_related("municipality")
    if user.role == Role.SECRETARIAT:
        return cases
    if user.municipality_id is None:  # a coordinator always has one (a database constraint); for the type checker
        return cases.none()
    return cases.filter(municipality_id=user.municipality_id)


def can_edit_business_case(user: Actor, case: BusinessCase) -> TypeGuard[Person]:
    if not can_view_business_cases(user):
        return False
    if user.role == Role.SECRETARIAT:
        return True
    return bool(user.role == Role.COORDINATOR and case.municipality_id == user.municipality_id)


def can_create_business_case_for(user: Actor, municipality: Municipality) -> TypeGuard[Person]:
    if not can_view_business_cases(user):
        return False
    if user.role == Role.SECRETARIAT:
        return True
    return bool(municipality.pk == user.municipality_id)


def creatable_business_case_municipalities(user: Actor) -> list[Municipality]:
    """Current members the user may create a case for (a coordinator: its own municipality), by name."""
    member_ids = Membership.objects.exclude(status=MembershipStatus.LEFT).values("municipality_id")
    candidates = Municipality.objects.filter(pk__in=member_ids).order_by("name")
    return [m for m in candidates if can_create_business_case_for(user, m)]


def access_business_case(user: Actor, pk: int, *, for_edit: bool = False) -> BusinessCase:
    """The case if the user may see it (and edit it, with for_edit); 404 if none, 403 if out of scope."""
    try:
        case = BusinessCase.objects.select_related("municipality").get(pk=pk)
    except BusinessCase.DoesNotExist:
        raise Http404("Der findes ingen business case med det nummer.") from None
    if not visible_business_cases(user).filter(pk=case.pk).exists():
        raise PermissionDenied("Du har ikke adgang til denne business case.")
    if for_edit and not can_edit_business_case(user, case):
        raise PermissionDenied("Du kan ikke ændre denne business case.")
    return case


def access_business_case_portfolio(user: Actor, code: int) -> Municipality:
    """A municipality's portfolio of business cases: the secretariat, or the municipality's own coordinator."""
    require_business_cases(user)
    try:
        municipality = Municipality.objects.get(code=code)
    except Municipality.DoesNotExist:
        raise Http404(f"Der findes ingen kommune med kommunekode {code}.") from None
    if not can_create_business_case_for(user, municipality):
        raise PermissionDenied("Du har ikke adgang til denne kommunes business cases.")
    return municipality


def visible_member_codes(user: Actor) -> set[int]:
    """The kommunekoder of the members whose numbers the user may see."""
    return set(visible_municipalities(user).values_list("code", flat=True))


def visible_grants(user: Actor) -> QuerySet[PilotGrant]:
    """The pilot grants this user may follow: all for the secretariat, the own region's for region staff; none for
    coordinators (the grant is the region's money, not a municipality's) and everyone else."""
    if not can_view_economy(user):
        return PilotGrant.objects.none()
    if user.role == Role.SECRETARIAT:
        return PilotGrant.objects.select_related("region")
    if user.role == Role.REGION_STAFF and user.region_id is not None:
        return PilotGrant.objects.filter(region_id=user.region_id).select_related("region")
    return PilotGrant.objects.none()


def require_grants(user: Actor) -> Person:
    """The grant page: the secretariat and region staff (403 for everyone else)."""
    if not can_view_economy(user) or user.role not in (Role.SECRETARIAT, Role.REGION_STAFF):
        raise PermissionDenied("Pilotbevillingen er for sekretariatet og regionen.")
    return user

"""Navigation by role: each link appears only for people the target page would let in.

Project-level, above the apps: it asks each app's access module, and no app imports another's pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from samvirke.consent import access as consent_access
from samvirke.contact import access as contact_access
from samvirke.directory import access
from samvirke.economy import access as economy_access
from samvirke.kits import access as kits_access
from samvirke.knowledge import access as knowledge_access
from samvirke.onboarding import access as onboarding_access
from samvirke.preparedness import access as preparedness_access
from samvirke.staffing import access as staffing_access
from samvirke.telecare import access as telecare_access
from samvirke.telesupport import access as telesupport_access
from samvirke.training import access as training_access


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[dict[str, str]] = []
    if user is not None and user.is_authenticated:
        if access.can_view_member_list(user):
            items.append({"label": "Medlemmer", "url": reverse("directory:member_list")})
        municipality = getattr(user, "municipality", None)
        if municipality is not None and access.can_view_municipality(user, municipality):
            items.append(
                {
                    "label": municipality.name,
                    "url": reverse("directory:municipality", args=[municipality.code]),
                }
            )
        if contact_access.can_work_desk(user):
            items.append({"label": "Kontaktcenter", "url": reverse("contact:desk")})
        elif contact_access.can_view_wallboard(user):
            items.append({"label": "Kontaktcenter", "url": reverse("contact:wallboard")})
        if staffing_access.can_view_rota(user):
            items.append({"label": "Vagtplan", "url": reverse("staffing:index")})
        if training_access.can_manage_training(user):
            items.append({"label": "Uddannelse", "url": reverse("training:index")})
        if knowledge_access.can_read_guides(user):
            items.append({"label": "Vidensbase", "url": "/vidensbase/"})
        if onboarding_access.can_plan(user):
            items.append({"label": "Optagelse", "url": reverse("onboarding:overview")})
        elif (code := onboarding_access.own_intake_code(user)) is not None:
            items.append({"label": "Optagelse", "url": reverse("onboarding:checklist", args=[code])})
        if economy_access.can_view_economy(user):
            items.append({"label": "Økonomi", "url": reverse("economy:overview")})
        if economy_access.can_view_business_cases(user):
            items.append({"label": "Business cases", "url": "/oekonomi/business-cases/"})
        if preparedness_access.can_view_preparedness(user):
            items.append({"label": "Beredskab", "url": reverse("preparedness:index")})
        if telecare_access.can_view_telecare(user):
            items.append({"label": "Telemedicin", "url": reverse("telecare:index")})
        if consent_access.can_view_citizens(user):
            items.append({"label": "Samtykker", "url": reverse("consent:register")})
        if telesupport_access.can_view_support(user):
            items.append({"label": "Telesupport", "url": reverse("telesupport:index")})
        if kits_access.can_view_kits(user):
            items.append({"label": "Udstyr og logistik", "url": reverse("kits:index")})
        if user.is_staff:
            items.append({"label": "Administration", "url": reverse("admin:index")})
    # The most specific link that the path starts with is the current one (/oekonomi/ vs /oekonomi/business-cases/).
    path = request.path
    matches = [item for item in items if path.startswith(item["url"])]
    current = max(matches, key=lambda item: len(item["url"]), default=None)
    for item in items:
        item["current"] = "page" if item is current else ""
    return {"nav_items": items}

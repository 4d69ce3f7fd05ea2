"""Navigation by role: each link appears only for people the target page would let in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from samvirke.directory import access


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
        if user.is_staff:
            items.append({"label": "Administration", "url": reverse("admin:index")})
    path = request.path
    for item in items:
        item["current"] = "page" if path.startswith(item["url"]) else ""
    return {"nav_items": items}

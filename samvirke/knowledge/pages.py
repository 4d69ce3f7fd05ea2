"""The knowledge base's page frame: its tabs, and rendering a page under templates/knowledge/ inside them.

Shared with the assistant's pages for editors that sit in these tabs (the guide search and the missing-answers
report, assistant/staff_views.py): the assistant imports this, the knowledge base never imports the assistant.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from samvirke.directory.models import Actor
from samvirke.knowledge import access


def tabs(user: Actor, current: str) -> list[dict[str, str]]:
    items = [("guides", "Guides", reverse("knowledge:index")), ("search", "Søg i guides", reverse("knowledge:search"))]
    if access.can_see_reports(user):
        items += [
            ("quality", "Kvalitet", reverse("knowledge:quality_report")),
            ("missing", "Manglende svar", reverse("knowledge:missing_answers")),
        ]
    items.append(("crisis", "Krisemeddelelser", reverse("knowledge:crisis_notices")))
    return [
        {"key": key, "label": label, "url": url, "current": "page" if key == current else ""}
        for key, label, url in items
    ]


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], tab: str = "", status: int = 200
) -> HttpResponse:
    """templates/knowledge/`template` with the tabs, `tab` marked as the current one."""
    return render(request, f"knowledge/{template}", {"tabs": tabs(request.user, tab), **context}, status=status)

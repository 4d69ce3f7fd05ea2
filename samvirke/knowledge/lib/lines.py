"""Which of the fællesskab's lines a topic belongs to: the health-app topics to the region's health-app line
(seed 001), everything else to the members' hotline. The line names are directory's Line values."""

from __future__ import annotations

HEALTH_APP_CATEGORY = "Sundhedsapps"  # samvirke/knowledge/data/topics.csv's category for the health-app topics
CITIZEN_SERVICE = "citizen_service"
HEALTH_APPS = "health_apps"


def line_for_category(category: str) -> str:
    """The line a topic of `category` is answered on: "health_apps" or "citizen_service"."""
    return HEALTH_APPS if category == HEALTH_APP_CATEGORY else CITIZEN_SERVICE

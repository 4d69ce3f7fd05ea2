"""{% assistant_model_status %}: the assistant model's state on the knowledge pages (one line, updates itself
while the assistant learns)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from samvirke.assistant.selectors import model_status

register = template.Library()


@register.inclusion_tag("assistant/_model_status.html")
def assistant_model_status() -> dict[str, Any]:
    return {"status": model_status(), "include_script": True}


@register.filter
def klokken(moment: dt.datetime | None) -> str:
    """'kl. 13.05' today, '6. december kl. 13.05' another day."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    day = "" if local.date() == timezone.localdate() else date_format(local, "j. F") + " "
    return f"{day}kl. {local:%H.%M}"

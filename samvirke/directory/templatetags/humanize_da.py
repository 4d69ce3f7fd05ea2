"""Danish number formatting: 851868 → '851.868' (a dot between thousands, as Danes write it)."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def thousands(value: Any) -> str:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,}".replace(",", ".")

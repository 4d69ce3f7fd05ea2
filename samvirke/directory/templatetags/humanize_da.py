"""Danish number formatting for templates: 851868 → '851.868' (a dot between thousands, as Danes write it).

The filters parse what a template hands them and leave anything that is not a number as it is; the writing
itself is samvirke.core.lib.formatting's."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

from samvirke.core.lib import formatting

register = template.Library()


@register.filter
def thousands(value: Any) -> str:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return formatting.thousands(number)


@register.filter
def kr(value: Any) -> str:
    """Money the Danish way: Decimal('65196.25') → '65.196,25'. Half-up to øre; '' for None."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    return formatting.kr(amount)


@register.filter
def decimal_da(value: Any) -> str:
    """A decimal number with a comma and no trailing zeros: Decimal('1.7375') → '1,7375', Decimal('8.00') → '8'."""
    if value is None:
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return formatting.decimal_da(number)


@register.filter
def signed(value: Any) -> str:
    """A difference with its sign: 3 → '+3', -2 → '−2', 0 → '0'."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return formatting.signed_da(number)


@register.filter
def percent_da(value: Any) -> str:
    """A share as a Danish percentage with one decimal: 0.6087 → '60,9 %'; '' for None."""
    if value is None or value == "":
        return ""
    try:
        share = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return formatting.percent_da(share)


@register.filter
def duration_da(value: Any) -> str:
    """Seconds as minutes and seconds: 245 → '4 min. 5 sek.', 40 → '40 sek.'; '' for None."""
    if value is None or value == "":
        return ""
    try:
        seconds = int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError):
        return str(value)
    minutes, rest = divmod(seconds, 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours} t. {minutes} min."
    return f"{minutes} min. {rest} sek." if minutes else f"{rest} sek."

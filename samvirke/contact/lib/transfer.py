"""Where the desk transfers a contact to, as the citizen reads it, and the numbers an agent types in."""

from __future__ import annotations

from samvirke.core.lib.formatting import phone_da

MAX_TYPED_CHARS = 40  # what an agent types is cut to this before it is looked at
MAX_LABEL_CHARS = 100  # Contact.transferred_to
_SEPARATORS = " -.()/"


class PhoneNumberError(ValueError):
    """A number the desk cannot transfer to; the message is Danish and shown to the agent."""


def normalise_phone(typed: str) -> str:
    """The eight digits of a Danish number as an agent may type it: "72 36 36 36", "+45 7236-3636", "004572363636"."""
    text = typed[:MAX_TYPED_CHARS].strip()
    for separator in _SEPARATORS:
        text = text.replace(separator, "")
    if text.startswith("+45"):
        text = text[3:]
    elif text.startswith("0045"):
        text = text[4:]
    if not text:
        raise PhoneNumberError("Skriv nummeret, der skal viderestilles til.")
    if len(text) != 8 or any(char not in "0123456789" for char in text):
        raise PhoneNumberError("Skriv et dansk telefonnummer med 8 cifre, fx 72 36 36 36.")
    if text[0] in "01":
        raise PhoneNumberError("Et dansk telefonnummer med 8 cifre begynder ikke med 0 eller 1.")
    return text


def display_phone(number: str) -> str:
    """Eight digits in pairs, as Danes write them: 72 36 36 36. Anything else is shown as it is."""
    digits = number.replace(" ", "")
    spaced = phone_da(digits)
    return number if spaced == digits else spaced


def destination_label(name: str, phone: str = "") -> str:
    """What the citizen reads: "Holbæk Kommune, tlf. 72 36 36 36" (or only one of the two)."""
    name = " ".join(name.split())
    parts = [part for part in (name, f"tlf. {display_phone(phone)}" if phone else "") if part]
    return ", ".join(parts)[:MAX_LABEL_CHARS]


def next_leg_id(external_id: str, is_leg: bool, max_length: int = 100) -> str:
    """The id of a contact's next leg after a transfer to another queue: "call-1" → "call-1/2" → "call-1/3"."""
    base, number = external_id, 1
    if is_leg and "/" in external_id:
        head, tail = external_id.rsplit("/", 1)
        if tail.isdigit():
            base, number = head, int(tail)
    suffix = f"/{number + 1}"
    return base[: max_length - len(suffix)] + suffix

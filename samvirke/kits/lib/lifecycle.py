"""A device unit's lifecycle from purchase to scrapping (issue 16, seed 003 ch. 3 and appendix A): the statuses and
the transitions allowed between them. Pure: `check_transition` is what actions call before a unit moves.

    ordered → in_stock → preparing → installed → in_use → fault → remote_fixed → in_use
                                                                 → collected (exchange) → cleaning → in_stock …
    in_use → collected (take-down at the end of a course)
    in_stock / preparing / cleaning → returned_to_supplier | scrapped (both final)

A unit found broken while being prepared goes back to stock or out (returned/scrapped); a unit that fails at the
citizen's is either fixed remotely or collected (an exchange brings another unit). Nothing leaves
"returned_to_supplier" or "scrapped".
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

ORDERED = "ordered"
IN_STOCK = "in_stock"
PREPARING = "preparing"
INSTALLED = "installed"
IN_USE = "in_use"
FAULT = "fault"
REMOTE_FIXED = "remote_fixed"
COLLECTED = "collected"
CLEANING = "cleaning"
RETURNED_TO_SUPPLIER = "returned_to_supplier"
SCRAPPED = "scrapped"

# status → Danish label, in lifecycle order (the order pages list them in).
STATUS_LABELS: Mapping[str, str] = MappingProxyType(
    {
        ORDERED: "Bestilt",
        IN_STOCK: "På lager",
        PREPARING: "Klargøres",
        INSTALLED: "Leveret og installeret",
        IN_USE: "I brug",
        FAULT: "Fejl",
        REMOTE_FIXED: "Fjernrettet",
        COLLECTED: "Hentet",
        CLEANING: "Rengøring og småreparation",
        RETURNED_TO_SUPPLIER: "Returneret til leverandør",
        SCRAPPED: "Kasseret",
    }
)
STATUSES: tuple[str, ...] = tuple(STATUS_LABELS)

TRANSITIONS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        ORDERED: frozenset({IN_STOCK}),
        IN_STOCK: frozenset({PREPARING, RETURNED_TO_SUPPLIER, SCRAPPED}),
        PREPARING: frozenset({IN_STOCK, INSTALLED, RETURNED_TO_SUPPLIER, SCRAPPED}),
        INSTALLED: frozenset({IN_USE, FAULT, COLLECTED}),
        IN_USE: frozenset({FAULT, COLLECTED}),
        FAULT: frozenset({REMOTE_FIXED, COLLECTED}),
        REMOTE_FIXED: frozenset({IN_USE, FAULT}),
        COLLECTED: frozenset({CLEANING}),
        CLEANING: frozenset({IN_STOCK, RETURNED_TO_SUPPLIER, SCRAPPED}),
        RETURNED_TO_SUPPLIER: frozenset(),
        SCRAPPED: frozenset(),
    }
)
FINAL: frozenset[str] = frozenset(status for status, nexts in TRANSITIONS.items() if not nexts)
# Statuses in which a unit is at a citizen's (counts against no stock; belongs to a citizen).
AT_CITIZEN: frozenset[str] = frozenset({INSTALLED, IN_USE, FAULT, REMOTE_FIXED})
# Statuses that count as stock in the landsdel's store (ready or about to be).
IN_STORE: frozenset[str] = frozenset({IN_STOCK, PREPARING})


class TransitionRefused(ValueError):
    """A status change the lifecycle does not allow; the message is Danish and says why."""


def label(status: str) -> str:
    """The Danish label of a status; an unknown status is refused."""
    try:
        return STATUS_LABELS[status]
    except KeyError:
        raise TransitionRefused(f"Ukendt status: {status!r}.") from None


def allowed_next(status: str) -> frozenset[str]:
    """The statuses a unit in `status` may move to."""
    label(status)
    return TRANSITIONS[status]


def check_transition(from_status: str, to_status: str) -> None:
    """Raise `TransitionRefused` (Danish message) unless a unit may move from `from_status` to `to_status`."""
    before, after = label(from_status), label(to_status)
    if from_status == to_status:
        raise TransitionRefused(f"Enheden har allerede status «{before}».")
    if from_status in FINAL:
        raise TransitionRefused(f"En enhed med status «{before}» kan ikke flyttes (den er ude af drift for altid).")
    if to_status not in TRANSITIONS[from_status]:
        options = ", ".join(f"«{STATUS_LABELS[s]}»" for s in STATUSES if s in TRANSITIONS[from_status])
        raise TransitionRefused(f"En enhed kan ikke gå fra «{before}» til «{after}». Mulige næste: {options}.")


def can_transition(from_status: str, to_status: str) -> bool:
    try:
        check_transition(from_status, to_status)
    except TransitionRefused:
        return False
    return True

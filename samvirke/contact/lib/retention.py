"""How long personal data is kept, per data class, and the cut-off moments that follow from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class RetentionPolicy:
    """Days each data class is kept after the contact. Masked notes and the KPI fields are kept: they are
    what the fællesskab reports on and hold no CPR, phone or e-mail."""

    caller_numbers_days: int = 30  # long enough to call back and to handle a complaint
    chats_days: int = 90  # chat messages and the assistant conversation handed to an agent
    unanswered_questions_days: int = 365  # the editors' "missing answers" report looks back a year

    def __post_init__(self) -> None:
        for name in ("caller_numbers_days", "chats_days", "unanswered_questions_days"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} skal være mindst 1 dag.")


def cutoffs(now: dt.datetime, policy: RetentionPolicy) -> dict[str, dt.datetime]:
    return {
        "caller_numbers": now - dt.timedelta(days=policy.caller_numbers_days),
        "chats": now - dt.timedelta(days=policy.chats_days),
        "unanswered_questions": now - dt.timedelta(days=policy.unanswered_questions_days),
    }


def mask_number(number: str) -> str:
    """All but the last two digits hidden: enough to tell calls apart in a log, not to call anyone."""
    return "" if not number else "•" * max(0, len(number) - 2) + number[-2:]

"""The audit log's hash chain: each entry's hash is sha256(predecessor's hash + the entry's canonical JSON).

Changing, deleting or inserting an entry anywhere but at the end breaks the chain from that entry on, and
`samvirke audit-verify` names the first broken link. The canonical JSON is written here, not by json.dumps, so that
an entry hashes the same after a round trip through either database: PostgreSQL's jsonb gives 1e+100 back as
10000…0 and 1.50 as 1.5, so every number is written as its normalised decimal (1E+100, 1.5), whatever type it came
back as. Keys are sorted; text is written as JSON strings, non-ASCII kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64  # the "hash" before the first entry
# An entry dated more than this before its predecessor was backdated (a few seconds of clock skew between servers
# writing the log is not).
BACKDATING_TOLERANCE = dt.timedelta(minutes=1)


def _canonical_value(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float, Decimal)):
        return str(Decimal(str(value)).normalize())
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        items = sorted((str(key), item) for key, item in value.items())
        return (
            "{"
            + ",".join(f"{json.dumps(key, ensure_ascii=False)}:{_canonical_value(item)}" for key, item in items)
            + "}"
        )
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_canonical_value(item) for item in value) + "]"
    raise TypeError(f"an audit entry holds JSON values only, not {type(value).__name__}")


def canonical_json(fields: Mapping[str, Any]) -> str:
    """The entry's fields (a datetime as UTC ISO 8601 with microseconds) as one canonical JSON text."""
    return _canonical_value(
        {
            key: value.astimezone(dt.UTC).isoformat(timespec="microseconds")
            if isinstance(value, dt.datetime)
            else value
            for key, value in fields.items()
        }  # fmt: skip
    )


def next_hash(previous: str, fields: Mapping[str, Any]) -> str:
    return hashlib.sha256((previous + canonical_json(fields)).encode()).hexdigest()


@dataclass(frozen=True)
class Link:
    """One entry as the chain sees it: its id, its time, what it says it hashes to, and its fields."""

    entry_id: int
    at: dt.datetime
    chain_hash: str
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class Break:
    entry_id: int
    previous_id: int | None
    reason: str  # Danish


@dataclass(frozen=True)
class Verdict:
    count: int
    head: str
    broken: Break | None


def verify(links: Iterable[Link]) -> Verdict:
    """Walk the chain in id order; the first entry whose hash does not follow from its predecessor's, or which is
    dated well before it, breaks it."""
    previous_hash, previous_id, previous_at, count = GENESIS, None, None, 0
    for link in links:
        count += 1
        if link.chain_hash != next_hash(previous_hash, link.fields):
            return Verdict(count, previous_hash, Break(link.entry_id, previous_id, "hashen passer ikke"))
        if previous_at is not None and link.at < previous_at - BACKDATING_TOLERANCE:
            return Verdict(count, previous_hash, Break(link.entry_id, previous_id, "dateret før sin forgænger"))
        previous_hash, previous_id, previous_at = link.chain_hash, link.entry_id, link.at
    return Verdict(count, previous_hash, None)

"""Counting a request against a limit, in the database, so every worker and server shares the count.

The count is one atomic UPDATE … SET count = count + 1 (a row lock on PostgreSQL, the write lock on SQLite): 40
requests at once from one client are counted 40 times, however many workers serve them. (Django's cache
framework's incr() reads and writes back, and loses counts exactly when requests arrive together.)

Counting is not audited: a refused flood would otherwise fill the audit log, which is what the limit protects.
Refusals are logged (samvirke.limits.middleware)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F

from samvirke.limits.lib.rates import Rate, counter_key, window_of
from samvirke.limits.models import RequestCount


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends


def do_count_request(secret: str, scope: str, identity: str, rate: Rate, now: dt.datetime) -> Verdict:
    """Count one request by `identity` (an address or a session) under `scope` and say whether it is within
    `rate`. Requests over the limit are counted too: a client that keeps hammering stays refused until its
    window ends."""
    timestamp = now.timestamp()
    window = window_of(timestamp, rate)
    key = counter_key(secret, scope, identity, window)
    with transaction.atomic():
        counters = RequestCount.objects.filter(key=key)
        if not counters.update(count=F("count") + 1):
            try:
                with transaction.atomic():  # a savepoint: another worker may create the same row first
                    expires = dt.datetime.fromtimestamp(window.end, tz=dt.UTC)
                    RequestCount.objects.create(key=key, count=1, expires_at=expires)
            except IntegrityError:
                counters.update(count=F("count") + 1)
            else:
                # A new window: the ended ones of every client go (an indexed range; at most one window's worth).
                RequestCount.objects.filter(expires_at__lt=now).delete()
        count = counters.values_list("count", flat=True).get()
    return Verdict(count <= rate.count, count, window.retry_after(timestamp))

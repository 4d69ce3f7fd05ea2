"""The request counters the rate limits share across every web worker (and every server behind the proxy)."""

from __future__ import annotations

from django.db import models


class RequestCount(models.Model):
    """How many requests one client (a keyed hash of its address or session) made in one fixed window of one
    limit. Rows of ended windows are deleted as new ones are made; they hold no personal data in clear."""

    key = models.CharField(max_length=120, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "anmodningstæller"
        verbose_name_plural = "anmodningstællere"

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"

"""HMAC-SHA256 signatures on telephony events: the platform signs the raw request body with a shared secret."""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Samvirke-Signature"
PREFIX = "sha256="


def sign(body: bytes, secret: str) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_valid(body: bytes, secret: str, signature: str) -> bool:
    # compare_digest: a wrong signature must not be found byte by byte through response times.
    return hmac.compare_digest(sign(body, secret), signature.strip())

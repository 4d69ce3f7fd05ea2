"""HMAC-SHA256 signatures on telephony events: the platform signs the raw request body with a shared secret."""

from __future__ import annotations

import hashlib
import hmac

from django.views.decorators.debug import sensitive_variables

HEADER = "X-Samvirke-Signature"
PREFIX = "sha256="


@sensitive_variables("secret")
def sign(body: bytes, secret: str) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@sensitive_variables("secret", "expected")
def is_valid(body: bytes, secret: str, signature: str) -> bool:
    """Whether `signature` (the header as sent) is the body's signature. A header that is not ASCII (HTTP headers
    arrive as Latin-1 text, so `sha256=\\xfc` is a str with a non-ASCII character) cannot be one: it is simply
    invalid. The comparison is of bytes, which compare_digest takes whatever they hold."""
    try:
        given = signature.strip().encode("ascii")
    except UnicodeEncodeError:
        return False
    expected = sign(body, secret).encode("ascii")
    # compare_digest: a wrong signature must not be found byte by byte through response times.
    return hmac.compare_digest(expected, given)

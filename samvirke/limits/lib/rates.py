"""Rate limits as pure arithmetic: parsing a limit, the fixed window a moment falls in, and who the client is.

No database, no settings, no clock: the caller passes the time, the configured limits and the proxy count."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass

# The limits and their defaults, sized for a real person; settings.py reads RATE_LIMIT_<SCOPE> over each.
DEFAULT_RATE_LIMITS: dict[str, str] = {
    "ask": "20/60",  # questions to the assistant (and "?emne=" topic links)
    "page": "60/60",  # the chat page itself
    "feedback": "20/60",  # "Hjalp svaret dig?"
    "handover": "5/600",  # chat with a person, callback, message: per address (a household, an office's NAT) …
    "handover_session": "3/600",  # … and per browser
    "citizen_message": "30/60",  # the citizen's messages in a chat with an agent (and leaving, rating it)
    "poll": "180/60",  # that chat's page polls once a second; room for a second tab
    "calendar": "30/60",  # an agent's calendar feed (a calendar app fetches it every few minutes at most)
    "login": "20/60",  # login POSTs per address, whatever the username (the lockout is per username, settings.py)
}


class RateError(ValueError):
    """A limit that is not "<count>/<seconds>" with both positive."""


@dataclass(frozen=True)
class Rate:
    count: int  # how many requests a window allows
    seconds: int  # the window's length

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}"


def parse_rate(text: str) -> Rate:
    """ "20/60" → 20 requests per 60 seconds."""
    count, sep, seconds = text.strip().partition("/")
    if not sep or not count.strip().isascii() or not seconds.strip().isascii():
        raise RateError(f"a limit is written <count>/<seconds>, e.g. 20/60, not {text!r}")
    try:
        rate = Rate(int(count), int(seconds))
    except ValueError as error:
        raise RateError(f"a limit is written <count>/<seconds>, e.g. 20/60, not {text!r}") from error
    if rate.count < 1 or rate.seconds < 1:
        raise RateError(f"a limit needs a positive count and window, not {text!r}")
    return rate


@dataclass(frozen=True)
class Window:
    start: int  # epoch seconds, a multiple of the rate's length
    end: int

    def retry_after(self, now: float) -> int:
        """Whole seconds until the window ends (at least 1: "Retry-After: 0" invites a busy loop)."""
        return max(1, int(self.end - now + 0.999))


def window_of(now: float, rate: Rate) -> Window:
    """The fixed window `now` (epoch seconds) falls in. Fixed windows need one counter row per client and window;
    a client can at most get twice the limit through across a window boundary, which is still bounded."""
    start = int(now // rate.seconds) * rate.seconds
    return Window(start, start + rate.seconds)


def counter_key(secret: str, scope: str, identity: str, window: Window) -> str:
    """The counter's key: a keyed hash, so the table never holds a citizen's IP address or session key in clear."""
    digest = hmac.new(secret.encode(), f"{scope}\x1f{identity}".encode(), hashlib.sha256).hexdigest()[:40]
    return f"{scope}:{digest}:{window.start}"


def client_address(remote_addr: str, forwarded_for: str, trusted_proxies: int) -> str:
    """The client's address as the counters see it.

    With no trusted proxy, REMOTE_ADDR (anything else a client could set itself). Behind `trusted_proxies` proxies
    that each append the address they received from to X-Forwarded-For, the client is the entry that many places
    from the right: entries further left were written by the client and can be anything. If the header is shorter
    than that (a request that did not pass all proxies), REMOTE_ADDR is used.

    IPv6 clients are counted per /64 network: one household or phone gets a whole /64 and could otherwise walk
    through its addresses."""
    address = remote_addr.strip()
    if trusted_proxies > 0:
        hops = [part.strip() for part in forwarded_for[:2000].split(",") if part.strip()]
        if len(hops) >= trusted_proxies:
            address = hops[-trusted_proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        try:
            parsed = ipaddress.ip_address(remote_addr.strip())
        except ValueError:
            return "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def unlimited_environment(rate: str = "100000/60") -> dict[str, str]:
    """RATE_LIMIT_<SCOPE> env vars that no load test reaches: for benchmarks and the live-day test, whose many
    simulated citizens and agents all come from 127.0.0.1 (real ones each have their own address)."""
    return {f"RATE_LIMIT_{scope.upper()}": rate for scope in DEFAULT_RATE_LIMITS}

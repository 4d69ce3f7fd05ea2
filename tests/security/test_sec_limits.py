"""Issue 12, finding 7: an anonymous client cannot flood the chat, the agents' queue or the login.

Before: the assistant answered 31–59 questions a second from one client, 40 hand-overs in 0.4 s filled the agents'
queue, and 40 wrong passwords for `sekretariat` were accepted before the right one logged in."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

import samvirke
from samvirke.audit.models import AuditEntry
from samvirke.contact.models import Contact
from samvirke.directory.models import Person
from samvirke.limits import middleware
from samvirke.limits.lib.rates import RateError, client_address, counter_key, parse_rate, window_of
from samvirke.limits.middleware import RULES
from tests.conftest import PASSWORD, client_for
from tests.contact.conftest import open_all_hours
from tests.knowledge.conftest import small_knowledge  # noqa: F401  (a fixture, used by world)
from tests.project.test_every_url_is_protected import PAGES, PUBLIC, World, world  # noqa: F401  (world: a fixture)

pytestmark = pytest.mark.django_db

NOT_RATE_LIMITED = {
    "favicon.ico": "a redirect to a static file",
    "logout/": "logging out writes nothing a flood could fill",
    "admin/logout/": "as logout/",
    "api/": "django-ninja's API root: a static answer",
    "api/docs": "static documentation",
    "api/openapi.json": "a static schema",
    "api/telephony/events": "signed by the telephony platform (HMAC); an unsigned request is refused before work",
    "api/telephony/assignments": "as the events",
}


@pytest.fixture(autouse=True)
def start_of_a_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limits count in fixed windows; the tests run at the start of one (the hour), so a window cannot end
    half-way through a test and let a request through that should be refused."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    started = time.monotonic()
    monkeypatch.setattr(middleware, "_now", lambda: hour + dt.timedelta(seconds=time.monotonic() - started))


def _ask(client: Client, question: str = "hvordan får jeg mitid", **headers: str) -> Any:
    return client.post("/chat/316/", {"question": question}, headers=headers)


def _view_names(patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(_view_names(pattern.url_patterns, route, inner))
        elif pattern.name:
            found[route] = namespace + pattern.name
    return found


def test_every_public_url_is_rate_limited_or_says_why_not() -> None:
    view_names = _view_names(get_resolver().url_patterns)
    limited = {route for route in PUBLIC if view_names.get(route) in RULES}
    assert sorted(set(PUBLIC) - limited - set(NOT_RATE_LIMITED)) == []
    assert {"chat/<int:code>/", "chat/<int:code>/medarbejder/", "login/", "admin/login/"} <= limited


def test_a_citizen_asking_faster_than_a_person_types_is_refused_in_danish(fellesskab: object) -> None:
    citizen = Client()
    answered = [_ask(citizen).status_code for _ in range(20)]  # the default: 20 questions a minute
    refused = _ask(citizen)
    assert answered == [200] * 20
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    page = refused.content.decode()
    assert "Du har sendt mange beskeder på kort tid" in page and "Tilbage til chatten" in page


def test_the_refusal_is_a_turn_in_the_chat_when_the_page_asks_with_javascript(
    fellesskab: object, settings: Any
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ask": "1/60"}
    citizen = Client()
    assert _ask(citizen, **{"X-Requested-With": "fetch"}).status_code == 200
    refused = _ask(citizen, **{"X-Requested-With": "fetch"})
    assert refused.status_code == 429 and refused["Retry-After"]
    fragment = refused.content.decode()
    assert fragment.strip().startswith('<li class="turn turn-limited">') and "Vent lidt" in fragment
    assert "<html" not in fragment


def test_topic_links_count_as_questions(fellesskab: object, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ask": "2/60"}
    citizen = Client()
    assert [citizen.get("/chat/316/?emne=mitid").status_code for _ in range(2)] == [200, 200]
    assert citizen.get("/chat/316/?emne=mitid").status_code == 429
    assert citizen.get("/chat/316/").status_code == 200  # the page itself has its own, wider limit


def test_forty_hand_overs_from_one_browser_queue_three(fellesskab: object) -> None:
    open_all_hours()
    citizen = Client()
    _ask(citizen)  # a browser that has talked with the assistant has a session
    statuses = [citizen.post("/chat/316/medarbejder/").status_code for _ in range(40)]
    assert statuses.count(302) == 3 and statuses.count(429) == 37
    assert Contact.objects.filter(channel="chat").count() == 3


def test_forty_hand_overs_without_cookies_from_one_address_queue_five(fellesskab: object) -> None:
    open_all_hours()
    statuses = [Client().post("/chat/316/medarbejder/").status_code for _ in range(40)]
    assert statuses.count(302) == 5
    assert Contact.objects.filter(channel="chat").count() == 5


@pytest.mark.django_db(transaction=True)
def test_forty_hand_overs_at_once_on_many_workers_do_not_fill_the_queue(fellesskab: object) -> None:
    """Eight threads, each with its own database connection, like eight workers: the count is shared and atomic."""
    open_all_hours()
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def citizen() -> None:
        from django.db import connection

        try:
            for _ in range(5):
                status = Client().post("/chat/316/medarbejder/").status_code
                with lock:
                    statuses.append(status)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=citizen) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(statuses) == 40 and statuses.count(302) == 5 and set(statuses) == {302, 429}
    assert Contact.objects.filter(channel="chat").count() == 5


def test_callbacks_and_messages_share_the_hand_over_limit(fellesskab: object) -> None:
    citizen = Client()
    _ask(citizen)
    for _ in range(3):
        citizen.post("/chat/316/besked/", {"message": "Ring til mig"})
    refused = citizen.post("/chat/316/opringning/", {"phone": "20304050", "message": "Ring"})
    assert refused.status_code == 429 and "Du har sendt mange beskeder" in refused.content.decode()


def test_a_client_behind_the_proxy_is_counted_by_its_own_address(fellesskab: object, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ask": "1/60"}
    settings.TRUSTED_PROXY_COUNT = 1

    def through_the_proxy(forwarded_for: str) -> Client:
        return Client(HTTP_X_FORWARDED_FOR=forwarded_for, REMOTE_ADDR="10.0.0.2")

    assert through_the_proxy("203.0.113.7").post("/chat/316/", {"question": "a"}).status_code == 200
    assert through_the_proxy("203.0.113.8").post("/chat/316/", {"question": "a"}).status_code == 200
    # A client writing its own X-Forwarded-For gets the proxy's entry appended: still counted as itself.
    forged = through_the_proxy("198.51.100.1, 203.0.113.7")
    assert forged.post("/chat/316/", {"question": "a"}).status_code == 429


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(fellesskab: object, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ask": "1/60"}
    assert Client(HTTP_X_FORWARDED_FOR="203.0.113.7").post("/chat/316/", {"question": "a"}).status_code == 200
    assert Client(HTTP_X_FORWARDED_FOR="203.0.113.8").post("/chat/316/", {"question": "a"}).status_code == 429


def test_a_chat_with_an_agent_shows_the_refusal_in_the_chat(fellesskab: object, settings: Any) -> None:
    open_all_hours()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "citizen_message": "2/60"}
    citizen = Client()
    chat = citizen.post("/chat/316/medarbejder/")["Location"]
    htmx = {"HX-Request": "true"}
    sent = [citizen.post(chat + "skriv/", {"text": f"hej {i}"}, headers=htmx).status_code for i in range(2)]
    refused = citizen.post(chat + "skriv/", {"text": "hej igen"}, headers=htmx)
    assert sent == [200, 200]
    assert refused.status_code == 429 and refused["Content-Type"].startswith("text/plain")
    assert refused.content.decode().startswith("Du har sendt mange beskeder på kort tid")
    assert citizen.get(chat).status_code == 200  # the page's poll has a limit of its own


def test_the_chat_page_poll_has_a_generous_limit(fellesskab: object) -> None:
    open_all_hours()
    citizen = Client()
    chat = citizen.post("/chat/316/medarbejder/")["Location"]
    polls = [citizen.get(chat, headers={"HX-Request": "true"}).status_code for _ in range(181)]
    assert polls[:180] == [200] * 180 and polls[180] == 429


def test_the_telephony_api_and_staff_pages_are_not_limited(holbaek_agent: Person, settings: Any) -> None:
    settings.RATE_LIMITS = {scope: "1/60" for scope in settings.RATE_LIMITS}
    agent = client_for(holbaek_agent)
    assert [agent.get("/medlemmer/").status_code for _ in range(3)] == [200] * 3
    unsigned = [Client().post("/api/telephony/events", b"{}", content_type="application/json") for _ in range(3)]
    assert [response.status_code for response in unsigned] == [401] * 3


# --- the login ---


def _login(client: Client, username: str, password: str) -> Any:
    return client.post("/login/", {"username": username, "password": password})


def test_forty_wrong_passwords_lock_the_account_for_that_address(secretariat: Person, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "100/60"}  # the lockout alone
    attacker = Client()
    failures = [_login(attacker, "sekretariat", f"gæt-{i}").status_code for i in range(4)]
    assert failures == [200] * 4  # the form again, "Brugernavn eller adgangskode er forkert"
    locked = [_login(attacker, "sekretariat", f"gæt-{i}") for i in range(4, 40)]  # the 5th failure locks
    assert {response.status_code for response in locked} == {429}
    right = _login(attacker, "sekretariat", PASSWORD)
    assert right.status_code == 429 and "_auth_user_id" not in attacker.session
    page = right.content.decode()
    assert "midlertidigt spærret" in page and "15 minutter" in page and right["Retry-After"] == "900"
    entry = AuditEntry.objects.get(action="limits.login_locked_out")
    assert entry.details["username"] == "sekretariat"
    # The same person from another address (the secretariat's office) still logs in.
    office = Client(REMOTE_ADDR="192.0.2.10")
    assert _login(office, "sekretariat", PASSWORD).status_code == 302


def test_wrong_passwords_from_an_ipv6_client_and_a_test_login_without_an_address_are_recorded(
    secretariat: Person,
) -> None:
    """django-axes stores the address in an inet column on PostgreSQL: the counters' IPv6 /64 network and their
    "unknown" (no REMOTE_ADDR, as Client.force_login's request) were refused there with a 500."""
    phone = Client(REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    assert _login(phone, "sekretariat", "gæt").status_code == 200
    client_for(secretariat)  # force_login: a request without REMOTE_ADDR
    assert middleware.axes_client_ip(type("R", (), {"META": {}})()) is None


def test_axes_reset_lifts_the_lockout(secretariat: Person) -> None:
    client = Client()
    for i in range(5):
        _login(client, "sekretariat", f"gæt-{i}")
    assert _login(client, "sekretariat", PASSWORD).status_code == 429
    call_command("axes_reset", stdout=StringIO())
    assert _login(client, "sekretariat", PASSWORD).status_code == 302


def test_a_right_password_resets_the_count(secretariat: Person) -> None:
    client = Client()
    for i in range(4):
        _login(client, "sekretariat", f"gæt-{i}")
    assert _login(client, "sekretariat", PASSWORD).status_code == 302
    client.post("/logout/")
    for i in range(4):
        _login(client, "sekretariat", f"gæt-{i}")
    assert _login(client, "sekretariat", PASSWORD).status_code == 302


def test_one_address_trying_many_usernames_meets_the_login_rate_limit(fellesskab: object) -> None:
    client = Client()
    statuses = [_login(client, f"bruger-{i}", "forkert").status_code for i in range(21)]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429
    assert "For mange forsøg på at logge ind" in _login(client, "bruger-x", "forkert").content.decode()


def test_the_admin_login_is_locked_too(secretariat: Person) -> None:
    client = Client()
    for i in range(5):
        client.post("/admin/login/", {"username": "sekretariat", "password": f"gæt-{i}"})
    assert client.post("/admin/login/", {"username": "sekretariat", "password": PASSWORD}).status_code == 429


# --- the arithmetic (samvirke/limits/lib/rates.py) ---


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "client"),
    [
        ("127.0.0.1", "", 0, "127.0.0.1"),
        ("127.0.0.1", "203.0.113.7", 0, "127.0.0.1"),  # no trusted proxy: the header is the client's own words
        ("10.0.0.2", "203.0.113.7", 1, "203.0.113.7"),
        ("10.0.0.2", "6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),  # a forged entry to the left is skipped
        ("10.0.0.3", "203.0.113.7, 10.0.0.2", 2, "203.0.113.7"),  # two proxies
        ("10.0.0.2", "", 1, "10.0.0.2"),  # did not pass the proxy: its own address
        ("10.0.0.2", "nonsense", 1, "10.0.0.2"),
        ("2001:db8:1:2:3:4:5:6", "", 0, "2001:db8:1:2::/64"),  # one household's IPv6 addresses count as one
        ("::ffff:192.0.2.1", "", 0, "192.0.2.1"),
        ("", "", 0, "unknown"),
    ],
)
def test_the_client_address_is_read_only_through_trusted_proxies(
    remote: str, forwarded: str, proxies: int, client: str
) -> None:
    assert client_address(remote, forwarded, proxies) == client


@pytest.mark.parametrize("text", ["20", "20/", "/60", "0/60", "20/0", "-1/60", "x/60", "２０/60"])
def test_a_limit_must_be_count_slash_seconds(text: str) -> None:
    with pytest.raises(RateError):
        parse_rate(text)


def test_a_window_says_how_long_to_wait() -> None:
    window = window_of(1_000_030.2, parse_rate("3/600"))
    assert (window.start, window.end) == (999_600, 1_000_200)
    assert window.retry_after(1_000_030.2) == 170 and window.retry_after(1_000_199.9) == 1


def test_counter_keys_hold_no_address_in_clear() -> None:
    key = counter_key("secret", "ask", "ip:203.0.113.7", window_of(0, parse_rate("20/60")))
    assert "203.0.113.7" not in key and key.startswith("ask:")


# --- finding 14: a strict Content-Security-Policy ---

TEMPLATES_DIR = Path(samvirke.__file__).resolve().parent / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=|\bhx-on|javascript:|<style", re.IGNORECASE)


def _policy(response: Any) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in header.split("; ") if " " in part}


def _is_strict(policy: dict[str, str]) -> bool:
    return (
        policy.get("default-src") == "'self'"
        and policy.get("script-src") == "'self'"
        and policy.get("style-src") == "'self'"
        and policy.get("style-src-elem") == "'self'"
        and policy.get("style-src-attr") == "'unsafe-inline'"  # computed chart and grid geometry (settings.py)
        and policy.get("img-src") == "'self' data:"
        and policy.get("frame-ancestors") == "'none'"
        and policy.get("form-action") == "'self'"
        and policy.get("base-uri") == "'none'"
        and policy.get("object-src") == "'none'"
    )


def test_no_template_has_inline_script_event_handlers_or_style_elements() -> None:
    offenders = [
        f"{path.relative_to(TEMPLATES_DIR)}: {match.group(0)}"
        for path in sorted(TEMPLATES_DIR.rglob("*.html"))
        for pattern in (INLINE_SCRIPT, HANDLER)
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_template_check_would_catch_inline_script() -> None:
    assert INLINE_SCRIPT.search("<script>alert(1)</script>") and HANDLER.search('<b onclick="x()">')
    assert not INLINE_SCRIPT.search('<script src="/static/a.js" defer></script>')


def test_every_page_sends_the_strict_policy(world: World, secretariat: Person) -> None:  # noqa: F811
    staff = client_for(secretariat)
    pages = [world.url(page) for page in PAGES.values() if "GET" in page.methods]
    public = ["/login/", "/chat/316/", "/api/docs", "/admin/", "/admin/login/", "/finder-ikke-denne-side/"]
    weak = []
    for url in pages + public:
        response = staff.get(url)
        if not _is_strict(_policy(response)):
            weak.append(f"{url} ({response.status_code}): {response.headers.get('Content-Security-Policy')}")
    assert len(pages) > 30 and weak == []


def test_a_refusal_and_an_anonymous_page_send_it_too(fellesskab: object, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ask": "1/60"}
    citizen = Client()
    assert _is_strict(_policy(citizen.get("/chat/316/")))
    _ask(citizen)
    refused = _ask(citizen)
    assert refused.status_code == 429 and _is_strict(_policy(refused))

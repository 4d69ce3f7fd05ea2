"""The people of a live day at the hotline, as browsers: agents taking calls and chats on the desk, citizens asking
the assistant and chatting with an agent, an editor publishing a guide change, the secretariat building a rota.
Shared by the live-day test (tests/browser/test_live_day.py) and its benchmark (bench/live_day.py), which run the
same scene against a `livesite.LiveSite`.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import screenshot
from tests.browser.livesite import LiveSite

PASSWORD = "samvirke-demo"
ARRIVES_WITHIN_S = 3.0
WASTE_SENTENCE = "Hotlinen kan vejlede, men kan ikke bestille for dig."  # in the shipped guide on waste


class Watch:
    """What every browser reports as an error: console errors, uncaught exceptions, responses of 500 and above;
    and every page, for screenshots when the scene fails."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.pages: dict[str, Any] = {}

    def screenshots(self, prefix: str) -> None:
        for who, page in self.pages.items():
            if not page.is_closed():
                screenshot(page, f"{prefix}-{who.replace(' ', '-')}")

    def page(self, browser: Any, who: str, width: int = 1280) -> Any:
        context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        self.pages[who] = page

        def on_console(message: Any) -> None:
            if message.type == "error":
                self.errors.append(f"{who}: {message.text}")

        def on_response(response: Any) -> None:
            if response.status >= 500:
                self.errors.append(f"{who}: {response.status} {response.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"{who}: {error}"))
        page.on("response", on_response)
        return page


def log_in(page: Any, site: LiveSite, username: str, then: str) -> None:
    page.goto(f"{site.url}/login/?next={then}")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{site.url}{then}")


def offer(page: Any) -> str:
    """What the desk offers the agent now: "Opkald …", "Chat …", "Opringning …" or ""."""
    heading = page.locator("#offer-heading")
    return str(heading.inner_text()) if heading.count() else ""


def register(page: Any, topic: str, note: str) -> None:
    page.get_by_label("Emne").select_option(topic)
    page.get_by_label("Ja").check()
    page.get_by_label("Notat").fill(note)
    page.get_by_role("button", name="Registrér").click()
    page.get_by_text("Henvendelsen er registreret.").wait_for()


def answer_offer(page: Any, kind: str) -> bool:
    """Click Besvar on the offer the desk shows, if it is still of this kind ("Opkald", "Chat"): a simulated
    citizen may hang up and the desk offer something else between a look and a click. True: answered."""
    offered = page.locator("section.offer").filter(has=page.locator("#offer-heading", has_text=kind))
    try:
        offered.get_by_role("button", name="Besvar").click(timeout=3_000)
    except PlaywrightTimeoutError:
        return False
    try:
        page.locator("#registration-form").wait_for(timeout=10_000)
    except PlaywrightTimeoutError:
        return False  # the citizen hung up between the click and the answer: the desk says so, nothing to register
    page.wait_for_load_state("load")  # Besvar loads the desk anew; its forms are htmx's once it has loaded
    return True


def take_a_call(page: Any) -> bool:
    """Answer the simulated citizen's call that the desk offers, and register it while it goes on (the citizen
    hangs up when the conversation is over; the agent is then ready again). True: a call was taken."""
    if not answer_offer(page, "Opkald"):
        return False
    register(page, "mitid-lost-phone", "Kunne ikke logge ind med MitID efter nyt telefonskift.")
    return True


def wait_for_offers(pages: dict[str, Any], want: str, timeout: float = 120) -> str:
    """Poll the agents' desks until one offers a contact starting with `want` ("Chat", "Opkald"); calls offered
    meanwhile are taken as agents take them. Returns the name of the agent offered `want`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, page in pages.items():
            shown = offer(page)
            if shown.startswith(want):
                return name
            if shown.startswith("Opkald"):
                take_a_call(page)
        pages[next(iter(pages))].wait_for_timeout(300)
    raise AssertionError(f"no desk was offered {want!r} within {timeout:.0f} s")


def hand_over(citizen: Any, site: LiveSite) -> None:
    """The citizen asks the assistant for a person and takes the chat it offers."""
    citizen.goto(f"{site.url}/chat/316/")
    citizen.get_by_label("Dit spørgsmål").fill("jeg vil gerne tale med et menneske")
    citizen.keyboard.press("Enter")
    citizen.get_by_role("button", name="Chat med en medarbejder").last.click()
    citizen.wait_for_url("**/samtale/**")


def exchange(
    agent: Any, citizen: Any, first: int, last: int, arrivals: list[float], within_s: float = ARRIVES_WITHIN_S
) -> None:
    """Messages `first`..`last` each way; how long each took to appear in the other's browser is added to
    `arrivals` (one slower than `within_s` fails)."""
    for n in range(first, last + 1):
        text = f"Besked {n} fra medarbejderen"
        agent.locator("#chat-text").fill(text)
        started = time.monotonic()
        agent.locator("#chat-text").press("Enter")
        citizen.locator(".chat-messages li", has_text=text).wait_for(timeout=within_s * 1000)
        arrivals.append(time.monotonic() - started)

        text = f"Svar {n} fra borgeren"
        citizen.locator("#chat-text").fill(text)
        started = time.monotonic()
        citizen.locator("#chat-text").press("Enter")
        agent.locator(".chat-messages li", has_text=text).wait_for(timeout=within_s * 1000)
        arrivals.append(time.monotonic() - started)
        agent.wait_for_timeout(500)  # polls run between the messages


def ask(citizen: Any, question: str) -> tuple[str, float]:
    """The citizen's question on the chat page; the reply's text and how long it took."""
    before = citizen.locator("#chat-log > li").count()
    citizen.get_by_label("Dit spørgsmål").fill(question)
    started = time.monotonic()
    citizen.keyboard.press("Enter")
    citizen.locator("#chat-log > li").nth(before).wait_for(
        state="attached", timeout=30_000
    )  # no eval: the CSP forbids it
    return str(citizen.locator("#chat-log > li").last.inner_text()), time.monotonic() - started


def publish_a_guide_edit(editor: Any, site: LiveSite, marker: str, new_question: str | None = None) -> float:
    """The editor saves a draft of the guide on waste with the sentence `marker` added, publishes it and, if
    given, adds `new_question` as an example question. Returns the moment the publication was confirmed
    (time.monotonic)."""
    editor.goto(f"{site.url}/vidensbase/waste/")
    body = editor.get_by_label("Tekst (Markdown)")
    body.fill(body.input_value().replace(WASTE_SENTENCE, f"{WASTE_SENTENCE} {marker}", 1))
    editor.get_by_role("button", name="Gem kladde").click()
    editor.get_by_text("Kladden er gemt.").wait_for()
    editor.locator("#kladde").get_by_role("button", name="Udgiv kladden").click()
    editor.get_by_text("Guiden er udgivet.").wait_for()
    published = time.monotonic()
    if new_question:
        editor.get_by_label("Nyt eksempelspørgsmål").fill(new_question)
        editor.get_by_role("button", name="Tilføj").click()
        editor.get_by_text("Eksempelspørgsmålet er tilføjet.").wait_for()
    return published


def week_after_next() -> str:
    """A week seed-demo has no published rota for (it publishes this week's and next week's)."""
    today = dt.date.today()
    return (today + dt.timedelta(days=14 - today.weekday())).isoformat()


def agents_ready(watch: Watch, browser: Any, site: LiveSite) -> dict[str, Any]:
    """The two agents of the scene (Holbæk, Greve) logged in on the desk and ready; their pages by username."""
    agents = {
        "agent-holbaek-1": watch.page(browser, "agent Holbæk"),
        "agent-greve-1": watch.page(browser, "agent Greve"),
    }
    for username, page in agents.items():
        log_in(page, site, username, "/kontaktcenter/")
        page.get_by_role("button", name="Klar", exact=True).click()
        page.locator("#agent-status", has_text="Klar").wait_for()
    return agents


def start_a_rota_build(secretariat: Any, site: LiveSite, time_limit_s: int | None = None) -> str:
    """The secretariat asks for the rota of the week after next (the build runs in the worker); returns the week."""
    log_in(secretariat, site, "sekretariat", "/bemanding/")
    week = week_after_next()
    secretariat.get_by_label("Uge (en dag i ugen)").fill(week)
    if time_limit_s is not None:
        secretariat.get_by_label("Løserens tidsgrænse (sek.)").fill(str(time_limit_s))
    secretariat.get_by_role("button", name="Byg vagtplan").click()
    secretariat.wait_for_url(f"{site.url}/bemanding/{week}/")
    return week

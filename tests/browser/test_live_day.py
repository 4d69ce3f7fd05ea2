"""A live day at the hotline (issue 11): everything at once, on a Samvirke running as in production.

gunicorn workers, a `db_worker` and `simulate-traffic --realtime` run as their own processes on a database of their
own (an SQLite file, or a fresh PostgreSQL database when DATABASE_URL points at one); browsers drive it:
- two agents (Holbæk, Greve) each take calls from the simulated citizens and a chat handed over from the assistant,
  and exchange 5 messages each way with a citizen in a browser of her own: every message arrives within 3 s;
- meanwhile the secretariat builds next week's rota in the background, and an editor saves and publishes a guide
  and adds an example question: the edited answer reaches a citizen within 10 s of publishing, the new question
  is answered once the assistant has retrained in the background, and the citizen's answers stay below 1 s while
  it does;
- at the end: no console error in any browser, no 5xx seen by a browser, and none in the server's own logs.

The figures (arrival times, answer latencies, retrain time) are printed for the record; only the issue's bounds
fail the test (bench/live_day.py measures the same scene for longer, on more workers).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.livesite import LiveSite, fresh_postgres_url, live_site

pytestmark = [pytest.mark.browser, pytest.mark.live_day]

SPEED = 10  # simulated seconds per real second: a call of 4–5 minutes lasts ~30 s
CALLS_PER_YEAR = 150_000  # the demo's 17 members are ~37,000; more calls so the agents get some at once
MESSAGES_EACH_WAY = 5
ARRIVES_WITHIN_S = 3.0
REACHES_CITIZEN_WITHIN_S = 10.0
ANSWER_WITHIN_S = 1.0
PASSWORD = "samvirke-demo"
MARKER = "Husk at sortere pap for sig."  # the editor's new sentence in the guide on waste
NEW_QUESTION = "hvem henter de døde duer på min altan"  # not answerable before the editor adds it to "waste"


class Watch:
    """What every browser reports as an error: console errors, uncaught exceptions, responses of 500 and above."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def page(self, browser: Any, who: str, width: int = 1280) -> Any:
        context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)

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


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    base = os.environ.get("DATABASE_URL", "")
    database = fresh_postgres_url(base, "samvirke_liveday") if base.startswith("postgres") else None
    with live_site(tmp_path_factory.mktemp("liveday"), database_url=database) as running:
        running.start_web()
        running.start_worker()
        yield running


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


def answer_offer(page: Any) -> None:
    page.locator("#offer-heading").wait_for()
    page.get_by_role("button", name="Besvar").click()
    page.locator("#registration-form").wait_for()


def take_a_call(page: Any) -> None:
    """Answer the simulated citizen's call that the desk offers, and register it while it goes on (the citizen
    hangs up when the conversation is over; the agent is then ready again)."""
    answer_offer(page)
    register(page, "mitid-lost-phone", "Kunne ikke logge ind med MitID efter nyt telefonskift.")


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


def exchange(agent: Any, citizen: Any, first: int, last: int, arrivals: list[float]) -> None:
    for n in range(first, last + 1):
        text = f"Besked {n} fra medarbejderen"
        agent.locator("#chat-text").fill(text)
        started = time.monotonic()
        agent.locator("#chat-text").press("Enter")
        citizen.locator(".chat-messages li", has_text=text).wait_for(timeout=ARRIVES_WITHIN_S * 1000)
        arrivals.append(time.monotonic() - started)

        text = f"Svar {n} fra borgeren"
        citizen.locator("#chat-text").fill(text)
        started = time.monotonic()
        citizen.locator("#chat-text").press("Enter")
        agent.locator(".chat-messages li", has_text=text).wait_for(timeout=ARRIVES_WITHIN_S * 1000)
        arrivals.append(time.monotonic() - started)
        agent.wait_for_timeout(500)  # polls run between the messages


def ask(citizen: Any, question: str) -> tuple[str, float]:
    """The citizen's question on the chat page; the reply's text and how long it took."""
    before = citizen.locator("#chat-log > li").count()
    citizen.get_by_label("Dit spørgsmål").fill(question)
    started = time.monotonic()
    citizen.keyboard.press("Enter")
    citizen.wait_for_function(f"document.querySelectorAll('#chat-log > li').length > {before}", timeout=30_000)
    return str(citizen.locator("#chat-log > li").last.inner_text()), time.monotonic() - started


def publish_a_guide_edit(editor: Any, site: LiveSite) -> float:
    """The editor saves a draft of the guide on waste with a new sentence, publishes it and adds an example
    question. Returns the moment the publication was confirmed (time.monotonic)."""
    editor.goto(f"{site.url}/vidensbase/waste/")
    body = editor.get_by_label("Tekst (Markdown)")
    body.fill(
        body.input_value().replace(
            "Hotlinen kan vejlede, men kan ikke bestille for dig.",
            f"Hotlinen kan vejlede, men kan ikke bestille for dig. {MARKER}",
        )
    )
    editor.get_by_role("button", name="Gem kladde").click()
    editor.get_by_text("Kladden er gemt.").wait_for()
    editor.locator("#kladde").get_by_role("button", name="Udgiv kladden").click()
    editor.get_by_text("Guiden er udgivet.").wait_for()
    published = time.monotonic()
    editor.get_by_label("Nyt eksempelspørgsmål").fill(NEW_QUESTION)
    editor.get_by_role("button", name="Tilføj").click()
    editor.get_by_text("Eksempelspørgsmålet er tilføjet.").wait_for()
    return published


def next_monday() -> str:
    today = dt.date.today()
    return (today + dt.timedelta(days=7 - today.weekday())).isoformat()


def test_a_live_day_holds(site: LiveSite, browser: Any) -> None:
    site.start_traffic(SPEED, "--calls-per-year", str(CALLS_PER_YEAR), "--seed", "11")
    watch = Watch()
    agents = {
        "agent-holbaek-1": watch.page(browser, "agent Holbæk"),
        "agent-greve-1": watch.page(browser, "agent Greve"),
    }
    for username, page in agents.items():
        log_in(page, site, username, "/kontaktcenter/")
        page.get_by_role("button", name="Klar", exact=True).click()
        page.locator("#agent-status", has_text="Klar").wait_for()

    secretariat = watch.page(browser, "secretariat")
    log_in(secretariat, site, "sekretariat", "/bemanding/")
    week = next_monday()
    secretariat.get_by_label("Uge (en dag i ugen)").fill(week)
    secretariat.get_by_label("Løserens tidsgrænse (sek.)").fill("20")
    secretariat.get_by_role("button", name="Byg vagtplan").click()
    secretariat.wait_for_url(f"{site.url}/bemanding/{week}/")

    # Each agent takes a call from the simulated citizens.
    calls_taken: set[str] = set()
    deadline = time.monotonic() + 180
    while calls_taken != set(agents) and time.monotonic() < deadline:
        for name, page in agents.items():
            if name not in calls_taken and offer(page).startswith("Opkald"):
                take_a_call(page)
                calls_taken.add(name)
        secretariat.wait_for_timeout(300)
    assert calls_taken == set(agents), f"only {sorted(calls_taken)} were offered a call"

    editor = watch.page(browser, "editor")
    log_in(editor, site, "redaktoer", "/vidensbase/")
    asker = watch.page(browser, "citizen asking", width=390)
    asker.goto(f"{site.url}/chat/316/")
    before, _ = ask(asker, NEW_QUESTION)
    assert "Affald og storskrald" not in before

    arrivals: list[float] = []
    latencies: list[float] = []
    served: list[str] = []
    for chat in (1, 2):
        citizen = watch.page(browser, f"citizen {chat}", width=390)
        hand_over(citizen, site)
        name = wait_for_offers(agents, "Chat")
        agent = agents[name]
        served.append(name)
        answer_offer(agent)
        citizen.get_by_text("Du chatter med en medarbejder").wait_for()
        exchange(agent, citizen, 1, 2, arrivals)
        if chat == 1:
            # The editor publishes while a chat goes on; a citizen asks until the change has reached her.
            published = publish_a_guide_edit(editor, site)
            edited = learned = None
            while learned is None and time.monotonic() - published < 60:
                reply, took = ask(asker, "hvornår bliver mit skrald hentet")
                latencies.append(took)
                if edited is None and MARKER in reply:
                    edited = time.monotonic() - published
                reply, took = ask(asker, NEW_QUESTION)
                latencies.append(took)
                if "Affald og storskrald" in reply:
                    learned = time.monotonic() - published
            print(f"edited answer after {edited} s, new question answered after {learned} s")
            assert edited is not None and edited <= REACHES_CITIZEN_WITHIN_S
            assert learned is not None and learned <= REACHES_CITIZEN_WITHIN_S
        exchange(agent, citizen, 3, MESSAGES_EACH_WAY, arrivals)
        register(agent, "digital-help", "Chat om at tale med en medarbejder.")
        if chat == 1:
            # Pause the first agent, so the second chat goes to the other one.
            agent.get_by_role("button", name="Pause").click()
            del agents[name]
        citizen.context.close()

    assert len(set(served)) == 2
    assert len(arrivals) == 2 * 2 * MESSAGES_EACH_WAY
    print(f"message arrival: max {max(arrivals):.2f} s; citizen answers: max {max(latencies):.2f} s")
    assert max(arrivals) <= ARRIVES_WITHIN_S
    assert max(latencies) < ANSWER_WITHIN_S

    secretariat.goto(f"{site.url}/bemanding/{week}/")
    secretariat.wait_for_selector('#build-status[data-state="done"]', timeout=120_000)

    assert site.processes["traffic"].poll() is None, site.log_path("traffic").read_text()[-2000:]
    assert watch.errors == []
    assert site.server_errors() == []

"""A live day at the hotline, measured (issue 11): the live-day test's scene for longer, on more workers.

Samvirke runs as in production (tests/browser/livesite.py): gunicorn with 4 workers, a `db_worker`, and
`simulate-traffic --realtime` sending the telephony platform's events over HTTP at the hotline's real yearly volume
(266,000 calls) compressed 10×, on PostgreSQL when $BENCH_POSTGRES_URL (or $DATABASE_URL) names one, else on an
SQLite file. Headless Chromium plays the people (tests/browser/hotline_scene.py), round after round until the time
is up:
- two agents (Holbæk, Greve) take the simulated citizens' calls and register them while they go on;
- a citizen asks the assistant for a person, takes the chat, and exchanges 3 messages each way with the agent
  who is offered it; the agent registers the chat;
- another citizen asks the assistant questions throughout;
- every third round the editor publishes an edit of the guide on waste with a new sentence, and the asking citizen
  asks until the sentence is in the answer (the retrain runs in the worker meanwhile);
- at the start the secretariat builds the rota of the week after next (the solver runs in the worker).

Reported: requests by kind from gunicorn's own access log (count, 5xx, median / 95th percentile / max ms),
tracebacks in any process, chat message arrival (agent → citizen and back), the assistant's answers as the citizen
waited for them, edit → citizen times, the retrains (from the model builds), the rota build's time, and how many
calls the simulated traffic sent.

Run:  .venv/bin/python bench/live_day.py [--minutes 10] [--workers 4]
      BENCH_POSTGRES_URL=postgres://samvirke:samvirke@127.0.0.1:5432/samvirke .venv/bin/python bench/live_day.py

Writes bench/results/live_day.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from tests.browser.hotline_scene import (  # noqa: E402 (the project on the path first)
    Watch,
    agents_ready,
    answer_offer,
    ask,
    exchange,
    hand_over,
    log_in,
    offer,
    publish_a_guide_edit,
    register,
    start_a_rota_build,
    take_a_call,
    wait_for_offers,
)
from tests.browser.livesite import LiveSite, Request, fresh_postgres_url, live_site  # noqa: E402

RESULTS = PROJECT / "bench" / "results" / "live_day.json"
SPEED = 10
CALLS_PER_YEAR = 266_000
MESSAGES_EACH_WAY = 3
QUESTIONS = (
    "hvordan får jeg et nyt sundhedskort",
    "jeg har mistet mit pas",
    "hvornår bliver mit skrald hentet",
    "kan jeg få hjælp til mitid",
    "hvordan søger jeg om boligstøtte",
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(values: list[float], unit: str = "s", digits: int = 2) -> dict[str, Any]:
    if not values:
        return {"count": 0}
    return {
        "count": len(values),
        f"median_{unit}": round(statistics.median(values), digits),
        f"p95_{unit}": round(percentile(values, 0.95), digits),
        f"max_{unit}": round(max(values), digits),
    }


def kind_of(request: Request) -> str:
    path = request.path
    if path.startswith("/api/telephony/"):
        return "telephony events"
    if path.startswith("/kontaktcenter/skrivebord/"):
        return "desk poll"
    if path.startswith("/kontaktcenter/"):
        return "desk actions"
    if path.startswith("/chat/") and "/samtale/" in path:
        return "citizen chat with an agent"
    if path.startswith("/chat/"):
        return "citizen chat with the assistant"
    if path.startswith("/static/"):
        return "static files"
    return "other pages"


def requests_by_kind(requests: list[Request]) -> dict[str, Any]:
    kinds: dict[str, list[Request]] = {}
    for request in requests:
        kinds.setdefault(kind_of(request), []).append(request)
    return {
        kind: {
            "requests": len(found),
            "server_errors": sum(1 for r in found if r.status >= 500),
            "statuses": dict(
                sorted({str(s): sum(1 for r in found if r.status == s) for s in {r.status for r in found}}.items())
            ),
            **summary([float(r.ms) for r in found], unit="ms", digits=0),
        }
        for kind, found in sorted(kinds.items())
    }


def site_figures(site: LiveSite, week: str) -> dict[str, Any]:
    """The retrains and the rota build as the database has them."""
    script = f"""
import json
from samvirke.assistant.models import ModelBuild
from samvirke.staffing.models import RotaBuild
builds = list(ModelBuild.objects.order_by('pk').values('reason', 'seconds', 'warm_started'))
rota = (RotaBuild.objects.filter(week_start='{week}').order_by('-pk')
        .values('state', 'requested_at', 'started_at', 'finished_at').first())
print(json.dumps({{'model_builds': builds, 'rota': rota}}, default=str))
"""
    found = json.loads(site.run("shell", "-c", script).strip().splitlines()[-1])
    rota = found["rota"]
    if rota and rota["finished_at"]:
        rota["seconds"] = round(
            (
                datetime.fromisoformat(rota["finished_at"]) - datetime.fromisoformat(rota["requested_at"])
            ).total_seconds(),
            1,
        )
    retrains = [b for b in found["model_builds"] if b["reason"] not in ("loaded", "seed_demo")]
    return {
        "retrains": {
            "count": len(retrains),
            "warm_started": sum(1 for b in retrains if b["warm_started"]),
            **summary([b["seconds"] for b in retrains]),
        },
        "rota_build": rota,
    }


def day(site: LiveSite, browser: Any, minutes: float) -> dict[str, Any]:
    watch = Watch()
    agents = agents_ready(watch, browser, site)
    secretariat = watch.page(browser, "secretariat")
    week = start_a_rota_build(secretariat, site)

    editor = watch.page(browser, "editor")
    log_in(editor, site, "redaktoer", "/vidensbase/")
    asker = watch.page(browser, "citizen asking", width=390)
    asker.goto(f"{site.url}/chat/316/")

    arrivals: list[float] = []
    answers: list[float] = []
    edit_reached: list[float] = []
    edits_not_reached = 0
    calls_taken = chats = 0
    deadline = time.monotonic() + minutes * 60
    rounds = 0
    while time.monotonic() < deadline:
        rounds += 1
        for page in agents.values():
            if offer(page).startswith("Opkald") and take_a_call(page):
                calls_taken += 1
        citizen = watch.page(browser, f"citizen {rounds}", width=390)
        hand_over(citizen, site)
        name = wait_for_offers(agents, "Chat", timeout=180)
        agent = agents[name]
        if answer_offer(agent, "Chat"):
            citizen.get_by_text("Du chatter med en medarbejder").wait_for()
            exchange(agent, citizen, 1, MESSAGES_EACH_WAY, arrivals, within_s=30)
            register(agent, "digital-help", "Chat om at tale med en medarbejder.")
            chats += 1
        citizen.context.close()
        for question in QUESTIONS:
            answers.append(ask(asker, question)[1])
        if rounds % 3 == 1:
            marker = f"Husk mærke {rounds} på sækken."
            published = publish_a_guide_edit(editor, site, marker)
            while time.monotonic() - published < 120:
                reply, took = ask(asker, "hvornår bliver mit skrald hentet")
                answers.append(took)
                if marker in reply:
                    edit_reached.append(time.monotonic() - published)
                    break
            else:
                edits_not_reached += 1

    secretariat.goto(f"{site.url}/bemanding/{week}/")
    secretariat.wait_for_selector('#build-status[data-state="done"]', timeout=300_000)
    return {
        "rounds": rounds,
        "calls_taken_by_the_two_agents": calls_taken,
        "chats_served": chats,
        "chat_message_arrival": summary(arrivals),
        "assistant_answer_as_waited_for": summary(answers),
        "guide_edit_to_citizen": {**summary(edit_reached), "not_reached_within_120_s": edits_not_reached},
        "browser_errors": watch.errors,
        "week": week,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    base = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="samvirke-live-day-") as workdir:
        database = fresh_postgres_url(base, "samvirke_live_day_bench") if base.startswith("postgres") else None
        with live_site(Path(workdir), database_url=database, workers=args.workers, threads=args.threads) as site:
            site.start_web()
            site.start_worker()
            site.start_traffic(SPEED, "--calls-per-year", str(CALLS_PER_YEAR), "--seed", "7")
            started = time.monotonic()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
                try:
                    scene = day(site, browser, args.minutes)
                finally:
                    browser.close()
            elapsed = time.monotonic() - started
            traffic_alive = site.processes["traffic"].poll() is None
            figures = site_figures(site, scene.pop("week"))
            requests = site.requests()
            errors = site.server_errors()
            traffic_calls = sum(
                1 for r in requests if r.path.startswith("/api/telephony/") and r.method == "POST" and r.status < 300
            )
    result = {
        "benchmark": "live_day",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "database": "postgresql" if database else "sqlite",
        "gunicorn": {"workers": args.workers, "threads": args.threads},
        "simulated_traffic": {
            "calls_per_year": CALLS_PER_YEAR,
            "speed": SPEED,
            "still_running_at_the_end": traffic_alive,
        },
        "minutes": round(elapsed / 60, 1),
        **scene,
        **figures,
        "telephony_events_accepted": traffic_calls,
        "server_errors": {"count": len(errors), "first": errors[:5]},
        "requests": requests_by_kind(requests),
    }
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""How much one client pushes through the anonymous endpoints before the limits refuse it (issue 12).

Starts gunicorn (2 sync workers, DEBUG off, bench/gunicorn_conf.py) on a fresh SQLite database in a temporary
directory (or PostgreSQL with --postgres, next to DATABASE_URL's), with `seed-demo`, and the limits as shipped
(the request counters in the database, shared by the workers), as behind a proxy (TRUSTED_PROXY_COUNT=1, each
scenario's client with its own address). Then one client, sequentially, as fast as it can:

- ask: questions to /chat/316/ until the first 429: how many got through, requests per second until then, and how
  fast the refusals come afterwards;
- hand-overs: "chat with a person" 40 times, with and without the session cookie: how many reached the queue;
- login: wrong passwords for one username (the lockout) and for a new username each time (the address's limit);
- a 2 MB question: status and time to the answer (whatever the branch it runs on does with it).

Writes bench/results/abuse.json. Usage: .venv/bin/python bench/abuse.py [--postgres] [--port 8102]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMVIRKE = str(ROOT / ".venv" / "bin" / "samvirke")
RESULTS = ROOT / "bench" / "results" / "abuse.json"


class Client:
    """One browser: keeps its cookies, sends the CSRF token as the page's forms do."""

    def __init__(self, port: int, address: str, cookies: bool = True) -> None:
        self.port = port
        self.address = address  # as the proxy would say (the server runs with TRUSTED_PROXY_COUNT=1)
        self.keep_cookies = cookies
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, float]:
        headers = {"Host": "127.0.0.1", "X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        elapsed = time.perf_counter() - started
        connection.close()
        if self.keep_cookies:
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie(header)
                self.cookies.update({key: morsel.value for key, morsel in cookie.items()})
        return response.status, text, elapsed

    def ready(self, path: str) -> None:
        """GET a page for its CSRF cookie (a client without cookies takes a fresh one each time)."""
        if not self.keep_cookies:
            self.keep_cookies = True
            self.request("GET", path)
            self.keep_cookies = False
        elif "csrftoken" not in self.cookies:
            self.request("GET", path)


def until_refused(send: Any, limit: int) -> dict[str, Any]:
    statuses: list[int] = []
    started = time.perf_counter()
    first_refusal_at = None
    while len(statuses) < limit:
        status = send()
        statuses.append(status)
        if status == 429 and first_refusal_at is None:
            first_refusal_at = time.perf_counter() - started
            refused_from = len(statuses)
    total = time.perf_counter() - started
    through = statuses.index(429) if 429 in statuses else len(statuses)
    result: dict[str, Any] = {
        "requests": len(statuses),
        "got_through_before_first_429": through,
        "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
    }
    if first_refusal_at is not None:
        result["seconds_to_first_429"] = round(first_refusal_at, 3)
        result["requests_per_second_until_refused"] = round(through / first_refusal_at, 1)
        refused = len(statuses) - refused_from
        if refused:
            result["refusals_per_second_after"] = round(refused / (total - first_refusal_at), 1)
    else:
        result["requests_per_second"] = round(len(statuses) / total, 1)
    return result


def measure(port: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    citizen = Client(port, "203.0.113.1")
    citizen.ready("/chat/316/")
    results["ask"] = until_refused(
        lambda: citizen.request("POST", "/chat/316/", {"question": "hvordan får jeg mitid på min nye telefon"})[0], 60
    )
    browser = Client(port, "203.0.113.2")
    browser.ready("/chat/316/")
    browser.request("POST", "/chat/316/", {"question": "jeg vil gerne tale med et menneske"})  # a session
    started = time.perf_counter()
    statuses = [browser.request("POST", "/chat/316/medarbejder/", {})[0] for _ in range(40)]
    results["handover_one_browser"] = {
        "requests": 40,
        "seconds": round(time.perf_counter() - started, 3),
        "reached_the_queue": statuses.count(302),
        "refused_429": statuses.count(429),
    }
    statuses = []
    started = time.perf_counter()
    for _ in range(40):
        anonymous = Client(port, "203.0.113.3", cookies=False)
        anonymous.ready("/chat/316/")
        statuses.append(anonymous.request("POST", "/chat/316/medarbejder/", {})[0])
    results["handover_no_cookies_one_address"] = {
        "requests": 40,
        "seconds": round(time.perf_counter() - started, 3),
        "reached_the_queue": statuses.count(302),
        "refused_429": statuses.count(429),
    }
    attacker = Client(port, "203.0.113.4")
    attacker.ready("/login/")
    results["login_one_username"] = until_refused(
        lambda: attacker.request("POST", "/login/", {"username": "sekretariat", "password": secrets.token_hex(4)})[0],
        40,
    )
    status, page, _ = attacker.request("POST", "/login/", {"username": "sekretariat", "password": "samvirke-demo"})
    results["login_one_username"]["right_password_after"] = {
        "status": status,
        "locked_out_message": "midlertidigt spærret" in page or "For mange forsøg" in page,
    }
    other = Client(port, "203.0.113.5")
    other.ready("/login/")
    counter = iter(range(10_000))
    results["login_many_usernames"] = until_refused(
        lambda: other.request("POST", "/login/", {"username": f"bruger-{next(counter)}", "password": "forkert"})[0],
        40,
    )
    big = Client(port, "203.0.113.6")
    big.ready("/chat/316/")
    status, _, elapsed = big.request("POST", "/chat/316/", {"question": "y" * 2_000_000})
    results["two_megabyte_question"] = {"status": status, "milliseconds": round(elapsed * 1000, 1)}
    return results


def free_port(preferred: int) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            probe.bind(("127.0.0.1", 0))
            return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL next to DATABASE_URL's, not SQLite")
    parser.add_argument("--port", type=int, default=8102)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="samvirke-abuse-") as work_dir:
        work = Path(work_dir)
        if options.postgres:
            import psycopg

            parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
            with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as connection:
                connection.execute('DROP DATABASE IF EXISTS "samvirke_abuse_bench" WITH (FORCE)')
                connection.execute('CREATE DATABASE "samvirke_abuse_bench"')
            database_url = parts._replace(path="/samvirke_abuse_bench").geturl()
        else:
            database_url = f"sqlite:///{work / 'abuse.sqlite3'}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SAMVIRKE_VAR_DIR": str(work),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "TELEPHONY_SECRET": secrets.token_urlsafe(32),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "TASKS_BACKEND": "database",
            "LOG_LEVEL": "ERROR",
            # As behind docs/nginx.conf.example: each measured client gets an address of its own through
            # X-Forwarded-For, so one scenario's count does not spill into the next.
            "TRUSTED_PROXY_COUNT": "1",
        }
        for key in [key for key in env if key.startswith("RATE_LIMIT")]:
            del env[key]  # the limits as shipped
        subprocess.run([SAMVIRKE, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        subprocess.run([SAMVIRKE, "seed-demo", "--quiet-logins", "--no-traffic"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        port = free_port(options.port)
        log = (work / "gunicorn.log").open("ab")
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "samvirke.wsgi", "-c", str(ROOT / "bench/gunicorn_conf.py"),
             "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
            env=env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("gunicorn did not start") from None
                    time.sleep(0.3)
            for _ in range(4):  # each worker loads the assistant's model at its first question
                Client(port, "192.0.2.1").request("GET", "/chat/316/?emne=mitid")
            results = measure(port)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        errors = re.findall(r"Traceback", (work / "gunicorn.log").read_text(errors="replace"))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    report = {
        "what": __doc__.split("\n\n")[0],
        "database": "postgresql" if options.postgres else "sqlite",
        "server": "gunicorn 2 sync workers (bench/gunicorn_conf.py), DEBUG off, limits as shipped (settings.py)",
        "commit": commit.stdout.strip(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared), load {os.getloadavg()[0]:.1f}",
        "server_tracebacks": len(errors),
        **results,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing[report["database"]] = report
    RESULTS.write_text(json.dumps(existing, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())

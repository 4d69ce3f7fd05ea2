"""A whole Samvirke running as in production, for the live-day test and its benchmark.

Real processes, not threads in the test: gunicorn workers serving the app, a `db_worker` running the background
tasks, and `simulate-traffic --realtime` sending the telephony platform's events over HTTP, all on one database
of their own (an SQLite file in a temporary directory, or a fresh PostgreSQL database next to the one in
DATABASE_URL). The test drives browsers against `site.url` and, at the end, reads the server's own logs: every 5xx
and every traceback counts, not only the ones a browser happened to see.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from samvirke.limits.lib.rates import unlimited_environment

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SAMVIRKE = str(BIN / "samvirke")
GUNICORN = str(BIN / "gunicorn")
# gunicorn's access log, one line per request: status, method, path, duration in ms.
ACCESS_FORMAT = '%(s)s %(m)s "%(U)s" %(M)s'
_ACCESS_LINE = re.compile(r'^(?P<status>\d{3}) (?P<method>[A-Z]+) "(?P<path>[^"]*)" (?P<ms>\d+)$')


@dataclass(frozen=True)
class Request:
    status: int
    method: str
    path: str
    ms: int


@dataclass
class LiveSite:
    workdir: Path
    database_url: str
    port: int
    workers: int = 3
    threads: int = 4
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _logs: list[IO[bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
        env.update(
            DATABASE_URL=self.database_url,
            SAMVIRKE_VAR_DIR=str(self.workdir / "var"),
            TASKS_BACKEND="database",
            DEBUG="1",
            PYTHONUNBUFFERED="1",
            LOG_LEVEL="INFO",
        )
        # The scene's citizens and agents all come from 127.0.0.1, where real ones each have their own address:
        # the per-address limits would count the whole hotline's day as one person. Limits have tests of their own.
        env.update(unlimited_environment())
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        return env

    def log_path(self, name: str) -> Path:
        return self.workdir / f"{name}.log"

    # -- setting up ---------------------------------------------------------------------------------------------

    def run(self, *args: str, timeout: float = 600) -> str:
        """A `samvirke` command against this site's database; its output, or an error with the output."""
        result = subprocess.run(  # noqa: S603 (our own console script)
            [SAMVIRKE, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"samvirke {' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
            )
        return result.stdout

    def prepare(self, *, open_around_the_clock: bool = True) -> None:
        """Migrate and load the demo (its logins, the knowledge base, the assistant's model, this week's rota)."""
        (self.workdir / "var").mkdir(parents=True, exist_ok=True)
        self.run("migrate", "--noinput")
        self.run("seed-demo", "--quiet-logins", "--no-traffic")
        if open_around_the_clock:
            # The test runs on the real clock; the hotline's 8–20 on weekdays would make it fail at night.
            self.run(
                "shell",
                "-c",
                "from samvirke.contact.models import Queue; "
                "Queue.objects.update(opening_hours={str(d): [['00:00', '24:00']] for d in range(7)})",
            )

    def start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = self.log_path(name).open("wb")
        self._logs.append(log)
        process = subprocess.Popen(  # noqa: S603 (our own programs)
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def start_web(self) -> None:
        self.start(
            "web",
            [
                GUNICORN,
                "-c",
                str(ROOT / "bench" / "gunicorn_conf.py"),
                "samvirke.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--timeout",
                "120",
                "--access-logfile",
                str(self.log_path("access")),
                "--access-logformat",
                ACCESS_FORMAT,
            ],
        )
        self.wait_until_up()

    def start_worker(self) -> None:
        self.start("worker", [SAMVIRKE, "db_worker", "--interval", "0.5", "--no-reload", "--no-startup-delay"])

    def start_traffic(self, speed: float, *extra: str) -> None:
        """The simulated citizens and agents, live from now: the traffic of the latest working day's morning from
        09:00 (busy, and as long as the hotline's day: a run in the evening or at night would otherwise have no
        traffic left), stamped by the wall clock from the moment it starts."""
        self.start(
            "traffic",
            [
                SAMVIRKE, "simulate-traffic", "--realtime", "--speed", str(speed), "--url", self.url,
                "--start", busy_morning(), *extra,
            ],
        )  # fmt: skip

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            web = self.processes.get("web")
            if web is not None and web.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path('web').read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/login/", timeout=5) as response:  # noqa: S310 (our server)
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"Samvirke did not answer on {self.url} within {timeout:.0f} s")

    def stop(self) -> None:
        for name in ("traffic", "worker", "web"):
            process = self.processes.get(name)
            if process is None or process.poll() is not None:
                continue
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        for log in self._logs:
            log.close()

    # -- what happened --------------------------------------------------------------------------------------------

    def requests(self) -> list[Request]:
        path = self.log_path("access")
        if not path.exists():
            return []
        found = []
        for line in path.read_text(errors="replace").splitlines():
            match = _ACCESS_LINE.match(line.strip())
            if match:
                found.append(Request(int(match["status"]), match["method"], match["path"], int(match["ms"])))
        return found

    def server_errors(self) -> list[str]:
        """Every 5xx in the access log and every traceback any process wrote."""
        problems = [f"{r.status} {r.method} {r.path}" for r in self.requests() if r.status >= 500]
        for name in self.processes:
            text = self.log_path(name).read_text(errors="replace")
            for chunk in text.split("Traceback (most recent call last):")[1:]:
                problems.append(f"{name}: Traceback{chunk[:1500]}")
        return problems


def busy_morning(today: dt.date | None = None) -> str:
    """09:00 (Copenhagen) on today or the latest working day before it, for `simulate-traffic --start`."""
    from samvirke.core.lib.clock import LOCAL
    from samvirke.core.lib.hours import is_closed_day

    day = today or dt.datetime.now(LOCAL).date()
    while day.weekday() >= 5 or is_closed_day(day):
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=LOCAL).isoformat()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_postgres_url(base_url: str, name: str) -> str:
    """A new, empty database beside the one in `base_url` (same server and role), dropped first if it exists."""
    import psycopg

    parts = urllib.parse.urlsplit(base_url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


@contextmanager
def live_site(
    workdir: Path, *, database_url: str | None = None, workers: int = 3, threads: int = 4
) -> Iterator[LiveSite]:
    """A prepared site (migrated, demo loaded), stopped on exit. `database_url`: PostgreSQL, else an SQLite file."""
    url = database_url or f"sqlite:///{workdir / 'var' / 'samvirke.sqlite3'}"
    site = LiveSite(workdir=workdir, database_url=url, port=free_port(), workers=workers, threads=threads)
    try:
        site.prepare()
        yield site
    finally:
        site.stop()


def signed_get(site: LiveSite, path: str, secret: str) -> Any:
    """What the telephony platform does to poll: a GET signed over the path."""
    from samvirke.contact.lib.signature import HEADER, sign

    request = urllib.request.Request(f"{site.url}{path}", headers={HEADER: sign(path.encode(), secret)})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our server)
        return json.loads(response.read())


def signed_post(site: LiveSite, payload: dict[str, Any], secret: str) -> tuple[int, dict[str, Any]]:
    from samvirke.contact.lib.signature import HEADER, sign

    body = json.dumps(payload).encode()
    request = urllib.request.Request(
        f"{site.url}/api/telephony/events",
        data=body,
        headers={"Content-Type": "application/json", HEADER: sign(body, secret)},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our server)
            return response.status, dict(json.loads(response.read()))
    except urllib.error.HTTPError as error:
        return error.code, dict(json.loads(error.read() or b"{}"))

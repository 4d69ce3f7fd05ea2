"""samvirke ask — ask the citizen assistant, one question or a batch (stable JSON, docs/cli.md)."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samvirke.assistant import service
from samvirke.core.cli import read_text_file
from samvirke.directory.models import Municipality


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = "Stil borgerassistenten et spørgsmål (eller en CSV-fil med question,municipality_code)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("question", nargs="?", help="Spørgsmålet")
        parser.add_argument("--municipality", type=int, help="Kommunekoden for borgerens kommune")
        parser.add_argument("--batch", type=Path, help="CSV-fil med kolonnerne question,municipality_code")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        if service.current_engine("ask") is None:  # trained here if no stored model has today's knowledge
            raise CommandError("Vidensbasen er tom. Kør først: samvirke load-guides (eller samvirke seed-demo).")
        if options["batch"]:
            self._batch(options["batch"])
            return
        if not options["question"]:
            raise CommandError("Skriv et spørgsmål, eller brug --batch FIL.csv.")
        if options["municipality"] is None:
            raise CommandError("Angiv borgerens kommune med --municipality KOMMUNEKODE.")
        municipality = self._municipality(options["municipality"])
        reply = service.ask(options["question"], municipality)
        if options["format"] == "text":
            self.stdout.write(
                f"[{reply.kind}, sikkerhed {reply.confidence:.2f}] {reply.topic_title}\n{reply.answer_text}"
            )
        else:
            self.stdout.write(json.dumps(reply.as_json(), ensure_ascii=False, indent=2))

    def _municipality(self, code: int) -> Municipality:
        try:
            return Municipality.objects.get(code=code)
        except Municipality.DoesNotExist:
            raise CommandError(f"Der findes ingen kommune med kommunekode {code}.") from None

    def _batch(self, path: Path) -> None:
        rows = list(csv.DictReader(io.StringIO(read_text_file(path))))
        if not rows or not {"question", "municipality_code"} <= set(rows[0]):
            raise CommandError("Linje 1: kolonnerne skal være question,municipality_code.")
        municipalities = {m.code: m for m in Municipality.objects.all()}
        results, latencies = [], []
        for line, row in enumerate(rows, start=2):
            code = row["municipality_code"].strip()
            if not code.isdigit() or int(code) not in municipalities:
                raise CommandError(f"Linje {line}: ukendt kommunekode {code!r}.")
            started = time.perf_counter()
            reply = service.ask(row["question"], municipalities[int(code)])
            latencies.append((time.perf_counter() - started) * 1000)
            results.append({"question": row["question"], "municipality_code": int(code), **reply.as_json()})
        summary = {
            "results": results,
            "latency_ms": {
                "p50": round(percentile(latencies, 0.5), 2),
                "p95": round(percentile(latencies, 0.95), 2),
                "max": round(max(latencies, default=0.0), 2),
            },
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))

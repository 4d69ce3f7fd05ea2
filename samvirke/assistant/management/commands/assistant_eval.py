"""samvirke assistant-eval FILE.csv — measure the assistant on a labelled set (question,municipality_code,
expected_topic; an empty expected_topic means out of scope), or its dialogue layer on conversational turns
(question,expected_intent). The assistant is measured as the chat uses it: the dialogue layer first, then the
engine."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samvirke.assistant import service
from samvirke.assistant.lib import dialogue
from samvirke.assistant.lib.engine import Decision
from samvirke.assistant.lib.evaluation import Case, DialogueCase, evaluate, evaluate_dialogue
from samvirke.core.cli import read_text_file


class Command(BaseCommand):
    help = "Måler borgerassistenten: top-1-træfsikkerhed, 'ved ikke' for spørgsmål uden for emnet, svartid."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--errors", action="store_true", help="Vis de spørgsmål, der blev besvaret forkert")

    def handle(self, *args: Any, **options: Any) -> None:
        engine = service.current_engine("assistant_eval")  # the knowledge as it is now, trained here if needed
        if engine is None:
            raise CommandError("Vidensbasen er tom. Kør først: samvirke load-guides (eller samvirke seed-demo).")
        cases: list[Case] = []
        turns: list[DialogueCase] = []
        known = set(engine.titles)
        for path in options["files"]:
            rows = list(csv.DictReader(io.StringIO(read_text_file(path))))
            if rows and {"question", "expected_intent"} <= set(rows[0]):
                turns.extend(self._turns(path, rows))
                continue
            if not rows or not {"question", "municipality_code", "expected_topic"} <= set(rows[0]):
                raise CommandError(
                    f"{path}, linje 1: kolonnerne skal være question,municipality_code,expected_topic "
                    "(eller question,expected_intent)."
                )
            for line, row in enumerate(rows, start=2):
                expected = row["expected_topic"].strip() or None
                if expected is not None and expected not in known:
                    raise CommandError(f"{path}, linje {line}: ukendt emne {expected!r}.")
                code = row["municipality_code"].strip()
                cases.append(Case(row["question"], int(code) if code.isdigit() else 0, expected))

        def decide(question: str) -> Decision:
            return dialogue.decide(question, engine)

        result: dict[str, Any] = {}
        if cases:
            report = evaluate(decide, cases)
            result = report.as_dict()
            if options["errors"]:
                result["errors"] = [{"question": q, "expected": e, "got": g} for q, e, g in report.errors]
        if turns:
            dialogue_report = evaluate_dialogue(decide, turns)
            result["dialogue"] = dialogue_report.as_dict()
            if options["errors"]:
                result["dialogue"]["errors"] = [
                    {"question": q, "expected": e, "got": g} for q, e, g in dialogue_report.errors
                ]
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    @staticmethod
    def _turns(path: Path, rows: list[dict[str, str]]) -> list[DialogueCase]:
        turns = []
        for line, row in enumerate(rows, start=2):
            intent = row["expected_intent"].strip()
            if intent not in set(dialogue.Intent):
                choices = ", ".join(dialogue.Intent)
                raise CommandError(f"{path}, linje {line}: ukendt hensigt {intent!r} (skal være en af {choices}).")
            turns.append(DialogueCase(row["question"], intent))
        return turns

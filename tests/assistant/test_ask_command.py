from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command


def run(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("ask", *args, stdout=out)
    return json.loads(out.getvalue())


def test_a_single_question_gives_the_stable_json(knowledge: object) -> None:
    result = run("jeg har mistet min telefon med mitid appen", "--municipality", "316")
    assert set(result) >= {"topic_id", "confidence", "handoff", "answer", "candidates"}
    assert result["topic_id"] == "mitid-lost-phone"
    assert result["handoff"] is False
    assert 0 <= result["confidence"] <= 1


def test_an_out_of_scope_question_has_no_topic(knowledge: object) -> None:
    result = run("hvad er opskriften på æblekage", "--municipality", "316")
    assert result["topic_id"] is None and result["handoff"] is True


def test_a_batch_reports_latency(knowledge: object, tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("question,municipality_code\nnyt pas,316\nskift læge,253\n", encoding="utf-8")
    result = run("--batch", str(path))
    assert len(result["results"]) == 2
    assert set(result["latency_ms"]) == {"p50", "p95", "max"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nyt pas"], "Angiv borgerens kommune"),
        (["nyt pas", "--municipality", "999"], "ingen kommune med kommunekode 999"),
        ([], "Skriv et spørgsmål"),
    ],
)
def test_bad_arguments_are_clear_errors(knowledge: object, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("ask", *args, stdout=StringIO())


def test_a_batch_with_an_unknown_municipality_names_the_line(knowledge: object, tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("question,municipality_code\nnyt pas,316\nnyt pas,999\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Linje 3: ukendt kommunekode '999'"):
        call_command("ask", "--batch", str(path), stdout=StringIO())


def test_an_empty_knowledge_base_is_a_clear_error(db: None) -> None:
    with pytest.raises(CommandError, match="Vidensbasen er tom"):
        call_command("ask", "nyt pas", "--municipality", "316", stdout=StringIO())


def test_assistant_train_trains_once_and_queues_for_the_worker_on_request(knowledge: object) -> None:
    from samvirke.assistant.models import ModelBuild

    out = StringIO()
    call_command("assistant_train", stdout=out)
    assert "kender allerede vidensbasen; intet trænet" in out.getvalue()
    call_command("assistant_train", "--background", stdout=out)
    assert "står i kø" in out.getvalue()
    assert ModelBuild.objects.count() == 1


def test_assistant_train_on_an_empty_knowledge_base_is_a_clear_error(db: None) -> None:
    with pytest.raises(CommandError, match="Vidensbasen er tom"):
        call_command("assistant_train", stdout=StringIO())

"""The December 2026 held-out files are what their README says: big enough, every topic, unseen by training."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from samvirke.assistant.lib.dialogue import Intent
from samvirke.knowledge import content

DATA = Path(__file__).resolve().parents[1] / "data" / "assistant"


def rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((DATA / name).open(encoding="utf-8")))


def test_the_held_out_set_covers_every_topic_and_is_big_enough() -> None:
    questions = rows("heldout-2026-12.csv")
    per_topic = Counter(row["expected_topic"] for row in questions if row["expected_topic"])
    assert set(per_topic) == {topic.topic_id for topic in content.read_topics()}
    assert sum(per_topic.values()) >= 350 and min(per_topic.values()) >= 6
    assert sum(1 for row in questions if not row["expected_topic"]) >= 120


def test_the_held_out_dialogue_set_has_every_intent() -> None:
    turns = rows("heldout-2026-12-dialogue.csv")
    assert len(turns) >= 80
    assert {row["expected_intent"] for row in turns} == set(Intent)


def test_no_held_out_question_is_a_training_question_or_in_another_set() -> None:
    guides, extra = content.read_guides(), content.read_extra_examples()
    seen = {e.lower() for topic, guide in guides.items() for e in content.all_examples(guide, extra.get(topic, []))}
    seen |= {line.lower() for line in content.read_out_of_scope_training()}
    for path in DATA.glob("*.csv"):
        if not path.name.startswith("heldout"):
            seen |= {row["question"].lower() for row in csv.DictReader(path.open(encoding="utf-8"))}
    held_out = [row["question"] for row in rows("heldout-2026-12.csv")]
    assert [question for question in held_out if question.lower() in seen] == []
    assert len({question.lower() for question in held_out}) == len(held_out)

"""The shipped knowledge base: every topic of samvirke/knowledge/data/topics.csv has a guide up to the standard."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from samvirke.knowledge import content
from samvirke.knowledge.lib.guides import REQUIRED_SECTIONS, sections
from samvirke.knowledge.lib.quality import check_guide

TOPICS = content.read_topics()
GUIDES = content.read_guides()
EXTRA = content.read_extra_examples()
MEMBERS = [253, 259, 350, 265, 269, 320, 376, 316, 326, 360, 370, 306, 329, 330, 340, 336, 390]
EVAL_DIR = Path(__file__).resolve().parents[1] / "data" / "assistant"


def test_there_are_52_topics_and_a_guide_for_each() -> None:
    assert len(TOPICS) == 52
    assert sorted(GUIDES) == sorted(topic.topic_id for topic in TOPICS)


@pytest.mark.parametrize("topic", [t.topic_id for t in TOPICS])
def test_each_guide_meets_the_standard(topic: str) -> None:
    guide = GUIDES[topic]
    problems = check_guide(
        guide.body, known_topics=set(GUIDES), review_date=guide.review_date, today=dt.date(2026, 11, 23)
    )
    assert problems == []
    assert [heading for heading, _ in sections(guide.body) if heading] == list(REQUIRED_SECTIONS)


@pytest.mark.parametrize("topic", [t.topic_id for t in TOPICS])
def test_each_topic_has_at_least_8_example_questions(topic: str) -> None:
    assert len(content.all_examples(GUIDES[topic], EXTRA.get(topic, []))) >= 8


def test_opening_hours_and_booking_have_variants_for_all_17_members() -> None:
    variants = {(topic, code) for topic, code, _ in content.read_variants()}
    for topic in ("opening-hours", "book-appointment"):
        assert {code for t, code in variants if t == topic} == set(MEMBERS)


def test_every_member_has_demo_service_info() -> None:
    assert sorted(int(row["kommunekode"]) for row in content.read_service_info()) == sorted(MEMBERS)


def read_rows(pattern: str) -> list[dict[str, str]]:
    return [row for path in sorted(EVAL_DIR.glob(pattern)) for row in csv.DictReader(path.open(encoding="utf-8"))]


def test_the_test_set_is_unseen_and_big_enough() -> None:
    """test-*.csv is only measured on; dev*.csv (written apart from the test set) is for tuning."""
    test_rows = read_rows("test-*.csv")
    rows = test_rows + read_rows("dev*.csv")
    in_scope = [row for row in test_rows if row["expected_topic"]]
    out_of_scope = [row for row in test_rows if not row["expected_topic"]]
    per_topic = {topic.topic_id: 0 for topic in TOPICS}
    for row in in_scope:
        per_topic[row["expected_topic"]] += 1
    assert min(per_topic.values()) >= 5
    assert len(out_of_scope) >= 40
    known = {
        text.lower() for t in TOPICS for text in content.all_examples(GUIDES[t.topic_id], EXTRA.get(t.topic_id, []))
    }
    known |= {line.lower() for line in content.read_out_of_scope_training()}
    assert [row["question"] for row in rows if row["question"].lower() in known] == []

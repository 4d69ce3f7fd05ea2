"""Training the engine again after a change: started from the engine it replaces, it learns the change and agrees
with an engine trained from scratch; a small change keeps the calibration, a large one refits it."""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest
from threadpoolctl import threadpool_limits

from samvirke.assistant.lib.engine import AssistantEngine, EngineSettings
from samvirke.knowledge import content
from samvirke.knowledge.lib.topicdoc import TopicDoc

TOPICS = ("passport", "opening-hours", "mitid-get", "waste", "address-change", "childcare", "sick-pay", "health-card")
NEW_EXAMPLE = "hvem henter de døde duer på min altan"


@cache
def docs() -> tuple[TopicDoc, ...]:
    found = tuple(doc for doc in content.topic_docs_from_files() if doc.topic_id in TOPICS)
    assert len(found) == len(TOPICS)
    return found


def train(topics: tuple[TopicDoc, ...], **kwargs: object) -> AssistantEngine:
    with threadpool_limits(limits=1):  # as the service trains (four times faster on two busy cores)
        return AssistantEngine(
            topics,
            content.read_out_of_scope_training(),
            content.read_synonym_pairs(),
            **kwargs,  # type: ignore[arg-type]
        )


@cache
def first_engine() -> AssistantEngine:
    return train(docs())


def with_example(topic_id: str, example: str) -> tuple[TopicDoc, ...]:
    return tuple(
        dataclasses.replace(doc, examples=(*doc.examples, example)) if doc.topic_id == topic_id else doc
        for doc in docs()
    )


def test_a_first_build_starts_from_its_calibration_folds() -> None:
    info = first_engine().build_info
    assert info.started_from == "folds" and info.recalibrated and info.calibration_drift == 0.0


def test_an_incremental_build_learns_the_new_example_and_agrees_with_a_build_from_scratch() -> None:
    before = first_engine()
    assert before.decide(NEW_EXAMPLE).topic_id != "waste"
    changed = with_example("waste", NEW_EXAMPLE)

    incremental = train(changed, previous=before)
    scratch = train(changed)

    assert incremental.build_info.started_from == "previous"
    assert not incremental.build_info.recalibrated and incremental.platt == before.platt
    assert 0 < incremental.build_info.calibration_drift < EngineSettings().calibration_reuse_drift
    assert incremental.build_info.iterations < scratch.build_info.iterations
    assert incremental.decide(NEW_EXAMPLE).topic_id == "waste"
    questions = [q for doc in changed for q in doc.examples[:25]] + list(content.read_out_of_scope_training()[:100])
    assert [incremental.rank(q, 1) and incremental.rank(q, 1)[0].topic_id for q in questions] == [
        scratch.rank(q, 1) and scratch.rank(q, 1)[0].topic_id for q in questions
    ]


def test_a_new_topic_is_learnt_from_the_previous_engine_and_refits_the_calibration() -> None:
    new_topic = next(doc for doc in content.topic_docs_from_files() if doc.topic_id == "driving-licence")
    grown = (*docs(), new_topic)

    incremental = train(grown, previous=first_engine())

    assert incremental.build_info.started_from == "previous"
    assert incremental.build_info.recalibrated  # dozens of new questions: more than the drift allows
    assert incremental.classes == sorted({*TOPICS, "driving-licence", "__out_of_scope__"})
    assert incremental.decide(new_topic.examples[0]).topic_id == "driving-licence"


def test_drift_adds_up_over_small_builds_until_the_calibration_is_refitted() -> None:
    settings = EngineSettings(calibration_reuse_drift=0.002)  # about three questions of this small training set
    engine = train(docs(), settings=settings)
    refits = []
    topics = docs()
    for n in range(4):
        topics = tuple(
            dataclasses.replace(doc, examples=(*doc.examples, f"spørgsmål nummer {n} om affald og genbrug"))
            if doc.topic_id == "waste"
            else doc
            for doc in topics
        )
        engine = train(topics, settings=settings, previous=engine)
        refits.append(engine.build_info.recalibrated)
    assert refits.count(True) == 1 and refits[0] is False


@pytest.mark.parametrize("settings", [EngineSettings(classifier_c=1.0), EngineSettings(calibrate=False)])
def test_an_engine_trained_with_other_settings_is_not_started_from(settings: EngineSettings) -> None:
    engine = train(with_example("waste", NEW_EXAMPLE), settings=settings, previous=first_engine())
    assert engine.build_info.started_from != "previous"

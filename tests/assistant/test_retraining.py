"""The assistant learns in the background: an editor's change queues a retrain (one for a burst of changes), the
background worker trains and stores the model, and every web worker swaps it in at its next question. Meanwhile,
and when a retrain fails, the previous model keeps answering; a stored model whose HMAC does not match is never
unpickled. Run against the real database backend of django-tasks, with its worker in the test."""

from __future__ import annotations

import logging
import os
import pickle
import threading
from typing import Any

import pytest
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from threadpoolctl import threadpool_info

from samvirke.assistant import service
from samvirke.assistant.lib.engine import AssistantEngine
from samvirke.assistant.models import ModelBuild, TrainingState
from samvirke.assistant.selectors import model_status
from samvirke.directory.models import Person
from samvirke.knowledge.actions import do_add_example_question, do_load_knowledge
from samvirke.knowledge.models import Topic
from tests.assistant.conftest import run_background_worker
from tests.conftest import client_for
from tests.contact.conftest import open_all_hours

NEW_QUESTION = "hvem henter de døde duer på min altan"  # not answerable today; an example of "waste" makes it so
RETRAIN_TASK = "samvirke.assistant.tasks.retrain_assistant"

# Changes are announced after a real commit (transaction=True); slow: each test flushes and retrains (≈ 3–18 s here).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def chat(question: str, code: int = 316) -> str:
    return Client().post(f"/chat/{code}/", {"question": question}).content.decode()


def queued_retrains() -> int:
    return DBTaskResult.objects.filter(task_path=RETRAIN_TASK, status=TaskResultStatus.READY).count()


def test_an_edit_does_not_train_in_the_request_and_the_chat_answers_with_the_old_model_until_the_worker_is_done(
    editor: Person,
) -> None:
    assert "Det kan jeg desværre ikke svare sikkert på." in chat(NEW_QUESTION)
    builds_before = ModelBuild.objects.count()

    response = client_for(editor).post("/vidensbase/waste/eksempler/", {"text": NEW_QUESTION})

    assert response.status_code == 302
    assert ModelBuild.objects.count() == builds_before  # nothing was trained in the request
    assert queued_retrains() == 1
    assert "Det kan jeg desværre ikke svare sikkert på." in chat(NEW_QUESTION)  # the old model answers
    assert model_status().state == "waiting"

    run_background_worker()

    assert queued_retrains() == 0
    newest = ModelBuild.objects.first()
    assert newest is not None and newest.reason == "example_added" and newest.warm_started
    assert not newest.recalibrated  # one example: the calibration is kept
    page = chat(NEW_QUESTION)
    assert "Affald og storskrald" in page and "Det kan jeg desværre ikke" not in page
    assert model_status().state == "ready"


def test_a_burst_of_edits_queues_one_retrain_and_an_edit_during_a_retrain_queues_one_more(
    knowledge: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    waste = Topic.objects.get(pk="waste")
    for n in range(5):
        do_add_example_question(None, waste, f"kan jeg aflevere {n} gamle sofaer på genbrugspladsen")
    assert queued_retrains() == 1

    train = service._train
    edits_during_training = ["hvem tømmer skraldespanden ved bålpladsen i skoven"]

    def train_while_an_editor_saves(*args: Any) -> Any:
        if edits_during_training:  # during the first retrain only
            do_add_example_question(None, waste, edits_during_training.pop())
            assert queued_retrains() == 1  # the running one no longer counts as waiting
        return train(*args)

    monkeypatch.setattr(service, "_train", train_while_an_editor_saves)
    run_background_worker()  # runs the queued retrain and the one the edit during it queued
    assert ModelBuild.objects.filter(reason="example_added").count() == 2
    assert queued_retrains() == 0
    assert TrainingState.objects.get().pending_since is None


def test_a_retrain_queued_twice_trains_once(knowledge: object) -> None:
    from samvirke.assistant.tasks import retrain_assistant

    do_add_example_question(None, Topic.objects.get(pk="waste"), NEW_QUESTION)
    retrain_assistant.enqueue(reason="example_added")  # a second one, as two hosts might
    assert queued_retrains() == 2
    builds_before = ModelBuild.objects.count()

    run_background_worker()

    assert ModelBuild.objects.count() == builds_before + 1
    results = [r.return_value for r in DBTaskResult.objects.filter(task_path=RETRAIN_TASK)]
    assert sorted(r["stored"] for r in results) == [False, True]


def test_a_failed_retrain_leaves_the_old_model_answering_and_is_logged(
    knowledge: object, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    old_build = ModelBuild.objects.get()

    def out_of_memory(*args: Any) -> Any:
        raise MemoryError("the worker ran out of memory")

    monkeypatch.setattr(service, "_train_here", out_of_memory)
    do_add_example_question(None, Topic.objects.get(pk="waste"), "hvem fjerner grene efter stormen")
    with caplog.at_level(logging.ERROR):
        run_background_worker()

    assert DBTaskResult.objects.get(task_path=RETRAIN_TASK).status == TaskResultStatus.FAILED
    assert "Retraining the assistant failed" in caplog.text
    assert list(ModelBuild.objects.all()) == [old_build]
    assert "Pas" in chat("jeg skal have et nyt pas")  # the old model still answers
    status = model_status()
    assert status.state == "failed" and status.built_at == old_build.built_at
    assert "MemoryError" in TrainingState.objects.get().failure


_evidence: list[str] = []


def _run_the_attackers_code() -> str:
    _evidence.append("unpickled")
    return "pwned"


class _Exploit:
    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return (_run_the_attackers_code, ())


def test_a_tampered_model_is_refused_without_being_unpickled_and_the_previous_one_answers(
    knowledge: object, caplog: pytest.LogCaptureFixture
) -> None:
    trusted = ModelBuild.objects.get()
    # Someone who can write the table (but lacks SECRET_KEY) puts code in a newer build, keeping a real HMAC.
    tampered = ModelBuild.objects.get(pk=trusted.pk)
    tampered.pk = None
    tampered.knowledge_read_at = trusted.knowledge_read_at.replace(year=trusted.knowledge_read_at.year + 1)
    tampered.payload = pickle.dumps(_Exploit())
    tampered.save()
    _evidence.clear()
    service.forget_served_engine()  # a worker that has not loaded a model yet

    with caplog.at_level(logging.ERROR):
        engine = service.engine()

    assert _evidence == []
    assert "refused: its HMAC does not match" in caplog.text
    assert engine is not None and engine.decide("jeg skal have et nyt pas").topic_id == "passport"
    assert service._state.served.build_id == trusted.pk


def test_a_model_signed_with_another_key_is_refused(knowledge: object) -> None:
    build = ModelBuild.objects.get()
    other_key = service.salted_hmac(service.MODEL_HMAC_SALT, bytes(build.payload), secret="another key")
    ModelBuild.objects.filter(pk=build.pk).update(signature=other_key.hexdigest())
    service.forget_served_engine()

    assert service.engine() is None
    assert "Det kan jeg desværre ikke svare sikkert på." in chat("jeg skal have et nyt pas")
    with pytest.raises(service.UntrustedModel):
        service.load_model(bytes(build.payload), other_key.hexdigest())


def test_before_the_first_model_the_chat_hands_over_at_once_and_queues_a_build(fellesskab: object) -> None:
    open_all_hours()  # the hand-over offers the open hotline, whatever the hour the test runs at
    do_load_knowledge(None)  # as a database migrated and filled without a command that trains
    DBTaskResult.objects.all().delete()
    TrainingState.objects.all().delete()

    page = chat("jeg skal have et nyt pas")

    assert "Det kan jeg desværre ikke svare sikkert på." in page and "ringe til hotlinen" in page
    assert not ModelBuild.objects.exists()
    assert queued_retrains() == 1
    assert model_status().state == "waiting"
    run_background_worker()
    assert "Pas" in chat("jeg skal have et nyt pas")


def test_the_training_thread_runs_at_low_priority_with_one_blas_thread(
    knowledge: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}
    real_engine = service.AssistantEngine

    def engine_that_looks_around(*args: Any, **kwargs: Any) -> AssistantEngine:
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        seen["blas_threads"] = {pool["num_threads"] for pool in threadpool_info()}
        seen["thread"] = threading.current_thread() is threading.main_thread()
        return real_engine(*args, **kwargs)

    monkeypatch.setattr(service, "AssistantEngine", engine_that_looks_around)
    nice_before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    do_add_example_question(None, Topic.objects.get(pk="waste"), NEW_QUESTION)
    run_background_worker()

    assert seen["nice"] >= service.TRAINING_NICENESS
    assert seen["blas_threads"] == {1}
    assert seen["thread"] is False
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == nice_before  # the worker keeps its own

"""The knowledge pages say what the assistant knows: trained when and after which change, learning now, waiting
for the background worker, or failed (and that the previous model answers meanwhile)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from samvirke.assistant.models import ModelBuild, TrainingState
from samvirke.assistant.selectors import model_status
from samvirke.assistant.templatetags.assistant_status import klokken
from samvirke.directory.models import Person
from samvirke.knowledge.views import ASSISTANT_LEARNS
from tests.assistant.conftest import run_background_worker
from tests.conftest import client_for

NOW = dt.datetime(2026, 12, 7, 13, 30, tzinfo=dt.UTC)


def a_build(read_at: dt.datetime, reason: str = "guide_saved") -> ModelBuild:
    """A build record as the selector reads it (its model is not loaded here)."""
    return ModelBuild.objects.create(
        digest="d" * 64, code_version="c" * 64, knowledge_read_at=read_at, reason=reason, built_at=read_at,
        seconds=4.2, topics=52, examples=3750, payload=b"model", signature="s" * 64,
    )  # fmt: skip


def state(**fields: object) -> TrainingState:
    return TrainingState.objects.create(pk=1, **fields)


@pytest.mark.django_db
def test_with_no_model_it_says_the_citizens_go_to_the_hotline() -> None:
    status = model_status(NOW)
    assert status.state == "none" and not status.in_progress


@pytest.mark.django_db
def test_a_model_that_knows_the_latest_change_is_ready() -> None:
    a_build(NOW - dt.timedelta(minutes=5), reason="example_added")
    state(changed_at=NOW - dt.timedelta(minutes=6), change_reason="example_added")
    status = model_status(NOW)
    assert status.state == "ready" and status.built_after == "et eksempelspørgsmål blev tilføjet"


@pytest.mark.django_db
def test_a_change_newer_than_the_model_is_waiting_then_learning() -> None:
    a_build(NOW - dt.timedelta(minutes=5))
    state(changed_at=NOW - dt.timedelta(seconds=3), pending_since=NOW - dt.timedelta(seconds=3))
    assert model_status(NOW).state == "waiting" and not model_status(NOW).worker_hint
    assert model_status(NOW + dt.timedelta(minutes=2)).worker_hint  # is the background worker running?
    TrainingState.objects.update(pending_since=None, training_since=NOW - dt.timedelta(seconds=1))
    assert model_status(NOW).state == "learning" and model_status(NOW).in_progress


@pytest.mark.django_db
def test_a_failed_retrain_and_a_stalled_one_are_not_called_learning() -> None:
    a_build(NOW - dt.timedelta(minutes=30))
    state(changed_at=NOW - dt.timedelta(minutes=20), failed_at=NOW - dt.timedelta(minutes=19))
    assert model_status(NOW).state == "failed"
    TrainingState.objects.update(failed_at=None, training_since=NOW - dt.timedelta(minutes=15))
    assert model_status(NOW).state == "behind"  # a retrain that died with its worker


@pytest.mark.django_db
def test_a_time_today_is_the_clock_and_another_day_has_its_date() -> None:
    now = timezone.now()
    assert klokken(now) == f"kl. {timezone.localtime(now):%H.%M}"
    assert klokken(dt.datetime(2026, 12, 6, 12, 5, tzinfo=dt.UTC)) == "6. december kl. 13.05"


@pytest.mark.django_db(transaction=True)
def test_the_knowledge_pages_tell_the_truth_about_the_model(editor: Person) -> None:
    client = client_for(editor)
    assert "Assistenten er trænet" in client.get("/vidensbase/").content.decode()

    response = client.post("/vidensbase/waste/eksempler/", {"text": "hvem samler æbler op fra fortovet"}, follow=True)
    page = response.content.decode()
    assert f"Eksempelspørgsmålet er tilføjet. {ASSISTANT_LEARNS}" in page
    assert "med det samme" not in page
    assert "i baggrunden – klar om få sekunder" in page and 'hx-trigger="every 2s"' in page
    fragment = client.get("/assistent/status/").content.decode()
    assert "i baggrunden" in fragment and "hx-get" in fragment

    run_background_worker()

    fragment = client.get("/assistent/status/").content.decode()
    assert "Assistenten er trænet" in fragment and "et eksempelspørgsmål blev tilføjet" in fragment
    assert "hx-get" not in fragment  # no more polling


@pytest.mark.django_db(transaction=True)
def test_an_edit_undone_before_the_worker_ran_stores_nothing_and_the_model_is_ready(knowledge: object) -> None:
    from samvirke.knowledge.actions import do_add_example_question, do_delete_example_question
    from samvirke.knowledge.models import Topic

    builds = ModelBuild.objects.count()
    example = do_add_example_question(None, Topic.objects.get(pk="waste"), "hvem samler æbler op fra fortovet")
    do_delete_example_question(None, example)
    assert model_status().state == "waiting"

    run_background_worker()

    assert ModelBuild.objects.count() == builds
    assert model_status().state == "ready"

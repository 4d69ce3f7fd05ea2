"""The citizens' chat page: answers with the municipality's variant, hands over when unsure, survives bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from samvirke.assistant.models import AnswerFeedback, UnansweredQuestion
from samvirke.directory.models import Municipality
from samvirke.knowledge.models import CrisisNotice


def ask(question: str, code: int = 316) -> str:
    return Client().post(f"/chat/{code}/", {"question": question}).content.decode()


def test_the_page_works_without_javascript_as_a_plain_form(knowledge: object) -> None:
    page = Client().get("/chat/316/").content.decode()
    assert '<label for="question">Dit spørgsmål</label>' in page
    assert 'aria-live="polite"' in page
    assert 'method="post"' in page


def test_a_question_gets_the_municipalitys_variant(knowledge: object) -> None:
    holbaek = ask("hvornår har borgerservice åbent", 316)
    greve = ask("hvornår har borgerservice åbent", 253)
    assert "Borgerservice åbningstider og kontakt" in holbaek
    assert "Holbæk" in holbaek and "Greve" not in holbaek
    assert "Greve" in greve


def test_an_out_of_scope_question_offers_the_hotline(knowledge: object) -> None:
    page = ask("hvad er opskriften på æblekage")
    assert "Det kan jeg desværre ikke svare sikkert på." in page
    assert "70 20 03 16" in page
    assert "Hotlinen har" in page


def test_an_unanswered_question_is_stored_with_personal_data_masked(knowledge: object) -> None:
    ask("min mail er a@b.dk og mit cpr er 010190-1234, hvad er opskriften på æblekage")
    stored = UnansweredQuestion.objects.get()
    assert "010190" not in stored.masked_text and "a@b.dk" not in stored.masked_text
    assert "[CPR-nummer]" in stored.masked_text and "[e-mail]" in stored.masked_text


@pytest.mark.parametrize(
    "question",
    ["", "   ", "x" * 10_000, "\xff binær", "<script>alert('x')</script>", "<img src=x onerror=alert(1)>"],
)
def test_bad_input_gets_a_polite_answer_and_is_escaped(knowledge: object, question: str) -> None:
    response = Client().post("/chat/316/", {"question": question})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "turn" in page


def test_control_characters_in_a_question_are_refused_in_danish_before_the_assistant_sees_them(
    knowledge: object,
) -> None:
    response = Client().post("/chat/316/", {"question": "\x00\x01\x02 binær"})
    assert response.status_code == 400
    assert "ugyldige tegn" in response.content.decode()
    assert not UnansweredQuestion.objects.exists()


def test_an_unknown_kommunekode_is_a_danish_404(knowledge: object) -> None:
    response = Client().get("/chat/999/")
    assert response.status_code == 404
    assert "Der findes ingen chat for kommunekode 999." in response.content.decode()


def test_a_municipality_that_is_not_a_member_has_no_chat(knowledge: object) -> None:
    assert Client().get("/chat/751/").status_code == 404  # Aarhus


def test_a_published_crisis_notice_comes_first_day_and_night(knowledge: object) -> None:
    notice = CrisisNotice.objects.create(
        title="Strømafbrydelse i Holbæk by",
        body="Der er ingen strøm i dele af Holbæk. Følg med på holbaek.dk.",
        published=True,
        starts_at=timezone.now() - dt.timedelta(hours=1),
    )
    notice.municipalities.add(Municipality.objects.get(code=316))
    page = ask("hvordan får jeg et nyt pas")
    assert page.index("Strømafbrydelse i Holbæk by") < page.index("Pas")
    assert "Strømafbrydelse" not in ask("hvordan får jeg et nyt pas", 253)


def test_an_unpublished_or_expired_notice_is_not_shown(knowledge: object) -> None:
    holbaek = Municipality.objects.get(code=316)
    for published, ends in ((False, None), (True, timezone.now() - dt.timedelta(minutes=1))):
        notice = CrisisNotice.objects.create(
            title="Gammel besked", body="x", published=published, starts_at=timezone.now() - dt.timedelta(days=1),
            ends_at=ends,
        )  # fmt: skip
        notice.municipalities.add(holbaek)
    assert "Gammel besked" not in ask("nyt pas")


def test_feedback_is_stored_per_answer(knowledge: object) -> None:
    response = Client().post(
        "/chat/316/feedback/", {"topic_id": "passport", "helpful": "ja", "question": "nyt pas 20304050"}
    )
    assert "Tak for din tilbagemelding." in response.content.decode()
    feedback = AnswerFeedback.objects.get()
    assert feedback.helpful and feedback.topic_id == "passport"
    assert "20304050" not in feedback.masked_question


def test_choosing_a_topic_shows_its_guide(knowledge: object) -> None:
    page = Client().get("/chat/316/?emne=passport").content.decode()
    assert '<h2 class="answer-title">Pas</h2>' in page


def test_the_fetch_request_returns_only_the_reply(knowledge: object) -> None:
    response = Client().post("/chat/316/", {"question": "nyt pas"}, headers={"X-Requested-With": "fetch"})
    body = response.content.decode()
    assert body.strip().startswith('<li class="turn">')
    assert "<html" not in body

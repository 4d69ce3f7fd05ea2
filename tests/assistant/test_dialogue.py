"""The dialogue layer: greetings, thanks, asking for a person and gibberish are recognised before retrieval, and no
real question is taken for one of them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from samvirke.assistant.lib.dialogue import Intent, is_nonsense_word, most_asked, recognise
from samvirke.assistant.lib.text import stem, words
from samvirke.knowledge import content

DATA = Path(__file__).resolve().parents[1] / "data" / "assistant"
KNOWN = frozenset({"bla", "kort", "mitid", "pas", "1813", "cpr", "sms"})  # a few words the knowledge base uses


@pytest.mark.parametrize(
    "text",
    [
        "jeg vil gerne tale med et menneske",
        "kan jeg få en medarbejder",
        "ring mig op",
        "rigtig person tak",
        "Kan I ringe mig op i morgen?",
        "vil gerne ringes op",
        "kan jeg snakke med en rigtig person",
        "jeg gider ikke skrive med en robot",
        "medarbjeder tak",  # one letter off
        "jeg vil tale med en medarbejder om min boligstøtte",
    ],
)
def test_it_understands_a_request_for_a_person_in_many_phrasings(text: str) -> None:
    assert recognise(text, KNOWN) == Intent.HUMAN


@pytest.mark.parametrize(
    "text",
    [
        "kan en person med handicap få et parkeringskort",
        "min medarbejder er syg, hvordan får jeg refusion",
        "hvordan ringer jeg op til lægevagten",
        "han ringer til mig hver gang han skal godkende noget",
        "jeg blev ringet op af en der sagde han var fra banken",
        "hvor ringer jeg hen for at spærre mitid",
        "fik et opkald fra skat, er det svindel",
    ],
)
def test_a_question_that_mentions_people_or_calls_is_still_a_question(text: str) -> None:
    assert recognise(text, KNOWN) is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hej", Intent.GREETING),
        ("Heeej :)", Intent.GREETING),
        ("god morgen", Intent.GREETING),
        ("goddag med dig", Intent.GREETING),
        ("tak", Intent.THANKS),
        ("tusind tak for hjælpen!", Intent.THANKS),
        ("det var det jeg skulle bruge tak", Intent.THANKS),
        ("ok", Intent.THANKS),
        ("xyz blabla hjælp", Intent.GIBBERISH),
        ("bla bla bla", Intent.GIBBERISH),
        ("asdfgh", Intent.GIBBERISH),
        ("jjjjjjj", Intent.GIBBERISH),
        ("???", Intent.GIBBERISH),
        ("🙈🙈", Intent.GIBBERISH),
    ],
)
def test_greetings_thanks_and_gibberish_are_turns_not_questions(text: str, intent: Intent) -> None:
    assert recognise(text, KNOWN) == intent


@pytest.mark.parametrize(
    "text",
    [
        "hej, jeg har mistet mit pas",
        "tak, men hvordan får jeg et nyt pas",
        "hvad skal jeg bruge",
        "bla kort til ferien",  # "blå" typed without å
        "sms fra mitid",
        "1813",
        "",
        "   ",
        "hmm hvordan får jeg mitid",
    ],
)
def test_a_question_with_a_greeting_or_odd_words_goes_to_retrieval(text: str) -> None:
    assert recognise(text, KNOWN) is None


def test_a_nonsense_word_is_keyboard_mashing_not_an_abbreviation() -> None:
    assert all(is_nonsense_word(word) for word in ["qwerty", "hgfdsa", "dfgdfg", "sdkfjh", "xx", "øæå", "zxcv"])
    assert not any(is_nonsense_word(word) for word in ["pas", "mitid", "1813", "tv", "ring", "hej", "syg"])


def test_no_example_or_development_question_is_taken_for_a_turn_of_dialogue() -> None:
    """The example questions and the dev sets' in-scope questions are real questions: at most a handful (the
    ones that really ask to talk to someone) may be recognised as anything else."""
    guides, extra = content.read_guides(), content.read_extra_examples()
    questions = [e for topic, guide in guides.items() for e in content.all_examples(guide, extra.get(topic, []))]
    # As the engine's vocabulary: the guides and their examples (not the dev sets, whose words it has not seen).
    known = frozenset(stem(word) for text in [*questions, *(g.body for g in guides.values())] for word in words(text))
    for path in sorted(DATA.glob("dev*.csv")):
        questions += [row["question"] for row in csv.DictReader(path.open(encoding="utf-8")) if row["expected_topic"]]
    taken = [(q, recognise(q, known)) for q in questions if recognise(q, known) is not None]
    assert len(questions) > 4000
    assert all(intent == Intent.HUMAN for _, intent in taken), taken
    assert len(taken) <= 3, taken


def test_the_quick_replies_are_the_most_asked_then_the_fixed_list() -> None:
    counts = {"passport": 5, "waste": 9, "retired-topic": 50, "nemkonto": 0}
    available = {"passport", "waste", "mitid-get", "health-card", "nemkonto"}
    assert most_asked(counts, available, ["mitid-get", "passport", "health-card"], 4) == [
        "waste",
        "passport",
        "mitid-get",
        "health-card",
    ]
    assert most_asked({}, available, ["mitid-get", "nemkonto"], 6) == ["mitid-get", "nemkonto"]

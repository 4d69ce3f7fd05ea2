"""How the assistant reads Danish as citizens write it."""

from __future__ import annotations

import random

from samvirke.assistant.lib.text import analyse, build_synonyms, clean, folded_text, misspell, split_compound, stem


def test_case_and_danish_letters_are_folded_so_ae_and_ae_meet() -> None:
    assert analyse("Hvordan ÆNDRER jeg min adresse") == analyse("hvordan aendrer jeg min adresse")
    assert stem("læge") == stem("laege") == "laeg"


def test_snowball_stemming_brings_inflections_together() -> None:
    assert stem("flytter") == stem("flytte")
    assert stem("telefonen") == stem("telefon")


def test_compounds_are_split_into_known_parts() -> None:
    vocabulary = frozenset(stem(w) for w in ["læge", "skift", "sundhed", "kort"])
    assert split_compound("lægeskift", vocabulary) == [stem("læge"), stem("skift")]
    assert split_compound("sundhedskort", vocabulary) == [stem("sundhed"), stem("kort")]  # linking -s-
    assert split_compound("telefon", vocabulary) == []


def test_synonyms_expand_both_ways() -> None:
    table = build_synonyms([("mobil", "telefon")])
    assert stem("telefon") in analyse("min mobil er væk", synonyms=table)
    assert stem("mobil") in analyse("ny telefon", synonyms=table)


def test_html_and_entities_are_stripped_before_matching() -> None:
    assert clean("<script>alert(1)</script>Pas &amp; kørekort") == " alert(1) pas & kørekort"
    assert analyse("<b>pas</b>") == [stem("pas")]


def test_stopwords_go_but_negation_stays() -> None:
    assert analyse("jeg kan ikke logge ind") == [stem("ikke"), stem("logge")]


def test_folded_text_for_character_ngrams() -> None:
    assert folded_text("Søg om BØRNEHAVE") == "soeg boernehave"


def test_misspellings_are_repeatable_plausible_and_keep_the_words() -> None:
    question = "Hvordan får jeg et nyt sundhedskort, når mit er blevet væk?"
    first = [misspell(question, random.Random(3)) for _ in range(2)]
    assert first[0] == first[1]  # the same seed gives the same training set
    spellings = {misspell(question, random.Random(seed)) for seed in range(40)}
    assert len(spellings) > 10
    for spelling in spellings:
        assert len(spelling.split()) == len(question.split())  # letters change, words are not lost
        assert spelling == spelling.lower()
    assert any("faar" in s and "vaek" in s for s in spellings)  # æøå typed as ae/oe/aa …
    assert any(" far " in s for s in spellings)  # … or as a/o
    assert any(not any(c in s for c in ",?") for s in spellings)  # punctuation dropped

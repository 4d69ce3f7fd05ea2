"""How the assistant reads Danish as citizens write it."""

from __future__ import annotations

from samvirke.assistant.lib.text import analyse, build_synonyms, clean, folded_text, split_compound, stem


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

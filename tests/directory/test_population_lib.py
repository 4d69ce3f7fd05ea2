"""Parsing population files: every problem named by line, nothing accepted from a bad file."""

from __future__ import annotations

import pytest

from samvirke.directory.lib.populations import PopulationImportError, parse_population_file

KNOWN = {316, 253, 259}
HEADER = "kommunekode,population,year,source\n"


def problems_of(text: str) -> list[str]:
    with pytest.raises(PopulationImportError) as caught:
        parse_population_file(text, KNOWN)
    return caught.value.problems


def test_a_good_file_is_parsed_into_updates() -> None:
    updates = parse_population_file(HEADER + "316,74000,2025,DST FOLK1A\n253,52500,2025,DST FOLK1A\n", KNOWN)
    assert [(u.kommunekode, u.population, u.year, u.line) for u in updates] == [
        (316, 74000, 2025, 2),
        (253, 52500, 2025, 3),
    ]


def test_semicolons_a_bom_danish_thousands_and_column_order_are_accepted() -> None:
    text = "\ufeffsource;year;population;kommunekode\nDST;2025;74.000;316\n"
    [update] = parse_population_file(text, KNOWN)
    assert (update.kommunekode, update.population) == (316, 74000)


def test_an_unknown_kommunekode_is_named_with_its_line() -> None:
    assert problems_of(HEADER + "316,74000,2025,DST\n999,1000,2025,DST\n") == ["Linje 3: kommunekoden 999 findes ikke."]


def test_a_duplicate_row_is_named_with_both_lines() -> None:
    assert problems_of(HEADER + "316,74000,2025,DST\n316,74001,2025,DST\n") == [
        "Linje 3: kommunekode 316 står også i linje 2."
    ]


@pytest.mark.parametrize(
    ("population", "message"),
    [
        ("-5", "indbyggertallet skal være større end 0, ikke -5"),
        ("0", "indbyggertallet skal være større end 0, ikke 0"),
        ("mange", "indbyggertallet 'mange' er ikke et helt tal"),
        ("12,5", "indbyggertallet '12,5' er ikke et helt tal"),
        ("", "indbyggertallet '' er ikke et helt tal"),
        ("52157.5", "indbyggertallet '52157.5' er ikke et helt tal"),
        ("1.5", "indbyggertallet '1.5' er ikke et helt tal"),
        ("74.00", "indbyggertallet '74.00' er ikke et helt tal"),
        ("7.4000", "indbyggertallet '7.4000' er ikke et helt tal"),
        (".740", "indbyggertallet '.740' er ikke et helt tal"),
        ("74.000.", "indbyggertallet '74.000.' er ikke et helt tal"),
        ("74 000.5", "indbyggertallet '74 000.5' er ikke et helt tal"),
        ("2000001", "indbyggertallet 2.000.001 er større end 2.000.000 – ingen dansk kommune er så stor"),
        ("5.900.000", "indbyggertallet 5.900.000 er større end 2.000.000 – ingen dansk kommune er så stor"),
    ],
)
def test_a_bad_population_is_refused(population: str, message: str) -> None:
    assert problems_of(HEADER + f'316,"{population}",2025,DST\n') == [f"Linje 2: {message}."]


def test_the_wrong_columns_are_refused() -> None:
    assert problems_of("kode,indbyggere\n316,74000\n") == [
        "Linje 1: kolonnerne skal være kommunekode,population,year,source, men filen har kode,indbyggere."
    ]


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    problems = problems_of(HEADER + "999,1,2025,DST\n316,-1,1800,\n253,1000,2025,DST,extra\n")
    assert problems == [
        "Linje 2: kommunekoden 999 findes ikke.",
        "Linje 3: indbyggertallet skal være større end 0, ikke -1; året 1800 ligger ikke mellem 1970 og 2100; "
        "kilden mangler.",
        "Linje 4: der er flere felter end de fire kolonner.",
    ]


def test_an_empty_file_and_a_header_only_file_are_refused() -> None:
    assert "Filen er tom" in problems_of("")[0]
    assert problems_of(HEADER) == ["Filen har ingen rækker under overskriften."]


@pytest.mark.parametrize(
    ("written", "population"),
    [
        ("73767", 73767),
        ("73.767", 73767),
        ("1.234", 1234),
        ("644.431", 644431),
        ("73 767", 73767),
        ("2000000", 2000000),
    ],
)
def test_a_population_may_use_the_danish_thousands_separator(written: str, population: int) -> None:
    [update] = parse_population_file(HEADER + f'316,"{written}",2025,DST\n', KNOWN)
    assert update.population == population


@pytest.mark.parametrize("code", ["3.16", "31.6", "316.0", "-316", "3 16", "316a"])
def test_a_kommunekode_must_be_plain_digits(code: str) -> None:
    assert problems_of(HEADER + f'"{code}",74000,2025,DST\n') == [f"Linje 2: kommunekoden '{code}' er ikke et tal."]


@pytest.mark.parametrize("year", ["2.025", "2025.0", "20.25", "2 025"])
def test_a_year_must_be_plain_digits(year: str) -> None:
    assert problems_of(HEADER + f'316,74000,"{year}",DST\n') == [f"Linje 2: året '{year}' er ikke et tal."]


def test_a_file_name_or_a_document_reference_is_not_a_source() -> None:
    why = "er et filnavn eller en henvisning til et dokument, ikke en kilde – skriv hvor tallet kommer fra, fx "
    example = "«Danmarks Statistik, FOLK1A, 1. kvartal 2025»."
    assert problems_of(HEADER + "316,74000,2025,befolkning-2025.csv\n253,52500,2025,Seed 000\n") == [
        f"Linje 2: kilden 'befolkning-2025.csv' {why}{example}",
        f"Linje 3: kilden 'Seed 000' {why}{example}",
    ]


def test_a_source_longer_than_the_field_is_refused() -> None:
    assert problems_of(HEADER + "316,74000,2025," + "x" * 201 + "\n") == ["Linje 2: kilden er længere end 200 tegn."]

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from samvirke.core.lib.masking import bounded, mask_personal_data


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("mit cpr er 010190-1234", "mit cpr er [CPR-nummer]"),
        ("cpr 0101901234 tak", "cpr [CPR-nummer] tak"),
        ("cpr 010190 1234", "cpr [CPR-nummer]"),
        ("ring på 20 30 40 50", "ring på [telefonnummer]"),
        ("ring på +45 20304050", "ring på [telefonnummer]"),
        ("ring 2030 4050", "ring [telefonnummer]"),
        ("skriv til anne.hansen@holbaek.dk", "skriv til [e-mail]"),
    ],
)
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


def test_ordinary_numbers_stay() -> None:
    assert (
        mask_personal_data("jeg er 67 år og bor i 4300 Holbæk, nr. 12") == "jeg er 67 år og bor i 4300 Holbæk, nr. 12"
    )


def test_a_mistyped_cpr_number_with_an_impossible_date_is_masked_too() -> None:
    assert mask_personal_data("cpr 991399-1234") == "cpr [CPR-nummer]"


def test_control_characters_are_dropped_so_any_database_can_store_the_text() -> None:
    assert mask_personal_data("nul\x00 og \x07bip\n") == "nul og bip\n"


def test_text_is_cut_before_masking_and_a_number_the_cut_runs_through_is_dropped() -> None:
    text = "x" * 480 + " mit cpr er 010190-1234, hjælp"
    cut = bounded(text, 500)
    assert len(cut) <= 500 and cut.endswith("mit cpr er")  # not "010190-12", which masking would no longer see
    assert bounded("kort tekst", 500) == "kort tekst"
    assert bounded("a" * 600, 500) == "a" * 500


def _masking_cases() -> list[tuple[str, str, str]]:
    path = Path(__file__).parent.parent / "data" / "masking-cases.csv"
    with path.open(encoding="utf-8", newline="") as file:
        return [(row["kind"], row["text"], row["masked"]) for row in csv.DictReader(file)]


MASKING_CASES = _masking_cases()


def test_the_table_holds_at_least_40_danish_spellings_and_strings_that_must_stay() -> None:
    kinds = Counter(kind for kind, _, _ in MASKING_CASES)
    assert kinds["cpr"] + kinds["phone"] + kinds["email"] >= 40
    assert min(kinds["cpr"], kinds["phone"], kinds["email"]) >= 10 and kinds["keep"] >= 15


@pytest.mark.parametrize(("kind", "text", "masked"), MASKING_CASES, ids=[f"{k}:{t}" for k, t, _ in MASKING_CASES])
def test_each_danish_spelling_is_masked_and_ordinary_text_stays(kind: str, text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked
    if kind == "keep":
        assert masked == text


def test_masking_is_idempotent_over_the_table() -> None:
    for _, _, masked in MASKING_CASES:
        assert mask_personal_data(masked) == masked

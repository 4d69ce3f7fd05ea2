"""The fællesskab's quality standard for a guide: required sections, length, LIX, links, review date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from samvirke.knowledge.lib.editing import template_hints_left
from samvirke.knowledge.lib.guides import REQUIRED_SECTIONS, plain_text, sections

MIN_WORDS, MAX_WORDS = 80, 450
MAX_LIX = 45  # LIX above 45 is "svær" text; public information should be easier than that
ALLOWED_LINK = re.compile(r"^(https://[a-z0-9.-]+\.[a-z]{2,}(/[^\s]*)?|guide:[a-z0-9-]+)$")
_LINK_TARGET = re.compile(r"\]\(([^)]*)\)")
# A run of punctuation is tried from its start only (the look-behind): from every point inside it the pattern read
# to its end again, quadratic in a run of dots. Same matches as without it.
_SENTENCE_END = re.compile(r"(?<![.!?:])[.!?:]+(\s|$)|\n\s*\n|\n\s*(?:[-*]|\d+[.)])\s")


@dataclass(frozen=True)
class QualityProblem:
    check: str
    message: str


def lix(text: str) -> float:
    """LIX readability (Björnsson): words per sentence + percentage of words longer than six letters."""
    words = re.findall(r"[A-Za-zÆØÅæøåÄÖÜäöüé0-9]+", text)
    if not words:
        return 0.0
    sentence_count = max(1, len([m for m in _SENTENCE_END.finditer(text.strip() + "\n")]))
    long_words = sum(1 for word in words if len(word) > 6)
    return len(words) / sentence_count + 100 * long_words / len(words)


def check_guide(
    body: str, *, known_topics: set[str], review_date: dt.date | None, today: dt.date
) -> list[QualityProblem]:
    """Every way the guide falls short of the standard (docs/guide-format.md); [] when it passes."""
    problems: list[QualityProblem] = []
    headings = [heading for heading, _ in sections(body) if heading]
    missing = [name for name in REQUIRED_SECTIONS if name not in headings]
    if missing:
        problems.append(QualityProblem("sections", "Mangler afsnit: " + ", ".join(missing) + "."))
    for hint in template_hints_left(body):
        problems.append(QualityProblem("template", f"Skabelonens hjælpetekst står der stadig: »{hint}«."))
    text = plain_text(body)
    word_count = len(re.findall(r"\w+", text))
    if word_count < MIN_WORDS:
        problems.append(QualityProblem("length", f"For kort: {word_count} ord (mindst {MIN_WORDS})."))
    elif word_count > MAX_WORDS:
        problems.append(QualityProblem("length", f"For lang: {word_count} ord (højst {MAX_WORDS})."))
    score = lix(text)
    if score > MAX_LIX:
        problems.append(QualityProblem("lix", f"Svær at læse: LIX {score:.0f} (højst {MAX_LIX})."))
    for target in _LINK_TARGET.findall(body):
        if not ALLOWED_LINK.match(target):
            problems.append(QualityProblem("links", f"Ugyldigt link: {target!r}."))
        elif target.startswith("guide:") and target[len("guide:") :] not in known_topics:
            problems.append(QualityProblem("links", f"Link til en guide, der ikke findes: {target}."))
    if review_date is None:
        problems.append(QualityProblem("review", "Der er ingen dato for næste gennemsyn."))
    elif review_date < today:
        problems.append(QualityProblem("review", f"Gennemsynet var forfaldent {review_date:%d.%m.%Y}."))
    return problems

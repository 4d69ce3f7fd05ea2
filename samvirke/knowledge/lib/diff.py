"""Two texts compared line by line (difflib's unified diff), and a changed line word by word: what a revision
changed, what a draft changes in the published text, and what another editor saved meanwhile."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "file" | "hunk" | "add" | "del" | "same"
    text: str
    # The line cut into (text, changed) pieces, so a changed word inside a long paragraph line stands out.
    parts: tuple[tuple[str, bool], ...] = ()


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def _word_parts(old: str, new: str) -> tuple[tuple[tuple[str, bool], ...], tuple[tuple[str, bool], ...]]:
    """Mark the words that differ between a removed line and the added line that replaced it."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    old_parts: list[tuple[str, bool]] = []
    new_parts: list[tuple[str, bool]] = []

    def add(parts: list[tuple[str, bool]], text: str, changed: bool) -> None:
        if parts and parts[-1][1] == changed:
            parts[-1] = (parts[-1][0] + text, changed)
        elif text:
            parts.append((text, changed))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        add(old_parts, "".join(a[i1:i2]), tag != "equal")
        add(new_parts, "".join(b[j1:j2]), tag != "equal")
    return tuple(old_parts), tuple(new_parts)


def diff_lines(old: str, new: str, old_name: str, new_name: str) -> list[DiffLine]:
    """A unified diff (difflib) of two texts, each line tagged for colouring; [] when they are equal.

    Where a run of removed lines is followed by as many added lines, each pair is also compared word by word.
    """
    result = []
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), old_name, new_name, lineterm="", n=3)
    for number, line in enumerate(lines):
        if number < 2:  # the "--- old" and "+++ new" header (a removed "-- x" line also starts with "---")
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "same"
        result.append(DiffLine(kind, line, ((line, False),)))
    i = 0
    while i < len(result):
        if result[i].kind != "del":
            i += 1
            continue
        start = i
        while i < len(result) and result[i].kind == "del":
            i += 1
        removed = i - start
        added_start = i
        while i < len(result) and result[i].kind == "add":
            i += 1
        if i - added_start == removed:
            for k in range(removed):
                gone, came = result[start + k], result[added_start + k]
                old_parts, new_parts = _word_parts(gone.text[1:], came.text[1:])
                result[start + k] = DiffLine("del", gone.text, (("-", False), *old_parts))
                result[added_start + k] = DiffLine("add", came.text, (("+", False), *new_parts))
    return result

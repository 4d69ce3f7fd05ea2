"""Shared pieces of the `samvirke` commands."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management.base import CommandError

# The input files a person gives a command (a population table, a business case) are kilobytes; a file far
# larger is a mistake, and reading it whole would only make the command slow before it fails.
MAX_INPUT_FILE_BYTES = 5 * 1024 * 1024


# NUL and the other C0 control characters but tab, LF and CR; raw, or (in a JSON file) written as an escape.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_CONTROL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])")


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def read_text_file(path: Path, utf8_hint: str = "", max_bytes: int = MAX_INPUT_FILE_BYTES) -> str:
    """A user's input file as text (UTF-8, BOM tolerated), or a CommandError with a Danish sentence.

    A file with NUL or another control character is refused here, for every command: PostgreSQL text cannot hold
    NUL (the import was a traceback), and no one types the others into a CSV or JSON file on purpose."""
    text = _read(path, utf8_hint, max_bytes)
    found = _CONTROL_CHARACTER.search(text)
    if found is None and path.suffix.lower() == ".json":
        found = _JSON_CONTROL_ESCAPE.search(text)
    if found is not None:
        raise CommandError(
            f"Filen {path} indeholder et kontroltegn (fx NUL) i linje {_line_of(text, found.start())}; "
            "intet er ændret. Ret eller fjern tegnet og prøv igen."
        )
    return text


def _read(path: Path, utf8_hint: str, max_bytes: int) -> str:
    try:
        if path.stat().st_size > max_bytes:
            raise CommandError(f"Filen {path} er for stor: højst {max_bytes // (1024 * 1024)} MB.")
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"Filen {path} findes ikke.") from None
    except IsADirectoryError:
        raise CommandError(f"{path} er en mappe, ikke en fil.") from None
    except UnicodeDecodeError:
        raise CommandError(f"Filen {path} er ikke UTF-8-tekst.{' ' + utf8_hint if utf8_hint else ''}") from None
    except OSError as error:
        raise CommandError(f"Filen {path} kan ikke læses ({error.strerror}).") from None


def aligned_table(rows: list[list[str] | None], left: int) -> list[str]:
    """Rows of cells as aligned text lines: the first `left` columns left-aligned, the rest right-aligned, two
    spaces between columns, trailing spaces dropped; a None row is a rule of dashes across every column."""
    cells = [row for row in rows if row is not None]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]

    def render(row: list[str]) -> str:
        return "  ".join(cell.ljust(widths[i]) if i < left else cell.rjust(widths[i]) for i, cell in enumerate(row))

    rule = "  ".join("-" * width for width in widths)
    return [rule if row is None else render(row).rstrip() for row in rows]

"""Shared pieces of the `samvirke` commands."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError


def read_text_file(path: Path, utf8_hint: str = "") -> str:
    """A user's input file as text (UTF-8, BOM tolerated), or a CommandError with a Danish sentence."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"Filen {path} findes ikke.") from None
    except IsADirectoryError:
        raise CommandError(f"{path} er en mappe, ikke en fil.") from None
    except UnicodeDecodeError:
        raise CommandError(f"Filen {path} er ikke UTF-8-tekst.{' ' + utf8_hint if utf8_hint else ''}") from None
    except OSError as error:
        raise CommandError(f"Filen {path} kan ikke læses ({error.strerror}).") from None

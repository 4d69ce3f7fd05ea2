"""The domain logic in every app's lib/ is pure: it never touches the database (README, For udviklere)."""

from __future__ import annotations

import ast
from pathlib import Path

import samvirke

PACKAGE = Path(samvirke.__file__).resolve().parent
FORBIDDEN = ("django.db", "django.conf", "django.utils.timezone")


def lib_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.glob("*/lib/**/*.py"))


def imported_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def test_there_are_lib_modules_to_check() -> None:
    assert len(lib_modules()) >= 3


def test_no_lib_module_imports_the_database_settings_or_clock() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in lib_modules()
        for name in imported_names(path)
        if any(name == forbidden or name.startswith(forbidden + ".") for forbidden in FORBIDDEN)
    ]
    assert offenders == []


def test_the_purity_check_would_catch_an_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from django.db import models\nimport django.db.models\n")
    assert "django.db" in imported_names(module)

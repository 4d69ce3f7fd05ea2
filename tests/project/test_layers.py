"""The apps depend downward only (docs/architecture.md): import-linter's contracts in pyproject.toml hold, and
they would catch an upward import; no app reaches into another app's views."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import samvirke

REPO = Path(samvirke.__file__).resolve().parent.parent
PACKAGE = REPO / "samvirke"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
# The modules of an app that only the app itself (and the project's URL wiring) may import.
PRIVATE_MODULES = ("views", "citizen_views", "desk_views", "staff_views", "urls", "citizen_urls", "staff_urls")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    # import-linter reads pyproject.toml in the current directory and imports `samvirke` from there.
    return subprocess.run(  # noqa: S603 — our own venv's tool on our own files
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, check=False, timeout=120
    )


def test_the_import_contracts_are_kept() -> None:
    done = lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def copy_of_the_package(into: Path) -> Path:
    shutil.copy(REPO / "pyproject.toml", into / "pyproject.toml")
    shutil.copytree(
        PACKAGE, into / "samvirke", ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "data")
    )
    return into


def test_an_upward_import_breaks_the_layers(tmp_path: Path) -> None:
    root = copy_of_the_package(tmp_path)
    with (root / "samvirke" / "core" / "lib" / "hours.py").open("a", encoding="utf-8") as module:
        module.write("\nfrom samvirke.staffing import models  # planted: the bottom layer importing an app\n")
    done = lint_imports(root)
    assert done.returncode == 1
    assert "samvirke.core is not allowed to import samvirke.staffing" in done.stdout
    assert "samvirke.core.lib.hours -> samvirke.staffing.models" in done.stdout


def test_a_lower_app_importing_a_higher_one_breaks_the_layers(tmp_path: Path) -> None:
    root = copy_of_the_package(tmp_path)
    with (root / "samvirke" / "economy" / "selectors.py").open("a", encoding="utf-8") as module:
        module.write("\nfrom samvirke.staffing import selectors as _staffing  # planted\n")
    done = lint_imports(root)
    assert done.returncode == 1
    assert "samvirke.economy is not allowed to import samvirke.staffing" in done.stdout


def test_a_lib_module_importing_models_breaks_purity(tmp_path: Path) -> None:
    root = copy_of_the_package(tmp_path)
    with (root / "samvirke" / "contact" / "lib" / "kpi.py").open("a", encoding="utf-8") as module:
        module.write("\nfrom samvirke.directory.models import Municipality  # planted\n")
    done = lint_imports(root)
    assert done.returncode == 1
    assert "samvirke.contact.lib is not allowed to import samvirke.directory.models" in done.stdout


def app_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else ""


def private_imports(source: str, own_app: str, where: str) -> list[str]:
    """The imports in `source` (a module of `own_app`) of another app's views or URLs."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if len(parts) >= 3 and parts[0] == "samvirke" and parts[1] != own_app and parts[2] in PRIVATE_MODULES:
                found.append(f"{where}:{node.lineno} imports {name}")
    return found


def test_no_app_imports_another_apps_views() -> None:
    offenders = [
        found
        for path in sorted(PACKAGE.rglob("*.py"))
        if app_of(path) and "migrations" not in path.parts
        for found in private_imports(path.read_text(encoding="utf-8"), app_of(path), str(path.relative_to(REPO)))
    ]
    assert offenders == []


def test_the_views_check_would_catch_one() -> None:
    planted = "from samvirke.assistant.views import HISTORY_KEY\nfrom samvirke.contact.views import desk\n"
    assert private_imports(planted, "contact", "planted.py") == [
        "planted.py:1 imports samvirke.assistant.views",
        "planted.py:1 imports samvirke.assistant.views.HISTORY_KEY",
    ]

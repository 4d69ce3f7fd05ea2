"""What refusing the issue-12 hostile files costs (findings 5 and 13). Run: .venv/bin/python bench/hostile_files.py

Each file goes through what an upload of a business case goes through (read_case_file, then parse_case) and,
for JSON, what the `business-case` command's reader does (load_bounded_json with Decimal). The pass/fail tests
are in tests/security/test_sec_files.py; this only measures. Writes bench/results/hostile_files.json.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.settings")


from samvirke.core.lib.bounded_json import JsonInputError, load_bounded_json  # noqa: E402
from samvirke.economy.lib.business_case import BusinessCaseInputError, parse_case  # noqa: E402
from samvirke.economy.lib.business_case.excel import read_case_file  # noqa: E402
from tests.security.hostile_files import cell_at_the_end_of_the_sheet, zip_bomb  # noqa: E402

CASE = '{"title": "x", "years": [2020], "lines": [{"label": "a", "block": "varig", "area": "Service", "values": [N]}]}'
FILES: dict[str, tuple[str, bytes]] = {
    "xlsx: one cell at XFD1048576": ("case.xlsx", cell_at_the_end_of_the_sheet()),
    "xlsx: a member unpacking to 50 MB": ("case.xlsx", zip_bomb()),
    "xlsx: a CSV renamed .xlsx": ("case.xlsx", b"Linje;Blok\nx;varig\n" * 1000),
    "json: 100,000 levels deep": ("case.json", b"[" * 100_000 + b"]" * 100_000),
    "json: a 5,000-digit amount": ("case.json", CASE.replace("N", "9" * 5000).encode()),
    "json: 1e999999": ("case.json", CASE.replace("N", "1e999999").encode()),
}


def measure(name: str, data: bytes, read: Any) -> dict[str, Any]:
    started_cpu, started = time.process_time(), time.perf_counter()
    try:
        read(name, data)
        outcome = "accepted"
    except (BusinessCaseInputError, JsonInputError) as error:
        outcome = f"refused: {error}"
    return {
        "cpu_ms": round((time.process_time() - started_cpu) * 1000, 2),
        "wall_ms": round((time.perf_counter() - started) * 1000, 2),
        "outcome": outcome[:160],
    }


def upload(name: str, data: bytes) -> None:
    parse_case(read_case_file(name, data))


def command(name: str, data: bytes) -> None:
    parse_case(load_bounded_json(data, parse_float=Decimal))


def main() -> None:
    results = []
    for label, (name, data) in FILES.items():
        row: dict[str, Any] = {"file": label, "bytes": len(data), "upload": measure(name, data, upload)}
        if name.endswith(".json"):
            row["command"] = measure(name, data, command)
        results.append(row)
        print(f"{label:40} {row['upload']['wall_ms']:8.2f} ms  {row['upload']['outcome'][:70]}")
    out = ROOT / "bench" / "results" / "hostile_files.json"
    out.write_text(
        json.dumps(
            {
                "what": "time to refuse the issue-12 hostile uploads (findings 5 and 13), per file",
                "python": platform.python_version(),
                "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()

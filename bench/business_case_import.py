"""What reading an uploaded business-case workbook costs a request. Run: .venv/bin/python bench/business_case_import.py

The upload limit is 5 MB, but an .xlsx is a zip file: highly repetitive cells unpack many times larger, and
openpyxl parses XML parts whole on opening (a sheet without a <dimension> element is scanned end to end just to
size it) before any row limit can act. Measured here, on the same files:
- "unbounded": what the import did before (open the workbook, read every sheet's every row);
- "bounded": samvirke.economy.lib.business_case.excel.read_case_file now (XML parts over 2 MB each or 6 MB in
  all refused unread; only the sheets a business case has, at most 2,000 rows and 80 columns).
Files: a real case (seed 004's case 2 as exported), a hostile 3 MB upload that unpacks to ~46 MB, the largest
sheet the bounds let through (just under 2 MB, no <dimension>, more rows than allowed), and three such sheets.

Writes bench/results/business_case_import.json. Timing depends on the machine; it is not a test.
"""

from __future__ import annotations

import io
import json
import os
import platform
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.settings")

import openpyxl  # noqa: E402

from samvirke.economy.lib.business_case import BusinessCaseInputError, compute_case, parse_case  # noqa: E402
from samvirke.economy.lib.business_case.excel import case_workbook, read_case_file  # noqa: E402

HEADER = ["Linje", "Blok", "Styringsområde", "Udelades af tilbagebetaling", 2016, 2017, 2018, 2019, 2020]


def hostile(rows: int, sheets: int = 1) -> bytes:
    """openpyxl's write-only mode writes no <dimension>, like a crafted file."""
    workbook = openpyxl.Workbook(write_only=True)
    for number in range(sheets):
        sheet = workbook.create_sheet("Tabel 1" if number == 0 else ("Rækketotaler", "Beskrivelse")[number - 1])
        sheet.append(HEADER)
        for row in range(rows):
            sheet.append([f"Linje {row}", "varig", "Service", "", 1, 1, 1, 1, 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def unbounded(data: bytes) -> str:
    """The import before: open, then read every row of every sheet."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    rows = sum(len([tuple(row) for row in sheet.iter_rows(values_only=True)]) for sheet in workbook.worksheets)
    workbook.close()
    return f"read {rows} rows"


def bounded(data: bytes) -> str:
    try:
        case = read_case_file("upload.xlsx", data)
    except BusinessCaseInputError as error:
        return f"refused: {error}"
    return f"read {len(case.get('lines', []))} lines"


def timed(function: Any, data: bytes) -> dict[str, Any]:
    started = time.process_time()
    outcome = function(data)
    return {"cpu_seconds": round(time.process_time() - started, 3), "outcome": outcome[:160]}


def main() -> None:
    case = json.loads((ROOT / "samvirke/economy/data/business_cases/case2.json").read_text(encoding="utf-8"))
    files = {
        "real case (case 2)": case_workbook(case, compute_case(parse_case(case))),
        "hostile: 120,000 rows, no <dimension>": hostile(120_000),
        "largest sheet let through: 5,500 rows": hostile(5_500),
        "three such sheets": hostile(5_500, sheets=3),
    }
    results = []
    for name, data in files.items():
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
        row: dict[str, Any] = {
            "file": name,
            "upload_mb": round(len(data) / 1e6, 2),
            "unpacked_mb": round(sum(p.file_size for p in parts) / 1e6, 2),
            "largest_xml_mb": round(max(p.file_size for p in parts if p.filename.endswith(".xml")) / 1e6, 2),
            "unbounded": timed(unbounded, data),
            "bounded": timed(bounded, data),
        }
        results.append(row)
        print(
            f"{name:42} {row['upload_mb']:6.2f} MB → {row['unpacked_mb']:6.2f} MB  "
            f"before {row['unbounded']['cpu_seconds']:6.2f} s  now {row['bounded']['cpu_seconds']:6.3f} s  "
            f"{row['bounded']['outcome'][:70]}"
        )
    out = ROOT / "bench" / "results" / "business_case_import.json"
    out.write_text(
        json.dumps(
            {
                "what": "CPU seconds to read an uploaded business-case workbook, before and after the bounds",
                "python": platform.python_version(),
                "openpyxl": openpyxl.__version__,
                "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
                "results": results,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"skrev {out}")


if __name__ == "__main__":
    main()

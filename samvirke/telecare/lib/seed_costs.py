"""Seed 003's cost tables from data/costs.json as typed values (costs.SeedCosts).

The file holds Tabel 18 and 19 (chapter 5, mio. kr.), each landsdel's two Bilag B tables (1.000 kr.) with every
municipal row (kommunekode from the directory's municipalities.csv) and Midtjylland's scenario tables 40–42, each
with its seed table number and line (docs/sources.md#seed-003). `parse_seed_costs` checks the shape and raises
ValueError naming the place; `load_seed_costs` reads the shipped file once.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from samvirke.telecare.lib.costs import (
    Landsdel,
    MunicipalRow,
    MunicipalTable,
    NationalTable,
    PrintedLine,
    PrintedRow,
    PrintedShare,
    PrintedSum,
    RegionMunicipalTable,
    Scenario,
    SeedCosts,
)

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "costs.json"


def _decimal(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected a decimal string or null, got {value!r}")
    try:
        number = Decimal(value)
    except InvalidOperation as error:
        raise ValueError(f"{where}: not a number: {value!r}") from error
    if not number.is_finite():
        raise ValueError(f"{where}: not finite: {value!r}")
    return number


def _ints(values: Any, width: int, where: str) -> tuple[int, ...]:
    if not isinstance(values, list) or len(values) != width:
        raise ValueError(f"{where}: expected {width} values, got {values!r}")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{where}: expected whole thousands of kr., got {value!r}")
    return tuple(values)


def _line(data: Any, width: int, where: str) -> PrintedLine:
    return PrintedLine(line=int(data["line"]), values=_ints(data["values"], width, where))


def _national(data: dict[str, Any], where: str) -> NationalTable:
    columns = tuple(data["columns"])
    rows = []
    for row in data["rows"]:
        here = f"{where} {row['key']}"
        if len(row["values"]) != len(columns):
            raise ValueError(f"{here}: {len(row['values'])} values for {len(columns)} columns")
        values = tuple(_decimal(value, here) for value in row["values"])
        rows.append(PrintedRow(row["key"], row["label"], int(row["line"]), values, row.get("parent")))
    keys = {row.key for row in rows}
    if len(keys) != len(rows):
        raise ValueError(f"{where}: a row key is repeated")
    sums = tuple(PrintedSum(item["total"], tuple(item["parts"])) for item in data.get("sums", []))
    shares = tuple(PrintedShare(item["row"], item["of"], Decimal(item["share"])) for item in data.get("shares", []))
    for printed_sum in sums:
        missing = {printed_sum.total, *printed_sum.parts} - keys
        if missing:
            raise ValueError(f"{where}: sums name unknown rows {sorted(missing)}")
    return NationalTable(
        number=int(data["table"]),
        line=int(data["line"]),
        title=data["title"],
        unit=data["unit"],
        columns=columns,
        rows=tuple(rows),
        sums=sums,
        shares=shares,
        period_column=data.get("period_column"),
    )


def _rows(data: list[Any], width: int, where: str) -> tuple[MunicipalRow, ...]:
    rows = tuple(
        MunicipalRow(
            kommunekode=int(row["kommunekode"]),
            name=row["name"],
            line=int(row["line"]),
            values=_ints(row["values"], width, f"{where} {row['name']}"),
            population_over_40=row.get("population_over_40"),
        )
        for row in data
    )
    codes = [row.kommunekode for row in rows]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{where}: a municipality is listed twice")
    return rows


def _landsdel(data: dict[str, Any]) -> Landsdel:
    key = data["key"]
    table = data["region_municipal"]
    columns = tuple(table["columns"])
    width = len(columns)
    municipal = data["municipal"]
    return Landsdel(
        key=key,
        name=data["name"],
        region_code=int(data["region_code"]),
        region_municipal=RegionMunicipalTable(
            number=int(table["table"]),
            line=int(table["line"]),
            title=table["title"],
            region_share=Decimal(table["region_share"]),
            columns=columns,
            total=_line(table["total"], width, f"{key} total"),
            region=_line(table["region"], width, f"{key} region"),
            municipalities=_line(table["municipalities"], width, f"{key} municipalities"),
        ),
        municipal=MunicipalTable(
            number=int(municipal["table"]),
            line=int(municipal["line"]),
            title=municipal["title"],
            columns=tuple(municipal["columns"]),
            rows=_rows(municipal["rows"], len(municipal["columns"]), key),
        ),
    )


def _scenario(data: dict[str, Any]) -> Scenario:
    columns = tuple(data["columns"])
    where = f"Tabel {data['table']}"
    return Scenario(
        number=int(data["table"]),
        line=int(data["line"]),
        label=data["label"],
        region_share=Decimal(data["region_share"]),
        columns=columns,
        region=_line(data["region"], len(columns), f"{where} region"),
        municipalities=_line(data["municipalities"], len(columns), f"{where} municipalities"),
        rows=_rows(data["rows"], len(columns), where),
    )


def parse_seed_costs(data: dict[str, Any]) -> SeedCosts:
    """costs.json's dict as SeedCosts (ValueError naming the table on a malformed file)."""
    try:
        national = data["national"]
        return SeedCosts(
            table_18=_national(national["table_18"], "Tabel 18"),
            table_19=_national(national["table_19"], "Tabel 19"),
            landsdele=tuple(_landsdel(item) for item in data["landsdele"]),
            scenarios=tuple(_scenario(item) for item in data["midtjylland_scenarios"]),
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"costs.json: missing or malformed field {error}") from error


@cache
def load_seed_costs() -> SeedCosts:
    """The shipped data/costs.json (read once)."""
    return parse_seed_costs(json.loads(DATA_FILE.read_text(encoding="utf-8")))

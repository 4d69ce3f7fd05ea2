"""Loading the regions and municipalities shipped in data/municipalities.csv into the database.

Used by the data migration (with its historical models) and by `seed-demo` (so the demo also works on a
database that was flushed). It only creates what is missing: populations that an import changed stay.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from samvirke.directory.lib.reference import REGIONS, parse_municipalities

DATA_FILE = Path(__file__).resolve().parent / "data" / "municipalities.csv"


def ensure_reference_data(region_model: Any, municipality_model: Any) -> int:
    """Create the missing regions and municipalities; return how many municipalities were created."""
    regions = {}
    for code, name in REGIONS.items():
        regions[code], _ = region_model.objects.get_or_create(code=code, defaults={"name": name})
    created = 0
    for record in parse_municipalities(DATA_FILE.read_text(encoding="utf-8")):
        _, was_created = municipality_model.objects.get_or_create(
            code=record.code,
            defaults={
                "name": record.name,
                "region": regions[record.region_code],
                "population": record.population,
                "population_year": record.population_year,
                "population_source": record.population_source,
            },
        )
        created += was_created
    return created

"""Scottish test data: the Orkney and Shetland extracts of the real geography, and extracts
in the Police Scotland layout written by the tests themselves."""

import csv
import random
from pathlib import Path

SCOTLAND = Path(__file__).resolve().parent / "fixtures" / "scotland"
ORKNEY, SHETLAND = "S12000023", "S12000027"
GEOGRAPHY = [("lookups", "dz11_iz11_ltla20.csv"), ("boundaries", "ltla24.geojson"),
             ("boundaries", "dz11.geojson"), ("deprivation", "simd2020_scotland_dz11.csv"),
             ("population", "simd2020_scotland_dz11_indicators.csv")]
HEADER = ["month", "data_zone", "crime_group", "crime_type", "count"]


def load_scotland(*names, command=False):
    from soclocal.areas.imports import run_import
    from soclocal.cli import main

    for kind, name in GEOGRAPHY:
        if not names or name in names:
            if command:
                assert main(["import", kind, str(SCOTLAND / name)]) == 0
            else:
                run_import(kind, SCOTLAND / name)


def lookup_rows():
    with open(SCOTLAND / "dz11_iz11_ltla20.csv", newline="") as f:
        return list(csv.DictReader(f))


def write_extract(path: Path, rows, header=HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def random_extract(seed: int, months, zones, groups: dict, n: int = 300) -> list[list]:
    """Rows drawn at random from the published groups and types (a zone, month, group and
    type may repeat: the counts add up)."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        group = rng.choice(sorted(groups))
        rows.append([rng.choice(months), rng.choice(zones), group,
                     rng.choice(groups[group]), rng.randint(0, 9)])
    return rows

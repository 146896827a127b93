"""From police.uk files through the real import to each local authority's profile JSON, checked
against an independent count of the raw rows through ONS's lookups."""

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from soclocal.areas.models import Area, AreaType
from soclocal.cli import main
from soclocal.crime.imports import import_paths
from soclocal.crime.store import CRIME_TYPES
from tests.profiles.conftest import fixture_csvs

GEOGRAPHY = Path(__file__).resolve().parents[2] / "src" / "soclocal" / "areas" / "demo_data"


def independent_counts():
    """Rows per (local authority, crime type), placed by the LSOA code in each raw row."""
    with open(GEOGRAPHY / "lsoa21_ward24_ltla24.csv", encoding="utf-8-sig") as f:
        lad_of = {r["lsoa21_code"]: r["ltla24_code"] for r in csv.DictReader(f)}
    with open(GEOGRAPHY / "lsoa11_lsoa21_ltla22.csv", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):  # 2011 codes in newer files are carried to 2021
            if r["lsoa11_code"] not in lad_of and r["lsoa21_code"] in lad_of:
                lad_of[r["lsoa11_code"]] = lad_of[r["lsoa21_code"]]
    counts = Counter()
    for path in fixture_csvs():
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                lad = lad_of.get(row["LSOA code"])
                if lad:
                    counts[lad, row["Crime type"]] += 1
    return counts


@pytest.mark.django_db
def test_every_local_authority_profile_counts_equal_the_raw_rows(settings, tmp_path, geography,
                                                                 capsys):
    settings.DATA_DIR = tmp_path
    import_paths([str(p) for p in fixture_csvs()])
    expected = independent_counts()
    lads = Area.objects.filter(type=AreaType.LAD).order_by("code")
    assert lads.count() == 8
    for lad in lads:
        out = tmp_path / f"{lad.code}.json"
        assert main(["profile", lad.code, "--from", "2023-11", "--to", "2024-12",
                     "--format", "json", "--out", str(out)]) == 0
        counts = json.loads(out.read_text())["counts_by_crime_type"]
        assert set(counts) == set(CRIME_TYPES)
        assert counts == {t: expected[lad.code, t] for t in CRIME_TYPES}, lad.name
    assert sum(expected.values()) > 1000

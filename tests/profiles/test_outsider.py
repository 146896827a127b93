"""The acceptance as someone new to the project would run it: a force not in the demo (City of
London Police, 2021, with 2011 LSOA codes), loaded into an empty store with the ordinary
commands, each local authority's JSON profile against a count of the raw rows."""

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from soclocal.cli import main
from soclocal.crime.store import CRIME_TYPES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
STREET = FIXTURES / "crime" / "2021-01-city-of-london-street.csv"
# ONS's lookups cut to the City of London's rows (the full files load the same way).
LSOA11_TO_21 = FIXTURES / "profiles" / "city-of-london-lsoa11-lsoa21-ltla22.csv"
LSOA21_TO_LAD = FIXTURES / "profiles" / "city-of-london-lsoa21-ward24-ltla24.csv"


def raw_counts():
    """Rows per (local authority, crime type), through ONS's 2011 code to authority lookup."""
    with open(LSOA11_TO_21, encoding="utf-8-sig", newline="") as f:
        lad_of = {r["lsoa11_code"]: r["ltla22_code"] for r in csv.DictReader(f)}
    counts, outside = Counter(), 0
    with open(STREET, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["LSOA code"] in lad_of:
                counts[lad_of[row["LSOA code"]], row["Crime type"]] += 1
            else:
                outside += 1
    return counts, outside


@pytest.mark.django_db
def test_a_new_forces_local_authority_profiles_equal_the_raw_rows(settings, tmp_path, capsys):
    settings.DATA_DIR = tmp_path
    assert main(["import", "lookups", str(LSOA11_TO_21), str(LSOA21_TO_LAD)]) == 0
    assert main(["import", "crime", str(STREET)]) == 0
    expected, _outside = raw_counts()
    authorities = sorted({lad for lad, _t in expected})
    assert authorities == ["E09000001"]
    capsys.readouterr()
    for lad in authorities:
        # Without --out the profile is printed, as a person would pipe it.
        assert main(["profile", lad, "--from", "2021-01", "--to", "2021-01",
                     "--format", "json"]) == 0
        printed = capsys.readouterr()
        figures = json.loads(printed.out)
        assert "Saved profile" in printed.err
        assert figures["counts_by_crime_type"] == {t: expected[lad, t] for t in CRIME_TYPES}
        assert figures["total"] == sum(n for (code, _t), n in expected.items() if code == lad)
        # Every row of the file is in the force's total, with or without an LSOA.
        with open(STREET, encoding="utf-8-sig", newline="") as f:
            assert figures["force_totals"][0]["total"] == sum(1 for _ in csv.DictReader(f))
    assert sum(expected.values()) > 100


@pytest.mark.django_db
def test_a_force_name_that_is_not_an_area_name_suggests_the_areas(settings, tmp_path, capsys):
    settings.DATA_DIR = tmp_path
    assert main(["import", "lookups", str(LSOA21_TO_LAD)]) == 0
    capsys.readouterr()
    assert main(["profile", "City of London Police", "--from", "2021-01", "--to", "2021-01",
                 "--format", "json", "--out", str(tmp_path / "x.json")]) == 1
    err = capsys.readouterr().err
    assert "No area has the code or name 'City of London Police'" in err
    assert "City of London (Local authority, E09000001)" in err
    assert not (tmp_path / "x.json").exists()

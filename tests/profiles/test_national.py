"""The national summary: every local authority's counts from the real import, checked against
an independent count of the raw rows through ONS's lookups, in both formats."""

import csv
import json

import pytest

from soclocal.areas.models import Area, AreaType
from soclocal.cli import main
from soclocal.crime.imports import import_paths
from soclocal.crime.store import CRIME_TYPES
from soclocal.profiles.analytics import DEFAULT_HARM_WEIGHTS
from tests.profiles.conftest import fixture_csvs
from tests.profiles.test_end_to_end import independent_counts


@pytest.fixture
def imported(settings, tmp_path, geography):
    settings.DATA_DIR = tmp_path
    import_paths([str(p) for p in fixture_csvs()])
    return tmp_path


@pytest.mark.django_db
def test_national_counts_equal_the_raw_rows_for_every_local_authority(imported):
    out = imported / "national.json"
    assert main(["profile", "national", "--from", "2023-11", "--to", "2024-12",
                 "--format", "json", "--out", str(out)]) == 0
    summary = json.loads(out.read_text())
    expected = independent_counts()
    rows = {a["code"]: a for a in summary["local_authorities"]}
    with_lsoas = set(Area.objects.filter(type=AreaType.LAD, lad_lsoas__isnull=False)
                     .values_list("code", flat=True))
    assert set(rows) == with_lsoas and len(rows) == 8
    for code, row in rows.items():
        assert row["counts_by_crime_type"] == {t: expected[code, t] for t in CRIME_TYPES}
        assert row["total"] == sum(row["counts_by_crime_type"].values())
        harm = sum(n * DEFAULT_HARM_WEIGHTS[t] for t, n in row["counts_by_crime_type"].items())
        assert row["harm"] == pytest.approx(harm, abs=0.01)
        lad = Area.objects.get(type=AreaType.LAD, code=code)
        people = sum(a.population or 0 for a in Area.objects.filter(lad=lad))
        assert row["population"] == people
        assert row["rate_total"] == pytest.approx(1000 * row["total"] / people, abs=0.01)
    assert sum(a["total"] for a in rows.values()) == sum(expected.values()) > 1000
    assert summary["period"]["months_missing"] == [
        m for m in summary["period"]["months"] if m not in ("2023-11", "2023-12", "2024-11",
                                                             "2024-12")]


@pytest.mark.django_db
def test_the_national_csv_has_a_row_per_local_authority_matching_the_profile(imported, capsys):
    assert main(["profile", "national", "--from", "2024-11", "--to", "2024-12",
                 "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert len(rows) == 8
    nottingham = next(r for r in rows if r["code"] == "E06000018")
    profile = imported / "nottingham.json"
    assert main(["profile", "E06000018", "--from", "2024-11", "--to", "2024-12",
                 "--format", "json", "--out", str(profile)]) == 0
    figures = json.loads(profile.read_text())
    assert {t: int(nottingham[t]) for t in CRIME_TYPES} == figures["counts_by_crime_type"]
    assert float(nottingham["harm"]) == figures["harm"]["total"]
    assert float(nottingham["rate_per_1000"]) == figures["rate_total"]


@pytest.mark.django_db
def test_the_national_summary_refuses_other_formats_and_bad_months(imported, capsys):
    assert main(["profile", "national", "--from", "2024-11", "--to", "2024-12",
                 "--format", "pdf"]) == 2
    assert "json or csv" in capsys.readouterr().err
    assert main(["profile", "national", "--from", "2024-13", "--to", "2024-12",
                 "--format", "json"]) == 1
    assert "2024-13" in capsys.readouterr().err

"""`soclocal match-people`: a people file in, likely pairs out, with no database needed."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from soclocal.core.imports import ImportFailed
from soclocal.intelligence.bulk import read_records

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from synthetic_people import generate, write_csv  # noqa: E402


def run(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SOCLOCAL_DATA_DIR"] = str(tmp_path / "var")
    return subprocess.run([sys.executable, "-m", "soclocal.cli", "match-people", *args],
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def people_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("match")
    records, truth = generate(300, seed=21)
    path = folder / "people.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        write_csv(records, f)
    return folder, path, truth


def test_finds_the_planted_pairs_as_json(people_file):
    folder, path, truth = people_file
    done = run(folder, str(path))
    assert done.returncode == 0, done.stderr
    pairs = json.loads(done.stdout)
    found = {(p["reference_left"], p["reference_right"]) for p in pairs}
    assert len(found & truth) / len(found) >= 0.9 and len(found & truth) / len(truth) >= 0.85
    assert set(pairs[0]) == {"reference_left", "reference_right", "probability", "comparisons"}
    assert f"{len(pairs)} pairs at or above 0.8 among 300 records" in done.stderr


def test_csv_output_and_a_higher_threshold(people_file):
    folder, path, _ = people_file
    done = run(folder, str(path), "--format", "csv", "--threshold", "0.999")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows and all(float(r["probability"]) >= 0.999 for r in rows)


def test_problems_are_said_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("ref,name\nA,B\nA,C\n")
    done = run(tmp_path, str(bad))
    assert done.returncode == 1
    assert "bad.csv, line 1, field reference: the header has no column 'reference'" in done.stderr
    assert "Traceback" not in done.stderr
    done = run(tmp_path, str(bad), "--column", "reference=ref")
    assert "bad.csv, line 3, field reference: the reference 'A' is also on line 2" in done.stderr
    done = run(tmp_path, str(bad), "--threshold", "2")
    assert done.returncode == 2 and "from 0 to 1" in done.stderr


def test_read_records_keeps_slips_for_matching():
    data = b"reference,forenames,surname,date_of_birth\nA,Jo,Lee,31/02/2001\nB,,,\n"
    blank = dict.fromkeys(["address", "postcode", "phone", "source"], "")
    assert read_records(data, "p.csv") == [
        {"reference": "A", "forenames": "Jo", "surname": "Lee", "date_of_birth": "31/02/2001",
         **blank},
        {"reference": "B", "forenames": "", "surname": "", "date_of_birth": "", **blank}]
    with pytest.raises(ImportFailed):
        read_records(b"reference\n\n,\n", "p.csv")

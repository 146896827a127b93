"""The force-level NRM view is the Home Office's published figures, unchanged."""

import csv
from pathlib import Path

import pytest

from soclocal.safeguarding import forcewide

PUBLISHED = Path("/work/shared/data/aggregates/"
                 "nrm_referrals_by_police_first_responder_2022q2-2023q4.csv")


def test_the_extract_matches_the_published_statistics():
    if not PUBLISHED.exists():
        pytest.skip("the published NRM statistics are not on this machine")
    with open(PUBLISHED, newline="", encoding="utf-8") as f:
        published = {(r["quarter"], r["Exploitation type"], r["Age at exploitation"]):
                     int(float(r["People"])) for r in csv.DictReader(f)
                     if r["First responder"] == forcewide.FORCE and r["Gender"] == "Total"}
    with open(forcewide.EXTRACT, newline="", encoding="utf-8") as f:
        extract = {(r["quarter"], r["exploitation_type"], r["age"]): int(r["people"])
                   for r in csv.DictReader(f)}
    assert extract == published
    table = forcewide.table()
    assert len(table["rows"]) == 7
    total = table["types"].index("Total")
    assert [r["cells"][total] for r in table["rows"]] == [
        published[(q, "Total", "Total")] for q in sorted({k[0] for k in published})]

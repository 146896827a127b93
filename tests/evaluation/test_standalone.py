"""`soclocal evaluate` from outside: files in, a report out, the planted effect inside its
interval; and bad files named by file, line and field."""

import json

import pytest

from soclocal.cli import main
from tests.evaluation.conftest import EVENTS_HEADER, PEOPLE_HEADER, write_csv
from tests.evaluation.synthetic import generate

COHORT_HEADER = ["ref", "forenames", "surname", "date_of_birth", "postcode", "referral_date",
                 "engaged", "area_code"]


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    # One seeded draw; coverage over many draws is measured by bench/bench_evaluation.py.
    data = generate(600, seed=6)
    folder = tmp_path_factory.mktemp("planted")
    cohort, people, events = data.write(folder)
    out = folder / "report.json"
    assert main(["evaluate", "--cohort", str(cohort), "--police-people", str(people),
                 "--police-events", str(events), "--format", "json", "--out", str(out)]) == 0
    return data, json.loads(out.read_text()), folder


def test_the_json_holds_linkage_groups_and_estimates(planted):
    data, doc, _ = planted
    link = doc["linkage"]
    assert link["cohort"] == 600 and link["police_people"] == len(data.people)
    assert link["found"] + link["not_found"] == 600
    assert abs(link["found_share"] - len(data.links) / 600) < 0.03
    assert doc["window_months"] == 12 and [w["months"] for w in doc["windows"]] == [12, 6]
    for group in ("engaged", "comparison"):
        arrests = doc["groups"][group]["measures"]["arrests"]
        assert {"before", "after", "before_mean", "after_mean"} <= set(arrests)
    measures = {e["measure"] for e in doc["estimates"]}
    assert {"arrested", "arrests", "offences", "missing_episodes", "offences_drugs"} <= measures


def test_each_planted_effect_lies_inside_its_interval(planted):
    data, doc, _ = planted
    by_measure = {e["measure"]: e for e in doc["estimates"]}
    for measure, ratio in data.effect.items():
        estimate = by_measure[measure]
        assert estimate["ratio"]["ci_low"] <= ratio <= estimate["ratio"]["ci_high"], measure
        expected = data.expected_difference(measure, 12)
        difference = estimate["difference"]
        assert difference["ci_low"] <= expected <= difference["ci_high"], measure
        found = estimate["found_only"]["difference"]
        expected_found = data.expected_difference(measure, 12, found_only=True)
        assert found["ci_low"] <= expected_found <= found["ci_high"], measure
        assert abs(expected_found) > abs(expected)


def test_html_and_pdf_reports_and_the_sharing_version(planted, tmp_path):
    _, _, folder = planted
    args = ["evaluate", "--cohort", str(folder / "cohort.csv"), "--police-people",
            str(folder / "people.csv"), "--police-events", str(folder / "events.csv"),
            "--window-months", "6"]
    assert main([*args, "--format", "html", "--out", str(tmp_path / "r.html")]) == 0
    html = (tmp_path / "r.html").read_text()
    assert "Difference-in-differences" in html and "Regression to the mean" in html
    assert "6 months before and after" in html and "<img" in html
    assert main([*args, "--format", "pdf", "--out", str(tmp_path / "r.pdf")]) == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert main([*args, "--format", "json", "--sharing", "--out", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text())["sharing"] is True


def test_bad_files_are_named_by_file_line_and_field(tmp_path, capsys):
    cohort = write_csv(tmp_path / "cohort.csv", COHORT_HEADER, [
        ["A1", "Robin", "Test", "2009-02-30", "", "2023-01-01", "yes", "E05000001"],
        ["A2", "Sam", "Test", "2009-02-01", "", "2023-01-01", "maybe", ""]])
    people = write_csv(tmp_path / "people.csv", PEOPLE_HEADER, [
        ["P1", "Robin", "Test", "2009-02-01", "not a postcode"]])
    events = write_csv(tmp_path / "events.csv", EVENTS_HEADER, [
        ["P1", "2023-05-01", "caution", ""]])
    out = tmp_path / "r.json"
    assert main(["evaluate", "--cohort", str(cohort), "--police-people", str(people),
                 "--police-events", str(events), "--format", "json", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "cohort.csv, line 2, field date_of_birth: '2009-02-30' is not a date" in err
    assert "cohort.csv, line 3, field engaged: engaged must be yes or no" in err
    assert "people.csv, line 2, field postcode" in err
    assert not out.exists()

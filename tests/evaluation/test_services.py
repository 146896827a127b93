"""In the system: importing a police extract (all or nothing), linking the cohort, clerical
review, running and saving an evaluation, and who sees what."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from soclocal.cli import main
from soclocal.core.imports import ImportFailed
from soclocal.core.models import AuditEvent
from soclocal.evaluation import services
from soclocal.evaluation.models import EvaluationRun, Link, PoliceEvent, PoliceExtract
from tests.evaluation.conftest import EVENTS_HEADER, PEOPLE_HEADER, write_csv

pytestmark = pytest.mark.django_db


def test_import_errors_name_file_line_and_field_and_nothing_is_kept(staff, tmp_path):
    people = write_csv(tmp_path / "people.csv", PEOPLE_HEADER, [
        ["P1", "Robin", "Test", "2009-02-01", "NG1 1AA"],
        ["P1", "Robin", "Again", "2009-13-01", ""],
        ["P3", "", "Test", "2009-02-01", "NOTAPOSTCODE"]])
    events = write_csv(tmp_path / "events.csv", EVENTS_HEADER, [
        ["P1", "2023-05-01", "arrest", "violence"],
        ["P1", "2023-05-02", "offence", ""],
        ["P1", "2023-05-03", "missing episode", "theft"],
        ["P1", "yesterday", "caution", "fraud"]])
    with pytest.raises(ImportFailed) as failure:
        services.import_police(staff["analyst"], people, events)
    said = [str(e) for e in failure.value.errors]
    assert "people.csv, line 3, field police_ref: police ref 'P1' is also on line 2: each " \
           "person once" in said
    assert any(s.startswith("people.csv, line 3, field date_of_birth: '2009-13-01' is not")
               for s in said)
    assert "people.csv, line 4, field forenames: forenames is empty" in said
    assert any(s.startswith("people.csv, line 4, field postcode") for s in said)
    assert "events.csv, line 3, field offence_group: an offence needs an offence group" in said
    assert any(s.startswith("events.csv, line 4, field offence_group: a missing episode")
               for s in said)
    assert any(s.startswith("events.csv, line 5, field date:") for s in said)
    assert any(s.startswith("events.csv, line 5, field kind:") for s in said)
    assert PoliceExtract.objects.count() == 0 and PoliceEvent.objects.count() == 0


def test_events_for_people_not_in_the_people_file_are_refused(staff, tmp_path):
    people = write_csv(tmp_path / "people.csv", PEOPLE_HEADER,
                       [["P1", "Robin", "Test", "2009-02-01", ""]])
    events = write_csv(tmp_path / "events.csv", EVENTS_HEADER,
                       [["P9", "2023-05-01", "arrest", ""]])
    with pytest.raises(ImportFailed) as failure:
        services.import_police(staff["analyst"], people, events)
    assert [str(e) for e in failure.value.errors] == [
        "events.csv, line 2, field police_ref: police ref 'P9' is not in the people file"]


def test_the_import_command_says_what_is_wrong_and_imports_a_good_extract(
        cohort_world, tmp_path, capsys):
    bad = write_csv(tmp_path / "bad.csv", ["police_ref", "forenames"], [["P1", "A"]])
    assert main(["evaluation", "import-police", str(bad), str(cohort_world["events"])]) == 1
    assert "bad.csv, line 1, field surname: the header has no column 'surname'" in \
        capsys.readouterr().err
    assert main(["evaluation", "import-police", str(cohort_world["people"]),
                 str(cohort_world["events"])]) == 0
    extract = PoliceExtract.objects.get()
    assert extract.people_rows == 12 and AuditEvent.objects.filter(
        action="import.police_extract").exists()


def test_only_evaluating_analysts_import_link_and_run(cohort_world):
    for role in ("board", "practitioner", "manager", "admin"):
        with pytest.raises(PermissionDenied):
            services.import_police(cohort_world[role], cohort_world["people"],
                                   cohort_world["events"])


@pytest.fixture
def evaluated(cohort_world):
    analyst = cohort_world["analyst"]
    services.import_police(analyst, cohort_world["people"], cohort_world["events"])
    counts = services.link_cohort(analyst)
    run = services.run_evaluation(analyst, comparison="not_engaged", window_months=12)
    return {**cohort_world, "counts": counts, "run": run}


def test_linking_finds_the_ten_in_the_extract_and_not_the_strangers(evaluated):
    assert evaluated["counts"]["cohort"] == 12
    counted = Link.objects.filter(status__in=Link.COUNTED)
    assert counted.count() + Link.objects.filter(status="uncertain").count() == 10
    assert not Link.objects.filter(police_person__police_ref__startswith="S").exists()


def test_the_run_holds_pseudonymous_rows_and_no_names(evaluated):
    run = evaluated["run"]
    text = str(run.figures) + str(run.people)
    for young in evaluated["young"]:
        assert young.first_name not in text and young.last_name not in text
        assert young.date_of_birth.isoformat() not in text
    rows = run.people["12"]
    assert len(rows) == 12 and all(len(r["key"]) == 16 for r in rows)
    doc = run.figures
    assert doc["groups"]["engaged"]["people"] == 6
    assert doc["groups"]["engaged"]["measures"]["arrests"]["before"] >= 4 * 5
    arrests = next(e for e in doc["estimates"] if e["measure"] == "arrests")
    # Engagers: 4 before, 1 after; the comparison group: 3 and 3 (for those found).
    assert arrests["difference"]["estimate"] < 0
    assert run.version == 1
    again = services.run_evaluation(evaluated["analyst"], comparison="both", window_months=6)
    assert again.version == 2 and EvaluationRun.objects.count() == 2


def test_review_confirms_or_rejects_and_a_new_link_run_keeps_the_decision(evaluated):
    link = Link.objects.order_by("probability").first()
    link.status = Link.Status.UNCERTAIN
    link.save()
    services.review_link(evaluated["analyst"], link, "reject")
    services.link_cohort(evaluated["analyst"])
    link.refresh_from_db()
    assert link.status == Link.Status.REJECTED
    assert AuditEvent.objects.filter(action="evaluation.link_rejected").exists()


def test_pages_for_the_analyst_and_the_board(client, evaluated):
    run = evaluated["run"]
    client.force_login(evaluated["analyst"])
    page = client.get(reverse("evaluation:report", args=[run.pk])).content.decode()
    assert "Full version" in page and "Person-level table" in page
    people = client.get(reverse("evaluation:people", args=[run.pk])).content.decode()
    assert run.people["12"][0]["key"] in people
    assert client.get(reverse("evaluation:index")).status_code == 200
    response = client.get(reverse("evaluation:download", args=[run.pk, "json"]))
    assert response["Content-Type"] == "application/json"
    client.force_login(evaluated["board"])
    page = client.get(reverse("evaluation:report", args=[run.pk])).content.decode()
    assert "Sharing version" in page and "Person-level table" not in page
    # The board member cannot get the full version by asking for it.
    full = client.get(reverse("evaluation:download", args=[run.pk, "json"]) + "?version=full")
    assert b'"sharing": true' in full.content
    assert client.get(reverse("evaluation:people", args=[run.pk])).status_code == 403


def test_the_run_form_keeps_what_was_typed(client, evaluated):
    client.force_login(evaluated["analyst"])
    response = client.post(reverse("evaluation:run"), {"comparison": "both",
                                                       "window_months": "99"})
    page = response.content.decode()
    assert response.status_code == 200 and "Enter 1 to 60 months." in page
    assert 'value="99"' in page
    response = client.post(reverse("evaluation:run"), {"comparison": "both",
                                                       "window_months": "6"})
    assert response.status_code == 302


def test_the_review_pages_ask_for_two_factor_where_it_is_required(client, evaluated, settings):
    settings.SOCLOCAL_REQUIRE_2FA = True
    client.force_login(evaluated["analyst"])
    response = client.get(reverse("evaluation:review"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_setup")
    # The aggregate pages do not show names: no code needed for them.
    assert client.get(reverse("evaluation:index")).status_code == 200


def test_the_boards_dashboard_carries_the_latest_evaluations_sharing_headline(client, evaluated):
    run = evaluated["run"]
    client.force_login(evaluated["board"])
    page = client.get(reverse("dashboards:board")).content.decode()
    assert "What changed for the young people the service worked with" in page
    assert f"evaluation version {run.version}" in page
    assert reverse("evaluation:report", args=[run.pk]) in page
    sharing = run.figures["linkage"]["cohort"]
    assert "Young people in the evaluation" in page and str(sharing) in page

"""pabulib files into processes and back out again."""

from pathlib import Path

import pytest
from django.urls import reverse

from soclocal.budgeting import pabulib, rules, services
from soclocal.budgeting.models import Ballot, Process
from soclocal.cli import main
from soclocal.core.imports import ImportFailed
from soclocal.core.models import AuditEvent

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pb"


@pytest.mark.parametrize("name", ["Netherlands_Amsterdam_588.pb", "Poland_Krakow_2019_Bienczyce.pb",
                                  "Switzerland_Zurich_D5.pb"])
def test_import_then_export_round_trips(db, name, tmp_path):
    original = pabulib.parse(FIXTURES / name)
    process = services.import_pb(FIXTURES / name)
    exported = tmp_path / "out.pb"
    exported.write_text(services.export_pb(None, process))
    back = pabulib.parse(exported)
    assert {(p.project_id, p.cost) for p in back.projects} == {
        (p.project_id, p.cost) for p in original.projects}
    assert [(v.voter_id, v.projects, v.points) for v in back.votes] == [
        (v.voter_id, v.projects, v.points) for v in original.votes]
    assert back.vote_type == original.vote_type and back.budget == original.budget
    for rule in (rules.GREEDY, rules.MES):
        assert sorted(rules.allocate(*back.to_pabutools(), rule)) == sorted(
            rules.allocate(*original.to_pabutools(), rule))
    assert AuditEvent.objects.filter(action="import.pb").count() == 1


def test_a_broken_file_imports_nothing(db, tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n"
                   "1;50\nVOTES\nvoter_id;vote\nv1;1\nv2;3\n")
    with pytest.raises(ImportFailed) as failure:
        services.import_pb(bad)
    assert str(failure.value.errors[0]) == (
        "bad.pb, line 11, field vote: the vote names project '3', which is not in PROJECTS")
    assert not Process.objects.exists() and not Ballot.objects.exists()


def test_the_import_and_export_commands(db, tmp_path, capsys):
    assert main(["pb", "import", str(FIXTURES / "Netherlands_Assen_2024.pb")]) == 0
    process = Process.objects.get()
    assert process.rule == rules.MES and process.ballots.count() == 84
    out = tmp_path / "assen.pb"
    assert main(["pb", "export", process.slug, "--output", str(out)]) == 0
    assert len(pabulib.parse(out).votes) == 84


def test_computed_result_of_an_imported_process_matches_the_file(db, make_user):
    from soclocal.core.access import Role

    process = services.import_pb(FIXTURES / "Poland_Krakow_2019_Bienczyce.pb")
    result = services.compute_result(make_user(Role.COMMUNITY_FACILITATOR), process)
    assert sorted(result.funded, key=int) == ["2", "3", "4", "6", "10", "17", "20"]
    assert set(result.reasons) == set(process.bids.values_list("reference", flat=True))


def test_import_page_lists_the_problems(client, make_user, tmp_path):
    from soclocal.core.access import Role

    client.force_login(make_user(Role.COMMUNITY_FACILITATOR))
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;100\nvote_type;favourite\nPROJECTS\n"
                   "project_id;cost\n1;50\nVOTES\nvoter_id;vote\nv1;1\n")
    with open(bad, "rb") as f:
        response = client.post(reverse("budgeting:process_import"), {"file": f})
    assert response.status_code == 200
    assert "bad.pb, field vote_type: META vote_type &#x27;favourite&#x27;" in response.content.decode()

"""The rules against pabutools' own, on real pabulib elections."""

import json
from pathlib import Path

import pytest
from pabutools.election import Cost_Sat, parse_pabulib
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

from soclocal.budgeting import pabulib, rules
from soclocal.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pb"
INSTANCES = sorted(FIXTURES.glob("*.pb"))


def names(allocation):
    return sorted(p.name for p in allocation)


def test_the_real_instances_are_there():
    assert len(INSTANCES) == 5


@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.stem)
def test_greedy_matches_pabutools(path):
    instance, profile = parse_pabulib(str(path))
    ours = rules.allocate(*pabulib.parse(path).to_pabutools(), rules.GREEDY)
    theirs = greedy_utilitarian_welfare(instance, profile, sat_class=rules.SupportTimesCost)
    assert sorted(ours) == names(theirs)
    if profile.__class__.__name__ == "ApprovalProfile":
        # For approvals, greedy by votes is pabutools' greedy with cost satisfaction.
        assert sorted(ours) == names(greedy_utilitarian_welfare(instance, profile,
                                                                sat_class=Cost_Sat))


@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.stem)
def test_greedy_funds_in_order_of_support_within_the_budget(path):
    election = pabulib.parse(path)
    instance, profile = election.to_pabutools()
    funded = rules.allocate(instance, profile, rules.GREEDY)
    support = rules.support(instance, profile)
    cost = {p.project_id: p.cost for p in election.projects}
    left = election.budget
    expected = []
    for pid in sorted(cost, key=lambda p: (-support[p], p)):
        if support[pid] > 0 and cost[pid] <= left:
            expected.append(pid)
            left -= cost[pid]
    assert sorted(funded) == sorted(expected)


@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.stem)
def test_equal_shares_matches_pabutools(path):
    instance, profile = parse_pabulib(str(path))
    ours = rules.allocate(*pabulib.parse(path).to_pabutools(), rules.MES)
    theirs = method_of_equal_shares(instance, profile, sat_class=Cost_Sat,
                                    voter_budget_increment=rules.mes_increment(instance, profile))
    assert sorted(ours) == names(theirs)
    total = sum(p.cost for p in instance if p.name in ours)
    assert total <= instance.budget_limit


@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.stem)
def test_recorded_winners_where_the_city_used_the_same_rule(path):
    election = pabulib.parse(path)
    recorded = sorted(p.project_id for p in election.projects if p.fields.get("selected") == "1")
    rule = election.meta.get("rule", "")
    mine = {"greedy": rules.GREEDY, "equalshares/add1": rules.MES}.get(rule)
    if not recorded or mine is None:
        pytest.skip("no recorded winners under a plain rule")
    assert sorted(rules.allocate(*election.to_pabutools(), mine)) == recorded


def test_allocate_command_prints_ids_and_json(capsys):
    path = FIXTURES / "Poland_Krakow_2019_Bienczyce.pb"
    assert main(["pb", "allocate", str(path), "--rule", "greedy"]) == 0
    ids = capsys.readouterr().out.split()
    assert sorted(ids, key=int) == ["2", "3", "4", "6", "10", "17", "20"]
    assert main(["pb", "allocate", str(path), "--rule", "mes", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert sorted(data["selected"]) == sorted(ids)
    assert data["total"] == sum(data["costs"].values()) <= data["budget"] == 904700


def test_allocate_command_names_the_problem_in_a_broken_file(tmp_path, capsys):
    bad = tmp_path / "broken.pb"
    bad.write_text("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\n"
                   "project_id;cost\n1;50\nVOTES\nvoter_id;vote\nv1;1,7\n")
    assert main(["pb", "allocate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "broken.pb, line 10, field vote: the vote names project '7'" in err
    assert "Traceback" not in err


def test_explanations_say_why(db):
    election = pabulib.parse(FIXTURES / "Netherlands_Amsterdam_588.pb")
    instance, profile = election.to_pabutools()
    funded = rules.allocate(instance, profile, rules.GREEDY)
    outcome = rules.explain(instance, profile, rules.GREEDY, funded)
    assert set(outcome.reasons) == {p.project_id for p in election.projects}
    for pid, reason in outcome.reasons.items():
        assert reason.startswith("Funded" if pid in funded else "Not funded")
    assert outcome.total <= outcome.budget


@pytest.mark.parametrize("rule", [rules.GREEDY, rules.MES])
def test_category_limits_hold_and_without_them_nothing_changes(rule):
    election = pabulib.parse(FIXTURES / "Switzerland_Zurich_D5.pb")
    instance, profile = election.to_pabutools()
    category = {p.project_id: p.fields.get("category", "") for p in election.projects}
    plain = rules.allocate(instance, profile, rule)
    unlimited, capped = rules.apply_category_limits(instance, profile, rule, {}, category)
    assert sorted(unlimited) == sorted(plain) and capped == {}
    cost = {p.project_id: p.cost for p in election.projects}
    limited, capped = rules.apply_category_limits(instance, profile, rule,
                                                  {"Transportation": 10000}, category)
    spent = sum(cost[p] for p in limited if category[p] == "Transportation")
    assert spent <= 10000 and capped
    assert all(category[p] == "Transportation" for p in capped)
    assert sum(cost[p] for p in limited) <= election.budget


def test_the_process_form_reads_limits(db):
    from soclocal.budgeting.forms import ProcessForm

    form = ProcessForm({"name": "F", "budget": "100", "currency": "GBP", "ballot_kind": "approval",
                        "min_choices": "1", "rule": "greedy", "status": "draft",
                        "category_limits": "Housing = 5,000\nYouth work=200"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["category_limits"] == {"Housing": 5000, "Youth work": 200}
    bad = ProcessForm({"name": "F", "budget": "100", "currency": "GBP", "ballot_kind": "approval",
                       "min_choices": "1", "rule": "greedy", "status": "draft",
                       "category_limits": "Housing lots"})
    assert "Line 1 should be a theme" in str(bad.errors)


@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.stem)
@pytest.mark.parametrize("increment", [0, 1])
def test_allocate_command_with_a_chosen_increment_matches_pabutools(path, increment, capsys):
    instance, profile = parse_pabulib(str(path))
    theirs = method_of_equal_shares(instance, profile, sat_class=Cost_Sat,
                                    voter_budget_increment=increment or None)
    assert main(["pb", "allocate", str(path), "--rule", "mes", "--increment", str(increment),
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert sorted(data["selected"]) == names(theirs) and data["increment"] == increment


def test_a_bad_increment_is_named(capsys):
    path = FIXTURES / "Netherlands_Assen_2024.pb"
    with pytest.raises(SystemExit):
        main(["pb", "allocate", str(path), "--rule", "mes", "--increment", "-5"])
    assert "-5 is negative: give 0 or more" in capsys.readouterr().err

"""Reading pabulib files: every ballot kind, broken files named by line and field, round trips."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soclocal.budgeting import pabulib
from soclocal.core.imports import ImportFailed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pb"

HEAD = "META\nkey;value\nbudget;100\nvote_type;{vt}\nPROJECTS\nproject_id;cost;name\n" \
       "a;40;Garden\nb;30;Football\nc;50;Mural\n"


def text(vote_type, votes, header="voter_id;vote"):
    return HEAD.format(vt=vote_type) + "VOTES\n" + header + "\n" + "".join(v + "\n" for v in votes)


def problems_of(content):
    with pytest.raises(ImportFailed) as failure:
        pabulib.parse_string(content, "test.pb")
    return failure.value.errors


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.pb")), ids=lambda p: p.stem)
def test_every_real_file_reads_and_agrees_with_pabutools(path):
    election = pabulib.parse(path)
    instance, profile = election.to_pabutools()
    assert len(instance) == len(election.projects) == int(election.meta["num_projects"])
    assert len(profile) == len(election.votes) == int(election.meta["num_votes"])


def test_each_ballot_kind():
    approval = pabulib.parse_string(text("approval", ["1;a,b", "2;c", "3;"]))
    assert [v.projects for v in approval.votes] == [["a", "b"], ["c"], []]
    ranked = pabulib.parse_string(text("ordinal", ["1;c,a,b"]))
    assert ranked.votes[0].projects == ["c", "a", "b"]
    cumulative = pabulib.parse_string(text("cumulative", ["1;a,c;3,2"], "voter_id;vote;points"))
    assert cumulative.votes[0].points == [Decimal(3), Decimal(2)]
    scoring = pabulib.parse_string(text("scoring", ["1;a;5"], "voter_id;vote;points"))
    assert scoring.vote_type == "scoring"
    for election in (approval, ranked, cumulative, scoring):
        election.to_pabutools()


def test_the_problems_name_line_and_field():
    errors = problems_of(text("approval", ["1;a", "2;a,z", "2;b"]))
    assert [str(e) for e in errors] == [
        "test.pb, line 13, field vote: the vote names project 'z', which is not in PROJECTS",
        "test.pb, line 14, field voter_id: voter '2' appears twice (first on line 13)",
    ]


def test_missing_sections_and_wrong_vote_type():
    no_votes = HEAD.format(vt="approval")
    assert "the file has no VOTES section" in [e.reason for e in problems_of(no_votes)]
    wrong = problems_of(text("plurality", ["1;a"]))
    assert wrong[0].field == "vote_type" and "plurality" in wrong[0].reason
    assert any("must start with a META" in e.reason
               for e in problems_of("hello\n" + text("approval", [])))


def test_points_must_match_the_projects():
    errors = problems_of(text("cumulative", ["1;a,b;3"], "voter_id;vote;points"))
    assert errors[0].line == 12 and errors[0].field == "points"
    errors = problems_of(text("cumulative", ["1;a;x"], "voter_id;vote;points"))
    assert "not numbers" in errors[0].reason


ids = st.text(alphabet="abcdefghij0123456789", min_size=1, max_size=4)


@st.composite
def elections(draw):
    vote_type = draw(st.sampled_from(["approval", "ordinal", "cumulative"]))
    project_ids = draw(st.lists(ids, min_size=1, max_size=6, unique=True))
    projects = [pabulib.PbProject(p, Decimal(draw(st.integers(0, 500))), {"name": f"Bid {p}"})
                for p in project_ids]
    votes = []
    for n in range(draw(st.integers(0, 8))):
        chosen = draw(st.lists(st.sampled_from(project_ids), unique=True, max_size=len(project_ids)))
        points = [Decimal(draw(st.integers(1, 9))) for _ in chosen] \
            if vote_type == "cumulative" else None
        votes.append(pabulib.PbVote(f"v{n}", chosen, points))
    meta = {"budget": draw(st.integers(1, 2000)), "vote_type": vote_type}
    return meta, projects, votes


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(elections())
def test_writing_then_reading_gives_the_same_election(election):
    meta, projects, votes = election
    back = pabulib.parse_string(pabulib.write(meta, projects, votes))
    assert [(p.project_id, p.cost) for p in back.projects] == [(p.project_id, p.cost)
                                                              for p in projects]
    assert [(v.voter_id, v.projects, v.points) for v in back.votes] == [
        (v.voter_id, v.projects, v.points) for v in votes]
    back.to_pabutools()


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(elections(), st.data())
def test_a_broken_line_is_always_named(election, data):
    meta, projects, votes = election
    good = pabulib.write(meta, projects, votes).splitlines()
    breakage = data.draw(st.sampled_from(
        ["unknown project", "drop section", "bad cost", "extra column", "bad vote type"]))
    lines = list(good)
    if breakage == "unknown project":
        lines.append("intruder;NOPE" + (";1" if meta["vote_type"] == "cumulative" else ""))
        expect_line = len(lines)
    elif breakage == "drop section":
        section = data.draw(st.sampled_from(["META", "PROJECTS", "VOTES"]))
        lines[lines.index(section)] = "# gone"
        expect_line = None
    elif breakage == "bad cost":
        at = lines.index("PROJECTS") + 2
        parts = lines[at].split(";")
        parts[1] = "lots"
        lines[at] = ";".join(parts)
        expect_line = at + 1
    elif breakage == "extra column":
        at = lines.index("PROJECTS") + 2
        lines[at] += ";surplus"
        expect_line = at + 1
    else:
        lines[lines.index("vote_type;" + meta["vote_type"])] = "vote_type;best-of-three"
        expect_line = None
    with pytest.raises(ImportFailed) as failure:
        pabulib.parse_string("\n".join(lines) + "\n", "x.pb")
    errors = failure.value.errors
    assert errors and all(str(e).startswith("x.pb") for e in errors)
    if expect_line is not None:
        assert expect_line in [e.line for e in errors]


def test_an_empty_or_missing_file(tmp_path):
    empty = tmp_path / "empty.pb"
    empty.write_text("")
    with pytest.raises(ImportFailed, match="empty.pb: the file is empty"):
        pabulib.parse(empty)
    with pytest.raises(ImportFailed, match="there is no such file"):
        pabulib.parse(tmp_path / "nothing.pb")

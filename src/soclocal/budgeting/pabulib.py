"""Reading and writing pabulib `.pb` files, the common format of participatory budgeting votes.

A `.pb` file has three `;`-separated sections: META (key;value), PROJECTS (a header starting
project_id;cost) and VOTES (a header starting voter_id, with a `vote` column and, for scoring
and cumulative ballots, a `points` column). pabutools' own parser builds the election; it
assumes a well-formed file, so every line is checked here first and each problem is named
by file, line and field.
"""

import csv
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from soclocal.core.imports import ImportFailed, Problems, TooManyProblems, read_text

VOTE_TYPES = ("approval", "choose-1", "ordinal", "cumulative", "scoring")
SECTIONS = ("meta", "projects", "votes")


@dataclass
class PbProject:
    project_id: str
    cost: Decimal
    fields: dict = field(default_factory=dict)  # every other column, e.g. name, category


@dataclass
class PbVote:
    voter_id: str
    projects: list[str]
    points: list[Decimal] | None = None
    fields: dict = field(default_factory=dict)


@dataclass
class PbElection:
    meta: dict
    projects: list[PbProject]
    votes: list[PbVote]
    text: str  # the checked text, for pabutools

    @property
    def vote_type(self) -> str:
        return self.meta["vote_type"]

    @property
    def budget(self) -> Decimal:
        return _number(self.meta["budget"])

    def to_pabutools(self):
        from pabutools.election.pabulib import parse_pabulib_from_string

        # pabutools reads the checked election written out again, in the form it expects.
        return parse_pabulib_from_string(write(self.meta, self.projects, self.votes))


def _number(text: str) -> Decimal:
    value = Decimal(text.strip().replace(",", "."))
    if not value.is_finite():
        raise InvalidOperation
    return value


def parse(path, name: str | None = None) -> PbElection:
    """Read and check a `.pb` file; raise ImportFailed listing every problem."""
    path = Path(path)
    problems = Problems(name or path.name)
    try:
        if not path.is_file():
            problems.add("there is no such file")
            problems.raise_if_any()
        text = read_text(path, problems)
        problems.raise_if_any()
        election = parse_text(text, problems)
    except TooManyProblems:
        raise ImportFailed(problems) from None
    problems.raise_if_any()
    return election


def parse_string(text: str, name: str = "pasted text") -> PbElection:
    problems = Problems(name)
    try:
        election = parse_text(text, problems)
    except TooManyProblems:
        raise ImportFailed(problems) from None
    problems.raise_if_any()
    return election


def parse_text(text: str, problems: Problems) -> PbElection | None:
    meta, projects, votes = {}, [], []
    section, header, seen = None, None, []
    vote_rows = []
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        raw = lines[number]
        number += 1
        if not raw.strip():
            continue
        try:
            row = next(csv.reader([raw], delimiter=";"))
        except csv.Error as e:
            problems.add(f"the line cannot be read: {e}", line=number)
            continue
        first = row[0].strip().lower() if row else ""
        if len(row) == 1 and first in SECTIONS:
            if first in seen:
                problems.add(f"the {first.upper()} section appears twice", line=number)
            expected = SECTIONS[len(seen)] if len(seen) < 3 else None
            if first != expected and first not in seen:
                problems.add(f"the {first.upper()} section is out of order: the sections must "
                             "be META, PROJECTS, VOTES", line=number)
            seen.append(first)
            section = first
            # The next non-blank line is the section's header.
            while number < len(lines) and not lines[number].strip():
                number += 1
            if number >= len(lines):
                problems.add(f"the {first.upper()} section has no header line", line=number)
                header = None
                break
            header = [h.strip() for h in lines[number].split(";")]
            number += 1
            _check_header(section, header, problems, number)
            continue
        if section is None:
            problems.add("the file must start with a META section", line=number)
            section = "junk"
            continue
        if section == "junk" or header is None:
            continue
        row = [v.strip() for v in row]
        if section == "meta" and len(row) >= 2:
            # A value may hold ';' (free-text comments); the key is what matters.
            row = [row[0], ";".join(row[1:])] + [""] * (len(header) - 2)
        if len(row) != len(header):
            problems.add(f"this line has {len(row)} values but the {section.upper()} header has "
                         f"{len(header)} columns", line=number)
            continue
        values = dict(zip(header, row, strict=True))
        if section == "meta":
            key = row[0]
            if key in meta:
                problems.add(f"the key '{key}' appears twice", line=number, field=key)
            meta[key] = row[1] if len(row) > 1 else ""
        elif section == "projects":
            project = _project(values, problems, number)
            if project is not None:
                projects.append((number, project))
        elif section == "votes":
            vote_rows.append((number, values))
    for needed in SECTIONS:
        if needed not in seen:
            problems.add(f"the file has no {needed.upper()} section")
    if problems:
        return None

    vote_type = meta.get("vote_type", "").lower()
    if "budget" not in meta:
        problems.add("META has no 'budget'", field="budget")
    else:
        try:
            if _number(meta["budget"]) <= 0:
                raise InvalidOperation
        except InvalidOperation:
            problems.add(f"the budget '{meta['budget']}' is not a positive number", field="budget")
    if vote_type not in VOTE_TYPES:
        problems.add(f"META vote_type '{meta.get('vote_type', '')}' is not one of "
                     f"{', '.join(VOTE_TYPES)}", field="vote_type")
    ids = {}
    for line, project in projects:
        if project.project_id in ids:
            problems.add(f"project '{project.project_id}' appears twice (first on line "
                         f"{ids[project.project_id]})", line=line, field="project_id")
        ids.setdefault(project.project_id, line)
    if not projects:
        problems.add("the PROJECTS section lists no projects")
    if problems:
        return None

    voters = {}
    for line, values in vote_rows:
        voter = values.get("voter_id", "")
        if voter and voter in voters:
            problems.add(f"voter '{voter}' appears twice (first on line {voters[voter]})",
                         line=line, field="voter_id")
        voters.setdefault(voter, line)
        vote = _vote(values, vote_type, ids, problems, line)
        if vote is not None:
            votes.append(vote)
    if problems:
        return None
    meta["vote_type"] = vote_type
    return PbElection(meta, [p for _, p in projects], votes, text)


def _check_header(section, header, problems, line):
    need = {"meta": ["key", "value"], "projects": ["project_id", "cost"],
            "votes": ["voter_id", "vote"]}[section]
    for column in need:
        if column not in header:
            problems.add(f"the {section.upper()} header has no column '{column}'",
                         line=line, field=column)


def _project(values, problems, line):
    pid = values.get("project_id", "")
    if not pid:
        problems.add("the project has no id", line=line, field="project_id")
        return None
    if "," in pid:
        problems.add(f"the project id '{pid}' contains a comma", line=line, field="project_id")
        return None
    try:
        cost = _number(values.get("cost", ""))
        if cost < 0:
            raise InvalidOperation
    except InvalidOperation:
        problems.add(f"the cost '{values.get('cost', '')}' is not a number of zero or more",
                     line=line, field="cost")
        return None
    rest = {k: v for k, v in values.items() if k not in ("project_id", "cost")}
    return PbProject(pid, cost, rest)


def _vote(values, vote_type, ids, problems, line):
    voter = values.get("voter_id", "")
    if not voter:
        problems.add("the vote has no voter id", line=line, field="voter_id")
        return None
    raw_vote = values.get("vote", "")
    chosen = [] if raw_vote.lower() == "none" else [
        p.strip() for p in raw_vote.split(",") if p.strip()]
    ok = True
    for pid in chosen:
        if pid not in ids:
            problems.add(f"the vote names project '{pid}', which is not in PROJECTS",
                         line=line, field="vote")
            ok = False
    if len(set(chosen)) != len(chosen):
        problems.add("the vote names the same project more than once", line=line, field="vote")
        ok = False
    if vote_type == "choose-1" and len(chosen) > 1:
        problems.add("a choose-1 vote names more than one project", line=line, field="vote")
        ok = False
    points = None
    if vote_type in ("cumulative", "scoring"):
        raw = values.get("points")
        if raw is not None and raw.lower() == "none":
            raw = ""
        if raw is None:
            problems.add(f"{vote_type} votes need a 'points' column", line=line, field="points")
            return None
        try:
            points = [_number(p) for p in raw.split(",") if p.strip()]
        except InvalidOperation:
            problems.add(f"the points '{raw}' are not numbers", line=line, field="points")
            return None
        if len(points) != len(chosen):
            problems.add(f"the vote names {len(chosen)} projects but gives {len(points)} points",
                         line=line, field="points")
            ok = False
        if any(p < 0 for p in points) and vote_type == "cumulative":
            problems.add("cumulative points cannot be negative", line=line, field="points")
            ok = False
    if not ok:
        return None
    rest = {k: v for k, v in values.items() if k not in ("voter_id", "vote", "points")}
    return PbVote(voter, chosen, points, rest)


def _plain(value) -> str:
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f")
    return str(value)


def write(meta: dict, projects: list[PbProject], votes: list[PbVote]) -> str:
    """The text of a `.pb` file. Values may not contain ';' or line breaks, so they are
    replaced: the format has no quoting that every reader understands."""

    def clean(v):
        return _plain(v).replace(";", ",").replace("\r", " ").replace("\n", " ")

    out = ["META", "key;value"]
    out += [f"{clean(k)};{clean(v)}" for k, v in meta.items()]
    extra = []
    for p in projects:
        extra += [k for k in p.fields if k not in extra]
    out += ["PROJECTS", ";".join(["project_id", "cost", *extra])]
    for p in projects:
        out.append(";".join([clean(p.project_id), clean(p.cost),
                             *[clean(p.fields.get(k, "")) for k in extra]]))
    with_points = any(v.points is not None for v in votes) or meta.get("vote_type") in (
        "cumulative", "scoring")
    out += ["VOTES", ";".join(["voter_id", "vote", *(["points"] if with_points else [])])]
    for v in votes:
        row = [clean(v.voter_id), ",".join(v.projects)]
        if with_points:
            row.append(",".join(_plain(p) for p in (v.points or [])))
            if not v.projects:
                # pabutools reads an empty points list only as "none".
                row = [row[0], "none", "none"]
        out.append(";".join(row))
    return "\n".join(out) + "\n"

"""Partner uploads: every problem with file, line and reason; a bad file changes nothing."""

from hypothesis import given, settings
from hypothesis import strategies as st

from soclocal.core.imports import Problems, parse_csv
from soclocal.safeguarding.imports import check_rows
from soclocal.safeguarding.models import IndicatorValue

BAD = (
    "area_code,period,indicator,count,denominator\n"
    "E01900001,2025,crisis_grants,12,\n"        # line 2: good, but the file fails
    "E01999999,2025,crisis_grants,3,\n"         # line 3: unknown area
    "E01900002,2025,crisis_grants,-3,\n"        # line 4: negative count
    "E01900003,2025,crisis_grants,30,\n"
    "E01900003,2025,crisis_grants,31,\n"        # line 6: duplicate of line 5
    "E01900001,2025-13,crisis_grants,1,\n"      # line 7: bad period
    "E01900001,2025,evictions,1,\n"             # line 8: unknown indicator
    "E01900002,2025,exclusions,2.5,\n"          # line 9: not a whole number
    "E01900001,2025,exclusions,9,8\n"           # line 10: denominator smaller than count
)


def test_a_bad_file_names_every_problem_and_changes_nothing(client, loaded, analyst):
    before = sorted(IndicatorValue.objects.values_list("area__code", "period", "count"))
    client.force_login(analyst)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/vulnerability/upload/", {
        "file": SimpleUploadedFile("housing-2025.csv", BAD.encode(), "text/csv")})
    assert response.status_code == 200
    problems = [str(p) for p in response.context["problems"]]
    assert problems == [
        "housing-2025.csv, line 3, field area_code: unknown area code 'E01999999' (not a "
        "loaded LSOA or data zone)",
        "housing-2025.csv, line 4, field count: count '-3' is not a whole number of 0 or more",
        "housing-2025.csv, line 6: duplicate row: E01900003, 2025, crisis_grants is already on "
        "line 5",
        "housing-2025.csv, line 7, field period: bad period '2025-13': write YYYY, YYYY-Qn or "
        "YYYY-MM",
        "housing-2025.csv, line 8, field indicator: unknown indicator 'evictions'; define it on "
        "the indicators page first",
        "housing-2025.csv, line 9, field count: count '2.5' is not a whole number of 0 or more",
        "housing-2025.csv, line 10, field denominator: denominator 8 is smaller than the count 9",
    ]
    assert "nothing has changed" in response.content.decode()
    assert sorted(IndicatorValue.objects.values_list("area__code", "period", "count")) == before


def test_a_good_upload_replaces_figures_and_moves_the_index(client, loaded, analyst):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(analyst)
    before = {a["code"]: a["index"] for a in
              client.get("/api/v1/safeguarding/index?period=2025").json()["areas"]}
    response = client.post("/vulnerability/upload/", {"file": SimpleUploadedFile(
        "update.csv", b"area_code,period,indicator,count\nE01900001,2025,crisis_grants,90\n")})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(area__code="E01900001", indicator__code="crisis_grants",
                                      period="2025").count == 90
    after = {a["code"]: a["index"] for a in
             client.get("/api/v1/safeguarding/index?period=2025").json()["areas"]}
    assert after["E01900001"] > before["E01900001"]


def test_a_missing_column_is_named(client, indicators, analyst, tmp_path):
    from soclocal.core.imports import ImportFailed
    from soclocal.safeguarding.imports import import_indicators

    path = tmp_path / "short.csv"
    path.write_text("area_code,period,count\nE01900001,2025,3\n")
    try:
        import_indicators(path)
    except ImportFailed as e:
        assert [str(p) for p in e.errors] == [
            "short.csv, line 1, field indicator: the header has no column 'indicator'"]
    else:
        raise AssertionError("the import should have failed")


def test_the_command_line_import(loaded, tmp_path, capsys):
    from soclocal.cli import main

    bad = tmp_path / "bad.csv"
    bad.write_text("area_code,period,indicator,count\nE01999999,2025,crisis_grants,3\n")
    assert main(["safeguarding", "import-indicators", str(bad)]) == 1
    assert "bad.csv, line 2, field area_code: unknown area code" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_text("area_code,period,indicator,count\nE01900002,2025-Q1,crisis_grants,7\n")
    assert main(["safeguarding", "import-indicators", str(good)]) == 0
    assert IndicatorValue.objects.filter(period="2025-Q1", count=7).exists()
    assert not IndicatorValue.objects.filter(area__code="E01999999").exists()


# The parser's rules, as properties ----------------------------------------------------------

AREAS = {"E01000001": 1, "E01000002": 2}
INDICATORS = {"crisis_grants": 1}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(AREAS) + ["E0XBAD"]),
                          st.integers(min_value=-5, max_value=50),
                          st.one_of(st.none(), st.integers(min_value=0, max_value=60))),
                min_size=1, max_size=12))
def test_a_row_is_accepted_exactly_when_it_is_valid(rows):
    lines = ["area_code,period,indicator,count,denominator"]
    lines += [f"{a},2025,crisis_grants,{c},{'' if d is None else d}" for a, c, d in rows]
    problems = Problems("p.csv")
    csv_file = parse_csv("\n".join(lines).encode(), problems)
    good = check_rows(csv_file, problems, areas=AREAS, indicators=INDICATORS)
    seen, expected_bad = set(), set()
    for line, (a, c, d) in enumerate(rows, start=2):
        valid = a in AREAS and c >= 0 and (d is None or d >= c)
        if a in seen:
            valid = False
        seen.add(a)
        if not valid:
            expected_bad.add(line)
    assert {p.line for p in problems} == expected_bad
    assert len(good) == len(rows) - len(expected_bad)
    assert all(p.file == "p.csv" and p.reason for p in problems)

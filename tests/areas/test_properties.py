"""Property tests for the importers: garbage never half-imports; valid rows round-trip."""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soclocal.areas.imports import run_import
from soclocal.areas.models import Deprivation
from soclocal.core.imports import ImportFailed

from .conftest import snapshot

HEADER = ["dz11_code", "IMD_decile", "Income_decile", "Access_decile", "IMD_rank",
          "Income_rank", "Access_rank"]
PROPERTY_SETTINGS = settings(max_examples=40, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture])

deciles = st.integers(1, 10)
ranks = st.integers(1, 6976)
readings = st.fixed_dictionaries({
    "IMD_decile": deciles, "Income_decile": deciles, "Access_decile": deciles,
    "IMD_rank": ranks, "Income_rank": ranks,
    "Access_rank": st.one_of(ranks, ranks.map(lambda r: r + 0.5)),  # tied ranks are means
})
zone_codes = st.integers(6506, 13481).map(lambda n: f"S01{n:06d}")


def write_csv(path, rows, line_ending="\n", bom=False):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_ending)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([row[c] for c in HEADER])
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode())


def rows_for(codes, values):
    return [{"dz11_code": c, **v} for c, v in zip(codes, values, strict=False)]


@PROPERTY_SETTINGS
@given(codes=st.lists(zone_codes, min_size=1, max_size=15, unique=True),
       values=st.lists(readings, min_size=15, max_size=15),
       line_ending=st.sampled_from(["\n", "\r\n"]), bom=st.booleans())
def test_valid_rows_round_trip(db, tmp_path, codes, values, line_ending, bom):
    rows = rows_for(codes, values)
    path = tmp_path / "simd.csv"
    write_csv(path, rows, line_ending, bom)
    result = run_import("deprivation", path)
    assert result.flavour == "simd2020" and result.rows == len(rows)
    for row in rows:
        stored = Deprivation.objects.get(area__code=row["dz11_code"], index="simd2020")
        assert (stored.decile, stored.rank) == (row["IMD_decile"], row["IMD_rank"])
        assert stored.domains["access"] == {"decile": row["Access_decile"],
                                            "rank": row["Access_rank"], "score": None}


garbage = st.one_of(
    st.text(min_size=1, max_size=60).filter(lambda t: t.strip() and "\x00" not in t),
    st.lists(st.text(max_size=8), min_size=1, max_size=10).map(",".join),
    st.binary(min_size=1, max_size=40).map(lambda b: b.decode("latin-1")),
).filter(lambda t: t.strip(",\r\n \t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"))


@PROPERTY_SETTINGS
@given(codes=st.lists(zone_codes, min_size=2, max_size=10, unique=True),
       values=st.lists(readings, min_size=10, max_size=10),
       junk=garbage, at=st.integers(0, 10), raw_latin1=st.booleans())
def test_garbage_lines_never_half_import(db, tmp_path, codes, values, junk, at, raw_latin1):
    rows = rows_for(codes, values)
    path = tmp_path / "simd.csv"
    write_csv(path, rows)
    lines = path.read_bytes().splitlines(keepends=True)
    encoded = junk.encode("latin-1", "replace") if raw_latin1 else junk.encode()
    lines.insert(1 + min(at, len(lines) - 1), encoded.replace(b"\n", b" ") + b"\n")
    path.write_bytes(b"".join(lines))

    before = snapshot()
    try:
        result = run_import("deprivation", path)
    except ImportFailed as failed:
        assert failed.errors
        assert all(e.file == "simd.csv" for e in failed.errors)
        assert snapshot() == before
    else:
        # Only a line that happens to be a valid row (or blank) can get through.
        assert result.rows in (len(rows), len(rows) + 1)


@pytest.mark.parametrize("line_ending", ["\n", "\r\n"])
def test_every_problem_is_listed_not_only_the_first(db, tmp_path, line_ending):
    rows = [{"dz11_code": f"S01{6506 + i:06d}", "IMD_decile": 0 if i % 2 else 5,
             "Income_decile": 1, "Access_decile": 1, "IMD_rank": 1, "Income_rank": 1,
             "Access_rank": 1} for i in range(6)]
    write_csv(tmp_path / "s.csv", rows, line_ending)
    with pytest.raises(ImportFailed) as failed:
        run_import("deprivation", tmp_path / "s.csv")
    assert [e.line for e in failed.value.errors] == [3, 5, 7]

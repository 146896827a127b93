"""Property-based checks of the row rules: a row goes in exactly when the rules say so."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soclocal.crime import store
from soclocal.crime.imports import HEADERS, CrimeImportFailed, import_paths

pytestmark = pytest.mark.django_db

HEADER = ",".join(HEADERS["street"])
coordinate = st.one_of(st.just(""), st.floats(-20, 70, allow_nan=False).map(lambda x: f"{x:.6f}"),
                       st.sampled_from(["abc", "1e400", "-1.5.2"]))


def expected_ok(month, lon, lat, lsoa, crime_type):
    def number(v):
        try:
            return float(v)
        except ValueError:
            return None
    if month != "2023-01" or crime_type not in store.CRIME_TYPES:
        return False
    if lsoa and not re.fullmatch(r"[EW]01\d{6}", lsoa):
        return False
    if (lon == "") != (lat == ""):
        return False
    if lon:
        x, y = number(lon), number(lat)
        if x is None or y is None or not (-8.7 <= x <= 1.8 and 49.8 <= y <= 60.9):
            return False
    return True


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(month=st.sampled_from(["2023-01", "2023-02", "2023-1", "23-01", "2023-00"]),
       lon=coordinate, lat=coordinate,
       lsoa=st.sampled_from(["", "E01013810", "W01000001", "E0101381", "S01000001", "e01013810"]),
       crime_type=st.sampled_from([*store.CRIME_TYPES[:3], "Fraud", "burglary"]))
def test_a_row_is_accepted_exactly_when_the_rules_allow(data_dir, tmp_path, month, lon, lat,
                                                        lsoa, crime_type):
    path = tmp_path / "2023-01-test-street.csv"
    row = ["", month, "Test Police", "Test Police", lon, lat, "On or near Here", lsoa,
           "Somewhere 001A", crime_type, "", ""]
    path.write_text(HEADER + "\n" + ",".join(row) + "\n", encoding="utf-8")
    try:
        import_paths([path])
        accepted = True
    except CrimeImportFailed as failure:
        accepted = False
        assert all(e.line == 2 for e in failure.errors)
    assert accepted == expected_ok(month, lon, lat, lsoa, crime_type)

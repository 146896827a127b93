"""CSV exports never hand a spreadsheet a formula someone typed."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from soclocal.core import spreadsheet


def written(row):
    out = io.StringIO()
    spreadsheet.writer(out).writerow(row)
    return next(csv.reader(io.StringIO(out.getvalue())))


@given(st.text())
def test_no_text_cell_starts_a_formula_and_nothing_is_lost(text):
    (cell,) = written([text])
    if cell.startswith(spreadsheet.FORMULA_START):
        float(cell.rstrip("%"))  # only numbers may start with a sign
    assert cell in (text, "'" + text)


def test_formulas_are_defused_and_numbers_kept():
    assert written(["=HYPERLINK(\"http://x\")", "@SUM(A1)", "+1+1", "-2154", "-16.63%", 7, -3]) \
        == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'+1+1", "-2154", "-16.63%", "7", "-3"]

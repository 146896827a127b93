"""CSV files that open safely in a spreadsheet.

A cell that starts with =, +, -, @ or a tab is read by spreadsheet programs as a formula, so
text that someone typed (a story, a theme, a place) could run as one on an analyst's machine.
Such text gets a leading apostrophe, which spreadsheets show as plain text; numbers, negative
ones included, are written as they are.
"""

import csv
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


class _Writer:
    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row):
        return self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(stream, **options):
    """Like csv.writer, with every text cell made safe to open in a spreadsheet."""
    return _Writer(stream, **options)

"""Where each crime is among 2021's LSOAs, read from the geography snapshot without Django.

police.uk files give each crime the LSOA code of its day, 2011's or 2021's. The snapshot
(`areas/snapshot.py`, files `lsoa-codes-<stamp>` and `lsoa-boundaries-<stamp>`) says what each
code becomes in 2021. `Geography(con, codes, boundaries)` puts that in DuckDB for the import's
queries to join:

- the table `geo` (code, lsoa21, split): a 2021 code to itself, a 2011 code to its successor,
  or to its first successor if the code was split (`split`);
- the function `lsoa21_at(code, longitude, latitude)`: for a split 2011 code, the successor
  whose boundary holds the point (else the first); for no code (a stop and search), the LSOA
  holding the point, or NULL.

The split codes' successors are indexed by `warm()` (the command line does it while Django
starts); every LSOA's boundary only when a search with a point first needs it. An index, once
made, is kept for the rest of the import.
"""

import threading
from pathlib import Path

from .policeuk import sql_text


class Geography:
    def __init__(self, con, codes: Path, boundaries: Path):
        self.files = (Path(codes), Path(boundaries))
        con.execute("CREATE OR REPLACE TABLE geo AS SELECT code, min(lsoa21) AS lsoa21, "
                    f"count(*) > 1 AS split FROM read_parquet({sql_text(str(codes))}) "
                    "GROUP BY code")
        self.successors = dict(con.execute(
            "SELECT code, list(lsoa21 ORDER BY lsoa21) FROM read_parquet("
            f"{sql_text(str(codes))}) GROUP BY code HAVING count(*) > 1").fetchall())
        self._indexes: dict[str, _ShapeIndex] = {}
        self._lock = threading.Lock()
        con.create_function("lsoa21_at", self._lsoa21_at, ["VARCHAR", "DOUBLE", "DOUBLE"],
                            "VARCHAR", null_handling="special", side_effects=False)

    def warm(self) -> None:
        """Index the successors' boundaries now, on this thread, rather than inside the
        first query that meets a split code, while every file being written waits for it."""
        self._index("successors")

    def _lsoa21_at(self, code, longitude, latitude):
        # Called row by row, only for the rows that need it (DuckDB skips a CASE's other
        # branch): a few hundred a year for street files.
        if code is None:
            return self._index("all").find(longitude, latitude)
        choices = self.successors.get(code)
        found = self._index("successors").find(longitude, latitude, choices)
        return found or (choices[0] if choices else None)

    def _index(self, which: str) -> "_ShapeIndex":
        with self._lock:
            if which not in self._indexes:
                import duckdb

                # Every boundary, or only those a split code may go to.
                codes = (None if which == "all" else
                         sorted({c for choices in self.successors.values() for c in choices}))
                # A connection of its own: this runs inside a query of the import's database.
                with duckdb.connect() as con:
                    rows = con.execute(f"SELECT code, wkb FROM read_parquet("
                                       f"{sql_text(str(self.files[1]))}) "
                                       "WHERE $1 IS NULL OR list_contains($1, code)",
                                       [codes]).fetchall()
                self._indexes[which] = _ShapeIndex(rows)
            return self._indexes[which]


class _ShapeIndex:
    """A spatial index over some boundaries: which one holds each point."""

    def __init__(self, rows):
        import shapely

        self.codes = [code for code, _ in rows]
        self.tree = shapely.STRtree(shapely.from_wkb([w for _, w in rows])) if rows else None

    def find(self, longitude, latitude, among=None):
        """The code of a boundary holding the point (of those in `among`, if given), or
        None; a point missing either coordinate is in none."""
        import shapely

        if self.tree is None or longitude is None or latitude is None:
            return None
        for shape in sorted(self.tree.query(shapely.Point(longitude, latitude),
                                            predicate="within")):
            code = self.codes[shape]
            if among is None or code in among:
                return code
        return None

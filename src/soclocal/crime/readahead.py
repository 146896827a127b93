"""A crime import's reading, started before Django.

Django takes about half a second of one core to start, and a crime import's first work needs
nothing from it: reading and hashing each file, and the survey of a batch (`policeuk.survey`),
which DuckDB runs without holding the interpreter. `ReadAhead(paths)` does that work on a
thread of its own while the command line starts Django; `imports.import_paths` then takes
what it finds ready and does the rest itself. Nothing is written anywhere: a look or a survey
that does not match what the import finds (a file changed, a batch made differently) is not
used, so the import's result is the same with or without it (decision 69).
"""

import os
import threading
from contextlib import ExitStack


class ReadAhead:
    """Reads, hashes and surveys `paths` on a thread. The import asks for each file's `look`
    and for a batch's `survey`; both wait for the thread."""

    def __init__(self, paths):
        self.paths = [str(p) for p in paths]
        self.con = None  # the DuckDB database the surveys are in, for the import to use
        self._looks: dict[tuple, object] = {}  # file -> its `policeuk.Look`
        self._surveys: dict[tuple, str] = {}  # (kind, files) -> the table holding the survey
        self._thread = threading.Thread(target=self._run, name="crime-read-ahead", daemon=True)
        self._thread.start()

    def connection(self):
        """The DuckDB connection holding the surveys (the import carries on with it)."""
        self._thread.join()
        if self.con is not None:
            # The survey ran on one thread beside Django; the import may use every core.
            self.con.execute("RESET threads")
        return self.con

    def look(self, source):
        """The first look (`policeuk.Look`) at a file on disk, if it was read ahead and has not
        changed since; else None."""
        self._thread.join()
        key = _key(source)
        return self._looks.get(key) if key else None

    def survey(self, kind: str, files) -> str | None:
        """The table holding the survey of exactly these files, if it was made ahead."""
        self._thread.join()
        return self._surveys.pop((kind, tuple(_key(f.source) for f in files)), None)

    def _run(self):
        try:
            # Imported here, on this thread: the command line goes on to start Django.
            import duckdb

            from . import policeuk

            self.con = duckdb.connect(":memory:", config={"threads": 1})
            self.con.execute("SET enable_progress_bar = false")
            with ExitStack() as stack:
                quick: dict[str, list] = {}
                weight = 0
                for source in policeuk.find_sources(self.paths, stack, _Ignored()):
                    key = _key(source)
                    if key is None:
                        continue  # in an archive: the import reads it itself
                    look = policeuk.look_at(source.read())
                    self._looks[key] = look
                    found = policeuk.quick_file(source, look)
                    if found is not None:
                        quick.setdefault(found.kind, []).append(found)
                    weight += source.size // policeuk.QUICK_SHARE if found else source.size
                # Only where the import will check every file in one batch: otherwise its
                # batches would differ from these and the surveys go unused.
                if weight >= policeuk.BATCH_BYTES:
                    return
                for n, (kind, files) in enumerate(quick.items()):
                    table = f"survey_ahead_{n}"
                    try:
                        self.con.execute(policeuk.survey(kind, files, table))
                    except duckdb.Error:
                        continue  # DuckDB's reader found a problem: the import will see it
                    self._surveys[(kind, tuple(_key(f.source) for f in files))] = table
        except Exception:  # noqa: BLE001 - reading ahead is only a head start
            self._looks.clear()
            self._surveys.clear()


class _Ignored:
    """Problems finding files are the import's to report, not the read-ahead's."""

    def add(self, problem):
        pass


def _key(source) -> tuple | None:
    if source.path is None:
        return None
    try:
        stat = os.stat(source.path)
    except OSError:
        return None
    return str(source.path), stat.st_size, stat.st_mtime_ns

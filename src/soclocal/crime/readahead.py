"""A crime import's reading, started before Django.

Django takes about half a second of one core to start, and a crime import's first work needs
nothing from it: reading and hashing each file, and loading the geography snapshot its rows
are placed with (`geography`, read from the data directory's `geography/` folder).
`ReadAhead(paths)` does that work on a thread of its own while the command line starts Django;
`imports.import_paths` then takes what it finds ready and does the rest itself. Nothing is
written anywhere: a look at a file that has changed since, or a geography that is not the
database's current one, is not used, so the import's result is the same with or without it
(decision 69).
"""

import os
import threading
from contextlib import ExitStack, suppress


class ReadAhead:
    """Reads and hashes `paths`, then loads the geography, on a thread. The import asks for
    each file's `look`, the `connection` and its `geography`; each waits for the thread."""

    def __init__(self, paths):
        self.paths = [str(p) for p in paths]
        self.con = None  # the DuckDB database holding the geography, for the import to use
        self._geography = None
        self._looks: dict[tuple, object] = {}  # file -> its `policeuk.Look`
        self._thread = threading.Thread(target=self._run, name="crime-read-ahead", daemon=True)
        self._thread.start()

    def connection(self):
        """The DuckDB connection the geography was loaded into (the import carries on with
        it), or None."""
        self._thread.join()
        return self.con

    @property
    def geography(self):
        """The `geography.Geography` loaded ahead (its `files` say from which snapshot), or
        None."""
        self._thread.join()
        return self._geography

    def look(self, source):
        """The first look (`policeuk.Look`) at a file on disk, if it was read ahead and has not
        changed since; else None."""
        self._thread.join()
        key = _key(source)
        return self._looks.get(key) if key else None

    def _run(self):
        # Reading ahead is only a head start: whatever fails, the import does itself.
        with suppress(Exception):
            self._read_files()
        with suppress(Exception):
            self._load_geography()

    def _load_geography(self):
        # Imported here, on this thread: the command line goes on to start Django.
        import duckdb

        from soclocal.areas import snapshot
        from soclocal.config.paths import data_dir

        from .geography import Geography

        files = snapshot.newest(data_dir() / "geography")
        if files:
            con = duckdb.connect(":memory:")
            try:
                con.execute("SET enable_progress_bar = false")
                geography = Geography(con, *files)
                geography.warm()
            except Exception:
                con.close()
                raise
            self.con, self._geography = con, geography

    def _read_files(self):
        from . import policeuk

        with ExitStack() as stack:
            for source in policeuk.find_sources(self.paths, stack, _Ignored()):
                key = _key(source)
                if key is not None:  # else in an archive: the import reads it itself
                    self._looks[key] = policeuk.look_at(source.read())


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

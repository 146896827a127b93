"""The engines that run the analytics SQL over the crime store: DuckDB in-process (the
default) or Apache Spark (for a national body that outgrows one machine).

Both give the store's views `street`, `outcomes` and `stop_search` over the same Parquet
files, and one small interface (decision 0057):

    engine = connect("duckdb" | "spark")   # default: settings.ANALYTICS_ENGINE
    engine.rows(sql, {"from": "2024-01"})  # a list of tuples; parameters are $name
    engine.arrow(sql, params)              # a pyarrow Table
    engine.execute(sql, params)            # a statement, e.g. CREATE OR REPLACE TEMP TABLE
    engine.register("name", arrow_table)   # a small table the SQL can join
    engine.table("name", [(column, "VARCHAR", values), ...])  # the same from Python lists
    engine.parquet_view("name", path)      # a view over a Parquet file
    engine.close()

The SQL is written in DuckDB's dialect; the few differences Spark needs are translated in
one place, `spark_sql`. pyspark is imported only when the Spark engine is used, and a process
has one Spark session, started on first use (it takes seconds: the JVM starts).
"""

import re
import threading
from contextlib import contextmanager

ENGINES = ("duckdb", "spark")


def default_engine() -> str:
    from django.conf import settings

    return getattr(settings, "ANALYTICS_ENGINE", "duckdb")


def connect(name: str | None = None, base=None):
    """An engine with the store's views; `base` is the store's folder (default: the
    configured store)."""
    name = (name or default_engine()).strip().lower()
    if name == "duckdb":
        return DuckDBEngine(base)
    if name == "spark":
        return SparkEngine(base)
    raise ValueError(f"unknown analytics engine '{name}': use one of {', '.join(ENGINES)}")


@contextmanager
def given_or_own(engine=None):
    """`engine` if the caller passed one (theirs to close), else one of our own, closed after."""
    if engine is not None:
        yield engine
        return
    own = connect()
    try:
        yield own
    finally:
        own.close()


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, base=None):
        from soclocal.crime import store

        self.con = store.connect(base)

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        return self.con.execute(sql, params or {}).fetchall()

    def arrow(self, sql: str, params: dict | None = None):
        return self.con.sql(sql, params=params or None).to_arrow_table()

    def execute(self, sql: str, params: dict | None = None) -> None:
        self.con.execute(sql, params or {})

    def register(self, name: str, table) -> None:
        self.con.register(name, table)

    def table(self, name: str, columns) -> None:
        # From query parameters rather than an Arrow table: building Arrow arrays imports
        # pandas, which takes longer than a profile.
        select = ", ".join(f"unnest($c{i}::{kind}[]) AS {column}"
                           for i, (column, kind, _values) in enumerate(columns))
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {select}",
                         {f"c{i}": values for i, (_c, _k, values) in enumerate(columns)})

    def parquet_view(self, name: str, path) -> None:
        quoted = str(path).replace("'", "''")
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS "
                         f"SELECT * FROM read_parquet('{quoted}')")

    def close(self) -> None:
        self.con.close()


# --- Spark ---------------------------------------------------------------------------------

_PARAM = re.compile(r"\$(\w+)")
_NAMED = re.compile(r"(?<![:\w]):(\w+)")  # Spark's :name, not a :: cast
_TEMP_TABLE = re.compile(r"^\s*CREATE\s+OR\s+REPLACE\s+TEMP(?:ORARY)?\s+TABLE\s+(\w+)\s+AS\s+",
                         re.IGNORECASE)
# DuckDB's names for what Spark calls otherwise. `hash` becomes a 64-bit hash in both,
# though not the same function: a checksum is comparable only within one engine.
_FUNCTIONS = [
    (re.compile(r"\bhash\s*\(", re.IGNORECASE), "xxhash64("),
    (re.compile(r"\blist_contains\s*\(", re.IGNORECASE), "array_contains("),
    (re.compile(r"\blist\s*\(", re.IGNORECASE), "collect_list("),
    (re.compile(r"\bstring_agg\s*\(", re.IGNORECASE), "listagg("),
    (re.compile(r"\bVARCHAR\b", re.IGNORECASE), "STRING"),
]
# GROUPING(a, b, ...) with several columns is Spark's grouping_id (the same bits: the first
# column highest).
_GROUPING = re.compile(r"\bGROUPING\s*\(([^()]*,[^()]*)\)", re.IGNORECASE)


def spark_sql(sql: str) -> str:
    """DuckDB's SQL, as this project writes it, in Spark's dialect."""
    sql = _PARAM.sub(r":\1", sql)
    sql = _GROUPING.sub(r"grouping_id(\1)", sql)
    for pattern, replacement in _FUNCTIONS:
        sql = pattern.sub(replacement, sql)
    return sql


class EngineUnavailable(RuntimeError):
    """The engine asked for cannot run on this machine (what is missing is said)."""


_session = None
_session_lock = threading.Lock()


def spark_session():
    """The process's Spark session, started on first use: local mode on two cores (or the
    master in SOCLOCAL_SPARK_MASTER), no web UI, with Splink's similarity functions' jar."""
    global _session
    with _session_lock:
        if _session is None:
            import os
            import shutil
            import warnings

            if not os.environ.get("JAVA_HOME") and not shutil.which("java"):
                raise EngineUnavailable(
                    "The Spark engine needs Java 17 or later, and java was not found: install "
                    "Debian's default-jre-headless (scripts/ensure-java.sh) or set JAVA_HOME.")

            from django.conf import settings

            with warnings.catch_warnings():
                # pyspark warns about pandas versions it has not been tried with; the store's
                # SQL goes through Arrow, not pandas.
                warnings.simplefilter("ignore", FutureWarning)
                from pyspark.sql import SparkSession
                from splink.backends.spark import similarity_jar_location

            builder = (SparkSession.builder
                       .master(getattr(settings, "SPARK_MASTER", "") or "local[2]")
                       .appName("soclocal")
                       .config("spark.ui.enabled", "false")
                       .config("spark.ui.showConsoleProgress", "false")
                       .config("spark.jars", similarity_jar_location())
                       .config("spark.sql.session.timeZone", "UTC")
                       # force and month are folder names: keep them text, as DuckDB does
                       .config("spark.sql.sources.partitionColumnTypeInference.enabled",
                               "false")
                       .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                       # a profile's tables are small: few shuffle partitions
                       .config("spark.sql.shuffle.partitions",
                               str(getattr(settings, "SPARK_SHUFFLE_PARTITIONS", 8))))
            _session = builder.getOrCreate()
            _session.sparkContext.setLogLevel("ERROR")
        return _session


class SparkEngine:
    name = "spark"

    def __init__(self, base=None):
        from soclocal.crime import store

        if base is None:
            store.recover_if_free()
        # A session of its own over the shared context, so that its views and tables are
        # its own.
        self.spark = spark_session().newSession()
        self._cached = []
        base = base or store.root()
        for kind in store.KINDS:
            self._create_view(kind, base)

    def _create_view(self, kind, base):
        from soclocal.crime import store

        columns = store.COLUMNS[kind]
        if any((base / kind).glob("force=*/month=*/data.parquet")):
            raw = (self.spark.read.option("basePath", str(base / kind))
                   .option("mergeSchema", "true")
                   .parquet(str(base / kind / "force=*" / "month=*" / "data.parquet")))
            held = set(raw.columns)
            raw.createOrReplaceTempView(f"__store_{kind}")

            def column(c, t):
                t = spark_sql(t)
                if c not in held:  # an optional column no file holds yet
                    return f"CAST(NULL AS {t}) AS {c}"
                if c == "lsoa21_code" and "lsoa_code" in held:
                    return f"CAST(coalesce(lsoa21_code, lsoa_code) AS {t}) AS {c}"
                return f"CAST({c} AS {t}) AS {c}"

            select = (f"SELECT {', '.join(column(c, t) for c, t in columns)} "
                      f"FROM __store_{kind}")
        else:
            select = spark_sql(store._empty_select(kind))
        self.spark.sql(f"CREATE OR REPLACE TEMP VIEW {kind} AS {select}")

    def _frame(self, sql, params):
        sql = spark_sql(sql)
        names = set(_NAMED.findall(sql))
        used = {k: v for k, v in (params or {}).items() if k in names}
        return self.spark.sql(sql, args=used or None)

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        return [tuple(row) for row in self._frame(sql, params).collect()]

    def arrow(self, sql: str, params: dict | None = None):
        return self._frame(sql, params).toArrow()

    def execute(self, sql: str, params: dict | None = None) -> None:
        temp = _TEMP_TABLE.match(sql)
        if temp:
            # Spark has no temporary tables: the result is cached and named as a view.
            frame = self._frame(sql[temp.end():], params).cache()
            frame.count()
            frame.createOrReplaceTempView(temp.group(1))
            self._cached.append(frame)
        else:
            self._frame(sql, params).collect()

    def register(self, name: str, table) -> None:
        self.spark.createDataFrame(table).createOrReplaceTempView(name)

    def table(self, name: str, columns) -> None:
        schema = ", ".join(f"{column} {spark_sql(kind)}" for column, kind, _v in columns)
        rows = list(zip(*(values for _c, _k, values in columns), strict=True))
        self.spark.createDataFrame(rows, schema).createOrReplaceTempView(name)

    def parquet_view(self, name: str, path) -> None:
        self.spark.read.parquet(str(path)).createOrReplaceTempView(name)

    def close(self) -> None:
        for frame in self._cached:
            frame.unpersist()
        self._cached = []
        for table in self.spark.catalog.listTables():
            if table.isTemporary:
                self.spark.catalog.dropTempView(table.name)

"""Benchmark of the analytics engines (not a test): the same SQL on DuckDB and on Spark over
the same crime store, with times, ratios and whether the results are identical.

    .venv/bin/python bench/bench_engines.py --data ../shared/data/police/nottinghamshire

It imports the files into a data directory of its own (with the demo geography: Nottingham
and Nottinghamshire), then on each engine times, warm (the second of two runs):
- the profile's SQL for one local authority (compute_profile of Nottingham, E06000018), and
- a national summary: every local authority's counts, rates per 1,000 residents and harm
  (Cambridge Crime Harm Index days) by crime type, in one query over the store.
Spark runs in local mode on two cores; its start-up (the JVM) is printed apart.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

SUMMARY_SQL = """
WITH counted AS (
  SELECT l.lad_code, s.crime_type, count(*) AS n
  FROM street s JOIN lsoa_lad l ON s.lsoa21_code = l.lsoa_code
  WHERE s.month BETWEEN $from AND $to
  GROUP BY l.lad_code, s.crime_type
)
SELECT c.lad_code, c.crime_type, c.n,
       CAST(c.n AS DOUBLE) * 1000 / p.population AS rate_per_1000,
       c.n * w.weight AS harm
FROM counted c JOIN lad_population p ON c.lad_code = p.lad_code
JOIN harm_weights w ON c.crime_type = w.crime_type
ORDER BY c.lad_code, c.crime_type
"""


def setup(data: Path, work: Path):
    os.environ["DJANGO_SETTINGS_MODULE"] = "soclocal.config.settings"
    os.environ["SOCLOCAL_DATA_DIR"] = str(work)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from soclocal.areas.models import Area, AreaType

    if not Area.objects.filter(type=AreaType.LAD).exists():
        from soclocal.areas.demo import load_demo_geography

        load_demo_geography()
    from soclocal.crime import store

    if not store.partitions("street"):
        from soclocal.crime.imports import import_paths

        import_paths([str(data)])


def summary_tables():
    """The lookups the national summary joins: LSOA to local authority, population, weights."""
    import pyarrow as pa

    from soclocal.areas.models import Area, AreaType
    from soclocal.profiles.analytics import DEFAULT_HARM_WEIGHTS

    rows = list(Area.objects.filter(type=AreaType.LSOA21, lad__isnull=False)
                .values_list("code", "lad__code", "population"))
    population = {}
    for _code, lad, pop in rows:
        population[lad] = population.get(lad, 0) + (pop or 0)
    return {
        "lsoa_lad": pa.table({"lsoa_code": [r[0] for r in rows],
                              "lad_code": [r[1] for r in rows]}),
        "lad_population": pa.table({"lad_code": list(population),
                                    "population": pa.array(list(population.values()),
                                                           pa.int64())}),
        "harm_weights": pa.table({"crime_type": list(DEFAULT_HARM_WEIGHTS),
                                  "weight": pa.array(list(DEFAULT_HARM_WEIGHTS.values()),
                                                     pa.float64())}),
    }


def warm(fn, runs=2):
    result, seconds = None, []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - t)
    return result, seconds[-1]


def profile_figures(doc):
    return {"counts": doc["counts_by_crime_type"], "rates": doc["rates_per_1000"],
            "harm": doc["harm"]["by_crime_type"], "comparison": doc["comparison"],
            "lsoas": doc["lsoas"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="a folder of police.uk street files")
    parser.add_argument("--work", default="/tmp/soclocal-bench-engines",
                        help="the data directory to import into (kept between runs)")
    parser.add_argument("--from", dest="month_from", default="2023-01")
    parser.add_argument("--to", dest="month_to", default="2024-12")
    args = parser.parse_args()
    setup(Path(args.data), Path(args.work))

    from soclocal.areas.models import Area
    from soclocal.core import engines
    from soclocal.profiles import analytics

    area = Area.objects.get(code="E06000018")
    tables = summary_tables()
    params = {"from": args.month_from, "to": args.month_to}
    results, times = {}, {}
    for name in ("duckdb", "spark"):
        t = time.perf_counter()
        engine = engines.connect(name)
        times[name, "start"] = time.perf_counter() - t
        for table_name, table in tables.items():
            engine.register(table_name, table)
        rows = engine.rows("SELECT count(*) FROM street WHERE month BETWEEN $from AND $to",
                           params)[0][0]
        doc, times[name, "profile"] = warm(lambda e=engine: analytics.compute_profile(
            area, args.month_from, args.month_to, con=e))
        summary, times[name, "summary"] = warm(lambda e=engine: e.rows(SUMMARY_SQL, params))
        results[name] = (profile_figures(doc), summary, rows)
        engine.close()

    duck, spark = results["duckdb"], results["spark"]
    lads = len({r[0] for r in duck[1]})
    print(f"Store: {duck[2]:,} street crimes, {args.month_from} to {args.month_to}; "
          f"national summary over {lads} local authorities ({len(duck[1])} rows).")
    print(f"{'step':44} {'DuckDB s':>9} {'Spark s':>9} {'Spark/DuckDB':>13}")
    for step, label in (("start", "start (connect; Spark: JVM and session)"),
                        ("profile", "profile of E06000018, warm (SQL and statistics)"),
                        ("summary", "national summary by LA (warm)")):
        d, s = times["duckdb", step], times["spark", step]
        print(f"{label:44} {d:9.3f} {s:9.3f} {s / d:13.1f}")
    same_profile = duck[0] == spark[0]
    same_counts = [r[:3] for r in duck[1]] == [r[:3] for r in spark[1]]
    same_all = same_counts and all(
        abs(a[3] - b[3]) <= 1e-9 * max(1, abs(a[3])) and abs(a[4] - b[4]) <= 1e-9 * max(1, a[4])
        for a, b in zip(duck[1], spark[1], strict=True))
    print(f"Identical profile counts, rates and harm: {'yes' if same_profile else 'NO'}")
    print(f"Identical national summary (counts exactly; rates and harm to 1e-9): "
          f"{'yes' if same_all else 'NO'}")
    print(f"Peak memory of this process (Python side): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0 if same_profile and same_all else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())

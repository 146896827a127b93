"""Benchmark of the crime import (not a test): prints times, rows per second and peak memory.

    .venv/bin/python bench/bench_crime.py --data ../shared/data/police/nottinghamshire

Each step runs in its own process so its peak memory (ru_maxrss) is its own: our import, a
bare DuckDB read_csv of the same files, and a straightforward pandas import (read, validate,
write Parquet) with per-crime-type counts; then the same with the data repeated ten times.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

STEP = r'''
import json, os, resource, sys, time
step, data, work = sys.argv[1], sys.argv[2], sys.argv[3]
out = {}
if step == "ours":
    os.environ["DJANGO_SETTINGS_MODULE"] = "soclocal.config.settings"
    os.environ["SOCLOCAL_DATA_DIR"] = work
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from soclocal.areas.demo import load_demo_geography
    load_demo_geography()
    from soclocal.crime import imports, store
    t = time.perf_counter()
    record = imports.import_paths([data])
    out["seconds"] = time.perf_counter() - t
    out["rows"] = record.rows_in
    con = store.connect()
    t = time.perf_counter()
    con.execute("SELECT crime_type, count(*) FROM street GROUP BY 1").fetchall()
    out["counts_seconds"] = time.perf_counter() - t
    # The problem profile of every local authority loaded, over every month in the store.
    from soclocal.areas.models import Area
    from soclocal.profiles.analytics import compute_profile
    first, last = con.execute("SELECT min(month), max(month) FROM street").fetchone()
    lads = list(Area.objects.filter(type="lad").order_by("code"))
    compute_profile(lads[0], first, last)  # warm-up: library imports and first queries
    times = []
    for lad in lads:
        t = time.perf_counter()
        compute_profile(lad, first, last)
        times.append(time.perf_counter() - t)
    out["profiles_seconds"] = sum(times)
    out["profiles_count"] = len(times)
    out["profile_max_seconds"] = max(times)
elif step == "duckdb":
    import duckdb
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    t = time.perf_counter()
    out["rows"] = con.execute(f"CREATE TABLE s AS SELECT * FROM read_csv('{data}/**/*.csv', "
                              "all_varchar = true, header = true)").fetchall()[0][0]
    out["seconds"] = time.perf_counter() - t
elif step == "pandas":
    import glob
    import pandas as pd
    t = time.perf_counter()
    types = {"Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson",
             "Drugs", "Other crime", "Other theft", "Possession of weapons", "Public order",
             "Robbery", "Shoplifting", "Theft from the person", "Vehicle crime",
             "Violence and sexual offences"}
    rows = 0
    for i, path in enumerate(sorted(glob.glob(f"{data}/**/*.csv", recursive=True))):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        lon = pd.to_numeric(df["Longitude"].replace("", None), errors="coerce")
        lat = pd.to_numeric(df["Latitude"].replace("", None), errors="coerce")
        bad = (~df["Month"].str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])")
               | ~df["Crime type"].isin(types)
               | ((df["LSOA code"] != "") & ~df["LSOA code"].str.fullmatch(r"[EW]01\d{6}"))
               | (lon.notna() & ~lon.between(-8.7, 1.8))
               | (lat.notna() & ~lat.between(49.8, 60.9)))
        good = df[~bad]
        os.makedirs(f"{work}/pandas", exist_ok=True)
        good.to_parquet(f"{work}/pandas/{i}.parquet")
        rows += len(good)
    out["seconds"] = time.perf_counter() - t
    out["rows"] = rows
    t = time.perf_counter()
    pd.read_parquet(f"{work}/pandas", columns=["Crime type"])["Crime type"].value_counts()
    out["counts_seconds"] = time.perf_counter() - t
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
'''


def run(step, data, work):
    work.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-c", STEP, step, str(data), str(work)],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{step} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(title, data, tmp):
    print(f"\n{title}")
    results = {step: run(step, data, tmp / step) for step in ("ours", "duckdb", "pandas")}
    base = results["duckdb"]["seconds"]
    for step, r in results.items():
        extra = f"  counts by crime type {r['counts_seconds']:.3f}s" if "counts_seconds" in r else ""
        if "profiles_seconds" in r:
            extra += (f"  profiles of {r['profiles_count']} local authorities "
                      f"{r['profiles_seconds']:.2f}s (slowest {r['profile_max_seconds']:.2f}s)")
        print(f"  {step:<7} {r['rows']:>10,} rows  {r['seconds']:7.2f}s  "
              f"{r['rows'] / r['seconds']:>10,.0f} rows/s  x{r['seconds'] / base:4.1f} of DuckDB  "
              f"peak {r['peak_mb']:6.0f} MB{extra}")


def repeat(data: Path, target: Path, times: int):
    """The files again as later months: the same rows, `times` times the months to import
    (years moved on so each copy is a different file and a different month)."""
    for n in range(times):
        for f in sorted(data.glob("*-street.csv")):
            year, rest = int(f.name[:4]), f.name[4:]
            new_year = year + 2 * n
            body = f.read_bytes().replace(f",{year}-".encode(), f",{new_year}-".encode())
            (target / f"{new_year}{rest}").write_bytes(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--times", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        report(f"{args.data} as it is", args.data.resolve(), tmp / "one")
        bigger = tmp / "repeated"
        bigger.mkdir()
        repeat(args.data, bigger, args.times)
        report(f"the same repeated {args.times} times", bigger, tmp / "ten")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()

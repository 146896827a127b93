"""Benchmark of `soclocal import crime` as a whole process (not a test): prints times, rows per
second, ratios and peak memory.

    .venv/bin/python bench/bench_import.py --data ../shared/data/police/nottinghamshire
    .venv/bin/python bench/bench_import.py --forces "" --repeat 3 \
        --data ../shared/data/police/nottinghamshire ../shared/data/police/city-of-london

Everything runs side by side in one run, each step a process of its own whose peak memory
(its own ru_maxrss) is reported:

- `soclocal import crime FOLDER`, the command people run, in a fresh data directory holding
  England and Wales's LSOA boundaries and the 2011-to-2021 lookup (loaded once into a
  template before timing; `--geography` names the folder of the open data);
- a bare DuckDB process: `read_csv` of the same files and `COPY ... TO` one Parquet file;
- a straightforward pandas import: read each file, check it, write Parquet.

First each folder as it is (`--repeat` runs our import and bare DuckDB one after the other
that many times and shows the median of each, steadier on a shared machine; `--previous SRC`
runs an earlier release's import from its `src` folder beside ours), then a national
year: the folder's first twelve street files
repeated under the names of England and Wales's 43 police forces (each force's "Reported by"
set to its own name, so every file differs), generated into a temporary folder and removed
afterwards, imported for 1, 10 and 43 forces (`--forces`) to show time against rows and peak
memory against rows.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# police.uk's names for England and Wales's 43 territorial forces (file names use the slug).
FORCES = [
    "Avon and Somerset Constabulary", "Bedfordshire Police", "Cambridgeshire Constabulary",
    "Cheshire Constabulary", "City of London Police", "Cleveland Police", "Cumbria Constabulary",
    "Derbyshire Constabulary", "Devon & Cornwall Police", "Dorset Police", "Durham Constabulary",
    "Dyfed-Powys Police", "Essex Police", "Gloucestershire Constabulary",
    "Greater Manchester Police", "Gwent Police", "Hampshire Constabulary",
    "Hertfordshire Constabulary", "Humberside Police", "Kent Police", "Lancashire Constabulary",
    "Leicestershire Police", "Lincolnshire Police", "Merseyside Police",
    "Metropolitan Police Service", "Norfolk Constabulary", "North Wales Police",
    "North Yorkshire Police", "Northamptonshire Police", "Northumbria Police",
    "Nottinghamshire Police", "South Wales Police", "South Yorkshire Police",
    "Staffordshire Police", "Suffolk Constabulary", "Surrey Police", "Sussex Police",
    "Thames Valley Police", "Warwickshire Police", "West Mercia Police",
    "West Midlands Police", "West Yorkshire Police", "Wiltshire Police",
]

BARE = r'''
import resource, sys, duckdb
files, out = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
rows = con.execute(f"COPY (SELECT * FROM read_csv('{files}', all_varchar = true, header = true)) "
                   f"TO '{out}' (FORMAT parquet)").fetchall()[0][0]
print(rows)
'''

PANDAS = r'''
import glob, os, sys
import pandas as pd
folder, out = sys.argv[1], sys.argv[2]
types = {"Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson",
         "Drugs", "Other crime", "Other theft", "Possession of weapons", "Public order",
         "Robbery", "Shoplifting", "Theft from the person", "Vehicle crime",
         "Violence and sexual offences"}
rows = 0
os.makedirs(out, exist_ok=True)
for i, path in enumerate(sorted(glob.glob(f"{folder}/*.csv"))):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    lon = pd.to_numeric(df["Longitude"].replace("", None), errors="coerce")
    lat = pd.to_numeric(df["Latitude"].replace("", None), errors="coerce")
    bad = (~df["Month"].str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])")
           | ~df["Crime type"].isin(types)
           | ((df["LSOA code"] != "") & ~df["LSOA code"].str.fullmatch(r"[EW]01\d{6}"))
           | (lon.notna() & ~lon.between(-8.7, 1.8))
           | (lat.notna() & ~lat.between(49.8, 60.9)))
    df[~bad].to_parquet(f"{out}/{i}.parquet")
    rows += int((~bad).sum())
print(rows)
'''


def timed(command, env=None) -> tuple[float, float, str, float]:
    """Wall seconds, peak memory (MB) of the process, what it printed, and its CPU seconds
    (user and system, every thread: steadier than wall time on a shared machine)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            sys.exit(f"{command[:4]} failed:\n{err.read()[-3000:]}")
        return seconds, usage.ru_maxrss / 1024, out.read(), usage.ru_utime + usage.ru_stime


def soclocal(data_dir: Path, *args, src: Path = ROOT / "src") -> list[str]:
    env = {**os.environ, "SOCLOCAL_DATA_DIR": str(data_dir),
           "PYTHONPATH": str(src) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return [sys.executable, "-m", "soclocal.cli", *args], env


def template(geography: Path, where: Path) -> Path:
    """A data directory with the national geography the import looks codes up in."""
    target = where / "template"
    target.mkdir()
    for args in (["init"],
                 ["import", "boundaries", str(geography / "boundaries" / "lsoa21.geojson")],
                 ["import", "lookups", str(geography / "lookups" / "lsoa11_lsoa21_ltla22.csv")]):
        command, env = soclocal(target, *args)
        timed(command, env)
    # Start-up alone, for reading the figures: the command failing at once on no files.
    with tempfile.TemporaryDirectory() as copy:
        shutil.copytree(target, Path(copy) / "d")
        command, env = soclocal(Path(copy) / "d", "import", "crime", str(where / "nothing"))
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=False)
        ours = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import duckdb"], check=True)
    print(f"  start-up alone: `soclocal import crime` {ours:.2f}s, "
          f"python with duckdb {time.perf_counter() - start:.2f}s")
    return target


def measure(folder: Path, template_dir: Path, work: Path, with_pandas=True, repeat=1,
            previous: Path | None = None) -> dict:
    trees = {"ours": ROOT / "src", **({"previous": previous} if previous else {})}
    runs = {**{step: [] for step in trees}, "duckdb": []}
    for _ in range(repeat):
        for step, src in trees.items():
            data_dir = work / "data"
            shutil.copytree(template_dir, data_dir)
            command, env = soclocal(data_dir, "import", "crime", str(folder), src=src)
            seconds, peak, _, cpu = timed(command, env)
            runs[step].append((seconds, peak, cpu))
            shutil.rmtree(data_dir)
        seconds, peak, printed, cpu = timed([sys.executable, "-c", BARE, str(folder / "*.csv"),
                                             str(work / "bare.parquet")])
        runs["duckdb"].append((seconds, peak, cpu))
        rows = int(printed.split()[-1])
        (work / "bare.parquet").unlink()
    # The median run of each (by time and CPU separately), and the highest peak.
    results = {step: (statistics.median(r[0] for r in found), max(r[1] for r in found),
                      statistics.median(r[2] for r in found)) for step, found in runs.items()}
    if with_pandas:
        seconds, peak, _, cpu = timed([sys.executable, "-c", PANDAS, str(folder),
                                       str(work / "pd")])
        results["pandas"] = (seconds, peak, cpu)
        shutil.rmtree(work / "pd")
    return {"rows": rows, **results}


def show(title: str, r: dict) -> None:
    base, base_cpu = r["duckdb"][0], r["duckdb"][2]
    print(f"\n{title}: {r['rows']:,} rows")
    for step in ("ours", "previous", "duckdb", "pandas"):
        if step in r:
            seconds, peak, cpu = r[step]
            print(f"  {step:<8} {seconds:7.2f}s  {r['rows'] / seconds:>10,.0f} rows/s  "
                  f"x{seconds / base:4.2f} of DuckDB  cpu {cpu:6.2f}s x{cpu / base_cpu:4.2f}  "
                  f"peak {peak:6.0f} MB")


def national(data: Path, target: Path, forces: int) -> int:
    """`forces` forces' year of street files: the first twelve of `data` under their names."""
    months = sorted(data.glob("*-street.csv"))[:12]
    source_force = months[0].name[8:-len("-street.csv")]
    written = 0
    for name in FORCES[:forces]:
        slug = _slug(name)
        for f in months:
            body = f.read_bytes()
            reported = body.split(b"\n", 2)[1].split(b",")[2]  # the file's own "Reported by"
            body = body.replace(b"," + reported + b",", b"," + name.encode() + b",")
            (target / f.name.replace(source_force, slug)).write_bytes(body)
            written += 1
    return written


def _slug(name: str) -> str:
    import re

    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return re.sub(r"-(police|constabulary|police-service)$", "", slug)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path, nargs="+",
                        help="folders of one force's police.uk street files (the national "
                             "year is made from the first)")
    parser.add_argument("--geography", type=Path,
                        help="the open data folder holding boundaries/ and lookups/ "
                             "(default: two folders above --data)")
    parser.add_argument("--forces", default="1,10,43",
                        help="numbers of forces for the national year (default 1,10,43; "
                             "empty for none)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each folder as it is, to take the median (default 1)")
    parser.add_argument("--no-pandas-nationally", action="store_true",
                        help="leave pandas out of the national runs")
    parser.add_argument("--previous", type=Path,
                        help="an earlier release's src folder: its import is run side by side")
    args = parser.parse_args()
    data = args.data[0].resolve()
    geography = (args.geography or data.parents[1]).resolve()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        tmp = Path(tmp)
        print("Loading England and Wales's geography into a template data directory...")
        template_dir = template(geography, tmp)
        for n, folder in enumerate(args.data):
            show(f"{folder.name} as it is", measure(folder.resolve(), template_dir,
                                                    tmp / f"force-{n}", repeat=args.repeat,
                                                    previous=args.previous))
        scale = []
        for forces in [int(n) for n in args.forces.split(",") if n.strip()]:
            folder = tmp / f"national-{forces}"
            folder.mkdir()
            national(data, folder, forces)
            r = measure(folder, template_dir, tmp / f"run-{forces}",
                        with_pandas=not args.no_pandas_nationally, previous=args.previous)
            show(f"a year of {forces} force(s)", r)
            scale.append((forces, r))
            shutil.rmtree(folder)
        if not scale:
            return
        print("\nNational scale, our import: time and memory against rows")
        print(f"  {'forces':>6} {'rows':>11} {'seconds':>8} {'rows/s':>10} {'cpu s':>7} "
              f"{'peak MB':>8} {'x DuckDB':>8}")
        for forces, r in scale:
            seconds, peak, cpu = r["ours"]
            print(f"  {forces:>6} {r['rows']:>11,} {seconds:8.2f} {r['rows'] / seconds:>10,.0f} "
                  f"{cpu:7.2f} {peak:8.0f} {seconds / r['duckdb'][0]:8.2f}")


if __name__ == "__main__":
    main()

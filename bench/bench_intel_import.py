"""Benchmark of `soclocal intel import people` then `soclocal intel duplicates` (not a test).

    .venv/bin/python bench/bench_intel_import.py [--sizes 1000 10000]

For each size, a fresh SQLite database in a temporary folder, the police force, a synthetic
people file (synthetic_people.py) imported through the command, then the suggested pairs:
prints the import time and rows per second, the duplicates time, and precision and recall
against the planted pairs at the default threshold.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_people import generate, write_csv  # noqa: E402


def run(env, *args):
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "soclocal.cli", *map(str, args)], env=env,
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"soclocal {' '.join(map(str, args))} failed:\n{done.stderr}")
    return done.stdout, time.perf_counter() - t


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    print(f"{'people':>8} {'import s':>9} {'rows/s':>7} {'duplicates s':>13} "
          f"{'pairs':>6} {'precision':>9} {'recall':>7}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as work:
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            env["SOCLOCAL_DATA_DIR"] = work
            run(env, "init")
            run(env, "create-admin", "admin", "--first-name", "A", "--last-name", "B",
                "--agency", "Bench Police", "--kind", "police")
            records, truth = generate(size, seed=size)
            path = Path(work) / "people.csv"
            with open(path, "w", newline="", encoding="utf-8") as f:
                write_csv(records, f)
            _, imported = run(env, "intel", "import", "people", path)
            out, matched = run(env, "intel", "duplicates", "--format", "json")
            found = {(p["reference_left"], p["reference_right"]) for p in json.loads(out)}
            hits = len(found & truth)
            print(f"{len(records):>8,} {imported:>9.1f} {len(records) / imported:>7.0f} "
                  f"{matched:>13.1f} {len(found):>6,} {hits / max(len(found), 1):>9.3f} "
                  f"{hits / len(truth):>7.3f}", flush=True)


if __name__ == "__main__":
    main()

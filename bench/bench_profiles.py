"""Benchmark of start-up, profiles and the national summary at national scale (not a test).

    .venv/bin/python bench/bench_profiles.py --data-dir /tmp/national --shared ../shared/data
    .venv/bin/python bench/bench_profiles.py ... --previous /path/to/older/src

Loads every England and Wales boundary, lookup, deprivation and population file and one
force's two years of street crime into the data directory with the ordinary `soclocal import`
commands (once: a directory already loaded is reused), then measures, each as a whole
process repeated and the median taken: `soclocal --help`; `soclocal users --format json` with
the byte-code cache and without it (a fresh, empty cache that is not written); `soclocal
profile AREA` (the first run after loading, then warm); `soclocal profile national`. Inside
one process it times the profile's compute alone, warm. With `--previous`, the same whole
process commands run from that source tree too, side by side, for ratios measured on the same
machine at the same time. Peak memory is each process's own (ru_maxrss).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The figures the project measured before this work, on the same kind of machine.
BASELINE = {"users": 1.1, "users_no_cache": 1.7, "profile": 4.0, "profile_no_cache": 8.8}

GEOGRAPHY = [
    ("boundaries", ["boundaries/ltla24.geojson", "boundaries/pfa20.geojson",
                    "boundaries/lsoa21.geojson"]),
    ("lookups", ["lookups/lsoa11_lsoa21_ltla22.csv", "lookups/lsoa21_ward24_ltla24.csv"]),
    ("deprivation", ["deprivation/imd2025_england_lsoa21.csv",
                     "deprivation/imd2019_england_lsoa11.csv",
                     "deprivation/wimd2019_wales_lsoa11.csv"]),
    ("population", ["deprivation/iod2019_population_denominators_lsoa11.csv"]),
]

WARM = r'''
import json, os, resource, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "soclocal.config.settings"
import django
django.setup()
from soclocal.areas.models import Area
from soclocal.profiles import analytics
area = Area.objects.filter(code=sys.argv[1]).exclude(type="lsoa11").get()
month_from, month_to, repeats = sys.argv[2], sys.argv[3], int(sys.argv[4])
t = time.perf_counter()
analytics.compute_profile(area, month_from, month_to)
first = time.perf_counter() - t
times, cpu = [], []
for _ in range(repeats):
    t, c = time.perf_counter(), time.process_time()
    analytics.compute_profile(area, month_from, month_to)
    times.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
national = []
for _ in range(repeats):
    t = time.perf_counter()
    summary = analytics.national_summary(month_from, month_to)
    national.append(time.perf_counter() - t)
print(json.dumps({"first": first, "warm": sorted(times)[len(times) // 2], "warm_min": min(times),
                  "warm_cpu": sorted(cpu)[len(cpu) // 2],
                  "national": sorted(national)[len(national) // 2],
                  "authorities": len(summary["local_authorities"]),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


def run(args, env, *, check=True):
    """(seconds, peak MB, CPU seconds) of one whole process. On a shared machine the wall
    time swings with everyone else's work; the CPU time (user and system) much less."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if check and os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{err}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def timed(args, env, repeats):
    runs = [run(args, env) for _ in range(repeats)]
    return (statistics.median(r[0] for r in runs), max(r[1] for r in runs),
            statistics.median(r[2] for r in runs))


def environment(src, data_dir, *, cache=True):
    env = {**os.environ, "PYTHONPATH": str(src), "SOCLOCAL_DATA_DIR": str(data_dir)}
    if not cache:
        # No byte-code from any earlier run, and none written: every module compiled again.
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="bench-nocache-")
    return env


def load(data_dir, shared, force, env):
    if (Path(data_dir) / "soclocal.sqlite3").exists():
        print(f"Reusing the data loaded in {data_dir}.")
        return
    cli = [sys.executable, "-m", "soclocal.cli"]
    subprocess.run([*cli, "init"], env=env, check=True)
    for kind, files in GEOGRAPHY:
        print(f"Loading {kind} ...", flush=True)
        subprocess.run([*cli, "import", kind, *(str(Path(shared) / f) for f in files)],
                       env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"Loading {force} crime ...", flush=True)
    subprocess.run([*cli, "import", "crime", str(Path(shared) / "police" / force)], env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(src, data_dir, area, month_from, month_to, repeats, out):
    cli = [sys.executable, "-m", "soclocal.cli"]
    cached, uncached = environment(src, data_dir), environment(src, data_dir, cache=False)
    profile = [*cli, "profile", area, "--from", month_from, "--to", month_to,
               "--format", "json", "--out", str(out)]
    national = [*cli, "profile", "national", "--from", month_from, "--to", month_to,
                "--format", "json", "--out", str(out)]
    run(profile, cached)  # byte-code written, geography snapshot and contiguity cached
    found = {"help": timed([*cli, "--help"], cached, repeats),
             "users": timed([*cli, "users", "--format", "json"], cached, repeats),
             "users_no_cache": timed([*cli, "users", "--format", "json"], uncached, repeats),
             "profile": timed(profile, cached, repeats),
             "profile_no_cache": timed(profile, uncached, max(1, repeats // 2))}
    # As for an area never profiled before: no contiguity or draws kept yet.
    cold = []
    for _ in range(max(1, repeats // 2)):
        shutil.rmtree(Path(data_dir) / "cache", ignore_errors=True)
        cold.append(run(profile, cached))
    found["profile_cold"] = (statistics.median(r[0] for r in cold), max(r[1] for r in cold),
                             statistics.median(r[2] for r in cold))
    try:
        found["national"] = timed(national, cached, repeats)
    except SystemExit:
        found["national"] = None  # a release without the national summary
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(),
                                                           "soclocal-bench-national"))
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--force", default="nottinghamshire")
    parser.add_argument("--area", default="E06000018")
    parser.add_argument("--from", dest="month_from", default="2023-01")
    parser.add_argument("--to", dest="month_to", default="2024-12")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--previous", help="the src folder of an earlier release, measured "
                        "side by side on the same data")
    args = parser.parse_args()
    src = ROOT / "src"
    load(args.data_dir, args.shared, args.force, environment(src, args.data_dir))
    out = Path(tempfile.mkdtemp(prefix="bench-profiles-")) / "out.json"

    now = measure(src, args.data_dir, args.area, args.month_from, args.month_to,
                  args.repeats, out)
    before = (measure(Path(args.previous), args.data_dir, args.area, args.month_from,
                      args.month_to, args.repeats, out) if args.previous else None)
    inside = json.loads(subprocess.run(
        [sys.executable, "-c", WARM, args.area, args.month_from, args.month_to,
         str(args.repeats)], env=environment(src, args.data_dir), check=True,
        capture_output=True, text=True).stdout)

    def ratio(a, b):
        return f"{a / b:.2f}" if a and b else "-"

    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of "
          f"{args.repeats} runs; area {args.area}, {args.month_from} to {args.month_to}\n")
    print("| measure | now: wall | CPU | peak memory | issue's figure | ratio (wall) | "
          "previous release, same run: wall | CPU | ratio (wall) | ratio (CPU) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    labels = {"help": "`soclocal --help`", "users": "`soclocal users --format json`",
              "users_no_cache": "the same, no byte-code cache",
              "profile": f"`soclocal profile {args.area}` (whole process)",
              "profile_no_cache": "the same, no byte-code cache",
              "profile_cold": "the same, contiguity and draws not yet kept",
              "national": "`soclocal profile national` (whole process)"}
    for key, label in labels.items():
        seconds, peak, cpu = now[key]
        old = before.get(key) if before else None
        base = BASELINE.get(key)
        print(f"| {label} | {seconds:.2f} s | {cpu:.2f} s | {peak:.0f} MB | "
              f"{f'{base:.1f} s' if base else '-'} | {ratio(seconds, base)} | "
              f"{f'{old[0]:.2f} s' if old else '-'} | {f'{old[2]:.2f} s' if old else '-'} | "
              f"{ratio(seconds, old[0]) if old else '-'} | {ratio(cpu, old[2]) if old else '-'} |")
    print(f"| profile compute, first in a process | {inside['first']:.3f} s | | | | | | | | |")
    print(f"| profile compute, warm (median; fastest {inside['warm_min']:.3f} s) | "
          f"{inside['warm']:.3f} s | {inside['warm_cpu']:.3f} s | {inside['peak_mb']:.0f} MB "
          "| | | | | | |")
    print(f"| national summary compute, warm ({inside['authorities']} local authorities) | "
          f"{inside['national']:.3f} s | | | | | | | | |")


if __name__ == "__main__":
    main()

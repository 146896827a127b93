"""The load test: gunicorn on loopback over PostgreSQL filled at national scale, 50 users.

    .venv/bin/python bench/load/run.py                 # fill if empty, then 60 s of load
    .venv/bin/python bench/load/run.py --users 50 --seconds 60 --workers 5
    .venv/bin/python bench/load/run.py --database postgres://.../other --scale 0.1

It fills the database once (`soclocal demo --no-serve`, then `soclocal generate-scale`)
when it holds no generated records, starts gunicorn (several sync workers, access log off)
on 127.0.0.1, opens every page once to warm it, runs locust headless with the users spread
over the roles for a bounded time, and prints p50, p95 and requests a second for each page
and each role, and for everything. The server and locust share the machine's cores.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_DB = "postgres://soclocal:soclocal-test@127.0.0.1:5432/soclocal_web_bench"


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def env_for(args):
    env = dict(os.environ, DATABASE_URL=args.database, SOCLOCAL_DATA_DIR=args.data,
               PYTHONPATH=str(ROOT / "src"), SOCLOCAL_MODE="demo")
    # No per-address limits: every simulated user comes from 127.0.0.1.
    env.pop("SOCLOCAL_REQUIRE_2FA", None)
    return env


def soclocal(env, *argv, **kw):
    return subprocess.run([sys.executable, "-m", "soclocal.cli", *argv], env=env, check=True,
                          **kw)


def filled(env) -> bool:
    code = ("import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE',"
            "'soclocal.config.settings');django.setup();"
            "from soclocal.budgeting.models import Process;"
            "print(Process.objects.filter(slug='scale-fund-001').exists())")
    try:
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True).stdout
    except subprocess.CalledProcessError:
        return False
    return out.strip() == "True"


def _cpu(process):
    try:
        t = process.cpu_times()
    except psutil.NoSuchProcess:
        return 0.0
    return t.user + t.system


def table(title, rows):
    print(f"\n{title}")
    print(f"| {'what':<32} | requests | failures | p50 ms | p95 ms | req/s |")
    print(f"|{'-' * 34}|---------:|---------:|-------:|-------:|------:|")
    for name, times, failures, seconds in rows:
        print(f"| {name:<32} | {len(times):>8} | {failures:>8} | {percentile(times, 50):>6.0f} "
              f"| {percentile(times, 95):>6.0f} | {len(times) / seconds:>5.1f} |")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--database", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DB))
    p.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "soclocal-load"))
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--workers", type=int, default=5)
    p.add_argument("--port", type=int, default=8765)
    args = p.parse_args()
    env = env_for(args)

    soclocal(env, "init")
    if not filled(env):
        print("Filling the database (the demo, then generate-scale); this takes minutes.",
              flush=True)
        started = time.monotonic()
        soclocal(env, "demo", "--no-serve")
        soclocal(env, "generate-scale", "--scale", str(args.scale))
        # Fresh statistics after the bulk load, or the planner guesses from empty tables.
        soclocal(env, "manage", "shell", "-c",
                 "from django.db import connection; connection.cursor().execute('ANALYZE')")
        print(f"Filled in {time.monotonic() - started:.0f} s.", flush=True)

    context = json.loads(subprocess.run(
        [sys.executable, str(HERE / "context.py")], env=env, capture_output=True, text=True,
        check=True).stdout)
    work = Path(tempfile.mkdtemp(prefix="soclocal-load-"))
    (work / "context.json").write_text(json.dumps(context))
    host = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "soclocal.config.wsgi:application",
         "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
         "--worker-class", "sync", "--timeout", "120", "--log-level", "warning"], env=env)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{host}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        load_env = dict(env, LOAD_CONTEXT=str(work / "context.json"),
                        LOAD_SAMPLES=str(work / "samples.json"))
        # Warm every worker's caches before measuring: a few seconds of the same load.
        subprocess.run([sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"),
                        "--headless", "-u", str(args.workers * 2), "-r", "50", "-t", "10s",
                        "--host", host, "--only-summary", "--loglevel", "ERROR"],
                       env=dict(load_env, LOAD_SAMPLES=str(work / "warm.json")),
                       stdout=subprocess.DEVNULL, check=False)
        workers = psutil.Process(server.pid).children(recursive=True)
        cpu_before = sum(_cpu(w) for w in workers)
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"),
                        "--headless", "-u", str(args.users), "-r", str(args.users),
                        "-t", f"{args.seconds}s", "--host", host, "--only-summary",
                        "--loglevel", "ERROR", "--stop-timeout", "10"],
                       env=load_env, stdout=subprocess.DEVNULL, check=False)
        seconds = time.monotonic() - started
        web_cpu = sum(_cpu(w) for w in workers) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=30)

    samples = json.loads((work / "samples.json").read_text())
    by_page, by_role = {}, {}
    for role, page, ms, ok in samples:
        for key, into in (((role, page), by_page), (role, by_role)):
            times, failures = into.setdefault(key, ([], [0]))
            times.append(ms)
            failures[0] += 0 if ok else 1
    print(f"\n{args.users} users for {args.seconds} s against gunicorn ({args.workers} sync "
          f"workers) on PostgreSQL; {os.cpu_count()} cores shared with locust.")
    table("By page", [(f"{r} {pg}", t, f[0], seconds)
                      for (r, pg), (t, f) in sorted(by_page.items())])
    table("By role", [(r, t, f[0], seconds) for r, (t, f) in sorted(by_role.items())])
    everything = [s[2] for s in samples]
    table("All pages", [("all", everything, sum(not s[3] for s in samples), seconds)])
    # On a shared machine the latencies include waiting for a core; the CPU time the web
    # workers spent a request does not, so it says what two cores of our own would serve.
    per_request = web_cpu / max(1, len(samples))
    print(f"\nWeb workers' CPU: {web_cpu:.1f} s for {len(samples)} requests, "
          f"{per_request * 1000:.0f} ms a request: two dedicated cores would serve about "
          f"{2 / per_request:.0f} requests a second before the database's own CPU. "
          f"Load average at the end: {os.getloadavg()[0]:.1f}.")
    slow = sorted(by_page.items(), key=lambda kv: -percentile(kv[1][0], 95))[:3]
    print("\nSlowest at p95: " + ", ".join(f"{r} {pg} ({percentile(t, 95):.0f} ms)"
                                           for (r, pg), (t, _f) in slow))
    return 0


if __name__ == "__main__":
    sys.exit(main())

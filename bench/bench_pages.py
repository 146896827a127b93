"""The CPU time and queries of the main pages, one request after another through Django's test
client, against the configured database (the demo's, say, with `generate-scale` records).

    SOCLOCAL_DATA_DIR=var .venv/bin/python bench/bench_pages.py [--times 5] [--profile PAGE]

For each (role, page) prints the median CPU milliseconds of the web process per request
(database time on its own process is not counted), the wall milliseconds and the number of
queries. `--profile NAME` runs that page under cProfile and prints the 25 costliest
functions by their own time and with what they call.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soclocal.config.settings")
import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from soclocal.accounts.models import User  # noqa: E402

PAGES = [
    ("practitioner", "home", "/"),
    ("practitioner", "cases", "/cases/"),
    ("manager", "home", "/"),
    ("analyst", "profiles", "/profiles/"),
    ("intel", "intelligence", "/intelligence/"),
    ("intel", "entities", "/intelligence/entities/"),
    ("facilitator", "budgets", "/budgeting/"),
    ("facilitator", "engagement", "/engagement/"),
    ("board", "dashboard", "/board/"),
    ("admin", "audit-log", "/audit/"),
    ("admin", "accounts", "/people/"),
    ("practitioner", "mace", "/vulnerability/mace/"),
    ("intel", "places", "/vulnerability/places/"),
    ("practitioner", "nrm", "/vulnerability/nrm/"),
    ("practitioner", "directory", "/partnership/services/"),
    ("analyst", "priorities", "/priorities/"),
    ("practitioner", "plans", "/plans/"),
    ("practitioner", "our-actions", "/plans/ours/"),
]


def client_for(role):
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=role))
    return client


def measure(client, path, times):
    cpu, wall = [], []
    for _ in range(times):
        c0, w0 = time.process_time(), time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return response.status_code, statistics.median(cpu), statistics.median(wall), \
        len(queries.captured_queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--times", type=int, default=5)
    parser.add_argument("--profile", action="append", default=[],
                        help="a page's name (as printed) to run under cProfile")
    args = parser.parse_args()
    clients = {}
    print(f"{'role':<13} {'page':<13} {'status':>6} {'cpu ms':>7} {'wall ms':>8} {'queries':>7}")
    for role, name, path in PAGES:
        client = clients.setdefault(role, client_for(role))
        client.get(path)  # once first: what is cached per process is cached
        status, cpu, wall, queries = measure(client, path, args.times)
        print(f"{role:<13} {name:<13} {status:>6} {cpu * 1000:>7.1f} {wall * 1000:>8.1f} "
              f"{queries:>7}")
    for wanted in args.profile:
        role, _, path = next(p for p in PAGES if p[1] == wanted)
        client = clients[role]
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.times):
            client.get(path)
        profile.disable()
        print(f"\n{role} {wanted} ({path}), {args.times} requests:")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(25)
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()

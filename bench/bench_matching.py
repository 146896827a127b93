"""How fast and how well `soclocal.core.matching.find_pairs` finds planted duplicates.

    .venv/bin/python bench/bench_matching.py                # 1,000, 10,000 and 100,000 people
    .venv/bin/python bench/bench_matching.py --sizes 1000   # quickly
    .venv/bin/python bench/bench_matching.py --rounds 2     # duplicates with more slips

Each size runs in a process of its own so that its peak memory is its own. Prints, per size,
the time to match, the peak memory, the pairs found and the precision and recall against the
planted duplicates at the default threshold (and at a few others, to show the trade-off).
"""

import argparse
import multiprocessing
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from synthetic_people import generate  # noqa: E402

from soclocal.core.matching import DEFAULT_THRESHOLD, find_pairs  # noqa: E402

THRESHOLDS = sorted({0.5, 0.8, 0.9, 0.95, 0.99, DEFAULT_THRESHOLD})


def measure(size, seed, rounds, queue):
    records, truth = generate(size, seed=seed, rounds=rounds)
    start = time.perf_counter()
    pairs = find_pairs("person", records, threshold=min(THRESHOLDS))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scores = []
    for threshold in THRESHOLDS:
        found = {(p.left, p.right) for p in pairs if p.probability >= threshold}
        right = len(found & truth)
        scores.append((threshold, len(found), right / max(len(found), 1), right / len(truth)))
    queue.put((size, len(truth), seconds, peak, scores))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=1,
                        help="slips applied to each duplicate this many times over (2: harder)")
    args = parser.parse_args()
    print("| people | true pairs | time | peak memory | threshold | pairs found | precision "
          "| recall |")
    print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        queue = multiprocessing.Queue()
        process = multiprocessing.Process(target=measure,
                                          args=(size, args.seed, args.rounds, queue))
        process.start()
        size, true_pairs, seconds, peak, scores = queue.get()
        process.join()
        for threshold, found, precision, recall in scores:
            mark = " (default)" if threshold == DEFAULT_THRESHOLD else ""
            print(f"| {size:,} | {true_pairs:,} | {seconds:.1f} s | {peak:.0f} MB "
                  f"| {threshold}{mark} | {found:,} | {precision:.3f} | {recall:.3f} |",
                  flush=True)


if __name__ == "__main__":
    main()

"""Time what the network page does, on synthetic networks of growing size (no database).

    .venv/bin/python bench/bench_network.py [--sizes 500 2000 5000]

Each network has people in clusters of about 12 with a few links between clusters, plus an
address per four people: roughly the shape of an intelligence network. Prints the seconds
for building the graph, centrality (degree and betweenness), suspected groups (Louvain), the
Cytoscape elements, GEXF, GraphML and FollowTheMoney lines.
"""

import argparse
import random
import time

from soclocal.core import ftm, networks


def synthetic(n, seed=1):
    rng = random.Random(seed)
    people = list(range(n))
    addresses = list(range(n, n + n // 4))
    nodes = [{"id": i, "kind": "person", "label": f"Person {i}"} for i in people]
    nodes += [{"id": i, "kind": "address", "label": f"{i} Example Street"} for i in addresses]
    edges = []
    for i in people:
        cluster = i // 12
        for _ in range(2):
            j = rng.randrange(cluster * 12, min(n, cluster * 12 + 12))
            if j != i:
                edges.append((i, j, "associate"))
        if rng.random() < 0.05:
            edges.append((i, rng.randrange(n), "associate"))
        edges.append((i, addresses[i // 4 % len(addresses)], "occupies"))
    edges = [{"id": k, "source": a, "target": b, "kind": kind, "start": None, "end": None,
              "grading": "2/B/P"} for k, (a, b, kind) in enumerate(edges) if a != b]
    return nodes, edges


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    print(f"  {label:<22} {time.perf_counter() - start:8.3f} s")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    args = parser.parse_args()
    for n in args.sizes:
        nodes, edges = synthetic(n)
        print(f"{n} people, {len(nodes)} entities, {len(edges)} links")
        graph = timed("build", lambda: networks.build(nodes, edges))  # noqa: B023
        timed("centrality, exact", lambda: networks.centrality(graph))  # noqa: B023
        timed("centrality, sample 400",
              lambda: networks.centrality(graph, sample=400))  # noqa: B023
        groups = timed("suspected groups", lambda: networks.suspected_groups(graph))  # noqa: B023
        print(f"  {'(groups found)':<22} {len(groups):8d}")
        timed("cytoscape elements", lambda: networks.to_cytoscape_json(graph))  # noqa: B023
        timed("GEXF", lambda: networks.to_gexf(graph))  # noqa: B023
        timed("GraphML", lambda: networks.to_graphml(graph))  # noqa: B023
        timed("FtM lines", lambda: list(ftm.export_lines(  # noqa: B023
            ({"id": d["id"], "kind": d["kind"],
              "properties": {"forenames": d["label"], "full": d["label"]}} for d in nodes),  # noqa: B023
            ({"id": e["id"], "kind": e["kind"], "from": e["source"], "to": e["target"]}
             for e in edges))))  # noqa: B023


if __name__ == "__main__":
    main()

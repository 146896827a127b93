"""Networks of people, groups, places and things, and what can be asked of them (networkx).

A network is built from plain dicts, so any context can draw one from its own records:
nodes `{"id", "kind", "label"}` and links `{"id", "source", "target", "kind", "start", "end",
"grading"}` (dates or ISO strings or None; a grading such as "2/B/C" or None). Links are
undirected and two nodes may be joined by several links (a MultiGraph).

Suspected groups come from Louvain communities with a fixed seed, so the same network always
gives the same groups; they are leads for an analyst to test, never findings.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

SEED = 42


def _as_date(value):
    if value is None or value == "" or isinstance(value, date):
        return value or None
    return date.fromisoformat(str(value)[:10])


def build(nodes: Iterable[Mapping], edges: Iterable[Mapping]) -> nx.MultiGraph:
    """The network of `nodes` joined by `edges`. An edge naming a node not given is an error."""
    import networkx as nx  # slow to import; loaded when a network is drawn

    graph = nx.MultiGraph()
    for node in nodes:
        graph.add_node(node["id"], kind=node.get("kind", ""), label=node.get("label", ""))
    for edge in edges:
        for end in ("source", "target"):
            if edge[end] not in graph:
                raise ValueError(f"link {edge['id']} names {end} {edge[end]!r}, "
                                 "which is not among the nodes")
        graph.add_edge(edge["source"], edge["target"], key=edge["id"], id=edge["id"],
                       source=edge["source"], target=edge["target"],
                       kind=edge.get("kind", ""), start=_as_date(edge.get("start")),
                       end=_as_date(edge.get("end")), grading=edge.get("grading") or None)
    return graph


def _keep_edges(graph, keep) -> nx.MultiGraph:
    import networkx as nx  # slow to import; loaded when a network is drawn

    kept = nx.MultiGraph()
    kept.add_nodes_from(graph.nodes(data=True))
    kept.add_edges_from((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True)
                        if keep(d))
    return kept


def filter_kinds(graph: nx.MultiGraph, kinds: Iterable[str]) -> nx.MultiGraph:
    """Only the links of the given kinds (every node stays)."""
    kinds = set(kinds)
    return _keep_edges(graph, lambda d: d["kind"] in kinds)


def filter_grading(graph: nx.MultiGraph, gradings: Iterable[str] = (), *,
                   at_least: str | None = None) -> nx.MultiGraph:
    """Only the links whose grading (such as "2/B/C") passes; ungraded links are dropped.

    `gradings` lists the gradings to keep; a part may be "*" to accept anything there, so
    {"*/A/*"} keeps every link whose intelligence was graded A. `at_least` keeps gradings as
    good or better, part by part: "2/B" keeps 1/A, 2/A, 1/B and 2/B with any handling code
    (1 is better than 2, A better than B). Given both, a link must pass both."""
    patterns = [g.split("/") for g in gradings]
    floor = at_least.split("/") if at_least else []

    def passes(grading):
        if not grading:
            return False
        parts = grading.split("/")
        if patterns and not any(
                len(p) == len(parts) and all(a in ("*", b) for a, b in zip(p, parts, strict=True))
                for p in patterns):
            return False
        return len(parts) >= len(floor) and all(
            part.upper() <= limit.upper() for part, limit in zip(parts, floor, strict=False))
    return _keep_edges(graph, lambda d: passes(d["grading"]))


def as_on(graph: nx.MultiGraph, day) -> nx.MultiGraph:
    """The network as it stood on `day`: links started by then and not yet ended.
    A link with no start date is taken to have always been there."""
    day = _as_date(day)
    return _keep_edges(graph, lambda d: (d["start"] is None or d["start"] <= day)
                       and (d["end"] is None or d["end"] >= day))


def ego(graph: nx.MultiGraph, node, steps: int = 1) -> nx.MultiGraph:
    """`node` and everything within `steps` links of it, with the links among them."""
    import networkx as nx  # slow to import; loaded when a network is drawn

    return nx.ego_graph(graph, node, radius=steps).copy()


def shortest_path(graph: nx.MultiGraph, source, target) -> list | None:
    """The nodes on one shortest path from `source` to `target`, or None if unconnected.
    Where several paths are equally short the same one is always given."""
    import networkx as nx  # slow to import; loaded when a network is drawn

    if source not in graph or target not in graph:
        return None
    try:
        paths = nx.all_shortest_paths(graph, source, target)
        return min(paths, key=lambda path: [str(n) for n in path])
    except nx.NetworkXNoPath:
        return None


def centrality(graph: nx.MultiGraph, sample: int | None = None) -> dict:
    """Per node: `degree` (number of links), `degree_centrality` and `betweenness`
    (normalised, on the simple network: two people linked twice are linked once).

    Exact betweenness grows with nodes times links; given `sample`, a network with more nodes
    than that estimates it from paths out of `sample` nodes chosen with the fixed seed."""
    import networkx as nx  # slow to import; loaded when a network is drawn

    simple = nx.Graph(graph)
    degree_c = nx.degree_centrality(simple)
    k = sample if sample and sample < simple.number_of_nodes() else None
    between = nx.betweenness_centrality(simple, k=k, normalized=True, seed=SEED)
    return {n: {"degree": graph.degree(n), "degree_centrality": degree_c[n],
                "betweenness": between[n]} for n in graph.nodes}


def suspected_groups(graph: nx.MultiGraph, min_size: int = 3) -> list[list]:
    """Louvain communities of at least `min_size` nodes, largest first, each sorted."""
    import networkx as nx  # slow to import; loaded when a network is drawn

    simple = nx.Graph(graph)
    simple.remove_nodes_from([n for n in list(simple) if simple.degree(n) == 0])
    if simple.number_of_edges() == 0:
        return []
    groups = nx.community.louvain_communities(simple, seed=SEED)
    groups = [sorted(g, key=str) for g in groups if len(g) >= min_size]
    return sorted(groups, key=lambda g: (-len(g), [str(n) for n in g]))


def _for_export(graph):
    """A copy with plain-text attributes, as GEXF and GraphML want."""
    import networkx as nx  # slow to import; loaded when a network is drawn

    out = nx.MultiGraph()
    for n, d in graph.nodes(data=True):
        out.add_node(str(n), kind=d.get("kind", ""), label=d.get("label", ""))
    for _, _, k, d in graph.edges(keys=True, data=True):
        out.add_edge(str(d["source"]), str(d["target"]), key=str(k), id=str(d["id"]),
                     kind=d["kind"],
                     start=d["start"].isoformat() if d["start"] else "",
                     end=d["end"].isoformat() if d["end"] else "", grading=d["grading"] or "")
    return out


def to_gexf(graph: nx.MultiGraph) -> bytes:
    import networkx as nx  # slow to import; loaded when a network is drawn

    stream = io.BytesIO()
    nx.write_gexf(_for_export(graph), stream)
    return stream.getvalue()


def to_graphml(graph: nx.MultiGraph) -> bytes:
    import networkx as nx  # slow to import; loaded when a network is drawn

    stream = io.BytesIO()
    nx.write_graphml(_for_export(graph), stream)
    return stream.getvalue()


def to_cytoscape(graph: nx.MultiGraph) -> dict:
    """Elements for Cytoscape.js: {"nodes": [{"data": {...}}], "edges": [{"data": {...}}]}."""
    nodes = [{"data": {"id": str(n), "kind": d.get("kind", ""), "label": d.get("label", "")}}
             for n, d in graph.nodes(data=True)]
    edges = [{"data": {"id": str(d["id"]), "source": str(d["source"]),
                       "target": str(d["target"]),
                       "kind": d["kind"],
                       "start": d["start"].isoformat() if d["start"] else None,
                       "end": d["end"].isoformat() if d["end"] else None,
                       "grading": d["grading"]}}
             for _, _, d in graph.edges(data=True)]
    return {"nodes": nodes, "edges": edges}


def to_cytoscape_json(graph: nx.MultiGraph) -> str:
    return json.dumps(to_cytoscape(graph), sort_keys=True)

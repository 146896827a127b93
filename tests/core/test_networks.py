"""Networks against small graphs worked by hand.

    a - b - c - d       e - f      g (alone)
        |       |
        +-- x --+

a-b associate 2020-2021 graded 1/A/A; b-c family from 2019; c-d associate graded 2/B/C from
2022; b-x member_of; x-d member_of ended 2020-06-30; e-f associate.
"""

import io
from datetime import date
from xml.etree import ElementTree

import networkx as nx
import pytest

from soclocal.core import networks

NODES = [{"id": i, "kind": "organisation" if i == "x" else "person", "label": i.upper()}
         for i in "abcdxefg"]
EDGES = [
    {"id": "e1", "source": "a", "target": "b", "kind": "associate", "start": "2020-01-01",
     "end": date(2021, 12, 31), "grading": "1/A/A"},
    {"id": "e2", "source": "b", "target": "c", "kind": "family", "start": date(2019, 1, 1),
     "end": None, "grading": None},
    {"id": "e3", "source": "c", "target": "d", "kind": "associate", "start": "2022-03-01",
     "end": None, "grading": "2/B/C"},
    {"id": "e4", "source": "b", "target": "x", "kind": "member_of", "start": None, "end": None,
     "grading": "3/C/D"},
    {"id": "e5", "source": "x", "target": "d", "kind": "member_of", "start": None,
     "end": "2020-06-30", "grading": None},
    {"id": "e6", "source": "e", "target": "f", "kind": "associate", "start": None, "end": None,
     "grading": None},
]


@pytest.fixture
def graph():
    return networks.build(NODES, EDGES)


def edge_ids(graph):
    return sorted(d["id"] for _, _, d in graph.edges(data=True))


def test_build_keeps_every_node_and_link(graph):
    assert graph.number_of_nodes() == 8
    assert edge_ids(graph) == ["e1", "e2", "e3", "e4", "e5", "e6"]


def test_a_link_to_an_unknown_node_is_refused():
    with pytest.raises(ValueError, match="zz"):
        networks.build(NODES, [{"id": "bad", "source": "a", "target": "zz", "kind": "family"}])


def test_filter_by_kind(graph):
    assert edge_ids(networks.filter_kinds(graph, ["associate"])) == ["e1", "e3", "e6"]
    assert networks.filter_kinds(graph, ["associate"]).number_of_nodes() == 8


def test_filter_by_grading_with_wildcards(graph):
    assert edge_ids(networks.filter_grading(graph, ["2/B/C"])) == ["e3"]
    assert edge_ids(networks.filter_grading(graph, ["*/A/*", "3/*/*"])) == ["e1", "e4"]


def test_filter_by_grading_as_good_or_better(graph):
    # e1 1/A/A, e3 2/B/C, e4 3/C/D; the rest ungraded
    assert edge_ids(networks.filter_grading(graph, at_least="2/B")) == ["e1", "e3"]
    assert edge_ids(networks.filter_grading(graph, at_least="1")) == ["e1"]
    assert edge_ids(networks.filter_grading(graph, at_least="3/E")) == ["e1", "e3", "e4"]
    assert edge_ids(networks.filter_grading(graph, ["*/*/C", "1/A/A"], at_least="1")) == ["e1"]


def test_as_it_stood_on_a_day(graph):
    # 2020-06-30: e1 started, e2 running, e3 not yet, e4 always, e5 ends that day, e6 always
    assert edge_ids(networks.as_on(graph, "2020-06-30")) == ["e1", "e2", "e4", "e5", "e6"]
    assert edge_ids(networks.as_on(graph, date(2020, 7, 1))) == ["e1", "e2", "e4", "e6"]
    assert edge_ids(networks.as_on(graph, "2023-01-01")) == ["e2", "e3", "e4", "e6"]


def test_ego_network(graph):
    assert sorted(networks.ego(graph, "a", 1)) == ["a", "b"]
    assert sorted(networks.ego(graph, "a", 2)) == ["a", "b", "c", "x"]
    assert sorted(networks.ego(graph, "a", 3)) == ["a", "b", "c", "d", "x"]


def test_shortest_path(graph):
    # a-b-c-d and a-b-x-d are equally short; the same one is always given
    assert networks.shortest_path(graph, "a", "d") == ["a", "b", "c", "d"]
    assert networks.shortest_path(networks.filter_kinds(graph, ["associate", "member_of"]),
                                  "a", "d") == ["a", "b", "x", "d"]
    assert networks.shortest_path(graph, "a", "e") is None
    assert networks.shortest_path(graph, "a", "nobody") is None


def test_centrality(graph):
    scores = networks.centrality(graph)
    assert scores["b"]["degree"] == 3
    assert scores["g"]["degree"] == 0
    assert scores["b"]["degree_centrality"] == pytest.approx(3 / 7)
    # b lies on every shortest path from a to c, x and d: 3 of the 21 pairs, plus half
    # of the two paths between c and x (through b or through d)
    assert scores["b"]["betweenness"] == pytest.approx((3 + 0.5) / 21)
    assert scores["a"]["betweenness"] == 0


def test_suspected_groups_are_repeatable_and_sized():
    # two triangles joined by one link, and a pair
    nodes = [{"id": n, "kind": "person", "label": n} for n in "abcdefgh"]
    links = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"),
             ("c", "d"), ("g", "h")]
    edges = [{"id": f"l{i}", "source": s, "target": t, "kind": "associate"}
             for i, (s, t) in enumerate(links)]
    graph = networks.build(nodes, edges)
    groups = networks.suspected_groups(graph)
    assert groups == [["a", "b", "c"], ["d", "e", "f"]]
    assert networks.suspected_groups(graph) == groups
    assert networks.suspected_groups(networks.build(nodes, [])) == []


def test_gexf_and_graphml_read_back(graph):
    for data, read in ((networks.to_gexf(graph), nx.read_gexf),
                       (networks.to_graphml(graph), nx.read_graphml)):
        ElementTree.fromstring(data)
        back = read(io.BytesIO(data))
        assert back.number_of_nodes() == 8
        assert back.number_of_edges() == 6


def test_cytoscape_elements(graph):
    elements = networks.to_cytoscape(networks.as_on(graph, "2023-01-01"))
    assert {n["data"]["id"] for n in elements["nodes"]} == set("abcdxefg")
    e3 = next(e["data"] for e in elements["edges"] if e["data"]["id"] == "e3")
    assert e3 == {"id": "e3", "source": "c", "target": "d", "kind": "associate",
                  "start": "2022-03-01", "end": None, "grading": "2/B/C"}
    e4 = next(e["data"] for e in elements["edges"] if e["data"]["id"] == "e4")
    assert (e4["source"], e4["target"]) == ("b", "x")


def test_betweenness_estimated_from_a_sample_is_repeatable_and_exact_when_it_covers_all():
    # A star of 30 leaves round a hub: only the hub lies between others.
    graph = networks.build([{"id": i} for i in range(31)],
                           [{"id": i, "source": 0, "target": i} for i in range(1, 31)])
    exact = networks.centrality(graph)
    assert networks.centrality(graph, sample=31) == exact
    estimate = networks.centrality(graph, sample=10)
    assert estimate == networks.centrality(graph, sample=10)  # the same seed, the same sample
    assert max(estimate, key=lambda n: estimate[n]["betweenness"]) == 0
    assert all(estimate[n]["betweenness"] == 0 for n in range(1, 31))
    assert {n: m["degree"] for n, m in estimate.items()} == {n: m["degree"] for n, m in exact.items()}

"""kgraph.louvain: Louvain communities in exact arithmetic (what `kgraph communities` runs)."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph import louvain

#: A graph on which networkx 3.6.1's louvain_communities(seed=5) never returns: two nodes keep swapping
#: communities on gains that are zero but for round-off (found by a random search over small graphs).
LOOPING = {(0, 1): 1, (0, 3): 1, (0, 5): 1, (1, 2): 1, (1, 3): 1, (1, 4): 1, (2, 3): 1, (3, 4): 1, (3, 5): 1, (5, 6): 1}


def test_it_ends_where_networkx_swaps_nodes_forever():
    found = louvain.communities(LOOPING, range(7), seed=5, resolution=1.0)
    assert sorted(map(sorted, found)) == [[0, 5, 6], [1, 2, 3, 4]]


def _modularity(edges: dict[tuple[int, int], int], parts: list[set[int]], resolution: float = 1.0) -> float:
    graph = nx.Graph()
    graph.add_nodes_from(n for part in parts for n in part)
    graph.add_weighted_edges_from((u, v, w) for (u, v), w in edges.items())
    return float(nx.community.modularity(graph, parts, weight="weight", resolution=resolution))


@st.composite
def weighted_graphs(draw: st.DrawFn) -> tuple[int, dict[tuple[int, int], int]]:
    count = draw(st.integers(1, 25))
    pairs = st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)).filter(lambda pair: pair[0] < pair[1])
    edges = draw(st.dictionaries(pairs, st.integers(1, 4), max_size=60))
    return count, edges


@settings(max_examples=200, deadline=None)
@given(graph=weighted_graphs(), seed=st.integers(0, 50), resolution=st.sampled_from([0.3, 0.5, 1.0, 1.7, 2.0]))
def test_communities_are_a_partition_and_do_not_depend_on_the_edges_order(graph, seed, resolution):
    count, edges = graph
    found = louvain.communities(edges, range(count), seed=seed, resolution=resolution)
    members = [n for part in found for n in part]
    assert sorted(members) == list(range(count))
    assert all(found)
    shuffled = list(edges.items())
    random.Random(seed).shuffle(shuffled)  # noqa: S311 - a test shuffle
    again = louvain.communities(dict(shuffled), range(count), seed=seed, resolution=resolution)
    assert sorted(map(sorted, again)) == sorted(map(sorted, found))
    if edges:  # modularity is not defined without edges (and every node is then alone)
        singletons = [{n} for n in range(count)]
        assert _modularity(edges, found, resolution) >= _modularity(edges, singletons, resolution) - 1e-12
    else:
        assert len(found) == count


def test_communities_are_as_good_as_networkx_on_average():
    """Twenty seeded scale-free graphs with weights 1-3: networkx 3.6.1's Louvain reaches a mean modularity of
    0.5555 on them, this 0.5553; a broken move rule or aggregation falls far below."""
    scores = []
    for number in range(20):
        graph = nx.Graph(nx.scale_free_graph(500, seed=number).to_undirected())
        graph.remove_edges_from(list(nx.selfloop_edges(graph)))
        graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
        weights = random.Random(number)  # noqa: S311 - seeded test data
        edges = {(u, v): weights.randint(1, 3) for u, v in sorted(graph.edges)}
        found = louvain.communities(edges, sorted(graph), seed=number, resolution=1.0)
        scores.append(_modularity(edges, found))
    assert sum(scores) / len(scores) > 0.55


@pytest.mark.parametrize(
    "edges",
    [{(1, 1): 1}, {(0, 1): 1.5}, {(0, 1): 0}, {(0, 1): True}],
    ids=["self-loop", "float weight", "zero weight", "boolean weight"],
)
def test_bad_edges_are_refused(edges):
    with pytest.raises(ValueError, match="two different nodes and a positive integer weight"):
        louvain.communities(edges, range(2), seed=1, resolution=1.0)

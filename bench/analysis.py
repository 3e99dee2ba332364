"""How the analyses scale: ``python bench/analysis.py [--sizes 100,1000,5000]``.

Each size is a synthetic projection (networkx's seeded ``scale_free_graph``: a few hubs, like AWS and the keynote,
and many entities with one or two relations), with the node and edge attributes :func:`kgraph.analysis.project`
stores. For every step the best of a few runs is printed in seconds and as a ratio to the same step on the
first size (the bundled graph has about 100 entities and 180 relations), so the growth shows on any machine.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from functools import partial

import networkx as nx

from kgraph import analysis
from kgraph.errors import NoAnswerError
from kgraph.export.graph import gexf, graphml, node_link


def synthetic(nodes: int, seed: int = 1) -> nx.MultiDiGraph:
    """A projection-like MultiDiGraph of ``nodes`` entities (keys, attributes and edge keys as project() makes)."""
    shape = nx.scale_free_graph(nodes, seed=seed)
    graph = nx.MultiDiGraph()
    for n in sorted(shape):
        iri = f"https://w3id.org/kgraph/resource/e{n:06d}"
        graph.add_node(
            iri,
            iri=iri,
            qname=f"kgr:e{n:06d}",
            label_en=f"Entity {n}",
            label_zh=f"实体{n}",
            cls="kg:Service",
            cls_label_en="Service",
            cls_label_zh="服务",
            description_en="",
            description_zh="",
        )
    relations = ["kg:uses", "kg:developedBy", "kg:partOf", "kg:integrates"]
    for u, v, k in sorted(shape.edges(keys=True)):
        if u == v:
            continue
        key = relations[(u + v + k) % len(relations)]
        graph.add_edge(
            f"https://w3id.org/kgraph/resource/e{u:06d}",
            f"https://w3id.org/kgraph/resource/e{v:06d}",
            key=key,
            relation=key,
            relation_qname=key,
            label_en=key.removeprefix("kg:"),
            label_zh=key.removeprefix("kg:"),
            sections="",
            inferred=False,
        )
    return graph


def best(step: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return min(times)


def steps(graph: nx.MultiDiGraph) -> dict[str, Callable[[], object]]:
    pick = random.Random(7)  # noqa: S311 - picking benchmark pairs, not secrets
    nodes = list(graph)
    pairs = [(pick.choice(nodes), pick.choice(nodes)) for _ in range(20)]

    def paths() -> None:
        for a, b in pairs:
            if a != b:
                _answer_or_none(partial(analysis.shortest_paths, graph, a, b, limit=10))

    def neighbours() -> None:
        for a, _b in pairs:
            _answer_or_none(partial(analysis.neighbourhood, graph, a, depth=2))

    return {
        "20 x path (either way)": paths,
        "20 x neighbors --depth 2": neighbours,
        "rank --by degree": lambda: analysis.centrality(graph, "degree"),
        "rank --by pagerank": lambda: analysis.centrality(graph, "pagerank"),
        "rank --by betweenness": lambda: analysis.centrality(graph, "betweenness"),
        "rank --by betw. --sample 200": lambda: analysis.centrality(graph, "betweenness", sample=200),
        "communities (Louvain)": lambda: analysis.communities(graph),
        "export graphml": lambda: graphml(graph),
        "export gexf": lambda: gexf(graph),
        "export json": lambda: node_link(graph),
    }


def _answer_or_none(step: Callable[[], object]) -> object:
    """Some random pairs have no path, some entities no neighbour: that is an answer too."""
    try:
        return step()
    except NoAnswerError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="entity counts, comma-separated (first: baseline)")
    parser.add_argument("--runs", type=int, default=3, help="runs per step; the best is kept")
    arguments = parser.parse_args()
    sizes = [int(s) for s in arguments.sizes.split(",")]
    baseline: dict[str, float] = {}
    print(f"{'step':<30}" + "".join(f"{f'{n} nodes':>22}" for n in sizes))  # noqa: T201
    table: dict[str, list[str]] = {}
    edges = []
    for n in sizes:
        graph = synthetic(n)
        edges.append(graph.number_of_edges())
        for name, step in steps(graph).items():
            seconds = best(step, arguments.runs)
            baseline.setdefault(name, seconds)
            ratio = seconds / baseline[name] if baseline[name] else float("nan")
            table.setdefault(name, []).append(f"{seconds:9.3f} s {ratio:7.1f}x")
    print(f"{'(relations)':<30}" + "".join(f"{e:>22}" for e in edges))  # noqa: T201
    for name, cells in table.items():
        print(f"{name:<30}" + "".join(f"{c:>22}" for c in cells))  # noqa: T201


if __name__ == "__main__":
    main()

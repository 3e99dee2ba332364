"""Louvain community detection (Blondel et al., 2008) in exact arithmetic, for :func:`kgraph.analysis.communities`.

Why not networkx's ``louvain_communities``: it compares modularity gains as floats divided by ``m`` and ``m²``;
when two communities are equally good, round-off can make each look a little better than the other in turn, so
nodes swap back and forth sweep after sweep or forever (networkx issues 5175, 6751, 8739; fixed upstream after
networkx 3.6.1), and it sweeps over every node until a sweep moves none, which on a large sparse graph takes
hundreds of sweeps of tiny gains. On the projection of a 1M-triple store (96,154 entities, 218,082 relations) it
took 166 s; this takes about 5 s, for the same modularity (0.466 against 0.467).

Here the weights are integers (how many relations link two entities) and the resolution a float read as the
exact fraction ``p / q``, so every comparison is between Python integers: a node moves only to a community that
is strictly better, modularity rises with every move, and each level ends. Within a level, every node is visited
once in an order shuffled by the seeded generator, then only the neighbours of a node that moved, outside its
new community (the "fast local move" of the Leiden algorithm, Traag et al., 2019); when none is left to visit,
each community becomes one node of the next level's graph (its inner weight a self-loop). It stops at a level
where no node moves.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

Node = TypeVar("Node", bound=Hashable)


def communities(
    edges: Mapping[tuple[Node, Node], int], nodes: Iterable[Node], *, seed: int, resolution: float
) -> list[set[Node]]:
    """The communities of the undirected graph with these ``nodes`` and ``edges`` (``(u, v) -> weight``, each
    pair once, integer weights, no self-loops), in no particular order; a node without edges is a community of
    its own. The same input and ``seed`` give the same communities."""
    names = list(nodes)
    index = {name: i for i, name in enumerate(names)}
    links: list[dict[int, int]] = [{} for _ in names]
    # In the nodes' order, so that the answer depends on the graph alone (ties go to the first neighbour).
    for (u, v), weight in sorted(edges.items(), key=lambda edge: sorted((index[edge[0][0]], index[edge[0][1]]))):
        a, b = index[u], index[v]
        if a == b or isinstance(weight, bool) or not isinstance(weight, int) or weight <= 0:
            raise ValueError(f"an edge needs two different nodes and a positive integer weight: {u!r}-{v!r}")
        links[a][b] = links[a].get(b, 0) + weight
        links[b][a] = links[b].get(a, 0) + weight
    p, q = float(resolution).as_integer_ratio()
    rng = random.Random(seed)  # noqa: S311 - a seeded shuffle, not a secret
    members: list[list[int]] = [[i] for i in range(len(names))]  # the original nodes of each current node
    loops = [0] * len(names)  # each current node's inner weight (a self-loop: the relations inside it)
    while True:
        community = _one_level(links, loops, p, q, rng)
        if len(set(community)) == len(community):  # no node moved: this is the answer
            return [{names[i] for i in group} for group in members]
        links, loops, members = _aggregate(links, loops, members, community)


def _one_level(links: list[dict[int, int]], loops: list[int], p: int, q: int, rng: random.Random) -> list[int]:
    """Move nodes between communities while a move raises modularity (see the module's docstring); each node's
    community.

    Moving node ``i`` (weighted degree ``k``) into community ``c`` changes modularity by
    ``(k_in(c) - resolution * total(c) * k / 2m) / m`` up to a term that does not depend on ``c``, where
    ``k_in(c)`` is the weight of its relations into ``c`` and ``total(c)`` the degrees in ``c`` without ``i``;
    times ``2m * q * m`` that is ``2m * q * k_in(c) - p * total(c) * k``, an integer, compared exactly.
    """
    count = len(links)
    degree = [2 * loops[i] + sum(links[i].values()) for i in range(count)]
    two_m = sum(degree)
    community = list(range(count))
    total = degree[:]
    order = list(range(count))
    rng.shuffle(order)
    waiting = deque(order)  # the nodes to visit: all, then the neighbours of those that moved
    queued = [True] * count
    while waiting:
        i = waiting.popleft()
        queued[i] = False
        k = degree[i]
        current = community[i]
        into: dict[int, int] = {}
        for j, weight in links[i].items():
            into[community[j]] = into.get(community[j], 0) + weight
        total[current] -= k
        best, best_score = current, two_m * q * into.get(current, 0) - p * total[current] * k
        for candidate, weight in into.items():
            score = two_m * q * weight - p * total[candidate] * k
            if score > best_score:
                best, best_score = candidate, score
        total[best] += k
        if best != current:
            community[i] = best
            for j in links[i]:  # only a neighbour outside its new community can now do better by moving
                if not queued[j] and community[j] != best:
                    queued[j] = True
                    waiting.append(j)
    return community


def _aggregate(
    links: list[dict[int, int]], loops: list[int], members: list[list[int]], community: list[int]
) -> tuple[list[dict[int, int]], list[int], list[list[int]]]:
    """The next level's graph: one node per community (numbered in order of first member), the weights between
    communities summed, the weight inside each kept as its self-loop."""
    number: dict[int, int] = {}
    for c in community:
        number.setdefault(c, len(number))
    new_links: list[dict[int, int]] = [{} for _ in number]
    new_loops = [0] * len(number)
    new_members: list[list[int]] = [[] for _ in number]
    for i, c in enumerate(community):
        a = number[c]
        new_members[a].extend(members[i])
        new_loops[a] += loops[i]
        for j, weight in links[i].items():
            b = number[community[j]]
            if a == b:
                if i < j:  # each inner relation once
                    new_loops[a] += weight
            else:
                new_links[a][b] = new_links[a].get(b, 0) + weight
    return new_links, new_loops, new_members

"""The choices the analyses take, apart from them: ``kgraph neighbors --help``, ``rank --help`` and Tab completion
read these without importing :mod:`kgraph.analysis`, whose networkx takes 0.2 s to import."""

from __future__ import annotations

#: How far ``neighbourhood`` looks at most: five steps from any entity reach nearly the whole bundled graph.
MAX_DEPTH = 5
#: The centrality measures :func:`kgraph.analysis.centrality` knows.
MEASURES = ("degree", "pagerank", "betweenness")
#: What ``direction`` means in :func:`kgraph.analysis.neighbourhood` and :func:`kgraph.analysis.chain`: follow
#: relations as stated (``out``), against it (``in``), or either way (``both``).
DIRECTIONS = ("both", "out", "in")

"""kgraph: a knowledge graph of technology products and customers from the AWS re:Invent 2025 keynote.

Public API::

    from kgraph import load, validate
    loaded = load()                 # bundled ontology + data, with inferences
    loaded.graph.query("SELECT ...", initNs=PREFIXES)
    report = validate(loaded)
"""

from __future__ import annotations

__version__ = "0.1.0"

from kgraph.errors import KGraphError
from kgraph.store import LoadedGraph, load
from kgraph.validate import ValidationReport, validate
from kgraph.vocab import PREFIXES

__all__ = ["PREFIXES", "KGraphError", "LoadedGraph", "ValidationReport", "__version__", "load", "validate"]

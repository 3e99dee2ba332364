"""kgraph: a knowledge graph of technology products and customers from the AWS re:Invent 2025 keynote.

Public API::

    from kgraph import PREFIXES, load, validate
    loaded = load()                 # bundled ontology + data, with inferences
    loaded.graph.query("SELECT ...", initNs=PREFIXES)
    report = validate(loaded)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from kgraph.errors import KGraphError
from kgraph.store import LoadedGraph, load
from kgraph.vocab import PREFIXES

if TYPE_CHECKING:
    from kgraph.validation import ValidationReport, validate

#: Imported on first use: SHACL validation is not needed by most commands, and every command imports this package.
_LAZY = {"validate": "kgraph.validation", "ValidationReport": "kgraph.validation"}


def __getattr__(name: str) -> Any:  # noqa: ANN401 - a module attribute of any kind
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kgraph' has no attribute {name!r}")


__all__ = ["PREFIXES", "KGraphError", "LoadedGraph", "ValidationReport", "__version__", "load", "validate"]

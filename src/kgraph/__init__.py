"""kgraph: a knowledge graph of technology products and customers from the AWS re:Invent 2025 keynote.

Public API::

    from kgraph import PREFIXES, load, validate
    loaded = load()                 # bundled ontology + data, with inferences
    loaded.graph.query("SELECT ...", initNs=PREFIXES)
    report = validate(loaded)

The rest, by module (README, "Python API"):

- ``kgraph.persist``: ``build(DIR)`` a persistent store (Oxigraph) for large graphs, ``open_store(DIR)`` it, as a
  ``LoadedGraph``.
- ``kgraph.query``: ``parse``, ``run_local`` (with a time limit), ``render``; the saved queries
  (``saved_queries``, ``saved_query``, ``bind_saved``); ``run_remote`` for a SPARQL endpoint.
- ``kgraph.analysis``: ``project`` the entities onto networkx, then ``shortest_paths``, ``neighbourhood``,
  ``lineage``, ``ranking``, ``communities``.
- ``kgraph.explore``: ``describe`` one entity, ``entities``, ``stats``.
- ``kgraph.errors``: ``KGraphError`` and its subclasses, each message in the terms of the Python API.
"""

# No import runs here (not even ``from __future__``, nor typing): the ``kgraph`` command imports this package
# before anything else, and a Ctrl-C during the imports is caught only once kgraph.__main__ runs.
__version__ = "0.1.0"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from kgraph.errors import KGraphError
    from kgraph.store import LoadedGraph, load
    from kgraph.validation import ValidationReport, validate
    from kgraph.vocab import PREFIXES

#: The public names, each imported from its module on first use: rdflib's import, most of a command's start-up,
#: then comes where kgraph.__main__ catches a Ctrl-C, and a command that needs no SHACL validation never imports it.
_LAZY = {
    "KGraphError": "kgraph.errors",
    "LoadedGraph": "kgraph.store",
    "load": "kgraph.store",
    "PREFIXES": "kgraph.vocab",
    "validate": "kgraph.validation",
    "ValidationReport": "kgraph.validation",
}


def __getattr__(name: str) -> "Any":  # noqa: ANN401 - a module attribute of any kind
    if name in _LAZY:
        from importlib import import_module  # noqa: PLC0415 - see above

        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kgraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY} - {"TYPE_CHECKING"})  # a name for mypy only


__all__ = ["PREFIXES", "KGraphError", "LoadedGraph", "ValidationReport", "__version__", "load", "validate"]

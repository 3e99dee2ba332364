"""SPARQL for kgraph: run a query on the loaded graph or at any endpoint, safely, and write its answer.

The pieces, each usable on its own (``kgraph query`` and ``kgraph queries`` are thin commands over them)::

    from kgraph.query import parse, run_local, render, saved_query, bind_saved, LocalResolver
    from kgraph.query.loading import load

    loaded = load()                                          # the graph, from the cache when unchanged
    saved = saved_query("customers-of")
    bindings = bind_saved(saved, {"product": "Amazon Bedrock"}, LocalResolver(loaded))
    answer = run_local(loaded, parse(saved.text, saved.name), bindings, timeout=10)
    print(render(answer, "csv").decode())

- :mod:`~kgraph.query.parsing`: parse with the project's prefixes; errors with line and column.
- :mod:`~kgraph.query.safety`: what a query may fetch or change, checked on the parsed algebra, and the network
  guard around evaluation.
- :mod:`~kgraph.query.engine`: local evaluation with a time limit and progress; :mod:`~kgraph.query.remote`:
  SPARQL 1.1 Protocol endpoints.
- :mod:`~kgraph.query.library` and :mod:`~kgraph.query.params`: the saved queries and their parameters.
- :mod:`~kgraph.query.formats`: the W3C result formats, RDF, and the table.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kgraph.query.answer import Answer
    from kgraph.query.engine import run_local
    from kgraph.query.formats import FORMATS, GRAPH_FORMATS, MEDIA_TYPES, RESULT_FORMATS, choose, render
    from kgraph.query.library import SavedQuery, saved_queries, saved_query
    from kgraph.query.params import LocalResolver, RemoteResolver, bind_adhoc, bind_saved, parse_assignments
    from kgraph.query.parsing import ParsedQuery, parse
    from kgraph.query.remote import Endpoint, run_remote
    from kgraph.query.safety import Policy, check

#: The environment variable that holds ``user:password`` for an endpoint's HTTP basic auth (``--auth-env``).
DEFAULT_AUTH_VARIABLE = "KGRAPH_ENDPOINT_AUTH"

#: Where each public name lives. A name's module is imported when the name is first used, so that a command
#: loads only what it runs (an inline query needs neither the saved queries nor the endpoint client).
_HOMES = {
    "Answer": "answer",
    "run_local": "engine",
    **dict.fromkeys(("FORMATS", "GRAPH_FORMATS", "MEDIA_TYPES", "RESULT_FORMATS", "choose", "render"), "formats"),
    **dict.fromkeys(("SavedQuery", "saved_queries", "saved_query"), "library"),
    **dict.fromkeys(("LocalResolver", "RemoteResolver", "bind_adhoc", "bind_saved", "parse_assignments"), "params"),
    **dict.fromkeys(("ParsedQuery", "parse"), "parsing"),
    **dict.fromkeys(("Endpoint", "run_remote"), "remote"),
    **dict.fromkeys(("Policy", "check"), "safety"),
}


def __getattr__(name: str) -> Any:  # noqa: ANN401 - a module attribute of any kind
    if name in _HOMES:
        value = getattr(importlib.import_module(f"kgraph.query.{_HOMES[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kgraph.query' has no attribute {name!r}")


__all__ = [
    "FORMATS",
    "GRAPH_FORMATS",
    "MEDIA_TYPES",
    "RESULT_FORMATS",
    "Answer",
    "Endpoint",
    "LocalResolver",
    "ParsedQuery",
    "Policy",
    "RemoteResolver",
    "SavedQuery",
    "bind_adhoc",
    "bind_saved",
    "check",
    "choose",
    "parse",
    "parse_assignments",
    "render",
    "run_local",
    "run_remote",
    "saved_queries",
    "saved_query",
]

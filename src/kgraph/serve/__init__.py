"""``kgraph serve``: the graph as a read-only SPARQL 1.1 Protocol endpoint, with the viewer and the saved queries.

The pieces (each small, each usable on its own)::

    from kgraph.serve import Settings, Service, create_app, run
    from kgraph.query.loading import load

    service = Service(load(), Settings(timeout=10, max_rows=10_000))
    run(create_app(service), service.settings)       # uvicorn, until Ctrl-C

- :mod:`~kgraph.serve.settings`: what an operator chooses (address, limits, authentication), and the rule that a
  server reachable beyond this machine needs a password.
- :mod:`~kgraph.serve.negotiate`: content negotiation (``Accept``) over the W3C result formats and RDF formats.
- :mod:`~kgraph.serve.protocol`: reading a SPARQL 1.1 Protocol request (GET, POST form, POST
  ``application/sparql-query``) within the size limits, strictly as UTF-8, and the errors it can end in.
- :mod:`~kgraph.serve.service`: answering: the checks on the parsed query (:mod:`kgraph.query.safety`), the time
  limit (:mod:`kgraph.query.engine`), the row limit, the saved queries, the viewer pages, the health check.
- :mod:`~kgraph.serve.isolate`: with ``isolate=True`` (``kgraph serve --isolate``), the worker processes that
  answer the queries, killed at the time limit, forked by a fork server (:mod:`~kgraph.serve.worker` is its entry
  point).
- :mod:`~kgraph.serve.app`: the Starlette application: routes, authentication, security headers, JSON errors.
- :mod:`~kgraph.serve.runner`: uvicorn, configured from the settings.

Starlette and uvicorn are imported only here, so ``import kgraph`` and the other commands do not pay for them;
each of the names below is imported on first use, so that the fork server of ``--isolate``, which imports
:mod:`~kgraph.serve.service` only, does not pay for them either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kgraph.serve.app import create_app
    from kgraph.serve.runner import run
    from kgraph.serve.service import Service
    from kgraph.serve.settings import Settings

_LAZY = {
    "Service": "kgraph.serve.service",
    "Settings": "kgraph.serve.settings",
    "create_app": "kgraph.serve.app",
    "run": "kgraph.serve.runner",
}


def __getattr__(name: str) -> Any:  # noqa: ANN401 - a module attribute of any kind
    if name in _LAZY:
        from importlib import import_module  # noqa: PLC0415 - on first use

        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kgraph.serve' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = ["Service", "Settings", "create_app", "run"]

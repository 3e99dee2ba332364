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
- :mod:`~kgraph.serve.app`: the Starlette application: routes, authentication, security headers, JSON errors.
- :mod:`~kgraph.serve.runner`: uvicorn, configured from the settings.

Starlette and uvicorn are imported only here, so ``import kgraph`` and the other commands do not pay for them.
"""

from __future__ import annotations

from kgraph.serve.app import create_app
from kgraph.serve.runner import run
from kgraph.serve.service import Service
from kgraph.serve.settings import Settings

__all__ = ["Service", "Settings", "create_app", "run"]

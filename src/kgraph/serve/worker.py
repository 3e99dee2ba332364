"""The entry point of a query worker of ``kgraph serve --isolate`` (:mod:`kgraph.serve.isolate`).

``python -m kgraph.serve.worker PARENT_PID READ_FD WRITE_FD``: the server starts it with the two ends of its pipes;
nothing else is meant to run it.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection


def main(argv: list[str]) -> None:
    """Answer the server's requests on the pipes given in ``argv``."""
    from kgraph.serve.isolate import serve_requests  # noqa: PLC0415

    parent, read_fd, write_fd = (int(arg) for arg in argv)
    serve_requests(parent, Connection(read_fd, writable=False), Connection(write_fd, readable=False))


if __name__ == "__main__":
    main(sys.argv[1:])

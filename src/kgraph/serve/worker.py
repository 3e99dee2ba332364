"""The entry point of the fork server of ``kgraph serve --isolate`` (:mod:`kgraph.serve.isolate`), which forks the
query workers.

``python -m kgraph.serve.worker PARENT_PID CONTROL_FD``: the server starts it with its end of a socket pair;
nothing else is meant to run it.
"""

from __future__ import annotations

import socket
import sys


def main(argv: list[str]) -> None:
    """Fork workers for the server on the socket given in ``argv``."""
    from kgraph.serve.isolate import serve_forks  # noqa: PLC0415

    parent, control = (int(arg) for arg in argv)
    serve_forks(parent, socket.socket(fileno=control))


if __name__ == "__main__":
    main(sys.argv[1:])

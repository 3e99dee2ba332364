"""Run the application on uvicorn, configured from the settings, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import uvicorn

from kgraph.errors import InputError
from kgraph.serve.settings import Settings

#: Bytes of headers uvicorn accepts beside the request line (its default for the whole head is 16 KiB).
MAX_HEAD = 64 * 1024


def head_limit(settings: Settings) -> int:
    """Bytes of a request's line and headers the HTTP parser accepts: a GET query string up to ``--max-body``,
    and headers. A longer query string then reaches the application, which answers 414 in JSON; with a limit
    below ``--max-body`` (64 KiB, as before), a GET of 100 KB was a connection reset or a bare 400. POST bodies
    are not part of the head."""
    return settings.max_body + MAX_HEAD


class _Server(uvicorn.Server):
    """uvicorn's server, calling ``ready(port)`` once it accepts connections."""

    def __init__(self, config: uvicorn.Config, ready: Callable[[int], None]) -> None:
        super().__init__(config)
        self._ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and sockets:
            self._ready(int(sockets[0].getsockname()[1]))


def listen(settings: Settings) -> socket.socket:
    """A socket bound to the settings' address (port 0: a free one); InputError if it cannot be had."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(settings.host, settings.port, type=socket.SOCK_STREAM)[
            0
        ]
    except socket.gaierror as error:
        raise InputError(f"--host {settings.host}: {error.strerror}; give an address of this machine") from error
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as error:
        sock.close()
        raise InputError(
            f"cannot listen on {settings.host}:{settings.port}: {error.strerror or error}; "
            "pick another --port (0 for any free one) or --host"
        ) from error
    return sock


def run(app: Any, settings: Settings, ready: Callable[[int], None] | None = None) -> None:  # noqa: ANN401 - ASGI
    """Serve ``app`` until stopped; ``ready(port)`` is called once it accepts connections."""
    sock = listen(settings)
    config = uvicorn.Config(
        app,
        log_level="info" if settings.access_log else "warning",
        access_log=settings.access_log,
        limit_concurrency=settings.max_connections,
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=head_limit(settings),
        server_header=False,
        lifespan="off",
        proxy_headers=False,
    )
    server = _Server(config, ready or (lambda _port: None))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shuts down gracefully, then raises the Ctrl-C it caught again
        pass
    finally:
        sock.close()

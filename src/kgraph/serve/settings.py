"""What the operator of ``kgraph serve`` chooses, with safe defaults, and the checks made before it starts."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from kgraph.errors import InputError, Notice
from kgraph.query.remote import url_problem, without_user_info

#: The environment variable holding ``user:password``: when set, every request but the health check needs it.
AUTH_VARIABLE = "KGRAPH_SERVE_AUTH"
#: The option that serves beyond this machine without a password, on purpose.
NO_AUTH_OPTION = "--insecure-no-auth"

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


@dataclass(frozen=True)
class Credentials:
    """The user name and password HTTP basic authentication asks for."""

    user: str
    password: str

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password=...)"


@dataclass(frozen=True)
class Settings:
    """Address, limits and authentication of one server."""

    host: str = "127.0.0.1"
    port: int = 8000
    #: Seconds a query may run before it is stopped (HTTP 503). 0: no limit.
    timeout: float = 10.0
    #: Rows of a SELECT answer (or triples of a graph) a response may hold; more is refused (HTTP 422).
    max_rows: int = 10_000
    #: Bytes of a request body, or of a query string; more is refused (HTTP 413, 414).
    max_body: int = 1_000_000
    #: Seconds a client has to send its request body (HTTP 408 past it).
    body_timeout: float = 30.0
    #: Queries evaluated at once, counting ones stopped at their time limit that have not yet unwound; past it a
    #: request is refused at once (HTTP 503) rather than queued.
    max_running: int = 8
    #: Open connections at once; past it uvicorn answers 503.
    max_connections: int = 200
    credentials: Credentials | None = None
    #: Origins (``https://yasgui.example.org``) whose pages may query the server from a browser (CORS).
    cors_origins: tuple[str, ...] = ()
    access_log: bool = False

    def __post_init__(self) -> None:
        for origin in self.cors_origins:
            check_origin(origin)

    @property
    def loopback(self) -> bool:
        """Whether the server listens on this machine only."""
        return is_loopback(self.host)

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` as a client on this machine reaches it."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name) is this machine only: 127.0.0.0/8, ::1 or localhost."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_origin(origin: str) -> None:
    """Refuse a ``--cors`` value that no browser would send as its ``Origin``.

    The CORS middleware compares the ``Origin`` header with each value as a string, and a browser sends the origin
    in one form only: ``scheme://host[:port]``, in lower case, without a path and without the scheme's default port.
    Any other value would be taken without a word and let no page in. ``*`` (any page) and ``null`` (what a page
    opened from a file sends) are not URLs, and are taken as they are, as the middleware always took them.
    """
    if origin in ("*", "null"):
        return
    bare = without_user_info(origin)
    shown = origin if bare == origin else bare.replace("://", "://...@", 1)  # never a password on the screen
    problem = url_problem(bare)
    if problem is not None:
        then = f"is not an http(s) URL ({problem}); give the origin of the web page that queries, such as " + (
            "https://yasgui.example.org"
        )
        raise InputError.in_both(f"the CORS origin {shown!r} (cors_origins) {then}", f"--cors {shown!r} {then}")
    parts = urlsplit(bare)
    host = (parts.hostname or "").encode("idna").decode("ascii")  # a browser sends a Chinese name as xn--...
    host = f"[{host}]" if ":" in host else host
    port = "" if parts.port in (None, {"http": 80, "https": 443}[parts.scheme]) else f":{parts.port}"
    sent = f"{parts.scheme}://{host}{port}"
    if origin != sent:
        then = (
            "is not an origin as a browser sends it, which must match exactly (scheme://host[:port] in lower case, "
            "without a path or the default port)"
        )
        raise InputError.in_both(
            f"the CORS origin {shown!r} (cors_origins) {then}; give {sent!r}",
            f"--cors {shown!r} {then}; give --cors {sent}",
        )


def credentials_from_environment(variable: str = AUTH_VARIABLE) -> Credentials | None:
    """The ``user:password`` in ``$variable``, or None when it is unset or empty."""
    secret = os.environ.get(variable)
    if not secret:
        return None
    user, colon, password = secret.partition(":")
    if not colon or not user or not password:
        raise InputError(f"${variable} must hold user:password (both non-empty) for HTTP basic authentication")
    return Credentials(user, password)


def check_exposure(settings: Settings, *, allow_no_auth: bool, variable: str = AUTH_VARIABLE) -> Notice | None:
    """Refuse to serve beyond this machine without a password; return a warning to print, if any.

    On 127.0.0.1 (the default) only this machine's users and programs can connect, and no password is needed. On
    any other address, anyone who can reach it could read the graph, so ``$KGRAPH_SERVE_AUTH`` is required unless
    the operator says ``--insecure-no-auth`` (``allow_no_auth=True``).

    The warning is a :class:`~kgraph.errors.Notice`: ``str()`` names ``allow_no_auth=True``, its ``cli_message``
    ``--insecure-no-auth``, which ``kgraph serve`` prints.
    """
    if settings.loopback or settings.credentials is not None:
        if settings.credentials is not None and not settings.loopback:
            plain = (
                f"warning: serving on {settings.host} with HTTP basic authentication over plain http: the password "
                "crosses the network readable; put a TLS proxy in front beyond a trusted network"
            )
            return Notice(plain, plain)
        return None
    if not allow_no_auth:
        anyone = "to serve the graph to anyone who can reach this address"
        raise InputError.in_both(
            f"host={settings.host!r} lets other machines connect; give the Settings credentials=Credentials(user, "
            f"password) so that only clients with the password can query, or pass allow_no_auth=True {anyone}",
            f"--host {settings.host} lets other machines connect; set ${variable}=user:password so that only "
            f"clients with the password can query, or pass {NO_AUTH_OPTION} {anyone}",
        )
    anyone = f"anyone who can reach {settings.base_url} can read the whole graph"
    return Notice(
        f"WARNING: serving on {settings.host} WITHOUT authentication (allow_no_auth=True): {anyone}",
        f"WARNING: serving on {settings.host} WITHOUT authentication ({NO_AUTH_OPTION}): {anyone}",
    )

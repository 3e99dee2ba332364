"""Reading a SPARQL 1.1 Protocol request, within limits, and the HTTP errors a request can end in.

The protocol (W3C, *SPARQL 1.1 Protocol*, section 2.1) allows three ways to send a query:

- ``GET /sparql?query=...``, with ``default-graph-uri`` and ``named-graph-uri`` parameters;
- ``POST /sparql`` with ``Content-Type: application/x-www-form-urlencoded`` and ``query=...`` in the body;
- ``POST /sparql`` with ``Content-Type: application/sparql-query`` and the query as the body, the other
  parameters in the URL.

Updates (``update=`` or ``application/sparql-update``) are refused with 403: the server is read-only. Text must be
UTF-8 (percent-encoded or not); anything else is refused with 400 rather than guessed at. The body is read in
chunks and refused with 413 as soon as it passes the limit; a client that sends it too slowly gets 408.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import anyio

#: Request body bytes read past the limit before answering 413, so that a client still sending can read the
#: answer (a server that stops reading makes the client's send fail before it sees any status).
DRAIN_FACTOR = 16

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass
class Problem(Exception):
    """A request that ends in an HTTP error: the status, a short code and a message a user can act on."""

    status: int
    code: str
    message: str
    headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def body(self) -> dict[str, object]:
        """The JSON body of the error response."""
        return {"status": self.status, "error": self.code, "message": self.message}


def bad_request(message: str) -> Problem:
    """400: the request or the query is malformed."""
    return Problem(400, "bad-request", message)


def forbidden(message: str) -> Problem:
    """403: the query asks for something this server never does (an update, a fetch)."""
    return Problem(403, "forbidden", message)


@dataclass(frozen=True)
class Params:
    """The parameters of a request: name -> every value given, in order."""

    values: Mapping[str, list[str]]

    def all(self, name: str) -> list[str]:
        """Every value of ``name``."""
        return list(self.values.get(name, ()))

    def one(self, name: str) -> str | None:
        """The value of ``name``; None if absent; 400 if given more than once."""
        found = self.values.get(name, [])
        if len(found) > 1:
            raise bad_request(f"the parameter {name!r} is given {len(found)} times; give it once")
        return found[0] if found else None

    def merged(self, other: Params) -> Params:
        """These parameters and ``other``'s together."""
        values: dict[str, list[str]] = {k: list(v) for k, v in self.values.items()}
        for name, more in other.values.items():
            values.setdefault(name, []).extend(more)
        return Params(values)


def parse_params(raw: bytes, where: str, limit: int) -> Params:
    """``a=1&b=x%20y`` as parameters; 414/413 past ``limit`` bytes, 400 if not UTF-8 or not URL-encoded."""
    if len(raw) > limit:
        if where == "URL":
            raise Problem(
                414,
                "uri-too-long",
                f"the query string is {len(raw):,} bytes, over this server's limit of "
                f"{limit:,}; send a long query with POST",
            )
        raise too_large(len(raw), limit)
    values: dict[str, list[str]] = {}
    # Latin-1 gives each byte one character, so that a byte sent as it is (a form's é as two raw UTF-8 bytes, as
    # curl -d sends it) and one percent-encoded read back as the same byte; each name and value is then UTF-8
    # decoded whole. Raw bytes were refused as "not UTF-8" whatever they were.
    for name, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="latin-1"):
        key = _utf8(name, f"a parameter's name in the {where}")
        values.setdefault(key, []).append(_utf8(value, f"the parameter {key} in the {where}"))
    return Params(values)


def _utf8(text: str, what: str) -> str:
    """``text``, one character a byte (Latin-1), as the UTF-8 text its bytes are; 400 naming ``what`` if not."""
    data = text.encode("latin-1")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise bad_request(
            f"{what} holds bytes that are not UTF-8 text (its byte {error.start + 1} is 0x{data[error.start]:02x}); "
            "send the text as UTF-8, each byte percent-encoded (é is %C3%A9)"
        ) from None


def decode_text(body: bytes, what: str) -> str:
    """``body`` as UTF-8 text, without a byte order mark first (a query file saved by Notepad, sent with
    ``curl --data-binary @query.rq``, as ``kgraph query -f`` reads it); 400 if it is not UTF-8."""
    try:
        return body.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise bad_request(
            f"the {what} is not UTF-8 text (byte {error.start} is 0x{body[error.start]:02x}); send it as UTF-8"
        ) from None


def too_large(size: int, limit: int) -> Problem:
    """413 for a body of ``size`` bytes (or more) past ``limit``."""
    return Problem(
        413, "too-large", f"the request body is {size:,} bytes or more, over this server's limit of {limit:,} bytes"
    )


async def read_body(chunks: AsyncIterator[bytes], declared: str | None, limit: int, timeout: float) -> bytes:
    """The request body, at most ``limit`` bytes, received within ``timeout`` seconds.

    A declared ``Content-Length`` over the limit is refused before anything is read; a body that grows past the
    limit as it comes in (chunked transfer) is refused as soon as it does. Either way up to ``DRAIN_FACTOR`` times
    the limit is read and thrown away first, so that the client, still sending, gets to read the 413.
    """
    if declared is not None:
        if not declared.strip().isdigit():
            raise bad_request(f"Content-Length {declared!r} is not a number")
        if int(declared) > limit:
            await _drain(chunks, limit * DRAIN_FACTOR, timeout)
            raise too_large(int(declared), limit)
    received = bytearray()
    try:
        with anyio.fail_after(timeout or None):
            async for chunk in chunks:
                received += chunk
                if len(received) > limit:
                    break
    except TimeoutError:
        raise Problem(
            408, "request-timeout", f"the request body did not arrive within {timeout:g} s; send it faster"
        ) from None
    if len(received) > limit:
        size = len(received)
        await _drain(chunks, limit * DRAIN_FACTOR, timeout)
        raise too_large(size, limit)
    return bytes(received)


async def _drain(chunks: AsyncIterator[bytes], budget: int, timeout: float) -> None:
    read = 0
    with anyio.move_on_after(timeout or None):
        async for chunk in chunks:
            read += len(chunk)
            if read > budget:
                return


def media_type(header: str | None) -> str:
    """The media type of a ``Content-Type`` header, lower case, without parameters."""
    return (header or "").split(";", 1)[0].strip().lower()

"""``kgraph push``: upload the graph to any SPARQL 1.1 store, in chunks, all or nothing where the store allows it.

What goes where:

- Without a target graph: the dataset as kgraph holds it. Every named graph (the ontology graph, one graph per
  source section, the inferred graph) goes into the graph of the same name, so ``GRAPH ?section {...}`` finds a
  triple's provenance there as here; and the flat graph (ontology + data + inferences, each triple once) goes into
  the store's default graph, so a plain pattern sees what it sees here. Stores whose default graph is the union of
  the named graphs (GraphDB, Amazon Neptune) want ``named_only``: the named graphs alone.
- With a target graph (``--graph IRI``): the flat graph, into that one named graph.

How, with one of two protocols:

- ``gsp``, the SPARQL 1.1 Graph Store HTTP Protocol: each chunk is ``POST URL?graph=IRI`` (``?default`` for the
  default graph) with an N-Triples body.
- ``update``, SPARQL 1.1 Update, for stores without the Graph Store Protocol (Amazon Neptune before engine
  1.0.5.0; later ones have it at ``/sparql/gsp/``): each chunk is one ``INSERT DATA { GRAPH <IRI> { ... } }``
  request.

An update is POSTed directly (``application/sparql-update``); a store that refuses that with 400 or 415 gets it,
and every later one, as a form's ``update`` field (:class:`_Updater`).

All or nothing: when kgraph can send updates (``update``, or ``gsp`` with an update endpoint), every chunk goes into
a temporary graph first, and one last update request puts them in place: ``MOVE <tmp> TO <graph>`` for each graph
to replace (``replace``), ``ADD <tmp> TO <graph>`` then ``DROP`` to append. SPARQL 1.1 Update says a store SHOULD
apply one request atomically, and Oxigraph, Fuseki (TDB2), GraphDB and Neptune each run one request in one
transaction: the target graphs change all at once, or not at all. A push that fails, or is interrupted (Ctrl-C,
SIGTERM), before that last request has changed no target graph; kgraph then drops its temporary graphs, and says what
it had sent (an interrupt carries that as a note, :meth:`BaseException.add_note`). With ``gsp`` alone
there is no such last step: chunks land in their graphs as they are sent, and a replace is refused.

Blank nodes are sent skolemized, as RDF 1.1 suggests: each becomes an IRI under :data:`GENID`, named by its label
here. A store gives the blank nodes of each request fresh names, so a blank node whose triples are in two graphs
(its stated triples in a section, its inferred ones in the inferred graph and the flat graph) became one node per
graph, and each push of the same data added its blank-node triples again.
"""

from __future__ import annotations

import base64
import http.client
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import TYPE_CHECKING, Any, Literal
from urllib.error import HTTPError, URLError
from urllib.parse import quote, quote_plus, urlsplit
from urllib.request import HTTPHandler, HTTPSHandler, Request, build_opener

from kgraph import __version__
from kgraph._compat import quiet_rdflib
from kgraph.errors import InputError, PushFailed
from kgraph.query.parsing import is_absolute_iri, is_iri_safe
from kgraph.query.remote import Endpoint, NoRedirects, login_hint, redirect_hint
from kgraph.store import LoadedGraph
from kgraph.text import counted

if TYPE_CHECKING:
    import pyoxigraph as ox

Method = Literal["gsp", "update"]
METHODS: tuple[Method, ...] = ("gsp", "update")

#: Triples a request carries, unless told otherwise.
DEFAULT_BATCH = 10_000
#: The default graph, as a target (rather than a named graph's IRI).
DEFAULT_GRAPH = ""

#: ``progress(triples_sent, triples_in_all)``, after each request.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Upload:
    """One graph to fill: its name at the store (:data:`DEFAULT_GRAPH` for the default graph) and its triples."""

    graph: str
    triples: list[ox.Triple]

    @property
    def label(self) -> str:
        """``<iri>``, or ``the default graph``."""
        return f"<{self.graph}>" if self.graph else "the default graph"


@dataclass
class Plan:
    """What a push sends: each upload, cut into chunks of at most ``batch`` triples."""

    uploads: list[Upload]
    batch: int

    @property
    def triples(self) -> int:
        """Triples sent, summed over the uploads (a triple in two graphs counts twice)."""
        return sum(len(u.triples) for u in self.uploads)

    def chunks(self, upload: Upload) -> Iterator[list[ox.Triple]]:
        """``upload``'s triples in chunks; a blank node's triples stay in one chunk."""
        chunk: list[ox.Triple] = []
        for unit in _units(upload.triples):
            if chunk and len(chunk) + len(unit) > self.batch:
                yield chunk
                chunk = []
            chunk.extend(unit)
        if chunk:
            yield chunk

    @property
    def requests(self) -> int:
        """Requests that carry triples."""
        return sum(sum(1 for _ in self.chunks(u)) for u in self.uploads)


@dataclass
class Outcome:
    """What a push did."""

    graphs: int
    triples: int
    requests: int
    seconds: float
    atomic: bool
    replaced: bool


@dataclass
class _Sent:
    """Running totals, for the message of a failure."""

    requests: int = 0
    triples: int = 0
    finished: list[str] = field(default_factory=list)


def plan(loaded: LoadedGraph, graph: str | None, *, named_only: bool = False, batch: int = DEFAULT_BATCH) -> Plan:
    """The uploads for ``loaded``: the flat graph into ``graph``, or else the dataset (see the module docs)."""
    import pyoxigraph as ox  # noqa: PLC0415 - loads only for a push

    if batch < 1:
        raise InputError.in_both(f"batch must be 1 or more, not {batch}", f"--batch must be 1 or more, not {batch}")
    if graph is not None:
        _check_graph(graph)
    by_graph: dict[str, list[ox.Triple]] = {}
    flat: dict[ox.Triple, None] = {}
    for quad in ox.parse(_nquads(loaded), format=ox.RdfFormat.N_QUADS):
        triple = quad.triple
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            triple = ox.Triple(_skolem(triple.subject), triple.predicate, _skolem(triple.object))
        flat[triple] = None
        if isinstance(quad.graph_name, ox.NamedNode):
            by_graph.setdefault(quad.graph_name.value, []).append(triple)
    if graph is not None:
        return Plan([Upload(graph, list(flat))], batch)
    uploads = [Upload(name, by_graph[name]) for name in sorted(by_graph)]
    if not named_only:
        uploads.append(Upload(DEFAULT_GRAPH, list(flat)))
    return Plan(uploads, batch)


def _check_graph(graph: str) -> None:
    """Refuse a graph name that no store takes as an IRI, before anything is sent: with an update endpoint every
    chunk goes into a temporary graph, and only the last step names the graph, so a store refused ``urn:a%zz``
    there, every chunk sent (as the command line's ``--graph`` is checked)."""
    if graph == DEFAULT_GRAPH:
        return
    if not (is_absolute_iri(graph) and is_iri_safe(graph)):
        raise InputError(
            f"graph {graph!r} is not an absolute IRI: name the graph with one (https://..., urn:...), without "
            'spaces or <>"{}|^`\\'
        )
    why = broken_percent(graph)
    if why is not None:
        raise InputError(f"graph {graph!r} is not an IRI: {why}")


#: A ``%`` that does not begin a percent-encoded octet (RFC 3987: ``pct-encoded = "%" HEXDIG HEXDIG``).
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def broken_percent(iri: str) -> str | None:
    """Where ``iri`` has a ``%`` that begins no percent-encoded octet, and what to write instead; None if none."""
    stray = _STRAY_PERCENT.search(iri)
    if stray is None:
        return None
    return (
        f"its % at character {stray.start() + 1} is not followed by two hexadecimal digits (%2F, %C3); write a % "
        "itself as %25"
    )


#: Where skolemized blank nodes live (RDF 1.1 Concepts, 3.5: ``/.well-known/genid/`` under an authority one
#: controls): ``_:b0`` is sent as ``<https://w3id.org/kgraph/.well-known/genid/b0>``.
GENID = "https://w3id.org/kgraph/.well-known/genid/"


def _skolem(term: Any) -> Any:  # noqa: ANN401 - a pyoxigraph term
    import pyoxigraph as ox  # noqa: PLC0415

    return ox.NamedNode(GENID + quote(term.value, safe="")) if isinstance(term, ox.BlankNode) else term


def _nquads(loaded: LoadedGraph) -> bytes:
    """Every named graph of ``loaded`` as N-Quads (from the store without rdflib, when there is one)."""
    if loaded.store_dir is not None:
        from kgraph import persist  # noqa: PLC0415

        native = persist.native_of(loaded)
        if native is not None:
            out = BytesIO()
            persist.write_nquads(native, out)
            return out.getvalue()
    with quiet_rdflib():
        return loaded.dataset.serialize(format="nquads", encoding="utf-8")


def _units(triples: Sequence[ox.Triple]) -> Iterator[list[ox.Triple]]:
    """The triples one by one, except that those linked through blank nodes come together, as one list."""
    import pyoxigraph as ox  # noqa: PLC0415

    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    linked: dict[int, list[str]] = {}
    for index, triple in enumerate(triples):
        blanks = [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        if not blanks:
            yield [triple]
            continue
        linked[index] = blanks
        first = root(blanks[0])
        for other in blanks[1:]:
            parent[root(other)] = first
    groups: dict[str, list[ox.Triple]] = {}
    for index, blanks in linked.items():
        groups.setdefault(root(blanks[0]), []).append(triples[index])
    yield from groups.values()


# ------------------------------------------------------------------------------------------ sending


@dataclass(frozen=True)
class Target:
    """Where a push goes: the endpoint it sends chunks to, how, and the update endpoint for the last step."""

    endpoint: Endpoint
    method: Method = "gsp"
    update: Endpoint | None = None
    timeout: float = 300.0

    @property
    def update_endpoint(self) -> Endpoint | None:
        """Where updates go: the endpoint itself with ``update``, else the one given, if any."""
        return self.endpoint if self.method == "update" else self.update


def push(target: Target, work: Plan, *, replace: bool = False, progress: Progress | None = None) -> Outcome:
    """Send ``work`` to ``target``; raise :class:`~kgraph.errors.PushFailed` saying what was sent if it fails."""
    if replace and target.update_endpoint is None:
        why = (
            "kgraph uploads into temporary graphs and swaps them in with one update, so that a failed push changes "
            "nothing"
        )
        raise InputError.in_both(
            "replace=True needs the store's SPARQL update endpoint (Target(endpoint, update=Endpoint(URL)), or "
            f'method="update"): {why}',
            f"--replace needs the store's SPARQL update endpoint (--update-endpoint URL, or --method update): {why}",
        )
    for upload in work.uploads:  # a Plan made by hand, not by plan()
        _check_graph(upload.graph)
    started = time.perf_counter()
    session = _Session(target, work, progress)
    session.run(replace)
    return Outcome(
        graphs=len(work.uploads),
        triples=work.triples,
        # The chunks, the last step, and each update the store refused directly before it took it as a form.
        requests=session.sent.requests + (1 if session.updates is not None else 0) + session.updater.resent,
        seconds=time.perf_counter() - started,
        atomic=session.updates is not None,
        replaced=replace,
    )


class _Session:
    """One push: the chunks into their graphs (or into temporary ones), then the last update, if any."""

    def __init__(self, target: Target, work: Plan, progress: Progress | None) -> None:
        self.target = target
        self.work = work
        self.progress = progress
        self.updates = target.update_endpoint
        #: Sends the updates (to :attr:`updates`, which with ``--method update`` is the endpoint itself).
        self.updater = _Updater(self.updates or target.endpoint, target.timeout)
        self.sent = _Sent()
        token = uuid.uuid4().hex
        self.staging = {u.graph: f"urn:x-kgraph-push:{token}:{i}" for i, u in enumerate(work.uploads)}

    def run(self, replace: bool) -> None:
        """Send everything. An interrupt (Ctrl-C, or SIGTERM as :class:`KeyboardInterrupt`) goes on its way with a
        note (``add_note``) saying what it left at the store, after dropping the temporary graphs if it can."""
        if self.updates is None:
            try:
                self._send_all({u.graph: u.graph for u in self.work.uploads})
            except PushFailed as error:
                raise _half_done(error, self.sent, self.work.triples) from None
            except KeyboardInterrupt as stop:
                stop.add_note(_stopped_as_sent(self.sent, self.work.triples))
                raise
            return
        try:
            self._send_all(self.staging)
        except PushFailed as error:
            raise self._not_done(error) from None
        except KeyboardInterrupt as stop:
            stop.add_note(self._stopped_staging())
            raise
        try:
            self._swap(self.updates, replace)
        except KeyboardInterrupt as stop:
            # Not dropped: the store may still be applying the swap, which a DROP of its sources would empty.
            stop.add_note(
                f"interrupted during the last step of the push, the update that {'MOVE' if replace else 'ADD'}s "
                "the temporary graphs into place: the store applies it whole or not at all, and may still be "
                "applying it, so query the store to see which (and push again if the graphs are as they were); "
                f"temporary graphs may be left: {_drop_hint(self.staging.values())}"
            )
            raise

    def _send_all(self, into: dict[str, str]) -> None:
        target, sent = self.target, self.sent
        for upload in self.work.uploads:
            destination = into[upload.graph]
            for chunk in self.work.chunks(upload):
                body = _ntriples(chunk)
                if target.method == "gsp":
                    where = f"graph={quote(destination, safe='')}" if destination else "default"
                    _request(target.endpoint, body, _DATA_TYPE, timeout=target.timeout, query=where)
                else:
                    opening = f"GRAPH <{destination}> {{\n" if destination else "{\n"
                    text = b"INSERT DATA { " + opening.encode() + body + (b"}\n}" if destination else b"}")
                    self.updater.send(text)
                sent.requests += 1
                sent.triples += len(chunk)
                if self.progress is not None:
                    self.progress(sent.triples, self.work.triples)
            sent.finished.append(upload.label)

    def _swap(self, updates: Endpoint, replace: bool) -> None:
        """One update request that puts every staged graph in place, atomically at the store."""
        operations = []
        for upload in self.work.uploads:
            temporary, final = self.staging[upload.graph], _graph_ref(upload.graph)
            if not upload.triples:  # nothing was staged: replacing means emptying, appending means nothing
                if replace:
                    operations.append(f"DROP SILENT GRAPH <{upload.graph}>" if upload.graph else "CLEAR SILENT DEFAULT")
                continue
            if replace:
                operations.append(f"MOVE <{temporary}> TO {final}")
            else:
                operations += [f"ADD <{temporary}> TO {final}", f"DROP GRAPH <{temporary}>"]
        if not operations:
            return
        text = " ;\n".join(operations).encode("utf-8")
        try:
            self.updater.send(text)
        except PushFailed as error:
            verb = "MOVE" if replace else "ADD"
            sent = f"{counted(self.sent.requests, 'request')}, {self.sent.triples:,} triples"
            done = (
                f". Every chunk had been sent ({sent}, into temporary graphs); this was the last step, one update "
                f"that {verb}s them into place"
            )
            if error.status is not None and 400 <= error.status < 500:
                # Refused (an update URL that is not one, a store that cannot parse it): applied not at all, so
                # the temporary graphs can go. They stayed, tens of thousands of triples that a store whose
                # default graph is the union of its graphs shows to every query.
                then = f"{done}. The store refused it, so no target graph was changed; {self._drop_staging()}"
                raise _then(error, then, status=error.status) from None
            raise _then(
                error,
                f"{done}. The store applies an update request as a whole, so the target graphs are either all "
                f"updated or all as they were; temporary graphs may be left: {_drop_hint(self.staging.values())}",
            ) from None

    def _not_done(self, error: PushFailed) -> PushFailed:
        """The error of a push that failed before its last step: what was sent, that no target graph changed, and
        whether the temporary graphs could be dropped."""
        sent = self.sent
        if not sent.requests:
            return _nothing_done(error)
        done = f"; complete: {', '.join(sent.finished)}" if sent.finished else ""
        return _then(
            error,
            f". Sent before that: {counted(sent.requests, 'request')}, {sent.triples:,} of {self.work.triples:,} "
            f"triples, into temporary graphs{done}. No target graph was changed (the last step, which puts them in "
            f"place, was not reached); {self._drop_staging()}",
        )

    def _stopped_staging(self) -> str:
        """What an interrupt before the last step left: no target graph changed, the temporary graphs dropped (the
        chunk being sent too: the store may have taken it) unless the store does not answer."""
        sent = self.sent
        return (
            f"interrupted after {counted(sent.requests, 'request')}, {sent.triples:,} of {self.work.triples:,} "
            "triples, into temporary graphs: no target graph was changed (the last step, which puts them in place, "
            f"was not reached); {self._drop_staging()}"
        )

    def _drop_staging(self) -> str:
        """Drop every temporary graph at the store, within 30 s; say whether that was done. A second Ctrl-C stops
        the attempt (and the hint says what to drop by hand)."""
        names = list(self.staging.values())
        if self.updates is not None:
            text = " ;\n".join(f"DROP SILENT GRAPH <{name}>" for name in names).encode("utf-8")
            try:
                self.updater.send(text, timeout=min(self.target.timeout, 30))
            except KeyboardInterrupt:
                pass
            except PushFailed as refused:
                # The update endpoint answered, and refused: the Graph Store endpoint that took the chunks can
                # delete their graphs (a --update-endpoint that is not the store's update URL).
                if refused.status is not None and self.target.method == "gsp" and self._delete_staging(names):
                    return "the temporary graphs were dropped (with DELETE requests to the Graph Store endpoint)"
            else:
                return "the temporary graphs were dropped"
        return f"the temporary graphs could not be dropped: {_drop_hint(names)}"

    def _delete_staging(self, names: Sequence[str]) -> bool:
        """Delete each temporary graph with the Graph Store Protocol's ``DELETE URL?graph=IRI``, within 30 s in
        all; whether every one is gone (404: a graph the push never made)."""
        deadline = time.monotonic() + min(self.target.timeout, 30)
        for name in names:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                _request(
                    self.target.endpoint, b"", "", timeout=left, query=f"graph={quote(name, safe='')}", method="DELETE"
                )
            except PushFailed as failure:
                if failure.status != 404:
                    return False
            except KeyboardInterrupt:
                return False
        return True


#: The Graph Store Protocol's chunks.
_DATA_TYPE = "application/n-triples"
_UPDATE_TYPE = "application/sparql-update; charset=utf-8"
_FORM_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
#: The answers of a store that takes an update only as a form's ``update`` field: 415 Unsupported Media Type, or
#: 400 Bad Request for a request that lacks the field.
_NOT_TAKEN_DIRECTLY = frozenset({400, 415})


class _Updater:
    """Sends SPARQL updates to one endpoint. SPARQL 1.1 Protocol defines two ways to POST an update: directly (the
    text as the body, ``application/sparql-update``) and as an HTML form's ``update`` field, and a store may take
    only one of them: Oxigraph takes both, Amazon Neptune's documentation shows only the form. kgraph sends an
    update directly (the shorter body: a form escapes every ``<``, ``:``, ``/`` and non-ASCII byte of N-Triples,
    which matters for ``--method update``'s chunks); when the store answers 400 or 415 it sends the same
    update again as a form, and if that is taken, every later update of the push goes as a form; if it is refused
    too, the error gives both answers. An update request the store refused changed nothing (it is applied whole or
    not at all), so sending it again is safe."""

    def __init__(self, endpoint: Endpoint, timeout: float) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        #: Whether the store took an update as a form after refusing one sent directly.
        self.as_form = False
        #: Updates the store refused directly and was sent again as a form: a request more each.
        self.resent = 0

    def send(self, text: bytes, *, timeout: float | None = None) -> None:
        wait = self.timeout if timeout is None else timeout
        if self.as_form:
            _request(self.endpoint, _form(text), _FORM_TYPE, timeout=wait)
            return
        try:
            _request(self.endpoint, text, _UPDATE_TYPE, timeout=wait)
        except PushFailed as refused:
            if refused.status not in _NOT_TAKEN_DIRECTLY:
                raise
            self.resent += 1
            try:
                _request(self.endpoint, _form(text), _FORM_TYPE, timeout=wait)
            except PushFailed as again:
                if again.status is None:  # no answer this time
                    raise again from None
                if refused.status == again.status == 400 and refused.reason == again.reason:
                    # The same 400 both ways: the store read the update, both ways, and could not take what it
                    # says (Oxigraph: "error at 1:25: expected IRI parsing failed"). An update URL, then.
                    itself = "; the store refused the update itself (the same answer to it as a form's update field)"
                    raise PushFailed(refused.reason + itself, status=400, cli=refused.cli_reason + itself) from None
                # Refused both ways, and otherwise: most likely not an update URL (a query URL answers 415 to one
                # and 400 to the other, a Graph Store URL 415 to both), which neither answer says.
                hint = f"; check that {_where(self.endpoint)} is the store's SPARQL update URL"
                reason = f"{refused.reason}; sent again as a form's update field: {again.reason}{hint}"
                cli = f"{refused.cli_reason}; sent again as a form's update field: {again.cli_reason}{hint}"
                raise PushFailed(reason, status=again.status, cli=cli) from None
            self.as_form = True


def _form(text: bytes) -> bytes:
    """An update as the body of an HTML form (``application/x-www-form-urlencoded``) with one field, ``update``."""
    return b"update=" + quote_plus(text).encode("ascii")


def _graph_ref(graph: str) -> str:
    return f"GRAPH <{graph}>" if graph else "DEFAULT"


def _then(
    error: PushFailed, then: str, *, cli: str | None = None, status: int | None = None, keep: bool = True
) -> PushFailed:
    """``error``'s reason followed by ``then`` (by ``cli`` in the command line's words, if they differ); the new
    error's reason is ``error``'s (``keep``), or the whole message."""
    python, command = f"{error.reason}{then}", f"{error.cli_reason}{then if cli is None else cli}"
    if keep:
        return PushFailed(python, reason=error.reason, status=status, cli=command, cli_reason=error.cli_reason)
    return PushFailed(python, status=status, cli=command)


def _nothing_done(error: PushFailed) -> PushFailed:
    """The error of a push whose first request failed: refused by the store (it answered), or never answered."""
    if " answered HTTP " in error.reason:
        return _then(error, "; the store refused the first request, so nothing was stored", keep=False)
    if " had not answered whole " in error.reason:
        return _then(error, "; the store may or may not have stored the first request: push again", keep=False)
    return _then(error, "; nothing was sent: check the URL and that the store is running", keep=False)


def _half_done(error: PushFailed, sent: _Sent, total: int) -> PushFailed:
    """The error of a Graph Store Protocol push without an update endpoint: what reached the store stays there."""
    if not sent.requests:
        return _nothing_done(error)
    done = f"; complete: {', '.join(sent.finished)}" if sent.finished else ""
    kept = (
        f". Sent before that: {counted(sent.requests, 'request')}, {sent.triples:,} of {total:,} triples{done}; the "
        "store keeps what it received. Push again to complete it (a triple sent twice is stored once), or "
    )
    return _then(
        error,
        f"{kept}give the Target an update endpoint (update=Endpoint(URL)) so that a push is all or nothing",
        cli=f"{kept}pass --update-endpoint so that a push is all or nothing",
    )


def _stopped_as_sent(sent: _Sent, total: int) -> str:
    """What an interrupt left of a Graph Store Protocol push without an update endpoint: what the store took."""
    if not sent.requests:
        return "interrupted before the store took any chunk: nothing was stored, unless it took the one being sent"
    done = f"; complete: {', '.join(sent.finished)}" if sent.finished else ""
    return (
        f"interrupted after {counted(sent.requests, 'request')}, {sent.triples:,} of {total:,} triples{done}; the "
        "store keeps what it received (perhaps the chunk being sent too): push again to complete it (a triple sent "
        "twice is stored once)"
    )


def _drop_hint(names: Iterable[str]) -> str:
    listed = list(names)
    first = listed[0] if listed else "urn:x-kgraph-push:..."
    more = f" (and the {len(listed) - 1} others with the same prefix)" if len(listed) > 1 else ""
    return f"run DROP SILENT GRAPH <{first}>{more} at the store"


def _ntriples(triples: Sequence[ox.Triple]) -> bytes:
    import pyoxigraph as ox  # noqa: PLC0415

    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _request(
    endpoint: Endpoint, body: bytes, content_type: str, *, timeout: float, query: str = "", method: str = "POST"
) -> None:
    """POST ``body`` to the endpoint (``query`` added to its URL; ``method``: another method, with no body and no
    ``content_type``); PushFailed with the reason when the store cannot be reached or answers with an error, or
    has not answered whole within about ``timeout`` seconds.

    The socket's own timeout bounds each wait for a byte: a store that sent a byte now and then (a slow or stuck
    proxy) kept a push waiting for ever. The request runs in a thread of its own, given up (it ends with the
    process) a second past ``timeout``, by which a store that sends nothing has already timed out on its own."""
    outcome: list[BaseException] = []

    def send() -> None:
        try:
            _send(endpoint, body, content_type, timeout=timeout, query=query, method=method)
        except BaseException as error:  # handed over to the waiting thread, which raises it
            outcome.append(error)

    worker = threading.Thread(target=send, name="kgraph-push-request", daemon=True)
    worker.start()
    worker.join(timeout + 1)
    if worker.is_alive():
        late = f"the store at {_where(endpoint)} had not answered whole within {timeout:g} s"
        raise PushFailed(
            f"{late} (pass a larger timeout to wait longer)", cli=f"{late} (pass --timeout SECONDS to wait longer)"
        )
    if outcome:
        raise outcome[0]


def _send(endpoint: Endpoint, body: bytes, content_type: str, *, timeout: float, query: str, method: str) -> None:
    """:func:`_request`'s request itself, in its thread."""
    url = endpoint.url + (("&" if "?" in endpoint.url else "?") + query if query else "")
    headers = {"User-Agent": f"kgraph/{__version__}"}
    if content_type:
        headers["Content-Type"] = content_type
    if endpoint.user is not None:
        token = base64.b64encode(f"{endpoint.user}:{endpoint.password}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    # The URL is the user's --endpoint or --update-endpoint, checked by url_problem in Endpoint.from_environment.
    request = Request(url, data=body if method == "POST" else None, headers=headers, method=method)  # noqa: S310
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read()
    except HTTPError as error:
        said, cli = _http_reason(endpoint, error, content_type)
        raise PushFailed(said, status=error.code, cli=cli) from None
    except (URLError, OSError) as error:  # a connection closed without an answer too (RemoteDisconnected)
        reason = getattr(error, "reason", None) or error
        raise PushFailed(f"the store at {_where(endpoint)} did not answer ({reason})") from None
    except http.client.HTTPException as error:  # IncompleteRead, a malformed status line, ...
        raise PushFailed(f"the store at {_where(endpoint)} sent back a broken answer ({error!r})") from None


class _HearsTheRefusal(http.client.HTTPConnection):
    """A connection that, when the store closes it while the body is still on its way, reads the answer the store
    gave before closing. A server, or a proxy in front of it (nginx allows 1 MB), refuses a body too large by
    answering 413 and closing at once; sending the rest then failed with a broken pipe, so the push said "did not
    answer ...; check the URL and that the store is running" instead of what the store said."""

    cut_short = False

    def send(self, data: Any) -> None:  # noqa: ANN401 - what http.client sends: bytes, or a file-like object
        if self.cut_short:  # the rest of the body, after the store closed: it will not reach it
            return
        try:
            super().send(data)
        except (BrokenPipeError, ConnectionResetError):
            self.cut_short = True  # getresponse() reads what the store answered, or finds it said nothing

    def getresponse(self) -> http.client.HTTPResponse:
        response = super().getresponse()
        if self.cut_short and response.status < 400:  # a success for a body the store did not get whole
            response.close()
            raise http.client.HTTPException("it closed the connection before the whole request reached it")
        return response


class _HearsTheRefusalTLS(_HearsTheRefusal, http.client.HTTPSConnection):
    pass


class _Handler(HTTPHandler):
    def do_open(self, http_class: Any, req: Request, **http_conn_args: Any) -> http.client.HTTPResponse:  # noqa: ANN401
        return super().do_open(_HearsTheRefusal, req, **http_conn_args)  # in place of http_class


class _TLSHandler(HTTPSHandler):
    def do_open(self, http_class: Any, req: Request, **http_conn_args: Any) -> http.client.HTTPResponse:  # noqa: ANN401
        return super().do_open(_HearsTheRefusalTLS, req, **http_conn_args)  # in place of http_class


#: Never follows a redirect (see :class:`~kgraph.query.remote.NoRedirects`), and reads a refusal sent early.
_OPENER = build_opener(NoRedirects, _Handler, _TLSHandler)


def _http_reason(endpoint: Endpoint, error: HTTPError, content_type: str = "") -> tuple[str, str]:
    """What the store answered to a request of ``content_type``, and what to do: in the Python API's words, and in
    the command line's."""
    try:
        detail = " ".join(error.read().decode("utf-8", "replace").split())[:300]
    except OSError:
        detail = ""
    reason = f"{_where(endpoint)} answered HTTP {error.code} {error.reason}" + (f": {detail}" if detail else "")
    reason += redirect_hint(error)
    if error.code == 403 and _READ_ONLY.search(detail):  # no login changes that
        reason += (
            "; the store is read-only: it refuses every write, whatever the login; push to a store that takes them"
        )
    else:
        reason += login_hint(endpoint, error.code, may="write there")
    if error.code == 413:
        why = "(the store, or a proxy before it, limits its size)"
        return (
            f"{reason}; send fewer triples a request with push.plan(..., batch=N) {why}",
            f"{reason}; send fewer triples a request with --batch N {why}",
        )
    if error.code == 415 and content_type == _DATA_TYPE:
        # A store's query and update URLs refuse N-Triples as a media type they do not take (Oxigraph's /query and
        # /update do): the answer named the content type, not the URL mixed up with the Graph Store Protocol's.
        why = "(its query and update URLs take no N-Triples)"
        return (
            f"{reason}; check that the Target's endpoint is the store's Graph Store Protocol URL {why}",
            f"{reason}; check that --endpoint is the store's Graph Store Protocol URL {why}",
        )
    if error.code in (404, 405):
        return (
            f"{reason}; is this the store's Graph Store Protocol URL (or, with Target(..., "
            'method="update"), its update URL)?',
            f"{reason}; is this the store's Graph Store Protocol URL (or, with --method update, its update URL)?",
        )
    return reason, reason


#: What a store that refuses every write says (Oxigraph's ``serve-read-only``: "The server is read-only"; kgraph
#: serve: "this server is read-only: ...").
_READ_ONLY = re.compile(r"\bread[- ]?only\b", re.IGNORECASE)


def _where(endpoint: Endpoint) -> str:
    """The endpoint's URL without its query, and never with user information (``user:password@``)."""
    parts = urlsplit(endpoint.url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


__all__ = ["DEFAULT_BATCH", "METHODS", "Outcome", "Plan", "Target", "Upload", "plan", "push"]

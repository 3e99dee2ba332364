"""Safe by default: a query reads the loaded graph and nothing else, and does not change it.

What rdflib 7 fetches while it evaluates a query (read in ``rdflib.plugins.sparql``):

- ``SERVICE <url> {...}``: ``evalServiceQuery`` sends the pattern to ``url`` with ``urllib.request.urlopen``,
  ``SILENT`` or not (``SILENT`` only hides the failure).
- ``FROM <iri>`` / ``FROM NAMED <iri>``: ``QueryContext`` copies the graph of that name from the dataset, and
  when the dataset has no such graph it calls ``Graph.parse(iri)``, which downloads an ``http(s)`` IRI and reads a
  ``file:`` IRI (or a relative one) from the local disk, trying up to four formats, four requests.
- Updates: ``LOAD <iri>`` parses the IRI the same way, and ``USING <iri>`` / ``USING NAMED <iri>`` always do,
  even when the dataset has a graph of that name. Every other update operation changes the graph.

Two layers stop this. :func:`check` inspects the parsed algebra before anything runs and refuses, with a message
naming the option that allows it: any SERVICE; a FROM/FROM NAMED that is not a graph of the loaded dataset;
LOAD and USING; an update at all unless updates are allowed; and, even when the network is allowed, any IRI to
fetch that is not ``http(s)``, so a query never reads local files. Then :func:`network_guard` wraps the
evaluation in a Python audit hook (:pep:`578`) that refuses, in the evaluating thread only, every connection,
name look-up and ``urllib`` request: whatever path rdflib might take that the first layer does not know about,
no packet leaves. The hook raises an exception derived from ``BaseException``, so no ``except Exception`` in a
library can swallow it, and records the attempt.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query, Update

from kgraph.errors import UnsafeQueryError
from kgraph.query.parsing import ParsedQuery, algebra_parts, raw

#: The option of ``kgraph query`` that lets SERVICE, FROM and LOAD fetch over the network.
NETWORK_OPTION = "--allow-network"
#: The same for :func:`kgraph.query.run_local`.
NETWORK_POLICY = "policy=Policy(allow_network=True)"
#: The option of ``kgraph query`` that lets an update run (on the graph in memory only).
UPDATE_OPTION = "--update"

#: Audit events (see the "Audit events table" of the Python docs) that mean the network is about to be used.
NETWORK_EVENTS = frozenset(
    {
        "urllib.Request",
        "http.client.connect",
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.sendto",
        "socket.sendmsg",
        "ftplib.connect",
        "smtplib.connect",
        "poplib.connect",
        "imaplib.open",
        "nntplib.connect",
        "telnetlib.Telnet.open",
        "webbrowser.open",
    }
)
_FETCHABLE_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class Policy:
    """What a query may do besides reading the loaded graph."""

    allow_network: bool = False
    allow_update: bool = False


@dataclass(frozen=True)
class Fetch:
    """Something a query would fetch: the IRI and the clause that asks for it."""

    iri: str
    clause: str  # "SERVICE", "FROM", "FROM NAMED", "LOAD", "USING", "USING NAMED"


@dataclass
class Inspection:
    """What :func:`inspect` found in a query's algebra."""

    fetches: list[Fetch] = field(default_factory=list)
    #: The dataset the query names (FROM / FROM NAMED), whether or not it is local.
    dataset_clauses: list[Fetch] = field(default_factory=list)
    update_operations: list[str] = field(default_factory=list)


def inspect(parsed: ParsedQuery, local_graphs: Iterable[URIRef]) -> Inspection:
    """Walk the parsed algebra and list what the query would fetch and which update operations it holds.

    ``local_graphs`` are the names of the graphs the dataset has: a FROM of one of them reads it and fetches
    nothing.
    """
    found = Inspection()
    local = set(local_graphs)
    if isinstance(parsed.algebra, Update):
        for operation in parsed.algebra.algebra:
            found.update_operations.append(operation.name)
            if operation.name == "Load":
                found.fetches.append(Fetch(str(raw(operation, "iri")), "LOAD"))
            for clause in raw(operation, "using") or ():
                named = raw(clause, "named")
                found.fetches.append(Fetch(str(named or raw(clause, "default")), "USING NAMED" if named else "USING"))
            found.fetches.extend(_services(operation))
        return found
    assert isinstance(parsed.algebra, Query)  # noqa: S101 - a ParsedQuery holds one or the other
    main = parsed.algebra.algebra
    for fetch in _dataset_clauses(main):
        found.dataset_clauses.append(fetch)
        if URIRef(fetch.iri) not in local:
            found.fetches.append(fetch)
    found.fetches.extend(_services(main))
    return found


def fetches_of(query: Query) -> list[Fetch]:
    """What ``query`` would fetch with no graph of its own to read (a rule's): each FROM and FROM NAMED, then each
    SERVICE."""
    return [*_dataset_clauses(query.algebra), *_services(query.algebra)]


def _dataset_clauses(main: object) -> Iterator[Fetch]:
    for clause in raw(main, "datasetClause") or ():
        named = raw(clause, "named")
        yield Fetch(str(named or raw(clause, "default")), "FROM NAMED" if named else "FROM")


def check(parsed: ParsedQuery, policy: Policy, local_graphs: Iterable[URIRef]) -> Inspection:
    """Refuse (:class:`~kgraph.errors.UnsafeQueryError`) what ``policy`` does not allow; return the inspection."""
    found = inspect(parsed, local_graphs)
    if parsed.is_update and not policy.allow_update:
        operations = ", ".join(dict.fromkeys(_UPDATE_NAMES.get(op, op) for op in found.update_operations))
        raise UnsafeQueryError.in_both(
            f"this is a SPARQL update ({operations}), and a query is read-only; pass "
            "policy=Policy(allow_update=True) to apply it to the graph in memory (the data files are never changed)",
            f"this is a SPARQL update ({operations}), and kgraph query is read-only; pass {UPDATE_OPTION} to "
            "apply it to the graph in memory (the data files are never changed)",
        )
    for fetch in found.fetches:
        if not fetch.iri.startswith(_FETCHABLE_SCHEMES):
            raise UnsafeQueryError.advising(
                f"{fetch.clause} <{fetch.iri}> would read {fetch.iri!r}, which is not a graph of the loaded data "
                "and not an http(s) IRI; kgraph never reads local files from a query",
                python="(load the file with load(data_dir=...) to add it)",
                cli="(use --data DIR to add files)",
                then=" ",
            )
        if not policy.allow_network:
            would = f"{fetch.clause} <{fetch.iri}> would fetch {fetch.iri} over the network"
            raise UnsafeQueryError.in_both(
                f"{would}, and kgraph does not reach the network unless {NETWORK_POLICY} allows it",
                f"{would}, and kgraph query does not reach the network unless you pass {NETWORK_OPTION}",
            )
    return found


_UPDATE_NAMES: Mapping[str, str] = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
}


def _services(node: object) -> Iterator[Fetch]:
    """Every SERVICE in ``node``, wherever it is: in a pattern, a sub-query, an EXISTS in a filter."""
    for part in algebra_parts(node):
        if isinstance(part, CompValue) and part.name == "ServiceGraphPattern":
            yield Fetch(str(raw(part, "term")), "SERVICE")


# ------------------------------------------------------------------------------------------ the network guard


class NetworkBlocked(BaseException):
    """Raised inside the evaluating thread when the query tries to use the network. Derives from BaseException
    so that rdflib's ``except Exception`` (around FROM loading, SERVICE SILENT) cannot swallow it."""


_guarded = threading.local()
_hook_lock = threading.Lock()
_hook_installed = False


@dataclass
class GuardRecord:
    """What the guard refused while it was on: one ``event: detail`` string per attempt."""

    attempts: list[str] = field(default_factory=list)


@contextmanager
def network_guard(active: bool = True) -> Iterator[GuardRecord]:
    """While the block runs, refuse every network access made from this thread (other threads are not affected).

    Installs the process-wide audit hook the first time (an audit hook cannot be removed; it costs one attribute
    look-up per audit event while no guard is on). With ``active=False`` nothing is refused.
    """
    record = GuardRecord()
    if not active:
        yield record
        return
    _install_hook()
    previous = getattr(_guarded, "record", None)
    _guarded.record = record
    try:
        yield record
    finally:
        _guarded.record = previous


def _install_hook() -> None:
    global _hook_installed  # noqa: PLW0603 - one hook per process
    with _hook_lock:
        if not _hook_installed:
            sys.addaudithook(_audit)
            _hook_installed = True


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event not in NETWORK_EVENTS:
        return
    record = getattr(_guarded, "record", None)
    if record is None:
        return
    detail = f"{event}: {_describe(args)}"
    record.attempts.append(detail)
    raise NetworkBlocked(detail)


def _describe(args: tuple[Any, ...]) -> str:
    parts = [str(arg) for arg in args if isinstance(arg, str | bytes | int | tuple)]
    return " ".join(parts)[:200]

"""A store's index of names: what :func:`kgraph.names.find` matches, worked out once when the store is built.

``find`` compares a name, normalised, with every label, alt label and IRI local name of the data. On a store of a
million triples that is a scan of a few hundred thousand texts (about 2 s) for each name a command is given
(``show``, ``path``, ``neighbors``, ``viz --focus``, a saved query's ``--param``). :func:`write` keeps those
texts normalised, with the resources they name, in an SQLite file beside the database, so that a name costs one
indexed look-up. The store never changes after it is built, so neither does its index. A store without one
(built by an older kgraph, or whose index has another :data:`VERSION`) is scanned as before.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kgraph.names import local_name, normalise
from kgraph.oxstore import FLAT, tsv_select, tsv_value
from kgraph.vocab import KG, ONTOLOGY_GRAPH

#: The index file in a store folder.
FILE = "names.sqlite"
#: What the index holds and how it normalises. Change it whenever :func:`kgraph.names.normalise` or what
#: ``find`` matches changes: a store whose index has another number is scanned, and rebuilt by the next load.
#: 2: the local names of entities without a label too; 3: no space beside Chinese characters; 4: traditional
#: Chinese characters folded to simplified ones.
VERSION = 4
#: What a name matched, in the order ``find`` tries them.
LABEL, ALT_LABEL, LOCAL_NAME = 0, 1, 2


def write(native: ox.Store, path: Path) -> None:
    """Index every non-ontology IRI's labels, alt labels and local name (for those with either, and for every
    entity), normalised.

    Everything is read from the flat graph as SPARQL TSV (:func:`kgraph.oxstore.tsv_select`), the texts alone: the
    quads of every graph, a pyoxigraph term for each subject, predicate and object, took twice the time (at 1M
    triples, 4.2-4.8 CPU-seconds for the whole index, at the end of a load)."""
    ontology = {
        row[0] for row in tsv_select(native, f"SELECT DISTINCT ?s WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}")
    }
    entities = f"SELECT ?s WHERE {{ ?s <{RDF.type}> <{KG.Entity}> FILTER isIRI(?s) }}"
    named = {s[1:-1] for (s,) in tsv_select(native, entities, default_graph=FLAT) if s not in ontology}

    def rows() -> Iterator[tuple[int, str, str]]:
        for kind, predicate in ((LABEL, RDFS.label), (ALT_LABEL, SKOS.altLabel)):
            text = f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o FILTER isIRI(?s) }}"
            for s, o in tsv_select(native, text, default_graph=FLAT):
                if s not in ontology:
                    iri = s[1:-1]
                    named.add(iri)
                    yield kind, normalise(tsv_value(o)), iri
        for iri in sorted(named):
            yield LOCAL_NAME, normalise(local_name(URIRef(iri))), iri

    import sqlite3  # noqa: PLC0415 - only a load and a name look-up on a store need it

    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute("CREATE TABLE names (kind INTEGER NOT NULL, key TEXT NOT NULL, iri TEXT NOT NULL)")
            connection.executemany("INSERT INTO names VALUES (?, ?, ?)", rows())
            connection.execute("CREATE INDEX names_by_key ON names (key)")
    finally:
        connection.close()


class NameIndex:
    """A store's name index, opened read-only on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: Any = None  # an sqlite3.Connection, once opened

    def lookup(self, key: str) -> list[list[URIRef]] | None:
        """The resources whose label, alt label or local name normalises to ``key``: three sorted lists, in
        the order of :data:`LABEL`, :data:`ALT_LABEL` and :data:`LOCAL_NAME`. None when the index cannot be
        read (damaged, or removed since the store opened): the caller reads the labels instead."""
        import sqlite3  # noqa: PLC0415 - see write()

        found: list[list[URIRef]] = [[], [], []]
        try:
            query = "SELECT DISTINCT kind, iri FROM names WHERE key = ? ORDER BY iri"
            for kind, iri in self._connected().execute(query, (key,)):
                found[kind].append(URIRef(iri))
        except (sqlite3.Error, IndexError, TypeError):  # not an index kgraph wrote
            return None
        return found

    def starting_with(self, key: str) -> Iterator[URIRef] | None:
        """The resources with a label, alt label or local name whose normalised form starts with ``key``, the
        shortest such name first, then by name and IRI (a range of the index, not a scan). None when the index
        cannot be read."""
        import sqlite3  # noqa: PLC0415 - see write()

        # Texts compare by their UTF-8 bytes, so every key that starts with ``key`` sorts below key + U+10FFFF.
        query = (
            "SELECT iri, MIN(printf('%09d', length(key)) || key) AS shortest FROM names"
            " WHERE key >= ? AND key < ? GROUP BY iri ORDER BY shortest, iri"
        )
        try:
            rows = self._connected().execute(query, (key, key + "\U0010ffff"))
        except sqlite3.Error:
            return None
        return (URIRef(iri) for iri, _shortest in rows)

    def run_together(self, joined: str, separators: str) -> list[list[URIRef]] | None:
        """The resources with a label, alt label or local name whose key is ``joined`` with none or any of
        ``separators`` between its characters (``trainium3``: the keys ``trainium3``, ``trainium 3``,
        ``trainium-3``...), as :meth:`lookup` gives them. The keys are walked from the first character on, a
        character or separator further only where a key goes on that way (an indexed seek each), so a name reads
        a few dozen places of the index, not the table; the index is the same as before (no rebuild). None when
        it cannot be read."""
        import sqlite3  # noqa: PLC0415 - see write()

        found: list[set[URIRef]] = [set(), set(), set()]
        equal = "SELECT DISTINCT kind, iri FROM names WHERE key = ?"
        onwards = "SELECT 1 FROM names WHERE key >= ? AND key < ? LIMIT 1"
        try:
            connection = self._connected()
            ways = [("", 0)]  # a start of keys, and how many characters of ``joined`` it holds
            while ways:
                start, at = ways.pop()
                if at == len(joined):
                    for kind, iri in connection.execute(equal, (start,)):
                        found[kind].add(URIRef(iri))
                for step in (*joined[at : at + 1], *separators):
                    further = start + step
                    if connection.execute(onwards, (further, further + "\U0010ffff")).fetchone() is not None:
                        ways.append((further, at + (step not in separators)))
        except (sqlite3.Error, IndexError, TypeError):  # not an index kgraph wrote
            return None
        return [sorted(resources) for resources in found]

    def close(self) -> None:
        """Close the index's file, if it was opened (the store is closed: :meth:`kgraph.store.LoadedGraph.close`)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def _connected(self) -> Any:  # noqa: ANN401 - an sqlite3.Connection
        import sqlite3  # noqa: PLC0415 - see write()

        if self._connection is None:
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            self._connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            # Closed with the index if it is dropped unclosed (a command's store at exit): the garbage collector
            # closing it instead is a ResourceWarning on Python 3.13 ("unclosed database").
            weakref.finalize(self, self._connection.close)
        return self._connection

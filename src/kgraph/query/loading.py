"""Load the graph for a query, from the cache when no input has changed.

Loading and inference take about 0.2 s, several times what a typical query takes, so ``kgraph query`` keeps the
loaded, inferred dataset in kgraph's cache (:mod:`kgraph.cache`, the folder of the validation cache). The key is a
SHA-256 of every file ``load()`` reads (name and bytes), the folders (as given, and resolved), each path as
messages show it (relative to the current folder when under it), the current folder if a folder is given relative
to it, kgraph's code and version, the rdflib version and the Python version, so a stale entry is never used. An entry
holds only strings and integers, stored with :mod:`marshal` (no code is ever loaded from the cache), and an entry
that cannot be read is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.paths import Path as PropertyPath
from rdflib.term import Identifier

from kgraph import cache, store
from kgraph._compat import quiet_rdflib, rdflib_log_to
from kgraph.errors import KGraphError
from kgraph.resources import RULES_DIR_NAME, default_data_dir, default_ontology_dir, rule_files
from kgraph.store import typed_path
from kgraph.terms import from_tuple, to_tuple, triple_order
from kgraph.vocab import INFERRED_GRAPH, bind_prefixes

#: 2: the prefixes the data files declare. 3: the warning of a named graph the data does not declare a section
#: names its line and the section meant (an entry of 2 keeps the warning without them).
_FORMAT = 3


def load(data_dir: Path | None = None, ontology_dir: Path | None = None) -> store.LoadedGraph:
    """:func:`kgraph.store.load`, through the cache. Errors are the same as ``store.load``'s."""
    try:
        entry = _key(data_dir or default_data_dir(), ontology_dir or default_ontology_dir())
    except (OSError, KGraphError):
        return store.load(data_dir, ontology_dir)  # raises the error a user can act on
    stored = cache.read(entry) if entry else None
    if stored is not None:
        try:
            return decode(stored)
        except Exception:  # noqa: S110 - a corrupt entry is ignored and replaced
            pass
    loaded = store.load(data_dir, ontology_dir)
    if entry:
        cache.write(entry, encode(loaded))
    return loaded


def _key(data_dir: Path, ontology_dir: Path) -> str | None:
    if cache.cache_dir() is None:
        return None
    parts = [sys.version.encode(), str(_FORMAT).encode()]
    # The entry keeps the paths as given and the warnings' paths as shown from the current folder: from another
    # folder, or with the folders spelt otherwise, a hit named files that are not there (validate's where lines
    # lost their line numbers) and warned with paths from elsewhere. So the key holds the folders as given, the
    # current folder when one of them is relative to it, and below each path as shown (relative to the current
    # folder when under it): folders given whole and outside it (the bundled ones) hit from any folder.
    parts.append(f"given:{data_dir}\0{ontology_dir}".encode())
    if not (data_dir.is_absolute() and ontology_dir.is_absolute()):
        parts.append(f"from:{Path.cwd()}".encode())
    # The files store.load reads, listed as it lists them: an entry it refuses (a FIFO, a dangling link) is refused
    # here too, before a cached graph could answer without it.
    ontology_dir, data_dir, ontology_files, data_files = store.find_inputs(data_dir, ontology_dir)
    rules_dir = ontology_dir / RULES_DIR_NAME
    # As store.load and persist.build list them: a rules entry they refuse (a dangling link, a file, a folder that
    # cannot be listed) is refused here too, rather than keyed as no rules and answered by an entry without them.
    rules = rule_files(rules_dir, f"{typed_path(ontology_dir)}/{RULES_DIR_NAME}")
    for role, folder, files in (
        ("ontology", ontology_dir, ontology_files),
        ("data", data_dir, data_files),
        ("rules", rules_dir, rules),
    ):
        parts.append(f"{role}:{folder.resolve()}\0{typed_path(folder)}".encode())
        for path in files:
            parts.extend((os.fsencode(path.name), os.fsencode(typed_path(path)), _digest(path)))
    # The data files of sub-folders are not read, but the entry keeps the load's warning of them: a file put in one
    # (or taken out) since the entry was written needs the warning said again (or no longer).
    for folder, nested in store.nested_data_files(data_dir):
        parts.append(f"nested:{folder.name}\0{typed_path(folder)}".encode())
        parts.extend(str(path.relative_to(folder)).encode() for path in nested)
    # So are the files in a format kgraph does not read (RDF/XML, JSON-LD, ...), which the load warns of too.
    for folder in (ontology_dir, data_dir):
        parts.extend(f"unread:{typed_path(path)}".encode() for path, _what in store.unread_rdf_files(folder))
    return cache.key("query-graph", parts)


def _digest(path: Path) -> bytes:
    """SHA-256 of the file's bytes, read a piece at a time: the key held every file whole (a data file of 4 GB ran
    the machine out of memory before the load began)."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").digest()


def encode(loaded: store.LoadedGraph) -> bytes:
    """``loaded`` as bytes: a table of terms and the quads as indices into it."""
    terms: dict[Identifier, int] = {}
    table: list[tuple[int, str, str, str]] = []

    def index(term: Identifier) -> int:
        if term not in terms:
            terms[term] = len(table)
            table.append(to_tuple(term))
        return terms[term]

    quads: list[int] = []
    with quiet_rdflib():
        # in the order store.load added them (the stated quads, then the inferred ones, each in triple_order):
        # rdflib hands them over in a set's, and a graph answers a query without ORDER BY in the order of its adding
        found = sorted(
            loaded.dataset.quads((None, None, None, None)),
            key=lambda quad: (quad[3] == INFERRED_GRAPH, triple_order(quad)),  # type: ignore[arg-type]
        )
    for s, p, o, g in found:
        quads.extend((index(s), index(p), index(o), index(g)))  # type: ignore[arg-type]
    meta = (
        str(loaded.ontology_dir),
        str(loaded.data_dir),
        [str(p) for p in loaded.ontology_files],
        [str(p) for p in loaded.data_files],
        list(loaded.rules),
        loaded.fingerprint,
        list(loaded.warnings),
        [(entry.prefix, entry.namespace, str(entry.path)) for entry in loaded.prefixes],
    )
    return marshal.dumps((_FORMAT, table, quads, meta))


def decode(stored: bytes) -> store.LoadedGraph:
    """The :class:`~kgraph.store.LoadedGraph` that :func:`encode` wrote."""
    version, table, quads, meta = marshal.loads(stored)  # noqa: S302 - our own entry; marshal runs no code
    if version != _FORMAT:
        raise ValueError("old cache entry")
    with _unlogged():
        terms = [from_tuple(entry) for entry in table]
    ontology_dir, data_dir, ontology_files, data_files, rules, fingerprint, warnings, declared = meta
    prefixes = tuple(store.DeclaredPrefix(prefix, namespace, Path(path)) for prefix, namespace, path in declared)
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    store.bind_declared(dataset, prefixes)
    graphs: dict[int, Graph] = {}
    for i in set(quads[3::4]):
        graphs[i] = dataset.graph(terms[i])
    it = iter(quads)
    rows = [(terms[s], terms[p], terms[o], g) for s, p, o, g in zip(it, it, it, it, strict=True)]
    # The store's own addN: Dataset.addN would look each quad's graph up again (a third of the load's time).
    dataset.store.addN((s, p, o, graphs[g]) for s, p, o, g in rows)
    graph = UnionView(dataset)
    return store.LoadedGraph(
        dataset=dataset,
        graph=graph,
        ontology_dir=Path(ontology_dir),
        data_dir=Path(data_dir),
        ontology_files=tuple(Path(p) for p in ontology_files),
        data_files=tuple(Path(p) for p in data_files),
        rules=tuple(rules),
        fingerprint=fingerprint,
        warnings=tuple(warnings),
        prefixes=prefixes,
    )


@contextlib.contextmanager
def _unlogged() -> Iterator[None]:
    """Nothing of what rdflib logs meanwhile: making the terms again, it logs each literal it cannot read as its
    datatype, which the load warned of with its file and line (the entry keeps those warnings, and the command
    prints them). A second ``kgraph query`` on such data warned twice, the second time without the file."""
    with rdflib_log_to(logging.NullHandler()):
        yield


class UnionView(Graph):
    """Every triple of a dataset, in whichever of its graphs, as one read-only graph: the flat graph that
    :func:`kgraph.store.load` builds as a copy, without copying (which would take half the time of a cached load).
    """

    def __init__(self, dataset: Dataset) -> None:
        super().__init__(store=dataset.store, identifier=URIRef("urn:x-kgraph:union"))
        self.namespace_manager = dataset.namespace_manager

    def triples(self, triple: Any) -> Iterator[Any]:  # type: ignore[override]  # noqa: ANN401 - as Graph's
        """The matching triples of every graph of the dataset, each once."""
        if isinstance(triple[1], PropertyPath):
            yield from super().triples(triple)  # a property path, evaluated with the triples below
            return
        for found, _contexts in self.store.triples(triple, context=None):
            yield found

    def triples_choices(self, triple: Any, context: Any = None) -> Iterator[Any]:  # type: ignore[override]  # noqa: ANN401
        """As :meth:`triples`, for a pattern with a list of choices in one place."""
        for found, _contexts in self.store.triples_choices(triple, context=None):
            yield found

    def __len__(self) -> int:
        return len(self.store)  # every graph: the store counts each triple once

    def add(self, triple: Any) -> UnionView:  # noqa: ANN401
        """Refused: the view is read-only."""
        raise TypeError("the loaded graph is read-only")

    def addN(self, quads: Any) -> UnionView:  # noqa: ANN401
        """Refused: the view is read-only."""
        raise TypeError("the loaded graph is read-only")

    def remove(self, triple: Any) -> UnionView:  # noqa: ANN401
        """Refused: the view is read-only."""
        raise TypeError("the loaded graph is read-only")

"""Load the graph for a query, from the cache when no input has changed.

Loading and inference take about 0.2 s, several times what a typical query takes, so ``kgraph query`` keeps the
loaded, inferred dataset in kgraph's cache (:mod:`kgraph.cache`, the folder of the validation cache). The key is a
SHA-256 of every file ``load()`` reads (name and bytes), the folders, kgraph's code and version, the rdflib
version and the Python version, so a stale entry is never used. An entry holds only strings and integers, stored
with :mod:`marshal` (no code is ever loaded from the cache), and an entry that cannot be read is ignored.
"""

from __future__ import annotations

import marshal
import sys
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier

from kgraph import cache, store
from kgraph._compat import quiet_rdflib
from kgraph.errors import KGraphError
from kgraph.resources import RULES_DIR_NAME, default_data_dir, default_ontology_dir
from kgraph.vocab import bind_prefixes

_FORMAT = 1


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
    for role, folder in (("ontology", ontology_dir), ("data", data_dir), ("rules", ontology_dir / RULES_DIR_NAME)):
        parts.append(f"{role}:{folder.resolve()}".encode())
        suffixes = {".rq"} if role == "rules" else set(store.FORMATS)
        if role == "rules" and not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix in suffixes and path.is_file():
                parts.extend((path.name.encode(), path.read_bytes()))
    return cache.key("query-graph", parts)


def encode(loaded: store.LoadedGraph) -> bytes:
    """``loaded`` as bytes: a table of terms and the quads as indices into it."""
    terms: dict[Identifier, int] = {}
    table: list[tuple[int, str, str, str]] = []

    def index(term: Identifier) -> int:
        if term not in terms:
            terms[term] = len(table)
            table.append(_term_tuple(term))
        return terms[term]

    quads: list[int] = []
    with quiet_rdflib():
        for s, p, o, g in loaded.dataset.quads((None, None, None, None)):
            quads.extend((index(s), index(p), index(o), index(g)))  # type: ignore[arg-type]
    meta = (
        str(loaded.ontology_dir),
        str(loaded.data_dir),
        [str(p) for p in loaded.ontology_files],
        [str(p) for p in loaded.data_files],
        list(loaded.rules),
        loaded.fingerprint,
        list(loaded.warnings),
    )
    return marshal.dumps((_FORMAT, table, quads, meta))


def decode(stored: bytes) -> store.LoadedGraph:
    """The :class:`~kgraph.store.LoadedGraph` that :func:`encode` wrote."""
    version, table, quads, meta = marshal.loads(stored)  # noqa: S302 - our own entry; marshal runs no code
    if version != _FORMAT:
        raise ValueError("old cache entry")
    terms = [_term(entry) for entry in table]
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    graphs: dict[int, Graph] = {}
    for i in set(quads[3::4]):
        graphs[i] = dataset.graph(terms[i])
    it = iter(quads)
    rows = [(terms[s], terms[p], terms[o], g) for s, p, o, g in zip(it, it, it, it, strict=True)]
    dataset.addN((s, p, o, graphs[g]) for s, p, o, g in rows)
    graph = Graph()
    bind_prefixes(graph)
    graph.addN((s, p, o, graph) for s, p, o, _g in rows)
    ontology_dir, data_dir, ontology_files, data_files, rules, fingerprint, warnings = meta
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
    )


def _term_tuple(term: Identifier) -> tuple[int, str, str, str]:
    if isinstance(term, URIRef):
        return (0, str(term), "", "")
    if isinstance(term, BNode):
        return (1, str(term), "", "")
    assert isinstance(term, Literal)  # noqa: S101 - the three kinds of RDF term
    return (2, str(term), term.language or "", str(term.datatype or ""))


def _term(entry: tuple[int, str, str, str]) -> Identifier:
    kind, value, language, datatype = entry
    if kind == 0:
        return URIRef(value)
    if kind == 1:
        return BNode(value)
    return Literal(value, lang=language or None, datatype=URIRef(datatype) if datatype else None)

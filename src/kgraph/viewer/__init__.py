"""The interactive HTML viewer: self-contained pages that open from disk, offline, built with pyvis.

- :mod:`kgraph.viewer.model`: what a page shows (:func:`~kgraph.viewer.model.select`: the whole graph, some
  classes, the neighbourhood of an entity) and what it knows about each entity;
- :mod:`kgraph.viewer.layout`: seeded positions computed in Python, so the browser draws at once;
- :mod:`kgraph.viewer.page`: one page as HTML (pyvis's network, vis-network, our script and the data inlined);
- :mod:`kgraph.viewer.views`: what ``kgraph build`` writes (the whole graph, focused views, an index).

Importing this package is cheap: numpy, Jinja and pyvis load only when a page is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import RDF

from kgraph._compat import query_text
from kgraph.errors import InputError
from kgraph.vocab import KG

if TYPE_CHECKING:
    from kgraph.store import LoadedGraph

#: The most entities a page draws (``kgraph viz`` unless --max-entities says otherwise, and the pages of ``kgraph
#: build`` and ``kgraph serve``): 5,000 build in about 6 s and draw in about 2 s (BENCHMARKS.md); a large store's
#: whole graph would take many minutes and make a page no one can read.
MAX_ENTITIES = 5_000

#: The viewer's pages ``kgraph build`` writes (:mod:`kgraph.viewer.views` draws them): the whole graph, the
#: focused views and their index. ``ontology.html``, written with them, draws no graph.
PAGES = ("graph-chips.html", "graph-customers.html", "graph-succession.html", "graph.html", "index.html")


def entity_count(loaded: LoadedGraph, classes: Sequence[URIRef] = ()) -> int:
    """How many entities a page would draw: the instances of ``classes``, or every entity (one SPARQL count,
    which a store answers in Oxigraph)."""
    values = " ".join(f"<{cls}>" for cls in classes or [KG.Entity])
    text = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?class {{ {values} }} ?s a ?class FILTER isIRI(?s) }}"
    (row,) = query_text(loaded.graph, text)
    return int(str(row[0]))


def draws_whole(loaded: LoadedGraph) -> bool:
    """Whether a page of the whole graph has no more entities than :data:`MAX_ENTITIES`, as :func:`entity_count`
    counts them, but counted only to one past the limit: a full count took 0.5 s on a store of 1M triples, which
    doubled the time ``kgraph serve`` took to start, and this reads a few thousand triples."""
    seen: set[URIRef] = set()
    for entity in loaded.graph.subjects(RDF.type, KG.Entity):
        if isinstance(entity, URIRef):
            seen.add(entity)
            if len(seen) > MAX_ENTITIES:
                return False
    return True


def render_exports(loaded: LoadedGraph, max_entities: int | None = None) -> dict[str, bytes]:
    """The ``kgraph build`` writer: ``graph.html``, the focused views, ``ontology.html`` and ``index.html``. Raises
    InputError when the whole graph has more than ``max_entities`` entities (:data:`MAX_ENTITIES` if None): on a
    large store its pages took hours (``kgraph serve``'s ``/`` did not answer, and held every other page back)."""
    limit = MAX_ENTITIES if max_entities is None else max_entities
    count = entity_count(loaded)
    if count > limit:
        raise InputError.advising(
            f"the viewer's pages would draw the whole graph's {count:,} entities, more than {limit:,}",
            python="draw a part with kgraph.viewer.model.select(loaded, focus=IRI, depth=N) or classes=[CLASS]",
            cli="draw a part with kgraph viz --focus NAME --depth N or --type CLASS",
            then=": ",
        )
    from kgraph.viewer.views import render  # noqa: PLC0415 - keeps `import kgraph` free of numpy and pyvis

    return render(loaded)


__all__ = ["MAX_ENTITIES", "PAGES", "draws_whole", "entity_count", "render_exports"]

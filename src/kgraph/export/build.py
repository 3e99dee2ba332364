"""The writers of the files ``kgraph build`` makes.

A writer is a pure function from the loaded graph to ``{relative file name: bytes}``; :func:`write_all` renders
every writer first and only then writes all files atomically, so a failure leaves the previous outputs intact.
To add an output (a viewer, Neo4j CSV), add its render function to :data:`WRITERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import kgraph.viewer
from kgraph.errors import InputError
from kgraph.export import neo4j, neptune, rdf
from kgraph.export.files import stale_files, write_files
from kgraph.store import LoadedGraph

Renderer = Callable[[LoadedGraph], Mapping[str, bytes]]

#: Every output of ``kgraph build``, in the order they are rendered.
WRITERS: tuple[tuple[str, Renderer], ...] = (
    ("rdf", rdf.render),
    ("neo4j", neo4j.render),  # neo4j/: nodes_*.csv, relationships_*.csv, import.sh, load.cypher
    ("neptune", neptune.render),  # neptune/: the same graph in Amazon Neptune's openCypher CSV
    ("viewer", kgraph.viewer.render_exports),  # graph.html, graph-*.html (focused views), ontology.html, index.html
)


def render_all(loaded: LoadedGraph, writers: tuple[tuple[str, Renderer], ...] = WRITERS) -> dict[str, bytes]:
    """Render every writer; file names must not clash."""
    files: dict[str, bytes] = {}
    for name, render in writers:
        for file_name, content in render(loaded).items():
            if file_name in files:
                raise ValueError(f"writer {name!r} renders {file_name!r}, which another writer renders too")
            files[file_name] = content
    return files


#: The files of ``kgraph build`` that depend on the graph (a node file per class, a relationship file per type, a
#: focused view that picks something) or on its options (the viewer's pages, not written with ``viewer=False``):
#: one an earlier build wrote and this one does not is removed.
OWNED = (
    tuple(f"neo4j/{pattern}" for pattern in neo4j.OWNED)
    + tuple(f"neptune/{p}" for p in neptune.OWNED)
    + kgraph.viewer.PAGES
)


def ontology_page(loaded: LoadedGraph) -> dict[str, bytes]:
    """The writer of ``ontology.html`` alone, for a build without the viewer's pages: it draws no graph, so it is
    written at any size, without the link to the viewer's index the viewer's writer gives it."""
    from kgraph.export import ontology  # noqa: PLC0415 - Jinja loads only when the page is drawn

    return {ontology.FILE: ontology.render_page(loaded)}


@dataclass(frozen=True)
class Written:
    """What :func:`write_all` did: the paths written and those of an earlier build it removed, each sorted."""

    paths: list[Path]
    removed: list[Path]


def write_all(
    loaded: LoadedGraph,
    out_dir: Path,
    writers: tuple[tuple[str, Renderer], ...] = WRITERS,
    *,
    viewer: bool = True,
    max_entities: int | None = None,
) -> Written:
    """Render every writer and write the files into ``out_dir``; the files of an earlier build that match
    :data:`OWNED` and are not written again are removed with them (all or nothing, as the files are written).

    The viewer's pages draw at most ``max_entities`` entities (:data:`kgraph.viewer.MAX_ENTITIES` if None): a
    larger graph raises InputError before anything is rendered. With ``viewer=False`` they are left out, at
    any size, and only ``ontology.html`` is written in their place (:func:`ontology_page`).
    """
    files = render_all(loaded, _chosen(loaded, writers, viewer, max_entities))
    stale = stale_files(out_dir, files, OWNED)
    paths = write_files(out_dir, files, remove=[str(path.relative_to(out_dir)) for path in stale])
    return Written(paths, stale)


def _chosen(
    loaded: LoadedGraph, writers: tuple[tuple[str, Renderer], ...], viewer: bool, max_entities: int | None
) -> tuple[tuple[str, Renderer], ...]:
    """``writers`` with the viewer's replaced by :func:`ontology_page` (``viewer=False``), or given the
    limit once the graph is counted under it: on a large store, the other exports took minutes before the
    viewer's writer refused the graph."""
    drawing = [render for _name, render in writers if render is kgraph.viewer.render_exports]
    if not viewer:
        return tuple((name, ontology_page if render in drawing else render) for name, render in writers)
    limit = kgraph.viewer.MAX_ENTITIES if max_entities is None else max_entities
    count = kgraph.viewer.entity_count(loaded) if drawing else 0
    if count > limit:
        raise InputError.advising(
            f"the viewer's pages would draw the whole graph's {count:,} entities, more than {limit:,}",
            python="pass viewer=False to write the other exports, a larger max_entities to draw them all, "
            "or draw a part with kgraph.viewer.model.select(loaded, focus=IRI, depth=N) or classes=[CLASS]",
            cli="pass --no-viewer to write the other exports, raise --max-entities to draw them all, or draw a "
            "part with kgraph viz --focus NAME --depth N or --type CLASS",
            then=": ",
        )
    pages = partial(kgraph.viewer.render_exports, max_entities=limit)
    return tuple((name, pages if render in drawing else render) for name, render in writers)


__all__ = ["OWNED", "WRITERS", "Renderer", "Written", "ontology_page", "render_all", "write_all"]

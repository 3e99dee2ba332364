"""The writers of the files ``kgraph build`` makes.

A writer is a pure function from the loaded graph to ``{relative file name: bytes}``; :func:`write_all` renders
every writer first and only then writes all files atomically, so a failure leaves the previous outputs intact.
To add an output (a viewer, Neo4j CSV), add its render function to :data:`WRITERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kgraph import viewer
from kgraph.export import neo4j, neptune, rdf
from kgraph.export.files import remove_stale, write_files
from kgraph.store import LoadedGraph

Renderer = Callable[[LoadedGraph], Mapping[str, bytes]]

#: Every output of ``kgraph build``, in the order they are rendered.
WRITERS: tuple[tuple[str, Renderer], ...] = (
    ("rdf", rdf.render),
    ("neo4j", neo4j.render),  # neo4j/: nodes_*.csv, relationships_*.csv, import.sh, load.cypher
    ("neptune", neptune.render),  # neptune/: the same graph in Amazon Neptune's openCypher CSV
    ("viewer", viewer.render_exports),  # graph.html, graph-*.html (focused views), ontology.html, index.html
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


#: The files of ``kgraph build`` that depend on the graph (a node file per class, a relationship file per type):
#: one an earlier build wrote and this one does not is removed.
OWNED = tuple(f"neo4j/{pattern}" for pattern in neo4j.OWNED) + tuple(f"neptune/{p}" for p in neptune.OWNED)


@dataclass(frozen=True)
class Written:
    """What :func:`write_all` did: the paths written and those of an earlier build it removed, each sorted."""

    paths: list[Path]
    removed: list[Path]


def write_all(loaded: LoadedGraph, out_dir: Path, writers: tuple[tuple[str, Renderer], ...] = WRITERS) -> Written:
    """Render every writer and write the files into ``out_dir``; then remove the files of an earlier build that
    match :data:`OWNED` and were not written again."""
    files = render_all(loaded, writers)
    paths = write_files(out_dir, files)
    return Written(paths, remove_stale(out_dir, files, OWNED))


__all__ = ["OWNED", "WRITERS", "Renderer", "Written", "render_all", "write_all"]

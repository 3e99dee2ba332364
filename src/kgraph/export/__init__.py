"""Writers of the files ``kgraph build`` makes.

A writer is a pure function from the loaded graph to ``{relative file name: bytes}``; :func:`write_all` renders
every writer first and only then writes all files atomically, so a failure leaves the previous outputs intact.
To add an output (a viewer, Neo4j CSV), add its render function to :data:`WRITERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from kgraph import viewer
from kgraph.export import neo4j, neptune, rdf
from kgraph.export.files import write_files
from kgraph.store import LoadedGraph

Renderer = Callable[[LoadedGraph], Mapping[str, bytes]]

#: Every output of ``kgraph build``, in the order they are rendered.
WRITERS: tuple[tuple[str, Renderer], ...] = (
    ("rdf", rdf.render),
    ("neo4j", neo4j.render),  # neo4j/: nodes_*.csv, relationships_*.csv, import.sh, load.cypher
    ("neptune", neptune.render),  # neptune/: the same graph in Amazon Neptune's openCypher CSV
    ("viewer", viewer.render_exports),  # graph.html, graph-*.html (focused views), index.html
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


def write_all(loaded: LoadedGraph, out_dir: Path, writers: tuple[tuple[str, Renderer], ...] = WRITERS) -> list[Path]:
    """Render every writer and write the files into ``out_dir``; return the paths written, sorted."""
    return write_files(out_dir, render_all(loaded, writers))


__all__ = ["WRITERS", "Renderer", "render_all", "write_all", "write_files"]

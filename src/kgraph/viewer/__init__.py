"""The interactive HTML viewer: self-contained pages that open from disk, offline, built with pyvis.

- :mod:`kgraph.viewer.model`: what a page shows (:func:`~kgraph.viewer.model.select`: the whole graph, some
  classes, the neighbourhood of an entity) and what it knows about each entity;
- :mod:`kgraph.viewer.layout`: seeded positions computed in Python, so the browser draws at once;
- :mod:`kgraph.viewer.page`: one page as HTML (pyvis's network, vis-network, our script and the data inlined);
- :mod:`kgraph.viewer.views`: what ``kgraph build`` writes (the whole graph, focused views, an index).

Importing this package is cheap: numpy, Jinja and pyvis load only when a page is drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kgraph.store import LoadedGraph


def render_exports(loaded: LoadedGraph) -> dict[str, bytes]:
    """The ``kgraph build`` writer: ``graph.html``, the focused views and ``index.html``, as bytes."""
    from kgraph.viewer.views import render  # noqa: PLC0415 - keeps `import kgraph` free of numpy and pyvis

    return render(loaded)


__all__ = ["render_exports"]

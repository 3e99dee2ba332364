"""Node positions computed in Python, seeded, so the browser draws a settled graph at once with physics off.

Each connected component is laid out on its own, in three steps:

1. A ForceAtlas2-style layout (Jacomy et al., 2014): every pair of nodes pushes apart with a force proportional
   to the product of their degrees (+1) over their distance, so hubs keep their neighbours at a readable
   distance; each edge pulls its ends together in proportion to its length, less so when one end is a hub (a
   node's place is then decided by what else it is linked to, which keeps clusters apart instead of piling
   every neighbour of a hub around it), more so at the entity a page is focused on; a weak gravity keeps the
   component together. The step size cools
   linearly, so the layout settles in a fixed number of iterations. Above :data:`EXACT_LIMIT` nodes, each
   iteration pushes from a seeded random sample of nodes (scaled up), so an iteration costs linear time.
2. The component is turned so that its longest extent is horizontal, stretched towards a window's shape, and
   scaled so that its label boxes cover :data:`FILL` of it; a small component keeps its edges long enough for
   relation labels.
3. Boxes that overlap are pushed apart along the axis where they overlap least (relatively), until none do.

The largest component goes on top and the others are packed in rows below it, as wide as it or as the whole
needs to take a window's shape. Only element-wise numpy operations are used (no BLAS, no threads), and the random
generator is numpy's legacy one, whose stream never changes: the same input gives the same positions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

#: Up to this many nodes, repulsion is computed between every pair; above, from a sample.
EXACT_LIMIT = 500
#: The size of the sample of nodes that push in one iteration above EXACT_LIMIT.
SAMPLE = 256
#: Rows of the pairwise arrays computed at once (bounds memory).
CHUNK = 256
#: The fraction of the drawing's area the label boxes should cover before de-overlapping.
FILL = 0.8
#: The shape (width / height) of a browser window, which the largest component is stretched towards.
ASPECT = 1.3
#: The shortest median edge (pixels) a component of at most SMALL nodes is drawn with.
MIN_EDGE = 170.0
SMALL = 60
#: How hard the edges of the entity a page is focused on pull (an edge between two leaves pulls at 1): its
#: neighbours are drawn around it, to be seen with it at a readable zoom, even on a phone.
CENTRE_PULL = 4.0
#: Pixels between packed components.
GAP = 40.0
#: The shortest side of a component's extent, as a part of its longest, when it is scaled to its boxes.
FLAT = 0.05


def positions(
    count: int,
    edges: Sequence[tuple[int, int]],
    boxes: Sequence[tuple[float, float]],
    *,
    seed: int = 7,
    aspect: float = ASPECT,
    centre: int | None = None,
) -> list[tuple[int, int]]:
    """Positions (pixels, integers) of ``count`` nodes joined by ``edges`` (pairs of node indices).

    ``boxes`` holds the width and height each node needs (its shape and its label), so labels do not overlap.
    Each connected component is laid out on its own; the largest is stretched to ``aspect`` (width / height)
    and the others are packed in rows below it, so a few unconnected entities cannot shrink the picture.

    ``centre``: the node a page is focused on (``--focus``), whose edges pull :data:`CENTRE_PULL` times as hard
    as those between two leaves, however many it has, so that its neighbours are drawn close around it.
    """
    if count == 0:
        return []
    pairs = np.array(sorted({(min(a, b), max(a, b)) for a, b in edges if a != b}), dtype=np.int64).reshape(-1, 2)
    size = np.array(boxes, dtype=np.float64).reshape(count, 2)
    rng = np.random.RandomState(seed)  # the legacy generator: its stream never changes between numpy versions
    placed: list[tuple[list[int], Array]] = []
    groups = components(count, pairs)
    component = np.zeros(count, dtype=np.int64)
    local = np.zeros(count, dtype=np.int64)
    for number, members in enumerate(groups):
        component[members] = number
        local[members] = np.arange(len(members))
    by_component = pairs[np.argsort(component[pairs[:, 0]], kind="stable")]
    bounds = np.searchsorted(component[by_component[:, 0]], np.arange(len(groups) + 1))
    for number, members in enumerate(groups):
        if len(members) == 1:
            placed.append((members, np.zeros((1, 2))))
            continue
        inner = local[by_component[bounds[number] : bounds[number + 1]]]
        held = int(local[centre]) if centre is not None and component[centre] == number else None
        pos = forceatlas2(len(members), inner, rng, default_iterations(len(members)), centre=held)
        pos = _fit_to_boxes(_stretch(_principal_axes(pos), aspect if not placed else 1.0), size[members], inner)
        pos = remove_overlaps(pos, size[members])
        placed.append((members, pos))
    result = _pack(placed, size, count)
    return [(round(x), round(y)) for x, y in result.tolist()]


def components(count: int, pairs: NDArray[np.int64]) -> list[list[int]]:
    """The connected components (lists of node indices, sorted), largest first, then by first node."""
    parent = list(range(count))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs.tolist():
        parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for node in range(count):
        groups.setdefault(root(node), []).append(node)
    return sorted(groups.values(), key=lambda members: (-len(members), members[0]))


def _principal_axes(pos: Array) -> Array:
    """Rotate ``pos`` so that its longest extent runs along x (a 2x2 eigenproblem, solved in closed form)."""
    pos = pos - pos.mean(axis=0)
    if len(pos) < 3:
        return pos
    sxx, syy, sxy = float((pos[:, 0] ** 2).sum()), float((pos[:, 1] ** 2).sum()), float((pos[:, 0] * pos[:, 1]).sum())
    angle = 0.5 * np.arctan2(2 * sxy, sxx - syy)
    cos, sin = np.cos(angle), np.sin(angle)
    return _floats(np.column_stack((pos[:, 0] * cos + pos[:, 1] * sin, -pos[:, 0] * sin + pos[:, 1] * cos)))


def _stretch(pos: Array, aspect: float) -> Array:
    """Scale x and y so that the bounding box is ``aspect`` times as wide as it is high (at most twice over)."""
    span = np.maximum(pos.max(axis=0) - pos.min(axis=0), 1e-9)
    factor = float(np.clip(np.sqrt(aspect * span[1] / span[0]), 0.7, 2.0))
    return _floats(pos * np.array([factor, 1.0 / factor]))


def _pack(placed: list[tuple[list[int], Array]], size: Array, count: int) -> Array:
    """Put the first component at the top and the others left to right in rows below it, centred."""
    result = np.zeros((count, 2))
    boxes = []
    for members, pos in placed:
        low = (pos - size[members] / 2).min(axis=0)
        high = (pos + size[members] / 2).max(axis=0)
        boxes.append((members, pos - low, high - low))
    # rows as wide as the largest component, or wide enough for the whole to take a window's shape (ASPECT): a
    # graph of hundreds of unconnected entities was a column in rows of 600 pixels, too thin to read once fitted
    area = sum(float((extent[0] + GAP) * (extent[1] + GAP)) for _members, _pos, extent in boxes)
    width = max(boxes[0][2][0], 600.0, float(np.sqrt(ASPECT * area))) if boxes else 0.0
    x = y = row_height = 0.0
    rows: list[list[tuple[list[int], Array, float]]] = [[]]
    for index, (members, pos, extent) in enumerate(boxes):
        if index and (index == 1 or x + extent[0] > width):
            y += row_height + GAP
            x = row_height = 0.0
            rows.append([])
        rows[-1].append((members, pos + np.array([x, y]), extent[0]))
        x += extent[0] + GAP
        row_height = max(row_height, float(extent[1]))
    for row in rows:
        used = sum(item[2] for item in row) + GAP * (len(row) - 1)
        for members, pos, _width in row:
            result[members] = pos + np.array([(width - used) / 2, 0.0])
    return _floats(result - (result.max(axis=0) + result.min(axis=0)) / 2)


def default_iterations(count: int) -> int:
    """Enough iterations to settle: many for small graphs, fewer (each costlier) for large ones."""
    return int(np.clip(60_000 / max(count, 1), 120, 400))


def forceatlas2(
    count: int, pairs: NDArray[np.int64], rng: np.random.RandomState, iterations: int, *, centre: int | None = None
) -> Array:
    """Run the force-directed layout; returns an ``(count, 2)`` array in layout units. The edges of ``centre``
    pull at full strength (see :func:`positions`)."""
    degree = np.bincount(pairs.ravel(), minlength=count).astype(np.float64)
    mass = degree + 1.0
    # an edge to a hub pulls less, so what else a node is linked to decides where it goes
    weight = 1.0 / np.sqrt(np.maximum(mass[pairs[:, 0]], mass[pairs[:, 1]])) if len(pairs) else np.zeros(0)
    if centre is not None and len(pairs):
        weight[(pairs[:, 0] == centre) | (pairs[:, 1] == centre)] = CENTRE_PULL
    pos = rng.uniform(-1.0, 1.0, (count, 2)) * np.sqrt(count) * 2.0
    if count < 2:
        return _floats(pos * 0.0)
    start = np.sqrt(count)
    for step in range(iterations):
        sample = None if count <= EXACT_LIMIT else np.sort(rng.choice(count, SAMPLE, replace=False))
        force = _repulsion(pos, mass, sample) + _attraction(pos, pairs, weight) + _gravity(pos, mass)
        temperature = start * (1.0 - step / iterations) + 0.01
        length = np.sqrt((force**2).sum(axis=1))
        factor = np.minimum(length, temperature) / np.maximum(length, 1e-9)
        pos += force * factor[:, None]
    return _floats(pos)


def _repulsion(pos: Array, mass: Array, sample: NDArray[np.int64] | None) -> Array:
    """Every node pushed away from every other (or from ``sample``, scaled up): ``m_i m_j / d``."""
    others = pos if sample is None else pos[sample]
    other_mass = mass if sample is None else mass[sample] * (len(pos) / len(sample))
    x, y = others[:, 0][None, :], others[:, 1][None, :]
    force = np.zeros_like(pos)
    for start in range(0, len(pos), CHUNK):
        rows = slice(start, start + CHUNK)
        dx = pos[rows, 0][:, None] - x
        dy = pos[rows, 1][:, None] - y
        coefficient = mass[rows, None] * other_mass[None, :] / np.maximum(dx * dx + dy * dy, 1e-6)
        force[rows, 0] = (dx * coefficient).sum(axis=1)
        force[rows, 1] = (dy * coefficient).sum(axis=1)
    return force


def _attraction(pos: Array, pairs: NDArray[np.int64], weight: Array) -> Array:
    """Each edge pulls its two ends together, in proportion to its length and its weight."""
    force = np.zeros_like(pos)
    if len(pairs):
        pull = (pos[pairs[:, 1]] - pos[pairs[:, 0]]) * weight[:, None]
        np.add.at(force, pairs[:, 0], pull)
        np.add.at(force, pairs[:, 1], -pull)
    return force


def _gravity(pos: Array, mass: Array) -> Array:
    """A pull of constant strength (times mass) towards the centre, so components stay together."""
    distance = np.maximum(np.sqrt((pos**2).sum(axis=1)), 1e-9)
    return _floats(-pos * (mass / distance)[:, None])


def _fit_to_boxes(pos: Array, size: Array, pairs: NDArray[np.int64]) -> Array:
    """Scale the layout so that the boxes cover :data:`FILL` of its bounding area; a component of at most
    :data:`SMALL` nodes, drawn large enough for its relation labels to show, keeps its median edge at least
    :data:`MIN_EDGE` long so that those labels have room."""
    pos = pos - pos.mean(axis=0)
    span = pos.max(axis=0) - pos.min(axis=0)
    # A component laid out on a line (a chain of three settles straight) has no height: its area would be ~0 and
    # the scale that fills it with boxes millions of pixels, so the shorter side counts as a part of the longer.
    span = np.maximum(span, max(float(span.max()) * FLAT, 1e-9))
    needed = float((size[:, 0] * size[:, 1]).sum()) / FILL
    scale = np.sqrt(needed / float(span[0] * span[1]))
    if len(pairs) and len(pos) <= SMALL:
        lengths = np.sqrt(((pos[pairs[:, 0]] - pos[pairs[:, 1]]) ** 2).sum(axis=1))
        scale = max(scale, MIN_EDGE / max(float(np.median(lengths)), 1e-9))
    return _floats(pos * scale)


def remove_overlaps(pos: Array, size: Array, passes: int = 300) -> Array:
    """Push apart boxes (centred on ``pos``, ``size`` wide and high) that overlap, until none do.

    Each pass looks only at pairs of boxes in the same or neighbouring cells of a grid whose cells are as large
    as the largest box, so a pass costs about as much as there are boxes.
    """
    pos = pos.copy()
    cell = np.maximum(size.max(axis=0), 1.0)
    for _ in range(passes):
        first, second = close_pairs(pos, cell)
        dx = pos[first, 0] - pos[second, 0]
        dy = pos[first, 1] - pos[second, 1]
        wide = (size[first, 0] + size[second, 0]) / 2
        high = (size[first, 1] + size[second, 1]) / 2
        over_x, over_y = wide - np.abs(dx), high - np.abs(dy)
        hit = (over_x > 0) & (over_y > 0)
        if not hit.any():
            break
        first, second, dx, dy = first[hit], second[hit], dx[hit], dy[hit]
        over_x, over_y, wide, high = over_x[hit], over_y[hit], wide[hit], high[hit]
        along_x = over_x / wide <= over_y / high  # the axis where the boxes overlap least, relatively
        tie = np.where(first < second, -1.0, 1.0)  # coincident boxes part by index
        push_x = np.where(along_x, np.where(dx == 0, tie, np.sign(dx)) * over_x / 2, 0.0)
        push_y = np.where(along_x, 0.0, np.where(dy == 0, tie, np.sign(dy)) * over_y / 2)
        for axis, push in ((0, push_x), (1, push_y)):
            moved = np.zeros(len(pos))
            np.add.at(moved, first, push)
            np.add.at(moved, second, -push)
            pos[:, axis] += moved
    return pos


#: The cells next to a cell that a pair can span, each pair of neighbours counted once.
_NEIGHBOURS = ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1))


def close_pairs(pos: Array, cell: Array) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Every pair of points (as two index arrays, each pair once) in the same or neighbouring ``cell``-sized
    cells: every pair closer than one cell in both x and y is among them."""
    grid_x = np.floor(pos[:, 0] / cell[0]).astype(np.int64)
    grid_y = np.floor(pos[:, 1] / cell[1]).astype(np.int64)
    grid_x -= grid_x.min()
    grid_y -= grid_y.min() - 1  # from 1, so that a neighbour below is still >= 0
    width = int(grid_y.max()) + 2
    key = grid_x * width + grid_y
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    count = len(pos)
    firsts, seconds = [], []
    for step_x, step_y in _NEIGHBOURS:
        target = key + step_x * width + step_y
        low = np.searchsorted(ordered, target, side="left")
        found = np.searchsorted(ordered, target, side="right") - low
        first = np.repeat(np.arange(count), found)
        within = np.arange(int(found.sum())) - np.repeat(np.cumsum(found) - found, found)
        second = order[np.repeat(low, found) + within]
        keep = first < second if (step_x, step_y) == (0, 0) else np.ones(len(first), dtype=bool)
        firsts.append(first[keep])
        seconds.append(second[keep])
    return np.concatenate(firsts), np.concatenate(seconds)


def _floats(values: object) -> Array:
    """``values`` as a float64 array (numpy's arithmetic is typed loosely)."""
    return np.asarray(values, dtype=np.float64)

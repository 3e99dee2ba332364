"""How the viewer draws each class: a shape per family of classes and a colour per class.

Colours are assigned over every class the ontology declares under ``kg:Entity`` (not only those in a view), in
a fixed order, so a class has the same colour in every view and in every build.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import RDFS

from kgraph.names import classes, local_name
from kgraph.store import LoadedGraph
from kgraph.vocab import KG

#: A family of classes (the class and its sub-classes) -> the vis-network shape of its nodes; first match wins.
SHAPES: tuple[tuple[URIRef, str], ...] = (
    (KG.Organization, "square"),
    (KG.Person, "triangle"),
    (KG.Event, "star"),
    (KG.Hardware, "hexagon"),
    (KG.ComputeInstance, "hexagon"),
    (KG.AIModel, "diamond"),
    (KG.ModelFamily, "diamond"),
    (KG.Technology, "triangleDown"),
)
DEFAULT_SHAPE = "dot"

#: Tableau 20, reordered so that neighbouring classes get colours that differ in hue.
PALETTE: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#9c755f",
    "#ff9da7",
    "#8cd17d",
    "#a0cbe8",
    "#ffbe7d",
    "#d37295",
    "#499894",
    "#b6992d",
    "#86bcb6",
    "#fabfd2",
    "#79706e",
    "#d4a6c8",
    "#f1ce63",
    "#bab0ac",
    "#9d7660",
)


@dataclass(frozen=True)
class ClassStyle:
    """The look of one class's nodes."""

    color: str  # fill, "#rrggbb"
    border: str  # a darker shade of the fill
    shape: str  # a vis-network shape whose label sits below it


def class_styles(loaded: LoadedGraph) -> dict[str, ClassStyle]:
    """``{class IRI: ClassStyle}`` for every class under ``kg:Entity`` (and kg:Entity itself)."""
    graph = loaded.graph
    entity_classes = [c for c in classes(loaded) if KG.Entity in set(graph.transitive_objects(c, RDFS.subClassOf))]
    ranked = sorted((_shape_rank(loaded, c), local_name(c).casefold(), str(c)) for c in entity_classes)
    styles: dict[str, ClassStyle] = {}
    for index, (rank, _name, iri) in enumerate(ranked):
        color = PALETTE[index % len(PALETTE)]
        styles[iri] = ClassStyle(color, darker(color), SHAPES[rank][1] if rank < len(SHAPES) else DEFAULT_SHAPE)
    return styles


def _shape_rank(loaded: LoadedGraph, cls: URIRef) -> int:
    """The index in :data:`SHAPES` of the first family ``cls`` belongs to, else ``len(SHAPES)``."""
    supers = set(loaded.graph.transitive_objects(cls, RDFS.subClassOf))
    return next((i for i, (family, _shape) in enumerate(SHAPES) if family in supers), len(SHAPES))


def darker(color: str, amount: float = 0.3) -> str:
    """``color`` (``#rrggbb``) with each channel reduced by ``amount``."""
    channels = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in channels)

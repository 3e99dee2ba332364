"""The projection (:func:`kgraph.analysis.project`) as GraphML, GEXF and node-link JSON, for Cytoscape, Gephi and D3.

Each format is written to a stream a few hundred nodes or edges at a time, so that the memory it takes beyond the
projection's stays small however large the graph: networkx's writers build the whole document first (an
ElementTree, a JSON text), about 2 GB beyond the projection for a store of a million triples. The bytes are
those networkx's own writers give for the same graph (the tests compare them), made deterministic where those
writers are not: the same graph gives the same bytes on every run, with no date or version in them. The XML
formats write each character that XML 1.0 does not allow as U+FFFD, which networkx's writers do not do.

How: the elements are networkx's, made by its writer objects (``GraphMLWriter.add_data``,
``GEXFWriter.get_attr_id`` and ``add_attributes``) and indented by their ``indent``; ElementTree serializes them.
A first pass over the attributes declares the GraphML keys or GEXF attributes, which come before the nodes; the
document without its nodes and edges (a placeholder where they go) is serialized as networkx would, and split
at the placeholder; then the nodes and edges are serialized a batch at a time in between.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element, tostring

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter
from networkx.readwrite.graphml import GraphMLWriter

from kgraph.text import xml_carriage_returns, xml_text

#: A writer: a projection to a stream (binary, written to and not closed); returns the number of bytes written.
Write = Callable[[nx.MultiDiGraph, BinaryIO], int]

#: A renderer: a projection to the bytes of one file.
Render = Callable[[nx.MultiDiGraph], bytes]

#: How many nodes or edges are serialized at once: large enough that ElementTree's cost per call does not show,
#: small enough that a batch's elements and text take a few megabytes at most.
BATCH = 500

#: The element that stands for the nodes and edges in the document serialized without them.
_PLACEHOLDER = "kgraph-placeholder"

#: The element a batch of nodes or edges is serialized in (its tags are cut off).
_BATCH_TAG = "kgraph-batch"

#: Node and edge attributes that networkx's GEXF writer gives a meaning of its own (spells, colours, parents,
#: dates, ids, weights): the projection has none of them, and the streamed writer refuses them rather than
#: write them as plain attributes. ``label`` is set by :func:`write_gexf` itself.
_GEXF_RESERVED = {
    "node": ("id", "label", "pid", "start", "end", "parents", "spells", "viz"),
    "edge": ("id", "label", "weight", "type", "start", "end", "spells", "viz"),
}


def _xml_text(value: Any) -> Any:  # noqa: ANN401 - attribute values are of any type; only strings change
    """``value`` as :func:`kgraph.text.xml_text` writes a string; anything else as it is."""
    return xml_text(value) if isinstance(value, str) else value


def _xml_attributes(data: dict[str, Any]) -> dict[str, Any]:
    """The attributes of a node or an edge, in their order, with their values as :func:`_xml_text` writes them."""
    return {name: _xml_text(value) for name, value in data.items()}


def _kind(value: Any) -> type:  # noqa: ANN401 - any attribute value
    """The type of ``value`` as written: :func:`_xml_text` makes any string (an rdflib Literal too) a ``str``."""
    return str if isinstance(value, str) else type(value)


class _Output:
    """Text to ``stream`` as UTF-8 (a character UTF-8 cannot hold as a character reference, as ElementTree does),
    after ``finish``; counts the bytes."""

    def __init__(self, stream: BinaryIO, finish: Callable[[str], str] = str) -> None:
        self.stream = stream
        self.finish = finish
        self.written = 0

    def __call__(self, text: str) -> None:
        data = self.finish(text).encode("utf-8", "xmlcharrefreplace")
        self.stream.write(data)
        self.written += len(data)


def _write_document(
    out: _Output,
    skeleton: Callable[[BinaryIO], None],
    sections: Sequence[tuple[int, Iterable[Element]]],
    indent: Callable[[Element, int], None],
) -> None:
    """Write the document that ``skeleton`` serializes pretty-printed, with its :data:`_PLACEHOLDER` elements
    replaced by ``sections``' elements, in order: each section's ``level`` in the tree (the root's children are at
    1) and its elements, indented by ``indent`` as the skeleton is. The text is that of the whole document
    serialized at once."""
    buffer = io.BytesIO()
    skeleton(buffer)
    *parts, end = buffer.getvalue().decode("utf-8").split(f"<{_PLACEHOLDER} />")
    for part, (level, elements) in zip(parts, sections, strict=True):
        # the text before the placeholder ends with its indentation, which _write_elements writes before each one
        out(part.removesuffix(_indentation(level)))
        _write_elements(out, elements, level, indent)
    out(end)


def _indentation(level: int) -> str:
    """What comes before an element at ``level`` in a pretty-printed document: networkx's writers indent by two."""
    return "\n" + "  " * level


def _write_elements(
    out: _Output, elements: Iterable[Element], level: int, indent: Callable[[Element, int], None]
) -> None:
    """Serialize ``elements`` (siblings at ``level``), each after its indentation, :data:`BATCH` at a time."""
    before = _indentation(level)
    batch = Element(_BATCH_TAG)
    for element in elements:
        indent(element, level)
        element.tail = before  # the next one's indentation; the batch's last has none
        batch.append(element)
        if len(batch) >= BATCH:
            _write_batch(out, batch, before)
            batch = Element(_BATCH_TAG)
    if len(batch):
        _write_batch(out, batch, before)


def _write_batch(out: _Output, batch: Element, before: str) -> None:
    batch.text = before
    batch[-1].tail = None
    text = tostring(batch, encoding="unicode")
    out(text[len(f"<{_BATCH_TAG}>") : -len(f"</{_BATCH_TAG}>")])


# ------------------------------------------------------------------------------------------------------- GraphML


def write_graphml(projection: nx.MultiDiGraph, stream: BinaryIO) -> int:
    """GraphML (Cytoscape, yEd, Gephi): every node and edge attribute of the projection, typed.

    networkx writes a multigraph's edge keys as GraphML edge ids, and ours (``kg:uses``) repeat, which tools such
    as Gephi read as one edge; so edges get unique ids ``e0``, ``e1``, ... in the projection's order. The relation
    stays in the ``relation_qname`` attribute. Attribute keys are numbered (``d0``, ...): nodes and edges both have
    a ``label_en``, and GraphML wants key ids unique. The bytes are those of networkx's pure-Python writer
    (``write_graphml_xml``), whether or not lxml is installed. Values are strings, numbers and booleans, as
    GraphML types them; another value (None, a list) raises networkx's ``NetworkXError`` before anything is
    written.
    """
    writer = GraphMLWriter(encoding="utf-8", prettyprint=True)
    # The keys, in the order networkx makes them (each inserted first, so the document lists them backwards).
    used: dict[tuple[str, type, str], None] = {}
    for _node, data in projection.nodes(data=True):
        used.update(((str(name), _kind(value), "node"), None) for name, value in data.items())
    for _u, _v, data in projection.edges(data=True):
        used.update(((str(name), _kind(value), "edge"), None) for name, value in data.items())
    for name, kind, scope in used:
        writer.add_data(name, kind, "", scope)  # refuses a type GraphML has not
    graph = Element("graph", edgedefault="directed")
    if projection.number_of_nodes():
        graph.append(Element(_PLACEHOLDER))
    writer.xml.append(graph)
    out = _Output(stream, xml_carriage_returns)
    sections = [(2, _graphml_elements(projection, writer))] if len(graph) else []
    _write_document(out, writer.dump, sections, writer.indent)
    return out.written


def _graphml_elements(projection: nx.MultiDiGraph, writer: GraphMLWriter) -> Iterator[Element]:
    """The ``<node>`` and ``<edge>`` elements, as ``GraphMLWriter.add_graph_element`` makes them."""

    def with_data(element: Element, data: dict[str, Any], scope: str) -> Element:
        for name, value in _xml_attributes(data).items():
            element.append(writer.add_data(str(name), _kind(value), str(value), scope))
        return element

    for node, data in projection.nodes(data=True):
        yield with_data(Element("node", id=str(_xml_text(node))), data, "node")
    for i, (u, v, data) in enumerate(projection.edges(data=True)):
        edge = Element("edge", source=str(_xml_text(u)), target=str(_xml_text(v)), id=f"e{i}")
        yield with_data(edge, data, "edge")


# ---------------------------------------------------------------------------------------------------------- GEXF


def write_gexf(projection: nx.MultiDiGraph, stream: BinaryIO) -> int:
    """GEXF 1.2 (Gephi): nodes labelled with their English label, edges with their relation's English label;
    every attribute of the projection besides.

    networkx's writer stamps the date and its own version into ``<meta>``; that element is optional in GEXF and is
    replaced by one naming kgraph as the creator, so that the bytes change only when the graph does; and its
    ``<graph>`` has no ``name``, which networkx writes empty and GEXF's schema does not have. Values are
    strings, numbers and booleans (static attributes); a list (networkx's dynamic attributes), an attribute named
    as networkx's writer takes for GEXF's own (``start``, ``viz``...) or a value of another type raises
    ``TypeError`` before anything is written.
    """
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    for meta in writer.xml.findall("meta"):
        writer.xml.remove(meta)
    creator = Element("meta")
    creator.append(Element("creator"))
    creator[0].text = "kgraph"
    writer.xml.insert(0, creator)
    # networkx writes name="", which GEXF 1.2's schema does not allow on <graph> (a validating reader refuses it)
    graph = Element("graph", defaultedgetype="directed", mode="static")
    writer.graph_element = graph  # where get_attr_id declares the attributes
    for node, data in projection.nodes(data=True):
        _declare(writer, "node", node, data)
    for u, v, key, data in projection.edges(keys=True, data=True):
        _declare(writer, "edge", (u, v, key), {**data, "key": key})
    nodes, edges = Element("nodes"), Element("edges")
    graph.extend((nodes, edges))
    sections: list[tuple[int, Iterable[Element]]] = []
    if projection.number_of_nodes():
        nodes.append(Element(_PLACEHOLDER))
        sections.append((3, _gexf_nodes(projection, writer)))
    if projection.number_of_edges():
        edges.append(Element(_PLACEHOLDER))
        sections.append((3, _gexf_edges(projection, writer)))
    writer.xml.append(graph)
    out = _Output(stream)
    _write_document(out, writer.write, sections, writer.indent)
    return out.written


def _declare(writer: GEXFWriter, scope: str, which: object, data: dict[str, Any]) -> None:
    """Declare the attributes of a node or an edge (``scope``; ``which`` one, for errors), as
    ``GEXFWriter.add_attributes`` does; refuse what :func:`write_gexf` does not write."""
    if "label_en" not in data:
        raise KeyError(f"the {scope} {which!r} has no label_en, which GEXF labels it with")
    for name, value in data.items():
        if name in _GEXF_RESERVED[scope]:
            raise TypeError(f"the {scope} attribute {name!r} is GEXF's own; kgraph writes plain attributes only")
        kind = _kind(value)
        if kind not in writer.xml_type:
            raise TypeError(f"attribute value type is not allowed: {kind}")  # networkx's words
        if kind is list:
            raise TypeError(f"the {scope} attribute {name!r} is a list; kgraph writes one value an attribute")
        title = "networkx_key" if name == "key" else str(name)
        writer.get_attr_id(title, writer.xml_type[kind], scope, {}, "static")


def _gexf_nodes(projection: nx.MultiDiGraph, writer: GEXFWriter) -> Iterator[Element]:
    """The ``<node>`` elements, as ``GEXFWriter.add_nodes`` makes them."""
    for node, data in projection.nodes(data=True):
        attributes = _xml_attributes(data)
        element = Element("node", id=str(_xml_text(node)), label=str(attributes["label_en"]))
        writer.add_attributes("node", element, attributes, {})
        yield element


def _gexf_edges(projection: nx.MultiDiGraph, writer: GEXFWriter) -> Iterator[Element]:
    """The ``<edge>`` elements, as ``GEXFWriter.add_edges`` makes them: numbered from 0, the key an attribute."""
    for i, (u, v, key, data) in enumerate(projection.edges(keys=True, data=True)):
        attributes = _xml_attributes(data)
        label = str(attributes["label_en"])
        element = Element("edge", source=str(_xml_text(u)), target=str(_xml_text(v)), id=str(i), label=label)
        writer.add_attributes("edge", element, {**attributes, "key": _xml_text(key)}, {})
        yield element


# ---------------------------------------------------------------------------------------------- node-link JSON

#: Stand-ins for the lists of nodes and edges in the JSON text written without them.
_NODES, _EDGES = "\x00kgraph-nodes\x00", "\x00kgraph-edges\x00"


def write_node_link(projection: nx.MultiDiGraph, stream: BinaryIO) -> int:
    """Node-link JSON (D3, and ``networkx.node_link_graph(data, edges="edges")``): ``nodes`` with ``id`` and the
    attributes, ``edges`` with ``source``, ``target``, ``key`` and the attributes; keys sorted, UTF-8. The text of
    ``json.dumps(networkx.node_link_data(projection, edges="edges"), ensure_ascii=False, indent=1,
    sort_keys=True)`` and a line feed, an object at a time."""
    indented = json.JSONEncoder(ensure_ascii=False, indent=1, sort_keys=True)
    frame = {
        "directed": projection.is_directed(),
        "multigraph": projection.is_multigraph(),
        "graph": projection.graph,
        "nodes": _NODES,
        "edges": _EDGES,
    }
    text = indented.encode(frame) + "\n"
    nodes = ({**data, "id": node} for node, data in projection.nodes(data=True))
    edges = ({**data, "source": u, "target": v, "key": k} for u, v, k, data in projection.edges(keys=True, data=True))
    out = _Output(stream)
    stand_ins = sorted((text.index(indented.encode(s)), s, items) for s, items in ((_NODES, nodes), (_EDGES, edges)))
    start = 0
    for at, stand_in, items in stand_ins:
        out(text[start:at])
        _write_list(out, indented, items)
        start = at + len(indented.encode(stand_in))
    out(text[start:])  # no surrogate to encode: the data is refused with one as it is read
    return out.written


#: Values :func:`_json_object` writes itself; and the encoder it writes them (and the names) with, in C.
_SCALARS = (str, int, float, bool, type(None))
_COMPACT = json.JSONEncoder(ensure_ascii=False)


def _json_object(item: dict[str, Any], indented: json.JSONEncoder) -> str:
    """``item`` as ``indented`` writes it in a list in the top-level object, two levels down.

    ``indented`` writes Python code made anew for each call (the C encoder does not indent), functions that refer
    to each other and so are freed only when the garbage collector looks, which on a large projection it seldom
    does: an object of names and single values, as a node or an edge of a projection is, is written here instead,
    as the indented encoder lays it out, with each value as the C encoder writes it (the same text)."""
    if all(type(name) is str for name in item) and all(type(value) in _SCALARS for value in item.values()):
        if not item:
            return "{}"
        members = (f"{_COMPACT.encode(name)}: {_COMPACT.encode(value)}" for name, value in sorted(item.items()))
        return "{\n   " + ",\n   ".join(members) + "\n  }"
    return indented.encode(item).replace("\n", "\n  ")  # a line break is markup: strings escape theirs


def _write_list(out: _Output, indented: json.JSONEncoder, items: Iterable[dict[str, Any]]) -> None:
    """A list of the top-level object's, as ``indented`` writes it, :data:`BATCH` items at a time."""
    batch: list[str] = []
    first = True
    for item in items:
        batch.append(_json_object(item, indented))
        if len(batch) >= BATCH:
            out(("[\n  " if first else ",\n  ") + ",\n  ".join(batch))
            batch, first = [], False
    if batch:
        out(("[\n  " if first else ",\n  ") + ",\n  ".join(batch))
        first = False
    out("[]" if first else "\n ]")


# ---------------------------------------------------------------------------------------------------- as bytes


def _bytes(write: Write, projection: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    write(projection, buffer)
    return buffer.getvalue()


def graphml(projection: nx.MultiDiGraph) -> bytes:
    """What :func:`write_graphml` writes, as bytes (all in memory: for a small graph)."""
    return _bytes(write_graphml, projection)


def gexf(projection: nx.MultiDiGraph) -> bytes:
    """What :func:`write_gexf` writes, as bytes (all in memory: for a small graph)."""
    return _bytes(write_gexf, projection)


def node_link(projection: nx.MultiDiGraph) -> bytes:
    """What :func:`write_node_link` writes, as bytes (all in memory: for a small graph)."""
    return _bytes(write_node_link, projection)


#: Format name, as ``kgraph export`` takes it -> writer.
WRITERS: dict[str, Write] = {"graphml": write_graphml, "gexf": write_gexf, "json": write_node_link}

#: Format name -> renderer (the whole file as bytes).
FORMATS: dict[str, Render] = {"graphml": graphml, "gexf": gexf, "json": node_link}

"""The projection (:func:`kgraph.analysis.project`) as GraphML, GEXF and node-link JSON, for Cytoscape, Gephi and D3.

Each function turns a projection into bytes with networkx's own writer, and makes the bytes deterministic where
that writer does not: the same graph gives the same bytes on every run, with no date or version in them. The XML
formats write each character that XML 1.0 does not allow as U+FFFD, which networkx's writer does not do.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kgraph.text import xml_carriage_returns, xml_text

#: A renderer: a projection to the bytes of one file.
Render = Callable[[nx.MultiDiGraph], bytes]


def _xml_text(value: Any) -> Any:  # noqa: ANN401 - attribute values are of any type; only strings change
    """``value`` as :func:`kgraph.text.xml_text` writes a string; anything else as it is."""
    return xml_text(value) if isinstance(value, str) else value


def _xml_attributes(data: dict[str, Any]) -> dict[str, Any]:
    """The attributes of a node or an edge, in their order, with their values as :func:`_xml_text` writes them."""
    return {name: _xml_text(value) for name, value in data.items()}


def graphml(projection: nx.MultiDiGraph) -> bytes:
    """GraphML (Cytoscape, yEd, Gephi): every node and edge attribute of the projection, typed.

    networkx writes a multigraph's edge keys as GraphML edge ids, and ours (``kg:uses``) repeat, which tools such
    as Gephi read as one edge; so edges get unique ids ``e0``, ``e1``, ... in the projection's order. The relation
    stays in the ``relation_qname`` attribute. Attribute keys are numbered (``d0``, ...): nodes and edges both have
    a ``label_en``, and GraphML wants key ids unique. The pure-Python writer is used even when lxml is installed,
    so the bytes do not depend on it.
    """
    numbered = nx.MultiDiGraph()
    numbered.add_nodes_from((_xml_text(node), _xml_attributes(data)) for node, data in projection.nodes(data=True))
    for i, (u, v, data) in enumerate(projection.edges(data=True)):
        numbered.add_edge(_xml_text(u), _xml_text(v), key=f"e{i}", **_xml_attributes(data))
    buffer = io.BytesIO()
    nx.write_graphml_xml(numbered, buffer, encoding="utf-8", prettyprint=True)
    return xml_carriage_returns(buffer.getvalue().decode("utf-8")).encode("utf-8")


def gexf(projection: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 (Gephi): nodes labelled with their English label, edges with their relation's English label;
    every attribute of the projection besides.

    networkx's writer stamps the date and its own version into ``<meta>``; that element is optional in GEXF and is
    replaced by one naming kgraph as the creator, so that the bytes change only when the graph does.
    """
    labelled = nx.MultiDiGraph()
    for node, data in projection.nodes(data=True):
        attributes = _xml_attributes(data)
        labelled.add_node(_xml_text(node), **attributes, label=attributes["label_en"])
    for u, v, key, data in projection.edges(keys=True, data=True):
        attributes = _xml_attributes(data)
        labelled.add_edge(_xml_text(u), _xml_text(v), key=_xml_text(key), **attributes, label=attributes["label_en"])
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    for meta in writer.xml.findall("meta"):
        writer.xml.remove(meta)
    creator = Element("meta")
    creator.append(Element("creator"))
    creator[0].text = "kgraph"
    writer.xml.insert(0, creator)
    writer.add_graph(labelled)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def node_link(projection: nx.MultiDiGraph) -> bytes:
    """Node-link JSON (D3, and ``networkx.node_link_graph(data, edges="edges")``): ``nodes`` with ``id`` and the
    attributes, ``edges`` with ``source``, ``target``, ``key`` and the attributes; keys sorted, UTF-8."""
    data = nx.node_link_data(projection, edges="edges")
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return text.encode("utf-8")  # no surrogate to encode: the data is refused with one as it is read


#: Format name, as ``kgraph export`` takes it -> renderer.
FORMATS: dict[str, Render] = {"graphml": graphml, "gexf": gexf, "json": node_link}

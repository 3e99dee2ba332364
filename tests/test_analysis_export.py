"""kgraph export graphml|gexf|json: read back with networkx's own readers, they equal the projection."""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import networkx as nx
import pytest
from click.testing import CliRunner, Result
from networkx.readwrite.gexf import GEXFWriter

from conftest import PREFIXES
from kgraph.analysis import project
from kgraph.cli import cli
from kgraph.export import files
from kgraph.export import graph as graph_export
from kgraph.export.graph import FORMATS, gexf, graphml, node_link
from kgraph.store import LoadedGraph
from kgraph.text import xml_carriage_returns, xml_text
from kgraph.vocab import KGR


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def projection(loaded: LoadedGraph) -> nx.MultiDiGraph:
    return project(loaded)


def edges_by_relation(graph: nx.MultiDiGraph) -> list[tuple[str, str, dict]]:
    """Edges as (source, target, attributes), keyed by what they say rather than by the format's edge ids."""
    return sorted(((u, v, d) for u, v, d in graph.edges(data=True)), key=lambda e: (e[0], e[1], e[2]["relation"]))


def assert_same_graph(read: nx.MultiDiGraph, projection: nx.MultiDiGraph, extra_node=(), extra_edge=()) -> None:
    assert read.is_directed() and read.is_multigraph()
    assert list(read.nodes) == list(projection.nodes)
    for node, data in projection.nodes(data=True):
        assert {k: v for k, v in read.nodes[node].items() if k not in extra_node} == data
    mine = edges_by_relation(projection)
    theirs = [(u, v, {k: x for k, x in d.items() if k not in extra_edge}) for u, v, d in edges_by_relation(read)]
    assert theirs == mine


def test_graphml_reads_back_as_the_projection(projection):
    read = nx.read_graphml(io.BytesIO(graphml(projection)), edge_key_type=str, force_multigraph=True)
    assert_same_graph(read, projection)
    # each edge has an id of its own, so that tools do not merge two relations of the same kind
    assert [k for _u, _v, k in read.edges(keys=True)] == [f"e{i}" for i in range(projection.number_of_edges())]
    assert isinstance(next(iter(read.edges(data=True)))[2]["inferred"], bool)


def test_gexf_reads_back_as_the_projection_with_english_labels(projection):
    read = nx.read_gexf(io.BytesIO(gexf(projection)))
    assert_same_graph(read, projection, extra_node={"label"}, extra_edge={"label", "id"})
    for node, data in read.nodes(data=True):
        assert data["label"] == projection.nodes[node]["label_en"]
    # the edge keys come back as the relations
    assert sorted(read.edges(keys=True)) == sorted(projection.edges(keys=True))
    for _u, _v, data in read.edges(data=True):
        assert data["label"] == data["label_en"]


def test_node_link_json_loads_with_networkx(projection):
    data = json.loads(node_link(projection))
    assert {"nodes", "edges", "directed", "multigraph"} <= set(data)
    read = nx.node_link_graph(data, edges="edges")
    assert_same_graph(read, projection)
    assert sorted(read.edges(keys=True)) == sorted(projection.edges(keys=True))
    assert data["nodes"][0]["id"] == data["nodes"][0]["iri"]


def test_no_date_or_version_in_the_files(projection):
    for name, render in FORMATS.items():
        content = render(projection)
        assert nx.__version__.encode() not in content, name
        assert b"lastmodifieddate" not in content, name
        assert render(projection) == content, name


def test_export_to_stdout_and_to_a_file_give_the_same_bytes(projection, tmp_path):
    for fmt, render in FORMATS.items():
        expected = render(projection)
        to_stdout = run("export", fmt)
        assert to_stdout.exit_code == 0
        assert to_stdout.stdout_bytes == expected
        target = tmp_path / "out" / f"graph.{fmt}"
        to_file = run("export", fmt, "--output", target)
        assert to_file.exit_code == 0
        assert to_file.stdout == ""
        assert to_file.stderr == f"wrote {target} ({len(expected):,} bytes: 102 nodes, 184 edges)\n"
        assert target.read_bytes() == expected


@pytest.mark.parametrize(
    ("fmt", "name", "message"),
    [
        (
            "graphml",
            "graph.json",
            "names a JSON file, and kgraph export graphml writes GraphML: name it .graphml, or run kgraph export json",
        ),
        (
            "json",
            "graph.GEXF",
            "names a GEXF file, and kgraph export json writes JSON: name it .json, or run kgraph export gexf",
        ),
        (
            "gexf",
            "graph.graphml",
            "names a GraphML file, and kgraph export gexf writes GEXF: name it .gexf, or run kgraph export graphml",
        ),
    ],
)
def test_an_output_named_for_another_graph_format_is_refused(tmp_path, fmt, name, message):
    """GraphML was written into graph.json without a word, as dump refuses N-Triples in graph.nq."""
    target = tmp_path / name
    result = run("export", fmt, "--output", target)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: --output {target} {message}\n"
    assert not target.exists()


@pytest.mark.parametrize(("fmt", "name"), [("graphml", "graph.xml"), ("json", "graph.txt"), ("gexf", "graph")])
def test_an_output_named_for_no_graph_format_is_written(tmp_path, fmt, name):
    result = run("export", fmt, "--output", tmp_path / name)
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).stat().st_size > 0


def test_export_one_relation_with_its_sub_properties(tmp_path):
    result = run("export", "json", "--relation", "kg:uses", "--output", tmp_path / "uses.json")
    assert result.exit_code == 0
    read = nx.node_link_graph(json.loads((tmp_path / "uses.json").read_bytes()), edges="edges")
    # 20 kg:uses, 5 kg:builtOn, 4 kg:trainedOn and 2 kg:poweredBy are stated (data/*.trig)
    counts: dict[str, int] = {}
    for _u, _v, key in read.edges(keys=True):
        counts[key] = counts.get(key, 0) + 1
    assert counts == {"kg:uses": 20, "kg:builtOn": 5, "kg:trainedOn": 4, "kg:poweredBy": 2}


def test_a_failed_export_leaves_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "graph.graphml"
    target.write_bytes(b"previous")

    def fail(self: Path, other: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.Path, "replace", fail)
    result = run("export", "graphml", "--output", target)
    assert result.exit_code == 2
    assert result.stderr == f"Error: cannot write {target}: No space left on device; pass another --output FILE\n"
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.graphml"]


def test_output_must_be_a_file(tmp_path):
    result = run("export", "gexf", "--output", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.endswith(" is a folder; name a file (- for standard output)\n"), result.stderr


def test_same_bytes_whatever_the_hash_seed(tmp_path):
    script = (
        "import hashlib; from kgraph import load; from kgraph.analysis import project; "
        "from kgraph.export.graph import FORMATS; g = project(load()); "
        "print(*(hashlib.sha256(r(g)).hexdigest() for r in FORMATS.values()))"
    )
    digests = set()
    for seed in ("0", "31337"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        digests.add(done.stdout)
    assert len(digests) == 1
    assert len(next(iter(digests)).split()) == 3


def test_readers_see_every_attribute_name(projection):
    # what Gephi and Cytoscape show as columns: labels in both languages and the class, for nodes and edges
    text = graphml(projection).decode("utf-8")
    for name in ("label_en", "label_zh", "cls", "cls_label_en", "relation_qname", "sections", "inferred"):
        assert f'attr.name="{name}"' in text


#: Characters XML 1.0 does not allow, in labels and a description (a lone surrogate too); tab is allowed and kept.
NOT_XML = (
    PREFIXES
    + r"""
src:s a kg:SourceSection ; rdfs:label "S"@en ; kg:order 1 .
src:s {
    kgr:odd a kg:Company ; rdfs:label "nul\u0000x ctl\u0001y"@en , "控制\u000Bz"@zh ;
        schema:description "bad \uFFFE, \uFFFF, \u001F and \u0008; tab\there"@en ; prov:wasDerivedFrom src:s .
    kgr:even a kg:Company ; rdfs:label "Even\u000C"@en ; kg:partnerOf kgr:odd ; prov:wasDerivedFrom src:s ;
        schema:description "one\r\ntwo\rthree"@en .
}
"""
)


def test_node_link_json_keeps_the_characters_xml_does_not_allow(tmp_path: Path) -> None:
    """JSON allows the control characters, escaped, so they stay. (A lone surrogate, which rdflib reads from a
    Turtle "\\uD800" and which made export json fail, is refused as the data is read now.)"""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "odd.trig").write_text(NOT_XML, encoding="utf-8")
    target = tmp_path / "graph.json"
    result = run("--data", folder, "export", "json", "--output", target)
    assert result.exit_code == 0, result.stderr
    nodes = {node["id"]: node for node in json.loads(target.read_text(encoding="utf-8"))["nodes"]}
    assert nodes[str(KGR.odd)]["description_en"] == "bad \ufffe, \uffff, \u001f and \u0008; tab\there"
    assert nodes[str(KGR.odd)]["label_en"] == "nul\u0000x ctl\u0001y"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_characters_xml_does_not_allow_are_written_as_replacement_characters(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "odd.trig").write_text(NOT_XML, encoding="utf-8")
    target = tmp_path / f"graph.{fmt}"
    result = run("--data", folder, "export", fmt, "--output", target)
    assert result.exit_code == 0, result.stderr
    ElementTree.parse(target)  # noqa: S314 - our own file: it must be well-formed
    read = nx.read_graphml(target, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(target)
    odd, even = read.nodes[str(KGR.odd)], read.nodes[str(KGR.even)]
    assert odd["label_en"] == "nul\ufffdx ctl\ufffdy"
    assert odd["label_zh"] == "控制\ufffdz"
    assert odd["description_en"] == "bad \ufffd, \ufffd, \ufffd and \ufffd; tab\there"
    assert even["label_en"] == "Even\ufffd"
    assert even["description_en"] == "one\r\ntwo\rthree"  # GraphML wrote CR as it is, which parsers read as LF
    assert [(u, v) for u, v, _d in read.edges(data=True)] == [(str(KGR.even), str(KGR.odd))]
    if fmt == "gexf":
        assert odd["label"] == odd["label_en"]


# ------------------------------------------------------------------------------------------------------------------
# The writers stream; their bytes are those of networkx's own writers, which build the whole document in memory.


def _xml_value(value: Any) -> Any:
    return xml_text(value) if isinstance(value, str) else value


def networkx_graphml(projection: nx.MultiDiGraph) -> bytes:
    """GraphML as networkx's ``write_graphml_xml`` writes it: the edges numbered, XML's forbidden characters as
    U+FFFD, carriage returns as references (what kgraph's writer was before it streamed)."""
    numbered = nx.MultiDiGraph()
    for node, data in projection.nodes(data=True):
        numbered.add_node(_xml_value(node), **{k: _xml_value(v) for k, v in data.items()})
    for i, (u, v, data) in enumerate(projection.edges(data=True)):
        numbered.add_edge(_xml_value(u), _xml_value(v), key=f"e{i}", **{k: _xml_value(x) for k, x in data.items()})
    buffer = io.BytesIO()
    nx.write_graphml_xml(numbered, buffer, encoding="utf-8", prettyprint=True)
    return xml_carriage_returns(buffer.getvalue().decode("utf-8")).encode("utf-8")


def networkx_gexf(projection: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 as networkx's ``GEXFWriter`` writes it, labelled in English, with kgraph's ``<meta>``, and without
    the empty ``name`` of ``<graph>`` (GEXF 1.2's schema has none)."""
    labelled = nx.MultiDiGraph()
    for node, data in projection.nodes(data=True):
        attributes = {k: _xml_value(v) for k, v in data.items()}
        labelled.add_node(_xml_value(node), **attributes, label=attributes["label_en"])
    for u, v, key, data in projection.edges(keys=True, data=True):
        attributes = {k: _xml_value(x) for k, x in data.items()}
        labelled.add_edge(_xml_value(u), _xml_value(v), key=_xml_value(key), **attributes, label=attributes["label_en"])
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    for meta in writer.xml.findall("meta"):
        writer.xml.remove(meta)
    creator = ElementTree.Element("meta")
    ElementTree.SubElement(creator, "creator").text = "kgraph"
    writer.xml.insert(0, creator)
    writer.add_graph(labelled)
    buffer = io.BytesIO()
    writer.write(buffer)
    written = buffer.getvalue()
    assert written.count(b'<graph defaultedgetype="directed" mode="static" name="">') == 1
    return written.replace(b' name="">', b">", 1)


def networkx_node_link(projection: nx.MultiDiGraph) -> bytes:
    data = nx.node_link_data(projection, edges="edges")
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


NETWORKX = {"graphml": networkx_graphml, "gexf": networkx_gexf, "json": networkx_node_link}

#: Texts that XML must escape, or cannot hold, or holds only as references; Chinese; markup look-alikes.
AWKWARD_TEXTS = [
    "<b>&amp; \"quoted\" 'single' & > ]]> <!-- -->",
    "nul\x00 soh\x01 vt\x0b ff\x0c us\x1f bs\x08 \ufffe \uffff",
    "tab\there lf\nthere cr\rthere crlf\r\nend",
    "训练芯片 Trainium3（第三代）",  # noqa: RUF001 - full-width brackets, as Chinese text has them
    "  leading and trailing spaces  ",
    "\u00e9\u0301 \U0001f600 \u2028 \u0085",
    "",
]


def awkward_projection() -> nx.MultiDiGraph:
    """Nodes and edges keyed and labelled with awkward text, with string, number and boolean attributes whose
    names need escaping too; parallel edges, a loop."""
    graph = nx.MultiDiGraph()
    ids = ["urn:a&b<c>\"d'", "https://example.org/中文", "urn:x\x01y", "urn:plain"]
    for i, node in enumerate(ids):
        text = AWKWARD_TEXTS[i % len(AWKWARD_TEXTS)]
        graph.add_node(
            node,
            label_en=AWKWARD_TEXTS[i],
            label_zh=AWKWARD_TEXTS[3],
            note=text,
            empty="",
            count=i - 2,
            huge=2**70 + i,
            ratio=[0.5, -1e-300, 1e300, 3.0][i],
            on=bool(i % 2),
        )
        graph.nodes[node]['a&b <"c">'] = AWKWARD_TEXTS[(i + 1) % len(AWKWARD_TEXTS)]
        graph.nodes[node]["名字 \t\n"] = AWKWARD_TEXTS[5]
    for i, (u, v, key) in enumerate(
        [(0, 1, "kg:uses"), (0, 1, "kg:builtOn"), (1, 0, "a&b<c>\"'"), (2, 2, "键 \x02"), (3, 0, "kg:partnerOf")]
    ):
        graph.add_edge(
            ids[u],
            ids[v],
            key=key,
            relation=f"urn:rel/{key}",
            label_en=AWKWARD_TEXTS[i % len(AWKWARD_TEXTS)],
            label_zh=AWKWARD_TEXTS[3],
            sections=AWKWARD_TEXTS[2],
            inferred=i % 2 == 1,
            weight_like=i * 1.5,
        )
    return graph


def small_projections() -> dict[str, nx.MultiDiGraph]:
    """The corners of the document's shape: nothing, nodes without edges, attributes of mixed types."""
    empty = nx.MultiDiGraph()
    lonely = nx.MultiDiGraph()
    lonely.add_node("urn:a", label_en="A")
    lonely.add_node("urn:b", label_en="B", n=1)
    mixed = nx.MultiDiGraph()
    mixed.add_node("urn:a", label_en="A", value=1, flag=True)
    mixed.add_node("urn:b", label_en="B", value="one", flag=False)
    mixed.add_node("urn:c", label_en="C", value=1.5, flag=0)
    mixed.add_edge("urn:a", "urn:b", key=7, label_en="seven", value=2)
    mixed.add_edge("urn:b", "urn:a", key="s", label_en="s", value="two")
    mixed.add_node(7, label_en="an int for an id")
    mixed.add_edge(7, 7, label_en="an int for a key")
    return {"empty": empty, "lonely": lonely, "mixed": mixed}


@pytest.mark.parametrize("fmt", list(NETWORKX))
def test_the_streamed_files_are_networkx_own_bytes(projection, loaded, fmt):
    streamed = graph_export.WRITERS[fmt]
    graphs = {
        "bundled": projection,
        "bundled, inferred": project(loaded, include_inferred=True),
        "awkward": awkward_projection(),
        **small_projections(),
    }
    if fmt != "json":  # which cannot encode it: the data is refused with one as it is read
        graphs["surrogate"] = nx.MultiDiGraph()
        graphs["surrogate"].add_node("urn:\ud800", label_en="lone \udfff surrogate")
    for name, graph in graphs.items():
        buffer = io.BytesIO()
        written = streamed(graph, buffer)
        assert buffer.getvalue() == NETWORKX[fmt](graph), name
        assert written == len(buffer.getvalue()), name
        assert FORMATS[fmt](graph) == buffer.getvalue(), name


def test_graphml_with_bare_nodes_and_edges_is_networkx_own_bytes():
    graph = nx.MultiDiGraph()
    graph.add_node("urn:bare")
    graph.add_node(7, label_en="an int id")
    graph.add_edge("urn:bare", 7)
    graph.add_edge(7, "urn:bare", key="k", inferred=True)
    assert graphml(graph) == networkx_graphml(graph)


def test_node_link_json_holds_any_json_value_as_networkx_writes_it():
    graph = awkward_projection()
    graph.graph.update(name="awkward 图", nested={"b": [1, None], "a": True})
    graph.nodes["urn:plain"].update(
        nothing=None, many=["a", 1, None, {"z": 1, "a": [True]}], nested={"k": {"j": []}}, nan=math.nan, ctl="\x00"
    )
    graph.add_edge("urn:plain", "urn:plain", key=3, items=[], mapping={})
    content = node_link(graph)
    assert content == networkx_node_link(graph)
    read = nx.node_link_graph(json.loads(content), edges="edges")
    assert read.graph == graph.graph
    assert dict(read.nodes(data=True)).keys() == dict(graph.nodes(data=True)).keys()
    for node, data in graph.nodes(data=True):
        assert _same(read.nodes[node], data), node
    assert sorted(read.edges(keys=True), key=str) == sorted(graph.edges(keys=True), key=str)


def _same(read: Any, written: Any) -> bool:
    """Equal, a NaN equal to a NaN."""
    if isinstance(read, dict) and isinstance(written, dict):
        return read.keys() == written.keys() and all(_same(read[k], written[k]) for k in read)
    if isinstance(read, float) and isinstance(written, float) and math.isnan(read) and math.isnan(written):
        return True
    return bool(read == written)


def _as_written(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _xml_value(v) for k, v in data.items()}


def test_networkx_reads_the_awkward_graphml_back():
    graph = awkward_projection()
    read = nx.read_graphml(io.BytesIO(graphml(graph)), edge_key_type=str, force_multigraph=True)
    assert list(read.nodes) == [xml_text(n) for n in graph.nodes]
    for node, data in graph.nodes(data=True):
        assert _same(read.nodes[xml_text(node)], _as_written(data)), node
    expected_edges = [(xml_text(u), xml_text(v), _as_written(d)) for u, v, d in graph.edges(data=True)]
    assert list(read.edges(data=True)) == expected_edges


def test_networkx_reads_the_awkward_gexf_back():
    graph = awkward_projection()
    read = nx.read_gexf(io.BytesIO(gexf(graph)))
    assert list(read.nodes) == [xml_text(n) for n in graph.nodes]
    for node, data in graph.nodes(data=True):
        expected = {**_as_written(data), "label": xml_text(data["label_en"])}
        assert _same(read.nodes[xml_text(node)], expected), node
    expected_edges = [
        (xml_text(u), xml_text(v), xml_text(k), {**_as_written(d), "label": xml_text(d["label_en"]), "id": str(i)})
        for i, (u, v, k, d) in enumerate(graph.edges(keys=True, data=True))
    ]
    assert sorted(read.edges(keys=True, data=True), key=lambda e: e[3]["id"]) == expected_edges


@pytest.mark.parametrize("value", [None, ["a", "b"], {"a": 1}, ("a", None, None)])
def test_graphml_refuses_what_networkx_refuses_before_writing(value):
    graph = awkward_projection()
    graph.add_edge("urn:plain", "urn:plain", label_en="late", odd=value)  # the last edge: found before writing
    with pytest.raises(nx.NetworkXError) as theirs:
        networkx_graphml(graph)
    stream = io.BytesIO()
    with pytest.raises(nx.NetworkXError) as ours:
        graph_export.write_graphml(graph, stream)
    assert str(ours.value) == str(theirs.value)
    assert stream.getvalue() == b""


@pytest.mark.parametrize(
    ("value", "name", "why"),
    [
        (None, "odd", "attribute value type is not allowed: <class 'NoneType'>"),
        (("a", None, None), "odd", "attribute value type is not allowed: <class 'tuple'>"),
        # networkx's dynamic attributes (a list of (value, start, end)) and its GEXF attributes are not written
        ([("a", None, None)], "odd", "the edge attribute 'odd' is a list; kgraph writes one value an attribute"),
        ("2025", "start", "the edge attribute 'start' is GEXF's own; kgraph writes plain attributes only"),
        (1.0, "weight", "the edge attribute 'weight' is GEXF's own; kgraph writes plain attributes only"),
    ],
)
def test_gexf_refuses_what_it_cannot_write_plainly_before_writing(value, name, why):
    graph = awkward_projection()
    graph.add_edge("urn:plain", "urn:plain", label_en="late", **{name: value})
    stream = io.BytesIO()
    with pytest.raises(TypeError) as refused:
        graph_export.write_gexf(graph, stream)
    assert str(refused.value) == why
    assert stream.getvalue() == b""


class _Counting:
    """A binary stream that keeps nothing: how many bytes, in how many writes."""

    def __init__(self) -> None:
        self.size = 0
        self.writes = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        self.writes += 1
        return len(data)


def synthetic_projection(entities: int) -> nx.MultiDiGraph:
    """A projection shaped like kgraph's: nine text attributes on each node, two relations from each."""
    graph = nx.MultiDiGraph()
    names = [f"https://w3id.org/kgraph/resource/entity-{i:06d}" for i in range(entities)]
    for i, name in enumerate(names):
        graph.add_node(
            name,
            iri=name,
            qname=f"kgr:entity-{i:06d}",
            label_en=f"Entity number {i} & co",
            label_zh=f"实体 {i}",
            cls="kg:Chip",
            cls_label_en="Chip",
            cls_label_zh="芯片",
            description_en=f"A description of entity {i}, long enough to look like one <with markup>." * 2,
            description_zh="",
        )
    for i, name in enumerate(names):
        for step in (1, 7):
            graph.add_edge(
                name,
                names[(i + step) % entities],
                key="kg:uses",
                relation="https://w3id.org/kgraph/ontology#uses",
                relation_qname="kg:uses",
                label_en="uses",
                label_zh="使用",
                sections=f"https://w3id.org/kgraph/source/section-{i % 50:03d}",
                inferred=False,
            )
    return graph


def _peak_while_writing(write: graph_export.Write, graph: nx.MultiDiGraph) -> tuple[int, _Counting]:
    sink = _Counting()
    tracemalloc.start()
    try:
        write(graph, sink)  # type: ignore[arg-type]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, sink


@pytest.mark.parametrize("fmt", list(NETWORKX))
def test_the_memory_a_file_takes_to_write_does_not_grow_with_the_graph(fmt, monkeypatch):
    """A batch of elements at a time: four times the graph takes no more memory to write (beyond the projection),
    and far less than the file's size. networkx's writers held the whole document, several times the file."""
    monkeypatch.setattr(graph_export, "BATCH", 10)
    small, big = synthetic_projection(500), synthetic_projection(2000)
    write = graph_export.WRITERS[fmt]
    write(synthetic_projection(20), _Counting())  # what the first call allocates once (caches) is not counted
    small_peak, small_file = _peak_while_writing(write, small)
    big_peak, big_file = _peak_while_writing(write, big)
    assert big_file.size > 3.9 * small_file.size
    assert big_file.writes > 3.5 * small_file.writes  # batch by batch
    assert big_peak < 1.3 * small_peak
    assert big_peak < big_file.size / 10

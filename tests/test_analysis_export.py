"""kgraph export graphml|gexf|json: read back with networkx's own readers, they equal the projection."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest
from click.testing import CliRunner, Result

from conftest import PREFIXES
from kgraph.analysis import project
from kgraph.cli import cli
from kgraph.export import files
from kgraph.export.graph import FORMATS, gexf, graphml, node_link
from kgraph.store import LoadedGraph
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
        assert to_file.stderr == f"wrote {target} ({len(expected):,} bytes: 102 nodes, 181 edges)\n"
        assert target.read_bytes() == expected


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
    assert "is a directory" in result.stderr


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

"""kgraph.viewer without a browser: what a page holds, the layout, the views, the writer and ``kgraph viz``.

The browser tests (a real Chromium) are in test_viewer_browser.py.
"""

from __future__ import annotations

import ast
import html.parser
import json
import logging
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import RDF

from conftest import CHROMIUM_FLAGS, PREFIXES
from kgraph.analysis import relations
from kgraph.cli import cli
from kgraph.errors import InputError
from kgraph.export.build import WRITERS
from kgraph.resources import default_data_dir, default_ontology_dir
from kgraph.store import LoadedGraph, load
from kgraph.viewer import layout, page, render_exports
from kgraph.viewer.model import document_marks, select
from kgraph.viewer.page import Context, render_page
from kgraph.viewer.views import FOCUSED_VIEWS, INDEX_FILE, MAIN_FILE
from kgraph.vocab import KG, KGR

#: Labels, descriptions and a section title that would run script if any of them were inserted as HTML.
HOSTILE_LABEL = "<img src=x onerror=alert(1)>"
HOSTILE_ZH = "</script><script>window.__pwned = 2</script>"
HOSTILE_DESCRIPTION = "<script>window.__pwned = 4</script> & <b>bold</b>"
HOSTILE = (
    PREFIXES
    + """
src:evil a kg:SourceSection ; rdfs:label "Evil <b>section</b>"@en , "邪恶</script>章节"@zh ; kg:order 1 ;
    kg:timeRange "00:00 - <i>01:00</i>" .
src:evil {
    kgr:evil a kg:Company ;
        rdfs:label "<img src=x onerror=alert(1)>"@en , "</script><script>window.__pwned = 2</script>"@zh ;
        skos:altLabel "<svg onload=alert(3)>"@en ;
        schema:description "<script>window.__pwned = 4</script> & <b>bold</b>"@en ,
            "<img src=y onerror=alert(5)>"@zh ;
        kg:distinction "<iframe src=javascript:alert(6)>"@en ;
        prov:wasDerivedFrom src:evil .
    kgr:chip-x a kg:Chip ; rdfs:label "Chip <b>X</b>"@en , "芯片X"@zh ; kg:developedBy kgr:evil ;
        schema:description "A chip."@en ; prov:wasDerivedFrom src:evil .
    kgr:model-y a kg:AIModel ; rdfs:label "Model Y"@en , "模型Y"@zh ; kg:trainedOn kgr:chip-x ;
        prov:wasDerivedFrom src:evil .
    kgf:evil-figure a kg:Figure ; rdfs:label "<img src=z onerror=alert(7)>"@en ; kg:figureOf kgr:evil ;
        kg:value 3 ; kg:unit kg:Times ; kg:metric "<i>speed</i>"@en ; kg:comparisonBasis "<b>the old one</b>"@en ;
        prov:wasDerivedFrom src:evil .
}
"""
)


def _own_source(namespace: str, label: str, title: str, sections: str, graphs: str) -> str:
    """The TriG of a source of one's own as data/README.md writes one under "Adding your own data": ``my:`` for
    ``namespace``; in the graph my:document, the document with its ``label`` and ``title`` (Turtle literals) and
    its ``sections`` (Turtle statements); then ``graphs``, the named graphs of what it states."""
    return (
        PREFIXES
        + f"@prefix my: <{namespace}> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\nmy:document {{\n"
        + f"    my:document a kg:SourceDocument ; rdfs:label {label} ;\n        dcterms:title {title} .\n"
        + sections
        + "}\n"
        + graphs
    )


#: A second source beside the keynote (data/README.md, "Adding your own data"): a product page whose sections are
#: numbered from 1 as the keynote's are, and which states a relation the keynote's section 1 states too.
SECOND_DOCUMENT = _own_source(
    "https://example.org/vendor-page/",
    '"Acme product page"@en , "Acme 产品页"@zh',
    '"Acme product page"@en',
    """    my:overview a kg:SourceSection ; rdfs:label "Overview"@en , "概述"@zh ; dcterms:title "Overview"@en ;
        kg:order 1 ; kg:timeRange "00:00 - 02:00" ; dcterms:isPartOf my:document .
    my:performance a kg:SourceSection ; rdfs:label "Performance"@en , "性能"@zh ; dcterms:title "Performance"@en ;
        kg:order 2 ; dcterms:isPartOf my:document .
""",
    """my:overview { kgr:trainium3 kg:developedBy kgr:aws . }
my:performance { kgr:trainium3 kg:developedBy kgr:aws .
    kgr:trainium3 prov:wasDerivedFrom my:overview , my:performance . }
""",
)


def hostile_graph(folder: Path) -> LoadedGraph:
    """The hostile entities with the bundled ontology."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "evil.trig").write_text(HOSTILE, encoding="utf-8")
    return load(data_dir=folder, ontology_dir=default_ontology_dir())


def page_data(page: bytes) -> dict:
    """The JSON the page hands to its script."""
    text = page.decode("utf-8")
    start = text.index('<script type="application/json" id="kg-data">') + len(
        '<script type="application/json" id="kg-data">'
    )
    return json.loads(text[start : text.index("</script>", start)])


def stated_relations(loaded: LoadedGraph) -> set[tuple[str, str, str]]:
    """Every stated relation between two entities, counted straight from the RDF graph."""
    graph = loaded.graph
    entities = set(graph.subjects(RDF.type, KG.Entity))
    return {
        (str(s), str(p), str(o))
        for p in relations(graph)
        for s, o in graph.subject_objects(p)
        if s in entities and o in entities and loaded.is_asserted((s, p, o))
    }


@pytest.fixture(scope="module")
def context(loaded: LoadedGraph) -> Context:
    return Context(loaded)


@pytest.fixture(scope="module")
def main_page(context: Context, loaded: LoadedGraph) -> bytes:
    return render_page(context, select(loaded))


# ------------------------------------------------------------------------------------------ what a page holds


def test_page_has_every_entity_and_relation(main_page: bytes, loaded: LoadedGraph):
    data = page_data(main_page)
    entities = {str(s) for s in loaded.graph.subjects(RDF.type, KG.Entity)}
    assert {n["id"] for n in data["nodes"]} == entities
    drawn = {(e["from"], e["rel"], e["to"]) for e in data["edges"]}
    expected = {(s, loaded.graph.namespace_manager.normalizeUri(URIRef(p)), o) for s, p, o in stated_relations(loaded)}
    assert drawn == expected
    assert len(data["edges"]) == len(expected)
    assert sum(c["count"] for c in data["classes"]) == len(entities)
    assert sum(r["count"] for r in data["relations"]) == len(expected)


def test_nodes_are_styled_by_class_and_labelled_in_both_languages(main_page: bytes):
    data = page_data(main_page)
    aws = next(n for n in data["nodes"] if n["id"] == str(KGR.aws))
    assert aws["labels"] == ["AWS", "亚马逊云科技"]
    assert aws["label"] == "AWS"
    assert aws["group"] == "kg:Company"
    groups = data["options"]["groups"]
    legend = {c["id"]: (c["color"], c["shape"]) for c in data["classes"]}
    assert legend == {cls: (g["color"]["background"], g["shape"]) for cls, g in groups.items()}
    for node in data["nodes"]:
        assert node["shape"] == groups[node["group"]]["shape"]
        assert "color" not in node  # the group gives it
        assert isinstance(node["x"], int) and isinstance(node["y"], int)
    assert len(set(legend.values())) == len(legend), "two classes look the same"
    succeeds = next(e for e in data["edges"] if e["rel"] == "kg:succeeds")
    assert succeeds["label"] == "succeeds"
    assert data["relationNames"]["kg:succeeds"] == ["succeeds", "继任"]
    assert data["options"]["physics"]["enabled"] is False


def test_details_hold_relations_figures_and_provenance(main_page: bytes, context: Context, loaded: LoadedGraph):
    data = page_data(main_page)
    edges = {(e["from"], e["rel"], e["to"]): e["sections"] for e in data["edges"]}
    assert edges[(str(KGR.trainium3), "kg:succeeds", str(KGR.trainium2))] == ["src:ai-infrastructure"]
    trainium3 = data["entities"][str(KGR.trainium3)]
    assert trainium3["outside"] == []  # every relation's other end is drawn: the page lists them from its edges
    figure = next(f for f in trainium3["figures"] if f["qname"] == "kgf:trainium3-compute-vs-trainium2")
    assert figure["value"] == ["4.4 x", "4.4倍"]
    assert figure["unit"][0] == "times"
    assert figure["symbol"] == ["x", "倍"]  # the unit as the values end with it: the page does not say it again
    assert figure["compared"][0][:2] == [str(KGR.trainium2), "Trainium2"]
    assert trainium3["sources"] == ["src:overview", "src:ai-infrastructure"]
    section = data["sections"]["src:ai-infrastructure"]
    assert section == {"order": 3, "label": ["AI infrastructure", "AI基础设施创新"], "range": "05:30 - 15:00"}
    assert ["distinction", "突出之处", "the industry's first 3 nm AI chip", "en"] in trainium3["facts"]
    # in a focused view, relations to entities not drawn are kept with the entity
    focused = page_data(render_page(context, select(loaded, focus=KGR.trainium3, depth=1)))
    aws = focused["entities"][str(KGR.aws)]
    assert ["in", "kg:developedBy", str(KGR.nvidia), []] not in aws["outside"]  # Nvidia is not developed by AWS
    assert any(o[:3] == ["in", "kg:developedBy", str(KGR["amazon-bedrock"])] for o in aws["outside"])
    assert focused["others"][str(KGR["amazon-bedrock"])]["labels"] == ["Amazon Bedrock", "Amazon Bedrock"]


def test_details_count_the_figures_about_what_an_organization_develops(main_page: bytes):
    """kgraph show Adobe ends its figures block with the 3 figures about what Adobe develops (Firefly and its
    Experience Platform); the viewer's panel said nothing of them, Adobe having no figure of its own. The details
    hold the number show gives: AWS's 32 count Graviton's share, about AWS too; Writer's are all its own."""
    entities = page_data(main_page)["entities"]
    made = {name: entities[str(KGR[name])]["made"] for name in ("adobe", "aws", "sony", "writer", "trainium3")}
    assert made == {"adobe": 3, "aws": 32, "sony": 5, "writer": 0, "trainium3": 0}


def test_page_is_self_contained(main_page: bytes):
    text = main_page.decode("utf-8")
    tags = _tags(text)
    assert not [t for t in tags if t[0] in {"link", "img", "iframe", "object", "embed"}]
    scripts = [t for t in tags if t[0] == "script"]
    assert all("src" not in attrs for _tag, attrs in scripts)
    assert len(scripts) == 3
    csp = next(attrs["content"] for tag, attrs in tags if tag == "meta" and attrs.get("http-equiv"))
    assert "default-src 'none'" in csp
    assert "vis-network" in text and "9.1.2" in text


def _tags(text: str) -> list[tuple[str, dict[str, str | None]]]:
    found: list[tuple[str, dict[str, str | None]]] = []

    class Collector(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(text)
    return found


def test_hostile_labels_never_reach_the_page_as_markup(tmp_path: Path):
    loaded = hostile_graph(tmp_path / "data")
    page = render_page(Context(loaded), select(loaded, focus=KGR.evil)).decode("utf-8")
    assert page.count("</script>") == 3  # the JSON element, vis-network and the viewer script
    assert HOSTILE_LABEL not in page
    assert "<img" not in page and "<svg onload" not in page and "<iframe" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; and its neighbours" in page  # the <title>, escaped
    data = page_data(page.encode("utf-8"))
    assert data["entities"][str(KGR.evil)]["desc"][0] == HOSTILE_DESCRIPTION
    assert next(n for n in data["nodes"] if n["id"] == str(KGR.evil))["labels"] == [HOSTILE_LABEL, HOSTILE_ZH]


def test_same_graph_same_bytes(context: Context, loaded: LoadedGraph, main_page: bytes):
    assert render_page(context, select(loaded)) == main_page
    assert render_page(Context(loaded), select(loaded)) == main_page


def test_same_bytes_across_processes(tmp_path: Path):
    pages = []
    for seed in ("0", "977"):
        out = tmp_path / f"{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-m", "kgraph", "viz", "--output", str(out)], capture_output=True, env=env, check=False
        )
        assert run.returncode == 0, run.stderr
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def test_a_page_of_two_documents_says_which_document_each_section_is_part_of(tmp_path: Path, main_page: bytes):
    """With a second source the page had nothing to tell the two documents' sections apart by (both Overviews
    numbered 1), and an entity's sources came interleaved by position. A page of several documents lists them
    in the order ``kgraph stats`` does, each with a short mark for its tags, each section names its document by its
    place in that list, and the sources come document by document. A page of one document is as it was."""
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    (data / "50-vendor-page.trig").write_text(SECOND_DOCUMENT, encoding="utf-8")
    loaded = load(data_dir=data, ontology_dir=default_ontology_dir())
    two = page_data(render_page(Context(loaded), select(loaded)))
    page = "my:document"  # with the prefix its file declares, as the keynote's are written
    assert two["documents"] == [
        {"iri": page, "label": ["Acme product page", "Acme 产品页"], "mark": "Acme"},
        {"iri": "src:document", "label": ["AWS re:Invent 2025 keynote summary", "AWS re:Invent 2025 主题演讲总结"],
         "mark": "AWS"},
    ]  # fmt: skip
    assert two["sections"]["my:overview"]["document"] == 0
    assert {s["document"] for name, s in two["sections"].items() if name.startswith("src:")} == {1}
    assert two["entities"][str(KGR.trainium3)]["sources"] == [
        "my:overview",
        "my:performance",
        "src:overview",
        "src:ai-infrastructure",
    ]
    one = page_data(main_page)
    assert "documents" not in one
    assert not any("document" in section for section in one["sections"].values())


@pytest.mark.parametrize(
    ("labels", "marks"),
    [
        (["AWS re:Invent 2025 keynote summary", "Acme product page"], ["AWS", "Acme"]),
        (["AWS re:Invent keynote", "AWS blog: Trainium3", "Acme"], ["AWS re:Invent", "AWS blog", "Acme"]),
        (["Product page", "Product page"], ["Product page 1", "Product page 2"]),
        (["Supercalifragilistic notes", "(Acme) page", ""], ["Supercalifrag…", "Acme", "?"]),
        (["X", "X", "X 1"], ["#1", "#2", "#3"]),  # "X 1", "X 2" would make two the same: by position
    ],
)
def test_document_marks_are_short_and_never_the_same(labels: list[str], marks: list[str]):
    assert document_marks(labels) == marks


# ------------------------------------------------------------------------------------------ choosing what to draw


def test_focus_and_depth(loaded: LoadedGraph):
    one = select(loaded, focus=KGR.trainium3, depth=1)
    assert one.focus == str(KGR.trainium3)
    assert {str(KGR.trainium2), str(KGR.trainium4), str(KGR.aws)} <= set(one.graph)
    assert str(KGR.nvidia) not in one.graph
    zero = select(loaded, focus=KGR.trainium3, depth=0)
    assert list(zero.graph) == [str(KGR.trainium3)]
    assert set(one.graph) < set(select(loaded, focus=KGR.trainium3, depth=2).graph)
    assert one.title_en == "Trainium3 and its neighbours (1 step)"
    # the page of the entity alone said "Trainium3 and its neighbours (0 links)"; one of some classes, not which
    assert (zero.title_en, zero.title_zh) == ("Trainium3 alone", "仅Trainium3")
    kept = select(loaded, classes=[KG.Hardware], focus=KGR.trainium3, depth=2)
    assert kept.title_en == "Trainium3 and its neighbours (2 steps), Hardware only"
    assert kept.title_zh == "Trainium3及其2跳以内的邻居（仅硬件）"  # noqa: RUF001


def test_types(loaded: LoadedGraph):
    view = select(loaded, classes=[KG.Hardware])
    hardware = {str(s) for s in loaded.graph.subjects(RDF.type, KG.Hardware)}
    assert set(view.graph) == hardware
    assert all(key in {"kg:succeeds", "kg:memberOf", "kg:poweredBy"} for _u, _v, key in view.graph.edges(keys=True))
    with pytest.raises(InputError, match="kgr:aws is not a Hardware"):
        select(loaded, classes=[KG.Hardware], focus=KGR.aws)
    with pytest.raises(InputError, match="not a kind of kg:Entity"):
        select(loaded, classes=[KG.Figure])


def test_focused_views(context: Context):
    picked = {spec.file: spec.pick(context) for spec in FOCUSED_VIEWS}
    assert {str(KGR.sony), str(KGR["amazon-bedrock"]), str(KGR.adobe), str(KGR.p5)} <= picked["graph-customers.html"]
    assert str(KGR.trainium3) not in picked["graph-customers.html"]
    assert {str(KGR.trainium3), str(KGR["palmyra-x5"]), str(KGR["adobe-firefly"]), str(KGR.p5)} <= picked[
        "graph-chips.html"
    ]
    assert str(KGR.sony) not in picked["graph-chips.html"]
    assert {str(KGR[n]) for n in ("trainium", "trainium2", "trainium3", "trainium4")} <= picked["graph-succession.html"]
    assert str(KGR.aws) not in picked["graph-succession.html"]


def test_build_writes_the_viewer_pages_and_an_index(loaded: LoadedGraph):
    assert ("viewer", render_exports) in WRITERS
    files = render_exports(loaded)
    assert sorted(files) == sorted([MAIN_FILE, INDEX_FILE, "ontology.html", *(spec.file for spec in FOCUSED_VIEWS)])
    index = files[INDEX_FILE].decode("utf-8")
    links = [attrs["href"] for tag, attrs in _tags(index) if tag == "a"]
    assert links == [MAIN_FILE, *(spec.file for spec in FOCUSED_VIEWS), "ontology.html"]
    assert "102 entities · 184 relations" in index
    assert _heading(index) == [
        "<h1>kgraph: AWS re:Invent 2025 keynote summary as a knowledge graph</h1>",
        '<p class="zh" lang="zh-Hans">kgraph：以知识图谱呈现的 AWS re:Invent 2025 主题演讲总结</p>',  # noqa: RUF001
    ]
    main = page_data(files[MAIN_FILE])
    assert main["home"] == INDEX_FILE
    assert len(main["nodes"]) == 102


def _heading(index: str) -> list[str]:
    """The lines of the index from its heading to the paragraph about the pages below it."""
    return index.split("<main>\n", 1)[1].split("\n<p>Each page", 1)[0].splitlines()


#: A source of one's own, as data/README.md shows it under "Adding your own data": one document of one section, a
#: company and the chip it makes (one relation).
OWN_SOURCE = _own_source(
    "https://example.org/my-source/",
    '"Acme launch notes"@en , "Acme 发布说明"@zh',
    '"Acme 发布说明"@zh',
    """    my:chips a kg:SourceSection ; rdfs:label "New chips"@en , "新芯片"@zh ; dcterms:title "新芯片"@zh ;
        kg:order 1 ; dcterms:isPartOf my:document .
""",
    """my:chips {
    my:acme a kg:Company ; rdfs:label "Acme"@en , "艾克米"@zh ; schema:description "A company."@en ;
        prov:wasDerivedFrom my:chips .
    my:rocket a kg:Chip ; rdfs:label "Rocket"@en , "火箭"@zh ; schema:description "A chip."@en ;
        kg:developedBy my:acme ; prov:wasDerivedFrom my:chips .
}
""",
)


def test_the_index_of_a_source_of_ones_own_names_it_and_counts_one_relation(tmp_path: Path):
    """``kgraph --data MINE build`` wrote an index titled "the AWS re:Invent 2025 keynote", whatever the data
    described, and counted "1 relations". It names the document the graph is built from, in English and Chinese,
    and says "1 relation"."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "mine.trig").write_text(OWN_SOURCE, encoding="utf-8")
    result = run("--data", data, "build", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    index = (tmp_path / "out" / INDEX_FILE).read_text(encoding="utf-8")
    assert "<title>kgraph: Acme launch notes as a knowledge graph</title>" in index
    assert _heading(index) == [
        "<h1>kgraph: Acme launch notes as a knowledge graph</h1>",
        '<p class="zh" lang="zh-Hans">kgraph：以知识图谱呈现的 Acme 发布说明</p>',  # noqa: RUF001
    ]
    assert "re:Invent" not in index
    assert index.count('<div class="counts">2 entities · 1 relation</div>') == 2  # the whole graph, the chips


_MY = PREFIXES + "@prefix my: <https://example.org/my-source/> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
_ENTITY = 'my:acme a kg:Company ; rdfs:label "Acme"@en , "艾克米"@zh .\n'


@pytest.mark.parametrize(
    ("documents", "heading"),
    [
        (  # no Chinese label: the English one, in the Chinese line
            'my:notes a kg:SourceDocument ; rdfs:label "My notes"@en ; dcterms:title "My notes"@en .',
            ["<h1>kgraph: My notes as a knowledge graph</h1>",
             '<p class="zh" lang="zh-Hans">kgraph：以知识图谱呈现的 My notes</p>'],  # noqa: RUF001
        ),
        (  # no label at all (the shapes ask for a title only): the title, in both
            'my:notes a kg:SourceDocument ; dcterms:title "我的笔记"@zh .',
            ["<h1>kgraph: 我的笔记 as a knowledge graph</h1>",
             '<p class="zh" lang="zh-Hans">kgraph：以知识图谱呈现的我的笔记</p>'],  # noqa: RUF001
        ),
        (  # several: how many, then their names in the order stats lists them
            'my:notes a kg:SourceDocument ; rdfs:label "My notes"@en , "我的笔记"@zh .\n'
            'my:blog a kg:SourceDocument ; rdfs:label "Acme blog"@en ; dcterms:title "Acme 博客"@zh .',
            ["<h1>kgraph: 2 source documents as a knowledge graph</h1>",
             '<p class="zh" lang="zh-Hans">kgraph：以知识图谱呈现的 2 份来源文档</p>',  # noqa: RUF001
             "<p>Source documents: Acme blog · My notes</p>",
             '<p class="zh" lang="zh-Hans">来源文档：Acme 博客 · 我的笔记</p>'],  # noqa: RUF001
        ),
        (  # none: no name at all
            "",
            ["<h1>kgraph: a knowledge graph</h1>", '<p class="zh" lang="zh-Hans">kgraph：知识图谱</p>'],  # noqa: RUF001
        ),
    ],
    ids=["no-chinese-label", "title-only", "two", "none"],
)  # fmt: skip
def test_the_index_names_the_documents_of_the_graph(tmp_path: Path, documents: str, heading: list[str]):
    """What the index says the graph is built from, whatever its documents say of themselves; one entity alone is
    counted "1 entity", not "1 entities"."""
    (tmp_path / "mine.ttl").write_text(_MY + documents + "\n" + _ENTITY, encoding="utf-8")
    index = render_exports(load(tmp_path, default_ontology_dir()))[INDEX_FILE].decode("utf-8")
    assert _heading(index) == heading
    assert f"<title>{heading[0].removeprefix('<h1>').removesuffix('</h1>')}</title>" in index
    assert '<div class="counts">1 entity · 0 relations</div>' in index


def test_views_that_pick_nothing_are_left_out(tmp_path: Path):
    files = render_exports(hostile_graph(tmp_path / "data"))
    assert sorted(files) == ["graph-chips.html", "graph.html", "index.html", "ontology.html"]
    assert "graph-customers.html" not in files[INDEX_FILE].decode("utf-8")


def test_a_link_to_an_entity_by_a_property_that_is_no_relation_is_a_fact(tmp_path: Path):
    """rdfs:seeAlso from Sony to PlayStation Network is not drawn (it is no relation), and the panel skipped every
    IRI naming an entity: the link showed nowhere, though `show` lists it."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "see.ttl").write_text(
        PREFIXES + 'kgr:a a kg:Company ; rdfs:label "A"@en , "甲"@zh ; rdfs:seeAlso kgr:b ; kg:partnerOf kgr:b .\n'
        'kgr:b a kg:Company ; rdfs:label "B"@en , "乙"@zh .\n',
        encoding="utf-8",
    )
    loaded = load(data, default_ontology_dir())
    details = page_data(render_page(Context(loaded), select(loaded, focus=KGR.a)))["entities"][str(KGR.a)]
    see_also = [row for row in details["facts"] if row[2] in ("B", "乙")]
    assert [(row[2], row[3]) for row in see_also] == [("B", "en"), ("乙", "zh")]
    assert not any("partner" in row[0] for row in details["facts"])  # a relation stays an edge, not a fact


# ------------------------------------------------------------------------------------------ layout


def test_layout_is_seeded_and_separates_label_boxes():
    edges = [(i, (i * 7 + 3) % 40) for i in range(40)] + [(40, 41)]
    boxes = [(60.0 + (i % 5) * 20, 40.0) for i in range(45)]
    first = layout.positions(45, edges, boxes, seed=3)
    assert first == layout.positions(45, edges, boxes, seed=3)
    assert first != layout.positions(45, edges, boxes, seed=4)
    for i in range(45):
        for j in range(i + 1, 45):
            apart_x = abs(first[i][0] - first[j][0]) >= (boxes[i][0] + boxes[j][0]) / 2 - 1
            apart_y = abs(first[i][1] - first[j][1]) >= (boxes[i][1] + boxes[j][1]) / 2 - 1
            assert apart_x or apart_y, f"boxes {i} and {j} overlap"


def test_layout_packs_components_below_the_largest():
    edges = [(0, 1), (1, 2), (2, 0), (3, 4)]
    where = layout.positions(6, edges, [(50.0, 30.0)] * 6)
    assert max(y for _x, y in where[:3]) < min(y for _x, y in where[3:])
    assert layout.positions(0, [], []) == []
    assert layout.positions(1, [], [(10.0, 10.0)]) == [(0, 0)]


def test_the_entity_a_page_is_focused_on_draws_its_neighbours_close():
    """A hub's edges pull less, so on a page focused on a hub its neighbours were drawn far out, beyond the window
    at a readable zoom. The focus (``centre``) now pulls them close: each nearer than without it."""
    hub, spokes, leaves = 0, range(1, 9), 5
    edges = [(hub, s) for s in spokes]
    edges += [(s, 9 + (s - 1) * leaves + k) for s in spokes for k in range(leaves)]
    count = 9 + 8 * leaves
    boxes = [(110.0, 40.0)] * count

    def reach(where: list[tuple[int, int]]) -> float:
        return max(math.dist(where[hub], where[s]) for s in spokes)

    around = layout.positions(count, edges, boxes, centre=hub)
    assert around == layout.positions(count, edges, boxes, centre=hub)
    assert reach(around) < 0.7 * reach(layout.positions(count, edges, boxes))


@pytest.mark.parametrize("length", range(2, 10))
def test_a_chain_is_drawn_at_the_size_of_its_boxes(length):
    """A chain of three settles on a straight line, with no height: scaled to fill that area with its boxes, it
    spread ±2.7 million pixels, and the page (`kgraph viz --type Company` on the bundled data, a focus on Matt
    Garman, or a whole graph with such a component) opened as a white canvas."""
    edges = [(i, i + 1) for i in range(length - 1)]
    where = layout.positions(length, edges, [(60.0, 40.0)] * length)
    assert max(abs(x) for x, _y in where) < 150 * length, where
    assert max(abs(y) for _x, y in where) < 150 * length, where
    beside = layout.positions(
        length + 12, [*edges, *((length + i, length + (i + 1) % 12) for i in range(12))], [(60.0, 40.0)] * (length + 12)
    )
    assert max(abs(x) for x, _y in beside) < 2000, beside  # a chain beside a larger component


@pytest.mark.parametrize(
    "name",
    [
        "The Extraordinarily Long-Named International Consolidated Cloud Infrastructure Holding Company Limited",
        "一个名字非常非常非常长的国际综合云基础设施与人工智能控股有限公司",
        "Supercalifragilistic" * 12,
        "🚀 Rocket AI 👩\u200d💻 " * 6,
        "AWS 安全代理 " * 8,
    ],
)
def test_a_long_label_is_drawn_on_two_lines_within_the_box_the_layout_keeps(name: str):
    """A name of a hundred characters was drawn on one line (and laid out in a box) as long as it is."""
    font = page.node_font(3)
    drawn = page.drawn_label(name, font)
    lines = drawn.split("\n")
    assert len(lines) == page.LABEL_LINES
    assert all(0 < page.text_width(line, font) <= page.LABEL_EM * font for line in lines), lines
    assert drawn.replace("\n", "").replace(" ", "").rstrip("…") in name.replace(" ", "")
    assert "\u200d\n" not in drawn and "\n\u200d" not in drawn  # an emoji sequence is never cut in two
    width, height = page.node_box({"label_en": name, "label_zh": "短"}, 3)
    assert width <= (page.LABEL_EM + page.LABEL_GAP_EM) * font
    assert height >= 2 * page.node_size(3) + 2 * font * 1.3
    assert page.drawn_label("Security Agent design review", font) == "Security Agent design review"


def test_components_largest_first():
    pairs = np.array([[4, 5], [0, 1], [5, 6]], dtype=np.int64)
    assert layout.components(8, pairs) == [[4, 5, 6], [0, 1], [2], [3], [7]]


def test_large_graphs_use_a_sample_and_still_settle():
    count = layout.EXACT_LIMIT + 200
    edges = [(i, i + 1) for i in range(count - 1)] + [(i, (i * 31 + 7) % count) for i in range(count)]
    where = layout.positions(count, edges, [(40.0, 20.0)] * count)
    assert where == layout.positions(count, edges, [(40.0, 20.0)] * count)
    assert len(set(where)) == count
    # linked nodes end up closer than nodes picked at random
    linked = sum(math.dist(where[a], where[b]) for a, b in edges) / len(edges)
    pairs = [(i, (i * 7919) % count) for i in range(count)]
    assert linked < 0.5 * sum(math.dist(where[a], where[b]) for a, b in pairs) / len(pairs)


# ------------------------------------------------------------------------------------------ kgraph viz


def run(*args: str | Path):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_viz_writes_one_file(tmp_path: Path):
    out = tmp_path / "deep" / "g.html"
    result = run("viz", "--output", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"wrote {out} (102 entities, 184 relations, ")
    assert len(page_data(out.read_bytes())["nodes"]) == 102


def test_viz_says_its_counts_in_thousands(tmp_path: Path):
    """`wrote g.html (1923 entities, 4402 relations, 2,530,851 bytes)`: the whole graph's counts lacked the
    thousands separators that the bytes, a part's counts and every other command's counts have."""
    data = tmp_path / "data"
    data.mkdir()
    chain = "".join(f'kgr:c{i} a kg:Company ; rdfs:label "C{i}"@en ; kg:uses kgr:c{i + 1} .\n' for i in range(1200))
    (data / "chain.ttl").write_text(PREFIXES + chain, encoding="utf-8")
    out = tmp_path / "g.html"
    result = run("--data", data, "viz", "--output", out)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"wrote {out} (1,200 entities, 1,199 relations, ")


def test_viz_beside_builds_pages_writes_the_page_build_writes(tmp_path: Path):
    """`kgraph viz` writes exports/graph.html by default, where `kgraph build` wrote it with an "All views" link
    to index.html: viz replaced it with a page without the link. Beside an index.html the page links to it."""
    assert run("build", "--out", tmp_path).exit_code == 0
    built = (tmp_path / "graph.html").read_bytes()
    assert run("viz", "--output", tmp_path / "graph.html").exit_code == 0
    assert (tmp_path / "graph.html").read_bytes() == built
    alone = tmp_path / "alone" / "graph.html"
    assert run("viz", "--output", alone).exit_code == 0
    assert page_data(alone.read_bytes())["home"] is None and page_data(built)["home"] == "index.html"


def test_viz_through_a_link_links_to_the_index_beside_the_page_it_writes(tmp_path: Path, monkeypatch):
    """--output as a symbolic link: the page is written where the link leads, and --open opens it there, but
    whether it linked to an index.html was decided by the folder of the link. Beside build's pages through a link
    from elsewhere, viz replaced build's graph.html with a page without its "All views" link; a link beside an
    index.html to a page elsewhere gave a page whose link found no index.html."""
    assert run("build", "--out", tmp_path / "exports").exit_code == 0
    built = (tmp_path / "exports" / "graph.html").read_bytes()
    (tmp_path / "mine").mkdir()
    into_exports = tmp_path / "mine" / "graph.html"
    into_exports.symlink_to(tmp_path / "exports" / "graph.html")
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    assert run("viz", "--output", into_exports, "--open").exit_code == 0
    assert (tmp_path / "exports" / "graph.html").read_bytes() == built
    assert opened == [(tmp_path / "exports" / "graph.html").as_uri()]
    (tmp_path / "alone").mkdir()
    out_of_exports = tmp_path / "exports" / "alone.html"
    out_of_exports.symlink_to(tmp_path / "alone" / "graph.html")
    assert run("viz", "--output", out_of_exports).exit_code == 0
    assert page_data((tmp_path / "alone" / "graph.html").read_bytes())["home"] is None


def test_viz_focus_type_lang(tmp_path: Path):
    out = tmp_path / "t.html"
    assert run("viz", "--focus", "Trainium3", "--depth", "1", "--type", "Hardware", "-o", out).exit_code == 0
    data = page_data(out.read_bytes())
    assert data["focus"] == str(KGR.trainium3)
    assert {n["group"] for n in data["nodes"]} == {"kg:Chip", "kg:ServerSystem"}
    assert run("viz", "--type", "芯片", "--type", "Company", "--lang", "zh", "-o", out).exit_code == 0
    data = page_data(out.read_bytes())
    assert data["lang"] == "zh"
    assert {c["id"] for c in data["classes"]} == {"kg:Chip", "kg:Company"}
    assert next(n for n in data["nodes"] if n["id"] == str(KGR.aws))["label"] == "亚马逊云科技"
    assert "<title>图中的芯片、公司</title>" in out.read_text(encoding="utf-8")


def test_viz_errors(tmp_path: Path):
    out = tmp_path / "x.html"
    missing = run("viz", "--focus", "Trainum3", "-o", out)
    assert missing.exit_code == 1
    assert "did you mean: " in missing.stderr and "Trainium3" in missing.stderr
    assert run("viz", "--depth", "2", "-o", out).exit_code == 2
    assert run("viz", "--type", "Bogus", "-o", out).exit_code == 2
    assert run("viz", "--focus", "AWS", "--type", "Chip", "-o", out).exit_code == 2
    # a focus that is no entity: there is no --type to drop
    section = run("viz", "--focus", "src:sony", "-o", out)
    assert section.exit_code == 2 and section.stderr == (
        "Error: src:sony is not an entity (a kg:Entity), so it is not drawn; pick another\n"
    )
    companies = tmp_path / "companies.html"
    twice = run("viz", "--type", "Company", "--type", "company", "-o", companies)  # one class, named twice
    assert twice.exit_code == 0 and "<title>Company in the graph</title>" in companies.read_text(encoding="utf-8")
    assert run("viz", "--depth", "-1", "--focus", "AWS", "-o", out).exit_code == 2
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = run("viz", "-o", blocked / "g.html")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {blocked} is a file, not a folder; pass another --output FILE\n"
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "entities"),
    [
        ([], 102),  # the whole graph: counted before it is projected
        (["--type", "Company"], 14),
        (["--focus", "AWS", "--depth", "2"], 83),  # a part: counted once drawn, before the page is rendered
    ],
)
def test_viz_refuses_more_entities_than_max_entities(tmp_path: Path, args: list[str], entities: int):
    out = tmp_path / "x.html"
    refused = run("viz", *args, "--max-entities", str(entities - 1), "-o", out)
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"Error: the page would draw {entities} entities, more than --max-entities {entities - 1}: draw a part "
        "with --focus NAME --depth N or --type CLASS, or raise --max-entities\n"
    )
    assert not out.exists()
    drawn = run("viz", *args, "--max-entities", str(entities), "-o", out)
    assert drawn.exit_code == 0, drawn.output
    assert f"({entities} entities, " in drawn.stderr if not args else f"({entities} of 102 entities, " in drawn.stderr


@pytest.mark.parametrize(
    ("args", "said", "part"),
    [
        ([], "102 entities, 184 relations", None),
        (
            ["--focus", "Trainium3", "--depth", "2", "--type", "Hardware"],
            "5 of 102 entities, 6 of 184 relations",
            {
                "entities": 102,
                "relations": 184,
                "types": [["Hardware", "硬件"]],
                "focus": ["Trainium3"] * 2,
                "depth": 2,
            },
        ),
        (
            ["--focus", "Trainium3", "--depth", "2"],  # the part around Trainium3 only is projected: counted apart
            "56 of 102 entities, 123 of 184 relations",
            {"entities": 102, "relations": 184, "types": [], "focus": ["Trainium3"] * 2, "depth": 2},
        ),
        (
            ["--type", "Company", "--type", "服务"],
            "26 of 102 entities, 28 of 184 relations",
            {
                "entities": 102,
                "relations": 184,
                "types": [["Company", "公司"], ["Service", "服务"]],
                "focus": None,
                "depth": 0,
            },
        ),
    ],
)
def test_viz_of_part_of_the_graph_says_what_it_leaves_out(tmp_path: Path, args: list[str], said: str, part):
    """A page of part of the graph said only how many entities it drew, as if they were all there were: the page
    and the command's line now say out of how many, and the page what chose them (viewer.js words it)."""
    out = tmp_path / "p.html"
    result = run("viz", *args, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"wrote {out} ({said}, ")
    assert page_data(out.read_bytes())["part"] == part


def test_the_whole_graph_is_counted_without_the_projection(loaded: LoadedGraph) -> None:
    from kgraph.analysis import project, whole_size  # noqa: PLC0415

    whole = project(loaded)
    assert whole_size(loaded) == (whole.number_of_nodes(), whole.number_of_edges()) == (102, 184)
    assert page.Context(loaded, around=(KGR.trainium3, 1)).size() == page.Context(loaded).size()


def test_viz_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    out = tmp_path / "g.html"
    assert run("viz", "--open", "-o", out).exit_code == 0
    assert opened == [out.resolve().as_uri()]


def test_templates_and_vis_network_are_found_from_the_package():
    assets = page._assets()
    assert assets["vis"].startswith("/**\n * vis-network")
    assert "kgViewer" in assets["js"]


# ------------------------------------------------------------------------------------------ a focus page, locally


def test_the_whole_graph_classes_and_relations_without_the_projection(loaded: LoadedGraph) -> None:
    from kgraph.analysis import classes_and_relations, project  # noqa: PLC0415

    whole = project(loaded)
    classes, linked = classes_and_relations(loaded)
    graph = loaded.graph
    assert {graph.namespace_manager.normalizeUri(c) for c in classes} == {a["cls"] for _n, a in whole.nodes(data=True)}
    assert {graph.namespace_manager.normalizeUri(p) for p in linked} == {k for _u, _v, k in whole.edges(keys=True)}


def test_the_whole_graph_classes_and_relations_are_cached(loaded: LoadedGraph, monkeypatch, tmp_path) -> None:
    """A focus page's legend reads the whole graph (seconds on a large store): once, then from kgraph's cache;
    a damaged entry is worked out again, and KGRAPH_NO_CACHE turns the cache off."""
    from kgraph import analysis, cache  # noqa: PLC0415

    monkeypatch.setenv("KGRAPH_CACHE_DIR", str(tmp_path))
    first = analysis.classes_and_relations(loaded)
    (entry,) = [p for p in tmp_path.iterdir() if p.name.startswith("classes-and-relations-")]
    worked_out = analysis._classes_and_relations

    def refuse(_loaded: LoadedGraph) -> None:
        raise AssertionError("read the graph again")

    monkeypatch.setattr(analysis, "_classes_and_relations", refuse)
    assert analysis.classes_and_relations(loaded) == first
    assert analysis.whole_size(loaded) == (102, 184)  # counted in the same pass, kept in the same entry
    entry.write_text('{"classes": 3}')
    monkeypatch.setattr(analysis, "_classes_and_relations", worked_out)
    assert analysis.classes_and_relations(loaded) == first
    assert cache.read(entry.name) is not None and b'"relations"' in cache.read(entry.name)
    monkeypatch.setenv("KGRAPH_NO_CACHE", "1")
    monkeypatch.setattr(analysis, "_classes_and_relations", refuse)
    with pytest.raises(AssertionError, match="read the graph again"):
        analysis.classes_and_relations(loaded)


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_a_focus_page_from_the_part_around_the_entity_is_the_same_page(loaded: LoadedGraph, depth: int) -> None:
    """kgraph viz --focus builds only the projection around the entity; the page must not change for it."""
    whole = page.Context(loaded)
    for name in ("trainium3", "sony", "amazon-bedrock", "aws", "pdf"):
        focus = KGR[name]
        expected = page.render_page(whole, select(loaded, focus=focus, depth=depth, whole=whole.full))
        local = page.Context(loaded, around=(focus, depth))
        view = select(loaded, focus=focus, depth=depth, whole=local.full)
        assert page.render_page(local, view) == expected, (name, depth)


def test_a_focus_page_makes_no_iri_of_a_literal(loaded: LoadedGraph, caplog: pytest.LogCaptureFixture) -> None:
    """Facts such as kg:distinction "the industry's first 3 nm AI chip" are texts: no step of a focus page may
    take one for an IRI (rdflib warns, on stderr, for each it is asked to make)."""
    caplog.set_level(logging.WARNING, logger="rdflib")
    for depth in (1, 2):
        local = page.Context(loaded, around=(KGR.trainium3, depth))
        data = page_data(page.render_page(local, select(loaded, focus=KGR.trainium3, depth=depth, whole=local.full)))
        assert ["distinction", "突出之处", "the industry's first 3 nm AI chip", "en"] in data["entities"][
            str(KGR.trainium3)
        ]["facts"]
    assert [r.getMessage() for r in caplog.records if r.name.startswith("rdflib")] == []


def test_a_fact_that_spells_an_entity_iri_is_still_a_fact(tmp_path: Path) -> None:
    """Only an IRI value can be a relation to an entity; a text that happens to spell one is a fact like any
    other, on a page of the whole graph and on a focus page alike."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "d.trig").write_text(
        PREFIXES
        + """
src:s a kg:SourceSection ; rdfs:label "S"@en ; kg:order 1 .
src:s {
    kgr:a a kg:Company ; rdfs:label "A"@en ; kg:distinction "https://w3id.org/kgraph/resource/b"@en ;
        prov:wasDerivedFrom src:s .
    kgr:b a kg:Company ; rdfs:label "B"@en ; kg:partnerOf kgr:a ; prov:wasDerivedFrom src:s .
}
""",
        encoding="utf-8",
    )
    loaded = load(data_dir=folder, ontology_dir=default_ontology_dir())
    fact = ["distinction", "突出之处", str(KGR.b), "en"]
    whole = page.Context(loaded)
    assert fact in page_data(page.render_page(whole, select(loaded)))["entities"][str(KGR.a)]["facts"]
    local = page.Context(loaded, around=(KGR.a, 1))
    view = select(loaded, focus=KGR.a, depth=1, whole=local.full)
    assert fact in page_data(page.render_page(local, view))["entities"][str(KGR.a)]["facts"]


def test_select_refuses_in_python_s_words(loaded):
    """kgraph.viewer.model.select named the command line's --type and --depth to a Python caller."""
    with pytest.raises(InputError) as raised:
        select(loaded, classes=[KG.Chip], focus=KGR.aws)
    assert str(raised.value) == "kgr:aws is not a Chip; leave out classes, or pick another focus"
    assert raised.value.cli_message == "kgr:aws is not a Chip; drop --type or pick another"
    with pytest.raises(InputError) as raised:
        select(loaded, focus=KGR.aws, depth=-1)
    assert (str(raised.value), raised.value.cli_message) == (
        "depth must be 0 or more, not -1",
        "--depth must be 0 or more, not -1",
    )


def test_the_screenshots_script_starts_chromium_as_the_browser_tests_do():
    """docs/screenshots.py keeps its own copy of the browser tests' Chromium flags (it runs where tests/ is not
    importable): it had fallen behind them, without --disable-component-update and --disable-sync."""
    script = Path(__file__).resolve().parent.parent / "docs" / "screenshots.py"
    assigned = {
        target.id: statement.value
        for statement in ast.parse(script.read_text(encoding="utf-8")).body
        if isinstance(statement, ast.Assign)
        for target in statement.targets
        if isinstance(target, ast.Name)
    }
    assert ast.literal_eval(assigned["FLAGS"]) == CHROMIUM_FLAGS

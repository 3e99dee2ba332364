"""exports/ontology.html: the ontology as a reference page (kgraph.export.ontology), and kgraph export ontology."""

from __future__ import annotations

import html.parser
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import OWL, RDF

from conftest import PREFIXES, both_ways, patterns_asked
from kgraph.cli import cli
from kgraph.export import ontology
from kgraph.names import local_name
from kgraph.store import LoadedGraph, load
from kgraph.viewer import render_exports
from kgraph.vocab import KG, ONTOLOGY_GRAPH

REPOSITORY = Path(__file__).resolve().parent.parent


class _Sections(html.parser.HTMLParser):
    """Each element's id, each link's href, and the text of each term's section, by its id."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.sections: dict[str, str] = {}
        self.scripts = 0
        self._open: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))
        if tag == "script":
            self.scripts += 1
        if self._open is not None:
            self.sections[self._open] += " "  # elements part words
        if tag == "section":
            if self._open is None:
                self._open = str(found["id"])
                self.sections[self._open] = ""
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._depth -= 1
            if self._depth == 0:
                self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.sections[self._open] += data


def parse(page: bytes) -> _Sections:
    parser = _Sections()
    parser.feed(page.decode("utf-8"))
    return parser


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def page(loaded: LoadedGraph) -> bytes:
    return ontology.render_page(loaded, home="index.html")


@pytest.fixture(scope="module")
def parsed(page: bytes) -> _Sections:
    return parse(page)


def declared(loaded: LoadedGraph) -> set[URIRef]:
    graph = loaded.dataset.graph(ONTOLOGY_GRAPH)
    return {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(str(KG))}


def test_every_term_of_the_ontology_has_one_section_under_its_local_name(loaded, parsed):
    terms = declared(loaded)
    assert len(terms) > 100
    assert sorted(parsed.sections) == sorted(local_name(t) for t in terms)
    assert len(parsed.ids) == len(set(parsed.ids))  # no anchor twice


def test_every_link_within_the_page_has_its_target_and_nothing_is_fetched(parsed):
    inside = [href[1:] for href in parsed.hrefs if href.startswith("#")]
    assert "Chip" in inside
    assert [target for target in inside if target not in parsed.ids] == []
    outside = sorted({href for href in parsed.hrefs if not href.startswith("#")})
    assert outside == ["https://www.apache.org/licenses/LICENSE-2.0", "index.html"]  # links, never loaded
    assert parsed.scripts == 0


def test_the_header_says_what_an_owl_user_looks_for(page):
    text = words(re.sub(r"<[^>]+>", " ", page.decode("utf-8").split("<nav", 1)[0]))
    for expected in (
        "kgraph ontology kgraph 本体",
        "IRI https://w3id.org/kgraph/ontology",
        "Version 版本 1",
        "Version IRI 版本 IRI https://w3id.org/kgraph/ontology/1",
        "Licence 许可证 https://www.apache.org/licenses/LICENSE-2.0",
        "Namespace 命名空间 https://w3id.org/kgraph/ontology#",
        "Prefix 前缀 kg:",
        # each count with its noun in the number it takes (it said "1 annotation properties")
        "34 classes, 64 object properties, 13 datatype properties, 1 annotation property, 32 named values",
    ):
        assert expected in text, text


def test_a_class_has_its_labels_definition_hierarchy_and_count(loaded, parsed):
    chip = words(parsed.sections["Chip"])
    assert chip.startswith("Chip 芯片 kg:Chip https://w3id.org/kgraph/ontology#Chip")
    assert "A processor or accelerator chip, or a line of such chips." in chip
    assert "处理器或加速器芯片，或同一系列的芯片。" in chip  # noqa: RUF001 - Chinese punctuation
    assert "Superclasses 父类 kg:Hardware" in chip
    chips = {s for s in loaded.graph.subjects(RDF.type, KG.Chip)}
    assert f"In the graph 图谱中 {len(chips)} members" in chip
    hardware = words(parsed.sections["Hardware"])
    assert "Subclasses 子类 kg:Chip, kg:ServerSystem" in hardware
    assert "Named values 命名值 kg:Audience, kg:BusinessMetric" in words(parsed.sections["FigureKind"])


def test_a_property_has_domain_range_hierarchy_inverse_and_characteristics(loaded, parsed):
    uses = words(parsed.sections["uses"])
    assert "Domain 定义域 kg:Entity Range 值域 kg:Entity" in uses
    assert "Super-properties 父属性 kg:relatedTo" in uses
    assert "Sub-properties 子属性 kg:builtOn, kg:poweredBy, kg:trainedOn" in uses
    assert "Inverse 逆属性 kg:usedBy" in uses
    assert "preferred direction 首选方向" in uses and "preferred direction" not in words(parsed.sections["usedBy"])
    assert "symmetric 对称" in words(parsed.sections["partnerOf"])
    assert "functional 函数型" in words(parsed.sections["value"])
    functional = {local_name(s) for s in loaded.graph.subjects(RDF.type, OWL.FunctionalProperty)}
    badged = {name for name, text in parsed.sections.items() if "functional 函数型" in words(text)}
    assert badged == {name for name in functional if name in parsed.sections}
    triples = len(set(loaded.graph.triples((None, KG.uses, None))))
    assert f"In the graph 图谱中 {triples:,} triples" in uses


def test_the_shapes_that_apply_to_a_term_are_shown_with_their_messages(parsed):
    unit = words(parsed.sections["unit"])
    assert "SHACL constraints SHACL 约束" in unit
    assert "kgsh:FigureShape sh:targetClass kg:Figure kg:unit sh:class kg:Unit ; sh:maxCount 1 ; sh:minCount 1" in unit
    assert "A figure needs exactly one kg:unit" in unit
    # a path read either way round applies to both properties
    for name in ("figureOf", "hasFigure"):
        assert "kg:figureOf|^kg:hasFigure" in words(parsed.sections[name]), name
    # a shape on the subjects of a property applies to it, and so does a SPARQL constraint
    assert "kgsh:AnnouncementShape sh:targetSubjectsOf kg:announcedAt kg:launchStatus" in words(
        parsed.sections["announcedAt"]
    )
    assert "SPARQL constraint (sh:sparql)" in words(parsed.sections["succeeds"])
    # a class the shapes target lists them; one they do not has no table
    assert "kgsh:FigureShape" in words(parsed.sections["Figure"])
    assert "SHACL" not in words(parsed.sections["Chip"])


def test_a_message_shows_what_its_placeholders_stand_for_not_sparql_variables(page):
    """A SPARQL constraint's message names the variables validation fills in (``{?other}``): the page showed them
    as written, which a reader of the rule cannot follow. Each is now a word in a box, the variable its title."""
    assert b'<span class="slot" title="{?other}">another entity</span>' in page
    text = re.sub(r"<[^>]*>", "", page.decode("utf-8"))  # the page's text, without tags or their attributes
    assert "succeeds another entity, which is not the same kind of thing (the classes that differ)" in text
    assert re.findall(r"\{[?$]\w+\}", text) == []


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        ("no placeholder", [("no placeholder", "")]),
        (
            "{$this} succeeds {?other}.",
            [("{$this}", "this entity"), (" succeeds ", ""), ("{?other}", "another entity"), (".", "")],
        ),
        (
            "from {?fromValue}{$value_max}",
            [("from ", ""), ("{?fromValue}", "from value"), ("{$value_max}", "value max")],
        ),
        ("{not one} {?}", [("{not one} {?}", "")]),
    ],
)
def test_a_message_is_cut_at_its_placeholders(message, parts):
    assert [(p.text, p.stands_for) for p in ontology.message_parts(message)] == parts


def test_same_graph_same_bytes_across_processes(page):
    script = (
        "import sys; from kgraph.store import load; from kgraph.export import ontology; "
        "sys.stdout.buffer.write(ontology.render_page(load(), home='index.html'))"
    )
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True, timeout=300).stdout
    assert other == page


def test_kgraph_build_writes_the_page_and_the_index_links_it(loaded, page):
    files = render_exports(loaded)
    assert files[ontology.FILE] == page
    assert b'<a href="ontology.html">The ontology</a>' in files["index.html"]
    assert (REPOSITORY / "exports" / ontology.FILE).read_bytes() == page  # committed up to date


def test_kgraph_export_ontology_writes_the_page_to_a_file_or_stdout(tmp_path, loaded):
    alone = ontology.render_page(loaded)
    assert b'href="index.html"' not in alone  # no viewer beside it to link
    result = CliRunner().invoke(cli, ["export", "ontology", "--output", str(tmp_path / "o.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o.html").read_bytes() == alone
    assert result.stderr == f"wrote {tmp_path / 'o.html'} ({len(alone):,} bytes)\n"
    result = CliRunner().invoke(cli, ["export", "ontology"])
    assert result.exit_code == 0
    assert result.stdout_bytes == alone


HOSTILE = (
    PREFIXES
    + """
kg:Entity a owl:Class ; rdfs:label "<script>alert(1)</script>"@en , "实体"@zh ;
    rdfs:comment "a & b <b>bold</b>"@en .
"""
)


def test_labels_are_text_and_an_ontology_without_a_header_still_has_a_page(make_kg):
    data_dir, ontology_dir = make_kg(
        {"d.ttl": PREFIXES + 'kgr:a a kg:Entity ; rdfs:label "A"@en .'}, {"kgraph.ttl": HOSTILE}, rules=False
    )
    page = ontology.render_page(load(data_dir, ontology_dir)).decode("utf-8")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a &amp; b &lt;b&gt;bold&lt;/b&gt;" in page
    assert '<section class="term class" id="Entity">' in page
    assert "<title>Ontology</title>" in page


def test_a_store_gives_the_page_the_graph_in_memory_gives(store_dir, page):
    from kgraph import persist  # noqa: PLC0415 - pyoxigraph only here

    with persist.open_store(store_dir) as stored:
        assert ontology.render_page(stored, home="index.html") == page


#: A chip stated in two sections (its type and its maker twice), a model trained on it, and what the rules infer
#: from them (the super-classes, the inverses, the super-properties).
TWICE = (
    PREFIXES
    + """
src:section-a {
    kgr:trn a kg:Chip ; kg:developedBy kgr:aws .
    kgr:aws a kg:Company .
    kgr:model a kg:AIModel ; kg:trainedOn kgr:trn .
}
src:section-b {
    kgr:trn a kg:Chip ; kg:developedBy kgr:aws .
}
"""
)


def counts(loaded: LoadedGraph) -> dict[str, int]:
    """The count the page shows of each class and property, by its local name (those the graph uses)."""
    context = ontology.page_context(loaded)
    groups = context["groups"]
    terms = [*context["classes"], *(term for group in groups for term in group["terms"])]
    return {term.anchor: term.count for term in terms if term.count}


def test_a_store_counts_a_triple_two_sections_state_once_as_in_memory(make_kg, tmp_path, monkeypatch):
    """On a store the counts are two SPARQL queries over the flat graph (the union of the named graphs would count
    the chip and its maker twice), not a look-up per term of every triple that uses it (20.7 s at 2.4M triples)."""
    in_memory, stored = both_ways(*make_kg({"d.trig": TWICE}), tmp_path / "store")
    patterns = patterns_asked(monkeypatch)
    with stored:
        assert counts(stored) == counts(in_memory)
    assert [p for p in patterns if p[1] is not None] == []  # no look-up by class or property
    assert counts(in_memory) == {
        "Chip": 1,
        "Hardware": 1,
        "Product": 2,
        "AIModel": 1,
        "Company": 1,
        "Organization": 1,
        "Entity": 3,
        "developedBy": 1,
        "developed": 1,
        "trainedOn": 1,
        "trained": 1,
        "uses": 1,
        "usedBy": 1,
        "relatedTo": 4,
    }

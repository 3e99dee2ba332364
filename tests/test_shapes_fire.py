"""Every constraint of the bundled shapes can fire: a minimal graph that breaks it, and the message it gives.

An ontologist who reuses ontology/kgraph.ttl and ontology/shapes.ttl needs to know that each rule is live: a
constraint whose target never matches, or whose message is pySHACL's own, checks nothing a user can act on. One
graph holds every case below, each on its own node, and is validated once; each case then looks for its result.
"""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from conftest import PREFIXES
from kgraph.cli import cli
from kgraph.resources import default_data_dir, default_ontology_dir
from kgraph.store import load
from kgraph.validation import ValidationReport, validate
from kgraph.vocab import KG, SH

KGSH = Namespace("https://w3id.org/kgraph/shapes#")

SECTION = """
src:document a kg:SourceDocument ; dcterms:title "Doc"@en ; rdfs:label "Doc"@en , "文档"@zh .
src:s a kg:SourceSection ; rdfs:label "Section"@en , "章节"@zh ; dcterms:title "章节"@zh ; kg:order 1 ;
    dcterms:isPartOf src:document .
"""

# Shorthand for a node that passes the labelled and entity shapes: {name} is its local name.
OK = """rdfs:label "{name}"@en , "{name}中"@zh ; schema:description "About {name}."@en ;
    prov:wasDerivedFrom src:s"""

#: Figures share what a figure needs; a case leaves out or doubles one part of it.
FIGURE = """rdfs:label "{name}"@en , "{name}中"@zh ; prov:wasDerivedFrom src:s ; kg:metric "things"@en ;
    kg:figureOf kgr:acme ; kg:figureKind kg:UsageScale"""


def _ok(name: str) -> str:
    return OK.format(name=name)


def _figure(name: str) -> str:
    return FIGURE.format(name=name)


# (id, the triples inside the section's graph, the focus node, the message the report gives for it)
CASES: list[tuple[str, str, str, str]] = [
    # LabelledShape
    (
        "label without language",
        f'kgr:l1 a kg:Company ; {_ok("L1")} ; rdfs:label "L one" .',
        "kgr:l1",
        "Every label needs a language tag (@en or @zh); add one.",
    ),
    (
        "two English labels",
        f'kgr:l2 a kg:Company ; {_ok("L2")} ; rdfs:label "L two"@en .',
        "kgr:l2",
        "Needs exactly one English label",
    ),
    (
        "no Chinese label",
        'kgr:l3 a kg:Company ; rdfs:label "L3"@en ; schema:description "x"@en ; prov:wasDerivedFrom src:s .',
        "kgr:l3",
        "Needs a Chinese label",
    ),
    (
        "no provenance",
        'kgr:l4 a kg:Company ; rdfs:label "L4"@en , "L4中"@zh ; schema:description "x"@en .',
        "kgr:l4",
        "Needs provenance",
    ),
    ("provenance not a section", f"kgr:l5 a kg:Company ; {_ok('L5')} , kgr:acme .", "kgr:l5", "Needs provenance"),
    # EntityShape
    (
        "two English descriptions",
        f'kgr:e1 a kg:Company ; {_ok("E1")} ; schema:description "Again."@en .',
        "kgr:e1",
        "Descriptions need a language tag, at most one per language.",
    ),
    (
        "no English description",
        'kgr:e2 a kg:Company ; rdfs:label "E2"@en , "E2中"@zh ; '
        'schema:description "中文"@zh ; prov:wasDerivedFrom src:s .',
        "kgr:e2",
        "Needs an English description",
    ),
    (
        "alternative label without language",
        f'kgr:e3 a kg:Company ; {_ok("E3")} ; skos:altLabel "E three" .',
        "kgr:e3",
        "Alternative labels need a language tag.",
    ),
    # SameLabelShape (kgraph's own check, reported from the shape)
    (
        "two entities of one name",
        f"kgr:same1 a kg:Company ; {_ok('Same')} . kgr:same2 a kg:Company ; "
        f'rdfs:label "same"@en , "同"@zh ; schema:description "x"@en ; prov:wasDerivedFrom src:s .',
        "kgr:same1",
        "Another entity has the same label",
    ),
    # TypedShape
    (
        "resource without a class",
        f"kgr:t1 a kg:Company ; {_ok('T1')} ; kg:partnerOf kgr:untyped .",
        "kgr:untyped",
        "Has no class from the ontology",
    ),
    # DeclaredTermShape
    (
        "kg: name the ontology lacks",
        f"kgr:d1 a kg:Company ; {_ok('D1')} ; kg:partnerOff kgr:acme .",
        "kgr:d1",
        "Uses a kg: name the ontology does not declare",
    ),
    # MisspeltTermShape (kgraph's own check, reported from the shape)
    (
        "property of another vocabulary misspelt",
        f'kgr:m1 a kg:Company ; {_ok("M1")} ; skos:altlabel "M one"@en .',
        "kgr:m1",
        "Uses a property or class that the ontology neither declares nor uses",
    ),
    # SucceedsShape
    (
        "succeeds a product of another class",
        f"kgr:chip2 a kg:Chip ; {_ok('Chip2')} ; kg:succeeds kgr:model1 . kgr:model1 a kg:AIModel ; {_ok('Model1')} .",
        "kgr:chip2",
        "which is not the same kind of thing",
    ),
    (
        "succession loop",
        f"kgr:loop1 a kg:Chip ; {_ok('Loop1')} ; kg:succeeds kgr:loop2 . "
        f"kgr:loop2 a kg:Chip ; {_ok('Loop2')} ; kg:succeeds kgr:loop1 .",
        "kgr:loop1",
        "A succession line loops back to this product",
    ),
    # AnnouncementShape
    (
        "announced without a launch status",
        f"kgr:a1 a kg:Service ; {_ok('A1')} ; kg:announcedAt kgr:event .",
        "kgr:a1",
        "An announced product needs one kg:launchStatus",
    ),
    # LaunchStatusShape
    (
        "launch status without an announcement",
        f"kgr:a2 a kg:Service ; {_ok('A2')} ; kg:launchStatus kg:Preview .",
        "kgr:a2",
        "A kg:launchStatus says what an announcement made of the product",
    ),
    # EmploymentShape
    (
        "works for without a job title",
        f"kgr:p1 a kg:Person ; {_ok('P1')} ; kg:worksFor kgr:acme .",
        "kgr:p1",
        "needs an English kg:jobTitle",
    ),
    # FigureShape
    (
        "figure without a value",
        f"kgf:f1 a kg:Figure ; {_figure('F1')} ; kg:unit kg:Count .",
        "kgf:f1",
        "A figure needs exactly one numeric kg:value",
    ),
    (
        "figure with a text value",
        f'kgf:f2 a kg:Figure ; {_figure("F2")} ; kg:unit kg:Count ; kg:value "3" .',
        "kgf:f2",
        "A figure needs exactly one numeric kg:value",
    ),
    (
        "figure without a unit",
        f"kgf:f3 a kg:Figure ; {_figure('F3')} ; kg:value 3 .",
        "kgf:f3",
        "A figure needs exactly one kg:unit",
    ),
    (
        "figure about nothing",
        'kgf:f4 a kg:Figure ; rdfs:label "F4"@en , "F4中"@zh ; prov:wasDerivedFrom src:s ; '
        'kg:metric "things"@en ; kg:figureKind kg:UsageScale ; kg:value 3 ; kg:unit kg:Count .',
        "kgf:f4",
        "A figure must say what it is about",
    ),
    (
        "figure without a metric",
        'kgf:f5 a kg:Figure ; rdfs:label "F5"@en , "F5中"@zh ; prov:wasDerivedFrom src:s ;'
        " kg:figureOf kgr:acme ; kg:figureKind kg:UsageScale ; kg:value 3 ; kg:unit kg:Count .",
        "kgf:f5",
        "A figure must say what it measures",
    ),
    (
        "figure without a kind",
        'kgf:f6 a kg:Figure ; rdfs:label "F6"@en , "F6中"@zh ; prov:wasDerivedFrom src:s ; '
        'kg:metric "things"@en ; kg:figureOf kgr:acme ; kg:value 3 ; kg:unit kg:Count .',
        "kgf:f6",
        "A figure needs one kg:figureKind",
    ),
    (
        "figure with two bounds",
        f"kgf:f7 a kg:Figure ; {_figure('F7')} ; kg:value 3 ; kg:unit kg:Count ; kg:bound kg:MoreThan , kg:UpTo .",
        "kgf:f7",
        "A figure has at most one kg:bound",
    ),
    (
        "two values before",
        f"kgf:f8 a kg:Figure ; {_figure('F8')} ; kg:value 3 ; kg:unit kg:Count ; "
        "kg:fromValue 1 , 2 ; kg:fromUnit kg:Count .",
        "kgf:f8",
        "A figure has at most one kg:fromValue.",
    ),
    (
        "two upper ends before",
        f"kgf:f9 a kg:Figure ; {_figure('F9')} ; kg:value 3 ; kg:unit kg:Count ; "
        "kg:fromValue 1 ; kg:fromValueMax 2 , 3 ; kg:fromUnit kg:Count .",
        "kgf:f9",
        "A figure has at most one kg:fromValueMax.",
    ),
    (
        "two units before",
        f"kgf:f10 a kg:Figure ; {_figure('F10')} ; kg:value 3 ; kg:unit kg:Count ; "
        "kg:fromValue 1 ; kg:fromUnit kg:Count , kg:Percent .",
        "kgf:f10",
        "A figure has at most one kg:fromUnit.",
    ),
    (
        "range before upside down",
        f"kgf:f11 a kg:Figure ; {_figure('F11')} ; kg:value 3 ; kg:unit kg:Count ; "
        "kg:fromValue 5 ; kg:fromValueMax 2 ; kg:fromUnit kg:Count .",
        "kgf:f11",
        "kg:fromValueMax is below kg:fromValue",
    ),
    (
        "value before without its unit",
        f"kgf:f12 a kg:Figure ; {_figure('F12')} ; kg:value 3 ; kg:unit kg:Count ; kg:fromValue 1 .",
        "kgf:f12",
        "needs both kg:fromValue and kg:fromUnit",
    ),
    (
        "figure without a label",
        'kgf:f13 a kg:Figure ; prov:wasDerivedFrom src:s ; kg:metric "things"@en ; '
        "kg:figureOf kgr:acme ; kg:figureKind kg:UsageScale ; kg:value 3 ; kg:unit kg:Count .",
        "kgf:f13",
        "Needs exactly one English label",
    ),
    (
        "figure with two periods",
        f"kgf:f14 a kg:Figure ; {_figure('F14')} ; kg:value 3 ; kg:unit kg:Count ; kg:perPeriod kg:Day , kg:Year .",
        "kgf:f14",
        "A figure has at most one kg:perPeriod",
    ),
    # SourceSectionShape
    (
        "section without a title",
        'src:x1 a kg:SourceSection ; rdfs:label "X1"@en ; kg:order 2 ; dcterms:isPartOf src:document .',
        "src:x1",
        "A section needs its title as written in the source",
    ),
    (
        "section with two English labels",
        'src:x2 a kg:SourceSection ; rdfs:label "X2"@en , "X two"@en ; '
        'dcterms:title "X2" ; kg:order 2 ; dcterms:isPartOf src:document .',
        "src:x2",
        "A section needs exactly one English label.",
    ),
    (
        "section without its order",
        'src:x3 a kg:SourceSection ; rdfs:label "X3"@en ; dcterms:title "X3" ; dcterms:isPartOf src:document .',
        "src:x3",
        "A section needs its position in the document",
    ),
    (
        "section outside a document",
        'src:x4 a kg:SourceSection ; rdfs:label "X4"@en ; dcterms:title "X4" ; kg:order 2 .',
        "src:x4",
        "A section must be dcterms:isPartOf its kg:SourceDocument.",
    ),
    (
        "section with two start times",
        'src:x5 a kg:SourceSection ; rdfs:label "X5"@en ; dcterms:title "X5" ; '
        'kg:order 2 ; dcterms:isPartOf src:document ; kg:startTime "PT1M"^^xsd:duration , "PT2M"^^xsd:duration .',
        "src:x5",
        "A section has at most one kg:startTime",
    ),
    (
        "section with two end times",
        'src:x6 a kg:SourceSection ; rdfs:label "X6"@en ; dcterms:title "X6" ; '
        'kg:order 2 ; dcterms:isPartOf src:document ; kg:startTime "PT1M"^^xsd:duration ; '
        'kg:endTime "PT3M"^^xsd:duration , "PT4M"^^xsd:duration .',
        "src:x6",
        "A section has at most one kg:endTime",
    ),
    (
        "section ends before it starts",
        'src:x7 a kg:SourceSection ; rdfs:label "X7"@en ; dcterms:title "X7" ; '
        'kg:order 2 ; dcterms:isPartOf src:document ; kg:startTime "PT5M"^^xsd:duration ; '
        'kg:endTime "PT4M"^^xsd:duration .',
        "src:x7",
        "kg:endTime is not after kg:startTime",
    ),
    (
        "section ends but never starts",
        'src:x8 a kg:SourceSection ; rdfs:label "X8"@en ; dcterms:title "X8" ; '
        'kg:order 2 ; dcterms:isPartOf src:document ; kg:endTime "PT4M"^^xsd:duration .',
        "src:x8",
        "A section with kg:endTime needs kg:startTime.",
    ),
    (
        "section with two time ranges",
        'src:x10 a kg:SourceSection ; rdfs:label "X10"@en ; dcterms:title "X10" ; '
        'kg:order 2 ; dcterms:isPartOf src:document ; kg:timeRange "01:00 - 02:00" , "03:00 - 04:00" .',
        "src:x10",
        "A section has at most one kg:timeRange",
    ),
    # TimeRangeShape (a warning)
    (
        "time range against the offsets",
        'src:x9 a kg:SourceSection ; rdfs:label "X9"@en ; dcterms:title "X9" ; '
        'kg:order 2 ; dcterms:isPartOf src:document ; kg:startTime "PT1M"^^xsd:duration ; '
        'kg:endTime "PT2M"^^xsd:duration ; kg:timeRange "05:00 - 06:00" .',
        "src:x9",
        "is not what kg:startTime and kg:endTime say",
    ),
    # SourceDocumentShape
    (
        "document without a title",
        'src:doc2 a kg:SourceDocument ; rdfs:label "Doc2"@en .',
        "src:doc2",
        "A source document needs a title (dcterms:title).",
    ),
    (
        "document with two digests",
        f'src:doc3 a kg:SourceDocument ; dcterms:title "Doc3" ; kg:sha256 "{"a" * 64}" , "{"b" * 64}" .',
        "src:doc3",
        "A source document has at most one kg:sha256",
    ),
    (
        "digest that is no SHA-256",
        'src:doc4 a kg:SourceDocument ; dcterms:title "Doc4" ; kg:sha256 "b7fa31e5" .',
        "src:doc4",
        "A source document has at most one kg:sha256",
    ),
]

BASE = f"""kgr:acme a kg:Company ; {_ok("Acme")} .
kgr:event a kg:Event ; {_ok("Event")} ; kg:announced kgr:announced .
kgr:announced a kg:Service ; {_ok("Announced")} ; kg:launchStatus kg:Launched .
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> ValidationReport:
    folder = tmp_path_factory.mktemp("fire")
    data, ontology = folder / "data", folder / "ontology"
    data.mkdir()
    ontology.mkdir()
    for name in ("kgraph.ttl", "shapes.ttl"):
        (ontology / name).write_bytes((default_ontology_dir() / name).read_bytes())
    (ontology / "rules").mkdir()
    for rule in (default_ontology_dir() / "rules").glob("*.rq"):
        (ontology / "rules" / rule.name).write_bytes(rule.read_bytes())
    body = "\n".join(triples for _, triples, _, _ in CASES)
    text = PREFIXES + "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
    text += "src:document {" + SECTION + "}\nsrc:s {\n" + BASE + body + "\n}\n"
    (data / "cases.trig").write_text(text, encoding="utf-8")
    return validate(load(data, ontology))


def test_the_base_graph_conforms(tmp_path):
    data, ontology = tmp_path / "data", default_ontology_dir()
    data.mkdir()
    text = PREFIXES + "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
    (data / "base.trig").write_text(text + "src:document {" + SECTION + "}\nsrc:s {\n" + BASE + "}\n", "utf-8")
    result = validate(load(data, ontology))
    assert result.results == ()


@pytest.mark.parametrize(("case", "focus", "message"), [(c[0], c[2], c[3]) for c in CASES], ids=[c[0] for c in CASES])
def test_a_constraint_fires_with_its_message(report, case, focus, message):
    found = [r for r in report.results if r.focus == focus]
    assert any(message in r.message for r in found), [(r.constraint, r.message) for r in found]


def test_every_message_of_the_shapes_file_is_given_by_a_case(report):
    """A constraint added to shapes.ttl without a case here fails this test: add one above."""
    shapes = Graph().parse(default_ontology_dir() / "shapes.ttl", format="turtle")
    given = {r.message for r in report.results}
    # kgraph checks names itself and words the result with both entities (kgraph.validation)
    own = set(shapes.objects(KGSH.SameLabelShape, SH.message))
    for message in {str(m) for m in shapes.objects(None, SH.message) if m not in own}:
        pattern = re.escape(message)
        pattern = re.sub(r"\\\{\\\?\w+\\\}", ".*", pattern)
        assert any(re.fullmatch(pattern, text, re.DOTALL) for text in given), message


def test_every_constraint_of_the_shapes_file_has_a_message():
    """pySHACL's own words (``More than 1 values on src:x->kg:startTime``) say what broke, not what to do."""
    shapes = Graph().parse(default_ontology_dir() / "shapes.ttl", format="turtle")
    constraints = {
        SH.minCount,
        SH.maxCount,
        SH.datatype,
        SH["class"],
        SH.lessThan,
        SH.lessThanOrEquals,
        SH.uniqueLang,
        SH.qualifiedMinCount,
        SH.qualifiedMaxCount,
    }
    # the shapes inside an sh:or (the branches of one message) speak through the node shape's message
    branches = set()
    for head in shapes.objects(None, SH["or"]):
        for branch in shapes.items(head):
            branches |= set(shapes.objects(branch, SH.property))
    silent = [
        p
        for shape in set(shapes.subjects(SH.path, None)) - branches
        if (shape, SH.message, None) not in shapes and any((shape, c, None) in shapes for c in constraints)
        for p in [shapes.value(shape, SH.path)]
    ]
    assert silent == []


def _derived_cases(ontology: Graph) -> list[tuple[str, URIRef, URIRef]]:
    cases = []
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in sorted(ontology.subjects(RDF.type, kind)):
            for side in (RDFS.domain, RDFS.range):
                for cls in ontology.objects(prop, side):
                    cases.append((f"{prop.removeprefix(str(KG))} {side.removeprefix(str(RDFS))}", prop, cls))
    return cases


_ONTOLOGY = Graph().parse(default_ontology_dir() / "kgraph.ttl", format="turtle")
_DERIVED = _derived_cases(_ONTOLOGY)


def _outsider(prop: URIRef) -> URIRef:
    """A class outside the domain and range of ``prop``, with no sub-class or super-class in the ontology."""
    kinds = set(_ONTOLOGY.objects(prop, RDFS.domain)) | set(_ONTOLOGY.objects(prop, RDFS.range))
    return KG.Modality if KG.Bound in kinds else KG.Bound


@pytest.fixture(scope="module")
def derived_report(tmp_path_factory) -> ValidationReport:
    """One subject per property of the ontology with a domain or range, of a class outside both, pointing at a
    node of that class, or at a boolean literal for a datatype property."""
    folder = tmp_path_factory.mktemp("derived")
    data = folder / "data"
    data.mkdir()
    lines = []
    for number, (_, prop, _) in enumerate(_DERIVED):
        outsider = _outsider(prop).n3()
        if (prop, RDF.type, OWL.DatatypeProperty) in _ONTOLOGY:
            value = Literal(True).n3()
        else:
            value = f"kgr:target{number}"
            lines.append(f"{value} a {outsider} .")
        lines.append(f"kgr:wrong{number} a {outsider} ; {prop.n3()} {value} .")
    text = PREFIXES + "src:s {\n" + "\n".join(lines) + "\n}\n"
    (data / "wrong.trig").write_text(text, encoding="utf-8")
    return validate(load(data, default_ontology_dir()))


@pytest.mark.parametrize(("case", "prop", "cls"), _DERIVED, ids=[c[0] for c in _DERIVED])
def test_a_derived_domain_or_range_shape_fires(derived_report, case, prop, cls):
    """kgraph derives a domain and a range shape from each property's rdfs:domain and rdfs:range
    (kgraph.shapes.relation_shapes): each fires on a node of another class, and names the property."""
    number = _DERIVED.index((case, prop, cls))
    name = f"kg:{prop.removeprefix(str(KG))}"
    found = [r.message for r in derived_report.results if r.focus == f"kgr:wrong{number}"]
    if case.endswith("domain"):
        expected = f"{name} may only be used on a "
    elif (prop, RDF.type, OWL.DatatypeProperty) in _ONTOLOGY:
        expected = f"{name} must hold a"
    else:
        expected = f"{name} must point to a "
    assert any(m.startswith(expected) for m in found), found


def test_kgraph_validate_prints_the_message_of_a_broken_rule(tmp_path):
    """The command line reports what the cases above check through the API: a second kg:timeRange on a section
    of the bundled data passed `kgraph validate`, and the section's printed range was either of the two."""
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    (data / "zz-range.trig").write_text(
        PREFIXES + 'src:document { src:closing kg:timeRange "1:40:00 - end" . }', "utf-8"
    )
    result = CliRunner().invoke(cli, ["--data", str(data), "validate"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout == (
        "Violation: Closing (src:closing)\n"
        "  rule:    kg:timeRange sh:maxCount 1\n"
        "  message: A section has at most one kg:timeRange; show, stats and the viewer print one of them.\n"
        f"  where:   {data}/00-source.trig:115, {data}/zz-range.trig:13\n"
        '  fix:     keep at most 1 kg:timeRange value (now "1:35:00 - end" and "1:40:00 - end"); remove others\n'
        "\n"
        "Warning: Closing (src:closing)\n"
        "  rule:    sh:sparql  [shape kgsh:TimeRangeShape]\n"
        '  message: kg:timeRange "1:40:00 - end" is not what kg:startTime and kg:endTime say (PT1H35M to the end);'
        " show, stats and the viewer print kg:timeRange as written.\n"
        '  value:   "1:40:00 - end"\n'
        f"  where:   {data}/zz-range.trig:13\n"  # a rule with no path, with a value: the line that states it
        "  fix:     correct kg:timeRange or the times so that they agree, or remove kg:timeRange to have it derived "
        "from the times\n"
        "\n"
        "Conforms: no (1 violation, 1 warning, 0 infos)\n"
    )

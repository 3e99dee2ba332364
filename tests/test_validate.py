"""kgraph.validation: SHACL validation and its report, with shapes and data written inline."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from conftest import MINI_ONTOLOGY, PREFIXES, both_ways
from kgraph import validation
from kgraph.errors import DataSyntaxError, InputError
from kgraph.oxstore import sparql
from kgraph.resources import default_data_dir, default_ontology_dir
from kgraph.store import load
from kgraph.validation import ValidationResult, declared_term_fix, shapes_graph, validate, validation_graph
from kgraph.vocab import KG, KGR, KGSH, SCHEMA, SH

SHAPES = (
    PREFIXES
    + """
kg:CompanyShape a sh:NodeShape ;
    sh:targetClass kg:Organization ;
    sh:property [
        sh:path rdfs:label ; sh:minCount 1 ;
        sh:message "An organization needs a label." ;
    ] , [
        sh:path kg:partnerOf ; sh:class kg:Organization ;
    ] , [
        sh:path skos:altLabel ; sh:minCount 1 ; sh:severity sh:Warning ;
        sh:message "An alt label helps people find it." ;
    ] .
"""
)

GOOD = (
    PREFIXES
    + """
src:s {
    kgr:acme a kg:Company ; rdfs:label "Acme"@en ; skos:altLabel "ACME"@en .
    kgr:globex a kg:Company ; rdfs:label "Globex"@en ; skos:altLabel "GBX"@en ; kg:partnerOf kgr:acme .
}
"""
)

BAD = (
    PREFIXES
    + """
src:s {
    kgr:acme a kg:Company ; skos:altLabel "ACME"@en ; kg:partnerOf kgr:chip .
    kgr:chip a kg:Chip ; rdfs:label "Chip"@en .
    kgr:zeta a kg:Company ; rdfs:label "Zeta"@en .
}
"""
)


def _validate(make_kg, data: str, shapes: str = SHAPES):
    data_dir, ontology_dir = make_kg({"d.trig": data}, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": shapes})
    return validate(load(data_dir, ontology_dir))


def _validated(where: str, make_kg, folder: Path, data: str, ontology: dict[str, str]) -> validation.ValidationReport:
    """The report on ``data`` (a TriG file) with ``ontology`` (a name: its text), loaded in memory or, where
    ``where`` is "store", from a store built under ``folder``."""
    data_dir, ontology_dir = make_kg({"d.trig": data}, ontology)
    loaded = load(data_dir, ontology_dir) if where == "memory" else both_ways(data_dir, ontology_dir, folder / "s")[1]
    return validate(loaded)


def test_conforming_data(make_kg):
    report = _validate(make_kg, GOOD)
    assert report.conforms
    assert report.results == ()
    assert report.shapes_file is not None
    assert report.shapes_file.name == "shapes.ttl"


def test_violations_say_entity_rule_and_fix(make_kg, in_tmp):
    report = _validate(make_kg, BAD)
    assert not report.conforms
    assert [result.where for result in report.results] == ["data/d.trig:15", "data/d.trig:15", "data/d.trig:17"]
    assert tuple(dataclasses.replace(result, where="") for result in report.results) == (
        ValidationResult(
            severity="Violation",
            focus="kgr:acme",
            focus_label="",
            path="kg:partnerOf",
            constraint="sh:class kg:Organization",
            message="Value does not have class kg:Organization",
            value="kgr:chip",
            fix="point kg:partnerOf at a kg:Organization, or give kgr:chip the class kg:Organization",
            shape="",
        ),
        ValidationResult(
            severity="Violation",
            focus="kgr:acme",
            focus_label="",
            path="rdfs:label",
            constraint="sh:minCount 1",
            message="An organization needs a label.",
            value="",
            fix="add rdfs:label (at least 1 value)",
            shape="",
        ),
        ValidationResult(
            severity="Warning",
            focus="kgr:zeta",
            focus_label="Zeta",
            path="skos:altLabel",
            constraint="sh:minCount 1",
            message="An alt label helps people find it.",
            value="",
            fix="add skos:altLabel (at least 1 value)",
            shape="",
        ),
    )
    assert report.count("Violation") == 2
    assert report.count("Warning") == 1


def test_warnings_alone_conform(make_kg):
    data = GOOD.replace('skos:altLabel "GBX"@en ;', "")
    report = _validate(make_kg, data)
    assert report.conforms
    assert [(r.severity, r.focus_label) for r in report.results] == [("Warning", "Globex")]


def test_a_violation_fails_whatever_the_severity_of_its_node_shape(make_kg, tmp_path):
    """A property shape (severity Violation, the default) inside a node shape marked sh:Warning: pySHACL, allowed
    warnings, judged by the node shape and said the data conformed, so `kgraph validate` printed "Conforms: yes
    (5 violations, ...)" and exited 0. Only results decide now, in memory and on a store."""
    from kgraph import persist  # noqa: PLC0415
    from kgraph.vocab import SH  # noqa: PLC0415

    shapes = SHAPES.replace(
        "kg:CompanyShape a sh:NodeShape ;", "kg:CompanyShape a sh:NodeShape ; sh:severity sh:Warning ;"
    )
    data = GOOD.replace('rdfs:label "Globex"@en ;', "")  # a label missing: a Violation of the property shape
    data_dir, ontology_dir = make_kg({"d.trig": data}, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": shapes})
    persist.build(tmp_path / "store", data_dir, ontology_dir)
    for loaded in (load(data_dir, ontology_dir), persist.open_store(tmp_path / "store")):
        report = validate(loaded)
        assert [(r.severity, r.focus) for r in report.results] == [("Violation", "kgr:globex")]
        assert not report.conforms
        assert set(report.graph.objects(None, SH.conforms)) == {Literal(False)}


def _no_self_partner(select: str) -> str:
    """Shapes with one SHACL-SPARQL constraint, ``select``, that reports an organization partnering itself."""
    return (
        PREFIXES
        + f"""
kg:NoSelfPartner a sh:NodeShape ;
    sh:targetSubjectsOf kg:partnerOf ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "partners with itself" ; sh:select \"""{select}\""" ] .
"""
    )


def test_named_shape_and_sparql_constraint(make_kg):
    shapes = _no_self_partner("SELECT $this WHERE { $this <https://w3id.org/kgraph/ontology#partnerOf> $this . }")
    data = PREFIXES + 'src:s { kgr:acme a kg:Company ; rdfs:label "Acme"@en ; kg:partnerOf kgr:acme . }'
    report = _validate(make_kg, data, shapes)
    assert not report.conforms
    (result,) = report.results
    assert (result.focus, result.focus_label, result.message, result.shape) == (
        "kgr:acme",
        "Acme",
        "partners with itself",
        "kg:NoSelfPartner",
    )
    assert result.constraint == "sh:sparql"
    # a message states what is wrong, so the fix is not to make it hold (it said so)
    assert result.fix == "change the data so that the message no longer applies (or, if the rule is wrong, the shape)"


def test_a_sparql_constraint_gives_its_own_fix(make_kg):
    """A SHACL-SPARQL constraint's ``kgsh:fix`` is its result's fix: only the rule knows what its query finds."""
    shapes = _no_self_partner(
        "SELECT $this WHERE { $this <https://w3id.org/kgraph/ontology#partnerOf> $this . }"
    ).replace(
        'sh:message "partners with itself" ;',
        'sh:message "partners with itself" ; <https://w3id.org/kgraph/shapes#fix> "remove it" ;',
    )
    data = PREFIXES + 'src:s { kgr:acme a kg:Company ; rdfs:label "Acme"@en ; kg:partnerOf kgr:acme . }'
    (result,) = _validate(make_kg, data, shapes).results
    assert result.fix == "remove it"


def test_an_iri_of_no_prefix_in_a_message_is_written_in_angle_brackets(make_kg):
    """pySHACL writes an IRI into a message bare (``succeeds https://example.org/...``); one with a prefix was
    shortened, one without left bare, where the report's other lines write it in ``<>``."""
    shapes = _no_self_partner(
        "SELECT $this WHERE { $this <https://w3id.org/kgraph/ontology#partnerOf> $this . }"
    ).replace('sh:message "partners with itself"', 'sh:message "{$this} partners with itself"')
    data = PREFIXES + "src:s { <https://example.org/acme> a kg:Company ; kg:partnerOf <https://example.org/acme> . }"
    (result,) = _validate(make_kg, data, shapes).results
    assert result.message == "<https://example.org/acme> partners with itself"


def test_a_literal_where_a_class_is_asked_for_is_said_to_be_one(tmp_path):
    """``kg:unit "%"`` was to be given the class kg:Unit, which a literal cannot have."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "d.trig").write_text(
        PREFIXES
        + """src:overview { kgf:f a kg:Figure ; rdfs:label "F"@en , "F"@zh ; kg:figureOf kgr:aws ; kg:value 3 ;
        kg:unit "%" ; kg:metric "m"@en ; kg:figureKind kg:Specification ; prov:wasDerivedFrom src:overview . }""",
        encoding="utf-8",
    )
    fixes = [result.fix for result in validate(load(data)).results if result.path == "kg:unit"]
    assert fixes == ['point kg:unit at a kg:Unit, an IRI, not the literal "%"']


def test_sparql_target_needs_advanced_mode(make_kg):
    shapes = (
        PREFIXES
        + """
kg:Targeted a sh:NodeShape ;
    sh:target [ a sh:SPARQLTarget ;
                sh:select "SELECT ?this WHERE { ?this a <https://w3id.org/kgraph/ontology#Chip> }" ] ;
    sh:property [ sh:path rdfs:label ; sh:minCount 1 ] .
"""
    )
    report = _validate(make_kg, PREFIXES + "src:s { kgr:chip a kg:Chip . }", shapes)
    assert [(r.focus, r.path) for r in report.results] == [("kgr:chip", "rdfs:label")]


def test_inferred_types_are_validated_but_inferred_relations_are_not(make_kg):
    shapes = (
        PREFIXES
        + """
kg:EntityShape a sh:NodeShape ; sh:targetClass kg:Entity ;   # Company is an Entity only by inference
    sh:property [ sh:path rdfs:label ; sh:minCount 1 ] .
kg:NoUsedBy a sh:NodeShape ; sh:targetClass kg:Entity ;     # usedBy is only ever inferred here
    sh:property [ sh:path kg:usedBy ; sh:maxCount 0 ] .
"""
    )
    data = (
        PREFIXES
        + "src:s { kgr:acme a kg:Company . kgr:gpu a kg:Chip ; rdfs:label 'GPU'@en . kgr:acme kg:uses kgr:gpu . }"
    )
    data_dir, ontology_dir = make_kg({"d.trig": data}, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": shapes})
    loaded = load(data_dir, ontology_dir)
    assert (KGR.gpu, KG.usedBy, KGR.acme) in loaded.graph
    assert (KGR.gpu, KG.usedBy, KGR.acme) not in validation_graph(loaded)
    assert (KGR.acme, RDF.type, KG.Entity) in validation_graph(loaded)
    report = validate(loaded)
    assert [(r.focus, r.path, r.constraint) for r in report.results] == [("kgr:acme", "rdfs:label", "sh:minCount 1")]


def test_domain_and_range_shapes_are_derived_from_the_ontology(make_kg):
    # MINI_ONTOLOGY: kg:developedBy rdfs:domain kg:Entity ; rdfs:range kg:Organization
    data = PREFIXES + "src:s { kgr:chip a kg:Chip ; kg:developedBy kgr:other . kgr:other a kg:Chip . }"
    report = _validate(make_kg, data, PREFIXES)
    assert not report.conforms
    assert [(r.focus, r.path, r.constraint, r.value) for r in report.results] == [
        ("kgr:chip", "kg:developedBy", "sh:class kg:Organization", "kgr:other")
    ]
    assert report.results[0].message == "kg:developedBy must point to a kg:Organization: fix the object or its class."


def test_a_domain_s_violation_names_the_property_its_line_and_a_fix_that_fits(make_kg, in_tmp):
    """A node that states a property of another class's (``kg:jobTitle`` on a company) was told to ``point the node
    at a kg:Person`` (a fix for a property's value, with no property), at the node's first line: the fix now names
    the property to remove, or the class to give, and the where line is the property's."""
    data = PREFIXES + (
        "src:s {\n"  # line 13
        '    kgr:thing rdfs:label "Thing"@en ;\n'
        "        kg:developedBy kgr:acme .\n"  # line 15, where kgr:thing (line 14) states it
        '    kgr:acme a kg:Company ; rdfs:label "Acme"@en .\n'
        "}\n"
    )
    report = _validate(make_kg, data, PREFIXES)
    (result,) = report.results
    assert (result.focus, result.path, result.constraint) == ("kgr:thing", "", "sh:class kg:Entity")
    assert result.fix == "remove kg:developedBy from kgr:thing, or give kgr:thing the class kg:Entity"
    assert result.where == "data/d.trig:15"
    assert (None, KGSH.property, KG.developedBy) in report.graph


@pytest.mark.parametrize("where", ["memory", "store"])
def test_two_domains_broken_on_one_node_are_each_where_its_property_is(make_kg, in_tmp, where):
    """Two properties of kg:Entity's on a node that is none: two results alike but for their shape. Both were
    given the line of whichever the report happened to list first (its blank nodes' order, another each run), so
    that memory and a store could disagree, and one of the two named the other's line."""
    ontology = MINI_ONTOLOGY + "kg:partOf a owl:ObjectProperty ; rdfs:domain kg:Entity ; rdfs:label 'part of'@en .\n"
    data = PREFIXES + (
        "src:s {\n"  # line 13
        '    kgr:thing rdfs:label "Thing"@en ;\n'
        "        kg:partOf kgr:acme ;\n"  # line 15
        "        kg:developedBy kgr:acme .\n"  # line 16
        '    kgr:acme a kg:Company ; rdfs:label "Acme"@en .\n'
        "}\n"
    )
    report = _validated(where, make_kg, in_tmp, data, {"kgraph.ttl": ontology})
    assert [(r.focus, r.path, r.fix.split(",")[0], r.where) for r in report.results] == [
        ("kgr:thing", "", "remove kg:developedBy from kgr:thing", "data/d.trig:16"),
        ("kgr:thing", "", "remove kg:partOf from kgr:thing", "data/d.trig:15"),
    ]
    for prop, line in ((KG.developedBy, 16), (KG.partOf, 15)):
        result = report.graph.value(None, KGSH.property, prop)
        assert set(report.graph.objects(result, KGSH.where)) == {Literal(f"data/d.trig:{line}")}


def test_two_unnamed_domain_shapes_broken_on_one_node_both_give_both_lines(make_kg, in_tmp):
    """Unnamed, their results differ only in the property: each gave the line of whichever the report listed
    first, another each run. Both now give both lines, in the order of the properties' names."""
    shapes = PREFIXES + (
        "[] a sh:NodeShape ; sh:targetSubjectsOf kg:partOf ; sh:class kg:Chip .\n"
        "[] a sh:NodeShape ; sh:targetSubjectsOf kg:developedBy ; sh:class kg:Chip .\n"
    )
    ontology = MINI_ONTOLOGY + "kg:partOf a owl:ObjectProperty ; rdfs:label 'part of'@en .\n"
    data = PREFIXES + (
        "src:s {\n"  # line 13
        "    kgr:thing a kg:Company ;\n"
        "        kg:partOf kgr:acme ;\n"  # line 15
        "        kg:developedBy kgr:acme .\n"  # line 16
        "    kgr:acme a kg:Company .\n"
        "}\n"
    )
    data_dir, ontology_dir = make_kg({"d.trig": data}, {"kgraph.ttl": ontology, "shapes.ttl": shapes})
    results = [r for r in validate(load(data_dir, ontology_dir)).results if r.constraint == "sh:class kg:Chip"]
    assert [(r.fix.split(",")[0], r.where) for r in results] == [
        ("remove kg:developedBy from kgr:thing", "data/d.trig:16, data/d.trig:15"),
        ("remove kg:partOf from kgr:thing", "data/d.trig:16, data/d.trig:15"),
    ]


def test_shapes_graph_holds_the_file_and_the_derived_shapes(make_kg):
    data_dir, ontology_dir = make_kg({"d.trig": GOOD}, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": SHAPES})
    shapes = shapes_graph(load(data_dir, ontology_dir))
    assert (KG.CompanyShape, RDF.type, SH.NodeShape) in shapes
    assert any(str(s).endswith("derived-developedBy-range-Organization") for s in shapes.subjects(RDF.type, None))


def test_without_shapes_file_only_derived_shapes_run(make_kg):
    data_dir, ontology_dir = make_kg({"d.trig": GOOD})
    report = validate(load(data_dir, ontology_dir))
    assert report.conforms
    assert report.shapes_file is None


def test_inline_shapes_graph_is_used_as_given(make_kg):
    loaded = load(*make_kg({"d.trig": BAD}))
    report = validate(loaded, Graph().parse(data=SHAPES, format="turtle"))
    assert report.count("Violation") == 2
    assert report.shapes_file is None


def test_results_of_a_nested_node_shape_are_reported_in_detail(make_kg):
    shapes = (
        PREFIXES
        + """
kg:Outer a sh:NodeShape ; sh:targetClass kg:Company ; sh:node kg:Inner .
kg:Inner a sh:NodeShape ; sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:message "needs a label" ] .
"""
    )
    report = _validate(make_kg, PREFIXES + "src:s { kgr:acme a kg:Company . }", shapes)
    assert [(r.focus, r.constraint, r.message) for r in report.results] == [
        ("kgr:acme", "sh:minCount 1", "needs a label")
    ]


def test_shapes_file_with_a_syntax_error(make_kg):
    with pytest.raises(DataSyntaxError) as caught:
        _validate(make_kg, GOOD, PREFIXES + "kg:S a sh:NodeShape ;\n    sh:targetClass .\n")
    message = str(caught.value)
    assert "shapes.ttl:14: " in message  # 12 prefix lines + 2
    assert message.endswith("; fix the file and run again")


@pytest.mark.parametrize(
    ("written", "iri", "reason"),
    [
        ("<https://example.org/a b>", "https://example.org/a b", "Invalid IRI code point ' '"),
        ("<https://example.org/%zz>", "https://example.org/%zz", "Invalid IRI percent encoding '%zz'"),
        ('"x"^^<https://example.org/a#b#c>', "https://example.org/a#b#c", "Invalid IRI code point '#'"),
    ],
)
def test_an_iri_oxigraph_refuses_is_a_syntax_error_with_file_and_line(make_kg, written, iri, reason):
    """rdflib reads these IRIs (with a warning for the space, silently for the others); validation then copies the
    triples into Oxigraph, which refused them with a ValueError: a traceback from validate and build."""
    data = GOOD + f"\nsrc:s {{\n  kgr:trainium3 rdfs:seeAlso {written} .\n}}\n"
    with pytest.raises(DataSyntaxError) as caught:
        _validate(make_kg, data)
    line = GOOD.count("\n") + 3
    assert str(caught.value).endswith(
        f"d.trig:{line}: bad syntax: {reason} in the IRI <{iri}>; fix the file and run again"
    ), str(caught.value)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("rdfs:seeAlso <https://example.org/%zz>", "Invalid IRI percent encoding '%zz' in the IRI"),
        ('rdfs:comment "hello world"@abcdefghijk', ""),
    ],
    ids=["iri", "language-tag"],
)
def test_a_term_oxigraph_refuses_in_a_file_with_cr_line_ends_is_found_on_its_line(make_kg, written, reason):
    """A file with CR alone as its line ends (an old Mac's), which Turtle allows and kgraph load counts so: the
    line validation names for a term Oxigraph refuses was counted at LF only, and was 1."""
    data = (GOOD + f"\nsrc:s {{\n  kgr:trainium3 {written} .\n}}\n").replace("\n", "\r")
    with pytest.raises(DataSyntaxError) as caught:
        _validate(make_kg, data)
    line = GOOD.count("\n") + 3
    assert f"d.trig:{line}: bad syntax: {reason}" in str(caught.value), str(caught.value)


def test_an_iri_oxigraph_refuses_written_with_an_escape_is_found_on_its_line(make_kg):
    """``\\u0025`` is ``%``: the IRI's text appears nowhere in the file, and validation said only "which the data
    holds", with no file or line; it now finds the line as the load's own check does (escapes read)."""
    data = GOOD + "\nsrc:s {\n  kgr:trainium3 rdfs:seeAlso\n    <https://example.org/\\u0025zz> .\n}\n"
    with pytest.raises(DataSyntaxError) as caught:
        _validate(make_kg, data)
    line = GOOD.count("\n") + 4
    assert f"d.trig:{line}: bad syntax: Invalid IRI percent encoding '%zz' in the IRI" in str(caught.value)


def test_a_language_tag_oxigraph_refuses_is_named_as_such(make_kg):
    """rdflib takes a primary language subtag of eleven letters, Oxigraph refuses it: the error blamed the
    literal's text as an IRI ("Invalid IRI code point ' ' in the IRI <hello world>")."""
    data = GOOD + '\nsrc:s {\n  kgr:trainium3 rdfs:comment "hello world"@abcdefghijk .\n}\n'
    with pytest.raises(DataSyntaxError) as caught:
        _validate(make_kg, data)
    line = GOOD.count("\n") + 3
    assert f"d.trig:{line}: bad syntax: " in str(caught.value)
    assert str(caught.value).endswith(" in the language tag @abcdefghijk; fix the file and run again")


def test_bundled_graph_conforms(loaded):
    report = validate(loaded)
    assert report.shapes_file is not None, "ontology/shapes.ttl is bundled"
    violations = [r for r in report.results if r.severity == "Violation"]
    assert report.conforms, violations[:5]


# ------------------------------------------------------- SPARQL answered by Oxigraph, the rest by pySHACL

#: Mistakes added to the bundled data, one for each kind of rule in ontology/shapes.ttl: a succession loop and a
#: succession across classes (SHACL-SPARQL), a resource with no class (a SPARQL target), a figure with a text
#: value, no unit and an upside-down range (datatype, minCount, sh:or, lessThanOrEquals), a second English label
#: and a label without a language (qualified counts, datatype).
BROKEN = (
    PREFIXES
    + """
src:ai-infrastructure {
    kgr:trainium2 kg:succeeds kgr:trainium4 .
    kgr:trainium3 rdfs:label "Another English name"@en .
    kgr:odd-model a kg:AIModel ; rdfs:label "Odd model"@en , "怪模型"@zh , "no language" ;
        schema:description "A model added to break rules."@en ; prov:wasDerivedFrom src:ai-infrastructure ;
        kg:succeeds kgr:trainium3 ; kg:uses kgr:nowhere .
    kgf:odd-figure a kg:Figure ; rdfs:label "Odd figure"@en , "怪数字"@zh ; prov:wasDerivedFrom src:ai-infrastructure ;
        kg:value "lots" ; kg:fromValue 5 ; kg:fromValueMax 3 ; kg:figureOf kgr:odd-model ; kg:metric "speed"@en .
}
"""
)


def _rdflib_only(data: Graph) -> Graph:
    """The same triples in a plain rdflib graph: pySHACL then runs every query with rdflib's engine."""
    plain = Graph()
    plain.addN((s, p, o, plain) for s, p, o in data)
    for prefix, namespace in data.namespaces():
        plain.bind(prefix, namespace)
    return plain


def _broken_bundled(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(default_data_dir(), data_dir)
    (data_dir / "zz-broken.trig").write_text(BROKEN, encoding="utf-8")
    return load(data_dir, default_ontology_dir())


def test_a_time_range_its_start_and_end_times_contradict_is_a_warning(tmp_path):
    """show, stats and the viewer print kg:timeRange as written; kg:startTime and kg:endTime are what queries read.
    Where they disagree the data does not say which is right: a warning names both. Another notation of the same
    times (an en dash, no spaces, no leading zero) and a range not written as times are not reported."""
    data_dir = tmp_path / "data"
    shutil.copytree(default_data_dir(), data_dir)
    source = data_dir / "00-source.trig"
    text = source.read_text(encoding="utf-8")
    changes = {
        "05:30 - 15:00": "5:30 \u2013 16:00",  # ends later than kg:endTime
        "1:35:00 - end": "1:36:00 - end",  # starts later than kg:startTime
        "25:00 - 30:00": "25:00 - end",  # runs to the end, kg:endTime says not
        "15:00 - 25:00": "15:00\u201325:00",  # the same times
        "30:00 - 38:00": "half an hour in",  # not times
    }
    for old, new in changes.items():
        assert f'"{old}"' in text
        text = text.replace(f'"{old}"', f'"{new}"')
    source.write_text(text, encoding="utf-8")
    report = validate(load(data_dir, default_ontology_dir()))
    warned = {(r.focus, r.severity) for r in report.results if r.shape == "kgsh:TimeRangeShape"}
    assert warned == {
        ("src:ai-infrastructure", "Warning"),
        ("src:closing", "Warning"),
        ("src:open-training", "Warning"),
    }
    (closing,) = [r for r in report.results if r.focus == "src:closing"]
    assert "(PT1H35M to the end)" in closing.message and "1:36:00 - end" in closing.message
    # where: the line of the kg:timeRange (the value), not the section's first line
    (infrastructure,) = [r for r in report.results if r.focus == "src:ai-infrastructure"]
    line = text[: text.index('"5:30 \u2013 16:00"')].count("\n") + 1
    assert infrastructure.where == f"{data_dir / '00-source.trig'}:{line}"
    assert report.conforms


def test_oxigraph_answers_pyshacl_queries_as_rdflib_does(tmp_path, monkeypatch):
    loaded = _broken_bundled(tmp_path)
    shapes = shapes_graph(loaded)
    calls = []

    def counted(*args, **kwargs):
        calls.append(args[1])
        return sparql(*args, **kwargs)

    monkeypatch.setattr(validation, "sparql", counted)
    data = validation_graph(loaded)
    conforms, report = validation._run_pyshacl(data, shapes)
    assert calls, "pySHACL's SPARQL should run in Oxigraph"
    monkeypatch.setattr(validation, "sparql", sparql)
    expected_conforms, expected = validation._run_pyshacl(_rdflib_only(data), shapes)

    assert (conforms, expected_conforms) == (False, False)
    assert isomorphic(report, expected)
    results = sorted(validation._results(report, shapes, data))
    assert results == sorted(validation._results(expected, shapes, data))
    found = {(r.focus, r.constraint.split()[0], r.value) for r in results}
    assert {
        ("kgr:trainium2", "sh:sparql", "kgr:trainium2"),  # the loop, found from each of its members
        ("kgr:trainium4", "sh:sparql", "kgr:trainium4"),
        ("kgr:odd-model", "sh:sparql", "kgr:odd-model"),  # a model succeeding a chip
        ("kgr:nowhere", "sh:qualifiedMinCount", ""),  # no class: found by the SPARQL target
        ("kgf:odd-figure", "sh:minCount", ""),  # no unit, no kind
        ("kgf:odd-figure", "sh:or", '"lots"'),
        ("kgf:odd-figure", "sh:lessThanOrEquals", "5"),
        ("kgr:trainium3", "sh:qualifiedMaxCount", ""),
        ("kgr:odd-model", "sh:datatype", '"no language"'),
    } <= found
    messages = {r.message for r in results if r.focus == "kgr:odd-model" and r.constraint == "sh:sparql"}
    assert any(message.startswith("succeeds kgr:trainium3,") for message in messages)


def test_a_query_oxigraph_cannot_bind_is_answered_by_rdflib(make_kg):
    # $this is not among the selected variables: Oxigraph will not substitute it, rdflib does.
    shapes = _no_self_partner(
        "SELECT ?value WHERE { $this <https://w3id.org/kgraph/ontology#partnerOf> ?value . FILTER (?value = $this) }"
    )
    data = (
        PREFIXES
        + "src:s { kgr:acme a kg:Company ; kg:partnerOf kgr:acme . kgr:b a kg:Company ; kg:partnerOf kgr:acme . }"
    )
    report = _validate(make_kg, data, shapes)
    assert [(r.focus, r.message, r.value) for r in report.results] == [("kgr:acme", "partners with itself", "kgr:acme")]


# ------------------------------------------------------- shapes on a property hold for its sub-properties and inverses

#: Statements that the bundled shapes are about, written with a sub-property or an inverse: a chief executive
#: (kg:leads, a kind of kg:worksFor) without an English job title, a product announced through kg:announced
#: without a launch status, and successions stated with kg:succeededBy, one across classes and one closing a loop.
THROUGH_INVERSES = (
    PREFIXES
    + """
src:ai-infrastructure {
    kgr:lead a kg:Person ; rdfs:label "Lead"@en , "领导"@zh ; schema:description "A person who leads."@en ;
        prov:wasDerivedFrom src:ai-infrastructure ; kg:leads kgr:aws .
    kgr:reinvent-2025-keynote kg:announced kgr:quiet-chip .
    kgr:quiet-chip a kg:Chip ; rdfs:label "Quiet chip"@en , "安静芯片"@zh ; schema:description "A chip."@en ;
        prov:wasDerivedFrom src:ai-infrastructure .
    kgr:trainium3 kg:succeededBy kgr:nova-2-lite .
    kgr:trainium4 kg:succeededBy kgr:trainium2 .
}
"""
)


def succession_messages(report: validation.ValidationReport) -> set[tuple[str, str]]:
    return {(r.focus, r.message) for r in report.results if r.constraint == "sh:sparql"}


def test_shapes_hold_for_sub_properties_and_inverses_of_their_target(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(default_data_dir(), data_dir)
    (data_dir / "zz-inverses.trig").write_text(THROUGH_INVERSES, encoding="utf-8")
    report = validate(load(data_dir, default_ontology_dir()))
    assert not report.conforms
    found = {(r.focus, r.path, r.constraint.split()[0]) for r in report.results}
    assert ("kgr:lead", "kg:jobTitle", "sh:qualifiedMinCount") in found
    assert ("kgr:quiet-chip", "kg:launchStatus", "sh:minCount") in found
    succession = {r.focus: r.message for r in report.results if r.constraint == "sh:sparql"}
    # pySHACL writes the IRIs it puts in a message in full (https://w3id.org/kgraph/resource/trainium3): the
    # report names them as it names every other term.
    assert {m for f, m in succession_messages(report) if f == "kgr:nova-2-lite"} == {
        "succeeds kgr:trainium3, which is not the same kind of thing (kg:AIModel here, kg:Chip there): a product "
        "succeeds a product of its own class."
    }
    loop = "A succession line loops back to this product: kg:succeeds must not form a cycle."
    assert {focus for focus, message in succession.items() if message == loop} >= {"kgr:trainium2"}
    assert len(report.results) == len(set(report.results)), "each result once"


def test_a_section_that_ends_before_it_starts_is_reported(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(default_data_dir(), data_dir)
    # src:closing starts at 1:35:00; an end at 1:00:00, or at its start, turns its time range upside down.
    upside_down = PREFIXES + 'src:document { src:closing kg:endTime "PT1H"^^xsd:duration . }'
    (data_dir / "zz-times.trig").write_text(upside_down, encoding="utf-8")
    report = validate(load(data_dir, default_ontology_dir()))
    assert not report.conforms
    assert [(r.focus, r.path, r.constraint, r.value) for r in report.results] == [
        ("src:closing", "kg:startTime", "sh:lessThan kg:endTime", '"PT1H35M"^^xsd:duration'),
        ("src:closing", "", "sh:sparql", '"1:35:00 - end"'),  # a warning: its kg:timeRange runs to the end
    ]
    (data_dir / "zz-times.trig").write_text(upside_down.replace("PT1H", "PT1H35M"), encoding="utf-8")
    assert not validate(load(data_dir, default_ontology_dir())).conforms
    (data_dir / "zz-times.trig").write_text(upside_down.replace("PT1H", "PT1H40M"), encoding="utf-8")
    assert validate(load(data_dir, default_ontology_dir())).conforms


@pytest.mark.parametrize("given", ["typo-shapes.ttl", "folder"])
def test_a_shapes_file_that_is_not_there_is_an_input_error(make_kg, tmp_path, given):
    """A shapes file given that does not exist, or is a folder, was skipped: only the derived shapes ran, and a
    graph that breaks the file's shapes passed."""
    (tmp_path / "folder").mkdir()
    loaded = load(*make_kg({"d.trig": BAD}))
    with pytest.raises(InputError, match=r"the shapes file .*(does not exist|is not a file); pass a SHACL shapes"):
        validate(loaded, tmp_path / given)


def test_a_shapes_file_given_as_text_is_read(make_kg, tmp_path):
    """A path given as a str was taken for no shapes at all: the ontology folder's shapes ran (cached under the key
    of no shapes file), never the file given."""
    loaded = load(*make_kg({"d.trig": BAD}))
    strict = tmp_path / "strict.ttl"
    strict.write_text(
        PREFIXES
        + "kg:S a sh:NodeShape ; sh:targetClass kg:Chip ;\n"
        + "  sh:property [ sh:path kg:order ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    from_path = validate(loaded, strict)
    from_text = validate(loaded, str(strict))
    assert from_text.results == from_path.results
    assert [(r.focus, r.path) for r in from_text.results if r.path == "kg:order"] == [("kgr:chip", "kg:order")]
    assert from_text.shapes_file == strict


def _alternatives_outside_repetition(node: object) -> list[str]:
    """Paths of alternatives (``a|^b``) in a parsed query's algebra that are not inside a ``+`` or ``*``."""
    from rdflib.paths import AlternativePath, MulPath  # noqa: PLC0415 - for this test only

    if isinstance(node, MulPath):
        return []
    if isinstance(node, AlternativePath):
        return [str(node)]
    children = node.values() if isinstance(node, dict) else node if isinstance(node, (list, tuple)) else ()
    return [found for child in children for found in _alternatives_outside_repetition(child)]


def test_the_shapes_sparql_spells_alternatives_as_branches():
    """With ``$this kg:succeeds|^kg:succeededBy ?other`` in a UNION, Oxigraph 0.5 did not start from the $this
    pySHACL binds, and read the whole graph for every node: `kgraph --store validate` took over 8 minutes at 100k
    triples (10 s with the branches spelt out) and did not end at 1M. The branches give the same rows (the test
    above, and every test of the succession shape)."""
    from rdflib.plugins.sparql import prepareQuery  # noqa: PLC0415 - for this test only

    shapes = Graph().parse(default_ontology_dir() / "shapes.ttl")
    selects = [str(text) for text in shapes.objects(None, SH.select)]
    assert selects
    for text in selects:
        query = prepareQuery(text, initNs={"kg": KG, "rdf": RDF})
        assert _alternatives_outside_repetition(query.algebra) == [], text


MISSPELT = (
    PREFIXES
    + """
src:sony {
    kgr:sony kg:usess kgr:aws .
    kgr:fast-chip a kg:Chipp ;
        rdfs:label "Fast Chip"@en , "快芯片"@zh ;
        schema:description "A chip."@en ;
        kg:developedBy kgr:aws ;
        prov:wasDerivedFrom src:sony .
    kgf:sony-saving kg:unit kg:Percnet .
}
"""
)


def _sub_selects(node: object) -> int:
    """How many sub-SELECTs a parsed query's algebra holds."""
    found = 1 if getattr(node, "name", None) == "ToMultiSet" else 0
    children = node.values() if isinstance(node, dict) else node if isinstance(node, (list, tuple)) else ()
    return found + sum(_sub_selects(child) for child in children)


def test_the_shapes_sparql_constraints_have_no_sub_select():
    """Oxigraph gives pySHACL's $this to the outer query only: a sub-SELECT is evaluated for every node in the
    graph, then joined. The succession shape's two sub-SELECTs (GROUP BY $this ?other) took 1.2 s for each of the
    4,300 nodes of a 100k store: `kgraph --store validate` ran for over an hour, where it takes 23 s with the
    grouping in the outer query. A SPARQL target has no $this and may hold them."""
    from rdflib.plugins.sparql import prepareQuery  # noqa: PLC0415 - for this test only

    shapes = Graph().parse(default_ontology_dir() / "shapes.ttl")
    constraints = [str(shapes.value(node, SH.select)) for node in shapes.subjects(RDF.type, SH.SPARQLConstraint)]
    assert constraints
    for text in constraints:
        query = prepareQuery(text, initNs={"kg": KG, "rdf": RDF, "rdfs": RDFS})
        assert _sub_selects(query.algebra) == 0, text


def test_a_misspelt_kg_name_is_a_violation_that_names_the_right_one(tmp_path, monkeypatch):
    """A kg: property the ontology does not declare (kg:usess) passed validation: no shape looks at a property it
    does not know. A misspelt class (kg:Chipp) was only "has no class from the ontology", a misspelt value only
    the wrong class. Each is now named, with the ontology's closest name, in memory and on a store alike."""
    from kgraph import persist  # noqa: PLC0415 - for this test only

    monkeypatch.setenv("KGRAPH_NO_CACHE", "1")
    data_dir = tmp_path / "data"
    shutil.copytree(default_data_dir(), data_dir)
    (data_dir / "zz-misspelt.trig").write_text(MISSPELT, encoding="utf-8")
    persist.build(tmp_path / "store", data_dir, default_ontology_dir())
    for loaded in (load(data_dir, default_ontology_dir()), persist.open_store(tmp_path / "store")):
        report = validate(loaded)
        assert not report.conforms
        found = {(r.focus, r.value, r.fix) for r in report.results if r.shape == "kgsh:DeclaredTermShape"}
        fix = "replace {} with a class, property or value of the ontology, or declare it there (did you mean {}?)"
        assert found == {
            ("kgr:sony", "kg:usess", fix.format("kg:usess", "kg:uses")),
            ("kgr:fast-chip", "kg:Chipp", fix.format("kg:Chipp", "kg:Chip")),
            ("kgf:sony-saving", "kg:Percnet", fix.format("kg:Percnet", "kg:Percent")),
        }


def test_validation_leaves_rdflib_reading_booleans_as_a_store_does():
    """pySHACL sets rdflib's reader of xsd:boolean to its own while it validates, then to rdflib's, which reads
    " true " as false: after a validation in the same process, a file's "TRUE"^^xsd:boolean had a value and no
    warning, where kgraph reads it as a store does (the whole test suite, run in order, found it)."""
    from rdflib.namespace import XSD  # noqa: PLC0415

    validation._run_pyshacl(Graph(), Graph())
    # no value, so that a load warns of it (pySHACL's reader and rdflib's made True and False of them, unwarned)
    assert Literal("TRUE", datatype=XSD.boolean).value is None
    assert Literal(" true ", datatype=XSD.boolean).value is None
    assert Literal("1", datatype=XSD.boolean).value is True


def test_a_declared_term_fix_suggests_only_a_close_name():
    known = ["kg:Chip", "kg:Company", "kg:uses"]
    assert declared_term_fix("kg:chip", known).endswith("(did you mean kg:Chip?)")
    assert declared_term_fix("kg:sells", known) == (
        "replace kg:sells with a class, property or value of the ontology, or declare it there"
    )
    # of names as close, the alphabetically first, as every other "did you mean" orders them (difflib's, the last)
    assert declared_term_fix("kg:abcd", ["kg:abcf", "kg:abce"]).endswith("(did you mean kg:abce?)")
    assert declared_term_fix("kg:abcd", ["kg:abcf", "kg:abce", "kg:abcdef"]).endswith("(did you mean kg:abcdef?)")


# ---------------------------------------------------------------- a property or class of another vocabulary misspelt

#: kgraph's own check of misspelt terms, as shapes.ttl holds it (kgraph.misspelt): no target; its severity and message.
MISSPELT_SHAPE = """
@prefix kgsh: <https://w3id.org/kgraph/shapes#> .
kgsh:MisspeltTermShape a sh:NodeShape ; sh:severity sh:Warning ; sh:message "Written like a known term." .
"""

OTHER_VOCABULARY = PREFIXES + (
    "src:s {\n"  # line 13
    '    kgr:acme a kg:Company ; rdfs:label "Acme"@en ; skos:altlabel "ACME"@en .\n'
    "    kgr:globex a kg:Company , schema:organization ;\n"  # line 15
    '        rdfs:Label "Globex"@en ; skos:altLabel "GBX"@en ;\n'
    "        prov:wasDerivedFron src:s .\n"  # line 17
    '    kgr:initech a kg:Company ; rdfs:label "Initech"@en ; skos:altLabel "IT"@en ;\n'
    '        schema:Name "Initech" ;\n'  # line 19
    "        prov:entity kgr:acme ; schema:brand kgr:acme ; schema:Brand kgr:acme .\n"
    "}\n"
)


@pytest.mark.parametrize("where", ["memory", "store"])
def test_a_property_or_class_of_another_vocabulary_misspelt_is_a_warning_that_names_the_right_one(
    make_kg, in_tmp, where
):
    """``skos:altlabel`` for skos:altLabel (a path of the shapes), ``rdfs:Label``, ``a schema:organization`` (a
    class of the ontology's), ``schema:Name`` (a term of schema.org, a vocabulary the ontology uses) and
    ``prov:wasDerivedFron`` (a letter off a term of PROV, which rdflib lists whole) passed validation without a
    word, while every query and the viewer missed what they said. Each node that uses one is a warning naming the
    term meant, on the line that writes it, in memory and on a store alike. Terms of their vocabularies
    (prov:entity beside prov:Entity, schema:brand and schema:Brand) are none, wherever they are used."""
    report = _validated(
        where, make_kg, in_tmp, OTHER_VOCABULARY, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": SHAPES + MISSPELT_SHAPE}
    )
    found = [r for r in report.results if r.shape == "kgsh:MisspeltTermShape"]
    fix = "replace {} with the {} it stands for, or declare it in the ontology (did you mean {}?)"
    assert [(r.focus, r.path, r.value, r.fix, r.where) for r in found] == [
        ("kgr:acme", "skos:altlabel", "", fix.format("skos:altlabel", "property", "skos:altLabel"), "data/d.trig:14"),
        ("kgr:globex", "prov:wasDerivedFron", "", fix.format("prov:wasDerivedFron", "property", "prov:wasDerivedFrom"),
         "data/d.trig:17"),
        ("kgr:globex", "rdf:type", "schema:organization",
         fix.format("schema:organization", "class", "schema:Organization"), "data/d.trig:15"),
        ("kgr:globex", "rdfs:Label", "", fix.format("rdfs:Label", "property", "rdfs:label"), "data/d.trig:16"),
        ("kgr:initech", "schema:Name", "", fix.format("schema:Name", "property", "schema:name"), "data/d.trig:19"),
    ]  # fmt: skip
    assert {(r.severity, r.message, r.focus_label) for r in found} == {
        ("Warning", "Written like a known term.", label) for label in ("Acme", "", "Initech")
    }
    # the Turtle report says it too, with where each is written
    nodes = set(report.graph.subjects(SH.sourceShape, KGSH.MisspeltTermShape))
    assert len(nodes) == len(found)
    assert {str(report.graph.value(node, KGSH.where)) for node in nodes} == {r.where for r in found}
    # the label misspelt is no label: the shapes' violation, which the warning explains
    assert [(r.severity, r.focus, r.message) for r in report.results if r not in found] == [
        ("Violation", "kgr:globex", "An organization needs a label."),
        ("Warning", "kgr:acme", "An alt label helps people find it."),
    ]


def test_a_term_is_taken_for_one_of_its_kind_and_never_for_one_the_data_declares(make_kg):
    """Of schema.org's class and property alike but for case, a class misspelt is taken for the class and a property
    for the property; a term the data declares is its own, however it is written; a kg: name is left to the shapes'
    check of the ontology's names when they hold it (else it is one of the terms of the ontology misspelt)."""
    from kgraph.misspelt import Misspelt, misspelt_terms  # noqa: PLC0415 - for this test only

    data = PREFIXES + (
        "src:s {\n"
        "    kgr:a a kg:Company , schema:downpayment ; schema:DownPayment kgr:b ; kg:partnerof kgr:b .\n"
        "    schema:Name a rdf:Property . kgr:b schema:Name 'B' .\n"
        "}\n"
    )
    data_dir, ontology_dir = make_kg({"d.trig": data})
    loaded = load(data_dir, ontology_dir)
    shapes = Graph()
    expected = [
        Misspelt(SCHEMA.DownPayment, SCHEMA.downPayment, is_class=False),
        Misspelt(SCHEMA.downpayment, SCHEMA.Downpayment, is_class=True),
    ]
    assert misspelt_terms(loaded, shapes) == [*expected, Misspelt(KG.partnerof, KG.partnerOf, is_class=False)]
    shapes.add((KGSH.DeclaredTermShape, RDF.type, SH.NodeShape))
    assert misspelt_terms(loaded, shapes) == expected


@pytest.mark.parametrize("where", ["memory", "store"])
def test_schema_org_written_with_http_is_a_warning_that_names_the_https_term(make_kg, in_tmp, where):
    """Many write schema.org's namespace ``http://schema.org/``; the ontology's is ``https://``, so a description
    written so was read by nothing, and passed validation without a word."""
    data = PREFIXES.replace("<https://schema.org/>", "<http://schema.org/>") + (
        'src:s { kgr:a a kg:Company ; rdfs:label "A"@en ; skos:altLabel "AA"@en ; schema:description "An A."@en . }\n'
    )
    assert "<http://schema.org/>" in data
    report = _validated(
        where, make_kg, in_tmp, data, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": SHAPES + MISSPELT_SHAPE}
    )
    found = [r for r in report.results if r.shape == "kgsh:MisspeltTermShape"]
    assert [(r.focus, r.path, r.fix) for r in found] == [
        (
            "kgr:a",
            "<http://schema.org/description>",
            "replace <http://schema.org/description> with the property it stands for, or declare it in the ontology "
            "(did you mean schema:description?)",
        )
    ]


def test_a_misspelt_term_is_of_the_shape_s_severity_and_checked_only_if_the_shapes_hold_it(make_kg):
    """The shape says how bad it is: a Violation, as SHACL has it, when it gives no sh:severity; without the shape,
    the check is off."""
    data_dir, ontology_dir = make_kg({"d.trig": PREFIXES + 'src:s { kgr:a a kg:Company ; rdfs:Label "A"@en . }\n'})
    loaded = load(data_dir, ontology_dir)
    shape = PREFIXES + "<https://w3id.org/kgraph/shapes#MisspeltTermShape> a sh:NodeShape .\n"
    report = validate(loaded, _own_shapes(data_dir.parent, shape))
    assert [(r.severity, r.focus, r.path) for r in report.results] == [("Violation", "kgr:a", "rdfs:Label")]
    assert not report.conforms
    assert validate(loaded, _own_shapes(data_dir.parent, PREFIXES)).results == ()


def test_the_terms_a_graph_uses_are_read_from_rdflib_s_index_alike_in_memory_and_on_a_store(make_kg, in_tmp):
    """In memory the distinct predicates and classes come from the keys of rdflib's index, not a pass over every
    triple; the same as a pass finds, and as a store's queries find."""
    from kgraph._compat import memory_index  # noqa: PLC0415 - for this test only
    from kgraph.misspelt import used_terms  # noqa: PLC0415

    data_dir, ontology_dir = make_kg({"d.trig": OTHER_VOCABULARY})
    in_memory, on_store = both_ways(data_dir, ontology_dir, in_tmp / "s")
    graph = in_memory.graph
    graph.remove((None, SCHEMA.brand, None))  # a triple removed leaves its predicate in the index, with no subject
    scanned = set(graph.predicates(unique=True)), set(graph.objects(None, RDF.type, unique=True))
    assert memory_index(graph) == scanned
    assert SCHEMA.brand not in scanned[0]
    predicates, classes = used_terms(on_store)
    assert (predicates - {SCHEMA.brand}, classes) == used_terms(in_memory)


def _own_shapes(folder, text: str):
    path = folder / "own-shapes.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_label_in_a_language_no_rule_takes_is_named_in_the_fix(make_kg):
    """``"错误语言公司"@cn`` (zh meant) got ``Needs a Chinese label ...; add one`` alone: the user had written one,
    and nothing said its tag was why it did not count."""
    data = PREFIXES + (
        'src:s { kgr:a a kg:Company ; rdfs:label "A"@en , "甲公司"@cn .\n'
        '        kgr:b a kg:Company ; rdfs:label "B"@en .\n'
        '        kgr:c a kg:Company ; rdfs:label "丙公司"@zh . }'  # no English label: Chinese is no typo of it
    )
    shapes = PREFIXES + (
        "kg:S a sh:NodeShape ; sh:targetClass kg:Company ;\n"
        "  sh:property [ sh:path rdfs:label ; sh:qualifiedValueShape [ sh:languageIn ( 'en' ) ] ;"
        " sh:qualifiedMinCount 1 ] ,\n"
        "    [ sh:path rdfs:label ; sh:qualifiedValueShape [ sh:languageIn ( 'zh' ) ] ; sh:qualifiedMinCount 1 ] ."
    )
    fixes = {r.focus: r.fix for r in _validate(make_kg, data, shapes).results}
    plain = "add rdfs:label values of the kind the message asks for (at least 1)"
    assert fixes == {
        "kgr:a": f'{plain}; "甲公司"@cn has a language tag no rule takes (@zh meant?)',
        "kgr:b": plain,
        "kgr:c": plain,
    }


def test_labels_alike_but_for_their_tag_are_named_in_the_order_of_their_tags(make_kg):
    """Sorted by their text alone, they kept the order the graph gave, another each run (PYTHONHASHSEED)."""
    data = PREFIXES + 'src:s { kgr:a a kg:Company ; rdfs:label "Qx"@it , "Qx"@fr , "Qx"@de , "Qx"@cn . }'
    shapes = PREFIXES + (
        "kg:S a sh:NodeShape ; sh:targetClass kg:Company ; sh:property [ sh:path rdfs:label ;"
        " sh:qualifiedValueShape [ sh:languageIn ( 'en' ) ] ; sh:qualifiedMinCount 1 ] ."
    )
    (result,) = _validate(make_kg, data, shapes).results
    assert result.fix.endswith('; "Qx"@cn, "Qx"@de, "Qx"@fr has a language tag no rule takes (@en meant?)')


def test_a_node_s_sh_or_is_told_to_change_the_node(make_kg):
    """A node-level sh:or's value is the node itself: the fix said `(now kgf:f)`, and spoke of alternatives "the
    message lists" that the message need not list. The rule line lists them; the fix points there."""
    data = PREFIXES + "src:s { kgf:f a kg:Figure . }"
    shapes = PREFIXES + (
        "kg:S a sh:NodeShape ; sh:targetClass kg:Figure ;\n"
        "  sh:or ( [ sh:property [ sh:path kg:value ; sh:minCount 1 ] ]"
        " [ sh:property [ sh:path kg:unit ; sh:minCount 1 ] ] ) ."
    )
    (result,) = _validate(make_kg, data, shapes).results
    assert (result.focus, result.path, result.value) == ("kgf:f", "", "kgf:f")
    assert result.fix == "change the node so that one of the alternatives of the rule's sh:or holds"


def test_a_value_of_the_wrong_kind_shows_as_written(make_kg):
    """A figure's kg:value written "40" (a string) was reported as `value: 40`, and the alternatives of its sh:or
    as `((blank node), (blank node))`: nothing said why 40 was not a number. A date showed as 2025-13-01. A double
    or a decimal is written bare only in the form Turtle reads as that type: "4.5"^^xsd:double showed as 4.5, a
    decimal, and "4"^^xsd:decimal as 4, an integer, hiding why they fail."""
    data = PREFIXES + (
        'src:s { kgf:f a kg:Figure ; kg:value "40" .\n'
        '        kgf:g a kg:Figure ; kg:value "2025-13-01"^^xsd:date .\n'
        '        kgf:h a kg:Figure ; kg:value "4.4"^^xsd:integer .\n'
        '        kgf:j a kg:Figure ; kg:value "4.5"^^xsd:double .\n'
        "        kgf:k a kg:Figure ; kg:value 4.5e0 .\n"
        "        kgf:i a kg:Figure ; kg:value 4.4 . }"
    )
    shapes = PREFIXES + (
        "kg:S a sh:NodeShape ; sh:targetClass kg:Figure ;\n"
        "  sh:property [ sh:path kg:value ; sh:or ( [ sh:datatype xsd:decimal ] [ sh:datatype xsd:integer ] ) ] ."
    )
    report = _validate(make_kg, data, shapes)
    assert {(r.focus, r.constraint, r.value, r.fix) for r in report.results} == {
        (
            focus,
            "sh:or ([sh:datatype xsd:decimal], [sh:datatype xsd:integer])",
            value,
            f"make kg:value fit one of the alternatives of the rule's sh:or (now {value})",
        )
        for focus, value in [
            ("kgf:f", '"40"'),
            ("kgf:g", '"2025-13-01"^^xsd:date'),
            ("kgf:h", '"4.4"^^xsd:integer'),
            ("kgf:j", '"4.5"^^xsd:double'),
            ("kgf:k", '"4.5"^^xsd:double'),  # rdflib reads 4.5e0 as the text "4.5"
        ]
    }


@pytest.mark.parametrize(
    "shapes",
    ["", PREFIXES, MINI_ONTOLOGY],
    ids=["no bytes", "prefixes only", "another file saved as shapes.ttl"],
)
def test_a_shapes_file_without_a_shape_is_a_warning_in_memory_on_a_store_and_from_the_cache(
    make_kg, tmp_path, monkeypatch, shapes
):
    """An empty shapes.ttl (or one that holds no shape) turned the hand-written checks off without a word: BAD passed.
    validate and build warn, naming the file, on stderr only: the report and the exit code are those of the same run
    without the warning, and a cached outcome warns too."""
    from click.testing import CliRunner  # noqa: PLC0415

    from kgraph import persist  # noqa: PLC0415
    from kgraph.cli import cli  # noqa: PLC0415

    data_dir, ontology_dir = make_kg({"d.trig": BAD}, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": shapes})
    monkeypatch.chdir(tmp_path)
    persist.build(tmp_path / "store", data_dir, ontology_dir)
    expected = (
        "holds no SHACL shape (no sh:NodeShape, sh:PropertyShape or target): only the domain and range shapes derived "
        "from the ontology were checked; check that it is the file you meant to save"
    )
    report = validate(load(data_dir, ontology_dir))
    assert report.warnings == (f"ontology/shapes.ttl {expected}",)
    assert report.shapes_file is not None
    for args, shown in (
        (["--data", "data", "--ontology", "ontology", "validate"], "ontology/shapes.ttl"),
        (["--data", "data", "--ontology", "ontology", "validate"], "ontology/shapes.ttl"),  # from the cache
        (["--store", "store", "validate"], "store/ontology/shapes.ttl"),
        (["--data", "data", "--ontology", "ontology", "build", "--out", "out"], "ontology/shapes.ttl"),
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert f"warning: {shown} {expected}\n" in result.stderr
        if args[-1] == "validate":
            assert result.stdout == "Conforms: yes (0 violations, 0 warnings, 0 infos)\n"


def test_a_shapes_file_with_a_shape_or_none_at_all_is_no_warning(make_kg, tmp_path):
    """A shape of its own (a target, a path or a class makes one) is no warning; nor is no shapes.ttl, which the
    verdict line names already."""
    assert _validate(make_kg, GOOD).warnings == ()
    only_path = PREFIXES + "kg:x sh:path rdfs:label ; sh:minCount 1 .\n"
    assert _validate(make_kg, GOOD, only_path).warnings == ()
    (tmp_path / "ontology" / "shapes.ttl").unlink()
    assert validate(load(tmp_path / "data", tmp_path / "ontology")).warnings == ()


def test_an_empty_shapes_file_warns_after_a_cached_outcome_without_one(make_kg, tmp_path):
    """No shapes.ttl and an empty one had one cache key: validating with none, then with an empty one, took the
    first outcome from the cache, and the empty file's warning was lost."""
    data_dir, ontology_dir = make_kg({"d.trig": GOOD})
    assert validate(load(data_dir, ontology_dir)).warnings == ()
    (ontology_dir / "shapes.ttl").write_text("", encoding="utf-8")
    report = validate(load(data_dir, ontology_dir))
    assert report.warnings == (validation.no_shapes_warning(ontology_dir / "shapes.ttl"),)


def test_the_report_as_turtle_does_not_depend_on_its_blank_nodes_names(make_kg):
    """rdflib draws the names of the report's blank nodes (the report, each result, each shape's constraint) at
    random, and its Turtle writer orders them by name: the report's text must be the same whatever they are."""
    from rdflib import BNode  # noqa: PLC0415

    report = _validate(make_kg, BAD)
    blanks = sorted({term for triple in report.graph for term in triple if isinstance(term, BNode)})
    assert len(blanks) > 3

    def renamed(names: list[str]) -> str:
        mapping = dict(zip(blanks, (BNode(name) for name in names), strict=True))
        graph = Graph(bind_namespaces="none")
        for prefix, namespace in report.graph.namespaces():
            graph.bind(prefix, namespace)
        for triple in report.graph:
            graph.add(tuple(mapping.get(term, term) for term in triple))
        return dataclasses.replace(report, graph=graph).turtle()

    names = [f"n{number:03}" for number in range(len(blanks))]
    text = renamed(names)
    assert text == renamed(names[::-1])
    assert text == report.turtle()
    assert "sh:conforms false" in text and "_:" not in text


@pytest.mark.parametrize("where", ["memory", "store"])
def test_several_classes_or_values_each_result_names_the_one_it_is_about(make_kg, in_tmp, where):
    """A shape with ``sh:class`` A, B, C asks for all three (and ``sh:hasValue`` x, y for both): pySHACL gives one
    result for each that fails, alike but for their message, which lists them all in an order of its own. The rule
    and the fix named one of them, whichever the shapes graph gave first, for every result: the same class twice,
    and ``add kg:uses kgr:zeta`` to a node that has it. Each now names the one it is about, and says so in its
    message and in the report as RDF."""
    shapes = PREFIXES + (
        "kg:S a sh:NodeShape ; sh:targetClass kg:Company ;\n"
        "    sh:property [ sh:path kg:customerOf ; sh:class kg:Organization , kg:Chip , kg:AIModel ] ,\n"
        "        [ sh:path kg:uses ; sh:hasValue kgr:acme , kgr:zeta ] .\n"
    )
    data = PREFIXES + (
        "src:s {\n"
        "    kgr:acme a kg:Company ; kg:customerOf kgr:globex ; kg:uses kgr:acme .\n"
        "    kgr:globex a kg:Company .\n"
        "    kgr:zeta a kg:Company ; kg:uses kgr:zeta .\n"
        "}\n"
    )
    report = _validated(where, make_kg, in_tmp, data, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": shapes})
    assert [(r.focus, r.constraint, r.message, r.fix) for r in report.results] == [
        (
            "kgr:acme",
            "sh:class kg:AIModel",
            "Value does not have class kg:AIModel",
            "point kg:customerOf at a kg:AIModel, or give kgr:globex the class kg:AIModel",
        ),
        (
            "kgr:acme",
            "sh:class kg:Chip",
            "Value does not have class kg:Chip",
            "point kg:customerOf at a kg:Chip, or give kgr:globex the class kg:Chip",
        ),
        (
            "kgr:acme",
            "sh:hasValue kgr:zeta",
            "Node kgr:acme->kg:uses does not contain kgr:zeta",
            "add kg:uses kgr:zeta",
        ),
        (
            "kgr:globex",
            "sh:hasValue kgr:acme",
            "Node kgr:globex->kg:uses does not contain kgr:acme",
            "add kg:uses kgr:acme",
        ),
        (
            "kgr:globex",
            "sh:hasValue kgr:zeta",
            "Node kgr:globex->kg:uses does not contain kgr:zeta",
            "add kg:uses kgr:zeta",
        ),
        (
            "kgr:zeta",
            "sh:hasValue kgr:acme",
            "Node kgr:zeta->kg:uses does not contain kgr:acme",
            "add kg:uses kgr:acme",
        ),
    ]
    assert sorted(str(m) for m in report.graph.objects(None, SH.resultMessage)) == sorted(
        r.message for r in report.results
    )


def test_several_classes_a_value_lacks_that_no_result_tells_apart_are_named_together():
    """Where the results cannot be paired with the values of the parameter (fewer results than classes the value
    lacks), each names them all, in a fixed order, and the fix asks for every one; classes the value has through a
    sub-class are not among them."""
    shapes, data, names = Graph(), Graph(), validation._names()
    for kind in (KG.Chip, KG.Organization, KG.AIModel):
        shapes.add((KGSH.S, SH["class"], kind))
    data.add((KGR.globex, RDF.type, KG.Company))
    data.add((KG.Company, RDFS.subClassOf, KG.Organization))
    broken = validation._broken_parameters("class", KGSH.S, KGR.acme, KGR.globex, (shapes, data))
    assert broken == [KG.AIModel, KG.Chip]
    several = validation._several(broken, names)
    assert several == "kg:AIModel and kg:Chip"
    assert validation._OWN_MESSAGES["class"]("kgr:acme", "kg:customerOf", several) == (
        "Value does not have the classes kg:AIModel and kg:Chip"
    )
    assert validation._fix("class", "kg:customerOf", None, KGR.globex, (shapes, names), several=several) == (
        "point kg:customerOf at something of the classes kg:AIModel and kg:Chip, or give kgr:globex those classes"
    )


@pytest.mark.parametrize("where", ["memory", "store"])
def test_a_class_in_a_namespace_close_to_the_ontologys_is_named_in_the_fix(make_kg, in_tmp, where):
    """A file whose prefix for kg: says http:// where the ontology's is https:// gives its nodes classes the shapes
    cannot see: the violation said only that the node has no class from the ontology, which it seemed to have. The
    fix now names the class written, the one meant and both namespaces; a class of another vocabulary (schema.org's
    Organization, whose name the ontology also declares) is no such slip."""
    shapes = PREFIXES + (
        "kg:S a sh:NodeShape ; sh:targetNode kgr:acme , kgr:globex ;\n"
        '    sh:property [ sh:path rdf:type ; sh:qualifiedValueShape [ sh:pattern "^https://w3id\\\\.org/kgraph/" ] ;\n'
        "        sh:qualifiedMinCount 1 ] .\n"
    )
    data = PREFIXES.replace("<https://w3id.org/kgraph/ontology#>", "<http://w3id.org/kgraph/ontology#>") + (
        "src:s {\n"
        '    kgr:acme a kg:Company ; rdfs:label "Acme"@en .\n'
        '    kgr:globex a schema:Organization ; rdfs:label "Globex"@en .\n'
        "}\n"
    )
    assert "@prefix kg: <http://w3id.org/kgraph/ontology#>" in " ".join(data.split())
    report = _validated(where, make_kg, in_tmp, data, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": shapes})
    fixes = {result.focus: result.fix for result in report.results}
    assert fixes["kgr:acme"].endswith(
        "; its class <http://w3id.org/kgraph/ontology#Company> is not kg:Company, whose namespace is "
        "<https://w3id.org/kgraph/ontology#>, not <http://w3id.org/kgraph/ontology#>: correct the @prefix in its file"
    )
    assert "namespace" not in fixes["kgr:globex"]


@pytest.mark.parametrize("where", ["memory", "store"])
def test_a_value_missing_that_is_written_in_a_namespace_close_to_the_paths_is_named_in_the_fix(make_kg, in_tmp, where):
    """A file whose prefix for schema: says http://schema.org/ (as many examples of schema.org do), or whose rdfs:
    says https://, writes its descriptions and labels with properties no shape looks at: the violation said to add
    the schema:description or the label the file seemed to hold. The fix now names the property written and the
    namespace meant; a node that has no such property at all gets the fix it had."""
    shapes = PREFIXES + (
        "kg:S a sh:NodeShape ; sh:targetNode kgr:acme , kgr:globex ;\n"
        "    sh:property [ sh:path schema:description ; sh:minCount 1 ] ;\n"
        '    sh:property [ sh:path rdfs:label ; sh:qualifiedValueShape [ sh:languageIn ( "zh" ) ] ;\n'
        "        sh:qualifiedMinCount 1 ] .\n"
    )
    mistyped = PREFIXES.replace("<https://schema.org/>", "<http://schema.org/>").replace(
        "<http://www.w3.org/2000/01/rdf-schema#>", "<https://www.w3.org/2000/01/rdf-schema#>"
    )
    data = mistyped + (
        "src:s {\n"
        '    kgr:acme a kg:Company ; rdfs:label "艾克米"@zh ; schema:description "A company."@en .\n'
        "    kgr:globex a kg:Company .\n"
        "}\n"
    )
    report = _validated(where, make_kg, in_tmp, data, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": shapes})
    fixes = {(result.focus, result.path): result.fix for result in report.results}
    assert fixes[("kgr:acme", "schema:description")] == (
        "add schema:description (at least 1 value); it has <http://schema.org/description>, which is not "
        "schema:description, whose namespace is <https://schema.org/>, not <http://schema.org/>: correct the "
        "@prefix in its file"
    )
    assert fixes[("kgr:acme", "rdfs:label")] == (
        "add rdfs:label values of the kind the message asks for (at least 1); it has "
        "<https://www.w3.org/2000/01/rdf-schema#label>, which is not rdfs:label, whose namespace is "
        "<http://www.w3.org/2000/01/rdf-schema#>, not <https://www.w3.org/2000/01/rdf-schema#>: correct the @prefix "
        "in its file"
    )
    assert fixes[("kgr:globex", "schema:description")] == "add schema:description (at least 1 value)"


def test_namespaces_close_to_the_ontologys():
    declared = {KG.Company, KG.uses}
    near = validation._near_kg_term
    assert near(URIRef("http://w3id.org/kgraph/ontology#Company"), declared) == (
        "http://w3id.org/kgraph/ontology#Company",
        "http://w3id.org/kgraph/ontology#",
        KG.Company,
    )
    assert near(URIRef("https://w3id.org/kgraph/ontology/Company"), declared)[2] == KG.Company
    assert near(URIRef("https://w3id.org/kgraf/ontology#Company"), declared)[2] == KG.Company
    assert near(URIRef("http://w3id.org/kgraph/ontology#Compny"), declared) is None  # the name itself is misspelt
    assert near(URIRef("https://schema.org/Company"), declared) is None
    assert near(KG.Company, declared) is None
    assert near(Literal("Company"), declared) is None


@pytest.mark.parametrize(
    "namespace", ["http://w3id.org/kgraph/ontology#", "https://w3id.org/kgraph/ontology/"], ids=["http", "slash"]
)
def test_a_property_in_a_namespace_close_to_the_ontologys_is_named_with_the_one_meant(tmp_path, monkeypatch, namespace):
    """A triple whose property is in the ontology's namespace written with http://, or with / for # (a file's
    ``@prefix kg:`` mistyped), broke no shape: the relation counted for nothing, and nothing said so. It is a kg:
    name the ontology does not declare, whose fix names the one meant (or the closest, the name misspelt too) and
    both namespaces, in memory and on a store alike. An IRI an ontology names as a version or an import
    (``<https://w3id.org/kgraph/ontology/1>``, the version IRI) is no such name."""
    from kgraph import persist  # noqa: PLC0415 - for this test only

    monkeypatch.setenv("KGRAPH_NO_CACHE", "1")
    data_dir = tmp_path / "data"
    shutil.copytree(default_data_dir(), data_dir)
    mistyped = PREFIXES.replace("<https://w3id.org/kgraph/ontology#>", f"<{namespace}>")
    assert mistyped != PREFIXES
    (data_dir / "zz-near.trig").write_text(
        mistyped
        + "src:sony { kgr:sony kg:uses kgr:aws ; kg:usess kgr:aws .\n"
        + '    kgr:own a schema:Organization ; rdfs:label "Own"@en ;\n'
        + "        owl:imports <https://w3id.org/kgraph/ontology/1> ;\n"
        + "        owl:priorVersion <https://w3id.org/kgraph/ontology/0> . }\n",
        encoding="utf-8",
    )
    persist.build(tmp_path / "store", data_dir, default_ontology_dir())
    namespaces = f"the ontology's namespace is <https://w3id.org/kgraph/ontology#>, not <{namespace}>"
    for loaded in (load(data_dir, default_ontology_dir()), persist.open_store(tmp_path / "store")):
        report = validate(loaded)
        found = [(r.focus, r.value, r.fix) for r in report.results if r.shape == "kgsh:DeclaredTermShape"]
        assert found == [
            ("kgr:sony", f"<{namespace}uses>", f"write kg:uses: {namespaces}; correct the @prefix in its file"),
            (
                "kgr:sony",
                f"<{namespace}usess>",
                f"replace <{namespace}usess> with a class, property or value of "
                f"the ontology (did you mean kg:uses?): {namespaces}; correct the @prefix in its file",
            ),
        ]

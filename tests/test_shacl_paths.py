"""SHACL property paths written as SPARQL (kgraph.shapes.render_path): in validation reports and on the ontology
page, a path reads as SPARQL reads it, with brackets where its precedence needs them."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Namespace, URIRef
from rdflib.extras.shacl import parse_shacl_path
from rdflib.namespace import RDF, SH

from conftest import MINI_ONTOLOGY, PREFIXES
from kgraph import validation
from kgraph.cli import cli
from kgraph.export import ontology
from kgraph.shapes import render_path
from kgraph.store import load

EX = Namespace("https://example.org/")

# (the SHACL path in Turtle, as SPARQL writes it)
PATHS = [
    ("ex:a", "ex:a"),
    ("[ sh:inversePath ex:a ]", "^ex:a"),
    ("( ex:a ex:b )", "ex:a/ex:b"),
    ("[ sh:alternativePath ( ex:a [ sh:inversePath ex:b ] ) ]", "ex:a|^ex:b"),
    ("[ sh:inversePath ( ex:a ex:b ) ]", "^(ex:a/ex:b)"),
    ("( [ sh:alternativePath ( ex:a ex:b ) ] ex:c )", "(ex:a|ex:b)/ex:c"),
    ("[ sh:alternativePath ( ( ex:a ex:b ) ex:c ) ]", "ex:a/ex:b|ex:c"),
    ("[ sh:zeroOrMorePath ( ex:a ex:b ) ]", "(ex:a/ex:b)*"),
    ("[ sh:oneOrMorePath [ sh:inversePath ex:a ] ]", "(^ex:a)+"),
    ("[ sh:inversePath [ sh:zeroOrOnePath ex:a ] ]", "^ex:a?"),
    ("[ sh:inversePath [ sh:inversePath ex:a ] ]", "^(^ex:a)"),
    ("[ sh:zeroOrMorePath [ sh:alternativePath ( ex:a ex:b ) ] ]", "(ex:a|ex:b)*"),
    ("( ex:a [ sh:oneOrMorePath ex:b ] [ sh:inversePath ex:c ] )", "ex:a/ex:b+/^ex:c"),
    ("[ sh:alternativePath ( ex:a [ sh:alternativePath ( ex:b ex:c ) ] ) ]", "ex:a|(ex:b|ex:c)"),
]


def shapes_with(path: str) -> tuple[Graph, URIRef]:
    shapes = Graph()
    shapes.parse(
        data=f"@prefix sh: <{SH}> . @prefix ex: <{EX}> . ex:shape sh:path {path} .",
        format="turtle",
    )
    node = shapes.value(EX.shape, SH.path)
    assert node is not None
    return shapes, node


@pytest.fixture(scope="module")
def links() -> Graph:
    """Random links between a few nodes, enough for two different paths to reach different pairs."""
    chosen = random.Random(7)  # noqa: S311 - seeded test data
    graph = Graph()
    nodes = [EX[f"n{i}"] for i in range(7)]
    for _ in range(30):
        graph.add((chosen.choice(nodes), EX[chosen.choice("abc")], chosen.choice(nodes)))
    return graph


@pytest.mark.parametrize(("turtle", "expected"), PATHS)
def test_a_path_is_written_as_sparql_with_brackets_where_needed(turtle, expected):
    shapes, node = shapes_with(turtle)
    assert render_path(node, shapes, shapes) == expected


@pytest.mark.parametrize(("turtle", "expected"), PATHS)
def test_sparql_reads_the_written_path_as_the_shape_means_it(turtle, expected, links):
    """The text, run as SPARQL, reaches the pairs the SHACL path reaches (rdflib's reading of SHACL paths)."""
    shapes, node = shapes_with(turtle)
    written = render_path(node, shapes, shapes)
    meant = parse_shacl_path(shapes, node)
    reached = {(s, o) for s, o in meant.eval(links)} if not isinstance(meant, URIRef) else set(links[:meant:])
    rows = links.query(f"PREFIX ex: <{EX}> SELECT ?s ?o WHERE {{ ?s {written} ?o }}")
    assert {(row[0], row[1]) for row in rows} == reached  # type: ignore[index]
    assert reached, "a path that reaches nothing cannot tell two readings apart"


NESTED_SHAPE = """
@prefix kgsh: <https://w3id.org/kgraph/shapes#> .
kgsh:UserShape a sh:NodeShape ; sh:targetClass kg:Chip ;
    sh:property [ sh:path [ sh:inversePath ( kg:uses kg:developedBy ) ] ; sh:minCount 1 ;
        sh:message "a chip needs a maker of something that uses it" ] .
"""


def test_the_ontology_page_and_a_validation_report_write_a_nested_path_alike(make_kg):
    data_dir, ontology_dir = make_kg(
        {"d.ttl": PREFIXES + 'kgr:c a kg:Chip ; rdfs:label "C"@en .'},
        {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": PREFIXES + NESTED_SHAPE},
        rules=False,
    )
    loaded = load(data_dir, ontology_dir)
    page = " ".join(ontology.render_page(loaded).decode("utf-8").split())
    assert "^(kg:uses/kg:developedBy)" in page
    report = validation.validate(loaded)
    assert [r.path for r in report.results if r.constraint.startswith("sh:minCount")] == ["^(kg:uses/kg:developedBy)"]


# (a malformed SHACL path in Turtle, as the report and the page write it): no SHACL path, pySHACL refuses each
MALFORMED = [
    ("[ sh:alternativePath () ]", "(path)"),  # was "": a blank, which reads as a rule on the node itself
    ("[ sh:alternativePath ex:a ]", "(path)"),  # not a list: was ""
    ("[ sh:inversePath [ sh:alternativePath () ] ]", "^(path)"),  # was ^()
    ("( ex:a )", "(path)"),  # a sequence of one: was ex:a, which reads as a path SHACL takes
    ("[ sh:alternativePath ( ex:a ) ]", "(path)"),
    ('[ sh:inversePath "a" ]', "^(path)"),  # a literal: was ^a
    ("[ ex:a ex:b ]", "(path)"),
    ("( [] ex:b )", "(path)/ex:b"),
    (f"_:l . _:l <{RDF.first}> ex:a", "(path)"),  # a list with no rdf:rest
]


@pytest.mark.parametrize(("turtle", "expected"), MALFORMED)
def test_a_malformed_path_is_written_as_no_path_never_as_a_name_or_a_blank(turtle, expected):
    shapes, node = shapes_with(turtle)
    assert render_path(node, shapes, shapes) == expected


@pytest.mark.parametrize(
    ("turtle", "held"),
    [
        ("( ex:a ex:b )", None),
        ("_:l . _:l rdf:first ex:a", None),  # stops short: not refused here (pySHACL's to judge)
        ("_:l . _:l rdf:first ex:a ; rdf:rest [ rdf:first ex:b ; rdf:rest _:l ]", "the sh:path of ex:shape"),
        (  # a list that runs into a loop: nothing but its rdf:rest holds a node of the loop
            "[ rdf:first ex:a ; rdf:rest _:l ] . _:l rdf:first ex:b ; rdf:rest [ rdf:first ex:c ; rdf:rest _:l ]",
            "a list of the shapes",
        ),
    ],
    ids=["ends", "stops-short", "loops", "runs-into-a-loop"],
)
def test_only_a_list_that_comes_back_to_itself_is_refused_before_pyshacl(turtle, held):
    shapes, _node = shapes_with(turtle.replace("rdf:first", f"<{RDF.first}>").replace("rdf:rest", f"<{RDF.rest}>"))
    if held is None:
        validation._refuse_looping_lists(shapes)
        return
    with pytest.raises(validation.InputError) as caught:
        validation._refuse_looping_lists(shapes)
    assert str(caught.value) == (
        f"the SHACL shapes cannot be used: {held} is a list whose rdf:rest comes back to itself; end it with rdf:nil, "
        "fix the shapes and run again"
    )


# a path that holds itself: an inverse of itself (a RecursionError), a list whose rdf:rest comes back (rdflib's
# Collection raised ValueError), each a traceback of kgraph build, which writes the ontology page
CYCLES = [
    ("_:p . _:p sh:inversePath _:p", "^(path)"),
    ("_:l . _:l rdf:first kg:uses ; rdf:rest _:l", "(path)"),
    ("[ sh:alternativePath _:l ] . _:l rdf:first kg:uses ; rdf:rest [ rdf:first kg:uses ; rdf:rest _:l ]", "(path)"),
]


def chip_with_a_path(make_kg, turtle: str) -> tuple[Path, Path]:
    """Data and ontology folders of one chip and a shape on chips whose property's ``sh:path`` is ``turtle``."""
    shape = f"""@prefix kgsh: <https://w3id.org/kgraph/shapes#> .
        kgsh:UserShape a sh:NodeShape ; sh:targetClass kg:Chip ; sh:property kgsh:UserPath .
        kgsh:UserPath sh:minCount 1 ; sh:path {turtle} ."""
    return make_kg(
        {"d.ttl": PREFIXES + 'kgr:c a kg:Chip ; rdfs:label "C"@en .'},
        {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": PREFIXES + shape},
        rules=False,
    )


@pytest.mark.parametrize(("turtle", "expected"), CYCLES, ids=["inverse", "sequence", "alternatives"])
def test_the_ontology_page_writes_a_path_that_holds_itself_as_no_path(make_kg, turtle, expected):
    data_dir, ontology_dir = chip_with_a_path(make_kg, turtle)
    page = ontology.render_page(load(data_dir, ontology_dir)).decode("utf-8")
    assert f"<td><code>{expected}</code></td><td><code>sh:minCount 1</code></td>" in page


@pytest.mark.parametrize(
    ("turtle", "held"),
    [
        (CYCLES[1][0], "the sh:path of kgsh:UserPath"),
        (CYCLES[2][0], "the sh:alternativePath of a sh:path of kgsh:UserPath"),
        (  # three blank nodes up to the shape: its name was left off
            "[ sh:inversePath [ sh:zeroOrMorePath [ sh:alternativePath _:l ] ] ] . "
            "_:l rdf:first kg:uses ; rdf:rest [ rdf:first kg:uses ; rdf:rest _:l ]",
            "the sh:alternativePath of a sh:zeroOrMorePath of a sh:inversePath of a sh:path of kgsh:UserPath",
        ),
    ],
    ids=["sequence", "alternatives", "nested"],
)
def test_validate_names_a_list_that_comes_back_to_itself_in_one_line(make_kg, turtle, held):
    """pySHACL stopped on such a list with rdflib's traceback; kgraph says which shape holds it and exits 2."""
    data_dir, ontology_dir = chip_with_a_path(make_kg, turtle)
    result = CliRunner().invoke(cli, ["--data", str(data_dir), "--ontology", str(ontology_dir), "validate"])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        f"Error: the SHACL shapes cannot be used: {held} is a list whose rdf:rest comes back to itself; end it "
        "with rdf:nil, fix the shapes and run again"
    ]

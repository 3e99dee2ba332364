"""SHACL-SPARQL constraints run once over all focus nodes (kgraph.sparql_once, kgraph.shacl_scope).

On a store, a constraint whose query is of a form kgraph.sparql_once accepts is run once with ``$this`` unbound;
the focus nodes without a row are cleared, and pySHACL checks the rest as before. The report must stay the one
pySHACL gives on every node (in memory), whatever the query; a form that is not accepted is left to pySHACL.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, URIRef

from conftest import MINI_ONTOLOGY, PREFIXES, both_ways, bundled_with, checked_scope, generated_data
from kgraph import oxstore, persist, shacl_scope, sparql_once, validation
from kgraph.resources import default_ontology_dir
from kgraph.store import LoadedGraph
from kgraph.vocab import KGSH, SH

EX = "https://example.org/once#"
DECLARED = f"PREFIX ex: <{EX}>\nPREFIX kg: <https://w3id.org/kgraph/ontology#>\n"


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KGRAPH_NO_CACHE", "1")


# --- the decision, form by form

ACCEPTED = [
    "SELECT $this WHERE { $this ex:p ?x }",
    "SELECT * WHERE { $this ex:p ?x }",
    "SELECT DISTINCT $this ?x WHERE { $this ex:p ?x } ORDER BY ?x",
    "SELECT $this WHERE { $this ex:p $this }",
    "SELECT $this WHERE { ?x ex:p $this }",
    "SELECT $this WHERE { ?s $this ?o }",
    "SELECT $this WHERE { { $this ex:p ?x } UNION { ?x ex:q $this } }",
    "SELECT $this WHERE { $this ex:p ?x FILTER (?x != $this) }",
    "SELECT $this WHERE { FILTER (isIRI($this)) $this ex:p ?x }",  # a FILTER is of the whole group
    "SELECT $this WHERE { ?x ex:q ?y FILTER NOT EXISTS { $this ex:r ?y } $this ex:p ?x }",
    "SELECT $this WHERE { $this ex:p ?x BIND (STR($this) AS ?s) }",
    "SELECT $this WHERE { $this ex:p ?x OPTIONAL { ?x ex:q ?y FILTER (?y != $this) } }",
    "SELECT $this WHERE { $this ex:p ?x OPTIONAL { $this ex:q ?y } FILTER (!BOUND(?y)) }",
    "SELECT $this WHERE { ?a ex:p ?b OPTIONAL { ?b ex:q ?c } $this ex:r ?a }",
    "SELECT $this WHERE { $this ex:p+ ?x }",
    "SELECT $this WHERE { $this (ex:p|^ex:q)+ $this }",
    "SELECT $this WHERE { $this ex:p/ex:q* ?x }",
    "SELECT $this WHERE { ?x ex:p* ?y . $this ex:q ?x }",
    "SELECT $this (COUNT(?x) AS ?n) WHERE { $this ex:p ?x } GROUP BY $this HAVING (COUNT(?x) > 1)",
    "SELECT $this ?x (MIN(STR(?y)) AS ?m) WHERE { $this ex:p ?x OPTIONAL { ?x ex:q ?y } } GROUP BY $this ?x",
]

REFUSED = [
    ("ASK { $this ex:p ?x }", "not a SELECT"),
    ("SELECT ?x WHERE { $this ex:p ?x }", "not selected"),
    ("SELECT $this FROM <https://example.org/g> WHERE { $this ex:p ?x }", "FROM"),
    ("SELECT $this WHERE { $this ex:p ?x } LIMIT 1", "LIMIT"),
    ("SELECT $this WHERE { $this ex:p ?x } OFFSET 1", "LIMIT"),
    ("SELECT $this WHERE { { $this ex:p ?x } UNION { ?x ex:q ?y } }", "not bound in every solution"),
    ("SELECT $this WHERE { ?x ex:p ?y OPTIONAL { $this ex:q ?y } }", "OPTIONAL whose left side"),
    ("SELECT $this WHERE { ?x ex:p ?y OPTIONAL { ?y ex:q ?z FILTER (?z != $this) } $this ex:r ?x }", "OPTIONAL"),
    ("SELECT $this WHERE { $this ex:r ?x { ?x ex:q ?z FILTER (?z != $this) } }", "may be unbound"),
    ("SELECT $this WHERE { ?x ex:p ?y BIND (STR($this) AS ?s) $this ex:r ?x }", "may be unbound"),
    ("SELECT $this WHERE { $this ex:p ?x BIND (?x AS $this) }", "gives $this a value"),
    ("SELECT $this WHERE { $this ex:p* ?x }", "zero steps"),
    ("SELECT $this WHERE { ?x ex:p? $this }", "zero steps"),
    ("SELECT $this WHERE { $this (ex:p|ex:q*) ?x }", "zero steps"),
    ("SELECT $this WHERE { $this ^(ex:p*) ?x }", "zero steps"),
    ("SELECT $this WHERE { $this ex:p ?x MINUS { $this ex:q ?x } }", "MINUS"),
    ("SELECT $this WHERE { $this ex:p ?x FILTER NOT EXISTS { ?x ex:q ?y MINUS { ?y ex:r ?z } } }", "MINUS"),
    ("SELECT $this WHERE { $this ex:p ?x VALUES ?x { ex:a } }", "VALUES"),
    ("SELECT $this WHERE { $this ex:p ?x { SELECT ?x WHERE { ?x ex:q ?y } } }", "sub-SELECT"),
    ("SELECT $this WHERE { $this ex:p ?x FILTER EXISTS { SELECT ?x WHERE { ?x ex:q ?y } } }", "sub-SELECT"),
    ("SELECT $this WHERE { GRAPH ?g { $this ex:p ?x } }", "GRAPH"),
    ("SELECT $this WHERE { $this ex:p ?x SERVICE <https://example.org/s> { ?x ex:q ?y } }", "SERVICE"),
    ("SELECT (COUNT(?x) AS ?n) WHERE { $this ex:p ?x } HAVING (COUNT(?x) = 0)", "not selected"),
    ("SELECT ?x (SAMPLE($this) AS ?this) WHERE { $this ex:p ?x } GROUP BY ?x", "not grouped by $this"),
    ("SELECT $this WHERE { $this ex:p ?x ", "cannot read"),
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_forms_that_may_run_once(text):
    assert sparql_once.refusal(DECLARED + text) is None


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_forms_left_to_pyshacl_and_why(text, reason):
    found = sparql_once.refusal(DECLARED + text)
    assert found is not None
    assert reason in found


def test_both_shipped_constraints_may_run_once():
    shapes = Graph().parse(default_ontology_dir() / "shapes.ttl")
    texts = [str(shapes.value(node, SH.select)) for node in shapes.objects(KGSH.SucceedsShape, SH.sparql)]
    assert len(texts) == 2
    declared = DECLARED + "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    declared += "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    for text in texts:
        assert sparql_once.refusal(declared + text) is None, text


# --- random graphs and random constraints: the report of pySHACL on every node

NODES = [f"ex:n{number}" for number in range(1, 5)]
TERMS = [*NODES, '"lit"', '"en"@en', "7"]

TRIPLE_SUBJECTS = ["?this", "?a", "?b", "ex:n1"]
TRIPLE_OBJECTS = ["?this", "?a", "?b", "?c", "ex:n2", '"lit"']
PATHS = ["ex:p", "ex:q", "^ex:p", "ex:p+", "(ex:p|^ex:q)+", "ex:p/ex:q", "ex:p*", "ex:q?", "(ex:p|ex:q)"]
EXPRESSIONS = [
    "?a != ?this",
    "BOUND(?this)",
    "!BOUND(?a)",
    "sameTerm(?b, ?this)",
    "isIRI(?this)",
    "?a = ex:n3",
    "NOT EXISTS { ?this ex:q ?a }",
    "EXISTS { ?a ex:p ?this }",
    "NOT EXISTS { ?b ex:r ?c }",
]


def _triple(draw: st.DrawFn) -> str:
    subject = draw(st.sampled_from(TRIPLE_SUBJECTS))
    return f"{subject} {draw(st.sampled_from(PATHS))} {draw(st.sampled_from(TRIPLE_OBJECTS))} ."


def _group(draw: st.DrawFn, depth: int, bound: list[str]) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["triple", "triple", "optional", "union", "filter", "bind", "group"]))
        if kind == "triple" or depth >= 2:
            parts.append(_triple(draw))
        elif kind == "optional":
            parts.append(f"OPTIONAL {{ {_group(draw, depth + 1, bound)} }}")
        elif kind == "union":
            parts.append(f"{{ {_group(draw, depth + 1, bound)} }} UNION {{ {_group(draw, depth + 1, bound)} }}")
        elif kind == "filter":
            parts.append(f"FILTER ({draw(st.sampled_from(EXPRESSIONS))})")
        elif kind == "bind":
            bound.append(f"?bound{len(bound)}")  # a new variable each time: SPARQL refuses to BIND one in scope
            parts.append(f"BIND (STR({draw(st.sampled_from(['?this', '?a']))}) AS {bound[-1]})")
        else:
            parts.append(f"{{ {_group(draw, depth + 1, bound)} }}")
    return " ".join(parts)


@st.composite
def constraints(draw: st.DrawFn) -> str:
    """A SHACL-SPARQL query: some of the forms kgraph.sparql_once accepts, some it does not. Each is one Oxigraph
    answers (on a store, rdflib's evaluation of a query over the store fails on a zero-length path that reaches a
    literal, as before: not what is tested here)."""
    where = _group(draw, 0, [])
    head = draw(
        st.sampled_from(
            [
                "SELECT $this WHERE {{ {} }}",
                "SELECT DISTINCT $this ?a WHERE {{ {} }}",
                "SELECT * WHERE {{ {} }}",
                "SELECT ?a WHERE {{ {} }}",
                "SELECT $this ?value WHERE {{ {} }}",
                "SELECT $this WHERE {{ {} }} LIMIT 1",
                "SELECT $this (COUNT(?a) AS ?n) WHERE {{ {} }} GROUP BY $this",
                "SELECT $this (COUNT(?a) AS ?n) WHERE {{ {} }} GROUP BY $this HAVING (COUNT(?a) > 1)",
            ]
        )
    )
    return head.format(where.replace("?value", "?a"))


@st.composite
def graphs(draw: st.DrawFn) -> str:
    lines = [f"{node} a ex:C ." for node in draw(st.lists(st.sampled_from(NODES), max_size=3, unique=True))]
    for _ in range(draw(st.integers(0, 14))):
        subject = draw(st.sampled_from(NODES))
        predicate = draw(st.sampled_from(["ex:p", "ex:q", "ex:r"]))
        lines.append(f"{subject} {predicate} {draw(st.sampled_from(TERMS))} .")
    section = "<https://w3id.org/kgraph/source/reinvent-2025-keynote/s>"
    return f"@prefix ex: <{EX}> .\n{section} {{\n" + "\n".join(lines) + "\n}\n"


def _shapes(query: str) -> str:
    # ex:n4 is a target whether the data mentions it or not: `<n4> ex:p* ?x` matches it, `?this ex:p* ?x` does not.
    select = query.replace("\\", "\\\\").replace('"', '\\"')
    return (
        PREFIXES
        + f"""@prefix ex: <{EX}> .
ex:Shape a sh:NodeShape ;
    sh:targetSubjectsOf ex:p ; sh:targetClass ex:C ; sh:targetNode ex:n4 ;
    sh:sparql [ sh:select \"\"\"PREFIX ex: <{EX}>
{select}\"\"\" ; sh:message "broken" ] .
"""
    )


def _outcome(loaded: LoadedGraph) -> object:
    try:
        report = validation.validate(loaded)
    except Exception as error:  # a query pySHACL refuses: the same error both ways
        return type(error), str(error)
    return report.conforms, report.results  # where each problem is written too


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=graphs(), query=constraints())
def test_random_constraints_give_pyshacls_report_on_every_node(make_kg, monkeypatch, data, query):
    monkeypatch.setattr(shacl_scope, "SPARQL_ONCE_SHARE", 0)  # run once however few the nodes
    with tempfile.TemporaryDirectory() as folder:
        data_dir, ontology_dir = make_kg({"d.trig": data}, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": _shapes(query)})
        in_memory, on_store = both_ways(data_dir, ontology_dir, Path(folder) / "store")
        assert _outcome(on_store) == _outcome(in_memory), query
        (Path(folder) / "copy").mkdir()
        scope = checked_scope(on_store, Path(folder) / "copy")
        checks = dict(scope.candidates())
        (constraint,) = scope.shapes.objects(URIRef(EX + "Shape"), SH.sparql)
        rows = scope.sparql_rows(URIRef(EX + "Shape"), constraint)
        refused = sparql_once.refusal(DECLARED + query)
        event(f"refused: {refused}" if refused is not None else "run once")
        if refused is not None:  # left alone: pySHACL gets every focus node, as before
            assert rows is None
            assert constraint in scope.refused
            focus = set(checks.get(URIRef(EX + "Shape"), []))
            assert URIRef(EX + "n4") in focus
        elif rows is not None:  # pySHACL gets the nodes with a row, and only those
            assert set(checks.get(URIRef(EX + "Shape"), [])) <= rows


# --- the shipped shapes: the same report, and fewer nodes for pySHACL


#: Successions that break no rule (the chips break others: no label, no provenance).
FINE_SUCCESSIONS = (
    PREFIXES
    + """
<https://w3id.org/kgraph/source/reinvent-2025-keynote/s> {
    kgr:gen-three a kg:Chip ; kg:succeeds kgr:gen-two .
    kgr:gen-two a kg:Chip ; kg:succeeds kgr:gen-one .
    kgr:gen-one a kg:Chip .
    kgr:model-two a kg:AIModel . kgr:model-one a kg:AIModel ; kg:succeededBy kgr:model-two .
}
"""
)


def test_the_bundled_data_broken_in_succession_gives_the_same_report(tmp_path, monkeypatch):
    from test_validate import BROKEN  # noqa: PLC0415 - its successions across classes and in a loop

    monkeypatch.setattr(shacl_scope, "SPARQL_ONCE_SHARE", 0)
    in_memory, on_store = bundled_with(tmp_path, {"zz-broken.trig": BROKEN, "zz-fine.trig": FINE_SUCCESSIONS})
    expected = validation.validate(in_memory)
    found = validation.validate(on_store)
    assert found.results == expected.results
    assert any(result.constraint == "sh:sparql" for result in found.results)
    with tempfile.TemporaryDirectory() as folder:
        checks = dict(checked_scope(on_store, Path(folder)).candidates())
    # pySHACL gets the nodes that break a succession rule, and no other subject of kg:succeeds (without a row).
    broken = {result.focus for result in found.results if result.shape == "kgsh:SucceedsShape"}
    names = validation._names()
    handed = {validation._term(node, names) for node in checks.get(KGSH.SucceedsShape, [])}
    subjects = {s for s, _o in on_store.graph.subject_objects(URIRef("https://w3id.org/kgraph/ontology#succeeds"))}
    assert broken
    assert handed == broken
    assert {"kgr:gen-three", "kgr:gen-two", "kgr:model-two"} & handed == set()
    assert len(subjects) > len(handed)


def _generated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, triples: int) -> LoadedGraph:
    data_dir = generated_data(tmp_path, monkeypatch, triples)
    return persist.open_store(persist.build(tmp_path / "store", data_dir).store_dir)


def test_pyshacl_gets_no_succession_that_has_no_row(tmp_path, monkeypatch):
    """On bench/generate.py's graph no succession breaks a rule: pySHACL, which got every subject of kg:succeeds
    and asked Oxigraph two queries for each, gets none of them."""
    on_store = _generated(tmp_path, monkeypatch, 5000)
    subjects = {s for s, _o in on_store.graph.subject_objects(URIRef("https://w3id.org/kgraph/ontology#succeeds"))}
    assert len(subjects) > 10
    asked: list[str] = []
    answer = oxstore.sparql

    def counted(native, text, bindings=None, *args, **kwargs):
        if bindings and "kg:succeeds" in text:
            asked.append(str(bindings["this"]))
        return answer(native, text, bindings, *args, **kwargs)

    monkeypatch.setattr(oxstore, "sparql", counted)
    report = validation.validate(on_store)
    assert not any(result.shape == "kgsh:SucceedsShape" for result in report.results)
    assert asked == []


BLANK_FOCUS = """@prefix ex: <https://example.org/once#> .
<https://w3id.org/kgraph/source/reinvent-2025-keynote/s> {
    _:broken a ex:C ; ex:p ex:n1 .
    _:fine a ex:C ; ex:q ex:n1 .
    ex:n2 a ex:C ; ex:p _:target .
    _:target ex:p ex:n3 .
}
"""


@pytest.mark.parametrize(
    ("query", "broken_blank"),
    [
        ("SELECT $this WHERE { $this ex:p ?x }", True),
        ("SELECT $this ?x WHERE { $this ex:p ?x FILTER (isBlank($this)) }", True),
        ("SELECT $this WHERE { ?y ex:p $this }", True),
        ("SELECT $this WHERE { $this ex:p ?x FILTER (isIRI($this)) }", False),
    ],
)
def test_blank_focus_nodes_get_the_report_memory_gives(make_kg, monkeypatch, tmp_path, query, broken_blank):
    """Focus nodes may be blank nodes (here of the target class, or subjects of ex:p). Those the query run once
    finds no row for are cleared; a blank node with a row is one the scope cannot hand to pySHACL, which then
    validates everything. Either way the report is the one memory gives."""
    monkeypatch.setattr(shacl_scope, "SPARQL_ONCE_SHARE", 0)
    data_dir, ontology_dir = make_kg(
        {"d.trig": BLANK_FOCUS}, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": _shapes(query)}
    )
    in_memory, on_store = both_ways(data_dir, ontology_dir, tmp_path / "store")
    expected = _outcome(in_memory)
    assert expected[0] is False
    assert any(result.focus == "(blank node)" for result in expected[1]) is broken_blank
    assert _outcome(on_store) == expected
    (tmp_path / "copy").mkdir()
    scope = checked_scope(on_store, tmp_path / "copy")
    (constraint,) = scope.shapes.objects(URIRef(EX + "Shape"), SH.sparql)
    rows = scope.sparql_rows(URIRef(EX + "Shape"), constraint)
    assert rows is not None  # run once, not left to pySHACL
    assert any(isinstance(node, BNode) for node in rows) is broken_blank
    if broken_blank:
        with pytest.raises(shacl_scope.Unsupported, match="not an IRI"):
            dict(scope.candidates())
    else:
        assert set(dict(scope.candidates())[URIRef(EX + "Shape")]) == {URIRef(EX + "n2")}

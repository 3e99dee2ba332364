"""``kgraph query --update`` on a store: applied by Oxigraph to an in-memory copy of the flat graph, with the same
answer, summary and errors as rdflib's update of the graph in memory, and the store never changed
(:mod:`kgraph.query.updates`). A sub-query's ORDER BY, in an update or a query, keeps the rows it keeps in memory."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib.compare import isomorphic
from rdflib.graph import Graph

from conftest import patterns_asked
from kgraph.cli import cli
from kgraph.oxstore import native_of, write_nquads
from kgraph.persist import open_store
from kgraph.query import Policy, parse, run_local
from kgraph.query.updates import fits_oxigraph
from kgraph.vocab import KG, KGR


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def _store_quads(store_dir: Path) -> bytes:
    with open_store(store_dir) as loaded:
        out = io.BytesIO()
        native = native_of(loaded)
        assert native is not None
        write_nquads(native, out)
        return out.getvalue()


#: Updates, each given to the graph in memory (rdflib) and on a store (Oxigraph, or rdflib for what Oxigraph would
#: do otherwise); none makes a blank node, so the answers compare byte for byte.
SAME_ON_A_STORE = {
    "insert-data": "INSERT DATA { kgr:trainium5 kg:succeeds kgr:trainium4 }",
    "delete-where": "DELETE WHERE { ?s rdfs:label ?label }",
    "insert-delete": (
        "INSERT DATA { kgr:trainium5 kg:succeeds kgr:trainium4 } ; DELETE WHERE { kgr:trainium4 kg:succeeds ?x }"
    ),
    "delete-insert-where": (
        'DELETE { ?s a kg:Chip } INSERT { ?s a kg:Accelerator ; rdfs:comment "chip" } WHERE { ?s a kg:Chip }'
    ),
    "put-back": (
        "DELETE DATA { kgr:trainium3 kg:developedBy kgr:aws } ; INSERT DATA { kgr:trainium3 kg:developedBy kgr:aws }"
    ),
    "clear-default": "CLEAR DEFAULT",
    # rdflib's flat graph has no named graph: it fails on GRAPH, here after the first operation applied
    "insert-where-graph": "INSERT { kgr:x rdfs:label ?l } WHERE { GRAPH ?g { kgr:trainium3 rdfs:label ?l } }",
    "fails-mid-way": 'INSERT DATA { kgr:x rdfs:label "x" } ; INSERT DATA { GRAPH <urn:x-g> { kgr:y rdfs:label "y" } }',
    "drop-silent": "DROP SILENT DEFAULT",  # rdflib skips it
    # Oxigraph would store "01" as "1", "x"@EN as "x"@en; rdflib keeps them as written
    "literals-as-written": 'INSERT DATA { kgr:x kg:n "01"^^xsd:integer ; rdfs:label "x"@EN , "y"^^xsd:string }',
    # a value computed in the WHERE clause (BIND), which the engines may write otherwise: rdflib applies it
    "computed": (
        "INSERT DATA { kgr:x kg:value 1.5 } ; INSERT { ?s kg:value ?d } WHERE { ?s kg:value 1.5 BIND(1.5 * 2 AS ?d) }"
    ),
    # a FILTER's value otherwise: STR(1.50) is "1.50" in rdflib, "1.5" in Oxigraph; Oxigraph's regular
    # expressions have no (?!...), so REGEX is an error there, and the FILTER false
    "filter-computed": 'INSERT { ?s rdfs:comment "chip" } WHERE { ?s a kg:Chip FILTER(STR(1.50) = "1.50") }',
    "filter-regex": 'INSERT { ?s rdfs:comment "chip" } WHERE { ?s a kg:Chip FILTER(REGEX(STR(?s), "^(?!.*trn)")) }',
    # SPARQL leaves out a template's triple with a literal subject or predicate, as Oxigraph does; rdflib made it
    "literal-subject": (
        "INSERT { ?l a kg:Thing . kgr:x ?l 1 . ?s kg:named ?l } WHERE { ?s rdfs:label ?l FILTER(?s = kgr:trainium3) }"
    ),
    # rdflib deletes and inserts a solution at a time: the pair's second solution deletes what the first inserted
    "swap": (
        "INSERT DATA { kgr:a kg:succeeds kgr:b . kgr:b kg:succeeds kgr:a } ; "
        "DELETE { ?a kg:succeeds ?b } INSERT { ?b kg:succeeds ?a } WHERE { ?a kg:succeeds ?b }"
    ),
}


def _normal(text: str) -> str:
    return re.sub(r"in [0-9.]+ s", "in S s", text)


@pytest.mark.parametrize("fmt", ["nt", "turtle"])
@pytest.mark.parametrize("name", SAME_ON_A_STORE)
def test_an_update_gives_the_same_answer_on_a_store_as_in_memory(name, fmt, store_dir, tmp_path):
    text = SAME_ON_A_STORE[name]
    before = _store_quads(store_dir)
    memory = run("query", "--update", "--format", fmt, "-o", tmp_path / "memory.out", text)
    store = run("--store", store_dir, "query", "--update", "--format", fmt, "-o", tmp_path / "store.out", text)
    assert store.exit_code == memory.exit_code, store.output
    said = _normal(store.stderr).replace(f"the store {store_dir} is unchanged", "the data files are unchanged")
    assert said == _normal(memory.stderr).replace("memory.out", "store.out")
    if memory.exit_code == 0:
        assert (tmp_path / "store.out").read_bytes() == (tmp_path / "memory.out").read_bytes()
    else:
        assert "rdflib cannot evaluate this query" in store.stderr
        assert not (tmp_path / "store.out").exists()
    assert _store_quads(store_dir) == before


def test_an_update_on_a_store_runs_in_oxigraph_without_reading_the_store_into_rdflib(store_dir, monkeypatch):
    """An update on a store copied the flat graph into rdflib's memory (1.3 GB and a minute at a million triples):
    streamed, it runs in Oxigraph on a copy in an Oxigraph store, and the graph after it comes as sorted lines."""
    source = open_store(store_dir)
    expected = Graph()
    for triple in source.graph:
        expected.add(triple)
    asked = patterns_asked(monkeypatch)
    text = "INSERT DATA { kgr:trainium5 kg:succeeds kgr:trainium4 } ; DELETE WHERE { kgr:trainium4 kg:succeeds ?x }"
    answer = run_local(source, parse(text), policy=Policy(allow_update=True), stream=True)
    try:
        assert asked == []
        assert answer.graph is None and answer.lines is not None
        assert (answer.added, answer.removed, answer.size) == (1, 1, 2)
        after = Graph().parse(data=b"\n".join(answer.lines).decode(), format="nt")
    finally:
        answer.close()
        source.close()
    expected.update(f"PREFIX kg: <{KG}> PREFIX kgr: <{KGR}> {text}")
    assert isomorphic(after, expected)


@pytest.mark.parametrize("on", ["memory", "store"])
def test_insert_data_leaves_out_a_triple_with_a_literal_subject_as_insert_where_does(on, store_dir, tmp_path):
    """rdflib added INSERT DATA's triples as written, a literal subject too (Oxigraph refuses it, so on a store
    rdflib applied it as well): `"lit" kgr:b "x" .` written as N-Triples no parser reads, and counted as added."""
    where = ("--store", store_dir) if on == "store" else ()
    triples = '"lit" kgr:b "x" . kgr:a kgr:b "x"'
    data = run(
        *where, "query", "--update", "--format", "nt", "-o", tmp_path / "data.nt", f"INSERT DATA {{ {triples} }}"
    )
    template = run(
        *where, "query", "--update", "--format", "nt", "-o", tmp_path / "t.nt", f"INSERT {{ {triples} }} WHERE {{}}"
    )
    assert data.exit_code == template.exit_code == 0, data.output
    assert "update: 1 triple added, 0 removed" in data.stderr
    assert _normal(data.stderr).replace("data.nt", "t.nt") == _normal(template.stderr)
    written = (tmp_path / "data.nt").read_bytes()
    assert written == (tmp_path / "t.nt").read_bytes()
    assert b'\n"lit"' not in written and written.count(b'<https://w3id.org/kgraph/resource/b> "x" .') == 1
    Graph().parse(data=written.decode(), format="nt")
    deleted = run(
        *where, "query", "--update", "--format", "nt", "-o", tmp_path / "d.nt", f"DELETE DATA {{ {triples} }}"
    )
    assert deleted.exit_code == 0 and "update: 0 triples added, 0 removed" in deleted.stderr, deleted.output


def test_a_blank_node_an_update_makes_is_a_new_one_on_a_store_too(store_dir, tmp_path):
    text = 'INSERT DATA { kgr:trainium3 kg:hasFigure [ rdfs:label "new" ] }'
    memory = run("query", "--update", "-o", tmp_path / "memory.nt", text)
    store = run("--store", store_dir, "query", "--update", "-o", tmp_path / "store.nt", text)
    assert memory.exit_code == store.exit_code == 0, store.output
    assert "update: 2 triples added, 0 removed" in store.stderr
    assert isomorphic(Graph().parse(tmp_path / "memory.nt"), Graph().parse(tmp_path / "store.nt"))


@pytest.mark.parametrize(
    "text",
    [
        'INSERT DATA { kgr:x rdfs:label "x" }',
        'INSERT DATA { kgr:x rdfs:label "x"@EN }',  # read as "x"@en in memory, as Oxigraph reads it
        'INSERT DATA { kgr:x rdfs:label "x"^^xsd:string }',  # read as "x" in memory, as Oxigraph reads it
        "DELETE DATA { kgr:trainium3 kg:developedBy kgr:aws }",
        "DELETE WHERE { ?s rdfs:label ?label }",
        'DELETE { ?s a kg:Chip } INSERT { ?s a kg:Accelerator ; rdfs:comment "chip" } WHERE { ?s a kg:Chip }',
        "INSERT { ?s kg:n 4.5 } WHERE { ?s a kg:Chip FILTER NOT EXISTS { ?s kg:n ?n } VALUES ?s { kgr:trainium3 } }",
        "CLEAR DEFAULT ; CLEAR SILENT DEFAULT",
        'INSERT { ?s kg:n 1 } WHERE { ?s rdfs:label ?l FILTER(LANG(?l) = "en" && BOUND(?s) && ?s NOT IN (kgr:aws)) }',
    ],
)
def test_an_update_oxigraph_applies_as_rdflib_does_runs_there(text):
    assert fits_oxigraph(parse(text).algebra)


@pytest.mark.parametrize(
    "text",
    [
        'INSERT DATA { GRAPH <urn:g> { kgr:x rdfs:label "x" } }',
        'DELETE DATA { GRAPH <urn:g> { kgr:x rdfs:label "x" } }',
        "DELETE WHERE { GRAPH ?g { ?s rdfs:label ?l } }",
        "INSERT { kgr:x rdfs:label ?l } WHERE { GRAPH ?g { kgr:trainium3 rdfs:label ?l } }",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } USING <urn:g> WHERE { ?s ?p ?o }",
        "INSERT { GRAPH <urn:g> { ?s a kg:Chip } } WHERE { ?s a kg:Chip }",
        "CLEAR GRAPH <urn:g>",
        "CLEAR ALL",
        "DROP DEFAULT",
        "CREATE GRAPH <urn:g>",
        "COPY DEFAULT TO <urn:g>",
        "LOAD <https://example.org/g.ttl>",
        "INSERT { ?s kg:n ?n } WHERE { SERVICE <https://example.org/sparql> { ?s kg:n ?n } }",
        "INSERT { ?s rdfs:comment ?c } WHERE { ?s a kg:Chip BIND(STR(?s) AS ?c) }",
        "INSERT { ?s kg:n ?n } WHERE { { SELECT ?s (COUNT(?p) AS ?n) WHERE { ?s kg:uses ?p } GROUP BY ?s } }",
        'INSERT DATA { kgr:x kg:n "01"^^xsd:integer }',
        'INSERT DATA { kgr:x kg:n "5"^^xsd:int }',
        "INSERT DATA { kgr:x kg:n 1.50 }",
        "DELETE WHERE { ?s kg:n 1.0 }",
        'INSERT { ?s kg:n 1 } WHERE { ?s rdfs:label ?l FILTER(STR(1.5 * 2) = "3.0") }',
        'INSERT { ?s kg:n 1 } WHERE { ?s rdfs:label ?l FILTER(REGEX(?l, "^(?!A)")) }',
        'INSERT { ?s kg:n 1 } WHERE { ?s rdfs:label ?l FILTER(isNUMERIC("x"^^xsd:integer)) }',
        "INSERT { ?s kg:n 1 } WHERE { ?s kg:n ?n FILTER(?n + 1 > xsd:integer(?n)) }",
        "INSERT { ?s kg:n 1 } WHERE { ?s a kg:Chip OPTIONAL { ?s kg:n ?n FILTER(ABS(?n) > 1) } }",
        "INSERT { ?s kg:n 1 } WHERE { { SELECT ?s WHERE { ?s rdfs:label ?l } ORDER BY STRLEN(?l) LIMIT 1 } }",
        "DELETE { ?a kg:succeeds ?b } INSERT { ?b kg:succeeds ?a } WHERE { ?a kg:succeeds ?b }",
        "DELETE { ?a ?p kgr:aws } INSERT { kgr:aws ?p ?a } WHERE { ?a ?p kgr:aws }",
    ],
)
def test_an_update_oxigraph_would_apply_otherwise_is_left_to_rdflib(text):
    assert not fits_oxigraph(parse(text).algebra)


@pytest.mark.parametrize(
    ("update", "text"),
    [
        # Texts, numbers, dates, durations and IRIs in one column: Oxigraph's sort panicked on it and aborted kgraph.
        (True, 'INSERT { ?s rdfs:comment "picked" } WHERE { { SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?o ?s ?p'),
        (False, "SELECT ?s ?p ?o WHERE { { SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?o ?s ?p"),
        (False, "SELECT ?s ?p ?o WHERE { { SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY DESC(?o) ?s ?p"),
    ],
)
@pytest.mark.parametrize("offset", [3000, 3300])
def test_a_sub_querys_order_by_on_a_store_keeps_the_rows_it_keeps_in_memory(update, text, offset, store_dir, tmp_path):
    """A sub-query's ORDER BY over every kind of value, with a LIMIT: the rows kept on a store (Oxigraph sorts them,
    by conditions kgraph makes it a total order with) are those kept in memory (rdflib, by kgraph's sort key). Each
    command in a process of its own: Oxigraph's sort aborted the process on this column."""
    query = f"{text} LIMIT 40 OFFSET {offset} }} }}"
    options = ["--update", "--format", "nt"] if update else ["--format", "tsv"]
    answers = []
    for where in ([], ["--store", str(store_dir)]):
        out = tmp_path / f"answer{len(answers)}"
        arguments = [sys.executable, "-m", "kgraph", *where, "query", *options, "-o", str(out), query]
        done = subprocess.run(arguments, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        answers.append(sorted(out.read_text(encoding="utf-8").splitlines()))
    assert answers[0] == answers[1]
    assert len(answers[0]) > 40  # the graph's triples and the 40 added, or the header and 40 rows


@pytest.mark.parametrize(
    "text", ["CLEAR ALL", "DROP GRAPH <urn:x-g>", 'INSERT DATA { GRAPH <urn:x-g> { kgr:y rdfs:label "y" } }']
)
def test_an_update_that_names_a_graph_is_told_what_to_write_instead(text, store_dir):
    """rdflib's words for an update that names a graph named its classes ("You performed a query operation requiring
    a dataset (i.e. ConjunctiveGraph), but operating currently on a single graph"): they now say what to write
    instead, in memory and on a store."""
    for where in ([], ["--store", store_dir]):
        result = run(*where, "query", "--update", "--format", "nt", text)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(
            "Error: <query>: rdflib cannot evaluate this query: it names a graph (GRAPH, WITH, USING, CREATE, DROP, "
        ), result.stderr
        assert "leave the graph out (CLEAR DEFAULT for CLEAR ALL)" in result.stderr

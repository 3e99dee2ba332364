"""kgraph.inference: each kind of inference on small inline graphs, with exact expected triples."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF

from conftest import MINI_ONTOLOGY, PREFIXES
from kgraph.errors import DataSyntaxError, InputError
from kgraph.inference import Schema, infer, load_rules
from kgraph.resources import default_ontology_dir
from kgraph.store import load
from kgraph.vocab import INFERRED_GRAPH, KG, KGR, SCHEMA

EX = Namespace("http://example.org/")


def _inferred(make_kg, data: str, **kwargs) -> set[tuple]:
    loaded = load(*make_kg({"data.trig": PREFIXES + data}, **kwargs))
    return set(loaded.inferred)


def test_subclass_types_include_schema_and_prov_classes(make_kg):
    inferred = _inferred(make_kg, "src:s { kgr:chip1 a kg:Chip . }")
    types = {o for s, p, o in inferred if s == KGR.chip1 and p == RDF.type}
    assert types == {KG.Hardware, KG.Product, KG.Entity, SCHEMA.Product, SCHEMA.Thing, PROV.Entity}


def test_subproperty_closure_and_inverses_of_super_properties(make_kg):
    inferred = _inferred(make_kg, "src:s { kgr:model kg:trainedOn kgr:cluster . }")
    assert inferred == {
        (KGR.model, KG.uses, KGR.cluster),
        (KGR.model, KG.relatedTo, KGR.cluster),
        (KGR.cluster, KG.trained, KGR.model),
        (KGR.cluster, KG.usedBy, KGR.model),
        (KGR.cluster, KG.relatedTo, KGR.model),
    }


def test_inverse_works_both_ways(make_kg):
    inferred = _inferred(make_kg, "src:s { kgr:gpu kg:usedBy kgr:lab . }")
    assert (KGR.lab, KG.uses, KGR.gpu) in inferred
    assert (KGR.gpu, KG.relatedTo, KGR.lab) in inferred


def test_symmetric_property(make_kg):
    inferred = _inferred(make_kg, "src:s { kgr:acme kg:partnerOf kgr:globex . }")
    assert inferred == {
        (KGR.globex, KG.partnerOf, KGR.acme),
        (KGR.acme, KG.relatedTo, KGR.globex),
        (KGR.globex, KG.relatedTo, KGR.acme),
    }


def test_datatype_subproperty_but_no_inverse_of_a_literal(make_kg):
    inferred = _inferred(make_kg, "src:s { kgf:f kg:value 4.4 . }")
    assert inferred == {(URIRef("https://w3id.org/kgraph/figure/f"), SCHEMA.value, Literal("4.4", datatype=_DEC))}


_DEC = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


def test_customer_of_rule_with_subproperty_and_subclass(make_kg):
    # Acme is a Company (so an Organization by inference) and trains on something Globex develops.
    data = """
    src:s {
        kgr:acme a kg:Company .
        kgr:globex a kg:Company .
        kgr:model kg:developedBy kgr:acme .
        kgr:acme kg:trainedOn kgr:chip .
        kgr:chip kg:developedBy kgr:globex .
        kgr:globex kg:uses kgr:chip .          # uses its own product: not its own customer
    }"""
    inferred = _inferred(make_kg, data)
    assert (KGR.acme, KG.customerOf, KGR.globex) in inferred
    assert (KGR.globex, KG.vendorOf, KGR.acme) in inferred  # inverse of a rule result
    assert (KGR.acme, KG.relatedTo, KGR.globex) in inferred  # super-property of a rule result
    assert (KGR.globex, KG.customerOf, KGR.globex) not in inferred
    assert {(s, o) for s, p, o in inferred if p == KG.customerOf} == {(KGR.acme, KGR.globex)}


def test_rule_needs_an_organization(make_kg):
    data = "src:s { kgr:thing kg:uses kgr:chip . kgr:chip kg:developedBy kgr:globex . }"
    assert not any(p == KG.customerOf for _s, p, _o in _inferred(make_kg, data))


def test_no_domain_or_range_typing(make_kg):
    # developedBy has rdfs:range kg:Organization; the object must not become one by inference.
    inferred = _inferred(make_kg, "src:s { kgr:chip kg:developedBy kgr:nobody . }")
    assert not any(s == KGR.nobody and p == RDF.type for s, p, _o in inferred)
    assert not any(s == KGR.chip and p == RDF.type for s, p, _o in inferred)


def test_without_rules_no_customer_of(make_kg):
    data = "src:s { kgr:acme a kg:Company ; kg:uses kgr:chip . kgr:chip kg:developedBy kgr:globex . }"
    assert not any(p == KG.customerOf for _s, p, _o in _inferred(make_kg, data, rules=False))


def test_asserted_triples_are_not_repeated_in_the_inferred_graph(make_kg):
    data = """src:s {
        kgr:acme kg:partnerOf kgr:globex . kgr:globex kg:partnerOf kgr:acme . kgr:acme a kg:Entity , kg:Company .
    }"""
    loaded = load(*make_kg({"data.trig": PREFIXES + data}))
    inferred = set(loaded.dataset.graph(INFERRED_GRAPH))
    assert (KGR.globex, KG.partnerOf, KGR.acme) not in inferred
    assert (KGR.acme, RDF.type, KG.Entity) not in inferred
    assert (KGR.acme, RDF.type, KG.Organization) in inferred


def test_infer_is_a_fixpoint_and_does_not_depend_on_order():
    ontology = Graph().parse(data=MINI_ONTOLOGY, format="turtle")
    schema = Schema.from_ontology(ontology)
    triples = [
        (EX.a, KG.trainedOn, EX.b),
        (EX.b, KG.partnerOf, EX.c),
        (EX.a, RDF.type, KG.Chip),
    ]
    results = []
    for order in (triples, list(reversed(triples))):
        graph = Graph()
        for t in order:
            graph.add(t)
        results.append(set(infer(graph, schema)))
        again = infer(graph, schema)  # graph now holds the closure: nothing more to add
        assert len(again) == 0
    assert results[0] == results[1]


def test_subclass_cycle_terminates():
    ontology = Graph().parse(data=PREFIXES + "kg:A rdfs:subClassOf kg:B . kg:B rdfs:subClassOf kg:A .", format="turtle")
    graph = Graph()
    graph.add((EX.x, RDF.type, KG.A))
    assert set(infer(graph, Schema.from_ontology(ontology))) == {(EX.x, RDF.type, KG.B)}


# ------------------------------------------------------------------------------------------ rules files


def _rules(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """A folder ``tmp_path/rules`` holding ``files`` (a name: its text, written as UTF-8, or its bytes)."""
    rules = tmp_path / "rules"
    rules.mkdir()
    for name, content in files.items():
        if isinstance(content, bytes):
            (rules / name).write_bytes(content)
        else:
            (rules / name).write_text(content, encoding="utf-8")
    return rules


def test_rules_run_in_name_order_and_feed_each_other(tmp_path):
    # b.rq needs what a.rq makes; both run again until nothing new appears
    rules = _rules(
        tmp_path,
        {
            "a.rq": f"CONSTRUCT {{ ?s <{EX.p2}> ?o }} WHERE {{ ?s <{EX.p1}> ?o }}",
            "b.rq": f"CONSTRUCT {{ ?o <{EX.p3}> ?s }} WHERE {{ ?s <{EX.p2}> ?o }}",
        },
    )
    loaded_rules = load_rules(rules, "rules")
    assert [r.name for r in loaded_rules] == ["a.rq", "b.rq"]
    graph = Graph()
    graph.add((EX.x, EX.p1, EX.y))
    inferred = set(infer(graph, Schema.from_ontology(Graph()), loaded_rules))
    assert inferred == {(EX.x, EX.p2, EX.y), (EX.y, EX.p3, EX.x)}


def test_a_rules_replace_applies_its_flags(tmp_path):
    """rdflib gave REPLACE's flags to Python's re.sub as its count: "i" replaced two matches, case mattering."""
    text = f'CONSTRUCT {{ ?s <{EX.p2}> ?new }} WHERE {{ ?s <{EX.p1}> ?o BIND (REPLACE(?o, "a", "x", "i") AS ?new) }}'
    rules = _rules(tmp_path, {"a.rq": text})
    graph = Graph()
    graph.add((EX.x, EX.p1, Literal("aAaA")))
    inferred = set(infer(graph, Schema.from_ontology(Graph()), load_rules(rules, "rules")))
    assert inferred == {(EX.x, EX.p2, Literal("xxxx"))}


def test_missing_rules_folder_means_no_rules(tmp_path):
    assert load_rules(tmp_path / "rules", "rules") == []


def test_rule_with_a_syntax_error_names_file_and_line(tmp_path):
    rules = _rules(tmp_path, {"bad.rq": "# comment\nCONSTRUCT { ?s ?p ?o }\nWHERE { ?s ?p }\n"})
    with pytest.raises(DataSyntaxError) as caught:
        load_rules(rules, "ontology/rules")
    assert str(caught.value).startswith("ontology/rules/bad.rq:3: SPARQL syntax error")
    assert str(caught.value).endswith("; fix the file and run again")


def test_a_rule_saved_with_a_byte_order_mark_is_read(tmp_path):
    """A data file may begin with one (Windows editors write it); a rule's stopped SPARQL's parser at line 1."""
    text = f"CONSTRUCT {{ ?s <{EX.p2}> ?o }} WHERE {{ ?s <{EX.p1}> ?o }}"
    rules = _rules(tmp_path, {"a.rq": b"\xef\xbb\xbf" + text.encode()})
    [rule] = load_rules(rules, "rules")
    assert rule.text == text


@pytest.mark.parametrize(
    ("raw", "line", "what"),
    [
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }".encode("utf-16"), 1, "the file is UTF-16 text (it begins"),
        (b'CONSTRUCT { ?s ?p ?o }\nWHERE { ?s ?p "caf\xe9" }', 2, "the file is not UTF-8 text: save it as UTF-8"),
    ],
    ids=["utf-16", "latin-1"],
)
def test_a_rule_not_in_utf8_is_named_so_as_a_data_file_is(tmp_path, raw, line, what):
    """It was Python's words with no advice: "cannot read the rule ...: 'utf-8' codec can't decode byte 0xff"."""
    rules = _rules(tmp_path, {"a.rq": raw})
    with pytest.raises(DataSyntaxError) as caught:
        load_rules(rules, "ontology/rules")
    message = str(caught.value)
    assert message.startswith(f"ontology/rules/a.rq:{line}: {what}")
    assert message.endswith("; fix the file and run again")
    assert "codec" not in message


def test_a_rule_with_an_undeclared_prefix_names_its_line(tmp_path):
    """rdflib raises a bare Exception for it, without a line: the message was "bad.rq: SPARQL syntax error: Unknown
    namespace prefix : x". The line is that of the prefix's first use, not of a mention in a comment or a string."""
    text = f'# x: in a comment\nCONSTRUCT {{ ?s <{EX.p}> ?o }}\nWHERE {{ ?s <{EX.q}> "x:y" .\n  ?s x:r ?o }}\n'
    rules = _rules(tmp_path, {"bad.rq": text})
    with pytest.raises(DataSyntaxError) as caught:
        load_rules(rules, "ontology/rules")
    assert str(caught.value) == (
        "ontology/rules/bad.rq:4: SPARQL syntax error: the prefix x: is not declared (PREFIX x: <...> before the "
        "query declares it); fix the file and run again"
    )


@pytest.mark.parametrize(
    ("text", "line", "fetch"),
    [
        (
            f"CONSTRUCT {{ ?s <{EX.p}> ?o }}\nWHERE {{ SERVICE <http://127.0.0.1:1/sparql> {{ ?s ?p ?o }} }}",
            2,
            "SERVICE <http://127.0.0.1:1/sparql> would fetch http://127.0.0.1:1/sparql",
        ),
        (
            f"# FROM a file\nCONSTRUCT {{ ?s <{EX.p}> ?o }}\nFROM <file:///etc/hostname>\nWHERE {{ ?s ?p ?o }}",
            3,
            "FROM <file:///etc/hostname> would fetch file:///etc/hostname",
        ),
        (
            f"CONSTRUCT {{ ?s <{EX.p}> ?o }}\nFROM NAMED <http://example.org/g>\nWHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            2,
            "FROM NAMED <http://example.org/g> would fetch http://example.org/g",
        ),
        (
            f"CONSTRUCT {{ ?s <{EX.p}> ?o }}\n"
            "WHERE { ?s ?p ?o FILTER EXISTS { SERVICE SILENT <http://a/> { ?s ?p ?o } } }",
            2,
            "SERVICE <http://a/> would fetch http://a/",
        ),
    ],
    ids=["service", "from", "from-named", "service-in-exists"],
)
def test_a_rule_that_would_fetch_something_is_refused(tmp_path, text, line, fetch):
    """rdflib fetched it as the rules ran, in every command (a traceback when it did not answer); kgraph load
    (Oxigraph) said "cannot write the store ...; make room on its disk"."""
    rules = _rules(tmp_path, {"fetch.rq": text})
    with pytest.raises(DataSyntaxError) as caught:
        load_rules(rules, "rules")
    assert str(caught.value) == (
        f"rules/fetch.rq:{line}: a rule may fetch nothing, and {fetch} at every load (rules read the loaded graph "
        "only); fix the file and run again"
    )


def test_rule_must_be_construct(tmp_path):
    rules = _rules(tmp_path, {"select.rq": "SELECT * WHERE { ?s ?p ?o }"})
    with pytest.raises(DataSyntaxError, match="a rule must be a SPARQL CONSTRUCT query"):
        load_rules(rules, "rules")


def test_rule_that_never_settles_is_stopped(tmp_path):
    # makes a new, longer literal every round
    text = f'CONSTRUCT {{ ?s <{EX.p}> ?longer }} WHERE {{ ?s <{EX.p}> ?v . BIND(CONCAT(?v, "x") AS ?longer) }}'
    rules = _rules(tmp_path, {"grow.rq": text})
    graph = Graph()
    graph.add((EX.s, EX.p, Literal("x")))
    with pytest.raises(InputError, match="still add new triples after 50 rounds"):
        infer(graph, Schema.from_ontology(Graph()), load_rules(rules, "rules"))


# ------------------------------------------------------------------------------------------ bundled graph


def test_bundled_graph_uses_finds_sub_properties(loaded):
    # A query for kg:uses finds every kg:trainedOn, kg:builtOn and kg:poweredBy.
    for sub in (KG.trainedOn, KG.builtOn, KG.poweredBy):
        for s, o in loaded.graph.subject_objects(sub):
            assert (s, KG.uses, o) in loaded.graph
            assert (o, KG.usedBy, s) in loaded.graph


def test_bundled_graph_every_entity_type_is_closed(loaded):
    for s in loaded.graph.subjects(RDF.type, KG.Company):
        assert (s, RDF.type, KG.Organization) in loaded.graph
        assert (s, RDF.type, SCHEMA.Organization) in loaded.graph


@pytest.mark.parametrize("prop", [KG.developedBy, KG.partOf, KG.succeeds])
def test_bundled_graph_inverses_hold(loaded, prop):
    inverses = set(loaded.ontology.objects(prop, URIRef("http://www.w3.org/2002/07/owl#inverseOf")))
    assert inverses
    for s, o in loaded.graph.subject_objects(prop):
        for inverse in inverses:
            assert (o, inverse, s) in loaded.graph


def test_a_rule_knows_the_predicates_it_reads(tmp_path):
    rules = _rules(
        tmp_path,
        {
            "a.rq": f"CONSTRUCT {{ ?s <{EX.c}> ?o }} WHERE {{ ?s a ?t ; <{EX.p}> ?o "
            f"FILTER NOT EXISTS {{ ?o <{EX.q}> ?s }} }}",
            "b.rq": f"CONSTRUCT {{ ?s <{EX.c}> ?o }} WHERE {{ ?s ?p ?o }}",
            "c.rq": f"CONSTRUCT {{ ?s <{EX.c}> ?o }} WHERE {{ ?s <{EX.p}>* ?o }}",
        },
    )
    a, b, c = load_rules(rules, "rules")
    assert a.reads == {RDF.type, EX.p, EX.q}
    assert b.reads is None  # a variable predicate reads anything
    assert c.reads is None  # so does a property path, as far as this goes
    bundled = load_rules(default_ontology_dir() / "rules", "rules")
    assert [rule.reads for rule in bundled] == [
        {RDF.type, KG.uses, KG.developedBy},
        {KG.startTime, KG.endTime, KG.timeRange},
    ]


def test_the_rules_run_again_only_when_a_round_adds_what_a_rule_reads(tmp_path, monkeypatch):
    """The rules ran once more after every round that added anything, to find nothing: at a million triples a
    second full run of the customer-of rule, for the kg:customerOf triples of the first, which it does not read.
    They run again when what a round added, or what it entails, is read by a rule: here a.rq concludes
    kg:trainedOn, which entails the kg:uses that b.rq reads (in memory and on a store alike)."""
    from kgraph import inference, persist  # noqa: PLC0415

    runs = []
    original = inference._apply_rules
    monkeypatch.setattr(inference, "_apply_rules", lambda graph, rules: runs.append(1) or original(graph, rules))
    bundled = load_rules(default_ontology_dir() / "rules", "rules")
    graph = Graph().parse(
        data=PREFIXES + "kgr:a a kg:Company ; kg:uses kgr:p . kgr:p kg:developedBy kgr:v .", format="turtle"
    )
    inferred = infer(graph, Schema.from_ontology(Graph().parse(data=MINI_ONTOLOGY, format="turtle")), bundled)
    assert (KGR.a, KG.customerOf, KGR.v) in inferred
    assert len(runs) == 1  # customerOf and what it entails feed no rule

    rules = tmp_path / "ontology" / "rules"
    rules.mkdir(parents=True)
    (rules / "a.rq").write_text(
        PREFIXES.replace("@prefix", "PREFIX").replace(" .\n", "\n")
        + "CONSTRUCT { ?s kg:trainedOn ?o } WHERE { ?s kg:builtWith ?o }",
        encoding="utf-8",
    )
    (rules / "b.rq").write_text(
        PREFIXES.replace("@prefix", "PREFIX").replace(" .\n", "\n")
        + "CONSTRUCT { ?o kg:usedBy ?s . ?s kg:relatedTo ?o } WHERE { ?s kg:uses ?o FILTER NOT EXISTS { ?s kg:x ?o } }",
        encoding="utf-8",
    )
    (tmp_path / "ontology" / "kgraph.ttl").write_text(MINI_ONTOLOGY, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "d.ttl").write_text(PREFIXES + "kgr:m kg:builtWith kgr:n .", encoding="utf-8")
    runs.clear()
    in_memory = load(data, tmp_path / "ontology")
    assert len(runs) == 2  # a concludes trainedOn; b then reads the uses it entails; b concludes nothing a rule reads
    assert (KGR.m, KG.trainedOn, KGR.n) in in_memory.graph
    stored = persist.open_store(persist.build(tmp_path / "store", data, tmp_path / "ontology").store_dir)
    for loaded in (in_memory, stored):
        assert (KGR.n, KG.usedBy, KGR.m) in loaded.graph
        assert (KGR.m, KG.relatedTo, KGR.n) in loaded.graph


def test_an_owl_rl_reasoner_finds_the_bundled_graph_consistent_and_infers_no_more_of_its_data():
    """owlrl's OWL 2 RL closure of the bundled ontology and data, beside kgraph's own inference.

    The closure has no inconsistency and no member of owl:Nothing; everything it entails about the data's
    resources, figures and sections kgraph infers too (bar owl:Thing and each node's owl:sameAs itself), so an
    axiom added to the ontology that kgraph's inference does not read (an owl:TransitiveProperty, a
    property chain) fails here. kgraph infers more only by its rules (kg:customerOf, kg:vendorOf and the
    kg:relatedTo they imply): the rules are SPARQL, not OWL. kgraph deliberately does not type by rdfs:domain and
    rdfs:range, which OWL RL does: on the bundled data that adds nothing, because every node already has the
    classes its relations ask for (the shapes check it), but a node of the wrong class in a user's data is
    retyped by OWL RL and reported by kgraph validate."""
    owlrl = pytest.importorskip("owlrl")
    loaded = load()
    asserted = Graph()
    for triple in loaded.graph:
        if triple not in loaded.inferred:
            asserted.add(triple)
    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    errors = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
    assert [str(m) for m in closure.objects(None, errors.error)] == []
    assert list(closure.subjects(RDF.type, OWL.Nothing)) == []
    ours = "https://w3id.org/kgraph/"
    missing = {
        (s, p, o)
        for s, p, o in closure
        if isinstance(s, URIRef)
        and s.startswith(ours)
        and not s.startswith(str(KG))
        and (s, p, o) not in loaded.graph
        and not (p == RDF.type and o == OWL.Thing)
        and not (p == OWL.sameAs and s == o)
    }
    assert missing == set()
    beyond = {p for s, p, o in loaded.inferred if (s, p, o) not in closure}
    assert beyond == {KG.customerOf, KG.vendorOf, KG.relatedTo}

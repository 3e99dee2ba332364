"""The Neo4j export loaded into a real Cypher engine, Ladybug (embedded; formerly Kùzu), and checked against RDF.

This is not a run of ``neo4j-admin``: Ladybug's CSV reader and Cypher stand in for Neo4j's. Ladybug reads each
file with ``LOAD WITH HEADERS (...) FROM ... (header=true, parallel=false)``, every column as a string (its own
header parser would read ``x:int`` as a column name), and the loader below applies Neo4j's documented rules to
those strings: the ``:ID`` / ``:START_ID`` / ``:END_ID`` columns connect nodes, ``:LABEL`` and ``:TYPE`` give
labels and types, ``long`` / ``double`` / ``boolean`` / ``date`` columns are cast, and arrays are split on the array
delimiter ``import.sh`` names. Ladybug has one table per node kind, so every node goes into one table
``Resource`` with its labels as a list, and each relationship type is a relationship table: named by the type,
unless Ladybug, whose table names ignore case, has one by that name in other letters (``NS_USES`` for ``ns_USES``,
which Neo4j keeps apart); then ``<TYPE>__2`` (see :attr:`Loaded.types`).

Ladybug's ``string_split`` drops some empty elements, which Neo4j keeps; each array column is therefore kept
twice: as a list (for queries) and as the raw text, which the checks split the way Neo4j does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from conftest import PREFIXES as TURTLE_PREFIXES
from kgraph.export import neo4j
from kgraph.store import load
from kgraph.vocab import INFERRED_GRAPH, KG, KGR, ONTOLOGY_GRAPH, PREFIXES, SCHEMA
from test_neo4j import CASE_DATA, CASE_NODES, CASE_ONTOLOGY, CASE_RELATIONSHIPS
from test_neo4j_format import Entry, Options, parse_entry, read_import_script, read_rows

ladybug = pytest.importorskip("ladybug")

#: Neo4j property type -> Ladybug column type and the cast applied to the CSV text.
_CASTS = {
    "long": ("INT64", "CAST({} AS INT64)"),
    "int": ("INT64", "CAST({} AS INT64)"),
    "double": ("DOUBLE", "CAST({} AS DOUBLE)"),
    "float": ("DOUBLE", "CAST({} AS DOUBLE)"),
    "boolean": ("BOOLEAN", "({} = 'true')"),  # Neo4j: true only for exactly the text "true"
    "date": ("DATE", "CAST({} AS DATE)"),
}


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass
class Loaded:
    """A Ladybug database holding an export."""

    connection: Any
    options: Options
    properties: dict[str, Entry]  # node property name -> its header entry
    types: dict[str, str] = field(default_factory=dict)  # relationship table -> the relationship type it holds

    def rows(self, query: str, **parameters: Any) -> list[list[Any]]:
        result = self.connection.execute(query, parameters) if parameters else self.connection.execute(query)
        found = []
        while result.has_next():
            found.append(result.get_next())
        return found

    def split(self, raw: str | None) -> list[str] | None:
        """An array as Neo4j's importer reads it: split on the delimiter; an empty text is no value."""
        return None if raw is None or raw == "" else raw.split(self.options.array_delimiter)


def load_into_ladybug(folder: Path, database: Path) -> Loaded:
    """Create a Ladybug database at ``database`` and load the export in ``folder`` the way ``import.sh`` would."""
    options = read_import_script(folder)
    # max_db_size: Ladybug reserves this much address space up front (8 TB by default), which fails now and then
    # in a test process that already holds other mappings; the export is a few megabytes.
    connection = ladybug.Connection(ladybug.Database(str(database), max_db_size=1 << 30))
    loaded = Loaded(connection, options, {})
    headers = {name: [parse_entry(e) for e in read_rows(folder / name, options)[0]] for name in options.nodes}
    for header in headers.values():
        for entry in header:
            assert isinstance(entry, Entry)
            if entry.special is None:
                loaded.properties.setdefault(entry.name, entry)
    columns = ["iri STRING", "labels STRING[]"]
    for name, entry in sorted(loaded.properties.items()):
        columns += [f"`{name}` STRING[]", f"`{name}__raw` STRING"] if entry.array else [f"`{name}` {_type(entry)}"]
    loaded.rows(f"CREATE NODE TABLE Resource({', '.join(columns)}, PRIMARY KEY(iri))")
    for name, header in headers.items():
        _copy_nodes(loaded, folder / name, [e for e in header if isinstance(e, Entry)])
    for name in options.relationships:
        _copy_relationships(loaded, folder / name)
    return loaded


def _type(entry: Entry) -> str:
    return _CASTS.get(entry.type, ("STRING", "{}"))[0]


def _load(path: Path, count: int) -> str:
    names = ", ".join(f"c{i} STRING" for i in range(count))
    options = "header=true, parallel=false, delim=',', quote='\"', escape='\"'"
    return f"LOAD WITH HEADERS ({names}) FROM {_quote(str(path))} ({options})"


def _array(field: str, delimiter: str) -> str:
    return f"CASE WHEN {field} IS NULL OR {field} = '' THEN NULL ELSE string_split({field}, {_quote(delimiter)}) END"


def _copy_nodes(loaded: Loaded, path: Path, header: list[Entry]) -> None:
    position = {(e.special or e.name): i for i, e in enumerate(header)}
    delimiter = loaded.options.array_delimiter
    values = [f"c{position['ID']}", f"string_split(c{position['LABEL']}, {_quote(delimiter)})"]
    for name, entry in sorted(loaded.properties.items()):
        field = f"c{position[name]}" if name in position else "CAST(NULL AS STRING)"
        if entry.array:
            values += [_array(field, delimiter), field]
        else:
            values.append(_CASTS.get(entry.type, ("STRING", "{}"))[1].format(field))
    loaded.rows(f"COPY Resource FROM ({_load(path, len(header))} RETURN {', '.join(values)})")


def _copy_relationships(loaded: Loaded, path: Path) -> None:
    rows = read_rows(path, loaded.options)
    header = [parse_entry(e) for e in rows[0]]
    position = {(e.special or e.name): i for i, e in enumerate(header) if isinstance(e, Entry)}
    types = {row[position["TYPE"]] for row in rows[1:]}
    assert len(types) == 1, f"{path.name}: one relationship type per file"
    kind = types.pop()
    folded = {table.casefold() for table in loaded.types}
    table = next(t for t in (kind, *(f"{kind}__{n}" for n in range(2, len(folded) + 3))) if t.casefold() not in folded)
    assert kind not in loaded.types.values(), f"{path.name}: {kind} is in another file too"
    loaded.types[table] = kind
    delimiter = loaded.options.array_delimiter
    loaded.rows(
        f"CREATE REL TABLE `{table}`(FROM Resource TO Resource, types STRING[], sections STRING[], "
        "sections__raw STRING, inferred BOOLEAN)"
    )
    values = [
        f"c{position['START_ID']}",
        f"c{position['END_ID']}",
        _array(f"c{position['types']}", delimiter),
        _array(f"c{position['sections']}", delimiter),
        f"c{position['sections']}",
        f"(c{position['inferred']} = 'true')",
    ]
    loaded.rows(f"COPY `{table}` FROM ({_load(path, len(header))} RETURN {', '.join(values)})")


# ------------------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def database(loaded, tmp_path_factory) -> Iterator[Loaded]:
    folder = tmp_path_factory.mktemp("neo4j-export")
    neo4j.export(loaded, folder)
    yield load_into_ladybug(folder, tmp_path_factory.mktemp("ladybug") / "db")


def _sparql(loaded, query: str, **bindings: Any) -> set[tuple[str, ...]]:
    rows = loaded.graph.query(query, initNs=dict(PREFIXES), initBindings=bindings)
    return {tuple(str(term) for term in row) for row in rows}


def _cypher(database: Loaded, query: str, **parameters: Any) -> set[tuple[str, ...]]:
    return {tuple(str(value) for value in row) for row in database.rows(query, **parameters)}


def _nodes_in_rdf(loaded) -> set[str]:
    """What should be a node, asked of the RDF: every instance of the top classes of the data."""
    rows = _sparql(
        loaded,
        "SELECT DISTINCT ?n WHERE { VALUES ?c { kg:Entity kg:Figure kg:SourceSection kg:SourceDocument } ?n a ?c }",
    )
    return {row[0] for row in rows}


def _stated(loaded) -> set[tuple]:
    """Every triple a data file states (not the ontology, not inference)."""
    return {
        (s, p, o)
        for s, p, o, g in loaded.dataset.quads((None, None, None, None))
        if g not in (INFERRED_GRAPH, ONTOLOGY_GRAPH)
    }


# ------------------------------------------------------------------------------------------------ counts


def test_every_node_is_there_once(loaded, database):
    iris = [row[0] for row in database.rows("MATCH (n:Resource) RETURN n.iri")]
    assert len(iris) == len(set(iris))
    assert set(iris) == _nodes_in_rdf(loaded)


def test_relationships_are_the_stated_relations_and_the_rule_conclusions(loaded, database):
    nodes = {URIRef(n) for n in _nodes_in_rdf(loaded)}
    stated = {(str(s), str(p), str(o)) for s, p, o in _stated(loaded) if o in nodes and p != RDF.type}
    customers = {(str(s), str(KG.customerOf), str(o)) for s, o in loaded.graph.subject_objects(KG.customerOf)}
    found = database.rows("MATCH (a)-[r]->(b) RETURN a.iri, label(r), b.iri, r.inferred")
    names = {str(p): neo4j_type for p, neo4j_type in _relation_names(loaded).items()}
    assert len(found) == len(stated) + len(customers)
    expected = {(s, names[p], o) for s, p, o in stated | customers}
    assert {(a, t, b) for a, t, b, _i in found} == expected
    assert {(a, b) for a, t, b, inferred in found if inferred} == {(s, o) for s, _p, o in customers}


def _relation_names(loaded) -> dict[URIRef, str]:
    """The relationship type each predicate should get (Neo4j style), spelled out for the data's predicates."""
    names = {}
    for p in {p for _s, p, _o in _stated(loaded)} | {KG.customerOf}:
        local = str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        names[p] = "".join(f"_{c}" if c.isupper() else c.upper() for c in local)
    return names


def test_labels_are_the_kg_classes_of_each_node_and_resource(loaded, database):
    for iri, labels in database.rows("MATCH (n:Resource) RETURN n.iri, n.labels"):
        classes = {str(c) for c in loaded.graph.objects(URIRef(iri), RDF.type) if str(c).startswith(str(KG))}
        assert set(labels) == {c.removeprefix(str(KG)) for c in classes} | {"Resource"}, iri
    chip = database.rows("MATCH (n:Resource) WHERE n.label_en = 'Trainium3' RETURN n.labels")[0][0]
    assert chip == ["Chip", "Hardware", "Product", "Entity", "Resource"]


def test_names_descriptions_and_aliases_match_the_rdf(loaded, database):
    names = {
        "label": RDFS.label,
        "aliases": SKOS.altLabel,
        "description": SCHEMA.description,
    }
    columns = ", ".join(
        f"n.{c}_{lang}" if c != "aliases" else f"n.{c}_{lang}__raw" for c in names for lang in ("en", "zh")
    )
    for iri, *values in database.rows(f"MATCH (n:Resource) RETURN n.iri, {columns}"):
        found = iter(values)
        for column, predicate in names.items():
            for lang in ("en", "zh"):
                value = next(found)
                expected = sorted(
                    str(o) for o in loaded.graph.objects(URIRef(iri), predicate) if getattr(o, "language", None) == lang
                )
                got = database.split(value) if column == "aliases" else ([] if value is None else [value])
                assert sorted(got or []) == expected, (iri, column, lang)


def test_figures_keep_value_unit_and_comparison(loaded, database):
    rows = database.rows(
        "MATCH (f:Resource)-[:FIGURE_OF]->(e:Resource) WHERE list_contains(f.labels, 'Figure') "
        "RETURN f.iri, f.value, f.unit, f.bound, f.figureKind, f.metric_en, f.fromValue"
    )
    assert rows
    for iri, value, unit, bound, kind, metric, from_value in rows:
        figure = URIRef(iri)
        assert Decimal(str(value)) == Decimal(str(loaded.graph.value(figure, KG.value).toPython()))
        assert unit == loaded.graph.value(figure, KG.unit).removeprefix(str(KG))
        rdf_bound = loaded.graph.value(figure, KG.bound)
        assert bound == (rdf_bound.removeprefix(str(KG)) if rdf_bound else None)
        assert kind == loaded.graph.value(figure, KG.figureKind).removeprefix(str(KG))
        assert metric == _en(loaded, figure, KG.metric)
        rdf_from = loaded.graph.value(figure, KG.fromValue)
        assert from_value == (None if rdf_from is None else rdf_from.toPython())


def _en(loaded, node, predicate) -> str:
    return next(str(o) for o in loaded.graph.objects(node, predicate) if isinstance(o, Literal) and o.language == "en")


def test_a_node_leads_to_every_section_that_states_something_of_it(loaded, database):
    """Node properties carry no sections: README sends a user to the node's WAS_DERIVED_FROM relationships, which in
    kgraph's data reach every section whose graph states something of the node (and some that only mention it)."""
    sections = {str(s) for s in loaded.graph.subjects(RDF.type, KG.SourceSection)}
    stating: dict[str, set[str]] = {}
    for s, _p, _o, g in loaded.dataset.quads((None, None, None, None)):
        if str(g) in sections and str(s) != str(g):
            stating.setdefault(str(s), set()).add(str(g))
    derived: dict[str, set[str]] = {}
    for node, section in database.rows("MATCH (n:Resource)-[:WAS_DERIVED_FROM]->(s:Resource) RETURN n.iri, s.iri"):
        derived.setdefault(node, set()).add(section)
    assert len(stating) > 100
    assert {node: found - derived.get(node, set()) for node, found in stating.items()} == {n: set() for n in stating}


def test_sections_keep_their_order_and_time_range(loaded, database):
    rows = database.rows(
        "MATCH (s:Resource) WHERE list_contains(s.labels, 'SourceSection') "
        "RETURN s.iri, s.`order`, s.startTime, s.endTime"
    )
    assert len(rows) == 13
    for iri, order, start, end in rows:
        section = URIRef(iri)
        assert order == loaded.graph.value(section, KG.order).toPython()
        for value, predicate in ((start, KG.startTime), (end, KG.endTime)):
            rdf_value = loaded.graph.value(section, predicate)
            assert value == (None if rdf_value is None else str(rdf_value))


# ------------------------------------------------------------------------------------------------ queries
# Each Cypher query on Ladybug gives the same answer as the SPARQL query on the RDF graph.

QUERIES = {
    "customers of a product (uses, trained on, built on, powered by)": (
        "SELECT ?c WHERE { ?c a kg:Organization ; kg:uses ?p }",
        "MATCH (c:Resource)-[r]->(p:Resource {iri: $p}) "
        "WHERE list_contains(c.labels, 'Organization') AND list_contains(r.types, 'USES') RETURN DISTINCT c.iri",
        {"p": KGR["amazon-bedrock"]},
    ),
    "the succession chain of a chip": (
        "SELECT ?earlier WHERE { ?p kg:succeeds+ ?earlier }",
        "MATCH (c:Resource {iri: $p})-[:SUCCEEDS*1..10]->(e:Resource) RETURN DISTINCT e.iri",
        {"p": KGR.trainium4},
    ),
    "the models a platform offers": (
        "SELECT ?m WHERE { ?m a kg:AIModel ; kg:availableOn ?p }",
        "MATCH (m:Resource)-[r]->(p:Resource {iri: $p}) "
        "WHERE list_contains(m.labels, 'AIModel') AND list_contains(r.types, 'AVAILABLE_ON') RETURN DISTINCT m.iri",
        {"p": KGR["amazon-bedrock"]},
    ),
    "the vendors of a customer (the rule's conclusion)": (
        "SELECT ?v WHERE { ?p kg:customerOf ?v }",
        "MATCH (c:Resource {iri: $p})-[:CUSTOMER_OF]->(v:Resource) RETURN v.iri",
        {"p": KGR.sony},
    ),
    "the chips a company develops": (
        "SELECT ?c WHERE { ?c a kg:Chip ; kg:developedBy ?p }",
        "MATCH (c:Resource)-[:DEVELOPED_BY]->(v:Resource {iri: $p}) WHERE list_contains(c.labels, 'Chip') RETURN c.iri",
        {"p": KGR.aws},
    ),
    "what was trained on what": (
        "SELECT ?a ?b WHERE { ?a kg:trainedOn ?b }",
        "MATCH (a:Resource)-[:TRAINED_ON]->(b:Resource) RETURN a.iri, b.iri",
        {},
    ),
    "figures of an entity, with value and unit": (
        "SELECT ?f ?v ?u WHERE { ?f kg:figureOf ?p ; kg:value ?v ; kg:unit ?u }",
        "MATCH (f:Resource)-[:FIGURE_OF]->(e:Resource {iri: $p}) RETURN f.iri, f.value, f.unit",
        {"p": KGR.trainium3},
    ),
    "what was previewed at the keynote": (
        "SELECT ?x WHERE { ?x kg:announcedAt ?p ; kg:launchStatus kg:Preview }",
        "MATCH (x:Resource)-[:ANNOUNCED_AT]->(k:Resource {iri: $p}) WHERE x.launchStatus = 'Preview' RETURN x.iri",
        {"p": KGR["reinvent-2025-keynote"]},
    ),
    "who works for an organization (leads included)": (
        "SELECT ?who WHERE { ?who kg:worksFor ?p }",
        "MATCH (w:Resource)-[r]->(o:Resource {iri: $p}) WHERE list_contains(r.types, 'WORKS_FOR') RETURN w.iri",
        {"p": KGR.aws},
    ),
    "an entity by its Chinese name": (
        "SELECT ?e WHERE { ?e rdfs:label ?p }",
        "MATCH (e:Resource) WHERE e.label_zh = $p RETURN e.iri",
        {"p": Literal("英伟达", lang="zh")},
    ),
    "an entity by an alias": (
        "SELECT ?e WHERE { ?e skos:altLabel ?p }",
        "MATCH (e:Resource) WHERE list_contains(e.aliases_en, $p) RETURN e.iri",
        {"p": Literal("GB300 NVL72", lang="en")},
    ),
    "the sections an entity was derived from (provenance of a node, README's query)": (
        "SELECT ?s ?label WHERE { ?p prov:wasDerivedFrom ?s . ?s a kg:SourceSection ; rdfs:label ?label "
        "FILTER (lang(?label) = 'en') }",
        "MATCH (e:Resource {iri: $p})-[:WAS_DERIVED_FROM]->(s:Resource) "
        "WHERE list_contains(s.labels, 'SourceSection') RETURN s.iri, s.label_en",
        {"p": KGR.trainium3},
    ),
    "the sections stating a relation (provenance)": (
        "SELECT ?g WHERE { GRAPH ?g { ?p kg:succeeds kgr:trainium3 } }",
        "MATCH (a:Resource {iri: $p})-[r:SUCCEEDS]->(b:Resource) UNWIND r.sections AS g RETURN g",
        {"p": KGR.trainium4},
    ),
}


@pytest.mark.parametrize("question", list(QUERIES))
def test_cypher_and_sparql_agree(loaded, database, question):
    sparql, cypher, bindings = QUERIES[question]
    expected = (
        {
            tuple(str(t) for t in row)
            for row in loaded.dataset.query(sparql, initNs=dict(PREFIXES), initBindings=bindings)
        }
        if "GRAPH" in sparql
        else _sparql(loaded, sparql, **bindings)
    )
    parameters = {name: str(value) for name, value in bindings.items()}
    found = _cypher(database, cypher, **parameters)
    assert expected, f"the SPARQL query finds nothing: {question}"
    assert found == _normalise(expected), question


def _normalise(rows: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """SPARQL values as the export writes them: numbers as doubles, kg: terms by local name."""
    return {tuple(_as_exported(value) for value in row) for row in rows}


def _as_exported(value: str) -> str:
    if value.startswith(str(KG)):
        return value.removeprefix(str(KG))
    if value.startswith(("http", "_:")):
        return value
    try:
        return str(float(Decimal(value)))
    except ArithmeticError:
        return value


def test_there_are_at_least_eight_query_pairs():
    assert len(QUERIES) >= 8
    assert {KGR.trainium4, KGR.sony} <= {b["p"] for _s, _c, b in QUERIES.values() if "p" in b}


# ------------------------------------------------------------------------------------------------ directions
# A graph whose data states relations the passive way (kg:usedBy, kg:succeededBy, kg:employs, kg:trained ...):
# the export writes each as the property the ontology marks kg:preferredDirection, from the other end, so the
# Cypher for "every use" still gives the SPARQL answer.

PASSIVE = (
    TURTLE_PREFIXES
    + """
src:a {
    kgr:acme a kg:Company . kgr:globex a kg:Company . kgr:aws a kg:Company .
    kgr:someone a kg:Person . kgr:boss a kg:Person .
    kgr:bedrock a kg:Service ; kg:developedBy kgr:aws . kgr:cluster a kg:Service . kgr:model a kg:AIModel .
    kgr:trainium2 a kg:Chip . kgr:trainium3 a kg:Chip . kgr:trainium4 a kg:Chip .
    kgr:bedrock kg:usedBy kgr:acme .
    kgr:cluster kg:trained kgr:model ; kg:foundationOf kgr:globex .
    kgr:trainium2 kg:succeededBy kgr:trainium3 ; kg:powers kgr:cluster .
    kgr:trainium4 kg:succeeds kgr:trainium3 .
    kgr:aws kg:employs kgr:someone ; kg:ledBy kgr:boss .
}
src:b { kgr:acme kg:uses kgr:bedrock . kgr:globex kg:uses kgr:bedrock . }
"""
)

DIRECTION_QUERIES = {
    "every use": (
        "SELECT ?a ?b WHERE { ?a kg:uses ?b }",
        "MATCH (a:Resource)-[r]->(b:Resource) WHERE list_contains(r.types, 'USES') RETURN DISTINCT a.iri, b.iri",
    ),
    "every succession": (
        "SELECT ?a ?b WHERE { ?a kg:succeeds ?b }",
        "MATCH (a:Resource)-[:SUCCEEDS]->(b:Resource) RETURN a.iri, b.iri",
    ),
    "the whole line of a chip": (
        "SELECT ?b WHERE { kgr:trainium4 kg:succeeds+ ?b }",
        "MATCH (a:Resource {iri: 'https://w3id.org/kgraph/resource/trainium4'})-[:SUCCEEDS*1..10]->(b:Resource) "
        "RETURN DISTINCT b.iri",
    ),
    "who works for whom": (
        "SELECT ?a ?b WHERE { ?a kg:worksFor ?b }",
        "MATCH (a:Resource)-[r]->(b:Resource) WHERE list_contains(r.types, 'WORKS_FOR') RETURN a.iri, b.iri",
    ),
    "what was trained on what": (
        "SELECT ?a ?b WHERE { ?a kg:trainedOn ?b }",
        "MATCH (a:Resource)-[:TRAINED_ON]->(b:Resource) RETURN a.iri, b.iri",
    ),
    "the vendors of a customer (the rule's conclusion)": (
        "SELECT ?a ?b WHERE { ?a kg:customerOf ?b }",
        "MATCH (a:Resource)-[:CUSTOMER_OF]->(b:Resource) RETURN a.iri, b.iri",
    ),
}


@pytest.fixture(scope="module")
def passive(tmp_path_factory) -> tuple[Any, Loaded]:
    """The bundled ontology (and rules) with :data:`PASSIVE` as the data, exported and loaded into Ladybug."""
    root = tmp_path_factory.mktemp("passive")
    (root / "data").mkdir()
    (root / "data" / "d.trig").write_text(PASSIVE, encoding="utf-8")
    loaded = load(root / "data")
    neo4j.export(loaded, root / "out")
    return loaded, load_into_ladybug(root / "out", root / "db")


@pytest.mark.parametrize("question", list(DIRECTION_QUERIES))
def test_cypher_and_sparql_agree_when_the_data_states_the_passive_direction(passive, question):
    loaded, database = passive
    sparql, cypher = DIRECTION_QUERIES[question]
    expected = _sparql(loaded, sparql)
    assert expected, f"the SPARQL query finds nothing: {question}"
    assert _cypher(database, cypher) == expected, question


def test_no_relationship_type_of_a_passive_direction_is_written(passive):
    _loaded, database = passive
    types = {row[0] for row in database.rows("MATCH ()-[r]->() RETURN DISTINCT label(r)")}
    assert types.isdisjoint({"USED_BY", "TRAINED", "FOUNDATION_OF", "POWERS", "SUCCEEDED_BY", "EMPLOYS", "LED_BY"})
    assert {"USES", "TRAINED_ON", "BUILT_ON", "POWERED_BY", "SUCCEEDS", "WORKS_FOR", "LEADS"} <= types


# ------------------------------------------------------------------------------------------------ exact numbers

EXACT_NUMBERS = (
    TURTLE_PREFIXES
    + """
src:a {
    kgr:a a kg:Company ; kg:value 12345678901234567890.5 ; kg:fromValue 9007199254740993 , 0.5 .
    kgr:b a kg:Company ; kg:value 4.4 ; kg:fromValue 3 .
    kgr:c a kg:Company .
}
"""
)


def test_a_number_a_double_cannot_hold_keeps_its_exact_text(make_kg, tmp_path):
    """The double loses digits of ``12345678901234567890.5`` and of ``9007199254740993``; the text beside it,
    loaded by a Cypher engine, gives the literal's exact number back, for every node with a value."""
    loaded = load(*make_kg({"d.trig": EXACT_NUMBERS}))
    neo4j.export(loaded, tmp_path / "out")
    database = load_into_ladybug(tmp_path / "out", tmp_path / "db")
    assert (database.properties["value_text"].type, database.properties["fromValue_text"].type) == ("string", "string")
    found = database.rows(
        "MATCH (n:Resource) WHERE list_contains(n.labels, 'Company') "
        "RETURN n.iri, n.value, n.value_text, n.fromValue__raw, n.fromValue_text__raw ORDER BY n.iri"
    )
    by_node = {iri.rsplit("/", 1)[-1]: rest for iri, *rest in found}
    value, value_text, _numbers, _texts = by_node["a"]
    assert value == 12345678901234567890.5 and Decimal(str(value)) != Decimal("12345678901234567890.5")
    assert value_text == "12345678901234567890.5"
    for name, (number, exact, numbers, texts) in by_node.items():
        node = KGR[name]
        rdf_value = loaded.graph.value(node, KG.value)
        assert exact == (None if rdf_value is None else str(rdf_value))
        assert (number is None) == (exact is None)
        rdf_from = sorted(Decimal(str(o)) for o in loaded.graph.objects(node, KG.fromValue))
        assert sorted(Decimal(t) for t in database.split(texts) or []) == rdf_from
        assert len(database.split(numbers) or []) == len(rdf_from)
    assert sorted(database.split(by_node["a"][3]) or []) == ["0.5", "9007199254740993"]


# ------------------------------------------------------------------------------------------------ file names


def test_classes_and_types_that_differ_only_in_case_load_apart(make_kg, tmp_path):
    """``Gadget`` and ``gadget``, ``NS_USES`` and ``ns_USES`` are written to files whose names differ under
    casefold (a case-insensitive file system kept one of each); loaded, every node keeps its own labels and every
    relationship its own type."""
    loaded = load(*make_kg({"d.trig": CASE_DATA}, ontology={"kgraph.ttl": CASE_ONTOLOGY}))
    neo4j.export(loaded, tmp_path / "out")
    files = [path.name for path in (tmp_path / "out").iterdir()]
    assert len({name.casefold() for name in files}) == len(files)
    database = load_into_ladybug(tmp_path / "out", tmp_path / "db")
    local = {str(KGR[name]): name for name in CASE_NODES}
    nodes = {local[iri]: ";".join(labels) for iri, labels in database.rows("MATCH (n:Resource) RETURN n.iri, n.labels")}
    assert nodes == CASE_NODES
    found = database.rows("MATCH (a)-[r]->(b) RETURN a.iri, label(r), b.iri")
    relationships = [(local[a], database.types[table], local[b]) for a, table, b in found]
    assert sorted(relationships) == sorted(CASE_RELATIONSHIPS)
    assert {"NS_USES", "ns_USES"} <= set(database.types.values())

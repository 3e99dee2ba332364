"""kgraph sorts a store query's closing ORDER BY itself (kgraph.oxorder): the same order as Oxigraph's."""

from __future__ import annotations

import math

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef, Variable

from kgraph import oxorder, oxstore
from kgraph.oxorder import Sort

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a", ("SELECT ?a WHERE { ?a ?b ?c } ", Sort((("a", False),)))),
        (
            "SELECT * { ?a ?b ?c }\n  order by desc(?b) ASC ( $a )?c\n",
            ("SELECT * { ?a ?b ?c }\n  \n", Sort((("b", True), ("a", False), ("c", False)))),
        ),
        (
            "SELECT ?a (COUNT(*) AS ?n) { ?a ?b ?c } GROUP BY ?a ORDER BY DESC(?n) ?a",
            ("SELECT ?a (COUNT(*) AS ?n) { ?a ?b ?c } GROUP BY ?a ", Sort((("n", True), ("a", False)))),
        ),
        # The last "}" is in a comment: the ORDER BY on the next line is still the query's.
        ("SELECT ?a { ?a ?b ?c } # }\nORDER BY ?a", ("SELECT ?a { ?a ?b ?c } # }\n", Sort((("a", False),)))),
        ("SELECT ?a { ?a ?b ?c } ORDER BY ?a LIMIT 10", ("SELECT ?a { ?a ?b ?c } ", Sort((("a", False),), 0, 10))),
        ("SELECT ?a { ?a ?b ?c } ORDER BY ?a OFFSET 2", ("SELECT ?a { ?a ?b ?c } ", Sort((("a", False),), 2))),
        (
            "SELECT ?a { ?a ?b ?c } ORDER BY ASC(?a)offset 2 limit 0 ",
            ("SELECT ?a { ?a ?b ?c }  ", Sort((("a", False),), 2, 0)),
        ),
        (
            "SELECT ?a { ?a ?b ?c } ORDER BY ?a LIMIT 5 OFFSET 1",
            ("SELECT ?a { ?a ?b ?c } ", Sort((("a", False),), 1, 5)),
        ),
    ],
)
def test_a_closing_order_by_of_variables_is_split_off(text, expected):
    assert oxorder.split(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?a WHERE { ?a ?b ?c }",
        "SELECT ?a WHERE { ?a ?b ?c } LIMIT 10",  # no order: Oxigraph stops after ten
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a LIMIT 10 LIMIT 2",
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a LIMIT ?n",
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?aLIMIT 10",  # one variable, ?aLIMIT: a syntax error
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY STR(?a)",  # an expression
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY (?a)",
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a # sorted",
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a # }",
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a VALUES ?a { <http://example.org/a> }",
        "SELECT ?a WHERE { ?a ?b ?c } GROUP BY ?a HAVING (COUNT(*) > 1) ORDER BY ?a",
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a-?b",
        "SELECT ?a WHERE { { SELECT ?a { ?a ?b ?c } ORDER BY ?a } }",
        "ORDER BY ?a",
    ],
)
def test_anything_else_runs_as_written(text):
    assert oxorder.split(text) is None


def _accepted(text: str) -> bool:
    try:
        ox.Store().query(text)
    except SyntaxError:
        return False
    return True


_GAPS = st.sampled_from([" ", " ", "\n", "\t", "", "\u00a0", "\u2003"])  # the last two are no SPARQL space
_NAMES = st.sampled_from(["?a", "?b", "$c", "?é", "?a·b", "?名前", "?µ", "?x²", "?", "?a-b"])  # µ, ², ?, - are not
_NUMBERS_WRITTEN = st.sampled_from(["10", "0", "\u0661\u0660", "-1", "1.5"])  # 10 in Arabic-Indic digits
_WORDS = st.sampled_from(["ORDER", "order", "BY", "GROUP", "LIMIT", "OFFSET", "ASC", "desc", "(", ")", "}", "#", "10"])


def _joined(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map("".join)


_CONDITIONS = st.one_of(
    _joined(_GAPS, _NAMES),
    _joined(_GAPS, st.sampled_from(["ASC", "desc", "Desc"]), _GAPS, st.just("("), _GAPS, _NAMES, _GAPS, st.just(")")),
)
_SLICES = st.one_of(
    st.just(""),
    _joined(_GAPS, st.sampled_from(["LIMIT", "limit", "OFFSET"]), _GAPS, _NUMBERS_WRITTEN),
    _joined(_GAPS, st.just("LIMIT"), _GAPS, _NUMBERS_WRITTEN, _GAPS, st.just("OFFSET"), _GAPS, _NUMBERS_WRITTEN),
)
#: Tails shaped like an ORDER BY, with now and then a space, name or number SPARQL refuses, or a word too many.
_TAILS = st.one_of(
    _joined(
        st.one_of(st.just(""), _joined(_GAPS, st.just("GROUP"), _GAPS, st.just("BY"), _GAPS, _NAMES)),
        _GAPS,
        st.sampled_from(["ORDER", "order"]),
        _GAPS,
        st.sampled_from(["BY", "by"]),
        st.lists(_CONDITIONS, min_size=1, max_size=3).map("".join),
        _SLICES,
        st.one_of(st.just(""), _joined(_GAPS, _WORDS)),
    ),
    st.lists(_joined(_GAPS, st.one_of(_WORDS, _NAMES)), max_size=9).map("".join),
)


@settings(max_examples=1000, deadline=None)
@given(_TAILS)
def test_a_query_is_answered_without_its_tail_only_when_oxigraph_takes_it_with_it(tail):
    text = "SELECT ?a ?b WHERE { ?a ?b ?c }" + tail
    found = oxorder.split(text)
    if found is not None:  # never an answer to a query Oxigraph would refuse, nor a refusal of one it takes
        assert _accepted(found[0]) == _accepted(text), text


@pytest.mark.parametrize(
    "tail",
    [
        " ORDER BY ?a",
        " order by DESC(?b) ?a limit 3",
        " ORDER BY ?a OFFSET 1 LIMIT 2",
        " GROUP BY ?a ?b ORDER BY ?b",
        " ORDER BY ?a?b",
        " ORDER BY DESC(?a)ASC(?b)LIMIT 1",
    ],
)
def test_the_tails_it_takes_are_ones_oxigraph_takes(tail):
    text = "SELECT ?a ?b WHERE { ?a ?b ?c }" + tail
    assert oxorder.split(text) is not None
    assert _accepted(text)


# ------------------------------------------------------------------ the same order as Oxigraph's


def _literal(datatype: str) -> st.SearchStrategy[str]:
    return st.sampled_from(["a", "b", "A", "é", "10", "9", "ab", "a b", "ä"]).map(lambda v: f'"{v}"^^<{datatype}>')


_NUMBERS = st.one_of(
    st.integers(-(10**6), 10**6).map(lambda n: f'"{n}"^^<{XSD}integer>'),
    st.sampled_from([10**17, 10**17 + 1, -(10**17) - 1]).map(lambda n: f'"{n}"^^<{XSD}integer>'),  # past a double
    st.decimals(-1000, 1000, places=3, allow_nan=False).map(lambda d: f'"{d}"^^<{XSD}decimal>'),
    st.sampled_from(["0.100000000000000001", "0.1", "100000000000000000.5"]).map(lambda d: f'"{d}"^^<{XSD}decimal>'),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: f'"{f!r}"^^<{XSD}double>'),
    st.sampled_from(["INF", "-INF", "0", "-0", "1.5", "1e3", "0.1", "0.10000000149"]).map(
        lambda f: f'"{f}"^^<{XSD}double>'
    ),
    st.sampled_from(["0.1", "-2.5", "1e3", "INF"]).map(lambda f: f'"{f}"^^<{XSD}float>'),
)
_TEXTS = st.one_of(
    st.sampled_from(["a", "b", "A", "é", "10", "9", "ab", "", "a b", "日本", "ä"]).map(lambda v: f'"{v}"'),
    st.tuples(st.sampled_from(["a", "b", "é", "10"]), st.sampled_from(["en", "zh", "de"])).map(
        lambda t: f'"{t[0]}"@{t[1]}'
    ),
    st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(["en", "ar"]), st.sampled_from(["ltr", "rtl"])).map(
        lambda t: f'"{t[0]}"@{t[1]}--{t[2]}'
    ),
    _literal(f"{XSD}string"),
    _literal(f"{EX}type"),
    _literal("http://www.w3.org/1999/02/22-rdf-syntax-ns#HTML"),
)
_NODES = st.one_of(
    st.sampled_from(["a", "b", "B", "a/b", "é", "z"]).map(lambda v: f"<{EX}{v}>"),
    st.sampled_from(["x", "y", "z1"]).map(lambda v: f"_:{v}"),
)
#: Values kgraph leaves to Oxigraph: a date, a boolean, NaN, an integer of another XSD type, an ill-typed number.
_OTHERS = st.sampled_from(
    [
        f'"2025-12-02"^^<{XSD}date>',
        f'"true"^^<{XSD}boolean>',
        f'"NaN"^^<{XSD}double>',
        f'"5"^^<{XSD}int>',
        f'"five"^^<{XSD}integer>',
    ]
)
#: A column: unbound (None) or nodes, with numbers or texts, and now and then a value of another kind.
_COLUMN = st.tuples(st.booleans(), st.booleans()).flatmap(
    lambda kinds: st.lists(
        st.one_of(
            st.none(),
            _NODES,
            _NUMBERS if kinds[0] else _TEXTS,
            *([_OTHERS, _TEXTS if kinds[0] else _NUMBERS] if kinds[1] else []),
        ),
        min_size=1,
        max_size=12,
    )
)


def _store(columns: list[list[str | None]]) -> ox.Store:
    """Row i is <EX row i>, with the value of each column through <EX cN>."""
    lines = []
    for number, column in enumerate(columns):
        for row, value in enumerate(column):
            if value is not None:
                lines.append(f"<{EX}row{row}> <{EX}c{number}> {value} .")
    for row in range(max(len(c) for c in columns)):
        lines.append(f"<{EX}row{row}> <{EX}is> <{EX}Row> .")
    store = ox.Store()
    store.load("\n".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
    return store


def _same_place(term: object) -> object:
    """What decides a value's place in the order: a number's value as a double, as Oxigraph compares numbers
    of two types (1 and 1.0 are equal, and so are two decimals a double cannot tell apart; the exact order
    within a type is test_numbers_are_compared_exactly_as_oxigraph_does's), else the term."""
    if isinstance(term, Literal) and str(term.datatype).removeprefix(XSD) in {"integer", "decimal", "double"}:
        try:
            number = float(str(term))
        except ValueError:  # ill-typed
            return term
        return term if math.isnan(number) else number  # NaN has no place
    return term


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    columns=st.lists(_COLUMN, min_size=1, max_size=3),
    descending=st.lists(st.booleans(), min_size=3, max_size=3),
    sliced=st.sampled_from(["", "LIMIT 3", "OFFSET 2", "LIMIT 2 OFFSET 1", "OFFSET 20", "LIMIT 0"]),
)
def test_the_rows_come_in_oxigraphs_order(columns, descending, sliced):
    store = _store(columns)
    optional = " ".join(f"OPTIONAL {{ ?row <{EX}c{n}> ?c{n} }}" for n in range(len(columns)))
    order = " ".join(f"DESC(?c{n})" if descending[n] else f"?c{n}" for n in range(len(columns)))
    text = f"SELECT * WHERE {{ ?row <{EX}is> <{EX}Row> {optional} }} ORDER BY {order} {sliced}"

    native = list(store.query(text))
    mine = oxstore.sparql(store, text)
    names = [f"c{n}" for n in range(len(columns))]
    # The same sorted values in the same places (rows equal on every condition may come in either order) ...
    assert [[_same_place(b.get(Variable(n))) for n in names] for b in mine.bindings] == [
        [_same_place(None if s[n] is None else oxstore.from_ox(s[n])) for n in names] for s in native
    ]
    # ... and the same rows (of a slice, rows equal on every condition at its edge may differ).
    if sliced:
        return
    every = ["row", *names]
    assert sorted(tuple(str(b.get(Variable(v), "")) for v in every) for b in mine.bindings) == sorted(
        tuple("" if s[v] is None else str(oxstore.from_ox(s[v])) for v in every) for s in native
    )


def test_kgraph_sorts_what_it_can_and_leaves_the_rest_to_oxigraph():
    store = _store([[f'"{n}"^^<{XSD}integer>' for n in (10, 9, 100)], [f'"{d}"^^<{XSD}date>' for d in (3, 2, 1)]])
    rows = list(store.query(f"SELECT ?c0 ?c1 WHERE {{ ?row <{EX}c0> ?c0 OPTIONAL {{ ?row <{EX}c1> ?c1 }} }}"))
    assert [r[0].value for r in oxorder.sorted_rows(rows, ["c0", "c1"], Sort((("c0", True),)))] == ["100", "10", "9"]
    assert oxorder.sorted_rows(rows, ["c0", "c1"], Sort((("c1", False),))) is None  # dates: Oxigraph sorts them
    assert oxorder.sorted_rows(rows, ["c0", "c1"], Sort((("other", False),))) is None  # not in the answer
    mixed = _store([[f'"9"^^<{XSD}integer>', '"10"']])
    rows = list(mixed.query(f"SELECT ?c0 WHERE {{ ?row <{EX}c0> ?c0 }}"))
    assert oxorder.sorted_rows(rows, ["c0"], Sort((("c0", False),))) is None  # a number and a text in one column
    # Oxigraph compares a 32-bit float with a double as a double, with a decimal as a float: no total order.
    floats = _store([[f'"0.1"^^<{XSD}float>', f'"0.1000000001"^^<{XSD}double>']])
    rows = list(floats.query(f"SELECT ?c0 WHERE {{ ?row <{EX}c0> ?c0 }}"))
    assert oxorder.sorted_rows(rows, ["c0"], Sort((("c0", False),))) is None


def test_the_fast_path_is_taken_and_what_it_cannot_sort_still_comes_sorted(monkeypatch):
    store = _store(
        [[f"<{EX}{v}>" for v in "cab"], [f'"{d}"^^<{XSD}date>' for d in ("2025-12-03", "2025-12-01", "2025-12-02")]]
    )
    calls: list[object] = []
    original = oxorder.sorted_rows

    def counted(*args: object) -> object:
        calls.append(result := original(*args))  # type: ignore[arg-type]
        return result

    monkeypatch.setattr(oxorder, "sorted_rows", counted)
    query = f"SELECT ?c0 ?c1 WHERE {{ ?row <{EX}c0> ?c0 ; <{EX}c1> ?c1 }} ORDER BY "
    assert [str(b[Variable("c0")]) for b in oxstore.sparql(store, query + "DESC(?c0)").bindings] == [
        f"{EX}c",
        f"{EX}b",
        f"{EX}a",
    ]
    assert [str(b[Variable("c1")]) for b in oxstore.sparql(store, query + "?c1").bindings] == [
        "2025-12-01",
        "2025-12-02",
        "2025-12-03",
    ]
    assert calls[0] is not None  # sorted by kgraph
    assert calls[1] is None  # by Oxigraph


def test_an_order_by_a_variable_not_returned_or_on_a_graph_answer_changes_nothing():
    store = _store([[f"<{EX}{v}>" for v in "cab"], [f'"{n}"^^<{XSD}integer>' for n in (1, 3, 2)]])
    where = f"WHERE {{ ?row <{EX}c0> ?c0 ; <{EX}c1> ?c1 }} ORDER BY DESC(?c1)"
    assert [str(b[Variable("c0")]) for b in oxstore.sparql(store, f"SELECT ?c0 {where}").bindings] == [
        f"{EX}a",
        f"{EX}b",
        f"{EX}c",
    ]
    graph = oxstore.sparql(store, f"CONSTRUCT {{ ?row <{EX}c0> ?c0 }} {where}").graph
    assert set(graph) == {(URIRef(f"{EX}row{n}"), URIRef(f"{EX}c0"), URIRef(f"{EX}{v}")) for n, v in enumerate("cab")}
    assert oxstore.sparql(store, f"ASK {where}").askAnswer is True
    # With a LIMIT, which solutions a graph is built from depends on their order: Oxigraph's answer, as written.
    graph = oxstore.sparql(store, f"CONSTRUCT {{ ?row <{EX}c0> ?c0 }} {where} LIMIT 1").graph
    assert set(graph) == {(URIRef(f"{EX}row1"), URIRef(f"{EX}c0"), URIRef(f"{EX}a"))}
    assert oxstore.sparql(store, f"ASK {where} OFFSET 3").askAnswer is False  # three solutions, none past them


@pytest.mark.parametrize("descending", [False, True])
def test_numbers_are_compared_exactly_as_oxigraph_does(descending):
    values = [
        f'"{10**17 + 1}"^^<{XSD}integer>',  # one more than the next, which a double cannot tell apart
        f'"{10**17}"^^<{XSD}integer>',
        f'"0.100000000000000001"^^<{XSD}decimal>',
        f'"0.1"^^<{XSD}decimal>',
        f'"-INF"^^<{XSD}double>',
        f'"2.5E0"^^<{XSD}float>',
        f'"3"^^<{XSD}integer>',
    ]
    store = _store([values])
    text = f"SELECT ?c0 WHERE {{ ?row <{EX}c0> ?c0 }} ORDER BY {'DESC(?c0)' if descending else '?c0'}"
    native = [s[0] for s in store.query(text)]
    assert [b[Variable("c0")] for b in oxstore.sparql(store, text).bindings] == [oxstore.from_ox(v) for v in native]
    expected = ["-INF", "0.1", "0.100000000000000001", "2.5", "3", str(10**17), str(10**17 + 1)]
    assert [v.value for v in native] == (expected[::-1] if descending else expected)


def test_the_answer_is_read_no_further_than_a_value_kgraph_cannot_sort():
    read: list[object] = []

    def rows():
        for value in ("b", "a", "2025-12-02", "c"):
            literal = ox.Literal(value, datatype=ox.NamedNode(f"{XSD}date" if value[0] == "2" else f"{XSD}string"))
            read.append(value)
            yield [literal]

    assert oxorder.sorted_rows(rows(), ["c0"], Sort((("c0", False),))) is None
    assert read == ["b", "a", "2025-12-02"]

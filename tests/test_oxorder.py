"""kgraph sorts a store query's closing ORDER BY itself (kgraph.oxorder): Oxigraph's order, where it has one."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from decimal import Decimal

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef, Variable

from kgraph import oxorder, oxstore, sortkey
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
        ("SELECT ?a { ?a ?b ?c } # }\nORDER BY ?a", ("SELECT ?a { ?a ?b ?c }    \n", Sort((("a", False),)))),
        # A comment becomes spaces: what it says is no part of the query, a "}" or an ORDER BY in it neither.
        (
            "SELECT ?a { ?a ?b ?c } ORDER BY ?a # was: { ... } ORDER BY DESC(?a)",
            ("SELECT ?a { ?a ?b ?c }  " + " " * len("# was: { ... } ORDER BY DESC(?a)"), Sort((("a", False),))),
        ),
        (
            "SELECT ?a # (\nWHERE { ?a <http://example.org/#a> '#}' } ORDER BY STR(?a # )\n)",
            (
                "SELECT ?a (STR(?a    \n) AS ?kgraph_sort_0)    \nWHERE { ?a <http://example.org/#a> '#}' } ",
                Sort((("kgraph_sort_0", False),), hidden=("kgraph_sort_0",)),
            ),
        ),
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
        (
            "SELECT ?a WHERE { ?a ?b ?c } GROUP BY ?a HAVING (COUNT(*) > 1) ORDER BY ?a",
            ("SELECT ?a WHERE { ?a ?b ?c } GROUP BY ?a HAVING (COUNT(*) > 1) ", Sort((("a", False),))),
        ),
        # A variable not returned, or an expression: a column added at the end of the projection to sort by.
        (
            "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?c DESC(?a) ?c",
            ("SELECT ?a ?c WHERE { ?a ?b ?c } ", Sort((("c", False), ("a", True), ("c", False)), hidden=("c",))),
        ),
        (
            "SELECT ?a WHERE { ?a ?b ?c } ORDER BY STR(?a)",
            (
                "SELECT ?a (STR(?a) AS ?kgraph_sort_0) WHERE { ?a ?b ?c } ",
                Sort((("kgraph_sort_0", False),), hidden=("kgraph_sort_0",)),
            ),
        ),
        (
            "PREFIX ex: <http://example.org/#(> # SELECT ?z\nSELECT ?a (COUNT(?b) AS ?n) ?kgraph_sort_0\n"
            "FROM <http://example.org/g> { ?a ?b ?kgraph_sort_0 } GROUP BY ?a ?kgraph_sort_0"
            ' ORDER BY DESC ( ex:f(?a, ")" ) ) (?n * 2) ?n LIMIT 3',
            (
                "PREFIX ex: <http://example.org/#(>            \nSELECT ?a (COUNT(?b) AS ?n) ?kgraph_sort_0"
                ' (ex:f(?a, ")" ) AS ?kgraph_sort___0) ((?n * 2) AS ?kgraph_sort___1)\nFROM <http://example.org/g>'
                " { ?a ?b ?kgraph_sort_0 } GROUP BY ?a ?kgraph_sort_0 ",
                Sort(
                    (("kgraph_sort___0", True), ("kgraph_sort___1", False), ("n", False)),
                    0,
                    3,
                    ("kgraph_sort___0", "kgraph_sort___1"),
                ),
            ),
        ),
        # SELECT DISTINCT: run without it, to add the column; kgraph keeps the first of equal rows.
        (
            "SELECT DISTINCT ?a WHERE { ?a ?b ?c } ORDER BY ?c",
            ("SELECT  ?a ?c WHERE { ?a ?b ?c } ", Sort((("c", False),), hidden=("c",), distinct=True)),
        ),
        (
            "SELECT distinct ?a WHERE { ?a ?b ?c } ORDER BY ?a",
            ("SELECT distinct ?a WHERE { ?a ?b ?c } ", Sort((("a", False),))),
        ),
        # SELECT REDUCED: the column added; REDUCED may drop duplicates or keep them.
        (
            "SELECT REDUCED ?a WHERE { ?a ?b ?c } ORDER BY ?c",
            ("SELECT REDUCED ?a ?c WHERE { ?a ?b ?c } ", Sort((("c", False),), hidden=("c",))),
        ),
        # SELECT *: no column added; a variable it lacks is left to Oxigraph (sorted_rows).
        ("SELECT * { ?a ?b ?c } ORDER BY ?d", ("SELECT * { ?a ?b ?c } ", Sort((("d", False),)))),
    ],
)
def test_a_closing_order_by_is_split_off(text, expected):
    assert oxorder.split(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?a WHERE { ?a ?b ?c }",
        "SELECT ?a WHERE { ?a ?b ?c } LIMIT 10",  # no order: Oxigraph stops after ten
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a LIMIT 10 LIMIT 2",
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a LIMIT ?n",
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?aLIMIT 10",  # one variable, ?aLIMIT: a syntax error
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a VALUES ?a { <http://example.org/a> }",
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a-?b",
        # An expression, where no column can be added for it: SELECT *, another form.
        "SELECT * WHERE { ?a ?b ?c } ORDER BY STR(?a)",
        "CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c } ORDER BY STR(?a)",
        # An expression kgraph does not read: a brace, a string or brackets not closed.
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY (NOT EXISTS { ?a ?b 1 })",
        # The last "}" is in a comment: what follows it is not the query's.
        "SELECT ?a WHERE { ?a ?b ?c }\n# alternative: { ?a ?b 1 } ORDER BY DESC(?a) LIMIT 2",
        'SELECT ?a WHERE { ?a ?b ?c } ORDER BY CONCAT(?a, "x)',
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY STR((?a)",
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ASC ?a",
        "SELECT ?a WHERE { { SELECT ?a { ?a ?b ?c } ORDER BY ?a } }",
        "ORDER BY ?a",
    ],
)
def test_anything_else_runs_as_written(text):
    assert oxorder.split(text) is None


def _accepted(text: str) -> bool:
    try:
        ox.Store().query(text)
    except (SyntaxError, RuntimeError):  # RuntimeError: a function Oxigraph does not know
        return False
    return True


_GAPS = st.sampled_from([" ", " ", "\n", "\t", "", "\u00a0", "\u2003"])  # the last two are no SPARQL space
_NAMES = st.sampled_from(["?a", "?b", "$c", "?é", "?a·b", "?名前", "?µ", "?x²", "?", "?a-b"])  # µ, ², ?, - are not
_NUMBERS_WRITTEN = st.sampled_from(["10", "0", "\u0661\u0660", "-1", "1.5"])  # 10 in Arabic-Indic digits
_WORDS = st.sampled_from(["ORDER", "order", "BY", "GROUP", "LIMIT", "OFFSET", "ASC", "desc", "(", ")", "}", "#", "10"])


def _joined(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map("".join)


_EXPRESSIONS = st.sampled_from(
    [
        "STR(?a)",
        "(?a)",
        "COUNT(?b)",
        "COUNT(*)",
        "str ( ?b )",
        "ex:f(?a)",  # no such prefix
        "<http://example.org/f>(?a)",
        'CONCAT(?a, ")")',
        "(?a < ?b)",
        "(?a<?b)",
        "(?c)",  # not returned by any head below
        "STR(?a",
        "NOW()",
        "(?a AS ?z)",
    ]
)
_CONDITIONS = st.one_of(
    _joined(_GAPS, _NAMES),
    _joined(_GAPS, st.sampled_from(["ASC", "desc", "Desc"]), _GAPS, st.just("("), _GAPS, _NAMES, _GAPS, st.just(")")),
    _joined(_GAPS, _EXPRESSIONS),
    _joined(_GAPS, st.sampled_from(["ASC", "DESC"]), _GAPS, st.just("("), _EXPRESSIONS, st.just(")")),
)
_HEADS = st.sampled_from(
    [
        "SELECT ?a ?b WHERE",
        "SELECT ?a",
        "SELECT DISTINCT ?a",
        "SELECT *",
        "SELECT ?a (COUNT(*) AS ?n)",
        "SELECT(STR(?a) AS ?s)",
        "PREFIX ex: <http://example.org/> SELECT ?b",
        "ASK",
    ]
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
@given(_HEADS, _TAILS)
def test_a_query_is_answered_without_its_tail_only_when_oxigraph_takes_it_with_it(head, tail):
    text = head + " { ?a ?b ?c }" + tail
    found = oxorder.split(text)
    if found is None:
        return
    # Never an answer to a query Oxigraph would refuse ...
    if _accepted(found[0]):
        assert _accepted(text), text
    # ... nor a refusal of one it takes, where no column was added (else the query then runs as written).
    if not found[1].hidden:
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
_FLOATS = st.sampled_from(["0.1", "-2.5", "1e3", "INF", "-INF", "0"]).map(lambda f: f'"{f}"^^<{XSD}float>')
_DATES = st.tuples(st.dates(), st.sampled_from(["Z", "+08:00", "-05:30"])).map(
    lambda t: f'"{t[0].isoformat()}{t[1]}"^^<{XSD}date>'
)
_INSTANTS = st.tuples(st.dates(), st.integers(0, 23), st.sampled_from(["Z", "+08:00", "-05:30"])).map(
    lambda t: f'"{t[0].isoformat()}T{t[1]:02}:30:00{t[2]}"^^<{XSD}dateTime>'
)
_LOCAL_INSTANTS = st.tuples(st.dates(), st.integers(1, 23)).map(
    lambda t: f'"{t[0].isoformat()}T{t[1]:02}:00:00"^^<{XSD}dateTime>'
)
_BOOLEAN = st.sampled_from(["true", "false"]).map(lambda b: f'"{b}"^^<{XSD}boolean>')
_DAY_TIMES = st.tuples(st.integers(0, 40), st.integers(0, 30), st.integers(0, 59)).map(
    lambda t: f'"P{t[0]}DT{t[1]}H{t[2]}M"^^<{XSD}dayTimeDuration>'
)
_YEAR_MONTHS = st.tuples(st.integers(0, 9), st.integers(1, 30)).map(
    lambda t: f'"P{t[0]}Y{t[1]}M"^^<{XSD}yearMonthDuration>'
)
#: The kinds of literal a column holds one of, in which Oxigraph's order is a total one.
_KINDS = [
    _NUMBERS.filter(lambda v: not v.endswith(f"<{XSD}float>")),
    _FLOATS,
    _TEXTS,
    _DATES,
    _INSTANTS,
    _LOCAL_INSTANTS,
    _BOOLEAN,
    _DAY_TIMES,
    _YEAR_MONTHS,
]
#: Values of no kind above: NaN, an ill-typed number or date, a year, a time, a duration of both parts.
_OTHERS = st.sampled_from(
    [
        f'"NaN"^^<{XSD}double>',
        f'"five"^^<{XSD}integer>',
        f'"2025-13"^^<{XSD}date>',
        f'"2025"^^<{XSD}gYear>',
        f'"10:30:00"^^<{XSD}time>',
        f'"P1M2D"^^<{XSD}duration>',
        f'"5"^^<{XSD}int>',
    ]
)
#: A column: unbound (None) or nodes, and the literals of one kind.
_COLUMN = st.sampled_from(_KINDS).flatmap(
    lambda kind: st.lists(st.one_of(st.none(), _NODES, kind), min_size=1, max_size=12)
)
#: A column of anything: values of several kinds, which Oxigraph's comparison does not order totally.
_MIXED = st.lists(st.one_of(st.none(), _NODES, _OTHERS, *_KINDS), min_size=1, max_size=40)


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


def _blurred(columns: list[list[str | None]]) -> bool:
    """Whether a column but the last holds two numbers that :func:`_same_place` takes as one and kgraph does not
    (0.1 and 0.100000000000000001): the next condition then decides in Oxigraph, when their types differ (it
    compares them as doubles), and not in kgraph (exactly by value). Oxigraph's is no total order there: it takes
    that decimal as equal to the double 0.1, and the double as equal to the decimal 0.1, but not the decimals."""
    for column in columns[:-1]:
        numbers = [oxstore.from_ox(row[0]) for row in _store([column]).query(f"SELECT ?c0 {{ ?row <{EX}c0> ?c0 }}")]
        placed: dict[object, set[object]] = {}
        for number in numbers:
            placed.setdefault(_same_place(number), set()).add(_exact(number))
        if any(len(values) > 1 for place, values in placed.items() if isinstance(place, float)):
            return True
    return False


def _exact(term: Literal) -> object:
    try:
        return Decimal(str(term))
    except ArithmeticError:
        return str(term)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    columns=st.lists(_COLUMN, min_size=1, max_size=3),
    descending=st.lists(st.booleans(), min_size=3, max_size=3),
    sliced=st.sampled_from(["", "LIMIT 3", "OFFSET 2", "LIMIT 2 OFFSET 1", "OFFSET 20", "LIMIT 0"]),
)
def test_the_rows_come_in_oxigraphs_order(columns, descending, sliced):
    assume(not _blurred(columns))
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


#: Conditions on a column ``{n}`` the query does not return: the variable, or an expression of it; and what each
#: gives for a value (an rdflib term or None), to compare places by.
def _place_of(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> object:
    return _same_place(None if term is None else oxstore.from_ox(term))


def _text_of(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> object:
    """STR(term) as Oxigraph gives it: the stored text (a double 0.0 is stored as "0"; rdflib writes "0.0")."""
    return None if term is None or isinstance(term, ox.BlankNode) else term.value


_NOT_RETURNED = {
    "?c{n}": _place_of,
    "DESC(?c{n})": _place_of,
    "(?c{n})": _place_of,
    "STR(?c{n})": _text_of,
    "DESC(STR(?c{n}))": _text_of,
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    columns=st.lists(_COLUMN, min_size=1, max_size=3),
    conditions=st.lists(st.sampled_from(sorted(_NOT_RETURNED)), min_size=3, max_size=3),
    sliced=st.sampled_from(["", "LIMIT 3", "OFFSET 2", "LIMIT 2 OFFSET 1"]),
)
def test_conditions_on_expressions_and_variables_not_returned_come_in_oxigraphs_order(columns, conditions, sliced):
    assume(not _blurred(columns))
    store = _store(columns)
    optional = " ".join(f"OPTIONAL {{ ?row <{EX}c{n}> ?c{n} }}" for n in range(len(columns)))
    order = " ".join(conditions[n].format(n=n) for n in range(len(columns)))
    where = f"WHERE {{ ?row <{EX}is> <{EX}Row> {optional} }}"
    text = f"SELECT ?row {where} ORDER BY {order} {sliced}"
    values = {
        s[0].value: list(s)[1:]
        for s in store.query(f"SELECT ?row {' '.join(f'?c{n}' for n in range(len(columns)))} {where}")
    }

    def places(row: str) -> list[object]:
        return [_NOT_RETURNED[conditions[n]](value) for n, value in enumerate(values[row])]

    mine = oxstore.sparql(store, text)
    assert mine.vars == [Variable("row")]
    native = [s[0].value for s in store.query(text)]
    assert [places(str(b[Variable("row")])) for b in mine.bindings] == [places(row) for row in native]
    if not sliced:
        assert sorted(str(b[Variable("row")]) for b in mine.bindings) == sorted(native)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shown=st.lists(st.sampled_from(["<http://example.org/a>", '"b"', '"c"@en', None]), min_size=1, max_size=12),
    column=_COLUMN,
    condition=st.sampled_from(["?c1", "DESC(?c1)", "STR(?c1)", "DESC(STR(?c1))"]),
    sliced=st.sampled_from(["", "LIMIT 2", "OFFSET 1", "LIMIT 1 OFFSET 1"]),
)
def test_select_distinct_sorted_by_a_column_it_lacks_comes_as_from_oxigraph(shown, column, condition, sliced):
    store = _store([shown, column])
    where = f"WHERE {{ ?row <{EX}is> <{EX}Row> OPTIONAL {{ ?row <{EX}c0> ?c0 }} OPTIONAL {{ ?row <{EX}c1> ?c1 }} }}"
    text = f"SELECT DISTINCT ?c0 {where} ORDER BY {condition} ?row {sliced}"  # ?row: no two rows equal
    assert oxorder.split(text)[1].distinct  # type: ignore[index]
    native = [None if s[0] is None else oxstore.from_ox(s[0]) for s in store.query(text)]
    assert [b.get(Variable("c0")) for b in oxstore.sparql(store, text).bindings] == native


@settings(max_examples=500, deadline=None)
@given(
    rows=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 2)), max_size=60),
    descending=st.lists(st.booleans(), min_size=2, max_size=2),
    stop=st.integers(0, 8),
)
def test_the_first_rows_of_a_distinct_answer_are_found_without_holding_the_rest(rows, descending, stop):
    """With a LIMIT, the first rows of each set of equal rows are kept in a bounded heap: the same rows as the
    whole answer sorted, then the first of each set, then the slice. Keys tie often here, so the order of
    arrival decides often."""
    numbered = [(*row, number) for number, row in enumerate(rows)]  # the number tells rows apart

    def keyed():
        return [([(key,) for key in row[1:3]], row) for row in numbered]

    first_of_each: dict[int, object] = {}
    for item in oxorder._sorted(keyed(), descending):  # the whole answer sorted, then the first of each set
        first_of_each.setdefault(item[1][0], item)
    expected = list(first_of_each.values())
    assert oxorder._first_distinct(iter(keyed()), descending, 1, stop) == expected[:stop]
    assert oxorder._first_distinct(iter(keyed()), descending, 1, None) == expected


def test_a_sort_of_the_whole_answer_holds_each_iri_once_and_no_oxigraph_term():
    """Without a LIMIT every row is held until it is written: a tuple of the columns shown, an IRI or a blank node
    as its sort key, one object per term whatever the number of rows it is in, not Oxigraph's solution with a
    term per cell beside each key (a kilobyte a row of three IRIs); a column added to sort by is not held. Read,
    the rows are Oxigraph's, in Oxigraph's order."""
    rows = 12
    store = _store(
        [
            [f"<{EX}p{n % 3}>" for n in range(rows)],
            [f"_:b{n % 2}" for n in range(rows)],
            [f'"{n % 4}"^^<{XSD}integer>' if n % 5 else None for n in range(rows)],
        ]
    )
    optional = " ".join(f"OPTIONAL {{ ?row <{EX}c{n}> ?c{n} }}" for n in range(3))
    text = f"SELECT ?row ?c0 ?c1 ?c2 WHERE {{ ?row <{EX}is> <{EX}Row> {optional} }} ORDER BY ?c0 STR(?c2) ?row"
    found = oxorder.split(text)
    assert found is not None and found[1].hidden  # STR(?c2): a column added to sort by
    unordered, sort = found
    results = store.query(unordered)
    ordered = oxorder.sorted_rows(results, [v.value for v in results.variables], sort)
    assert ordered is not None
    held = ordered.cells
    assert len(held) == rows
    assert all(isinstance(row, tuple) and len(row) == 4 for row in held)  # no solution, no added column
    cells = [cell for row in held for cell in row]
    assert not [cell for cell in cells if isinstance(cell, (ox.NamedNode, ox.BlankNode, ox.QuerySolution))]
    assert len({id(row[1]) for row in held}) == 3  # one object for each IRI of ?c0
    assert len({id(row[2]) for row in held}) == 2  # and for each blank node of ?c1
    native = [tuple(solution)[:4] for solution in store.query(text)]
    assert [tuple(row) for row in ordered] == native
    assert [tuple(row) for row in ordered] == native  # read again, the same
    names = [Variable(v) for v in ("row", "c0", "c1", "c2")]
    expected = [{n: oxstore.from_ox(v) for n, v in zip(names, s, strict=True) if v is not None} for s in native]
    assert oxstore.sparql(store, text).bindings == expected


def test_a_group_sorted_by_an_aggregate_comes_as_from_oxigraph():
    store = _store([[f'"{v}"' for v in "abcabcaab"], [f"<{EX}{v}>" for v in "xyzxyzxyz"]])
    text = f"SELECT ?c0 WHERE {{ ?row <{EX}c0> ?c0 ; <{EX}c1> ?c1 }} GROUP BY ?c0 ORDER BY DESC(COUNT(?c1)) ?c0"
    assert oxorder.split(text) is not None
    answer = oxstore.sparql(store, text)
    assert [str(b[Variable("c0")]) for b in answer.bindings] == [str(s[0].value) for s in store.query(text)]
    assert [str(b[Variable("c0")]) for b in answer.bindings] == ["a", "b", "c"]  # 4, 3 and 2 rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(column=_MIXED, descending=st.booleans(), seed=st.randoms(use_true_random=False))
def test_values_of_several_kinds_come_in_one_order_whatever_order_they_come_in(column, descending, seed):
    """Oxigraph's own order of such a column depends on how its sort goes (and its sort may abort the process):
    kgraph's is a total order, so the same values come out in the same places from any order they go in (values
    equal in the order, such as 1 and 1.0, may swap)."""
    store = _store([column])
    text = f"SELECT ?row ?c0 WHERE {{ ?row <{EX}is> <{EX}Row> OPTIONAL {{ ?row <{EX}c0> ?c0 }} }}"
    unordered = list(store.query(text))
    shuffled = list(unordered)
    seed.shuffle(shuffled)
    sort = Sort((("c0", descending),))
    first = oxorder.sorted_rows(unordered, ["row", "c0"], sort)
    second = oxorder.sorted_rows(shuffled, ["row", "c0"], sort)
    assert first is not None and second is not None
    assert [oxorder._key(r[1]) for r in first] == [oxorder._key(r[1]) for r in second]
    assert sorted(str(r[0]) for r in first) == sorted(str(r[0]) for r in unordered)


def test_kinds_of_literal_come_in_groups_each_in_its_own_order():
    values = [
        '"b"',
        f'"10"^^<{XSD}integer>',
        f'"PT1H"^^<{XSD}dayTimeDuration>',
        f'"2025-12-02T10:00:00+08:00"^^<{XSD}dateTime>',
        f'"9"^^<{XSD}integer>',
        f'"true"^^<{XSD}boolean>',
        f'"NaN"^^<{XSD}double>',
        f'"2025-12-01"^^<{XSD}date>',
        f'"P1D"^^<{XSD}duration>',
        '"a"@en',
        f'"2025-12-02T01:00:00Z"^^<{XSD}dateTime>',
        f'"0.5"^^<{XSD}float>',
        f'"false"^^<{XSD}boolean>',
        f'"PT30M"^^<{XSD}dayTimeDuration>',
        f"<{EX}x>",
        f'"2024-12-31T23:00:00"^^<{XSD}dateTime>',
        f'"09:00:00"^^<{XSD}time>',
    ]
    store = _store([values])
    rows = list(store.query(f"SELECT ?c0 WHERE {{ ?row <{EX}c0> ?c0 }}"))
    ordered = oxorder.sorted_rows(rows, ["c0"], Sort((("c0", False),)))
    assert ordered is not None
    assert [row[0].value for row in ordered] == [
        f"{EX}x",
        "9",
        "10",  # numbers by value
        "0.5",  # 32-bit floats
        "false",
        "true",
        "2025-12-01",  # dates, then date-times
        "2024-12-31T23:00:00",  # no time zone: as in UTC
        "2025-12-02T01:00:00Z",
        "2025-12-02T10:00:00+08:00",  # 02:00 UTC
        "09:00:00",
        "PT30M",
        "PT1H",
        "P1D",
        "a",
        "b",
        "NaN",
    ]


def test_a_sort_variable_the_answer_lacks_is_left_to_oxigraph():
    store = _store([[f'"{n}"^^<{XSD}integer>' for n in (10, 9, 100)]])
    rows = list(store.query(f"SELECT ?c0 WHERE {{ ?row <{EX}c0> ?c0 }}"))
    assert [r[0].value for r in oxorder.sorted_rows(rows, ["c0"], Sort((("c0", True),)))] == ["100", "10", "9"]
    assert oxorder.sorted_rows(rows, ["c0"], Sort((("other", False),))) is None


_ABORTS = """
import sys
import pyoxigraph as ox
from rdflib import Variable
from kgraph import oxstore
store = ox.Store()
values = [f'"{n}"^^<http://www.w3.org/2001/XMLSchema#integer>' if n % 2 else f'"{n}"' for n in range(200)]
where = "WHERE { VALUES ?x { " + " ".join(values) + " } BIND (STR(?x) AS ?y) }"
text = f"SELECT {sys.argv[1]} {where} ORDER BY {sys.argv[2]}"
print(" ".join(str(b[Variable(sys.argv[1][1:])]) for b in oxstore.sparql(store, text).bindings))
"""


@pytest.mark.parametrize(
    ("returned", "order"),
    [
        ("?x", "?x"),
        ("?x", "DESC(?x)"),
        ("?x", "?x LIMIT 5"),
        ("?y", "?x"),  # a variable not returned
        ("?x", "(?x)"),  # an expression
        ("?y", "COALESCE(?x, 0) LIMIT 5"),
    ],
)
def test_a_column_of_numbers_and_texts_no_longer_aborts_the_process(returned, order):
    """Oxigraph 0.5's sort panics on this column (the comparison is no total order: 9 < 10 < "11" < "9" < 9), and
    the panic aborts Python: SIGABRT, exit 134, no error message. Run in a process of its own for that reason."""
    arguments = [sys.executable, "-c", _ABORTS, returned, order]
    done = subprocess.run(arguments, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    numbers = [str(n) for n in range(1, 200, 2)]
    texts = sorted(str(n) for n in range(0, 200, 2))
    expected = {"DESC(?x)": texts[::-1] + numbers[::-1]}.get(order, numbers + texts)
    assert done.stdout.split() == (expected[:5] if "LIMIT" in order else expected)


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
    query = f"SELECT ?c0 WHERE {{ ?row <{EX}c0> ?c0 ; <{EX}c1> ?c1 }} ORDER BY "
    assert [str(b[Variable("c0")]) for b in oxstore.sparql(store, query + "DESC(?c0)").bindings] == [
        f"{EX}c",
        f"{EX}b",
        f"{EX}a",
    ]
    for text in (query + "?c1", query + "STR(?c1)", query.replace("SELECT", "SELECT REDUCED") + "?c1"):
        answer = oxstore.sparql(store, text)
        assert answer.vars == [Variable("c0")]
        assert [list(b) for b in answer.bindings] == [[Variable("c0")]] * 3  # not the column added to sort by
        assert [str(b[Variable("c0")]) for b in answer.bindings] == [f"{EX}a", f"{EX}b", f"{EX}c"]
    assert calls[0] is not None  # sorted by kgraph
    assert calls[1] is not None  # also: ?c1, not returned, added to the projection to sort by, then dropped
    assert calls[2] is not None  # STR(?c1): the same
    assert calls[3] is not None  # SELECT REDUCED too: it may keep or drop duplicates
    monkeypatch.setattr(oxorder, "sorted_rows", original)


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
        f'"2.5E0"^^<{XSD}double>',
        f'"3"^^<{XSD}integer>',
        # 64-bit integers, decimals of 21 digits and 18 after the point, forms without a digit on one side
        f'"-9223372036854775808"^^<{XSD}integer>',
        f'"-1234567890123456789"^^<{XSD}integer>',
        f'"9223372036854775807"^^<{XSD}integer>',
        f'"170141183460469231731.687303715884105727"^^<{XSD}decimal>',
        f'".5"^^<{XSD}decimal>',
        f'"5."^^<{XSD}decimal>',
        f'"1e400"^^<{XSD}double>',  # past a double's range: infinite
    ]
    store = _store([values])
    text = f"SELECT ?c0 WHERE {{ ?row <{EX}c0> ?c0 }} ORDER BY {'DESC(?c0)' if descending else '?c0'}"
    native = [s[0] for s in store.query(text)]
    assert [b[Variable("c0")] for b in oxstore.sparql(store, text).bindings] == [oxstore.from_ox(v) for v in native]
    expected = [
        "-INF",
        "-9223372036854775808",
        "-1234567890123456789",
        "0.1",
        "0.100000000000000001",
        "0.5",
        "2.5",
        "3",
        "5",
        str(10**17),
        str(10**17 + 1),
        "9223372036854775807",
        "170141183460469231731.687303715884105727",
        "INF",
    ]
    assert [v.value for v in native] == (expected[::-1] if descending else expected)


@pytest.mark.parametrize(
    ("value", "datatype", "kind"),
    [
        ("9223372036854775807", "integer", sortkey.NUMBER),
        ("9223372036854775808", "integer", sortkey.OTHER),  # past 64 bits: Oxigraph does not read it
        ("0.123456789012345678", "decimal", sortkey.NUMBER),
        ("0.1234567890123456789", "decimal", sortkey.OTHER),  # 19 digits after the point
        ("0.1000000000000000000", "decimal", sortkey.NUMBER),  # the same, but zeros
        ("170141183460469231732", "decimal", sortkey.OTHER),  # past 128 bits
        ("1e3", "decimal", sortkey.OTHER),
        ("NaN", "double", sortkey.OTHER),
        ("1e40", "float", sortkey.FLOAT),
    ],
)
def test_a_number_is_one_where_oxigraph_reads_it_as_one(value, datatype, kind):
    literal = ox.Literal(value, datatype=ox.NamedNode(f"{XSD}{datatype}"))
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}b"), literal))
    numeric = store.query("SELECT (isNumeric(?x) AS ?n) WHERE { ?a ?b ?x }")
    assert oxorder._key(literal)[1] == kind
    if datatype != "double":  # NaN is numeric to Oxigraph, but unordered: kgraph puts it with the other values
        assert next(iter(numeric))[0].value == ("true" if kind != sortkey.OTHER else "false")


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("P1Y2M3DT4H5M6.7S", (14, Decimal("273906.7"))),
        ("-P1Y2M", (-14, Decimal(0))),
        ("-PT1.50S", (0, Decimal("-1.50"))),
        ("P0D", (0, Decimal(0))),
        ("PT0S", (0, Decimal(0))),
        ("P1DT1M", (0, Decimal(86460))),
        ("PT.5S", (0, Decimal("0.5"))),  # XSD's seconds may have a point at either end, not alone
        ("-PT1M5.S", (0, Decimal(-65))),
        *((form, None) for form in ("P", "PT", "-P", "P1DT", "PTS", "PT.S", "P.5S", "+P1D", "P1W", "P\u0661D")),
    ],
)
def test_a_duration_in_xsd_form_is_placed_by_its_months_and_seconds(value, span):
    """A duration is keyed by its length only in XSD's lexical form (a part after the P, and one after a T, seconds
    with a digit on at least one side of their point); any other text is placed with the other values, by its text."""
    key = sortkey.term_key(Literal(value, datatype=URIRef(f"{XSD}duration")))
    assert key[1:] == ((sortkey.SPAN, *span) if span is not None else (sortkey.OTHER, value, f"{XSD}duration"))


def test_doubles_and_floats_are_placed_by_the_binary_number_oxigraph_holds():
    def key(value: str, datatype: str) -> tuple:
        return oxorder._key(ox.Literal(value, datatype=ox.NamedNode(f"{XSD}{datatype}")))

    assert key("0.1", "float") == key("0.100000001", "float")  # one 32-bit float
    assert key("0.1", "double") != key("0.100000001", "double")
    assert key("1e400", "double") == key("INF", "double")
    assert key("1e40", "float") == key("INF", "float")
    assert key("1e-400", "double") == key("0", "integer")  # below a double's range: zero


def test_rows_equal_on_every_condition_keep_their_order_with_a_limit_and_two_directions():
    rows = [(ox.Literal("x"), ox.Literal("y"), ox.Literal(str(number))) for number in range(20)]
    sort = Sort((("a", False), ("b", True)), 0, 5)
    kept = oxorder.sorted_rows(rows, ["a", "b", "n"], sort)
    assert kept is not None
    assert [row[2].value for row in kept] == ["0", "1", "2", "3", "4"]


@pytest.mark.parametrize(
    "comment",
    [
        "\n# alternative: { ?row <http://example.org/c0> ?c0 } ORDER BY DESC(?c0) LIMIT 2",
        " # was: { ... } ORDER BY DESC(?c0) OFFSET 1",
    ],
)
def test_a_comment_after_the_query_changes_nothing(comment):
    """A "}" in a trailing comment was taken for the query's last, and an ORDER BY after it in the comment for the
    query's: its rows were sorted and sliced by it."""
    store = _store([[f'"{n}"^^<{XSD}integer>' for n in (3, 1, 2, 5, 4)]])
    for text in (
        f"SELECT ?row WHERE {{ ?row <{EX}c0> ?c0 }}",
        f"SELECT ?row WHERE {{ ?row <{EX}c0> ?c0 }} ORDER BY ?c0 LIMIT 3",
        f"SELECT ?row ?c0 WHERE {{ ?row <{EX}c0> ?c0 }} ORDER BY ?c0",
    ):
        plain = [dict(b) for b in oxstore.sparql(store, text).bindings]
        assert [dict(b) for b in oxstore.sparql(store, text + comment).bindings] == plain


def test_the_answer_is_read_no_further_than_a_value_kgraph_cannot_sort():
    read: list[object] = []
    triple = ox.Triple(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}b"), ox.NamedNode(f"{EX}c"))

    def rows():
        for value in ("b", "a", triple, "c"):
            read.append(value)
            yield [ox.Literal(value) if isinstance(value, str) else value]

    assert oxorder.sorted_rows(rows(), ["c0"], Sort((("c0", False),))) is None
    assert read == ["b", "a", triple]


@pytest.mark.parametrize(
    "term",
    [
        Literal("Trainium", lang="en"),
        Literal("Trainium", lang="ZH"),
        Literal("Trainium"),
        Literal("Trainium", datatype=URIRef(f"{XSD}string")),
        Literal("x", datatype=URIRef(f"{EX}custom")),
        Literal("07", datatype=URIRef(f"{XSD}integer")),
        Literal("1.50", datatype=URIRef(f"{XSD}decimal")),
        Literal("1e3", datatype=URIRef(f"{XSD}double")),
        Literal("0.1", datatype=URIRef(f"{XSD}float")),
        Literal("true", datatype=URIRef(f"{XSD}boolean")),
        Literal("2025-12-02", datatype=URIRef(f"{XSD}date")),
        Literal("2025-12-02T08:00:00-08:00", datatype=URIRef(f"{XSD}dateTime")),
        Literal("PT30M", datatype=URIRef(f"{XSD}duration")),
        Literal("not a number", datatype=URIRef(f"{XSD}integer")),
        URIRef(f"{EX}a"),
    ],
)
def test_an_rdflib_term_has_the_key_of_the_same_term_in_oxigraph(term):
    """rdflib's ORDER BY sorts by :func:`sortkey.term_key` (kgraph._compat.order_like_oxigraph), so that memory and a
    store give one order."""
    from oxrdflib._converter import to_ox  # noqa: PLC0415

    assert sortkey.term_key(term) == oxorder._key(to_ox(term))


def test_an_unbound_value_or_an_error_comes_first():
    assert sortkey.term_key(Variable("x")) == sortkey.term_key(None) == oxorder._key(None)
    assert sortkey.term_key(None) < sortkey.term_key(URIRef(f"{EX}a")) < sortkey.term_key(Literal(""))


def test_a_param_the_select_does_not_return_is_added_to_its_projection():
    """Oxigraph substitutes only a returned variable: kgraph adds the others, where that keeps the answer."""
    text = "SELECT DISTINCT ?e ?n WHERE { ?e rdfs:label ?n FILTER(CONTAINS(?n, ?text)) } ORDER BY ?e"
    assert oxorder.returning(text, ["text", "e"]) == (text.replace("?e ?n WHERE", "?e ?n ?text WHERE"), 1)
    assert oxorder.returning(text, ["e"]) is None  # returned already
    assert oxorder.returning("SELECT * WHERE { ?s ?p ?o }", ["x"]) is None
    # Where Oxigraph's value would differ from rdflib's: left to rdflib, as before.
    assert oxorder.returning("SELECT ?s WHERE { ?s ?p ?o { SELECT ?s WHERE { ?s ?q ?x } } }", ["x"]) is None
    assert oxorder.returning("SELECT ?s WHERE { ?s ?p ?o BIND(?x AS ?y) }", ["x"]) is None
    assert oxorder.returning("SELECT ?s WHERE { ?s ?p ?o FILTER(bound( ?x )) }", ["x"]) is None
    # A word or a variable in a string, an IRI or a comment is not read.
    quoted = 'SELECT ?s WHERE { ?s ?p "SELECT BOUND(?x)" ; <urn:select> ?x } # (?x AS ?y)\n'
    assert oxorder.returning(quoted, ["x"]) == (
        quoted.replace("?s WHERE", "?s ?x WHERE").replace("# (?x AS ?y)", " " * 12),
        1,
    )


def test_a_param_added_to_the_projection_gives_the_answer_rdflib_gives():
    store = ox.Store()
    store.load(b'<urn:a> <urn:p> "xy" .\n<urn:b> <urn:p> "z" .\n', ox.RdfFormat.N_TRIPLES)
    text = "SELECT ?s WHERE { ?s <urn:p> ?o FILTER(CONTAINS(?o, ?t)) } ORDER BY ?s"
    answer = oxstore.sparql(store, text, {"t": Literal("x")})
    assert answer.vars == [Variable("s")] and answer.bindings == [{Variable("s"): URIRef("urn:a")}]


def test_a_text_sent_again_is_read_once(monkeypatch):
    """``kgraph validate`` sends Oxigraph one SHACL-SPARQL text per focus node, tens of thousands of times: kgraph
    reads the text for its ORDER BY and its projection once, not once per query, and answers the same."""
    store = ox.Store()
    store.load(b'<urn:a> <urn:p> "xy" .\n<urn:b> <urn:p> "z" .\n', ox.RdfFormat.N_TRIPLES)
    # A text no other test sends, so that nothing read it before.
    text = "SELECT ?s WHERE { ?s <urn:p> ?o FILTER(CONTAINS(?o, ?t)) } ORDER BY ?s # read once"
    reads = []
    read = oxorder._without_comments
    monkeypatch.setattr(oxorder, "_without_comments", lambda text: reads.append(text) or read(text))
    answers = [oxstore.sparql(store, text, {"t": Literal(value)}).bindings for value in ("x", "z", "x", "z")]
    assert answers == [[{Variable("s"): URIRef(iri)}] for iri in ("urn:a", "urn:b", "urn:a", "urn:b")]
    assert len(reads) <= 2  # once to add ?t to the projection, once for the ORDER BY


# ------------------------------------------------------------------ an ORDER BY left to Oxigraph


_SUB_QUERY_ABORTS = """
import sys
import pyoxigraph as ox
from rdflib import Variable
from kgraph import oxstore
store = ox.Store()
values = [f'"{n}"^^<http://www.w3.org/2001/XMLSchema#integer>' if n % 2 else f'"{n}"' for n in range(200)]
where = "WHERE { VALUES ?x { " + " ".join(values) + " } BIND (STR(?x) AS ?y) }"
text = f"SELECT ?x WHERE {{ {{ SELECT ?x ?y {where} ORDER BY {sys.argv[1]} }} }}"
print(" ".join(str(b[Variable("x")]) for b in oxstore.sparql(store, text).bindings))
"""


@pytest.mark.parametrize("order", ["?x", "DESC(?x)", "?x LIMIT 5", "DESC(?x) LIMIT 7 OFFSET 95", "(?x) ?y"])
def test_a_sub_querys_order_by_on_numbers_and_texts_no_longer_aborts_the_process(order):
    """kgraph does not sort a sub-query's ORDER BY itself: it asks Oxigraph for one that is a total order
    (kgraph.oxorder.total). Oxigraph's own sort panicked on this column, in a sub-query too, and the panic aborted
    Python. The sub-query's order is not the answer's (SPARQL leaves it open), but the rows its LIMIT keeps are
    those kgraph's order puts first."""
    arguments = [sys.executable, "-c", _SUB_QUERY_ABORTS, order]
    done = subprocess.run(arguments, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    ordered = [str(n) for n in range(1, 200, 2)] + sorted(str(n) for n in range(0, 200, 2))
    if order.startswith("DESC"):
        ordered.reverse()
    kept = {"?x LIMIT 5": ordered[:5], "DESC(?x) LIMIT 7 OFFSET 95": ordered[95:102]}.get(order, ordered)
    assert sorted(done.stdout.split()) == sorted(kept)


_KEPT_BY_A_SUB_QUERY = """
import json
import sys
import pyoxigraph as ox
from rdflib import Variable
from kgraph import oxstore
for case in json.load(sys.stdin):
    store = ox.Store()
    store.load(case["triples"].encode(), format=ox.RdfFormat.N_TRIPLES)
    answer = oxstore.sparql(store, case["query"])
    print(json.dumps(sorted(str(row[Variable("row")]) for row in answer.bindings)), flush=True)
"""


def _steady(value: str | None) -> str | None:
    """``value``, but an IRI in place of a blank node (whose label, which orders it, each load of a file draws
    anew)."""
    if value and value.startswith("_:"):
        return f"<{EX}blank-{value[2:]}>"
    return value


def _assert_kept_by_a_sub_query(cases: list[tuple[list[str | None], bool, int, int]]) -> None:
    """For each case (a column of values, descending or not, a LIMIT, an OFFSET), that a sub-query sorting the
    column keeps the rows kgraph's own order (kgraph.sortkey, as a closing ORDER BY on a store is sorted) puts
    there, up to rows equal in that order (1 and 1.0). All cases in one process, which an abort would end with no
    answer."""
    sent = []
    for column, descending, limit, offset in cases:
        store = _store([column])
        keys = {
            row[0].value: oxorder._key(row[1])
            for row in store.query(
                f"SELECT ?row ?c0 WHERE {{ ?row <{EX}is> <{EX}Row> OPTIONAL {{ ?row <{EX}c0> ?c0 }} }}"
            )
        }
        ordered = sorted(keys.values(), reverse=descending)
        triples = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in store)
        direction = "DESC" if descending else "ASC"
        query = (
            f"SELECT ?row WHERE {{ {{ SELECT ?row WHERE {{ ?row <{EX}is> <{EX}Row> OPTIONAL {{ ?row <{EX}c0> ?c0 }} }}"
            f" ORDER BY {direction}(?c0) LIMIT {limit} OFFSET {offset} }} }}"
        )
        sent.append(({"triples": triples, "query": query}, keys, sorted(ordered[offset : offset + limit])))
    done = subprocess.run(
        [sys.executable, "-c", _KEPT_BY_A_SUB_QUERY],
        input=json.dumps([case for case, _keys, _expected in sent]),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(sent)
    for (case, keys, expected), rows in zip(sent, answers, strict=True):
        assert sorted(keys[row] for row in rows) == expected, case["query"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cases=st.lists(
        st.tuples(
            st.lists(
                st.one_of(st.none(), _NODES, _OTHERS, *_KINDS).map(_steady),
                min_size=1,
                max_size=24,
            ),
            st.booleans(),
            st.integers(0, 24),
            st.integers(0, 5),
        ),
        min_size=6,
        max_size=6,
    )
)
def test_the_rows_a_sub_querys_limit_keeps_are_those_kgraphs_order_puts_first(cases):
    """Values of every kind in one column, sorted in a sub-query with a LIMIT and an OFFSET: the rows kept are the
    ones kgraph's own order (kgraph.sortkey, as a closing ORDER BY on a store is sorted) puts there, up to rows equal
    in that order (1 and 1.0). Six columns a process, which an abort would end with no answer."""
    _assert_kept_by_a_sub_query(cases)


#: Numbers Oxigraph compares as doubles when their types differ, and a double cannot tell apart (0.1 and
#: 0.100000000000000001; 10**17 and 10**17 + 1), doubles past 18 decimal places or past a decimal's range.
_CLOSE_NUMBERS = [
    *(
        f'"{d}"^^<{XSD}decimal>'
        for d in ("0.1", "0.100000000000000001", "0.099999999999999999", "-0.001234567890123456")
    ),
    *(f'"{d}"^^<{XSD}decimal>' for d in ("-0.001234567890123457", "170141183460469231731.687303715884105727")),
    *(f'"{n}"^^<{XSD}integer>' for n in (0, 10**17 - 1, 10**17, 10**17 + 1, -(10**17) - 1, -(10**17))),
    *(f'"{f}"^^<{XSD}double>' for f in ("0.1", "1E17", "-1E17", "1e-20", "-1e-20", "-0.0012345678901234567")),
    *(f'"{f}"^^<{XSD}double>' for f in ("1.7014118346046923e20", "1.7014118346046926e20", "1E21", "INF", "-INF")),
]


@pytest.mark.parametrize("descending", [False, True])
def test_numbers_a_double_cannot_tell_apart_are_kept_in_kgraphs_order(descending):
    """Oxigraph compares a double with a decimal or an integer as two doubles, so it takes the double 0.1 as equal
    to both the decimal 0.1 and 0.100000000000000001, which it does not take as equal: no total order. kgraph
    places a double by the shortest decimal that reads as it; so does a sub-query's sort, with each LIMIT."""
    _assert_kept_by_a_sub_query([(_CLOSE_NUMBERS, descending, limit, 0) for limit in range(1, len(_CLOSE_NUMBERS))])


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?a WHERE { ?a ?b ?c }",
        # In a string, an IRI or a comment, "ORDER BY" is none.
        "SELECT ?a WHERE { ?a ?b 'ORDER BY ?c' }",
        "SELECT ?a WHERE { ?a <http://example.org/ORDER BY> ?c }",
        "SELECT ?a WHERE { ?a ?b ?c } # ORDER BY ?c",
        "SELECT ?ORDER WHERE { ?ORDER ?b ?c }",
        # Conditions kgraph does not read: left as written.
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY (EXISTS { ?a ?b ?c })",
    ],
)
def test_a_text_without_an_order_by_kgraph_reads_is_left_as_it_is(text):
    assert oxorder.total(text) is text


def test_each_order_by_of_a_text_sorts_by_three_conditions_in_its_place():
    text = (
        "SELECT ?a WHERE { { SELECT ?a ?b WHERE { ?a ?b ?c } ORDER BY DESC(?b) STR(?a) LIMIT 2 } }"
        " ORDER BY ?a VALUES (?a) { (<urn:x>) }"
    )
    total = oxorder.total(text)
    assert total.startswith("SELECT ?a WHERE { { SELECT ?a ?b WHERE { ?a ?b ?c } ORDER BY DESC(IF(isLiteral((?b)),")
    inner, closing = total.split(" LIMIT 2 } } ORDER BY ")
    assert closing.startswith("ASC(IF(isLiteral((?a)),") and closing.endswith(" VALUES (?a) { (<urn:x>) }")
    # Each condition's group and its third condition start so, its value with IF(!isLiteral(...
    assert inner.count("DESC(") == 3 and inner.count("ASC(IF(isLiteral((STR(?a))),") == 2
    assert total.count("ASC(IF(isLiteral((?a)),") == 2  # the closing one, before VALUES: not "VALUES (?a)"
    assert total.count("ASC(IF(!isLiteral((?a))") == 1
    assert _accepted(total)


def test_a_text_oxigraph_refuses_once_made_total_runs_as_written(monkeypatch):
    store = _store([[f'"{n}"^^<{XSD}integer>' for n in (3, 1, 2)]])
    monkeypatch.setattr(oxorder, "total", lambda text: text + " nonsense")
    text = f"SELECT ?c0 WHERE {{ {{ SELECT ?c0 WHERE {{ ?row <{EX}c0> ?c0 }} ORDER BY DESC(?c0) LIMIT 2 }} }}"
    assert sorted(str(b[Variable("c0")]) for b in oxstore.sparql(store, text).bindings) == ["2", "3"]

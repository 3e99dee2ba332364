"""Parse a SPARQL query or update with the project's prefixes, with errors that point at the line and column.

The prefixes of :data:`kgraph.vocab.PREFIXES` are declared for every query. rdflib would also accept some thirty
prefixes of its own (``foaf:``, ``dcat:``, ...) without a declaration; a query relying on them would fail at a
remote endpoint, so here a prefix must be one of ours or declared in the query, and anything else is an
:class:`~kgraph.errors.UnknownPrefixError` that names the declared ones.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urljoin

from pyparsing import ParseBaseException, ParseException, ParseResults, StringEnd
from rdflib import URIRef, Variable
from rdflib.plugins.sparql import parser
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query, Update

from kgraph._compat import (
    SPARQL_PARSING,
    checked_iris,
    comparable_values,
    concatenations_keep_their_language,
    described_parameters,
    empty_construct_templates,
    extremes_keep_their_terms,
    failing_aggregates,
    failing_sums,
    group_by_expressions,
    negated_inverse_paths,
    no_groups_of_nothing,
    relative_iris_with_a_colon,
    sample_group_keys_in_order_by,
    scoped_groups,
    sparql_functions,
    typed_products,
    undeclared_prefix,
    valid_template_triples,
    values_bind_their_variables,
)
from kgraph.errors import BareWordError, InputError, QuerySyntaxError, UnknownPrefixError
from kgraph.query import lexer, unparsed
from kgraph.vocab import PREFIXES

sample_group_keys_in_order_by()  # a GROUP BY key the query does not return still orders it (see kgraph._compat)
failing_sums()  # SUM and AVG of a group with a value that is no number give no value, as SPARQL says
group_by_expressions()  # GROUP BY (expr) without AS groups by the value, as GROUP BY STR(?x) does
extremes_keep_their_terms()  # MIN and MAX give the IRI they found, not a text of it, in ORDER BY's order
concatenations_keep_their_language()  # GROUP_CONCAT of texts in one language is a text in it, as CONCAT is
failing_aggregates()  # MIN, MAX, GROUP_CONCAT, COUNT(expr) of a group with an error give none, SAMPLE a value
typed_products()  # 2 * 2 is an integer, 2e0 * 2 a double, as XPath and Oxigraph say
no_groups_of_nothing()  # no group over no rows, an empty VALUES, FILTER(false) drops every row
values_bind_their_variables()  # an OPTIONAL after VALUES keeps the rows it does not match
scoped_groups()  # a sub-query, a BIND or a nested FILTER joined on its own, not with the row before it in place
checked_iris()  # IRI("a b") is an error (unbound), not an IRI no output can write
relative_iris_with_a_colon()  # <./a:b> is resolved against the base, as <a> is; <a:b> is absolute (scheme a:)
empty_construct_templates()  # CONSTRUCT { } WHERE { ... } gives no triple, as SPARQL says
described_parameters()  # DESCRIBE ?x without WHERE describes what a parameter binds ?x to
negated_inverse_paths()  # !^p and !(p|^q) read and evaluated as SPARQL says
valid_template_triples()  # a template's triple with a literal subject, or a predicate no IRI, is left out
comparable_values()  # durations compare by length; a number and a date-time do not compare (FILTER drops the row)
sparql_functions()  # casts by value (xsd:integer(1.5) is 1), SUBSTR from 0, REPLACE's flags and $0, 1/0 && false

Kind = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "UPDATE"]

_KINDS: Mapping[str, Kind] = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
_UPDATE_KEYWORDS = unparsed.UPDATE_KEYWORDS


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed SPARQL query (or update), ready to check and run."""

    text: str
    #: Where the text came from, for messages: a file name, ``<stdin>`` or ``<query>``.
    source: str
    kind: Kind
    #: The rdflib algebra: a :class:`Query`, or an :class:`Update` when ``kind`` is ``"UPDATE"``.
    algebra: Query | Update
    #: Prefixes the query declares itself (``PREFIX p: <...>``), in order.
    declared: Mapping[str, str] = field(default_factory=dict)
    #: Result columns in order (SELECT only); for ``SELECT *`` the order in which variables first appear.
    variables: tuple[str, ...] = ()
    #: The IRI its relative IRIs were resolved against where it declares no ``BASE`` (``kgraph serve``: the
    #: endpoint's URL); None: it has none to resolve (:func:`parse` refuses them).
    base: str | None = None

    @property
    def is_update(self) -> bool:
        """Whether this is a SPARQL Update rather than a query."""
        return self.kind == "UPDATE"

    def prologue_for_endpoint(self) -> str:
        """``PREFIX`` lines for the project's prefixes that the query does not declare itself."""
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in self.declared)


def parse(text: str, source: str = "<query>", *, base: str | None = None) -> ParsedQuery:
    """Parse ``text`` as a SPARQL 1.1 query, or as an update if it is one.

    A relative IRI (``<foo>``) is resolved against the query's ``BASE``, else against ``base`` (an absolute IRI: a
    server's own URL, as SPARQL 1.1 Query, 4.1.1.1, and RFC 3986, 5.1, have it); with neither it is a
    :class:`~kgraph.errors.QuerySyntaxError`: rdflib kept it relative, and an answer with it was no RDF (N-Triples
    ``<foo> <bar> "x" .``), where Oxigraph refused the query.

    Raises :class:`~kgraph.errors.QuerySyntaxError` (line, column and the offending line) or
    :class:`~kgraph.errors.UnknownPrefixError`. Whether an update may run is for :mod:`kgraph.query.safety`.
    """
    if base is not None and not is_absolute_iri(base):
        raise InputError(f"base must be an absolute IRI (https://...), not {base!r}")
    try:
        with SPARQL_PARSING:  # one parse at a time in the process: pyparsing is not thread-safe
            return _parse(text, source, base)
    except RecursionError:
        # rdflib's parser and its translation recurse once per level of nested groups or brackets: a thousand
        # or so levels pass Python's limit. No query written by hand nests so deep; a generated one may.
        why = "the query nests groups or brackets too deeply for rdflib's parser; flatten it (fewer { } or ( ) levels)"
        raise QuerySyntaxError(source, 1, 1, lexer.line_at(text, 1), why) from None


def _parse(text: str, source: str, base: str | None) -> ParsedQuery:
    if not text.strip():
        raise QuerySyntaxError(source, 1, 1, "", "the query is empty")
    try:
        tree = parseQuery(text)
    except ParseBaseException as query_error:
        return _parse_update(text, source, query_error, base)
    declared = _declared_prefixes(tree[0])
    _check_prefixes(text, source, declared)
    _check_relative_iris(text, source, tree, base)
    _resolve_bases([tree[0]], base)
    short_construct = _short_construct(tree[1])
    _check_grouping(tree[1], text, source)  # before translating, which puts variables in place of aggregates
    algebra = _translate(lambda: translateQuery(tree, base, dict(PREFIXES)), text, source, declared)
    assert isinstance(algebra, Query)  # noqa: S101 - translateQuery returns a Query
    _clamp_slices(algebra.algebra)
    _join_into_triple_patterns(algebra.algebra)
    _construct_template(algebra.algebra, short_construct)
    kind = _KINDS[algebra.algebra.name]
    variables: tuple[str, ...] = ()
    if kind == "SELECT":
        projected = [str(v) for v in raw(algebra.algebra, "PV") or ()]
        if not raw(tree[1], "projection"):  # SELECT *: rdflib lists the variables in set order
            order = {name: i for i, name in enumerate(lexer.variables_in_order(text))}
            projected.sort(key=lambda name: order.get(name, len(order)))
        variables = tuple(projected)
    return ParsedQuery(text, source, kind, algebra, declared, variables, base)


def is_absolute_iri(iri: str) -> bool:
    """Whether ``iri`` starts with a scheme (``https:``, ``urn:``), as an absolute IRI does (RFC 3987)."""
    return _SCHEME.match(iri) is not None


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _check_relative_iris(text: str, source: str, tree: object, base: str | None) -> None:
    """Refuse the first relative IRI of ``text`` (rdflib's parse ``tree``) that no ``BASE`` before it, nor
    ``base``, resolves, pointed at: a ``BASE`` of a relative IRI too, which leaves the IRIs after it relative.
    rdflib kept such an IRI as written (a CONSTRUCT gave ``<foo> <bar> "x" .``, which no N-Triples reader takes,
    and a SELECT ``{"type": "uri", "value": "foo"}``); Oxigraph refused the query (``expected IRI parsing
    failed``). The tokens that read as IRIs are checked against the tree: ``?a<?b&&?c>?d`` is two comparisons."""
    if base is not None:
        return
    based = False
    stream = list(lexer.tokens(text))
    found: set[str] | None = None
    for index, token in enumerate(stream):
        if token.kind != "iri":
            continue
        iri = token.text[1:-1]
        declares_base = index > 0 and stream[index - 1].kind == "word" and stream[index - 1].text.upper() == "BASE"
        if is_absolute_iri(iri):
            based = based or declares_base
            continue
        if based:
            continue
        if found is None:
            found = _iris_in(tree)
        if iri not in found:
            continue
        line, column = lexer.position(text, token.start)
        message = (
            f"BASE {token.text} is a relative IRI, with no BASE before it to resolve it against; write the IRI "
            "whole (BASE <https://...>)"
            if declares_base
            else f"{token.text} is a relative IRI, and the query has no BASE to resolve it against; write the IRI "
            "whole (<https://...>), or begin the query with BASE <https://...>"
        )
        raise QuerySyntaxError(source, line, column, lexer.line_at(text, line), message)


def _iris_in(tree: object) -> set[str]:
    """Every IRI written in rdflib's parse ``tree`` of a query or update, as written."""
    found: set[str] = set()
    stack: list[object] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, URIRef):
            found.add(str(node))
        elif isinstance(node, list | tuple | ParseResults):  # before Mapping: pyparsing registers ParseResults as one
            stack.extend(node)
        elif isinstance(node, Mapping):
            stack.extend(node.keys())
            stack.extend(node.values())
    return found


def _resolve_bases(prologues: Iterable[object], base: str | None) -> None:
    """Resolve each relative ``BASE`` of the ``prologues`` (rdflib's parse tree) against the base before it (an
    earlier BASE, else ``base``): rdflib takes a BASE's IRI as it is written. One with no base before it was refused
    (:func:`_check_relative_iris`)."""
    for prologue in prologues:
        for declaration in prologue or ():  # type: ignore[attr-defined]
            if getattr(declaration, "name", "") == "Base":
                if base is not None and not is_absolute_iri(str(declaration["iri"])):
                    declaration["iri"] = URIRef(urljoin(base, str(declaration["iri"])))
                base = str(declaration["iri"])


def _check_grouping(node: object, text: str, source: str) -> None:
    """Refuse a ``SELECT`` (the query's, or a sub-query's) that groups (``GROUP BY``, an aggregate, ``HAVING``) and
    returns a variable neither grouped nor aggregated, ``SELECT *`` of a grouped query, or one name twice. SPARQL
    calls these errors, and Oxigraph refuses them; rdflib answered with any one row's value (``SELECT ?x (COUNT(*)
    AS ?n) ... GROUP BY ?y`` gave one chip for all), and so did a store, which handed rdflib what Oxigraph refused."""
    for select in _selects(node):
        projection = raw(select, "projection") or []
        grouped = _grouped(raw(select, "groupby"))
        grouping = grouped is not None or raw(select, "having") is not None
        grouping = grouping or any(_has_aggregate(raw(item, "expr")) for item in projection)
        if grouping and not projection:
            raise _at_word(
                text,
                source,
                "*",
                "SELECT * returns no variable of a grouped query (GROUP BY or an "
                "aggregate): list the variables it groups by and the aggregates",
            )
        allowed, named = set(grouped or ()), set()
        for item in projection:
            name = raw(item, "var") or raw(item, "evar")
            if name in named:
                raise _at_word(
                    text, source, f"?{name}", f"?{name} is returned twice; return it once, or name one other"
                )
            named.add(name)
            expression = raw(item, "expr")  # None for a variable returned as it is
            free = [
                v for v in (_outside_aggregates(expression) if expression is not None else [name]) if v not in allowed
            ]
            if free and grouping:
                raise _at_word(
                    text,
                    source,
                    f"?{free[0]}",
                    f"?{free[0]} is returned but neither grouped nor aggregated: add it to GROUP BY, or return an "
                    f"aggregate of it, such as (SAMPLE(?{free[0]}) AS ?{free[0]}_any)",
                )
            allowed.add(name)


def _selects(node: object) -> Iterator[CompValue]:
    """The ``SELECT`` of the parse tree ``node`` and those of its sub-queries (rdflib's ``SubSelect``)."""
    return (part for part in algebra_parts(node) if isinstance(part, CompValue) and part.name in _SELECTS)


#: The names of a SELECT in rdflib's parse tree: the query's, a sub-query's.
_SELECTS = ("SelectQuery", "SubSelect")


def _grouped(clause: object) -> set[Variable] | None:
    """The variables ``GROUP BY`` (``clause``) groups by: ``?x``, ``(?x)``, ``(expr AS ?x)``; None without it."""
    if clause is None:
        return None
    found = set()
    for condition in raw(clause, "condition") or []:
        if isinstance(condition, CompValue) and condition.name == "GroupAs" and raw(condition, "var") is not None:
            found.add(raw(condition, "var"))
            continue
        inner = (
            raw(condition, "expr") if isinstance(condition, CompValue) and condition.name == "GroupAs" else condition
        )
        while isinstance(inner, CompValue) and set(inner) == {"expr"}:  # (?x): brackets around a variable
            inner = raw(inner, "expr")
        if isinstance(inner, Variable):
            found.add(inner)
    return found


def _has_aggregate(node: object) -> bool:
    return any(isinstance(part, CompValue) and part.name.startswith("Aggregate_") for part in algebra_parts(node))


def _outside_aggregates(node: object) -> list[Variable]:
    """The variables of the expression ``node`` outside its aggregates and its ``EXISTS`` patterns, in order."""
    if isinstance(node, Variable):
        return [node]
    if isinstance(node, CompValue):
        if node.name.startswith("Aggregate_") or node.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            return []
        return [v for value in node.values() for v in _outside_aggregates(value)]
    if isinstance(node, list | tuple | ParseResults):
        return [v for value in node for v in _outside_aggregates(value)]
    return []


def _at_word(text: str, source: str, word: str, message: str) -> QuerySyntaxError:
    """The error ``message``, pointed at the first ``word`` of ``text`` (a ``$x`` for ``?x`` too), or its start."""
    pattern = re.escape(word) if not word.startswith("?") else rf"[?$]{re.escape(word[1:])}\b"
    found = re.search(pattern, text)
    line, column = lexer.position(text, found.start() if found else 0)
    return QuerySyntaxError(source, line, column, lexer.line_at(text, line), message)


def _short_construct(query: CompValue) -> bool:
    """Whether ``query`` (rdflib's parse tree) is the short form ``CONSTRUCT WHERE { ... }``, whose template is its
    pattern; an empty pattern is given one, which rdflib's translation needs ("'NoneType' object has no attribute
    'translated'")."""
    if query.name != "ConstructQuery":
        return False
    where = raw(query, "where")
    if where is None:  # CONSTRUCT WHERE { }
        query["where"] = where = CompValue("FakeGroupGraphPatten", part=[])
    return bool(where.name == "FakeGroupGraphPatten")


def _construct_template(query: CompValue, short: bool) -> None:
    """Give ``CONSTRUCT WHERE { ... }`` (``short``) its pattern as its template, as rdflib does only when nothing
    follows the pattern: it looks for the triples right under the projection, so with a ``LIMIT`` (a slice between
    the two) the evaluation failed ("'NoneType' object is not iterable"). ``CONSTRUCT { } WHERE { ... }`` gets an
    empty template: rdflib's parser reads no template there either, and answered with the pattern's triples (or
    failed on a pattern that is not only triples) where SPARQL and a store answer with none
    (:func:`kgraph._compat.empty_construct_templates`)."""
    if query.name != "ConstructQuery" or query.get("template") is not None:
        return
    if not short:
        query["template"] = []
        return
    node = query.get("p")
    while isinstance(node, CompValue) and node.name in ("Slice", "Project", "Distinct", "Reduced", "OrderBy"):
        node = node.get("p")
    if isinstance(node, CompValue) and node.name == "BGP":  # the short form allows triple patterns only
        query["template"] = node.triples


def _join_into_triple_patterns(node: object) -> None:
    """Let rdflib join into a group of triple patterns with the bindings found so far (a "lazy" join), whatever
    came before it. rdflib makes a join lazy only if neither side holds another join, so a query that opens with
    ``VALUES`` (as ``--param`` reaches an endpoint, ``kgraph serve`` included), then a ``UNION``, then triple
    patterns matched those patterns alone first: every label with every label, which ran for minutes where the
    same query with its parameter bound answered in milliseconds. Binding the variables of a group of triple
    patterns before matching it is the same join, whatever the bindings came from."""
    if isinstance(node, CompValue):
        if node.name == "Join" and isinstance(node.get("p2"), CompValue) and node.p2.name == "BGP":
            node["lazy"] = True
        for key, value in node.items():
            if not key.startswith("_"):
                _join_into_triple_patterns(value)
    elif isinstance(node, list):
        for item in node:
            _join_into_triple_patterns(item)


def _clamp_slices(node: object) -> None:
    """Bring a LIMIT or OFFSET past ``sys.maxsize`` (``LIMIT 99999999999999999999``) down to it: the same rows
    (no answer has that many), where rdflib's evaluation, which slices with ``itertools.islice``, refused them."""
    if isinstance(node, CompValue):
        if node.name == "Slice":
            for key in ("start", "length"):
                value = raw(node, key)
                if isinstance(value, int) and value > sys.maxsize:
                    node[key] = sys.maxsize
        for value in node.values():
            _clamp_slices(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _clamp_slices(value)


def _parse_update(text: str, source: str, query_error: ParseBaseException, base: str | None) -> ParsedQuery:
    try:
        tree = parseUpdate(text)
    except ParseBaseException as failed:
        update_error = _in_first_operation(text, failed)
        error = _likelier(text, query_error, update_error)
        bare = _bare_word(text, source, error.loc, update=error is update_error)
        raise bare or _syntax_error(text, source, error) from None
    declared: dict[str, str] = {}
    for prologue in tree.prologue:
        declared.update(_declared_prefixes(prologue))
    _check_prefixes(text, source, declared)
    _check_relative_iris(text, source, tree, base)
    _resolve_bases(tree.prologue, base)
    algebra = _translate(lambda: translateUpdate(tree, base, dict(PREFIXES)), text, source, declared)
    return ParsedQuery(text, source, "UPDATE", algebra, declared, base=base)


def _first_operation_error(text: str) -> ParseBaseException:
    """The error in the first update operation: ``parseUpdate`` reports "expected end of text" at the start of an
    operation that does not parse (the grammar allows an empty update), this says where in it and why."""
    try:
        (parser.Prologue + parser.Update1 + StringEnd()).parse_string(parser.expandUnicodeEscapes(text))
    except ParseBaseException as error:
        return error
    return ParseException(text, 0, "")  # pragma: no cover - the update parsed after all


def _in_first_operation(text: str, error: ParseBaseException) -> ParseBaseException:
    """Why ``text`` is no update: ``error``, ``parseUpdate``'s, or the error in its first operation if that is
    further on (:func:`_first_operation_error`)."""
    return max(error, _first_operation_error(text), key=lambda e: e.loc)


def _update_error(text: str) -> ParseBaseException | None:
    """Why ``text`` is no update, as :func:`_parse_update` reports it; None if it is one."""
    try:
        parseUpdate(text)
    except ParseBaseException as error:
        return _in_first_operation(text, error)
    return None


def _bare_word(text: str, source: str, failed_at: int, *, update: bool) -> BareWordError | None:
    """The error for the first word without a prefix (``Chip`` in ``?x a Chip``) from ``failed_at`` on (where
    the parse failed: the start of the triple pattern, before the word), if such words are why: with each of
    them an IRI (``<Chip>``), the text parses, or fails further on. None if they are not why, or there are none."""
    words = list(lexer.bare_words(text, failed_at))
    if not words:
        return None
    fixed = text
    for word in reversed(words):  # from the last, so that the offsets of those before stay true
        fixed = f"{fixed[: word.start]}<{word.text}>{fixed[word.start + len(word.text) :]}"
    error = _update_error(fixed) if update else _query_error(fixed)
    if error is not None and error.loc <= failed_at:
        return None
    line, column = lexer.position(text, words[0].start)
    return BareWordError(
        source, line, column, lexer.line_at(text, line), word=words[0].text, declared=_prefixes_written(text)
    )


def _query_error(text: str) -> ParseBaseException | None:
    """Why ``text`` is no query; None if it is one."""
    try:
        parseQuery(text)
    except ParseBaseException as error:
        return error
    return None


def _prefixes_written(text: str) -> list[str]:
    """kgraph's prefixes, then those ``text`` declares (``PREFIX ex: <...>``), for a query that does not parse."""
    stream = list(lexer.tokens(text))
    own = (
        following.text[:-1]
        for token, following in itertools.pairwise(stream)
        if token.kind == "word" and token.text.upper() == "PREFIX" and following.kind == "pname"
    )
    return list(dict.fromkeys([*PREFIXES, *own]))


def _likelier(text: str, query_error: ParseBaseException, update_error: ParseBaseException) -> ParseBaseException:
    """The error to report: the update's if the text starts like an update, else the query's."""
    words = (t.text.upper() for t in lexer.tokens(text) if t.kind == "word")
    first = next((word for word in words if word not in ("PREFIX", "BASE")), "")
    return update_error if first in _UPDATE_KEYWORDS else query_error


def _declared_prefixes(prologue: object) -> dict[str, str]:
    declared: dict[str, str] = {}
    for declaration in prologue or ():  # type: ignore[attr-defined]
        if getattr(declaration, "name", "") == "PrefixDecl":
            declared[str(raw(declaration, "prefix") or "")] = str(raw(declaration, "iri"))
    return declared


def _check_prefixes(text: str, source: str, declared: Mapping[str, str]) -> None:
    known = set(PREFIXES) | set(declared)
    for token in lexer.tokens(text):
        if token.kind != "pname":
            continue
        prefix = token.text.split(":", 1)[0]
        if prefix not in known:
            raise _unknown_prefix(text, source, prefix, token.start, declared)


def _unknown_prefix(
    text: str, source: str, prefix: str, offset: int, declared: Mapping[str, str]
) -> UnknownPrefixError:
    line, column = lexer.position(text, offset)
    names = [*PREFIXES, *(p for p in declared if p not in PREFIXES)]
    return UnknownPrefixError(source, line, column, lexer.line_at(text, line), prefix=prefix, declared=names)


def _translate(
    translate: Callable[[], Query | Update], text: str, source: str, declared: Mapping[str, str]
) -> Query | Update:
    try:
        return translate()
    except Exception as error:  # rdflib raises bare Exceptions while translating
        prefix = undeclared_prefix(error)
        if prefix is not None:
            offset = lexer.first_use_of_prefix(text, prefix) or 0
            raise _unknown_prefix(text, source, prefix, offset, declared) from None
        why = f"rdflib cannot use this query: {error}"
        raise QuerySyntaxError(source, 1, 1, lexer.line_at(text, 1), why) from None


def _syntax_error(text: str, source: str, error: ParseBaseException) -> QuerySyntaxError:
    """pyparsing reports where the alternative that got furthest failed, and what it expected there; past the
    query's pattern, where a modifier that could not be read is (``LIMIT x``), what is wrong with it."""
    expected = str(error.msg or "").removeprefix("Expected ").replace("end of text", "the end of the query")
    found = _bad_modifier(text, error.loc) if expected == "the end of the query" else _bad_expression(text, error.loc)
    if found is None and unparsed.names_a_rule(expected):  # "expected SelectQuery": said in words
        found = unparsed.explain(text, error.loc, expected)
    if found is not None:
        offset, message = found
    else:
        offset = error.loc
        rest = text[error.loc :].split()
        at = f"syntax error at {rest[0]!r}" if rest else "the query ends too early"
        message = f"{at}: expected {expected}" if expected else at
    line, column = lexer.position(text, min(offset, len(text)))
    return QuerySyntaxError(source, line, column, lexer.line_at(text, line), message)


#: The keywords whose expression in brackets pyparsing gives up on whole, and their grammar.
_WITH_EXPRESSIONS = {"FILTER": parser.Filter, "BIND": parser.Bind}


def _bad_expression(text: str, loc: int) -> tuple[int, str] | None:
    """Where the ``FILTER`` or ``BIND`` at offset ``loc`` of ``text`` stops being readable, and that it does:
    pyparsing gives up on the whole pattern, and points at the keyword (``syntax error at 'FILTER': expected
    SelectQuery`` for ``FILTER (?maker = )``). None if ``loc`` is at no such keyword, or it reads."""
    word = text[loc:].split(maxsplit=1)[0].split("(", 1)[0].upper() if text[loc:].strip() else ""
    grammar = _WITH_EXPRESSIONS.get(word)
    if grammar is None:
        return None
    try:
        grammar.parse_string(text[loc:])
    except ParseBaseException as inner:
        at = loc + inner.loc
        return _unreadable(text, loc, word, at) if at > loc + len(word) else None
    return None


def _unreadable(text: str, loc: int, word: str, at: int) -> tuple[int, str]:
    """Where and why the ``FILTER`` or ``BIND`` (``word``) at ``loc`` of ``text`` cannot be read from ``at`` on."""
    rest = text[at:].split(maxsplit=1)
    found = f"at {rest[0][:20]!r}" if rest else "at the end of the query"
    if not text[loc + len(word) : at].strip():  # nothing read after the keyword
        shape = "FILTER (?v > 3), or a function's call, FILTER REGEX(...)" if word == "FILTER" else "BIND (... AS ?v)"
        return at, f"syntax error {found}: {word} goes with brackets: {shape}"
    called = re.search(r"([^\W\d]\w*)\s*$", text[loc + len(word) : at])
    if called is not None and text[at:].lstrip().startswith("(") and called.group(1).upper() not in lexer.KEYWORDS:
        name = called.group(1)  # a word before a bracket: a function SPARQL does not have (STRLENN)
        return loc + len(word) + called.start(1), (
            f"syntax error at {name!r}: SPARQL has no function {name} (misspelt? a function of your own is called by "
            "its IRI or prefixed name)"
        )
    if "{" in text[loc:at]:  # in the pattern of an EXISTS
        return at, f"syntax error {found}: the pattern in the {word} cannot be read from here on"
    what = "condition" if word == "FILTER" else "expression"
    return at, (
        f"syntax error {found}: the {word}'s {what} cannot be read from here on (an operand or a ')' missing? a "
        "',' to spare?)"
    )


#: The modifiers after a query's pattern, by their place: SPARQL takes them in this order (LIMIT and OFFSET
#: either way round).
_MODIFIERS = {"GROUP": 0, "HAVING": 1, "ORDER": 2, "LIMIT": 3, "OFFSET": 3}
_SPELT = {"GROUP": "GROUP BY", "ORDER": "ORDER BY"}


def _bad_modifier(text: str, loc: int) -> tuple[int, str] | None:
    """Where and what is wrong with the modifier at offset ``loc`` of ``text``, where the query could have ended
    (pyparsing says only that it expected the end there): ``LIMIT`` or ``OFFSET`` without a whole number, ``ORDER``
    or ``GROUP`` without ``BY`` and a condition, a modifier after one that goes after it. None if it is none of
    those."""
    stream = [token for token in lexer.tokens(text) if token.start >= loc]
    before = list(lexer.tokens(text[:loc]))[-2:]
    if (
        len(before) == 2
        and before[0].text.upper() in ("LIMIT", "OFFSET")
        and loc == before[1].start + len(before[1].text)
    ):
        stream = before  # a number that goes on past its digits: LIMIT 2.5, LIMIT 10e3
    if not stream or stream[0].text.upper() not in _MODIFIERS:
        return None
    keyword = stream[0].text.upper()
    after = stream[1] if len(stream) > 1 else None
    end = len(text.rstrip())
    if keyword in ("LIMIT", "OFFSET"):
        word = text[after.start :].split(maxsplit=1)[0] if after is not None else ""
        if not word.isdigit():
            found = f", not {word!r}" if word else ""
            return (after.start if after else end), f"{keyword} takes a whole number ({keyword} 10){found}"
    elif keyword in _SPELT:
        if after is None or after.text.upper() != "BY":
            return (after.start if after else end), f"{keyword} goes with BY ({keyword} BY ?x)"
        condition = stream[2] if len(stream) > 2 else None
        if condition is None or condition.text.upper() in _MODIFIERS or condition.text in {"}", ".", ";", ","}:
            what = "sort" if keyword == "ORDER" else "group"
            return (
                condition.start if condition else end
            ), f"{keyword} BY needs something to {what} by ({keyword} BY ?x)"
    # the modifiers before it, after the pattern's closing brace (not those of a sub-query inside it)
    earlier = [t.text.upper() for t in lexer.tokens(text[text.rfind("}", 0, loc) + 1 : loc])]
    earlier = [word for word in earlier if word in _MODIFIERS]
    if earlier and _MODIFIERS[earlier[-1]] > _MODIFIERS[keyword]:
        spelt, goes_after = _SPELT.get(keyword, keyword), _SPELT.get(earlier[-1], earlier[-1])
        why = "SPARQL takes GROUP BY, HAVING, ORDER BY, then LIMIT and OFFSET"
        return stream[0].start, f"{spelt} goes before {goes_after} ({why})"
    return None


def algebra_parts(node: object) -> Iterator[object]:
    """``node`` (a query's or an update's algebra or parse tree, or a part of it) and every part within it, each
    once: its values and items, the keys of a mapping left out (a CompValue's names; the graphs of an update's quads
    are keys: see :mod:`kgraph.query.updates`), and rdflib's ``_vars``."""
    stack: list[object] = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, Mapping):
            stack.extend(value for key, value in current.items() if key != "_vars")
        elif isinstance(current, list | tuple | set | frozenset):
            stack.extend(current)


def raw(node: object, key: str) -> Any:  # noqa: ANN401 - whatever rdflib's parser put there
    """``node[key]`` of an rdflib parse tree or algebra node, or None.

    ``CompValue.get(key)`` is no dict ``get``: it returns ``key`` itself when the key is missing.
    """
    return dict.get(node, key) if isinstance(node, dict) else None


def variable(name: str) -> Variable:
    """The rdflib variable called ``name`` (with or without its ``?``)."""
    return Variable(name.lstrip("?$"))


def is_iri_safe(iri: URIRef | str) -> bool:
    """Whether ``iri`` can be written as ``<iri>`` in SPARQL without escaping (no space, ``<>"{}|^`\\``)."""
    return bool(lexer.IRI_CHARACTERS.fullmatch(str(iri)))

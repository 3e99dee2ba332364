"""A query's closing ``ORDER BY``, sorted by kgraph rather than by Oxigraph.

Oxigraph sorts an answer slowly: at a million triples the 2-hop join of 36,000 rows takes 0.5 s, and 2.1 s
with ``ORDER BY ?customer ?product ?maker``; the first ten of 257,000 labels in order take 4.6 s, and all of
them unordered 1.1 s. Python sorts such rows in a fraction of that. And Oxigraph's comparison is no total order
when a column mixes kinds of values (a number and a text: 9 < 10 by value, "10" < "5" < "9" by text), on which
the sort of Oxigraph 0.5 can panic, and the panic aborts the whole process: ``SELECT ?s ?p ?o WHERE { ?s ?p ?o }
ORDER BY ?o ?s ?p`` did so on the bundled graph.

So when a query ends with an ``ORDER BY`` (after a ``GROUP BY`` and a ``HAVING`` too), then at most ``LIMIT``
and ``OFFSET``, and nothing else (no ``VALUES``; comments are read as spaces), all in
SPARQL's own syntax (its white space, digits and variable names), :func:`split` gives the query without them
and a :class:`Sort`. A condition on a variable the query does not return, or on an expression, becomes a
column added at the end of the projection (``Sort.hidden``), which the caller drops. :func:`sorted_rows` sorts
the rows and keeps the slice; it returns None only for an RDF 1.2 triple term, or a sort variable the answer
does not return (after ``SELECT *``), and the caller then runs the query as written, as
it does when Oxigraph refuses the query with the added columns.

The order is :mod:`kgraph.sortkey`'s: SPARQL's, as Oxigraph implements it wherever Oxigraph's is a total
order, and rdflib's ``ORDER BY`` sorts by the same key. Rows equal on every condition keep the order in which the
query gave them (SPARQL leaves that open, and Oxigraph's own sort is not stable).

An ORDER BY kgraph leaves to Oxigraph (a sub-query's, or one :func:`split` does not take) is rewritten by
:func:`total` into conditions Oxigraph orders totally, in the same order, so that its sort cannot abort either.
"""

from __future__ import annotations

import functools
import heapq
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any, TypeVar, cast

import pyoxigraph as ox

from kgraph.sortkey import BLANK, IRI, LITERAL, TEXT, UNBOUND, XSD, literal_key

#: SPARQL's VARNAME, exactly: a name Python's \w takes and SPARQL does not would pass here and then be dropped.
_NAME_START = (
    "A-Za-z0-9_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d\u2070-\u218f"
    "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME = f"{_NAME_START}\u00b7\u0300-\u036f\u203f\u2040"
_VARIABLE = f"[?$]([{_NAME_START}][{_NAME}]*)(?![{_NAME}])"  # all of the name: ?aLIMIT is one variable
_WS = r"[ \t\r\n]"  # SPARQL's white space: \s takes others too, which SPARQL refuses


class _Lazy:
    """A regular expression compiled when first used: those with SPARQL's name characters (:data:`_NAME_START`,
    thousands of ranges) took 26 ms to compile as the module was imported, a tenth of a store command's start,
    and only a query with a closing ORDER BY, or a parameter, needs them."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 - a method of the compiled expression
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern)
        return getattr(compiled, name)


def _lazy(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled on first use (:class:`_Lazy`), typed as the expression it stands for."""
    return cast("re.Pattern[str]", _Lazy(pattern))


# Keywords in any case, (?i:...) around them alone: a case-blind class of letters takes more than SPARQL does.


class _Unordered(Exception):
    """A value kgraph does not sort: an RDF 1.2 triple term."""


_SLICE = re.compile(
    rf"{_WS}*(?:(?i:LIMIT){_WS}+(?P<limit>[0-9]+)(?:{_WS}+(?i:OFFSET){_WS}+(?P<offset>[0-9]+))?"
    rf"|(?i:OFFSET){_WS}+(?P<offset2>[0-9]+)(?:{_WS}+(?i:LIMIT){_WS}+(?P<limit2>[0-9]+))?)"
)
_SPACES = " \t\r\n"
_END = re.compile(rf"{_WS}*\Z")
_GROUP_BY = re.compile(rf"{_WS}*(?i:GROUP){_WS}+(?i:BY)")
_HAVING = _lazy(rf"{_WS}*(?i:HAVING)(?![{_NAME}])")
_ORDER_BY = re.compile(rf"{_WS}*(?P<order>(?i:ORDER){_WS}+(?i:BY))")
_DIRECTION = re.compile(rf"{_WS}*((?i:ASC|DESC)){_WS}*(?=\()")
_PLAIN = _lazy(rf"{_WS}*{_VARIABLE}")
_IRIREF = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_IRI_REF = re.compile(_IRIREF)
#: A built-in call's name (STR, COUNT, GROUP_CONCAT, ...), a prefixed name or an IRI, then "(": a function call.
_CALL = _lazy(
    rf"{_WS}*(?:[A-Za-z][A-Za-z0-9_]*|(?:[{_NAME_START}][{_NAME}.-]*)?:[{_NAME}.:%\\-]*|{_IRIREF}){_WS}*(?=\()"
)
_BRACKET = re.compile(rf"{_WS}*(?=\()")
_QUOTED = re.compile(
    r"\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|\\.))*\"\"\"|'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
    r"|\"(?:[^\"\\\n\r]|\\.)*\"|'(?:[^'\\\n\r]|\\.)*'",
    re.DOTALL,
)
#: A query's text in pieces: strings, IRIs, comments, and the rest.
_LEXEMES = re.compile(
    rf"{_QUOTED.pattern}|{_IRIREF}|#[^\r\n]*|[^\"'<#]+|.",
    re.DOTALL,
)
#: What comes before a "<" that opens an IRI rather than compares: "(", ",", an operator, "^^".
_BEFORE_IRI = frozenset("(,=!<>&|+-*/^")
_SKIP = rf"(?:{_WS}|#[^\r\n]*)*"  # white space and comments
_FORM = _lazy(
    rf"(?:{_SKIP}(?:(?i:BASE){_SKIP}{_IRIREF}|(?i:PREFIX){_SKIP}(?:[{_NAME_START}][{_NAME}.-]*)?:{_SKIP}{_IRIREF}))*"
    rf"{_SKIP}(?i:SELECT)(?![{_NAME}])(?:{_WS}*(?P<modifier>(?i:DISTINCT|REDUCED))(?![{_NAME}]))?"
)
_STAR = re.compile(rf"{_WS}*\*")
_ALIAS = _lazy(rf"(?i:AS){_WS}*{_VARIABLE}{_WS}*\)\Z")
_SELECT = _lazy(rf"(?<![{_NAME}])(?i:SELECT)(?![{_NAME}])")
_BODY = _lazy(rf"{_WS}*(?:\{{|(?i:WHERE|FROM)(?![{_NAME}]))")
#: The name of the first column kgraph adds to a query's projection to sort by (more underscores if taken).
_HIDDEN = "kgraph_sort"


@dataclass(frozen=True)
class Sort:
    """A query's closing ORDER BY and slice: ``(variable, descending)`` conditions, OFFSET and LIMIT, and the
    ``hidden`` columns kgraph added at the end of the projection to sort by (see :func:`split`)."""

    conditions: tuple[tuple[str, bool], ...]
    offset: int = 0
    limit: int | None = None
    hidden: tuple[str, ...] = ()
    #: The query was SELECT DISTINCT: kgraph ran it without, to add the hidden columns, and keeps the first row
    #: of each set of rows equal on the other columns, as Oxigraph's DISTINCT after its ORDER BY keeps.
    distinct: bool = False


#: How many query texts :func:`split` and :func:`returning` keep their answer for. ``kgraph validate`` sends
#: Oxigraph the same SHACL-SPARQL texts once per focus node (86,562 queries of two texts at 1M triples).
_TEXTS_KEPT = 256


@functools.lru_cache(maxsize=_TEXTS_KEPT)
def split(text: str) -> tuple[str, Sort] | None:
    """``(the query without its closing ORDER BY, LIMIT and OFFSET, what they asked for)``, or None when
    ``text`` does not end with an ORDER BY, then at most LIMIT and OFFSET, that kgraph can sort by.

    A condition on a variable the SELECT does not return, or on an expression (``STR(?o)``, ``DESC(COUNT(?x))``),
    is sorted by a column added at the end of the projection (``?o``, ``(STR(?o) AS ?kgraph_sort_0)``), which
    the caller drops (``Sort.hidden``). That needs a SELECT with a list of variables and expressions: not
    ``SELECT *``, whose columns are not known from the text. A ``DISTINCT`` is taken out, and
    :func:`sorted_rows` keeps the first of the rows equal but for the added columns (``Sort.distinct``); a
    ``REDUCED`` stays (it may drop duplicates or keep them). Comments are read as spaces, and the query given
    back has them so. The projection is read as far as kgraph needs to find where it ends; a text it reads
    wrongly is refused by Oxigraph, and the caller then runs the query as written."""
    text, end = _without_comments(text)
    if end < 0:
        return None
    tail = _tail(text, end + 1)
    if tail is None:
        return None
    order_start, order_end, conditions, offset, limit = tail
    projection = _projection(text)
    # Columns can be added to a SELECT of variables and expressions. With DISTINCT, which they would change, the
    # query runs without it and kgraph keeps the first of equal rows; REDUCED may keep duplicates or not: as is.
    extensible = projection is not None
    hidden: list[str] = []
    added: list[str] = []
    named: list[tuple[str, bool]] = []
    for expression, descending in conditions:
        plain = _PLAIN.fullmatch(expression)
        name = plain.group(1) if plain else None
        if name is None or (projection is not None and name not in projection.returned):
            if not extensible:
                if name is None:
                    return None  # an expression, and no projection to add it to
            elif name is None:
                name = _fresh(text, len(hidden))
                hidden.append(name)
                added.append(f" ({expression} AS ?{name})")
            elif name not in hidden:
                hidden.append(name)
                added.append(f" ?{name}")
        named.append((name, descending))
    if projection is None or not added:
        return text[:order_start] + text[order_end:], Sort(tuple(named), offset, limit)
    head = text[: projection.end] + "".join(added) + text[projection.end : order_start]
    modifier = projection.modifier
    distinct = modifier is not None and modifier[2] == "DISTINCT"
    if modifier is not None and distinct:
        head = head[: modifier[0]] + head[modifier[1] :]
    return head + text[order_end:], Sort(tuple(named), offset, limit, tuple(hidden), distinct)


def returning(text: str, names: Iterable[str]) -> tuple[str, int] | None:
    """``text`` with those of ``names`` its SELECT does not return added at the end of its projection, and how
    many were added; None when it returns them all, or when kgraph does not add them: not a SELECT of variables
    and expressions, a query with a sub-query (whose variables are scoped apart), or one that reads a name as
    ``BOUND(?name)`` or ``(?name AS ...)``, where Oxigraph 0.5 does not see the value it substitutes.

    Oxigraph substitutes a value (``--param``) only for a variable the query returns, and otherwise refuses the
    query, which then ran in rdflib over the store, ten times slower or worse. Bound to one value, the added
    column changes no row and no ``DISTINCT``; the caller drops it. A query Oxigraph refuses with it (a
    ``GROUP BY`` that does not group by it) is run as written. The answer for each of the last
    :data:`_TEXTS_KEPT` texts and names is kept."""
    return _returning(text, tuple(names))


@functools.lru_cache(maxsize=_TEXTS_KEPT)
def _returning(text: str, names: tuple[str, ...]) -> tuple[str, int] | None:
    text, _end = _without_comments(text)
    projection = _projection(text)
    if projection is None:
        return None
    missing = [name for name in dict.fromkeys(names) if name not in projection.returned]
    if not missing:
        return None
    code = "".join(
        " " if lexeme.group()[0] in "\"'" or _IRI_REF.fullmatch(lexeme.group()) else lexeme.group()
        for lexeme in _LEXEMES.finditer(text)
    )
    if len(_SELECT.findall(code)) != 1:
        return None
    for name in missing:
        variable = rf"[?$]{re.escape(name)}(?![{_NAME}])"
        if re.search(rf"(?i:BOUND){_WS}*\({_WS}*{variable}|\({_WS}*{variable}{_WS}*(?i:AS)(?![{_NAME}])", code):
            return None
    added = "".join(f" ?{name}" for name in missing)
    return text[: projection.end] + added + text[projection.end :], len(missing)


_Answer = TypeVar("_Answer")
#: The datatypes of a time line, each a group of its own (Oxigraph compares no two of them), in
#: :mod:`kgraph.sortkey`'s order: by IRI, then xsd:time after them.
_TIMELINE = ("date", "dateTime", "gDay", "gMonth", "gMonthDay", "gYear", "gYearMonth", "time")
_DURATIONS = ("duration", "dayTimeDuration", "yearMonthDuration")
#: A text that may hold an ORDER BY (a quick look before :func:`total` reads the text).
_MAY_ORDER = re.compile("(?i:order)")
_ORDER_KEYWORD = _lazy(rf"(?<![{_NAME}?$:])(?i:ORDER){_WS}+(?i:BY)(?![{_NAME}])")
_VALUES = _lazy(rf"(?<![{_NAME}?$:])(?i:VALUES)(?![{_NAME}])")


@functools.lru_cache(maxsize=_TEXTS_KEPT)
def total(text: str) -> str:
    """``text`` with every ``ORDER BY`` in it (a sub-query's, or a closing one :func:`split` left to Oxigraph)
    made to sort in an order Oxigraph keeps total; ``text`` itself when it has none, or none kgraph reads.

    Oxigraph compares two values of one kind by value and two of different kinds by their text, which is no total
    order (9 < 10 by value, "10" < "5" < "9" by text), nor is its order of date-times with and without a time zone
    (XSD leaves some pairs undecided, and Oxigraph then compares their texts), nor of durations that mix months with
    days, nor of numbers of several types (a double and a decimal compare as two doubles: the double 0.1 is equal
    to the decimals 0.1 and 0.100000000000000001, which are not equal); on such a column the sort of Oxigraph 0.5
    can panic and abort the whole process, and it can do so in a sub-query, which kgraph does not sort itself. So
    each condition ``c`` becomes three: the group of ``c``'s value in :mod:`kgraph.sortkey`'s order (an integer:
    IRIs and blank nodes, numbers, 32-bit floats, booleans, each datatype of a time line, durations, texts, the
    rest), then the value, a double as the shortest decimal that reads as it (cut at 18 decimal places, which is
    all a decimal holds in Oxigraph; a double past a decimal's range, or infinite, as itself), a date or time
    without a time zone taken as in UTC (written with a ``Z``) and a duration as its months, then a duration's days
    and seconds, or a double itself (which places the doubles cut at 18 places among the numbers equal to the cut).
    Within each group Oxigraph's comparison is then a total order, and the same as :mod:`kgraph.sortkey`'s but
    where Oxigraph holds a value ill-typed that kgraph reads (``"--02-29"^^xsd:gMonthDay``), and for an
    ``xsd:dateTimeStamp``, which Oxigraph reads as an ``xsd:dateTime``. Comments are read as spaces. The answer
    for each of the last :data:`_TEXTS_KEPT` texts is kept."""
    if _MAY_ORDER.search(text) is None:
        return text
    code, _end = _without_comments(text)
    clauses: list[tuple[int, int, list[tuple[str, bool]]]] = []
    for lexeme in _LEXEMES.finditer(code):
        if lexeme.group()[0] in "\"'<":  # a string or an IRI ("<" alone, as an operator, holds no keyword)
            continue
        for keyword in _ORDER_KEYWORD.finditer(code, lexeme.start(), lexeme.end()):
            clause = _clause(code, keyword.end())
            if clause is not None:
                clauses.append((keyword.end(), *clause))
    if not clauses:
        return text
    for start, end, conditions in reversed(clauses):
        code = code[:start] + "".join(_total_condition(e, descending) for e, descending in conditions) + code[end:]
    return code


def with_total_order(send: Callable[[str], _Answer], text: str) -> _Answer:
    """``send(total(text))``: Oxigraph's answer to ``text`` (or what an update does) with every ORDER BY in it made
    a total order; ``send(text)`` when ``text`` has none kgraph reads, or when Oxigraph refuses the rewritten text
    (SyntaxError), so that the text as written gives its answer or its error."""
    ordered = total(text)
    if ordered is not text:
        try:
            return send(ordered)
        except SyntaxError:
            pass
    return send(text)


def _clause(code: str, at: int) -> tuple[int, list[tuple[str, bool]]] | None:
    """The conditions of the ORDER BY whose keywords end at ``at``, and where they end; None if kgraph does not read
    them. A ``VALUES (?a ?b)`` after them would read as a call: they end before it."""
    conditions: list[tuple[str, bool]] = []
    end = _conditions(code, at, conditions, variables=True, directions=True)
    if end is None:
        return None
    values = _VALUES.search(code, at, end)
    if values is not None:
        conditions.clear()
        end = _conditions(code[: values.start()], at, conditions, variables=True, directions=True)
        if end is None:
            return None
    return end, conditions


def _total_condition(expression: str, descending: bool) -> str:
    """The three conditions :func:`total` sorts by in place of ``expression`` (see there)."""
    x = f"({expression})"
    datatype = f"DATATYPE({x})"
    timeline = ", ".join(f"<{XSD}{name}>" for name in _TIMELINE)
    durations = ", ".join(f"<{XSD}{name}>" for name in _DURATIONS)
    instant = str(4 + len(_TIMELINE) - 1)  # xsd:time, the last
    for number, name in reversed(list(enumerate(_TIMELINE[:-1], start=4))):
        instant = f"IF({datatype} = <{XSD}{name}>, {number}, {instant})"
    valid_duration = f"STRLEN(STR(<{XSD}duration>({x}))) >= 0"  # an error for an ill-typed one
    other = "14"
    text = f'LANG({x}) != "" || {datatype} = <{XSD}string>'  # the most common literals: tested first
    group = (
        f"IF(isLiteral({x}), COALESCE(IF({text}, 13, "
        f"IF(isNumeric({x}), IF({x} = {x}, IF({datatype} = <{XSD}float>, 2, 1), {other}), "  # NaN is not = itself
        f"IF({datatype} = <{XSD}boolean>, IF({x} = true || {x} = false, 3, {other}), "
        f"IF({datatype} IN ({timeline}), IF(STRLEN(TZ({x})) >= 0, {instant}, {other}), "
        f"IF({datatype} IN ({durations}), IF({valid_duration}, 12, {other}), "
        f'IF(!STRSTARTS(STR({datatype}), "{XSD}"), 13, {other})))))), '
        f"{other}), 0)"
    )
    sign = f'IF(STRSTARTS(STR({x}), "-"), -1, 1)'
    years = f'<{XSD}integer>(CONCAT("0", REPLACE(STR({x}), "^-?P(?:([0-9]+)Y)?.*$", "$1")))'
    months = f'<{XSD}integer>(CONCAT("0", REPLACE(STR({x}), "^-?P(?:[0-9]+Y)?(?:([0-9]+)M)?.*$", "$1")))'
    double = f"{datatype} = <{XSD}double>"
    # A double as the shortest decimal that reads as it (Oxigraph writes it so, without an exponent), or, past 18
    # decimal places, cut there (and placed among equals by the third condition), or itself, past a decimal's range.
    a_number = f"IF({double}, COALESCE(<{XSD}decimal>(STR({x})), <{XSD}decimal>({x}), {x}), {x})"
    value = (  # an IRI, a blank node or a text: itself, with the fewest tests
        f"IF(!isLiteral({x}) || {text}, {x}, IF(isNumeric({x}), {a_number}, "
        f"COALESCE(IF({datatype} IN ({durations}), IF({valid_duration}, {sign} * (12 * {years} + {months}), {x}), "
        f'IF(TZ({x}) = "", STRDT(CONCAT(STR({x}), "Z"), {datatype}), {x})), {x})))'
    )
    rest = f'REPLACE(STR({x}), "^-?P(?:[0-9]+Y)?(?:[0-9]+M)?", "")'
    day_time = (
        f'IF(isLiteral({x}), IF({datatype} IN ({durations}), STRDT(CONCAT(IF(STRSTARTS(STR({x}), "-"), "-", ""), '
        f'"P", IF({rest} = "", "T0S", {rest})), <{XSD}dayTimeDuration>), IF({double} && {x} = {x}, {x}, 0)), 0)'
    )
    direction = "DESC" if descending else "ASC"
    return f" {direction}({group}) {direction}({value}) {direction}({day_time})"


def _without_comments(text: str) -> tuple[str, int]:
    """``text`` with its comments turned into spaces, and where its last "}" is (-1 if none): a "#" or a "}"
    inside a string or an IRI is neither. A "<" that reads as an IRI is taken for one (``?a<?b&&?c>?d`` in a
    FILTER is not, but holds neither a comment nor a brace)."""
    parts = []
    end = -1
    for lexeme in _LEXEMES.finditer(text):
        part = lexeme.group()
        if part[0] == "#":
            part = " " * len(part)
        elif part[0] not in "\"'<":
            brace = part.rfind("}")
            if brace >= 0:
                end = lexeme.start() + brace
        parts.append(part)
    return "".join(parts), end


def _fresh(text: str, number: int) -> str:
    base = _HIDDEN
    while base in text:
        base += "_"
    return f"{base}_{number}"


def _tail(text: str, start: int) -> tuple[int, int, list[tuple[str, bool]], int, int | None] | None:
    """What follows the query's last "}": ``(where ORDER BY starts, where the slice ends, its (expression,
    descending) conditions, OFFSET, LIMIT)`` when it is at most a GROUP BY, a HAVING, then an ORDER BY, LIMIT
    and OFFSET, and nothing else (no VALUES)."""
    at = start
    for clause, variables in ((_GROUP_BY, True), (_HAVING, False)):
        found = clause.match(text, at)
        if found is not None:
            after = _conditions(text, found.end(), [], variables=variables)
            if after is None:
                return None
            at = after
    order = _ORDER_BY.match(text, at)
    if order is None:
        return None
    conditions: list[tuple[str, bool]] = []
    after = _conditions(text, order.end(), conditions, variables=True, directions=True)
    if after is None:
        return None
    at = after
    offset, limit = 0, None
    sliced = _SLICE.match(text, at)
    if sliced is not None:
        at = sliced.end()
        offset = int(sliced.group("offset") or sliced.group("offset2") or 0)
        limit = _int(sliced.group("limit") or sliced.group("limit2"))
    if not _END.match(text, at):
        return None
    return order.start("order"), at, conditions, offset, limit


def _conditions(
    text: str, at: int, found: list[tuple[str, bool]], *, variables: bool, directions: bool = False
) -> int | None:
    """Read one or more conditions from ``at`` (variables if ``variables``, ASC(...) and DESC(...) if
    ``directions``, bracketed expressions and calls), add them to ``found``; where they end, or None."""
    count = 0
    while True:
        direction = _DIRECTION.match(text, at) if directions else None
        if direction is not None:
            end = _bracketed(text, direction.end())
            if end is None:
                return None
            found.append((text[direction.end() + 1 : end - 1].strip(_SPACES), direction.group(1).upper() == "DESC"))
        else:
            plain = _PLAIN.match(text, at) if variables else None
            if plain is not None:
                end = plain.end()
            else:
                call = _CALL.match(text, at) or _BRACKET.match(text, at)
                if call is None:
                    return None if count == 0 else at
                end = _bracketed(text, call.end())
                if end is None:
                    return None
            found.append((text[at:end].strip(_SPACES), False))
        at = end
        count += 1


def _bracketed(text: str, at: int) -> int | None:
    """Where the bracketed expression that opens at ``at`` ends, or None: unbalanced, or with a comment or a
    brace (EXISTS { ... }), which kgraph leaves alone."""
    depth = 0
    previous = "("
    index = at
    while index < len(text):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        elif char in "\"'":
            string = _QUOTED.match(text, index)
            if string is None:
                return None
            index = string.end()
            previous = '"'
            continue
        elif char == "<" and previous in _BEFORE_IRI:
            iri = _IRI_REF.match(text, index)
            if iri is not None:
                index = iri.end()
                previous = ">"
                continue
        elif char in "#{}":
            return None
        if char not in " \t\r\n":
            previous = char
        index += 1
    return None


@dataclass(frozen=True)
class _Projection:
    """What kgraph reads of a SELECT's projection: the variables it returns, where it ends, and where its
    ``DISTINCT`` or ``REDUCED`` is (``(start, end, the word in capitals)``), if it has one."""

    returned: set[str]
    end: int
    modifier: tuple[int, int, str] | None


def _projection(text: str) -> _Projection | None:
    """The projection of the SELECT ``text``; None for another form of query, ``SELECT *`` (every variable in
    scope), or a text kgraph does not read."""
    form = _FORM.match(text)
    if form is None or _STAR.match(text, form.end()):
        return None
    returned: set[str] = set()
    at = form.end()
    while True:
        plain = _PLAIN.match(text, at)
        if plain is not None:
            returned.add(plain.group(1))
            at = plain.end()
            continue
        bracket = _BRACKET.match(text, at)
        if bracket is None:
            break
        end = _bracketed(text, bracket.end())
        if end is None:
            return None
        alias = _ALIAS.search(text, bracket.end(), end)
        if alias is None:
            return None
        returned.add(alias.group(1))
        at = end
    if not returned or not _BODY.match(text, at):
        return None
    word = form.group("modifier")
    modifier = None if word is None else (form.start("modifier"), form.end("modifier"), word.upper())
    return _Projection(returned, at, modifier)


def _int(digits: str | None) -> int | None:
    return None if digits is None else int(digits)


def sorted_rows(rows: Iterable[Sequence[Any]], variables: Sequence[str], sort: Sort) -> Iterable[Sequence[Any]] | None:
    """``rows`` (of Oxigraph terms or None, one per variable) sorted and sliced as ``sort`` says, or None when
    a sort variable is not among ``variables`` or a sorted value is a triple term.

    ``rows`` is read once, and no further than such a value: Oxigraph evaluates a query as its answer is read.
    With a LIMIT only the rows kept so far are held (a heap), not the whole answer."""
    try:
        columns = [variables.index(name) for name, _ in sort.conditions]
    except ValueError:  # a sort variable the answer does not return
        return None
    descending = [direction for _, direction in sort.conditions]
    stop = None if sort.limit is None else sort.offset + sort.limit
    keyed: Iterable[tuple[list[tuple[Any, ...]], Any]]
    if stop is None:  # every row is held until it is written: each as compactly as it can be told again
        keyed = _compacted(rows, columns, len(variables) - len(sort.hidden))
    else:  # a heap of ``stop`` rows at most: they are kept as they came
        keyed = (([_key(row[index]) for index in columns], row) for row in rows)
    try:
        if sort.distinct:
            chosen = _first_distinct(keyed, descending, len(variables) - len(sort.hidden), stop)
        elif stop is None:
            chosen = _sorted(list(keyed), descending)
        elif len(set(descending)) == 1:
            # As sorted(...)[:stop], and as stable: what Python documents of heapq's nsmallest and nlargest.
            chosen = (heapq.nlargest if descending[0] else heapq.nsmallest)(stop, keyed, key=itemgetter(0))
        else:
            chosen = heapq.nsmallest(stop, keyed, key=lambda item: _Mixed(item[0], descending))
    except _Unordered:
        return None
    kept = [row for _, row in chosen[sort.offset : stop]]
    return kept if stop is not None else SortedRows(kept)


def _compacted(
    rows: Iterable[Sequence[Any]], columns: Sequence[int], width: int
) -> Iterator[tuple[list[tuple[Any, ...]], tuple[Any, ...]]]:
    """``(sort keys, cells)`` of each row, for a sort that holds every row: not Oxigraph's solution and its terms
    beside their keys (about a kilobyte a row of three IRIs), but a tuple of ``width`` cells, the columns the
    answer shows (the ``Sort.hidden`` ones are only sorted by). An IRI or a blank node is its sort key, which
    holds its text, and one key object serves every row of the same term; a literal (whose key may be its value,
    not its text) stays Oxigraph's term, as does a triple term outside the sort conditions, and unbound is None.
    :class:`SortedRows` gives the rows back as Oxigraph's terms."""
    keys: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # one object per IRI or blank node: rows share it

    def cell(term: Any) -> Any:  # noqa: ANN401 - a pyoxigraph term or None
        kind = type(term)
        if kind is ox.NamedNode:
            key = (IRI, term.value)
        elif kind is ox.BlankNode:
            key = (BLANK, term.value)
        else:
            return term
        return keys.setdefault(key, key)

    for row in rows:
        cells = tuple([cell(row[index]) for index in range(width)])
        sort_keys = []
        for index in columns:
            found = cells[index] if index < width else cell(row[index])
            sort_keys.append(found if type(found) is tuple else _key(found))
        yield sort_keys, cells


class SortedRows:
    """The rows :func:`_compacted` made, sorted. Read, they are tuples of Oxigraph's terms again (made as they are
    read: one row's at a time), as often as they are read. :attr:`cells` are the rows as they are held: an IRI or
    a blank node as its sort key, ``(IRI, text)`` or ``(BLANK, text)``, anything else as Oxigraph's term or None;
    :mod:`kgraph.oxstore` makes rdflib terms of those, without an Oxigraph term between."""

    __slots__ = ("cells",)

    def __init__(self, cells: list[tuple[Any, ...]]) -> None:
        self.cells = cells

    def __len__(self) -> int:
        return len(self.cells)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for row in self.cells:
            yield tuple([_ox_term(cell) for cell in row])


def _ox_term(cell: Any) -> Any:  # noqa: ANN401 - a cell of _compacted
    if type(cell) is not tuple:
        return cell
    return ox.NamedNode(cell[1]) if cell[0] == IRI else ox.BlankNode(cell[1])


def _first_distinct(
    keyed: Iterable[tuple[list[tuple[Any, ...]], Any]], descending: Sequence[bool], width: int, stop: int | None
) -> list[Any]:
    """``keyed`` sorted, then the first row of each set of rows equal on their first ``width`` columns, then the
    first ``stop`` of those: holding only the first row of each set so far, and with a ``stop`` only the ``stop``
    sets that come first so far."""
    if stop == 0:
        return []
    if stop is None:
        return _first_of_each(keyed, descending, width)
    kept: dict[tuple[Any, ...], _Ranked] = {}
    worst: list[_Reversed] = []  # a heap of the kept rows, the last in order on top; stale entries are skipped
    before = _before(descending)
    for index, item in enumerate(keyed):
        row = item[1]
        shown = tuple(row[at] for at in range(width))
        ranked = _Ranked(before, index, shown, item)
        held = kept.get(shown)
        if held is not None:
            if ranked < held:  # this set's first row so far (the sort is stable: an equal later one is not)
                kept[shown] = ranked
                heapq.heappush(worst, _Reversed(ranked))
            continue
        if len(kept) == stop:
            while worst[0].ranked is not kept.get(worst[0].ranked.shown):
                heapq.heappop(worst)
            if not ranked < worst[0].ranked:
                continue
            del kept[heapq.heappop(worst).ranked.shown]
        kept[shown] = ranked
        heapq.heappush(worst, _Reversed(ranked))
        if len(worst) > 4 * stop + 1024:
            worst = [_Reversed(entry) for entry in kept.values()]
            heapq.heapify(worst)
    # In the order they came, then sorted by their keys: a stable sort keeps that order among equal keys.
    return _sorted([entry.item for entry in sorted(kept.values(), key=attrgetter("index"))], descending)


def _first_of_each(
    keyed: Iterable[tuple[list[tuple[Any, ...]], Any]], descending: Sequence[bool], width: int
) -> list[Any]:
    """:func:`_first_distinct` without a stop: the first row of each set so far, and when it came, by the set."""
    first: dict[tuple[Any, ...], tuple[int, tuple[list[tuple[Any, ...]], Any]]] = {}
    before = _before(descending)
    for index, item in enumerate(keyed):
        row = item[1]
        shown = tuple(row[at] for at in range(width))
        held = first.get(shown)
        if held is None or before(item[0], held[1][0]):  # an equal one came later: it is not first
            first[shown] = (index, item)
    # Each set's first row in the order they came, sorted by keys: a stable sort keeps that order among equals.
    return _sorted([item for _, item in sorted(first.values(), key=itemgetter(0))], descending)


def _before(descending: Sequence[bool]) -> Callable[[list[tuple[Any, ...]], list[tuple[Any, ...]]], bool]:
    """Whether a row's sort keys come strictly before another's: the lists compared as a whole when every condition
    goes one way, else condition by condition (:func:`_mixed_before`)."""
    if len(set(descending)) == 1:
        return operator.gt if descending[0] else operator.lt
    return lambda mine, theirs: _mixed_before(mine, theirs, descending)


class _Ranked:
    """A row's place: its sort keys (``item[0]``, compared by ``before``), then where it came (the sort is
    stable)."""

    __slots__ = ("before", "index", "item", "shown")

    def __init__(self, before: Callable[[Any, Any], bool], index: int, shown: tuple[Any, ...], item: Any) -> None:  # noqa: ANN401
        self.before = before
        self.index = index
        self.shown = shown
        self.item = item

    def __lt__(self, other: _Ranked) -> bool:
        mine, theirs = self.item[0], other.item[0]
        if self.before(mine, theirs):
            return True
        return not self.before(theirs, mine) and self.index < other.index


class _Reversed:
    """A :class:`_Ranked` for a heap whose top is the last in order."""

    __slots__ = ("ranked",)

    def __init__(self, ranked: _Ranked) -> None:
        self.ranked = ranked

    def __lt__(self, other: _Reversed) -> bool:
        return other.ranked < self.ranked


def _sorted(keyed: list[tuple[list[tuple[Any, ...]], Any]], descending: Sequence[bool]) -> list[Any]:
    """``keyed`` sorted in place: one pass per run of conditions in the same direction, the last run first.
    Python's sort is stable, so each pass keeps the order of the one before among the rows it finds equal."""
    end = len(descending)
    while end:
        start = end - 1
        while start and descending[start - 1] == descending[end - 1]:
            start -= 1
        # The whole list of keys when the run is all of them (the sort holds each row's key as it goes: not a copy)
        by = itemgetter(0) if start == 0 and end == len(descending) else (lambda item: item[0][start:end])  # noqa: B023
        keyed.sort(key=by, reverse=descending[start])
        end = start
    return keyed


class _Mixed:
    """Sort keys compared condition by condition, each in its own direction (for a heap)."""

    __slots__ = ("descending", "keys")

    def __init__(self, keys: list[tuple[Any, ...]], descending: Sequence[bool]) -> None:
        self.keys = keys
        self.descending = descending

    def __lt__(self, other: _Mixed) -> bool:
        return _mixed_before(self.keys, other.keys, self.descending)

    def __eq__(self, other: object) -> bool:
        # Equal keys are equal: heapq.nsmallest then keeps the order the rows came in (it compares its own
        # (key, count) pairs, and a pair compares its second items only when the first are equal).
        return isinstance(other, _Mixed) and self.keys == other.keys

    __hash__ = None  # type: ignore[assignment]  # compared, never hashed


def _mixed_before(mine: list[tuple[Any, ...]], theirs: list[tuple[Any, ...]], descending: Sequence[bool]) -> bool:
    """Whether sort keys ``mine`` come strictly before ``theirs``, each condition in its own direction."""
    for a, b, down in zip(mine, theirs, descending, strict=True):
        if a != b:
            return a > b if down else a < b
    return False


def _key(term: Any) -> tuple[Any, ...]:  # noqa: ANN401 - a pyoxigraph term or None
    if term is None:
        return (UNBOUND,)
    kind = type(term)
    if kind is ox.NamedNode:
        return (IRI, term.value)
    if kind is ox.BlankNode:
        return (BLANK, term.value)
    if kind is not ox.Literal:
        raise _Unordered  # an RDF 1.2 triple term
    value, datatype = term.value, term.datatype.value
    if term.language is not None:  # rdf:langString or rdf:dirLangString: no other literal has their datatypes
        return (LITERAL, TEXT, value, datatype, term.language)
    return literal_key(value, datatype)

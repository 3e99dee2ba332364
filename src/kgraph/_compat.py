"""Work-arounds for the libraries kgraph builds on."""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from kgraph import xsdforms

#: rdflib parses SPARQL with pyparsing, which is not thread-safe (rdflib issue #1282): the wrapper it puts around
#: each parse action guesses the action's arity on its first calls, and two threads parsing at once can leave it
#: wrong for good (a rule then fails with "'list' object has no attribute 'translated'", and every later query of
#: the process with "TypeError: <lambda>() missing 1 required positional argument"). kgraph parses one query at a
#: time under this lock (a rule as ``load`` reads it, ``kgraph.query.parse``, a SHACL-SPARQL query looked at); it
#: is re-entrant, so a caller may hold it around them.
SPARQL_PARSING = threading.RLock()

#: The quoted value at the end of the error rdflib met converting a literal (``invalid literal for int() with base
#: 10: rdflib.term.Literal('abc')``, ``Invalid isoformat string: 'yesterday'``).
_QUOTED_VALUE = re.compile(r"'((?:[^'\\]|\\.)*)'\)?$")
#: rdflib's warning for a literal it cannot convert to its datatype's value (it formats it itself, no arguments).
_FAILED_CONVERSION = re.compile(r"Failed to convert Literal lexical form to value\. Datatype=(\S+), Converter=")


def rdflib_warning(record: logging.LogRecord) -> str:
    """What rdflib logged, on one line and in words a user can act on.

    rdflib's warning for an ill-typed literal named the Python function it converts with (``Datatype=...#dateTime,
    Converter=<built-in method fromisoformat of type object at 0x7f...>``): it becomes ``"yesterday" is not a valid
    xsd:dateTime; it is kept as written``. Any other message is its first line, with its exception's first line.
    """
    cause = record.exc_info[1] if record.exc_info else None
    message = record.getMessage()
    failed = _FAILED_CONVERSION.match(message)
    if failed is not None:
        return ill_typed_warning(ill_typed_lexical(record), failed.group(1))
    line = message.split("\n", 1)[0]
    if cause is not None:
        line = f"{line}: {str(cause).split(chr(10), 1)[0]}"
    return line


def ill_typed_warning(lexical: str | None, datatype: str) -> str:
    """The warning of a literal rdflib reads no value of: ``lexical`` (None if unknown) of ``datatype`` (an IRI).

    Most are not of their datatype (``"abc"^^xsd:integer``). A date or date-time in XSD's form with a year Python's
    dates do not hold (before 1 or after 9999: ``"10000-01-01"^^xsd:date``, ``"-0044-03-15"^^xsd:date``) is valid,
    and so is a duration of more days than Python's hold (999,999,999): each compares and computes in memory too
    (kgraph reads them from their text), and is said so, with what fails: validate, which reads rdflib's terms."""
    name = datatype.replace("http://www.w3.org/2001/XMLSchema#", "xsd:")
    what = f'"{lexical}"' if lexical is not None else "a literal"
    beyond = None if lexical is None else _beyond_python(lexical, datatype.rpartition("#")[2])
    if beyond is None:
        valid = " (only true, false, 1 or 0)" if name == "xsd:boolean" else ""
        return f"{what} is not a valid {name}{valid}; it is kept as written, and comparisons and arithmetic on it fail"
    why = {
        "duration": "longer than Python holds (999,999,999 days)",
        "date": "with a year Python does not hold (only 1 to 9999)",
    }[beyond]
    kept = "it is kept as written, compares and computes, but validate takes it for ill-typed"
    return f"{what} is a valid {name}, {why}: {kept}"


def _beyond_python(lexical: str, local: str) -> str | None:
    """``"duration"`` or ``"date"`` if ``lexical`` is in the XSD form of the date, time or duration type ``local``
    (a day of the calendar), which rdflib read no value of: more than Python holds. None for any other."""
    form = xsdforms.TEMPORALS.get(local) or xsdforms.GREGORIAN.get(local)
    if form is None or re.fullmatch(form, lexical) is None:
        return None
    if local in _DURATIONS:
        return "duration"
    found = _TIMELINE.fullmatch(lexical)
    return "date" if found is not None and _on_the_calendar(found) else None


def ill_typed_lexical(record: logging.LogRecord) -> str | None:
    """The lexical form of the literal rdflib warns in ``record`` that it cannot convert to its datatype's value
    (``2025-13-01``); None for any other warning, or when it cannot be found."""
    if _FAILED_CONVERSION.match(record.getMessage()) is None:
        return None
    cause = record.exc_info[1] if record.exc_info else None
    found = _QUOTED_VALUE.search(str(cause).split("\n", 1)[0]) if cause is not None else None
    return found.group(1) if found else _lexical_form(record)


def _lexical_form(record: logging.LogRecord) -> str | None:
    """The lexical form rdflib failed to convert, from the frame that logged ``record`` (rdflib's
    ``_castLexicalToPython(lexical, datatype)``), for an error that does not quote it (``"2025-13-01"^^xsd:date``:
    ``month must be in 1..12``); None if it is not there."""
    trace = record.exc_info[2] if record.exc_info else None
    while trace is not None:
        lexical = trace.tb_frame.f_locals.get("lexical")
        if isinstance(lexical, str):
            return lexical
        trace = trace.tb_next
    return None


#: rdflib's message for a prefixed name whose prefix a SPARQL text does not declare.
_UNKNOWN_PREFIX = re.compile(r"Unknown namespace prefix : (\S+)")


def undeclared_prefix(error: BaseException) -> str | None:
    """The prefix of rdflib's error for a prefixed name that a SPARQL text (a query, a rule, a shape's) does not
    declare: a bare Exception, raised as the query is translated, that names no line (``Unknown namespace prefix :
    x``). None for any other error."""
    found = _UNKNOWN_PREFIX.fullmatch(str(error))
    return found[1] if found else None


def query_text(graph: Any, text: str) -> Any:  # noqa: ANN401 - an rdflib Graph, and its Result
    """``graph.query(text)``, with rdflib's parse of ``text`` under :data:`SPARQL_PARSING` (in memory; a store's
    Oxigraph parses the text itself, and safely, so it is given the text)."""
    if getattr(graph.store, "native", None) is not None or getattr(graph, "native", None) is not None:
        return graph.query(text)  # a store (kgraph.oxstore), or validation's copy: Oxigraph answers the text
    from rdflib.plugins.sparql import prepareQuery  # noqa: PLC0415 - rdflib's SPARQL, only when asked

    with SPARQL_PARSING:
        prepared = prepareQuery(text, initNs=dict(graph.namespaces()))
    return graph.query(prepared)


class _ThreadRouter(logging.Handler):
    """The one handler on rdflib's logger while a thread redirects it (:func:`rdflib_log_to`): a record goes to the
    handler of the thread that logged it, or, from a thread that redirects nothing, where it went before (the
    logger's own handlers, then its parents', if it propagated)."""

    def __init__(self, logger: logging.Logger, handlers: list[logging.Handler], propagate: bool) -> None:
        super().__init__(logging.NOTSET)
        self.logger, self.handlers, self.propagate = logger, handlers, propagate

    def emit(self, record: logging.LogRecord) -> None:
        redirected = getattr(_REDIRECTED, "handlers", None)
        if redirected:
            if record.levelno >= redirected[-1].level:
                redirected[-1].handle(record)
            return
        for handler in self.handlers:
            if record.levelno >= handler.level:
                handler.handle(record)
        if self.propagate and self.logger.parent is not None:
            self.logger.parent.handle(record)


_REDIRECTED = threading.local()
_ROUTING = threading.Lock()
_routes: list[_ThreadRouter] = []  # the router while some thread redirects (at most one), with a count below
_redirecting = [0]


@contextmanager
def rdflib_log_to(handler: logging.Handler) -> Iterator[None]:
    """Send what rdflib logs in this thread to ``handler`` only (not to the command line's printer, nor to the
    root logger), for the time of the ``with``; other threads' records go on as before.

    Swapping the logger's handlers in and out, two threads loading at once left each other's warnings under the
    wrong file and, finished in the other order, rdflib's logger with a stale handler and no propagation for the
    rest of the process (its warnings lost).
    """
    logger = logging.getLogger("rdflib")
    with _ROUTING:
        if not _redirecting[0]:
            _routes[:] = [_ThreadRouter(logger, logger.handlers, logger.propagate)]
            logger.handlers, logger.propagate = [_routes[0]], False
        _redirecting[0] += 1
    stack = _REDIRECTED.__dict__.setdefault("handlers", [])
    stack.append(handler)
    try:
        yield
    finally:
        stack.pop()
        with _ROUTING:
            _redirecting[0] -= 1
            if not _redirecting[0]:
                router = _routes.pop()
                logger.handlers, logger.propagate = router.handlers, router.propagate


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """Silence the deprecation warnings rdflib 7.x raises from inside its own code, and its warning as it writes an
    ill-typed number.

    ``Dataset.parse`` and the TriG/N-Quads serializers read ``Dataset.default_context`` and call
    ``Dataset.contexts()``, and the TriG and N-Quads parsers make a ``ConjunctiveGraph``, all of which rdflib
    itself deprecated; callers cannot avoid them. A number it could not read (``"1.x"^^xsd:decimal``), which it
    writes as it is, got Python's two lines with rdflib's path (``UserWarning: Serializing weird numerical ...``)
    from ``kgraph dump`` and ``build``, after the one-line warning loading the file gave. Only these messages are
    silenced.
    """
    with warnings.catch_warnings():
        for message in RDFLIB_INTERNAL_DEPRECATIONS:
            warnings.filterwarnings("ignore", message=message, category=DeprecationWarning)
        warnings.filterwarnings("ignore", message="Serializing weird numerical", category=UserWarning)
        yield


#: Deprecation messages rdflib 7 raises from its own code (regular expressions, matched at the start).
RDFLIB_INTERNAL_DEPRECATIONS = (
    r"Dataset\.default_context is deprecated",
    r"Dataset\.contexts is deprecated",
    r"ConjunctiveGraph is deprecated",
)


def order_like_oxigraph() -> None:
    """Make rdflib's ``ORDER BY`` sort in the order a store (``--store``, Oxigraph) gives, :mod:`kgraph.sortkey`'s.

    rdflib's sort key (``rdflib.plugins.sparql.evaluate._val``) put texts without a language tag first, then
    sorted by language and text, where Oxigraph sorts by text, then language: ``ORDER BY ?label`` over English and
    Chinese labels listed every English one first in memory and each entity's two together on a store (both orders
    SPARQL allows; the same query gave two answers). It also gave no key for an expression error, and its sort then
    failed comparing None with a tuple (``ORDER BY STR(?maker)`` with ``?maker`` optional); SPARQL (section 15.1)
    orders an error lowest, with the unbound values, as this does. Every ``ORDER BY`` rdflib evaluates, a
    sub-query's too, goes through this key. Idempotent; kgraph's query engine calls it.
    """
    from rdflib.plugins.sparql import evaluate  # noqa: PLC0415 - only with the query engine

    original: Any = getattr(evaluate, "_val")  # noqa: B009 - a private name rdflib does not export
    if getattr(original, "kgraph_oxigraph_order", False):
        return

    def key(v: object) -> object:
        from kgraph.sortkey import term_key  # noqa: PLC0415 - only once a query sorts

        return term_key(v)

    key.kgraph_oxigraph_order = True  # type: ignore[attr-defined]
    setattr(evaluate, "_val", key)  # noqa: B010


def sample_group_keys_in_order_by() -> None:
    """Make rdflib's ``ORDER BY`` see the ``GROUP BY`` keys a grouped query does not return.

    After a ``GROUP BY``, rdflib keeps only the aggregates and the variables the query returns: a key it does not
    return is unbound when the rows are sorted, so ``SELECT (COUNT(*) AS ?n) ... GROUP BY ?type ORDER BY ?type``
    came in no order (Oxigraph, ``--store``, sorts by the type). rdflib carries the variables of an ``ORDER BY``
    over the grouping only when the ``ORDER BY`` holds an aggregate; this carries the ``GROUP BY`` keys of every
    other one too (the variables of ``GROUP BY ?x`` and ``GROUP BY (expr AS ?x)``). Idempotent; kgraph's query
    parser calls it.
    """
    import functools  # noqa: PLC0415 - only with the query parser

    from rdflib import Variable  # noqa: PLC0415
    from rdflib.plugins.sparql import algebra  # noqa: PLC0415
    from rdflib.plugins.sparql.parserutils import CompValue  # noqa: PLC0415

    original: Any = algebra.translateAggregates
    if getattr(original, "kgraph_group_keys", False):
        return

    def translate(q: Any, m: Any) -> Any:  # noqa: ANN401 - rdflib's CompValue
        join, aliases = original(q, m)
        orderby = q.orderby
        if not q.groupby or not orderby or algebra.traverse(orderby, algebra._hasAggregate, complete=False):
            return join, aliases
        named = (c.var if isinstance(c, CompValue) and c.name == "GroupAs" else c for c in q.groupby.condition)
        keys = {key for key in named if isinstance(key, Variable)}  # not GROUP BY STR(?x): no variable to sort on

        def sample(e: object) -> object:
            if isinstance(e, Variable) and e in keys:
                return CompValue("Aggregate_Sample", vars=e)
            return None

        q.orderby = algebra.traverse(orderby, sample)
        algebra.traverse(q.orderby, functools.partial(algebra._aggs, A=join.A))
        return join, aliases

    translate.kgraph_group_keys = True  # type: ignore[attr-defined]
    setattr(algebra, "translateAggregates", translate)  # noqa: B010


def _number(term: object) -> tuple[Any, Any]:
    """The value and datatype of ``term``, an rdflib numeric literal; SPARQLTypeError for anything else, an
    ill-typed literal (``"x"^^xsd:integer``, whose value rdflib leaves as the literal) included."""
    from decimal import Decimal  # noqa: PLC0415 - only with the query engine

    from rdflib import Literal  # noqa: PLC0415
    from rdflib.plugins.sparql.operators import numeric  # noqa: PLC0415
    from rdflib.plugins.sparql.sparql import SPARQLTypeError  # noqa: PLC0415

    if not isinstance(term, Literal):
        raise SPARQLTypeError(f"{term!r} is not a number")
    value = numeric(term)  # SPARQLTypeError when the datatype is not numeric
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise SPARQLTypeError(f"{term!r} is not a valid number")
    return value, term.datatype


def failing_sums() -> None:
    """Make rdflib's ``SUM`` and ``AVG`` of a group give no value when one of its values is not a number.

    In SPARQL (section 18.5) the sum of a group fails, and the aggregate is left unbound, when a value is unbound,
    not numeric or not a valid number (``"x"^^xsd:integer``); the average is the sum divided by the count, so it
    fails with it. Oxigraph (``--store``) answers so. rdflib skipped unbound values (``SUM`` of 1, UNDEF, 2 gave
    3), skipped other values for ``AVG``, and stopped the query for them in ``SUM`` ("does not have a numeric
    datatype", "'URIRef' object has no attribute 'datatype'"). Idempotent; kgraph's query parser calls it.
    """
    from rdflib.plugins.sparql import aggregates  # noqa: PLC0415 - only with the query parser
    from rdflib.plugins.sparql.evalutils import _eval  # noqa: PLC0415
    from rdflib.plugins.sparql.sparql import SPARQLError  # noqa: PLC0415

    if getattr(aggregates.Sum.update, "kgraph_failing", False):
        return

    for accumulator in (aggregates.Sum, aggregates.Average):
        update, set_value, use_row = accumulator.update, accumulator.set_value, accumulator.use_row

        def distinct_row(self: Any, row: Any, use_row: Any = use_row) -> bool:  # noqa: ANN401
            try:
                return bool(use_row(self, row))  # with DISTINCT: whether the value is new
            except SPARQLError:  # unbound: rdflib stopped the query here; the update fails the sum
                return True

        def failing_update(self: Any, row: Any, aggregator: Any, update: Any = update) -> None:  # noqa: ANN401
            if getattr(self, "kgraph_failed", False):
                return
            try:
                _number(_eval(self.expr, row))
            except SPARQLError:  # unbound, not numeric, or not a valid number
                self.kgraph_failed = True
                return
            update(self, row, aggregator)

        def failed_unbound(self: Any, bindings: Any, set_value: Any = set_value) -> None:  # noqa: ANN401
            if not getattr(self, "kgraph_failed", False):
                set_value(self, bindings)

        failing_update.kgraph_failing = True  # type: ignore[attr-defined]
        accumulator.update = failing_update  # type: ignore[method-assign]
        accumulator.set_value = failed_unbound  # type: ignore[method-assign]
        accumulator.use_row = distinct_row  # type: ignore[method-assign]


def group_by_expressions() -> None:
    """Make rdflib evaluate ``GROUP BY (expr)``, an expression in brackets without ``AS ?var``.

    rdflib turns every bracketed condition into a binding of its ``AS`` variable, and without one evaluated
    nothing ("Cannot eval thing: None"), where Oxigraph (``--store``) groups by the expression's value. Such a
    condition is grouped on as ``GROUP BY STR(?x)`` is, by its value. Idempotent; kgraph's query parser calls it.
    """
    from rdflib.plugins.sparql import algebra  # noqa: PLC0415 - only with the query parser
    from rdflib.plugins.sparql.parserutils import CompValue  # noqa: PLC0415

    original: Any = algebra.translate
    if getattr(original, "kgraph_group_by_expressions", False):
        return

    def translate(q: Any) -> Any:  # noqa: ANN401 - rdflib's CompValue
        if q.groupby:
            q.groupby["condition"] = [
                c.expr if isinstance(c, CompValue) and c.name == "GroupAs" and c.var is None else c
                for c in q.groupby.condition
            ]
        return original(q)

    translate.kgraph_group_by_expressions = True  # type: ignore[attr-defined]
    setattr(algebra, "translate", translate)  # noqa: B010


def extremes_keep_their_terms() -> None:
    """Make rdflib's ``MIN`` and ``MAX`` give the term they found, the first and the last in the order of ``ORDER BY``
    (:func:`kgraph.sortkey.term_key`), as Oxigraph (``--store``) gives them. rdflib made a text of the term, so the
    least IRI of a group came out as a string literal of its address; and it compared texts of two languages
    otherwise (``MIN`` of ``"b"@en`` and ``"a"@zh`` was ``"b"@en``). Idempotent; kgraph's query parser calls it."""
    from rdflib.plugins.sparql import aggregates  # noqa: PLC0415 - only with the query parser

    if getattr(aggregates.Extremum.set_value, "kgraph_terms", False):
        return

    def set_value(self: Any, bindings: Any) -> None:  # noqa: ANN401 - rdflib's accumulator and bindings
        if self.value is not None:  # None: no value seen, the aggregate stays unbound
            bindings[self.var] = self.value

    def least(self: Any, first: Any, second: Any) -> Any:  # noqa: ANN401 - rdflib's accumulator and terms
        from kgraph.sortkey import term_key  # noqa: PLC0415 - only once a query aggregates

        return min(first, second, key=term_key)

    def greatest(self: Any, first: Any, second: Any) -> Any:  # noqa: ANN401 - rdflib's accumulator and terms
        from kgraph.sortkey import term_key  # noqa: PLC0415 - only once a query aggregates

        return max(first, second, key=term_key)

    set_value.kgraph_terms = True  # type: ignore[attr-defined]
    aggregates.Extremum.set_value = set_value  # type: ignore[method-assign]
    aggregates.Minimum.compare = least  # type: ignore[method-assign,assignment]
    aggregates.Maximum.compare = greatest  # type: ignore[method-assign,assignment]


def concatenations_keep_their_language() -> None:
    """Make rdflib's ``GROUP_CONCAT`` of texts all in one language a text in it, as ``CONCAT`` is and as Oxigraph
    (``--store``) gives it: ``GROUP_CONCAT`` of ``"a"@en`` and ``"b"@en`` was ``"a b"``, without its ``@en``.
    Idempotent; kgraph's query parser calls it."""
    from rdflib import Literal  # noqa: PLC0415 - only with the query parser
    from rdflib.plugins.sparql import aggregates  # noqa: PLC0415

    if getattr(aggregates.GroupConcat.get_value, "kgraph_languages", False):
        return

    def joined(self: Any) -> Any:  # noqa: ANN401 - rdflib's accumulator, a literal
        text = self.separator.join(str(v) for v in self.value)
        languages = {getattr(value, "language", None) for value in self.value}
        language = languages.pop() if len(languages) == 1 else None
        return Literal(text, lang=language)

    joined.kgraph_languages = True  # type: ignore[attr-defined]
    aggregates.GroupConcat.get_value = joined  # type: ignore[method-assign]


def failing_aggregates() -> None:
    """Make rdflib's ``MIN``, ``MAX``, ``GROUP_CONCAT`` and ``COUNT`` of a group give no value when one of its rows has
    none, and its ``SAMPLE`` a value, as Oxigraph (``--store``) and SPARQL's reference engine answer: an aggregate over
    values one of which is an error (an unbound variable, ``?v + 1`` of a text) is an error, and so unbound; so is a
    ``GROUP_CONCAT`` of a value that is not a text (a number, an IRI: ``GROUP_CONCAT(STR(?x))`` joins them).
    ``SAMPLE`` takes one of the values that are not errors, and ``COUNT`` of a variable counts the rows where it is
    bound (``COUNT(?v + 1)`` fails where ``?v`` is unbound, as any expression does).

    rdflib skipped such rows in ``MIN``, ``MAX`` and ``GROUP_CONCAT`` (``MAX`` of 1 and UNDEF was 1), joined numbers and
    IRIs, stopped the query with ``GROUP_CONCAT(DISTINCT ?v)`` over an unbound ``?v`` ("Variable v is not bound"),
    bound ``SAMPLE(?v + 1)`` to the error of a text's row, which no output writes, and counted the rows where a
    ``COUNT``'s expression fails. Idempotent; kgraph's query
    parser calls it, after :func:`extremes_keep_their_terms` and :func:`concatenations_keep_their_language`.
    """
    from rdflib.plugins.sparql import aggregates  # noqa: PLC0415 - only with the query parser

    if getattr(aggregates.Extremum.update, "kgraph_failing", False):
        return
    _failing_extremes_and_samples(aggregates)
    _failing_concatenations(aggregates)
    _failing_counts(aggregates)


def _aggregated(accumulator: Any, row: Any) -> Any:  # noqa: ANN401 - rdflib's accumulator, bindings and term
    """The value of ``accumulator``'s expression on ``row``, or None for an error (rdflib returns some errors and
    raises others, such as an unbound variable)."""
    from rdflib.plugins.sparql.evalutils import _eval  # noqa: PLC0415 - only with the query parser
    from rdflib.plugins.sparql.sparql import SPARQLError  # noqa: PLC0415

    try:
        value = _eval(accumulator.expr, row)
    except SPARQLError:
        return None
    return None if isinstance(value, SPARQLError) else value


def _failing_extremes_and_samples(aggregates: Any) -> None:  # noqa: ANN401 - rdflib's module
    def extreme(self: Any, row: Any, aggregator: Any) -> None:  # noqa: ANN401
        if getattr(self, "kgraph_failed", False):
            return
        value = _aggregated(self, row)
        if value is None:
            self.kgraph_failed = True
            self.value = None
        else:
            self.value = value if self.value is None else self.compare(self.value, value)

    def sampled(self: Any, row: Any, aggregator: Any) -> None:  # noqa: ANN401
        value = _aggregated(self, row)
        if value is not None:  # the first value that is not an error
            aggregator.bindings[self.var] = value
            del aggregator.accumulators[self.var]  # the next rows are not asked

    extreme.kgraph_failing = True  # type: ignore[attr-defined]
    aggregates.Extremum.update = extreme
    aggregates.Sample.update = sampled


def _failing_concatenations(aggregates: Any) -> None:  # noqa: ANN401 - rdflib's module
    from rdflib import Literal  # noqa: PLC0415 - only with the query parser
    from rdflib.namespace import XSD  # noqa: PLC0415

    def text(value: Any) -> bool:  # noqa: ANN401 - a term
        return isinstance(value, Literal) and (value.language is not None or value.datatype in (None, XSD.string))

    def concatenated(self: Any, row: Any, aggregator: Any) -> None:  # noqa: ANN401
        if getattr(self, "kgraph_failed", False):
            return
        value = _aggregated(self, row)
        if not text(value):
            self.kgraph_failed = True
            return
        self.value.append(value)
        if self.distinct:
            self.seen.add(value)

    aggregates.GroupConcat.update = concatenated
    aggregates.GroupConcat.use_row = _new_or_failing
    aggregates.GroupConcat.set_value = _unless_failed(aggregates.GroupConcat.set_value)


def _failing_counts(aggregates: Any) -> None:  # noqa: ANN401 - rdflib's module
    from rdflib import Variable  # noqa: PLC0415 - only with the query parser

    def of_rows(accumulator: Any) -> bool:  # noqa: ANN401 - COUNT(*), or COUNT(?v), which skips the rows without ?v
        return accumulator.expr == "*" or isinstance(accumulator.expr, Variable)

    def counted(self: Any, row: Any, aggregator: Any, update: Any = aggregates.Counter.update) -> None:  # noqa: ANN401
        if of_rows(self):
            update(self, row, aggregator)
        elif not getattr(self, "kgraph_failed", False):
            value = _aggregated(self, row)
            if value is None:
                self.kgraph_failed = True
                return
            self.value += 1
            if self.distinct:
                self.seen.add(value)

    def new_count(self: Any, row: Any, use_row: Any = aggregates.Counter.use_row) -> bool:  # noqa: ANN401
        return bool(use_row(self, row)) if of_rows(self) else _new_or_failing(self, row)

    aggregates.Counter.update = counted
    aggregates.Counter.use_row = new_count
    aggregates.Counter.set_value = _unless_failed(aggregates.Counter.set_value)


def _new_or_failing(accumulator: Any, row: Any) -> bool:  # noqa: ANN401 - rdflib's accumulator and bindings
    """With ``DISTINCT``: whether the value of ``row`` is new to ``accumulator``; an error is let through, for the
    update to fail the aggregate with it."""
    value = _aggregated(accumulator, row)
    return value is None or value not in accumulator.seen


def _unless_failed(set_value: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    """An accumulator's ``set_value`` that binds nothing once a row's error failed the aggregate."""

    def set_unless_failed(self: Any, bindings: Any) -> None:  # noqa: ANN401 - rdflib's accumulator and bindings
        if not getattr(self, "kgraph_failed", False):
            set_value(self, bindings)

    return set_unless_failed


def values_bind_their_variables() -> None:
    """Make rdflib count the variables of a ``VALUES`` block among those its part of the query binds, so that an
    ``OPTIONAL`` after it keeps the rows it does not match, as SPARQL says and Oxigraph (``--store``) answers:
    ``VALUES ?x { kgr:trainium3 kgr:trainium2 } OPTIONAL { ?x kg:succeeds ?y }`` gave Trainium3's row alone.

    rdflib's left join keeps a row the ``OPTIONAL`` does not match only if the ``OPTIONAL`` matches nothing once the
    variables of the part before it are left out; it found none of a ``VALUES`` block's (its rows are dicts, which
    its walk of the query does not enter), so with ``?x`` left out the ``OPTIONAL`` matched some other ``?x`` and
    the row was dropped. Idempotent; kgraph's query parser calls it.
    """
    from rdflib import Variable  # noqa: PLC0415 - only with the query parser
    from rdflib.plugins.sparql import algebra  # noqa: PLC0415
    from rdflib.plugins.sparql.parserutils import CompValue  # noqa: PLC0415

    original: Any = algebra._addVars
    if getattr(original, "kgraph_values", False):
        return

    def add_vars(x: Any, children: Any) -> Any:  # noqa: ANN401 - rdflib's parts of a query and variable sets
        if isinstance(x, dict) and not isinstance(x, CompValue):  # a row of VALUES: its variables, UNDEF's too
            return {name for name in x if isinstance(name, Variable)}
        return original(x, children)

    add_vars.kgraph_values = True  # type: ignore[attr-defined]
    setattr(algebra, "_addVars", add_vars)  # noqa: B010


def scoped_groups() -> None:
    """Make rdflib evaluate the right side of a join or an ``OPTIONAL`` on its own where that side has a scope of its
    own, as SPARQL says and Oxigraph (``--store``) answers.

    rdflib evaluates that side once per row of the left side, with the row's values already in place. For triple
    patterns that is the same answer, found faster; for a part with a scope of its own it is not: a sub-query
    joined after a pattern (``?s kg:order ?o . { SELECT (MAX(?k) AS ?o) ... }`` kept every ``?o``, not the greatest
    alone; a variable the sub-query uses but does not return was tied to the outer one), a ``BIND`` in a group
    (``{ BIND(3 AS ?v) }`` matched every ``?v``), a ``FILTER`` in a nested group on a variable bound outside it
    (``{ FILTER(BOUND(?x)) }`` passed every row, where ``?x`` is unbound inside), a ``BIND(EXISTS ...)`` in an
    ``OPTIONAL``. Such a side is now evaluated once on its own and joined to each row; a side of triple patterns,
    paths, ``VALUES``, ``UNION`` and ``GRAPH`` of them, and ``FILTER`` on variables they always bind, keeps rdflib's
    way. Idempotent; kgraph's query parser calls it.
    """
    from rdflib.plugins.sparql import evaluate  # noqa: PLC0415 - only with the query parser
    from rdflib.plugins.sparql.evalutils import _ebv, _join  # noqa: PLC0415

    if getattr(evaluate.evalJoin, "kgraph_scoped", False):
        return
    join_as_rdflib: Any = evaluate.evalJoin
    left_join_as_rdflib: Any = evaluate.evalLeftJoin

    def join(ctx: Any, part: Any) -> Any:  # noqa: ANN401 - rdflib's context, CompValue and rows
        if part.lazy and not _substitutable(part.p2):
            rows = list(evaluate.evalPart(ctx, part.p2))  # a list: a bag, where rdflib's own made it a set
            return _join(evaluate.evalPart(ctx, part.p1), rows)
        return join_as_rdflib(ctx, part)

    def left_join(ctx: Any, part: Any) -> Any:  # noqa: ANN401 - rdflib's context, CompValue and rows
        if _substitutable(part.p2):
            return left_join_as_rdflib(ctx, part)
        return _left_join(ctx, part, list(evaluate.evalPart(ctx, part.p2)))

    def _left_join(ctx: Any, part: Any, rows: list[Any]) -> Iterator[Any]:  # noqa: ANN401 - as above
        for row in evaluate.evalPart(ctx, part.p1):
            matched = False
            for other in rows:
                if row.compatible(other):
                    merged = row.merge(other)
                    if _ebv(part.expr, merged):
                        matched = True
                        yield merged
            if not matched:
                yield row

    join.kgraph_scoped = True  # type: ignore[attr-defined]
    setattr(evaluate, "evalJoin", join)  # noqa: B010
    setattr(evaluate, "evalLeftJoin", left_join)  # noqa: B010


def _substitutable(part: Any) -> bool:  # noqa: ANN401 - rdflib's CompValue
    """Whether evaluating ``part`` with the values of a row in place gives what evaluating it alone and joining
    gives (:func:`scoped_groups`)."""
    name = getattr(part, "name", None)
    if name == "BGP":
        return True
    if name in ("Join", "Union"):
        return _substitutable(part.p1) and _substitutable(part.p2)
    if name == "Graph":
        return _substitutable(part.p)
    if name == "ToMultiSet":  # VALUES: a row that disagrees with the values in place is left out, as a join does
        return getattr(part.p, "name", None) == "values"
    if name == "Filter":
        return (
            _substitutable(part.p) and not _has_exists(part.expr) and _variables_in(part.expr) <= _always_bound(part.p)
        )
    return False


def _always_bound(part: Any) -> set[Any]:  # noqa: ANN401 - rdflib's CompValue
    """The variables every row of ``part`` (a part :func:`_substitutable` takes) binds."""
    from rdflib import Variable  # noqa: PLC0415 - only with the query parser

    name = getattr(part, "name", None)
    if name == "BGP":
        return {term for triple in part.triples for term in triple if isinstance(term, Variable)}
    if name == "Join":
        return _always_bound(part.p1) | _always_bound(part.p2)
    if name == "Union":
        return _always_bound(part.p1) & _always_bound(part.p2)
    if name == "Graph":
        return _always_bound(part.p) | ({part.term} if isinstance(part.term, Variable) else set())
    if name == "Filter":
        return _always_bound(part.p)
    return set()


def _variables_in(expression: Any) -> set[Any]:  # noqa: ANN401 - rdflib's expression
    from rdflib import Variable  # noqa: PLC0415 - only with the query parser

    from kgraph.query.parsing import algebra_parts  # noqa: PLC0415 - it imports this module

    return {part for part in algebra_parts(expression) if isinstance(part, Variable)}


def _has_exists(expression: Any) -> bool:  # noqa: ANN401 - rdflib's expression
    from kgraph.query.parsing import algebra_parts  # noqa: PLC0415 - it imports this module

    return any(
        getattr(part, "name", None) in ("Builtin_EXISTS", "Builtin_NOTEXISTS") for part in algebra_parts(expression)
    )


def described_parameters() -> None:
    """Make rdflib describe a variable of ``DESCRIBE ?x`` without a ``WHERE`` that a parameter binds (``--param
    x=kgr:trainium3``, ``initBindings``), as the store does: it described only the IRIs written in the query, so
    the answer was empty. Idempotent; kgraph's query parser calls it."""
    from rdflib import Variable  # noqa: PLC0415 - only with the query parser
    from rdflib.plugins.sparql import evaluate  # noqa: PLC0415

    describe_as_rdflib: Any = evaluate.evalDescribeQuery
    if getattr(describe_as_rdflib, "kgraph_parameters", False):
        return

    def describe(ctx: Any, query: Any) -> Any:  # noqa: ANN401 - rdflib's context, query and answer
        answer = describe_as_rdflib(ctx, query)
        if query.p is None:  # with a WHERE clause, its rows give the variables' values, the parameters' among them
            for name in query.PV:
                value = ctx[name] if isinstance(name, Variable) else None
                if value is not None:
                    ctx.graph.cbd(value, target_graph=answer["graph"])
        return answer

    describe.kgraph_parameters = True  # type: ignore[attr-defined]
    setattr(evaluate, "evalDescribeQuery", describe)  # noqa: B010


def negated_inverse_paths() -> None:
    """Make rdflib read and evaluate an inverse in a negated property set (``!^kg:succeeds``, ``!(kg:uses|^kg:p)``)
    as SPARQL says and the store answers: its parser dropped the IRI after ``^`` there, so the query stopped with
    "Invalid path in NegatedPath: InversePath_InversePath_{}"; and it tested an inverse member against the reverse
    triple's presence, where SPARQL takes the triples of any other predicate, read backwards. Idempotent; kgraph's
    query parser calls it."""
    import pyparsing  # noqa: PLC0415 - only with the query parser
    from rdflib.paths import InvPath, NegatedPath  # noqa: PLC0415
    from rdflib.plugins.sparql import algebra, parser  # noqa: PLC0415
    from rdflib.plugins.sparql.parserutils import CompValue, Param  # noqa: PLC0415

    members: Any = parser.PathOneInPropertySet  # iri | A | Comp("InversePath", "^" + (iri | A)), with no Param
    inverse: Any = members.exprs[-1]
    if getattr(inverse, "kgraph_part", False) or inverse.customName != "InversePath":
        return
    inverse.expr = pyparsing.Literal("^") + Param("part", parser.iri | parser.A)
    inverse.kgraph_part = True
    translate_as_rdflib: Any = algebra.translatePath

    def translate(part: Any) -> Any:  # noqa: ANN401 - rdflib's parse of a path and its Path
        if isinstance(part, CompValue) and part.name == "InversePath":
            return InvPath(part.part)
        return translate_as_rdflib(part)

    def evaluate(self: Any, graph: Any, subj: Any = None, obj: Any = None) -> Iterator[tuple[Any, Any]]:  # noqa: ANN401
        forward = [member for member in self.args if not isinstance(member, InvPath)]
        backward = [member.arg for member in self.args if isinstance(member, InvPath)]
        if forward or not backward:
            for s, p, o in graph.triples((subj, None, obj)):
                if p not in forward:
                    yield s, o
        if backward:
            for s, p, o in graph.triples((obj, None, subj)):
                if p not in backward:
                    yield o, s

    setattr(algebra, "translatePath", translate)  # noqa: B010
    setattr(NegatedPath, "eval", evaluate)  # noqa: B010


def no_groups_of_nothing() -> None:
    """Make rdflib's grouping, ``VALUES`` and constant filters answer as SPARQL says.

    - ``GROUP BY ?k`` over no solutions gave one row of nothing; there is no group then (only a query that
      aggregates without ``GROUP BY`` has its one group, even of no rows: ``COUNT(*)`` is 0). Oxigraph gives none.
      (``MIN`` or ``MAX`` of an expression that fails on some rows stopped the query comparing None with None:
      :func:`failing_aggregates` gives no value for such a group.)
    - An empty ``VALUES ?k { }`` stopped the query ("'list' object has no attribute 'name'"); it has no solution.
    - ``FILTER(false)``, and any constant rdflib takes for false (``0``, ``""``), was dropped: every row passed.

    Idempotent; kgraph's query parser calls it.
    """
    from rdflib import Literal  # noqa: PLC0415 - only with the query parser
    from rdflib.plugins.sparql import aggregates, algebra, evaluate  # noqa: PLC0415
    from rdflib.plugins.sparql.evalutils import _eval  # noqa: PLC0415
    from rdflib.plugins.sparql.operators import and_  # noqa: PLC0415
    from rdflib.plugins.sparql.sparql import FrozenBindings  # noqa: PLC0415

    if getattr(evaluate.evalAggregateJoin, "kgraph_groups", False):
        return

    def aggregate_join(ctx: Any, agg: Any) -> Iterator[Any]:  # noqa: ANN401 - rdflib's context and CompValue
        keys = agg.p.expr
        groups: dict[Any, Any] = {}
        if keys is None:  # aggregates without GROUP BY: one group, even of no rows
            groups[True] = aggregates.Aggregator(aggregations=agg.A)
        for row in evaluate.evalPart(ctx, agg.p):
            key = True if keys is None else tuple(_eval(e, row, False) for e in keys)
            group = groups.get(key)
            if group is None:
                group = groups[key] = aggregates.Aggregator(aggregations=agg.A)
            group.update(row)
        for group in groups.values():
            yield FrozenBindings(ctx, group.get_bindings())

    collect_filters = algebra.collectAndRemoveFilters

    def filters(parts: Any) -> Any:  # noqa: ANN401 - rdflib's CompValues
        found: Any = collect_filters(parts)  # rdflib types it Expr; it may be a constant
        constant: Any = found if isinstance(found, Literal) else None
        if constant is not None and not constant:
            # FILTER(false), FILTER(0), FILTER(""): rdflib tests "if filters:", and a false literal is false there,
            # so it dropped the filter and kept every row. A conjunction with true is the same filter, kept.
            true: Any = Literal(True)
            return and_(constant, true)
        return found

    translate_values = algebra.translateValues

    def values(v: Any) -> Any:  # noqa: ANN401 - rdflib's CompValue
        found = translate_values(v)
        return algebra.Values(found) if isinstance(found, list) else found

    aggregate_join.kgraph_groups = True  # type: ignore[attr-defined]
    setattr(evaluate, "evalAggregateJoin", aggregate_join)  # noqa: B010
    setattr(algebra, "translateValues", values)  # noqa: B010
    setattr(algebra, "collectAndRemoveFilters", filters)  # noqa: B010


#: The start of an absolute IRI: a scheme and a colon (RFC 3987).
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def checked_iris() -> None:
    """Make rdflib's ``IRI(...)`` and ``URI(...)`` of a text that is no IRI (a space, ``{``, ``|``... in it), or of
    a relative one when the query has no ``BASE``, an error, which leaves the value unbound, as SPARQL says and
    Oxigraph (``--store``) does: rdflib made an IRI no output can write (a CONSTRUCT answer in Turtle ended in a
    traceback; N-Triples got ``<ok>``, which no N-Triples reader takes).

    Idempotent; kgraph's query parser calls it, before it parses (rdflib's parser keeps the function it evaluates
    ``IRI`` with).
    """
    from rdflib.plugins.sparql import operators, parser  # noqa: PLC0415 - only with the query parser
    from rdflib.plugins.sparql.parserutils import Comp  # noqa: PLC0415
    from rdflib.plugins.sparql.sparql import SPARQLError  # noqa: PLC0415

    from kgraph.query.lexer import IRI_CHARACTERS  # noqa: PLC0415

    def iri(expr: Any, ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and IRI
        if isinstance(expr.arg, str) and not IRI_CHARACTERS.fullmatch(expr.arg):  # before rdflib warns of it
            raise SPARQLError(f"IRI: <{expr.arg}> is not a valid IRI")
        made = operators.Builtin_IRI(expr, ctx)
        if isinstance(made, str) and not _ABSOLUTE.match(made):  # relative, and no BASE to resolve it against
            raise SPARQLError(f"IRI: <{made}> is relative and the query has no BASE")
        return made

    iri.kgraph_checked = True  # type: ignore[attr-defined]
    pending: list[Any] = [parser.BuiltInCall]
    seen: set[int] = set()
    while pending:  # the IRI and URI elements are among the alternatives of BuiltInCall, unnamed
        element = pending.pop()
        if id(element) in seen:
            continue
        seen.add(id(element))
        if isinstance(element, Comp) and element.name in ("Builtin_IRI", "Builtin_URI"):
            if not getattr(element.evalfn, "kgraph_checked", False):
                element.setEvalFn(iri)
            continue
        pending += getattr(element, "exprs", None) or []
        if getattr(element, "expr", None) is not None:
            pending.append(element.expr)


def relative_iris_with_a_colon() -> None:
    """Make rdflib resolve a relative IRI with a colon in it (``<./a:b>``, ``<../x:y>``, ``</a:b>``) against the
    query's base, as it resolves ``<foo>``: it took any IRI with a colon for an absolute one, and kept it as
    written, where a query, a ``PREFIX``, a datatype or ``IRI("./a:b")`` has it. An IRI is absolute when it starts
    with a scheme and a colon (RFC 3987: ``<a:b>`` is one, of the scheme ``a``); any other is a relative reference.

    Idempotent; kgraph's query parser calls it.
    """
    from rdflib import URIRef  # noqa: PLC0415 - only with the query parser
    from rdflib.plugins.sparql.sparql import Prologue  # noqa: PLC0415

    absolutize = Prologue.absolutize
    if getattr(absolutize, "kgraph_colons", False):
        return

    def resolved(self: Any, iri: Any) -> Any:  # noqa: ANN401 - rdflib's Prologue, and its IRI or CompValue
        if isinstance(iri, URIRef) and ":" in iri and not _ABSOLUTE.match(iri):
            return URIRef(iri, base=self.base)
        return absolutize(self, iri)

    resolved.kgraph_colons = True  # type: ignore[attr-defined]
    Prologue.absolutize = resolved  # type: ignore[method-assign]


def empty_construct_templates() -> None:
    """Make a CONSTRUCT with an empty template (``[]``, as kgraph's parser gives ``CONSTRUCT { } WHERE { ... }``)
    answer with no triple, as SPARQL says. rdflib reads any empty template as the short form ``CONSTRUCT WHERE``
    and takes the triples of the pattern. A template rdflib's own parser left out (None) is read as before.

    Idempotent; kgraph's query parser calls it.
    """
    from rdflib import Graph  # noqa: PLC0415 - only with the query parser
    from rdflib.plugins.sparql import evaluate  # noqa: PLC0415

    construct = evaluate.evalConstructQuery
    if getattr(construct, "kgraph_empty", False):
        return

    def construct_query(ctx: Any, query: Any) -> Any:  # noqa: ANN401 - rdflib's context, CompValue and answer
        template = query.template
        if template is not None and not template:
            return {"type_": "CONSTRUCT", "graph": Graph()}
        return construct(ctx, query)

    construct_query.kgraph_empty = True  # type: ignore[attr-defined]
    setattr(evaluate, "evalConstructQuery", construct_query)  # noqa: B010


def valid_template_triples() -> None:
    """Make a CONSTRUCT's template, and an update's INSERT and DELETE templates, leave out a triple whose subject is a
    literal or whose predicate is not an IRI, as SPARQL says (and Oxigraph does, so a store gives none). rdflib made
    it: a CONSTRUCT in memory wrote N-Triples or Turtle no parser reads (``"Trainium3"@en a kg:Thing .``), and
    ``kgraph query --update`` added it, where on a store the same update added nothing. ``INSERT DATA`` and
    ``DELETE DATA`` leave it out too: rdflib added ``INSERT DATA { "lit" kg:p "x" }`` as written (Oxigraph refuses
    it, so on a store too rdflib applied it), where ``INSERT { "lit" kg:p "x" } WHERE {}`` added nothing.

    Idempotent; kgraph's query parser calls it.
    """
    from rdflib import Literal, URIRef  # noqa: PLC0415 - only with the query parser
    from rdflib.plugins.sparql import evaluate, evalutils, update  # noqa: PLC0415
    from rdflib.plugins.sparql.parserutils import CompValue  # noqa: PLC0415

    fill = evalutils._fillTemplate  # the one function both modules fill templates with
    if getattr(fill, "kgraph_valid", False):
        return

    def is_valid(triple: tuple[Any, ...]) -> bool:
        return not isinstance(triple[0], Literal) and isinstance(triple[1], URIRef)

    def fill_template(template: Any, solution: Any) -> Iterator[Any]:  # noqa: ANN401 - rdflib's template and context
        yield from filter(is_valid, fill(template, solution))

    def valid_data(apply: Callable[[Any, CompValue], None]) -> Callable[[Any, CompValue], None]:
        def apply_valid(ctx: Any, data: CompValue) -> None:  # noqa: ANN401 - rdflib's context
            quads = defaultdict(list, {graph: list(filter(is_valid, triples)) for graph, triples in data.quads.items()})
            apply(ctx, CompValue(data.name, triples=list(filter(is_valid, data.triples or ())), quads=quads))

        return apply_valid

    fill_template.kgraph_valid = True  # type: ignore[attr-defined]
    for module in (evalutils, evaluate, update):
        setattr(module, "_fillTemplate", fill_template)  # noqa: B010
    for name in ("evalInsertData", "evalDeleteData"):  # evalUpdate looks them up in the module when it runs
        setattr(update, name, valid_data(getattr(update, name)))


def xsd_special_doubles() -> None:
    """Make rdflib write a double or float that is not a number, or infinite, as XSD does: ``NaN``, ``INF``,
    ``-INF``.

    rdflib keeps a double's lexical form as Python prints its value, so ``"NaN"^^xsd:double`` read from a file or
    a store came out as ``"nan"`` (and ``"INF"`` as ``"inf"``) in query answers and exports: no XSD lexical form,
    which other tools reject. Finite numbers keep the form rdflib gives them. Idempotent; :mod:`kgraph.store`
    calls it.
    """
    import math  # noqa: PLC0415 - rdflib's tables, at most once

    from rdflib import term  # noqa: PLC0415
    from rdflib.namespace import XSD  # noqa: PLC0415

    def lexical(number: float) -> str:
        if math.isnan(number):
            return "NaN"
        if math.isinf(number):
            return "INF" if number > 0 else "-INF"
        return str(number)

    lexical.kgraph_special = True  # type: ignore[attr-defined]
    rules = term._SpecificPythonToXSDRules
    if any(getattr(rule, "kgraph_special", False) for _pair, rule in rules):
        return
    rules += [((float, XSD.double), lexical), ((float, XSD.float), lexical)]


#: XSD's date, time and duration datatypes (local names), whose literals rdflib rewrote as Python prints their value.
_WRITTEN_TEMPORALS = (
    "dateTime",
    "dateTimeStamp",
    "date",
    "time",
    "gYear",
    "gYearMonth",
    "gMonth",
    "gMonthDay",
    "gDay",
    "duration",
    "dayTimeDuration",
    "yearMonthDuration",
)


def literals_as_a_store_reads_them() -> None:
    """Make rdflib keep a date, time or duration literal as it is written, as it keeps a decimal (``1.50``), and read
    a literal's language tag in small letters, as Oxigraph (``--store``) keeps it: one wrapper of
    ``Literal.__new__``, which every literal goes through.

    Dates: rdflib gave such a literal the form Python prints its value in (``rdflib.NORMALIZE_LITERALS``), and
    Python's types hold less than XSD's: ``"2025-12-02T10:30:00.123456789-05:00"`` became ``.123456-05:00`` and
    ``PT1.123456789S`` ``PT1.123457S`` (digits past the microsecond lost), ``"2025-12-02+01:00"^^xsd:date`` lost its
    time zone; and the canonical forms Oxigraph writes were rewritten too (``Z`` became ``+00:00``, ``10:30:00.5``
    became ``10:30:00.500000``, ``PT0S`` became ``P0D``), so the same file gave other text in memory than on a store.
    Such a literal's value is still read (comparisons, ``ORDER BY``, the SHACL datatype checks use it; an ill-typed
    one is still found); only its lexical form is left alone. Literals made from a Python value are written as
    before.

    Tags: RDF's language tags have no case (BCP 47): ``"x"@EN-GB`` and ``"x"@en-gb`` are one literal, which rdflib
    compares and hashes so but kept as first written. So ``lang()`` gave ``EN-GB`` in memory and ``en-gb`` on a
    store, a query's table, ``dump`` and the exports wrote other text, and of ``"x"@EN`` and ``"x"@en`` in one graph
    memory kept whichever it read first. Every literal made while kgraph runs (read from a file, made by a query, by
    code, also by a program that imports kgraph) now has its tag in small letters.

    Computed decimals: a decimal made from Python's value (a sum, a product, an average a query computes) is
    written in XSD's canonical form (:func:`kgraph.xsdforms.canonical_decimal`), as a store writes it: ``1 + 1.0``
    was ``2.0`` in memory and ``2`` on a store, ``Literal(Decimal("1.50"))`` is ``1.5``. A decimal read from a file
    or a query's text is a text here, kept as written.

    Strings: ``"x"^^xsd:string`` and ``"x"`` are one literal in RDF 1.1, and one on a store; rdflib kept two, so
    ``DISTINCT`` gave both, ``=`` and a join told them apart. The datatype is left out: ``DATATYPE`` still gives
    ``xsd:string``, SHACL's ``sh:datatype xsd:string`` still holds, and the literal is written ``"x"``, as Oxigraph
    writes it.

    Idempotent; :mod:`kgraph.store` calls it.
    """
    from decimal import Decimal  # noqa: PLC0415

    from rdflib import term  # noqa: PLC0415
    from rdflib.namespace import XSD  # noqa: PLC0415

    make = term.Literal.__new__
    if getattr(make, "kgraph_literals", False):
        return
    # Both an IRI and its text: a URIRef is never equal to a str, and rdflib takes either as a datatype.
    written = frozenset(XSD[name] for name in _WRITTEN_TEMPORALS) | {str(XSD[name]) for name in _WRITTEN_TEMPORALS}
    decimal = XSD.decimal
    strings = frozenset((XSD.string, str(XSD.string)))

    def literal(
        cls: type[Any],
        lexical_or_value: Any,  # noqa: ANN401 - rdflib's argument
        lang: str | None = None,
        datatype: str | None = None,
        normalize: bool | None = None,
    ) -> Any:  # noqa: ANN401 - a Literal
        if normalize is None and datatype is not None and datatype in written:
            normalize = False
        elif (
            datatype is not None
            and datatype in strings
            and isinstance(lexical_or_value, str)
            and lang is None
            and getattr(lexical_or_value, "language", None) is None
        ):  # "x"^^xsd:string is "x" (RDF 1.1): one term, as on a store; a Literal given as the text, its text
            lexical_or_value, datatype = str(lexical_or_value), None
        elif (
            type(lexical_or_value) is not str
            and isinstance(lexical_or_value, Decimal)
            and (datatype is None or datatype == decimal)
            and lexical_or_value.is_finite()
        ):
            lexical_or_value, datatype = xsdforms.canonical_decimal(lexical_or_value), decimal
        return make(cls, lexical_or_value, lang.lower() if isinstance(lang, str) else lang, datatype, normalize)

    literal.kgraph_literals = True  # type: ignore[attr-defined]
    term.Literal.__new__ = staticmethod(literal)  # type: ignore[method-assign]


def xsd_strict_numbers() -> None:
    """Make rdflib read a decimal, an integer (of any type derived from ``xsd:integer``), a double or a float only
    in XSD's lexical form, as Oxigraph (``--store``) does.

    rdflib read them with Python's ``Decimal``, ``int`` and ``float``, which take white space around the number,
    ``_`` between digits and any script's digits (``" 12"``, ``"1_000"``, full-width digits), and, for a decimal,
    ``"NaN"``, ``"Infinity"`` and ``"1e5"``: such a literal was a number in memory, compared, summed and validated
    as one, where a store holds it ill-typed; a decimal NaN stopped every comparison with
    ``decimal.InvalidOperation`` (a traceback from ``kgraph dump``, which sorts a subject's values). It is now
    ill-typed, as on a store: rdflib warns, keeps it as written, and a comparison leaves it out. An integer beyond
    64 bits stays an integer in memory, as XSD says (a store keeps it ill-typed: README, "Large graphs").
    Idempotent; :mod:`kgraph.store` calls it.
    """
    _read_strictly(xsdforms.NUMBERS)


def xsd_strict_booleans() -> None:
    """Make rdflib read an ``xsd:boolean`` only in XSD's lexical form (``true``, ``false``, ``1``, ``0``), as
    Oxigraph (``--store``) does.

    rdflib read any other text as false, with a warning, and wrote it so: ``" true "^^xsd:boolean`` became
    ``"false"`` in memory (the dumps, the exports' CSV, ``kgraph push``) where a store keeps it as written;
    ``"TRUE"`` became ``"true"``, and, since kgraph's cache keeps what rdflib wrote, a well-typed one the next time,
    so an export's column was a string after a parse and a boolean from the cache. Such a literal is now ill-typed,
    as on a store: rdflib warns and keeps it as written. Idempotent; :mod:`kgraph.store` calls it.
    """
    _read_strictly({"boolean": xsdforms.BOOLEAN})


def _read_strictly(forms: Mapping[str, str]) -> None:
    """Give rdflib's reader of each XSD datatype of ``forms`` (local name: its lexical form) a check of the form."""
    from rdflib import URIRef, term  # noqa: PLC0415
    from rdflib.namespace import XSD  # noqa: PLC0415

    for name, form in forms.items():
        datatype = URIRef(XSD[name])
        read = term.XSDToPython.get(datatype)
        if read is None:
            continue
        if getattr(read, "kgraph_strict", False):  # done; put back where another library set its own (pySHACL)
            term._toPythonMapping[datatype] = read
            continue
        strict = _strict_reader(read, re.compile(form), f"xsd:{name}")
        term.XSDToPython[datatype] = strict
        term._toPythonMapping[datatype] = strict  # the table rdflib reads, made from the other at import


#: The XSD forms (:mod:`kgraph.xsdforms`) of the durations, compiled, by the datatype's IRI.
_DURATION_FORMS = {
    f"http://www.w3.org/2001/XMLSchema#{name}": re.compile(form)
    for name, form in xsdforms.TEMPORALS.items()
    if name.endswith(("duration", "Duration"))
}


def in_duration_form(datatype: str, lexical: str) -> bool:
    """Whether ``lexical`` is in XSD's lexical form of the duration datatype ``datatype`` (an IRI), of any size:
    rdflib's reader fails on a duration of more days than Python's ``timedelta`` holds (``PT24000000000H``), so
    such a literal is ill-typed in memory, where a store reads it and writes it in its canonical form."""
    form = _DURATION_FORMS.get(str(datatype))
    return form is not None and form.fullmatch(lexical) is not None


def xsd_strict_temporals() -> None:
    """Make rdflib read a date, time or duration only in XSD's lexical form, as Oxigraph (``--store``) does.

    rdflib read them with Python's ISO 8601 parsers, which take forms XSD does not (``"2025-W49"^^xsd:date``,
    ``"2025-12-02T10:30"^^xsd:dateTime``, ``"P1W"^^xsd:duration``, ``"P1D"^^xsd:yearMonthDuration``): such a literal
    compared and sorted as a date in memory, where a store holds it ill-typed, and, now that these literals keep
    their lexical form (:func:`literals_as_a_store_reads_them`), the exports wrote it as no XSD reader takes. It is now
    ill-typed, as on a store: rdflib warns, keeps it as written, and a comparison leaves it out. A duration's
    seconds with a point at one end (``"PT.5S"``, ``"PT5.S"``), which XSD allows and Python's parser refused, are
    read. Idempotent; :mod:`kgraph.store` calls it.
    """
    from rdflib import URIRef, term  # noqa: PLC0415
    from rdflib.namespace import XSD  # noqa: PLC0415

    for name, form in xsdforms.TEMPORALS.items():
        datatype = URIRef(XSD[name])
        read = term.XSDToPython.get(datatype)
        if read is None or getattr(read, "kgraph_strict", False):
            continue
        if name in _DURATIONS:
            read = _xsd_seconds(read)
        elif name in ("dateTime", "time"):
            read = _end_of_day(read)
        strict = _strict_reader(read, re.compile(form), f"xsd:{name}")
        term.XSDToPython[datatype] = strict
        term._toPythonMapping[datatype] = strict  # the table rdflib reads, made from the other at import


#: A point with no digit before it, and one with none after it (in a duration's XSD form, only its seconds' point).
_POINT_FIRST = re.compile(r"(?<!\d)\.")
_POINT_LAST = re.compile(r"\.S")


def _xsd_seconds(read: Callable[[str], Any]) -> Callable[[str], Any]:
    """``read``, rdflib's duration parser, given a duration's seconds in a form it reads: ``.5S`` as ``0.5S``,
    ``5.S`` as ``5S`` (it refused both, which XSD allows and Oxigraph reads)."""

    def xsd_read(lexical: str) -> Any:  # noqa: ANN401 - a timedelta, or rdflib's Duration
        return read(_POINT_LAST.sub("S", _POINT_FIRST.sub("0.", lexical)))

    return xsd_read


#: 24:00:00 at the start of a time or after a date's ``T``, with the fraction of its seconds (zeros).
_HOUR_24 = re.compile(r"(?:(?<=T)|^)24:00:00(?:\.0+)?")


def _end_of_day(read: Callable[[str], Any]) -> Callable[[str], Any]:
    """``read``, rdflib's date-time or time parser, given 24:00:00 (XSD 1.1: the end of a day, which is midnight of
    the next one) as that midnight: ``2025-12-31T24:00:00Z`` is the value of ``2026-01-01T00:00:00Z``, a time's
    ``24:00:00`` that of ``00:00:00``. Python's parsers refused the hour 24, so such a literal was ill-typed in
    memory, where a store reads it. Past 9999-12-31 Python holds no date: ill-typed, as before."""

    def xsd_read(lexical: str) -> Any:  # noqa: ANN401 - a datetime or a time
        if "24:00:00" not in lexical:
            return read(lexical)
        from datetime import timedelta  # noqa: PLC0415 - rarely needed

        midnight = _HOUR_24.sub("00:00:00", lexical, count=1)
        value = read(midnight)
        return value + timedelta(days=1) if "T" in midnight else value

    return xsd_read


def _strict_reader(read: Callable[[str], Any], form: re.Pattern[str], name: str) -> Callable[[str], Any]:
    """``read``, for a lexical form that ``form`` matches whole; else a ValueError quoting it."""

    def strict(lexical: str) -> Any:  # noqa: ANN401 - the value rdflib's reader gives
        if not form.fullmatch(lexical):
            raise ValueError(f"not an {name}: {lexical!r}")
        return read(lexical)

    strict.kgraph_strict = True  # type: ignore[attr-defined]
    return strict


def plain_decimals_in_turtle() -> None:
    """Make rdflib's Turtle and TriG parser keep a bare decimal below a millionth in XSD's form.

    It wrote the lexical form of ``0.0000001`` as Python's ``str(Decimal)`` does, ``1E-7``, and relied on rdflib's own
    decimal converter to turn it back; the strict one (:func:`xsd_strict_numbers`) refuses it, so a valid Turtle
    decimal became an ill-typed literal (a warning, a failed validation, a ``string`` column in the Neo4j export),
    and kgraph.ttl did not read back as written. Oxigraph (``--store``) reads it as ``0.0000001``. The parser makes
    its decimals with the name ``Decimal`` of its module: a subclass there that prints without an exponent costs
    nothing for the other terms (wrapping the parser's ``normalise`` of every term cost 4% of a parse).

    Called where kgraph parses Turtle or TriG with rdflib, not at import: that imports the parser, which a command
    on a store never needs.
    """
    from decimal import Decimal  # noqa: PLC0415

    from rdflib.plugins.parsers import notation3  # noqa: PLC0415

    if getattr(notation3.Decimal, "kgraph_plain", False):  # type: ignore[attr-defined]
        return

    class PlainDecimal(Decimal):
        kgraph_plain = True

        def __str__(self) -> str:
            return format(self, "f")

    notation3.Decimal = PlainDecimal  # type: ignore[attr-defined]


#: The digits after the point a decimal product, quotient or average keeps (:func:`decimal_product`).
DECIMAL_PLACES = 18


def decimal_product(op: str, left: Any, right: Any) -> Any:  # noqa: ANN401 - Decimals
    """``left * right`` or ``left / right`` (``op``) of two decimals as Oxigraph (``--store``) computes it: every
    digit, then cut (towards zero) to :data:`DECIMAL_PLACES` after the point, as its fixed-point decimals hold
    them (``2/3`` is ``0.666666666666666666``). Python rounded to 28 significant digits
    (``0.6666666666666666666666666667``, ``AVG`` of 1, 2, 2 too): the two engines wrote other digits.
    ZeroDivisionError or InvalidOperation for a division by zero."""
    from decimal import ROUND_DOWN, Decimal, localcontext  # noqa: PLC0415

    with localcontext() as context:
        context.prec, context.rounding = 200, ROUND_DOWN  # past any digit the cut keeps: the cut alone rounds
        exact = left * right if op == "*" else left / right
        return exact.quantize(Decimal(1).scaleb(-DECIMAL_PLACES))


def typed_products() -> None:
    """Make rdflib's ``*`` and ``/`` give the datatype XPath gives them, and a decimal's digits, as Oxigraph
    (``--store``) does.

    rdflib made every product a decimal: ``2 * 2`` was ``"4"^^xsd:decimal``, a double times two a decimal too. The
    operands' types promote (integer, decimal, float, double), and ``/`` of integers is a decimal; a double or
    float divided by zero is infinite (or NaN), a decimal or integer one an error. A decimal product or quotient,
    and a decimal ``AVG``, keep the digits Oxigraph keeps (:func:`decimal_product`). Idempotent; kgraph's query
    parser calls it, before it parses (rdflib's parser keeps the function it evaluates a product with).
    """
    import math  # noqa: PLC0415 - only with the query parser
    from decimal import Decimal, InvalidOperation  # noqa: PLC0415

    from rdflib import Literal  # noqa: PLC0415
    from rdflib.namespace import XSD  # noqa: PLC0415
    from rdflib.plugins.sparql import aggregates, parser  # noqa: PLC0415
    from rdflib.plugins.sparql.datatypes import type_promotion  # noqa: PLC0415
    from rdflib.plugins.sparql.sparql import SPARQLError  # noqa: PLC0415

    if getattr(parser.MultiplicativeExpression.evalfn, "kgraph_typed", False):
        return

    def apply(op: str, left: Any, right: Any, datatype: Any) -> Any:  # noqa: ANN401 - a number
        if datatype in (XSD.double, XSD.float):
            left, right = float(left), float(right)
            if op == "*":
                return left * right
            if right == 0:
                return (
                    math.nan
                    if left == 0 or math.isnan(left)
                    else math.copysign(math.inf, left) * (math.copysign(1.0, right))
                )
            return left / right
        if datatype == XSD.integer:
            return int(left) * int(right)  # "/" made it a decimal
        try:
            return decimal_product(op, Decimal(left), Decimal(right))
        except (InvalidOperation, ZeroDivisionError) as error:
            raise SPARQLError("divide by 0") from error

    def product(e: Any, ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression and context
        if e.other is None:
            return e.expr
        value, datatype = _number(e.expr)
        for op, operand in zip(e.op, e.other, strict=True):
            right, right_type = _number(operand)
            datatype = type_promotion(datatype, right_type)
            if op == "/" and datatype == XSD.integer:
                datatype = XSD.decimal
            value = apply(op, value, right, datatype)
        return Literal(value, datatype=datatype)

    def average(self: Any) -> Any:  # noqa: ANN401 - rdflib's accumulator, a literal
        if self.counter == 0 or self.datatype in (XSD.float, XSD.double):
            return average_of(self)
        return Literal(decimal_product("/", Decimal(self.sum), Decimal(self.counter)))

    product.kgraph_typed = True  # type: ignore[attr-defined]
    parser.MultiplicativeExpression.setEvalFn(product)
    average_of = aggregates.Average.get_value
    aggregates.Average.get_value = average  # type: ignore[method-assign]


#: A text an xsd:boolean cast takes (SPARQL 1.1, 17.5: XSD's lexical form, no other case).
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}


def sparql_functions() -> None:
    """Make rdflib's casts, ``SUBSTR``, ``REGEX``, ``REPLACE``, ``&&`` and a NaN's truth answer as SPARQL 1.1 says,
    and Oxigraph (``--store``) does.

    rdflib cast by the lexical form, so ``xsd:integer(1.5)``, ``xsd:integer(true)`` and ``xsd:boolean(2)`` were
    errors (1, 1 and true: SPARQL's casting table, 17.5), while ``xsd:boolean("TRUE")``, ``xsd:dateTime("2025-12-02")``
    and ``xsd:decimal("INF")`` gave values (no XSD form: errors); ``SUBSTR("abc", 0, 2)`` was ``""`` (``"a"``: a start
    before the first character counts from there) and ``SUBSTR("abc", 1.5)`` stopped the query with a Python error;
    a pattern that is no regular expression (``REGEX(?l, "(")``) stopped the query, where SPARQL has an error that
    drops the row; ``REPLACE(?x, "b", "[$0]")`` wrote a NUL character for ``$0``, the whole match; ``1/0 && false``
    was an error, where SPARQL says false; and ``"NaN"^^xsd:double`` was true where SPARQL says false. The hashes,
    ``STRDT``, ``STRLANG``, ``BNODE``, ``sameTerm`` and the tests of a term's kind: see :meth:`_Functions.digest`
    and the methods after it. Idempotent; kgraph's query parser and ``load`` call it, before they parse.
    """
    from rdflib import BNode, Literal, URIRef  # noqa: PLC0415
    from rdflib.plugins.sparql import evalutils, operators, parser  # noqa: PLC0415

    if getattr(parser.SubstringExpression.evalfn, "kgraph_functions", False):
        return
    functions = _Functions()
    for name in ("integer", "decimal", "double", "float", "boolean"):
        datatype = functions.xsd[name]
        operators._CUSTOM_FUNCTIONS[datatype] = (functions.cast, True)
    for name in (*xsdforms.TEMPORALS, *xsdforms.GREGORIAN):
        operators._CUSTOM_FUNCTIONS[functions.xsd[name]] = (functions.temporal_cast, True)
    operators._CUSTOM_FUNCTIONS[functions.xsd.string] = (functions.to_string, True)
    substring = functions.substring
    substring.__func__.kgraph_functions = True  # type: ignore[attr-defined]
    parser.SubstringExpression.setEvalFn(substring)
    parser.RegexExpression.setEvalFn(functions.regex)
    parser.StrReplaceExpression.setEvalFn(functions.replace)
    parser.ConditionalAndExpression.setEvalFn(functions.conjunction)
    adding = parser.AdditiveExpression.evalfn
    if adding is not None:
        parser.AdditiveExpression.setEvalFn(functions.additive(adding))
    builtins = _builtins(parser.BuiltInCall)
    own: dict[str, Callable[[Any, Any], Any]] = {"Builtin_TIMEZONE": functions.timezone}
    own["Builtin_isNUMERIC"] = functions.numeric
    own |= {f"Builtin_{name}": functions.digest(name) for name in ("MD5", "SHA1", "SHA256", "SHA384", "SHA512")}
    own |= {"Builtin_STRDT": functions.typed, "Builtin_STRLANG": functions.tagged, "Builtin_BNODE": functions.blank}
    own["Builtin_sameTerm"] = functions.same_term
    own["Builtin_STR"] = functions.text_of
    own["Builtin_NOW"] = functions.now
    own["Builtin_TZ"] = functions.tz
    operators.calculateDuration = functions.difference  # type: ignore[assignment]
    own |= {f"Builtin_is{name}": functions.kind_test(URIRef) for name in ("IRI", "URI")}
    own |= {"Builtin_isBLANK": functions.kind_test(BNode), "Builtin_isLITERAL": functions.kind_test(Literal)}
    own |= {f"Builtin_{part}": functions.date_part(part) for part in _DATE_PARTS}
    for name, function in own.items():
        if name in builtins:  # rdflib's grammar names them so (tests/test_query.py holds it to that)
            builtins[name].setEvalFn(function)
    for name in ("CEIL", "FLOOR", "ROUND"):
        element = builtins[f"Builtin_{name}"]
        element.setEvalFn(functions.rounded(element.evalfn, name))
    for name in ("COALESCE", "CONCAT"):
        element = builtins[f"Builtin_{name}"]
        element.setEvalFn(functions.of_no_values(element.evalfn, name))
    for name, element in builtins.items():
        if name not in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):  # graph patterns, not values
            element.setEvalFn(functions.guarded(element.evalfn, name[len("Builtin_") :]))  # SUBSTR's too: marked
    for name, element in _builtins(parser.UnaryExpression, "Unary").items():
        if name in ("UnaryMinus", "UnaryPlus"):
            element.setEvalFn(functions.signed(element.evalfn, negated=name == "UnaryMinus"))
    operators.EBV = functions.truth  # type: ignore[assignment]
    evalutils.EBV = functions.truth  # type: ignore[attr-defined,assignment] # FILTER's, imported from operators


def _builtins(grammar: Any, prefix: str = "Builtin_") -> dict[str, Any]:  # noqa: ANN401 - rdflib's parser element
    """The parts of rdflib's SPARQL grammar named ``prefix...`` among the alternatives of ``grammar`` (``Builtin_``
    of its ``BuiltInCall``, ``Unary`` of its ``UnaryExpression``), by name: most of them, unlike ``SUBSTR`` or
    ``REGEX``, have no name of their own in rdflib's parser module. Only alternatives are followed, not a
    function's arguments (which lead to the whole grammar: 10 ms, where this takes well under one, at the start of
    every command)."""
    import pyparsing  # noqa: PLC0415 - rdflib's parser is built with it

    found: dict[str, Any] = {}
    waiting = [grammar]
    while waiting:
        element = waiting.pop()
        name = getattr(element, "name", None)
        if isinstance(name, str) and name.startswith(prefix):
            found[name] = element
        elif isinstance(element, pyparsing.MatchFirst | pyparsing.Or):
            waiting.extend(element.exprs)
        elif isinstance(element, pyparsing.Forward) and element.expr is not None:
            waiting.append(element.expr)
    return found


#: The parts of a date, date-time or time SPARQL's functions give, by the group of :data:`_TIMELINE` they read.
_DATE_PARTS = {"YEAR": 1, "MONTH": 2, "DAY": 3, "HOURS": 4, "MINUTES": 5, "SECONDS": 6}
#: A date, date-time or time in XSD's form, in parts: year, month, day, hours, minutes, seconds.
_TIMELINE = xsdforms.INSTANT


def _double_text(number: float, *, single: bool) -> str:
    """A double (or, ``single``, the 32-bit float Oxigraph holds of it) as Oxigraph writes one in a string: its
    shortest digits, without an exponent (``1.5e-7`` is ``0.00000015``, ``1.0e0`` is ``1``), ``INF``, ``NaN``."""
    import math  # noqa: PLC0415
    import struct  # noqa: PLC0415
    from decimal import Decimal  # noqa: PLC0415

    if math.isnan(number) or math.isinf(number):
        return "NaN" if math.isnan(number) else ("INF" if number > 0 else "-INF")
    shortest = repr(number)
    if single:
        held = struct.unpack("f", struct.pack("f", number))[0]
        shortest = next(
            written
            for digits in range(1, 18)
            if struct.unpack("f", struct.pack("f", float(written := f"{held:.{digits}g}")))[0] == held
        )
    written = format(Decimal(shortest), "f")
    return written.rstrip("0").rstrip(".") if "." in written else written


def _on_the_calendar(found: re.Match[str]) -> bool:
    """Whether the date :data:`_TIMELINE` found, if any, is a day of its month (``2025-02-30`` is none, which the
    form takes): February has 29 days in a leap year of the proleptic Gregorian calendar, year 0 one of them, as
    XSD 1.1 counts them."""
    year, month, day = found.group(1, 2, 3)
    return year is None or int(day) <= xsdforms.days_in_month(int(year), int(month))


def _without_white_space(pattern: str) -> str:
    """``pattern`` without its white space (tab, line feed, carriage return, space), but within a character class
    (``[ ]``) and after a backslash: what XPath's ``x`` flag reads."""
    kept: list[str] = []
    in_class = escaped = False
    for character in pattern:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == "[":
            in_class = True
        elif character == "]":
            in_class = False
        elif character in "\t\n\r " and not in_class:
            continue
        kept.append(character)
    return "".join(kept)


#: A Gregorian part of a date written from a date's year, month, day and zone.
_GREGORIAN_OF = {
    "gYear": "{0}{3}",
    "gYearMonth": "{0}-{1}{3}",
    "gMonthDay": "--{1}-{2}{3}",
    "gDay": "---{2}{3}",
    "gMonth": "--{1}{3}",
}


def _cast_text(text: str, source: str, target: str) -> str | None:
    """The canonical text of ``text`` (in the XSD form of the local type ``source``) cast to ``target``, as
    Oxigraph casts it; None if it does not cast (:meth:`_Functions.temporal_cast`)."""
    to_duration, from_duration = target.endswith(("uration", "Duration")), source.endswith(("uration", "Duration"))
    if to_duration or from_duration:
        return _cast_duration(text, source, target) if to_duration and from_duration else None
    canonical = xsdforms.canonical_instant(text)
    if source == target:
        return canonical
    dated = xsdforms.INSTANT.fullmatch(canonical) if source in ("date", "dateTime") else None
    if dated is None or (target == "time" and dated[4] is None):
        return None
    year, month, day, hours, minutes, seconds, zone = dated.groups()
    time, zone = f"{hours or '00'}:{minutes or '00'}:{seconds or '00'}", zone or ""
    if target == "time":
        return f"{time}{zone}"
    if target == "dateTime":
        return f"{year}-{month}-{day}T{time}{zone}"
    return (_GREGORIAN_OF | {"date": "{0}-{1}-{2}{3}"})[target].format(year, month, day, zone)


def _cast_duration(text: str, source: str, target: str) -> str | None:
    """A duration cast to another (see :func:`_cast_text`): an ``xsd:dayTimeDuration`` only of one without years or
    months, an ``xsd:yearMonthDuration`` only of one without days or times (neither of the other)."""
    span = xsdforms.duration_span(text)
    if span is None:
        return None
    months, seconds = span
    if target == "dayTimeDuration" and (months or source == "yearMonthDuration"):
        return None
    if target == "yearMonthDuration" and (seconds or source == "dayTimeDuration"):
        return None
    return xsdforms.canonical_duration(months, seconds, "P0M" if target == "yearMonthDuration" else "PT0S")


class _Functions:
    """SPARQL's functions where rdflib's answer otherwise (:func:`sparql_functions`)."""

    def __init__(self) -> None:
        from rdflib import BNode, Literal, URIRef  # noqa: PLC0415
        from rdflib.namespace import XSD  # noqa: PLC0415
        from rdflib.plugins.sparql import operators  # noqa: PLC0415
        from rdflib.plugins.sparql.sparql import SPARQLError  # noqa: PLC0415
        from rdflib.term import _NUMERIC_LITERAL_TYPES, XSDToPython  # noqa: PLC0415

        self.literal, self.xsd, self.error, self.numbers = Literal, XSD, SPARQLError, _NUMERIC_LITERAL_TYPES
        self.iri, self.bnode = URIRef, BNode
        self.read = XSDToPython
        self.dated = {str(XSD[name]) for name in ("dateTime", "date", "time")}
        self.instants = {XSD.dateTime: "dateTime", XSD.dateTimeStamp: "dateTime", XSD.date: "date", XSD.time: "time"}
        self.operators, self.ebv = operators, operators.EBV
        self.forms = {
            XSD.integer: re.compile(xsdforms.INTEGER),
            XSD.decimal: re.compile(xsdforms.DECIMAL),
            XSD.double: re.compile(xsdforms.DOUBLE),
            XSD.float: re.compile(xsdforms.DOUBLE),
        }

    def cast(self, e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """``xsd:integer(x)``, ``xsd:decimal``, ``xsd:double``, ``xsd:float``, ``xsd:boolean``."""
        if not e.expr or len(e.expr) != 1:
            raise self.error(f"a cast to {e.iri} takes one value")
        (value,) = e.expr
        if not isinstance(value, self.literal) or value.language is not None:
            raise self.error(f"cannot cast {value!r} to {e.iri}")
        target, datatype = e.iri, value.datatype or self.xsd.string
        if datatype == self.xsd.string:
            return self._from_text(str(value), target)
        if value.ill_typed or (value.value is None and datatype in self.read):  # the parser's have ill_typed None
            raise self.error(f"cannot cast the ill-typed {value!r} to {target}")
        if datatype == self.xsd.boolean or datatype in self.numbers:
            return self._from_number(value.value, target)
        raise self.error(f"cannot cast {value!r} to {target}")

    def temporal_cast(self, e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """A cast to a date, time or duration type, or a Gregorian part of a date (``xsd:date(?when)``,
        ``xsd:gYear``, ``xsd:dayTimeDuration``), as Oxigraph casts (XPath's table, 19.1): from a text in the
        target's XSD form; a date or time from a date-time (its date or its time, with its time zone), a date-time
        from a date (its midnight), a Gregorian part from a date or date-time; a duration from any duration, an
        ``xsd:dayTimeDuration`` from an ``xsd:duration`` without years or months, an ``xsd:yearMonthDuration``
        from one without days or times. Each is written in its canonical form, as a store writes it (``Z`` for
        ``+00:00``, ``PT1H30M`` for ``PT90M``, 24:00:00 as the next midnight). rdflib cast only to
        ``xsd:dateTime``, keeping the text as written: ``xsd:date(?when)``, which groups date-times by day, had no
        value in memory."""
        if not e.expr or len(e.expr) != 1:
            raise self.error(f"a cast to {e.iri} takes one value")
        (value,) = e.expr
        target = str(e.iri).rpartition("#")[2]
        if not isinstance(value, self.literal) or value.language is not None:
            raise self.error(f"cannot cast {value!r} to {e.iri}")
        text, datatype = str(value), str(value.datatype or self.xsd.string)
        namespace, _hash, source = datatype.rpartition("#")
        if namespace != str(self.xsd).rstrip("#"):
            raise self.error(f"cannot cast {value!r} to {e.iri}")
        if source in ("string", "dateTimeStamp"):
            source = target if source == "string" else "dateTime"
        if source in self.instants.values():
            valid = self._on_timeline(value, source)
        else:
            form = xsdforms.TEMPORALS.get(source) or xsdforms.GREGORIAN.get(source)
            valid = form is not None and re.fullmatch(form, text) is not None
        if not valid:
            raise self.error(f"cannot cast {value!r} to {e.iri}")
        written = _cast_text(text, source, target)
        if written is None:
            raise self.error(f"cannot cast {value!r} to {e.iri}")
        return self.literal(written, datatype=e.iri)

    def to_string(self, e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """``xsd:string(x)``: an IRI's text, a literal's in its datatype's canonical form, as XPath casts it and a
        store gives it: ``xsd:string(1.50)`` is ``"1.5"``, of ``"01"^^xsd:integer`` ``"1"``, of ``1.5e-7``
        ``"0.00000015"``, of ``"1"^^xsd:boolean`` ``"true"``, of a date-time in ``+00:00`` its ``Z``, of
        ``PT90M`` ``PT1H30M``; of ``"a"@en`` the text alone. rdflib kept the lexical form, and the language."""
        if not e.expr or len(e.expr) != 1:
            raise self.error("a cast to xsd:string takes one value")
        value = self._value(e.expr[0])
        if isinstance(value, self.iri):
            return self.literal(str(value))
        if not isinstance(value, self.literal):
            raise self.error(f"cannot cast {value!r} to xsd:string")
        return self.literal(str(value) if value.language is not None else self._canonical_text(value))

    def _canonical_text(self, value: Any) -> str:  # noqa: ANN401 - a literal
        """``value``'s lexical form in its datatype's canonical form (see :meth:`to_string`); as written if it is
        ill-typed or of another datatype."""
        from decimal import Decimal  # noqa: PLC0415

        text, datatype, number = str(value), value.datatype, value.value
        local = str(datatype).rpartition("#")[2] if str(datatype).startswith(str(self.xsd)) else ""
        written = text
        if datatype is None or value.ill_typed:
            pass
        elif local in xsdforms.TEMPORALS and re.fullmatch(xsdforms.TEMPORALS[local], text):
            span = xsdforms.duration_span(text) if local.endswith("uration") else None
            zero = "P0M" if local == "yearMonthDuration" else "PT0S"
            written = xsdforms.canonical_instant(text) if span is None else xsdforms.canonical_duration(*span, zero)
        elif isinstance(number, bool) and datatype == self.xsd.boolean:
            written = "true" if number else "false"
        elif isinstance(number, int) and datatype in self.numbers:
            written = str(number)
        elif isinstance(number, Decimal) and number.is_finite():
            written = xsdforms.canonical_decimal(number)
        elif isinstance(number, float) and datatype in (self.xsd.double, self.xsd.float):
            written = _double_text(number, single=datatype == self.xsd.float)
        return written

    def _from_text(self, text: str, target: Any) -> Any:  # noqa: ANN401 - an IRI, a literal
        if target == self.xsd.boolean:
            if text not in _BOOLEANS:
                raise self.error(f"cannot cast {text!r} to xsd:boolean")
            return self.literal(_BOOLEANS[text])
        if not self.forms[target].fullmatch(text):
            raise self.error(f"{text!r} is not in the form of {target}")
        from decimal import Decimal  # noqa: PLC0415

        number: object = float(text) if target in (self.xsd.double, self.xsd.float) else Decimal(text)
        return self._from_number(number, target)

    def _from_number(self, number: Any, target: Any) -> Any:  # noqa: ANN401 - a Python number or bool, a literal
        import math  # noqa: PLC0415
        from decimal import Decimal  # noqa: PLC0415

        from kgraph.sortkey import INTEGER_RANGE  # noqa: PLC0415 - loaded by a query that casts

        if target == self.xsd.boolean:
            return self.literal(not (number == 0 or (isinstance(number, float) and math.isnan(number))))
        if target in (self.xsd.double, self.xsd.float):
            return self.literal(float(number), datatype=target)
        if isinstance(number, float) and not math.isfinite(number):
            raise self.error(f"cannot cast {number} to {target}")
        if target == self.xsd.integer:
            whole = int(number)  # toward zero, as XPath casts
            if whole not in INTEGER_RANGE:  # Oxigraph's 64 bits: a cast past them is an error there
                raise self.error(f"{whole} is past the 64 bits of an integer")
            return self.literal(whole, datatype=target)
        exact = (
            Decimal(repr(number))
            if isinstance(number, float)
            else Decimal(int(number) if isinstance(number, bool) else number)
        )
        return self.literal(format(exact.normalize(), "f"), datatype=self.xsd.decimal)

    def substring(self, e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """XPath's ``fn:substring`` with integers: the characters from position ``start`` (1 the first; one before
        it counts from there) for ``length`` of them."""
        text = self.operators.string(e.arg)
        start = self._integer(e.start)
        end = None if e.length is None else start + self._integer(e.length)
        first = max(start, 1) - 1
        last = None if end is None else max(end - 1, first)
        return self.literal(text[first:last], lang=text.language, datatype=text.datatype)

    def _integer(self, term: Any) -> int:  # noqa: ANN401 - an rdflib term
        if not (isinstance(term, self.literal) and isinstance(term.value, int) and not isinstance(term.value, bool)):
            raise self.error(f"SUBSTR takes integers: not {term!r}")
        return term.value

    def _compiled(self, pattern: Any, flags: Any, name: str) -> re.Pattern[str]:  # noqa: ANN401 - rdflib's terms
        """``pattern`` with XPath's ``flags`` (``s``, ``m``, ``i``, ``x``, ``q``), compiled; SPARQL's error for a flag
        XPath does not have, flags that are no simple literal, or a pattern that is no regular expression. rdflib
        read ``i``, ``s`` and ``m`` and passed over any other letter."""
        letters = "" if flags is None else self._string(flags, f"{name}'s flags")
        unknown = sorted(set(letters) - set("smixq"))
        if unknown:
            raise self.error(f"{name}: {''.join(unknown)!r} is no flag of XPath's (s, m, i, x, q)")
        text = str(self.operators.string(pattern))
        if "q" in letters:  # every character as itself; with q, m, s and x have no effect
            text, letters = re.escape(text), letters.replace("m", "").replace("s", "")
        elif "x" in letters:  # white space left out, but within a character class
            text = _without_white_space(text)
        known = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE}
        bits = 0
        for letter in letters:
            bits |= known.get(letter, 0)
        try:
            return re.compile(text, bits)
        except re.error as failed:
            raise self.error(f"{str(pattern)!r} is no regular expression: {failed}") from failed

    def regex(self, e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """``REGEX(text, pattern, flags)``, with XPath's flags (:meth:`_compiled`)."""
        text = self.operators.string(e.text)
        compiled = self._compiled(e.pattern, e.flags, "REGEX")
        return self.literal(compiled.search(text) is not None)

    def replace(self, e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """``REPLACE(text, pattern, replacement, flags)``: XPath's flags, as ``REGEX`` reads them (``q`` quotes the
        pattern, as a store reads it, not the replacement); ``$0`` to ``$9`` the whole match and its groups. rdflib
        gave the flags to Python's ``re.sub`` where its count of replacements goes (rdflib issue #3511):
        ``REPLACE("aAaA", "a", "x", "i")`` was ``xAxA``, at most two (``re.IGNORECASE`` is 2) replaced and case
        mattering, where SPARQL and a store say ``xxxx``."""
        text = self.operators.string(e.arg)
        compiled = self._compiled(e.pattern, e.flags, "REPLACE")
        given = str(self.operators.string(e.replacement))
        replacement = re.sub(r"\$([0-9])", r"\\g<\1>", given)
        try:
            replaced = compiled.sub(replacement, text)
        except (re.error, IndexError) as failed:
            raise self.error(f"REPLACE with {str(e.pattern)!r} and {given!r}: {failed}") from failed
        return self.literal(replaced, datatype=text.datatype, lang=text.language)

    def conjunction(self, e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """``a && b``: false if either is false, even if the other is an error; else an error if either is one."""
        if e.other is None:
            return e.expr
        failed: Exception | None = None
        for operand in [e.expr, *e.other]:
            try:
                if not self.truth(operand):
                    return self.literal(False)
            except self.error as error:
                failed = error
        if failed is not None:
            raise failed
        return self.literal(True)

    def timezone(self, e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """A date-time's time zone as an ``xsd:dayTimeDuration``, from its text: rdflib's lost the minutes
        (``+05:30`` was ``PT5H``). A date's, a time's and a Gregorian part's too, as Oxigraph gives them; an error
        for one without a time zone."""
        from decimal import Decimal  # noqa: PLC0415

        zone = self._zone_of(e.arg, "TIMEZONE")
        if not zone:
            raise self.error(f"TIMEZONE of {e.arg!r}: no time zone")
        return self.literal(
            xsdforms.canonical_duration(0, Decimal(xsdforms.zone_seconds(zone)), "PT0S"),
            datatype=self.xsd.dayTimeDuration,
        )

    def tz(self, e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """``TZ``: a date-time's time zone as written, ``Z`` for UTC (``+00:00`` too), ``""`` for none; of a date, a
        time and a Gregorian part too, as Oxigraph gives it. rdflib's read Python's value: none of a date, of a
        year past 9999, nor of 24:00:00."""
        zone = self._zone_of(e.arg, "TZ")
        return self.literal("Z" if zone in ("+00:00", "-00:00") else zone)

    def _zone_of(self, term: Any, function: str) -> str:  # noqa: ANN401 - an rdflib term
        """The time zone ``term`` is written with (``""`` if none), if it is a date, date-time, time or Gregorian
        part of a date in its XSD form; else SPARQL's error for ``function``."""
        local = str(getattr(term, "datatype", "")).rpartition("#")[2] if isinstance(term, self.literal) else ""
        kind = "dateTime" if local == "dateTimeStamp" else local
        if kind in self.instants.values():
            valid = self._on_timeline(term, kind)
        else:
            valid = kind in xsdforms.GREGORIAN and re.fullmatch(xsdforms.GREGORIAN[kind], str(term)) is not None
        if not valid or not str(term.datatype).startswith(str(self.xsd)):
            raise self.error(f"{function} of {term!r}: no date, date-time or time")
        found = re.search(r"(?:Z|[+-][0-9]{2}:[0-9]{2})\Z", str(term))
        return "" if found is None else found.group()

    def numeric(self, e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """Whether a term is a number: a literal of a numeric datatype that is no ill-typed one."""
        term = self._value(e.arg)
        valid = isinstance(term, self.literal) and term.datatype in self.numbers and not term.ill_typed
        return self.literal(valid and term.value is not None)

    def date_part(self, part: str) -> Callable[[Any, Any], Any]:
        """``YEAR``, ``MONTH``, ``DAY``, ``HOURS``, ``MINUTES`` or ``SECONDS`` (``part``) of a date, date-time or
        time, read from its text: rdflib read Python's value, which stops at the microsecond (``SECONDS`` of
        ``01.123456789`` was ``1.123456``) and has no year before 1 or after 9999 (``YEAR`` of
        ``"-0044-03-15T00:00:00"^^xsd:dateTime`` stopped the query). 24:00:00 is midnight of the next day, as XSD
        says and a store reads it (``DAY("2025-12-31T24:00:00Z"^^xsd:dateTime)`` is 1)."""
        from decimal import Decimal  # noqa: PLC0415

        group = _DATE_PARTS[part]
        forms = {datatype: re.compile(xsdforms.TEMPORALS[datatype.split("#")[1]]) for datatype in self.dated}
        gregorian = {str(self.xsd[name]): re.compile(form) for name, form in xsdforms.GREGORIAN.items()}
        named = part.lower() if part in ("YEAR", "MONTH", "DAY") else None

        def read(e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
            term = e.arg
            text = str(term)
            datatype = str(getattr(term, "datatype", None))
            if datatype in gregorian:
                return self._gregorian_part(term, gregorian[datatype], named, part)
            form = forms.get(datatype)
            if form is not None and "24:00:00" in text:
                text = xsdforms.canonical_instant(text)  # the next day's midnight
            found = _TIMELINE.fullmatch(text) if form is not None and form.fullmatch(text) else None
            value = None if found is None or not _on_the_calendar(found) else found.group(group)
            if value is None:
                raise self.error(f"{part} of {term!r}: no such part of a date, date-time or time")
            return self.literal(Decimal(value)) if part == "SECONDS" else self.literal(int(value))

        return read

    def _gregorian_part(self, term: Any, form: re.Pattern[str], named: str | None, part: str) -> Any:  # noqa: ANN401
        """``YEAR``, ``MONTH`` or ``DAY`` (``named``, lower case; ``part`` as written) of a Gregorian part of a date
        (``YEAR("2025"^^xsd:gYear)`` is 2025, ``DAY("--12-31"^^xsd:gMonthDay)`` 31), as Oxigraph reads them; an
        error for a part it does not have (``DAY`` of a ``gYearMonth``, ``HOURS`` of any)."""
        found = form.fullmatch(str(term))
        parts = {} if found is None else found.groupdict()
        value = None if named is None else parts.get(named)
        day, month = parts.get("day"), parts.get("month")
        if day and month and int(day) > xsdforms.days_in_month(2000, int(month)):  # in a leap year: --02-29 is one
            value = None  # --02-30: no day of the calendar
        if value is None:
            raise self.error(f"{part} of {term!r}: no such part of it")
        return self.literal(int(value))

    def _value(self, term: Any) -> Any:  # noqa: ANN401 - an rdflib term, or SPARQL's error as rdflib passes one
        """``term``, or the error it is raised: rdflib hands a function an argument whose evaluation failed as an
        error object, which ``isBLANK``, ``isIRI``, ``isLITERAL``, ``isNUMERIC`` and ``sameTerm`` answered false
        (``isBlank(1/0)``), where SPARQL's error goes on (17.2) and Oxigraph leaves the result unbound."""
        if isinstance(term, self.error):
            raise term
        return term

    def kind_test(self, kind: type) -> Callable[[Any, Any], Any]:
        """``isIRI``/``isURI``, ``isBLANK`` or ``isLITERAL``: whether a term is of ``kind``, an error for an error."""

        def evaluate(e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
            return self.literal(isinstance(self._value(e.arg), kind))

        return evaluate

    def _string(self, term: Any, where: str) -> str:  # noqa: ANN401 - an rdflib term
        """The text of a simple literal or an ``xsd:string`` (the same term, in RDF 1.1); SPARQL's error for any
        other term, which ``where`` (the function and its argument) does not take."""
        if isinstance(term, self.literal) and term.language is None and term.datatype in (None, self.xsd.string):
            return str(term)
        raise self.error(f"{where} takes a simple literal or xsd:string, not {term!r}")

    def digest(self, name: str) -> Callable[[Any, Any], Any]:
        """``MD5``, ``SHA1``, ``SHA256``, ``SHA384`` or ``SHA512`` (``name``) of a simple literal or ``xsd:string``:
        rdflib took a language-tagged text too, where SPARQL (17.4.6) and Oxigraph leave the result unbound."""
        import hashlib  # noqa: PLC0415

        algorithm = name.lower()

        def evaluate(e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
            text = self._string(e.arg, name)
            return self.literal(hashlib.new(algorithm, text.encode("utf-8")).hexdigest())

        return evaluate

    def typed(self, e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """``STRDT(text, datatype)``: rdflib took any term for either (``STRDT("a"@en, xsd:string)`` was ``"a"``,
        ``STRDT("a", "x")`` a literal of datatype ``<x>``)."""
        text, datatype = self._string(e.arg1, "STRDT's text"), e.arg2
        if not isinstance(datatype, self.iri):
            raise self.error(f"STRDT's datatype must be an IRI, not {datatype!r}")
        return self.literal(text, datatype=datatype)

    def tagged(self, e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """``STRLANG(text, tag)``: rdflib refused an ``xsd:string`` text (the same term as a simple literal) and
        took a language-tagged tag."""
        text, tag = self._string(e.arg1, "STRLANG's text"), self._string(e.arg2, "STRLANG's language tag")
        if not tag:
            raise self.error("STRLANG's language tag is empty")
        return self.literal(text, lang=tag)

    def blank(self, e: Any, ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and blank node
        """``BNODE()``, or ``BNODE(text)``: the same blank node for the same text in a solution. rdflib took any
        literal (``BNODE(1)``, ``BNODE("x"@en)``) and made two of ``"x"`` and ``"x"^^xsd:string``."""
        if e.arg is None:
            return self.bnode()
        return ctx.bnodes[self.literal(self._string(e.arg, "BNODE"))]

    def same_term(self, e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """``sameTerm(a, b)``, with a simple literal and the ``xsd:string`` of the same text one term, as RDF 1.1
        has them (rdflib's terms are two)."""
        return self.literal(self._plain(self._value(e.arg1)) == self._plain(self._value(e.arg2)))

    def text_of(self, e: Any, _ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """``STR(term)``: the text of an IRI or a literal; an error for a blank node, which has none (rdflib gave
        its label, which a store does not)."""
        term = self._value(e.arg)
        if isinstance(term, self.bnode):
            raise self.error(f"STR of the blank node {term.n3()}: a blank node has no text")
        return self.literal(str(term))

    def additive(self, function: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        """``a + b - c``: of durations, their sum as a store gives it (:meth:`_durations`); of a date, date-time or
        time and durations, the instant they reach (:meth:`_shifted`); anything else (numbers, the difference of
        two dates) by ``function``, rdflib's, given the operands as evaluated once here."""
        from rdflib import Variable  # noqa: PLC0415
        from rdflib.plugins.sparql.parserutils import CompValue  # noqa: PLC0415

        spans = {self.xsd.duration, self.xsd.dayTimeDuration, self.xsd.yearMonthDuration}
        timed = spans | self.instants.keys()

        def evaluate(e: Any, ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
            if dict.get(e, "other") is None:
                return e.expr
            raw = dict.get(e, "expr")  # as parsed: a constant or a variable is looked at without evaluating it
            if isinstance(raw, Variable):
                raw = ctx.get(raw)
            if not isinstance(raw, CompValue) and not (isinstance(raw, self.literal) and raw.datatype in timed):
                return function(e, ctx)  # the common case: numbers, evaluated by rdflib alone
            terms = [e.expr, *e.other]  # an expression first is evaluated once, here
            if all(isinstance(term, self.literal) and term.datatype in spans for term in terms):
                return self._durations(list(e.op), terms)
            shifted = self._shifted(list(e.op), terms, spans)
            if shifted is not None:
                return shifted
            evaluated = e.clone()  # a CompValue without a context gives its values as they are
            evaluated["expr"], evaluated["other"] = terms[0], terms[1:]
            return function(evaluated, ctx)

        return evaluate

    def signed(self, function: Callable[[Any, Any], Any], *, negated: bool) -> Callable[[Any, Any], Any]:
        """``-x`` (``negated``) or ``+x``: of a duration, the duration the other way (``-"PT1H"^^xsd:dayTimeDuration``
        is ``-PT1H``) or itself, in the canonical form, as a store gives it (rdflib's took numbers alone); of
        anything else, rdflib's ``function``, given the operand as evaluated once here."""
        spans = {self.xsd.duration, self.xsd.dayTimeDuration, self.xsd.yearMonthDuration}

        def evaluate(e: Any, ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
            term = e.expr
            if not (isinstance(term, self.literal) and term.datatype in spans):
                evaluated = e.clone()  # a CompValue without a context gives its value as it is
                evaluated["expr"] = term
                return function(evaluated, ctx)
            span = self._span(term)
            months, seconds = (-span[0], -span[1]) if negated else span
            zero = "P0M" if term.datatype == self.xsd.yearMonthDuration else "PT0S"
            return self.literal(xsdforms.canonical_duration(months, seconds, zero), datatype=term.datatype)

        return evaluate

    def _shifted(self, ops: list[str], terms: list[Any], spans: set[Any]) -> Any:  # noqa: ANN401 - literals
        """``terms`` joined by ``ops`` if they are one date, date-time or time and durations, the instant first or,
        added, second (``?start + "P1D"^^xsd:dayTimeDuration``): the instant they reach, one duration after the
        other, of the instant's datatype, in its canonical form, every digit of the seconds kept
        (:func:`kgraph.xsdforms.shifted_instant`); None for other terms. rdflib added them with Python's values:
        ``+00:00`` for ``Z``, microseconds at most, a date's time zone dropped, and no time or year past 9999."""
        kinds = [self._kind(term, spans) for term in terms]
        if ops == ["-"] and kinds[0] == kinds[1] and kinds[0] not in (None, "duration"):
            return self._apart(terms[0], terms[1], str(kinds[0]))
        if None in kinds or kinds.count("duration") != len(kinds) - 1:
            return None
        at = next(index for index, kind in enumerate(kinds) if kind != "duration")
        if at > 1 or (at == 1 and ops[0] != "+"):
            return None
        instant, kind = terms[at], str(kinds[at])
        if not self._on_timeline(instant, kind):
            raise self.error(f"{instant!r} is no {kind} in XSD's form")
        text = str(instant)
        steps = ([("+", terms[0])] if at == 1 else []) + list(zip(ops[at:], terms[at + 1 :], strict=True))
        for op, term in steps:
            span = self._span(term)
            months, seconds = span if op == "+" else (-span[0], -span[1])
            shifted = xsdforms.shifted_instant(text, kind, months, seconds)
            if shifted is None:
                raise self.error(f"a time has no months to add: {instant!r} {op} {term!r}")
            text = shifted
        return self.literal(text, datatype=instant.datatype)

    def _apart(self, later: Any, earlier: Any, kind: str) -> Any:  # noqa: ANN401 - literals, a literal
        """``later - earlier``, two dates, date-times or times of ``kind``: an ``xsd:dayTimeDuration``, from their
        texts (:func:`kgraph.xsdforms.instants_apart`). rdflib's, from Python's values, kept microseconds at most
        and had no year before 1 or after 9999."""
        for term in (later, earlier):
            if not self._on_timeline(term, kind):
                raise self.error(f"{term!r} is no {kind} in XSD's form")
        written = xsdforms.instants_apart(str(later), str(earlier))
        if written is None:
            raise self.error(f"cannot subtract {earlier!r} from {later!r}: one has a time zone, the other none")
        return self.literal(written, datatype=self.xsd.dayTimeDuration)

    def _span(self, term: Any) -> tuple[int, Any]:  # noqa: ANN401 - a literal of a duration datatype
        """The months and seconds of ``term``, a duration in the XSD form of its own datatype; SPARQL's error for
        another (``"P1Y"^^xsd:dayTimeDuration``, which the general form takes: it was summed, and negated, into
        more ill-typed durations, where a store gives no value)."""
        span = xsdforms.duration_span(str(term)) if in_duration_form(str(term.datatype), str(term)) else None
        if span is None:
            raise self.error(f"{term!r} is no {term.datatype} in XSD's form")
        return span

    def _kind(self, term: Any, spans: set[Any]) -> str | None:  # noqa: ANN401 - an rdflib term
        """``"duration"``, the local name of a date, date-time or time type, or None, for ``term``."""
        if not isinstance(term, self.literal):
            return None
        datatype = term.datatype
        return "duration" if datatype in spans else None if datatype is None else self.instants.get(datatype)

    def _on_timeline(self, term: Any, kind: str) -> bool:  # noqa: ANN401 - a literal
        """Whether ``term``'s text is a ``kind`` (date, dateTime, time) in XSD's form, a day of the calendar."""
        text = str(term)
        if not re.fullmatch(xsdforms.TEMPORALS[kind], text):
            return False
        found = _TIMELINE.fullmatch(text)
        return found is not None and _on_the_calendar(found)

    def _durations(self, ops: list[str], terms: list[Any]) -> Any:  # noqa: ANN401 - literals, a literal
        """The sum (and differences) of durations, as Oxigraph gives it: months and seconds apart, every digit of
        the seconds kept; a ``dayTimeDuration`` of ``dayTimeDuration`` only, a ``yearMonthDuration`` of those only,
        else a ``duration``; an error where the months and the seconds would have two signs (``P1M - P1D``),
        which no duration has. rdflib added no two durations (``?end - ?start`` of two section times)."""
        from decimal import Decimal, localcontext  # noqa: PLC0415

        months, seconds = 0, Decimal(0)
        with localcontext() as context:
            context.prec = 200  # every digit: a fraction of a second as written
            for index, term in enumerate(terms):
                found = self._span(term)
                sign = -1 if index > 0 and ops[index - 1] == "-" else 1
                months, seconds = months + sign * found[0], seconds + sign * found[1]
        if (months > 0 and seconds < 0) or (months < 0 and seconds > 0):
            raise self.error("a sum of durations whose months and seconds have two signs is no duration")
        kinds = {term.datatype for term in terms}
        datatype = kinds.pop() if len(kinds) == 1 else self.xsd.duration
        zero = "P0M" if datatype == self.xsd.yearMonthDuration else "PT0S"
        return self.literal(xsdforms.canonical_duration(months, seconds, zero), datatype=datatype)

    def now(self, _e: Any, ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        """``NOW()``, the query's one instant, in the canonical form a store writes (``...T08:06:52.623218Z``):
        rdflib wrote Python's ``+00:00`` and the microseconds' trailing zeros."""
        return self.literal(xsdforms.canonical_instant(ctx.now.isoformat()), datatype=self.xsd.dateTime)

    def difference(self, first: Any, second: Any) -> Any:  # noqa: ANN401 - Python dates or times, a literal
        """``first - second`` of two dates, date-times or times: an ``xsd:dayTimeDuration``, as XPath's
        ``op:subtract-dateTimes`` says and a store gives (rdflib's was an ``xsd:duration``)."""
        from datetime import date, datetime, time  # noqa: PLC0415

        if isinstance(first, time) and isinstance(second, time):  # Python subtracts no times: on one day
            first, second = datetime.combine(date(2000, 1, 1), first), datetime.combine(date(2000, 1, 1), second)
        try:
            return self.literal(first - second, datatype=self.xsd.dayTimeDuration)
        except TypeError as failed:  # one with a time zone, one without
            raise self.error(f"cannot subtract {second!r} from {first!r}: {failed}") from failed

    def _plain(self, term: Any) -> Any:  # noqa: ANN401 - an rdflib term
        if isinstance(term, self.literal) and term.datatype == self.xsd.string and term.language is None:
            return self.literal(str(term))
        return term

    def rounded(self, function: Callable[[Any, Any], Any], name: str) -> Callable[[Any, Any], Any]:
        """``CEIL``, ``FLOOR`` or ``ROUND`` (``name``; rdflib's ``function`` for any other number): of a double or
        float, a double or float, written as one (``CEIL(1.5e0)`` is ``2.0``; rdflib wrote ``"2"^^xsd:double``, its
        integer's digits), a zero with the number's sign, and infinite or NaN as it was (rdflib stopped at them)."""
        import math  # noqa: PLC0415

        apply: Callable[[float], float] = {"CEIL": math.ceil, "FLOOR": math.floor}.get(
            name,
            lambda value: math.floor(value + 0.5),  # ROUND: a half goes up (fn:round), -2.5 to -2
        )
        reals = (self.xsd.double, self.xsd.float)

        def evaluate(e: Any, ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
            term = self._value(e.arg)
            if not isinstance(term, self.literal) or term.datatype not in reals:
                return function(e, ctx)
            if term.ill_typed or not isinstance(term.value, float):
                raise self.error(f"{name} of the ill-typed {term!r}")
            if not math.isfinite(term.value):
                return term
            result = float(apply(term.value))  # zero keeps the sign: CEIL(-0.5e0) is -0.0, as XPath says
            return self.literal(math.copysign(result, term.value) if result == 0 else result, datatype=term.datatype)

        return evaluate

    def of_no_values(self, function: Callable[[Any, Any], Any], name: str) -> Callable[[Any, Any], Any]:
        """``COALESCE()`` or ``CONCAT()`` (``name``) with no value: rdflib's parser gives an empty list as
        ``rdf:nil``, an IRI whose characters the two took for the values, so ``COALESCE()`` bound a character that
        is no RDF term (a traceback as the answer was written) and ``CONCAT()`` failed. SPARQL's ``CONCAT()`` is
        ``""``, its ``COALESCE()`` an error, as on a store."""
        from rdflib.namespace import RDF  # noqa: PLC0415

        def evaluate(e: Any, ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and term
            if dict.get(e, "arg") != RDF.nil:  # as parsed, not evaluated (rdflib's get evaluates it)
                return function(e, ctx)
            if name == "CONCAT":
                return self.literal("")
            raise self.error("COALESCE() has no value")

        return evaluate

    def guarded(self, function: Callable[[Any, Any], Any], name: str) -> Callable[[Any, Any], Any]:
        """``function``, one of rdflib's builtins, with a Python error it raises on a value it cannot handle
        (``STRLANG("a", "x y")``: a ValueError) made SPARQL's error, which leaves its result unbound, rather than
        stopping the query."""

        def evaluate(e: Any, ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and term
            try:
                return function(e, ctx)
            except (ValueError, TypeError, AttributeError, ArithmeticError, LookupError) as failed:
                if isinstance(failed, self.error):
                    raise
                raise self.error(f"{name}: {failed}") from failed

        evaluate.kgraph_functions = True  # type: ignore[attr-defined] # sparql_functions has run
        return evaluate

    def truth(self, term: Any) -> bool:  # noqa: ANN401 - an rdflib term, or an error
        """SPARQL's effective boolean value: rdflib's, but false for a double or float that is NaN, and an error for
        an ill-typed boolean (``" true "^^xsd:boolean``), as for an ill-typed number and as on a store: rdflib took
        the text's for it, true but for an empty one."""
        import math  # noqa: PLC0415

        if isinstance(term, self.literal) and isinstance(term.value, float) and math.isnan(term.value):
            return False
        if isinstance(term, self.literal) and term.datatype == self.xsd.boolean and term.ill_typed:
            raise self.error(f"{term!r} is not a valid xsd:boolean: it has no boolean value")
        return bool(self.ebv(term))


#: XSD's durations (local names), which rdflib's FILTER comparisons refused (none is among its XSD types).
_DURATIONS = ("duration", "dayTimeDuration", "yearMonthDuration")
#: The date-times XSD 1.1 adds each duration to, to compare two: the order holds only if it is the same for all four.
_DURATION_REFERENCES = ((1696, 9), (1697, 2), (1903, 3), (1903, 7))


def _compare_durations(left: str, right: str) -> int | None:
    """-1, 0 or 1 as XSD 1.1 orders two durations, from their texts (added to four date-times, the same order each
    time), every digit of their seconds and any length; None if they have no order (``P1M`` and ``P30D``: a month
    is 28 to 31 days). rdflib's values kept microseconds at most and no more than 999,999,999 days."""
    from decimal import Decimal, localcontext  # noqa: PLC0415

    a, b = xsdforms.duration_span(left), xsdforms.duration_span(right)
    if a is None or b is None:
        return None

    def after(year: int, month: int, months: int, seconds: Decimal) -> Decimal:
        years, month_index = divmod(year * 12 + month - 1 + months, 12)
        return Decimal(xsdforms.days_from_civil(years, month_index + 1, 1) * 86400) + seconds

    with localcontext() as context:
        context.prec = 200  # every digit
        orders = {
            (x > y) - (x < y)
            for x, y in ((after(year, month, *a), after(year, month, *b)) for year, month in _DURATION_REFERENCES)
        }
    return orders.pop() if len(orders) == 1 else None


#: How far a date or time without a time zone may be from the same one in UTC: XSD's offsets go to 14 hours.
_FOURTEEN_HOURS = 14 * 3600


class _Relations:
    """SPARQL's comparisons as a store (Oxigraph) makes them, where rdflib's differ (:func:`comparable_values`);
    every other comparison is rdflib's ``RelationalExpression``."""

    def __init__(self) -> None:
        from rdflib import Literal, Variable  # noqa: PLC0415
        from rdflib.namespace import RDF, XSD  # noqa: PLC0415
        from rdflib.plugins.sparql import operators  # noqa: PLC0415
        from rdflib.plugins.sparql.sparql import SPARQLError  # noqa: PLC0415
        from rdflib.term import _NUMERIC_LITERAL_TYPES, XSDToPython  # noqa: PLC0415

        from kgraph.sortkey import instant  # noqa: PLC0415 - loaded by a query that compares

        self.instant = instant
        self.literal, self.error, self.nil, self.xsd = Literal, SPARQLError, RDF.nil, XSD
        self.variable = Variable
        self.original: Callable[[Any, Any], Any] = operators.RelationalExpression
        self.numbers, self.read = _NUMERIC_LITERAL_TYPES, XSDToPython
        self.durations = {XSD[name] for name in _DURATIONS}
        self.timeline = {XSD.date, XSD.dateTime, XSD.time} | {XSD[name] for name in xsdforms.GREGORIAN}
        #: The datatypes whose literals have values Oxigraph compares (a plain literal's is xsd:string).
        self.valued = {
            *self.timeline,
            *self.durations,
            *(XSD[name] for name in (*xsdforms.NUMBERS, "string", "boolean", "dateTimeStamp")),
        }

    def kind(self, term: Any) -> object:  # noqa: ANN401 - an rdflib literal
        datatype = term.datatype
        if datatype is None or datatype == self.xsd.string:
            return "string"
        if datatype in self.numbers:
            return "number"
        if datatype in self.durations:
            return "duration"
        if datatype == self.xsd.dateTimeStamp:
            return self.xsd.dateTime
        return datatype

    def ill_typed(self, term: Any) -> bool:  # noqa: ANN401 - an rdflib literal
        # A literal the SPARQL parser made has ill_typed None: an XSD value rdflib could not read is None too.
        return bool(term.ill_typed) or (term.value is None and term.datatype in self.read)

    def relation(self, left: Any, right: Any, op: str, ctx: Any) -> Any:  # noqa: ANN401 - terms, context, literal
        """``left op right``, each a value already worked out (``right`` a list for ``IN``)."""
        if op in ("IN", "NOT IN"):
            return self.member(left, right, op, ctx)
        if right is None or not (isinstance(left, self.literal) and isinstance(right, self.literal)):
            return self.original(_Relation(left, right, op), ctx)
        if op in ("=", "!="):
            same = self.same_value(left, right)
            if same is not None:
                return self.literal(same == (op == "="))
            if not (left.language or right.language) and left != right and (self.opaque(left) or self.opaque(right)):
                raise self.error(f"cannot compare {left!r} {op} {right!r}: a value SPARQL has no equality for")
            return self.original(_Relation(left, right, op), ctx)
        order = self.order(left, right, op)
        return self.original(_Relation(left, right, op), ctx) if order is None else self.literal(_ordered(op, order))

    def order(self, left: Any, right: Any, op: str) -> int | None:  # noqa: ANN401 - rdflib literals
        """The order of two literals for ``<``, ``>``, ``<=`` or ``>=`` (``op``, named in errors): -1, 0 or 1; None
        where rdflib's comparison is SPARQL's already (numbers, texts, booleans)."""
        if left.language or right.language:
            if (left.language or "").lower() != (right.language or "").lower():
                raise self.error(f"cannot compare {left!r} {op} {right!r}: texts in different languages")
            # By their text, as Oxigraph does; rdflib refused "y"@EN >= "x"@en (a tag's case is no difference).
            return (str(left) > str(right)) - (str(left) < str(right))
        kinds = self.kind(left), self.kind(right)
        if kinds[0] == kinds[1] and kinds[0] in self.timeline:  # by XSD's form, whatever Python reads (below)
            order = self.compare_instants(left, right)
            if order is None:
                raise self.error(f"{left} and {right} have no order: an ill-typed value, or one time zone unknown")
            return order
        if kinds[0] == kinds[1] == "duration" and self.durations_in_form(left, right):  # a length Python lacks too
            order = _compare_durations(str(left), str(right))
            if order is None:
                raise self.error(f"the durations {left} and {right} have no order")
            return order
        if self.ill_typed(left) or self.ill_typed(right):
            raise self.error(f"cannot compare an ill-typed literal: {left!r} {op} {right!r}")
        if kinds[0] != kinds[1]:
            raise self.error(f"cannot compare {left!r} {op} {right!r}: values of different kinds")
        return None

    def durations_in_form(self, *terms: Any) -> bool:  # noqa: ANN401 - rdflib literals of duration datatypes
        """Whether every one of ``terms`` is in the XSD form of its duration datatype."""
        return all(in_duration_form(str(term.datatype), str(term)) for term in terms)

    def compare_instants(self, left: Any, right: Any) -> int | None:  # noqa: ANN401 - literals of one datatype
        """The order of two dates, date-times, times or Gregorian parts of a date (gYear, ...) of one datatype, every
        digit of their seconds counted, as Oxigraph orders them (XSD 1.1 Part 2, D.2.2): -1, 0 or 1; None for an
        ill-typed one, and for one with a time zone and one without within 14 hours of each other, either way."""
        first, second = self.instant(str(left), str(left.datatype)), self.instant(str(right), str(right.datatype))
        if first is None or second is None:
            return None
        (a, zoned), (b, other_zoned) = first, second
        if zoned != other_zoned and abs(a - b) <= _FOURTEEN_HOURS:
            return None
        return (a > b) - (a < b)

    def opaque(self, term: Any) -> bool:  # noqa: ANN401 - an rdflib literal without a language tag
        """Whether ``term`` has no value SPARQL (and Oxigraph) can tell equal to another literal's: ill-typed, or of
        a datatype with no value space there (``xsd:anyURI``, ``xsd:token``, ``xsd:hexBinary``, one's own)."""
        datatype = term.datatype
        if datatype is None:
            return False
        if self.kind(term) in self.timeline:
            return self.instant(str(term), str(datatype)) is None
        return self.ill_typed(term) or datatype not in self.valued

    def same_value(self, left: Any, right: Any) -> bool | None:  # noqa: ANN401 - rdflib literals
        """Whether two dates, date-times, times or Gregorian parts of a date are one value, every digit and time
        zone counted (one with a time zone and one without never are), or two durations of any of the three
        datatypes (``"PT1H"^^xsd:duration = "PT60M"^^xsd:dayTimeDuration``); None for any other pair, and for an
        ill-typed one (rdflib's ``=`` decides).

        A date or time is judged by XSD's form, not by whether Python holds its value (a year past 9999, a time of
        24:00:00) nor by the converters another library may have given rdflib (owlrl's take no year of five
        digits)."""
        kind = self.kind(left)
        if left.language or right.language or kind != self.kind(right):
            return None
        if kind in self.timeline:
            first, second = self.instant(str(left), str(left.datatype)), self.instant(str(right), str(right.datatype))
            return None if first is None or second is None else first == second
        if kind == "duration" and self.durations_in_form(left, right):
            return _compare_durations(str(left), str(right)) == 0
        return None

    def member(self, left: Any, items: Any, op: str, ctx: Any) -> Any:  # noqa: ANN401 - a term, a list, a context
        """``IN`` and ``NOT IN`` as SPARQL defines them, by ``=`` (``1.0 IN (1)`` holds, as on a store): rdflib
        compared terms (``1.0 IN (1)`` was false). No item equal and one an error is an error."""
        error: Exception | None = None
        for item in [] if items == self.nil else items:
            if isinstance(item, (self.variable, self.error)):  # unbound, or an expression's error
                error = item if isinstance(item, self.error) else self.error(f"{item} is unbound")
                continue
            try:
                if self.relation(left, item, "=", ctx).value is True:
                    return self.literal(op == "IN")
            except self.error as failed:
                error = failed
        if error is not None:
            raise error
        return self.literal(op == "NOT IN")


def _ordered(op: str, order: int) -> bool:
    """Whether ``op`` (``<``, ``>``, ``<=``, ``>=``) holds of two values in the ``order`` -1, 0 or 1."""
    return {"<": order < 0, ">": order > 0, "<=": order <= 0, ">=": order >= 0}[op]


class _Relation:
    """A comparison of two values already worked out, in the shape of the expression rdflib's own
    ``RelationalExpression`` reads (``expr``, ``other``, ``op``)."""

    __slots__ = ("expr", "op", "other")

    def __init__(self, expr: object, other: object, op: str) -> None:
        self.expr, self.other, self.op = expr, other, op


def comparable_values() -> None:
    """Make rdflib's ``<``, ``>``, ``<=`` and ``>=`` in expressions compare as SPARQL says, and Oxigraph (``--store``)
    does: two durations by their length; dates, date-times, times and the Gregorian parts of a date by their instant,
    every digit and time zone counted (``_Relations.compare_instants``); a number and a date-time, or values of any two
    other kinds, not at all (an error, so that FILTER drops the row), nor texts in two languages, or with and without
    one; an ill-typed literal (``"abc"^^xsd:integer``) with nothing.

    rdflib refused to compare durations (``"PT5M"^^xsd:duration < "PT30M"^^xsd:duration`` was an error, so no section of
    the bundled data started in its first 30 minutes) and the Gregorian parts of a date (``"2019"^^xsd:gYear <
    "2021"^^xsd:gYear``, which a store finds true), compared a date-time past the microsecond as Python holds it, and
    one without a time zone as in UTC, and compared literals of different kinds by the order it sorts them in (``4.4 >
    "2025-01-01T00:00:00Z"^^xsd:dateTime`` was true). Booleans stay ordered, as SPARQL says (Oxigraph refuses ``true >
    false``). Idempotent; kgraph's query parser calls it, before it parses (rdflib's parser keeps the function it
    evaluates a comparison with).
    """
    from rdflib.plugins.sparql import parser  # noqa: PLC0415

    if getattr(parser.RelationalExpression.evalfn, "kgraph_compared", False):
        return
    relations = _Relations()

    def compare(e: Any, ctx: Any) -> Any:  # noqa: ANN401 - rdflib's expression, context and literal
        # IN's list with an unbound variable as itself, not an error before any item is compared
        other = e.get("other", variables=True) if e.op in ("IN", "NOT IN") else e.other
        return relations.relation(e.expr, other, e.op, ctx)

    compare.kgraph_compared = True  # type: ignore[attr-defined]
    parser.RelationalExpression.setEvalFn(compare)


#: glibc's ``mallopt`` parameter for the most malloc arenas (``M_ARENA_MAX`` in malloc.h).
_M_ARENA_MAX = -8


def one_malloc_arena() -> bool:
    """Have every thread the process starts from now on allocate from the C allocator's main arena, as the main
    thread does: ``mallopt(M_ARENA_MAX, 1)``, what ``MALLOC_ARENA_MAX=1`` sets at start-up. True when set.

    For ``export neo4j`` on a store: its worker thread has Oxigraph answer the next chunk's query while the main
    thread maps the current one. In an arena of its own, what Oxigraph allocates there never reuses what was freed
    in the main thread's, and the reverse: at 1M triples the two arenas held about 30 MB more at the peak. glibc
    fixes the limit the first time it is reached, so it holds for the rest of the process: a command's process (the
    CLI calls it), never a library's caller. Nothing (False) where the C library is not glibc (musl, macOS,
    Windows), when the user set the arenas (``MALLOC_ARENA_MAX`` or a ``GLIBC_TUNABLES`` arena setting), or when
    the call fails.
    """
    if "MALLOC_ARENA_MAX" in os.environ or "arena_max" in os.environ.get("GLIBC_TUNABLES", ""):
        return False
    libc = _glibc()
    if libc is None:
        return False
    import ctypes  # noqa: PLC0415 - only for a command that starts threads

    mallopt = libc.mallopt
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_ARENA_MAX, 1))


def release_free_memory() -> bool:
    """Give the memory the C allocator holds free back to the system: glibc's ``malloc_trim(0)``, which releases
    the free pages of every thread's arena, not only the top of the main one. True when called.

    For ``validate`` on a store, once its copy of what SHACL checks is loaded: the copy's two loader threads
    allocated and freed a few hundred MB in their own arenas, which no later allocation of the main thread reuses,
    so they stayed in the process's resident memory under pySHACL's own (at 1M triples about 40 MB of the peak, and
    about 20 MB after this). Nothing (False) where the C library is not glibc or the call fails.
    """
    libc = _glibc()
    if libc is None:
        return False
    import ctypes  # noqa: PLC0415 - only for a command that started threads

    trim = libc.malloc_trim
    trim.argtypes = (ctypes.c_size_t,)
    trim.restype = ctypes.c_int
    trim(0)
    return True


def _glibc() -> Any:  # noqa: ANN401 - a ctypes.CDLL
    """The process's C library when it is glibc on Linux, whose malloc tunables :func:`one_malloc_arena` and
    :func:`release_free_memory` call (another C library's ``mallopt`` may mean another thing); else None (musl,
    macOS, Windows, or no C library to open)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes  # noqa: PLC0415 - only for a command that starts threads

        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 - glibc's own
        libc.mallopt, libc.malloc_trim  # noqa: B018 - both there, or neither function is called
    except (OSError, AttributeError):
        return None
    return libc


def memory_index(graph: Any) -> tuple[set[Any], set[Any]] | None:  # noqa: ANN401 - an rdflib Graph
    """The distinct predicates of ``graph`` and the distinct objects of its ``rdf:type`` triples, read from the
    index of rdflib's in-memory store (``Memory``: predicate, then object, then subjects), without a pass over the
    triples (rdflib's ``predicates(unique=True)`` reads every one: 0.2 s at 100k triples, for some 40 predicates);
    None for another store, or if this rdflib keeps its index elsewhere. A triple removed leaves its predicate and
    object in the index with no subject: those are left out."""
    from rdflib.namespace import RDF  # noqa: PLC0415 - rdflib's, as the other work-arounds import it
    from rdflib.plugins.stores.memory import Memory  # noqa: PLC0415

    store = graph.store
    index = getattr(store, "_Memory__pos", None) if type(store) is Memory else None
    if not isinstance(index, dict):
        return None
    predicates = {p for p, objects in index.items() if any(objects.values())}
    classes = {o for o, subjects in index.get(RDF.type, {}).items() if subjects}
    return predicates, classes

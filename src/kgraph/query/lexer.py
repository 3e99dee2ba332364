"""A small SPARQL tokenizer: enough to locate things in a query's text that rdflib's parser does not report.

rdflib parses a query into an algebra that keeps no positions. Three things need the text itself: the line and
column of an undeclared prefix, the order in which variables first appear (for ``SELECT *``, whose columns
rdflib lists in no fixed order), and the opening brace of the WHERE clause (where a ``VALUES`` block carries
parameters to a remote endpoint). Comments, strings and IRIs are recognised so that nothing inside them is taken
for a prefix, a variable or a brace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# SPARQL's name characters, closely enough: \w (Unicode letters and digits, _) and the few others the grammar
# allows. The grammar's exact ranges make a pattern that takes 20 ms to compile, longer than most queries run.
_EXTRA = "\u00b7\u0300-\u036f\u203f\u2040"
_TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w{_EXTRA}]+)
  | (?P<bnode>_:[\w.{_EXTRA}-]*)
  | (?P<pname>(?:[^\W\d_](?:[\w.{_EXTRA}-]*[\w{_EXTRA}-])?)?:(?:[\w:.%\\{_EXTRA}-]*[\w:%{_EXTRA}-])?)
  | (?P<word>[^\W\d]\w*)
  | (?P<punct>[{{}}()\[\],;.])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

#: What may stand between ``<`` and ``>`` of an IRI in SPARQL, unescaped.
IRI_CHARACTERS = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')

#: Keywords that start a query form.
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})


#: The words of SPARQL 1.1's grammar (keywords, built-in functions, ``a``, ``true``, ``false``), in capitals: any
#: other word without a prefix (``Chip``) is no term of the language.
KEYWORDS = frozenset(
    """
    A ABS ADD ALL AS ASC ASK AVG BASE BIND BNODE BOUND BY CEIL CLEAR COALESCE CONCAT CONSTRUCT CONTAINS COPY COUNT
    CREATE DATA DATATYPE DAY DEFAULT DELETE DESC DESCRIBE DISTINCT DROP ENCODE_FOR_URI EXISTS FALSE FILTER FLOOR
    FROM GRAPH GROUP GROUP_CONCAT HAVING HOURS IF IN INSERT INTO IRI ISBLANK ISIRI ISLITERAL ISNUMERIC ISURI LANG
    LANGMATCHES LCASE LIMIT LOAD MAX MD5 MIN MINUS MINUTES MONTH MOVE NAMED NOT NOW OFFSET OPTIONAL ORDER PREFIX
    RAND REDUCED REGEX REPLACE ROUND SAMETERM SAMPLE SECONDS SELECT SEPARATOR SERVICE SHA1 SHA256 SHA384 SHA512
    SILENT STR STRAFTER STRBEFORE STRDT STRENDS STRLANG STRLEN STRSTARTS STRUUID SUBSTR SUM TIMEZONE TO TRUE TZ
    UCASE UNDEF UNION URI USING UUID VALUES WHERE WITH YEAR
    """.split()  # noqa: SIM905 - a hundred and twenty words read better so than one a line
)


@dataclass(frozen=True)
class Token:
    """One token: its kind (``var``, ``pname``, ``iri``, ``word``, ``punct``, ...), text and offset."""

    kind: str
    text: str
    start: int


def tokens(text: str) -> Iterator[Token]:
    """The tokens of ``text``, without white space and comments."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield Token(kind, match.group(), match.start())


def bare_words(text: str, start: int = 0) -> Iterator[Token]:
    """The words of ``text`` from offset ``start`` on that SPARQL takes for no term nor keyword (``Chip`` in
    ``?x a Chip``): not a keyword, nor a function's name (a word before ``(``), nor part of a language tag
    (``@en``), a number (``1e5``) or a string, IRI or comment."""
    stream = list(tokens(text))
    for index, token in enumerate(stream):
        if token.kind != "word" or token.start < start or token.text.upper() in KEYWORDS:
            continue
        before = text[max(token.start - 2, 0) : token.start]
        if before[-1:] in ("@", "-") or before[-1:].isalnum() or (before[-1:] == "." and before[:1].isdigit()):
            continue
        if index + 1 < len(stream) and stream[index + 1].text == "(":
            continue
        yield token


def position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (both from 1) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def line_at(text: str, line: int) -> str:
    """Line number ``line`` (from 1) of ``text``, without its line break."""
    lines = text.split("\n")  # as position() counts them
    return lines[line - 1].removesuffix("\r") if 0 < line <= len(lines) else ""


def first_use_of_prefix(text: str, prefix: str) -> int | None:
    """Offset of the first prefixed name with ``prefix`` (such as ``foo:bar`` for ``foo``), or None."""
    for token in tokens(text):
        if token.kind == "pname" and token.text.split(":", 1)[0] == prefix:
            return token.start
    return None


def variables_in_order(text: str) -> list[str]:
    """Variable names (without ``?``/``$``) in the order they first appear."""
    seen: dict[str, None] = {}
    for token in tokens(text):
        if token.kind == "var":
            seen.setdefault(token.text[1:], None)
    return list(seen)


def where_clause_start(text: str) -> int | None:
    """Offset just after the ``{`` that opens the query's WHERE clause, or None if it cannot be told.

    For SELECT, ASK and DESCRIBE it is the first ``{`` outside parentheses after the query form keyword
    (a sub-select or an ``EXISTS {...}`` in the projection sits inside parentheses); for CONSTRUCT, the first
    ``{`` after the template. ``CONSTRUCT WHERE {...}`` (the template is the pattern) and a DESCRIBE without a
    WHERE clause give None.
    """
    stream = list(tokens(text))
    form = next((i for i, t in enumerate(stream) if t.kind == "word" and t.text.upper() in QUERY_FORMS), None)
    if form is None:
        return None
    rest = stream[form + 1 :]
    if stream[form].text.upper() == "CONSTRUCT":
        if not rest or rest[0].text != "{":
            return None
        rest = rest[matching_brace(rest, 0) + 1 :]
    depth = 0
    for token in rest:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.text == "{" and depth == 0:
            return token.start + 1
    return None


def construct_as_select(text: str) -> str | None:
    """``text``, a CONSTRUCT query, as a ``SELECT *`` of its pattern and solution modifiers: its template replaced
    (in the short form ``CONSTRUCT WHERE {...}``, its keyword); None if the text does not read as one, or its
    template is empty (``CONSTRUCT {}``: no triple to fill, Oxigraph's own CONSTRUCT answers it)."""
    stream = list(tokens(text))
    form = next((i for i, t in enumerate(stream) if t.kind == "word" and t.text.upper() in QUERY_FORMS), None)
    if form is None or stream[form].text.upper() != "CONSTRUCT" or form + 1 >= len(stream):
        return None
    start, following = stream[form].start, stream[form + 1]
    if following.text == "{":
        closing = matching_brace(stream, form + 1)
        if stream[closing].text != "}" or closing == form + 2:  # an empty template
            return None
        end = stream[closing].start + 1
    elif following.kind == "word" and following.text.upper() == "WHERE":
        end = start + len(stream[form].text)
    else:  # FROM: a dataset clause of the short form
        return None
    return f"{text[:start]}SELECT *{text[end:]}"


def matching_brace(stream: list[Token], opening: int) -> int:
    """Index of the ``}`` that closes the ``{`` at ``opening`` (the last token if none does)."""
    depth = 0
    for index in range(opening, len(stream)):
        if stream[index].text == "{":
            depth += 1
        elif stream[index].text == "}":
            depth -= 1
            if depth == 0:
                return index
    return len(stream) - 1

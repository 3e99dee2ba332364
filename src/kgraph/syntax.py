"""One wording for the syntax errors of a data file, whichever parser found them.

The in-memory commands read Turtle and TriG with rdflib, ``kgraph load`` with Oxigraph, and each words an error
its own way (``Prefix "schema:" not bound``, ``The prefix schema: has not been declared``). The common ones are
said here in one way, with what to do (:class:`kgraph.errors.DataSyntaxError` adds the file and line): an
undeclared prefix, a string or IRI left open, a statement without its final ``.``, a file that ends inside a
statement, a missing object or datatype, an escape a string may not hold, an IRI with a character RDF does not
allow, a language tag that is none (``@1en``, ``@zh_CN``, ``@en-``), curly or full-width quotes where ASCII ones go
(``“X”@zh``). Any other error keeps its parser's words. Only
the line the error is on is needed besides the parser's error: what is quoted comes from it.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable, Iterable

from kgraph.text import file_lines, line_at
from kgraph.vocab import PREFIXES

__all__ = [
    "oxigraph_syntax",
    "oxigraph_syntax_message",
    "rdflib_failure",
    "rdflib_syntax",
    "rdflib_value_error",
]

#: The line of a file (1 for the first) as text, or None when it cannot be read.
LineText = Callable[[int], str | None]

#: How much of a string or IRI left open a message quotes.
_QUOTED = 30

#: What a file that ends inside a statement gets.
FILE_ENDS_EARLY = "bad syntax: the file ends inside a statement (its final '.', ']', ')' or '}' missing?)"

#: Regular expressions of Turtle's tokens that the scanners below (and :mod:`kgraph.store`'s) step over, so that a
#: quote, a comment mark or a bracket in them counts for nothing: the rest of a string between three quotes after
#: its opening quotes, by those quotes; such strings whole; strings of one line whole; an IRI.
LONG_STRING_RESTS = {'"""': r'(?:[^"\\]|\\.|"(?!""))*"""', "'''": r"(?:[^'\\]|\\.|'(?!''))*'''"}
LONG_STRINGS = "|".join(quotes + rest for quotes, rest in LONG_STRING_RESTS.items())
SHORT_STRINGS = r'"(?:[^"\\\n]|\\.)*"' + r"|'(?:[^'\\\n]|\\.)*'"
IRI_REF = r'<[^<>"\s]*>'

#: Each mark that opens a string or an IRI, and what it opens up to the end of the line: group 1 is its closing
#: mark, None when the line leaves it open.
_OPENERS = (
    ('"""', re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*(""")?')),
    ("'''", re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*(''')?")),
    ('"', re.compile(r'"(?:[^"\\]|\\.)*(")?')),
    ("'", re.compile(r"'(?:[^'\\]|\\.)*(')?")),
    ("<", re.compile(r"<[^>]*(>)?")),
)


def undeclared_prefix(prefix: str) -> str:
    """A prefixed name whose prefix the file does not declare, with the declaration to add (the IRI kgraph binds
    the prefix to, if it is one of kgraph's). A prefix close to one of kgraph's (``schma:``) is most likely that
    one misspelt, which declaring it does not mend: the message asks that first."""
    namespace = PREFIXES.get(prefix)
    iri = f"<{namespace}>" if namespace is not None else "<...>"
    close = difflib.get_close_matches(prefix, sorted(PREFIXES), n=1, cutoff=0.75) if namespace is None else []
    meant = f"did you mean {close[0]}:? if not, " if close else ""
    return (
        f"bad syntax: the prefix {prefix}: is not declared ({meant}@prefix {prefix}: {iri} . before its first use "
        "declares it)"
    )


def missing_dot(found: str) -> str:
    """A statement that goes on where the parser expected its end: ``found`` is what it met instead. Most often a
    ``;`` is missing (the next property of the same subject follows), else a ``.``: the message names both."""
    return (
        f"bad syntax: expected a ';' or a '.' before {found} (missing at the end of the line above? a ';' goes on "
        "with the same subject, a '.' ends the statement)"
    )


#: What a literal with a ``^^`` and no datatype after it gets.
NO_DATATYPE = 'bad syntax: a datatype is missing after ^^ (as in "3"^^xsd:integer)'

#: What a statement with a predicate, or a ``,``, and no object after it gets.
NO_OBJECT = "bad syntax: an object is missing (after a predicate, or after a ',')"


def bad_escape(escape: str) -> str:
    """A backslash in a string followed by what no escape is (``\\q``)."""
    return f"bad syntax: {escape} is not an escape a string may hold (a backslash is written \\\\)"


def bad_language_tag(tag: str) -> str:
    """A language tag that does not start with a letter (``@1en``)."""
    return f"bad syntax: @{tag} is not a language tag (letters first, as in en or zh-Hans)"


#: What a language tag, or a locale taken for one (``zh_CN``), is made of.
_TAG_CHARACTERS = re.compile(r"[A-Za-z0-9_-]*")


def odd_language_tag(line: str, index: int) -> str | None:
    """The message for a language tag at ``index`` of ``line`` (where a parser stopped in it) that holds a ``_``
    (``@zh_CN``, a locale's spelling) or ends with ``-`` (``@en-``); None if there is no such tag there."""
    at = line.rfind("@", 0, index + 1)
    if at < 1 or line[at - 1] not in {'"', "'"}:
        return None
    found = _TAG_CHARACTERS.match(line, at + 1)
    tag = found.group() if found else ""
    if at + len(tag) < index or not re.match("[A-Za-z]", tag):
        return None
    if "_" in tag:  # the tag suggested is one: its parts joined by one - (not @zh--CN, nor @en- for @en_)
        joined = "-".join(part for part in re.split("[-_]+", tag) if part)
        return f"bad syntax: @{tag} is not a language tag (its parts are joined by -: @{joined})"
    if tag.endswith("-"):
        return f"bad syntax: @{tag} is not a language tag (a - goes between two parts, as in zh-Hans)"
    return None


def left_open(opener: str, rest: str) -> str:
    """A string or IRI that opens with ``opener`` and is not closed: ``rest`` is the line from there on."""
    quoted = rest.rstrip()
    quoted = quoted if len(quoted) <= _QUOTED else quoted[:_QUOTED] + "..."
    if opener == "<":
        return f"bad syntax: the IRI {quoted} is not closed on its line (no '>')"
    if len(opener) == 3:
        return f"bad syntax: the string {quoted} is never closed (no {opener} after it)"
    long = opener * 3
    several = f"a text of several lines goes between {long} and {long}"
    return f"bad syntax: the string {quoted} is not closed on its line ({several})"


def _open_part(line: str) -> tuple[int, str] | None:
    """Where ``line`` opens a string or IRI it does not close, and with what (``"``, ``'``, ``\"\"\"``, ``'''``,
    ``<``); None if it closes all it opens."""
    index = 0
    while index < len(line):
        if line[index] == "#":  # a comment, to the end of the line
            return None
        for opener, pattern in _OPENERS:
            if line.startswith(opener, index):
                found = pattern.match(line, index)
                if found is None or found.group(1) is None:
                    return index, opener
                index = found.end()
                break
        else:
            index += 1
    return None


#: Marks that look like Turtle's quotes, or are quotes in other writing, and are none in RDF: curly quotes, double
#: and single (a word processor's, and Chinese text's), low and reversed ones, full-width ones (a Chinese input
#: method's), guillemets, corner brackets and the double prime quotes of CJK text.
LOOKALIKE_QUOTES = (
    "\u201c\u201d\u2018\u2019\u201e\u201f\u201a\u201b"
    "\uff02\uff07"
    "\u00ab\u00bb\u2039\u203a"
    "\u300c\u300d\u300e\u300f"
    "\u301d\u301e\u301f"
)

#: A literal's or an IRI's mark of either kind, an escape, a comment: what :func:`_lookalike_at` steps over.
_QUOTE_MARKS = re.compile(rf"[{LOOKALIKE_QUOTES}\"'<#\\]")

#: What may close a string a mark of :data:`LOOKALIKE_QUOTES` opens.
_CLOSING = frozenset(LOOKALIKE_QUOTES + "\"'")

#: What stands before the IRI of a prefix or base declaration.
_DECLARING = re.compile(r"(?<!\S)(?:@?prefix\s+[^\s:]*:|@?base)\s*$", re.IGNORECASE)


def lookalike_quotes(here: str | None, column: int | None, message: str) -> str | None:
    """The message for a parser's error on the line ``here`` (``column``: where on it the parser stopped, 0 for its
    first character, None if not known; ``message``: the error as kgraph words it) when it stopped at a mark that
    is no quote in RDF but looks like one or is one in other writing (:data:`LOOKALIKE_QUOTES`: ``“X”@zh``, a
    full-width quote): the marks it quotes, and the quotes to use instead; None for any other error. The parser
    stopped at one when its message quotes one, or where it stopped is one (or the string it opens); one inside a
    string closed with ASCII quotes, an IRI or a comment is data. rdflib and Oxigraph each said it their way (``“X”
    is not a valid RDF object``, ``'“' is not allowed at the beginning of a prefix name``), neither what to do."""
    found = _lookalike_at(here) if here is not None else None
    if here is None or found is None:
        return None
    start, mark = found
    if column not in (start, mark) and not any(char in message for char in LOOKALIKE_QUOTES):
        return None
    # up to the mark that closes it (the one found, if an ASCII quote opened it), or else to a space
    end = mark if start < mark else next((i for i in range(mark + 1, len(here)) if here[i] in _CLOSING), None)
    if end is None:
        end = next((i for i in range(mark, len(here)) if here[i].isspace()), len(here)) - 1
    written = here[start : end + 1]
    written = written if len(written) <= _QUOTED else written[:_QUOTED] + "..."
    marks = list(dict.fromkeys(char for char in written if char in LOOKALIKE_QUOTES))
    named = " and ".join(marks) if len(marks) <= 2 else ", ".join(marks)  # an opening and a closing one, or more
    what = "is not a quote" if len(marks) == 1 else "are not quotes"
    instead = "< > around an IRI" if _DECLARING.search(here[:start]) else 'ASCII quotes " around a literal'
    return f"bad syntax: {written} is quoted with {named}, which {what} in RDF: use {instead}"


def _lookalike_at(line: str) -> tuple[int, int] | None:
    """Where on ``line`` the first mark of :data:`LOOKALIKE_QUOTES` outside a string closed with ASCII quotes, an
    IRI and a comment is: the start of the term it is in (itself, or the ASCII quote that opens a string it may
    have been meant to close: ``"X”``), and the mark; None if there is none."""
    index = 0
    while (part := _QUOTE_MARKS.search(line, index)) is not None:
        char, index = part.group(), part.start()
        if char in LOOKALIKE_QUOTES:
            return index, index
        if char == "#":
            return None
        if char == "\\":  # an escape in a name (kgr:it\'s): no quote
            index += 2
            continue
        opener = next(o for o, _pattern in _OPENERS if line.startswith(o, index))
        closed = dict(_OPENERS)[opener].match(line, index)
        if closed is None or closed.group(1) is None:  # left open: by a mark meant to close it?
            if opener in ('"', "'"):  # not a string of several lines, whose marks on its next lines are data
                inside = next((i for i in range(index + 1, len(line)) if line[i] in LOOKALIKE_QUOTES), None)
                return None if inside is None else (index, inside)
            return None
        index = closed.end()
    return None


def ended_early(why: str) -> bool:
    """Whether rdflib's reason ``why`` says the file ended inside a statement."""
    return why.startswith(("EOF found", "EOF after")) or re.fullmatch(r"needed '.', found end\.", why) is not None


def iri_left_open(text: str, line: int) -> bool:
    """Whether line ``line`` of ``text`` (1 for the first) opens an IRI it does not close."""
    lines = file_lines(text)
    found = _open_part(lines[line - 1]) if 0 < line <= len(lines) else None
    return found is not None and found[1] == "<"


def _token(text: str) -> str:
    """The term or word ``text`` starts with, as a message quotes it."""
    found = re.match(r"<[^>\n]*>|[^\s;,]+", text.lstrip())
    word = found.group() if found else text.strip()
    return word if len(word) <= _QUOTED + 10 else word[: _QUOTED + 10] + "..."


def _left_open_on(line: str | None) -> str | None:
    """:func:`left_open` for what ``line`` leaves open, if it can be found in it."""
    if line is None:
        return None
    found = _open_part(line)
    return None if found is None else left_open(found[1], line[found[0] :])


# --------------------------------------------------------------------------------------------------- rdflib


#: What a file written in RDF-star (or RDF 1.2's triple terms) is told: kgraph reads RDF 1.1.
RDF_STAR = (
    "bad syntax: a quoted triple (<< ... >>) or an annotation ({| ... |}) is RDF-star, which kgraph does not read: "
    "state the triple itself, or describe the statement as a node of its own (rdf:subject, rdf:predicate, rdf:object)"
)

#: A quoted triple's or an annotation's opening, and the strings of a line, which may hold either as text.
_RDF_STAR_OR_STRING = re.compile(r'<<|\{\||"""|\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#.*')


def rdf_star_in(line_text: str) -> bool:
    """Whether ``line_text`` (a line of Turtle or TriG) opens a quoted triple or an annotation outside its strings
    and comments."""
    return any(found.group() in ("<<", "{|") for found in _RDF_STAR_OR_STRING.finditer(line_text))


def rdf_star_line(lines: Iterable[str]) -> int | None:
    """The number of the first of ``lines`` that opens a quoted triple or an annotation (:func:`rdf_star_in`), or
    None."""
    return next((number for number, line in enumerate(lines, 1) if rdf_star_in(line)), None)


def rdflib_syntax(why: str, text: str, position: int, line: int | None) -> tuple[int | None, str]:
    """The line and message for rdflib's ``BadSyntax``: its reason ``why``, found at ``position`` of ``text`` (-1:
    unknown) on ``line``. The line changes only for a long string left open, which rdflib finds at the end of the
    file: the line it opens on. A quote that is none (``“X”``) is said as :func:`lookalike_quotes` says it."""
    line, message = _rdflib_syntax(why, text, position, line)
    lines = file_lines(text)
    here = lines[line - 1] if line is not None and 0 < line <= len(lines) else None
    column = None
    if position >= 0 and line is not None and line_at(text, position) == line:
        column = position - max(text.rfind("\n", 0, position), text.rfind("\r", 0, position)) - 1
    return line, lookalike_quotes(here, column, message) or message


def _rdflib_syntax(why: str, text: str, position: int, line: int | None) -> tuple[int | None, str]:
    """:func:`rdflib_syntax`, but for a quote that is none."""
    lines = file_lines(text)
    here = lines[line - 1] if line is not None and 0 < line <= len(lines) else None
    message: str | None = None
    if (prefix := re.fullmatch(r'Prefix "(.*):" not bound', why)) is not None:
        message = undeclared_prefix(prefix.group(1))
    elif why.startswith("expected '.' or '}' or ']' at end of statement") and position >= 0:
        start, end = text.rfind("\n", 0, position) + 1, text.find("\n", position)
        if message := odd_language_tag(text[start : end if end >= 0 else len(text)], position - start):
            return line, message  # rdflib stopped in a language tag: at a _ (zh_CN) or after a final -
        found = _token(text[position:])
        # After a ';' rdflib looked for a predicate, found none it could read, and then looked for the end.
        after_semicolon = text[:position].rstrip().endswith(";")
        message = f"bad syntax: {found} is not a valid predicate" if after_semicolon else missing_dot(found)
    elif why.startswith("Bad language code syntax") and position >= 0:
        # rdflib stops where the string's text begins: the tag is what follows the @ after the string's end, not
        # one in the string ("follow \"@aws\""@ is a bare @)
        closed = _string_end(text, position)
        tagged = re.compile(r"@(\S*)").match(text, closed) if closed is not None else None
        message = bad_language_tag(re.split(r"[.;,]", tagged.group(1), maxsplit=1)[0]) if tagged else None
    elif why == "objectList expected" and position >= 0 and (mark := _object_left_out(text, position)) is not None:
        # rdflib's line may be past a comment and the end of the file: the mark's is the one Oxigraph names
        return line_at(text, mark), NO_OBJECT
    elif why == "objectList expected" and position >= 0 and (bad := _no_object(text, position)) is not None:
        return line_at(text, bad[0]), f"bad syntax: {bad[1]} is not a valid RDF object"
    elif why == "bad escape" and position >= 0:
        message = bad_escape(text[position : position + 2])
    elif why in {"newline found in string literal", "unterminated URI reference"}:
        message = _left_open_on(here)
    elif why == "unterminated string literal":
        # the three quotes that open a string never closed, not the last ones of the file (which may be in it)
        opened = next((part for part in _STRING_PARTS.finditer(text) if part.lastindex == 1), None)
        if opened is not None:
            line = line_at(text, opened.start())
            message = left_open(opened.group(1), text[opened.start() :].split("\n", 1)[0])
    elif ended_early(why):
        message = FILE_ENDS_EARLY
    elif why == "expected directive or statement" and text[position : position + 1] in {"}", "]", ")"}:
        # a closing mark to spare, where a statement would begin (a graph's } written twice)
        message = f"bad syntax: {text[position]} is not a valid subject or graph name"
    return line, message or f"bad syntax: {why}"


#: The parts of a list of objects, from where its first one goes: a string, an IRI or a comment, which may hold a
#: ',' or a '.'; a ',' (group 1); a mark that ends the list (group 2); a word,
#: up to a mark that ends the list (a '.' in it is one only before a space or another mark: 1.5, kgr:a.b are words,
#: as are escapes in a name: kgr:a\\,b); any other character.
_OBJECT_PARTS = re.compile(
    rf"{LONG_STRINGS}|{SHORT_STRINGS}|{IRI_REF}|#[^\n]*"
    r"|(,)|([.;\])}]|\Z)"
    r"|(?:[^\s\"'<#,.;()\[\]{}\\]|\\.|\.(?![\s.;,\])}#]|\Z))+|\S",
    re.DOTALL,
)


def _object_left_out(text: str, position: int) -> int | None:
    """Where the list of objects at ``position`` of ``text`` (where rdflib said ``objectList expected``, which it
    says for any object it cannot read) has one left out, none at all or none after a ``,``: the mark that ends the
    list there, or the ``,`` where one goes (a ``,`` first, or two in a row), as Oxigraph names them; None if it
    has none left out (one that is there but is none: ``%X``)."""
    expected = True  # an object goes next: first, and after a ',' (a comment is none)
    depth = 0  # inside an object that is a collection or a blank node: ( ... ), [ ... ]
    for part in _OBJECT_PARTS.finditer(text, position):
        if part.group(1) is not None:  # a ','
            if expected and not depth:
                return part.start(1)
            expected = True
        elif part.group(2) is not None:
            if not depth:
                return part.start(2) if expected else None
            depth -= part.group(2) in {")", "]"}
        elif not part.group().startswith("#"):
            depth += part.group() in {"(", "["}
            expected = False
    return None


#: How an object that is a term begins: a number, a boolean, a blank node's label, a prefixed name.
_OBJECT_START = re.compile(r"[+-]?\.?\d|(?:true|false)(?![\w:.-])|_:|[^\W\d][\w.-]*:|:", re.UNICODE)

#: What Oxigraph quotes of a word that is no object: a language tag without its string, a ^^ without its string,
#: or the word up to white space or a mark.
_NOT_AN_OBJECT = re.compile(r"@[\w-]*|\^\^|[^\s;,()\[\]{}\"'<#^@%]+")


def _no_object(text: str, position: int) -> tuple[int, str] | None:
    """Where the list of objects at ``position`` of ``text`` (where rdflib said ``objectList expected``) has a word
    that is no object (``@en``, ``^^``, ``gureOf``, a word without its prefix), and that word as Oxigraph quotes it;
    None if there is none the list shows."""
    expected = True
    depth = 0
    for part in _OBJECT_PARTS.finditer(text, position):
        word = part.group()
        if part.group(1) is not None:
            expected = True
        elif part.group(2) is not None:
            if not depth:
                return None
            depth -= word in {")", "]"}
        elif word.startswith("#"):
            continue
        elif expected and not depth and word[:1] not in "\"'<([" and not _OBJECT_START.match(word):
            found = _NOT_AN_OBJECT.match(word)
            return (part.start(), found.group()) if found else None
        else:
            depth += word in {"(", "["}
            expected = False
    return None


#: The rest of a string, from its text to its closing quotes, by its opening quotes.
_STRING_RESTS = {
    **{quotes: re.compile(rest, re.DOTALL) for quotes, rest in LONG_STRING_RESTS.items()},
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"'),
    "'": re.compile(r"(?:[^'\\\n]|\\.)*'"),
}


def _string_end(text: str, start: int) -> int | None:
    """Where the string whose text begins at ``start`` of ``text`` ends (after its closing quotes); None if it
    does not close."""
    for quotes, rest in _STRING_RESTS.items():
        if text.startswith(quotes, start - len(quotes)):
            found = rest.match(text, start)
            return found.end() if found else None
    return None


def rdflib_value_error(error: ValueError, text: str) -> tuple[int | None, str] | None:
    """The line and message for a ValueError rdflib's parser raised for a literal in ``text``: a language tag that
    is none (``"a"@1en``: rdflib names the tag but no line), an integer too long for Python (it said to call
    ``sys.set_int_max_str_digits()``, with no line); None for another."""
    limit = sys.get_int_max_str_digits()
    if "Exceeds the limit" in str(error) and (digits := re.search(rf"\d{{{limit + 1},}}", text)):
        # Python reads integers of at most sys.get_int_max_str_digits() digits (4,300), against slow conversions
        length = len(digits.group())
        return line_at(text, digits.start()), (
            f"an integer of {length:,} digits, more than the {limit:,} Python reads: load the "
            "data into a store (kgraph load --store DIR), which keeps it, or write the number as a string"
        )
    found = re.fullmatch(r"'(.*)' is not a valid language tag!", str(error))
    if found is None:
        return None
    tag = found.group(1)
    written = re.search(rf"@{re.escape(tag)}(?![A-Za-z0-9-])", text)
    line = line_at(text, written.start()) if written else None
    return line, bad_language_tag(tag)


#: What in Turtle or TriG a quote may sit in without opening a string never closed (a whole string, an IRI, a
#: comment, an escape in a name: kgr:it\\'s), and the quotes that open one (group 1: three quotes, group 2: one).
_STRING_PARTS = re.compile(
    rf"{LONG_STRINGS}|(\"\"\"|''')|{SHORT_STRINGS}|{IRI_REF}|#[^\n]*|\\.|([\"'])",
    re.DOTALL,
)


def rdflib_string_at_end(text: str) -> tuple[int, str] | None:
    """The line and message for a string ``text`` ends in, with no line end after it, where rdflib's parser fails
    without a ``BadSyntax`` (an ``AssertionError``, an ``IndexError``): the string it opens, as Oxigraph finds it;
    None if ``text`` ends in no string."""
    opened = next((found for found in _STRING_PARTS.finditer(text) if found.lastindex is not None), None)
    if opened is None or opened.lastindex is None or (opened.lastindex == 2 and "\n" in text[opened.start() :]):
        return None  # a string of one line left open before the last line: the error is another one
    line = line_at(text, opened.start())
    return line, left_open(opened.group(opened.lastindex), text[opened.start() :].split("\n", 1)[0])


#: What in Turtle or TriG may hold a ``^^`` that is no datatype's mark (a string, an IRI, a comment), and a ``^^``
#: with no datatype after it, but, past white space and comments, a mark that ends a term or the end of the file
#: (group 1: the mark, where Oxigraph finds the error).
_DATATYPE_PARTS = re.compile(
    rf"{LONG_STRINGS}|{SHORT_STRINGS}|{IRI_REF}|#[^\n]*|\\."
    r"|\^\^(?:\s|#[^\n]*)*([.;,\])}]|\Z)",
    re.DOTALL,
)


def rdflib_no_datatype(text: str) -> tuple[int, str] | None:
    """The line and message for a ``^^`` with no datatype after it in ``text``, where rdflib's parser fails on an
    index (``IndexError: list index out of range``, without a line); None if ``text`` holds no such ``^^``. The
    line is that of the mark after it, as Oxigraph names it (a comment may come between)."""
    found = next((part for part in _DATATYPE_PARTS.finditer(text) if part.group(1) is not None), None)
    return None if found is None else (line_at(text, found.start(1)), NO_DATATYPE)


def rdflib_failure(error: Exception, text: str) -> tuple[int, str] | None:
    """The line and message for an error rdflib's Turtle parser raised other than as a syntax error (an
    ``AssertionError``, an ``IndexError``) for ``text``, without a line: a string the file ends in
    (:func:`rdflib_string_at_end`), a ``^^`` with no datatype (:func:`rdflib_no_datatype`); None for another."""
    located = rdflib_string_at_end(text)
    return rdflib_no_datatype(text) if located is None and isinstance(error, IndexError) else located


# -------------------------------------------------------------------------------------------------- Oxigraph

#: Oxigraph's words for a statement that goes on where it expected its end (in Turtle, in a graph block of TriG).
_NO_DOT = {"A dot is expected at the end of statements", "A '}' or a '.' is expected at the end of a graph block"}


def oxigraph_syntax(error: SyntaxError, line_text: LineText | None = None) -> str:
    """The message for a syntax error Oxigraph's parser raised, the common ones as :func:`rdflib_syntax` words
    them; ``line_text`` gives the text of a line of the file, for what the message quotes from the error's line.
    Without Oxigraph's ``Parser error at line N column M`` (the error names its file and line itself)."""
    text = _oxigraph_text(error)
    line = error.lineno
    column = error.offset or 1
    here = line_text(line) if line_text is not None and line else None
    at = here[column - 1 :] if here is not None and column - 1 <= len(here) else None
    message: str | None = None
    if (prefix := re.fullmatch(r"The prefix (.*): has not been declared", text)) is not None:
        message = undeclared_prefix(prefix.group(1))
    elif text in _NO_DOT:
        message = missing_dot(_token(at)) if at else None
    elif (escape := re.fullmatch(r"Unexpected escape character '(\\.)'", text)) is not None:
        message = bad_escape(escape.group(1))
    elif text == "Unexpected end of file" and at:
        opener = next((o for o in ('"""', "'''", '"', "'", "<") if at.startswith(o)), None)
        message = None if opener is None else left_open(opener, at)
    elif text.startswith("Line jumps are not allowed in string literals"):
        message = _left_open_on(here)
    elif (
        here is not None
        and text.startswith(("Unexpected character", "An integer should not be empty"))
        and (tag := odd_language_tag(here, column - 1))
    ):
        message = tag
    elif text == "A language code should always start with a letter" and at:
        message = bad_language_tag(re.split(r"[\s.;,]", at, maxsplit=1)[0])
    elif text in {f"{mark} is not a valid RDF object" for mark in ",.;]}"}:
        # In a collection left open, its ')' is missing, which Oxigraph says in the same words, and a ',' in one is
        # no object left out: left as it says it
        in_collection = (
            here is not None and line_text is not None and line and _in_collection(line_text, line, here[: column - 1])
        )
        message = None if in_collection else NO_OBJECT
    elif text.startswith("Expecting a datatype IRI after ^^") and at and re.match(r"\s*(?:[.;,\])}]|$)", at):
        message = NO_DATATYPE
    elif text == "Unexpected end":
        message = FILE_ENDS_EARLY
    elif text.startswith("Invalid IRI") and at and at.startswith("<"):
        end = (getattr(error, "end_offset", None) or 0) - column
        iri = at[:end] if end > 1 and at[end - 1] == ">" else _token(at)
        message = f"bad syntax: {text} in the IRI {iri}"
    elif here is not None and at and re.search(r"[\"']@$", here[: column - 1]) and (written := _LANGUAGE_TAG.match(at)):
        # Oxigraph's own words for a tag it refuses ("A subtag may be eight characters in length at maximum") say
        # which part, not which tag: the tag after the string, as validation names it
        message = f"bad syntax: {text} in the language tag @{written.group()}"
    message = message or f"bad syntax: {text}"
    return lookalike_quotes(here, column - 1, message) or message


#: A language tag's characters, from where a parser stopped in it (after the ``@``).
_LANGUAGE_TAG = re.compile(r"[A-Za-z0-9-]+")


#: What in lines of Turtle may hold a parenthesis that is none (a string, of several lines too, an IRI, a comment, an
#: escape in a name: kgr:a\\)), and a parenthesis (group 1).
_PARENTHESES = re.compile(rf"{LONG_STRINGS}|{SHORT_STRINGS}|{IRI_REF}|#.*|\\.|([()])")

#: How many lines above the error's :func:`_in_collection` looks for the start of its statement.
_STATEMENT_LINES = 50


def _in_collection(line_text: LineText, line: int, before: str) -> bool:
    """Whether the error on ``line``, after ``before`` (the line up to it), is inside a collection (``( ... )``)
    its statement leaves open, as far as the lines of the statement above it tell (up to the line above that ends
    in a ``.`` or a ``{``, or opens a file)."""
    lines = [before]
    for number in range(line - 1, max(line - 1 - _STATEMENT_LINES, 0), -1):
        above = line_text(number)
        if above is None or re.sub(r"#[^\"'<>]*$", "", above).rstrip().endswith((".", "{")):
            break
        lines.append(above)
    depth = 0
    for part in _PARENTHESES.finditer("\n".join(reversed(lines))):  # a string of several lines followed
        depth += {"(": 1, ")": -1}.get(part.group(1) or "", 0)
    return depth > 0


def _oxigraph_text(error: SyntaxError) -> str:
    """Oxigraph's message without its ``Parser error at line N ...:`` or ``Parser error between line N ...:``."""
    message = str(error.msg or error)
    head, _sep, rest = message.partition(": ")
    return rest if head.startswith("Parser error ") and rest else message


def oxigraph_located(
    error: SyntaxError, statement: str | None, line_text: LineText | None = None
) -> tuple[int | None, str]:
    """The line of a syntax error Oxigraph's parser raised, and its message (``line_text`` gives a line of the file,
    for what the message quotes; ``statement``: the file's word for one, ``triple`` or ``quad``, for N-Triples and
    N-Quads, else None).

    N-Triples and N-Quads hold one statement a line, and a line without its final dot is found at the start of the
    next one, which Oxigraph names (``bad.nt:3: Quads must be followed by a dot`` for line 2): that line is one
    before, and the message says what it lacks, with the file's own word for a statement.
    """
    line = error.lineno
    if statement and "must be followed by a dot" in str(error.msg or error) and error.offset == 1 and line and line > 1:
        return line - 1, oxigraph_syntax_message(error, statement)
    return line, oxigraph_syntax_message(error, line_text=line_text)


def oxigraph_syntax_message(error: SyntaxError, statement: str | None = None, line_text: LineText | None = None) -> str:
    """The message of a syntax error Oxigraph's parser raised, as kgraph words it (:func:`oxigraph_syntax`), and,
    given the file's word for a ``statement`` (``triple``, ``quad``: N-Triples, N-Quads), a missing final dot said
    as what the line lacks."""
    if statement is not None and "must be followed by a dot" in _oxigraph_text(error):
        return f"bad syntax: the {statement} on this line does not end with a dot"
    return oxigraph_syntax(error, line_text)

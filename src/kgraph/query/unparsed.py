"""What a query that does not parse is told, where rdflib's parser (pyparsing) names a rule of its grammar.

pyparsing reports the furthest place a whole alternative failed and the rule it tried there: ``expected
SelectQuery`` at the start of a triple pattern that cannot be read, ``expected {SelectQuery | ConstructQuery |
DescribeQuery | AskQuery}`` at a word no query starts with. The rule's name says nothing to someone who wrote the
query. Here the place is looked at, token by token (:mod:`kgraph.query.lexer`), and the message says in plain words
what cannot be read, and where the error is further in than pyparsing said (in a triple pattern, the term that
does not read), without guessing: where nothing more is certain, it says that the query cannot be read from there.
"""

from __future__ import annotations

import difflib

from pyparsing import ParseBaseException
from rdflib.plugins.sparql import parser

from kgraph.query import lexer

#: The words an update starts with, after its PREFIX and BASE lines.
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})

#: The rules of rdflib's grammar that are a whole query (the others that pyparsing names are an update's).
_QUERY_RULES = ("SelectQuery", "ConstructQuery", "DescribeQuery", "AskQuery")

#: The kinds of token a term is (:func:`kgraph.query.lexer.tokens`): a triple pattern starts with one.
_TERMS = frozenset({"var", "iri", "pname", "string", "bnode"})

#: The brackets, each with the one that closes it.
_CLOSING = {"{": "}", "(": ")", "[": "]"}

#: Keywords followed by a pattern in braces, and how they are written.
_BEFORE_BRACES = {
    "WHERE": "WHERE { ... }",
    "OPTIONAL": "OPTIONAL { ... }",
    "MINUS": "MINUS { ... }",
    "UNION": "{ ... } UNION { ... }",
}


def names_a_rule(expected: str) -> bool:
    """Whether pyparsing's ``expected`` (its message without ``Expected``) is the name of rules of the grammar
    (``SelectQuery``, ``{SelectQuery | ConstructQuery | ...}``, ``InsertData``) rather than text to type."""
    names = expected.strip("{}").split(" | ")
    return all(name[:1].isupper() and name.isalnum() for name in names)


def explain(text: str, loc: int, expected: str) -> tuple[int, str]:
    """Where and what is wrong in ``text``, which pyparsing could not read from offset ``loc`` on, expecting the
    rules ``expected`` (:func:`names_a_rule`): the offset to point at, and the message."""
    what = "query" if any(rule in expected for rule in _QUERY_RULES) else "update"
    stream = list(lexer.tokens(text))
    before = [token for token in stream if token.start < loc]
    after = [token for token in stream if token.start >= loc]
    if not after:
        return len(text.rstrip()), _ends_early(stream, text, what)
    here = after[0]
    if expected.startswith("{"):  # the query forms: no query starts here
        return loc, f"{_at(text, loc)}: {_no_start(here, what)}"
    told = _keyword(text, before, after) or _stray_bracket(before, here)
    if told is not None:
        return told[0], f"{_at(text, told[0])}: {told[1]}"
    if _in_a_pattern(before) and (here.kind in _TERMS or here.text in ("[", "(")):  # a term starts here
        if _ends_a_term(text, before):  # and a triple pattern ended right before it
            return loc, f"{_at(text, loc)}: a '.' missing before it, between two triple patterns?"
        inside = _in_triple(text, loc, before[-1].text)
        if inside is not None:
            return inside
    return loc, f"{_at(text, loc)}: the {what} cannot be read from here on"


def _stray_bracket(before: list[lexer.Token], here: lexer.Token) -> tuple[int, str] | None:
    """A closing bracket ``here`` that closes none of those open (``"a" ) }``): the offset and message; None if
    ``here`` is no such bracket."""
    opener = next((opening for opening, closing in _CLOSING.items() if closing == here.text), None)
    opened = _in_brackets(before)
    if opener is None or (opened and opened[-1].text == opener):
        return None
    return here.start, f"this '{here.text}' closes no '{opener}' (one to spare, or its '{opener}' missing?)"


def _at(text: str, offset: int) -> str:
    rest = text[offset:].split(maxsplit=1)
    return f"syntax error at {rest[0][:20]!r}" if rest else "syntax error at the end"


def _ends_early(stream: list[lexer.Token], text: str, what: str) -> str:
    """The message for a query that ends before it is complete: the bracket still open, if one is."""
    opened = _in_brackets(stream)
    if not opened:
        return f"the {what} ends too early: something is missing at its end"
    line, column = lexer.position(text, opened[-1].start)
    bracket = opened[-1].text
    where = f"the '{bracket}' at line {line}, column {column}"
    return f"the {what} ends too early: {where} is not closed (add '{_CLOSING[bracket]}')"


def _no_start(here: lexer.Token, what: str) -> str:
    """Why no query or update starts at ``here``: a PREFIX or BASE that cannot be read, or another word."""
    word = here.text.upper()
    if word == "PREFIX":
        return "this PREFIX cannot be read; write PREFIX ex: <https://example.org/> (a name and ':', an IRI in <>)"
    if word == "BASE":
        return "this BASE cannot be read; write BASE <https://example.org/> (an IRI in <>)"
    starts = f"a {what} starts with SELECT, CONSTRUCT, ASK or DESCRIBE (an update with INSERT, DELETE, ...)"
    close = difflib.get_close_matches(word, [*lexer.QUERY_FORMS, *UPDATE_KEYWORDS], n=1, cutoff=0.7)
    meant = f"; did you mean {close[0]}?" if here.kind == "word" and close else ""
    return f"{starts}, after any PREFIX and BASE lines{meant}"


def _keyword(text: str, before: list[lexer.Token], after: list[lexer.Token]) -> tuple[int, str] | None:
    """A keyword that goes with braces, or ``SELECT`` with what it returns, where pyparsing stopped: the offset
    and message, or None. ``OPTIONAL ?x ...`` (at the keyword), ``WHERE ?x ...`` (after it), ``SELECT WHERE``,
    and ``WHERE`` inside the braces of a template not closed (``CONSTRUCT { ?s ?p ?o WHERE { ... }``)."""
    here = after[0]
    following = after[1] if len(after) > 1 else None
    word = here.text.upper() if here.kind == "word" else ""
    if word in _BEFORE_BRACES and word != "WHERE" and (following is None or following.text != "{"):
        at = following.start if following is not None else here.start
        return at, f"{word} goes with a pattern in braces: {_BEFORE_BRACES[word]}"
    last = before[-1].text.upper() if before and before[-1].kind == "word" else ""
    if last == "WHERE" and here.text != "{":
        return here.start, f"WHERE goes with a pattern in braces: {_BEFORE_BRACES['WHERE']}"
    if last in ("SELECT", "DISTINCT", "REDUCED") and (word == "WHERE" or here.text == "{"):
        return here.start, "SELECT names what it returns before its pattern: SELECT ?x ?y, or SELECT *"
    opened = _in_brackets(before)
    if word == "WHERE" and opened and opened[-1].text == "{":
        inside = {token.text.upper() for token in before if token.start > opened[-1].start}
        if not inside & lexer.QUERY_FORMS:  # not the WHERE of a sub-query
            line, column = lexer.position(text, opened[-1].start)
            return here.start, f"the '{{' at line {line}, column {column} is not closed before WHERE (add '}}')"
    return None


def _ends_a_term(text: str, before: list[lexer.Token]) -> bool:
    """Whether the tokens ``before`` end with a whole term: a variable, IRI, prefixed name, string (with its
    language tag), blank node, number, ``true``/``false``, a closed ``[...]`` or ``(...)``."""
    if not before:
        return False
    last = before[-1]
    if last.kind in _TERMS or last.text in (")", "]"):
        return True
    if last.kind == "word":
        return last.text.lower() in ("true", "false") or text[last.start - 1 : last.start] == "@"
    return last.text.isdigit()


def _in_brackets(before: list[lexer.Token]) -> list[lexer.Token]:
    """The brackets left open by the tokens ``before``, innermost last."""
    opened: list[lexer.Token] = []
    for token in before:
        if token.text in _CLOSING:
            opened.append(token)
        elif opened and token.text == _CLOSING[opened[-1].text]:
            opened.pop()
    return opened


def _in_a_pattern(before: list[lexer.Token]) -> bool:
    """Whether the innermost bracket open after ``before`` is a brace of a pattern or a template: not a ``(`` of
    an expression, a ``[`` of a blank node, or the brace of a ``VALUES`` block's data."""
    opened = _in_brackets(before)
    if not opened or opened[-1].text != "{":
        return False
    ahead = [token for token in before if token.start < opened[-1].start]
    if ahead and ahead[-1].text == ")":  # VALUES (?a ?b) { ... }
        starts = [i for i, token in enumerate(ahead) if token.text == "("]
        ahead = ahead[: starts[-1] + 1] if starts else ahead
    return not (len(ahead) >= 2 and ahead[-2].text.upper() == "VALUES")


#: What a triple pattern's part after ``;`` (a predicate and its objects) or ``,`` (an object) is read after, to
#: read it as a whole triple pattern.
_READ_AFTER = {";": "?s ", ",": "?s ?p "}


def _in_triple(text: str, loc: int, previous: str) -> tuple[int, str] | None:
    """Where the triple pattern that starts at ``loc`` (after the token ``previous``: after ``;`` its predicate,
    after ``,`` its object) stops being readable, and what goes wrong there; None if it reads whole (what is
    wrong is after it)."""
    ahead = _READ_AFTER.get(previous, "")
    try:
        parser.TriplesSameSubjectPath.parse_string(ahead + text[loc:])
    except ParseBaseException as inner:
        at = loc + inner.loc - len(ahead)
        if at <= loc:
            return None
        read = len(list(lexer.tokens(ahead + text[loc:at])))
        why = _in_triple_why(text, loc, at, read, str(inner.msg or ""))
        return at, f"{_at(text, at)}: the triple pattern cannot be read from here on: {why}"
    return None


def _in_triple_why(text: str, loc: int, at: int, read: int, message: str) -> str:
    """What goes wrong at offset ``at`` of the triple pattern that starts at ``loc`` (``read`` tokens of it read),
    where pyparsing said ``message``: a string or an IRI not closed, a term missing, or a literal where the
    predicate goes."""
    tail = text[at:].lstrip()
    following = next(lexer.tokens(tail), None)
    if following is not None and following.kind == "other" and following.text in ("'", '"'):
        return 'a string not closed? end it with the same quote on its line (""" for a text of several lines)'
    opened = text.rfind("<", loc, at)
    if opened >= 0 and ">" not in text[opened:at] and not any(char.isspace() for char in text[opened:at]):
        return 'an IRI in <> holds no space and none of <>"{}|^`\\ (write a space as %20)'
    return _missing(following, read, message.removeprefix("Expected "))


def _missing(following: lexer.Token | None, read: int, expected: str) -> str:
    """What is missing in a triple pattern before ``following`` (None: the end), after ``read`` tokens of it,
    where pyparsing expected ``expected``."""
    ends = following is None or following.text in (")", "]", "}", ".", ";", ",")
    if expected in ("')'", "']'"):  # in a list (1 2) or a blank node [ ... ], which goes on or ends here
        return f"a {expected} missing before it?" if ends else f"a term or a {expected} goes here"
    if read == 1:  # the subject alone
        if ends:
            return "a predicate and an object missing before it?"
        return "a predicate goes here: a variable, an IRI, a prefixed name or the keyword a"
    if ends:
        return "a term missing before it?"
    return "a variable, an IRI, a prefixed name or a literal goes here"

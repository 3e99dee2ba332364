"""Columns of a SELECT query that its pattern never mentions: a misspelt variable.

``SELECT ?chip WHERE { ?chp a kg:Chip }`` is valid SPARQL: ``?chip`` is never bound, and its column is empty on
every row, without a word. This finds such a column in the query's text (rdflib's algebra adds the projected
variables to the pattern's), for a warning: the query still runs.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Collection
from dataclasses import dataclass

from kgraph.query import lexer
from kgraph.query.parsing import ParsedQuery


@dataclass(frozen=True)
class UnusedColumn:
    """A variable the SELECT clause returns and nothing after it mentions."""

    name: str  # without ? or $
    #: ``file:line:column`` of the variable in the SELECT clause.
    where: str
    #: The variable of the pattern closest to it (``chp`` for ``chip``), or None.
    close: str | None

    def warning(self) -> str:
        """The line on standard error."""
        hint = f" (the pattern has ?{self.close}: a typo?)" if self.close else ""
        return (
            f"warning: {self.where}: the query selects ?{self.name}, which its pattern never mentions, so its "
            f"column is empty{hint}"
        )


def unused_columns(parsed: ParsedQuery, given: Collection[str] = ()) -> list[UnusedColumn]:
    """The variables of ``parsed``'s SELECT clause that nothing after it mentions (the pattern, GROUP BY, ORDER
    BY ...), each once: not one an expression of the clause makes (``(COUNT(?x) AS ?n)``), nor one ``given`` a
    value (``--param``). Nothing for another kind of query, ``SELECT *`` or a text it cannot tell."""
    if parsed.kind != "SELECT":
        return []
    start = lexer.where_clause_start(parsed.text)
    if start is None:
        return []
    stream = list(lexer.tokens(parsed.text))
    form = next((i for i, t in enumerate(stream) if t.kind == "word" and t.text.upper() == "SELECT"), None)
    if form is None:
        return []
    clause = [t for t in stream[form + 1 :] if t.start < start]
    mentioned = {t.text[1:] for t in stream if t.start >= start and t.kind == "var"}
    made = {
        later.text[1:]
        for token, later in itertools.pairwise(clause)
        if token.kind == "word" and token.text.upper() == "AS" and later.kind == "var"
    }
    unused: list[UnusedColumn] = []
    depth = 0
    for token in clause:
        depth += token.text == "("
        depth -= token.text == ")"
        name = token.text[1:]
        if token.kind != "var" or depth or name in mentioned or name in made or name in given:
            continue
        if name in {u.name for u in unused}:
            continue
        line, column = lexer.position(parsed.text, token.start)
        close = difflib.get_close_matches(name, sorted(mentioned), n=1, cutoff=0.6)
        unused.append(UnusedColumn(name, f"{parsed.source}:{line}:{column}", close[0] if close else None))
    return unused

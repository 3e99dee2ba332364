"""Names of the ontology's namespace (``kg:``) that a query uses and the graph holds nowhere.

A misspelt class or property (``kg:usess``, ``kg:chip`` for ``kg:Chip``) is valid SPARQL: its pattern matches
nothing, and the answer is empty without a word, as if the graph held no such thing. ``kgraph validate`` names
such a name in the data (with the ontology's closest one); this does the same for a query, as a warning: the
query still runs. A name the graph holds (declared by the ontology, or only used by the data) is no warning, and
neither is one in a CONSTRUCT template or an update, which may make new names.

A name written without its prefix (``?x a Chip``) is no term at all, and the query does not parse; :func:`meant_by`
says which terms it may mean, for the :class:`~kgraph.errors.BareWordError` of the parse.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import RDFS, Graph, URIRef

from kgraph import names
from kgraph.errors import KGraphError
from kgraph.query import lexer
from kgraph.query.params import LocalResolver
from kgraph.query.parsing import ParsedQuery
from kgraph.store import LoadedGraph
from kgraph.vocab import KG, PREFIXES


@dataclass(frozen=True)
class UnknownName:
    """A ``kg:`` name of a query that the graph holds in no triple."""

    #: As the query writes it (``kg:usess``, or the IRI in ``<>``).
    written: str
    #: ``file:line:column`` of its first use.
    where: str
    #: The ontology's closest name (``kg:uses``), or None.
    close: str | None

    def warning(self) -> str:
        """The line on standard error."""
        hint = f"; did you mean {self.close}?" if self.close else ""
        return (
            f"warning: {self.where}: the graph holds no {self.written} (the ontology does not declare it), so a "
            f"pattern with it matches nothing{hint}"
        )


def unknown_names(parsed: ParsedQuery, graph: Graph, ontology: Graph) -> list[UnknownName]:
    """The ``kg:`` names of ``parsed``'s pattern that ``graph`` holds in no triple, each once, in the order of
    their first use, with the closest of the names ``ontology`` declares. Nothing for an update."""
    if parsed.is_update:
        return []
    unknown: list[UnknownName] = []
    seen: set[URIRef] = set()
    known: list[str] | None = None
    for iri, token in _kg_names(parsed):
        if iri in seen:
            continue
        seen.add(iri)
        if (iri, None, None) in graph or (None, iri, None) in graph or (None, None, iri) in graph:
            continue
        if known is None:
            known = sorted({str(s) for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(KG)})
        line, column = lexer.position(parsed.text, token.start)
        unknown.append(UnknownName(token.text, f"{parsed.source}:{line}:{column}", _closest(str(iri), known)))
    return unknown


def _kg_names(parsed: ParsedQuery) -> Iterator[tuple[URIRef, lexer.Token]]:
    """Each ``kg:`` IRI the query's pattern writes, as a prefixed name or an IRI, with its token; not those of a
    CONSTRUCT template, nor the namespace itself (``PREFIX kg: <...>``)."""
    namespaces = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()} | dict(parsed.declared)
    stream = list(lexer.tokens(parsed.text))
    skip_until = -1
    for index, token in enumerate(stream):
        if token.kind == "word" and token.text.upper() == "CONSTRUCT" and index + 1 < len(stream):
            if stream[index + 1].text == "{":  # the template: names it makes, not names it matches
                skip_until = stream[lexer.matching_brace(stream, index + 1)].start
            continue
        if token.start <= skip_until:
            continue
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            namespace = namespaces.get(prefix)
            iri = None if namespace is None else namespace + local.replace("\\", "")
        elif token.kind == "iri":
            iri = token.text[1:-1]
        else:
            continue
        if iri is not None and iri.startswith(str(KG)) and len(iri) > len(KG):
            yield URIRef(iri), token


def _closest(iri: str, known: list[str]) -> str | None:
    """The name of ``known`` closest to ``iri``, in any case (``kg:chip``: ``kg:Chip``), as ``kg:NAME``."""
    by_case = {name.removeprefix(str(KG)).casefold(): name for name in known}
    close = difflib.get_close_matches(iri.removeprefix(str(KG)).casefold(), list(by_case), n=1, cutoff=0.75)
    return f"kg:{by_case[close[0]].removeprefix(str(KG))}" if close else None


def meant_by(word: str, loaded: LoadedGraph) -> list[str]:
    """What ``word``, written without a prefix where a query wants a term, may mean, as prefixed names: the
    ontology's ``kg:`` names (classes, relations) spelt so in any case, the same case first (``chip``:
    ``kg:Chip``), then those whose label it is (``芯片``: ``kg:Chip``), then the entity that ``word`` names as
    ``--param`` reads a name (``Trainium3``: ``kgr:trainium3``). Nothing if it means nothing of the graph."""
    key = word.casefold()
    local = {s: str(s).removeprefix(str(KG)) for s in loaded.ontology.subjects() if isinstance(s, URIRef)}
    terms = sorted(
        (s for s, name in local.items() if s.startswith(KG) and name.casefold() == key),
        key=lambda s: (local[s] != word, str(s)),
    )
    terms += sorted(
        {
            s
            for s, label in loaded.ontology.subject_objects(RDFS.label)
            if isinstance(s, URIRef) and s.startswith(KG) and str(label).casefold() == key
        }
        - set(terms)
    )
    with contextlib.suppress(KGraphError):  # no name, or one of several things
        terms.append(LocalResolver(loaded, suggesting=False).entity(word))
    return [names.qname(loaded.graph, term) for term in dict.fromkeys(terms)]

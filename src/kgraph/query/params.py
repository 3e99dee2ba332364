"""Values for a query's variables, from what a user types: ``--param product="Amazon Bedrock"``.

A saved query declares each parameter's kind (see :mod:`kgraph.query.library`). For a query of the user's own,
a value is read as a SPARQL term when it looks like one (``<iri>``, ``kgr:trainium3``, ``"text"@en``, ``42``)
and as the label of an entity otherwise. Labels are looked up where the query runs: in the loaded graph, or at the
endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD, NamespaceManager
from rdflib.term import Identifier
from rdflib.util import from_n3

from kgraph import names
from kgraph.errors import AmbiguousNameError, InputError, NotFoundError
from kgraph.query.parsing import is_iri_safe
from kgraph.store import LoadedGraph
from kgraph.text import shell_words
from kgraph.vocab import KG, PREFIXES, bind_prefixes

if TYPE_CHECKING:
    from kgraph.query import remote
    from kgraph.query.library import SavedQuery

_NUMBER = re.compile(r"[+-]?(?:[0-9]+|[0-9]*\.[0-9]+)")


class Resolver(Protocol):
    """Finds what a name designates, in the graph a query runs on."""

    def entity(self, name: str, of_type: URIRef | None = None, *, suggest_of: URIRef | None = None) -> URIRef:
        """The entity called ``name`` (label, alternative label, prefixed name or IRI); with ``of_type``, one of
        that class (a name several things have is taken for that one; a thing of another class is refused). For a
        name that matches nothing, the close names suggested are of ``suggest_of`` (if given; else any)."""

    def class_(self, name: str) -> URIRef:
        """The class called ``name`` (label, local name, prefixed name or IRI)."""

    def language(self, tag: str, option: str) -> str:
        """The language tag ``tag`` as the graph's labels write it; ``option`` names where it was given."""


@dataclass(frozen=True)
class LocalResolver:
    """Looks names up in the loaded graph, as ``kgraph show`` and ``kgraph entities --type`` do."""

    loaded: LoadedGraph
    #: Whether a name that matches nothing is told with close names (which reads every label).
    suggesting: bool = True
    #: The language the candidates of an ambiguous name and the close names are named in (``--lang``).
    lang: str = "en"

    def entity(self, name: str, of_type: URIRef | None = None, *, suggest_of: URIRef | None = None) -> URIRef:
        """See :func:`kgraph.names.find`; when a label names several things and exactly one of them is of
        ``of_type``, or else an entity (``kg:Entity``: a product, company, person ...), that one, so that "Amazon
        Bedrock AgentCore" is the product rather than the section of the source with the same title, and the
        section where a section is asked for. A thing that is not of ``of_type`` is refused (InputError), with
        those of it whose names hold ``name``; a class (by its prefixed name or IRI) is refused as by its label
        (NotFoundError, :func:`kgraph.names.class_for_entity`). A name that matches nothing is told with close names of
        ``suggest_of`` (:func:`kgraph.names.suggest`), else of anything."""
        graph = self.loaded.graph
        try:
            found = names.find(self.loaded, name, suggesting=self.suggesting, lang=self.lang, suggest_of=suggest_of)
        except AmbiguousNameError:
            key = names.normalise(name)
            named = {
                subject
                for predicate in (RDFS.label, SKOS.altLabel)
                for subject, value in graph.subject_objects(predicate)
                if isinstance(subject, URIRef) and names.normalise(str(value)) == key
            }
            wanted = KG.Entity if of_type is None else of_type
            entities = [subject for subject in named if (subject, RDF.type, wanted) in graph]
            if len(entities) == 1:
                return entities[0]
            raise
        if names.is_class(self.loaded, found):  # kg:Chip, as Chip is: a class, where its members are meant
            raise names.class_for_entity(graph, name, found)
        if of_type is not None and (found, RDF.type, of_type) not in graph:
            return self._of_type(name, found, of_type)
        return found

    def _of_type(self, name: str, found: URIRef, of_type: URIRef) -> URIRef:
        """The one thing of ``of_type`` named ``name`` as written (any case), where ``name`` found ``found``, of
        another class (:func:`kgraph.names.find` ranks an entity before a section of the same title); else an
        InputError offering those of ``of_type`` whose label or alternative label holds ``name``, or where to
        list them."""
        graph = self.loaded.graph
        key = names.normalise(name)
        holding: dict[URIRef, bool] = {}  # each member whose name holds ``name``: whether one is ``name``
        for member in sorted(graph.subjects(RDF.type, of_type), key=str):
            spelled = [
                names.normalise(text)
                for predicate in (RDFS.label, SKOS.altLabel)
                for text in names.texts(graph, member, predicate)
            ]
            if isinstance(member, URIRef) and any(key in text for text in spelled):
                holding[member] = key in spelled
        exact = [member for member, same in holding.items() if same]
        if len(exact) == 1:
            return exact[0]
        close = [names.candidate(graph, member, self.lang) for member in holding]
        what = f"{names.candidate(graph, found, self.lang)} is not a {names.qname(graph, of_type)}"
        if close:
            raise InputError(f"{what}; did you mean {' or '.join(close[:5])}?")
        raise InputError.in_both(
            f"{what}; kgraph.explore.entities(loaded, [URIRef({str(of_type)!r})]) lists them",
            f"{what}; kgraph entities --type {shell_words([names.local_name(of_type)])} lists them",
        )

    def class_(self, name: str) -> URIRef:
        """See :func:`kgraph.names.resolve_class`."""
        return names.resolve_class(self.loaded, name)

    def language(self, tag: str, option: str) -> str:
        """See :func:`label_language`."""
        return label_language(self.loaded, tag, option)


def label_language(loaded: LoadedGraph, tag: str, option: str) -> str:
    """``tag`` as the graph's labels (``rdfs:label``) write it, compared in any case (``ZH`` is ``zh``); InputError
    naming ``option`` and the languages the labels are in when none is in ``tag``: a saved query's columns in that
    language were empty, as if the graph had no such values (``--param lang=fr``). The labels are read until one in
    ``tag`` is met (on a store, by Oxigraph, without an rdflib term)."""
    wanted = tag.strip().lower()
    for _s, _p, _text, found in loaded.texts_with([RDFS.label]):
        if found and found.lower() == wanted:
            return found
    languages = label_languages(loaded)
    use = f"use one the graph has labels in: {', '.join(languages)}" if languages else "the graph's labels have none"
    if not wanted:
        raise InputError(f"{option}: no language given; {use}")
    bare = wanted.strip("\"'@ ")
    if bare != wanted and bare in languages:  # lang='"zh"' or lang=@zh: a tag as a literal or a label writes it
        raise InputError(f"{option}: the language goes without quotes or @, as {bare}; {use}")
    raise InputError(f"{option}: the graph has no labels in {tag.strip()}, so the columns in it would be empty; {use}")


def label_languages(loaded: LoadedGraph) -> list[str]:
    """The languages the graph's labels are in, in small letters, sorted (every label is read)."""
    return sorted({found.lower() for _s, _p, _text, found in loaded.texts_with([RDFS.label]) if found})


@dataclass(frozen=True)
class RemoteResolver:
    """Looks names up at a SPARQL endpoint: an IRI must be the subject or object of a triple there, a label
    must be the ``rdfs:label`` or ``skos:altLabel`` (any case) of exactly one resource."""

    endpoint: remote.Endpoint
    timeout: float | None = None

    def entity(self, name: str, of_type: URIRef | None = None, *, suggest_of: URIRef | None = None) -> URIRef:
        """The IRI ``name`` is, or the one resource labelled ``name`` at the endpoint (of ``of_type`` among
        several; one not of ``of_type`` is refused). ``suggest_of`` is not used: no close name is looked for at an
        endpoint."""
        from kgraph.query import remote  # noqa: PLC0415 - the endpoint client, for --endpoint only

        if not name.strip():  # a script's "$NAME" unset: as locally (names.find), not "nothing ... is labelled ''"
            raise InputError(
                f"the name is empty; give the label, prefixed name or IRI of a resource at {self.endpoint.url}"
            )
        iri = iri_of(name)
        if iri is not None:
            if not remote.exists(self.endpoint, iri, self.timeout):
                raise NotFoundError(f"{self.endpoint.url} has no triple about {name}", advice=self._search_advice())
            found = [iri]
        else:
            found = remote.find_by_label(self.endpoint, name, self.timeout)
        wanted = KG.Entity if of_type is None else of_type
        if len(found) > 1:  # as locally: an entity (kg:Entity) before a section of the same title
            entities = [iri for iri in found if remote.is_a(self.endpoint, iri, wanted, self.timeout)]
            found = entities if len(entities) == 1 else found
        if not found:
            raise NotFoundError(f"nothing at {self.endpoint.url} is labelled {name!r}", advice=self._search_advice())
        if len(found) > 1:
            raise AmbiguousNameError(name, [str(iri) for iri in found])
        if of_type is not None and not remote.is_a(self.endpoint, found[0], of_type, self.timeout):
            prefixed = _namespaces().normalizeUri(of_type)
            url = shell_words([self.endpoint.url])
            raise InputError.in_both(
                f"{name} (<{found[0]}>) is not a {prefixed} at {self.endpoint.url}; kgraph.query.run_remote of the "
                f"saved query instances-of with {{'class': {prefixed!r}}} lists them",
                f"{name} (<{found[0]}>) is not a {prefixed} at {self.endpoint.url}; kgraph queries run instances-of "
                f"--param class={prefixed} --endpoint {url} lists them",
            )
        return found[0]

    def _search_advice(self) -> tuple[str, str]:
        """What to do about a name the endpoint lacks, in the API's words and the command line's: the saved query
        ``search`` at the endpoint, not ``kgraph entities``, which lists the local graph's."""
        url = self.endpoint.url
        return (
            f"kgraph.query.run_remote of the saved query search with {{'text': WORD}} lists the labels at {url} that "
            "contain a word",
            f"kgraph queries run search --param text=WORD --endpoint {shell_words([url])} lists the labels there "
            "that contain a word",
        )

    def class_(self, name: str) -> URIRef:
        """Like :meth:`entity`; a bare local name (``Chip``) is taken in the ``kg:`` namespace."""
        from kgraph.query import remote  # noqa: PLC0415 - the endpoint client, for --endpoint only

        if iri_of(name) is None and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name):
            candidate = URIRef(str(PREFIXES["kg"]) + name)
            if remote.exists(self.endpoint, candidate, self.timeout):
                return candidate
        return self.entity(name)

    def language(self, tag: str, option: str) -> str:
        """``tag`` as given: an endpoint's labels are not read for it (a look-up over all of them)."""
        return tag.strip()


def parse_assignments(pairs: Sequence[str]) -> dict[str, str]:
    """``["a=1", "b=x y"]`` -> ``{"a": "1", "b": "x y"}``; anything else raises InputError."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not equals or not re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*", name):
            raise InputError(f'--param {pair!r} is not KEY=VALUE (such as --param product="Amazon Bedrock")')
        if name in values:
            raise InputError(f"--param {name} is given twice")
        values[name] = value
    return values


def bind_saved(
    saved: SavedQuery, given: Mapping[str, str], resolver: Resolver, defaults: Mapping[str, str] | None = None
) -> dict[str, Identifier]:
    """The bindings of ``saved``'s parameters: ``given`` values, else ``defaults`` (such as the language from
    ``--lang``), else the declared default. An undeclared or missing parameter raises InputError."""
    declared = {p.name for p in saved.params}
    for name in given:
        if name not in declared:
            listed = ", ".join(f"{p.name} ({p.kind})" for p in saved.params) or "none"
            raise InputError(f"the saved query {saved.name} has no parameter {name!r}; its parameters: {listed}")
    bindings: dict[str, Identifier] = {}
    for param in saved.params:
        text = given.get(param.name, (defaults or {}).get(param.name, param.default))
        example = f" (for example: {saved.examples[0]})" if saved.examples else ""
        if text is None:
            raise InputError.in_both(
                f"the saved query {saved.name} needs its parameter {param.name}: {param.description}; pass "
                f"{{{param.name!r}: VALUE}}",
                f"the saved query {saved.name} needs --param {param.name}=VALUE: {param.description}{example}",
            )
        if param.kind in ("entity", "class") and not text.strip():  # it was looked up as a name: "nothing is named ''"
            raise InputError.in_both(
                f"the parameter {param.name} is empty; give {param.description}",
                f"--param {param.name} is empty; give {param.description}{example}",
            )
        if param.kind == "text" and param.name in given and not text.strip():
            # a text that is searched for: every name holds the empty one, and a space only says a name has words
            blank = (
                "empty, which every name contains"
                if not text
                else "only spaces, which every name of several words contains"
            )
            raise InputError.in_both(
                f"the parameter {param.name} is {blank}; give {param.description}",
                f"--param {param.name} is {blank}; give {param.description}{example}",
            )
        if param.kind == "language" and (param.name in given or param.name in (defaults or {})):
            option = f"--param {param.name}={text}" if param.name in given else f"--{param.name} {text}"
            bindings[param.name] = Literal(resolver.language(text, option))
            continue
        bindings[param.name] = value_of(param.kind, text, resolver, param.name, param.of_type)
    return bindings


def value_of(kind: str, text: str, resolver: Resolver, name: str = "", of_type: URIRef | None = None) -> Identifier:
    """The value ``text`` stands for as a saved query's parameter of ``kind`` (an entity of ``of_type``, if given).
    A name that matches nothing is told with close names of ``of_type``, else of entities (``kg:Entity``), as Tab
    completes them: not a figure's name, which a chip parameter refused and no other answers."""
    if kind == "entity":
        try:
            iri_of(text)  # a malformed IRI (<http://x) is bad input, as for kgraph query --param, not a name to find
        except InputError as error:
            raise _about(name, error) from error
        try:
            return resolver.entity(text, of_type, suggest_of=of_type or KG.Entity)
        except InputError as error:  # of the class asked for (or a name no entity can have)
            raise _about(name, error) from error
        except NotFoundError as error:  # a name that names nothing: which --param, when a query takes several
            raise error.of_parameter(name) if name else error from error
    if kind == "class":
        return resolver.class_(text)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", text.strip()):
            raise InputError.in_both(
                f"the parameter {name}={text!r}: a whole number is needed",
                f"--param {name}={text!r}: a whole number is needed",
            )
        return Literal(int(text), datatype=XSD.integer)
    return Literal(text)


def bind_adhoc(
    given: Mapping[str, str], resolver: Resolver, variables: Sequence[str] | None = None
) -> dict[str, Identifier]:
    """Bindings for a query of the user's own: each value as a SPARQL term, or else an entity's label. With
    ``variables`` (those the query mentions), a name that is none of them raises InputError: binding it would
    change nothing, and the answer would look like an answer to the question meant."""
    if variables is not None:
        for name in given:
            if name not in variables:
                listed = ", ".join(f"?{v}" for v in variables) or "none"
                what = f"the query has no variable ?{name}; its variables: {listed}"
                raise InputError.in_both(f"the parameter {name}: {what}", f"--param {name}: {what}")
    bindings = {}
    for name, text in given.items():
        try:
            bindings[name] = term_of(text, resolver)
        except InputError as error:
            if error.cli_message.startswith("--param "):
                raise
            raise _about(name, error) from error
    return bindings


def _about(name: str, error: InputError) -> InputError:
    """``error``, about the value of the parameter ``name``: ``the parameter NAME: ...`` in the Python API's
    terms, ``--param NAME: ...`` in the command line's."""
    return InputError.in_both(f"the parameter {name}: {error}", f"--param {name}: {error.cli_message}")


def term_of(text: str, resolver: Resolver) -> Identifier:
    """``<iri>``, an http(s) IRI or a prefixed name -> IRI; ``"..."`` (with ``@lang`` or ``^^type``), a number,
    ``true``/``false`` -> literal; anything else is an entity's label."""
    iri = iri_of(text)
    if iri is not None:
        return iri
    stripped = text.strip()
    if stripped.startswith('"'):
        return _literal(stripped, text)
    if _NUMBER.fullmatch(stripped):
        return Literal(stripped, datatype=XSD.decimal if "." in stripped else XSD.integer)
    if stripped in ("true", "false"):
        return Literal(stripped == "true")
    return resolver.entity(text)


#: A literal as a --param value: a string with its escapes, then a language tag or a datatype (an IRI in ``<>``
#: or a prefixed name), nothing else after it.
_LITERAL = re.compile(
    r'"(?:[^"\\]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:<[^<>"{}|^`\\\s]*>|([A-Za-z][\w.-]*)?:\S*))?',
    re.DOTALL,
)
_LITERAL_FORMS = '"text", "text"@en or "text"^^xsd:TYPE'


def _literal(stripped: str, text: str) -> Literal:
    """``stripped`` read as a literal in N-Triples/Turtle syntax; InputError for anything else (a string left
    open, text after it, a datatype of an unknown prefix), which rdflib would read as something else."""
    match = _LITERAL.fullmatch(stripped)
    if match is None:
        raise InputError(f'{text!r} is not a literal; write {_LITERAL_FORMS}, with \\" for a quote inside')
    prefix = match.group(1)
    if "^^" in stripped and not stripped.rsplit("^^", 1)[1].startswith("<") and (prefix or "") not in PREFIXES:
        known = ", ".join(f"{p}:" for p in PREFIXES)
        undeclared = f"{prefix or ''}:"
        raise InputError(f"{text!r} has a datatype of prefix {undeclared}, which is not declared; use one of {known}")
    try:
        term = from_n3(stripped, nsm=_namespaces())
    except Exception as error:  # from_n3 raises assorted errors
        raise InputError(f"cannot read {text!r} as a literal: {error}; write {_LITERAL_FORMS}") from error
    if not isinstance(term, Literal):  # pragma: no cover - the pattern admits literals only
        raise InputError(f"{text!r} is not a literal; write {_LITERAL_FORMS}")
    return term


def iri_of(text: str) -> URIRef | None:
    """``text`` as an IRI when it is one (``<...>``, ``http(s)://...``) or a prefixed name with a known prefix."""
    stripped = text.strip()
    if not stripped.startswith('"') and stripped.startswith("<") != stripped.endswith(">"):
        raise InputError(f"{text!r} is not an IRI: write it whole between < and >, such as <https://example.org/x>")
    bare = stripped.removeprefix("<").removesuffix(">")
    if bare.startswith(("http://", "https://", "urn:")):
        if not is_iri_safe(bare):
            raise InputError(f'{text!r} is not a valid IRI: it holds a space or one of <>"{{}}|^`\\')
        return URIRef(bare)
    prefix, colon, local = stripped.partition(":")
    if colon and prefix in PREFIXES and is_iri_safe(local) and local:
        return URIRef(str(PREFIXES[prefix]) + local)
    return None


def _namespaces() -> NamespaceManager:
    graph = Graph()
    bind_prefixes(graph)
    return graph.namespace_manager

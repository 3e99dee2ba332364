"""Names: how kgraph writes a resource (prefixed name, label) and finds the resource a user names.

Every command that takes a name (``show``, ``path``, ``--focus``, a saved query's ``--param``) resolves it here:
an IRI, a prefixed name, an English or Chinese label or alternative label in any case, or an IRI local name. Kept
apart from :mod:`kgraph.explore` so that a query starts without the report records. On a store, names are looked
up in its index (:mod:`kgraph.name_index`) when it has one.
"""

from __future__ import annotations

import difflib
import functools
import heapq
import itertools
import re
import threading
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from kgraph.errors import EMPTY_NAME, AmbiguousNameError, AmbiguousPrefixError, InputError, NotFoundError
from kgraph.store import DeclaredPrefix, LoadedGraph, display_path
from kgraph.text import printable, shell_words
from kgraph.vocab import KG, PREFIXES

# ----------------------------------------------------------------------------------------------- naming


def qname(graph: Graph, node: Node) -> str:
    """``kgr:trainium3`` when a prefix is bound, else ``<IRI>``; a literal as its text."""
    if isinstance(node, URIRef):
        try:
            prefix, _namespace, name = graph.namespace_manager.compute_qname(node, generate=False)
        except (KeyError, ValueError):
            return f"<{node}>"
        return f"{prefix}:{name}"
    return str(node)


def local_name(node: Node) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def texts(graph: Graph, node: Node, predicate: URIRef, lang: str | None = None) -> list[str]:
    """The literal values of ``predicate`` on ``node`` (only those tagged ``lang`` if given), sorted."""
    values = graph.objects(node, predicate)
    return sorted(
        str(v) for v in values if isinstance(v, Literal) and (lang is None or primary_language(v.language) == lang)
    )


def label(graph: Graph, node: Node, lang: str = "en") -> str:
    """The ``rdfs:label`` of ``node`` in ``lang``, else in any language, else its prefixed name."""
    found = pick_label(graph.objects(node, RDFS.label), lang)
    return qname(graph, node) if found is None else found


def pick_label(values: Iterable[Node], lang: str) -> str | None:
    """Of the values of a resource's ``rdfs:label``, the one :func:`label` shows (None: no label at all)."""
    return pick_text([(str(value), value.language) for value in values if isinstance(value, Literal)], lang)


def pick_text(texts: Iterable[tuple[str, str | None]], lang: str) -> str | None:
    """:func:`pick_label` of the labels given as ``(text, language tag or None)``: the least text in ``lang``
    (``en`` takes ``en-GB`` too), else the least in any language."""
    texts = list(texts)
    in_lang = [text for text, tag in texts if primary_language(tag) == lang]
    candidates = in_lang or [text for text, _tag in texts]
    return min(candidates) if candidates else None


def primary_language(tag: str | None) -> str:
    """The primary subtag of a language tag, in small letters (``EN-gb``: ``en``; none: "")."""
    return (tag or "").lower().split("-")[0]


def normalise(text: str) -> str:
    """How names are compared: Unicode-normalised (NFKC: full-width Latin letters and digits are ASCII ones),
    case-folded, traditional Chinese characters as simplified ones (亞馬遜 is 亚马逊), single spaces, and no space
    next to a Chinese or Japanese character: those scripts put no space between words, and one beside a Latin word
    is a matter of style (``AWS 安全代理``, ``AWS安全代理``)."""
    if text.isascii():
        return " ".join(text.casefold().split())
    return _spaced(unicodedata.normalize("NFKC", text).casefold().translate(simplified()).split())


def _spaced(words: list[str]) -> str:
    """``words`` joined as :func:`normalise` joins them: with a space, but none next to a Chinese or Japanese
    character."""
    runs: list[list[str]] = []  # words written together; joined once at the end (``+=`` on each was quadratic)
    for word in words:
        if runs and (_spaceless(runs[-1][-1][-1]) or _spaceless(word[0])):
            runs[-1].append(word)
        else:
            runs.append([word])
    return " ".join("".join(run) for run in runs)


@functools.cache
def simplified() -> dict[int, str]:
    """Each traditional Chinese character's simplified form, for :meth:`str.translate`: the table
    ``simplified.txt`` beside this module, derived from Unicode's Unihan database (``scripts/hanzi_table.py``)."""
    table = {}
    with Path(__file__).with_name("simplified.txt").open(encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("#"):
                char, form = line.rstrip("\n").split("\t")
                table[ord(char)] = form
    return table


#: The blocks of Korean letters (jamo, compatibility jamo, extended jamo, syllables).
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF))


def _spaceless(char: str) -> bool:
    """Whether a space beside ``char`` separates nothing: a wide (East Asian) character other than Hangul,
    which Korean writes with spaces between words."""
    code = ord(char)
    hangul = any(low <= code <= high for low, high in _HANGUL)
    return not hangul and unicodedata.east_asian_width(char) in ("W", "F")


# ------------------------------------------------------------------------------ words written together or apart

#: What separates the words of a name, as the viewer's search reads them: a space, a hyphen (ASCII, or Unicode's
#: U+2010 to U+2015), an underscore, or the katakana middle dot ・ that Japanese writes between the words of a
#: foreign name (ジェフ・ベゾス; a space beside kana does not count, so without it ジェフ ベゾス found nothing). The
#: characters a normalised name (:func:`normalise`) can have.
SEPARATORS = " -_\u2010\u2011\u2012\u2013\u2014\u2015\u30fb"
_NO_SEPARATORS = str.maketrans("", "", SEPARATORS)


@dataclass(frozen=True)
class Words:
    """A name with its words run together (:func:`run_together`)."""

    joined: str  #: normalised as :func:`normalise` does, without its separators
    starts: frozenset[int]  #: where in ``joined`` a word starts
    separators: tuple[int, ...]  #: where in ``joined`` a separator was


def run_together(text: str) -> Words:
    """``text`` with its words run together, and where its words start, as the viewer's search reads a name: at a
    separator (:data:`SEPARATORS`), at a capital after a small letter, between a letter and a digit, between
    Chinese or Japanese and other characters, at each Chinese character (Chinese writes no boundary between words,
    and one character is often a word), where a run of hiragana or of katakana starts (such a run is a word, as a
    run of Latin letters is: a hyphen inside アマゾン is no more a word's start than one inside Amazon), at and after
    other punctuation (``Trainium3``: ``trainium3``, words at 0 and 8; ``AgentCore``: 0 and 5; ``Bristol-Myers``: a
    separator and a word at 7; 亚马逊云科技: a word at each of its 6 characters; 東京タワー: 0, 1 and 2)."""
    if text.isascii():
        spaced = " ".join(text.split())
    else:
        spaced = _spaced(unicodedata.normalize("NFKC", text).translate(simplified()).split())
    joined: list[str] = []
    length = 0
    starts = {0}
    separators: list[int] = []
    previous = before = ""
    apart = False
    for char in spaced:
        if char in SEPARATORS:
            apart = True
            continue
        kind = _kind_of(char)
        if char == _PROLONGED and before in ("hiragana", "katakana"):  # すごーい, トレーニアム: the sound goes on
            kind = before
        if previous:
            if apart:
                separators.append(length)
            if apart or _word_starts(previous, before, char, kind):
                starts.add(length)
        folded = char.casefold()
        joined.append(folded)
        length += len(folded)
        previous, before, apart = char, kind, False
    return Words("".join(joined), frozenset(starts), tuple(separators))


def _word_starts(previous: str, before: str, char: str, after: str) -> bool:
    """Whether a word starts at ``char`` (of kind ``after``) written right after ``previous`` (of kind ``before``;
    see :func:`run_together`)."""
    if before != after or before in ("other", "wide"):
        return True
    return unicodedata.category(previous) == "Ll" and unicodedata.category(char) == "Lu"


#: The blocks of Japanese kana: hiragana, and katakana with its phonetic extensions (as the viewer's KANA).
_HIRAGANA, _KATAKANA = ((0x3040, 0x309F),), ((0x30A0, 0x30FF), (0x31F0, 0x31FF))
#: ー, which lengthens the sound of the kana before it, hiragana or katakana.
_PROLONGED = "ー"


def _kind_of(char: str) -> str:
    """``letter``, ``digit``, ``other``, or for a letter Chinese and Japanese write without spaces, ``hiragana``,
    ``katakana`` (a run of either is a word, as a run of Latin letters is) or ``wide`` (a Chinese character, each
    of which starts a word)."""
    category = unicodedata.category(char)[0]
    if category == "L":
        if not _spaceless(char):
            return "letter"
        code = ord(char)
        if any(low <= code <= high for low, high in _HIRAGANA):
            return "hiragana"
        return "katakana" if any(low <= code <= high for low, high in _KATAKANA) else "wide"
    return "digit" if category == "N" else "other"


def fits(typed: Words, name: Words) -> bool:
    """Whether a name typed finds ``name`` with their words run together: the same letters, and each separator typed
    where a word of ``name`` starts. ``Trainium 3`` and ``trainium-3`` find Trainium3, ``agent core`` AgentCore,
    ``Nova2`` Nova 2, ``Bristol Myers Squibb`` Bristol-Myers Squibb, ``亚马逊-云科技`` 亚马逊云科技; ``agen tcore``
    does not find AgentCore."""
    return bool(typed.joined) and typed.joined == name.joined and name.starts.issuperset(typed.separators)


# ----------------------------------------------------------------------------------------------- finding


def find(
    loaded: LoadedGraph, name: str, *, suggesting: bool = True, lang: str = "en", suggest_of: URIRef | None = None
) -> URIRef:
    """The resource ``name`` designates: an IRI, ``prefix:local``, a label or alt label (English or Chinese,
    any case), or an IRI local name. Raises NotFoundError (with suggestions, unless not ``suggesting``: finding
    them reads every label) or AmbiguousNameError, whose candidates and suggestions are named in ``lang``
    (:func:`candidate`, :func:`suggest`). ``suggest_of``: suggest only names of instances of that class, those the
    caller takes (``kg:Entity`` for ``path``; a figure suggested there was then refused); what is found is not
    restricted. An empty name raises InputError."""
    if not name.strip():  # a script's "$NAME" unset: it read every label to say "nothing is named ''" (exit 1)
        raise InputError(EMPTY_NAME)
    graph = loaded.graph
    iri = _as_iri(name.strip(), loaded.prefixes)
    if iri is not None:
        if (iri, None, None) not in graph:
            what = f"{name} is not the subject of any triple"
            elsewhere = _bound_elsewhere(name.strip(), loaded.prefixes)
            if elsewhere is not None:
                raise NotFoundError(what, advice=(elsewhere, elsewhere))
            close = suggest(loaded, local_name(iri), lang=lang, of_type=suggest_of) if suggesting else []
            raise NotFoundError(what, close)
        return iri
    typed = run_together(name)
    near: list[tuple[int, URIRef, str]] = []  # in memory, the names of the same letters that the first look read
    hits = _first_hits(graph, _matches(loaded, normalise(name), typed.joined, near))
    if not hits:
        hits = _first_hits(graph, _run_together_matches(loaded, typed, near))
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise AmbiguousNameError(name, [candidate(graph, s, lang) for s in hits])
    cls = match_term(graph, name, classes(loaded))  # show Chip: a class, whose members the user is after
    if cls is not None:
        raise class_for_entity(graph, name, cls)
    close = suggest(loaded, name, lang=lang, of_type=suggest_of) if suggesting else []
    raise NotFoundError(f"nothing is named {name!r}", close)


def class_for_entity(graph: Graph, name: str, cls: URIRef) -> NotFoundError:
    """The error for ``name``, which designates the class ``cls`` where an entity is asked for: the reader is
    after its members, and is told how to list them (or show the class)."""
    local, prefixed = local_name(cls), qname(graph, cls)
    return NotFoundError(
        f"{name!r} is a class ({prefixed}), not an entity",
        advice=(
            f"kgraph.explore.entities(loaded, [URIRef({str(cls)!r})]) lists its members",
            f"kgraph entities --type {shell_words([local])} lists its members, kgraph show {prefixed} the class",
        ),
    )


def is_class(loaded: LoadedGraph, term: URIRef) -> bool:
    """Whether ``term`` is one of :func:`classes` (asked of ``term`` alone, not by listing them all)."""
    ontology = loaded.ontology
    declared = (term, RDF.type, OWL.Class) in ontology or (term, RDF.type, RDFS.Class) in ontology
    return declared and not defined_elsewhere(ontology, term)


def _matches(loaded: LoadedGraph, key: str, joined: str, near: list[tuple[int, URIRef, str]]) -> Iterator[list[URIRef]]:
    """The resources whose labels match ``key``, then those whose alt labels do, then those whose IRI local
    name does (of the resources the data labels, and of every entity: ``kgraph entities`` lists one without a
    label by its local name), each sorted; worked out only as far as they are asked for. A store with a name
    index (:mod:`kgraph.name_index`) looks them up; otherwise every label is read, and those of the letters
    ``joined`` (:func:`run_together`) kept in ``near``."""
    index = getattr(loaded.graph.store, "name_index", None)
    found = index.lookup(key) if index is not None else None
    if found is not None:
        yield from found
        return
    for _kind, names in itertools.groupby(_names_of(loaded), key=lambda row: row[0]):
        matched = set()
        for row in names:
            normal = normalise(row[2])
            if normal == key:
                matched.add(row[1])
            elif normal.translate(_NO_SEPARATORS) == joined:
                near.append(row)
        yield sorted(matched)


def _run_together_matches(
    loaded: LoadedGraph, typed: Words, near: list[tuple[int, URIRef, str]]
) -> Iterator[list[URIRef]]:
    """What a name typed finds with the words of each run together (:func:`fits`), where it matches no name as it
    is written: by label, then by alt label, then by local name, as :func:`_matches`. A store's name index gives
    the resources with a name of the same letters (:meth:`kgraph.name_index.NameIndex.run_together`), whose names
    are then read to see where their words start; in memory, ``near`` has those names (:func:`_matches` read them
    all, as none matched), and if the index fails here every name is read."""
    if not typed.joined:
        return
    graph = loaded.graph
    index = getattr(graph.store, "name_index", None)
    found = index.run_together(typed.joined, SEPARATORS) if index is not None else None
    if found is not None:
        for kind, resources in enumerate(found):
            yield [
                resource
                for resource in resources
                if any(fits(typed, run_together(text)) for text in _names_kind(graph, resource, kind))
            ]
        return
    if index is not None:  # it answered the first look, not this one: damaged since
        near = [row for row in _names_of(loaded) if normalise(row[2]).translate(_NO_SEPARATORS) == typed.joined]
    for _kind, names in itertools.groupby(near, key=lambda row: row[0]):
        yield sorted({s for _kind, s, text in names if fits(typed, run_together(text))})


def _names_kind(graph: Graph, resource: URIRef, kind: int) -> list[str]:
    """``resource``'s labels (kind 0), alt labels (1) or local name (2)."""
    if kind == 2:  # the kinds of _names_of
        return [local_name(resource)]
    return [str(text) for text in graph.objects(resource, (RDFS.label, SKOS.altLabel)[kind])]


def _names_of(loaded: LoadedGraph) -> Iterator[tuple[int, URIRef, str]]:
    """Every name :func:`find` matches, as ``(kind, resource, text)``: the labels (kind 0), then the alt labels
    (1) of the resources the data (not only the ontology) describes, then the local names (2) of those and of every
    entity. One pass over each predicate, not one look-up per resource."""
    ontology_terms = set(loaded.ontology.subjects())
    named: set[URIRef] = set()
    for kind, predicate in enumerate((RDFS.label, SKOS.altLabel)):
        for s, text, _literal in _subject_texts(loaded, predicate):
            if isinstance(s, URIRef) and s not in ontology_terms:
                named.add(s)
                yield kind, s, text
    named.update(s for s in loaded.graph.subjects(RDF.type, KG.Entity) if isinstance(s, URIRef))
    for s in named - ontology_terms:
        yield 2, s, local_name(s)


def _first_hits(graph: Graph, matches: Iterable[list[URIRef]]) -> list[URIRef]:
    """What a name designates, of what its labels, then alt labels, then local names match (:func:`_matches`):
    the first of these that matches anything (entities first, :func:`_prefer_entities`); one resource, or several
    (an ambiguous name), or none."""
    for matched in matches:
        hits = _prefer_entities(graph, matched)
        if hits:
            return hits
    return []


def _prefer_entities(graph: Graph, hits: list[URIRef]) -> list[URIRef]:
    """Of several matches, the entities alone when there are any: a section titled after a product (the
    section "Amazon Bedrock AgentCore") does not make the product's name ambiguous. Sections, figures and
    other non-entities stay reachable by their IRI or prefixed name."""
    entities = [hit for hit in hits if (hit, RDF.type, KG.Entity) in graph]
    return entities if entities and len(entities) < len(hits) else hits


def _as_iri(name: str, declared: Iterable[DeclaredPrefix] = ()) -> URIRef | None:
    """``name`` as an IRI when it is one (``<...>``, ``http(s)://...``) or a prefixed name with a known prefix: one
    of kgraph's (:data:`kgraph.vocab.PREFIXES`), which means what it means in kgraph whatever a file binds it to,
    or else one the data files (``declared``) bind to one namespace. One they bind to several raises
    AmbiguousPrefixError."""
    text = name.removeprefix("<").removesuffix(">")
    if text.startswith(("http://", "https://", "urn:")):
        return URIRef(text)
    prefix, colon, local = text.partition(":")
    if not colon or " " in local:
        return None
    if prefix in PREFIXES:
        return URIRef(str(PREFIXES[prefix]) + local)
    bound = [entry for entry in declared if entry.prefix == prefix]
    if len(bound) > 1:
        raise AmbiguousPrefixError(_ambiguous_prefix(text, prefix, local, bound))
    return URIRef(bound[0].namespace + local) if bound else None


def _ambiguous_prefix(name: str, prefix: str, local: str, bound: list[DeclaredPrefix]) -> str:
    """What a prefixed name whose prefix the data files bind to several namespaces (``bound``) is told."""
    where = ", ".join(f"<{entry.namespace}> in {display_path(entry.path)}" for entry in bound)
    iris = " or ".join(f"<{entry.namespace}{local}>" for entry in bound)
    return (
        f"the prefix {prefix}: of {name} is bound to {len(bound)} namespaces in the data: {where}; write the IRI "
        f"whole ({iris}), or bind {prefix}: to one namespace in every file"
    )


def _bound_elsewhere(name: str, declared: Iterable[DeclaredPrefix]) -> str | None:
    """For a prefixed name of one of kgraph's prefixes (``src:chips``) that names nothing, where a data file binds
    the prefix to another namespace: that kgraph's prefix means kgraph's namespace, and the IRI the file meant.
    None otherwise."""
    prefix, _colon, local = name.removeprefix("<").removesuffix(">").partition(":")
    own = PREFIXES.get(prefix)
    other = next((entry for entry in declared if entry.prefix == prefix and entry.namespace != str(own)), None)
    if own is None or other is None:
        return None
    return (
        f"{prefix}: is kgraph's prefix for <{own}>, which {display_path(other.path)} binds to <{other.namespace}>: "
        f"write the IRI whole (<{other.namespace}{local}>), or give that namespace another prefix"
    )


def _subject_texts(loaded: LoadedGraph, predicate: URIRef) -> Iterator[tuple[Node, str, bool]]:
    """Every ``(subject, text of the object, is the object a literal?)`` of ``predicate``. On a store, Oxigraph
    returns the texts without making an rdflib term of each (most of the cost of a scan of a million labels)."""
    native = getattr(loaded.graph.store, "subject_texts", None)
    if native is not None:
        yield from native(predicate)
        return
    for s, o in loaded.graph.subject_objects(predicate):
        yield s, str(o), isinstance(o, Literal)


def candidate(graph: Graph, node: Node, lang: str = "en", names: Graph | None = None) -> str:
    """A candidate of an ambiguous name: its label in ``lang`` (:func:`label_or_english`), its prefixed name and
    its most specific ``kg:`` class (the first by name was kg:Entity, which every entity has); prefixed with those
    of ``names``, if given, else of ``graph``."""
    prefixed = names if names is not None else graph
    classes = {c for c in graph.objects(node, RDF.type) if str(c).startswith(str(KG))}
    supers = {s for c in classes for s in graph.transitive_objects(c, RDFS.subClassOf) if s != c}
    specific = sorted(qname(prefixed, c) for c in classes - supers) or sorted(qname(prefixed, c) for c in classes)
    named = in_a_message(label_or_english(graph, node, lang))
    return f"{named} ({qname(prefixed, node)}, {', '.join(specific[:1]) or 'no class'})"


def handle(loaded: LoadedGraph, node: URIRef, lang: str = "en") -> str:
    """A name of ``node`` that :func:`find` takes back to it, for a command a message suggests: its label in
    ``lang`` (as :func:`label` gives it), or its prefixed name where the label names another resource too, or none
    (``kgraph lineage kgr:x``, which ``kgraph lineage X`` would answer with "X is ambiguous")."""
    name = label(loaded.graph, node, lang)
    try:
        if find(loaded, name, suggesting=False, lang=lang) == node:
            return name
    except (InputError, NotFoundError, AmbiguousNameError, AmbiguousPrefixError):
        pass
    return qname(loaded.graph, node)


def label_or_english(graph: Graph, node: Node, lang: str) -> str:
    """The ``rdfs:label`` of ``node`` in ``lang``, else in English, else as :func:`label` (``--lang zh`` names an
    entity by its Chinese label, and one without any by its English one)."""
    values = [(str(value), value.language) for value in graph.objects(node, RDFS.label) if isinstance(value, Literal)]
    found = pick_text([(text, tag) for text, tag in values if primary_language(tag) == lang], lang)
    found = found or pick_text(values, "en")
    return qname(graph, node) if found is None else found


@dataclass(frozen=True, order=True)
class NameClash:
    """Two entities that :func:`find` cannot tell apart by a name: ``focus``'s label (``rdfs:label``) or
    alternative label (``skos:altLabel``) ``focus_name`` is, as :func:`find` compares names, ``other``'s
    ``other_name``. Both labels: the name finds both (ambiguous); ``focus``'s alternative label and ``other``'s
    label: it finds ``other`` only; both alternative labels (and no entity's label): ambiguous."""

    rank: int  # 0 label and label, 1 alternative label and label, 2 both alternative labels
    focus: URIRef
    focus_predicate: URIRef
    focus_name: Literal
    other: URIRef
    other_predicate: URIRef
    other_name: Literal


def same_names(loaded: LoadedGraph) -> list[NameClash]:
    """One :class:`NameClash` for each pair of entities (``kg:Entity``, inferred types included) that share a name
    as :func:`find` reads names: a label or alternative label in any language (English, Chinese...), compared by
    :func:`normalise`. A pair that shares several names is one clash, the one that matters most to :func:`find`
    (labels before alternative labels, then by the name's key). A label that an entity shares with another kind of
    thing (a section titled after a product) is none: :func:`find` prefers the entity. One pass over the labels (on
    a store, one Oxigraph query, with no rdflib term made), then one look-up of the class of each resource a name
    names twice."""
    by_key: dict[str, dict[str, dict[str, tuple[str, str | None]]]] = {}  # key -> kind -> IRI -> least name
    for iri, kind, text, tag in _names_of_iris(loaded):
        named = by_key.setdefault(normalise(text), {}).setdefault(kind, {})
        known = named.get(iri)
        if known is None or _english_first((text, tag)) < _english_first(known):
            named[iri] = (text, tag)
    is_entity: dict[str, bool] = {}

    def entities(named: dict[str, tuple[str, str | None]]) -> dict[str, tuple[str, str | None]]:
        for iri in named:
            if iri not in is_entity:
                is_entity[iri] = (URIRef(iri), RDF.type, KG.Entity) in loaded.graph
        return {iri: name for iri, name in named.items() if is_entity[iri]}

    found: list[tuple[int, str, str, str]] = []  # (rank, key, focus, other)
    for key in sorted(by_key):
        kinds = by_key[key]
        if sum(len(named) for named in kinds.values()) < 2:
            continue
        labels = entities(kinds.get("label", {}))
        alternatives = {iri: name for iri, name in entities(kinds.get("alt", {})).items() if iri not in labels}
        found += [(0, key, a, b) for a in labels for b in labels if a < b]
        found += [(1, key, a, b) for a in alternatives for b in labels]
        if not labels:
            found += [(2, key, a, b) for a in alternatives for b in alternatives if a < b]
    clashes: dict[tuple[str, str], NameClash] = {}
    for rank, key, focus, other in sorted(found):
        pair = (min(focus, other), max(focus, other))
        if pair not in clashes:
            kinds = by_key[key]
            focus_name = kinds["label" if rank == 0 else "alt"][focus]
            other_name = kinds["alt" if rank == 2 else "label"][other]
            clashes[pair] = NameClash(
                rank,
                URIRef(focus),
                RDFS.label if rank == 0 else SKOS.altLabel,
                Literal(focus_name[0], lang=focus_name[1]),
                URIRef(other),
                SKOS.altLabel if rank == 2 else RDFS.label,
                Literal(other_name[0], lang=other_name[1]),
            )
    return sorted(clashes.values())


def _english_first(name: tuple[str, str | None]) -> tuple[bool, str, str]:
    """The order in which a :class:`NameClash` picks the name it shows of an entity's names of one key: an English
    one first, then by text, then by tag (in small letters, as :func:`_names_of_iris` gives tags)."""
    text, tag = name
    return (primary_language(tag) != "en", text, tag or "")


def _names_of_iris(loaded: LoadedGraph) -> Iterator[tuple[str, str, str, str | None]]:
    """Every label and alternative label of an IRI, as ``(IRI, "label" or "alt", text, language tag in small
    letters)``: in memory as on a store, which keeps tags so."""
    kinds = {str(RDFS.label): "label", str(SKOS.altLabel): "alt"}
    native = getattr(loaded.graph.store, "native", None)  # a store's Oxigraph database (kgraph.oxstore)
    if native is not None:
        import pyoxigraph as ox  # noqa: PLC0415 - pyoxigraph only on a store: a query starts without it

        from kgraph.oxstore import FLAT  # noqa: PLC0415

        for predicate, kind in kinds.items():  # a query each: with VALUES ?p, Oxigraph took three times as long
            for s, o in native.query(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}", default_graph=FLAT):
                if isinstance(s, ox.NamedNode) and isinstance(o, ox.Literal):  # faster than a FILTER
                    yield s.value, kind, o.value, o.language
        return
    for s, p, text, tag in loaded.texts_with([RDFS.label, SKOS.altLabel]):
        if isinstance(s, URIRef):
            yield str(s), kinds[str(p)], text, tag


#: The longest name an error message quotes (a label can be a whole document).
MESSAGE_NAME_MAX = 80


def in_a_message(text: str) -> str:
    """``text`` on one line (an error is one line), its control characters shown (:func:`kgraph.text.printable`),
    cut to :data:`MESSAGE_NAME_MAX` characters."""
    flat = printable(" ".join(text.split()))
    return flat if len(flat) <= MESSAGE_NAME_MAX else flat[: MESSAGE_NAME_MAX - 1] + "…"


def suggest(
    loaded: LoadedGraph, name: str, limit: int = 6, lang: str = "en", of_type: URIRef | None = None
) -> list[str]:
    """Labels close to ``name`` (both languages, labels and alt labels): similar first, then containing it (a
    name of two characters or more, or one Chinese character), one for each thing they name: ``Gravitn`` suggests
    Graviton, not again its alt labels ``AWS Graviton`` and ``Graviton处理器``. In English, the name that was
    close; in another language (``zh``), the label in that language of what it names (else its English one),
    followed by the name that was close where that is another: ``Nvidai`` suggests ``英伟达 (Nvidia)`` rather
    than Nvidia, which alone did not say why it was suggested. With ``of_type``, only names of instances of that
    class: ``Tranium3`` for a chip suggests no ``Trainium3制程``, a figure's name, which would be refused."""
    names, keys, owners = _suggestable(loaded)
    key = normalise(name)
    contained = len(key) > 1 or any(_spaceless(char) for char in key)  # "x" is in too many names to say anything
    containing = sorted((k for k in keys if contained and key in k), key=lambda k: (len(k), k))
    # of a class, every close name in order: those of other classes are left out below
    similar = close_matches(key, keys, limit if of_type is None else len(keys), similarity_cutoff(key))
    ordered = list(dict.fromkeys([*similar, *containing]))
    owner_of = _typed_owners(loaded, of_type) if of_type is not None else None
    shown: dict[object, str] = {}  # what is named (in English) or the label named -> it with the name that was close
    for k in ordered:
        if owner_of is not None:
            owner = owner_of(k)
            if owner is None:  # it names nothing of the class asked for
                continue
        else:
            owner = owners.get(k) or _owner(loaded, k)
        if lang == "en":
            shown.setdefault(owner or k, in_a_message(names[k]))
        else:
            named = names[k] if owner is None else label_or_english(loaded.graph, owner, lang)
            close = "" if normalise(named) == k else f" ({in_a_message(names[k])})"
            shown.setdefault(named, in_a_message(named) + close)
        if len(shown) == limit:
            break
    return list(shown.values())


def _typed_owners(loaded: LoadedGraph, of_type: URIRef) -> Callable[[str], URIRef | None]:
    """For :func:`suggest`: what gives, for a name (normalised), the first resource of ``of_type`` (by IRI) it is
    the label or else the alt label of, or None. On a store, its name index is asked for each name; in memory,
    the names of every instance of ``of_type`` are read once."""
    graph = loaded.graph
    typed: dict[URIRef, bool] = {}

    def of_the_class(resource: URIRef) -> bool:
        if resource not in typed:
            typed[resource] = (resource, RDF.type, of_type) in graph
        return typed[resource]

    if getattr(graph.store, "name_index", None) is not None:

        def looked_up(key: str) -> URIRef | None:
            for kind, hits in enumerate(_matches(loaded, key, "", [])):
                found = [hit for hit in hits if of_the_class(hit)]
                if found or kind == 1:  # a label or an alt label: a local name is suggested by neither
                    return found[0] if found else None
            return None

        return looked_up
    table: dict[str, tuple[int, str, URIRef]] = {}  # name -> (0 label / 1 alt label, IRI, resource), the least
    for kind, resource, text in _names_of(loaded):
        if kind < 2 and of_the_class(resource):
            k = normalise(text)
            table[k] = min(table.get(k, (kind, str(resource), resource)), (kind, str(resource), resource))
    return lambda key: table[key][2] if key in table else None


def _owner(loaded: LoadedGraph, key: str) -> URIRef | None:
    """What the name ``key`` (normalised) designates, or the first of several; on a store, from its name index."""
    found = _first_hits(loaded.graph, _matches(loaded, key, "", []))
    return found[0] if found else None


#: What :func:`suggest` chooses from: every label and alt label of the data, normalised -> as written, the
#: normalised ones sorted, and in memory normalised -> the resource it names (the first by IRI, labels first; on a
#: store, kept for as long as the store is open, the name index tells it instead).
_Suggestable = tuple[dict[str, str], list[str], dict[str, URIRef]]

#: The labels :func:`suggest` compares a name with, per store: a store never changes, and reading its labels is
#: most of what a suggestion costs (2-3 s of about 5 s at a million triples), which a server (``kgraph serve``)
#: paid for every name that matched nothing. Kept while the store is open, about 50 MB at a million triples.
_SUGGESTABLE: weakref.WeakKeyDictionary[object, _Reading] = weakref.WeakKeyDictionary()
_SUGGESTABLE_LOCK = threading.Lock()


class _Reading:
    """A store's labels being read for :func:`suggest`, in a thread of its own: a request stopped at its time
    limit stops waiting, not the reading (under load at 1M triples every reading was stopped before its end, so
    each unknown name started it again and none got its table)."""

    def __init__(self, loaded: LoadedGraph) -> None:
        self.done = threading.Event()
        self.table: _Suggestable | None = None
        self.error: BaseException | None = None
        threading.Thread(target=self._read, args=(loaded,), name="kgraph-labels", daemon=True).start()

    def _read(self, loaded: LoadedGraph) -> None:
        try:
            self.table = _read_suggestable(loaded)
        except BaseException as error:  # handed to the threads waiting for it
            self.error = error
        finally:
            self.done.set()

    def result(self) -> _Suggestable:
        while not self.done.wait(0.05):  # short waits: a waiting query worker can still be stopped
            pass
        if self.table is None:
            raise self.error or RuntimeError("the labels could not be read")
        return self.table


def _suggestable(loaded: LoadedGraph) -> _Suggestable:
    """Every label and alt label of the data, normalised -> as written, and the normalised ones sorted, and what
    each names; read once per store (:data:`_SUGGESTABLE`), every time in memory, where the graph may change."""
    if loaded.store_dir is None:
        return _read_suggestable(loaded)
    store = loaded.graph.store
    with _SUGGESTABLE_LOCK:
        reading = _SUGGESTABLE.get(store)
        if reading is None or (reading.done.is_set() and reading.table is None):  # none yet, or it failed
            reading = _SUGGESTABLE[store] = _Reading(loaded)
    return reading.result()


def _read_suggestable(loaded: LoadedGraph) -> _Suggestable:
    ontology_terms = set(loaded.ontology.subjects())
    found: dict[tuple[URIRef, int], list[str]] = {}  # (resource, 0 for labels / 1 for alt labels): the texts
    for index, predicate in enumerate((RDFS.label, SKOS.altLabel)):
        for s, text, literal in _subject_texts(loaded, predicate):
            if literal and isinstance(s, URIRef) and s not in ontology_terms:
                found.setdefault((s, index), []).append(text)
    names: dict[str, str] = {}
    owners: dict[str, URIRef] = {}
    in_memory = loaded.store_dir is None
    for resource_and_kind in sorted(found):  # by resource, labels before alt labels, each sorted
        for value in sorted(found[resource_and_kind]):
            key = normalise(value)
            if key not in names:
                names[key] = value
                if in_memory:
                    owners[key] = resource_and_kind[0]
    return names, sorted(names), owners


def close_matches(word: str, possibilities: Iterable[str], n: int, cutoff: float) -> list[str]:
    """The ``n`` of ``possibilities`` most similar to ``word``, as :func:`difflib.get_close_matches` finds them (its
    ratio at least ``cutoff``), those as similar in the order the viewer's search gives them: shorter first, then
    alphabetical (difflib gave the alphabetically last first)."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    scored = []
    for possibility in possibilities:
        matcher.set_seq1(possibility)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
            similar = matcher.ratio()
            if similar >= cutoff:
                scored.append((-similar, len(possibility), possibility))
    return [possibility for _, _, possibility in heapq.nsmallest(n, scored)]


def similarity_cutoff(key: str) -> float:
    """How similar (difflib's ratio) a name must be to a typed one to be suggested: 0.6, or 0.5 for a name with
    Chinese or Japanese characters, where one character is a word: 谷哥 for 谷歌 (0.5) was suggested nothing."""
    return 0.5 if any(_spaceless(char) for char in key) else 0.6


def close_terms(graph: Graph, name: str, candidates: Iterable[URIRef], limit: int = 3) -> list[str]:
    """Of ``candidates`` (classes, relations), those whose label that is not ASCII (a Chinese one) is close to
    ``name``, shown with their local name (``芯片组``: ``芯片 (Chip)``)."""
    key = normalise(name)
    shown: dict[str, str] = {}
    for term in candidates:
        local = local_name(term)
        for text in texts(graph, term, RDFS.label):
            if not text.isascii():
                shown.setdefault(normalise(text), f"{in_a_message(text)} ({local})")
    close = close_matches(key, shown, limit, similarity_cutoff(key))
    return [shown[k] for k in close]


def close_local_names(graph: Graph, name: str, candidates: Iterable[URIRef], limit: int = 3) -> list[str]:
    """Of ``candidates`` (classes), the local names of those whose local name or English label is close to the
    ASCII ``name``, in any case and with or without a prefix (``Chipp``, ``kg:Chipp``, ``hardwre``: ``Chip``,
    ``Hardware``), as their local names."""
    key = normalise(name.removeprefix("<").removesuffix(">"))
    key = key.rpartition(":")[2] if ":" in key and "//" not in key else key.rpartition("#")[2]
    shown: dict[str, str] = {}
    for term in candidates:
        local = local_name(term)
        shown.setdefault(normalise(local), local)
        for text in texts(graph, term, RDFS.label):
            if text.isascii():
                shown.setdefault(normalise(text), local)
    # 0.7, not the 0.6 of the other names: class names are short, and at 0.6 Spaceship is close to Chip
    close = close_matches(key, shown, limit * 2, 0.7)
    return list(dict.fromkeys(shown[k] for k in close))[:limit]


# ----------------------------------------------------------------------------------------------- completing

#: What :func:`starting_with` writes a name as: a word a shell keeps whole and inserts as it is (letters of any
#: script, digits and ``_.+-@%/``), and that does not read as an option (``-``first). A space, a quote or a ``:``
#: (where bash splits a word to complete) is not.
_SHELL_WORD = re.compile(r"[\w.+@%/][\w.+\-@%/]*")


def shell_word(text: str) -> bool:
    """Whether a shell keeps ``text`` as one word and inserts it as it is (see :data:`_SHELL_WORD`)."""
    return _SHELL_WORD.fullmatch(text) is not None


def starting_with(
    loaded: LoadedGraph, prefix: str, *, of_type: URIRef | None = None, limit: int = 200
) -> list[tuple[URIRef, str]]:
    """What a name that starts with ``prefix`` can designate, for a shell to complete: the resources whose label,
    alt label or local name starts with it, compared as :func:`find` compares names, at most ``limit``, the
    shortest match first. Each comes with a way to write it that :func:`find` takes back to that resource and a
    shell keeps as one word: the name that matched as it is written (``Trainium3``, ``英伟达``) where it is such a
    word and names that resource alone, else its local name (``amazon-bedrock``), else its prefixed name.
    ``of_type``: only instances of that class (``kg:Entity``, what ``path`` and ``neighbors`` take; a saved query's
    parameter of a class, such as ``kg:SourceSection``)."""
    key = normalise(prefix)
    graph = loaded.graph
    index = getattr(graph.store, "name_index", None)
    table: _NameTable = index if index is not None else _MemoryNames(loaded)
    resources = table.starting_with(key)
    if resources is None:  # a store's index that cannot be read: its labels are read, as find does then
        table = _MemoryNames(loaded)
        resources = table.starting_with(key)
    found: list[tuple[URIRef, str]] = []
    for resource in resources or ():
        if of_type is not None and (resource, RDF.type, of_type) not in graph:
            continue
        written = _written(loaded, table, resource, key)
        if written is not None:
            found.append((resource, written))
            if len(found) == limit:
                break
    return found


class _NameTable(Protocol):
    """What :func:`starting_with` asks of the names: a store's index (:class:`kgraph.name_index.NameIndex`) or
    :class:`_MemoryNames`."""

    def lookup(self, key: str) -> list[list[URIRef]] | None: ...

    def starting_with(self, key: str) -> Iterable[URIRef] | None: ...


class _MemoryNames:
    """The names :func:`find` matches, read once from a graph (what a store's name index holds): per normalised
    name, the resources whose label, alt label and local name it is."""

    def __init__(self, loaded: LoadedGraph) -> None:
        self._keys: dict[str, tuple[set[URIRef], set[URIRef], set[URIRef]]] = {}
        for kind, s, text in _names_of(loaded):
            self._entry(normalise(text))[kind].add(s)

    def _entry(self, key: str) -> tuple[set[URIRef], set[URIRef], set[URIRef]]:
        return self._keys.setdefault(key, (set(), set(), set()))

    def lookup(self, key: str) -> list[list[URIRef]]:
        """As :meth:`kgraph.name_index.NameIndex.lookup`."""
        return [sorted(found) for found in self._keys.get(key, (set(), set(), set()))]

    def starting_with(self, key: str) -> list[URIRef]:
        """As :meth:`kgraph.name_index.NameIndex.starting_with`."""
        shortest: dict[URIRef, tuple[int, str]] = {}
        for name, found in self._keys.items():
            if name.startswith(key):
                for resource in set().union(*found):
                    shortest[resource] = min(shortest.get(resource, (len(name), name)), (len(name), name))
        return sorted(shortest, key=lambda resource: (*shortest[resource], str(resource)))


def _written(loaded: LoadedGraph, table: _NameTable, resource: URIRef, key: str) -> str | None:
    """How :func:`starting_with` writes ``resource`` (see there); None when no way of writing it finds it."""
    graph = loaded.graph
    local = local_name(resource)
    spellings = [*texts(graph, resource, RDFS.label), *texts(graph, resource, SKOS.altLabel), local]
    preferred = [text for text in spellings if normalise(text).startswith(key)]
    for text in dict.fromkeys([*preferred, local]):
        if shell_word(text):
            found = table.lookup(normalise(text))
            if found is not None and _first_hits(graph, found) == [resource]:
                return text
    prefixed = qname(graph, resource)
    return prefixed if _as_iri(prefixed, loaded.prefixes) == resource else None


# ----------------------------------------------------------------------------------------------- classes


def classes(loaded: LoadedGraph) -> list[URIRef]:
    """Every class the ontology declares, sorted by local name, but those another vocabulary defines."""
    ontology = loaded.ontology
    declared = set(ontology.subjects(RDF.type, OWL.Class)) | set(ontology.subjects(RDF.type, RDFS.Class))
    own = (c for c in declared if isinstance(c, URIRef) and not defined_elsewhere(ontology, c))
    return sorted(own, key=lambda c: (local_name(c).casefold(), str(c)))


def defined_elsewhere(ontology: Graph, term: URIRef) -> bool:
    """Whether ``ontology`` declares ``term`` only as OWL 2 DL asks, for another vocabulary that defines it: its
    ``rdfs:isDefinedBy`` names something that is not an ``owl:Ontology`` of ``ontology`` (schema:Thing,
    prov:wasDerivedFrom), and it says nothing else of it (no label, no superclass, no domain ...). Such a term is
    no class or relation of the ontology's own to list or count. A term of one's own stays one however its
    ``rdfs:isDefinedBy`` is written: its namespace (``ex:``, with its ``#`` or ``/``) for the ontology
    ``<https://example.org/ex>``, or a folder's file without an ``owl:Ontology`` of its own."""
    definers = set(ontology.objects(term, RDFS.isDefinedBy))
    if not definers or any(p not in _DECLARING for p in ontology.predicates(term)):
        return False
    here = {str(o).rstrip("#/") for o in ontology.subjects(RDF.type, OWL.Ontology) if isinstance(o, URIRef)}
    return not any(str(d).rstrip("#/") in here for d in definers)


#: What declaring another vocabulary's term for OWL 2 DL says of it: its kind and where it is defined.
_DECLARING = frozenset({RDF.type, RDFS.isDefinedBy})


def match_term(graph: Graph, name: str, candidates: Iterable[URIRef]) -> URIRef | None:
    """The first of ``candidates`` that ``name`` designates by its local name (``Chip``), prefixed name
    (``kg:Chip``), IRI (with or without ``<>``) or a label in any language, in any case; None if none does."""
    key = normalise(name.removeprefix("<").removesuffix(">"))
    for term in candidates:
        keys = {local_name(term), qname(graph, term), str(term), *texts(graph, term, RDFS.label)}
        if key in {normalise(k) for k in keys}:
            return term
    return None


def resolve_class(loaded: LoadedGraph, name: str) -> URIRef:
    """The class ``name`` designates: local name (``Chip``), prefixed name (``kg:Chip``), IRI, or an English
    or Chinese label, in any case. An unknown name raises InputError listing the valid ones."""
    known = classes(loaded)
    found = match_term(loaded.graph, name, known)
    if found is not None:
        return found
    valid = ", ".join(local_name(c) for c in known)
    # close local names and English labels (Chipp, hardwre: Chip, Hardware), or Chinese labels for a Chinese name
    close = close_local_names(loaded.graph, name, known) if name.isascii() else close_terms(loaded.graph, name, known)
    hint = f"did you mean: {', '.join(close)}? " if close else ""
    raise InputError(f"unknown class {name!r}; {hint}use one of: {valid}")

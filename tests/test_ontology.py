"""The bundled ontology (ontology/kgraph.ttl) keeps the promises the README makes of it."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from conftest import PREFIXES
from kgraph.resources import default_ontology_dir
from kgraph.store import load
from kgraph.vocab import KG, KGR, SH

REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(default_ontology_dir() / "kgraph.ttl", format="turtle")


def _terms(ontology: Graph, *kinds: URIRef) -> list[URIRef]:
    found = {term for kind in kinds for term in ontology.subjects(RDF.type, kind)}
    return sorted(term for term in found if isinstance(term, URIRef) and term.startswith(str(KG)))


def test_every_class_and_property_has_one_label_and_a_comment_in_english_and_chinese(ontology):
    for term in _terms(ontology, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for predicate in (RDFS.label, RDFS.comment):
            languages = sorted(o.language or "" for o in ontology.objects(term, predicate) if isinstance(o, Literal))
            assert languages == ["en", "zh"], (term, predicate)


@pytest.mark.parametrize("kinds", [(OWL.Class,), (OWL.ObjectProperty, OWL.DatatypeProperty)])
def test_no_two_classes_or_two_properties_share_a_label(ontology, kinds):
    # A label names one class, or one property, in each language: two alike cannot be told apart by name.
    named: dict[tuple[str, str], set[URIRef]] = defaultdict(set)
    for term in _terms(ontology, *kinds):
        for label in ontology.objects(term, RDFS.label):
            named[(label.language, str(label).casefold())].add(term)
    assert {key: terms for key, terms in named.items() if len(terms) > 1} == {}


def test_inverses_mirror_their_domain_and_range(ontology):
    for p, q in ontology.subject_objects(OWL.inverseOf):
        assert set(ontology.objects(p, RDFS.domain)) == set(ontology.objects(q, RDFS.range)), (p, q)
        assert set(ontology.objects(p, RDFS.range)) == set(ontology.objects(q, RDFS.domain)), (p, q)


def test_a_property_is_named_like_a_class_only_in_both_languages(ontology):
    """A property may share its name with the class of its values (kg:unit, kg:Unit), in English and in Chinese
    alike; kg:hasFigure, "has figure" in English, was "数据指标" in Chinese, the name of kg:Figure."""
    classes = _terms(ontology, OWL.Class)
    properties = _terms(ontology, OWL.ObjectProperty, OWL.DatatypeProperty)

    def names(term: URIRef) -> dict[str, str]:
        return {label.language: str(label).casefold() for label in ontology.objects(term, RDFS.label)}

    for prop in properties:
        for cls in classes:
            shared = {lang for lang, name in names(prop).items() if names(cls).get(lang) == name}
            assert shared in (set(), {"en", "zh"}), (prop, cls, shared)


def test_every_inverse_pair_has_exactly_one_preferred_direction(ontology):
    """The exports write each relation in one direction (kgraph.export.property_graph): the property of its
    owl:inverseOf pair that is marked kg:preferredDirection true. Every pair has exactly one such property, and a
    marked property's own kg: super-properties that have an inverse are marked too, so that a relationship's
    ``types`` (its type and its super-properties') are all of the written direction (TRAINED_ON, USES)."""
    marked = set()
    for p, mark in ontology.subject_objects(KG.preferredDirection):
        assert mark == Literal(True), (p, mark)
        marked.add(p)
    pairs = {frozenset((p, q)) for p, q in ontology.subject_objects(OWL.inverseOf)}
    assert len(pairs) >= 26
    for pair in pairs:
        assert len(pair) == 2, pair  # no property is its own inverse (symmetric ones say so)
        assert len(pair & marked) == 1, sorted(pair)
    assert marked <= {p for pair in pairs for p in pair}  # no mark on a property without an inverse
    inverses = {p for pair in pairs for p in pair}
    for p in marked:
        for parent in ontology.transitive_objects(p, RDFS.subPropertyOf):
            if parent != p and parent in inverses:
                assert parent in marked, (p, parent)
    assert not marked & set(ontology.subjects(RDF.type, OWL.SymmetricProperty))


def test_the_preferred_direction_mark_is_a_declared_annotation(ontology):
    assert (KG.preferredDirection, RDF.type, OWL.AnnotationProperty) in ontology
    for predicate in (RDFS.label, RDFS.comment):
        languages = sorted(o.language for o in ontology.objects(KG.preferredDirection, predicate))
        assert languages == ["en", "zh"], predicate


@pytest.mark.parametrize(
    ("path", "kind"),
    [(KG.unit, KG.Unit), (KG.figureKind, KG.FigureKind), (KG.bound, KG.Bound), (KG.launchStatus, KG.LaunchStatus)],
)
def test_a_shape_that_asks_for_a_value_of_a_kind_names_every_value(ontology, path, kind):
    """The message for a figure's kind listed the kinds in words ("scale of use"), whose names (kg:UsageScale) the
    person writing the data then had to find in the ontology; the bound's said only "a kg:Bound"."""
    shapes = Graph().parse(default_ontology_dir() / "shapes.ttl", format="turtle")
    messages = [str(m) for shape in shapes.subjects(SH.path, path) for m in shapes.objects(shape, SH.message)]
    assert messages, path
    for value in _values(ontology, kind):
        assert all(f"kg:{value.removeprefix(str(KG))}" in message for message in messages), (value, messages)


def test_every_kg_name_a_shape_message_gives_is_in_the_ontology(ontology):
    shapes = Graph().parse(default_ontology_dir() / "shapes.ttl", format="turtle")
    named = {name for m in shapes.objects(None, SH.message) for name in re.findall(r"\bkg:(\w+)", str(m))}
    assert sorted(name for name in named if (KG[name], RDF.type, None) not in ontology) == []


def _values(ontology: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(v for v in ontology.subjects(RDF.type, kind) if isinstance(v, URIRef))


def _max_one_on_domain(ontology: Graph, shapes: Graph) -> set[URIRef]:
    """The kg: properties that a shape of shapes.ttl allows at most once on every node of the property's domain:
    an sh:maxCount 1 on the property, in a node shape that targets the domain class."""
    found = set()
    for node, prop in shapes.subject_objects(SH.property):
        path = shapes.value(prop, SH.path)
        if (
            not isinstance(path, URIRef)
            or not path.startswith(str(KG))
            or shapes.value(prop, SH.maxCount) != Literal(1)
        ):
            continue
        if set(ontology.objects(path, RDFS.domain)) & set(shapes.objects(node, SH.targetClass)):
            found.add(path)
    return found


def test_the_ontology_and_the_shapes_agree_on_what_has_one_value(ontology):
    """A property the shapes allow once per subject is an owl:FunctionalProperty, so that an OWL reasoner knows it
    too (kg:unit, kg:order were not), and a functional property is checked by a shape, so that data which breaks it
    is reported (kg:sha256 and kg:timeRange were not: two digests or two time ranges passed)."""
    shapes = Graph().parse(default_ontology_dir() / "shapes.ttl", format="turtle")
    functional = {p for p in ontology.subjects(RDF.type, OWL.FunctionalProperty) if p.startswith(str(KG))}
    assert sorted(_max_one_on_domain(ontology, shapes)) == sorted(functional)


def test_the_header_says_what_an_owl_user_looks_for(ontology):
    """Protege, an ontology registry or a reader of the file looks in the header for the version and the IRI of
    this version, a title, the licence and the prefix to bind; the header had a version number and a licence."""
    vann = Namespace("http://purl.org/vocab/vann/")
    (iri,) = ontology.subjects(RDF.type, OWL.Ontology)
    assert str(iri) == str(KG).removesuffix("#")
    (version,) = ontology.objects(iri, OWL.versionInfo)
    assert ontology.value(iri, OWL.versionIRI) == URIRef(f"{iri}/{version}")
    assert sorted(t.language for t in ontology.objects(iri, DCTERMS.title)) == ["en", "zh"]
    assert ontology.value(iri, DCTERMS.license) == URIRef("https://www.apache.org/licenses/LICENSE-2.0")
    assert ontology.value(iri, vann.preferredNamespacePrefix) == Literal("kg")
    assert ontology.value(iri, vann.preferredNamespaceUri) == Literal(str(KG))
    assert "Apache License 2.0" in (REPOSITORY / "README.md").read_text(encoding="utf-8")
    assert 'license = "Apache-2.0"' in (REPOSITORY / "pyproject.toml").read_text(encoding="utf-8")


#: Pairs of schema.org properties that name one relation from its two ends (schema.org's own inverseOf).
SCHEMA_INVERSES = {
    URIRef("https://schema.org/superEvent"): URIRef("https://schema.org/subEvent"),
    URIRef("https://schema.org/worksFor"): URIRef("https://schema.org/employee"),
}


def test_an_inverse_sits_under_the_inverse_of_each_super_property(ontology):
    """Of an owl:inverseOf pair, each end has as super-properties the inverses of the other's: kg:trainedOn is
    under kg:uses, so kg:trained is under kg:usedBy. The same for schema.org: kg:subEventOf was under
    schema:superEvent, but kg:hasSubEvent not under schema:subEvent, so a schema.org client found an event's
    sub-events from one end only (kg:employs and schema:employee likewise)."""
    inverses = {**SCHEMA_INVERSES, **{q: p for p, q in SCHEMA_INVERSES.items()}}
    for p, q in ontology.subject_objects(OWL.inverseOf):
        inverses[p], inverses[q] = q, p
    symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
    for p, q in ontology.subject_objects(OWL.inverseOf):
        for parent in ontology.objects(p, RDFS.subPropertyOf):
            if parent in symmetric:
                assert (q, RDFS.subPropertyOf, parent) in ontology, (p, parent)
            elif parent in inverses:
                assert (q, RDFS.subPropertyOf, inverses[parent]) in ontology, (p, parent, q)
            else:
                raise AssertionError(f"{p} is under {parent}, whose inverse the test does not know")


RELATED = (
    PREFIXES
    + """
src:s {
    kgr:acme a kg:Company ; rdfs:label "Acme"@en .
    kgr:globex a kg:Company ; rdfs:label "Globex"@en .
    kgr:acme kg:relatedTo kgr:globex .
}
"""
)


def test_every_relation_has_its_inverse_under_kg_related_to(ontology):
    """Why kg:relatedTo is symmetric: each relation under it has its inverse under it too (or is symmetric itself),
    so the kg:relatedTo every relation implies already runs both ways."""
    relations = set(ontology.transitive_subjects(RDFS.subPropertyOf, KG.relatedTo)) - {KG.relatedTo}
    symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
    inverses = defaultdict(set)
    for p, q in ontology.subject_objects(OWL.inverseOf):
        inverses[p].add(q)
        inverses[q].add(p)
    assert len(relations) > 40
    assert sorted(p for p in relations if p not in symmetric and not inverses[p] & relations) == []
    assert KG.relatedTo in symmetric


@pytest.mark.parametrize("on_store", [False, True])
def test_a_stated_kg_related_to_runs_both_ways_as_an_implied_one_does(make_kg, tmp_path, on_store):
    """A kg:relatedTo that data states (two entities related, no more said) ran one way only, where the one every
    other relation implies ran both: kg:relatedTo is now an owl:SymmetricProperty, in memory and in a store."""
    data_dir, _mini = make_kg({"a.trig": RELATED})
    if on_store:
        from kgraph import persist  # noqa: PLC0415 - pyoxigraph only here

        persist.build(tmp_path / "store", data_dir, default_ontology_dir())
        loaded = persist.open_store(tmp_path / "store")
    else:
        loaded = load(data_dir, default_ontology_dir())
    with loaded:
        assert loaded.is_asserted((KGR.acme, KG.relatedTo, KGR.globex))
        assert (KGR.globex, KG.relatedTo, KGR.acme) in loaded.graph
        assert not loaded.is_asserted((KGR.globex, KG.relatedTo, KGR.acme))


#: Names of the kg: namespace that README misspells on purpose, as examples of what a typo gets.
MISSPELT_ON_PURPOSE = {"usess", "Chipp", "chip"}


def test_every_kg_term_the_readme_names_is_in_the_ontology(ontology):
    """README names over a hundred terms of the ontology (`kg:Chip`, `kg:usedBy` ...) where a reader cannot follow
    them to their definition: a term misspelt there, renamed or removed from the ontology would go on being named.
    Its misspellings on purpose, examples of what a typo gets, are no terms."""
    text = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"(?<![\w/#.-])kg:(\w+)", text))
    declared = {s.removeprefix(str(KG)) for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef) and s in KG}
    assert len(named) > 100
    assert sorted(named - declared - MISSPELT_ON_PURPOSE) == []
    assert named >= MISSPELT_ON_PURPOSE
    assert sorted(MISSPELT_ON_PURPOSE & declared) == []

"""An analyst adding a source of their own (data/README.md, "Adding your own data"): what a mistake in it gets, the
same in memory (``kgraph --data DIR ...``) as on a store (``kgraph --data DIR load --store S``, then ``kgraph
--store S ...``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, URIRef

from conftest import PREFIXES, MakeKG
from kgraph import persist
from kgraph.cli import cli
from kgraph.errors import InputError
from kgraph.explore import describe
from kgraph.resources import default_data_dir, default_ontology_dir
from kgraph.store import load
from kgraph.validation import validate
from kgraph.viewer.model import figure as viewer_figure
from kgraph.viewer.model import sections as viewer_sections
from kgraph.vocab import KG, KGF, KGR, KGSH, SH


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


SOURCE = (
    PREFIXES
    + """@prefix my: <https://example.org/my-source/> .
my:document { my:document a kg:SourceDocument . my:chips a kg:SourceSection . }
my:chips { kgr:chip-one a kg:Chip ; rdfs:label "Chip One"@en . }
"""
)


# ------------------------------------------------------------------------------------------ an empty data file


def _the_one_warning_everywhere(expected: str) -> None:
    """``expected`` is the one warning of ``data`` with ``ontology`` (in the current folder): in memory, as ``kgraph
    load`` builds a store of them, as every command that opens the store says, and as ``validate`` prints it on
    either (on a store, among the steps of its validation, which it reports as it goes)."""
    assert load(Path("data"), Path("ontology")).warnings == (expected,)
    assert persist.build(Path("store"), Path("data"), Path("ontology")).warnings == (expected,)
    assert persist.open_store(Path("store")).warnings == (expected,)
    result = run("--data", "data", "--ontology", "ontology", "validate")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"warning: {expected}\n"
    result = run("--store", "store", "validate")
    assert result.exit_code == 0, result.output
    assert [line for line in result.stderr.splitlines() if "warning" in line] == [f"warning: {expected}"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# my chips, to be written\n",
        PREFIXES + "@prefix my: <https://example.org/my-source/> .\n",
        PREFIXES + "@prefix my: <https://example.org/my-source/> .\nmy:chips { }\n",
    ],
    ids=["no bytes", "a comment", "prefixes", "an empty graph"],
)
def test_a_data_file_without_a_triple_is_a_warning_in_memory_and_on_a_store(make_kg: MakeKG, in_tmp: Path, text):
    """A file saved from the wrong (empty) buffer loaded without a word: valid Turtle, no triple, and the user's
    facts nowhere. Every command warns, naming the file, in memory as on a store (as ``kgraph load`` builds it and
    as every command that reads it says it); a file with a triple is no warning."""
    make_kg({"00-source.trig": SOURCE, "01-mine.trig": text})
    expected = (
        "data/01-mine.trig: the file holds no triples (it is empty, or has only comments and prefixes); check that "
        "it is the file you meant to save, or remove it"
    )
    _the_one_warning_everywhere(expected)
    again = run("--data", "data", "--ontology", "ontology", "load", "--store", "store")  # up to date: said again
    assert again.exit_code == 0, again.output
    assert f"warning: {expected}\n" in again.stderr


def test_an_ontology_file_without_a_triple_is_a_warning_too(make_kg: MakeKG, in_tmp: Path):
    """An ontology file saved empty took its classes and relations with it without a word (the data's warned)."""
    make_kg({"00-source.trig": SOURCE})
    Path("ontology/extra.ttl").write_text("# more classes, to be written\n", encoding="utf-8")
    _the_one_warning_everywhere(
        "ontology/extra.ttl: the file holds no triples (it is empty, or has only comments and prefixes); check that "
        "it is the file you meant to save, or remove it"
    )


def test_an_empty_file_given_to_load_is_a_warning_too(make_kg: MakeKG, in_tmp: Path):
    """``kgraph load --store S FILE``: an extra file without a triple is named as a data file is."""
    make_kg({"00-source.trig": SOURCE})
    Path("extra.ttl").write_text("", encoding="utf-8")
    result = run("--data", "data", "--ontology", "ontology", "load", "--store", "store", "extra.ttl")
    assert result.exit_code == 0, result.output
    assert "warning: extra.ttl: the file holds no triples" in result.stderr
    assert persist.open_store(Path("store")).warnings[0].startswith("extra.ttl: the file holds no triples")


# ------------------------------------------------------------------------------------------ a source in a sub-folder


def test_data_files_in_a_sub_folder_are_a_warning_in_memory_and_on_a_store(make_kg: MakeKG, in_tmp: Path):
    """An analyst who put a second source in a folder of its own (``data/vendor/page.trig``) had it left out without
    a word: sub-folders are not read, ``validate`` said Conforms: yes and ``show`` found none of its entities. Such a
    sub-folder is a warning naming it and its file, in memory and on a store, and said again by a load that finds the
    store up to date (the file is no part of what the store holds) or by a command that reads kgraph's cache; a
    hidden folder, or one without a data file, is none."""
    make_kg({"00-source.trig": SOURCE})
    for quiet in (Path("data/.git/objects"), Path("data/notes")):
        quiet.mkdir(parents=True)
        (quiet / "README.md").write_text("not data\n", encoding="utf-8")
    (Path("data/.git") / "x.ttl").write_text("", encoding="utf-8")
    assert load(Path("data"), Path("ontology")).warnings == ()
    assert run("--data", "data", "--ontology", "ontology", "load", "--store", "store").exit_code == 0
    before = run("--data", "data", "--ontology", "ontology", "stats")  # kgraph's cache now holds the graph
    assert before.exit_code == 0 and "warning" not in before.stderr, before.output
    Path("data/vendor/sections").mkdir(parents=True)
    (Path("data/vendor/sections") / "page.trig").write_text(SOURCE, encoding="utf-8")
    cached = run("--data", "data", "--ontology", "ontology", "stats")  # the cached graph's warnings were stale
    assert "warning: data/vendor: the sub-folder holds a data file" in cached.stderr, cached.output
    again = run("--data", "data", "--ontology", "ontology", "load", "--store", "store")
    assert again.exit_code == 0, again.output
    expected = (
        "data/vendor: the sub-folder holds a data file (data/vendor/sections/page.trig), but sub-folders are not "
        "read, only the files directly in data; move it into data to load it"
    )
    assert f"warning: {expected}\n" in again.stderr
    _the_one_warning_everywhere(expected)
    (Path("data/vendor") / "more.ttl").write_text(SOURCE, encoding="utf-8")
    assert load(Path("data"), Path("ontology")).warnings == (
        "data/vendor: the sub-folder holds 2 data files (data/vendor/more.ttl, ...), but sub-folders are not read, "
        "only the files directly in data; move them into data to load them",
    )


# ------------------------------------------------------------------------------- a format kgraph does not read


def test_a_data_file_in_a_format_kgraph_does_not_read_is_a_warning_in_memory_and_on_a_store(
    make_kg: MakeKG, in_tmp: Path
):
    """A source saved as JSON-LD or RDF/XML, or compressed, in the data folder (an OWL file in the ontology folder)
    was left out without a word, as a sub-folder's were: only *.ttl, *.trig, *.nt and *.nq are read. Each is a
    warning naming it and what to do, in memory, on a store and from kgraph's cache; a file of another kind (a
    README, a CSV) is none."""
    make_kg({"00-source.trig": SOURCE})
    for name in ("README.md", "notes.json", "figures.csv"):
        (Path("data") / name).write_text("not data\n", encoding="utf-8")
    assert load(Path("data"), Path("ontology")).warnings == ()
    before = run("--data", "data", "--ontology", "ontology", "stats")  # kgraph's cache now holds the graph
    assert before.exit_code == 0 and "warning" not in before.stderr, before.output
    (Path("data") / "vendor.jsonld").write_text("{}\n", encoding="utf-8")
    cached = run("--data", "data", "--ontology", "ontology", "stats")  # the cached graph's warnings were stale
    expected = (
        "data/vendor.jsonld is a JSON-LD file, which kgraph does not read (only *.ttl, *.trig, *.nt and *.nq "
        "files), so it is left out of the graph; convert it to load it, or move it out of data"
    )
    assert cached.stderr == f"warning: {expected}\n", cached.output
    _the_one_warning_everywhere(expected)
    (Path("data") / "vendor.jsonld").unlink()
    (Path("data") / "page.TTL.gz").write_bytes(b"")
    (Path("ontology") / "extra.owl").write_text("<rdf:RDF/>\n", encoding="utf-8")
    assert load(Path("data"), Path("ontology")).warnings == (
        "ontology/extra.owl is an OWL file, which kgraph does not read (only *.ttl, *.trig, *.nt and *.nq files), "
        "so it is left out of the graph; convert it to load it, or move it out of ontology",
        "data/page.TTL.gz is a compressed file, which kgraph does not read (only *.ttl, *.trig, *.nt and *.nq "
        "files), so it is left out of the graph; decompress it to load it, or move it out of data",
    )


# ------------------------------------------------------------------------------------------ folders swapped

#: An ontology that says it is one, as the bundled kgraph.ttl does.
DECLARED_ONTOLOGY = (
    PREFIXES
    + """<https://w3id.org/kgraph/ontology> a owl:Ontology .
kg:Entity a owl:Class . kg:Chip a owl:Class ; rdfs:subClassOf kg:Entity .
"""
)


def test_swapped_data_and_ontology_folders_are_refused_in_memory_and_by_load(make_kg: MakeKG, in_tmp: Path):
    """``kgraph --data ontology --ontology data validate`` said Conforms: yes (no class, so no shape failed), and
    every query then found nothing. An ontology folder that declares no class or property is an error (exit 2), in
    memory and by ``kgraph load``, whose store is left as it was."""
    make_kg({"00-source.trig": SOURCE}, {"kgraph.ttl": DECLARED_ONTOLOGY})
    expected = (
        "the ontology folder data declares no class or property (no owl:Class, owl:ObjectProperty, rdfs:subClassOf, "
        "rdfs:domain ...): it holds no ontology, and nothing would be inferred or checked; pass --ontology DIR with "
        "the ontology files (are --data and --ontology swapped?)"
    )
    for command in (["validate"], ["queries", "run", "sections"], ["load", "--store", "store"]):
        result = run("--data", "ontology", "--ontology", "data", *command)
        assert result.exit_code == 2, result.output
        assert result.stderr.endswith(f"Error: {expected}\n"), result.stderr
        assert "Conforms" not in result.output
    assert not Path("store").exists()
    with pytest.raises(InputError, match="are data_dir and ontology_dir swapped"):
        load(Path("ontology"), Path("data"))
    with pytest.raises(InputError, match="are data_dir and ontology_dir swapped"):
        persist.build(Path("store"), Path("ontology"), Path("data"))


def test_an_ontology_in_the_data_folder_is_a_warning_in_memory_and_on_a_store(make_kg: MakeKG, in_tmp: Path):
    """``--data ontology`` alone (or the ontology file copied into the data folder): its declarations define nothing
    there. A data file that declares an owl:Ontology is a warning naming it, as the load reads it, in memory and on a
    store; the run goes on (a data file may declare itself an ontology on purpose)."""
    make_kg({"00-source.trig": SOURCE, "kgraph.ttl": DECLARED_ONTOLOGY}, {"kgraph.ttl": DECLARED_ONTOLOGY})
    expected = (
        "data/kgraph.ttl: the file declares an ontology (<https://w3id.org/kgraph/ontology> a owl:Ontology), but it "
        "is read as data, where its classes and properties define nothing; put it in the ontology folder (are --data "
        "and --ontology swapped?)"
    )
    _the_one_warning_everywhere(expected)
    Path("data/kgraph.ttl").unlink()
    assert load(Path("data"), Path("ontology")).warnings == ()  # no data file declares one: no warning


# ------------------------------------------------------------------------------------------ literals a store retypes

XSD_NS = "http://www.w3.org/2001/XMLSchema#"

#: A value of each datatype of XML Schema that RDF uses, as a file would write it.
XSD_VALUES = {
    "string": "x", "normalizedString": "x", "token": "x", "language": "en", "Name": "x", "NCName": "x",
    "NMTOKEN": "x", "anyURI": "https://example.org/", "boolean": "true", "decimal": "1.5", "integer": "4",
    "int": "4", "long": "4", "short": "4", "byte": "4", "nonNegativeInteger": "4", "positiveInteger": "4",
    "negativeInteger": "-4", "nonPositiveInteger": "-4", "unsignedLong": "4", "unsignedInt": "4",
    "unsignedShort": "4", "unsignedByte": "4", "double": "1.5E0", "float": "1.5E0", "date": "2025-12-02",
    "dateTime": "2025-12-02T09:00:00Z", "dateTimeStamp": "2025-12-02T09:00:00Z", "time": "09:00:00",
    "duration": "PT1M", "dayTimeDuration": "PT1M", "yearMonthDuration": "P1Y", "gYear": "2025",
    "gYearMonth": "2025-12", "gMonth": "--12", "gDay": "---02", "gMonthDay": "--12-02", "hexBinary": "AB",
    "base64Binary": "qw==",
}  # fmt: skip


def _stored(*literals: tuple[str, str]) -> list[tuple[str, str]]:
    """What Oxigraph stores for each (value, datatype IRI): its value and datatype IRI as read back."""
    import pyoxigraph as ox  # noqa: PLC0415 - the store's own engine, asked directly

    store = ox.Store()
    text = "".join(f'<urn:n:{n:04}> <urn:p> "{v}"^^<{d}> .\n' for n, (v, d) in enumerate(literals))
    store.load(text.encode(), format=ox.RdfFormat.N_TRIPLES)
    quads = sorted(store, key=lambda quad: quad.subject.value)
    return [(quad.object.value, quad.object.datatype.value) for quad in quads]


def test_the_datatypes_oxigraph_stores_as_another_are_those_load_warns_about():
    """Oxigraph keeps the value of a literal, and for some datatypes not the datatype: every type derived from
    xsd:integer is stored as an xsd:integer, an xsd:dateTimeStamp as an xsd:dateTime. Asked of Oxigraph itself, for
    every datatype of XML Schema (should a version keep them, this fails, and the warning must change)."""
    literals = [(value, XSD_NS + name) for name, value in XSD_VALUES.items()]
    retyped = {
        given[1]: stored[1] for given, stored in zip(literals, _stored(*literals), strict=True) if given[1] != stored[1]
    }
    assert retyped == persist.STORED_AS


@pytest.mark.parametrize("name", ["int", "unsignedByte", "dateTimeStamp"])
def test_which_literals_of_a_retyped_datatype_oxigraph_changes_is_known(name):
    """Only a literal of a form its new type reads is retyped: not "four"^^xsd:int, nor an integer beyond 64 bits
    (kept as written), nor a date-time without its time zone... The load's test (at first sight for the integers,
    else by asking Oxigraph) gives Oxigraph's answer for each."""
    values = ["4", "+4", "-0", "007", " 4", "4 ", "4.0", "1e3", "four", "", "٣", "2025-12-02T09:00:00Z"]
    values += ["2025-12-02T09:00:00", "2025-12-02T24:00:00+01:00", "2025-13-02T09:00:00Z"]
    values += [str(2**63 - 1), str(-(2**63)), str(2**63), "0" * 19 + "1", "9" * 18, "-" + "9" * 19]
    literals = [(value, XSD_NS + name) for value in values]
    changed = [stored[1] != XSD_NS + name for stored in _stored(*literals)]
    retyped = persist._Retyped()
    assert [retyped._changed(value, XSD_NS + name) for value in values] == changed
    assert any(changed)
    assert not all(changed)


RETYPED = (
    PREFIXES
    + """@prefix my: <https://example.org/my-source/> .
my:chips {
    kgr:chip-one kg:value "4"^^xsd:int ; kg:order "7"^^xsd:nonNegativeInteger .
    kgr:chip-two kg:value "5"^^xsd:int , "five"^^xsd:int , "99999999999999999999"^^xsd:int .
    kgr:chip-three kg:value "4"^^xsd:integer ; kg:startTime "2025-12-02T09:00:00Z"^^xsd:dateTime .
}
"""
)


def test_a_literal_the_store_holds_under_another_datatype_is_a_warning_at_load(make_kg: MakeKG, in_tmp: Path):
    """``kgraph load`` stored "4"^^xsd:int as an xsd:integer without a word (Oxigraph's issue 526), and queries and
    validate on the store then saw another datatype than the file's. One warning a datatype, naming the first
    literal (its file, subject and predicate) and how many more, on stderr; none for a literal Oxigraph keeps
    ("five"^^xsd:int, an integer beyond 64 bits) or for the datatypes it keeps."""
    make_kg({"00-source.trig": SOURCE, "01-mine.trig": RETYPED})
    Path("extra.nt").write_text(
        f'<{KGR}chip-one> <{KG}value> "6"^^<{XSD_NS}int> .\n<{KGR}chip-one> <{KG}value> "6"^^<{XSD_NS}long> .\n',
        encoding="utf-8",
    )
    result = run("--data", "data", "--ontology", "ontology", "load", "--store", "store", "extra.nt")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "stored as" in line]
    why = "Oxigraph keeps the value of an {0}, not its datatype, so queries and validate on the store see an {1}, "
    why += "where validate in memory sees the {0} written; write {1} to have the same everywhere"
    assert warnings == [
        'warning: data/01-mine.trig: kgr:chip-one kg:value "4"^^xsd:int and 2 more xsd:int literals are stored as '
        "xsd:integer: " + why.format("xsd:int", "xsd:integer"),
        'warning: data/01-mine.trig: kgr:chip-one kg:order "7"^^xsd:nonNegativeInteger is stored as an xsd:integer: '
        + why.format("xsd:nonNegativeInteger", "xsd:integer"),
        'warning: extra.nt: kgr:chip-one kg:value "6"^^xsd:long is stored as an xsd:integer: '
        + why.format("xsd:long", "xsd:integer"),
    ]
    stored = persist.open_store(Path("store"))
    assert stored.warnings == ()  # said once, by the load: the store holds what Oxigraph made of them
    datatypes = {o.datatype for o in stored.graph.objects(None, URIRef(f"{KG}value"))}
    assert URIRef(f"{XSD_NS}long") not in datatypes
    assert URIRef(f"{XSD_NS}int") in datatypes  # "five"^^xsd:int and the one beyond 64 bits, kept as written


ILL_TYPED = (
    PREFIXES
    + """@prefix my: <https://example.org/my-source/> .
my:chips {
    kgr:chip-one kg:value "abc"^^xsd:integer ; kg:order "4"^^xsd:integer , "1.5"^^xsd:decimal .
    kgr:chip-two kg:startTime "2025-13-01"^^xsd:date , "2025-12-02"^^xsd:date ; kg:value "1.x"^^xsd:decimal .
    kgr:chip-three kg:value "abc"^^xsd:integer ; kg:flag "yes"^^xsd:boolean , "true"^^xsd:boolean .
}
"""
)


def test_an_ill_typed_literal_is_a_warning_of_load_as_in_memory(make_kg: MakeKG, in_tmp: Path):
    """``"abc"^^xsd:integer`` in a data file: the in-memory commands warn, naming the file and line, as rdflib reads
    it; ``kgraph load`` (Oxigraph keeps it as written) said nothing, and commands on the store printed rdflib's
    words later, with no file. The load warns with the same lines, one a literal; valid literals are no warning."""
    make_kg({"00-source.trig": SOURCE, "01-mine.trig": ILL_TYPED})
    in_memory = [w for w in load(Path("data"), Path("ontology")).warnings if "is not a valid" in w]
    assert len(in_memory) == 4  # "abc"^^xsd:integer twice in one file: one line, as on a store
    assert (
        'data/01-mine.trig:15: "abc" is not a valid xsd:integer; it is kept as written, and comparisons and '
        "arithmetic on it fail"
    ) in in_memory
    result = run("--data", "data", "--ontology", "ontology", "load", "--store", "store")
    assert result.exit_code == 0, result.output
    said = [line.removeprefix("warning: ") for line in result.stderr.splitlines() if "is not a valid" in line]
    assert sorted(said) == sorted(in_memory)
    Path("data/01-mine.trig").write_bytes(ILL_TYPED.replace("\n", "\r").encode())  # an old Mac's line ends
    in_memory = [w for w in load(Path("data"), Path("ontology")).warnings if "is not a valid" in w]
    assert persist.build(Path("store"), Path("data"), Path("ontology")).warnings == tuple(in_memory)


def test_commands_on_a_store_leave_an_ill_typed_literal_to_the_loads_warning(make_kg: MakeKG, in_tmp: Path):
    """``kgraph load`` names an ill-typed literal with its file and line; every command that then read it from the
    store said it again as ``warning: rdflib: ...``, with neither, each time (a query's answer, ``show``,
    ``neighbors``, ``path``, ``export neo4j``). A literal of a query's own text is still warned of."""
    mine = PREFIXES + (
        "@prefix my: <https://example.org/my-source/> .\n"
        'my:chips { kgr:chip-one kg:value "kept-stored"^^xsd:integer ; kg:startTime "2025-14-02"^^xsd:date ;\n'
        '  kg:developedBy kgr:maker . kgr:maker a kg:Company ; rdfs:label "Maker"@en . }\n'
    )
    make_kg({"00-source.trig": SOURCE, "01-mine.trig": mine})
    result = run("--data", "data", "--ontology", "ontology", "load", "--store", "store")
    assert result.exit_code == 0, result.output
    assert sum("is not a valid" in line for line in result.stderr.splitlines()) == 2
    for command in (
        ["query", "--format", "tsv", "SELECT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }"],
        ["show", "Chip One"],
        ["neighbors", "Chip One"],
        ["export", "neo4j", "--out", "neo4j"],
    ):
        result = run("--store", "store", *command)
        assert result.exit_code == 0, result.output
        assert "rdflib" not in result.stderr, command
        assert "kept-stored" in result.stdout or command[0] in ("export", "neighbors"), command
    result = run("--store", "store", "query", 'SELECT ?x WHERE { BIND("typo"^^xsd:integer AS ?x) }')
    assert result.exit_code == 0, result.output
    assert 'warning: rdflib: "typo" is not a valid xsd:integer' in result.stderr


def test_a_load_names_the_first_ill_typed_literals_and_counts_the_rest(make_kg: MakeKG, in_tmp: Path):
    body = "".join(f'kgr:chip-one kg:value "x{n}"^^xsd:integer .\n' for n in range(persist._NAMED + 5))
    make_kg({"00-source.trig": SOURCE, "01-mine.ttl": PREFIXES + body})
    warnings = [
        w for w in persist.build(Path("store"), Path("data"), Path("ontology")).warnings if "xsd:" in w or "more" in w
    ]
    assert len(warnings) == persist._NAMED + 1
    assert warnings[0].startswith('data/01-mine.ttl:13: "x0" is not a valid xsd:integer;')
    assert warnings[-1] == "5 more literals are not of their datatype (the first 20 named)"


# ------------------------------------------------------------------------------------------ syntax errors

_MINE = "@prefix my: <https://example.org/my-source/> .\n"


def _refusals_in_memory_and_on_load() -> list[str]:
    """What ``kgraph validate`` (in memory) and ``kgraph load --store`` say last of ``data`` with ``ontology``, each
    having refused it (exit 2) without a traceback: the in-memory reading, then the load's."""
    said = []
    for command in (["validate"], ["load", "--store", "store"]):
        result = run("--data", "data", "--ontology", "ontology", *command)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        said.append(result.stderr.splitlines()[-1])
    return said


#: How a missing ';' or '.' is explained.
_GOES_ON = "(missing at the end of the line above? a ';' goes on with the same subject, a '.' ends the statement)"

#: (what, the statements after the prefixes (line 14 is their first), the line named, the message). rdflib's and
#: Oxigraph's own words are in the comments.
SYNTAX_ERRORS = [
    (  # 'Prefix "schema:" not bound' / "The prefix schema: has not been declared"
        "an undeclared prefix",
        'kgr:x a kg:Company ;\n    rdfs:label "X"@en ;\n    dcterms:title "X" .\n',
        16,
        "bad syntax: the prefix dcterms: is not declared (@prefix dcterms: <http://purl.org/dc/terms/> . before "
        "its first use declares it)",
    ),
    (
        "a prefix kgraph does not know",
        'kgr:x a kg:Company ;\n    other:title "X" .\n',
        15,
        "bad syntax: the prefix other: is not declared (@prefix other: <...> . before its first use declares it)",
    ),
    (  # a typo in one of kgraph's prefixes: declaring it, as the message alone advised, is not the fix
        "a prefix misspelt",
        'kgr:x a kg:Company ;\n    schma:description "X"@en .\n',
        15,
        "bad syntax: the prefix schma: is not declared (did you mean schema:? if not, @prefix schma: <...> . before "
        "its first use declares it)",
    ),
    (  # "newline found in string literal" / "Parser error between line 15 column 16 and line 17 column 1:
        # Unexpected end of file"
        "a string left open",
        'kgr:x a kg:Company ;\n    rdfs:label "X@en .\nkgr:y a kg:Company .\n',
        15,
        'bad syntax: the string "X@en . is not closed on its line (a text of several lines goes between """ and """)',
    ),
    (  # "newline found in string literal" / "Line jumps are not allowed in string literals, use \n"
        "a string left open, a later one closing",
        'kgr:x a kg:Company ;\n    rdfs:label \'X@en .\nkgr:y rdfs:label "Y" .\n',
        15,
        "bad syntax: the string 'X@en . is not closed on its line (a text of several lines goes between ''' and ''')",
    ),
    (  # "unterminated string literal" at the end of the file / "Unexpected end of file" from where it opens
        "a long string left open",
        'kgr:x a kg:Company ;\n    rdfs:label """X@en .\nkgr:y a kg:Company .\n',
        15,
        'bad syntax: the string """X@en . is never closed (no """ after it)',
    ),
    (  # "expected '.' or '}' or ']' at end of statement" / "A dot is expected at the end of statements"
        "a missing dot",
        'kgr:x a kg:Company ;\n    rdfs:label "X"@en\nkgr:y a kg:Company .\n',
        16,
        "bad syntax: expected a ';' or a '.' before kgr:y " + _GOES_ON,
    ),
    (  # "EOF found after object" / "Unexpected end"
        "a missing final dot",
        'kgr:x a kg:Company ;\n    rdfs:label "X"@en\n',
        16,
        "bad syntax: the file ends inside a statement (its final '.', ']', ')' or '}' missing?)",
    ),
    (  # rdflib reads it with a warning, and kgraph refuses it / "Invalid IRI code point ' '"
        "a space in an IRI",
        "kgr:x a kg:Company ;\n    rdfs:seeAlso <https://example.org/a b> .\n",
        15,
        "bad syntax: Invalid IRI code point ' ' in the IRI <https://example.org/a b>",
    ),
    (  # "unterminated URI reference" / "Unexpected end of file"
        "an IRI left open",
        "kgr:x a kg:Company ;\n    rdfs:seeAlso <https://example.org/a .\nkgr:y a kg:Company .\n",
        15,
        "bad syntax: the IRI <https://example.org/a . is not closed on its line (no '>')",
    ),
    (  # "bad escape" / "Unexpected escape character '\q'"
        "an unknown escape",
        'kgr:x a kg:Company ;\n    rdfs:label "C:\\qdata"@en .\n',
        15,
        "bad syntax: \\q is not an escape a string may hold (a backslash is written \\\\)",
    ),
    (  # "ValueError: '1en' is not a valid language tag!" without a line / "A language code should always start
        # with a letter"
        "a language tag that is none",
        'kgr:x a kg:Company ;\n    rdfs:label "X"@1en .\n',
        15,
        "bad syntax: @1en is not a language tag (letters first, as in en or zh-Hans)",
    ),
    (  # "objectList expected" / ". is not a valid RDF object"
        "a comma with nothing after it",
        'kgr:x a kg:Company ;\n    rdfs:label "X"@en , .\n',
        15,
        "bad syntax: an object is missing (after a predicate, or after a ',')",
    ),
    (  # IndexError: list index out of range, without a line / "Expecting a datatype IRI after ^^, found ."
        "a ^^ with no datatype after it",
        'kgr:x a kg:Company ;\n    rdfs:label "X"^^xsd:string , "Y"^^ .\n',
        15,
        'bad syntax: a datatype is missing after ^^ (as in "3"^^xsd:integer)',
    ),
    (  # IndexError without a line / "Expecting a datatype IRI after ^^, found ." on the line of the '.'
        "a ^^ with a comment after it",
        'kgr:x a kg:Company ;\n    rdfs:label "3"^^ # to do\n    .\n',
        16,
        'bad syntax: a datatype is missing after ^^ (as in "3"^^xsd:integer)',
    ),
    (  # "objectList expected" / ", is not a valid RDF object"
        "a predicate with a ',' and an object after it",
        'kgr:x a kg:Company ;\n    rdfs:comment , "X" .\n',
        15,
        "bad syntax: an object is missing (after a predicate, or after a ',')",
    ),
    (  # "objectList expected" / ", is not a valid RDF object", on the line of the second ','
        "two commas in a row",
        'kgr:x a kg:Company ;\n    rdfs:comment "X" ,\n    , "Y" .\n',
        16,
        "bad syntax: an object is missing (after a predicate, or after a ',')",
    ),
    (  # "objectList expected" / ". is not a valid RDF object", a '(' in a string of several lines above
        "a predicate with nothing after it below a string that holds a (",
        'kgr:x a kg:Company ;\n    rdfs:comment """a (\nb""" ;\n    rdfs:label .\n',
        17,
        "bad syntax: an object is missing (after a predicate, or after a ',')",
    ),
    (  # "objectList expected" / ". is not a valid RDF object", after a collection, its ')' no end of the list
        "a comma with nothing after it after a collection",
        'kgr:x a kg:Company ;\n    rdfs:comment ( "(" kgr:a ) , .\n',
        15,
        "bad syntax: an object is missing (after a predicate, or after a ',')",
    ),
    (  # "objectList expected" / ". is not a valid RDF object"
        "a predicate with a comment after it",
        "kgr:x a kg:Company ;\n    rdfs:label # to do\n    .\n",
        16,
        "bad syntax: an object is missing (after a predicate, or after a ',')",
    ),
    (  # "objectList expected" / "; is not a valid RDF object"
        "a predicate with nothing after it",
        'kgr:x a kg:Company ;\n    rdfs:label ;\n    rdfs:comment "X" .\n',
        15,
        "bad syntax: an object is missing (after a predicate, or after a ',')",
    ),
    (  # "Bad language code syntax on string literal, after @" / "A language code should always start with a letter"
        "a language tag left out",
        'kgr:x a kg:Company ;\n    rdfs:label "X"@ .\n',
        15,
        "bad syntax: @ is not a language tag (letters first, as in en or zh-Hans)",
    ),
    (  # "expected '.' or '}' or ']' at end of statement" before _CN / "Unexpected character 'C'"
        "a language tag written as a locale",
        'kgr:x a kg:Company ;\n    rdfs:label "X"@zh_CN .\n',
        15,
        "bad syntax: @zh_CN is not a language tag (its parts are joined by -: @zh-CN)",
    ),
    (  # "expected '.' or '}' or ']' at end of statement" before - / "An integer should not be empty"
        "a language tag that ends in -",
        'kgr:x a kg:Company ;\n    rdfs:label "X"@en- .\n',
        15,
        "bad syntax: @en- is not a language tag (a - goes between two parts, as in zh-Hans)",
    ),
    (  # the tag it suggests is one: not @zh--CN, nor @en- for @en_
        "a locale with a _ beside a -",
        'kgr:x a kg:Company ;\n    rdfs:label "X"@zh_-CN .\n',
        15,
        "bad syntax: @zh_-CN is not a language tag (its parts are joined by -: @zh-CN)",
    ),
    (  # "Bad language code syntax on string literal, after @" / "A language code should always start with a letter"
        "a language tag left out after a string that holds one",
        'kgr:x a kg:Company ;\n    rdfs:label "follow \\"@aws_cloud\\" now"@ .\n',
        15,
        "bad syntax: @ is not a language tag (letters first, as in en or zh-Hans)",
    ),
    (
        "a locale that ends in _",
        'kgr:x a kg:Company ;\n    rdfs:label "X"@en_ .\n',
        15,
        "bad syntax: @en_ is not a language tag (its parts are joined by -: @en)",
    ),
    (  # "“X” is not a valid RDF object" / "'“' is not allowed at the beginning of a prefix name"
        "curly quotes",
        'kgr:x a kg:Company ;\n    rdfs:label "X"@en , “某公司”@zh .\n',
        15,
        'bad syntax: “某公司” is quoted with “ and ”, which are not quotes in RDF: use ASCII quotes " around a literal',
    ),
    (
        "single curly quotes",
        "kgr:x a kg:Company ;\n    rdfs:label \u2018X\u2019@en .\n",
        15,
        'bad syntax: \u2018X\u2019 is quoted with \u2018 and \u2019, which are not quotes in RDF: use ASCII quotes " '
        "around a literal",
    ),
    (  # "X Y" in full-width quotes "is not a valid RDF object", a word without its prefix, to both parsers
        "full-width quotes",
        "kgr:x a kg:Company ;\n    rdfs:label \uff02X Y\uff02@en .\n",
        15,
        'bad syntax: \uff02X Y\uff02 is quoted with \uff02, which is not a quote in RDF: use ASCII quotes " around a '
        "literal",
    ),
    (  # "the string "X”@en . is not closed on its line (...)"
        "a string closed with a curly quote",
        'kgr:x a kg:Company ;\n    rdfs:label "X”@en .\nkgr:y a kg:Company .\n',
        15,
        'bad syntax: "X” is quoted with ”, which is not a quote in RDF: use ASCII quotes " around a literal',
    ),
    (  # "expected directive or statement" / "'“' is not allowed at the beginning of a prefix name"
        "curly quotes as a subject",
        'kgr:x a kg:Company .\n“X” rdfs:label "X"@en .\n',
        15,
        'bad syntax: “X” is quoted with “ and ”, which are not quotes in RDF: use ASCII quotes " around a literal',
    ),
    (  # curly quotes in a string are its text: the error on their line is another
        "a comma with nothing after it after a string that holds curly quotes",
        'kgr:x a kg:Company ;\n    rdfs:label "“X”"@zh , .\n',
        15,
        "bad syntax: an object is missing (after a predicate, or after a ',')",
    ),
]


@pytest.mark.parametrize("suffix", [".ttl", ".trig"])
@pytest.mark.parametrize(("what", "statements", "line", "message"), SYNTAX_ERRORS, ids=[e[0] for e in SYNTAX_ERRORS])
def test_a_common_syntax_error_is_one_line_in_the_same_words_in_memory_and_on_a_store(  # noqa: PLR0917
    make_kg: MakeKG, in_tmp: Path, suffix, what, statements, line, message
):
    """rdflib (in memory) and Oxigraph (``kgraph load``) worded the same mistake differently ('Prefix "schema:"
    not bound', "The prefix schema: has not been declared"), one of them without its line or in the parser's
    terms ("Parser error between line 15 column 16 and line 17 column 1: Unexpected end of file"). Each is now one
    line, the same on both paths: the file, the line, what is wrong (quoting what is), what to do. In TriG, inside
    a graph block, likewise (one line further down)."""
    text = PREFIXES + _MINE + statements
    if suffix == ".trig":  # the statements inside a section's graph: every line one further down
        text = PREFIXES + _MINE + "my:chips {\n" + statements + "}\n"
        line += 1
        if what == "a missing final dot":  # TriG's last statement in a block needs no dot: the block is left open
            message = "bad syntax: the file ends inside a statement (its final '.', ']', ')' or '}' missing?)"
            text = text.removesuffix("}\n")
    assert text.splitlines()[13] in {statements.splitlines()[0], "my:chips {"}  # the statements start on line 14
    make_kg({"00-source.trig": SOURCE, f"99-mine{suffix}": text})
    expected = f"Error: data/99-mine{suffix}:{line}: {message}; fix the file and run again\n"
    for said in _refusals_in_memory_and_on_load():
        assert said + "\n" == expected
    assert not Path("store").exists()


#: (what, the file's last statement, with no line end after it, the line named (14: the statement's first),
#: what follows ``bad syntax:``).
ENDS_IN_A_STRING = [
    ("a string", 'kgr:x rdfs:label "X@en .', 14, 'the string "X@en . is not closed on its line'),
    ("in single quotes", "kgr:x rdfs:label 'X@en .", 14, "the string 'X@en . is not closed on its line"),
    ("after a backslash", 'kgr:x rdfs:label "C:\\', 14, 'the string "C:\\ is not closed on its line'),
    ("a long one", 'kgr:x rdfs:label """X\nmore', 14, 'the string """X is never closed (no """ after it)'),
]


@pytest.mark.parametrize("suffix", [".ttl", ".trig"])
@pytest.mark.parametrize(
    ("what", "statement", "line", "message"), ENDS_IN_A_STRING, ids=[e[0] for e in ENDS_IN_A_STRING]
)
def test_a_file_that_ends_in_a_string_is_a_syntax_error_on_its_line_in_memory_as_on_a_store(  # noqa: PLR0917
    make_kg: MakeKG, in_tmp: Path, suffix, what, statement, line, message
):
    """A file whose last line opens a string and ends there, with no line end after it (an editor that adds none),
    made rdflib's parser fail on an assertion or an index: the in-memory commands said ``AssertionError: Quote
    expected in string at ^ in ...`` or ``IndexError: string index out of range``, without a line, where
    ``kgraph load`` said which string is left open. Both say it now, in the same words."""
    graph = "my:chips {\n" if suffix == ".trig" else ""
    text = PREFIXES + _MINE + graph + statement
    line += bool(graph)
    assert text.splitlines()[line - 1].startswith("kgr:x")
    make_kg({"00-source.trig": SOURCE, f"99-mine{suffix}": text})
    for said in _refusals_in_memory_and_on_load():
        assert said.startswith(f"Error: data/99-mine{suffix}:{line}: bad syntax: {message}"), said
        assert said.endswith("; fix the file and run again"), said
    assert not Path("store").exists()


@pytest.mark.parametrize(("what", "statements", "line", "message"), SYNTAX_ERRORS, ids=[e[0] for e in SYNTAX_ERRORS])
def test_a_common_syntax_error_in_a_file_with_cr_line_ends_is_worded_alike_on_a_store(  # noqa: PLR0917
    make_kg: MakeKG, in_tmp: Path, what, statements, line, message
):
    """A file with CR alone as its line ends (an old Mac's), which Turtle allows: kgraph load, which quotes what
    is wrong from the error's line, read the file's lines at LF only, found none on it, and kept Oxigraph's words
    (``A dot is expected at the end of statements``, ``Unexpected character 'C'``) where the in-memory commands
    said what is wrong."""
    text = (PREFIXES + _MINE + statements).replace("\n", "\r")
    make_kg({"00-source.trig": SOURCE, "99-mine.ttl": text})
    expected = f"Error: data/99-mine.ttl:{line}: {message}; fix the file and run again\n"
    for said in _refusals_in_memory_and_on_load():
        assert said + "\n" == expected


#: (what, the statements after the prefixes (line 14 is their first), each line end a CR alone; the error is on
#: line 16, after a long string that holds a line end).
CR_AFTER_A_LONG_STRING = [
    ("an object missing", 'kgr:x a kg:Company ;\r    rdfs:label """a\rb""" , .\r', "an object is missing"),
    ("a ^^ with no datatype", 'kgr:x a kg:Company ;\r    rdfs:label """a\rb""" , "3"^^ .\r', "a datatype is missing"),
    ("a language tag that is none", 'kgr:x a kg:Company ;\r    rdfs:label """a\rb""" , "3"@1en .\r', "@1en is not"),
    ("a long string left open", 'kgr:x a kg:Company ;\r    rdfs:label """a\rb""" , """c .\r', 'the string """c'),
    ("a string the file ends in", 'kgr:x a kg:Company ;\r    rdfs:label """a\rb""" , "c', 'the string "c'),
]


@pytest.mark.parametrize(
    ("what", "statements", "message"), CR_AFTER_A_LONG_STRING, ids=[e[0] for e in CR_AFTER_A_LONG_STRING]
)
def test_an_error_after_a_long_string_in_a_file_with_cr_line_ends_is_on_its_line_in_memory(
    make_kg: MakeKG, in_tmp: Path, what, statements, message
):
    """A CR alone in a long string stays the string's in the text rdflib reads (the other line ends become LF):
    the in-memory commands, which counted the LFs before an error they locate themselves, named a line too few
    after such a string, where kgraph load names the right one. They count a CR alone as a line end too."""
    text = (PREFIXES + _MINE).replace("\n", "\r") + statements
    make_kg({"00-source.trig": SOURCE, "99-mine.ttl": text})
    for said in _refusals_in_memory_and_on_load():
        assert said.startswith(f"Error: data/99-mine.ttl:16: bad syntax: {message}"), said


def test_a_prefix_declared_with_curly_quotes_is_told_to_use_angle_brackets(make_kg: MakeKG, in_tmp: Path):
    """A namespace between curly quotes, as a word processor writes them, where its IRI goes between < and >: the
    message names the marks and says what goes around an IRI, in memory as on a store."""
    statements = "@prefix acme: “https://acme.example/” .\nacme:chips a kg:Chip .\n"
    make_kg({"00-source.trig": SOURCE, "99-mine.ttl": PREFIXES + _MINE + statements})
    expected = (
        "Error: data/99-mine.ttl:14: bad syntax: “https://acme.example/” is quoted with “ and ”, which are not quotes "
        "in RDF: use < > around an IRI; fix the file and run again"
    )
    assert _refusals_in_memory_and_on_load() == [expected, expected]


@pytest.mark.parametrize("suffix", [".nt", ".nq"])
def test_curly_quotes_in_n_triples_are_said_alike_in_memory_and_on_a_store(make_kg: MakeKG, in_tmp: Path, suffix):
    """N-Triples and N-Quads have the same quotes as Turtle: one written with curly quotes is told so, on its line."""
    iri = "<https://w3id.org/kgraph/resource/x> <http://www.w3.org/2000/01/rdf-schema#label>"
    make_kg({"00-source.trig": SOURCE, f"99-mine{suffix}": f'{iri} "X"@en .\n{iri} “某”@zh .\n'})
    expected = (
        f"Error: data/99-mine{suffix}:2: bad syntax: “某” is quoted with “ and ”, which are not quotes in RDF: use "
        'ASCII quotes " around a literal; fix the file and run again'
    )
    assert _refusals_in_memory_and_on_load() == [expected, expected]


#: Strings of several lines never closed (on line 14) with three quotes of the other kind further down in them.
LONG_STRINGS_LEFT_OPEN = [
    ('"""', "kgr:y rdfs:label \"\"\"b .\nkgr:z a kg:Company . # '''\n"),
    ("'''", 'kgr:y rdfs:label \'\'\'b .\nkgr:z rdfs:label """c""" .\n'),
]


@pytest.mark.parametrize(("quotes", "statements"), LONG_STRINGS_LEFT_OPEN, ids=['"""', "'''"])
def test_a_long_string_left_open_is_said_on_the_line_it_opens_in_memory_as_on_a_store(
    make_kg: MakeKG, in_tmp: Path, quotes, statements
):
    """rdflib finds a string of several lines never closed at the end of the file; the in-memory commands took the
    last three quotes of the file for the ones that open it, though they were in it: another string, on another
    line, than kgraph load names. Both name the one that opens and is never closed."""
    make_kg({"00-source.trig": SOURCE, "99-mine.ttl": PREFIXES + _MINE + statements})
    expected = f"Error: data/99-mine.ttl:14: bad syntax: the string {quotes}b . is never closed (no {quotes} after it)"
    for said in _refusals_in_memory_and_on_load():
        assert said.startswith(expected), said


@pytest.mark.parametrize(
    "statements",
    ['kgr:it\\\'s a kg:Company .\nkgr:x rdfs:label "X"^^ .\n', 'kgr:it\\\'s rdfs:label "X"^^ .'],
    ids=["two lines up", "on the last line"],
)
def test_a_quote_escaped_in_a_name_is_not_said_to_open_a_string(make_kg: MakeKG, in_tmp: Path, statements):
    """After an error rdflib raises as an IndexError (a ``^^`` with no datatype), the in-memory commands looked for
    a string the file ends in, and took the escaped quote of a name (``kgr:it\\'s``, as Turtle allows) for one
    opened two lines up and never closed: a wrong error on a wrong line. Only a string the file ends in is."""
    make_kg({"00-source.trig": SOURCE, "99-mine.ttl": PREFIXES + _MINE + statements})
    result = run("--data", "data", "--ontology", "ontology", "validate")
    assert result.exit_code == 2, result.output
    [said] = result.stderr.splitlines()
    assert said.startswith("Error: data/99-mine.ttl"), said
    assert "not closed" not in said, said


def test_a_nul_in_a_string_after_a_quote_escaped_in_a_name_is_data(make_kg: MakeKG, in_tmp: Path):
    """The search for a NUL outside a string took the escaped quote of a name (``kgr:it\\'s``, as Turtle allows)
    for one that opens a string, paired it with the next quote, and so found a NUL in a string outside one: the
    in-memory commands refused a file kgraph load reads."""
    statements = "kgr:it\\'s rdfs:label 'a\0b' .\n"
    make_kg({"00-source.trig": SOURCE, "99-mine.ttl": PREFIXES + _MINE + statements})
    assert run("--data", "data", "--ontology", "ontology", "validate").stderr == ""
    assert run("--data", "data", "--ontology", "ontology", "load", "--store", "store").exit_code == 0


#: Objects that are there but are none (line 15): not said to be missing.
NOT_MISSING_OBJECTS = [
    ("a character no object starts with", "kgr:x a kg:Company ;\n    rdfs:label %X .\n"),
    ("one after a comma", 'kgr:x a kg:Company ;\n    rdfs:label "X" , %Y .\n'),
    ("one after a string that holds a comma and a dot", 'kgr:x a kg:Company ;\n    rdfs:label "X, ." , %Y .\n'),
    # a ';' or a '.' right after it ends the list, and a ',' escaped in a name is no comma: not one left out later on
    ("one before a ';'", 'kgr:x a kg:Company ;\n    rdfs:label %X;\n    rdfs:comment "a" , .\n'),
    ("one before a '.'", 'kgr:x a kg:Company ;\n    rdfs:label %X.\nkgr:y rdfs:label "a" , .\n'),
    ("one before a name with an escaped comma", "kgr:x a kg:Company ;\n    rdfs:label %X , kgr:a\\, .\n"),
]


@pytest.mark.parametrize(("what", "statements"), NOT_MISSING_OBJECTS, ids=[e[0] for e in NOT_MISSING_OBJECTS])
def test_an_object_that_is_there_but_is_none_is_not_said_to_be_missing(make_kg: MakeKG, in_tmp: Path, what, statements):
    """rdflib says ``objectList expected`` for any object it cannot read, as for one left out; the in-memory
    commands said ``an object is missing`` for ``rdfs:label %X`` too, where kgraph load, rightly, names the
    ``%``. Only an object left out is said to be missing; another keeps the parser's words, on its line."""
    make_kg({"00-source.trig": SOURCE, "99-mine.ttl": PREFIXES + _MINE + statements})
    result = run("--data", "data", "--ontology", "ontology", "validate")
    assert result.exit_code == 2, result.output
    [said] = result.stderr.splitlines()
    assert said.startswith("Error: data/99-mine.ttl:15: bad syntax: "), said
    assert "missing" not in said, said


#: Collections left open, where Oxigraph says what it says of an object left out (``. is not a valid RDF object``).
OPEN_COLLECTIONS = [
    ("on its line", "kgr:x a kg:Company ;\n    kg:uses ( kgr:a kgr:b .\nkgr:y a kg:Company .\n", 15),
    ("a ) escaped in a name", "kgr:x a kg:Company ;\n    kg:uses ( kgr:a\\) .\nkgr:y a kg:Company .\n", 15),
    (
        "a ) in a string of several lines",
        'kgr:x a kg:Company ;\n    kg:uses ( """a\n)""" kgr:b .\nkgr:y a kg:Company .\n',
        16,
    ),
    ("over lines", 'kgr:x a kg:Company ;\n    kg:uses ( kgr:a # (a)\n      "b)" kgr:c ;\n    a kg:Company .\n', 16),
]


@pytest.mark.parametrize(("what", "statements", "line"), OPEN_COLLECTIONS, ids=[e[0] for e in OPEN_COLLECTIONS])
def test_a_collection_left_open_is_not_said_to_miss_an_object_on_a_store(
    make_kg: MakeKG, in_tmp: Path, what, statements, line
):
    """kgraph load said ``an object is missing (after a predicate, or after a ',')`` for a collection whose ``)``
    is missing, as for a predicate with no object: Oxigraph words both alike. In a collection it keeps its words."""
    make_kg({"00-source.trig": SOURCE, "99-mine.ttl": PREFIXES + _MINE + statements})
    result = run("--data", "data", "--ontology", "ontology", "load", "--store", "store")
    assert result.exit_code == 2, result.output
    [*_, said] = result.stderr.splitlines()
    assert said.startswith(f"Error: data/99-mine.ttl:{line}: bad syntax: "), said
    assert "missing" not in said, said


def test_a_syntax_error_in_a_long_statement_reads_the_file_once_for_its_message_on_a_store(
    make_kg: MakeKG, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
):
    """To word an object left out, kgraph load looks at the lines of its statement above the error (is it in a
    collection left open?), and read the file from its start for each of them, up to 50 times over: a large file
    with such an error near its end took many times as long to refuse. The lines are read in one pass."""
    statements = "kgr:x a kg:Company ;\n" + '    rdfs:comment "c" ;\n' * 40 + "    rdfs:label .\n"
    data, ontology = make_kg({"00-source.trig": SOURCE, "99-mine.ttl": PREFIXES + _MINE + statements})
    passes = []
    read_lines = persist._lines_of_file
    monkeypatch.setattr(persist, "_lines_of_file", lambda path: passes.append(path) or read_lines(path))
    with pytest.raises(InputError) as raised:
        persist.build(Path("store"), data, ontology)
    assert str(raised.value).startswith("data/99-mine.ttl:55: bad syntax: an object is missing"), raised.value
    assert len(passes) == 1, passes


#: (what, the statements after the prefixes (line 14 is their first), the line of the first NUL outside a string).
NUL_BYTES = [
    ("after the last statement", 'kgr:x a kg:Company ;\n    rdfs:label "X"@en .\n' + "\0" * 500, 16),
    ("in a name", "kgr:x a kg:Company ;\n    kg:uses kgr:ch\0ip .\n", 15),
    ("after one in a string", 'kgr:x rdfs:label "a\0b" , "c" .\nkgr:y\0 a kg:Company .\n', 15),
    ("in a cut statement", 'kgr:x rdfs:label "a \n\0\0\0', 15),
]


@pytest.mark.parametrize("suffix", [".ttl", ".trig"])
@pytest.mark.parametrize(("what", "statements", "line"), NUL_BYTES, ids=[e[0] for e in NUL_BYTES])
def test_a_nul_byte_outside_a_string_is_said_on_its_line_in_memory_as_on_a_store(  # noqa: PLR0917
    make_kg: MakeKG, in_tmp: Path, suffix, what, statements, line
):
    """A file cut short by a crash or a full disk often ends in zero bytes. The in-memory commands said
    ``expected directive or statement`` two lines further down, or, for one in a name, no file at all
    (``Invalid IRI code point '␀' in the IRI <...ch␀ip>, which the data holds``); ``kgraph load`` that ``'␀' is
    not allowed at the beginning of a prefix name``, wherever it was. Both say what is in the file, on its line. A
    NUL in a string is data, as RDF allows: read alike in memory and on a store."""
    graph = "my:chips {\n" if suffix == ".trig" else ""
    text = PREFIXES + _MINE + graph + statements
    line += bool(graph)
    make_kg({"00-source.trig": SOURCE, f"99-mine{suffix}": text})
    expected = (
        f"Error: data/99-mine{suffix}:{line}: the file holds a NUL byte (a zero byte) outside a string, as one cut "
        "short by a crash or a full disk does; fix the file and run again"
    )
    for said in _refusals_in_memory_and_on_load():
        assert said == expected
    assert not Path("store").exists()
    text = PREFIXES + _MINE + graph + 'kgr:x a kg:Company ; rdfs:label "a\0b"@en .\n' + ("}\n" if graph else "")
    make_kg({"00-source.trig": SOURCE, f"99-mine{suffix}": text})
    assert run("--data", "data", "--ontology", "ontology", "load", "--store", "store").exit_code == 0
    assert run("--data", "data", "--ontology", "ontology", "stats").exit_code == 0


#: (what, text after the prefixes (line 14 is its first), the line and message the parsers' error is said with).
NUL_IN_LONG_STRINGS = [
    (
        "a NUL in a string of several lines, then a missing '.'",
        'kgr:x rdfs:label """first line\nit\'s \0 in the string""" .\nkgr:y a kg:Company kgr:z .\n',
        16,
        "bad syntax: expected a ';' or a '.' before kgr:z",
    ),
    (
        "a NUL in a string of several lines, in a file with CR line ends, then a NUL outside",
        'kgr:x rdfs:label """a\r\0\rb""" .\rkgr:y a kg:Company .\r\0\0',
        18,
        "the file holds a NUL byte (a zero byte) outside a string",
    ),
]


@pytest.mark.parametrize(
    ("what", "statements", "line", "message"), NUL_IN_LONG_STRINGS, ids=[e[0] for e in NUL_IN_LONG_STRINGS]
)
def test_a_nul_byte_in_a_string_of_several_lines_is_data_on_a_store_as_in_memory(  # noqa: PLR0917
    make_kg: MakeKG, in_tmp: Path, what, statements, line, message
):
    """``kgraph load`` looked for a NUL a line at a time after a syntax error, each line on its own: one in a
    string between three quotes, on a line of its own, was said to be outside a string, on the wrong line, where
    the in-memory commands named the real error; and a file with CR line ends was one line to it. It follows the
    strings from line to line, and counts lines as the parsers do."""
    make_kg({"00-source.trig": SOURCE, "99-mine.ttl": PREFIXES + _MINE + statements})
    for said in _refusals_in_memory_and_on_load():
        assert said.startswith(f"Error: data/99-mine.ttl:{line}: {message}"), said
    assert not Path("store").exists()


@pytest.mark.parametrize("suffix", [".nt", ".nq"])
def test_an_unknown_escape_in_n_triples_is_refused_in_memory_as_on_a_store(make_kg: MakeKG, in_tmp: Path, suffix):
    """rdflib's N-Triples and N-Quads parser kept ``"C:\\data"`` as it is written: the in-memory commands read the
    file, ``kgraph load`` refused it. Both refuse it now, in the same words; a backslash in a comment, and the
    escapes N-Triples has, are none."""
    graph = " <https://example.org/my-source/chips>" if suffix == ".nq" else ""
    good = f'<https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "a\\\\b\\t\\u00e9"{graph} . # C:\\x\n'
    bad = f'<https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "C:\\data"{graph} .\n'
    make_kg({"00-source.trig": SOURCE, f"99-mine{suffix}": good + bad})
    expected = (
        f"Error: data/99-mine{suffix}:2: bad syntax: \\d is not an escape a string may hold (a backslash is "
        "written \\\\); fix the file and run again"
    )
    for said in _refusals_in_memory_and_on_load():
        assert said == expected
    make_kg({"00-source.trig": SOURCE, f"99-mine{suffix}": good})
    assert run("--data", "data", "--ontology", "ontology", "load", "--store", "store").exit_code == 0
    labels = {str(o) for o in load(Path("data"), Path("ontology")).graph.objects(URIRef("https://example.org/x"))}
    assert labels == {"a\\b\té"}


def test_an_unknown_escape_is_found_on_its_line_after_a_literal_with_a_line_separator(make_kg: MakeKG, in_tmp: Path):
    """N-Triples holds U+2028 in a literal as it is: the lines that go to Oxigraph's parser are the file's (LF),
    not what ``str.splitlines`` makes of them, which split the first line in two and checked half of it instead of
    the line with the bad escape."""
    first = '<https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "a\u2028b" .\n'
    bad = '<https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "C:\\data" .\n'
    make_kg({"00-source.trig": SOURCE, "99-mine.nt": first + bad})
    expected = (
        "Error: data/99-mine.nt:2: bad syntax: \\d is not an escape a string may hold (a backslash is "
        "written \\\\); fix the file and run again"
    )
    for result in (
        run("--data", "data", "--ontology", "ontology", "validate"),
        run("--data", "data", "--ontology", "ontology", "load", "--store", "store"),
    ):
        assert result.exit_code == 2, result.output
        assert result.stderr.splitlines()[-1] == expected


# ------------------------------------------------------------------------------------------ one name, two entities

#: A source of one's own, with one section, my:chips, for the entities below.
_MY_SOURCE = (
    PREFIXES
    + """@prefix my: <https://example.org/my-source/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
my:document {
    my:document a kg:SourceDocument ; rdfs:label "My source"@en , "我的资料"@zh ; dcterms:title "我的资料"@zh .
    my:chips a kg:SourceSection ; rdfs:label "New chips"@en , "新芯片"@zh ; dcterms:title "新芯片"@zh ;
        kg:order 1 ; dcterms:isPartOf my:document .
}
"""
)

#: A source of one's own beside the bundled data's Trainium3: a chip of the keynote's, and the user's company.
_TWO_OF_A_NAME = (
    _MY_SOURCE
    + """my:chips {
    kgr:trainium3 a kg:Chip ; rdfs:label "Trainium3"@en , "Trainium3"@zh ;
        schema:description "A chip."@en ; prov:wasDerivedFrom my:chips .
    kgr:trainium2 a kg:Chip ; rdfs:label "Trainium2"@en , "Trainium2"@zh ;
        schema:description "A chip."@en ; prov:wasDerivedFrom my:chips .
}
"""
)

_MY_COMPANY = (
    PREFIXES
    + """@prefix my: <https://example.org/my-source/> .
my:trainium3 a kg:Company ; rdfs:label "LABEL"@en , "Trainium3"@zh ;
    schema:description "A company."@en ; prov:wasDerivedFrom my:chips .
"""
)


def _same_label(results) -> list:
    return [result for result in results if result.shape == "kgsh:SameLabelShape"]


@pytest.mark.parametrize("label", ["Trainium3", "trainium\uff13", "TRAINIUM3"])
def test_two_entities_of_one_english_label_are_a_warning_that_names_both(tmp_path: Path, in_tmp: Path, label):
    """A user's ``my:trainium3 a kg:Company ; rdfs:label "Trainium3"@en`` beside the chip passed validation, and
    ``kgraph show Trainium3`` then said the name was ambiguous: most often one thing minted a second IRI. It is a
    warning (validation still passes), one for the pair, naming both, their classes and where each is labelled (a
    section, a file), with the fix; labels are compared as ``show`` compares names (case, full-width letters). The
    same in memory and on a store, in the text and in the Turtle report."""
    data = Path("data")
    data.mkdir()
    (data / "00-mine.trig").write_text(_TWO_OF_A_NAME, encoding="utf-8")
    (data / "01-company.ttl").write_text(_MY_COMPANY.replace("LABEL", label), encoding="utf-8")
    base = ["--data", "data"]
    in_memory = run(*base, "validate")
    assert run(*base, "load", "--store", "store").exit_code == 0
    on_a_store = run("--store", "store", "validate")
    # the lines of both names: the company's, then the chip's (where a user finds the entity they clash with)
    chip = next(n for n, line in enumerate(_TWO_OF_A_NAME.split("\n"), 1) if "kgr:trainium3 a kg:Chip" in line)
    where = f"  where:   data/01-company.ttl:14, data/00-mine.trig:{chip}\n"
    assert in_memory.stdout == on_a_store.stdout
    assert in_memory.exit_code == on_a_store.exit_code
    ambiguous = run(*base, "show", label)
    assert ambiguous.exit_code == 1 and "names 2 things" in ambiguous.output  # what the warning is about
    text = in_memory.stdout
    company = "<https://example.org/my-source/trainium3>"
    assert (
        f"Warning: {label} ({company})\n"
        "  rule:    rdfs:label  [shape kgsh:SameLabelShape]\n"
        f'  message: Another entity has the same label, so kgraph show "{label}" cannot tell them apart: this one is '
        f'{label} ({company}, kg:Company), labelled "{label}"@en in file 01-company.ttl; the other is Trainium3 '
        '(kgr:trainium3, kg:Chip), labelled "Trainium3"@en in <https://example.org/my-source/chips>.\n'
        f'  value:   "{label}"@en\n'
        f"{where}"
        f"  fix:     if they are one thing, use one IRI for it ({company} or kgr:trainium3); if not, give them "
        "different labels\n"
    ) in text
    assert text.count("kgsh:SameLabelShape") == 1  # one pair; Trainium2 has a label of its own
    report = validate(load(data))
    assert [(r.severity, r.focus) for r in _same_label(report.results)] == [("Warning", company)]
    assert report.conforms == (in_memory.exit_code == 0)
    turtle = run(*base, "validate", "--format", "turtle")
    graph = Graph().parse(data=turtle.stdout, format="turtle")
    found = sorted(
        str(graph.value(node, SH.focusNode))
        for node in graph.subjects(SH.sourceShape, KGSH.SameLabelShape)
        if (node, SH.resultSeverity, SH.Warning) in graph and (None, SH.result, node) in graph
    )
    assert found == ["https://example.org/my-source/trainium3"]


def test_entities_of_different_labels_and_the_bundled_data_give_no_such_warning(loaded, tmp_path: Path, in_tmp):
    """No wolf cried: the bundled data titles sections after products (a section and an entity of one label,
    which ``show`` tells apart by preferring the entity), and two entities of different labels are no warning."""
    assert _same_label(validate(loaded).results) == []
    data = Path("data")
    data.mkdir()
    (data / "00-mine.trig").write_text(_TWO_OF_A_NAME, encoding="utf-8")
    company = _MY_COMPANY.replace("LABEL", "Trainium3 Corp").replace('"Trainium3"@zh', '"Trainium3 公司"@zh')
    (data / "01-company.ttl").write_text(company, encoding="utf-8")
    assert _same_label(validate(load(data)).results) == []


#: Names ``kgraph show`` reads besides English labels: two entities of one Chinese label, an alternative label that
#: is another entity's label, and two entities of one alternative label (with no label of it).
_OTHER_NAMES = (
    _MY_SOURCE
    + """my:chips {
    my:fast-chip a kg:Chip ; rdfs:label "Fast chip"@en , "快速芯片"@zh ; skos:altLabel "FC"@en ;
        schema:description "A chip."@en ; prov:wasDerivedFrom my:chips .
    my:quick-chip a kg:Chip ; rdfs:label "Quick chip"@en , "快速芯片"@zh ;
        schema:description "A chip."@en ; prov:wasDerivedFrom my:chips .
    my:slow-chip a kg:Chip ; rdfs:label "Slow chip"@en , "慢芯片"@zh ; skos:altLabel "Trainium3"@en ;
        schema:description "A chip."@en ; prov:wasDerivedFrom my:chips .
    my:tiny-chip a kg:Chip ; rdfs:label "Tiny chip"@en , "小芯片"@zh ; skos:altLabel "fc"@en ;
        schema:description "A chip."@en ; prov:wasDerivedFrom my:chips .
}
"""
)


@pytest.mark.parametrize(
    ("labels", "quoted"),
    [('"Trainium3"@EN-GB , "Trainium3"@en', '"Trainium3"@en'), ('"Trainium3"@EN-GB', '"Trainium3"@en-gb')],
)
def test_the_label_a_warning_of_one_label_quotes_is_the_same_in_memory_and_on_a_store(in_tmp: Path, labels, quoted):
    """Of an entity's labels of one name (``"Trainium3"@EN-GB , "Trainium3"@en``) the warning quotes the English
    one, then the least by tag: the tag as written in memory (``EN-GB`` before ``en``), in small letters on a store
    (``en`` before ``en-gb``), so the two quoted another label. Tags are compared in small letters now, and quoted
    so, as a store keeps them and ``show`` prints them: a lone ``"Trainium3"@EN-GB`` was quoted as written in memory
    and ``"Trainium3"@en-gb`` on a store."""
    data = Path("data")
    data.mkdir()
    (data / "00-mine.trig").write_text(_TWO_OF_A_NAME, encoding="utf-8")
    company = _MY_COMPANY.replace('"LABEL"@en', labels)
    (data / "01-company.ttl").write_text(company, encoding="utf-8")
    in_memory = run("--data", "data", "validate")
    assert run("--data", "data", "load", "--store", "store").exit_code == 0
    on_a_store = run("--store", "store", "validate")
    assert f"  value:   {quoted}\n" in in_memory.stdout
    assert in_memory.stdout == on_a_store.stdout


def test_a_violation_quotes_a_literal_with_its_tag_in_small_letters_in_memory_as_on_a_store(in_tmp: Path):
    """A shape's violation quoted its value with the tag as written in memory (``"60000"@EN-GB``) and in small
    letters on a store, which keeps tags so (``"60000"@en-gb``): the same data gave two reports. Both quote it in
    small letters now, as ``show`` prints tags and the same-label warning quotes them."""
    data = Path("data")
    shutil.copytree(default_data_dir(), data)
    for name in ("01-overview.trig", "02-opening.trig"):  # the two sections that state the audience
        text = (data / name).read_text(encoding="utf-8")
        assert "kg:value 60000 ;" in text, name
        (data / name).write_text(text.replace("kg:value 60000 ;", 'kg:value "60000"@EN-GB ;'), encoding="utf-8")
    in_memory = run("--data", "data", "validate")
    assert run("--data", "data", "load", "--store", "store").exit_code == 0
    on_a_store = run("--store", "store", "validate")
    assert in_memory.exit_code == on_a_store.exit_code == 1
    assert '  value:   "60000"@en-gb\n' in in_memory.stdout
    assert in_memory.stdout == on_a_store.stdout


def test_entities_of_one_chinese_label_or_alternative_label_are_a_warning(tmp_path: Path, in_tmp: Path):
    """``kgraph show`` finds an entity by its labels in any language and by its alternative labels, and the warning
    covered English labels only: two chips of one Chinese label made ``show 快速芯片`` ambiguous, an alternative
    label that is another entity's label left its entity unreachable by it (``show Trainium3`` finds the keynote's
    chip only), and two of one alternative label made ``show FC`` ambiguous, all without a word from validation.
    One warning per pair, naming both, their classes and where each states the name, the same in memory and on a
    store."""
    data = Path("data")
    shutil.copytree(default_data_dir(), data)
    (data / "zz-mine.trig").write_text(_OTHER_NAMES, encoding="utf-8")
    in_memory = run("--data", "data", "validate")
    assert run("--data", "data", "load", "--store", "store").exit_code == 0
    on_a_store = run("--store", "store", "validate")
    assert in_memory.stdout == on_a_store.stdout  # where each problem is written too
    assert "names 2 things" in run("--data", "data", "show", "快速芯片").output
    assert "names 2 things" in run("--data", "data", "show", "FC").output
    assert "kgr:trainium3" in run("--data", "data", "show", "Trainium3").output
    chips = "<https://example.org/my-source/chips>"
    warnings = [(r.focus, r.path, r.value, r.message) for r in _same_label(validate(load(data)).results)]
    assert warnings == [
        (
            "<https://example.org/my-source/fast-chip>",
            "rdfs:label",
            '"快速芯片"@zh',
            'Another entity has the same label, so kgraph show "快速芯片" cannot tell them apart: this one is '
            f'Fast chip (<https://example.org/my-source/fast-chip>, kg:Chip), labelled "快速芯片"@zh in {chips}; '
            "the other is Quick chip (<https://example.org/my-source/quick-chip>, kg:Chip), "
            f'labelled "快速芯片"@zh in {chips}.',
        ),
        (
            "<https://example.org/my-source/fast-chip>",
            "skos:altLabel",
            '"FC"@en',
            'Another entity has the same alternative label, so kgraph show "FC" cannot tell them apart: this one is '
            f'Fast chip (<https://example.org/my-source/fast-chip>, kg:Chip), alternatively labelled "FC"@en in '
            f"{chips}; the other is Tiny chip (<https://example.org/my-source/tiny-chip>, kg:Chip), "
            f'alternatively labelled "fc"@en in {chips}.',
        ),
        (
            "<https://example.org/my-source/slow-chip>",
            "skos:altLabel",
            '"Trainium3"@en',
            "This entity's alternative label is another entity's label, so kgraph show \"Trainium3\" finds only the "
            "other: this one is Slow chip (<https://example.org/my-source/slow-chip>, kg:Chip), alternatively "
            f'labelled "Trainium3"@en in {chips}; the other is Trainium3 (kgr:trainium3, kg:Chip), labelled '
            '"Trainium3"@en in src:overview.',
        ),
    ]
    assert in_memory.stdout.count("[shape kgsh:SameLabelShape]") == len(warnings)
    assert f"0 violations, {len(warnings)} warnings" in in_memory.stdout


def _bundled_and_stored(name: str, text: str) -> Path:
    """The bundled data copied to ``data`` with ``text`` added as its file ``name``, and loaded into a store in
    ``store`` (both in the folder the test runs in): ``data``."""
    data = Path("data")
    shutil.copytree(default_data_dir(), data)
    (data / name).write_text(text, encoding="utf-8")
    assert run("--data", "data", "load", "--store", "store").exit_code == 0
    return data


# ------------------------------------------------------------------------------------------ a second document

#: A second source beside the bundled keynote: a product page of two sections, numbered from 1 as the keynote's
#: are; its second section has no Chinese label (the shapes ask for an English one and the written title only).
_SECOND_DOCUMENT = (
    PREFIXES
    + """@prefix my: <https://example.org/vendor-page/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
my:document {
    my:document a kg:SourceDocument ; rdfs:label "Acme product page"@en ; dcterms:title "Acme product page"@en .
    my:overview a kg:SourceSection ; rdfs:label "Overview"@en , "概述"@zh ; dcterms:title "Overview"@en ;
        kg:order 1 ; dcterms:isPartOf my:document .
    my:performance a kg:SourceSection ; rdfs:label "Performance"@en ; dcterms:title "Performance"@en ;
        kg:order 2 ; kg:startTime "PT2M"^^xsd:duration ; dcterms:isPartOf my:document .
}
my:overview { kgr:acme-brain kg:poweredBy kgr:trainium3 .
    kgr:acme-brain a kg:Service ; rdfs:label "Acme Brain"@en , "Acme 大脑"@zh ;
        schema:description "A service."@en ; prov:wasDerivedFrom my:overview , my:performance . }
my:performance { kgr:trainium3 kg:powers kgr:acme-brain . }
"""
)


def test_the_sections_of_two_documents_are_listed_document_by_document(in_tmp: Path):
    """With a second source the sections of both documents came interleaved by their positions (the keynote's
    Overview, then the page's, both "1"), with nothing to say which document each belongs to: in ``stats``, in
    ``show``'s sources and in the saved queries ``sections`` and ``provenance``; and ``sections`` left out a section
    without a Chinese label, which the shapes do not ask for. Sections now come document by document, ``stats`` and
    ``sections`` name each one's document, and a section without a Chinese title gets the title it writes; the same
    on a store."""
    _bundled_and_stored("50-vendor-page.trig", _SECOND_DOCUMENT)
    page = "Acme product page (my:document)"  # with the prefix its file declares, as kgr:'s are written
    keynote = "AWS re:Invent 2025 keynote summary (src:document)"
    for where in (["--data", "data"], ["--store", "store"]):
        stats = run(*where, "stats")
        assert stats.exit_code == 0, stats.output
        rows = [line.split("  ")[0] for line in stats.stdout.split("\nSources\n")[1].splitlines()[2:]]
        assert rows == [page] * 2 + [keynote] * 13
        sections = run(*where, "queries", "run", "sections", "--format", "tsv")
        assert sections.exit_code == 0, sections.output
        assert [line.split("\t")[:3] for line in sections.stdout.splitlines()[1:4]] == [
            ["1", "<https://example.org/vendor-page/overview>", '"概述"@zh'],
            ["2", "<https://example.org/vendor-page/performance>", '"Performance"@en'],
            ["1", "<https://w3id.org/kgraph/source/reinvent-2025-keynote/overview>", '"会议概述"@zh'],
        ]
        assert sections.stdout.splitlines()[0].endswith("\t?document")
        assert len(sections.stdout.splitlines()) == 1 + 15
        provenance = run(*where, "queries", "run", "provenance", "--param", "entity=Trainium3", "--format", "tsv")
        assert [line.split("\t")[1] for line in provenance.stdout.splitlines()[1:]] == [
            "<https://example.org/vendor-page/overview>",
            "<https://example.org/vendor-page/performance>",
            "<https://w3id.org/kgraph/source/reinvent-2025-keynote/overview>",
            "<https://w3id.org/kgraph/source/reinvent-2025-keynote/ai-infrastructure>",
        ]
        show = run(*where, "show", "Trainium3")
        assert show.stdout.split("\nSources\n")[1].splitlines() == [
            "   2. Performance  (my:performance)  02:00 - end",
            "   1. Overview / 会议概述  (src:overview)",
            "   3. AI infrastructure / AI基础设施创新  (src:ai-infrastructure)  05:30 - 15:00",
        ]
    one = run("stats")  # one document: the table as it was, without the column
    assert "\nSources\n#   section " in one.stdout


_SECTION_OF_TWO = (
    PREFIXES
    + """@prefix my: <https://example.org/two-pages/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
my:zeta-page {
    my:zeta-page a kg:SourceDocument ; rdfs:label "Zeta page"@en ; dcterms:title "Zeta page"@en .
    my:alpha-page a kg:SourceDocument ; rdfs:label "Alpha page"@en ; dcterms:title "Alpha page"@en .
    my:shared a kg:SourceSection ; rdfs:label "Shared"@en ; dcterms:title "Shared"@en ;
        kg:order 7 , 2 ; dcterms:isPartOf my:zeta-page , my:alpha-page ;
        kg:timeRange "03:00 - 04:10" , "03:00 - 04:00" .
    my:decimal a kg:SourceSection ; rdfs:label "Decimal"@en ; dcterms:title "Decimal"@en ;
        kg:order 3.0 ; dcterms:isPartOf my:alpha-page .
}
my:shared { kgr:acme-brain a kg:Service ; rdfs:label "Acme Brain"@en ; schema:description "A service."@en ;
    kg:poweredBy kgr:trainium3 ; prov:wasDerivedFrom my:shared , my:decimal . }
my:decimal { kgr:acme-brain kg:poweredBy kgr:trainium3 . }
"""
)


def test_a_section_of_two_documents_and_orders_is_placed_alike_in_memory_and_on_a_store(in_tmp: Path):
    """A section ``dcterms:isPartOf`` two documents, with two ``kg:order`` and two ``kg:timeRange`` (which its shape
    forbids, and validate reports), was listed under whichever document, at whichever position and time range
    ``Graph.value`` gave first: on a store the Zeta page, in memory either page, 2 or 7, on one run and another, so
    ``show``, ``stats`` and the viewer listed the sources in another order on each. Now a section has the least of
    each, its least whole-number position, the same in memory, on every run and on a store. A position written
    ``3.0`` (a decimal, which the shape does not take either) was 0 in memory, its text no digits, and 3 on a store,
    which keeps it as ``3``: it is 3 on both."""
    data = _bundled_and_stored("50-two-pages.trig", _SECTION_OF_TWO)
    for where in (["--data", "data"], ["--store", "store"]):
        show = run(*where, "show", "Acme Brain")
        assert show.exit_code == 0, show.output
        assert show.stdout.split("\nSources\n")[1].splitlines() == [
            "   2. Shared  (my:shared)  03:00 - 04:00",
            "   3. Decimal  (my:decimal)",
        ]
        stats = run(*where, "stats")
        assert stats.exit_code == 0, stats.output
        rows = [line.split()[:4] for line in stats.stdout.split("\nSources\n")[1].splitlines()[2:4]]
        assert rows == [["Alpha", "page", "(my:alpha-page)", n] for n in ("2", "3")]
    for loaded in (load(data, default_ontology_dir()), persist.open_store(Path("store"))):
        found, documents = viewer_sections(loaded)
        assert [d["iri"] for d in documents] == ["my:alpha-page", "src:document"]  # Zeta names no section
        shared = found["my:shared"]
        assert (shared["order"], shared["range"], shared["document"]) == (2, "03:00 - 04:00", 0)
        assert found["my:decimal"]["order"] == 3


_FIGURE_OF_TWO = (
    PREFIXES
    + """kgf:acme-speed a kg:Figure ; rdfs:label "Acme speed"@en ; kg:figureOf kgr:trainium3 ; kg:metric "speed"@en ;
    kg:value 4.4 , 3 ; kg:unit kg:Times , kg:Percent ; kg:bound kg:UpTo , kg:MoreThan ;
    kg:figureKind kg:UsageScale , kg:Specification ; kg:perPeriod kg:Week , kg:Day .
"""
)


def test_a_figure_of_two_units_is_drawn_by_the_viewer_as_show_gives_it_in_memory_and_on_a_store(in_tmp: Path):
    """A figure with two units, bounds, kinds and periods (which its shape forbids): ``show`` gives the least of each
    (``3 %``), but the viewer's panel took its unit, bound, kind and period from ``Graph.value``, which gave another
    on a store (``3 %`` beside the unit "times") and in memory from run to run. It now takes the same as ``show``."""
    data = _bundled_and_stored("50-two-units.ttl", _FIGURE_OF_TWO)
    for loaded in (load(data, default_ontology_dir()), persist.open_store(Path("store"))):
        (stated,) = describe(loaded, URIRef(KGF["acme-speed"])).figures
        drawn = viewer_figure(loaded, stated)
        assert drawn["value"][0] == "3 %"
        assert drawn["stated"][0] == "more than 3 % per day"  # its bound and period, as show says them
        assert [drawn[key][0] for key in ("unit", "kind")] == [stated.unit, stated.kind]
        assert [stated.unit, stated.bound, stated.kind, stated.per_period] == [
            "percent",
            "more than",
            "specification",
            "day",
        ]


_FIGURE_OF_TWO_NUMBERS = (
    PREFIXES
    + """kgf:acme-signed a kg:Figure ; rdfs:label "Acme signed"@en ; kg:figureOf kgr:trainium3 ; kg:metric "s"@en ;
    kg:value -0.0 , -0.5 ; kg:unit kg:Percent .
"""
)


def test_a_figure_of_two_numbers_shows_the_least_number_in_memory_and_on_a_store(in_tmp: Path):
    """Of a figure's two values (which its shape forbids), ``show`` took the least in N-Triples order: of the text as
    written in memory, of a store's canonical text on a store, so ``kg:value -0.0 , -0.5`` was ``-0.0 %`` in memory
    and ``-0.5 %`` on a store (which keeps ``-0.0`` as ``0``, after ``"-0.5"``). Numbers are taken by value now, the
    least one, as a section's ``kg:order`` is."""
    _bundled_and_stored("50-two-numbers.ttl", _FIGURE_OF_TWO_NUMBERS)
    for where in (["--data", "data"], ["--store", "store"]):
        show = run(*where, "show", "kgf:acme-signed")
        assert show.exit_code == 0, show.output
        figure = show.stdout.split("\nFigure\n")[1].splitlines()
        assert figure[1] == "    value:            -0.5 %", where


_WRITTEN_TAGS = (
    PREFIXES
    + """src:ai-infrastructure {
    kgr:gadget a kg:Chip ; rdfs:label "Gadget"@EN-GB , "Gadget X"@en , "小工具"@zh-Hans ;
        skos:altLabel "Gdg"@EN , "Gdg" ; schema:description "Desc B"@en , "Desc A"@en-US ;
        kg:distinction "First"@EN ; kg:uses kgr:trainium3 ; prov:wasDerivedFrom src:ai-infrastructure .
}
"""
)


def test_language_tags_in_capitals_are_shown_alike_in_memory_and_on_a_store(in_tmp: Path):
    """A store keeps a language tag in small letters (``"Gadget"@EN-GB`` as ``@en-gb``), rdflib as written: ``show``
    printed ``label (EN-GB)`` in memory, ``label (en-gb)`` on a store, and in another order (capitals first), and
    the viewer's alternative labels and attributes differed alike. Both now print the tags in small letters."""
    _bundled_and_stored("50-tags.trig", _WRITTEN_TAGS)
    shown = [run(*where, "show", "kgr:gadget").stdout for where in (["--data", "data"], ["--store", "store"])]
    assert shown[0] == shown[1]
    assert "  label (en-gb):       Gadget\n" in shown[0] and "  distinction:         First (en)\n" in shown[0]
    pages = []
    for where in (["--data", "data"], ["--store", "store"]):
        drawn = run(*where, "viz", "--focus", "kgr:gadget", "--output", "-")
        assert drawn.exit_code == 0, drawn.output
        pages.append(drawn.stdout)
    assert pages[0] == pages[1]


def test_a_language_tag_is_read_in_small_letters_in_memory_as_on_a_store(in_tmp: Path):
    """A store keeps a literal's language tag in small letters; rdflib kept it as written, so ``lang()`` gave
    ``EN-GB`` in memory and ``en-gb`` on a store, a query's table and ``dump`` wrote other text, and of ``"Gdg"@EN``
    and ``"Gdg"@en`` (one literal, RDF's tags having no case) memory kept whichever came first. kgraph reads a tag in
    small letters now, as Oxigraph does, so the same data gives the same answers and the same dump on both."""
    _bundled_and_stored("50-tags.trig", _WRITTEN_TAGS.replace('"Gdg"@EN ,', '"Gdg"@EN , "Gdg"@en ,'))
    query = "SELECT ?l (lang(?l) AS ?t) WHERE { kgr:gadget rdfs:label|skos:altLabel|kg:distinction ?l } ORDER BY ?t ?l"
    answers, dumps = [], []
    for where in (["--data", "data"], ["--store", "store"]):
        table = run(*where, "query", "--format", "tsv", query)
        assert table.exit_code == 0, table.output
        answers.append(table.stdout)
        dumped = run(*where, "dump", "--format", "nt")
        assert dumped.exit_code == 0, dumped.output
        dumps.append(sorted(line for line in dumped.stdout.splitlines() if "gadget" in line))
    assert answers[0].splitlines() == [
        "?l\t?t",
        '"Gdg"\t""',
        '"First"@en\t"en"',
        '"Gadget X"@en\t"en"',
        '"Gdg"@en\t"en"',
        '"Gadget"@en-gb\t"en-gb"',
        '"小工具"@zh-hans\t"zh-hans"',
    ]
    assert answers[0] == answers[1]
    assert dumps[0] == dumps[1]


@pytest.mark.parametrize(
    ("labels", "names"),
    [
        # one tagged @EN or @ZH was found on a store, which keeps the tag as en, and not in memory
        ('"Caps chip"@EN , "大写芯片"@ZH', ("Caps chip", "大写芯片")),
        # one with a region or script was found by neither: the table looked for the tag en or zh itself
        ('"Colour chip"@en-GB , "彩色芯片"@zh-Hans', ("Colour chip", "彩色芯片")),
    ],
    ids=["capitals", "region-or-script"],
)
def test_a_label_of_the_language_in_any_form_names_an_iri_in_a_query_table_as_show_names_it(
    in_tmp: Path, labels: str, names: tuple[str, str]
):
    """The table of ``kgraph query`` names an IRI by its label in the language asked for, as ``kgraph show`` and
    ``--lang`` read it, whatever the tag's case or subtags; the cell was the bare prefixed name, in memory or on
    both."""
    tagged = PREFIXES + f"kgr:aaa-tagged a kg:Chip ; rdfs:label {labels} ; kg:developedBy kgr:aws .\n"
    _bundled_and_stored("50-tagged.ttl", tagged)
    query = "SELECT ?chip WHERE { ?chip a kg:Chip } ORDER BY ?chip LIMIT 1"
    for lang, name in zip(("en", "zh"), names, strict=True):
        for where in (["--data", "data"], ["--store", "store"]):
            table = run(*where, "query", "--lang", lang, query)
            assert table.exit_code == 0, table.output
            assert table.stdout.splitlines()[2] == f"{name} (kgr:aaa-tagged)", where
            shown = run(*where, "show", "--lang", lang, "kgr:aaa-tagged")
            assert shown.stdout.startswith(f"{name}  (kgr:aaa-tagged)"), where


_STRING_TWICE = (
    PREFIXES
    + """kgr:str-chip a kg:Chip ; rdfs:label "Str chip"@en , "Str chip"^^xsd:string , "Str chip" ;
    skos:altLabel "SC" , "SC"^^xsd:string ; schema:description "A chip." , "A chip."^^xsd:string ;
    kg:launchStatus "GA"^^xsd:string , "GA" .
"""
)


def test_a_string_written_with_and_without_xsd_string_is_listed_once_in_memory_as_on_a_store(in_tmp: Path):
    """``"GA"`` and ``"GA"^^xsd:string`` are one literal in RDF 1.1, and a store holds one; rdflib holds two terms, so
    ``show`` listed the label, alternative label, description and launch status twice in memory, once on a store,
    and the viewer's panel alike. Once on both now."""
    _bundled_and_stored("50-strings.ttl", _STRING_TWICE)
    shown, pages = [], []
    for where in (["--data", "data"], ["--store", "store"]):
        show = run(*where, "show", "kgr:str-chip")
        assert show.exit_code == 0, show.output
        shown.append(show.stdout)
        drawn = run(*where, "viz", "--focus", "kgr:str-chip", "--output", "-")
        assert drawn.exit_code == 0, drawn.output
        pages.append(drawn.stdout)
    assert shown[0] == shown[1]
    assert shown[0].count("GA") == shown[0].count("SC") == shown[0].count("A chip.") == 1
    assert shown[0].count("  label (-):") == 1
    assert pages[0] == pages[1]


# ------------------------------------------------------------------------------------------ a misspelt link

_MISSPELT_LINK = (
    PREFIXES
    + """src:ai-infrastructure {
    kgr:acme-brain a kg:Service ; rdfs:label "Acme Brain"@en , "Acme 大脑"@zh ; schema:description "A service."@en ;
        kg:poweredBy kgr:trainum3 ; kg:developedBy kgr:zzz-unheard-of ; prov:wasDerivedFrom src:ai-infrastructure .
}
"""
)


def _validated_both_ways(exit_code: int) -> list[str]:
    """``kgraph validate`` of ``data`` in memory, then of a store ``kgraph load`` builds of it: the standard output
    of each, which exited ``exit_code``."""
    assert run("--data", "data", "load", "--store", "store").exit_code == 0
    outputs = []
    for where in (["--data", "data"], ["--store", "store"]):
        result = run(*where, "validate")
        assert result.exit_code == exit_code, result.output
        outputs.append(result.stdout)
    return outputs


def test_a_link_to_an_iri_described_nowhere_asks_whether_it_is_misspelt(in_tmp: Path):
    """A link to a bundled entity with its IRI misspelt (``kg:poweredBy kgr:trainum3``) got two violations that said
    to give kgr:trainum3 a class, as if it were an entity of one's own to describe. The fix of each says that the IRI
    is described nowhere and names the closest IRI that is (kgr:trainium3), or none when none is close; the same
    in memory and on a store. An IRI the data describes keeps its fix as it was."""
    data = Path("data")
    shutil.copytree(default_data_dir(), data)
    (data / "50-mine.trig").write_text(_MISSPELT_LINK, encoding="utf-8")
    for stdout in _validated_both_ways(exit_code=1):
        fixes = [line.strip() for line in stdout.splitlines() if line.startswith("  fix:")]
        assert fixes == [
            "fix:     point kg:developedBy at a kg:Organization, or give kgr:zzz-unheard-of the class "
            "kg:Organization; kgr:zzz-unheard-of is described nowhere in the data: a misspelt IRI?",
            "fix:     point kg:poweredBy at a kg:Hardware, or give kgr:trainum3 the class kg:Hardware; "
            "kgr:trainum3 is described nowhere in the data: a misspelt IRI? did you mean kgr:trainium3?",
            "fix:     add rdf:type values of the kind the message asks for (at least 1); kgr:trainum3 is described "
            "nowhere in the data: a misspelt IRI? did you mean kgr:trainium3?",
            "fix:     add rdf:type values of the kind the message asks for (at least 1); kgr:zzz-unheard-of is "
            "described nowhere in the data: a misspelt IRI?",
        ], stdout


#: A chip of one's own with a property and a class of other vocabularies misspelt in case (skos:altLabel and
#: skos:Concept, which the ontology uses).
_OTHER_VOCABULARY_MISSPELT = (
    _MY_SOURCE
    + """my:chips {
    my:fast-chip a kg:Chip , skos:concept ; rdfs:label "Fast chip"@en , "快速芯片"@zh ;
        skos:altlabel "FC"@en ; schema:description "A chip."@en ; prov:wasDerivedFrom my:chips .
}
"""
)


def test_a_property_or_class_of_another_vocabulary_misspelt_in_case_is_a_warning_on_its_line(in_tmp: Path):
    """``skos:altlabel`` and ``a skos:concept`` passed validate with ``Conforms: yes`` and no warning, while ``show``,
    the queries and the viewer never saw the alternative label. Each is a warning now (the ontology does not define
    skos:, so validation still passes), naming the term meant and the line that writes it; the same in memory and
    on a store."""
    data = Path("data")
    data.mkdir()
    (data / "00-mine.trig").write_text(_OTHER_VOCABULARY_MISSPELT, encoding="utf-8")
    message = (
        "Uses a property or class that the ontology neither declares nor uses, written like one it knows (a "
        "misspelt name?): queries, shapes and the viewer that read that one miss it."
    )
    fix = "replace {} with the {} it stands for, or declare it in the ontology (did you mean {}?)"
    for stdout in _validated_both_ways(exit_code=0):
        assert stdout == (
            "Warning: Fast chip (<https://example.org/my-source/fast-chip>)\n"
            "  rule:    rdf:type  [shape kgsh:MisspeltTermShape]\n"
            f"  message: {message}\n"
            "  value:   skos:concept\n"
            "  where:   data/00-mine.trig:21\n"
            f"  fix:     {fix.format('skos:concept', 'class', 'skos:Concept')}\n"
            "\n"
            "Warning: Fast chip (<https://example.org/my-source/fast-chip>)\n"
            "  rule:    skos:altlabel  [shape kgsh:MisspeltTermShape]\n"
            f"  message: {message}\n"
            "  where:   data/00-mine.trig:22\n"
            f"  fix:     {fix.format('skos:altlabel', 'property', 'skos:altLabel')}\n"
            "\n"
            "Conforms: yes (0 violations, 2 warnings, 0 infos)\n"
        ), stdout


#: A company and a chip of one's own namespace: the chip misspelt where the company links to it, and a near name
#: of another thing of that namespace (my:hooli and my:globex share only the namespace).
_OWN_NAMESPACE_LINKS = (
    _MY_SOURCE
    + """my:chips {
    my:globex a kg:Company ; rdfs:label "Globex"@en , "环球"@zh ; schema:description "A company."@en ;
        prov:wasDerivedFrom my:chips .
    my:fast-chip a kg:Chip ; rdfs:label "Fast chip"@en , "快速芯片"@zh ; schema:description "A chip."@en ;
        kg:developedBy my:globex ; prov:wasDerivedFrom my:chips .
    my:rocket a kg:Service ; rdfs:label "Rocket"@en , "火箭"@zh ; schema:description "A service."@en ;
        kg:poweredBy my:fast-chp ; kg:developedBy my:hooli ; prov:wasDerivedFrom my:chips .
}
"""
)


def test_a_misspelt_iri_of_ones_own_namespace_is_matched_by_its_local_name(in_tmp: Path):
    """The closest described IRI was found by comparing whole IRIs, so that in a namespace of one's own, longer
    than kgr:, every IRI of it was close: my:hooli was asked whether it meant my:globex. Local names are compared
    now: my:fast-chp is taken for my:fast-chip, and my:hooli for nothing; the same in memory and on a store."""
    data = Path("data")
    data.mkdir()
    (data / "00-mine.trig").write_text(_OWN_NAMESPACE_LINKS, encoding="utf-8")
    for stdout in _validated_both_ways(exit_code=1):
        fixes = sorted(line.strip() for line in stdout.splitlines() if line.startswith("  fix:"))
        assert fixes == [
            "fix:     point kg:developedBy at a kg:Organization, or give <https://example.org/my-source/hooli> the "
            "class kg:Organization; <https://example.org/my-source/hooli> is described nowhere in the data: a "
            "misspelt IRI?",
            "fix:     point kg:poweredBy at a kg:Hardware, or give <https://example.org/my-source/fast-chp> the class "
            "kg:Hardware; <https://example.org/my-source/fast-chp> is described nowhere in the data: a misspelt "
            "IRI? did you mean <https://example.org/my-source/fast-chip>?",
        ], stdout


_UNTYPED = (
    _MY_SOURCE
    + """my:chips {
    my:initech rdfs:label "Initech"@en ; schema:description "A company."@en ; prov:wasDerivedFrom my:chips .
    my:Widget a owl:Class ; rdfs:subClassOf kg:Product ; rdfs:label "Widget"@en .
    my:w1 a my:Widget ; rdfs:label "W1"@en , "W1"@zh ; schema:description "A widget."@en ;
        prov:wasDerivedFrom my:chips .
}
"""
)


def test_a_thing_of_ones_own_namespace_with_no_class_of_the_ontology_is_a_violation(in_tmp: Path):
    """A thing of one's own namespace with no class at all (my:initech), or only a class declared in the data
    (my:w1 a my:Widget, a sub-class of kg:Product), passed validation: the shape that asks for a class looked at the
    kgr: and kgf: namespaces only. Such a thing is in no list by class (``entities``, the viewer), since inference
    reads classes from the ontology folder alone. Both are violations now, in memory and on a store; the class the
    data declares is none (a term an ontology declares is not asked for a class)."""
    data = Path("data")
    data.mkdir()
    (data / "00-mine.trig").write_text(_UNTYPED, encoding="utf-8")
    for stdout in _validated_both_ways(exit_code=1):
        untyped = [line for line in stdout.splitlines() if line.startswith("Violation:")]
        assert untyped == [
            "Violation: Initech (<https://example.org/my-source/initech>)",
            "Violation: W1 (<https://example.org/my-source/w1>)",
        ], stdout
        assert stdout.count("message: Has no class from the ontology") == 2
    assert "W1" not in run("--data", "data", "entities").output


_REGIONAL_TAGS = (
    _MY_SOURCE
    + """my:chips {
    my:globex a kg:Company ; rdfs:label "Globex"@en , "环球"@zh-CN ; schema:description "A company."@en ;
        prov:wasDerivedFrom my:chips .
    my:globex-savings a kg:Figure ; rdfs:label "Globex savings"@en-GB , "环球节省"@zh-Hans ;
        kg:figureOf my:globex ; kg:metric "cost saved"@en-GB , "节省成本"@zh-CN ; kg:value 30 ; kg:unit kg:Percent ;
        kg:comparisonBasis "last year"@EN-gb , "去年"@zh-cn ; kg:figureKind kg:CustomerResult ;
        prov:wasDerivedFrom my:chips .
}
"""
)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_saved_queries_read_a_text_of_the_language_in_any_regional_form(in_tmp: Path, lang):
    """``show`` and the shapes take ``"节省成本"@zh-CN`` for a Chinese text, but the saved queries compared tags
    whole (``LANG(?metric) = ?lang``), so ``figures-of`` and ``customer-results`` printed no metric for ``--param
    lang=zh``. They match the language now (``LANGMATCHES``), in memory and on a store."""
    data = Path("data")
    data.mkdir()
    (data / "00-mine.trig").write_text(_REGIONAL_TAGS, encoding="utf-8")
    assert run("--data", "data", "load", "--store", "store").exit_code == 0
    metric, basis = {"en": ("cost saved", "last year"), "zh": ("节省成本", "去年")}[lang]
    for where in (["--data", "data"], ["--store", "store"]):
        for query in ("figures-of", "customer-results"):
            param = ["--param", "entity=Globex"] if query == "figures-of" else []
            result = run(*where, "queries", "run", query, *param, "--param", f"lang={lang}", "--format", "csv")
            assert result.exit_code == 0, result.output
            assert metric in result.stdout and basis in result.stdout, (query, where, result.stdout)


def test_two_sections_of_a_document_at_one_position_are_a_warning(in_tmp: Path):
    """Two sections of one document with ``kg:order 1`` passed without a word, and ``stats``, ``show`` and the
    saved query ``sections`` then listed two sections as 1. It is a warning of each, naming the other, in memory and
    on a store; the same number in another document is none."""
    data = Path("data")
    data.mkdir()
    second = """my:document { my:cloud a kg:SourceSection ; rdfs:label "Cloud"@en ; dcterms:title "云"@zh ;
        kg:order 01 ; dcterms:isPartOf my:document .
    my:other a kg:SourceDocument ; rdfs:label "Other"@en ; dcterms:title "另一"@zh .
    my:intro a kg:SourceSection ; rdfs:label "Intro"@en ; dcterms:title "引言"@zh ;
        kg:order 1 ; dcterms:isPartOf my:other . }
"""
    (data / "00-mine.trig").write_text(_MY_SOURCE + second, encoding="utf-8")
    for stdout in _validated_both_ways(exit_code=0):
        messages = [line.strip() for line in stdout.splitlines() if line.startswith("  message:")]
        assert messages == [
            "message: Another section of the same document, <https://example.org/my-source/cloud>, has the same "
            "kg:order 1.",
            "message: Another section of the same document, <https://example.org/my-source/chips>, has the same "
            "kg:order 1.",
        ], stdout
        assert stdout.endswith("Conforms: yes (0 violations, 2 warnings, 0 infos)\n")


_PASTED_TWICE = (
    _MY_SOURCE
    + """my:chips {
    my:globex a kg:Company ; rdfs:label "Globex"@en , "环球"@zh ; schema:description "A company."@en ;
        prov:wasDerivedFrom my:chips .
    my:savings a kg:Figure ; rdfs:label "Globex cost savings"@en , "环球节省的成本"@zh ;
        kg:figureOf my:globex ; kg:metric "cost savings"@en ;
        kg:value 40 ; kg:unit kg:Percent ; kg:figureKind kg:CustomerResult ; prov:wasDerivedFrom my:chips .
    my:savings a kg:Figure ; rdfs:label "Globex time savings"@en , "环球节省的时间"@zh ;
        kg:figureOf my:globex ; kg:metric "time savings"@en ;
        kg:value 20 ; kg:unit kg:Percent ; kg:figureKind kg:CustomerResult ; prov:wasDerivedFrom my:chips .
}
"""
)


def test_too_many_values_are_named_with_the_line_of_each(in_tmp: Path):
    """A figure's IRI pasted again for another figure gave two values and two English labels, and the violations
    said only to remove others, on the figure's first line. The fix names the values, and ``where:`` the line of
    each, in memory and on a store."""
    data = Path("data")
    data.mkdir()
    (data / "00-mine.trig").write_text(_PASTED_TWICE, encoding="utf-8")
    lines = _PASTED_TWICE.split("\n")
    value = [n for n, line in enumerate(lines, 1) if "kg:value" in line]
    label = [n for n, line in enumerate(lines, 1) if "my:savings a kg:Figure" in line]
    for stdout in _validated_both_ways(exit_code=1):
        assert (
            "  rule:    kg:value sh:maxCount 1\n"
            "  message: A figure needs exactly one numeric kg:value (an xsd:decimal or xsd:integer).\n"
            f"  where:   data/00-mine.trig:{value[0]}, data/00-mine.trig:{value[1]}\n"
            "  fix:     keep at most 1 kg:value value (now 20 and 40); remove others\n"
        ) in stdout
        assert f"  where:   data/00-mine.trig:{label[0]}, data/00-mine.trig:{label[1]}\n" in stdout


# ------------------------------------------------------------------------------------ prefixes of one's own

#: A source of one's own whose entities are written with a prefix of its own, which kgraph does not bind itself.
ACME = (
    PREFIXES
    + """@prefix acme: <https://acme.example/> .
acme:document { acme:document a kg:SourceDocument . acme:chips a kg:SourceSection . }
acme:chips {
    acme:acme a kg:Company ; rdfs:label "Acme"@en , "阿克米"@zh .
    acme:chip-one a kg:Chip ; rdfs:label "Acme Chip"@en , "阿克米芯片"@zh ; kg:developedBy acme:acme .
}
"""
)


def _both_ways(*args: str) -> list[Result]:
    """``kgraph ARGS`` on ``data`` with ``ontology`` (in the current folder) in memory, then on a store loaded from
    them."""
    loaded = run("--data", "data", "--ontology", "ontology", "load", "--store", "store")
    assert loaded.exit_code == 0, loaded.output
    return [run("--data", "data", "--ontology", "ontology", *args), run("--store", "store", *args)]


def test_a_name_with_a_prefix_the_data_declares_is_found_and_written_so(make_kg: MakeKG, in_tmp: Path):
    """``kgraph show acme:chip-one`` said ``nothing is named 'acme:chip-one'``: only kgraph's own prefixes were read
    in a name. A prefix the data files declare is read too, in memory and on a store (whose load keeps the prefixes),
    and ``show`` writes the data's IRIs with it, as it writes kgraph's."""
    make_kg({"00-acme.trig": ACME})
    for shown in _both_ways("show", "acme:chip-one"):
        assert shown.exit_code == 0, shown.output
        assert shown.stdout.startswith(
            "Acme Chip  (acme:chip-one)\n  IRI:               https://acme.example/chip-one\n"
        )
        assert "    -> Acme  (acme:acme)\n" in shown.stdout
    for path in _both_ways("path", "acme:chip-one", "acme:acme"):
        assert (path.exit_code, path.stdout) == (0, "Acme Chip -developed by-> Acme\n"), path.output
    for near in _both_ways("neighbors", "acme:acme"):
        assert near.exit_code == 0, near.output
        assert "Acme Chip" in near.stdout
    for found in _both_ways("show", "acme:chip-two"):  # a name of the prefix that names nothing
        assert found.exit_code == 1, found.output
        assert found.stderr.startswith("Error: acme:chip-two is not the subject of any triple; "), found.output
    declared = [(entry.prefix, entry.namespace, entry.path.name) for entry in load(Path("data")).prefixes]
    assert ("acme", "https://acme.example/", "00-acme.trig") in declared
    assert declared == [
        (entry.prefix, entry.namespace, entry.path.name) for entry in persist.open_store(Path("store")).prefixes
    ]


def test_a_prefix_two_files_bind_to_two_namespaces_is_refused_in_a_name(make_kg: MakeKG, in_tmp: Path):
    """Which IRI ``acme:chip-one`` means is not known when one file binds ``acme:`` to one namespace and another
    file to another: the name is refused (exit 1) with a line naming both, in memory as on a store, rather than
    read with the namespace of whichever file came first. A label still finds each, and neither is written with
    the prefix."""
    other = PREFIXES + '@prefix acme: <https://acme.example/v2/> .\nacme:chip-one a kg:Chip ; rdfs:label "V2"@en .\n'
    make_kg({"00-acme.trig": ACME, "01-other.ttl": other})
    expected = (
        "Error: the prefix acme: of acme:chip-one is bound to 2 namespaces in the data: <https://acme.example/> in "
        "data/00-acme.trig, <https://acme.example/v2/> in data/01-other.ttl; write the IRI whole "
        "(<https://acme.example/chip-one> or <https://acme.example/v2/chip-one>), or bind acme: to one namespace in "
        "every file\n"
    )
    for command in (["show", "acme:chip-one"], ["path", "Acme", "acme:chip-one"], ["neighbors", "acme:chip-one"]):
        for refused in _both_ways(*command):
            assert (refused.exit_code, refused.stderr) == (1, expected), refused.output
    for shown in _both_ways("show", "V2"):
        assert shown.stdout.startswith("V2  (<https://acme.example/v2/chip-one>)\n"), shown.output


def test_a_prefix_of_kgraphs_bound_elsewhere_by_a_file_says_which_it_means(make_kg: MakeKG, in_tmp: Path):
    """A data file that binds one of kgraph's prefixes (``src:``) to a namespace of its own: the prefix still means
    kgraph's namespace in a name, as in every output and query, and a name of it that names nothing says so, with
    the IRI the file meant."""
    own = PREFIXES.replace("reinvent-2025-keynote/", "x/").replace(
        "https://w3id.org/kgraph/source/", "https://acme.example/"
    )
    make_kg({"00-acme.trig": ACME, "01-own.ttl": own + 'src:widget a kg:Chip ; rdfs:label "Widget"@en .\n'})
    expected = (
        "Error: src:widget is not the subject of any triple; src: is kgraph's prefix for "
        "<https://w3id.org/kgraph/source/reinvent-2025-keynote/>, which data/01-own.ttl binds to "
        "<https://acme.example/x/>: write the IRI whole (<https://acme.example/x/widget>), or give that namespace "
        "another prefix\n"
    )
    for refused in _both_ways("show", "src:widget"):
        assert (refused.exit_code, refused.stderr) == (1, expected), refused.output
    for shown in _both_ways("show", "<https://acme.example/x/widget>"):
        assert shown.exit_code == 0, shown.output

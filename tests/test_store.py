"""kgraph.store.load: which files are read, into which named graphs, and the errors for bad folders."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from conftest import MINI_ONTOLOGY, PREFIXES, MakeKG
from kgraph.cli import cli
from kgraph.errors import DataSyntaxError, InputError
from kgraph.resources import default_data_dir, default_ontology_dir
from kgraph.store import load, open_file, read_file
from kgraph.vocab import INFERRED_GRAPH, KG, KGR, ONTOLOGY_GRAPH, SOURCE_GRAPH, SRC, file_graph

SECTION_TRIG = (
    PREFIXES
    + """
src:alpha {
    kgr:acme a kg:Company ; rdfs:label "Acme"@en , "顶点"@zh ; prov:wasDerivedFrom src:alpha .
}
src:beta {
    kgr:acme kg:partnerOf kgr:globex .
    kgr:globex a kg:Company ; rdfs:label "Globex"@en .
}
"""
)


# ------------------------------------------------------------------------------------------ the bundled graph


def test_bundled_graph_has_the_named_graphs(loaded):
    names = {g.identifier for g in loaded.dataset.graphs()}
    assert {ONTOLOGY_GRAPH, INFERRED_GRAPH, SOURCE_GRAPH} <= names
    sections = set(loaded.graph.subjects(RDF.type, KG.SourceSection))
    assert sections, "00-source.trig describes the sections"
    assert len(loaded.dataset.graph(ONTOLOGY_GRAPH)) > 100
    assert len(loaded.inferred) > 0


def test_bundled_files_are_read_in_name_order(loaded):
    names = [p.name for p in loaded.data_files]
    assert names == sorted(names)
    assert names[0] == "00-source.trig"
    assert "README.md" not in names
    assert [p.name for p in loaded.ontology_files] == ["kgraph.ttl"]  # not shapes.ttl, not rules/*.rq
    assert loaded.rules == ("customer-of.rq", "time-range.rq")
    assert loaded.files == loaded.ontology_files + loaded.data_files


def test_flat_graph_is_the_union_of_the_named_graphs(loaded):
    union = set()
    for graph in loaded.dataset.graphs():
        union.update(graph)
    assert union == set(loaded.graph)
    # default_union=True: SPARQL on the dataset sees every named graph
    count = loaded.dataset.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert next(iter(count))[0].toPython() >= len(loaded.graph)  # type: ignore[index]


def test_inferred_graph_never_repeats_an_asserted_triple(loaded):
    for graph in loaded.dataset.graphs():
        if graph.identifier != INFERRED_GRAPH:
            assert not (set(graph) & set(loaded.inferred)), graph.identifier


def test_prefixes_are_bound_for_users(loaded):
    prefixes = dict(loaded.graph.namespaces())
    assert prefixes["kgr"] == URIRef(str(KGR))
    assert prefixes["kg"] == URIRef(str(KG))


def test_bundled_data_is_loaded_without_warnings(loaded):
    assert loaded.warnings == ()


# ------------------------------------------------------------------------------------------ inline folders


def test_trig_keeps_named_graphs_and_ttl_goes_into_its_file_graph(make_kg):
    data_dir, ontology_dir = make_kg(
        {
            "10-sections.trig": SECTION_TRIG,
            "20-extra.ttl": PREFIXES + 'kgr:initech a kg:Company ; rdfs:label "Initech"@en .\n',
            "30-lines.nt": f"<{KGR}hooli> <{RDF.type}> <{KG.Company}> .\n",
            "40-quads.nq": f'<{KGR}hooli> <{RDFS.label}> "Hooli"@en <{SRC}gamma> .\n'
            f'<{KGR}hooli> <{RDFS.comment}> "default" .\n',
            "notes.txt": "not RDF, ignored",
        }
    )
    loaded = load(data_dir, ontology_dir)
    ds = loaded.dataset
    assert (KGR.acme, RDF.type, KG.Company) in ds.graph(SRC.alpha)
    assert (KGR.acme, KG.partnerOf, KGR.globex) in ds.graph(SRC.beta)
    assert (KGR.acme, KG.partnerOf, KGR.globex) not in ds.graph(SRC.alpha)
    assert (KGR.initech, RDF.type, KG.Company) in ds.graph(file_graph("20-extra.ttl"))
    assert (KGR.hooli, RDF.type, KG.Company) in ds.graph(file_graph("30-lines.nt"))
    assert (KGR.hooli, RDFS.label, Literal("Hooli", lang="en")) in ds.graph(SRC.gamma)
    assert (KGR.hooli, RDFS.comment, Literal("default")) in ds.graph(file_graph("40-quads.nq"))
    assert (KG.Company, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in ds.graph(ONTOLOGY_GRAPH)
    assert [p.name for p in loaded.data_files] == ["10-sections.trig", "20-extra.ttl", "30-lines.nt", "40-quads.nq"]
    # the flat graph holds ontology + data + inferences
    assert (KGR.acme, RDF.type, KG.Entity) in loaded.graph
    assert (KGR.acme, RDF.type, KG.Entity) in ds.graph(INFERRED_GRAPH)
    assert (KG.Company, RDFS.subClassOf, KG.Organization) in loaded.graph


def test_graphs_of_gives_the_sections_of_a_triple(make_kg):
    doubled = SECTION_TRIG + "src:gamma { kgr:acme kg:partnerOf kgr:globex . }\n"
    loaded = load(*make_kg({"a.trig": doubled}))
    assert loaded.graphs_of((KGR.acme, KG.partnerOf, KGR.globex)) == [SRC.beta, SRC.gamma]
    assert loaded.is_asserted((KGR.acme, KG.partnerOf, KGR.globex))
    assert not loaded.is_asserted((KGR.globex, KG.partnerOf, KGR.acme))  # symmetric, inferred


def test_shapes_file_is_not_part_of_the_ontology(make_kg):
    shapes = PREFIXES + "kg:SomeShape a sh:NodeShape ; sh:targetClass kg:Company .\n"
    data_dir, ontology_dir = make_kg({"a.trig": SECTION_TRIG}, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": shapes})
    loaded = load(data_dir, ontology_dir)
    assert (URIRef(f"{KG}SomeShape"), None, None) not in loaded.graph
    assert loaded.shapes_file == ontology_dir / "shapes.ttl"


def test_relative_iris_do_not_depend_on_where_the_file_is(make_kg):
    loaded = load(*make_kg({"rel.ttl": PREFIXES + "<thing> a kg:Company .\n"}))
    subjects = {str(s) for s in loaded.graph.subjects(RDF.type, KG.Company)}
    assert subjects == {"https://w3id.org/kgraph/graph/file/thing"}


def test_blank_nodes_get_the_same_labels_every_time(make_kg):
    text = PREFIXES + 'kgr:acme a kg:Company ; kg:value [ rdfs:label "x" ; rdfs:comment "y" ] .\n'
    first = load(*make_kg({"b.ttl": text}))
    second = load(*make_kg({"b.ttl": text}))
    bnodes = {o for o in first.graph.objects(KGR.acme, KG.value)}
    assert all(isinstance(b, BNode) for b in bnodes)
    assert bnodes == set(second.graph.objects(KGR.acme, KG.value))


def test_an_ill_typed_literal_is_named_with_its_value_and_line(make_kg):
    """A date out of range (month 13) was "a literal is not a valid xsd:date", with the file alone: rdflib's error
    (``month must be in 1..12``) does not quote it. Its value and line are named now."""
    text = PREFIXES + '\nkgr:acme a kg:Company ;\n    kg:founded "2025-13-01"^^xsd:date .\n'
    (warning,) = load(*make_kg({"w.ttl": text})).warnings
    assert warning.endswith(
        'w.ttl:15: "2025-13-01" is not a valid xsd:date; it is kept as written, and comparisons '
        "and arithmetic on it fail"
    )


def test_ill_typed_literals_are_reported_as_warnings_not_printed(make_kg, capsys):
    text = PREFIXES + 'kgr:acme a kg:Company ; kg:value "many"^^xsd:integer .\n'
    loaded = load(*make_kg({"w.ttl": text}))
    assert len(loaded.warnings) == 1
    assert loaded.warnings[0].endswith(
        'w.ttl:13: "many" is not a valid xsd:integer; it is kept as written, and comparisons and arithmetic on it fail'
    )
    assert "\n" not in loaded.warnings[0]
    assert capsys.readouterr().err == ""


def _ill_typed_kept(
    make_kg: MakeKG, tmp_path: Path, text: str, literal: tuple[str, str], warning: str
) -> tuple[list[str], list[str]]:
    """Load ``text`` (as w.ttl), which holds ``literal`` (its lexical form and XSD datatype) outside XSD's lexical
    form: its one warning ends with ``warning``, ``kgraph dump`` writes the literal as written, and ``kgraph load``
    builds a store of it. The options that name the data, and those that name the store."""
    lexical, datatype = literal
    data_dir, ontology_dir = make_kg({"w.ttl": text})
    loaded = load(data_dir, ontology_dir)
    (warned,) = loaded.warnings
    assert warned.endswith(warning), warned
    options = ["--data", str(data_dir), "--ontology", str(ontology_dir)]
    dumped = CliRunner().invoke(cli, [*options, "dump"], catch_exceptions=False)
    assert dumped.exit_code == 0
    assert f'"{lexical}"^^<http://www.w3.org/2001/XMLSchema#{datatype}> .\n' in dumped.stdout
    store = ["--store", str(tmp_path / "store")]
    assert CliRunner().invoke(cli, [*options, "load", *store], catch_exceptions=False).exit_code == 0
    return options, store


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        ("NaN", "decimal"),
        ("-INF", "decimal"),
        ("Infinity", "decimal"),
        ("1e5", "decimal"),
        ("1_000", "decimal"),
        (" 12 ", "decimal"),
        ("1_000", "integer"),
        (" 12", "integer"),
        ("\uff11\uff12", "integer"),  # full-width digits
        ("1\u0662", "int"),  # an Arabic-Indic two
        ("12\\n", "nonNegativeInteger"),
        ("1_0.5", "double"),
        ("1.5 ", "double"),
        ("\uff11.\uff15", "float"),
    ],
)
def test_a_number_outside_xsds_lexical_form_is_ill_typed_as_on_a_store(make_kg, tmp_path, lexical, datatype):
    """Python's Decimal, int and float read them, XSD and Oxigraph do not: such a literal compared and validated as a
    number in memory, where a store holds it ill-typed; a decimal NaN stopped every comparison
    (decimal.InvalidOperation): kgraph dump, which sorts a subject's values, ended in a traceback."""
    text = PREFIXES + f'kgr:acme a kg:Company ; kg:value 3.5 , "{lexical}"^^xsd:{datatype} .\n'
    warning = (
        f'w.ttl:13: "{lexical}" is not a valid xsd:{datatype}; it is kept as written, and comparisons and arithmetic '
        "on it fail"
    )
    options, store = _ill_typed_kept(make_kg, tmp_path, text, (lexical, datatype), warning)
    query = "SELECT ?v WHERE { ?s kg:value ?v FILTER (?v > 1) }"
    for where in (options, store):
        queried = CliRunner().invoke(cli, [*where, "query", query, "--format", "csv"], catch_exceptions=False)
        assert (queried.exit_code, queried.stdout) == (0, "v\n3.5\n"), where


@pytest.mark.parametrize("lexical", [" true ", "TRUE", "True", "yes", " 0"])
def test_a_boolean_outside_xsds_lexical_form_is_ill_typed_as_on_a_store(make_kg, tmp_path, lexical):
    """rdflib read any text but true, false, 1 and 0 as false and wrote it so: " true "^^xsd:boolean was "false" in
    the dumps and the Neo4j CSV, kept as written on a store; "TRUE" was "true", and from kgraph's cache a
    well-typed one, so the Neo4j export's column was a string after a parse and a boolean the next time."""
    text = PREFIXES + f'kgr:acme a kg:Company ; kg:value true , "1"^^xsd:boolean , "{lexical}"^^xsd:boolean .\n'
    warning = (
        f'w.ttl:13: "{lexical}" is not a valid xsd:boolean (only true, false, 1 or 0); it is kept as written, and '
        "comparisons and arithmetic on it fail"
    )
    options, store = _ill_typed_kept(make_kg, tmp_path, text, (lexical, "boolean"), warning)
    query = "SELECT ?v WHERE { ?s kg:value ?v FILTER (?v) }"
    exported = []
    for where in (options, options, store):  # parsed, then from the cache, then from the store
        queried = CliRunner().invoke(cli, [*where, "query", query, "--format", "csv"], catch_exceptions=False)
        assert (queried.exit_code, queried.stdout) == (0, "v\ntrue\n"), where
        out = tmp_path / f"neo4j-{len(exported)}"
        assert CliRunner().invoke(cli, [*where, "export", "neo4j", "--out", str(out)]).exit_code == 0
        exported.append({f.name: f.read_bytes() for f in sorted(out.iterdir())})
    assert exported[0] == exported[1] == exported[2]
    header, row = exported[0]["nodes_Entity.csv"].decode().splitlines()[:2]
    assert "value:string[]" in header.split(","), header
    assert sorted(row.rpartition(",")[2].split(";")) == sorted(["true", lexical]), row


@pytest.mark.parametrize("suffix", [".ttl", ".trig"])
def test_a_bare_decimal_below_a_millionth_is_read_as_written(make_kg, suffix):
    """rdflib's Turtle parser wrote ``0.0000001`` as ``1E-7``, which the strict decimal reading refused: a valid
    figure became an ill-typed literal (a warning, a failed validation, a ``string`` value column in the Neo4j
    export), where a store reads ``0.0000001``. kgraph.ttl and kgraph.trig did not read back as written either."""
    triples = "kgr:acme a kg:Company ; kg:value 0.0000001 , -0.000000000000000000001 , 1.50 ."
    text = PREFIXES + (f"kgr:g {{ kgr:g a kg:SourceSection . {triples} }}\n" if suffix == ".trig" else f"{triples}\n")
    data_dir, ontology_dir = make_kg({f"w{suffix}": text})
    loaded = load(data_dir, ontology_dir)
    assert loaded.warnings == ()
    values = set(loaded.graph.objects(KGR.acme, KG.value))
    assert {str(v) for v in values} == {"0.0000001", "-0.000000000000000000001", "1.50"}
    assert all(isinstance(v, Literal) and v.datatype == XSD.decimal and not v.ill_typed for v in values)
    options = ["--data", str(data_dir), "--ontology", str(ontology_dir)]
    dumped = CliRunner().invoke(cli, [*options, "dump"], catch_exceptions=False)
    assert f'<{KG.value}> "0.0000001"^^<{XSD.decimal}> .\n' in dumped.stdout


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        *((lexical, "decimal") for lexical in ("3.5", "-0", "+.5", "5.", "007.10")),
        *((lexical, "integer") for lexical in ("12", "+12", "-0", "007", "99999999999999999999")),
        ("-12", "int"),
        ("12", "unsignedByte"),
        *((lexical, "double") for lexical in ("1.5", "-.5e-3", "1.E3", "+1e400", "INF", "-INF", "+INF", "NaN")),
        *((lexical, "float") for lexical in ("1.5", "inf", "-Infinity", "nan")),  # Oxigraph reads these too
    ],
)
def test_a_number_in_xsds_lexical_form_is_read(make_kg, lexical, datatype):
    text = PREFIXES + f'kgr:acme a kg:Company ; kg:value "{lexical}"^^xsd:{datatype} .\n'
    loaded = load(*make_kg({"w.ttl": text}))
    assert loaded.warnings == ()
    (value,) = loaded.graph.objects(KGR.acme, KG.value)
    assert isinstance(value, Literal)
    assert value.value is not None
    assert value.ill_typed is False


@pytest.mark.parametrize(
    "command", [["load"], ["serve", "--port", "0"], ["push", "--endpoint", "http://127.0.0.1:1/s"]]
)
def test_two_stores_before_and_after_the_command_are_refused(in_tmp, command):
    """The command's own --store was taken without a word: kgraph --store a load --store b loaded b."""
    result = CliRunner().invoke(cli, ["--store", "a", command[0], "--store", "b", *command[1:]])
    assert result.exit_code == 2, result.output
    assert result.stderr == "Error: --store a before the command and --store b after it name two stores; give one\n"
    assert list(in_tmp.iterdir()) == []


def test_one_store_before_and_after_the_command_or_kgraph_toml_and_the_commands_are_taken(in_tmp):
    assert CliRunner().invoke(cli, ["--store", "a", "load", "--store", "./a"]).exit_code == 0
    (in_tmp / "kgraph.toml").write_text('[store]\npath = "a"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["load", "--store", "b"])  # the command's own, over the file's
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in in_tmp.iterdir()) == ["a", "b", "kgraph.toml"]


XSD_INT = URIRef("http://www.w3.org/2001/XMLSchema#integer")


# ------------------------------------------------------------------------------------------ bad input


def test_missing_data_folder(tmp_path):
    with pytest.raises(InputError, match=r"the data folder .*nowhere does not exist; pass data_dir=DIR$") as caught:
        load(tmp_path / "nowhere")
    assert caught.value.cli_message.endswith("nowhere does not exist; pass --data DIR")


def test_missing_ontology_folder(tmp_path):
    with pytest.raises(InputError, match=r"the ontology folder .*nowhere does not exist; pass ontology_dir=DIR$"):
        load(default_data_dir(), tmp_path / "nowhere")


def test_python_api_errors_say_what_to_do_in_python(tmp_path):
    """``load()`` and ``kgraph.persist`` said "pass --data DIR" or "build one with kgraph load --store DIR" to a
    caller of the Python function; ``str()`` now names its argument or function, and the CLI prints
    ``cli_message``, as before."""
    from kgraph import persist  # noqa: PLC0415 - pyoxigraph only for this test

    (tmp_path / "empty").mkdir()
    (tmp_path / "file").write_text("", encoding="utf-8")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "gone")
    calls = [
        (lambda: load(tmp_path / "empty"), "pass data_dir=DIR", "pass --data DIR"),
        (lambda: load(tmp_path / "file"), "pass data_dir=DIR with the data", "pass --data DIR with the data"),
        (lambda: load(tmp_path / "link"), "fix the link or pass data_dir=DIR", "fix the link or pass --data DIR"),
        (lambda: load(None, tmp_path / "empty"), "pass ontology_dir=DIR", "pass --ontology DIR"),
        (
            lambda: persist.open_store(tmp_path / "nowhere"),
            f"build one with kgraph.persist.build({str(tmp_path / 'nowhere')!r})",
            f"build one with kgraph load --store {tmp_path / 'nowhere'}",
        ),
        (
            lambda: persist.open_store(str(tmp_path / "empty")),
            f"build one with kgraph.persist.build({str(tmp_path / 'empty')!r})",
            f"build one with kgraph load --store {tmp_path / 'empty'}",
        ),
        (lambda: persist.build(tmp_path / "file"), "pass a store_dir that is a folder", "pass --store DIR with"),
        (lambda: persist.build(tmp_path / "full"), "pass a store_dir that is a new", "pass --store with a new"),
        (lambda: persist.build(tmp_path / "link"), "pass another store_dir", "pass another --store DIR"),
    ]
    for call, python, command_line in calls:
        with pytest.raises(InputError) as caught:
            call()
        message = str(caught.value)
        assert python in message, message
        assert not re.search(r"--\w|kgraph load", message), message
        assert command_line in caught.value.cli_message, caught.value.cli_message


def test_data_folder_is_a_file(tmp_path):
    (tmp_path / "file.ttl").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="is not a folder"):
        load(tmp_path / "file.ttl")


def test_empty_data_folder(tmp_path):
    (tmp_path / "README.md").write_text("no RDF here", encoding="utf-8")
    with pytest.raises(InputError, match=r"no data file \(\*\.ttl, \*\.trig, \*\.nt, \*\.nq\) in"):
        load(tmp_path, default_ontology_dir())


def test_ontology_folder_with_only_shapes(make_kg):
    data_dir, ontology_dir = make_kg({"a.trig": SECTION_TRIG}, {"shapes.ttl": PREFIXES})
    with pytest.raises(InputError, match="no ontology file"):
        load(data_dir, ontology_dir)


#: A file with an IRI Oxigraph refuses, the line, and what is wrong.
BAD_IRIS = [
    (("a.ttl", PREFIXES + "\nkgr:a rdfs:seeAlso <http://ex/a b> .\n"), 14, "' ' in the IRI <http://ex/a b>"),
    (("a.ttl", PREFIXES + "kgr:a rdfs:seeAlso\n  <http://ex/a\\u0020b> .\n"), 14, "' ' in the IRI <http://ex/a b>"),
    (("a.ttl", PREFIXES + "kgr:a rdfs:seeAlso <http://ex/{x}> .\n"), 13, "'{' in the IRI <http://ex/{x}>"),
    (("a.nt", '<http://ex/s> <http://ex/p> "x"^^<http://ex/a\\u0009b> .\n'), 1, "'U+0009' in the IRI <http://ex/a b>"),
    (("a.ttl", "<http://ex/s> <http://ex/p> <a|b> .\n"), 1, "'|' in the IRI <https://w3id.org/kgraph/graph/file/a|b>"),
    # the IRI's last segment in a comment first: the line that writes the whole IRI is the one to fix
    (("a.ttl", PREFIXES + "# see a b>\nkgr:a rdfs:seeAlso <http://ex/a b> .\n"), 14, "' ' in the IRI <http://ex/a b>"),
    # in a prefix's IRI, which no line writes whole with the local name: the prefix's line, and its IRI
    (("a.ttl", "@prefix ex: <http://e{x}/> .\n\nex:s ex:p ex:o .\n"), 1, "'{' in the IRI <http://e{x}/>"),
]


@pytest.mark.parametrize(("file", "line", "reason"), BAD_IRIS)
def test_an_iri_a_store_refuses_is_refused_in_memory_with_file_and_line(make_kg, tmp_path, file, line, reason):
    """rdflib reads an IRI with a space, ``{``, ``|`` or a control character in it (with a warning at most, repeated
    and without a line); ``kgraph load --store`` refused the file, ``show`` and ``query`` went on with it, and
    ``dump`` and a CONSTRUCT in Turtle ended in a traceback. The in-memory load refuses it as the store does (a tab
    is shown as a space: the message is one line)."""
    from kgraph import persist  # noqa: PLC0415 - pyoxigraph only for this test

    data_dir, ontology_dir = make_kg(dict([file]))
    with pytest.raises(DataSyntaxError) as caught:
        load(data_dir, ontology_dir)
    assert str(caught.value).endswith(
        f"{file[0]}:{line}: bad syntax: Invalid IRI code point {reason}; fix the file and run again"
    ), str(caught.value)
    with pytest.raises(DataSyntaxError) as stored:
        persist.build(tmp_path / "store", data_dir, ontology_dir)
    assert (stored.value.path, stored.value.line) == (caught.value.path, caught.value.line)


#: Turtle and TriG that rdflib's parser read although the grammar does not allow it: the line, and what is wrong.
NOT_TURTLE = [
    (("a.ttl", PREFIXES + '"x" rdfs:label "y" .\n'), 13, '"x" is not a valid subject or graph name'),
    (("a.ttl", PREFIXES + 'kgr:a ( 1 ) "z" .\n'), 13, "( is not a valid predicate"),
    (("a.ttl", PREFIXES + "kgr:a rdfs:comment 1.2.3 .\n"), 13, ".3 is not a valid subject or graph name"),
    (("a.ttl", PREFIXES + 'kgr:a rdfs:label "x\\uZZZZ" .\n'), 13, "The escape sequence '\\uZZZZ' is not a valid"),
    (("a.trig", PREFIXES + 'src:s {\n  "x" rdfs:label "y" .\n}\n'), 14, '"x" is not a valid RDF subject'),
]


@pytest.mark.parametrize(("file", "line", "reason"), NOT_TURTLE)
def test_what_turtle_does_not_allow_is_refused_in_memory_as_on_a_store(make_kg, tmp_path, file, line, reason):
    """rdflib's Turtle parser read a literal as a subject (``validate`` and ``build`` then stopped with a Python
    error, ``dump`` wrote N-Triples no parser reads), a blank node as a predicate, ``1.2.3`` as 1.2 (the rest
    dropped unseen) and ``\\uZZZZ`` as written, all of which ``kgraph load --store`` refused. The in-memory load
    refuses them as the store does, in the same words."""
    from kgraph import persist  # noqa: PLC0415 - pyoxigraph only for this test

    data_dir, ontology_dir = make_kg(dict([file]))
    with pytest.raises(DataSyntaxError) as caught:
        load(data_dir, ontology_dir)
    assert f"{file[0]}:{line}: bad syntax: {reason}" in str(caught.value), str(caught.value)
    with pytest.raises(DataSyntaxError) as stored:
        persist.build(tmp_path / "store", data_dir, ontology_dir)
    assert str(stored.value) == str(caught.value)


@pytest.mark.parametrize(
    ("written", "line", "own"),
    [
        ('<https://w3id.org/kgraph/graph/inferred> {\n  kgr:zed rdfs:label "Zed"@en .\n}\n', 13, "the inferences'"),
        (
            '@prefix g: <https://w3id.org/kgraph/graph/> .\ng:ontology { kgr:zed rdfs:label "Zed"@en . }\n',
            None,
            "the ontology's",
        ),
    ],
    ids=["inferred", "ontology"],
)
def test_a_data_file_may_not_write_in_kgraphs_own_graphs(make_kg, tmp_path, written, line, own):
    """A data file that wrote in the graph of the inferences had its triples counted as inferred and left
    unchecked by validation (``Conforms: yes`` for a node without a class); in the ontology's graph, its
    problems were said to be in the ontology's file. Refused, in memory and by kgraph load alike, on the line that
    names the graph when one names it whole."""
    from kgraph import persist  # noqa: PLC0415 - pyoxigraph only for this test

    data_dir, ontology_dir = make_kg({"a.trig": SECTION_TRIG, "b.trig": PREFIXES + written})
    with pytest.raises(DataSyntaxError) as caught:
        load(data_dir, ontology_dir)
    name = "inferred" if own == "the inferences'" else "ontology"
    assert (caught.value.path.endswith("b.trig"), caught.value.line) == (True, line)
    assert caught.value.message == (
        f"the named graph <https://w3id.org/kgraph/graph/{name}> is kgraph's own ({own}), which no data file "
        "writes in: put its triples in a graph of the data's own, such as a source section's"
    )
    with pytest.raises(DataSyntaxError) as stored:
        persist.build(tmp_path / "store", data_dir, ontology_dir)
    assert str(stored.value) == str(caught.value)
    assert not (tmp_path / "store").exists()


def test_unreadable_file(make_kg, monkeypatch):
    data_dir, ontology_dir = make_kg({"a.trig": SECTION_TRIG})
    original = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "a.trig":
            raise PermissionError(13, "Permission denied")
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(InputError, match=r"cannot read .*a\.trig: Permission denied; check that the file is readable"):
        load(data_dir, ontology_dir)


def test_an_unreadable_rules_folder_is_an_error_not_a_graph_without_its_rules(make_kg, tmp_path, monkeypatch):
    """pathlib's glob took a rules folder without read permission for an empty one: the graph was inferred without
    its rules (no kg:customerOf), and every command, and kgraph load, went on without a word. Now one line naming
    the folder, exit 2, in memory and on a store (which is not made)."""
    from kgraph import persist  # noqa: PLC0415

    data_dir, ontology_dir = make_kg({"a.trig": SECTION_TRIG})
    rules = ontology_dir / "rules"
    assert any(rules.glob("*.rq"))

    def refused(real):  # os.scandir and os.listdir, refused for the rules folder (root ignores a chmod)
        def call(path=".", *args):
            if isinstance(path, str | os.PathLike) and Path(path) == rules:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path, *args)

        return call

    monkeypatch.setattr(os, "scandir", refused(os.scandir))
    monkeypatch.setattr(os, "listdir", refused(os.listdir))
    said = "rules: Permission denied; check that the folder is readable"
    with pytest.raises(InputError, match=rf"^cannot list the rules in .*{said}$"):
        load(data_dir, ontology_dir)
    with pytest.raises(InputError, match=rf"^cannot list the rules in .*{said}$"):
        persist.build(tmp_path / "store", data_dir, ontology_dir)
    assert not (tmp_path / "store").exists()
    result = CliRunner().invoke(cli, ["--data", str(data_dir), "--ontology", str(ontology_dir), "stats"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: cannot list the rules in ") and result.stderr.endswith(f"{said}\n")
    assert result.stdout == ""


#: Each ``rules`` entry of the ontology folder that is no folder, and what the message says of it.
NOT_RULES_FOLDERS = {
    "dangling link": "is not a readable folder: it links to gone, which does not exist; fix the link or remove it",
    "link to a file": (
        "is not a readable folder: it links to kgraph.ttl, which is not a folder; fix the link or remove it"
    ),
    "loop of links": "is not a readable folder: Too many levels of symbolic links; fix the link or remove it",
    "file": "is a file, not a folder of rules (*.rq); replace it with a folder of rules or remove it",
}


@pytest.mark.parametrize("kind", NOT_RULES_FOLDERS)
def test_a_rules_entry_that_is_no_folder_is_an_error_not_a_graph_without_rules(make_kg, tmp_path, kind):
    """A ``rules`` that was a link leading nowhere, or a file, was taken for no rules: the graph was inferred without
    them (no kg:customerOf), validate said it conformed, and kgraph load built a store without them, without a word.
    Now one line naming it and what to do, exit 2, as for a data file that is a dangling link."""
    from kgraph import persist  # noqa: PLC0415

    data_dir, ontology_dir = make_kg({"a.trig": SECTION_TRIG})
    rules = ontology_dir / "rules"
    (ontology_dir / "kept").mkdir()
    for path in rules.iterdir():
        path.rename(ontology_dir / "kept" / path.name)
    rules.rmdir()
    if kind == "dangling link":
        rules.symlink_to("gone")
    elif kind == "link to a file":
        rules.symlink_to("kgraph.ttl")
    elif kind == "loop of links":
        rules.symlink_to("rules")
    else:
        rules.write_text("x\n", encoding="utf-8")
    said = NOT_RULES_FOLDERS[kind]
    with pytest.raises(InputError, match=f"^{re.escape(f'{rules} {said}')}$"):
        load(data_dir, ontology_dir)
    with pytest.raises(InputError, match=f"{re.escape(said)}$"):
        persist.build(tmp_path / "store", data_dir, ontology_dir)
    assert not (tmp_path / "store").exists()
    for command in ("stats", "validate"):
        result = CliRunner().invoke(cli, ["--data", str(data_dir), "--ontology", str(ontology_dir), command])
        assert result.exit_code == 2, result.output
        assert result.stderr == f"Error: {rules} {said}\n"
        assert result.stdout == ""


def test_a_folder_named_like_a_data_file_is_skipped(make_kg):
    data_dir, ontology_dir = make_kg({"a.trig": SECTION_TRIG})
    (data_dir / "folder.ttl").mkdir()
    assert [p.name for p in load(data_dir, ontology_dir).data_files] == ["a.trig"]


def test_not_utf8(make_kg):
    data_dir, ontology_dir = make_kg({"a.trig": SECTION_TRIG})
    (data_dir / "b.ttl").write_bytes(b'@prefix ex: <http://ex/> .\n\nex:a ex:b "caf\xe9" .\n')
    with pytest.raises(DataSyntaxError) as caught:
        load(data_dir, ontology_dir)
    assert caught.value.line == 3
    assert str(caught.value).endswith(
        "b.ttl:3: the file is not UTF-8 text: save it as UTF-8; fix the file and run again"
    )


def test_paths_in_errors_are_relative_to_the_current_folder(make_kg, in_tmp):
    make_kg({"bad.ttl": "@prefix ex: <http://ex/> .\nex:a ex:b .\n"})
    with pytest.raises(DataSyntaxError) as caught:
        load(Path("data"), Path("ontology"))
    assert str(caught.value).startswith(f"data{os.sep}bad.ttl:2: ")


# ------------------------------------------------------------------------- entries that are not readable files

#: What each entry that is not a readable file is, and what the message says of it.
NOT_FILES = {
    "dangling link": r"it links to nowhere\.ttl, which does not exist; fix the link or remove it",
    "fifo": r"it is a named pipe \(FIFO\); remove it or move it out of ",
    "device": r"it links to /dev/null, a device; remove it or move it out of ",
}


def make_not_a_file(folder: Path, kind: str, name: str = "99-odd.ttl") -> Path:
    """Put ``name`` in ``folder``: a dangling symbolic link, a FIFO, or a link to a device.

    The device is /dev/null rather than /dev/zero, so that a reader that forgets to refuse it fails the test instead
    of filling the memory; and a reader that opens the FIFO is let go after a few seconds (a writer comes and
    goes), so that it fails the test instead of hanging it.
    """
    path = folder / name
    if kind == "dangling link":
        path.symlink_to("nowhere.ttl")
    elif kind == "device":
        path.symlink_to("/dev/null")
    else:
        os.mkfifo(path)
        release = threading.Timer(5, _open_for_writing, [path])
        release.daemon = True
        release.start()
    return path


def _open_for_writing(path: Path) -> None:
    with contextlib.suppress(OSError):  # no reader (ENXIO) or no FIFO any more: nobody is waiting
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


@pytest.mark.parametrize("kind", NOT_FILES)
@pytest.mark.parametrize("folder", ["data", "ontology"])
def test_an_entry_named_like_a_data_file_that_is_not_a_readable_file_is_an_error(make_kg, kind, folder):
    """Skipping it would load the graph without it; reading a FIFO waits for a writer, /dev/zero never ends."""
    data_dir, ontology_dir = make_kg({"a.trig": SECTION_TRIG})
    path = make_not_a_file(data_dir if folder == "data" else ontology_dir, kind)
    with pytest.raises(InputError, match=f"^{re.escape(str(path))} is not a readable file: {NOT_FILES[kind]}"):
        load(data_dir, ontology_dir)


@pytest.mark.parametrize("kind", NOT_FILES)
def test_stats_on_a_folder_with_an_entry_that_is_not_a_file_exits_2_with_one_line(make_kg, kind):
    data_dir, ontology_dir = make_kg({"a.trig": SECTION_TRIG})
    path = make_not_a_file(data_dir, kind)
    result = CliRunner().invoke(cli, ["--data", str(data_dir), "--ontology", str(ontology_dir), "stats"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Error: {path} is not a readable file: ")
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_a_loop_of_symbolic_links_in_the_data_folder_or_as_a_folder_is_one_line(make_kg, tmp_path, monkeypatch):
    """Naming the entry in the message raised Python's RuntimeError ("Symlink loop"): a traceback, exit 1. The
    entry is named relative to the current folder, as any other (before Python 3.13, whose resolve() raised on a
    loop, by the absolute path given)."""
    data_dir, ontology_dir = make_kg({"a.trig": SECTION_TRIG})
    (data_dir / "loop.ttl").symlink_to("loop.ttl")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--data", str(data_dir), "--ontology", str(ontology_dir), "stats"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Error: cannot read {data_dir.relative_to(tmp_path) / 'loop.ttl'}: "), (
        result.output
    )
    assert result.output.count("\n") == 1
    Path("here").symlink_to("here")
    for option in ("--data", "--ontology"):
        result = CliRunner().invoke(cli, [option, "here", "stats"])
        assert result.exit_code == 2, result.output
        what = option.removeprefix("--")
        assert result.output == (
            f"Error: the {what} folder here is a symbolic link that leads to no folder; fix the link or pass "
            f"{option} DIR\n"
        )
    result = CliRunner().invoke(cli, ["load", str(data_dir / "loop.ttl"), "--store", "store"])
    assert result.exit_code == 2, result.output
    assert result.output.endswith(
        f"Error: {data_dir.relative_to(tmp_path) / 'loop.ttl'} is not a file; "
        "pass RDF files (*.ttl, *.trig, *.nt, *.nq)\n"
    )


def test_reading_a_fifo_or_a_device_by_name_is_refused_without_opening_it(tmp_path):
    fifo = make_not_a_file(tmp_path, "fifo", "pipe.ttl")
    device = make_not_a_file(tmp_path, "device", "null.ttl")
    for path in (fifo, device):
        with pytest.raises(InputError, match="is not a readable file"):
            read_file(path)
        with pytest.raises(InputError, match="is not a readable file"):
            open_file(path)
    with pytest.raises(InputError, match="is a folder"):
        open_file(tmp_path)


def test_a_link_to_a_data_file_is_read(make_kg, tmp_path):
    data_dir, ontology_dir = make_kg({"a.trig": SECTION_TRIG})
    elsewhere = tmp_path / "elsewhere.ttl"
    elsewhere.write_text(PREFIXES + "kgr:linked a kg:Chip .\n", encoding="utf-8")
    (data_dir / "b.ttl").symlink_to(elsewhere)
    loaded = load(data_dir, ontology_dir)
    assert [p.name for p in loaded.data_files] == ["a.trig", "b.ttl"]
    assert (KGR.linked, RDF.type, KG.Chip) in loaded.graph


# --------------------------------------------------------------------------------------------------- threads


def test_two_threads_loading_keep_their_warnings_apart():
    """Each load swapped rdflib's logger's handlers for its own and back: with two at once, the first's warning went
    to the second's list (under the second's file), the second's to the root logger, and the second, ending last,
    put back the first's handler without propagation, so rdflib's warnings were lost for the rest of the process.
    Each thread's warnings now go to its own load, and the logger is as it was after both."""
    from kgraph.store import _captured_rdflib_log  # noqa: PLC0415

    logger = logging.getLogger("rdflib")
    before = (list(logger.handlers), logger.propagate)
    first: list[str] = []
    second: list[str] = []
    steps = [threading.Event() for _ in range(4)]

    def one() -> None:
        with _captured_rdflib_log("a.ttl", first, ""):
            steps[0].set()
            steps[1].wait(5)
            logging.getLogger("rdflib.term").warning("from a")
        steps[2].set()

    def two() -> None:
        steps[0].wait(5)
        with _captured_rdflib_log("b.ttl", second, ""):
            steps[1].set()
            steps[2].wait(5)
            logging.getLogger("rdflib.term").warning("from b")

    threads = [threading.Thread(target=one), threading.Thread(target=two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert (first, second) == (["a.ttl: from a"], ["b.ttl: from b"])
    assert (list(logger.handlers), logger.propagate) == before


def test_sparql_is_parsed_one_query_at_a_time(monkeypatch, loaded):
    """rdflib's SPARQL parser (pyparsing) is not thread-safe: two loads at once failed now and then with a false
    syntax error in a rule (`ontology/rules/customer-of.rq: SPARQL syntax error: 'list' object has no attribute
    'translated'`), and could leave the parser broken for the process. kgraph's own parses (the rules, ``parse``)
    now take one lock; kgraph serve took it only around its own."""
    import rdflib.plugins.sparql  # noqa: PLC0415
    from rdflib.plugins.sparql import processor  # noqa: PLC0415

    from kgraph import analysis, inference  # noqa: PLC0415
    from kgraph.query import parsing  # noqa: PLC0415

    inside: Counter[int] = Counter()  # the threads in a parse, each with how deep (prepareQuery calls parseQuery)
    most = [0]
    count = threading.Lock()

    def one_at_a_time(parser):
        def parse(*args, **kwargs):
            with count:
                inside[threading.get_ident()] += 1
                most[0] = max(most[0], len(+inside))
            try:
                time.sleep(0.02)  # wide enough for the other thread to come in, were it let
                return parser(*args, **kwargs)
            finally:
                with count:
                    inside[threading.get_ident()] -= 1

        return parse

    monkeypatch.setattr(inference, "prepareQuery", one_at_a_time(inference.prepareQuery))
    monkeypatch.setattr(parsing, "parseQuery", one_at_a_time(parsing.parseQuery))
    monkeypatch.setattr(rdflib.plugins.sparql, "prepareQuery", one_at_a_time(rdflib.plugins.sparql.prepareQuery))
    monkeypatch.setattr(rdflib.plugins.sparql.processor, "parseQuery", one_at_a_time(processor.parseQuery))
    failures: list[BaseException] = []

    def work(i: int) -> None:
        try:
            if i % 3 == 1:
                load()
            elif i % 3 == 2:
                analysis.co_usage(loaded)  # a query of its own, as text: rdflib parses it in memory
            else:
                parsing.parse(f"SELECT ?x{i} WHERE {{ ?x{i} a kg:Chip }}")
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    assert most[0] == 1


def test_twin_blank_nodes_in_two_graphs_keep_their_labels_whatever_they_were_called():
    """Two blank nodes with the same triples, one in each of two graphs: each keeps the same label whatever the
    parser called them (rdflib draws its blank nodes' names at random), so that a build of such data is
    byte-identical from run to run."""
    from kgraph.store import canonical_bnodes  # noqa: PLC0415 - the helper under test

    note = URIRef("http://www.w3.org/2004/02/skos/core#note")

    def labels(names):
        quads = []
        for graph, name in zip((SRC["a"], SRC["b"]), names, strict=True):
            blank = BNode(name)
            quads += [(KGR["x"], note, blank, graph), (blank, RDFS.comment, Literal("twin", lang="en"), graph)]
        return {g: o for _s, _p, o, g in canonical_bnodes(quads) if isinstance(o, BNode)}

    first = labels(["n1", "n2"])
    assert labels(["n2", "n1"]) == first
    assert len(set(first.values())) == 2


def test_an_integer_longer_than_python_reads_is_named_with_its_line(make_kg, tmp_path):
    """An integer of more than 4,300 digits is valid RDF, which a store keeps; rdflib's parse failed with Python's
    error (``Exceeds the limit (4300 digits)...; use sys.set_int_max_str_digits()``), with no line, and advice only
    Python code can follow. The error names the line, and what to do instead."""
    data_dir, ontology_dir = make_kg({"a.ttl": f"{PREFIXES}kgr:a kg:value 1 .\nkgr:a kg:value {'9' * 5000} .\n"})
    with pytest.raises(DataSyntaxError) as caught:
        load(data_dir, ontology_dir)
    assert caught.value.line == PREFIXES.count("\n") + 2
    assert "an integer of 5,000 digits, more than the 4,300 Python reads: load the data into a store" in str(
        caught.value
    )
    from kgraph import persist  # noqa: PLC0415

    with persist.open_store(persist.build(tmp_path / "s", data_dir, ontology_dir).store_dir) as stored:
        assert any(len(str(value)) == 5000 for value in stored.graph.objects(KGR.a, KG.value))

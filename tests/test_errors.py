"""Errors a user sees: one line with file and line for every syntax error, exit codes by kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import URIRef

from conftest import MINI_ONTOLOGY, PREFIXES
from kgraph.errors import (
    AmbiguousNameError,
    DataSyntaxError,
    InputError,
    KGraphError,
    NotFoundError,
    ValidationFailed,
)
from kgraph.store import load

GOOD_TRIG = PREFIXES + 'src:s { kgr:acme a kg:Company ; rdfs:label "Acme"@en . }\n'
N = PREFIXES.count("\n")  # lines taken by the prefixes


def test_data_syntax_error_is_one_line():
    error = DataSyntaxError("data/03-ai-infrastructure.trig", 42, "bad syntax:\n  expected '.'")
    assert str(error) == "data/03-ai-infrastructure.trig:42: bad syntax: expected '.'; fix the file and run again"
    assert "\n" not in str(error)
    assert (error.path, error.line) == ("data/03-ai-infrastructure.trig", 42)


def test_data_syntax_error_without_line():
    assert str(DataSyntaxError("a.ttl", None, "oops")) == "a.ttl: oops; fix the file and run again"


def test_not_found_lists_suggestions():
    assert str(NotFoundError("nothing is named 'x'", ["X1", "X2"])) == "nothing is named 'x'; did you mean: X1, X2"
    assert str(NotFoundError("nothing is named 'x'")).endswith("; kgraph.explore.entities(loaded) lists every entity")
    assert NotFoundError("nothing is named 'x'").cli_message.endswith("; try `kgraph entities` to list every entity")
    assert NotFoundError("x", ["X1"]).cli_message == "x; did you mean: X1"


def test_ambiguous_lists_candidates():
    message = str(AmbiguousNameError("Nova", ["Nova (kgr:a, kg:AIModel)", "Nova (kgr:b, kg:ModelFamily)"]))
    assert message.splitlines() == [
        "'Nova' names 2 things; ask for one by its IRI:",
        "  Nova (kgr:a, kg:AIModel)",
        "  Nova (kgr:b, kg:ModelFamily)",
    ]


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InputError("x"), 2),
        (DataSyntaxError("a", 1, "b"), 2),
        (NotFoundError("x"), 1),
        (AmbiguousNameError("x", []), 1),
        (ValidationFailed(None, "x"), 1),  # type: ignore[arg-type]
    ],
)
def test_exit_codes(error, code):
    assert isinstance(error, KGraphError)
    assert error.exit_code == code


# The line number of the first bad line, for each syntax rdflib reads. Texts start after the prefixes.
SYNTAX_ERRORS = [
    ("bad.ttl", PREFIXES + "kgr:a a kg:Company .\nkgr:b a kg:Company\nkgr:c a kg:Company .\n", N + 3),
    ("bad.ttl", PREFIXES + 'kgr:a rdfs:label "open\n', N + 1),
    ("bad.ttl", PREFIXES + "\n\nkgr:a a undeclared:Thing .\n", N + 3),
    ("bad.trig", PREFIXES + "src:s {\n  kgr:a a kg:Company .\n  kgr:b a kg:Company kgr:c .\n}\n", N + 3),
    ("bad.trig", PREFIXES + "src:s {\n  kgr:a a kg:Company .\n", N + 3),
    ("bad.nt", '<http://a/x> <http://a/p> <http://a/y> .\n\n<http://a/x> <http://a/p> "open .\n', 3),
    (
        "bad.nq",
        "<http://a/x> <http://a/p> <http://a/y> <http://a/g> .\n<http://a/x> <http://a/p> <http://a/y> <a> <b> .\n",
        2,
    ),
]


@pytest.mark.parametrize(("name", "text", "line"), SYNTAX_ERRORS)
def test_syntax_error_in_data_names_file_and_line(make_kg, name, text, line):
    data_dir, ontology_dir = make_kg({"00-good.trig": GOOD_TRIG, name: text})
    with pytest.raises(DataSyntaxError) as caught:
        load(data_dir, ontology_dir)
    assert caught.value.line == line
    assert caught.value.path.endswith(name)
    message = str(caught.value)
    assert "\n" not in message
    assert f"{name}:{line}: " in message
    assert message.endswith("; fix the file and run again")


@pytest.mark.parametrize("end", ["\r", "\r\n"], ids=["CR", "CR LF"])
@pytest.mark.parametrize(("name", "text", "line"), SYNTAX_ERRORS)
def test_syntax_error_names_the_line_whatever_the_line_ends(make_kg, name, text, line, end):
    """A file with CR alone as its line ends (an old Mac's) was refused at line 1 in Turtle and TriG (rdflib took the
    CR for no white space): the line is the one LF would give, and so are the words."""
    data_dir, ontology_dir = make_kg({"00-good.trig": GOOD_TRIG, name: text})
    with pytest.raises(DataSyntaxError) as with_lf:
        load(data_dir, ontology_dir)
    (data_dir / name).write_bytes(text.replace("\n", end).encode("utf-8"))
    with pytest.raises(DataSyntaxError) as caught:
        load(data_dir, ontology_dir)
    assert caught.value.line == line
    assert str(caught.value) == str(with_lf.value)


CR_TURTLE = PREFIXES + 'kgr:a a kg:Company ;\n  rdfs:label "A"@en ;\n  rdfs:comment """two\nlines""" .\n# a "comment\n'


@pytest.mark.parametrize("name", ["mac.ttl", "mac.trig"])
def test_a_file_with_cr_line_ends_loads_as_on_a_store(make_kg, tmp_path, name):
    """Turtle allows a CR alone as a line end, and kgraph load (Oxigraph) read such a file: in memory it was refused
    (``expected directive or statement`` at line 1, or, as it parsed as TriG, "rename it with the suffix .trig").
    It loads, the same triples as a store's, a CR inside a long string kept, and the next line counted after it."""
    from kgraph import persist  # noqa: PLC0415

    text = CR_TURTLE if name.endswith(".ttl") else CR_TURTLE.replace("kgr:a a", "src:s { kgr:a a") + "}\n"
    data_dir, ontology_dir = make_kg({name: text.replace("\n", "\r")})
    in_memory = load(data_dir, ontology_dir)
    on_store = persist.open_store(persist.build(tmp_path / "store", data_dir, ontology_dir).store_dir)
    comment = URIRef("http://www.w3.org/2000/01/rdf-schema#comment")
    kgr_a = URIRef("https://w3id.org/kgraph/resource/a")
    assert {str(o) for o in in_memory.graph.objects(kgr_a, comment)} == {"two\rlines"}
    assert set(in_memory.graph) == set(on_store.graph)
    (data_dir / name).write_bytes((text.replace("\n", "\r") + "kgr:b a kg:Company\rkgr:c a kg:Company .\r").encode())
    with pytest.raises(DataSyntaxError) as caught:
        load(data_dir, ontology_dir)
    assert caught.value.line == text.count("\n") + 2


@pytest.mark.parametrize(("name", "text", "line"), [e for e in SYNTAX_ERRORS if e[0].endswith((".ttl", ".trig"))])
def test_syntax_error_in_ontology_names_file_and_line(make_kg, name, text, line):
    data_dir, ontology_dir = make_kg({"00-good.trig": GOOD_TRIG}, {"kgraph.ttl": MINI_ONTOLOGY, name: text})
    with pytest.raises(DataSyntaxError) as caught:
        load(data_dir, ontology_dir)
    assert caught.value.line == line
    assert f"ontology/{name}:{line}: " in str(caught.value).replace("\\", "/")


def test_the_python_api_section_names_the_errors_of_the_api():
    """load, validate, kgraph.persist and kgraph.analysis raise these; the README named neither StoreError nor
    NoAnswerError, and listed ValidationFailed as if validate() raised it."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    for name in (
        "KGraphError",
        "DataSyntaxError",
        "InputError",
        "StoreError",
        "StoreReplaced",
        "TooFewFiles",
        "NotFoundError",
        "AmbiguousNameError",
        "NoAnswerError",
        "ValidationFailed",
    ):
        assert re.search(rf"\b{name}`", section), name
    assert "`validate()` does not raise for a graph that does not conform" in section
    assert "kgraph._compat" in section  # what kgraph changes in rdflib for the whole process

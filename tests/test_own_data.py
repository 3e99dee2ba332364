"""An analyst adding a source of their own (data/README.md, "Adding your own data"): what a mistake in it gets, the
same in memory (``kgraph --data DIR ...``) as on a store (``kgraph --data DIR load --store S``, then ``kgraph
--store S ...``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import PREFIXES, MakeKG
from kgraph import persist
from kgraph.cli import cli
from kgraph.store import load


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
    assert load(Path("data"), Path("ontology")).warnings == (expected,)
    assert persist.build(Path("store"), Path("data"), Path("ontology")).warnings == (expected,)
    assert persist.open_store(Path("store")).warnings == (expected,)
    for args in (["--data", "data", "--ontology", "ontology"], ["--store", "store"]):
        result = run(*args, "validate")
        assert result.exit_code == 0, result.output
        assert result.stderr == f"warning: {expected}\n"
    again = run("--data", "data", "--ontology", "ontology", "load", "--store", "store")  # up to date: said again
    assert again.exit_code == 0, again.output
    assert f"warning: {expected}\n" in again.stderr


def test_an_empty_file_given_to_load_is_a_warning_too(make_kg: MakeKG, in_tmp: Path):
    """``kgraph load --store S FILE``: an extra file without a triple is named as a data file is."""
    make_kg({"00-source.trig": SOURCE})
    Path("extra.ttl").write_text("", encoding="utf-8")
    result = run("--data", "data", "--ontology", "ontology", "load", "--store", "store", "extra.ttl")
    assert result.exit_code == 0, result.output
    assert "warning: extra.ttl: the file holds no triples" in result.stderr
    assert persist.open_store(Path("store")).warnings[0].startswith("extra.ttl: the file holds no triples")

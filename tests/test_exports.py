"""kgraph.export: five RDF files, byte for byte the same across runs and processes, written atomically."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF

import kgraph
from conftest import PREFIXES
from kgraph.atomic import write_temporary
from kgraph.cli import cli
from kgraph.errors import InputError
from kgraph.export import files as files_module
from kgraph.export import neo4j
from kgraph.export.build import WRITERS, render_all, write_all
from kgraph.export.files import write_files
from kgraph.export.rdf import render
from kgraph.resources import default_data_dir, default_ontology_dir
from kgraph.store import load
from kgraph.vocab import INFERRED_GRAPH, KG, KGR, ONTOLOGY_GRAPH, SRC

FILES = ["kgraph.jsonld", "kgraph.nq", "kgraph.nt", "kgraph.trig", "kgraph.ttl"]
REPOSITORY = Path(__file__).resolve().parent.parent

DATA = (
    PREFIXES
    + """
src:b { kgr:zeta a kg:Company ; rdfs:label "Zeta"@en , "泽塔"@zh ; kg:partnerOf kgr:acme . }
src:a {
    kgr:acme a kg:Company ; rdfs:label "Acme"@en ; skos:altLabel "ACME"@en , "Acme Corp"@en ;
        rdfs:comment ( "first" "second" "third" ) .
}
"""
)


def test_render_gives_the_five_files(loaded):
    assert sorted(render(loaded)) == FILES
    assert next(name for name, _render in WRITERS) == "rdf"


def test_exports_parse_back_to_the_same_graphs(make_kg):
    loaded = load(*make_kg({"d.trig": DATA}))
    files = render(loaded)
    for name, fmt in (("kgraph.ttl", "turtle"), ("kgraph.nt", "nt"), ("kgraph.jsonld", "json-ld")):
        graph = Graph().parse(data=files[name].decode("utf-8"), format=fmt)
        assert len(graph) == len(loaded.graph), name
        no_lists = {t for t in loaded.graph if not _in_list(t)}
        assert no_lists <= set(graph), name
    for name, fmt in (("kgraph.trig", "trig"), ("kgraph.nq", "nquads")):
        dataset = Dataset()
        dataset.parse(data=files[name].decode("utf-8"), format=fmt)
        by_name = {g.identifier: len(g) for g in dataset.graphs() if len(g)}
        expected = {g.identifier: len(g) for g in loaded.dataset.graphs() if len(g)}
        assert by_name == expected, name
        assert {SRC.a, SRC.b, ONTOLOGY_GRAPH, INFERRED_GRAPH} <= set(by_name)
        assert (KGR.zeta, KG.partnerOf, KGR.acme) in dataset.graph(SRC.b)


# Characters str.splitlines() takes for line breaks, which N-Triples writes as they are inside a literal.
ODD_BREAKS = "a\u2028b\u2029c\x85d\ve\ff\x1cg\x1dh\x1ei"


def test_characters_that_python_splits_lines_at_stay_inside_their_literal(make_kg):
    """The N-Triples and N-Quads exports sort their lines: split with str.splitlines(), a description with a
    U+2028 (or a form feed, common in text taken from PDFs) was cut in two and its tail sorted elsewhere, and
    `kgraph build` wrote files no parser reads. The same for `kgraph query --format nt` on a CONSTRUCT."""
    import pyoxigraph as ox  # noqa: PLC0415

    from kgraph.query.formats import render_graph  # noqa: PLC0415

    text = ODD_BREAKS.replace("\\", "\\\\")
    loaded = load(*make_kg({"d.trig": PREFIXES + f'src:a {{ kgr:acme a kg:Company ; rdfs:label "{text}"@en . }}'}))
    files = render(loaded)
    for name, fmt in (("kgraph.nt", ox.RdfFormat.N_TRIPLES), ("kgraph.nq", ox.RdfFormat.N_QUADS)):
        labels = [
            q.object.value
            for q in ox.parse(files[name], format=fmt)
            if q.subject == ox.NamedNode(KGR.acme) and isinstance(q.object, ox.Literal)
        ]
        assert labels == [ODD_BREAKS], name
    constructed = render_graph(loaded.graph, "nt")
    triples = ox.parse(constructed, format=ox.RdfFormat.N_TRIPLES)
    labels = [
        q.object.value for q in triples if q.subject == ox.NamedNode(KGR.acme) and isinstance(q.object, ox.Literal)
    ]
    assert labels == [ODD_BREAKS]


def test_the_rdf_exports_of_a_store_are_those_of_the_graph_in_memory(tmp_path):
    """From a store, kgraph.nq and kgraph.trig held every triple twice: the store's flat graph (the union of its
    named graphs) was written as one more, default, graph, so a store that unions its graphs counted each twice."""
    from kgraph import persist  # noqa: PLC0415

    store = tmp_path / "store"
    persist.build(store)
    from_store = render(persist.open_store(store))
    committed = REPOSITORY / "exports"
    for name in FILES:
        assert from_store[name] == (committed / name).read_bytes(), name


def test_lines_sorted_in_runs_on_disk_are_those_rdflib_writes(make_kg, monkeypatch):
    """kgraph.nt and kgraph.nq are rdflib's N-Triples and N-Quads lines, sorted and each once: sorted in bounded
    memory (runs of a few lines in temporary files, merged), they are the same bytes as rdflib's whole output sorted,
    and `kgraph dump` in memory writes them too."""
    from kgraph.export.rdf import render_lines  # noqa: PLC0415
    from kgraph.query import ntriples  # noqa: PLC0415

    text = ODD_BREAKS.replace("\\", "\\\\")
    extra = f'src:c {{ kgr:zeta a kg:Company ; rdfs:label "Zeta"@en , "{text}\\r\\n\\\\ \\" 泽"@zh . }}'
    loaded = load(*make_kg({"d.trig": DATA + extra}))
    monkeypatch.setattr(ntriples, "RUN_BYTES", 200)  # a run every two or three lines
    spill, runs = ntriples.SortedLines._spill, []

    def counted(lines: ntriples.SortedLines) -> None:
        runs.append(len(lines._run))
        spill(lines)

    monkeypatch.setattr(ntriples.SortedLines, "_spill", counted)
    files = render(loaded)
    assert len(runs) > 10  # the lines went to disk, not all held at once
    flat = loaded.graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    named = Dataset()
    for graph in loaded.dataset.graphs():
        if len(graph) and graph.identifier != DATASET_DEFAULT_GRAPH_ID:
            named.graph(graph.identifier).__iadd__(graph)
    quads = named.serialize(format="nquads", encoding="utf-8").decode("utf-8")
    for name, content in (("kgraph.nt", flat), ("kgraph.nq", quads)):
        lines = sorted({line for line in content.split("\n") if line})
        assert len(lines) > 20, name
        assert files[name] == ("\n".join(lines) + "\n").encode("utf-8"), name
    assert render_lines(loaded, "nt") == files["kgraph.nt"]
    assert render_lines(loaded, "nq") == files["kgraph.nq"]


def test_turtle_and_trig_keeping_each_iri_s_name_write_what_rdflib_writes(make_kg):
    """The Turtle and TriG serializers keep the prefixed name of each IRI once named instead of asking rdflib at each
    use: the same bytes as rdflib's serializers, with a prefix rdflib generates midway (a predicate of no bound
    namespace, used before and after), a local part that cannot be a name (it ends with a dot) and one that is
    escaped (parentheses)."""
    from rdflib.plugins.serializers.trig import TrigSerializer  # noqa: PLC0415
    from rdflib.plugins.serializers.turtle import TurtleSerializer  # noqa: PLC0415

    from kgraph.export import rdf  # noqa: PLC0415

    odd = (
        f"<http://example.org/other#p> kgr:acme ; <http://example.org/other#q> <{KGR}a.> , kgr:b%28c%29 , <{KGR}x(y)> ;"
        " kg:partnerOf <http://example.org/other#acme>"
    )
    loaded = load(*make_kg({"d.trig": DATA + f"src:c {{ kgr:zeta {odd} . kgr:acme {odd} . }}"}))
    flat, named = rdf._sorted_graph(loaded.graph), rdf._sorted_dataset(loaded.dataset)

    class Turtle(TurtleSerializer):  # rdflib's, asking for every name
        def orderSubjects(self) -> list:
            return rdf._alphabetical_subjects(self)

    class Trig(TrigSerializer):
        def preprocess(self) -> None:
            self.contexts.sort(key=lambda g: g.identifier.n3())
            super().preprocess()

        def orderSubjects(self) -> list:
            return rdf._alphabetical_subjects(self)

    for kept, asked in (
        (rdf._AlphabeticalTurtleSerializer(flat), Turtle(flat)),
        (rdf._SortedTrigSerializer(named), Trig(named)),
    ):
        written = rdf._serialize(kept)
        assert written == rdf._serialize(asked)
        assert b"@prefix ns1: <http://example.org/other#> ." in written
        assert kept._names[KGR.zeta] == "kgr:zeta"


def test_json_ld_keeps_each_literal_as_written(make_kg):
    """As JSON numbers and booleans (rdflib's choice whenever there is a context), an integer of 10^21 or more read
    back as an xsd:double, an ill-typed integer as a plain string, 1.5e3 as "1500.0", "1"^^xsd:boolean as true."""
    import pyoxigraph as ox  # noqa: PLC0415

    values = '2000000000000000000000 , "abc"^^xsd:integer , 1.5e3 , "1"^^xsd:boolean , 42 , 4.40 , "-0"^^xsd:integer'
    loaded = load(*make_kg({"d.trig": PREFIXES + f"src:a {{ kgr:acme a kg:Company ; kg:value {values} . }}"}))
    stated = {(str(o), str(o.datatype)) for o in loaded.graph.objects(KGR.acme, KG.value)}
    assert len(stated) == 7
    from kgraph.query.formats import render_graph  # noqa: PLC0415

    for document in (render(loaded)["kgraph.jsonld"], render_graph(loaded.graph, "json-ld")):  # build; a CONSTRUCT
        read = {
            (q.object.value, q.object.datatype.value)
            for q in ox.parse(document, format=ox.RdfFormat.JSON_LD)
            if q.subject == ox.NamedNode(KGR.acme) and q.predicate == ox.NamedNode(KG.value)
        }
        assert read == stated


def _in_list(triple: tuple) -> bool:
    return triple[1] in (RDF.first, RDF.rest) or triple[2] == RDF.nil or str(triple[1]).endswith("#comment")


def test_lines_are_sorted_and_prefixes_are_ours(make_kg):
    files = render(load(*make_kg({"d.trig": DATA})))
    for name in ("kgraph.nt", "kgraph.nq"):
        lines = files[name].decode("utf-8").splitlines()
        assert lines == sorted(lines)
        assert files[name].endswith(b" .\n")
    turtle = files["kgraph.ttl"].decode("utf-8")
    prefixes = [line.split()[1] for line in turtle.splitlines() if line.startswith("@prefix")]
    assert prefixes == sorted(prefixes)
    assert not any(p.startswith("ns") for p in prefixes)
    trig = files["kgraph.trig"].decode("utf-8")
    graphs = [line.split()[0] for line in trig.splitlines() if line.endswith("{")]
    assert graphs == sorted(graphs, key=lambda g: g if g.startswith("<") else "<" + g)


def test_json_ld_keeps_list_order_and_sorts_sets(make_kg):
    document = json.loads(render(load(*make_kg({"d.trig": DATA})))["kgraph.jsonld"])
    nodes = {node["@id"]: node for node in document["@graph"]}
    acme = nodes["kgr:acme"]
    assert [item["@value"] if isinstance(item, dict) else item for item in acme["rdfs:comment"]["@list"]] == [
        "first",
        "second",
        "third",
    ]
    assert [v["@value"] for v in acme["skos:altLabel"]] == ["ACME", "Acme Corp"]
    ids = [node["@id"] for node in document["@graph"]]
    assert ids == sorted(ids)


def test_no_version_or_time_in_exports(loaded):
    for name, content in render(loaded).items():
        text = content.decode("utf-8")
        assert kgraph.__version__ not in text.replace("owl:versionInfo", ""), name


def test_render_twice_in_one_process_is_identical(loaded):
    assert render_all(loaded) == render_all(loaded)


def test_byte_identical_across_processes_and_hash_seeds(tmp_path):
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"seed-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-m", "kgraph", "build", "--out", str(out)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        outputs.append({name: (out / name).read_bytes() for name in FILES})
    assert outputs[0].keys() == outputs[1].keys()
    for name in FILES:
        assert outputs[0][name] == outputs[1][name], f"{name} differs between two runs"


def test_committed_exports_are_up_to_date(loaded, tmp_path):
    committed = REPOSITORY / "exports"
    present = [name for name in FILES if (committed / name).is_file()]
    if not present:
        pytest.skip("exports/ holds no export yet: run `kgraph build` and commit exports/")
    fresh = write_all(loaded, tmp_path)
    relative = [p.relative_to(tmp_path) for p in fresh.paths]  # writers may write into sub-folders (neo4j/)
    stale = [
        str(r)
        for r in relative
        if not (committed / r).is_file() or (committed / r).read_bytes() != (tmp_path / r).read_bytes()
    ]
    assert not stale, f"exports/ is out of date ({', '.join(stale)}): run `kgraph build` and commit exports/"


def _write_texts(folder: Path, texts: dict[str, str]) -> None:
    """Write each text of ``texts`` to its name (a path relative to ``folder``, sub-folders made as needed)."""
    for name, text in texts.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def test_a_build_removes_the_files_an_earlier_build_wrote_and_it_does_not(loaded, tmp_path):
    """A class or relationship type gone from the graph left its CSV file in exports/neo4j and exports/neptune,
    which the loaders then loaded with the rest (Neptune's takes every file under its S3 prefix)."""
    headers = {  # as an earlier export wrote them
        "neo4j/relationships_GONE.csv": ":START_ID(Resource),:END_ID(Resource),:TYPE\n",
        "neo4j/nodes_Gone.csv": "iri:ID(Resource),:LABEL\n",
        "neptune/nodes_Gone.csv": "iri:ID,:LABEL\n",
    }
    _write_texts(tmp_path, headers)
    (tmp_path / "neo4j" / "notes.txt").write_text("mine\n", encoding="utf-8")  # not a file an export writes
    written = write_all(loaded, tmp_path)
    gone = ["neo4j/nodes_Gone.csv", "neo4j/relationships_GONE.csv", "neptune/nodes_Gone.csv"]
    assert [str(p.relative_to(tmp_path)) for p in written.removed] == gone
    assert not any((tmp_path / name).exists() for name in gone)
    assert (tmp_path / "neo4j" / "notes.txt").is_file() and (tmp_path / "neo4j" / "nodes_Entity.csv").is_file()


def test_a_build_leaves_pages_and_files_of_its_names_that_kgraph_did_not_write(loaded, tmp_path):
    """kgraph build --no-viewer --out site deleted the site's own index.html (and a graph.html, a nodes_*.csv of
    other data) as "an earlier build's". Only a file whose first line (a CSV file's header) or whose head (a page's
    title or generator) shows that kgraph wrote it is one."""
    theirs = {
        "index.html": "<!DOCTYPE html>\n<html><head><title>My site</title></head><body>home</body></html>\n",
        "graph.html": "<!DOCTYPE html>\n<title>A graph of my own</title>\n",
        "neo4j/nodes_Person.csv": "personId:ID,name\n1,Ada\n",
        "neptune/relationships_KNOWS.csv": ":START_ID,:END_ID\n1,2\n",
    }
    _write_texts(tmp_path, theirs)
    written = write_all(loaded, tmp_path, viewer=False)
    assert written.removed == []
    assert {name: (tmp_path / name).read_text(encoding="utf-8") for name in theirs if (tmp_path / name).exists()} == (
        theirs
    )


# ------------------------------------------------------------------------------------------ atomic writes


def test_write_files_creates_folders_and_only_the_files(tmp_path):
    written = write_files(tmp_path / "out" / "deep", {"b.txt": b"2", "a.txt": b"1"})
    assert [p.name for p in written] == ["a.txt", "b.txt"]
    assert sorted(p.name for p in (tmp_path / "out" / "deep").iterdir()) == ["a.txt", "b.txt"]
    assert (tmp_path / "out" / "deep" / "a.txt").read_bytes() == b"1"
    assert (tmp_path / "out" / "deep" / "a.txt").stat().st_mode & 0o777 == 0o644


def _previous(out: Path) -> dict[str, bytes]:
    out.mkdir()
    for name in FILES:
        (out / name).write_bytes(f"previous {name}\n".encode())
    return {name: (out / name).read_bytes() for name in FILES}


def test_failed_render_leaves_previous_exports(loaded, tmp_path):
    out = tmp_path / "exports"
    before = _previous(out)

    def broken(_loaded):
        raise RuntimeError("a writer failed")

    with pytest.raises(RuntimeError):
        write_all(loaded, out, (*WRITERS, ("broken", broken)))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_failed_write_leaves_previous_exports_and_no_temporary_files(loaded, tmp_path, monkeypatch):
    out = tmp_path / "exports"
    before = _previous(out)
    original = files_module.write_temporary
    calls = []

    def fail_on_third(target: Path, content: bytes) -> Path:
        calls.append(target.name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return original(target, content)

    monkeypatch.setattr(files_module, "write_temporary", fail_on_third)
    with pytest.raises(InputError, match=rf"^cannot write {re.escape(str(out))}/\S+: No space left on device"):
        write_all(loaded, out)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_a_failed_write_names_the_file_not_the_whole_folder(tmp_path, monkeypatch):
    """A read-only sub-folder (exports/neo4j) said "cannot write into exports: Permission denied", a folder one could
    write in: the message names the file whose writing failed."""
    original = files_module.write_temporary

    def refused(target: Path, content: bytes) -> Path:
        if target.parent.name == "neo4j":
            raise PermissionError(13, "Permission denied")
        return original(target, content)

    monkeypatch.setattr(files_module, "write_temporary", refused)
    out = tmp_path / "exports"
    with pytest.raises(InputError) as caught:
        write_files(out, {"a.ttl": b"a", "neo4j/b.csv": b"b", "neo4j/c.csv": b"c"})
    failed = f"cannot write {out / 'neo4j' / 'b.csv'}: Permission denied; pass another"
    assert (str(caught.value), caught.value.cli_message) == (f"{failed} out_dir", f"{failed} --out DIR")
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == []


@pytest.mark.parametrize("stop", [OSError(28, "No space left on device"), KeyboardInterrupt()], ids=["full", "ctrl-c"])
def test_a_failed_or_interrupted_write_leaves_no_folder_it_made(tmp_path, stop):
    """Every temporary file went, but the folders made for the output stayed, empty (export graphml --output
    new/graph.graphml, stopped with Ctrl-C, left new/). A folder that was there before stays."""
    from kgraph.export.csv_stream import atomic_folder  # noqa: PLC0415
    from kgraph.query.files import write_atomic  # noqa: PLC0415

    def half_then_stop(stream):
        stream.write(b"half")
        raise stop

    (tmp_path / "there").mkdir()
    expected = (InputError, KeyboardInterrupt)
    with pytest.raises(expected):
        write_atomic(tmp_path / "new" / "deeper" / "answer.csv", half_then_stop)
    with pytest.raises(expected):
        write_files(tmp_path / "out", {"neo4j/a.csv": b"a", "neo4j/deeper/b.csv": half_then_stop, "c.csv": b"c"})
    with pytest.raises(expected), atomic_folder(tmp_path / "there" / "neo4j") as sink:
        sink.open("nodes.csv").write("half")
        raise stop
    assert [path.relative_to(tmp_path) for path in tmp_path.rglob("*")] == [Path("there")]


def test_out_is_a_file(loaded, tmp_path):
    """In Python's words, the out_dir argument; the command line's, --out DIR (it said --out DIR in both)."""
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"is a file, not a folder; pass another out_dir$") as raised:
        write_all(loaded, tmp_path / "file")
    assert raised.value.cli_message.endswith("is a file, not a folder; pass another --out DIR")
    with pytest.raises(InputError, match=r"is a file, so the folder .* cannot be made; pass another out_dir$"):
        neo4j.export(loaded, tmp_path / "file" / "neo4j")


def test_a_csv_export_that_cannot_be_written_says_so_in_python_s_words(loaded, tmp_path, monkeypatch):
    """kgraph.export.neo4j.export's folder that cannot be written said "pass --out DIR" in Python too; and on the
    command line it says what the other exports say, "pass another --out DIR"."""
    import errno  # noqa: PLC0415

    from kgraph.export import csv_stream  # noqa: PLC0415

    def full(_path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(csv_stream, "sync_file", full)
    with pytest.raises(InputError) as raised:
        neo4j.export(loaded, tmp_path / "out")
    where = tmp_path / "out" / "nodes_Entity.csv"  # the first file it syncs: the one that failed is named
    assert str(raised.value) == f"cannot write {where}: No space left on device; pass another out_dir"
    assert raised.value.cli_message == f"cannot write {where}: No space left on device; pass another --out DIR"


def test_a_csv_file_whose_writing_fails_is_named(tmp_path):
    """A write that failed part way through kgraph export neo4j (a full disk, a quota; here a limit on the size of
    a file) said "cannot write into DIR", not which of its dozen files; the folder is left as it was."""
    import resource  # noqa: PLC0415

    def limited() -> None:  # relationships_WAS_DERIVED_FROM.csv is the one file of more than 36,000 bytes
        resource.setrlimit(resource.RLIMIT_FSIZE, (36_000, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    out = tmp_path / "neo4j"
    result = subprocess.run(
        [sys.executable, "-m", "kgraph", "export", "neo4j", "--out", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=limited,  # the child of a test, which starts no threads before it
        timeout=300,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    failed = out / "relationships_WAS_DERIVED_FROM.csv"
    assert result.stderr.splitlines()[-1] == f"Error: cannot write {failed}: File too large; pass another --out DIR"
    assert not out.exists()


def test_a_csv_export_whose_rename_fails_midway_leaves_the_folder_as_it_was(loaded, tmp_path, monkeypatch):
    """kgraph export neo4j renamed its files into place one after the other: one that failed midway (EBUSY, a
    protected file; simulated here by Path.replace failing on the fourth rename) left the first three new and the
    rest old. Every file is put back as it was, and no temporary or old file is left."""
    out = tmp_path / "neo4j"
    neo4j.export(loaded, out)
    for path in out.iterdir():
        path.write_bytes(f"previous {path.name}\n".encode())
    before, names = _folder(out), sorted(path.name for path in out.iterdir())
    rename = Path.replace
    renamed: list[Path] = []

    def busy(self: Path, target: Path) -> Path:
        if self.suffix == ".tmp":
            renamed.append(Path(target))
            if len(renamed) == 4:
                raise OSError(errno.EBUSY, os.strerror(errno.EBUSY))
        return rename(self, target)

    monkeypatch.setattr(Path, "replace", busy)
    with pytest.raises(InputError) as raised:
        neo4j.export(loaded, out)
    failed = f"cannot write {renamed[3]}: Device or resource busy; pass another"
    assert (str(raised.value), raised.value.cli_message) == (f"{failed} out_dir", f"{failed} --out DIR")
    assert _folder(out) == before
    assert sorted(path.name for path in out.iterdir()) == names


def test_two_writers_may_not_write_the_same_file(loaded, tmp_path):
    def same(_loaded):
        return {"kgraph.ttl": b""}

    with pytest.raises(ValueError, match=r"renders 'kgraph\.ttl', which another writer renders too"):
        write_all(loaded, tmp_path, (*WRITERS, ("same", same)))


def test_a_new_writer_is_written_with_the_others(loaded, tmp_path):
    def extra(_loaded):
        return {"viewer/index.html": b"<html></html>"}

    written = write_all(loaded, tmp_path, (*WRITERS, ("viewer", extra)))
    assert tmp_path / "viewer" / "index.html" in written.paths
    assert (tmp_path / "kgraph.ttl").is_file()


def test_ontology_terms_survive_in_flat_exports(loaded):
    turtle = Graph().parse(data=render(loaded)["kgraph.ttl"].decode("utf-8"), format="turtle")
    assert (KG.Chip, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in turtle


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    "command", [["build"], ["export", "neo4j"], ["export", "neo4j", "--flavor", "neptune"]], ids=" ".join
)
def test_a_signal_while_the_outputs_are_renamed_leaves_them_all_old_or_all_new(tmp_path, monkeypatch, command):
    """SIGTERM or Ctrl-C after some of the new files were renamed into place stopped the renames there: the
    folder held files of two exports, which README promises never happens. The renames now finish first."""
    monkeypatch.setenv("KGRAPH_NO_CACHE", "1")
    data = tmp_path / "data"
    data.mkdir()
    for path in default_data_dir().iterdir():
        if path.is_file():
            (data / path.name).write_bytes(path.read_bytes())
    folders = ["--data", str(data), "--ontology", str(default_ontology_dir())]
    out = tmp_path / "out"

    def snapshot() -> dict[str, bytes]:
        return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    def export() -> int:
        return CliRunner().invoke(cli, [*folders, *command, "--out", str(out)]).exit_code

    assert export() == 0
    old = snapshot()
    (data / "zz-more.ttl").write_text(PREFIXES + 'kgr:trainium3 rdfs:comment "one more fact"@en .\n', "utf-8")
    assert export() == 0
    new = snapshot()
    assert new != old
    (data / "zz-more.ttl").unlink()
    assert export() == 0 and snapshot() == old
    (data / "zz-more.ttl").write_text(PREFIXES + 'kgr:trainium3 rdfs:comment "one more fact"@en .\n', "utf-8")
    rename = Path.replace
    renamed: list[Path] = []

    def signalled(self: Path, target: Path) -> Path:
        if self.name.endswith(".tmp") and out in self.parents:
            renamed.append(self)
            if len(renamed) == 2:  # some files new, the others not yet
                # to the main thread: sent to the process, another thread may take it and Python act on it late
                signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGTERM)
                time.sleep(0.05)  # Python runs the handler here, unless it is held back
        return rename(self, target)

    monkeypatch.setattr(Path, "replace", signalled)
    assert export() == 128 + signal.SIGTERM
    monkeypatch.setattr(Path, "replace", rename)
    assert snapshot() in (old, new)
    assert not [p for p in out.rglob(".*") if p.name.endswith(".tmp")]


# ------------------------------------------------------------------------------------------ a graph too large to draw

VIEWER_PAGES = ["graph-chips.html", "graph-customers.html", "graph-succession.html", "graph.html", "index.html"]


def _folder(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_no_room_to_sort_the_lines_names_the_export_not_a_query_s_answer(tmp_path, monkeypatch):
    """kgraph.nt and kgraph.nq are sorted in temporary files past a size; with no room for them, build spoke of "the
    answer's temporary file" and "an N-Triples answer", words of kgraph query. It names the file it sorts now; the
    previous exports stay as they were."""
    import tempfile  # noqa: PLC0415

    from kgraph.query import ntriples  # noqa: PLC0415

    out = tmp_path / "exports"
    assert CliRunner().invoke(cli, ["build", "--out", str(out), "--no-viewer"]).exit_code == 0
    before = _folder(out)

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ntriples, "RUN_BYTES", 1 << 19)  # kgraph.nt's lines are about 600 KB
    monkeypatch.setattr(tempfile, "TemporaryDirectory", full)
    result = CliRunner().invoke(cli, ["build", "--out", str(out), "--no-viewer"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: cannot write a temporary file to sort the lines of kgraph.nt (No space left on device); past 512 KB "
        "they are sorted in temporary files about its size: free some space, or set TMPDIR to a folder with room"
    )
    assert _folder(out) == before


def test_a_graph_over_the_viewer_s_limit_writes_nothing_and_says_no_viewer_writes_the_rest(tmp_path, monkeypatch):
    """kgraph build on a graph of more entities than the viewer draws stopped (exit 2) with no word of a way to
    get the other exports; it says --no-viewer now, in Python viewer=False. The limit is lowered under the bundled
    graph's 102 entities; the previous exports stay as they were."""
    import kgraph.viewer  # noqa: PLC0415

    out = tmp_path / "exports"
    assert CliRunner().invoke(cli, ["build", "--out", str(out)]).exit_code == 0
    before = _folder(out)
    monkeypatch.setattr(kgraph.viewer, "MAX_ENTITIES", 100)
    result = CliRunner().invoke(cli, ["build", "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: the viewer's pages would draw the whole graph's 102 entities, more than 100: pass --no-viewer to "
        "write the other exports, raise --max-entities to draw them all, or draw a part with kgraph viz --focus "
        "NAME --depth N or --type CLASS"
    )
    assert _folder(out) == before
    with pytest.raises(InputError) as raised:
        write_all(load(), out)
    assert str(raised.value).endswith(
        "more than 100: pass viewer=False to write the other exports, a larger max_entities to draw them all, or "
        "draw a part with kgraph.viewer.model.select(loaded, focus=IRI, depth=N) or classes=[CLASS]"
    )
    assert _folder(out) == before


def test_no_viewer_writes_the_rest_and_removes_the_viewer_pages_an_earlier_build_left(tmp_path, monkeypatch):
    """--no-viewer writes every other export, byte for byte as a whole build does, and ontology.html without its
    link to the index it does not write; the viewer's pages of an earlier build go with the write (a page of
    kgraph viz's own stays). The limit is lowered under the bundled graph's 102 entities: --no-viewer draws nothing,
    so it writes at any size."""
    import kgraph.viewer  # noqa: PLC0415

    out = tmp_path / "exports"
    assert CliRunner().invoke(cli, ["build", "--out", str(out)]).exit_code == 0
    whole = _folder(out)
    (out / "graph-mine.html").write_bytes(b"kgraph viz --output exports/graph-mine.html\n")
    monkeypatch.setattr(kgraph.viewer, "MAX_ENTITIES", 100)
    result = CliRunner().invoke(cli, ["build", "--out", str(out), "--no-viewer"])
    assert result.exit_code == 0, result.output
    removed = [line for line in result.output.splitlines() if line.startswith("removed ")]
    assert removed == [f"removed {out / name} (an earlier build's, not in this one)" for name in VIEWER_PAGES]
    written = _folder(out)
    assert sorted(written) == sorted(set(whole) - set(VIEWER_PAGES) | {"graph-mine.html"})
    assert not [p for p in out.rglob(".*")]  # nothing set aside is left
    for name in set(written) - {"ontology.html", "graph-mine.html"}:
        assert written[name] == whole[name], name
    assert b'href="index.html"' in whole["ontology.html"]
    assert b'href="index.html"' not in written["ontology.html"]
    assert written["ontology.html"] == whole["ontology.html"].replace(_home_link(whole["ontology.html"]), b"")
    monkeypatch.setattr(kgraph.viewer, "MAX_ENTITIES", 102)  # the whole build again: the pages are back
    assert CliRunner().invoke(cli, ["build", "--out", str(out)]).exit_code == 0
    assert _folder(out) == whole | {"graph-mine.html": written["graph-mine.html"]}


def _home_link(page: bytes) -> bytes:
    """The part of the ontology's page that links the viewer's index (what render_page(home=...) adds)."""
    from kgraph.export import ontology  # noqa: PLC0415

    with_home = ontology.render_page(load(), home="index.html")
    without = ontology.render_page(load())
    assert with_home == page
    start = next(i for i, (a, b) in enumerate(zip(with_home, without, strict=False)) if a != b)
    return with_home[start : start + len(with_home) - len(without)]


def test_max_entities_raises_the_viewer_s_limit_for_build_as_for_viz(tmp_path):
    """kgraph viz took --max-entities and build did not: a user who wanted the viewer of a larger graph anyway had
    no way to. The bundled graph has 102 entities."""
    from kgraph.viewer import MAX_ENTITIES  # noqa: PLC0415

    out = tmp_path / "exports"
    refused = CliRunner().invoke(cli, ["build", "--out", str(out), "--max-entities", "101"])
    assert refused.exit_code == 2
    assert "102 entities, more than 101: pass --no-viewer" in refused.output
    assert not out.exists()
    drawn = CliRunner().invoke(cli, ["build", "--out", str(out), "--max-entities", "102"])
    assert drawn.exit_code == 0, drawn.output
    assert (out / "graph.html").is_file()
    both = CliRunner().invoke(cli, ["build", "--out", str(out), "--no-viewer", "--max-entities", "102"])
    assert both.exit_code == 2
    assert both.output.splitlines()[-1] == (
        "Error: --max-entities limits the viewer's pages, which --no-viewer leaves out; leave one of them out"
    )
    help_text = " ".join(CliRunner().invoke(cli, ["build", "--help"]).output.split())
    assert f"[default: {MAX_ENTITIES}]" in help_text  # written out in cli.py, which does not import kgraph.viewer


def test_the_viewer_s_pages_are_those_build_removes_when_it_does_not_write_them(loaded):
    from kgraph.export.build import OWNED  # noqa: PLC0415
    from kgraph.viewer import PAGES  # noqa: PLC0415
    from kgraph.viewer.views import FOCUSED_VIEWS, INDEX_FILE, MAIN_FILE  # noqa: PLC0415

    assert sorted(PAGES) == VIEWER_PAGES == sorted([MAIN_FILE, INDEX_FILE, *(v.file for v in FOCUSED_VIEWS)])
    assert set(PAGES) <= set(OWNED)
    assert sorted(name for name in render_all(loaded) if name.endswith(".html")) == sorted(
        [*VIEWER_PAGES, "ontology.html"]
    )


def test_files_removed_with_a_write_stay_when_the_write_fails(tmp_path, monkeypatch):
    """The files an earlier output left, removed with the new ones' write, go only when the new files are in: a
    write that fails, or a file that cannot be set aside, leaves the folder as it was."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ("old.html", "a.txt", "stale.txt"):
        (out / name).write_text(f"previous {name}\n", encoding="utf-8")
    before = _folder(out)
    original = files_module.write_temporary

    def full(target: Path, content: bytes) -> Path:
        if target.name == "b.txt":
            raise OSError(28, "No space left on device")
        return original(target, content)

    monkeypatch.setattr(files_module, "write_temporary", full)
    with pytest.raises(InputError, match=r"b\.txt: No space left on device"):
        write_files(out, {"a.txt": b"new", "b.txt": b"new"}, remove=["old.html"])
    assert _folder(out) == before
    monkeypatch.setattr(files_module, "write_temporary", original)
    rename = Path.replace

    def refused(self: Path, target: Path) -> Path:
        if self.name == "old.html":
            raise PermissionError(13, "Permission denied")
        return rename(self, target)

    monkeypatch.setattr(Path, "replace", refused)
    with pytest.raises(InputError) as raised:
        write_files(out, {"a.txt": b"new"}, remove=["gone.html", "stale.txt", "old.html"])
    what = f"cannot remove {out / 'old.html'} (an earlier output's file, not in this one): Permission denied"
    assert (str(raised.value), raised.value.cli_message) == (
        f"{what}; pass another out_dir",
        f"{what}; pass another --out DIR",
    )
    assert _folder(out) == before
    monkeypatch.setattr(Path, "replace", rename)
    write_files(out, {"a.txt": b"new"}, remove=["gone.html", "stale.txt", "old.html"])
    assert _folder(out) == {"a.txt": b"new"}


def _earlier_output(out: Path) -> dict[str, bytes]:
    """An earlier output in ``out``: a.txt, c.txt and e.txt; d.txt a symbolic link to a file outside it; old.html,
    which the next write removes. Returns every file's bytes."""
    out.mkdir()
    for name in ("a.txt", "c.txt", "e.txt", "old.html"):
        (out / name).write_text(f"previous {name}\n", encoding="utf-8")
    (out.parent / "elsewhere.txt").write_text("linked\n", encoding="utf-8")
    (out / "d.txt").symlink_to(out.parent / "elsewhere.txt")
    return _folder(out.parent)


NEW = {name: b"new" for name in ("a.txt", "b.txt", "c.txt", "d.txt", "e.txt")}


def _names(out: Path) -> list[str]:
    """Every name in ``out``, hidden ones (a temporary or an old file kept aside) too."""
    return sorted(path.name for path in out.iterdir())


def test_a_rename_refused_midway_leaves_every_file_as_it_was(tmp_path):
    """A target whose rename fails after others' (here an immutable file: EPERM, even for root) left the files
    renamed before it new and the rest old: each target's old file is kept aside until all are in, and put back."""
    out = tmp_path / "out"
    before = _earlier_output(out)
    names = _names(out)
    if subprocess.run(["chattr", "+i", str(out / "c.txt")], capture_output=True, check=False).returncode:
        pytest.skip("chattr +i (an immutable file) is not available here")
    try:
        with pytest.raises(InputError) as raised:
            write_files(out, NEW, remove=["old.html"])
    finally:
        subprocess.run(["chattr", "-i", str(out / "c.txt")], check=True)
    assert str(raised.value) == f"cannot write {out / 'c.txt'}: Operation not permitted; pass another out_dir"
    assert _folder(tmp_path) == before
    assert _names(out) == names
    assert (out / "d.txt").readlink() == tmp_path / "elsewhere.txt"


@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "no-hard-links"])
def test_a_rename_that_fails_midway_puts_every_old_file_back(tmp_path, monkeypatch, links):
    """Renames fail midway for reasons no check foresees (EBUSY, EXDEV, a full inode table): simulated here by
    Path.replace failing on e.txt's rename into place, after a.txt (replaced), b.txt (new) and d.txt (a symbolic
    link) are in. Each goes back as it was: a.txt's old bytes, no b.txt, d.txt the same link; old.html, set aside
    to be removed, is back too. The old files are kept as hard links, or, where none can be made (a file system
    without them), renamed aside."""
    out = tmp_path / "out"
    before = _earlier_output(out)
    names = _names(out)
    rename = Path.replace

    def busy(self: Path, target: Path) -> Path:
        if Path(target) == out / "e.txt" and self.suffix == ".tmp":
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY))
        return rename(self, target)

    def no_links(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(Path, "replace", busy)
    if not links:
        monkeypatch.setattr(os, "link", no_links)
    with pytest.raises(InputError) as raised:
        write_files(out, NEW, remove=["old.html"])
    assert raised.value.cli_message == f"cannot write {out / 'e.txt'}: Device or resource busy; pass another --out DIR"
    assert _folder(tmp_path) == before
    assert _names(out) == names
    assert (out / "d.txt").readlink() == tmp_path / "elsewhere.txt"
    monkeypatch.setattr(Path, "replace", rename)
    write_files(out, NEW, remove=["old.html"])  # the link replaced by a file, as before; the file it led to kept
    assert _folder(tmp_path) == {**{f"out/{name}": b"new" for name in NEW}, "elsewhere.txt": b"linked\n"}
    assert _names(out) == sorted(NEW) and not (out / "d.txt").is_symlink()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="no /proc/self/fd (Linux names open files there)")
def test_a_link_to_an_open_file_by_its_descriptor_is_written_through_not_replaced(tmp_path):
    """``--output /dev/stdout`` with standard output a file: /dev/stdout, a link to /proc/self/fd/1, led to a
    regular file, so the write renamed a file over the link (as root, the system's /dev/stdout became a file). A
    link in tmp_path to a descriptor stands for it here; it is written to as it is, as /dev/null is."""
    redirected = tmp_path / "redirected.txt"
    with redirected.open("wb") as stream:
        link = tmp_path / "stdout"
        link.symlink_to(f"/proc/self/fd/{stream.fileno()}")
        write_files(tmp_path, {"stdout": b"rows\n"})
        assert link.is_symlink()
    assert redirected.read_bytes() == b"rows\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["redirected.txt", "stdout"]


@pytest.mark.skipif(not Path("/proc/self/cwd").is_dir(), reason="no /proc/self (Linux)")
def test_a_file_reached_through_proc_but_not_by_a_descriptor_is_replaced_whole(tmp_path, monkeypatch):
    """Any path under /proc/ counted as an open file named by its descriptor, so a file reached through
    /proc/self/cwd was written over in place, not replaced whole: a hard link to the old file (or a reader) saw the
    new bytes. Only a descriptor's name (/proc/self/fd/N, /dev/fd/N) is written to as it is."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "graph.txt").write_bytes(b"old\n")
    os.link(tmp_path / "graph.txt", tmp_path / "kept.txt")
    write_files(Path("/proc/self/cwd"), {"graph.txt": b"new\n"})
    assert (tmp_path / "graph.txt").read_bytes() == b"new\n"
    assert (tmp_path / "kept.txt").read_bytes() == b"old\n"


def _refuse_putting_back(monkeypatch: pytest.MonkeyPatch, out: Path, stop: BaseException) -> None:
    """Make e.txt's rename into place raise ``stop``, and the putting back fail for a.txt and old.html (their kept
    files cannot be renamed back) and for b.txt (new, it cannot be removed)."""
    rename, unlink = Path.replace, Path.unlink

    def refused(self: Path, target: Path) -> Path:
        if Path(target) == out / "e.txt" and self.suffix == ".tmp":
            raise stop
        if Path(target) in (out / "a.txt", out / "old.html") and self.suffix == ".old":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return rename(self, target)

    def kept(self: Path, *, missing_ok: bool = False) -> None:
        if self == out / "b.txt":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "replace", refused)
    monkeypatch.setattr(Path, "unlink", kept)


def test_old_files_that_cannot_be_put_back_are_named_with_where_their_content_is(tmp_path, monkeypatch):
    """Putting back stopped at the first old file it could not rename back and left the rest new, and the error
    did not say where the old bytes were: every one is tried, and the error names each that could not be put
    back, where its old content is, and that it is to be renamed back by hand; nothing is lost."""
    out = tmp_path / "out"
    before = _earlier_output(out)
    _refuse_putting_back(monkeypatch, out, OSError(errno.EBUSY, os.strerror(errno.EBUSY)))
    with pytest.raises(InputError) as raised:
        write_files(out, NEW, remove=["old.html"])
    [old_a] = out.glob(".a.txt.*.old")
    [old_html] = out.glob(".old.html.*.old")
    assert str(raised.value) == (
        f"cannot write {out / 'e.txt'}: Device or resource busy; "
        f"{out / 'a.txt'} could not be put back (Permission denied): its earlier content is in {old_a}, "
        "rename it back by hand; "
        f"{out / 'b.txt'} is new and could not be removed (Permission denied): remove it by hand; "
        f"{out / 'old.html'} could not be put back (Permission denied): its earlier content is in {old_html}, "
        "rename it back by hand; pass another out_dir"
    )
    assert (old_a.read_bytes(), old_html.read_bytes()) == (before["out/a.txt"], before["out/old.html"])
    untouched = {name: data for name, data in before.items() if name not in ("out/a.txt", "out/old.html")}
    assert _folder(tmp_path) == {
        **untouched,
        "out/a.txt": b"new",
        "out/b.txt": b"new",
        f"out/{old_a.name}": before["out/a.txt"],
        f"out/{old_html.name}": before["out/old.html"],
    }
    assert _names(out) == sorted(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", old_a.name, old_html.name])


@pytest.mark.parametrize("stop", [KeyboardInterrupt, ZeroDivisionError], ids=["interrupt", "bug"])
def test_files_that_cannot_be_put_back_after_an_interrupt_are_noted_on_it(tmp_path, monkeypatch, stop):
    """Any exception but an OSError during the renames (a KeyboardInterrupt, a bug) put the files back, but the
    list of those that could not be was dropped: nothing said that a.txt's old content was in a kept file. The
    exception goes on its way (an interrupt is not swallowed), with a note for each, as RenameFailed says them."""
    out = tmp_path / "out"
    before = _earlier_output(out)
    _refuse_putting_back(monkeypatch, out, stop())
    with pytest.raises(stop) as raised:
        write_files(out, NEW, remove=["old.html"])
    [old_a] = out.glob(".a.txt.*.old")
    [old_html] = out.glob(".old.html.*.old")
    assert raised.value.__notes__ == [
        f"{out / 'a.txt'} could not be put back (Permission denied): its earlier content is in {old_a}, "
        "rename it back by hand",
        f"{out / 'b.txt'} is new and could not be removed (Permission denied): remove it by hand",
        f"{out / 'old.html'} could not be put back (Permission denied): its earlier content is in {old_html}, "
        "rename it back by hand",
    ]
    assert (old_a.read_bytes(), old_html.read_bytes()) == (before["out/a.txt"], before["out/old.html"])
    assert (out / "c.txt").read_bytes() == before["out/c.txt"]  # put back: the old content


def test_files_set_aside_to_be_removed_go_back_after_an_interrupt(tmp_path, monkeypatch):
    """An interrupt while the files to remove were renamed aside left those before it aside, under a hidden name,
    and said nothing: they are put back, and one that cannot be is noted on the interrupt."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ("a.txt", "old.html", "stale.txt", "zz.txt"):
        (out / name).write_text(f"previous {name}\n", encoding="utf-8")
    before = _folder(out)
    rename = Path.replace

    def refused(self: Path, target: Path) -> Path:
        if self.name == "zz.txt":
            raise KeyboardInterrupt
        if Path(target) == out / "old.html" and self.suffix == ".old":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return rename(self, target)

    monkeypatch.setattr(Path, "replace", refused)
    with pytest.raises(KeyboardInterrupt) as raised:
        write_files(out, {"a.txt": b"new"}, remove=["old.html", "stale.txt", "zz.txt"])
    [old_html] = out.glob(".old.html.*.old")
    assert raised.value.__notes__ == [
        f"{out / 'old.html'} could not be put back (Permission denied): its earlier content is in {old_html}, "
        "rename it back by hand"
    ]
    assert old_html.read_bytes() == before["old.html"]
    assert {name: (out / name).read_bytes() for name in ("a.txt", "stale.txt", "zz.txt")} == {
        name: before[name] for name in ("a.txt", "stale.txt", "zz.txt")
    }
    assert _names(out) == sorted(["a.txt", old_html.name, "stale.txt", "zz.txt"])


def test_an_interrupt_during_the_renames_says_on_stderr_what_could_not_be_put_back(tmp_path, monkeypatch):
    """kgraph build stopped during its renames exits 130 with Aborted!, after a line for each file it could not
    put back, saying where its old content is."""
    out = tmp_path / "exports"
    assert CliRunner().invoke(cli, ["build", "--out", str(out)]).exit_code == 0
    rename = Path.replace

    def refused(self: Path, target: Path) -> Path:
        if Path(target).name == "kgraph.ttl" and self.suffix == ".tmp":
            raise KeyboardInterrupt
        if Path(target).name == "kgraph.nt" and self.suffix == ".old":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return rename(self, target)

    monkeypatch.setattr(Path, "replace", refused)
    result = CliRunner().invoke(cli, ["build", "--out", str(out)])
    [old_nt] = out.glob(".kgraph.nt.*.old")
    assert result.exit_code == 130
    assert result.output.splitlines()[-2:] == [
        f"{out / 'kgraph.nt'} could not be put back (Permission denied): its earlier content is in {old_nt}, "
        "rename it back by hand",
        "Aborted!",
    ]


@pytest.mark.skipif(sys.platform != "linux", reason="names a descriptor's file through /proc")
@pytest.mark.parametrize("writer", ["write_files", "atomic_folder", "write_atomic"])
def test_the_folders_are_synced_once_the_new_files_are_in(tmp_path, monkeypatch, writer):
    """Each file's bytes were synced before its rename, but not the renames: a power cut soon after a write could
    leave the folder's old names, some files old and some new, though the command had said it wrote them. Each
    folder written in (the files an earlier output left and this one removes with it too) is synced once, after
    every rename, before the old files kept aside go."""
    from kgraph.export.csv_stream import atomic_folder  # noqa: PLC0415

    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "a.txt").write_bytes(b"old")
    (out / "sub" / "gone.txt").write_bytes(b"old")
    synced: list[tuple[str, bytes, list[str]]] = []
    fsync = os.fsync

    def noted(fd: int) -> None:
        path = Path(f"/proc/self/fd/{fd}").readlink()
        if path.is_dir():
            synced.append((path.name, (out / "a.txt").read_bytes(), sorted(p.name for p in path.iterdir())))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", noted)
    if writer == "write_files":
        write_files(out, {"a.txt": b"new", "sub/b.txt": b"new"}, remove=["sub/gone.txt"])
        assert [(name, content) for name, content, _names in synced] == [("out", b"new"), ("sub", b"new")]
        assert [len(names) for _name, _content, names in synced] == [3, 2]  # a.txt, its old file kept, sub/
    elif writer == "atomic_folder":
        with atomic_folder(out) as sink:
            sink.open("a.txt").write("new")
        assert [(name, content) for name, content, _names in synced] == [("out", b"new")]
        assert synced[0][2] == ["a.txt", "sub"]  # one file alone keeps no old file aside
    else:  # kgraph query --output, kgraph store dump --out: no folder was synced
        from kgraph.query.files import write_atomic  # noqa: PLC0415

        write_atomic(out / "a.txt", b"new")
        assert synced == [("out", b"new", ["a.txt", "sub"])]


@pytest.mark.skipif(sys.platform != "linux", reason="names a descriptor's file through /proc")
@pytest.mark.parametrize("writer", ["write_files", "atomic_folder", "write_atomic"])
def test_the_folders_a_write_makes_are_synced_into_their_parents(tmp_path, monkeypatch, writer):
    """The first write into new/sub synced sub, where its files are, but not new in tmp_path nor sub in new: a
    power cut soon after could lose the folders, and the files in them, though the command had said it wrote
    them."""
    from kgraph.export.csv_stream import atomic_folder  # noqa: PLC0415
    from kgraph.query.files import write_atomic  # noqa: PLC0415

    out = tmp_path / "new" / "sub"
    synced: list[Path] = []
    fsync = os.fsync

    def noted(fd: int) -> None:
        path = Path(f"/proc/self/fd/{fd}").readlink()
        if path.is_dir():
            synced.append(path)
        fsync(fd)

    monkeypatch.setattr(os, "fsync", noted)
    if writer == "write_files":
        write_files(out, {"a.txt": b"new"})
    elif writer == "atomic_folder":
        with atomic_folder(out) as sink:
            sink.open("a.txt").write("new")
    else:
        write_atomic(out / "a.txt", b"new")
    assert (out / "a.txt").read_bytes() == b"new"
    assert sorted(set(synced)) == [tmp_path.resolve(), (tmp_path / "new").resolve(), out.resolve()]


def test_an_old_file_that_cannot_be_put_back_is_named_as_its_target_is(tmp_path, monkeypatch):
    """The error named the target as it was given (out/a.txt) but the file holding its old content by mkstemp's
    absolute path (/home/me/project/out/.a.txt.XXXXXXXX.old), one name relative and the next absolute: both are
    in out_dir as given. a.txt's old file is a hard link, old.html's (removed with the write) renamed aside."""
    monkeypatch.chdir(tmp_path)
    out = Path("out")
    out.mkdir()
    for name in ("a.txt", "b.txt", "old.html"):
        (out / name).write_text(f"previous {name}\n", encoding="utf-8")
    rename = Path.replace

    def refused(self: Path, target: Path) -> Path:
        if Path(target) == out / "b.txt" and self.suffix == ".tmp":
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY))
        if Path(target) in (out / "a.txt", out / "old.html") and self.suffix == ".old":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return rename(self, target)

    monkeypatch.setattr(Path, "replace", refused)
    with pytest.raises(InputError) as raised:
        write_files(out, {"a.txt": b"new", "b.txt": b"new"}, remove=["old.html"])
    [old_a] = [path.name for path in out.glob(".a.txt.*.old")]
    [old_html] = [path.name for path in out.glob(".old.html.*.old")]
    assert raised.value.cli_message == (
        "cannot write out/b.txt: Device or resource busy; "
        f"out/a.txt could not be put back (Permission denied): its earlier content is in out/{old_a}, "
        "rename it back by hand; "
        f"out/old.html could not be put back (Permission denied): its earlier content is in out/{old_html}, "
        "rename it back by hand; pass another --out DIR"
    )


@pytest.mark.parametrize("writer", ["write_files", "write_atomic"])
def test_a_store_that_fails_as_a_file_is_written_is_not_a_write_error(tmp_path, writer):
    """write_files took the store's failure in a function writing a file from it (RocksDB's "IO error: ...", an
    OSError) for a failure to write the file ("cannot write out/a.nt: IO error: ...; pass another out_dir"), where
    query --output and export neo4j pass it on for the command to say the store failed; one protocol now."""
    from kgraph.query.files import write_atomic  # noqa: PLC0415

    failure = OSError("IO error: No such file or directory: While open a file for random read: 000023.sst")

    def reading_the_store(stream: object) -> None:
        raise failure

    with pytest.raises(OSError) as raised:
        if writer == "write_files":
            write_files(tmp_path / "out", {"a.nt": reading_the_store})
        else:
            write_atomic(tmp_path / "out" / "a.nt", reading_the_store)
    assert raised.value is failure
    assert list(tmp_path.iterdir()) == []


def test_one_file_replaced_stays_in_place_until_the_new_one_is_in(tmp_path, monkeypatch):
    """A write of one file (kgraph viz --output, kgraph export graphml --output) kept its old file aside first, as
    a write of several does; where no hard link can be made (a file another user owns under
    fs.protected_hardlinks, a file system without links) by renaming it aside: until the new file came there was
    no file at all, for a reader or after a write killed there. One rename is all or nothing by itself."""
    target = tmp_path / "page.html"
    target.write_bytes(b"old")
    seen: list[tuple[str, bool]] = []
    rename = Path.replace

    def noted(self: Path, other: Path) -> Path:
        seen.append((Path(other).name, target.exists()))
        return rename(self, other)

    def no_links(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(Path, "replace", noted)
    write_files(tmp_path, {"page.html": b"new"}, "--output FILE")
    assert seen == [("page.html", True)]
    assert [(path.name, path.read_bytes()) for path in tmp_path.iterdir()] == [("page.html", b"new")]


def test_a_target_renamed_over_twice_gets_its_first_old_file_back(tmp_path, monkeypatch):
    """Two new files for one target (two names of one file on a case-insensitive file system, macOS's or Windows',
    as nodes_Product.csv and nodes_product.csv of two classes would be): the second kept the first new file as its
    old one, and putting back in the order they were kept left that first new file in place of the old one. They
    are put back last kept first."""
    target, other = tmp_path / "a.txt", tmp_path / "b.txt"
    target.write_bytes(b"old a")
    other.write_bytes(b"old b")
    renames = [(write_temporary(t, data), t) for t, data in ((target, b"1"), (target, b"2"), (other, b"3"))]
    rename = Path.replace

    def busy(self: Path, to: Path) -> Path:
        if Path(to) == other and self.suffix == ".tmp":
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY))
        return rename(self, to)

    monkeypatch.setattr(Path, "replace", busy)
    with pytest.raises(files_module.RenameFailed):
        files_module.rename_into_place(renames)
    renames[2][0].unlink()
    assert _folder(tmp_path) == {"a.txt": b"old a", "b.txt": b"old b"}
    assert _names(tmp_path) == ["a.txt", "b.txt"]


@pytest.mark.skipif(sys.platform != "linux", reason="names a descriptor's file through /proc")
def test_the_old_files_put_back_after_a_failed_rename_are_synced_in_their_folder(tmp_path, monkeypatch):
    """A rename that failed midway put the old files back, and the error said the outputs were as they were, but
    the renames that put them back were never synced (those of a write that succeeds are): a power cut soon after
    could bring the new files back."""
    target, other = tmp_path / "a.txt", tmp_path / "b.txt"
    target.write_bytes(b"old a")
    other.write_bytes(b"old b")
    renames = [(write_temporary(t, data), t) for t, data in ((target, b"new a"), (other, b"new b"))]
    events: list[tuple[str, Path]] = []
    rename, fsync = Path.replace, os.fsync

    def busy(self: Path, to: Path) -> Path:
        if Path(to) == other and self.suffix == ".tmp":
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY))
        done = rename(self, to)
        events.append(("rename", Path(to)))
        return done

    def synced(fd: int) -> None:
        events.append(("fsync", Path(f"/proc/self/fd/{fd}").readlink()))
        fsync(fd)

    monkeypatch.setattr(Path, "replace", busy)
    monkeypatch.setattr(os, "fsync", synced)
    with pytest.raises(files_module.RenameFailed):
        files_module.rename_into_place(renames)
    renames[1][0].unlink()
    assert _folder(tmp_path) == {"a.txt": b"old a", "b.txt": b"old b"}
    put_back = max(i for i, event in enumerate(events) if event == ("rename", target))
    assert events.index(("rename", target)) < put_back  # the new a.txt went in, then the old one went back
    assert ("fsync", tmp_path.resolve()) in events[put_back:]


def test_a_folder_where_a_file_is_to_go_stops_the_write_before_any_file_is_renamed(tmp_path):
    """A folder named as one of the new files (a.txt renamed into place, then b.txt refused: Is a directory) left
    a.txt new and the rest old, the stale file put back: the write is refused before any rename."""
    out = tmp_path / "out"
    (out / "b.txt").mkdir(parents=True)
    for name in ("a.txt", "old.html"):
        (out / name).write_text(f"previous {name}\n", encoding="utf-8")
    (out / "c.txt").symlink_to(out / "b.txt")  # a link to a folder is replaced as any file
    before = _folder(out)
    with pytest.raises(InputError) as raised:
        write_files(out, {"a.txt": b"new", "b.txt": b"new", "c.txt": b"new"}, remove=["old.html"])
    assert str(raised.value) == f"cannot write {out / 'b.txt'}: Is a directory; pass another out_dir"
    assert _folder(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt", "c.txt", "old.html"]
    (out / "b.txt").rmdir()
    write_files(out, {"a.txt": b"new", "b.txt": b"new", "c.txt": b"new"}, remove=["old.html"])
    assert _folder(out) == {"a.txt": b"new", "b.txt": b"new", "c.txt": b"new"}
    assert not (out / "c.txt").is_symlink()

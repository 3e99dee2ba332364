"""kgraph.cache and the validation cache: used when the inputs are the same, never when they changed."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import MINI_ONTOLOGY, PREFIXES
from kgraph import cache
from kgraph.store import load
from kgraph.validation import validate

validate_module = importlib.import_module("kgraph.validation")

SHAPES = (
    PREFIXES + "kg:S a sh:NodeShape ; sh:targetClass kg:Company ; sh:property [ sh:path rdfs:label ; sh:minCount 1 ] ."
)
DATA = PREFIXES + "src:s { kgr:acme a kg:Company . kgr:globex a kg:Company ; rdfs:label 'Globex'@en . }"


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("KGRAPH_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def kg(make_kg):
    return make_kg({"d.trig": DATA}, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": SHAPES})


def _no_pyshacl(monkeypatch):
    def fail(*_args):
        raise AssertionError("pySHACL ran although the outcome was cached")

    monkeypatch.setattr(validate_module, "_run_pyshacl", fail)


def test_second_validation_comes_from_the_cache(kg, own_cache, monkeypatch):
    first = validate(load(*kg))
    assert len(list(own_cache.glob("validation-*"))) == 1
    _no_pyshacl(monkeypatch)
    second = validate(load(*kg))
    assert second.results == first.results
    assert second.conforms is first.conforms is False
    assert len(second.graph) == len(first.graph)


def test_a_changed_file_is_not_served_from_the_cache(kg, own_cache, monkeypatch):
    validate(load(*kg))
    data_dir, _ontology_dir = kg
    (data_dir / "d.trig").write_text(DATA.replace("kgr:acme a kg:Company .", ""), encoding="utf-8")
    report = validate(load(*kg))  # pySHACL runs again
    assert report.conforms
    assert len(list(own_cache.glob("validation-*"))) == 2


def test_a_changed_shapes_file_is_not_served_from_the_cache(kg, own_cache):
    assert not validate(load(*kg)).conforms
    _data_dir, ontology_dir = kg
    (ontology_dir / "shapes.ttl").write_text(PREFIXES, encoding="utf-8")
    assert validate(load(*kg)).conforms


def test_a_corrupt_entry_is_recomputed(kg, own_cache):
    first = validate(load(*kg))
    (entry,) = own_cache.glob("validation-*")
    for garbage in (b"", b"{not json", b'{"format": 1}', b'{"format": 99}'):
        entry.write_bytes(garbage)
        assert validate(load(*kg)).results == first.results


def test_cache_off(kg, own_cache, monkeypatch):
    monkeypatch.setenv("KGRAPH_NO_CACHE", "1")
    validate(load(*kg))
    assert not own_cache.exists()
    assert cache.cache_dir() is None


def test_cache_off_writes_no_entry_at_all(kg, own_cache, monkeypatch):
    """With the cache off, the outcome is not written out for a cache that would drop it (the report as
    N-Triples took 2-3 s of a million-triple validation)."""
    monkeypatch.setenv("KGRAPH_NO_CACHE", "1")

    def written(*_args: object, **_kwargs: object) -> str:
        raise AssertionError("the report was serialized for the cache")

    monkeypatch.setattr(Graph, "serialize", written)
    assert not validate(load(*kg)).conforms


def test_unwritable_cache_is_ignored(kg, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("KGRAPH_CACHE_DIR", str(blocker / "cache"))  # cannot be created
    assert not validate(load(*kg)).conforms
    assert cache.read("anything") is None


def test_default_location(monkeypatch, tmp_path):
    monkeypatch.delenv("KGRAPH_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "kgraph"


def test_keys_differ_by_kind_and_parts():
    assert cache.key("a", [b"x"]) == cache.key("a", [b"x"])
    assert (
        len({cache.key("a", [b"x"]), cache.key("b", [b"x"]), cache.key("a", [b"y"]), cache.key("a", [b"x", b""])}) == 4
    )


def test_inline_shapes_are_not_cached(kg, own_cache):
    validate(load(*kg), Graph().parse(data=SHAPES, format="turtle"))
    assert not own_cache.exists()


def test_the_cache_keeps_the_entries_of_each_kind_last_read_or_written(own_cache):
    """Keys multiply (each change of a file, each folder a command runs from with a relative --data), and each
    loaded graph's entry is as large as the graph: the cache grew without end. It keeps cache.KEEP of each kind,
    those last read or written, and leaves other kinds and other files alone."""
    names = [cache.key("query-graph", [str(n).encode()]) for n in range(cache.KEEP + 1)]
    for n, name in enumerate(names[:-1]):
        cache.write(name, b"graph")
        os.utime(own_cache / name, ns=(n * 10**9, n * 10**9))  # written in this order, seconds apart
    cache.write(cache.key("validation", [b"x"]), b"outcome")
    (own_cache / "notes.txt").write_text("mine", encoding="utf-8")
    assert cache.read(names[0]) == b"graph"  # read: the last to go
    cache.write(names[-1], b"graph")
    kept = {path.name for path in own_cache.glob("query-graph-*")}
    assert kept == {names[0], *names[2:]}  # names[1], the oldest, went
    assert len(list(own_cache.glob("validation-*"))) == 1
    assert (own_cache / "notes.txt").is_file()


@pytest.mark.skipif(sys.platform != "linux", reason="names a descriptor's file through /proc")
def test_an_entry_is_synced_before_it_is_renamed_into_place(own_cache, monkeypatch):
    """An entry was renamed into place with its bytes still in memory: a power cut soon after could leave it empty
    or with blocks of zeros under its name, which a decoder may take for a (wrong) entry."""
    events: list[tuple[str, Path]] = []
    rename, fsync = os.replace, os.fsync

    def renamed(src: str, dst: str) -> None:
        rename(src, dst)
        events.append(("rename", Path(src)))

    def synced(fd: int) -> None:
        events.append(("fsync", Path(f"/proc/self/fd/{fd}").readlink()))
        fsync(fd)

    monkeypatch.setattr(os, "replace", renamed)
    monkeypatch.setattr(os, "fsync", synced)
    name = cache.key("test", [b"x"])
    cache.write(name, b"content")
    assert cache.read(name) == b"content"
    ((_rename, temporary),) = [event for event in events if event[0] == "rename"]
    assert temporary.name.startswith(f".{name}.")
    assert events.index(("fsync", temporary.resolve())) < events.index(("rename", temporary))

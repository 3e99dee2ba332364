"""A store ``kgraph load`` said it built survives a power cut that follows: every file of the new store is synced
before the store is renamed into place, and the folder it is renamed into after (so is the folder an old store is
put back into, and the store's folder after its manifest is replaced).

Each test records what is synced (``os.fsync``, the path of the descriptor) and renamed (``os.replace``,
``os.rename``), in order, and what is deleted (``shutil.rmtree``)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import PREFIXES, MakeKG
from kgraph import persist
from kgraph.errors import StoreError

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="names a descriptor's file through /proc")

Event = tuple[str, Path, Path | None]


def _fd_path(fd: int) -> Path:
    return Path(f"/proc/self/fd/{fd}").readlink()


def _real(path: Any, dir_fd: int | None = None) -> Path:
    """``path`` (relative to the folder ``dir_fd`` if given) with the links of its folder followed, as /proc names
    a descriptor's file: it may be gone (renamed) by now."""
    full = Path(_fd_path(dir_fd), path) if dir_fd is not None else Path(path).absolute()
    return full.parent.resolve() / full.name


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[Event]:
    """What is synced, renamed and deleted from now on, in order."""
    seen: list[Event] = []
    fsync, rmtree = os.fsync, shutil.rmtree

    def synced(fd: int) -> None:
        seen.append(("fsync", _fd_path(fd), None))
        fsync(fd)

    def renaming(real: Callable[..., None]) -> Callable[..., None]:
        def renamed(src: Any, dst: Any, *, src_dir_fd: int | None = None, dst_dir_fd: int | None = None) -> None:
            names = (_real(src, src_dir_fd), _real(dst, dst_dir_fd))
            real(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)
            seen.append(("rename", *names))

        return renamed

    def removed(path: Any, *args: Any, **kwargs: Any) -> None:
        seen.append(("rmtree", _real(path), None))
        rmtree(path, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", synced)
    monkeypatch.setattr(os, "replace", renaming(os.replace))
    monkeypatch.setattr(os, "rename", renaming(os.rename))
    monkeypatch.setattr(shutil, "rmtree", removed)
    return seen


def renames(events: list[Event]) -> list[tuple[int, Path, Path]]:
    return [(i, src, dst) for i, (kind, src, dst) in enumerate(events) if kind == "rename" and dst is not None]


def synced_at(events: list[Event], path: Path) -> list[int]:
    return [i for i, (kind, synced, _none) in enumerate(events) if kind == "fsync" and synced == path]


def assert_synced_after(events: list[Event], index: int, folder: Path) -> int:
    """That ``folder`` is synced after the event ``index`` (a rename into or out of it); the first such sync."""
    after = [i for i in synced_at(events, folder) if i > index]
    assert after, f"{folder} not synced after {events[index]}"
    return after[0]


def assert_built_and_synced(events: list[Event], building: Path, store: Path, rename: int) -> None:
    """That every file and folder of the store now at ``store`` was synced in ``building`` before the ``rename``
    of ``building`` to ``store``: each file, then the folder it is in."""
    files = sorted(path for path in store.rglob("*") if path.is_file() and not path.is_symlink())
    folders = [store, *sorted(path for path in store.rglob("*") if path.is_dir())]
    assert store / persist.MANIFEST in files and store / persist.ONTOLOGY_COPY in folders
    last: dict[Path, int] = {}
    for path in files:
        before = [i for i in synced_at(events, building / path.relative_to(store)) if i < rename]
        assert before, f"{path.relative_to(store)} not synced before the store was renamed into place"
        last[path.parent] = max(last.get(path.parent, -1), before[0])
    for folder in folders:
        before = [i for i in synced_at(events, building / folder.relative_to(store)) if i < rename]
        assert before, f"{folder.relative_to(store)} (a folder) not synced before the store was renamed into place"
        assert before[-1] > last.get(folder, -1), f"{folder.relative_to(store)} synced before its files"


def test_a_load_syncs_the_new_store_before_the_swap_and_the_folder_of_the_store_after(tmp_path, events):
    """Only what RocksDB and SQLite sync themselves was synced: not the manifest, nor the copy of the ontology, nor the
    folders, nor the folder the store was swapped into. A power cut soon after the load could leave the old store
    in place, none, or the new one with its manifest empty, though the load said it was done."""
    store = tmp_path / "st"
    persist.build(store)
    del events[:]
    persist.build(store, force=True)
    (aside, old, moved), (swap, building, target) = renames(events)
    assert old == store and moved.name == persist.MOVED_ASIDE and moved.parent.name.startswith(".st.old-")
    assert (building.name.startswith(".st.building-"), target) == (True, store)
    assert aside < swap
    assert_built_and_synced(events, building, store, swap)
    synced = assert_synced_after(events, swap, tmp_path)  # both renames in and out of it
    deleted = [i for i, (kind, path, _none) in enumerate(events) if kind == "rmtree" and path == moved.parent]
    assert deleted and synced < deleted[0], "the old store was deleted before the new one was made to last"


def test_a_first_load_syncs_the_folder_it_goes_in_and_the_folders_made_for_it(tmp_path, events):
    """The folders made for a new store (new/deeper) were not synced into those above them either."""
    store = tmp_path / "new" / "deeper" / "st"
    persist.build(store)
    ((swap, building, target),) = renames(events)
    assert target == store
    assert_built_and_synced(events, building, store, swap)
    for folder in (store.parent, tmp_path / "new", tmp_path):
        assert_synced_after(events, swap, folder)


def test_an_old_store_put_back_after_a_failed_swap_is_synced_in_its_folder(tmp_path, events, monkeypatch):
    """The swap failed after the old store was moved aside, and the old store went back: that rename too was left
    to the system to write when it liked."""
    store = tmp_path / "st"
    persist.build(store)
    manifest = (store / persist.MANIFEST).read_bytes()

    def failed(_building: Path, _store_dir: Path) -> None:
        raise StoreError("the rename failed")

    monkeypatch.setattr(persist, "_replace", failed)
    del events[:]
    with pytest.raises(StoreError):
        persist.build(store, force=True)
    (_aside, _store, moved), (back, put_back, target) = renames(events)
    assert (put_back, target) == (moved, store)
    assert_synced_after(events, back, tmp_path)
    assert (store / persist.MANIFEST).read_bytes() == manifest


def test_a_store_the_next_load_puts_back_is_synced_in_its_folder(tmp_path, events):
    """A load stopped between its two renames left the old store aside; the next load put it back, unsynced."""
    store = tmp_path / "st"
    persist.build(store)
    aside = tmp_path / ".st.old-stop0001"
    aside.mkdir()
    store.replace(aside / persist.MOVED_ASIDE)
    del events[:]
    assert not persist.build(store).rebuilt
    ((back, moved, target), *_rest) = renames(events)
    assert (moved, target) == (aside / persist.MOVED_ASIDE, store)
    assert_synced_after(events, back, tmp_path)


@pytest.mark.parametrize("folders_open", [True, False], ids=["posix", "by-name"])
def test_the_manifest_a_load_brings_up_to_date_is_synced_then_its_folder(
    make_kg: MakeKG, tmp_path, events, monkeypatch, folders_open
):
    """The records of files touched since the load are written to a new manifest, synced, and renamed over the
    old one; the store's folder was not synced after the rename."""
    data_dir, ontology_dir = make_kg({"a.ttl": PREFIXES + "kgr:a a kg:Chip .\n"})
    store = tmp_path / "s"
    persist.build(store, data_dir, ontology_dir)
    os.utime(data_dir / "a.ttl", ns=(0, 0))
    if not folders_open:  # as on Windows: the manifest is replaced by its name
        monkeypatch.setattr(os, "supports_dir_fd", os.supports_dir_fd - {os.rename})
    del events[:]
    assert not persist.build(store, data_dir, ontology_dir).rebuilt
    ((rename, temporary, target),) = renames(events)
    assert target == store / persist.MANIFEST
    assert [i for i in synced_at(events, temporary) if i < rename], "the new manifest not synced before its rename"
    assert_synced_after(events, rename, store)
    files = json.loads(target.read_text(encoding="utf-8"))["files"]
    assert [entry["mtime_ns"] for entry in files if entry["path"] == str(data_dir / "a.ttl")] == [0]

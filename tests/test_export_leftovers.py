"""A write all or nothing that does not finish leaves nothing behind it for long: killed (SIGKILL, the machine
stopped) between its renames, it leaves its temporary files and the old files it kept aside, which the next write
of the same files removes once it is in; but never the files of a write still under way in the folder.

The writes stopped here are real processes: one kills itself in the middle of its renames, another waits there."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kgraph.export.csv_stream import atomic_folder
from kgraph.export.files import write_files

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and flock")

NAMES = ("a.txt", "b.txt", "c.txt")

#: The children's rename of c.txt, which kills the process (``kill``) or waits for a line on its input (``wait``).
STOPPING_RENAME = """
rename = Path.replace

def replace(self, target):
    if Path(target).name == "c.txt" and self.suffix == ".tmp":
        if how == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        print("renaming", flush=True)
        sys.stdin.readline()
    return rename(self, target)

Path.replace = replace
"""

#: A write of NAMES (``write_files``, or ``atomic_folder``'s streams, as ``kgraph export neo4j`` writes) into the
#: folder argv[1], whose rename of c.txt kills the process (``kill``) or waits for a line on its input (``wait``).
CHILD = (
    """
import os, signal, sys
from pathlib import Path
from kgraph.export.csv_stream import atomic_folder
from kgraph.export.files import write_files

out, how, writer = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
"""
    + STOPPING_RENAME
    + """names = ("a.txt", "b.txt", "c.txt")
if writer == "write_files":
    write_files(out, {name: b"child" for name in names})
else:
    with atomic_folder(out) as sink:
        for name in names:
            sink.open(name).write("child")
"""
)

#: Names beside the files that no write of them makes: left alone.
NOT_OURS = (
    ".a.txt.tmp",  # no random part
    ".a.txt.abcdefghi.old",  # nine characters
    ".other.txt.abcdefgh.old",  # another file's
    "a.txt.abcdefgh.tmp",  # not hidden
    ".b.txt.abcdefgh.bak",
)


def leftovers(out: Path) -> list[str]:
    """The temporary and old files a write of NAMES makes beside them: ``.a.txt.`` and 8 random characters."""
    found = (p.name for p in out.iterdir() if not p.is_dir())
    return sorted(name for name in found if re.fullmatch(r"\.[abc]\.txt\.[a-z0-9_]{8}\.(tmp|old)", name))


def write(out: Path, writer: str, content: str) -> None:
    if writer == "write_files":
        write_files(out, {name: content.encode() for name in NAMES})
        return
    with atomic_folder(out) as sink:
        for name in NAMES:
            sink.open(name).write(content)


def child(out: Path, how: str, writer: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(out), how, writer],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def earlier_output(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    for name in NAMES:
        (out / name).write_text("previous", encoding="utf-8")
    for name in NOT_OURS:
        (out / name).write_text("not ours", encoding="utf-8")
    (out / ".c.txt.abcdefgh.old").mkdir()  # a folder: no write makes one
    return out


def others(out: Path) -> list[str]:
    """Every name in ``out`` but the files written."""
    return sorted(path.name for path in out.iterdir() if path.name not in NAMES)


def contents(out: Path) -> dict[str, str]:
    return {name: (out / name).read_text(encoding="utf-8") for name in NAMES}


@pytest.mark.parametrize("writer", ["write_files", "atomic_folder"])
def test_what_a_killed_write_left_goes_with_the_next_write_of_the_same_files(tmp_path, writer):
    """Killed as it renamed c.txt, a.txt and b.txt in: their old files kept aside, c.txt's temporary file and
    its old one stayed, for good. The next write removes them, and only them, once its own files are in."""
    out = earlier_output(tmp_path)
    killed = child(out, "kill", writer)
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert contents(out) == {"a.txt": "child", "b.txt": "child", "c.txt": "previous"}
    left = leftovers(out)
    assert [name[:7] + name[-4:] for name in left] == [".a.txt..old", ".b.txt..old", ".c.txt..old", ".c.txt..tmp"]
    write(out, writer, "new")
    assert contents(out) == {"a.txt": "new", "b.txt": "new", "c.txt": "new"}
    assert others(out) == sorted([*NOT_OURS, ".c.txt.abcdefgh.old"])


@pytest.mark.parametrize("writer", ["write_files", "atomic_folder"])
def test_a_write_under_way_keeps_its_files_while_another_writes_the_same_ones(tmp_path, writer):
    """A write that waits in the middle of its renames still needs its temporary and old files: another write of
    the same files, meanwhile, finishes without removing them, and the first then finishes as well."""
    out = earlier_output(tmp_path)
    waiting = child(out, "wait", writer)
    try:
        assert waiting.stdout is not None
        assert waiting.stdout.readline() == "renaming\n"
        needed = leftovers(out)
        assert len(needed) == 4  # a.txt's and b.txt's old files, c.txt's old file and its temporary one
        write(out, writer, "new")
        assert contents(out) == {"a.txt": "new", "b.txt": "new", "c.txt": "new"}
        assert leftovers(out) == needed
    finally:
        waiting.communicate("go on\n", timeout=120)
    assert waiting.returncode == 0
    assert contents(out)["c.txt"] == "child"
    assert others(out) == sorted([*NOT_OURS, ".c.txt.abcdefgh.old"])


def open_descriptors() -> list[str]:
    return sorted(path.name for path in Path("/proc/self/fd").iterdir())


@pytest.mark.skipif(sys.platform != "linux", reason="counts descriptors through /proc")
def test_an_interrupt_while_a_write_waits_for_its_folder_leaves_no_descriptor_open(tmp_path, monkeypatch):
    """A Ctrl-C while a write waited for another to tidy the folder left the folder's descriptor open."""
    import fcntl  # noqa: PLC0415

    def interrupted(fd: int, operation: int) -> None:
        raise KeyboardInterrupt

    before = open_descriptors()
    monkeypatch.setattr(fcntl, "flock", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_files(tmp_path, {"a.txt": b"new"})
    assert open_descriptors() == before
    assert list(tmp_path.iterdir()) == []


#: ``kgraph query --output`` and ``kgraph store dump --out``'s write of one file (``write_atomic``) of c.txt into
#: argv[1], whose rename kills the process (``kill``) or waits for a line on its input (``wait``).
ONE_FILE = (
    """
import os, signal, sys
from pathlib import Path
from kgraph.query.files import write_atomic

out, how = Path(sys.argv[1]), sys.argv[2]
"""
    + STOPPING_RENAME
    + """write_atomic(out / "c.txt", b"child")
"""
)


def one_file(out: Path, how: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", ONE_FILE, str(out), how], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def test_a_query_output_under_way_keeps_its_temporary_file_while_another_write_of_it_tidies(tmp_path):
    """``kgraph query --output`` wrote the same temporary files (``.c.txt.XXXXXXXX.tmp``) without the folder's
    lock: another write of the file meanwhile (``kgraph export graphml --output``) took them for a killed write's
    and removed them, and the query failed (``cannot write out/c.txt: No such file or directory``)."""
    out = earlier_output(tmp_path)
    waiting = one_file(out, "wait")
    try:
        assert waiting.stdout is not None
        assert waiting.stdout.readline() == "renaming\n"
        needed = leftovers(out)
        assert [name[:7] + name[-4:] for name in needed] == [".c.txt..tmp"]
        write_files(out, {"c.txt": b"new"})
        assert leftovers(out) == needed
    finally:
        waiting.communicate("go on\n", timeout=120)
    assert waiting.returncode == 0
    assert contents(out)["c.txt"] == "child"


def test_what_a_killed_query_output_left_goes_with_the_next_one(tmp_path):
    """A ``kgraph query --output`` killed before its rename left its temporary file for good: no write tidied
    after a query's."""
    from kgraph.query.files import write_atomic  # noqa: PLC0415

    out = earlier_output(tmp_path)
    killed = one_file(out, "kill")
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert [name[:7] + name[-4:] for name in leftovers(out)] == [".c.txt..tmp"]
    write_atomic(out / "c.txt", b"new")
    assert contents(out)["c.txt"] == "new"
    assert others(out) == sorted([*NOT_OURS, ".c.txt.abcdefgh.old"])


def test_a_folder_only_removed_from_is_held_and_tidied_too(tmp_path):
    """A write that removes an earlier output's file from a folder it writes nothing into (sub/gone.txt) renamed
    it aside there (``.gone.txt.XXXXXXXX.old``) without that folder's lock, so another write could take it for a
    killed write's; and it tidied nothing there: a killed write's old file of gone.txt stayed."""
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "sub" / "gone.txt").write_text("previous", encoding="utf-8")
    (out / "sub" / ".gone.txt.abcdefgh.old").write_text("killed", encoding="utf-8")
    write_files(out, {"a.txt": b"new"}, remove=["sub/gone.txt"])
    assert sorted(path.name for path in (out / "sub").iterdir()) == []

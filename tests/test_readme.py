"""The README's tour shows real output: its examples are run, in the order a reader runs them, and compared.

Every ``$ kgraph ...`` line of a ``console`` block is run on the bundled graph in a folder that holds what
``kgraph build`` wrote, unless it needs what a reader makes by hand or a server (the skipped ones below). Its
output, standard output and standard error as a terminal shows them, must be the block's lines: a ``...`` line
stands for any number of lines, and a duration (``in 0.01 s``) for any. ``kgraph build`` itself, which takes
longer than all the others together, is not run: the files it says it wrote are compared with the committed
``exports/``, which test_exports.py keeps up to date. When the data changes, run the command and paste its
output into the README.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import cli

REPOSITORY = Path(__file__).resolve().parent.parent
README = REPOSITORY / "README.md"

#: Examples that need something the tour does not make: files of the reader's own, a server, a shell.
NOT_RUN = (
    "my-data",  # the reader's own copy of the data, with a mistake in it
    "chips.rq",  # the reader's own query file, with a mistake in it
    "--endpoint",  # a SPARQL server
    "kgraph serve",
    "kgraph push",
)


@dataclass(frozen=True)
class Example:
    line: int  # of the README, for the test's name
    command: str
    shown: tuple[str, ...]


def examples() -> list[Example]:
    """The ``$ kgraph`` commands of the README's console blocks, each with the lines shown after it."""
    text = README.read_text(encoding="utf-8")
    found = []
    for block in re.finditer(r"^```console\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        first = text.count("\n", 0, block.start(1)) + 1
        lines = block.group(1).splitlines()
        at = 0
        while at < len(lines):
            if not lines[at].startswith("$ "):
                at += 1
                continue
            start, command = at, lines[at][2:]
            at += 1
            while command.count("'") % 2 and at < len(lines):  # a query over several lines, in quotes
                command += "\n" + lines[at]
                at += 1
            shown = []
            while at < len(lines) and not lines[at].startswith("$ "):
                shown.append(lines[at])
                at += 1
            while shown and not shown[-1]:
                shown.pop()
            if command.startswith("kgraph ") and not re.search(r"[|>&]", command.split("'")[0]):
                found.append(Example(first + start, command, tuple(shown)))
    return found


EXAMPLES = examples()
RUN = [
    example
    for example in EXAMPLES
    if example.command != "kgraph build" and not any(part in example.command for part in NOT_RUN)
]
BUILD = next(example for example in EXAMPLES if example.command == "kgraph build")


def _duration(line: str) -> str:
    return re.sub(r"\b\d+\.\d+ s\b", "N s", line.rstrip())


def agrees(shown: tuple[str, ...], printed: list[str]) -> bool:
    """Whether ``printed`` is ``shown``, a ``...`` line standing for any number of lines."""

    @cache
    def from_(i: int, j: int) -> bool:
        if i == len(shown):
            return j == len(printed)
        if shown[i].strip() == "...":
            return any(from_(i + 1, k) for k in range(j, len(printed) + 1))
        return j < len(printed) and _duration(shown[i]) == _duration(printed[j]) and from_(i + 1, j + 1)

    return from_(0, 0)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[Example, list[str]]]:
    """What each example prints, run one after the other in one folder (a store loaded, exports built)."""
    folder = tmp_path_factory.mktemp("tour")
    shutil.copytree(REPOSITORY / "exports", folder / "exports")  # the reader ran kgraph build first
    outputs: dict[Example, list[str]] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        for example in RUN:
            result = CliRunner().invoke(cli, shlex.split(example.command)[1:], catch_exceptions=False)
            outputs[example] = result.output.rstrip("\n").splitlines()
        yield outputs


def test_the_tour_is_run():
    """The examples are found, and most are run (a change to the README's blocks must not leave them unchecked)."""
    commands = [example.command for example in RUN]
    assert "kgraph export neo4j" in commands
    assert "kgraph load --store kgraph-store" in commands
    assert len(RUN) > len(EXAMPLES) / 2


@pytest.mark.parametrize("example", RUN, ids=[f"line {e.line}: {e.command[:60]}" for e in RUN])
def test_the_readme_shows_what_the_command_prints(example, printed):
    assert agrees(example.shown, printed[example]), "\n".join(["printed:", *printed[example]])


def test_the_readme_shows_what_kgraph_build_writes(printed):
    """Each file at the size the committed exports/ have, after the lines that validate and export neo4j print."""
    neo4j = next(example for example in RUN if example.command == "kgraph export neo4j")
    validate = next(example for example in RUN if example.command == "kgraph validate")
    assert BUILD.shown[:2] == (printed[neo4j][0], printed[validate][0])  # loaded ...; Conforms: ...
    for line in BUILD.shown[2:]:
        wrote = re.fullmatch(r"wrote (\S+) \(([\d,]+) bytes\)", line)
        if wrote:
            assert f"{(REPOSITORY / wrote[1]).stat().st_size:,}" == wrote[2], line
        else:
            assert line == "..." or re.fullmatch(r"done in \d+\.\d s", line), line


def test_the_comparison_takes_dots_for_lines_and_any_duration():
    assert agrees(("a", "...", "done in 0.3 s"), ["a", "b", "c", "done in 12.5 s"])
    assert agrees(("a", "..."), ["a"])
    assert not agrees(("a", "...", "z"), ["a", "b"])
    assert not agrees(("4216 triples",), ["4217 triples"])

"""A table wider than the terminal is printed a record a row (``--tables auto``, ``$KGRAPH_TABLES``), as psql's
``\\x auto``; to a pipe or a file it stays the table, byte for byte. The terminal is a real one (a pseudo-terminal
of the width asked) where the command runs in its own process, and a faked one (:func:`kgraph.cli_common.
stdout_is_terminal`, ``$COLUMNS``) under click's runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner

from kgraph import cli_common
from kgraph.cli import cli
from kgraph.text import display_width

pty = pytest.importorskip("pty")  # POSIX only, as termios and fcntl
fcntl = pytest.importorskip("fcntl")
termios = pytest.importorskip("termios")

README = Path(__file__).resolve().parent.parent / "README.md"
ANNOUNCEMENTS = ["queries", "run", "announcement-figures", "--param", "event=AWS re:Invent 2025 keynote"]


def in_terminal(*args: str, columns: int = 80, cwd: Path | None = None) -> tuple[str, int]:
    """What ``kgraph ARGS`` prints to a terminal ``columns`` wide (its standard output; standard error is a pipe),
    and its exit code. ``$COLUMNS`` is left out: the width is the terminal's own."""
    import struct  # noqa: PLC0415 - the terminal's size, for these tests only

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    environment = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}
    process = subprocess.Popen(
        [sys.executable, "-m", "kgraph", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=environment,
        cwd=cwd,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 1 << 16)
        except OSError:  # EIO: the command closed the terminal's last open end
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.communicate()
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n"), process.returncode


def piped(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "kgraph", *args], capture_output=True, text=True, encoding="utf-8", check=True
    )
    return done.stdout


def test_a_wide_answer_in_an_80_column_terminal_is_a_record_a_row():
    """announcement-figures is 470 columns wide; each row is a record, its empty values left out, and the README
    shows the first records as they are printed."""
    text, code = in_terminal(*ANNOUNCEMENTS)
    assert code == 0
    lines = text.splitlines()
    shown = README.read_text(encoding="utf-8").split("```text\n$ kgraph queries run announcement-figures")[1]
    shown_lines = shown.split("\n...\n```")[0].splitlines()[1:]
    assert len(shown_lines) > 20
    assert lines[: len(shown_lines)] == shown_lines
    assert lines[0] == "-[ 1 ]" + "-" * 74
    assert lines[1] == "announcement: AgentCore Evaluations (kgr:agentcore-evaluations)"
    assert lines[2] == "status:       launched (kg:Launched)"
    assert "-[ 2 ]" + "-" * 74 + "\nannouncement: AgentCore Policy (kgr:agentcore-policy)\nstatus:" in text
    assert max(display_width(line) for line in lines) <= 80
    assert not any(line.endswith(" ") for line in lines)


def test_a_table_that_fits_the_terminal_or_goes_to_a_pipe_is_the_table():
    """kgraph queries is 79 columns wide: in 80 the same table as through a pipe, in 60 a record a query."""
    table = piped("queries")
    assert table.startswith("name  ")
    assert in_terminal("queries") == (table, 0)
    narrow, code = in_terminal("queries", columns=60)
    assert code == 0
    assert narrow.startswith("-[ 1 ]---")
    assert max(display_width(line) for line in narrow.splitlines()) <= 60


def test_a_wide_answer_to_a_pipe_or_a_file_or_asked_wide_is_the_table(tmp_path):
    table = piped(*ANNOUNCEMENTS)
    assert table.startswith("announcement  ")
    assert in_terminal("--tables", "wide", *ANNOUNCEMENTS) == (table, 0)
    assert in_terminal(*ANNOUNCEMENTS, "--output", "answer.txt", cwd=tmp_path) == ("", 0)
    assert (tmp_path / "answer.txt").read_text(encoding="utf-8") == table


# ------------------------------------------------------------------ the same, in a terminal faked under click's runner


def run(*args: str, columns: int = 80, tables: str | None = None, terminal: bool = True) -> tuple[str, int]:
    """What ``kgraph ARGS`` prints, and its exit code, to a terminal ``columns`` wide, or with ``terminal=False``
    to a pipe; ``tables``: ``$KGRAPH_TABLES``."""
    environment = {"COLUMNS": str(columns), "KGRAPH_TABLES": tables}
    with mock.patch.object(cli_common, "stdout_is_terminal", lambda: terminal):
        result = CliRunner().invoke(cli, list(args), env=environment, catch_exceptions=False)
    return result.stdout, result.exit_code


@pytest.mark.parametrize(
    ("args", "first"),
    [
        (["entities", "--type", "Chip"], "-[ 1 ]"),
        (["stats"], "Graph\n-[ 1 ]"),
        (["rank", "--top", "3"], "-[ 1 ]"),
        (["communities", "--co-usage"], "Products that share customers\n-[ 1 ]"),
        (["lineage", "Trainium3"], "Trainium2 -> Trainium3 -> Trainium4\n\nTrainium3 succeeds Trainium2\n  -[ 1 ]"),
        (["queries"], "-[ 1 ]"),
        (["query", "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s LIMIT 2"], "-[ 1 ]"),
    ],
)
def test_every_table_of_every_command_is_a_record_a_row_in_a_narrow_terminal(args, first):
    text, code = run(*args, columns=40)
    assert code == 0
    assert text.startswith(first)
    assert max(display_width(line) for line in text.splitlines()) <= 40
    wide, code = run(*args, columns=40, tables="wide")
    assert (code, wide) == (0, run(*args, terminal=False)[0])  # the table, as to a pipe
    assert "-[ 1 ]" not in wide


def test_records_are_asked_for_to_a_pipe_too():
    """``KGRAPH_TABLES=records`` (or ``--tables records``): every table with rows, even one that fits."""
    text, code = run("--tables", "records", "entities", "--type", "Chip", "--lang", "en", terminal=False)
    assert code == 0
    assert text.startswith("-[ 1 ]----------------------\nname:          graviton\nclass:         Chip\n")
    assert (
        run("entities", "--type", "Chip", tables="records", terminal=False)[0]
        == run("--tables", "records", "entities", "--type", "Chip", terminal=False)[0]
    )


def test_chinese_names_and_values_of_a_record_line_up():
    text, code = run("entities", "--type", "Chip", "--lang", "zh", columns=20)
    assert code == 0
    assert text.startswith("-[ 1 ]-------------\n名称:     graviton\n类:       芯片\n中文标签: Graviton\n")
    values = [line.split(":", 1) for line in text.splitlines() if not line.startswith("-[")]
    assert {display_width(name) + 1 + len(value) - len(value.lstrip(" ")) for name, value in values} == {10}


def test_an_empty_answer_is_its_header_and_an_ask_answer_its_word_and_exit_code():
    empty = "SELECT ?announcement ?status ?metric ?value ?unit ?basis WHERE { FILTER(false) }"
    assert run("query", empty, columns=20, tables="records") == (
        "announcement  status  metric  value  unit  basis\n------------  ------  ------  -----  ----  -----\n",
        0,
    )
    assert run("query", "ASK { kg:nothing ?p ?o }", columns=20, tables="records") == ("no\n", 1)


def test_a_value_with_a_line_break_stays_in_its_record():
    query = 'SELECT ?note ?n WHERE { BIND("first line\\nsecond line, and more" AS ?note) BIND(1 AS ?n) }'
    assert run("query", query, columns=30)[0] == (
        "-[ 1 ]------------------------\nnote: first line second line,\n      and more\nn:    1\n"
    )

"""The README's tour shows real output: its examples are run, in the order a reader runs them, and compared.

Every ``$ kgraph ...`` line of a ``console`` block is run on the bundled graph in a folder that holds what
``kgraph build`` wrote; one that needs what a reader makes by hand (``my-data/``, ``chips.rq``) is run in a folder
of its own, where the test makes it as the README's text describes, one at an Oxigraph server after the block's
``oxigraph`` lines that start it, and ``kgraph serve`` with the ``curl`` lines after it, each server on a free
port. Its output, standard output and standard error as a terminal shows them, must be the block's lines: a
``...`` line stands for any number of lines, and a duration (``in 0.01 s``) for any. ``kgraph build`` itself,
which takes longer than all the others together, is not run: the files it says it wrote are compared with the
committed ``exports/``, which test_exports.py keeps up to date. When the data changes, run the command and paste
its output into the README.
"""

from __future__ import annotations

import importlib
import re
import shlex
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from test_push import _binary, _free_port

REPOSITORY = Path(__file__).resolve().parent.parent
README = REPOSITORY / "README.md"

#: Examples that need something the tour does not make: files of the reader's own, a server. They are not run in
#: the tour's folder, but each by a test below that makes what the README says the reader makes or starts.
NOT_RUN = (
    "my-data",  # a copy of the data with a file of the reader's own: MY_DATA makes it
    "chips.rq",  # the reader's own query file, with a mistake in it
    "--endpoint",  # an Oxigraph server, which the lines before it start: test_an_example_at_an_oxigraph_server_...
    "kgraph push",  # the same
    "kgraph serve",  # a server of its own, on a free port: test_the_serve_example_shows_its_banner_...
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


def _first_questions() -> list[str]:
    """The commands of the table under "Set up" that answers a newcomer's first questions."""
    table = README.read_text(encoding="utf-8").split("| to find | run |", 1)[1].split("\n\n", 1)[0]
    return [command for row in table.splitlines()[1:] for command in re.findall(r"`(kgraph [^`]+)`", row)]


def test_the_first_questions_are_asked():
    """The table is found, and has the questions a newcomer asks first."""
    commands = " ".join(_first_questions())
    for asked in ("customers-of", "products-using-chip", "models-on-platform", "lineage", "announcement-figures"):
        assert asked in commands


@pytest.mark.parametrize("command", _first_questions())
def test_each_first_question_gets_an_answer(command):
    """Each command of the table runs on the bundled graph and answers: no error, and rows under a table's
    header (or a page about an entity, a path), not an empty table."""
    result = CliRunner().invoke(cli, shlex.split(command)[1:], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip("\n").splitlines()
    assert lines
    if len(lines) > 1 and set(lines[1]) <= {"-", " "}:  # a table: its header, its rule, then its rows
        assert len(lines) > 2, result.output


def test_the_comparison_takes_dots_for_lines_and_any_duration():
    assert agrees(("a", "...", "done in 0.3 s"), ["a", "b", "c", "done in 12.5 s"])
    assert agrees(("a", "..."), ["a"])
    assert not agrees(("a", "...", "z"), ["a", "b"])
    assert not agrees(("4216 triples",), ["4217 triples"])


# ------------------------------------------------------------------------------- the reader's own files


def _turtle_before(line: int) -> str:
    """The README's last ``turtle`` block before its line ``line``: the file of the reader's own it shows."""
    text = README.read_text(encoding="utf-8")
    blocks = [
        block.group(1)
        for block in re.finditer(r"^```turtle\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
        if text.count("\n", 0, block.start()) + 1 < line
    ]
    assert blocks, f"no turtle block before README.md:{line}"
    return blocks[-1]


_MINE = """\
@prefix kg:     <https://w3id.org/kgraph/ontology#> .
@prefix kgr:    <https://w3id.org/kgraph/resource/> .
@prefix src:    <https://w3id.org/kgraph/source/reinvent-2025-keynote/> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix my:     <https://example.org/my/> .
"""


def _mine(text: str) -> Callable[[Path, int], None]:
    def make(folder: Path, _line: int) -> None:
        (folder / "99-mine.ttl").write_text(text, encoding="utf-8")

    return make


def _utf16(folder: Path, _line: int) -> None:
    path = folder / "02-opening.trig"
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-16")


def _trig_as_turtle(folder: Path, _line: int) -> None:
    (folder / "01-overview.trig").rename(folder / "01-overview.ttl")


#: What the reader puts in ``my-data/`` (a copy of ``data/``) before each ``--data my-data`` example, as the text
#: before the example says, by what the example prints. The first is the README's own turtle block.
MY_DATA: dict[str, Callable[[Path, int], None]] = {
    "Violation: My Chip": lambda folder, line: _mine(_turtle_before(line))(folder, line),
    "Warning: Trainium3": _mine(
        _MINE
        + """
my:trainium3 a kg:Company ;
    rdfs:label "Trainium3"@en , "训练芯片三"@zh ;
    schema:description "A company of my own."@en ;
    prov:wasDerivedFrom src:ai-infrastructure .
"""
    ),
    "Violation: Nimbus Bank": _mine(
        _MINE
        + """
kgr:nimbus-bank a kg:Company ;
    rdfs:label "Nimbus Bank"@en , "宁巴斯银行"@zh ;
    schema:description "A bank of my own."@en ;
    kg:usess kgr:amazon-bedrock ;
    prov:wasDerivedFrom src:ai-infrastructure .
"""
    ),
    "kgsh:MisspeltTermShape": _mine(
        _MINE
        + """@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .

kgr:nimbus-bank a kg:Company ;
    rdfs:label "Nimbus Bank"@en , "宁巴斯银行"@zh ;
    skos:altlabel "Nimbus"@en ;
    schema:description "A bank of my own."@en ;
    prov:wasDerivedFrom src:ai-infrastructure .
"""
    ),
    "the file holds no triples": _mine(_MINE + "\n# to do: my company\n"),
    "expected a ';' or a '.' before my:y": _mine(
        _MINE
        + """
my:x a kg:Company ;
    rdfs:label "X"@en , "X"@zh ;
    prov:wasDerivedFrom src:overview
my:y a kg:Company .
"""
    ),
    "the file is UTF-16 text": _utf16,
    "the file holds named graphs": _trig_as_turtle,
    "xsd:int literals are stored as xsd:integer": _mine(
        """\
@prefix kg:  <https://w3id.org/kgraph/ontology#> .
@prefix kgf: <https://w3id.org/kgraph/figure/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

kgf:my-figure kg:value "4"^^xsd:int .
kgf:my-other-figure kg:value "5"^^xsd:int .
kgf:my-third-figure kg:value "6"^^xsd:int .
"""
    ),
}

ON_MY_DATA = [example for example in EXAMPLES if "my-data" in example.command.split()]


def _made_by(example: Example) -> str:
    shown = "\n".join(example.shown)
    keys = [key for key in MY_DATA if key in shown]
    assert len(keys) == 1, f"README.md:{example.line}: say in MY_DATA what the reader puts in my-data for it"
    return keys[0]


def test_every_file_of_the_reader_s_own_is_in_an_example():
    """Each entry of MY_DATA makes the files of an example still in the README (or it would test nothing)."""
    assert sorted({_made_by(example) for example in ON_MY_DATA}) == sorted(MY_DATA)


@pytest.mark.parametrize("example", ON_MY_DATA, ids=[f"line {e.line}" for e in ON_MY_DATA])
def test_an_example_on_my_data_shows_what_the_command_prints(example, tmp_path, monkeypatch):
    """Run on a copy of the bundled data with the file the README's text describes; the README's lines of the
    UTF-16 and TriG examples named files the data has never had (02-customers.ttl, 01-chips.ttl) and its load
    of a file that does not parse left out the line ``reading 16 files`` printed before the error."""
    shutil.copytree(REPOSITORY / "data", tmp_path / "my-data")
    MY_DATA[_made_by(example)](tmp_path / "my-data", example.line)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, shlex.split(example.command)[1:], catch_exceptions=False)
    printed = result.output.rstrip("\n").splitlines()
    assert agrees(example.shown, printed), "\n".join(["printed:", *printed])


def test_the_example_of_a_query_file_with_a_mistake_shows_what_the_command_prints(tmp_path, monkeypatch):
    """``chips.rq`` as the reader wrote it: the line the error shows is its fifth."""
    (example,) = [example for example in EXAMPLES if "chips.rq" in example.command]
    (tmp_path / "chips.rq").write_text(
        "# The chips and their makers\n"
        "SELECT ?chip ?maker WHERE {\n"
        "  ?chip a kg:Chip ;\n"
        "        kg:developedBy ?maker .\n"
        "  FILTER (?maker = )\n"
        "}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, shlex.split(example.command)[1:], catch_exceptions=False)
    printed = result.output.rstrip("\n").splitlines()
    assert agrees(example.shown, printed), "\n".join(["printed:", *printed])


# ------------------------------------------------------------------------------------------- a SPARQL server

#: The examples that send to an Oxigraph server: each is run after the ``$ oxigraph`` lines of its block before it.
AT_OXIGRAPH = [e for e in EXAMPLES if "--endpoint" in e.command]
_ADDRESS = re.compile(r"\b(localhost|127\.0\.0\.1):(\d+)\b")


def _commands_before(example: Example) -> list[str]:
    """The ``$`` lines of the example's console block that come before it."""
    lines = README.read_text(encoding="utf-8").splitlines()[: example.line - 1]
    opening = max(at for at, line in enumerate(lines) if line.startswith("```"))
    return [line[2:] for line in lines[opening + 1 :] if line.startswith("$ ")]


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"oxigraph stopped with exit code {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:  # not listening yet
            time.sleep(0.05)
    raise AssertionError("oxigraph did not start within 30 s")


@pytest.mark.parametrize("example", AT_OXIGRAPH, ids=[f"line {e.line}" for e in AT_OXIGRAPH])
def test_an_example_at_an_oxigraph_server_shows_what_the_command_prints(example, tmp_path, monkeypatch):
    """The block's ``oxigraph`` commands are run as written, with its ports replaced by free ones (one that no
    command starts a server on stays closed), and so is the example. The README showed the table of
    ``--endpoint`` with its rows two columns out of line with its header."""
    ports: dict[str, str] = {}

    def local(text: str) -> str:
        def replace(found: re.Match[str]) -> str:
            if found[2] not in ports:
                ports[found[2]] = str(_free_port())
            return f"{found[1]}:{ports[found[2]]}"

        return _ADDRESS.sub(replace, text)

    (tmp_path / "exports").mkdir()
    shutil.copy(REPOSITORY / "exports" / "kgraph.nq", tmp_path / "exports")
    monkeypatch.chdir(tmp_path)
    servers: list[subprocess.Popen[bytes]] = []
    try:
        for command in _commands_before(example):
            words = shlex.split(local(command))
            if words[0] != "oxigraph":
                continue
            if words[-1] == "&":
                server = subprocess.Popen(
                    [_binary(), *words[1:-1]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
                servers.append(server)
                bound = _ADDRESS.search(local(command))
                assert bound is not None, command
                _wait_for(int(bound[2]), server)
            else:
                subprocess.run([_binary(), *words[1:]], check=True, capture_output=True)
        assert servers, f"README.md:{example.line}: no oxigraph server is started before the example"
        result = CliRunner().invoke(cli, shlex.split(local(example.command))[1:], catch_exceptions=False)
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)
    printed = result.output.rstrip("\n").splitlines()
    assert agrees(tuple(local(line) for line in example.shown), printed), "\n".join(["printed:", *printed])


# ------------------------------------------------------------------------------------------------ kgraph serve


def _block_from(example: Example) -> list[tuple[str, tuple[str, ...]]]:
    """The commands of the example's console block from it on (a line that ends in ``\\`` continued by the next),
    each with the lines shown after it."""
    lines = README.read_text(encoding="utf-8").splitlines()[example.line - 1 :]
    lines = lines[: next(at for at, line in enumerate(lines) if line.startswith("```"))]
    found: list[tuple[str, list[str]]] = []
    at = 0
    while at < len(lines):
        command = lines[at][2:]
        while command.endswith("\\"):
            at += 1
            command = command[:-1] + lines[at].strip()
        shown: list[str] = []
        at += 1
        while at < len(lines) and not lines[at].startswith("$ "):
            shown.append(lines[at])
            at += 1
        found.append((command, shown))
    return [(command, tuple(shown)) for command, shown in found]


def _curl(command: str) -> list[str]:
    """What ``curl -s [-H HEADER] [--data-urlencode NAME=TEXT] URL`` prints: the body of the answer, error or not."""
    words = shlex.split(command)
    assert words[:2] == ["curl", "-s"], command
    headers, form, url = {}, [], None
    rest = iter(words[2:])
    for word in rest:
        if word == "-H":
            name, value = next(rest).split(":", 1)
            headers[name] = value.strip()
        elif word == "--data-urlencode":
            form.append(tuple(next(rest).split("=", 1)))
        else:
            assert url is None and not word.startswith("-"), command
            url = word
    assert url is not None and url.startswith("http://"), command
    data = urlencode(form).encode() if form else None
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - http only
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - the test's own server
            body = answer.read()
    except urllib.error.HTTPError as error:
        body = error.read()
    return body.decode("utf-8").splitlines()


def test_the_serve_example_shows_its_banner_and_what_its_requests_get():
    """``kgraph serve`` is run as written but on a free port (``--port 0``) in place of 8000, and each ``curl``
    after it is sent as curl sends it; the banner (on standard error) and each answer must be the block's lines."""
    from test_serve import start_server, stop  # noqa: PLC0415 - the servers test_serve starts

    (example,) = [example for example in EXAMPLES if example.command == "kgraph serve"]
    (_, banner), *requests = _block_from(example)
    server = start_server(*shlex.split(example.command)[1:])
    try:
        deadline = time.monotonic() + 30
        while not any(line.startswith("Ctrl-C") for line in server.log) and time.monotonic() < deadline:
            time.sleep(0.05)
        here = server.url.removeprefix("http://")
        printed = [line.rstrip("\n") for line in server.log]
        assert agrees(tuple(line.replace("127.0.0.1:8000", here) for line in banner), printed), "\n".join(printed)
        assert [command.split()[0] for command, _ in requests] == ["curl"] * len(requests)
        for command, shown in requests:
            answer = _curl(command.replace("127.0.0.1:8000", here))
            assert agrees(shown, answer), "\n".join([command, "printed:", *answer])
    finally:
        stop(server)


def test_the_union_of_the_named_graphs_repeats_what_the_readme_says():
    """The facts the union of the named graphs repeats (``32 of them here``) are the bundled graph's."""
    from kgraph import load  # noqa: PLC0415

    loaded = load()
    repeats = Counter(quad[:3] for quad in loaded.dataset.quads((None, None, None, None)))
    said = re.search(r"repeats a fact stated in two\s+sections: (\d+) of them here", README.read_text(encoding="utf-8"))
    assert said is not None
    assert int(said[1]) == sum(count - 1 for count in repeats.values())


def test_the_readme_names_every_suffix_that_implies_a_format():
    """``--output r.txt`` writes the table, which the README's list of suffixes left out."""
    from kgraph.query.formats import FORMAT_OF_SUFFIX  # noqa: PLC0415

    text = " ".join(README.read_text(encoding="utf-8").split())
    listed = re.search(r"takes the format from its suffix \(([^)]*)\)", text)
    assert listed is not None
    assert set(re.findall(r"`(\.\w+)`", listed[1])) == set(FORMAT_OF_SUFFIX)


def test_kgraph_help_names_every_exit_code_the_readme_lists():
    """``kgraph --help`` listed 0-3 and 130, not 143 and 129 (SIGTERM, SIGHUP), which the README's table has."""
    table = README.read_text(encoding="utf-8").split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    codes = {code for row in re.findall(r"^\| ([\d, ]+) \|", table, flags=re.M) for code in re.findall(r"\d+", row)}
    assert codes >= {"0", "1", "2", "3", "130", "143", "129"}
    said = " ".join(CliRunner().invoke(cli, ["--help"]).output.split()).split("Exit codes:", 1)[1]
    assert [code for code in sorted(codes) if not re.search(rf"\b{code}\b", said)] == []


# ------------------------------------------------------------------------------------------------ Python API


def python_blocks() -> list[tuple[int, str]]:
    """The README's ``python`` blocks, each with its first line's number."""
    text = README.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, block.start(1)) + 1, block.group(1))
        for block in re.finditer(r"^```python\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    ]


@pytest.mark.parametrize(
    ("line", "code"), python_blocks(), ids=lambda value: str(value) if isinstance(value, int) else ""
)
def test_the_python_examples_run_as_written(line, code, capsys):
    """Each ``python`` block runs as a reader pastes it, and prints nothing on standard error."""
    exec(compile(code, f"README.md:{line}", "exec"), {})  # noqa: S102 - the README's own example
    assert capsys.readouterr().err == ""


def test_the_python_api_table_names_what_a_loaded_graph_has(store_dir):
    """Each attribute of the README's ``LoadedGraph`` table is there, in memory and from ``open_store``, and is of
    the kind the table says; the names ``help(kgraph)`` points to exist."""
    import kgraph  # noqa: PLC0415
    from kgraph import persist  # noqa: PLC0415
    from kgraph.store import load  # noqa: PLC0415

    text = README.read_text(encoding="utf-8")
    table = text[text.index("`load()` returns a `LoadedGraph`:") : text.index("Errors are `kgraph.errors.KGraphError`")]
    names = {
        name for row in table.splitlines() if row.startswith("| `") for name in re.findall(r"`(\w+)", row.split("|")[1])
    }
    assert names == {
        "graph", "dataset", "inferred", "ontology", "ontology_files", "data_files", "files", "rules", "is_asserted",
        "graphs_of", "warnings", "fingerprint", "store_dir", "store_built_by", "store_outdated", "store_files",
        "prefixes", "close",
    }  # fmt: skip
    in_memory, on_store = load(), persist.open_store(store_dir)
    for loaded in (in_memory, on_store):
        assert all(hasattr(loaded, name) for name in names)
        assert loaded.dataset.default_union
        assert loaded.files == loaded.ontology_files + loaded.data_files
        assert loaded.rules == ("customer-of.rq", "time-range.rq")
        assert len(loaded.fingerprint) == 64
        triple = next(iter(loaded.inferred))
        assert not loaded.is_asserted(triple) and loaded.graphs_of(triple)
    assert (in_memory.store_dir, on_store.store_dir) == (None, store_dir)
    assert in_memory.fingerprint == on_store.fingerprint
    assert in_memory.store_files == {}
    assert set(on_store.store_files) == set(on_store.files)
    assert all(len(kept.sha256 or "") == 64 for kept in on_store.store_files.values())
    modules = dict(re.findall(r"- ``(kgraph\.\w+)``: (.*?)(?=\n- |\Z)", kgraph.__doc__ or "", re.DOTALL))
    assert set(modules) == {"kgraph.persist", "kgraph.query", "kgraph.analysis", "kgraph.explore", "kgraph.errors"}
    for module, said in modules.items():
        for name in re.findall(r"``(\w+)(?:\(|``)", said):
            assert hasattr(importlib.import_module(module), name), (module, name)

"""The kgraph command line: output, exit codes, stdout for data and stderr for the rest."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import threading
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

import kgraph
from conftest import MINI_ONTOLOGY, PREFIXES, setting_back
from kgraph import cli_query
from kgraph.cli import LAZY_COMMANDS, cli
from kgraph.cli_common import TERMINATING, Terminated
from kgraph.cli_export import export
from kgraph.resources import default_data_dir, default_ontology_dir
from kgraph.store import display_path
from test_explore import ONTOLOGY, WORLD

REPOSITORY = Path(__file__).resolve().parent.parent


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[str]:
    """Every command and sub-command, as it is typed after ``kgraph`` (``show``, ``export neo4j``)."""
    paths = []
    context = click.Context(group)
    for name in group.list_commands(context):  # lazy commands included
        command = group.get_command(context, name)
        paths.append(" ".join((*prefix, name)))
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, (*prefix, name)))
    return paths


COMMANDS = _command_paths(cli)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def world(make_kg) -> list[str]:
    data_dir, ontology_dir = make_kg({"world.trig": WORLD}, {"kgraph.ttl": ONTOLOGY})
    return ["--data", str(data_dir), "--ontology", str(ontology_dir)]


# ------------------------------------------------------------------------------------------ start-up

#: What a query does not need, so that ``kgraph query`` starts as fast as a plain rdflib script (bench/query_cold.py).
NOT_FOR_A_QUERY = (
    "kgraph.validation",  # SHACL: kgraph validate and build
    "kgraph.explore",  # the records of show, entities, stats
    "kgraph.formatting",
    "kgraph.export",
    "kgraph.analysis",
    "kgraph.viewer",
    "kgraph.persist",
    "pyshacl",
    "networkx",
    "pyvis",
    "pyoxigraph",
    "tomllib",  # read only when there is a kgraph.toml
    "ctypes",  # only to stop a query past its time limit
)


def _modules_after(args: list[str], folder: Path, ran: str = "kgr:") -> set[str]:
    """The modules a command (``kgraph ARGS``, whose output holds ``ran``: a query that lists chips, say) leaves
    loaded, run in a fresh interpreter in ``folder``: which modules, not how long they take."""
    script = (
        "import sys\n"
        "from kgraph.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=folder, check=True)
    assert ran in done.stdout  # the command did run
    return set(done.stderr.split("\n")[-2].split())


def test_a_query_imports_only_what_it_needs(tmp_path, monkeypatch):
    """From kgraph's cache, as every query on unchanged files is answered, a query imports none of
    :data:`NOT_FOR_A_QUERY`; one that parses the files imports pyoxigraph too, whose parser checks each file
    (:func:`kgraph.store.parse_file`: 4 ms of a load of about 0.4 s)."""
    monkeypatch.setenv("KGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    query = ["query", "SELECT ?chip WHERE { ?chip a kg:Chip } LIMIT 1"]
    parsing = _modules_after(query, tmp_path)
    assert "kgraph.query" in parsing  # and the list is the one printed last
    assert [name for name in NOT_FOR_A_QUERY if name in parsing] == ["pyoxigraph"]
    cached = _modules_after(query, tmp_path)
    assert [name for name in NOT_FOR_A_QUERY if name in cached] == []


@pytest.mark.parametrize(
    ("args", "ran"),
    [(["show", "Trainium3"], "kgr:trainium3"), (["entities", "--type", "Chip"], "graviton"), (["stats"], "kg:")],
)
def test_the_records_of_the_graph_load_no_shacl(tmp_path, args, ran):
    """show, entities and stats print through kgraph.formatting, which imported kgraph.validation (and with it the
    validation scope and the cache's SHACL records) for the type names of a report: 12 MB and about 0.1 s of
    every such command, for a report none of them prints."""
    loaded = _modules_after(args, tmp_path, ran)
    assert "kgraph.formatting" in loaded
    assert [name for name in ("kgraph.validation", "kgraph.shacl_scope", "pyshacl") if name in loaded] == []


@pytest.mark.parametrize("group", [[], ["export"]], ids=["kgraph", "export"])
def test_help_lists_the_commands_without_importing_them(tmp_path, group):
    """``kgraph --help`` imported every command's module to list them (networkx, the exports, the server, the
    viewer): 0.47 s and 53 MB for a list of one-line summaries; ``kgraph export --help`` the exports, 0.43 s."""
    loaded = _modules_after([*group, "--help"], tmp_path, ran="Commands:")
    lazy = [*LAZY_COMMANDS.values(), *export.lazy.values()]
    modules = sorted({target.partition(":")[0] for target in lazy if not target.startswith("kgraph.cli_export:")})
    heavy = (*modules, "networkx", "kgraph.export", "pyvis")
    assert [name for name in heavy if name in loaded] == []
    assert "kgraph.cli" in loaded  # and the list is the one printed last


@pytest.mark.parametrize("group", [cli, export], ids=["kgraph", "export"])
def test_help_says_of_each_command_what_the_command_says_of_itself(group):
    """The summary ``--help`` shows of a command not imported is its help's first paragraph, as click shortens it
    to any width; and every lazy command has one, so that none is imported to be listed."""
    assert sorted(group.summaries) == sorted(group.lazy)
    context = click.Context(group)
    for name, summary in group.summaries.items():
        command = group.get_command(context, name)
        assert command is not None
        stand_in = click.Command(name, help=summary)
        for limit in range(10, 200):
            assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), (name, limit)


@pytest.mark.parametrize("group", [[], ["export"]], ids=["kgraph", "export"])
def test_help_lists_the_same_commands_before_and_after_they_are_imported(group):
    listed = run(*group, "--help")
    assert listed.exit_code == 0
    for each in (cli, export):
        context = click.Context(each)
        for name in each.lazy:
            each.get_command(context, name)  # imported now, if not yet
    assert run(*group, "--help").output == listed.output
    assert "Write the graph of entities as GEXF 1.2" in run("export", "--help").output


#: What a query on a store does not need either: what builds a store (the loader threads, the name index's SQLite,
#: which only a name look-up opens) and rdflib's Turtle parser (nothing is parsed).
NOT_FOR_A_STORE_QUERY = (
    *(name for name in NOT_FOR_A_QUERY if name not in ("kgraph.persist", "pyoxigraph")),
    "sqlite3",
    "concurrent.futures",
    "rdflib.plugins.parsers.notation3",
)


def test_a_query_on_a_store_imports_only_what_it_needs(tmp_path):
    """Each module loaded is memory a query command holds at its peak (a store query's floor is the libraries)."""
    store = tmp_path / "store"
    assert run("load", "--store", store).exit_code == 0
    loaded = _modules_after(
        ["--store", str(store), "query", "SELECT ?chip WHERE { ?chip a kg:Chip } ORDER BY ?chip"], tmp_path
    )
    assert {"kgraph.persist", "pyoxigraph"} <= loaded  # on the store, and the list is the one printed last
    unexpected = [name for name in NOT_FOR_A_STORE_QUERY if name in loaded]
    assert unexpected == []


def test_the_package_attributes_load_on_first_use():
    """``kgraph.validate`` (the function) and ``kgraph.ValidationReport`` come from kgraph.validation when asked."""
    from kgraph.validation import ValidationReport, validate  # noqa: PLC0415

    assert kgraph.validate is validate
    assert kgraph.ValidationReport is ValidationReport
    assert set(kgraph.__all__) <= set(dir(kgraph)) | {"validate", "ValidationReport"}
    assert "TYPE_CHECKING" not in dir(kgraph)  # mypy's name, not the package's
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = kgraph.no_such_thing


# ------------------------------------------------------------------------------------------ help and docs


def test_the_commands():
    assert {"build", "entities", "export", "show", "stats", "validate"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = run(*command.split(), "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert f"kgraph {command}" in result.stdout.split("Example:")[1] or "kgraph --data" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    assert f"kgraph {command}" in readme


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_folder_option_is_shown_as_dir(command):
    """--help showed --store DIR beside --data DIRECTORY, --ontology DIRECTORY and --out DIRECTORY (build, export
    neo4j), where the README and the help texts themselves write DIR."""
    result = run(*command.split(), "--help")
    assert result.exit_code == 0
    assert "DIRECTORY" not in result.stdout


@pytest.mark.parametrize("command", ["entities", "rank", "viz"])
def test_every_type_option_says_a_class_is_named_as_entities_takes_it(command):
    """--type takes a class by local name, prefixed name or English or Chinese label in each command, but rank's
    help named no label, and viz's said it in other words than entities'."""
    found = cli.get_command(click.Context(cli), command)
    assert found is not None
    option = next(p for p in found.params if "--type" in p.opts)
    assert isinstance(option, click.Option)
    assert option.help is not None
    assert re.fullmatch(
        r"Only (instances|entities) of CLASS and its sub-classes: \w+, kg:Chip, 'AI model' or "
        r"\w+\. Repeatable\.",
        option.help,
    )


def _long_options(command: click.Command) -> list[str]:
    return sorted(
        {o for p in command.params for o in (*p.opts, *p.secondary_opts) if o.startswith("--") and o != "--help"}
    )


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_option_is_in_the_readme(command):
    """kgraph serve's --port and --access-log, --no-progress and kgraph --version were in --help only."""
    found: click.Command | None = cli
    for name in command.split():
        assert isinstance(found, click.Group)
        found = found.get_command(click.Context(found), name)  # lazy commands included
    assert found is not None
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    named = {option for option in _long_options(found) if re.search(rf"(?<![\w-]){option}(?![\w-])", readme)}
    assert [option for option in _long_options(found) if option not in named] == []  # --max: not --max-rows


#: Options a command's README section leaves to another's, which says that they are the same: rank's section gives
#: --format for entities, neighbors and communities; queries run takes "the output, language, time-limit, endpoint
#: and network options of kgraph query".
OPTIONS_DESCRIBED_ELSEWHERE = {
    "communities": ("rank", {"--format"}),
    "neighbors": ("rank", {"--format"}),
    "queries run": (
        "query",
        {"--format", "--output", "--bom", "--timeout", "--endpoint", "--auth-env", "--allow-network", "--progress"}
        | {"--no-progress"},
    ),
}


def _readme_section(readme: str, command: str) -> str:
    """The README's section on ``command`` (``### `kgraph export graphml`, ...``), else on the group it is in."""
    words = command.split()
    while words:
        heading = re.compile(rf"^### .*`kgraph {re.escape(' '.join(words))}[ `]", re.MULTILINE)
        found = heading.search(readme)
        if found:
            end = re.compile(r"^##", re.MULTILINE).search(readme, found.end())
            return readme[found.start() : end.start() if end else len(readme)]
        words.pop()
    return ""


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_is_in_its_commands_section_of_the_readme(command):
    """Each option a command's --help lists is named in the README where the command is described (or where the
    section says it is, OPTIONS_DESCRIBED_ELSEWHERE), not only somewhere in the README."""
    found: click.Command | None = cli
    for name in command.split():
        assert isinstance(found, click.Group)
        found = found.get_command(click.Context(found), name)
    assert found is not None
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    section = _readme_section(readme, command)
    assert section, command
    elsewhere, shared = OPTIONS_DESCRIBED_ELSEWHERE.get(command, (command, set()))
    missing = [
        option
        for option in _long_options(found)
        if not re.search(
            rf"(?<![\w-]){option}(?![\w-])", section if option not in shared else _readme_section(readme, elsewhere)
        )
    ]
    assert missing == [], command


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_option_shows_what_it_takes_by_name(command):
    """--help named most values (--max-rows N, --sample K, --timeout SECONDS) but showed click's type for some:
    `--max INTEGER RANGE  Print at most N of the shortest paths`, whose help spoke of an N it did not show, --top,
    --depth and --seed (N in the README), --resolution FLOAT, serve's --host TEXT and --port INTEGER RANGE."""
    result = run(*command.split(), "--help")
    assert result.exit_code == 0
    options = [line for line in result.stdout.splitlines() if re.match(r"\s+-", line)]
    assert options
    assert [line for line in options if re.search(r"\b(INTEGER|FLOAT|TEXT)\b", line)] == []


def test_group_help_and_version():
    result = run("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        if " " not in command:
            assert command in result.stdout
    version = run("--version")
    assert version.stdout == f"kgraph, version {kgraph.__version__}\n"


def test_readme_documents_exit_codes():
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    assert "Exit codes" in readme
    for line in ("| 0 |", "| 1 |", "| 2 |"):
        assert line in readme


# ------------------------------------------------------------------------------------------ show


def test_show_prints_everything_about_an_entity(world):
    result = run(*world, "show", "Rocket Chip")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == (
        "Rocket Chip  (kgr:rocket-chip)\n"
        "  IRI:               https://w3id.org/kgraph/resource/rocket-chip\n"
        "  class:             Chip (kg:Chip)\n"
        "  class, inferred:   kg:Entity, kg:Hardware, kg:Product, prov:Entity, schema:Product, schema:Thing\n"
        "  label (en):        Rocket Chip\n"
        "  label (zh):        火箭芯片\n"
        "  distinction:       the fastest (en)\n"
        "\n"
        "Relations\n"
        "  developed by [kg:developedBy]\n"
        "    -> Acme  (kgr:acme)\n"
        "  succeeds [kg:succeeds]\n"
        "    -> Old Chip  (kgr:old-chip)\n"
        "  used by [kg:usedBy]  (inferred)\n"
        "    -> Globex  (kgr:globex)\n"
        "\n"
        "Relations in\n"
        "  uses [kg:uses]\n"
        "    <- Globex  (kgr:globex)\n"
        "  developed [kg:developed]  (inferred)\n"
        "    <- Acme  (kgr:acme)\n"
        "  succeeded by [kg:succeededBy]  (inferred)\n"
        "    <- Old Chip  (kgr:old-chip)\n"
        "\n"
        "Figures\n"
        "  Rocket Chip speed  (kgf:rocket-speed)\n"
        "    value:            more than 4.4 x\n"
        "    metric:           speed / 速度\n"
        "    compared with:    Old Chip\n"
        "    value before:     2-3 wk\n"
        "    figure kind:      specification\n"
        "\n"
        "Sources\n"
        "   1. Alpha section / 甲节  (src:alpha)  00:00 - 05:00\n"
    )


@pytest.mark.parametrize("name", ["火箭芯片", "ROCKET CHIP", "kgr:rocket-chip", "rocket-chip"])
def test_show_by_other_names(world, name):
    result = run(*world, "show", name)
    assert result.exit_code == 0
    assert result.stdout.startswith("Rocket Chip  (kgr:rocket-chip)\n")


def test_show_by_alt_label_and_descriptions(world):
    result = run(*world, "show", "acme corp")
    assert result.exit_code == 0
    assert "  alt label (en):    ACME Corp\n" in result.stdout
    assert "  description (zh):  制造芯片。\n" in result.stdout
    assert "  customer of [kg:customerOf]  (inferred)\n    <- Globex  (kgr:globex)\n" in result.stdout
    assert "  vendor of [kg:vendorOf]  (inferred)\n    -> Globex  (kgr:globex)\n" in result.stdout


def test_show_miss_suggests_and_exits_1(world):
    result = run(*world, "show", "rocket chp")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: nothing is named 'rocket chp'; did you mean: Rocket Chip, Rocket Chip speed\n"


def test_a_miss_quotes_long_and_multi_line_labels_short_and_on_one_line(make_kg):
    """A label may be a whole document: quoted whole, it made a did-you-mean of megabytes, over many lines."""
    long = "Rocket " + "very " * 4000 + "long"
    data = PREFIXES + f'kgr:a a kg:Chip ; rdfs:label "{long}"@en .\n'
    data += 'kgr:b a kg:Chip ; rdfs:label """Rocket\nsled"""@en .\n'
    data_dir, ontology_dir = make_kg({"x.ttl": data}, {"kgraph.ttl": ONTOLOGY})
    result = run("--data", str(data_dir), "--ontology", str(ontology_dir), "show", "rocket")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing is named 'rocket'; did you mean: Rocket sled, Rocket " + "very " * 14 + "ve…\n"
    )
    ambiguous = PREFIXES + "".join(f'kgr:{n} a kg:Chip ; rdfs:label "{long}"@en .\n' for n in "ab")
    data_dir, ontology_dir = make_kg({"x.ttl": ambiguous}, {"kgraph.ttl": ONTOLOGY})
    result = run("--data", str(data_dir), "--ontology", str(ontology_dir), "show", long)
    assert result.exit_code == 1
    short = "Rocket " + "very " * 14 + "ve…"
    assert result.stderr.splitlines()[1:] == [f"  {short} (kgr:a, kg:Chip)", f"  {short} (kgr:b, kg:Chip)"]


def test_show_ambiguous_lists_candidates_and_exits_1(world):
    result = run(*world, "show", "Nova")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 'Nova' names 2 things; ask for one by its IRI:\n"
        "  Nova (kgr:nova-a, kg:AIModel)\n"
        "  Nova (kgr:nova-b, kg:AIModel)\n"
    )


TWINS = (
    PREFIXES
    + """src:s {
    kgr:twin-a a kg:Company ; rdfs:label "Twin"@en , "双子公司"@zh ; kg:uses kgr:twin-b .
    kgr:twin-b a kg:Chip ; rdfs:label "Twin"@en .
    kgr:twinkle a kg:Chip ; rdfs:label "Twinkle"@en , "闪烁芯片"@zh .
}"""
)


@pytest.mark.parametrize(
    "command",
    [
        ["show", "{}"],
        ["path", "{}", "Twinkle"],
        ["neighbors", "{}"],
        ["lineage", "{}"],
        ["viz", "--focus", "{}", "--output", "-"],
        ["queries", "run", "provenance", "--param", "entity={}"],
    ],
)
def test_under_lang_zh_candidates_and_suggestions_are_named_in_chinese(make_kg, command):
    """Under --lang zh the candidates of an ambiguous name, and the close names of one that matches nothing, were
    listed by their English labels; they are listed by their Chinese ones, English where there is none."""
    data_dir, ontology_dir = make_kg({"twins.trig": TWINS}, {"kgraph.ttl": ONTOLOGY})
    given = ["--data", str(data_dir), "--ontology", str(ontology_dir)]

    def errors(name: str, lang: str) -> str:
        result = run(*given, *[part.format(name) for part in command], "--lang", lang)
        assert result.exit_code == 1, result.output
        return result.stderr[result.stderr.index("Error: ") :]  # after the warning that src:s is no section

    assert errors("twin", "zh").splitlines()[1:] == [
        "  双子公司 (kgr:twin-a, kg:Company)",
        "  Twin (kgr:twin-b, kg:Chip)",  # no Chinese label
    ]
    assert errors("twin", "en").splitlines()[1:] == ["  Twin (kgr:twin-a, kg:Company)", "  Twin (kgr:twin-b, kg:Chip)"]
    # each with the name that was close: Twin names twin-a first
    assert errors("twinkel", "zh").endswith("did you mean: 闪烁芯片 (Twinkle), 双子公司 (Twin)\n")
    assert errors("twinkel", "en").endswith("did you mean: Twinkle, Twin\n")


def test_a_suggestion_names_each_thing_once_and_a_letter_alone_suggests_nothing():
    """``Gravitn`` suggested ``Graviton, Graviton处理器, AWS Graviton``, three names of one chip, and
    ``trainum`` Trainium twice; an IRI of nothing suggested every label with an x in it (its local name)."""
    assert run("show", "Gravitn").stderr == "Error: nothing is named 'Gravitn'; did you mean: Graviton\n"
    assert run("show", "trainum").stderr.count("Trainium,") == 1
    assert run("show", "https://example.org/x").stderr == (
        "Error: https://example.org/x is not the subject of any triple; try `kgraph entities` to list every entity\n"
    )


def test_under_lang_zh_a_suggestion_says_the_name_that_was_close():
    """``kgraph show Nvidai --lang zh`` suggested 英伟达 alone: nothing said that the name nearly typed was Nvidia."""
    assert (
        run("show", "Nvidai", "--lang", "zh").stderr
        == "Error: nothing is named 'Nvidai'; did you mean: 英伟达 (Nvidia)\n"
    )
    assert run("path", "Nvidai", "AWS", "--lang", "zh").stderr.endswith("did you mean: 英伟达 (Nvidia)\n")
    assert run("show", "英伟", "--lang", "zh").stderr.endswith("did you mean: 英伟达\n")  # the label was close
    assert run("show", "Nvidai").stderr.endswith("did you mean: Nvidia\n")


def test_show_on_the_bundled_graph(loaded):
    someone = next(iter(sorted(loaded.graph.subjects(predicate=None, object=None))), None)
    assert someone is not None
    result = run("show", "AWS")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("AWS  (kgr:aws)\n")
    assert "Sources\n" in result.stdout
    assert run("show", "亚马逊云科技").stdout == result.stdout


def test_show_says_how_many_figures_are_about_what_it_develops():
    """kgraph show Adobe gave no figure at all, nor Sony but its compliance target: the keynote's figures about them
    are about what they develop (Firefly, PlayStation Network). show counts those and names the saved query that
    lists them, which gives that many."""
    adobe = run("show", "Adobe")
    assert adobe.exit_code == 0, adobe.stderr
    line = "  3 figures about what it develops: kgraph queries run figures-by-maker --param maker=Adobe\n"
    assert "\nFigures\n" + line + "\nSources\n" in adobe.stdout
    sony = run("show", "Sony", "--lang", "zh").stdout
    said = "  其开发的产品有5个数据指标: kgraph queries run figures-by-maker --param 'maker=索尼' --lang zh\n"
    assert said in sony and sony.index("kgf:sony-compliance-review-target") < sony.index(said)
    listed = run(*shlex.split(said.split(": ", 1)[1])[1:], "--format", "tsv")
    assert listed.exit_code == 0, listed.output
    assert len({row.split("\t")[1] for row in listed.stdout.splitlines()[1:]}) == 5
    for name in ("Trainium3", "Bristol-Myers Squibb", "Writer"):  # Writer's figures of Palmyra X5 are its own too
        assert "about what it develops" not in run("show", name).stdout


def test_show_counts_the_figures_its_command_lists():
    """kgraph show AWS said 31 figures about what it develops, and the command it names listed 32: Graviton's share
    of new CPU capacity is about Graviton and about AWS, so show left it out of the count as one of AWS's own. The
    count is of what the command lists, the figures about what the organization develops, its own among them."""
    for name in ("AWS", "Adobe"):
        shown = run("show", name).stdout
        (line,) = [line for line in shown.splitlines() if "about what it develops" in line]
        said, command = line.strip().split(": ", 1)
        listed = run(*shlex.split(command)[1:], "--format", "tsv")
        assert listed.exit_code == 0, listed.output
        figures = {row.split("\t")[1] for row in listed.stdout.splitlines()[1:]}
        assert said == f"{len(figures)} figures about what it develops", name


SHARED_NAMES = (
    PREFIXES
    + """
kgr:acme a kg:Company ; rdfs:label "Acme"@en .
kgr:acme-band a kg:Product ; rdfs:label "Acme"@en .
kgr:widget a kg:Product ; rdfs:label "Widget"@en ; kg:developedBy kgr:acme ; kg:uses kgr:nimbus-2 .
kgf:widget-speed kg:figureOf kgr:widget ; kg:value 5 .
kgr:nimbus-2 a kg:Chip ; rdfs:label "Nimbus"@en ; kg:succeeds kgr:nimbus-1 .
kgr:nimbus-1 a kg:Chip ; rdfs:label "Nimbus One"@en .
kgr:nimbus-cloud a kg:Product ; rdfs:label "Nimbus"@en .
"""
)


def test_a_suggested_command_names_by_prefixed_name_what_its_label_does_not_find_alone(make_kg):
    """show's line on the figures about what an organization develops, and lineage's hint at what a product uses,
    named it by its label: where another resource has that label too, the command they suggested answered that
    the name is ambiguous. They name it by its prefixed name then, and the command runs."""
    data_dir, ontology_dir = make_kg({"d.ttl": SHARED_NAMES})
    folders = ["--data", str(data_dir), "--ontology", str(ontology_dir)]
    shown = run(*folders, "show", "kgr:acme")
    assert shown.exit_code == 0, shown.output
    (line,) = [line.strip() for line in shown.stdout.splitlines() if "about what it develops" in line]
    assert line == "1 figure about what it develops: kgraph queries run figures-by-maker --param maker=kgr:acme"
    listed = run(*folders, *shlex.split(line.split(": ", 1)[1])[1:], "--format", "tsv")
    assert listed.exit_code == 0, listed.output
    assert [row.split("\t")[:2] for row in listed.stdout.splitlines()[1:]] == [
        ["<https://w3id.org/kgraph/resource/widget>", "<https://w3id.org/kgraph/figure/widget-speed>"]
    ]
    hinted = run(*folders, "lineage", "Widget")
    assert hinted.exit_code == 1, hinted.output
    assert hinted.stderr.strip().endswith("it uses Nimbus, which is in one: kgraph lineage kgr:nimbus-2")
    followed = run(*folders, "lineage", "kgr:nimbus-2")
    assert followed.exit_code == 0, followed.output


# ------------------------------------------------------------------------------------------ entities


def test_entities_table_lines_up_with_chinese(world):
    result = run(*world, "entities")
    assert result.exit_code == 0
    assert result.stdout == (
        "name         class    English label  Chinese label\n"
        "-----------  -------  -------------  -------------\n"
        "acme         Company  Acme           顶点公司\n"
        "globex       Company  Globex         环球\n"
        "lite         AIModel  Lite\n"
        "nova-a       AIModel  Nova\n"
        "nova-b       AIModel  Nova\n"
        "old-chip     Chip     Old Chip\n"
        "rocket-chip  Chip     Rocket Chip    火箭芯片\n"
    )


@pytest.mark.parametrize("cls", ["Hardware", "kg:Hardware", "hardware", "硬件"])
def test_entities_of_a_class_with_sub_classes(world, cls):
    result = run(*world, "entities", "--type", cls, "--lang", "zh")
    assert result.exit_code == 0
    assert result.stdout.splitlines(keepends=True) == [
        "名称         类    中文标签\n",
        "-----------  ----  --------\n",
        "old-chip     芯片\n",
        "rocket-chip  芯片  火箭芯片\n",
    ]


def test_entities_unknown_class_exits_2_with_the_valid_ones(world):
    result = run(*world, "entities", "--type", "Spaceship")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown class 'Spaceship'; use one of: AIModel, Bound, Chip")


def test_entities_on_the_bundled_graph():
    result = run("entities", "--type", "Chip", "--lang", "en")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "class", "English", "label"]
    assert any(line.split()[:2] == ["trainium3", "Chip"] for line in lines[2:])
    assert [line.split()[0] for line in lines[2:]] == sorted(line.split()[0] for line in lines[2:])


# ------------------------------------------------------------------------------------------ stats


def test_stats(world):
    result = run(*world, "stats")
    assert result.exit_code == 0
    out = result.stdout
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.startswith("kg:")}
    assert lines["kg:Chip"][-2:] == ["2", "2"]
    assert lines["kg:Hardware"][-2:] == ["0", "2"]
    assert lines["kg:uses"][-2:] == ["1", "0"]
    assert lines["kg:customerOf"][-2:] == ["0", "1"]
    assert "Figures: 1\n" in out
    assert "specification  1\n" in out
    # A section's English label before the source's own (Chinese) title: the title alone left an English reader
    # with 甲节; in Chinese the label is the title, given once.
    assert "1  src:alpha  Alpha section / 甲节  00:00 - 05:00  28\n" in out
    assert "2  src:beta   Beta section / 乙节                  18\n" in out
    chinese = run(*world, "stats", "--lang", "zh").stdout
    assert "1  src:alpha  甲节  00:00 - 05:00  28\n" in chinese


def test_stats_on_the_bundled_graph():
    result = run("stats")
    assert result.exit_code == 0
    for title in ("Graph\n", "Classes\n", "Relations\n", "Figures: ", "Sources\n"):
        assert title in result.stdout
    assert "src:ai-infrastructure" in result.stdout


# ------------------------------------------------------------------------------------------ validate


def _shaped(make_kg, data: str) -> list[str]:
    shapes = (
        PREFIXES
        + "kg:S a sh:NodeShape ; sh:targetClass kg:Company ; sh:property [ sh:path rdfs:label ; sh:minCount 1 ] ."
    )
    data_dir, ontology_dir = make_kg({"d.trig": data}, {"kgraph.ttl": MINI_ONTOLOGY, "shapes.ttl": shapes})
    return ["--data", str(data_dir), "--ontology", str(ontology_dir)]


def test_validate_conforms_exit_0(make_kg):
    result = run(*_shaped(make_kg, PREFIXES + 'src:s { kgr:acme a kg:Company ; rdfs:label "Acme"@en . }'), "validate")
    assert result.exit_code == 0
    assert result.stdout == "Conforms: yes (0 violations, 0 warnings, 0 infos)\n"


def test_validate_does_not_conform_exit_1(make_kg):
    args = _shaped(make_kg, PREFIXES + "src:s { kgr:acme a kg:Company . }")
    result = run(*args, "validate")
    assert result.exit_code == 1
    assert result.stdout == (
        "Violation: kgr:acme\n"
        "  rule:    rdfs:label sh:minCount 1\n"
        "  message: Less than 1 values on kgr:acme->rdfs:label\n"
        f"  where:   {args[1]}/d.trig:13\n"
        "  fix:     add rdfs:label (at least 1 value)\n"
        "\n"
        "Conforms: no (1 violation, 0 warnings, 0 infos)\n"
    )


def test_validate_turtle_report(make_kg):
    result = run(*_shaped(make_kg, PREFIXES + "kgr:acme a kg:Company ."), "validate", "--format", "turtle")
    assert result.exit_code == 1
    assert "sh:conforms false" in result.stdout
    assert result.stderr == "Conforms: no (1 violation, 0 warnings, 0 infos)\n"


def test_validate_shapes_prints_the_shapes_used(make_kg):
    result = run(*_shaped(make_kg, PREFIXES + "src:s { kgr:acme a kg:Company . }"), "validate", "--shapes")
    assert result.exit_code == 0
    assert "kg:S a sh:NodeShape" in result.stdout
    assert "kgsh:derived-developedBy-range-Organization" in result.stdout


def test_validate_shapes_refuses_the_text_format_it_would_ignore(make_kg):
    """validate --shapes --format text printed Turtle, as if --format had not been given; --format turtle agrees."""
    args = _shaped(make_kg, PREFIXES + "src:s { kgr:acme a kg:Company . }")
    result = run(*args, "validate", "--shapes", "--format", "text")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "Error: --shapes prints the shapes as Turtle; leave --format text out with it\n"
    turtle = run(*args, "validate", "--shapes", "--format", "turtle")
    assert turtle.exit_code == 0
    assert turtle.stdout == run(*args, "validate", "--shapes").stdout


def test_validate_error_exit_2(make_kg):
    result = run(*_shaped(make_kg, PREFIXES + "src:s { kgr:acme a kg:Company kgr:x }"), "validate")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert "d.trig:13: " in result.stderr


def test_validate_bundled_graph_conforms():
    result = run("validate")
    assert result.exit_code == 0, result.stdout[-2000:]
    assert result.stdout.startswith("Conforms: yes")


# ------------------------------------------------------------------------------------------ build


def test_build_writes_exports_and_summarises_on_stderr(in_tmp):
    result = run("build")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    written = sorted(p.name for p in (in_tmp / "exports").iterdir() if p.name.startswith("kgraph."))
    assert written == ["kgraph.jsonld", "kgraph.nq", "kgraph.nt", "kgraph.trig", "kgraph.ttl"]
    assert (in_tmp / "exports" / "neo4j" / "import.sh").is_file()  # other writers write beside the RDF files
    assert result.stderr.startswith("loaded ")
    assert "Conforms: yes" in result.stderr
    assert f"wrote exports{os.sep}kgraph.ttl (" in result.stderr


def test_build_refuses_non_conforming_data(make_kg, tmp_path):
    out = tmp_path / "out"
    result = run(*_shaped(make_kg, PREFIXES + "src:s { kgr:acme a kg:Company . }"), "build", "--out", out)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Violation: kgr:acme" in result.stderr
    assert result.stderr.endswith(f"Error: the graph does not conform to the shapes; nothing written to {out}\n")
    assert not out.exists()


BAD_FILES = [
    ("data", "03-bad.trig", "src:s {\n  kgr:a a kg:Company .\n  kgr:b a kg:Company kgr:c .\n}\n", 3),
    ("data", "03-bad.ttl", 'kgr:a a kg:Company .\nkgr:b rdfs:label "open\n', 2),
    ("ontology", "extra.ttl", "kg:A a owl:Class .\nkg:B a owl:Class\nkg:C a owl:Class .\n", 3),
]


@pytest.mark.parametrize(("folder", "name", "body", "line"), BAD_FILES)
def test_build_with_a_syntax_error_keeps_previous_exports(tmp_path, folder, name, body, line):
    data_dir = tmp_path / "data"
    ontology_dir = tmp_path / "ontology"
    shutil.copytree(default_data_dir(), data_dir)
    shutil.copytree(default_ontology_dir(), ontology_dir)
    out = tmp_path / "exports"
    out.mkdir()
    (out / "kgraph.ttl").write_text("previous\n", encoding="utf-8")
    (tmp_path / folder / name).write_text(PREFIXES + body, encoding="utf-8")
    result = run("--data", data_dir, "--ontology", ontology_dir, "build", "--out", out)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    expected = f"{name}:{PREFIXES.count(chr(10)) + line}: bad syntax: "
    assert lines[0].startswith("Error: ") and expected in lines[0]
    assert lines[0].endswith("; fix the file and run again")
    assert "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["kgraph.ttl"]
    assert (out / "kgraph.ttl").read_text(encoding="utf-8") == "previous\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "nowhere", "stats"], "Error: the data folder nowhere does not exist; pass --data DIR\n"),
        (
            ["--ontology", "nowhere", "stats"],
            "Error: the ontology folder nowhere does not exist; pass --ontology DIR\n",
        ),
    ],
)
def test_missing_folders_exit_2(in_tmp, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == message


def test_bad_option_exits_2():
    result = run("validate", "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_parse_warnings_go_to_stderr(make_kg):
    data = PREFIXES + 'src:s { kgr:acme a kg:Company ; rdfs:label "Acme"@en ; kg:value "x"^^xsd:integer . }'
    data_dir, ontology_dir = make_kg({"d.trig": data})
    result = run("--data", data_dir, "--ontology", ontology_dir, "show", "Acme")
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: ")
    assert 'd.trig:13: "x" is not a valid xsd:integer; it is kept as written' in result.stderr
    assert result.stdout.startswith("Acme  (kgr:acme)")


def test_an_ill_typed_number_is_written_as_it_is_with_the_loads_warning_alone(make_kg):
    """rdflib warned again as it wrote it (UserWarning: Serializing weird numerical ...): two lines of Python's, with
    rdflib's path, after kgraph's one-line warning of the file and line (dump and build, which sort and write every
    term)."""
    data = (
        PREFIXES
        + 'src:s { kgr:acme a kg:Company ; rdfs:label "Acme"@en ; kg:p "1.x"^^xsd:decimal , "a"^^xsd:double . }'
    )
    data_dir, ontology_dir = make_kg({"d.trig": data})
    result = run("--data", data_dir, "--ontology", ontology_dir, "dump")
    assert result.exit_code == 0
    where, kept = (
        f"warning: {data_dir / 'd.trig'}:13",
        "it is kept as written, and comparisons and arithmetic on it fail",
    )
    assert [line for line in result.stderr.splitlines() if "/s>" not in line] == [  # (src:s is no declared section)
        f'{where}: "1.x" is not a valid xsd:decimal; {kept}',
        f'{where}: "a" is not a valid xsd:double; {kept}',
    ]
    assert '"1.x"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n' in result.stdout
    assert '"a"^^<http://www.w3.org/2001/XMLSchema#double> .\n' in result.stdout


# ------------------------------------------------------------------------------------------ real processes


def _console_script() -> str:
    script = Path(sys.executable).parent / ("kgraph.exe" if os.name == "nt" else "kgraph")
    if not script.exists():
        pytest.skip("the kgraph console script is not installed next to this Python")
    return str(script)


def test_console_script_runs(tmp_path):
    result = subprocess.run(
        [_console_script(), "show", "Trainium3"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Trainium3  (kgr:trainium3)\n")


def test_python_dash_m_and_bad_input_without_traceback(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.ttl").write_text("<a> <b> .\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kgraph", "--data", "data", "validate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: data{os.sep}x.ttl:1: ")
    assert "Traceback" not in result.stderr


def test_console_script_not_found_exit_1(tmp_path):
    result = subprocess.run(
        [_console_script(), "show", "no such thing at all"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: nothing is named 'no such thing at all'")


def _environment(unbuffered: bool) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return {**environment, "PYTHONUNBUFFERED": "1"} if unbuffered else environment


@pytest.mark.parametrize("unbuffered", [False, True])
def test_a_reader_that_stops_reading_ends_the_answer_quietly(tmp_path, unbuffered):
    """``kgraph query ... | head -1``: the answer (about 400 KB, more than a pipe holds) is cut short, exit 0; with
    Python's standard output buffered, and unbuffered (PYTHONUNBUFFERED, which kgraph then buffers itself)."""
    with subprocess.Popen(
        [sys.executable, "-m", "kgraph", "query", "--format", "tsv", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=_environment(unbuffered),
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline() == b"?s\t?p\t?o\n"
        process.stdout.close()  # as head does once it has its line
        stderr = process.stderr.read().decode("utf-8")
        assert process.wait(timeout=120) == 0, stderr
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    assert " rows in " in stderr


def test_an_answer_is_the_same_whether_python_buffers_standard_output_or_not(tmp_path):
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"  # unordered, the order differs between runs
    command = [sys.executable, "-m", "kgraph", "query", "--format", "csv", text]
    outputs = [
        subprocess.run(command, capture_output=True, cwd=tmp_path, env=_environment(unbuffered), check=True).stdout
        for unbuffered in (False, True)
    ]
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\r\n") > 1000


class _CountedWrites(io.FileIO):
    writes = 0

    def write(self, data, /):  # type: ignore[no-untyped-def]
        type(self).writes += 1
        return super().write(data)


def test_unbuffered_standard_output_gets_the_rows_through_a_buffer(tmp_path, monkeypatch):
    """With PYTHONUNBUFFERED, ``sys.stdout.buffer`` is the file itself: a system call per row, unless kgraph
    buffers the rows. They go out through a copy of the file's descriptor, in a few large writes."""
    path = tmp_path / "out.txt"
    with _CountedWrites(path, "wb") as raw:
        monkeypatch.setattr(sys, "stdout", types.SimpleNamespace(buffer=raw))

        def rows(out):
            for number in range(5000):
                out.write(f"row {number}\n".encode())

        cli_query._write_stdout(rows)
    assert path.read_text().splitlines() == [f"row {number}" for number in range(5000)]
    assert _CountedWrites.writes == 0


@pytest.mark.parametrize("store", [False, True])
def test_a_reader_that_stops_reading_a_dump_ends_it_quietly(tmp_path, store):
    """``kgraph dump | head -1`` exits 0 with nothing on stderr, as ``kgraph query`` does (click made it exit 1)."""
    prefix: list[str] = []
    if store:
        command = [sys.executable, "-m", "kgraph", "load", "--store", "store"]
        subprocess.run(command, cwd=tmp_path, capture_output=True, check=True)
        prefix = ["--store", "store"]
    with subprocess.Popen(
        [sys.executable, "-m", "kgraph", *prefix, "dump"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline().endswith(b" .\n")
        process.stdout.close()  # long before the end: the graph is more than a pipe holds
        stderr = process.stderr.read().decode("utf-8")
        assert process.wait(timeout=120) == 0, stderr
    assert stderr == ""


_COMMANDS_WRITING = [
    ["stats"],
    ["show", "Trainium3"],
    ["dump"],
    ["query", "--format", "tsv", "SELECT * { ?s ?p ?o }"],
    ["--help"],  # printed by the group itself, before any command runs
]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full, the device that is always full")
@pytest.mark.parametrize("args", _COMMANDS_WRITING)
def test_a_full_disk_is_an_error_not_a_traceback(tmp_path, args):
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "kgraph", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            check=False,
        )
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 2, stderr
    assert stderr.splitlines() == [
        "Error: cannot write the output: No space left on device; make room, or write it elsewhere"
    ]


@pytest.mark.parametrize("args", _COMMANDS_WRITING)
def test_a_command_started_with_standard_output_closed_says_so(tmp_path, args):
    """``kgraph stats >&-``: Python makes sys.stdout None; click wrote nothing and exited 0, the query command
    failed with a traceback, dump too."""
    done = subprocess.run(
        [sys.executable, "-m", "kgraph", *args],
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        check=False,
        preexec_fn=lambda: os.close(1),  # the child closes its own standard output
    )
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 2, stderr
    assert stderr.splitlines() == ["Error: cannot write the output: standard output is closed; give a file to write to"]


@pytest.mark.parametrize(
    ("args", "code", "lines"),
    [
        (["query", "SELECT ?c WHERE { ?c a kg:Chip } ORDER BY ?c LIMIT 2", "--format", "csv"], 0, 3),
        (["show", "nothing-is-called-this"], 1, 0),
        (["--store", "no-such-store", "stats"], 2, 0),
    ],
)
def test_a_command_started_with_standard_error_closed_writes_its_output_alone(tmp_path, args, code, lines):
    """``kgraph query ... 2>&-``: the query failed (exit 1, nothing written) on sys.stderr being None, and an
    error message went into the output."""
    done = subprocess.run(
        [sys.executable, "-m", "kgraph", *args],
        stdout=subprocess.PIPE,
        cwd=tmp_path,
        check=False,
        preexec_fn=lambda: os.close(2),  # the child closes its own standard error
    )
    assert done.returncode == code
    assert len(done.stdout.decode("utf-8").splitlines()) == lines
    assert b"Error" not in done.stdout


def test_a_query_on_standard_input_closed_is_one_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "kgraph", "query", "-"],
        capture_output=True,
        cwd=tmp_path,
        check=False,
        preexec_fn=lambda: os.close(0),
    )
    assert done.returncode == 2
    assert done.stderr.decode("utf-8") == (
        "Error: standard input is closed; give the query as an argument or with -f FILE\n"
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--out", "{ontology}"],
        ["build", "--out", "{data}"],
        ["dump", "--out", "{data}/all.nt"],
        ["export", "graphml", "--output", "{data}/graph.ttl"],
        ["export", "neo4j", "--out", "{data}/neo4j"],
        ["viz", "--output", "{ontology}/graph.html"],
        ["query", "--output", "{data}/rows.csv", "SELECT * { ?s ?p ?o }"],
    ],
)
def test_no_command_writes_into_the_folders_it_reads(tmp_path, args):
    """``kgraph build --out ontology`` replaced the ontology with the exported graph (kgraph.ttl), and the next
    command inferred nothing; files written into the data folder were read as data by the next command."""
    data, ontology = tmp_path / "data", tmp_path / "ontology"
    shutil.copytree(default_data_dir(), data)
    shutil.copytree(default_ontology_dir(), ontology)
    before = (_snapshot(data), _snapshot(ontology))
    filled = [arg.replace("{data}", str(data)).replace("{ontology}", str(ontology)) for arg in args]
    result = run("--data", data, "--ontology", ontology, *filled)
    assert result.exit_code == 2, result.output
    assert "which kgraph reads its graph from; write somewhere else" in result.stderr
    assert (_snapshot(data), _snapshot(ontology)) == before


def test_no_command_writes_over_a_file_it_reads(tmp_path, monkeypatch):
    """Only the input folders were protected: ``query -f q.rq -o q.rq`` replaced the query with its answer, and
    an output onto the file a data file links to replaced that data file."""
    monkeypatch.chdir(tmp_path)
    Path("q.rq").write_text("SELECT ?c WHERE { ?c a kg:Chip }\n", encoding="utf-8")
    result = run("query", "-f", "q.rq", "--format", "csv", "--output", tmp_path / "q.rq")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"Error: --output {tmp_path / 'q.rq'} is the file q.rq, which this command reads; write somewhere else "
        "(kgraph never changes its input files)\n"
    )
    assert Path("q.rq").read_text(encoding="utf-8") == "SELECT ?c WHERE { ?c a kg:Chip }\n"
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    elsewhere = tmp_path / "mine.nt"  # a name dump writes (a .ttl one it refuses for its name alone)
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    elsewhere.write_text(f'<https://w3id.org/kgraph/resource/mine> <{label}> "Mine"@en .\n', encoding="utf-8")
    (data / "99-mine.nt").symlink_to(elsewhere)
    before = elsewhere.read_bytes()
    for args in (["dump", "--out", "mine.nt"], ["export", "json", "--output", "mine.nt"]):
        result = run("--data", data, *args)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"Error: {args[-2]} mine.nt is the file {data / '99-mine.nt'}, "), args
    assert elsewhere.read_bytes() == before


@pytest.mark.parametrize("args", [["dump", "--out"], ["query", "SELECT * { ?s ?p ?o }", "--output"], ["viz", "-o"]])
def test_a_named_pipe_given_as_the_output_is_written_to_not_replaced(tmp_path, args):
    """Every output was written to a temporary file renamed over its target: a named pipe, or a device such as
    /dev/null (run as root), was replaced by a regular file, and the pipe's reader got nothing."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    try:
        result = run(*args, pipe)
    finally:
        reader.join(10)
        if reader.is_alive():  # nothing opened the pipe for writing: open it, so that the reader ends
            # Without blocking: a reader that has just ended would leave a blocking open waiting for ever (it did,
            # once: the reader was alive when checked, read to the end, and was gone before the open).
            with contextlib.suppress(OSError):  # ENXIO: no reader any more
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
            reader.join(10)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert len(received[0]) > 1000


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a device file needs root")
def test_a_device_given_as_the_output_is_written_to_not_replaced(tmp_path):
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a second /dev/null, in a folder of the test's own
    result = run("query", "--output", null, "SELECT * { ?s ?p ?o }")
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(null.stat().st_mode)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a device file needs root")
@pytest.mark.parametrize(
    ("args", "written"),
    [
        (["viz", "-o"], "wrote {} (102 entities, 184 relations, {:,} bytes)"),
        (["dump", "--out"], "wrote {} ({:,} bytes)"),
    ],
    ids=["viz", "dump"],
)
def test_the_bytes_written_to_a_device_are_reported_not_its_size(tmp_path, args, written):
    """``kgraph viz --output /dev/null`` said "0 bytes": the size of a device (or a pipe) is not what was written
    to it. The bytes written are, as for a regular file."""
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a second /dev/null, in a folder of the test's own
    regular = run(*args, tmp_path / "file")
    assert regular.exit_code == 0, regular.output
    size = (tmp_path / "file").stat().st_size
    assert written.format(tmp_path / "file", size) in regular.stderr
    result = run(*args, null)
    assert result.exit_code == 0, result.output
    assert written.format(null, size) in result.stderr
    assert stat.S_ISCHR(null.stat().st_mode)


@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="a pipe named by /dev/fd/N")
@pytest.mark.parametrize("args", [["dump", "--out"], ["query", "SELECT * { ?s ?p ?o }", "--output"], ["viz", "-o"]])
def test_a_pipe_named_by_a_link_is_written_to(args):
    """A shell's ``>(gzip > x.gz)`` gives /dev/fd/63, a link to a pipe that leads to no path: ``dump --out`` and
    ``query --output`` followed it and said ``cannot write /dev/fd/63: No such file or directory``."""
    read_end, write_end = os.pipe()
    received: list[bytes] = []

    def read() -> None:
        with os.fdopen(read_end, "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read)
    reader.start()
    try:
        result = run(*args, f"/dev/fd/{write_end}")
    finally:
        os.close(write_end)
        reader.join(10)
    assert result.exit_code == 0, result.output
    assert len(received[0]) > 1000
    if args[0] != "query":  # the query's summary says no size
        assert f"{len(received[0]):,} bytes)" in result.stderr


def test_a_dash_as_the_output_is_standard_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("query", "--format", "tsv", "--output", "-", "SELECT ?chip WHERE { ?chip a kg:Chip }")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("?chip\n")
    assert list(tmp_path.iterdir()) == []


def test_a_huge_depth_stops_where_the_graph_does(tmp_path):
    """--depth takes any number: the walk out from the entity went on stepping over nothing, for ever."""
    result = run("viz", "--focus", "Trainium3", "--depth", str(10**26), "--output", tmp_path / "page.html")
    assert result.exit_code == 0, result.output
    deep = run("viz", "--focus", "Trainium3", "--depth", "50", "--output", tmp_path / "deep.html")

    def drawn(output: str) -> str:  # "wrote FILE (N entities, M relations, B bytes)": "N entities, M relations"
        # (not cut at the last comma: B has commas of its own, and the two pages' sizes differ)
        return output.split("(", 1)[1].partition(" relations, ")[0] + " relations"

    assert drawn(result.stderr) == drawn(deep.stderr)


@pytest.mark.parametrize("command", [["query", "ASK {}"], ["serve", "--port", "0"]])
def test_a_timeout_that_is_not_a_number_is_refused(command):
    """click's FloatRange takes nan (no comparison fails with it): --timeout nan meant no limit at all."""
    result = run(*command, "--timeout", "nan")
    assert result.exit_code == 2
    assert "'nan' is not a number of seconds" in result.stderr


@pytest.mark.parametrize(
    ("command", "advice"),
    [
        (["query", "--endpoint", "http://127.0.0.1:1/sparql", "ASK {}"], "give fewer, or 0 for no limit"),
        (["push", "--endpoint", "http://127.0.0.1:1/store"], "give fewer"),
        # A folder that is no store: serve, given the time limit, fails on it rather than serving for ever.
        (["--store", "NOT-A-STORE", "serve", "--port", "0"], "give fewer, or 0 for no limit"),
    ],
)
@pytest.mark.parametrize("seconds", ["inf", "1e10", "1000001"])
def test_a_timeout_too_long_to_wait_is_refused(command, advice, seconds, tmp_path):
    """Python's waits take no more than their clock holds: --timeout inf (or 1e10) was a traceback from push and
    query --endpoint (socket.settimeout: OverflowError), and HTTP 500 for every query of serve --isolate."""
    not_a_store = tmp_path / "not-a-store"
    not_a_store.mkdir()
    (not_a_store / "x").write_text("x")
    result = run(*[not_a_store if part == "NOT-A-STORE" else part for part in command], "--timeout", seconds)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--timeout': {seconds} is more than 1,000,000 seconds (11 days); {advice}"
    )


def test_the_longest_timeout_is_taken():
    result = run("query", "ASK {}", "--timeout", "1000000")
    assert result.exit_code == 0, result.output
    assert result.stdout == "yes\n"


def test_a_store_found_damaged_while_reading_is_an_error_not_a_traceback(tmp_path):
    """A store whose blocks were damaged after it was built opens (RocksDB checks a block when it reads it) and
    failed later with a RuntimeError traceback; it is now the same one line as a store that does not open."""
    run("load", "--store", tmp_path / "store")
    # Every large table file: the loads run in threads, so which files hold what, and which a command reads, varies
    # (the small ones hold little but the properties RocksDB reads as it opens the store).
    blocks = [path for path in (tmp_path / "store").rglob("*.sst") if path.stat().st_size > 50_000]
    assert blocks
    for block in blocks:  # flip bytes in the first third (data blocks), not the index and footer at the end
        content = bytearray(block.read_bytes())
        for at in range(200, len(content) // 3, 5000):
            content[at] ^= 0xFF
        block.write_bytes(bytes(content))
    commands = [
        ["dump", "--format", "nq"],
        ["export", "neo4j", "--out", str(tmp_path / "neo4j")],
        ["query", "--format", "tsv", "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"],
    ]
    damaged = 0
    for command in commands:
        done = subprocess.run(
            [sys.executable, "-m", "kgraph", "--store", "store", *command],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
            timeout=300,
            env={**os.environ, "KGRAPH_NO_CACHE": "1"},
        )
        assert "Traceback" not in done.stderr
        assert done.returncode in (0, 2, 3), done.stderr  # 3: a query that ran past its time limit on bad blocks
        damaged += "store store is damaged" in done.stderr
    assert damaged


# ------------------------------------------------------------------------------------------ what rdflib logs

ILL_TYPED = PREFIXES + 'kgr:a a kg:Chip ; rdfs:label "A"@en ; kg:value "x"^^xsd:integer , "y"^^xsd:integer .\n'


def test_what_rdflib_logs_is_one_line_each_never_a_traceback(make_kg, tmp_path):
    """rdflib logs a literal it cannot read as its datatype with a traceback; from a query's own text kgraph prints
    one line per literal instead, and the same line once; read from a store, nothing (the load warned of it, with
    its file and line)."""
    data_dir, ontology_dir = make_kg({"a.ttl": ILL_TYPED}, {"kgraph.ttl": MINI_ONTOLOGY})
    assert run("--data", data_dir, "--ontology", ontology_dir, "load", "--store", tmp_path / "s").exit_code == 0
    shown = run("--store", tmp_path / "s", "show", "kgr:a")
    assert shown.exit_code == 0, shown.output
    assert "Traceback" not in shown.stderr and "rdflib" not in shown.stderr, shown.stderr
    query = 'SELECT ?v WHERE { VALUES ?v { "z"^^xsd:integer "z"^^xsd:integer } }'
    queried = run("--data", data_dir, "--ontology", ontology_dir, "query", query)
    assert queried.exit_code == 0, queried.output
    assert "Traceback" not in queried.stderr
    # rdflib's own words named the Python function it converts with, at its address in memory.
    assert [line for line in queried.stderr.splitlines() if line.startswith("warning: rdflib: ")] == [
        'warning: rdflib: "z" is not a valid xsd:integer; it is kept as written, and comparisons and arithmetic on '
        "it fail"
    ]
    # A process of its own, where no test runner catches what is logged.
    process = subprocess.run(
        [sys.executable, "-m", "kgraph", "--store", str(tmp_path / "s"), "show", "kgr:a"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 0 and "Traceback" not in process.stderr, process.stderr
    assert sorted(process.stderr.splitlines()) == sorted(shown.stderr.splitlines())
    # Parsing the files, the warning names the file and the line instead, once.
    memory = run("--data", data_dir, "--ontology", ontology_dir, "show", "kgr:a")
    warned = [line.split(": ", 2)[:2] for line in memory.stderr.splitlines()]
    line = ILL_TYPED.count("\n")
    assert warned == [["warning", f"{display_path(data_dir / 'a.ttl')}:{line}"]] * 2, memory.stderr


def test_a_cached_graph_warns_of_an_ill_typed_literal_as_its_file_did(make_kg):
    """The second command on unchanged files reads the graph kgraph cached: making its literals again, rdflib
    warned of each ill-typed one a second time, without its file and line."""
    data_dir, ontology_dir = make_kg({"a.ttl": ILL_TYPED}, {"kgraph.ttl": MINI_ONTOLOGY})
    query = ["--data", data_dir, "--ontology", ontology_dir, "query", "SELECT ?v WHERE { kgr:a kg:value ?v }"]
    first, second = run(*query), run(*query)
    warned = [line for line in first.stderr.splitlines() if line.startswith("warning")]
    assert len(warned) == 2
    assert [line for line in second.stderr.splitlines() if line.startswith("warning")] == warned
    assert sorted(first.stdout.splitlines()) == sorted(second.stdout.splitlines())  # no ORDER BY: any order


@pytest.mark.parametrize("command", [["show", "kgr:a"], ["entities"], ["stats"], ["path", "kgr:a", "kgr:a"]])
def test_a_command_on_unchanged_files_reads_the_graph_from_the_cache(make_kg, monkeypatch, command):
    """Only kgraph query read the loaded graph back from the cache; every other command parsed and inferred again."""
    data_dir, ontology_dir = make_kg({"a.ttl": PREFIXES + 'kgr:a a kg:Chip ; rdfs:label "A"@en .\n'})
    given = ["--data", data_dir, "--ontology", ontology_dir, *command]
    first = run(*given)

    def parsed(*_args: object) -> None:
        raise AssertionError("a file parsed again")

    monkeypatch.setattr("kgraph.store.parse_file", parsed)
    second = run(*given)
    assert (second.exit_code, second.stdout, second.stderr) == (first.exit_code, first.stdout, first.stderr)


def test_what_rdflib_logs_stops_after_a_score_of_lines(capsys):
    from kgraph.cli_common import OneLineWarnings  # noqa: PLC0415

    logger = logging.getLogger("rdflib.term")
    OneLineWarnings.install()
    for n in range(30):
        logger.warning("odd literal %d", n % 25)
    err = capsys.readouterr().err.splitlines()
    assert err == [f"warning: rdflib: odd literal {n}" for n in range(20)] + ["warning: rdflib: more warnings left out"]
    OneLineWarnings.install()  # a new command prints its own
    logger.warning("odd literal 1")
    assert capsys.readouterr().err == "warning: rdflib: odd literal 1\n"


# ------------------------------------------------------------------------------------------ Ctrl-C

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.parametrize("where", ["memory", "store"])
def test_ctrl_c_stops_a_query_with_exit_130(tmp_path, where):
    """Interrupted while it waits for a query, kgraph exits 130 (1 would read as a negative answer). On a store,
    Oxigraph evaluates without the GIL in the worker, and the KeyboardInterrupt lands in the main thread's join of
    it, which left Python 3.11 taking the running worker for ended: cancelling it then went round for ever.

    The Ctrl-C comes once the query's progress line says it runs, not after a fixed time: on a busy machine a
    command can take seconds to start, and the Ctrl-C then stopped its imports instead."""
    store = []
    if where == "store":
        assert run("load", "--store", tmp_path / "store").exit_code == 0
        store = ["--store", str(tmp_path / "store")]
    process = subprocess.Popen(
        [sys.executable, "-m", "kgraph", *store, "query", "--progress", ENDLESS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "KGRAPH_NO_CACHE": "1"},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 - no threads in the test
    )
    try:
        assert process.stderr is not None
        said = [process.stderr.readline()]  # the first progress line, a second into the query (or the end)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    err = said[0] + err
    assert said[0].startswith("query running: "), err
    assert process.returncode == 130, err
    assert err.splitlines()[-1:] == ["Aborted!"] and "Traceback" not in err, err


#: Runs the kgraph command with a signal (SIGINT: a Ctrl-C, unless its name is given first) as Python first imports
#: rdflib, most of the command's start-up: as the console script starts it (``from kgraph.__main__ import main``),
#: or as ``python -m kgraph`` does.
CTRL_C_WHILE_IMPORTING = """
import runpy, signal, sys
SIGNAL = signal.Signals[sys.argv.pop(1)] if sys.argv[1].startswith("SIG") else signal.SIGINT
class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "rdflib":
            signal.raise_signal(SIGNAL)
sys.meta_path.insert(0, CtrlC())
if sys.argv[1] == "script":
    from kgraph.__main__ import main
    del sys.argv[1]
    sys.exit(main())
del sys.argv[1]
runpy.run_module("kgraph", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize("how", ["script", "python -m"])
def test_ctrl_c_while_the_command_starts_exits_130_without_a_traceback(tmp_path, how):
    """The package imported rdflib and the store before any kgraph code could catch a Ctrl-C: a third of a second
    on a quiet machine, seconds on a busy one, when a Ctrl-C gave Python's traceback and a death by SIGINT."""
    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_WHILE_IMPORTING, how.split()[0], "stats"],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        timeout=60,
    )
    assert (done.returncode, done.stderr, done.stdout) == (130, "Aborted!\n", "")


@pytest.mark.parametrize("how", ["script", "python -m"])
@pytest.mark.parametrize(("signum", "code"), [("SIGTERM", 143), ("SIGHUP", 129)])
def test_sigterm_while_the_command_starts_exits_143_without_a_traceback(tmp_path, how, signum, code):
    """SIGTERM or SIGHUP while Python imported the command line ended kgraph with Python's default, a death by the
    signal, where later in the command it says ``Terminated`` and exits 128 + the signal's number."""
    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_WHILE_IMPORTING, signum, how.split()[0], "stats"],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert (done.returncode, done.stderr, done.stdout) == (code, "Terminated\n", "")


#: Runs the kgraph command (as its console script) with a SIGTERM that comes as kgraph.__main__ sets the handler of
#: SIGHUP, after it has set SIGTERM's.
SIGTERM_WHILE_SETTING_HANDLERS = """
import _signal, signal, sys
real = _signal.signal
def setting(signum, handler):
    if signum == signal.SIGHUP and handler is not signal.SIG_DFL:
        signal.raise_signal(signal.SIGTERM)
    return real(signum, handler)
_signal.signal = setting
from kgraph.__main__ import main
main(sys.argv[1:])
"""


def test_sigterm_as_the_command_sets_its_start_up_handlers_exits_143_without_a_traceback(tmp_path):
    """A SIGTERM that came once kgraph.__main__ had set SIGTERM's handler, as it set SIGHUP's, raised its
    KeyboardInterrupt before the start-up's ``try``: a traceback, and the exit code of a Ctrl-C."""
    done = subprocess.run(
        [sys.executable, "-c", SIGTERM_WHILE_SETTING_HANDLERS, "stats"],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert (done.returncode, done.stderr, done.stdout) == (143, "Terminated\n", "")


def test_sigterm_ignored_while_the_command_starts_stays_ignored(tmp_path):
    """A SIGTERM the command was started ignoring is ignored at start-up too, as it is later."""
    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_WHILE_IMPORTING, "SIGTERM", "script", "stats"],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        preexec_fn=lambda: signal.signal(signal.SIGTERM, signal.SIG_IGN),
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert done.stdout.startswith("Graph\n"), done.stdout


@pytest.fixture
def terminating_default() -> Iterator[None]:
    """SIGTERM and SIGHUP at their default handlers (those :func:`kgraph.cli_common._stopping_cleanly` replaces)
    during the test, and after it whatever it did."""
    real = signal.signal
    for signum in TERMINATING:
        real(signum, signal.SIG_DFL)
    try:
        yield
    finally:
        for signum in TERMINATING:
            real(signum, signal.SIG_DFL)


def _setting_back(monkeypatch: pytest.MonkeyPatch, first: Callable[[int, Any], Any]) -> list[int]:
    """Have the command set the first of SIGTERM's and SIGHUP's handlers back to the default with ``first`` (called
    as ``signal.signal`` is) instead of ``signal.signal``; the signals whose handlers it set back, in order."""
    return setting_back(monkeypatch, lambda signum, handler: signum in TERMINATING and handler is signal.SIG_DFL, first)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_every_handler_is_back_when_a_signal_comes_as_a_command_ends(terminating_default, monkeypatch):
    """``signal.signal`` acts on a pending signal before it sets a handler: a SIGTERM that came as a command ended
    raised its Terminated there, which cut short the loop that set the default handlers back, and a Python caller
    of the command line (``CliRunner``, ``kgraph.cli.main``) was left with SIGTERM and SIGHUP raising Terminated
    for ever, where they had ended it. Each is set back now, and the command stops as a SIGTERM stops it."""

    def pending(signum: int, _handler: Any) -> None:  # as CPython does with a signal pending: nothing set
        raise Terminated(signum)

    restored = _setting_back(monkeypatch, pending)
    result = CliRunner().invoke(cli, ["queries", "list"], prog_name="kgraph")
    assert (result.exit_code, result.stderr) == (128 + TERMINATING[0], "Terminated\n")
    assert len(restored) > 1
    assert [signal.getsignal(signum) for signum in TERMINATING] == [signal.SIG_DFL] * len(TERMINATING)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
def test_every_handler_is_back_when_a_signal_comes_as_a_command_sets_them(terminating_default, monkeypatch):
    """A SIGTERM that came once the command had set SIGTERM's handler, as it set SIGHUP's, raised its Terminated
    before the block that puts the handlers back: a Python caller of the command line was left with SIGTERM
    raising Terminated for ever. Now the command stops as a SIGTERM stops it, and both handlers are back."""
    real = signal.signal
    first, second = TERMINATING[:2]

    def setting(signum: int, handler: Any) -> Any:
        if signum == second and handler is not signal.SIG_DFL:
            raise Terminated(first)  # as CPython does with a signal pending: nothing set
        return real(signum, handler)

    monkeypatch.setattr(signal, "signal", setting)
    result = CliRunner().invoke(cli, ["queries", "list"], prog_name="kgraph")
    assert (result.exit_code, result.stderr) == (128 + first, "Terminated\n")
    assert [signal.getsignal(signum) for signum in TERMINATING] == [signal.SIG_DFL] * len(TERMINATING)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
def test_a_sighup_as_sigterm_is_set_back_waits_for_every_handler(terminating_default, monkeypatch):
    """A SIGHUP that comes just as the command has set SIGTERM's handler back is acted on by its own, which raised
    Terminated before it was set back too. It stops the command now once every handler is back."""
    real = signal.signal

    def signalled(signum: int, handler: Any) -> Any:
        before = real(signum, handler)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGHUP)  # Python acts on it next
        return before

    restored = _setting_back(monkeypatch, signalled)
    result = CliRunner().invoke(cli, ["queries", "list"], prog_name="kgraph")
    assert restored[0] == signal.SIGTERM
    assert (result.exit_code, result.stderr) == (128 + signal.SIGHUP, "Terminated\n")
    assert [signal.getsignal(signum) for signum in TERMINATING] == [signal.SIG_DFL] * len(TERMINATING)


def test_the_console_script_starts_from_a_module_that_imports_nothing_first():
    """What the ``kgraph`` script imports before :func:`kgraph.__main__.main` runs is where a Ctrl-C is not caught."""
    import tomllib  # noqa: PLC0415

    scripts = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["kgraph"] == "kgraph.__main__:main"
    script = "import sys; before = set(sys.modules); import kgraph.__main__; print(*sorted({*sys.modules} - before))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["kgraph", "kgraph.__main__"]  # not even typing, or __future__


#: Runs a query that never ends, with a Ctrl-C that comes while the main thread runs a weakref callback (as the
#: garbage collector and the import system run them), just before it waits for the query.
CTRL_C_IN_A_CALLBACK = """
import signal, sys, weakref
from kgraph.query import engine
from kgraph.__main__ import main
SIGNAL = signal.Signals[sys.argv.pop(1)]
waiting = engine._Watch.wait
def wait(self, step):
    class Thing:
        pass
    thing = Thing()
    ref = weakref.ref(thing, lambda _ref: signal.raise_signal(SIGNAL))
    del thing
    return waiting(self, step)
engine._Watch.wait = wait
sys.exit(main())
"""


@pytest.mark.parametrize(("signum", "code", "said"), [("SIGINT", 130, "Aborted!"), ("SIGTERM", 143, "Terminated")])
def test_a_ctrl_c_that_python_drops_in_a_callback_still_stops_the_command(tmp_path, signum, code, said):
    """Python drops an exception raised in a finalizer or a weakref callback, a Ctrl-C's too: the query went on for
    ever ("Exception ignored in: <function _get_module_lock.<locals>.cb>", one Ctrl-C in about thirty at start-up).
    SIGTERM, which kgraph turns into an exception as well, the same."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", CTRL_C_IN_A_CALLBACK, signum, "query", ENDLESS],
            check=False,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "KGRAPH_NO_CACHE": "1"},
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            timeout=60,
        )
    except subprocess.TimeoutExpired as running:
        pytest.fail(f"the {signum} was lost: {running.stderr!r}")
    assert (done.returncode, done.stderr) == (code, f"{said}\n")


def test_ctrl_c_while_the_command_line_is_parsed_exits_130(monkeypatch):
    """click answers a Ctrl-C before the command runs with exit 1, kgraph's negative answer."""

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(click.Group, "parse_args", interrupted)
    result = run("stats")
    assert (result.exit_code, result.stderr) == (130, "Aborted!\n")


def test_an_interrupted_load_exits_130_and_leaves_no_folder(tmp_path, monkeypatch):
    from kgraph import persist  # noqa: PLC0415

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(persist, "_apply_rules", interrupted)
    result = run("load", "--store", tmp_path / "store")
    assert result.exit_code == 130 and result.stderr.splitlines()[-1] == "Aborted!", result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["rank"], ["entities"], ["viz", "-o", "page.html"]])
def test_an_empty_type_is_an_unknown_class_for_every_command(command, tmp_path, monkeypatch):
    """`--type ""` (a script's unset variable, say) meant every class for rank and entities, and was an error for
    viz; it is the same error everywhere now."""
    monkeypatch.chdir(tmp_path)
    result = run(*command, "--type", "")
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1].startswith("Error: unknown class ''; use one of: ")
    assert not (tmp_path / "page.html").exists()


@pytest.mark.parametrize(
    "error",
    [
        RuntimeError("Corruption: Mismatch in unique ID on table file 23. Expected: {1,2} Actual: {3,2}"),
        OSError("IO error: No such file or directory: While open a file for random read: oxigraph/000023.sst"),
    ],
    ids=["a table file of the new store", "a table file gone"],
)
def test_a_store_replaced_while_a_command_reads_it_says_so(tmp_path, monkeypatch, error):
    """Oxigraph opens a store's table files by name as it first reads them: once kgraph load has swapped a new
    store in, a command that opened the old one reads the new one's files (or none) and RocksDB reports
    corruption. That store is not damaged: the command is to be run again, not the store rebuilt."""
    from kgraph import explore, persist  # noqa: PLC0415

    store = tmp_path / "store"
    assert run("load", "--store", store).exit_code == 0

    def replaced_meanwhile(*args: object, **kwargs: object) -> None:
        persist.build(store, force=True)
        raise error

    monkeypatch.setattr(explore, "entities", replaced_meanwhile)
    result = run("--store", store, "entities")
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == (
        f"Error: the store {store} was replaced (kgraph load) while this command read it; run the command again"
    )
    monkeypatch.setattr(explore, "entities", lambda *args, **kwargs: (_ for _ in ()).throw(error))
    result = run("--store", store, "entities")  # the same error from a store nobody replaced
    assert result.exit_code == 2, result.output
    assert "was replaced" not in result.output and f"rebuild it: kgraph load --store {store} --force" in result.output


_TABLE_FILE_GONE = "IO error: No such file or directory: While open a file for random read: oxigraph/000544.sst"


def _replaced_as_read(store: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """Make the store reader at ``where`` find ``store`` replaced by a load as it reads, as RocksDB does: the
    table files it opens by name are the new store's, or gone."""
    from kgraph import oxstore, persist, validation  # noqa: PLC0415

    def replace_and_fail() -> None:
        persist.build(store, force=True)
        raise OSError(_TABLE_FILE_GONE)

    if where == "rows":  # a query's rows, read by kgraph.oxstore._table
        table = oxstore._table

        def failing_rows(rows: object, columns: object, convert: object = oxstore.from_ox) -> object:
            def broken():
                replace_and_fail()
                yield from ()

            return table(broken(), columns, convert)

        monkeypatch.setattr(oxstore, "_table", failing_rows)
    elif where == "export":
        monkeypatch.setattr(oxstore.ReadOnlyOxigraphStore, "export_rows", lambda *_a: replace_and_fail())
    elif where == "dump":
        monkeypatch.setattr(persist, "write_ntriples", lambda *_a: replace_and_fail())
    else:
        monkeypatch.setattr(validation, "_checked_lines", lambda *_a: replace_and_fail())


@pytest.mark.parametrize(
    ("where", "command"),
    [
        ("export", ["export", "neo4j", "--out", "neo4j"]),
        ("dump", ["dump", "--out", "graph.nt"]),
        ("rows", ["query", "-o", "rows.tsv", "SELECT * WHERE { ?s ?p ?o }"]),
        ("rows", ["query", "SELECT * WHERE { ?s ?p ?o }"]),
        ("validate", ["validate"]),
    ],
    ids=["export neo4j", "dump --out", "query -o", "query", "validate"],
)
def test_a_store_replaced_while_a_command_writes_its_output_is_not_a_write_error(tmp_path, monkeypatch, where, command):
    """A load swapped a new store in while `export neo4j` read the old one: the command said it could not write
    into its --out folder ("pass --out DIR"), `dump --out` that it could not write the file, `validate` that it
    could not copy the store into a temporary folder (make room there), and a query that the store failed: the
    failed read of the store was taken for the output's, or wrapped. Each says now what happened."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KGRAPH_NO_CACHE", "1")  # validate reads the store, not an earlier test's cached report
    store = Path("store")
    assert run("load", "--store", store).exit_code == 0
    _replaced_as_read(store, monkeypatch, where)
    result = run("--store", store, *command)
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == (
        f"Error: the store {store} was replaced (kgraph load) while this command read it; run the command again"
    )
    written = [p for p in tmp_path.rglob("*") if p.is_file() and Path("store") not in p.relative_to(tmp_path).parents]
    assert written == []  # no output, not even half of one (export neo4j has made its --out folder)


def test_a_damaged_store_read_as_an_export_is_written_says_to_rebuild_it(tmp_path, monkeypatch):
    """The same failure from a store nobody replaced (a table file deleted by hand): the store is to be rebuilt;
    the --out folder is not to blame."""
    from kgraph import oxstore  # noqa: PLC0415

    monkeypatch.chdir(tmp_path)
    store = Path("store")
    assert run("load", "--store", store).exit_code == 0

    def gone(*_args: object) -> None:
        raise OSError(_TABLE_FILE_GONE)

    monkeypatch.setattr(oxstore.ReadOnlyOxigraphStore, "export_rows", gone)
    result = run("--store", store, "export", "neo4j", "--out", "neo4j")
    assert result.exit_code == 2, result.output
    last = result.output.splitlines()[-1]
    assert last.startswith(f"Error: cannot read the store {store} (IO error: "), last
    assert last.endswith(f"rebuild it: kgraph load --store {store} --force"), last


def test_a_damaged_store_found_as_a_query_reads_its_answer_says_to_rebuild_it(tmp_path, monkeypatch):
    """Oxigraph reads a store as it hands a query's rows over: a damaged block met then came as the query's error,
    "Error: the store failed while reading the answer: Corruption: ...", with no word of the store or of what to
    do. It is now the line every other command gives for a damaged store."""
    from kgraph import query as q  # noqa: PLC0415
    from kgraph.errors import QueryError  # noqa: PLC0415

    monkeypatch.chdir(tmp_path)
    store = Path("store")
    assert run("load", "--store", store).exit_code == 0

    def damaged(*_args: object, **_kwargs: object) -> None:
        try:
            raise RuntimeError("Corruption: block checksum mismatch: stored = 1, computed = 2 in 000045.sst")
        except RuntimeError as error:
            raise QueryError(f"the store failed while reading the answer: {error}") from error

    monkeypatch.setattr(q, "run_local", damaged)
    result = run("--store", store, "query", "SELECT ?s WHERE { ?s ?p ?o }")
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == (
        f"Error: the store {store} is damaged (Corruption: block checksum mismatch: stored = 1, computed = 2 in "
        f"000045.sst); rebuild it: kgraph load --store {store} --force"
    )


# ------------------------------------------------------------------------------------------ where outputs go


def test_every_command_makes_the_folder_of_its_output_and_names_a_file_in_the_way(tmp_path):
    """kgraph query refused a folder that did not exist while export and dump made it; a file where a folder
    should be was 'File exists' from some commands and 'the folder ... does not exist' from others."""
    select = "SELECT ?c WHERE { ?c a kg:Chip } LIMIT 1"
    made = run("query", "--output", tmp_path / "new" / "sub" / "chips.csv", select)
    assert made.exit_code == 0, made.stderr
    assert (tmp_path / "new" / "sub" / "chips.csv").read_bytes().startswith(b"c\r\n")
    (tmp_path / "file").write_text("x")
    for args, option in [
        (["query", "--output", tmp_path / "file" / "x.csv", select], "--output FILE"),
        (["dump", "--out", tmp_path / "file" / "x.nt"], "--out FILE"),
        (["export", "json", "--output", tmp_path / "file" / "x.json"], "--output FILE"),
        (["viz", "--output", tmp_path / "file" / "x.html"], "--output FILE"),
    ]:
        result = run(*args)
        assert result.exit_code == 2, args
        assert result.stderr == f"Error: {tmp_path / 'file'} is a file, not a folder; pass another {option}\n", args
    deeper = run("export", "gexf", "--output", tmp_path / "file" / "a" / "x.gexf")
    assert deeper.stderr == (
        f"Error: {tmp_path / 'file'} is a file, so the folder {tmp_path / 'file' / 'a'} cannot be made; "
        "pass another --output FILE\n"
    )


#: Every command that writes one file, its option last, and a name its output fits.
ONE_FILE_OUTPUTS = [
    (["query", "SELECT ?c WHERE { ?c a kg:Chip } ORDER BY ?c", "--output"], "chips.csv"),
    (["dump", "--out"], "graph.nt"),
    (["viz", "--output"], "graph.html"),
    (["export", "graphml", "--output"], "graph.graphml"),
    (["export", "gexf", "--output"], "graph.gexf"),
    (["export", "json", "--output"], "graph.json"),
    (["export", "ontology", "--output"], "ontology.html"),
]
ONE_FILE_IDS = [" ".join(args[: 2 if args[0] == "export" else 1]) for args, _name in ONE_FILE_OUTPUTS]


@pytest.mark.parametrize(("args", "name"), ONE_FILE_OUTPUTS, ids=ONE_FILE_IDS)
@pytest.mark.parametrize("leads_to", ["a file", "no file yet", "a folder not made yet"])
def test_every_output_file_that_is_a_symbolic_link_replaces_the_file_it_leads_to(tmp_path, args, name, leads_to):
    """query --output and dump --out followed a link, as a shell's > does; viz and the export commands replaced
    the link itself with a file, and left the file it led to as it was."""
    plain = run(*args, tmp_path / name)
    assert plain.exit_code == 0, plain.output
    real = {
        "a file": tmp_path / "elsewhere" / name,
        "no file yet": tmp_path / "elsewhere" / name,
        "a folder not made yet": tmp_path / "elsewhere" / "new" / name,
    }[leads_to]
    real.parent.parent.mkdir(exist_ok=True)
    if leads_to == "a file":
        real.parent.mkdir()
        real.write_bytes(b"old\n")
    link = tmp_path / "out" / name
    link.parent.mkdir()
    link.symlink_to(real)
    result = run(*args, link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.readlink() == real
    assert real.read_bytes() == (tmp_path / name).read_bytes()
    assert f"wrote {link}" in result.stderr
    assert sorted(p.name for p in link.parent.iterdir()) == [name]  # nothing left beside the link
    assert sorted(p.name for p in real.parent.iterdir()) == [name]


@pytest.mark.parametrize(("args", "name"), ONE_FILE_OUTPUTS, ids=ONE_FILE_IDS)
def test_an_output_link_that_leads_where_no_file_can_be_is_an_error_and_stays(tmp_path, args, name):
    """viz and the export commands replaced such a link with their file, without a word."""
    (tmp_path / "file").write_text("x")
    link = tmp_path / name
    link.symlink_to(tmp_path / "file" / name)
    result = run(*args, link)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {tmp_path / 'file'} is a file, not a folder; pass another {args[-1]} FILE\n"
    assert link.is_symlink() and link.readlink() == tmp_path / "file" / name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["file", name])


@pytest.mark.parametrize(("args", "name"), ONE_FILE_OUTPUTS, ids=ONE_FILE_IDS)
def test_every_output_file_is_reported_as_given_and_on_one_line(tmp_path, monkeypatch, args, name):
    """dump's "wrote" named the file a link leads to (``wrote elsewhere/graph.nt`` for ``--out out/graph.nt``, and
    ``wrote f`` for ``--out /dev/stdout`` with standard output the file f); query, viz and the exports printed a
    name with a line break on two lines."""
    monkeypatch.chdir(tmp_path)
    Path("elsewhere").mkdir()
    Path("out").mkdir()
    Path("out", name).symlink_to(Path("..", "elsewhere", name))
    broken = f"new\nline{Path(name).suffix}"
    for given, shown in [(Path("out", name), f"out/{name}"), (Path(broken), f"$'new\\nline{Path(name).suffix}'")]:
        result = run(*args, given)
        assert result.exit_code == 0, result.output
        assert re.search(rf"\bwrote {re.escape(shown)}( \(|\n)", result.stderr), (given, result.stderr)
        assert "\nline" not in result.stderr
    assert Path("elsewhere", name).is_file() and Path(broken).is_file()


@pytest.mark.parametrize(("args", "name"), ONE_FILE_OUTPUTS, ids=ONE_FILE_IDS)
def test_an_output_link_that_cannot_be_written_through_is_named_as_given(tmp_path, monkeypatch, args, name):
    """The error names the link the user gave, not the file it leads to, and leaves both folders as they were."""
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out").mkdir()
    link = tmp_path / "out" / name
    link.symlink_to(tmp_path / "elsewhere" / name)

    def refuse(self: Path, other: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", refuse)
    result = run(*args, link)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: cannot write {link}: Permission denied; pass another {args[-1]} FILE\n"
    assert link.is_symlink() and [p.name for p in (tmp_path / "out").iterdir()] == [name]
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_file_in_the_way_of_an_output_is_named_as_typed_and_on_one_line(tmp_path, monkeypatch):
    """query and dump named the file in the way by its absolute path (README: ``Error: out is a file, not a
    folder``), and a name with a line break broke the error in two."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").write_text("x")
    (tmp_path / "a\nb").write_text("x")
    select = "SELECT ?c WHERE { ?c a kg:Chip } LIMIT 1"
    for args, expected in [
        (
            ["query", "--output", "out/r.csv", select],
            "Error: out is a file, not a folder; pass another --output FILE\n",
        ),
        (["dump", "--out", "out/g.nt"], "Error: out is a file, not a folder; pass another --out FILE\n"),
        (
            ["query", "--output", "a\nb/r.csv", select],
            "Error: $'a\\nb' is a file, not a folder; pass another --output FILE\n",
        ),
        (
            ["export", "neo4j", "--out", "a\nb/sub"],
            "Error: $'a\\nb' is a file, so the folder $'a\\nb/sub' cannot be made; pass another --out DIR\n",
        ),
    ]:
        result = run(*args)
        assert result.exit_code == 2, args
        assert result.stderr == expected, args


@pytest.mark.parametrize("command", [["build"], ["export", "neo4j"], ["export", "neo4j", "--flavor", "neptune"]])
def test_a_folder_output_is_not_standard_output(tmp_path, monkeypatch, command):
    """--output - is standard output for the commands that write one file; build and export neo4j, which write a
    folder of files, made a folder named '-' of it."""
    monkeypatch.chdir(tmp_path)
    result = run(*command, "--out", "-")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--out': this command writes a folder of files, not one stream to standard "
        "output; name a folder"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["build"], ["export", "neo4j"], ["export", "neo4j", "--flavor", "neptune"]])
def test_an_empty_folder_output_is_not_the_current_folder(tmp_path, monkeypatch, command):
    """--out "" (a script's --out "$OUT" with OUT unset) was read as the current folder: build wrote some 60 files
    into it, export neo4j some 40. The commands that write one file refuse an empty --output already."""
    monkeypatch.chdir(tmp_path)
    result = run(*command, "--out", "")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--out': the name is empty; name a folder (. for the current one)"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (["query", "ASK {}"], "--output"),
        (["queries", "run", "sections"], "-o"),
        (["viz"], "--output"),
        (["export", "json"], "-o"),
        (["export", "graphml"], "--output"),
        (["export", "ontology"], "-o"),
        (["dump"], "--out"),
    ],
)
def test_an_empty_file_output_is_refused_as_empty(tmp_path, monkeypatch, command, option):
    """--output "" was taken for the current folder: viz and export said `cannot write .: Device or resource busy`,
    query and dump `--output . is a folder`, of a folder no one named."""
    monkeypatch.chdir(tmp_path)
    result = run(*command, option, "")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].endswith(": the name is empty; name a file (- for standard output)")
    assert list(tmp_path.iterdir()) == []


#: A name no file system takes (255 bytes at most a name).
TOO_LONG = "b" * 300


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--data", TOO_LONG, "stats"], f"Invalid value for '--data': {TOO_LONG}: File name too long; name a folder"),
        (["--ontology", TOO_LONG, "stats"], f"Invalid value for '--ontology': {TOO_LONG}: File name too long; name"),
        (["--store", TOO_LONG, "stats"], f"Invalid value for '--store': {TOO_LONG}: File name too long; name the"),
        (["load", "--store", TOO_LONG], f"Invalid value for '--store': {TOO_LONG}: File name too long; name the"),
        (["build", "--out", TOO_LONG], f"Invalid value for '--out': {TOO_LONG}: File name too long; name another"),
        (["export", "neo4j", "--out", TOO_LONG], f"'--out': {TOO_LONG}: File name too long; name another folder"),
        (["viz", "-o", TOO_LONG], f"'--output' / '-o': {TOO_LONG}: File name too long; name another file"),
        (["dump", "--out", TOO_LONG], f"Invalid value for '--out': {TOO_LONG}: File name too long; name another file"),
        (["query", "ASK {}", "-o", TOO_LONG], f"'-o': {TOO_LONG}: File name too long; name another file"),
        (["query", "-f", TOO_LONG], f"cannot read {TOO_LONG} (-f): File name too long; check the file's name"),
    ],
    ids=lambda value: " ".join(value)[:40] if isinstance(value, list) else "",
)
def test_a_name_too_long_is_bad_usage_not_a_traceback(tmp_path, monkeypatch, args, said):
    """Looking such a name up (Path.exists, Path.is_dir) raised OSError, as for a folder one may not enter: the
    options that take a folder or a file, -f and a store's path stopped with a traceback (exit 1)."""
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1
    assert said in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_store_path_too_long_in_kgraph_toml_is_bad_usage(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kgraph.toml").write_text(f'[store]\npath = "{TOO_LONG * 20}"\n', encoding="utf-8")
    result = run("stats")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"Error: cannot look the store {TOO_LONG * 20} up: File name too long; pass --store DIR with the store's "
        "folder (or mend [store] path in kgraph.toml)\n"
    )


STORE = "the store's folder, such as kgraph-store"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--data", "in-the-way", "stats"], "'--data': in-the-way is a file, not a folder; name a folder (. for the"),
        (["--ontology", "in-the-way", "stats"], "'--ontology': in-the-way is a file, not a folder; name a folder"),
        (["--store", "in-the-way", "stats"], f"'--store': in-the-way is a file, not a folder; name {STORE}"),
        (["load", "--store", "in-the-way"], f"'--store': in-the-way is a file, not a folder; name {STORE}"),
        (["serve", "--store", "in-the-way"], f"'--store': in-the-way is a file, not a folder; name {STORE}"),
        (["build", "--out", "in-the-way"], "'--out': in-the-way is a file, not a folder; name another folder"),
        (["export", "neo4j", "--out", "in-the-way"], "'--out': in-the-way is a file, not a folder; name another"),
        (["viz", "--output", "away"], "'--output' / '-o': away is a folder; name a file (- for standard output)"),
        (["query", "-o", "away", "ASK {}"], "'--output' / '-o': away is a folder; name a file (- for standard"),
        (["queries", "run", "sections", "-o", "away"], "'--output' / '-o': away is a folder; name a file (- for"),
        (["export", "json", "-o", "away"], "'--output' / '-o': away is a folder; name a file (- for standard output)"),
        (["dump", "--out", "away"], "'--out': away is a folder; name a file (- for standard output)"),
    ],
)
def test_a_file_for_a_folder_or_a_folder_for_a_file_says_what_to_give(in_tmp, args, expected):
    """click said `Invalid value for '--out': Directory 'in-the-way' is a file.` and `File 'away' is a
    directory.`: what is wrong, not what to give instead."""
    (in_tmp / "in-the-way").write_text("x")
    (in_tmp / "away").mkdir()
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: Invalid value for {expected}"), result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert sorted(p.name for p in in_tmp.iterdir()) == ["away", "in-the-way"]
    assert list((in_tmp / "away").iterdir()) == []


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["viz", "--output", "new/"], "'--output' / '-o'"),
        (["query", "-o", "new/", "ASK {}"], "'--output' / '-o'"),
        (["export", "json", "-o", "new/"], "'--output' / '-o'"),
        (["export", "ontology", "-o", "new/"], "'--output' / '-o'"),
        (["dump", "--out", "new/"], "'--out'"),
    ],
)
def test_a_file_named_with_a_slash_at_its_end_is_refused_as_a_folder(in_tmp, args, option):
    """``kgraph viz -o new/``, meant as a folder to write into, wrote a file named ``new`` and said `wrote new`."""
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"Error: Invalid value for {option}: new/ ends in /, which names a folder; name a file (- for standard "
        "output)\n"
    )
    assert list(in_tmp.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["serve", "--host", ""], "'--host': the address is empty; give an address of this machine, such as 127.0.0.1"),
        (
            ["serve", "--host", " "],
            "'--host': the address is empty; give an address of this machine, such as 127.0.0.1",
        ),
        (
            ["path", "A", "B", "--avoid", " "],
            "'--avoid': the name is empty; give an entity's label, prefixed name or IRI (kgraph entities lists them)",
        ),
        (
            ["serve", "--auth-env", ""],
            "'--auth-env': the name is empty; name an environment variable, such as KGRAPH_SERVE_AUTH",
        ),
        (
            ["push", "--endpoint", "http://127.0.0.1:9/store", "--auth-env", ""],
            "'--auth-env': the name is empty; name an environment variable, such as KGRAPH_ENDPOINT_AUTH",
        ),
        (
            ["query", "--endpoint", "http://127.0.0.1:9/query", "--auth-env", "", "ASK {}"],
            "'--auth-env': the name is empty; name an environment variable, such as KGRAPH_ENDPOINT_AUTH",
        ),
        (
            ["queries", "run", "sections", "--auth-env", ""],
            "'--auth-env': the name is empty; name an environment variable, such as KGRAPH_ENDPOINT_AUTH",
        ),
    ],
)
def test_an_empty_host_or_variable_name_is_refused(args, expected):
    """--auth-env "" named no variable: query and push went without a password without a word, serve asked to set
    `$=user:password`; serve --host "" warned of serving `on  WITHOUT authentication`, then failed to bind."""
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == f"Error: Invalid value for {expected}\n"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["show", ""], None),
        (["show", "  "], None),
        (["path", "", "AWS"], None),
        (["neighbors", ""], None),
        (["lineage", " "], None),
        (["path", "Sony", "AWS", "--avoid", ""], "--avoid"),
        (["viz", "--focus", "", "--output", "v.html"], "--focus"),
    ],
)
def test_an_empty_entity_name_is_refused_as_empty(in_tmp, args, option):
    """kgraph show "$NAME" with NAME unset read every label to suggest close ones, then said `nothing is named ''`,
    exit 1, as for a name not in the graph; an empty --avoid or --focus likewise. It is bad usage (exit 2)."""
    result = run(*args)
    assert result.exit_code == 2, result.output
    empty = "the name is empty; give an entity's label, prefixed name or IRI (kgraph entities lists them)"
    assert result.stderr == (f"Error: Invalid value for '{option}': {empty}\n" if option else f"Error: {empty}\n")
    assert list(in_tmp.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["path", "A", "B", "--max", "x"], "'--max': 'x' is not a whole number"),
        (["neighbors", "A", "--depth", "two"], "'--depth': 'two' is not a whole number"),
        (["communities", "--seed", ""], "'--seed': '' is not a whole number"),
        (["communities", "--resolution", "x"], "'--resolution': 'x' is not a number"),
        (["serve", "--port", "http"], "'--port': 'http' is not a whole number"),
        (["query", "--timeout", "", "ASK {}"], "'--timeout': '' is not a number of seconds"),
        (["push", "--endpoint", "http://127.0.0.1:9/x", "--timeout", "5s"], "'--timeout': '5s' is not a number of"),
    ],
)
def test_a_value_that_is_no_number_is_told_what_the_option_takes(args, expected):
    """click named its type: `'x' is not a valid integer range.` for --max, `'' is not a valid seconds.` for
    --timeout."""
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: Invalid value for {expected}"), result.stderr
    assert "is not a valid" not in result.stderr


@pytest.mark.parametrize(
    ("args", "option", "what"),
    [
        (["--data", "", "stats"], "'--data'", "a folder (. for the current one)"),
        (["--ontology", "", "stats"], "'--ontology'", "a folder (. for the current one)"),
        (["--store", "", "stats"], "'--store'", STORE),
        (["load", "--store", ""], "'--store'", STORE),
        (["serve", "--store", ""], "'--store'", STORE),
        (["push", "--endpoint", "http://127.0.0.1:9/x", "--store", ""], "'--store'", STORE),
        (["query", "-f", ""], "'-f' / '--file'", "a file (- for standard input)"),
    ],
)
def test_an_empty_folder_or_query_file_name_is_refused_as_empty(in_tmp, args, option, what):
    """--data "" (a script's --data "$DATA" with DATA unset) read the data files of the current folder without a
    word; --store "" said `. is not a kgraph store ...; build one with kgraph load --store .`, which is refused;
    query -f "" said `cannot read . (-f): Is a directory`."""
    (in_tmp / "mine.ttl").write_text(PREFIXES + 'kgr:a a kg:Chip ; rdfs:label "A"@en .\n', encoding="utf-8")
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: Invalid value for {option}: the name is empty; name {what}\n"
    assert sorted(p.name for p in in_tmp.iterdir()) == ["mine.ttl"]


@pytest.mark.parametrize(
    "command",
    [
        ["serve", "--host", "0.0.0.0"],  # noqa: S104 - refused before binding
        ["push", "--endpoint", "http://127.0.0.1:9/store"],
        ["query", "--endpoint", "http://127.0.0.1:9/query", "ASK {}"],
        ["queries", "run", "sections", "--endpoint", "http://127.0.0.1:9/query"],
    ],
)
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("MY=admin:secret", "the name holds '=' (NAME=user:password?); name the variable alone, such as KGRAPH_"),
        ("admin:secret", "the name holds ':' (its value user:password?); name the variable, such as KGRAPH_"),
        ("$MY_AUTH", "the name goes without the $: --auth-env MY_AUTH"),
        ("my auth", "'my auth' is not a variable's name (letters, digits and _, not a digit first); name one, such"),
        ("1AUTH", "'1AUTH' is not a variable's name"),
    ],
)
def test_a_variable_name_no_shell_can_set_is_refused(command, name, expected):
    """--auth-env took any name: one no variable has (MY=admin:secret, or --auth-env "$KGRAPH_SERVE_AUTH", its
    value) left query and push without a password without a word, and serve --host 0.0.0.0 asked to `set
    $MY=admin:secret=user:password`, printing the password. A name that may hold it is never repeated."""
    result = run(*command, "--auth-env", name)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: Invalid value for '--auth-env': {expected}"), result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "secret" not in result.output


def test_serve_refuses_a_named_login_variable_that_is_unset(monkeypatch):
    """serve --auth-env MY_AUTH with MY_AUTH not exported served without a login on 127.0.0.1, without a word:
    the user asked for a password and every client got in without one. It is refused before anything loads."""
    monkeypatch.delenv("MY_AUTH", raising=False)
    result = run("serve", "--auth-env", "MY_AUTH")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: Invalid value for --auth-env: $MY_AUTH is not set; export MY_AUTH=user:password first, or leave "
        "--auth-env out to serve without a login on this machine\n"
    )


def test_push_warns_of_a_named_login_variable_that_is_unset(monkeypatch):
    """push --auth-env MY_AUTH with MY_AUTH not exported went without a login, without a word."""
    monkeypatch.delenv("MY_AUTH", raising=False)
    result = run("push", "--endpoint", "http://127.0.0.1:9/store", "--auth-env", "MY_AUTH")
    assert result.exit_code == 3  # nothing listens there
    assert result.stderr.splitlines()[0] == (
        "warning: $MY_AUTH (--auth-env) is not set: pushing to http://127.0.0.1:9/store without a login"
    )


def test_an_output_that_is_a_loop_of_symbolic_links_is_refused_in_one_line(tmp_path):
    """Every command that writes a file or a folder raised a traceback (Python's RuntimeError from resolve) for a
    link that points at itself; on Python 3.13 the write would have replaced the link."""
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    select = "SELECT ?c WHERE { ?c a kg:Chip } LIMIT 1"
    for args, option in [
        (["query", "--output", loop, select], "--output"),
        (["dump", "--out", loop], "--out"),
        (["export", "json", "--output", loop / "x.json"], "--output"),
        (["export", "neo4j", "--out", loop], "--out"),
        (["viz", "--output", loop], "--output"),
        (["build", "--out", loop], "--out"),
    ]:
        result = CliRunner().invoke(cli, [str(a) for a in args])
        assert result.exit_code == 2, (args, result.output)
        target = args[-2] if args[0] == "query" else args[-1]
        assert result.stderr == (
            f"Error: {option} {target} leads into a loop of symbolic links; fix the link or pass another {option}\n"
        ), args
    assert loop.is_symlink() and str(loop.readlink()) == "loop"


@pytest.mark.parametrize(
    ("query", "name"),
    [("CONSTRUCT WHERE { kgr:trainium3 a ?c }", "r.csv"), ("SELECT ?c WHERE { kgr:trainium3 a ?c }", "r.ttl")],
)
def test_an_output_named_for_a_format_the_answer_cannot_take_is_refused(tmp_path, query, name):
    """A CONSTRUCT into r.csv wrote Turtle, a SELECT into r.ttl a text table: files that lie about their content.
    The error names the file as it was given (it gave the last part alone: `--output r.csv` for out/r.csv), as the
    other errors of --output do."""
    result = run("query", "--output", tmp_path / name, query)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: --output {tmp_path / name}: a {Path(name).suffix} file does not fit ")
    assert not (tmp_path / name).exists()


_SELECT = "SELECT ?c WHERE { kgr:trainium3 a ?c }"
_CONSTRUCT = "CONSTRUCT WHERE { kgr:trainium3 a ?c }"


@pytest.mark.parametrize(
    ("args", "name", "said"),
    [
        ((_SELECT,), "a.nq", "a .nq file holds N-Quads, which a SELECT query is not written in; name it .csv, "),
        ((_SELECT,), "a.csv.gz", "a .gz file is compressed, and an answer is written uncompressed: name it without "),
        (("--format", "csv", _SELECT), "a.csv.gz", "a .gz file is compressed"),
        ((_CONSTRUCT,), "g.nq", "a .nq file holds N-Quads, which a CONSTRUCT query (a graph) is not written in; "),
        ((_CONSTRUCT,), "g.rdf", "a .rdf file holds RDF/XML, which a CONSTRUCT query (a graph) is not written in"),
        ((_CONSTRUCT,), "g.owl", "a .owl file holds RDF/XML, which a CONSTRUCT query (a graph) is not written in"),
        ((_CONSTRUCT,), "g.trig", "a .trig file holds TriG, which a CONSTRUCT query (a graph) is not written in"),
        (("--format", "nt", _CONSTRUCT), "g.nq", "a .nq file holds N-Quads, which a CONSTRUCT query (a graph) "),
        (("--format", "json", _SELECT), "a.tsv", "a .tsv file holds tsv, and --format is json; make them agree (a "),
        (("--format", "turtle", _CONSTRUCT), "g.nt", "a .nt file holds nt, and --format is turtle; make them agree"),
        (("--update", "INSERT DATA { kgr:a kgr:b kgr:c }"), "g.nq", "a .nq file holds N-Quads, which the graph after "),
        (("queries", "run", "succession", "--param", "product=Trainium3"), "s.nq", "a .nq file holds N-Quads, which "),
    ],
)
def test_an_output_named_for_a_format_no_answer_is_written_in_is_refused(tmp_path, args, name, said):
    """A SELECT into a.nq wrote a text table, into a.csv.gz an uncompressed one, a CONSTRUCT into g.nq (.rdf, .owl,
    .trig) Turtle, --format json into a.tsv JSON: files whose name lies about their content, as kgraph dump refuses
    to write. Nothing is written."""
    command = args if args[0] == "queries" else ("query", *args)
    result = run(*command, "--output", tmp_path / name)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: --output {tmp_path / name}: {said}"), result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "name", "first"),
    [
        (
            ("--format", "nt", _CONSTRUCT),
            "g.ttl",
            b"<https://w3id.org/kgraph/resource/trainium3> ",
        ),  # N-Triples is Turtle
        (("--format", "json-ld", _CONSTRUCT), "g.json", b"{"),  # JSON-LD is JSON
        ((_CONSTRUCT,), "g.n3", b"@prefix"),  # Turtle is N3
        (("--format", "csv", _SELECT), "a.txt", b"c\r\n"),  # a .txt file holds any text
        ((_SELECT,), "a.out", b"c\n---"),  # a suffix kgraph does not know: the default, the table
    ],
)
def test_an_output_named_for_what_it_holds_is_written(tmp_path, args, name, first):
    result = run("query", *args, "--output", tmp_path / name)
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).read_bytes().startswith(first)


def test_dump_writes_the_format_its_file_name_says(tmp_path):
    quads = run("dump", "--out", tmp_path / "g.nq")
    assert quads.exit_code == 0, quads.stderr
    assert (tmp_path / "g.nq").read_bytes() == run("dump", "--format", "nq").stdout_bytes
    refused = run("dump", "--out", tmp_path / "h.nq", "--format", "nt")
    assert refused.exit_code == 2
    assert refused.stderr == f"Error: --out {tmp_path / 'h.nq'} names a .nq file, and --format is nt; make them agree\n"


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("g.jsonld", "names a JSON-LD file, and kgraph dump writes N-Triples or N-Quads: name it .nt or .nq"),
        ("g.TTL", "names a Turtle file, and kgraph dump writes N-Triples or N-Quads: name it .nt or .nq"),
        ("g.csv", "names a CSV file, and kgraph dump writes N-Triples or N-Quads: name it .nt or .nq"),
        ("g.nq.gz", "names a compressed file, and kgraph dump writes plain text: write to stdout and compress it"),
    ],
)
def test_dump_refuses_a_file_name_that_says_another_format(tmp_path, name, says):
    """``dump --out graph.jsonld`` (or ``graph.nq.gz``) wrote plain N-Triples under that name and said it wrote it."""
    result = run("dump", "--out", tmp_path / name)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: --out {tmp_path / name} {says}")
    assert result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
    assert run("dump", "--out", tmp_path / "g.data").exit_code == 0  # a name that says no format is N-Triples


@pytest.mark.parametrize("fmt", ["nt", "nq"])
def test_dump_in_memory_writes_only_the_format_asked_for(fmt, loaded, monkeypatch):
    """dump rendered every RDF export of kgraph build (Turtle, TriG and JSON-LD too) to write one: 47-60
    CPU-seconds on a generated graph of 100k triples, 13-17 s now. The same bytes as kgraph build's file."""
    from kgraph.export import rdf  # noqa: PLC0415

    expected = rdf.render(loaded)[f"kgraph.{fmt}"]

    def refused(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("dump wrote an export it does not write")

    monkeypatch.setattr(rdf, "json_ld", refused)
    monkeypatch.setattr(rdf, "_serialize", refused)
    result = run("dump", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == expected


def test_viz_writes_the_page_to_standard_output_with_a_dash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page = run("viz", "--focus", "Trainium3", "--output", "-")
    assert page.exit_code == 0, page.stderr
    assert page.stdout.startswith("<!DOCTYPE html>")
    assert list(tmp_path.iterdir()) == []  # no file called -
    opened = CliRunner().invoke(cli, ["viz", "--output", "-", "--open"])
    assert opened.exit_code == 2
    assert "--open needs a file to open" in opened.stderr


# ------------------------------------------------------------------------------------------ text of the data


HOSTILE = "Evil\x1b]0;pwned\x07 Corp\x1b[2J\r\nline two\x9b\u2028three"


@pytest.fixture
def hostile(make_kg) -> list[str]:
    """A graph whose label has an escape that retitles the terminal, one that clears it, a line break, a C1."""
    data = PREFIXES + (
        'kgr:evil a kg:Company ; rdfs:label """'
        + HOSTILE.replace("\x1b", "\\u001b")
        .replace("\x07", "\\u0007")
        .replace("\x9b", "\\u009b")
        .replace("\u2028", "\\u2028")
        .replace("\r", "\\r")
        .replace("\n", "\\n")
        + '"""@en ; kg:uses kgr:good .\n'
        'kgr:good a kg:Company ; rdfs:label "Good"@en .\n'
    )
    data_dir, ontology_dir = make_kg({"x.ttl": data}, {"kgraph.ttl": ONTOLOGY})
    return ["--data", str(data_dir), "--ontology", str(ontology_dir)]


@pytest.mark.parametrize(
    "args",
    [
        ["show", "kgr:evil"],
        ["show", "Good"],
        ["entities"],
        ["path", "Good", "kgr:evil"],
        ["neighbors", "Good"],
        ["rank"],
        ["communities"],
        ["query", "SELECT ?l WHERE { ?x rdfs:label ?l }"],
    ],
    ids=" ".join,
)
def test_the_text_of_the_data_never_drives_the_terminal(hostile, args):
    """A label printed as it is retitled the window (ESC ] 0; ... BEL), cleared the screen (ESC [ 2J) and broke
    the lines of tables; it is shown with the pictures of its control characters, on its line."""
    result = run(*hostile, *args)
    assert result.exit_code == 0, result.output
    assert not any(
        (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029" for c in result.stdout
    ), repr(result.stdout)
    line = next(line for line in result.stdout.split("\n") if "Evil" in line)
    assert "Evil␛]0;pwned␇ Corp␛[2J" in line and "line two" in line and "three" in line


@pytest.mark.parametrize(
    "args",
    [
        ["path", "kgr:evil", "kgr:evil"],
        ["path", "kgr:evil", "Good", "--avoid", "kgr:evil"],
        ["lineage", "kgr:evil"],
    ],
    ids=" ".join,
)
def test_errors_that_name_an_entity_never_drive_the_terminal(hostile, args):
    """path, neighbors and lineage put the label as it was into their errors: the escape sequences reached the
    terminal and the line break split the one-line error in two."""
    result = run(*hostile, *args)
    assert result.exit_code in (1, 2), result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: Evil␛]0;pwned␇ Corp␛[2J") and "line two" in line, line
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in line), repr(line)


def _one_line_each(stderr: str) -> list[str]:
    """The lines of ``stderr``, none with a control character (a line break splits lines; nothing else shows)."""
    lines = stderr.splitlines()
    for line in lines:
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029" for c in line), repr(line)
    return lines


def test_an_error_names_a_file_with_a_line_break_on_one_line(make_kg, in_tmp):
    """A file name with a line break split the one-line error (file:line: what is wrong) in two; the name is now
    written as bash's $'...' reads it back."""
    make_kg({"bad\nname.ttl": PREFIXES + "kgr:x a kg:Chip kgr:y .\n"})
    result = run("--data", "data", "--ontology", "ontology", "validate")
    assert result.exit_code == 2, result.output
    (line,) = _one_line_each(result.stderr)
    assert line.startswith(f"Error: $'data/bad\\nname.ttl':{PREFIXES.count(chr(10)) + 1}: bad syntax"), line
    assert line.endswith("; fix the file and run again"), line


def test_a_warning_names_a_file_with_escape_sequences_on_one_line_without_them(make_kg, in_tmp):
    """A warning printed a file's name as it was: ESC [ 2J in it cleared the terminal, ESC ] 0; ... BEL retitled
    the window, a line break split the warning in two."""
    name = "evil\x1b[2J\x1b]0;pwned\x07\nx.ttl"
    make_kg({name: PREFIXES + 'kgr:acme a kg:Company ; rdfs:label "Acme"@en ; kg:value "x"^^xsd:integer .\n'})
    result = run("--data", "data", "--ontology", "ontology", "show", "Acme")
    assert result.exit_code == 0, result.output
    (line,) = _one_line_each(result.stderr)
    quoted = "$'data/evil\\x1b[2J\\x1b]0;pwned\\x07\\nx.ttl'"
    assert line == f'warning: {quoted}:13: "x" is not a valid xsd:integer; it is kept as written, and ' + (
        "comparisons and arithmetic on it fail"
    )


def test_a_query_file_with_a_line_break_is_named_on_one_line(in_tmp):
    """A query's syntax error names its file first (file:line:column), then shows the line and a caret: a line break
    in the file's name made that first line two."""
    Path("bad\nquery.rq").write_text("SELECT WHERE {\n", encoding="utf-8")
    result = run("query", "-f", "bad\nquery.rq")
    assert result.exit_code == 2, result.output
    first, *rest = _one_line_each(result.stderr)
    assert first.startswith("Error: $'bad\\nquery.rq':1:"), first
    assert len(rest) == 2, result.stderr  # the query's line and the caret under it


def test_a_stale_store_warns_of_a_file_with_a_line_break_on_one_line(make_kg, in_tmp):
    """The warnings of a store whose files changed name each file, and the command that loads them again, on one
    line: the names in $'...', which a shell reads back as they are."""
    make_kg({"a\nb.ttl": PREFIXES + "kgr:a a kg:Chip .\n"})
    Path("my\textra.nt").write_text("<https://example.org/x> <https://example.org/p> <https://example.org/y> .\n")
    built = run("--data", "data", "--ontology", "ontology", "load", "--store", "s", "my\textra.nt")
    assert built.exit_code == 0, built.output
    Path("data/a\nb.ttl").write_text(PREFIXES + "kgr:a a kg:Company .\n", encoding="utf-8")
    result = run("--store", "s", "show", "kgr:a")
    assert result.exit_code == 0, result.output
    (line,) = _one_line_each(result.stderr)
    again = "kgraph --data data --ontology ontology load --store s $'my\\textra.nt'"
    assert line == f"warning: $'data/a\\nb.ttl' changed since it was loaded into s; run {again} again"


def test_machine_formats_keep_the_text_of_the_data_as_it_is(hostile):
    result = run(*hostile, "query", "--format", "json", "SELECT ?l WHERE { kgr:evil rdfs:label ?l }")
    assert json.loads(result.stdout)["results"]["bindings"][0]["l"]["value"] == HOSTILE


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_bom_starts_a_csv_answer_so_excel_reads_chinese(tmp_path, fmt):
    """Excel opens a UTF-8 CSV file without a byte order mark in the system's code page, so the Chinese labels of
    an answer opened with a double click came out garbled; there was no way to ask for one."""
    text = "SELECT ?label WHERE { kgr:amazon rdfs:label ?label } ORDER BY ?label"
    plain = run("query", text, "--format", fmt)
    marked = run("query", text, "--format", fmt, "--bom")
    assert marked.exit_code == 0, marked.output
    assert marked.stdout_bytes == b"\xef\xbb\xbf" + plain.stdout_bytes
    assert "亚马逊" in marked.stdout_bytes[3:].decode("utf-8")
    out = tmp_path / f"answer.{fmt}"
    assert run("queries", "run", "people", "--bom", "-o", out).exit_code == 0  # the format from the suffix
    assert out.read_bytes().startswith(b"\xef\xbb\xbf" + (b"person," if fmt == "csv" else b"?person\t"))
    assert not plain.stdout_bytes.startswith(b"\xef\xbb\xbf")


def test_bom_is_refused_for_an_answer_that_is_not_csv():
    result = run("query", "SELECT ?s WHERE { ?s a kg:Chip }", "--bom")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: --bom is for CSV and TSV answers; this one is table: leave --bom out\n")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["entities", "--class", "Chip"], "Error: No such option '--class'. Did you mean '--lang'?"),
        (["--nope", "stats"], "Error: No such option '--nope'. Did you mean '--store'?"),
        (["shw", "Trainium3"], "Error: No such command 'shw'. Did you mean 'show'?"),
        (["show"], "Error: Missing argument 'NAME'. Usage: kgraph show [OPTIONS] NAME"),
        (["path", "Nvidia"], "Error: Missing argument 'B'. Usage: kgraph path [OPTIONS] A B"),
        (["queries", "run"], "Error: Missing argument 'NAME'. Usage: kgraph queries run [OPTIONS] NAME"),
        (  # a name of two words left without quotes: "Got unexpected extra argument (Bedrock)" alone
            ["show", "Amazon", "Bedrock"],
            "Error: Got unexpected extra argument (Bedrock). Usage: kgraph show [OPTIONS] NAME; put an argument of "
            'several words in quotes ("Amazon Bedrock")',
        ),
        (["stats", "x", "y"], "Error: Got unexpected extra arguments (x y). Usage: kgraph stats [OPTIONS]"),
        (  # a saved query's parameter without its --param: the hint on quotes sent the reader the wrong way
            ["queries", "run", "customers-of", "product=Bedrock"],
            "Error: Got unexpected extra argument (product=Bedrock). Usage: kgraph queries run [OPTIONS] NAME; a "
            "parameter goes after --param: --param product=Bedrock",
        ),
        (
            ["queries", "run", "customers-of", "product=Amazon", "Bedrock"],
            "Error: Got unexpected extra arguments (product=Amazon Bedrock). Usage: kgraph queries run [OPTIONS] "
            'NAME; a parameter goes after --param: --param product="Amazon Bedrock"',
        ),
        (
            ["query", "SELECT ?c WHERE { ?c a kg:Chip }", "c=it's"],
            "Error: Got unexpected extra argument (c=it's). Usage: kgraph query [OPTIONS] [QUERY | -]; a parameter "
            """goes after --param: --param 'c=it'"'"'s'""",
        ),
        (["entities", "--lang", "fr"], "Error: Invalid value for '--lang': 'fr' is not one of 'en', 'zh'."),
        (["query"], "Error: give a query: kgraph query 'SELECT ...', -f FILE, or - to read standard input"),
        (  # kgraph's own options given after the command: "No such option '--data'." alone left the reader lost
            ["validate", "--data", "my-data"],
            "Error: No such option '--data': it is an option of kgraph itself, so it goes before the command "
            "(kgraph --data DIR validate ...)",
        ),
        (
            ["export", "neo4j", "--store", "kgraph-store"],
            "Error: No such option '--store': it is an option of kgraph itself, so it goes before the command "
            "(kgraph --store DIR export neo4j ...)",
        ),
    ],
)
def test_a_usage_error_is_one_line(args, said):
    """A usage error is said as kgraph's other errors are, on one line; click's took four (the usage, a line
    that points to --help, a blank line, then the message), on the command's options and on kgraph's own."""
    result = CliRunner().invoke(cli, args, prog_name="kgraph")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == said + "\n"


def test_a_file_whose_name_starts_with_a_dash_is_told_how_to_pass_it(in_tmp):
    """``kgraph load --store s -old.ttl`` said ``No such option '-o'.`` alone, of a file that is there: click reads
    every word that starts with - as options. It says the word is a file here and how to write it; a word that
    names nothing, or a command that takes no files (``show -old.ttl``), gets click's message as it was."""
    for name in ("-old.ttl", "--new.ttl", "-my data #1.ttl"):
        (in_tmp / name).write_text(PREFIXES, encoding="utf-8")
    (in_tmp / "-more").mkdir()
    cases = [
        (
            ["load", "--store", "s", "-old.ttl"],
            "No such option '-o': -old.ttl is a file here; to pass a name that starts with -, write it ./-old.ttl",
        ),
        (
            ["load", "--store", "s", "x.ttl", "--new.ttl"],
            "No such option '--new.ttl': --new.ttl is a file here; to "
            "pass a name that starts with -, write it ./--new.ttl",
        ),
        (
            ["load", "--store", "s", "-my data #1.ttl"],
            "No such option '-m': -my data #1.ttl is a file here; to pass "
            "a name that starts with -, write it './-my data #1.ttl'",
        ),
        (
            ["load", "-more"],
            "No such option '-m': -more is a folder here; to pass a name that starts with -, write it ./-more",
        ),
        (["load", "--store", "s", "-gone.ttl"], "No such option '-g'."),
        (["show", "-old.ttl"], "No such option '-o'."),
    ]
    for args, said in cases:
        result = CliRunner().invoke(cli, args, prog_name="kgraph")
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {said}\n"), args
    assert sorted(p.name for p in in_tmp.iterdir()) == sorted(["-old.ttl", "--new.ttl", "-my data #1.ttl", "-more"])


def test_a_query_file_whose_name_starts_with_a_dash_is_told_to_be_passed_with_f(in_tmp):
    """``kgraph query -my.rq`` said ``No such option '-m'.`` alone, of a query file that is there: query reads a
    file with -f, so it says to pass it so. A folder, or a word that names nothing, gets click's message."""
    (in_tmp / "-my.rq").write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    (in_tmp / "-my query.rq").write_text("ASK {}\n", encoding="utf-8")
    (in_tmp / "-more").mkdir()
    cases = [
        (["query", "-my.rq"], "No such option '-m': -my.rq is a file here; to run the query in it, pass -f ./-my.rq"),
        (
            ["query", "--format", "csv", "-my query.rq"],
            "No such option '-m': -my query.rq is a file here; to run the query in it, pass -f './-my query.rq'",
        ),
        (["query", "-more"], "No such option '-m'."),
        (["query", "-mine.rq"], "No such option '-m'."),
    ]
    for args, said in cases:
        result = CliRunner().invoke(cli, args, prog_name="kgraph")
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {said}\n"), args
    result = CliRunner().invoke(cli, ["query", "-f", "./-my.rq", "--format", "csv"], prog_name="kgraph")
    assert result.exit_code == 0 and result.stdout.startswith("s,p,o"), result.output


def test_a_query_file_named_dash_f_something_is_told_to_be_passed_with_f(in_tmp):
    """``kgraph query -foo.rq`` is read by click as ``-f oo.rq``, and said only ``cannot read oo.rq (-f)``: of a
    file ``-foo.rq`` that is there, it says so, and how to pass it. ``-f oo.rq`` as two words, or a folder, keeps
    the message as it was."""
    (in_tmp / "-foo.rq").write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    (in_tmp / "-fmy q.rq").write_text("ASK {}\n", encoding="utf-8")
    (in_tmp / "-fdir").mkdir()
    missing = "No such file or directory"
    check = "check the file's name, and that it is readable"
    cases = [
        (
            ["query", "-foo.rq"],
            f"cannot read oo.rq (-f): {missing}; -foo.rq is a file here, which reads as -f oo.rq; to run the query "
            "in it, pass -f ./-foo.rq",
        ),
        (
            ["query", "--format", "csv", "-fmy q.rq"],
            f"cannot read my q.rq (-f): {missing}; -fmy q.rq is a file here, which reads as -f 'my q.rq'; to run the "
            "query in it, pass -f './-fmy q.rq'",
        ),
        (["query", "-f", "oo.rq"], f"cannot read oo.rq (-f): {missing}; {check}"),
        (["query", "-fdir"], f"cannot read dir (-f): {missing}; {check}"),
    ]
    for args, said in cases:
        result = CliRunner().invoke(cli, args, prog_name="kgraph")
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {said}\n"), args
    result = CliRunner().invoke(cli, ["query", "-f", "./-foo.rq", "--format", "csv"], prog_name="kgraph")
    assert result.exit_code == 0 and result.stdout.startswith("s,p,o"), result.output


@pytest.mark.parametrize("args", [[], ["export"]])
def test_a_group_given_no_command_shows_its_help_as_click_does(args):
    """A group given no command shows its help, as click does; made one line, it printed ``Error: Usage: ...``
    and the whole help after it (click 8.2 says it with a usage error whose message is the help)."""
    result = CliRunner().invoke(cli, args, prog_name="kgraph")
    assert result.exit_code in (0, 2)  # click 8.1 exits 0, 8.2 and later 2
    shown = result.stdout + result.stderr
    assert shown.startswith("Usage: kgraph")
    assert "Error" not in shown
    assert "Commands:" in shown

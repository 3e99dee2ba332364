"""Shell completion (README, "Shell completion"): command names without importing the commands, and the names
only the graph knows (entities, classes, relations), the saved queries; in memory and on a store; in real bash,
zsh and fish."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from conftest import PREFIXES
from kgraph import names
from kgraph.cli import LAZY_COMMANDS, cli
from kgraph.query import library
from kgraph.resources import default_data_dir
from kgraph.store import LoadedGraph
from kgraph.vocab import KG

#: Every command, as ``kgraph --help`` lists them.
COMMANDS = sorted([*LAZY_COMMANDS, "build", "entities", "show", "stats", "validate"])


def complete(args: list[str], incomplete: str) -> list[tuple[str, str | None]]:
    """What the Tab key offers after ``kgraph ARGS INCOMPLETE``: (value, help) pairs, as click computes them for
    every shell."""
    found = ShellComplete(cli, {}, "kgraph", "_KGRAPH_COMPLETE").get_completions(args, incomplete)
    return [(item.value, item.help) for item in found]


def values(args: list[str], incomplete: str) -> list[str]:
    return [value for value, _help in complete(args, incomplete)]


def _named_starting_with(loaded: LoadedGraph, prefix: str) -> set[URIRef]:
    """The oracle: every resource kgraph finds by a name (label, alt label, local name) that starts with
    ``prefix``, as names.find compares names."""
    graph = loaded.graph
    ontology = set(loaded.ontology.subjects())
    named = {s for p in (RDFS.label, SKOS.altLabel) for s in graph.subjects(p, None) if isinstance(s, URIRef)}
    named |= {s for s in graph.subjects(RDF.type, KG.Entity) if isinstance(s, URIRef)}
    key = names.normalise(prefix)
    found = set()
    for s in named - ontology:
        spellings = [*names.texts(graph, s, RDFS.label), *names.texts(graph, s, SKOS.altLabel), names.local_name(s)]
        if any(names.normalise(text).startswith(key) for text in spellings):
            found.add(s)
    return found


@pytest.fixture(params=["memory", "store"])
def where(request: pytest.FixtureRequest, store_dir: Path) -> list[str]:
    return [] if request.param == "memory" else ["--store", str(store_dir)]


@pytest.mark.parametrize("prefix", ["Trai", "amazon", "AMAZON B", "英伟", "nova", "a", "", "kiro", "zzz"])
def test_every_name_offered_is_one_word_that_names_what_starts_so(loaded, where, prefix):
    offered = values([*where, "show"], prefix)
    assert len(offered) == len(set(offered))
    # a word as the shell inserts it, or a prefixed name where no such word names it alone (src:agentcore, a
    # section titled as the entity Amazon Bedrock AgentCore, whose alt label is AgentCore)
    assert all(names.shell_word(value) or re.fullmatch(r"[a-z]+:[\w.-]+", value) for value in offered), offered
    expected = _named_starting_with(loaded, prefix)
    assert {names.find(loaded, value) for value in offered} == expected
    entities = values([*where, "path"], prefix)
    assert {names.find(loaded, value) for value in entities} == {
        s for s in expected if (s, RDF.type, KG.Entity) in loaded.graph
    }


def test_names_are_offered_as_written_shortest_first_else_by_their_local_name(where):
    assert values([*where, "show"], "Trai")[:4] == ["Trainium", "Trainium2", "Trainium3", "Trainium4"]
    assert "trainium3-ultraserver" in values([*where, "show"], "Trai")  # "Trainium3 UltraServer": two words
    assert "Trainium3制程" in values([*where, "show"], "Trai")  # a figure: show shows it
    assert "Trainium3制程" not in values([*where, "path"], "Trai")  # path goes between entities
    assert complete([*where, "show"], "英伟") == [("英伟达", "Nvidia / 英伟达")]
    assert complete([*where, "neighbors"], "nvidia g") == [("nvidia-gb300-nvl72", "Nvidia GB300 NVL72")]
    assert values([*where, "path", "Sony"], "trainium3") == ["Trainium3", "trainium3-ultraserver"]
    assert values([*where, "lineage"], "zzz") == []


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        *[("Trainium3", True), ("英伟达", True), ("gpt-5.1", True), ("Amazon Bedrock", False), ("kg:Chip", False)],
        *[("-rf", False), ("it's", False), ("a\tb", False), ("", False), ("x$y", False), ("(x)", False)],
    ],
)
def test_a_name_is_offered_as_written_only_when_a_shell_takes_it_as_one_argument(text, whole):
    assert names.shell_word(text) is whole


def test_the_names_of_a_store_are_read_from_its_index_or_else_from_the_store(loaded, store_dir, tmp_path):
    """A store's name index answers by a range of its keys; one that cannot be read is passed over, as names.find
    passes it over, and the same names come from the labels."""
    broken = tmp_path / "store"
    shutil.copytree(store_dir, broken)
    (broken / "names.sqlite").write_bytes(b"not a database")
    for prefix in ("Trai", "amazon", "英伟"):
        assert values(["--store", str(broken), "show"], prefix) == values(["--store", str(store_dir), "show"], prefix)
        assert values(["--store", str(broken), "show"], prefix) == values(["show"], prefix)


def test_at_most_a_limit_of_names_is_offered(monkeypatch):
    monkeypatch.setattr("kgraph.completion.LIMIT", 3)
    assert values(["show"], "Trai") == ["Trainium", "Trainium2", "Trainium3"]


DEVELOPED_BY = "developed by / 开发方"
SUCCEEDS = "succeeds / 继任"


@pytest.mark.parametrize(
    ("args", "incomplete", "expected"),
    [
        (["entities", "--type"], "Ch", [("Chip", "Chip / 芯片")]),
        (["entities", "--type"], "芯", [("芯片", "Chip / 芯片")]),  # only the Chinese label starts so
        (["rank", "--type"], "AI", [("AIAgent", "AI agent / AI代理"), ("AIModel", "AI model / AI模型")]),
        (["viz", "--type"], "chip", [("Chip", "Chip / 芯片")]),
        (["path", "--relation"], "dev", [("developed", "developed / 开发了"), ("developedBy", DEVELOPED_BY)]),
        (["neighbors", "--relation"], "succ", [("succeededBy", "succeeded by / 被继任"), ("succeeds", SUCCEEDS)]),
        (["entities", "--type"], "zzz", []),
    ],
)
def test_classes_and_relations_are_offered_by_a_name_their_options_take(loaded, args, incomplete, expected):
    assert complete(args, incomplete) == expected


def test_the_saved_queries_are_offered_with_their_titles():
    everything = library.saved_queries()
    assert complete(["queries", "show"], "") == [(saved.name, saved.title) for saved in everything]
    assert values(["queries", "run"], "cust") == ["customer-results", "customers-and-vendors", "customers-of"]
    assert values(["queries", "run"], "nothing") == []


@pytest.mark.parametrize(
    ("incomplete", "expected"),
    [
        ("entity=Trainium", ["entity=Trainium", "entity=Trainium2", "entity=Trainium3", "entity=Trainium4"]),
        ("lang=", ["lang=en", "lang=zh"]),
        ("lang=Z", ["lang=zh"]),
        ("entity", []),  # before the =: type it, kgraph queries lists the parameters
        ("nothing=x", []),
    ],
)
def test_a_saved_query_s_parameter_is_offered_the_values_its_kind_takes(where, incomplete, expected):
    args = [*where, "queries", "run", "figures-of", "--param"]
    assert values(args, incomplete)[: len(expected) or None] == expected
    assert values([*where, "query", "SELECT * {}", "--param"], incomplete) == []  # a query's own variables
    assert values([*where, "query", "figures-of", "--param"], incomplete) == []  # a text, not the saved query


def test_a_parameter_of_a_class_is_offered_the_instances_of_that_class(where):
    """section-facts' section was offered entities only (kg:Entity), none of them a section: a parameter that
    names its class (entity kg:SourceSection) is offered the instances of that class, each written as the query
    takes it back to that one, in one word (src:agentcore's titles are the product's names too)."""
    args = [*where, "queries", "run", "section-facts", "--param"]
    offered = ["section=Adobe合作案例", "section=AI基础设施创新", "section=src:agentcore", "section=bedrock-models"]
    assert values(args, "section=A") == offered  # a title with a space is no shell word: the Chinese or local name
    assert values(args, "section=Sony") == ["section=Sony合作案例"]
    events = values([*where, "queries", "run", "announced-at", "--param"], "event=AWS")
    assert events == ["event=reinvent-2025", "event=reinvent-2025-keynote"]


def test_a_class_parameter_is_offered_class_names():
    assert complete(["queries", "run", "instances-of", "--param"], "class=Ch") == [("class=Chip", "Chip / 芯片")]


def test_the_commands_are_offered_with_the_summaries_of_their_help():
    assert values([], "") == COMMANDS
    assert ("queries", "The saved queries that come with kgraph:...") in complete([], "que")
    assert values(["export"], "g") == ["gexf", "graphml"]


def test_a_graph_that_cannot_be_read_offers_nothing(tmp_path):
    assert values(["--data", str(tmp_path / "missing"), "show"], "Trai") == []
    assert values(["--store", str(tmp_path), "show"], "Trai") == []  # not a store


def _completing(args: str, cwd: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``kgraph`` asked by bash for the completions of ``args`` (the last word the one being typed), in a new
    process; ``extra``: Python run first, in that process."""
    words = args.split(" ")
    environment = {**os.environ, "_KGRAPH_COMPLETE": "bash_complete", "COMP_WORDS": args}
    environment["COMP_CWORD"] = str(len(words) - 1)
    script = "\n".join(
        [
            *extra,
            "from kgraph.cli import main",
            "try:",
            "    main()",
            "finally:",
            "    print(' '.join(sorted(sys.modules)), file=sys.stderr)",
        ]
    )
    command = [sys.executable, "-c", f"import sys\n{script}"]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=environment, check=False)


@pytest.mark.parametrize(("words", "offered"), [("kgraph ", COMMANDS), ("kgraph que", ["queries", "query"])])
def test_completing_a_command_imports_no_command(tmp_path, words, offered):
    """The Tab key after ``kgraph`` imported every command's module whose name starts with what was typed
    (networkx, the exports, the server, the viewer) to list their names: 0.75 s and 52 MB after ``kgraph ``."""
    done = _completing(words, tmp_path)
    assert done.returncode == 0
    assert done.stdout.splitlines() == [f"plain,{name}" for name in offered]
    loaded = set(done.stderr.split())
    modules = sorted({target.partition(":")[0] for target in LAZY_COMMANDS.values()})
    assert [name for name in (*modules, "networkx", "kgraph.export", "pyvis") if name in loaded] == []


@pytest.mark.parametrize("words", ["kgraph viz --focus Trainium", "kgraph path Trainium", "kgraph neighbors Trainium"])
def test_completing_a_name_imports_neither_the_writers_nor_networkx(tmp_path, words):
    """Completing a name after ``viz --focus`` imported every writer of ``kgraph build`` (the CSV, SPARQL, the
    viewer), for the one function that writes a file; after ``path`` or ``neighbors``, networkx too: twice the
    CPU time of the same completion after ``show``."""
    done = _completing(words, tmp_path)
    assert done.returncode == 0
    assert "plain,Trainium3" in done.stdout.splitlines()
    loaded = set(done.stderr.split())
    heavy = ("networkx", "kgraph.analysis", "kgraph.export.build", "kgraph.export.neo4j", "kgraph.export.graph")
    assert [name for name in heavy if name in loaded] == []


def test_a_completion_says_nothing_of_the_graph_on_stderr(tmp_path):
    """The graph's warnings (here an empty data file) would land in the middle of the line being typed."""
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    (data / "empty.ttl").write_text("", encoding="utf-8")
    done = _completing(f"kgraph --data {data} show Trainium3", tmp_path)
    assert done.returncode == 0
    assert done.stdout.splitlines()[:2] == ["plain,Trainium3", "plain,Trainium3制程"]
    assert done.stderr.count("\n") == 1  # the list of modules alone


def _shell(name: str) -> str:
    """The shell ``name`` on PATH; the test fails, saying what to install, when there is none."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"no {name} on PATH: install it (apt-get install zsh fish) to test completion in it")
    return found


def _with_kgraph_on_path() -> dict[str, str]:
    """The environment of a shell whose ``kgraph`` is the one installed beside this Python."""
    scripts = Path(sys.executable).parent
    assert (scripts / "kgraph").exists()
    return {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"}


#: A graph with a label that holds a comma and a colon, the two characters shells' completion scripts split at.
PUNCTUATED = {
    "d.trig": PREFIXES
    + """
src:s { src:s a kg:SourceSection . kgr:acme a kg:Company ; rdfs:label "Acme, Inc.: the maker"@en , "阿克米"@zh . }
"""
}


def test_bash_completes_names_with_the_script_kgraph_writes(tmp_path):
    """The whole way, as README sets it up: the script from ``_KGRAPH_COMPLETE=bash_source kgraph``, run by bash,
    which calls kgraph (the one installed beside this Python)."""
    bash = shutil.which("bash")
    assert bash is not None
    environment = _with_kgraph_on_path()
    line = (
        'eval "$(_KGRAPH_COMPLETE=bash_source kgraph)"\n'
        "COMP_WORDS=(kgraph show 英伟); COMP_CWORD=2; _kgraph_completion kgraph\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
        "COMP_WORDS=(kgraph neighbors amazon-b); COMP_CWORD=2; COMPREPLY=(); _kgraph_completion kgraph\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run([bash, "-c", line], capture_output=True, text=True, cwd=tmp_path, env=environment, check=True)
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        "英伟达",
        "amazon-bedrock",
        "amazon-bedrock-agentcore",
        "amazon-bedrock-guardrails",
        "amazon-bedrock-model-catalog",
    ]


def _fish(tmp_path: Path, *lines: str) -> list[list[str]]:
    """What fish offers for each of ``lines`` (``complete -C``, as a Tab would), with kgraph's script installed
    where README puts it: each candidate as [value, the line fish shows beside it]."""
    fish = _shell("fish")
    config = tmp_path / "config"
    (config / "fish" / "completions").mkdir(parents=True)
    environment = {**_with_kgraph_on_path(), "XDG_CONFIG_HOME": str(config), "_KGRAPH_COMPLETE": "fish_source"}
    script = subprocess.run(["kgraph"], capture_output=True, text=True, env=environment, check=True).stdout
    (config / "fish" / "completions" / "kgraph.fish").write_text(script, encoding="utf-8")
    del environment["_KGRAPH_COMPLETE"]
    offered = []
    for line in lines:
        command = f"complete --do-complete {shlex.quote(line)}"
        done = subprocess.run(
            [fish, "--no-config", "-c", f"source {config}/fish/completions/kgraph.fish; {command}"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=environment,
            check=True,
        )
        assert done.stderr == ""
        offered.append([row.split("\t") for row in done.stdout.splitlines()])
    return offered


def test_fish_completes_names_with_their_labels_beside_them(tmp_path, make_kg):
    """README: fish shows the English and Chinese labels beside each name, and offers a saved query's parameter
    values after ``--param KEY=``. Checked in fish itself, with the script kgraph writes. click's own fish script
    cut the line shown at its first comma: ``Acme`` for ``Acme, Inc.: the maker``."""
    data_dir, ontology_dir = make_kg(PUNCTUATED)
    names_, values_, punctuated = _fish(
        tmp_path,
        "kgraph show 英伟",
        "kgraph queries run customers-of --param product=AgentCore网",
        f"kgraph --data {data_dir} --ontology {ontology_dir} show ac",
    )
    assert names_ == [["英伟达", "Nvidia / 英伟达"]]
    assert values_ == [["product=AgentCore网关", "AgentCore Gateway / AgentCore网关"]]
    assert punctuated == [["acme", "Acme, Inc.: the maker / 阿克米"]]


def _zsh(tmp_path: Path, line: str) -> list[list[str]]:
    """What zsh offers when ``line`` and a Tab are typed into it, set up as README says (compinit, then kgraph's
    script): each candidate as [value, the line zsh shows for it]. The zsh runs in a pseudo-terminal, driven by
    tests/shells/zsh_complete.zsh."""
    zsh = _shell("zsh")
    shells = Path(__file__).resolve().parent / "shells"
    done = subprocess.run(
        [zsh, "-f", str(shells / "zsh_complete.zsh"), str(shells / "zsh_capture.zsh"), line],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_with_kgraph_on_path(),
        check=True,
        timeout=120,
    )
    return [row.split("\t") for row in done.stdout.splitlines()]


def test_zsh_completes_names_with_their_labels_beside_them(tmp_path, make_kg):
    """README: zsh shows the English and Chinese labels beside each name, and offers a saved query's parameter
    values after ``--param KEY=`` (bash splits the word at ``=``). Checked in zsh itself, a Tab typed into it."""
    data_dir, ontology_dir = make_kg(PUNCTUATED)
    assert _zsh(tmp_path, "kgraph show 英伟") == [["英伟达", "英伟达  -- Nvidia / 英伟达"]]
    offered = _zsh(tmp_path, "kgraph queries run customers-of --param product=AgentCore网")
    assert [value for value, _shown in offered] == ["product=AgentCore网关"]
    assert offered[0][1].endswith("-- AgentCore Gateway / AgentCore网关")
    punctuated = _zsh(tmp_path, f"kgraph --data {data_dir} --ontology {ontology_dir} show ac")
    assert punctuated == [["acme", "acme  -- Acme, Inc.: the maker / 阿克米"]]

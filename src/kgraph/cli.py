"""The ``kgraph`` command: parse options, call the core, format the output.

stdout carries data only; the summary, warnings and errors go to stderr. Exit codes: 0 ok, 1 a negative answer
(the graph does not conform, a name is not found), 2 a usage error or bad input, 3 no answer (a time limit, an
endpoint) (``KGraphError.exit_code``); 130, 143 and 129 for Ctrl-C, SIGTERM and SIGHUP.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import click

from kgraph import __version__, completion
from kgraph.atomic import refuse_inputs
from kgraph.cli_common import (
    CONTEXT_SETTINGS,
    STORE_FOLDER,
    TABLES,
    ClosedOutput,
    Folder,
    Group,
    OutFolder,
    State,
    inputs_of,
    option_given,
    pass_state,
    record_format_option,
    warn,
    write_failure,
    write_records,
)
from kgraph.errors import ValidationFailed
from kgraph.text import file_name, terminal_safe, triple_counts

# The core commands below import what they use (validation, explore, formatting) when they run, so that every
# other command, a query above all, starts without them.

# The commands of the other areas, each in its own module, imported only when they run (see LazyGroup).
LAZY_COMMANDS = {
    "communities": "kgraph.cli_analysis:communities",
    "dump": "kgraph.cli_store:dump_command",
    "export": "kgraph.cli_export:export",
    "lineage": "kgraph.cli_analysis:lineage",
    "load": "kgraph.cli_store:load_command",
    "neighbors": "kgraph.cli_analysis:neighbors",
    "path": "kgraph.cli_analysis:path",
    "push": "kgraph.cli_serve:push",
    "queries": "kgraph.cli_query:queries",
    "query": "kgraph.cli_query:query",
    "rank": "kgraph.cli_analysis:rank",
    "serve": "kgraph.cli_serve:serve",
    "viz": "kgraph.cli_viz:viz",
}
#: What ``kgraph --help`` says of each, without importing it: the first paragraph of its help (a test holds them
#: to it).
LAZY_SUMMARIES = {
    "communities": "Find communities of entities (Louvain, seeded: the same on every run), each with its members.",
    "dump": "Stream the whole graph as N-Triples or N-Quads.",
    "export": "Write the graph in a format another tool loads.",
    "lineage": "Show the succession (kg:succeeds) through NAME, oldest first, with each step's figures.",
    "load": "Load the ontology, the data and FILES into a persistent store at DIR, and infer.",
    "neighbors": "List the entities within --depth steps of NAME, each with one shortest chain from NAME.",
    "path": "Print the shortest paths between two entities as chains of labels and relations.",
    "push": "Upload the graph (ontology, data and inferences) to a SPARQL 1.1 store.",
    "queries": "The saved queries that come with kgraph: list them (no sub-command, or list), show one, run one.",
    "query": "Run a SPARQL query on the graph (inferences included), or at an endpoint.",
    "rank": "List the most central entities, computed on the whole graph of stated relations.",
    "serve": "Serve the graph: a read-only SPARQL 1.1 endpoint, the viewer and the saved queries, over HTTP.",
    "viz": "Write an interactive graph viewer: one HTML file that opens from disk, offline.",
}


@click.group(cls=Group, context_settings=CONTEXT_SETTINGS, lazy=LAZY_COMMANDS, summaries=LAZY_SUMMARIES)
@click.option(
    "--data",
    metavar="DIR",
    type=Folder(),
    help="Folder of data files (*.trig, *.ttl, *.nt, *.nq). Default: the bundled data.",
)
@click.option(
    "--ontology",
    metavar="DIR",
    type=Folder(),
    help="Folder of the ontology (*.ttl ..., shapes.ttl, rules/*.rq). Default: the bundled ontology.",
)
@click.option(
    "--store",
    metavar="DIR",
    type=Folder(STORE_FOLDER),
    help="Read the persistent store kgraph load built in DIR instead of the files (for large graphs). "
    "Default: [store] path in ./kgraph.toml, if any.",
)
@click.option(
    "--tables",
    type=click.Choice(TABLES),
    default="auto",
    show_default=True,
    envvar="KGRAPH_TABLES",
    show_envvar=True,
    help="A table wider than the terminal is printed a record a row (auto), or as it is (wide); records: "
    "always a record a row. A table to a pipe or a file is printed as it is, unless records.",
)
@click.version_option(__version__, prog_name="kgraph")
@click.pass_context
def cli(ctx: click.Context, data: Path | None, ontology: Path | None, store: Path | None, tables: str) -> None:
    """A knowledge graph of technology products and customers from the AWS re:Invent 2025 keynote.

    Every command reads the ontology and the data (the bundled ones unless --data/--ontology say
    otherwise) and infers what they imply, or, with --store DIR, reads the store kgraph load built.
    Exit codes: 0 ok, 1 a negative answer (does not conform, not found), 2 bad usage or bad input,
    3 no answer (a query past its time limit, an endpoint or store that failed); 130 Ctrl-C, 143 and
    129 when stopped by SIGTERM or SIGHUP.

    \b
    Example:
        kgraph show Trainium3
    """
    ctx.obj = State.of_options(data, ontology, store, tables)


@cli.command()
@click.option(
    "--out",
    metavar="DIR",
    type=OutFolder(),
    default=Path("exports"),
    show_default=True,
    help="Folder to write the exports into (created if missing).",
)
@click.option(
    "--no-viewer",
    is_flag=True,
    help="Write every export but the viewer's pages (for a graph too large to draw), and remove those an "
    "earlier build left in the folder; ontology.html is still written.",
)
@click.option(
    "--max-entities",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    # kgraph.viewer.MAX_ENTITIES, which a test holds this to: kgraph.viewer imports rdflib, which every command would
    # then import before it starts
    help="Stop with an error rather than draw more entities than this in the viewer's pages, as kgraph viz "
    "does.  [default: 5000]",
)
@pass_state
def build(state: State, out: Path, no_viewer: bool, max_entities: int | None) -> None:
    """Load, validate and infer, then write every export: RDF, Neo4j/Neptune CSV and the viewer.

    RDF as Turtle, N-Triples, JSON-LD, TriG and N-Quads; neo4j/ and neptune/ CSV with their load
    scripts; the interactive viewer (graph.html, three focused views and index.html) and the
    ontology's page (ontology.html).

    Nothing is written when the graph does not conform to the shapes (exit 1, report on stderr),
    nor when it has more entities than the viewer draws (exit 2: pass --no-viewer), and a failed
    build leaves the previous exports as they were.

    \b
    Example:
        kgraph build --out exports
        kgraph --store kgraph-store build --no-viewer
    """
    from kgraph import formatting  # noqa: PLC0415 - see the note at the top
    from kgraph.validation import validate as validate_graph  # noqa: PLC0415

    started = time.perf_counter()
    loaded = state.loaded()
    report = validate_graph(loaded)
    for warning in report.warnings:
        warn(warning)
    if report.results:
        click.echo(formatting.validation_report(report), err=True, nl=False)
    if not report.conforms:
        raise ValidationFailed(report, f"the graph does not conform to the shapes; nothing written to {out}")
    from kgraph.export.build import write_all  # noqa: PLC0415 - every writer's imports, for build alone

    refuse_inputs(out, "--out", inputs_of(loaded))
    if no_viewer and max_entities is not None:
        raise click.UsageError(
            "--max-entities limits the viewer's pages, which --no-viewer leaves out; leave one of them out"
        )
    written = write_all(loaded, out, viewer=not no_viewer, max_entities=max_entities)
    click.echo(f"loaded {len(loaded.files)} files: {triple_counts(len(loaded.graph), len(loaded.inferred))}", err=True)
    click.echo(formatting.validation_verdict(report), err=True)
    for path in written.paths:
        click.echo(f"wrote {file_name(str(path))} ({path.stat().st_size:,} bytes)", err=True)
    for path in written.removed:
        click.echo(f"removed {file_name(str(path))} (an earlier build's, not in this one)", err=True)
    click.echo(f"done in {time.perf_counter() - started:.1f} s", err=True)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle"]),
    default="text",
    show_default=True,
    help="text: a readable report; turtle: the SHACL validation report as RDF.",
)
@click.option(
    "--shapes",
    "print_shapes",
    is_flag=True,
    help="Print the complete shapes graph used (shapes.ttl + the derived domain/range shapes) as Turtle.",
)
@pass_state
@click.pass_context
def validate(ctx: click.Context, state: State, fmt: str, print_shapes: bool) -> None:
    """Check the graph against the SHACL shapes (ontology/shapes.ttl + domain and range shapes).

    Exit 0 if it conforms, 1 if it does not, 2 on an error (as pySHACL). Warnings do not fail it.
    For each problem: the entity (label and IRI), the rule broken, and what to fix.

    \b
    Example:
        kgraph validate
        kgraph --data my-data/ validate --format turtle > report.ttl
    """
    from kgraph import formatting  # noqa: PLC0415 - see the note at the top
    from kgraph.validation import shapes_graph  # noqa: PLC0415
    from kgraph.validation import validate as validate_graph  # noqa: PLC0415

    if print_shapes:
        if fmt == "text" and option_given(ctx, "fmt"):  # it was ignored: the shapes are Turtle, not a report
            raise click.UsageError("--shapes prints the shapes as Turtle; leave --format text out with it")
        click.echo(shapes_graph(state.loaded()).serialize(format="turtle"), nl=False)
        return
    report = validate_graph(state.loaded(), progress=lambda step: click.echo(step, err=True))
    for warning in report.warnings:
        warn(warning)
    if fmt == "turtle":
        click.echo(report.turtle(), nl=False)
        click.echo(formatting.validation_verdict(report), err=True)
    else:
        click.echo(terminal_safe(formatting.validation_report(report)), nl=False)
    if not report.conforms:
        ctx.exit(1)


_LANG_LABELS = click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Name classes, relations and other resources by their labels in this language (zh: headings too).",
)


@cli.command()
@_LANG_LABELS
@pass_state
def stats(state: State, lang: str) -> None:
    """Count what the graph holds: classes, relations, figures and source sections.

    Classes are counted directly and with their sub-classes; relations as stated and as inferred.

    \b
    Example:
        kgraph stats
        kgraph stats --lang zh
    """
    from kgraph import explore, formatting  # noqa: PLC0415 - see the note at the top

    click.echo(terminal_safe(formatting.stats(explore.stats(state.loaded(), lang), lang, state.layout())), nl=False)


@cli.command()
@click.argument("name", shell_complete=completion.name)
@_LANG_LABELS
@pass_state
def show(state: State, name: str, lang: str) -> None:
    """Show everything the graph says about one entity.

    NAME is an English or Chinese label or alternative label (any case), an IRI local name,
    a prefixed name such as kgr:trainium3, or a full IRI. Prints its classes, names, descriptions,
    relations (stated, then inferred), figures and the source sections that state it.
    A name that matches nothing exits 1 with suggestions.

    \b
    Example:
        kgraph show Trainium3
        kgraph show 英伟达 --lang zh
    """
    from kgraph import explore, formatting, names  # noqa: PLC0415 - see the note at the top

    loaded = state.loaded()
    described = explore.describe(loaded, names.find(loaded, name, lang=lang), lang)
    click.echo(terminal_safe(formatting.description(described, lang)), nl=False)


@cli.command()
@click.option(
    "--type",
    "types",
    metavar="CLASS",
    multiple=True,
    shell_complete=completion.class_name,
    help="Only instances of CLASS and its sub-classes: Chip, kg:Chip, 'AI model' or 芯片. Repeatable.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    help="Show labels in this language only (class names too; zh heads the table in Chinese). Default: both.",
)
@record_format_option("a row per entity: name, iri, class, label_en, label_zh")
@pass_state
def entities(state: State, types: tuple[str, ...], lang: str | None, fmt: str) -> None:
    """List entities as a table: name, class, English label, Chinese label.

    \b
    Example:
        kgraph entities --type Chip
        kgraph entities --type Chip --type Company
        kgraph entities --type 公司 --lang zh
        kgraph entities --format csv > entities.csv
    """
    from kgraph import explore, formatting, names  # noqa: PLC0415 - see the note at the top

    loaded = state.loaded()
    classes = [names.resolve_class(loaded, name) for name in types]  # "" is an unknown class, as for viz
    rows = explore.entities(loaded, classes, lang)
    if fmt == "text":
        click.echo(terminal_safe(formatting.entity_table(rows, lang, state.layout())), nl=False)
        return
    languages = [lang] if lang else ["en", "zh"]
    columns = [f"label_{tag}" for tag in languages]  # the fields of EntityRow, named as the columns
    write_records(
        fmt,
        ["name", "iri", "class", *columns],
        ([row.name, row.iri, row.classes, *(getattr(row, c) for c in columns)] for row in rows),
    )


def _hold_closed_descriptors() -> None:
    """Open the null device on standard input, output or error if the command started with it closed
    (``kgraph ... 2>&-``): else the next file opened (an output file, the store's) takes its number, and what is
    written to standard error at that level (by Oxigraph, say) lands in it."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)  # the lowest free number: this one, or a lower closed one
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``kgraph`` console script and ``python -m kgraph``."""
    _hold_closed_descriptors()
    if sys.stdout is None:  # started with standard output closed: a command that writes there says so
        sys.stdout = ClosedOutput()
    if sys.stderr is None:  # started with standard error closed: messages go nowhere, never into the output
        sys.stderr = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 - for the life of the process
    if os.environ.get("_KGRAPH_COMPLETE"):  # a shell asks for its script or for completions
        completion.use_own_shell_scripts()
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="kgraph")
    except OSError as error:  # writing what the group itself prints (--help, --version): the commands' own are met
        failure = write_failure(error)  # in Group.invoke
        if failure is None:
            raise
        failure.show()
        sys.exit(failure.exit_code)

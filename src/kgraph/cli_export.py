"""``kgraph export FORMAT``: write the graph for another tool (Neo4j, Amazon Neptune, Gephi, Cytoscape, D3), or the
ontology as a page to read.

Each format is a sub-command of the :data:`export` group; the modules that own a format add theirs with
``export.add_command(...)``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from kgraph._compat import one_malloc_arena
from kgraph.atomic import refuse_inputs
from kgraph.cli_common import CONTEXT_SETTINGS, LazyGroup, OutFile, OutFolder, State, inputs_of, pass_state
from kgraph.text import counted, file_name, triple_counts


@click.group(
    cls=LazyGroup,
    context_settings=CONTEXT_SETTINGS,
    # The graph formats of kgraph.cli_analysis, imported only when one of them runs; --help lists them by these.
    lazy={
        "gexf": "kgraph.cli_analysis:gexf",
        "graphml": "kgraph.cli_analysis:graphml",
        "json": "kgraph.cli_analysis:json_",
    },
    summaries={
        "gexf": "Write the graph of entities as GEXF 1.2, for Gephi.",
        "graphml": "Write the graph of entities as GraphML, for Cytoscape, yEd or Gephi.",
        "json": "Write the graph of entities as node-link JSON, for D3 and networkx.",
    },
)
def export() -> None:
    """Write the graph in a format another tool loads.

    \b
    Example:
        kgraph export neo4j --out exports/neo4j
    """


@export.command("neo4j")
@click.option(
    "--out",
    metavar="DIR",
    type=OutFolder(),
    help="Folder to write into (created if missing). Default: exports/neo4j, or exports/neptune with --flavor neptune.",
)
@click.option(
    "--flavor",
    type=click.Choice(["neo4j", "neptune"]),
    default="neo4j",
    show_default=True,
    help=(
        "neo4j: neo4j-admin import files, import.sh and load.cypher (load-before-5.23.cypher for Neo4j 5.0-5.22); "
        "neptune: Amazon Neptune's openCypher CSV."
    ),
)
@pass_state
def neo4j_command(state: State, out: Path | None, flavor: str) -> None:
    """Write the graph as CSV files for Neo4j 5 and later (or Amazon Neptune) and the commands that load them.

    Nodes get labels from their classes (Chip;Hardware;Product;Entity;Resource) and their IRI as the
    property iri; stated relations become relationships (TRAINED_ON ...) with their types, source
    sections and whether they are inferred. The files are streamed, and replace the previous ones
    only when all are written. The graph is not validated (kgraph validate does that).

    \b
    Example:
        kgraph export neo4j --out exports/neo4j
        kgraph export neo4j --flavor neptune --out exports/neptune
    """
    from kgraph.export import neo4j, neptune  # noqa: PLC0415 - not for kgraph export --help

    started = time.perf_counter()
    # Before the store's threads and the export's own start: they allocate from the main thread's arena.
    one_malloc_arena()
    folder = out or Path("exports") / flavor
    loaded = state.loaded()
    refuse_inputs(folder, "--out", inputs_of(loaded))
    summary = (neptune if flavor == "neptune" else neo4j).export(loaded, folder)
    click.echo(f"loaded {len(loaded.files)} files: {triple_counts(len(loaded.graph), len(loaded.inferred))}", err=True)
    nodes = counted(summary.nodes, "node", grouped=True)
    click.echo(f"{nodes}, {counted(summary.relationships, 'relationship', grouped=True)}", err=True)
    for name in summary.files:
        path = folder / name
        click.echo(f"wrote {file_name(str(path))} ({path.stat().st_size:,} bytes)", err=True)
    for path in summary.removed:
        click.echo(f"removed {file_name(str(path))} (an earlier export's, not in this one)", err=True)
    click.echo(f"done in {time.perf_counter() - started:.1f} s", err=True)


@export.command("ontology")
@click.option(
    "--output",
    "-o",
    type=OutFile(allow_dash=True),
    metavar="FILE",
    help="File to write (atomically: a failed export leaves the previous file). Default: stdout.",
)
@pass_state
def ontology_command(state: State, output: Path | None) -> None:
    """Write the ontology as one HTML page, in English and Chinese, that opens offline.

    The header (title, version, version IRI, licence, namespace and prefix), then every class,
    property and named value with its labels, definition, super- and sub-terms, domain, range,
    inverse and characteristics, the SHACL constraints of shapes.ttl that apply to it, and how much
    of the graph uses it; each term's anchor is its local name (#Chip). kgraph build writes it as
    exports/ontology.html. The same ontology and graph give the same bytes.

    \b
    Example:
        kgraph export ontology --output ontology.html
    """
    from kgraph.export import ontology  # noqa: PLC0415 - Jinja, not for kgraph export --help
    from kgraph.query.files import write_atomic  # noqa: PLC0415

    loaded = state.loaded()
    content = ontology.render_page(loaded)
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    write_atomic(output, content, inputs_of(loaded))
    click.echo(f"wrote {file_name(str(output))} ({len(content):,} bytes)", err=True)

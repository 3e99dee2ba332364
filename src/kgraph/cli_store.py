"""``kgraph load`` (build the persistent store) and ``kgraph dump`` (stream the graph as N-Triples or N-Quads).

Every other command reads the store instead of the files when given ``--store DIR`` (see
:meth:`kgraph.cli_common.State.loaded`), or when ``kgraph.toml`` in the current folder names one::

    [store]
    path = "kgraph-store"   # relative to kgraph.toml
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import IO, Any

import click

from kgraph.cli_common import (
    CONFIG_FILE,
    CONTEXT_SETTINGS,
    STORE_FOLDER,
    BadInput,
    Folder,
    InFile,
    OutFile,
    State,
    configured_store,
    inputs_of,
    pass_state,
    warn,
)
from kgraph.store import display_path
from kgraph.text import COMPRESSED_SUFFIXES, file_name, triple_counts


class _Bar:
    """A progress bar on stderr for each large file read (click draws it only on a terminal)."""

    def __init__(self) -> None:
        self.label = ""
        self.bar: Any = None

    def step(self, message: str) -> None:
        self.label = message
        click.echo(message, err=True)

    def start(self, total: int, label: str) -> None:
        self.bar = click.progressbar(length=total, label=f"  {label}", file=sys.stderr, show_eta=True, width=30)
        self.bar.__enter__()

    def advance(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(done)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@click.command("load", context_settings=CONTEXT_SETTINGS)
@click.argument("files", nargs=-1, type=InFile())
@click.option(
    "--store",
    "store_option",
    metavar="DIR",
    type=Folder(STORE_FOLDER),
    help="The store folder (created, or replaced when complete). Same as kgraph --store DIR load.",
)
@click.option("--force", is_flag=True, help="Rebuild even if the store already holds exactly these files.")
@pass_state
def load_command(state: State, files: tuple[Path, ...], store_option: Path | None, force: bool) -> None:
    """Load the ontology, the data and FILES into a persistent store at DIR, and infer.

    For graphs that outgrow memory (hundreds of thousands of triples and up): the store is an Oxigraph
    database on disk, and every command given --store DIR reads it without parsing anything again.
    FILES (*.ttl, *.trig, *.nt, *.nq) are added to the data folder's files. The store is built in a
    temporary folder and replaces DIR only when complete, so a failed load leaves DIR as it was.
    A store that already holds exactly these files is left alone (--force rebuilds it).

    \b
    Example:
        kgraph load --store kgraph-store
        kgraph --data my-data load catalogue.nt --store kgraph-store
        kgraph --store kgraph-store show Trainium3
    """
    from kgraph import persist  # noqa: PLC0415 - pyoxigraph loads only for the commands that need it

    store_dir = state.given_store(store_option)
    if store_dir is None:
        raise BadInput(f"kgraph load needs a store folder: pass --store DIR, or set [store] path in {CONFIG_FILE}")
    started = time.perf_counter()
    built = persist.build(store_dir, state.data, state.ontology, files, force=force, progress=_Bar())
    where = display_path(store_dir)
    for warning in built.warnings:
        warn(warning)
    counts = triple_counts(built.triples, built.inferred)
    if not built.rebuilt:
        click.echo(f"{where} already holds these {built.files} files: {counts}; --force rebuilds it", err=True)
        return
    click.echo(f"loaded {built.files} files into {where}: {counts}", err=True)
    click.echo(f"done in {time.perf_counter() - started:.1f} s", err=True)


@click.command("dump", context_settings=CONTEXT_SETTINGS)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["nt", "nq"]),
    help="nt: the flat graph (ontology + data + inferences) as N-Triples; nq: every named graph as N-Quads. "
    "Default: nq for an --out FILE.nq, else nt.",
)
@click.option(
    "--out",
    type=OutFile(),
    help="Write to this file (replaced only when complete). Default: stdout.",
)
@pass_state
def dump_command(state: State, fmt: str | None, out: Path | None) -> None:
    """Stream the whole graph as N-Triples or N-Quads.

    With --store the triples stream straight from the store in bounded memory, in the store's order;
    in memory they are written sorted, as kgraph build writes exports/kgraph.nt and kgraph.nq.

    \b
    Example:
        kgraph --store kgraph-store dump --out graph.nt
        kgraph dump --format nq > graph.nq
    """
    fmt = _dump_format(fmt, out)
    loaded = state.loaded()
    if out is None or str(out) == "-":
        _dump(loaded, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    from kgraph.query.files import write_atomic  # noqa: PLC0415

    written = write_atomic(out, lambda stream: _dump(loaded, fmt, stream), inputs_of(loaded), "--out")
    click.echo(f"wrote {file_name(str(out))} ({written:,} bytes)", err=True)  # /dev/null's size says 0


#: Suffixes of files that hold something else than N-Triples or N-Quads, and what they hold.
_NOT_DUMPS = {
    ".ttl": "a Turtle",
    ".trig": "a TriG",
    ".n3": "an N3",
    ".jsonld": "a JSON-LD",
    ".json": "a JSON",
    ".rdf": "an RDF/XML",
    ".owl": "an RDF/XML",
    ".xml": "an XML",
    ".csv": "a CSV",
    ".tsv": "a TSV",
    ".html": "an HTML",
}


def _dump_format(fmt: str | None, out: Path | None) -> str:
    """``--format``, else what the ``--out`` file's name says (``.nq``: N-Quads); a name that says the other
    format is refused (N-Triples in ``graph.nq`` would read as a graph without its named graphs), and so is one that
    says another format (``graph.jsonld``) or a compressed file (``graph.nt.gz``): a file whose name lies."""
    suffix = out.suffix.lower() if out is not None and str(out) != "-" else ""
    if suffix in COMPRESSED_SUFFIXES:
        raise BadInput(
            f"--out {out} names a compressed file, and kgraph dump writes plain text: write to stdout and "
            f"compress it (kgraph dump | gzip > graph.nt.gz)"
        )
    if suffix in _NOT_DUMPS:
        raise BadInput(
            f"--out {out} names {_NOT_DUMPS[suffix]} file, and kgraph dump writes N-Triples or N-Quads: name it "
            f".nt or .nq (kgraph build writes Turtle, TriG and JSON-LD)"
        )
    implied = {".nt": "nt", ".nq": "nq"}.get(suffix)
    if fmt is not None and implied is not None and implied != fmt:
        raise BadInput(f"--out {out} names a .{implied} file, and --format is {fmt}; make them agree")
    return fmt or implied or "nt"


def _dump(loaded: Any, fmt: str, stream: IO[bytes]) -> None:  # noqa: ANN401 - a LoadedGraph
    from kgraph import persist  # noqa: PLC0415
    from kgraph.export import rdf  # noqa: PLC0415

    native = persist.native_of(loaded)
    if native is not None:
        (persist.write_ntriples if fmt == "nt" else persist.write_nquads)(native, stream)
        return
    stream.write(rdf.render_lines(loaded, fmt))


COMMANDS = (load_command, dump_command)
__all__ = ["COMMANDS", "CONFIG_FILE", "configured_store"]

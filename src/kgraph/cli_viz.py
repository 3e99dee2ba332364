"""``kgraph viz``: write the interactive graph viewer, one HTML file that works offline."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import click

from kgraph import names
from kgraph.cli_common import CONTEXT_SETTINGS, State, pass_state
from kgraph.errors import InputError
from kgraph.export.files import write_files


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("exports/graph.html"),
    show_default=True,
    help="The HTML file to write (its folder is created if missing).",
)
@click.option(
    "--focus",
    metavar="NAME",
    help="Draw only NAME and its neighbours: an English or Chinese label, a local name, kgr:... or an IRI.",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="With --focus: how many relations away from NAME to go (either direction).",
)
@click.option(
    "--type",
    "types",
    metavar="CLASS",
    multiple=True,
    help="Only instances of CLASS and its sub-classes (Chip, kg:Chip, 'AI model', 芯片); repeat for several.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="The language the page opens in (it has an English / 中文 switch).",
)
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default web browser.")
@pass_state
@click.pass_context
def viz(
    ctx: click.Context,
    state: State,
    *,
    output: Path,
    focus: str | None,
    depth: int,
    types: tuple[str, ...],
    lang: str,
    open_page: bool,
) -> None:
    """Write an interactive graph viewer: one HTML file that opens from disk, offline.

    Every entity is a node, coloured and shaped by class; every stated relation an arrow labelled
    with its name. The page has a search over English and Chinese names, class and relation
    filters, a details panel (relations, figures, sources), an English / 中文 switch, and Fit /
    Reset buttons. Positions are computed here, seeded: the same graph gives the same file.

    \b
    Example:
        kgraph viz --open
        kgraph viz --focus Trainium3 --depth 2 --output trainium3.html
        kgraph viz --type Company --type Service --lang zh
    """
    from kgraph.viewer.model import select  # noqa: PLC0415 - numpy, Jinja and pyvis load only for this command
    from kgraph.viewer.page import Context, render_page  # noqa: PLC0415

    if focus is None and ctx.get_parameter_source("depth") is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError("--depth needs --focus NAME")
    loaded = state.loaded()
    classes = [names.resolve_class(loaded, name) for name in types]
    target = names.find(loaded, focus) if focus is not None else None
    # A focus without --type needs only the part of the graph around it (the same page, far sooner on a store).
    around = (target, depth) if target is not None and not classes and depth >= 0 else None
    context = Context(loaded, around=around)
    view = select(loaded, classes=classes, focus=target, depth=depth, whole=context.full)
    if not view.graph.number_of_nodes():
        raise InputError("nothing to draw: no entity is an instance of " + ", ".join(types))
    path = write_page(output, render_page(context, view, lang=lang))
    counts = f"{view.graph.number_of_nodes()} entities, {view.graph.number_of_edges()} relations"
    click.echo(f"wrote {path} ({counts}, {path.stat().st_size:,} bytes)", err=True)
    if open_page:
        webbrowser.open(path.resolve().as_uri())


def write_page(output: Path, content: bytes) -> Path:
    """Write ``content`` to ``output`` atomically; a failure names the file and the option to change."""
    try:
        [path] = write_files(output.parent, {output.name: content})
    except InputError as error:
        cause = error.__cause__
        why = getattr(cause, "strerror", None) or str(cause or error)
        raise InputError(f"cannot write {output}: {why}; pass --output FILE") from error
    return path

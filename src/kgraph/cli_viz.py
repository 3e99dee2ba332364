"""``kgraph viz``: write the interactive graph viewer, one HTML file that works offline."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import click

from kgraph import completion, names
from kgraph.atomic import is_special, refuse_inputs
from kgraph.cli_common import (
    CONTEXT_SETTINGS,
    NotEmpty,
    OutFile,
    State,
    inputs_of,
    option_given,
    pass_state,
)
from kgraph.errors import EMPTY_NAME, InputError
from kgraph.query.files import write_atomic
from kgraph.text import counted, file_name
from kgraph.viewer import MAX_ENTITIES, entity_count
from kgraph.vocab import KG


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--output",
    "-o",
    type=OutFile(),
    default=Path("exports/graph.html"),
    show_default=True,
    help="The HTML file to write (its folder is created if missing); - for standard output.",
)
@click.option(
    "--focus",
    metavar="NAME",
    type=NotEmpty(EMPTY_NAME),
    shell_complete=completion.entity,
    help="Draw only NAME and its neighbours: an English or Chinese label, a local name, kgr:... or an IRI.",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    metavar="N",
    default=1,
    show_default=True,
    help="With --focus: how many relations away from NAME to go (either direction).",
)
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
    default="en",
    show_default=True,
    help="The language the page opens in (it has an English / 中文 switch).",
)
@click.option(
    "--max-entities",
    type=click.IntRange(min=1),
    default=MAX_ENTITIES,
    show_default=True,
    metavar="N",
    help="Stop with an error rather than draw more entities than this (a browser lays out a few thousand well).",
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
    max_entities: int,
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
        kgraph viz --type Company --type Service --lang zh --output companies.html
    """
    from kgraph.viewer.model import select  # noqa: PLC0415 - numpy, Jinja and pyvis load only for this command
    from kgraph.viewer.page import Context, render_page  # noqa: PLC0415
    from kgraph.viewer.views import INDEX_FILE  # noqa: PLC0415

    if focus is None and option_given(ctx, "depth"):
        raise click.UsageError("--depth needs --focus NAME")
    if open_page and str(output) == "-":
        raise click.UsageError("--open needs a file to open; pass --output FILE rather than -")
    loaded = state.loaded()
    refuse_inputs(output, "--output", inputs_of(loaded))
    classes = [names.resolve_class(loaded, name) for name in types]
    # close names of entities alone: another thing is not drawn
    target = names.find(loaded, focus, lang=lang, suggest_of=KG.Entity) if focus is not None else None
    # A focus without --type needs only the part of the graph around it (the same page, far sooner on a store).
    around = (target, depth) if target is not None and not classes and depth >= 0 else None
    if target is None:  # the whole graph or whole classes: counted before they are projected
        _check_size(entity_count(loaded, classes), max_entities)
    context = Context(loaded, around=around)
    size = context.size() if classes or target is not None else None
    view = select(loaded, classes=classes, focus=target, depth=depth, whole=context.full, size=size)
    if not view.graph.number_of_nodes():
        if types:
            raise InputError("nothing to draw: no entity is an instance of " + ", ".join(types))
        raise InputError("nothing to draw: the graph has no entity (no instance of a kg:Entity class); check --data")
    _check_size(view.graph.number_of_nodes(), max_entities)
    # Beside build's pages (exports/, where the default output goes), the page links back to their index as
    # they do: kgraph viz replaced build's graph.html with one that had lost its "All views" link. Beside the file
    # written, which --open opens: the one a link leads to (as write_atomic follows it), not the link.
    written = output if str(output) == "-" else output.absolute() if is_special(output) else output.resolve()
    home = INDEX_FILE if str(output) != "-" and (written.parent / INDEX_FILE).is_file() else None
    page = render_page(context, view, lang=lang, home=home)
    nodes, edges = view.graph.number_of_nodes(), view.graph.number_of_edges()
    counts = f"{counted(nodes, 'entity', 'entities', grouped=True)}, {counted(edges, 'relation', grouped=True)}"
    if view.part is not None:  # a part of the graph: out of how many
        whole = view.part
        counts = (
            f"{nodes:,} of {counted(whole.entities, 'entity', 'entities', grouped=True)}, "
            f"{edges:,} of {counted(whole.relations, 'relation', grouped=True)}"
        )
    if str(output) == "-":  # standard output, as the other commands take it (a page to pipe on, or to serve)
        click.echo(page, nl=False)
        click.echo(f"wrote the page to standard output ({counts}, {len(page):,} bytes)", err=True)
        return
    # As query --output: a link is followed (the file it leads to is replaced, as a shell's > would), not replaced.
    write_atomic(output, page, inputs_of(loaded))
    click.echo(f"wrote {file_name(str(output))} ({counts}, {len(page):,} bytes)", err=True)  # /dev/null's size says 0
    if open_page:
        webbrowser.open(written.as_uri())


def _check_size(entities: int, limit: int) -> None:
    if entities > limit:
        raise InputError(
            f"the page would draw {entities:,} entities, more than --max-entities {limit:,}: draw a part with "
            "--focus NAME --depth N or --type CLASS, or raise --max-entities"
        )

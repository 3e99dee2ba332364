"""``kgraph path``, ``neighbors``, ``lineage``, ``rank``, ``communities`` and ``kgraph export graphml|gexf|json``.

Each command builds the networkx projection (:func:`kgraph.analysis.project`), calls one function of
:mod:`kgraph.analysis` and prints its answer: the answer on stdout, a one-line summary on stderr. Importing this
module adds the graph formats to the ``export`` group.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import click
from rdflib import URIRef
from rdflib.namespace import RDF

from kgraph import completion, names
from kgraph.analysis_choices import DIRECTIONS, MAX_DEPTH, MEASURES
from kgraph.atomic import refuse_inputs
from kgraph.cli_common import (
    CONTEXT_SETTINGS,
    NotEmpty,
    OutFile,
    State,
    inputs_of,
    option_given,
    pass_state,
    record_format_option,
    write_records,
)
from kgraph.cli_export import export
from kgraph.errors import EMPTY_NAME, InputError, NoAnswerError
from kgraph.store import LoadedGraph
from kgraph.text import Layout, counted, display_width, file_name, printable, table, terminal_safe
from kgraph.vocab import KG
from kgraph.words import word, words

if TYPE_CHECKING:
    import networkx as nx

    from kgraph.analysis import Chain, CoUsage, Lineage, NodeInfo, Paths, Ranked, SharedPair

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

_lang_option: Decorator = click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of the labels printed.",
)
_relation_option: Decorator = click.option(
    "--relation",
    "relation_names",
    multiple=True,
    metavar="R",
    shell_complete=completion.relation,
    help="Only this relation and its sub-properties (repeatable): uses, kg:uses or 'developed by'.",
)
_inferred_option: Decorator = click.option(
    "--inferred",
    is_flag=True,
    help="Also follow inferred relations (inverses such as 'used by', super-properties, customer of).",
)


def _projection(state: State, relation_names: Sequence[str], inferred: bool) -> tuple[LoadedGraph, nx.MultiDiGraph]:
    loaded = state.loaded()
    keep = _kept_relations(loaded, relation_names)
    return loaded, _project(state, loaded, keep_relations=keep, include_inferred=inferred)


def _linked(loaded: LoadedGraph, node: URIRef) -> bool:
    """Whether ``node`` has a relation (stated or inferred) with another entity, in either direction."""
    from kgraph import analysis  # noqa: PLC0415 - networkx, which --help and Tab completion do without

    relations = set(analysis.relations(loaded.graph))
    graph = loaded.graph
    out = ((p, o) for (p, o), _graphs in loaded.statements(node).items())
    into = ((p, s) for (s, p), _graphs in loaded.incoming(node).items())
    return any(
        p in relations and other != node and (other, RDF.type, KG.Entity) in graph
        for p, other in itertools.chain(out, into)
    )


def _kept_relations(loaded: LoadedGraph, relation_names: Sequence[str]) -> set[URIRef] | None:
    """The properties --relation names, with their sub-properties; None (every relation) when none is named."""
    from kgraph import analysis  # noqa: PLC0415 - networkx, which --help and Tab completion do without

    if not relation_names:
        return None
    props = [analysis.resolve_relation(loaded, name) for name in relation_names]
    return set().union(*(analysis.relation_family(loaded.graph, p) for p in props))


def _project(state: State, loaded: LoadedGraph, **options: Any) -> nx.MultiDiGraph:  # noqa: ANN401
    """:func:`analysis.project`; on a store (large graphs) it also says on stderr what the analysis runs on."""
    from kgraph import analysis  # noqa: PLC0415 - networkx, which --help and Tab completion do without

    projection = analysis.project(loaded, **options)
    if state.reads_store:
        size = _size(projection) + " between them"
        click.echo(f"projection: {size}", err=True)
    return projection


def _entity(loaded: LoadedGraph, name: str, lang: str) -> URIRef:
    """What ``name`` designates (:func:`kgraph.names.find`), for a command that takes an entity: a name that
    matches nothing is told with close names of entities alone, not a figure's or a section's, which it refuses."""
    return names.find(loaded, name, lang=lang, suggest_of=KG.Entity)


def _name(node: NodeInfo, lang: str) -> str:
    return printable(_label(node, lang))


def _label(node: NodeInfo, lang: str) -> str:
    """The entity's label in ``lang`` as the data writes it: what a csv/json row holds (:func:`_name` prints it)."""
    return node.label_zh if lang == "zh" else node.label_en


def format_chain(found: Chain, lang: str = "en") -> str:
    """``Sony -partner of, uses-> AWS <-developed by- Trainium3``: each hop in the direction it is stated."""
    parts = [_name(found.start, lang)]
    for hop in found.hops:
        relations = ", ".join(r.label_zh if lang == "zh" else r.label_en for r in hop.relations)
        parts.append(f"-{relations}->" if hop.forward else f"<-{relations}-")
        parts.append(_name(hop.target, lang))
    return " ".join(parts)


def _with_hint(error: NoAnswerError, *hints: str) -> NoAnswerError:
    tips = [h for h in hints if h]
    return NoAnswerError(f"{error}; {' or '.join(tips)}") if tips else error


def _steps(count: int) -> str:
    return counted(count, "step")


def _size(projection: nx.MultiDiGraph) -> str:
    nodes, edges = projection.number_of_nodes(), projection.number_of_edges()
    return f"{counted(nodes, 'entity', 'entities', grouped=True)}, {counted(edges, 'relation', grouped=True)}"


# ----------------------------------------------------------------------------------------------- path


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("source", metavar="A", shell_complete=completion.entity)
@click.argument("target", metavar="B", shell_complete=completion.entity)
@click.option(
    "--max",
    "limit",
    type=click.IntRange(min=1),
    metavar="N",
    default=10,
    show_default=True,
    help="Print at most N of the shortest paths (all have the same length).",
)
@click.option("--directed", is_flag=True, help="Follow relations only in the direction they are stated.")
@_relation_option
@click.option(
    "--avoid",
    multiple=True,
    metavar="NAME",
    type=NotEmpty(EMPTY_NAME),
    help="Never go through this entity (repeatable), e.g. a hub such as AWS.",
)
@_inferred_option
@_lang_option
@pass_state
def path(
    state: State,
    *,
    source: str,
    target: str,
    limit: int,
    directed: bool,
    relation_names: tuple[str, ...],
    avoid: tuple[str, ...],
    inferred: bool,
    lang: str,
) -> None:
    """Print the shortest paths between two entities as chains of labels and relations.

    A and B are names as `kgraph show` takes them. Each hop shows the relation in the direction the
    data states it: `A -uses-> B`, or `A <-developed by- B` when walking against it (unless
    --directed). Stated relations only, unless --inferred. Exit 1 when there is no path.

    \b
    Example:
        kgraph path Sony Trainium3
        kgraph path Adobe Graviton --directed
        kgraph path Writer Trainium3 --avoid AWS --max 3
    """
    from kgraph import analysis  # noqa: PLC0415 - networkx, which --help and Tab completion do without

    loaded = state.loaded()
    keep = _kept_relations(loaded, relation_names)
    start_node, end_node = _entity(loaded, source, lang), _entity(loaded, target, lang)
    avoided_nodes = avoiding = [_entity(loaded, name, lang) for name in avoid]
    projection = None
    if state.reads_store:
        # A large graph: only the part around A that holds the shortest paths, unless they are far apart.
        try:
            projection = analysis.project_for_path(
                loaded,
                start_node,
                end_node,
                directed=directed,
                keep_relations=keep,
                include_inferred=inferred,
                avoid=avoided_nodes,
            )
        except analysis.WalkTooFar as far:
            both = " and ".join(names.in_a_message(names.label(loaded.graph, n, lang)) for n in (start_node, end_node))
            click.echo(
                f"the walks out from {both} reached {far.reached:,} entities, more than "
                f"{analysis.PATH_WALK_LIMIT:,}, before they held the answer: the whole graph is projected",
                err=True,
            )
        if projection is not None:
            around = names.in_a_message(names.label(loaded.graph, start_node, lang))
            click.echo(f"projection: {_size(projection)} around {around}", err=True)
            avoided_nodes = []  # entities (project_for_path checked), and left out of the part already
    if projection is None:
        projection = _project(state, loaded, keep_relations=keep, include_inferred=inferred)
    start = analysis.entity_key_of(loaded, projection, start_node, lang)
    end = analysis.entity_key_of(loaded, projection, end_node, lang)
    avoided = {analysis.entity_key_of(loaded, projection, node, lang) for node in avoided_nodes}
    ends = sorted(avoided & {start, end})
    if ends:
        raise InputError(
            f"{names.in_a_message(_name(analysis.info(projection, ends[0]), lang))} is an end of the path; "
            "it cannot be avoided"
        )
    projection.remove_nodes_from(sorted(avoided))
    try:
        found = analysis.shortest_paths(projection, start, end, directed=directed, limit=limit, lang=lang)
    except NoAnswerError as error:
        alone = next((node for node in (start_node, end_node) if not _linked(loaded, node)), None)
        if alone is not None:  # no option can find a path: say why rather than suggest them
            name = names.in_a_message(names.label(loaded.graph, alone, lang))
            raise NoAnswerError(f"{error}: {name} has no relation with another entity, stated or inferred") from error
        raise _with_hint(
            error,
            *_path_options(
                loaded, start_node, end_node, directed=directed, inferred=inferred, keep=keep, avoid=avoiding
            ),
            "try other --relation" if relation_names else "",
            "try without --avoid" if avoid else "",
        ) from error
    for each in found.chains:
        click.echo(terminal_safe(format_chain(each, lang)))
    click.echo(_paths_summary(found, directed), err=True)


def _path_options(
    loaded: LoadedGraph,
    start: URIRef,
    end: URIRef,
    *,
    directed: bool,
    inferred: bool,
    keep: set[URIRef] | None,
    avoid: Sequence[URIRef],
) -> list[str]:
    """What to try when there is no path, without --directed or with --inferred, each only where it finds one:
    `add --inferred` was said of two entities in parts of the graph that no relation joins, inferred or not."""
    tries = [(False, inferred, "try without --directed")] if directed else []
    tries += [] if inferred else [(directed, True, "add --inferred")]
    ends = (loaded, start, end)
    return [h for way, also, h in tries if _finds_a_path(*ends, directed=way, inferred=also, keep=keep, avoid=avoid)]


def _finds_a_path(
    loaded: LoadedGraph,
    start: URIRef,
    end: URIRef,
    *,
    directed: bool,
    inferred: bool,
    keep: set[URIRef] | None,
    avoid: Sequence[URIRef],
) -> bool:
    """Whether there is a path from ``start`` to ``end`` (two entities) with these options; True when the walks
    that find it go too far to tell soon (:class:`kgraph.analysis.WalkTooFar`), as the option may find one."""
    from kgraph import analysis  # noqa: PLC0415 - networkx, which --help and Tab completion do without

    try:
        part = analysis.project_for_path(
            loaded, start, end, directed=directed, keep_relations=keep, include_inferred=inferred, avoid=avoid
        )
    except analysis.WalkTooFar:
        return True
    if part is None:  # not an entity: the path was refused before it came to this
        return False
    try:
        analysis.shortest_paths(part, str(start), str(end), directed=directed, limit=1)
    except NoAnswerError:
        return False
    return True


def _paths_summary(found: Paths, directed: bool) -> str:
    noun = "shortest path" if found.total == 1 else "shortest paths"
    how = "following relations as stated" if directed else "in either direction"
    shown = f"; showing {len(found.chains)} (--max)" if len(found.chains) < found.total else ""
    return f"{found.total:,} {noun} of {_steps(found.length)}, {how}{shown}"


# ----------------------------------------------------------------------------------------------- neighbors


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("name", shell_complete=completion.entity)
@click.option(
    "--depth",
    type=int,
    metavar="N",
    default=1,
    show_default=True,
    help=f"How many steps out to go, 1 to {MAX_DEPTH}.",
)
@_relation_option
@click.option(
    "--direction",
    type=click.Choice(DIRECTIONS),
    default="both",
    show_default=True,
    help="out: relations as stated, at every step (NAME -uses-> X -developed by-> Y); in: against them; both.",
)
@_inferred_option
@_lang_option
@record_format_option("a row per entity: steps, iri, entity, class, chain")
@pass_state
def neighbors(
    state: State,
    *,
    name: str,
    depth: int,
    relation_names: tuple[str, ...],
    direction: str,
    inferred: bool,
    lang: str,
    fmt: str,
) -> None:
    """List the entities within --depth steps of NAME, each with one shortest chain from NAME.

    Nearest first, then by label. Exit 1 when nothing is linked to NAME, 2 for a depth out of range.

    \b
    Example:
        kgraph neighbors Trainium3
        kgraph neighbors Sony --depth 2 --relation uses
        kgraph neighbors AWS --format json
    """
    from kgraph import analysis  # noqa: PLC0415 - networkx, which --help and Tab completion do without

    analysis.check_depth(depth)
    loaded = state.loaded()
    node = _entity(loaded, name, lang)
    # Only the entities within --depth steps: the same answer as on the whole projection, without building it.
    keep = _kept_relations(loaded, relation_names)
    projection = analysis.project_around(loaded, node, depth, keep_relations=keep, include_inferred=inferred)
    centre = analysis.entity_key_of(loaded, projection, node, lang)
    try:
        found = analysis.neighbourhood(projection, centre, depth=depth, direction=direction, lang=lang)
    except NoAnswerError as error:
        raise _with_hint(
            error,
            "add --inferred" if not inferred and _inferred_links(loaded, node, keep, direction, lang) else "",
            "try other --relation" if relation_names else "",
            _other_direction(projection, centre, depth, direction),
        ) from error
    if fmt == "text":
        for each in found.chains:
            click.echo(terminal_safe(format_chain(each, lang)))
    else:
        write_records(
            fmt,
            ["steps", "iri", "entity", "class", "chain"],
            ([len(c.hops), *_record(c.end, lang), format_chain(c, lang)] for c in found.chains),
        )
    count = len(found.chains)
    click.echo(f"{count} {'entity' if count == 1 else 'entities'} within {_steps(depth)}", err=True)


def _other_direction(projection: nx.MultiDiGraph, centre: str, depth: int, direction: str) -> str:
    """``try --direction D`` for the direction, other than ``direction``, that finds what it did not: the opposite
    one, else both (at two steps or more, a chain may go out then in); "" when neither does. It said `try
    --direction both` whether that found anything or not."""
    from kgraph import analysis  # noqa: PLC0415 - networkx, which --help and Tab completion do without

    if direction == "both":
        return ""
    for other in ("in" if direction == "out" else "out", "both"):
        try:
            analysis.neighbourhood(projection, centre, depth=depth, direction=other)
        except NoAnswerError:
            continue
        return f"try --direction {other}"
    return ""


def _inferred_links(loaded: LoadedGraph, node: URIRef, keep: set[URIRef] | None, direction: str, lang: str) -> bool:
    """Whether ``node`` has a neighbour in ``direction`` once inferred relations count: an inverse such as used by
    or customer of is never stated, so `neighbors Graviton --relation 'used by'` finds nothing without --inferred,
    and only that option, not another --relation, gives the answer asked for."""
    from kgraph import analysis  # noqa: PLC0415 - networkx, which --help and Tab completion do without

    projection = analysis.project_around(loaded, node, 1, keep_relations=keep, include_inferred=True)
    centre = analysis.entity_key_of(loaded, projection, node, lang)
    try:
        analysis.neighbourhood(projection, centre, depth=1, direction=direction, lang=lang)
    except NoAnswerError:
        return False
    return True


# ----------------------------------------------------------------------------------------------- lineage


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("name", shell_complete=completion.entity)
@_lang_option
@pass_state
def lineage(state: State, name: str, lang: str) -> None:
    """Show the succession (kg:succeeds) through NAME, oldest first, with each step's figures.

    The figures of a step are those of the successor compared with its predecessor (kg:figureOf
    the one, kg:comparedWith the other). Exit 1 when NAME has no predecessor or successor.

    \b
    Example:
        kgraph lineage Trainium3
    """
    from kgraph import analysis  # noqa: PLC0415 - networkx, which --help and Tab completion do without

    loaded = state.loaded()
    found = analysis.lineage(loaded, _entity(loaded, name, lang), lang)
    succeeds = printable(names.label(loaded.graph, KG.succeeds, lang)) if lang != "en" else "succeeds"
    click.echo(terminal_safe(format_lineage(found, lang, succeeds, state.layout())), nl=False)


def format_lineage(found: Lineage, lang: str = "en", succeeds: str = "succeeds", layout: Layout | None = None) -> str:
    """The chain (``Trainium2 -> Trainium3 -> Trainium4``), then one table of figures per step, each headed
    ``Trainium3 succeeds Trainium2`` (``succeeds``: kg:succeeds's label in ``lang``, 继任 in Chinese); a table
    too wide for ``layout``, a record a figure (:func:`kgraph.text.table`)."""
    inside = None if layout is None else replace(layout, width=layout.width - 2)  # the tables are indented
    if found.linear:
        lines = [" -> ".join(_name(g, lang) for g in found.generations)]
    else:
        lines = [f"{word('generations', lang)}:"]
        lines += [f"  {n}. " + ", ".join(_name(g, lang) for g in of) for n, of in enumerate(_generations(found), 1)]
    for step in found.steps:
        lines += ["", f"{_name(step.successor, lang)} {succeeds} {_name(step.predecessor, lang)}"]
        if not step.figures:
            lines.append("  " + word("(no figure compares them)", lang))
            continue
        rows = [[f.metric_zh if lang == "zh" else f.metric_en, f.value, f.qname] for f in step.figures]
        lines += ["  " + line for line in table(words(["metric", "value", "figure"], lang), rows, inside).splitlines()]
    return "\n".join(lines) + "\n"


def _generations(found: Lineage) -> list[list[NodeInfo]]:
    """The members of a succession that branches, by generation: a member is one generation after the newest of
    its predecessors (the oldest, with none, the first), so two successors of one product come together."""
    depth: dict[NodeInfo, int] = {}
    before: dict[NodeInfo, list[NodeInfo]] = {}
    for step in found.steps:
        before.setdefault(step.successor, []).append(step.predecessor)
    for member in found.generations:  # oldest first: a predecessor's depth is known before its successors'
        depth[member] = 1 + max((depth[p] for p in before.get(member, ())), default=-1)
    grouped: list[list[NodeInfo]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for member in found.generations:
        grouped[depth[member]].append(member)
    return grouped


# ----------------------------------------------------------------------------------------------- rank


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--by",
    type=click.Choice(MEASURES),
    default="degree",
    show_default=True,
    help="degree: relations taken part in; pagerank: influence along each relation in its preferred direction "
    "(uses, developed by); betweenness: shortest paths through it.",
)
@click.option(
    "--type",
    "types",
    metavar="CLASS",
    multiple=True,
    shell_complete=completion.class_name,
    help="Only entities of CLASS and its sub-classes: Product, kg:Chip, 'AI model' or 产品. Repeatable.",
)
@click.option("--top", type=click.IntRange(min=1), metavar="N", default=10, show_default=True, help="How many to list.")
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    metavar="K",
    help="betweenness only: estimate it from K source entities (seeded), for graphs of thousands of entities.",
)
@_lang_option
@record_format_option("a row per entity: rank, iri, entity, class and the score, named as --by")
@pass_state
def rank(state: State, *, by: str, types: tuple[str, ...], top: int, sample: int | None, lang: str, fmt: str) -> None:
    """List the most central entities, computed on the whole graph of stated relations.

    Each relation counts once, however the data words it (used by is uses the other way, a
    relation stated both ways is one, and so is featured at beside announced at, which implies
    it). Entities with the same score share a rank.

    \b
    Example:
        kgraph rank --type Product --top 5
        kgraph rank --by pagerank
        kgraph rank --by pagerank --top 100 --format csv > pagerank.csv
    """
    from kgraph import analysis  # noqa: PLC0415 - networkx, which --help and Tab completion do without

    if sample is not None and by != "betweenness":  # it would be ignored, and the ranking taken for a sampled one
        raise click.UsageError(f"--sample estimates betweenness; it does nothing with --by {by}")
    loaded = state.loaded()
    classes = [names.resolve_class(loaded, name) for name in types]  # "" is an unknown class, as for viz
    projection = _project(state, loaded)
    if by == "betweenness" and sample is None:
        _warn_of_exact_betweenness(projection)
    rows = analysis.ranking(loaded, projection, by=by, cls=classes, top=top, sample=sample)
    if fmt == "text":
        click.echo(terminal_safe(format_ranking(rows, by, lang, state.layout())), nl=False)
    else:
        columns = ["rank", "iri", "entity", "class", by]
        write_records(fmt, columns, ([r.rank, *_record(r.node, lang), _score(r.score, by)] for r in rows))
    if rows.tied_beyond:  # else a cut inside a tie looks like its end: 5 of 7 entities of degree 19 listed, say
        more, last = rows.tied_beyond, rows[-1]
        click.echo(
            f"{counted(more, 'more entity', 'more entities')} {'shares' if more == 1 else 'share'} rank {last.rank} "
            f"({by} {_shown(last.score, by)}); --top {top + more} lists {'it' if more == 1 else 'them'}",
            err=True,
        )


def _score(value: float, by: str) -> float:
    """A score in a csv/json row: degree as the integer it is, the others as computed."""
    return round(value) if by == "degree" else value


#: Exact betweenness (Brandes) costs about entities x relations x this many seconds: 48 s for 5,000 entities
#: and 9,967 relations (BENCHMARKS.md, "Graph analysis").
_BETWEENNESS_SECONDS = 48 / (5_000 * 9_967)


def _warn_of_exact_betweenness(projection: nx.MultiDiGraph) -> None:
    """Say on stderr that exact betweenness will take long, and what estimates it, when it would take more than
    about half a minute: on a store of a million triples it ran for hours after one line about the projection."""
    entities, relations = projection.number_of_nodes(), projection.number_of_edges()
    seconds = entities * relations * _BETWEENNESS_SECONDS
    if seconds < 30:
        return
    about = f"{seconds / 3600:,.0f} hours" if seconds >= 2 * 3600 else f"{max(1, round(seconds / 60))} minutes"
    click.echo(
        f"warning: exact betweenness over {entities:,} entities and {relations:,} relations takes about {about} "
        "(time grows as entities x relations); --sample 200 estimates it from 200 entities",
        err=True,
    )


def _shown(value: float, by: str) -> str:
    """A score as the table shows it: an integer for degree, 4 decimals otherwise."""
    return f"{value:.0f}" if by == "degree" else f"{value:.4f}"


def format_ranking(rows: Sequence[Ranked], by: str, lang: str = "en", layout: Layout | None = None) -> str:
    """A table: rank, entity, class and the score (an integer for degree, 4 decimals otherwise); too wide for
    ``layout``, a record an entity (:func:`kgraph.text.table`)."""
    body = [
        [
            str(r.rank),
            _name(r.node, lang),
            r.node.cls_label_zh if lang == "zh" else r.node.cls_label_en,
            _shown(r.score, by),
        ]
        for r in rows
    ]
    return table(words(["rank", "entity", "class", by], lang), body, layout)


# ----------------------------------------------------------------------------------------------- communities


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option("--seed", type=int, metavar="N", default=1, show_default=True, help="Seed of the Louvain method.")
@click.option(
    "--resolution",
    type=float,
    metavar="NUMBER",
    default=1.0,
    show_default=True,
    help="More than 1: more, smaller communities; less than 1: fewer, larger ones.",
)
@click.option(
    "--co-usage",
    is_flag=True,
    help="Instead: products that share customers and customers that share products (kg:uses and its sub-properties).",
)
@_lang_option
@record_format_option(
    "a row per member: community (empty for an entity linked to none), iri, entity, class; with --co-usage a row "
    "per pair and what they share: kind (products or customers), first, second, shared and their IRIs"
)
@pass_state
@click.pass_context
def communities(
    ctx: click.Context, state: State, *, seed: int, resolution: float, co_usage: bool, lang: str, fmt: str
) -> None:
    """Find communities of entities (Louvain, seeded: the same on every run), each with its members.

    Relations count either way; members are listed most linked first. With --co-usage: which
    products share a customer and which customers share a product (a customer is an organization
    that uses a product).

    \b
    Example:
        kgraph communities
        kgraph communities --co-usage
        kgraph communities --format csv > communities.csv
    """
    from kgraph import analysis  # noqa: PLC0415 - networkx, which --help and Tab completion do without

    if co_usage:
        given = [f"--{name}" for name in ("seed", "resolution") if option_given(ctx, name)]
        if given:  # they would be ignored: co-usage is counted, not detected with Louvain
            what, several = " and ".join(given), len(given) > 1
            verb, them = ("tune", "them") if several else ("tunes", "it")
            raise click.UsageError(f"{what} {verb} the communities; leave {them} out with --co-usage")
    loaded = state.loaded()
    if co_usage:
        shared = analysis.co_usage(loaded)
        if fmt == "text":
            click.echo(terminal_safe(format_co_usage(shared, lang, state.layout())), nl=False)
        else:
            write_records(fmt, _CO_USAGE_COLUMNS, _co_usage_records(shared, lang))
        return
    projection = analysis.one_per_fact(loaded, _project(state, loaded))
    found = analysis.communities(projection, seed=seed, resolution=resolution)
    if fmt == "text":
        for number, group in enumerate(found.members, start=1):
            click.echo(terminal_safe(_wrapped(f"{number}. ({len(group)})", [_name(m, lang) for m in group])))
        if found.isolated:
            isolated = [_name(m, lang) for m in found.isolated]
            click.echo(terminal_safe(_wrapped(f"{word('not linked', lang)} ({len(found.isolated)})", isolated)))
    else:
        members: list[tuple[int | None, NodeInfo]] = [
            (number, m) for number, group in enumerate(found.members, start=1) for m in group
        ]
        members += [(None, m) for m in found.isolated]
        write_records(fmt, ["community", "iri", "entity", "class"], ([n, *_record(m, lang)] for n, m in members))
    linked = counted(sum(len(m) for m in found.members), "linked entity", "linked entities", grouped=True)
    click.echo(
        f"{counted(len(found.members), 'community', 'communities', grouped=True)} of {linked} (Louvain, seed {seed}, "
        f"resolution {resolution:g}; modularity {found.modularity:.3f})",
        err=True,
    )


def _wrapped(head: str, names: Sequence[str], width: int = 100) -> str:
    """``head: a, b, c`` over as many lines as it takes, never breaking a name; Chinese counts double width."""
    lines, line = [], f"{head}:"
    for i, name in enumerate(names):
        item = name + ("," if i < len(names) - 1 else "")
        if display_width(f"{line} {item}") > width and line != f"{head}:":
            lines.append(line)
            line = f"   {item}"
        else:
            line = f"{line} {item}"
    return "\n".join([*lines, line])


#: The columns of ``communities --co-usage --format csv|json``: one row per pair and entity they share.
_CO_USAGE_COLUMNS = ["kind", "first_iri", "first", "second_iri", "second", "shared_iri", "shared"]


def _co_usage_records(found: CoUsage, lang: str) -> Iterator[list[object]]:
    """The rows of :data:`_CO_USAGE_COLUMNS`: products that share a customer (kind ``products``), then customers
    that share a product (``customers``), in the order of the tables."""
    for kind, pairs in (("products", found.products), ("customers", found.customers)):
        for pair in pairs:
            pair_cells = [pair.first.iri, _label(pair.first, lang), pair.second.iri, _label(pair.second, lang)]
            for shared in pair.shared:
                yield [kind, *pair_cells, shared.iri, _label(shared, lang)]


def _record(node: NodeInfo, lang: str) -> list[object]:
    """An entity in a csv/json row: its IRI, label (as the data writes it, line breaks and all, as CSV and JSON keep
    any text) and class (prefixed name: the same in either language)."""
    return [node.iri, _label(node, lang), node.cls]


def format_co_usage(found: CoUsage, lang: str = "en", layout: Layout | None = None) -> str:
    """Two tables: products that share customers, customers that share products; a table too wide for
    ``layout``, a record a pair (:func:`kgraph.text.table`)."""

    def rows(pairs: Sequence[SharedPair]) -> list[list[str]]:
        return [
            [_name(p.first, lang), _name(p.second, lang), ", ".join(_name(s, lang) for s in p.shared)] for p in pairs
        ]

    return (
        f"{word('Products that share customers', lang)}\n"
        + table(words(["product", "product", "shared customers"], lang), rows(found.products), layout)
        + f"\n{word('Customers that share products', lang)}\n"
        + table(words(["customer", "customer", "shared products"], lang), rows(found.customers), layout)
    )


# ----------------------------------------------------------------------------------------------- exports


#: The suffix of each graph format's file, and its name.
_GRAPH_SUFFIXES = {".graphml": ("graphml", "GraphML"), ".gexf": ("gexf", "GEXF"), ".json": ("json", "JSON")}


def _refuse_another_format(fmt: str, output: Path) -> None:
    """Refuse an ``--output`` named for another of the graph formats (``export graphml --output graph.json``): its
    tool would read GraphML where it expects JSON. Any other name is the user's to choose, as for ``query``."""
    named, name = _GRAPH_SUFFIXES.get(output.suffix.lower(), (fmt, ""))
    if named != fmt:
        own, (_fmt, written) = next((suffix, both) for suffix, both in _GRAPH_SUFFIXES.items() if both[0] == fmt)
        raise InputError(
            f"--output {file_name(str(output))} names a {name} file, and kgraph export {fmt} writes {written}: "
            f"name it {own}, or run kgraph export {named}"
        )


def _export(state: State, fmt: str, output: Path | None, relation_names: Sequence[str], inferred: bool) -> None:
    from kgraph.export.graph import WRITERS  # noqa: PLC0415 - networkx's writers
    from kgraph.query.files import write_atomic  # noqa: PLC0415 - not for --help or Tab completion

    if output is not None and str(output) != "-":
        _refuse_another_format(fmt, output)  # before the graph is loaded and projected
    loaded, projection = _projection(state, relation_names, inferred)
    if output is not None and str(output) != "-":
        refuse_inputs(output, "--output", inputs_of(loaded))
    write = WRITERS[fmt]  # streams: the document is never whole in memory (2 GB beyond the projection at 1M)
    if output is None or str(output) == "-":
        write(projection, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    written = 0

    def content(stream: BinaryIO) -> None:
        nonlocal written
        written = write(projection, stream)

    write_atomic(output, content, inputs_of(loaded))
    nodes, edges = projection.number_of_nodes(), projection.number_of_edges()
    counts = f"{counted(nodes, 'node', grouped=True)}, {counted(edges, 'edge', grouped=True)}"
    click.echo(f"wrote {file_name(str(output))} ({written:,} bytes: {counts})", err=True)


_output_option: Decorator = click.option(
    "--output",
    "-o",
    type=OutFile(allow_dash=True),
    metavar="FILE",
    help="File to write (atomically: a failed export leaves the previous file). Default: stdout.",
)


@export.command(context_settings=CONTEXT_SETTINGS)
@_output_option
@_relation_option
@_inferred_option
@pass_state
def graphml(state: State, output: Path | None, relation_names: tuple[str, ...], inferred: bool) -> None:
    """Write the graph of entities as GraphML, for Cytoscape, yEd or Gephi.

    Nodes are keyed by IRI with labels (en, zh), class and descriptions as attributes; edges carry
    the relation (IRI, prefixed name, labels), the source sections stating it and whether it is
    inferred. The same graph gives the same bytes.

    \b
    Example:
        kgraph export graphml --output kgraph.graphml
    """
    _export(state, "graphml", output, relation_names, inferred)


@export.command(context_settings=CONTEXT_SETTINGS)
@_output_option
@_relation_option
@_inferred_option
@pass_state
def gexf(state: State, output: Path | None, relation_names: tuple[str, ...], inferred: bool) -> None:
    """Write the graph of entities as GEXF 1.2, for Gephi.

    Nodes and edges are labelled in English; the attributes are those of
    `kgraph export graphml`. The same graph gives the same bytes.

    \b
    Example:
        kgraph export gexf --output kgraph.gexf
    """
    _export(state, "gexf", output, relation_names, inferred)


@export.command(name="json", context_settings=CONTEXT_SETTINGS)
@_output_option
@_relation_option
@_inferred_option
@pass_state
def json_(state: State, output: Path | None, relation_names: tuple[str, ...], inferred: bool) -> None:
    """Write the graph of entities as node-link JSON, for D3 and networkx.

    "nodes" carry "id" (the IRI) and the attributes of `kgraph export graphml`; "edges" carry
    "source", "target", "key" (the relation) and the edge attributes. Keys sorted, UTF-8.
    It loads back with networkx.node_link_graph(data, edges="edges").

    \b
    Example:
        kgraph export json --output kgraph.json
    """
    _export(state, "json", output, relation_names, inferred)


#: The top-level commands of this module, for ``cli.py`` to register (the export formats register themselves).
COMMANDS = (path, neighbors, lineage, rank, communities)

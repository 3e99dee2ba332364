"""Shell completion: what the Tab key offers after ``kgraph`` (README, "Shell completion").

click completes the commands, options, choices and paths itself once a shell is set up for it; the functions
here add what only the graph knows: the names of entities (``kgraph show Trai`` -> ``Trainium3``), classes and
relations, and the saved queries. Each reads the graph the command line names (``--data``, ``--ontology``,
``--store`` or kgraph.toml), as the command would. A completion prints nothing but its candidates: a graph that
cannot be read, or a name nothing starts with, offers none (an error or a warning would land in the middle of
the line being typed).

Imported by the command line's modules: what a completion needs is imported when one is asked for.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem
    from rdflib import URIRef

    from kgraph.store import LoadedGraph

#: The most names one completion offers: a store of a million triples names a few hundred thousand things, more
#: than a shell can show; the shortest names that start with what was typed come first.
LIMIT = 200

Completer = Callable[[click.Context, click.Parameter, str], "list[CompletionItem]"]


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Nothing on standard error meanwhile: no warning of the graph's, no error."""
    with contextlib.redirect_stderr(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _loaded(ctx: click.Context) -> LoadedGraph:
    """The graph the command line names, read as a command reads it (its warnings unsaid)."""
    from kgraph.cli_common import State  # noqa: PLC0415 - only when completing

    given = ctx.find_root().params
    state = State.of_options(given.get("data"), given.get("ontology"), given.get("store"))
    return state.loaded()  # in memory from kgraph's cache, as every command: Tab is pressed often


def _help(loaded: LoadedGraph, resource: URIRef) -> str:
    """What a shell that shows a line beside each candidate (zsh, fish) shows: the English and Chinese labels."""
    from kgraph import names  # noqa: PLC0415 - only when completing

    graph = loaded.graph
    english, chinese = names.label(graph, resource, "en"), names.label(graph, resource, "zh")
    return english if chinese == english else f"{english} / {chinese}"


#: Candidates as pairs of the value to insert and the line shown beside it.
Candidates = list[tuple[str, str | None]]


def _completer(candidates: Callable[[click.Context, str], Candidates]) -> Completer:
    """A click completion callback of ``candidates``, which says nothing on stderr and offers nothing when it
    fails (a graph that cannot be read, say)."""

    def complete(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem  # noqa: PLC0415 - only when completing

        with _quiet():
            try:
                return [CompletionItem(value, help=shown) for value, shown in candidates(ctx, incomplete)]
            except Exception:  # an error would land in the middle of the line being typed
                return []

    return complete


def _names(loaded: LoadedGraph, incomplete: str, *, of_type: URIRef | None) -> Candidates:
    from kgraph import names  # noqa: PLC0415 - only when completing

    found = names.starting_with(loaded, incomplete, of_type=of_type, limit=LIMIT)
    return [(written, _help(loaded, resource)) for resource, written in found]


def _entity_class() -> URIRef:
    from kgraph.vocab import KG  # noqa: PLC0415 - only when completing

    return KG.Entity


#: ``kgraph show NAME``: whatever has a name (entities, figures, sections).
name = _completer(lambda ctx, incomplete: _names(_loaded(ctx), incomplete, of_type=None))
#: ``path A B``, ``neighbors NAME``, ``lineage NAME``, ``viz --focus NAME``: entities.
entity = _completer(lambda ctx, incomplete: _names(_loaded(ctx), incomplete, of_type=_entity_class()))


def _terms(loaded: LoadedGraph, terms: list[URIRef], incomplete: str) -> Candidates:
    """Classes or relations by a name their options take: the local name (Chip, developedBy), unless only a label
    starts with what was typed (芯片)."""
    from rdflib.namespace import RDFS  # noqa: PLC0415 - only when completing

    from kgraph import names  # noqa: PLC0415

    key = names.normalise(incomplete)
    offered: Candidates = []
    for term in terms:
        local = names.local_name(term)
        spelled = [
            t for t in (local, *names.texts(loaded.graph, term, RDFS.label)) if names.normalise(t).startswith(key)
        ]
        words = [t for t in spelled if names.shell_word(t)]
        if spelled:
            offered.append((words[0] if words else local, _help(loaded, term)))
    return offered


def _classes(loaded: LoadedGraph, incomplete: str) -> Candidates:
    from kgraph import names  # noqa: PLC0415 - only when completing

    return _terms(loaded, names.classes(loaded), incomplete)


def _relations(loaded: LoadedGraph, incomplete: str) -> Candidates:
    from kgraph import analysis  # noqa: PLC0415 - only when completing

    return _terms(loaded, analysis.relations(loaded.graph), incomplete)


#: ``--type CLASS``: the classes of the ontology.
class_name = _completer(lambda ctx, incomplete: _classes(_loaded(ctx), incomplete))
#: ``--relation R``: the relations ``path``, ``neighbors`` and the graph exports (``export graphml`` ...) follow.
relation = _completer(lambda ctx, incomplete: _relations(_loaded(ctx), incomplete))


def _saved_queries(_ctx: click.Context, incomplete: str) -> Candidates:
    from kgraph.query import library  # noqa: PLC0415 - only when completing

    return [(saved.name, saved.title) for saved in library.saved_queries() if saved.name.startswith(incomplete)]


#: ``kgraph queries show NAME`` and ``queries run NAME``: the saved queries, each with its title.
saved_query = _completer(_saved_queries)


def _param_values(ctx: click.Context, incomplete: str) -> Candidates:
    """After ``--param KEY=`` of a saved query: the values its parameter KEY takes, as ``KEY=VALUE``: entity names,
    class names, or the languages of the labels. Nothing before the ``=``, for a parameter of text or a number, or
    for ``kgraph query`` (whose parameters are the variables of the query's text)."""
    from kgraph.query import library  # noqa: PLC0415 - only when completing

    key, equals, value = incomplete.partition("=")
    if ctx.command.name != "run":  # kgraph query: its parameters are the variables of its text
        return []
    # An option left without its value (``--param`` itself, here) stops click's parsing where it is: the saved
    # query's name is then among the arguments not parsed yet.
    known = {saved.name: saved for saved in library.saved_queries()}
    saved_name = ctx.params.get("name") or next((arg for arg in ctx.args if arg in known), None)
    saved = known.get(saved_name) if equals and saved_name else None
    parameter = saved.param(key) if saved is not None else None
    if parameter is None:
        return []
    offered: Candidates = []
    if parameter.kind == "language":
        from kgraph.query.params import label_languages  # noqa: PLC0415

        offered = [(tag, None) for tag in label_languages(_loaded(ctx)) if tag.startswith(value.lower())]
    elif parameter.kind == "class":
        offered = _classes(_loaded(ctx), value)
    elif parameter.kind == "entity":
        offered = _names(_loaded(ctx), value, of_type=parameter.of_type or _entity_class())
    return [(f"{key}={written}", shown) for written, shown in offered]


#: ``kgraph queries run NAME --param KEY=``: the values of the saved query's parameter KEY.
param = _completer(_param_values)


#: The fish script of ``_KGRAPH_COMPLETE=fish_source kgraph``. click's own splits each candidate's line at every
#: comma and keeps the second piece, so fish showed ``Acme`` beside an entity labelled ``Acme, Inc.``; this one
#: splits at the first comma only (a value offered never holds one: see ``names.shell_word``).
_FISH_SOURCE = """\
function %(complete_func)s
    set -l response (env %(complete_var)s=fish_complete COMP_WORDS=(commandline -cp) \\
        COMP_CWORD=(commandline -t) %(prog_name)s)
    for completion in $response
        set -l kind_and_rest (string split --max 1 "," -- $completion)
        switch $kind_and_rest[1]
            case dir
                __fish_complete_directories $kind_and_rest[2]
            case file
                __fish_complete_path $kind_and_rest[2]
            case plain
                echo $kind_and_rest[2]
        end
    end
end

complete --no-files --command %(prog_name)s --arguments "(%(complete_func)s)"
"""


def use_own_shell_scripts() -> None:
    """Have click write kgraph's fish script (:data:`_FISH_SOURCE`) in place of its own. Called by
    :func:`kgraph.cli.main` when a shell asks for a script or for completions."""
    from click.shell_completion import FishComplete, add_completion_class  # noqa: PLC0415 - only when completing

    class Fish(FishComplete):
        source_template = _FISH_SOURCE

    add_completion_class(Fish, "fish")

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
from pathlib import Path
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
    from kgraph.cli_common import State, configured_store  # noqa: PLC0415 - only when completing

    given = ctx.find_root().params
    store = given.get("store")
    configured = configured_store(Path.cwd()) if store is None else None
    state = State(
        data=given.get("data"),
        ontology=given.get("ontology"),
        store=store or configured,
        store_configured=configured is not None,
    )
    if state.reads_store:
        return state.loaded()
    from kgraph.query import loading  # noqa: PLC0415 - only when completing

    return loading.load(state.data, state.ontology)  # from the cache, as a query: Tab is pressed often


def _help(loaded: LoadedGraph, resource: URIRef) -> str:
    """What a shell that shows a line beside each candidate (zsh, fish) shows: the English and Chinese labels."""
    from kgraph import names  # noqa: PLC0415 - only when completing

    graph = loaded.graph
    english, chinese = names.label(graph, resource, "en"), names.label(graph, resource, "zh")
    return english if chinese == english else f"{english} / {chinese}"


def _names(*, entities_only: bool) -> Completer:
    def complete(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem  # noqa: PLC0415 - only when completing

        from kgraph import names  # noqa: PLC0415

        with _quiet():
            try:
                loaded = _loaded(ctx)
                found = names.starting_with(loaded, incomplete, entities_only=entities_only, limit=LIMIT)
                return [CompletionItem(written, help=_help(loaded, resource)) for resource, written in found]
            except Exception:
                return []

    return complete


#: ``kgraph show NAME``: whatever has a name (entities, figures, sections).
name = _names(entities_only=False)
#: ``path A B``, ``neighbors NAME``, ``lineage NAME``, ``viz --focus NAME``: entities.
entity = _names(entities_only=True)


def _terms(read: Callable[[LoadedGraph], list[URIRef]]) -> Completer:
    def complete(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem  # noqa: PLC0415 - only when completing
        from rdflib.namespace import RDFS  # noqa: PLC0415

        from kgraph import names  # noqa: PLC0415

        with _quiet():
            try:
                loaded = _loaded(ctx)
                terms = read(loaded)
                key = names.normalise(incomplete)
                offered = []
                for term in terms:
                    local = names.local_name(term)
                    labels = names.texts(loaded.graph, term, RDFS.label)
                    # The local name (Chip, developedBy) unless only a label starts with what was typed (芯片).
                    spelled = [t for t in (local, *labels) if names.normalise(t).startswith(key)]
                    words = [t for t in spelled if names.shell_word(t)]
                    if spelled:
                        offered.append(CompletionItem(words[0] if words else local, help=_help(loaded, term)))
                return offered
            except Exception:
                return []

    return complete


def _classes(loaded: LoadedGraph) -> list[URIRef]:
    from kgraph import names  # noqa: PLC0415 - only when completing

    return names.classes(loaded)


def _relations(loaded: LoadedGraph) -> list[URIRef]:
    from kgraph import analysis  # noqa: PLC0415 - only when completing

    return analysis.relations(loaded.graph)


#: ``--type CLASS``: the classes of the ontology.
class_name = _terms(_classes)
#: ``--relation R``: the relations ``path``, ``neighbors``, ``rank`` and ``communities`` follow.
relation = _terms(_relations)


def saved_query(_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """``kgraph queries show NAME`` and ``queries run NAME``: the saved queries, each with its title."""
    from click.shell_completion import CompletionItem  # noqa: PLC0415 - only when completing

    from kgraph.query import library  # noqa: PLC0415

    with _quiet():
        try:
            return [
                CompletionItem(saved.name, help=saved.title)
                for saved in library.saved_queries()
                if saved.name.startswith(incomplete.casefold())
            ]
        except Exception:
            return []

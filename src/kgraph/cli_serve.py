"""``kgraph serve`` (the graph as a read-only SPARQL endpoint, with the viewer) and ``kgraph push`` (the graph
into any SPARQL 1.1 store).

The work is done by :mod:`kgraph.serve` and :mod:`kgraph.push`, imported when a command runs: Starlette, uvicorn
and pyoxigraph stay out of every other command's start-up.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import click

from kgraph.cli_common import (
    CONTEXT_SETTINGS,
    STORE_FOLDER,
    EnvName,
    Folder,
    NotEmpty,
    Seconds,
    State,
    pass_state,
    unset_auth_variable,
    warn,
)
from kgraph.query.parsing import is_iri_safe
from kgraph.store import LoadedGraph
from kgraph.text import counted


def _load(state: State, store: Path | None) -> LoadedGraph:
    """The store (``--store`` here or before the command), else the files through the query cache."""
    if store is not None:
        state.store, state.store_configured = state.given_store(store), False
    return state.loaded()


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--store",
    metavar="DIR",
    type=Folder(STORE_FOLDER),
    help="Serve the persistent store kgraph load built in DIR (same as kgraph --store DIR serve).",
)
@click.option(
    "--host",
    metavar="ADDRESS",
    type=NotEmpty("the address is empty; give an address of this machine, such as 127.0.0.1"),
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    metavar="PORT",
    default=8000,
    show_default=True,
    help="Port (0: any free one).",
)
@click.option(
    "--timeout",
    type=Seconds(min=0),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Stop a query that runs longer (HTTP 503). 0: no limit.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    metavar="N",
    help="Refuse an answer of more rows, or triples (HTTP 422): clients page with LIMIT and OFFSET.",
)
@click.option(
    "--max-body",
    type=click.IntRange(min=1024),
    default=1_000_000,
    show_default=True,
    metavar="BYTES",
    help="Refuse a larger request body or query string (HTTP 413, 414).",
)
@click.option(
    "--max-running",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    metavar="N",
    help="Queries evaluated at once; more get HTTP 503 at once instead of waiting.",
)
@click.option(
    "--auth-env",
    metavar="VAR",
    type=EnvName("KGRAPH_SERVE_AUTH"),
    default="KGRAPH_SERVE_AUTH",
    show_default=True,
    help="Environment variable holding user:password; when set, every request but /health needs them "
    "(HTTP basic). Required with a --host other than this machine.",
)
@click.option(
    "--insecure-no-auth",
    is_flag=True,
    help="Serve on another --host without a password: anyone who can reach it can read the graph.",
)
@click.option(
    "--cors",
    "cors_origins",
    metavar="ORIGIN",
    multiple=True,
    help="Let web pages from ORIGIN (https://yasgui.example.org) query from a browser. Repeatable.",
)
@click.option(
    "--isolate",
    is_flag=True,
    help="Answer each query in a worker process, killed at --timeout (at most --max-running, reused): a query "
    "past the limit stops using the machine, even one Oxigraph or a regular expression is evaluating.",
)
@click.option("--access-log", is_flag=True, help="Log every request on standard error.")
@pass_state
def serve(
    state: State,
    *,
    store: Path | None,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_body: int,
    max_running: int,
    auth_env: str,
    insecure_no_auth: bool,
    cors_origins: tuple[str, ...],
    access_log: bool,
    isolate: bool,
) -> None:
    """Serve the graph: a read-only SPARQL 1.1 endpoint, the viewer and the saved queries, over HTTP.

    /sparql answers GET and POST queries (SPARQL 1.1 Protocol) in the W3C JSON, XML, CSV and TSV
    result formats, graphs in Turtle, N-Triples, JSON-LD and RDF/XML, as the Accept header asks;
    a GET without a query gets its service description.
    / is the viewer, /queries the saved queries (/queries/NAME?param=value runs one, in JSON or
    CSV), /health a health check. Updates, SERVICE, LOAD and FROM of a graph it does not hold are
    refused (HTTP 403) before anything runs. Listens on 127.0.0.1 unless --host says otherwise, and
    then needs $KGRAPH_SERVE_AUTH=user:password. Ctrl-C stops it.

    \b
    Example:
        kgraph serve
        kgraph serve --store kgraph-store --port 8080 --timeout 30
        KGRAPH_SERVE_AUTH=team:secret kgraph serve --host 0.0.0.0
    """
    from kgraph.serve import Service, Settings, create_app, run  # noqa: PLC0415 - starlette and uvicorn load here
    from kgraph.serve.settings import check_exposure, credentials_from_environment  # noqa: PLC0415

    unset = unset_auth_variable(click.get_current_context())
    if unset is not None:  # asked for a login and would serve without one
        raise click.BadParameter(
            f"${unset} is not set; export {unset}=user:password first, or leave --auth-env out to serve "
            "without a login on this machine",
            param_hint="--auth-env",
        )
    settings = Settings(
        host=host,
        port=port,
        timeout=timeout,
        max_rows=max_rows,
        max_body=max_body,
        max_running=max_running,
        credentials=credentials_from_environment(auth_env),
        cors_origins=cors_origins,
        access_log=access_log,
    )
    warning = check_exposure(settings, allow_no_auth=insecure_no_auth, variable=auth_env)
    service = Service(
        _load(state, store), settings, notify=lambda message: click.echo(message, err=True), isolate=isolate
    )
    state.forget()  # the service holds the graph alone, so that a store it opens again lets go of the old one
    if warning:
        click.echo(warning.cli_message, err=True)

    def ready(actual_port: int) -> None:
        base = Settings(host=host, port=actual_port).base_url
        limits = f"queries stop at {timeout:g} s and {max_rows:,} rows" if timeout else f"{max_rows:,} rows at most"
        login = f"; login from ${auth_env}" if settings.credentials else ""
        click.echo(f"serving {service.triples:,} triples at {base}/ (read-only; {limits}{login})", err=True)
        click.echo(f"  SPARQL endpoint  {base}/sparql", err=True)
        if service.drawable:
            click.echo(f"  viewer           {base}/", err=True)
        else:  # / is a 422: the banner listed it, and a browser opened on it read an error
            import kgraph.viewer  # noqa: PLC0415

            click.echo(
                f"  viewer           none: more than {kgraph.viewer.MAX_ENTITIES:,} entities to draw; "
                "kgraph viz --focus NAME draws a part",
                err=True,
            )
        click.echo(f"  saved queries    {base}/queries", err=True)
        click.echo(f"  health check     {base}/health", err=True)
        click.echo("Ctrl-C stops it", err=True)

    try:
        run(create_app(service), settings, ready)
    finally:
        service.close()  # the worker processes (--isolate) end with the server, however it stops
    click.echo("stopped", err=True)


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The store's Graph Store Protocol URL (Oxigraph: http://host:7878/store), or with --method update "
    "its SPARQL update URL.",
)
@click.option("--graph", metavar="IRI", help="Push the flat graph into this one named graph. Default: the dataset.")
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the target graphs rather than add to them, all at once (needs an update endpoint).",
)
@click.option(
    "--method",
    type=click.Choice(["gsp", "update"]),
    default="gsp",
    show_default=True,
    help="gsp: Graph Store Protocol POSTs of N-Triples. update: INSERT DATA requests (for stores without the "
    "Graph Store Protocol).",
)
@click.option(
    "--update-endpoint",
    metavar="URL",
    help="With --method gsp: the store's SPARQL update URL, so that a push is all or nothing (and --replace works).",
)
@click.option(
    "--named-only",
    is_flag=True,
    help="Without --graph: push the named graphs only, not the flat graph into the default graph (for stores whose "
    "default graph is the union of the named graphs: GraphDB, Neptune).",
)
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    metavar="N",
    help="Triples per request.",
)
@click.option(
    "--timeout",
    type=Seconds(min=1),
    default=300.0,
    show_default=True,
    metavar="SECONDS",
    help="Give up on a request the store has not answered by then.",
)
@click.option(
    "--auth-env",
    metavar="VAR",
    type=EnvName("KGRAPH_ENDPOINT_AUTH"),
    default="KGRAPH_ENDPOINT_AUTH",
    show_default=True,
    help="Environment variable holding user:password for the store's HTTP basic authentication.",
)
@click.option(
    "--store",
    metavar="DIR",
    type=Folder(STORE_FOLDER),
    help="Push the persistent store kgraph load built in DIR (same as kgraph --store DIR push).",
)
@pass_state
def push(
    state: State,
    *,
    endpoint: str,
    graph: str | None,
    replace: bool,
    method: str,
    update_endpoint: str | None,
    named_only: bool,
    batch: int,
    timeout: float,
    auth_env: str,
    store: Path | None,
) -> None:
    """Upload the graph (ontology, data and inferences) to a SPARQL 1.1 store.

    Without --graph, every named graph (ontology, one per source section, inferred) goes into the
    graph of the same name and the flat graph into the default graph, so the store answers as
    kgraph does. Triples go in chunks of --batch, with a progress bar on standard error. With an
    update endpoint the chunks go into temporary graphs that one last update moves into place:
    a failed push changes nothing. Credentials come from $KGRAPH_ENDPOINT_AUTH (user:password).
    Exit 3 when the store cannot be reached or refuses.

    \b
    Example:
        kgraph push --endpoint http://localhost:7878/store --update-endpoint http://localhost:7878/update
        kgraph push --method update --endpoint http://localhost:7878/update --graph urn:kg --replace
        kgraph push --named-only --endpoint https://my-neptune:8182/sparql/gsp/ --update-endpoint https://my-neptune:8182/sparql
    """
    from kgraph import push as uploading  # noqa: PLC0415 - pyoxigraph loads only here
    from kgraph.query.remote import Endpoint  # noqa: PLC0415

    if graph is not None and named_only:
        raise click.UsageError("--named-only is for pushing the dataset; with --graph only the flat graph is sent")
    if graph is not None and not (graph.startswith(("http://", "https://", "urn:")) and is_iri_safe(graph)):
        raise click.BadParameter(f"{graph!r} is not an absolute IRI (http://, https:// or urn:)", param_hint="--graph")
    stray = uploading.broken_percent(graph or "")
    if stray is not None:  # the store refuses the IRI, at the last step of a push, after every chunk was sent
        raise click.BadParameter(f"{graph!r} is not an IRI: {stray}", param_hint="--graph")
    if update_endpoint is not None and method == "update":
        raise click.UsageError("--update-endpoint is for --method gsp; with --method update, --endpoint is it")
    if replace and method == "gsp" and update_endpoint is None:
        raise click.UsageError(
            "--replace needs the store's SPARQL update endpoint: pass --update-endpoint URL (or use --method update); "
            "kgraph uploads into temporary graphs and swaps them in with one update, so a failed push changes nothing"
        )
    target = uploading.Target(
        Endpoint.from_environment(endpoint, auth_env),
        "update" if method == "update" else "gsp",
        Endpoint.from_environment(update_endpoint, auth_env, option="--update-endpoint")
        if update_endpoint is not None
        else None,
        timeout,
    )
    unset = unset_auth_variable(click.get_current_context())
    if unset is not None:
        warn(f"${unset} (--auth-env) is not set: pushing to {endpoint} without a login")
    if target.endpoint.sends_credentials_in_clear:
        click.echo(f"warning: sending the password of ${auth_env} over plain http", err=True)
    work = uploading.plan(_load(state, store), graph, named_only=named_only, batch=batch)
    what = f"{work.triples:,} triples ({counted(len(work.uploads), 'graph')})"
    requests = counted(work.requests, "request", grouped=True)
    click.echo(f"pushing {what} to {endpoint} in {requests} of up to {batch:,} triples", err=True)
    # The bar starts with the first chunk the store took: its label ("sent") printed before a push whose first
    # request failed read "sent ... nothing was sent".
    with contextlib.ExitStack() as stack:
        bars: list[Any] = []
        done = [0]

        def progress(sent: int, _total: int) -> None:
            if not bars:
                bar = click.progressbar(length=work.triples, label="  sent", file=sys.stderr, show_eta=True, width=30)
                bars.append(stack.enter_context(bar))
            bars[0].update(sent - done[0])
            done[0] = sent

        outcome = uploading.push(target, work, replace=replace, progress=progress)
    # "sent", not "added": a triple the store held already is stored once, and the push does not count the store's
    how = "replaced" if outcome.replaced else "sent"
    atomic = "; all at once" if outcome.atomic else "; as sent (no update endpoint: not all or nothing)"
    click.echo(
        f"{how} {outcome.triples:,} triples in {counted(outcome.graphs, 'graph')} "
        f"with {counted(outcome.requests, 'request', grouped=True)} in {outcome.seconds:.1f} s{atomic}",
        err=True,
    )


COMMANDS = (serve, push)
__all__ = ["COMMANDS", "push", "serve"]

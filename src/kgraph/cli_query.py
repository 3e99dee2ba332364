"""``kgraph query`` and ``kgraph queries``: SPARQL on the graph or at an endpoint, and the saved queries.

The work is done by :mod:`kgraph.query`; this module reads options, prints and maps the one exit code the
shared error mapping has no room for: 3, a query that got no answer (time limit, endpoint failure).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO, TypeVar, cast

import click
from rdflib import URIRef
from rdflib.term import Identifier

from kgraph import completion
from kgraph import query as q
from kgraph.cli_common import (
    CONTEXT_SETTINGS,
    EnvName,
    InFile,
    OutFile,
    Seconds,
    State,
    discard_stdout,
    file_taken_with_f,
    inputs_of,
    pass_state,
    stdout_is_terminal,
    unset_auth_variable,
    warn,
)
from kgraph.errors import BareWordError, InputError, KGraphError, QueryNotAnswered, QuerySyntaxError
from kgraph.names import primary_language
from kgraph.query import DEFAULT_AUTH_VARIABLE, formats
from kgraph.query.columns import unused_columns
from kgraph.query.files import write_atomic
from kgraph.query.lexer import variables_in_order
from kgraph.query.safety import NETWORK_OPTION
from kgraph.query.vocabulary import meant_by, unknown_names
from kgraph.store import LoadedGraph
from kgraph.text import counted, file_name, shell_words, table

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_TIMEOUT = 60.0


def _answer_options(command: F) -> F:
    """The options ``kgraph query`` and ``kgraph queries run`` share."""
    options = [
        click.option(
            "--param",
            "params",
            metavar="KEY=VALUE",
            multiple=True,
            shell_complete=completion.param,
            help="Bind ?KEY to VALUE: a label (English or Chinese), a prefixed name or IRI, or a literal "
            '("text"@en, 42). Repeat for several.',
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(formats.FORMATS),
            help="SELECT/ASK: table (default), csv, tsv, json, xml (the W3C SPARQL 1.1 result formats). "
            "CONSTRUCT/DESCRIBE: turtle (default), nt, json-ld. Default: implied by --output's suffix.",
        ),
        click.option(
            "--output",
            "-o",
            type=OutFile(),
            help="Write the answer to FILE (atomically: all or nothing) instead of standard output (- for it).",
        ),
        click.option(
            "--bom",
            is_flag=True,
            help="CSV/TSV: begin with a UTF-8 byte order mark, which Excel needs to open Chinese text as UTF-8 "
            "with a double click (other tools, such as neo4j-admin, do not want one).",
        ),
        click.option(
            "--lang",
            type=click.Choice(["en", "zh"]),
            help="Language of the labels in the table (and of a saved query's lang parameter). Default: a saved "
            "query's --param lang, else en.",
        ),
        click.option(
            "--timeout",
            type=Seconds(min=0),
            default=DEFAULT_TIMEOUT,
            show_default=True,
            metavar="SECONDS",
            help="Stop a query that runs longer (exit 3). 0: no limit.",
        ),
        click.option(
            "--endpoint",
            metavar="URL",
            help="Send the query to this SPARQL 1.1 Protocol endpoint instead of the local graph.",
        ),
        click.option(
            "--auth-env",
            metavar="VAR",
            type=EnvName(DEFAULT_AUTH_VARIABLE),
            default=DEFAULT_AUTH_VARIABLE,
            show_default=True,
            help="Environment variable holding user:password for the endpoint's HTTP basic authentication.",
        ),
        click.option(
            NETWORK_OPTION,
            "allow_network",
            is_flag=True,
            help="Let SERVICE, FROM/FROM NAMED and LOAD fetch http(s) IRIs. "
            "Without it a query reads the loaded graph only.",
        ),
        click.option(
            "--progress/--no-progress",
            default=None,
            help="Report on standard error while a query runs past a second. Default: when it is a terminal.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("text", metavar="[QUERY | -]", required=False)
@click.option(
    "-f",
    "--file",
    "query_file",
    type=InFile(allow_dash=True),
    help="Read the query from FILE (- for standard input).",
)
@click.option(
    "--update",
    "allow_update",
    is_flag=True,
    help="Allow a SPARQL update. It changes a copy of the graph in memory, written as the answer; "
    "the data files never change.",
)
@_answer_options
@pass_state
@click.pass_context
def query(
    ctx: click.Context,
    state: State,
    /,
    text: str | None,
    query_file: Path | None,
    allow_update: bool,
    **options: Any,  # noqa: ANN401 - the shared options
) -> None:
    """Run a SPARQL query on the graph (inferences included), or at an endpoint.

    QUERY is the query text; -f FILE reads it from a file, and - from standard input. The prefixes kg:, kgr:,
    kgf:, src:, rdf:, rdfs:, owl:, xsd:, schema:, prov:, dcterms: and skos: are declared. GRAPH ?section {...}
    ranges over the named graphs: one per source section, plus the ontology and the inferred triples.

    Read-only and offline by default: an update needs --update, and SERVICE, a remote FROM or LOAD need
    --allow-network. Exit 0 with an answer, 1 when an ASK answers no, 2 for a bad query or option,
    3 when it runs past --timeout or the endpoint fails.

    \b
    Example:
        kgraph query 'SELECT ?chip WHERE { ?chip a kg:Chip }'
        kgraph query -f my.rq --format csv --output chips.csv
        kgraph query --endpoint http://localhost:7878/query 'ASK { kgr:trainium3 kg:succeeds kgr:trainium2 }'
    """
    source, body = _read_query(text, query_file)
    try:
        parsed = q.parse(body, source)
    except BareWordError as error:  # ?x a Chip: kg:Chip, if the graph queried is the local one
        raise error if options["endpoint"] is not None else _meaning(error, state) from None
    except QuerySyntaxError as error:
        if source == "<query>" and _names_a_file(body):
            name = body.strip()
            why = f"{error.message}; to run the query in the file {file_name(name)}, pass -f {shell_words([name])}"
            raise QuerySyntaxError(error.source, error.line, error.column, error.text_line, why) from None
        raise
    given = q.parse_assignments(options["params"])
    for unused in unused_columns(parsed, given):  # SELECT ?chip WHERE { ?chp ... }: an empty column
        click.echo(unused.warning(), err=True)
    reads = None if query_file is None or str(query_file) == "-" else query_file
    _answer(ctx, state, parsed, options, saved=None, allow_update=allow_update, query_file=reads)


@click.group(context_settings=CONTEXT_SETTINGS, invoke_without_command=True)
@click.pass_context
def queries(ctx: click.Context) -> None:
    """The saved queries that come with kgraph: list them (no sub-command, or list), show one, run one.

    Without a sub-command, lists them: name, parameters, title.

    \b
    Example:
        kgraph queries
        kgraph queries run customers-of --param product="Amazon Bedrock AgentCore"
    """
    if ctx.invoked_subcommand is None:
        _list_queries()


@queries.command(name="list")
def list_queries() -> None:
    """List the saved queries: name, parameters, title (as kgraph queries alone does).

    \b
    Example:
        kgraph queries list
    """
    _list_queries()


def _list_queries() -> None:
    rows = [[s.name, ", ".join(p.name for p in s.params), s.title] for s in q.saved_queries()]
    layout = click.get_current_context().ensure_object(State).layout()
    click.echo(table(["name", "parameters", "title"], rows, layout), nl=False)


@queries.command(name="show")
@click.argument("name", shell_complete=completion.saved_query)
def show_query(name: str) -> None:
    """Print a saved query: its header (title, description, parameters, example) and its SPARQL.

    \b
    Example:
        kgraph queries show succession
    """
    click.echo(q.saved_query(name).text, nl=False)


@queries.command(name="run")
@click.argument("name", shell_complete=completion.saved_query)
@_answer_options
@pass_state
@click.pass_context
def run_query(ctx: click.Context, state: State, /, name: str, **options: Any) -> None:  # noqa: ANN401
    """Run the saved query NAME, with --param KEY=VALUE for each of its parameters.

    kgraph queries lists the saved queries with their parameters; kgraph queries show NAME says what one answers
    and what each parameter takes. A parameter that names an entity takes its English or Chinese label, a
    prefixed name or an IRI; values are bound to the query's variables (never pasted into its text). The options
    are those of kgraph query.

    \b
    Example:
        kgraph queries run customers-of --param product="Amazon Bedrock AgentCore"
        kgraph queries run succession --param product=Trainium3 --format json
        kgraph queries run people --lang zh
    """
    saved = q.saved_query(name)
    _answer(ctx, state, q.parse(saved.text, f"{saved.name}.rq"), options, saved=saved, allow_update=False)


# ------------------------------------------------------------------------------------------ shared work


def _endpoint(ctx: click.Context, url: str, auth_variable: str) -> q.Endpoint:
    """The endpoint of ``--endpoint URL``, after a warning if its login is not what ``--auth-env`` asked for."""
    endpoint = q.Endpoint.from_environment(url, auth_variable)
    unset = unset_auth_variable(ctx)
    if unset is not None:
        warn(f"${unset} (--auth-env) is not set: asking {url} without a login")
    if endpoint.sends_credentials_in_clear:
        warn(f"sending the password of ${endpoint.auth_variable} over plain http")
    return endpoint


def _answer(
    ctx: click.Context,
    state: State,
    parsed: q.ParsedQuery,
    options: Mapping[str, Any],
    *,
    saved: q.SavedQuery | None,
    allow_update: bool,
    query_file: Path | None = None,
) -> None:
    output: Path | None = options["output"]
    if output is not None and str(output) == "-":  # "-o -": standard output, as the other commands take it
        output = None
    fmt = _chosen_format(parsed.kind, options, output)
    given = q.parse_assignments(options["params"])
    if saved is not None and options["lang"] and given.get("lang", options["lang"]).lower() != options["lang"]:
        raise click.UsageError(f"--lang {options['lang']} and --param lang={given['lang']} disagree; give one")
    timeout = options["timeout"] or None
    policy = q.Policy(allow_network=options["allow_network"], allow_update=allow_update)
    protected: list[Path | None] = [query_file]  # -f q.rq -o q.rq replaced the query with its answer
    labels: formats.Labeler | None
    # Rows in these formats are written as they are evaluated: a large answer is never held whole. Progress
    # reports then go on while they are written, unless the rows go to the terminal the reports are written on.
    # The table reads all the rows before its first line: its reports go on until then.
    stream = fmt in formats.READ_AS_EVALUATED
    progress = _progress_reporter(options["progress"], _counts(parsed.kind, stream, options["endpoint"] is not None))
    report_while_writing = output is not None or not stdout_is_terminal()
    if progress is not None and not report_while_writing:
        progress = _until_cleared(progress)
    try:
        if options["endpoint"] is not None:  # --endpoint "" is an error, not the local graph
            endpoint = _endpoint(ctx, options["endpoint"], options["auth_env"])
            bindings = _bindings(saved, given, q.RemoteResolver(endpoint, timeout), options["lang"], parsed.text)
            answer = q.run_remote(endpoint, parsed, bindings, timeout=timeout, progress=progress)
            labels = _remote_labels(endpoint, timeout)
        else:
            loaded = _load(state, parsed)
            protected += inputs_of(loaded)
            # names in the language asked, by its primary subtag as serve reads it: --param lang=ZH and lang=zh-CN
            # name the close names in Chinese
            resolver = q.LocalResolver(loaded, lang=options["lang"] or primary_language(given.get("lang")) or "en")
            bindings = _bindings(saved, given, resolver, options["lang"], parsed.text)
            answer = q.run_local(
                loaded,
                parsed,
                bindings,
                policy=policy,
                timeout=timeout,
                progress=progress,
                stream=stream,
            )
            labels = formats.graph_labels(loaded.graph)
        lang = _names_language(saved, given, bindings, options["lang"])
        # The progress line is cleared before the answer: both may go to the same terminal.
        ready = _as_is if report_while_writing else _cleared(progress, table=fmt == "table" and answer.kind == "SELECT")

        def write_answer(out: BinaryIO) -> None:
            out.write(codecs.BOM_UTF8 if options["bom"] else b"")
            # --tables auto: records on a terminal only, not in a file
            formats.write(
                answer, fmt, ready(out), labels=labels, lang=lang, layout=state.layout(to_terminal=output is None)
            )

        try:
            if output is not None:
                write_atomic(output, write_answer, protected)
            else:
                _write_stdout(write_answer)
        finally:
            answer.close()
    finally:
        _clear(progress)  # before an error, or the summary
    click.echo(_summary(answer, output, state.store if state.reads_store else None), err=True)
    if answer.kind == "ASK" and not answer.boolean:
        ctx.exit(1)


def _chosen_format(kind: str, options: Mapping[str, Any], output: Path | None) -> str:
    """The answer's format: ``--format``, or implied by ``--output``'s suffix, or the default for ``kind``."""
    fmt = formats.choose(kind, options["fmt"], output)
    if options["bom"] and fmt not in ("csv", "tsv"):
        raise click.UsageError(f"--bom is for CSV and TSV answers; this one is {fmt}: leave --bom out")
    return fmt


def _write_stdout(write: Callable[[BinaryIO], None]) -> None:
    """Write to standard output a row at a time. A reader that stops reading (``| head``) ends the answer there,
    quietly: what it read is what it wanted.

    With ``PYTHONUNBUFFERED`` set (as many container images do), Python's standard output is unbuffered: every
    row would be a system call of its own. Unless it is a terminal, where rows are best seen as they come, the
    rows then go through a buffer of kgraph's."""
    stdout = sys.stdout.buffer
    try:
        if isinstance(stdout, io.RawIOBase) and not stdout.isatty():
            # On a copy of the descriptor: closing it, which flushes it, leaves standard output open.
            with os.fdopen(os.dup(stdout.fileno()), "wb", buffering=_STDOUT_BUFFER) as buffered:
                write(buffered)
        else:
            write(stdout)
            stdout.flush()
    except BrokenPipeError:
        discard_stdout()  # the flush at exit then finds no closed pipe


_STDOUT_BUFFER = 1 << 16


def _bindings(
    saved: q.SavedQuery | None,
    given: Mapping[str, str],
    resolver: q.LocalResolver | q.RemoteResolver,
    lang: str | None,
    parsed_text: str,
) -> dict[str, Identifier]:
    if saved is None:
        return q.bind_adhoc(given, resolver, variables_in_order(parsed_text))
    # --lang, when given, is the lang parameter's value (checked as --lang); else the query's default
    return q.bind_saved(saved, given, resolver, defaults={"lang": lang} if lang else {})


def _names_language(
    saved: q.SavedQuery | None, given: Mapping[str, str], bindings: Mapping[str, Identifier], option: str | None
) -> str:
    """The language the table names IRIs in: ``--lang``, else a saved query's language parameter ``lang`` given
    with ``--param`` (``--param lang=zh`` gave the metrics in Chinese and every name in English, where ``--lang zh``,
    which sets that parameter, gave both in Chinese), else English."""
    if option:
        return option
    param = saved.param("lang") if saved is not None else None
    if param is None or param.kind != "language" or "lang" not in given:
        return "en"
    return primary_language(str(bindings["lang"])) or "en"


def _load(state: State, parsed: q.ParsedQuery) -> LoadedGraph:
    """The graph (the store kgraph load built, or the files through kgraph's cache), after a warning for each
    kg: name of ``parsed`` that it holds nowhere: ``kg:usess`` matches nothing, and the answer would be empty
    without a word."""
    loaded = state.loaded()
    for unknown in unknown_names(parsed, loaded.graph, loaded.ontology):
        click.echo(unknown.warning(), err=True)
    return loaded


def _meaning(error: BareWordError, state: State) -> BareWordError:
    """``error``, with what its word may mean in the graph (:func:`meant_by`); as it is if the graph cannot be
    loaded: the syntax error is the first thing to mend."""
    try:
        loaded = state.loaded()
    except KGraphError:
        return error
    return error.meaning(meant_by(error.word, loaded))


def _remote_labels(endpoint: q.Endpoint, timeout: float | None) -> formats.Labeler:
    def labels(iris: Iterable[URIRef], lang: str) -> Mapping[URIRef, str]:
        from kgraph.query import remote  # noqa: PLC0415 - the endpoint client, for --endpoint only

        try:
            return remote.labels(endpoint, iris, lang, timeout)
        except QueryNotAnswered:
            return {}  # the table then shows prefixed names

    return labels


def _read_query(text: str | None, query_file: Path | None) -> tuple[str, str]:
    if text is not None and query_file is not None:
        raise click.UsageError("give the query as an argument or with -f FILE, not both")
    if query_file is None and text is None:
        raise click.UsageError("give a query: kgraph query 'SELECT ...', -f FILE, or - to read standard input")
    if text == "-" or str(query_file) == "-":
        return "<stdin>", _read_stdin()
    if query_file is None:
        return "<query>", text or ""
    name = file_name(str(query_file))  # on one line in messages, in $'...' if it holds a line break or ESC
    folder = False
    with contextlib.suppress(OSError):  # a name too long, in a folder one may not enter: read_bytes says so
        folder = query_file.is_dir()
    if folder:  # as cannot read says a file missing, not click's "Invalid value ... is a directory."
        raise InputError(f"cannot read {name} (-f): it is a folder; name a query file (*.rq), or - for standard input")
    try:
        with query_file.open("rb") as stream:
            raw = _read_at_most(stream, name)
    except OSError as error:
        reason = error.strerror or error
        advice = (file_taken_with_f(str(query_file)) if isinstance(error, FileNotFoundError) else None) or (
            "check the file's name, and that it is readable"
        )
        raise InputError(f"cannot read {name} (-f): {reason}; {advice}") from error
    return name, _decoded(raw, name)


def _names_a_file(text: str) -> bool:
    """Whether a query that does not parse is the name of a file, given without -f: one that exists, or one that
    ends like a query file."""
    name = text.strip()
    if not name or "\n" in name or "{" in name:
        return False
    try:
        return Path(name).is_file() or Path(name).suffix.lower() in {".rq", ".sparql", ".ru"}
    except (OSError, ValueError):  # a name too long, or with a NUL
        return False


def _read_stdin() -> str:
    if sys.stdin is None:  # started with standard input closed (kgraph query - <&-)
        raise InputError("standard input is closed; give the query as an argument or with -f FILE")
    return _decoded(_read_at_most(sys.stdin.buffer, "<stdin>"), "<stdin>")


#: The longest query read from a file or standard input: ``-f /dev/zero`` read until the machine ran out of memory.
MAX_QUERY_BYTES = 64 << 20


def _read_at_most(stream: BinaryIO, source: str) -> bytes:
    """The bytes of ``stream``, refused past :data:`MAX_QUERY_BYTES`."""
    raw = stream.read(MAX_QUERY_BYTES + 1)
    if len(raw) > MAX_QUERY_BYTES:
        raise InputError(
            f"{source}: the query is longer than {MAX_QUERY_BYTES >> 20} MiB; name a query file, not a device or a "
            "data file (put data in a data file of --data, or load it into a store)"
        )
    return raw


def _decoded(raw: bytes, source: str) -> str:
    """The query's text (a byte order mark is no query); an InputError naming the line of a byte not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(f"{source}:{line}: the query is not UTF-8 text; save it as UTF-8") from error


def _summary(answer: q.Answer, output: Path | None, store: Path | None = None) -> str:
    """The line on stderr after an answer; an update's says that it left the store it read (``store``), or the
    data files, as they were."""
    where = f"; wrote {file_name(str(output))}" if output is not None else ""  # as given: a link, not its file
    kept = f"the store {store} is unchanged" if store is not None else "the data files are unchanged"
    took = f"{answer.seconds:.2f} s"
    if answer.kind == "SELECT":
        return f"{counted(len(answer.rows), 'row')} in {took}{where}"
    if answer.kind == "ASK":
        return f"{'yes' if answer.boolean else 'no'} in {took}{where}"
    if answer.kind == "UPDATE":
        return (
            f"update: {counted(answer.added, 'triple')} added, {answer.removed} removed, in {took}, in memory "
            f"only: {kept}{where or '; the graph after the update is on standard output'}"
        )
    return f"{counted(answer.size, 'triple')} in {took}{where}"


def _until_cleared(progress: Callable[[float, int], None]) -> Callable[[float, int], None]:
    """``progress``, silent once its line is cleared: a streamed answer's reader goes on reporting while it writes
    rows, which is for a file or a pipe, not for the terminal the rows go to."""
    cleared = [False]

    def report(seconds: float, rows: int) -> None:
        if not cleared[0]:
            progress(seconds, rows)
            cleared[0] = seconds < 0

    return report


def _as_is(out: BinaryIO) -> BinaryIO:
    return out


def _cleared(progress: Callable[[float, int], None] | None, *, table: bool) -> Callable[[BinaryIO], BinaryIO]:
    """Clear the progress line now; for a ``table``, which reads all its rows (reporting them) before its first
    line, as the output is first written (:class:`_ClearedOnWrite`). What the answer is written to, then."""
    if progress is None or not table:
        _clear(progress)
        return _as_is
    return lambda out: cast("BinaryIO", _ClearedOnWrite(out, progress))


class _ClearedOnWrite:
    """``out``, which clears the progress line before it writes: the table reads its rows, reporting progress,
    before it writes its first line to the terminal the reports are on."""

    def __init__(self, out: BinaryIO, progress: Callable[[float, int], None]) -> None:
        self._out = out
        self._progress: Callable[[float, int], None] | None = progress

    def write(self, data: bytes) -> int:
        if self._progress is not None:
            _clear(self._progress)
            self._progress = None
        return self._out.write(data)


def _clear(progress: Callable[[float, int], None] | None) -> None:
    if progress is not None:
        progress(-1, 0)


def _counts(kind: str, stream: bool, remote: bool) -> str | None:
    """What the progress line counts: a SELECT's rows, a graph answer's triples when they are made one at a time
    (streamed: N-Triples, Turtle, JSON-LD); None for an answer whose size comes only at its end (ASK, an update, an
    endpoint's answer), which would show 0 for as long as it runs."""
    if remote:
        return None
    if kind == "SELECT":
        return "row"
    return "triple" if stream and kind in ("CONSTRUCT", "DESCRIBE") else None


def _progress_reporter(wanted: bool | None, unit: str | None) -> Callable[[float, int], None] | None:
    """Progress lines on standard error (one line rewritten in place on a terminal), with the ``unit``s (rows,
    triples) made so far if any are counted; ``(-1, _)`` ends them."""
    on_terminal = sys.stderr.isatty()
    if not (wanted if wanted is not None else on_terminal):
        return None
    shown = [False]

    def report(seconds: float, rows: int) -> None:
        if seconds < 0:
            if shown[0] and on_terminal:
                click.echo("\r\033[K", err=True, nl=False)
            return
        shown[0] = True
        line = f"query running: {seconds:.1f} s" + (f", {counted(rows, unit)} so far" if unit else "")
        click.echo(f"\r{line}\033[K" if on_terminal else line, err=True, nl=not on_terminal)

    return report


COMMANDS = (query, queries)

__all__ = ["COMMANDS", "queries", "query"]

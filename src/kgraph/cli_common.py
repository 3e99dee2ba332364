"""What every ``kgraph`` command shares: the global options' state and the mapping of errors to exit codes.

Commands live in ``cli.py`` and in one ``cli_<area>.py`` module per area (query, viewer, export, analysis); each
takes the loaded graph through :data:`pass_state` and lets :class:`KGraphError` propagate to :class:`Group`.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import io
import logging
import math
import os
import re
import shutil
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from kgraph._compat import rdflib_warning
from kgraph.atomic import set_every_handler
from kgraph.errors import KGraphError, StoreError, rebuild_the_store, store_failure
from kgraph.store import LoadedGraph, display_path, typed_path
from kgraph.text import Layout, file_name, printable, shell_words, terminal_safe

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
#: The exit code of a command interrupted by Ctrl-C (SIGINT), as a shell reports it: 128 + 2.
INTERRUPTED = 130
#: Signals that stop a command as Ctrl-C does, cleaning up on the way (``kill``, a closed terminal, a CI job or a
#: container stopped); the exit code is 128 + the signal's number, as a shell reports a command they killed.
TERMINATING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))

#: The project configuration file, read from the working folder (``[store] path``).
CONFIG_FILE = "kgraph.toml"

#: ``--tables`` (``$KGRAPH_TABLES``): how a table wider than the terminal is printed (:meth:`State.layout`).
TABLES = ("auto", "wide", "records")


@dataclass
class State:
    """What the global options say, and the graph once loaded (commands share it)."""

    data: Path | None = None
    ontology: Path | None = None
    #: The persistent store to read (``--store DIR`` or ``kgraph.toml``) instead of the files; None: in memory.
    store: Path | None = None
    #: The store comes from kgraph.toml rather than --store: --data or --ontology then mean "in memory".
    store_configured: bool = False
    #: ``--tables``: one of :data:`TABLES`.
    tables: str = "auto"
    _loaded: LoadedGraph | None = field(default=None, repr=False)

    @classmethod
    def of_options(cls, data: Path | None, ontology: Path | None, store: Path | None, tables: str = "auto") -> State:
        """What kgraph's own options say (``--data``, ``--ontology``, ``--store``, ``--tables``): without
        ``--store``, the store of ./kgraph.toml, if any."""
        configured = configured_store(Path.cwd()) if store is None else None
        return cls(
            data=data,
            ontology=ontology,
            store=store or configured,
            store_configured=configured is not None,
            tables=tables,
        )

    def layout(self, *, to_terminal: bool = True) -> Layout | None:
        """How the command's tables are printed (:class:`kgraph.text.Layout`): None, as they are, unless standard
        output is a terminal (and ``to_terminal``: a table written to a file is not) and ``--tables`` is ``auto``
        (records for a table wider than the terminal), or ``--tables`` is ``records`` (records wherever they go).
        The width is the terminal's, or ``$COLUMNS``, or else 80."""
        if self.tables == "wide" or (self.tables == "auto" and not (to_terminal and stdout_is_terminal())):
            return None
        return Layout(shutil.get_terminal_size().columns, always=self.tables == "records")

    def loaded(self) -> LoadedGraph:
        """Load (once) the ontology and data folders, or open the store; print warnings to stderr."""
        if self._loaded is None:
            self._loaded = self._open_store() if self.reads_store else _cached_load(self.data, self.ontology)
            for warning in self._loaded.warnings:
                warn(warning)
        return self._loaded

    def given_store(self, option: Path | None) -> Path | None:
        """The store of a command's own ``--store`` (``load``, ``serve``, ``push``), else the one before the command
        or of kgraph.toml. Two ``--store`` of different folders are refused: the command's was taken without a
        word (``kgraph --store a load --store b`` loaded b)."""
        if option is None:
            return self.store
        if self.store is not None and not self.store_configured and _same_path(self.store) != _same_path(option):
            raise BadInput(
                f"--store {display_path(self.store)} before the command and --store {display_path(option)} after it "
                "name two stores; give one"
            )
        return option

    def forget(self) -> None:
        """Let go of the loaded graph (``kgraph serve`` keeps its own, and opens a replaced store again)."""
        self._loaded = None

    @property
    def reads_store(self) -> bool:
        """Whether commands read the store: --store, or kgraph.toml when neither --data nor --ontology is given."""
        if self.store is None:
            return False
        return not (self.store_configured and (self.data is not None or self.ontology is not None))

    def _open_store(self) -> LoadedGraph:
        from kgraph.persist import open_store  # noqa: PLC0415 - pyoxigraph loads only when a store is used

        assert self.store is not None  # noqa: S101 - loaded() checks
        if self.data is not None or self.ontology is not None:
            raise BadInput(
                "--data and --ontology are read by kgraph load; other commands read the store as it was loaded: "
                f"drop them, or run kgraph --data DIR load --store {self.store} first"
            )
        return open_store(self.store)


pass_state = click.make_pass_decorator(State)


def _cached_load(data: Path | None, ontology: Path | None) -> LoadedGraph:
    """The files loaded and inferred, from kgraph's cache when none has changed since (:mod:`kgraph.query.loading`)."""
    from kgraph.query import loading  # noqa: PLC0415

    return loading.load(data, ontology)


def _same_path(path: Path) -> Path:
    """``path`` as :meth:`State.given_store` compares two: absolute, its links followed where it exists."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return path.absolute()


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (a pipe, a file or a test's capture is not)."""
    return sys.stdout.isatty()


def warn(text: str) -> None:
    """Print one warning on stderr, ``warning: ...``, on one line whatever it quotes: a line break or other control
    character of the data shows as a space or its picture (:func:`kgraph.text.printable`), and a file's name is in
    ``$'...'`` already when it holds one (:func:`kgraph.store.display_path`). A :class:`~kgraph.errors.Notice`
    is printed in the command line's words."""
    click.echo(f"warning: {printable(getattr(text, 'cli_message', text))}", err=True)


def option_given(ctx: click.Context, name: str) -> bool:
    """Whether the option ``name`` was given (on the command line or by an environment variable), not defaulted."""
    return ctx.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)


#: ``--format`` of the commands that list entities (``entities``, ``rank``, ``communities``, ``neighbors``).
RECORD_FORMATS = ("text", "csv", "json")


def record_format_option(what: str) -> Callable[[F], F]:
    """The ``--format`` option of a command that lists entities; ``what``: what a row of csv/json is."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(RECORD_FORMATS),
        default="text",
        show_default=True,
        help=f"text: for reading; csv (with a header line) or json (an array of objects): {what}, for a spreadsheet "
        "or a script.",
    )


def write_records(fmt: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write ``rows`` to stdout as CSV (RFC 4180: a header line, CRLF line ends, as ``kgraph query --format csv``;
    None is an empty cell) or JSON (an array with one object per row, keys in the order of ``columns``; numbers
    as numbers, None as null)."""
    if fmt == "json":
        import json  # noqa: PLC0415 - only for this output

        records = [dict(zip(columns, row, strict=True)) for row in rows]
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
        return
    import csv  # noqa: PLC0415 - only for this output

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(columns)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    click.echo(text.getvalue(), nl=False)


class NegativeAnswer(click.ClickException):
    """Printed as ``Error: <message>`` on stderr; exit 1."""

    exit_code = 1


class BadInput(click.ClickException):
    """Printed as ``Error: <message>`` on stderr; exit 2, like click's usage errors."""

    exit_code = 2


class NotAnswered(click.ClickException):
    """Printed as ``Error: <message>`` on stderr; exit 3: a valid request got no answer (time limit, endpoint)."""

    exit_code = 3


#: The click exception for each exit code a KGraphError can carry.
FAILURES: dict[int, type[click.ClickException]] = {1: NegativeAnswer, 2: BadInput, 3: NotAnswered}


#: click's usage error for a group given no command (click 8.2 and later; 8.1 printed the help and exited 0).
_NO_ARGS_IS_HELP: tuple[type[click.UsageError], ...] = tuple(
    error for error in (getattr(click.exceptions, "NoArgsIsHelpError", None),) if error is not None
)


#: The options of kgraph itself, which go before the command (``kgraph --data DIR validate``).
_OWN_OPTIONS = ("--data", "--ontology", "--store")


#: click's message for a value that is no number, and what the option takes, in words.
_NOT_A_NUMBER = re.compile(r"(.*) is not a valid (integer range|integer|float range|float|seconds)\.", re.DOTALL)
_NUMBER_KINDS = {
    "integer range": "a whole number",
    "integer": "a whole number",
    "float range": "a number",
    "float": "a number",
    "seconds": "a number of seconds",
}


def _with_hint(error: click.UsageError) -> str:
    """click's message for ``error`` (its subclasses build it in ``format_message``); for one of kgraph's own
    options given after a command that has no such option (``kgraph validate --data my-data``), where it goes;
    for a missing argument, the command's usage line, which click printed above its message (``kgraph path
    Nvidia``: ``Missing argument 'B'. Usage: kgraph path [OPTIONS] A B``); for an argument too many, the usage
    too, and, where the command takes arguments, that one of several words goes in quotes (``kgraph show Amazon
    Bedrock``), or, for one that reads as ``KEY=VALUE`` where the command has ``--param``, that it goes after
    ``--param`` (:func:`_param_hint`); for a value that is no number, what the option takes (``'x' is not a
    whole number``), where click named its type (``'x' is not a valid integer range.``)."""
    if isinstance(error, click.BadParameter) and (number := _NOT_A_NUMBER.fullmatch(error.message)):
        # click names its type: "'x' is not a valid integer range." for --max, "... a valid seconds." for --timeout
        reworded = f"{number[1]} is not {_NUMBER_KINDS[number[2]]}"
        error = click.BadParameter(reworded, ctx=error.ctx, param=error.param, param_hint=error.param_hint)
    ctx = error.ctx
    if ctx is None:
        return error.format_message()
    usage = f"Usage: {ctx.command_path} {' '.join(ctx.command.collect_usage_pieces(ctx))}"
    if isinstance(error, click.MissingParameter) and isinstance(error.param, click.Argument):
        return f"{error.format_message()} {usage}"
    if type(error) is click.UsageError and error.message.startswith("Got unexpected extra argument"):
        takes_arguments = any(isinstance(param, click.Argument) for param in ctx.command.params)
        quotes = '; put an argument of several words in quotes ("Amazon Bedrock")' if takes_arguments else ""
        return f"{error.format_message()}. {usage}{_param_hint(error.message, ctx) or quotes}"
    if not (isinstance(error, click.NoSuchOption) and error.option_name in _OWN_OPTIONS):
        taken = _file_taken_for_an_option(error) if isinstance(error, click.NoSuchOption) else None
        return error.format_message() if taken is None else f"{error.format_message().rstrip('.')}: {taken}"
    words: list[str] = []
    while ctx is not None and ctx.parent is not None:  # the command's words, not the program's name
        words.insert(0, ctx.info_name or "")
        ctx = ctx.parent
    if not words:  # given to kgraph itself, which has it: not this error
        return error.format_message()
    return (
        f"No such option '{error.option_name}': it is an option of kgraph itself, so it goes before the command "
        f"(kgraph {error.option_name} DIR {' '.join(words)} ...)"
    )


_EXTRA_KEY_VALUE = re.compile(r"Got unexpected extra arguments? \(([A-Za-z_][\w-]*)=(.*)\)", re.DOTALL)


def _param_hint(message: str, ctx: click.Context) -> str:
    """For a command with ``--param``, extra arguments that read as ``KEY=VALUE`` (``kgraph queries run
    customers-of product=Bedrock``): that a parameter goes after ``--param``; else ``""``. click joins the extra
    arguments with spaces, so ``product=Amazon Bedrock`` is one value of two words, quoted, whether the shell gave
    it as one argument or two."""
    extra = _EXTRA_KEY_VALUE.fullmatch(message)
    if extra is None or not any("--param" in getattr(param, "opts", ()) for param in ctx.command.params):
        return ""
    key, value = extra.groups()
    if shell_words([value]) == value:
        given = f"{key}={value}"
    elif not any(c in '"\\$`!' for c in value) and shell_words([value]) == f"'{value}'":
        given = f'{key}="{value}"'  # as the README and the examples write a name of several words
    else:
        given = shell_words([f"{key}={value}"])
    return f"; a parameter goes after --param: --param {given}"


#: Where :class:`Group` keeps the command line as given (``ctx.meta``, which every context of a command shares).
_GIVEN = "kgraph.given"


def _file_taken_for_an_option(error: click.NoSuchOption) -> str | None:
    """For an unknown option that is a file or folder here, given to a command that takes files as arguments
    (``kgraph load --store s -old.ttl``), how to pass it: click reads every word that starts with ``-`` as
    options, and said only ``No such option '-o'``; given to a command that reads its query from ``-f FILE``
    (``kgraph query -my.rq``), a file here is to be passed with it. None when no word of the command line names
    one."""
    ctx = error.ctx
    if ctx is None:
        return None
    if any(
        isinstance(param, click.Argument) and isinstance(param.type, click.Path | click.File)
        for param in ctx.command.params
    ):
        word = _word_of(ctx, error.option_name)
        if word is None:
            return None
        what = "folder" if Path(word).is_dir() else "file"
        return (
            f"{file_name(word)} is a {what} here; to pass a name that starts with -, write it "
            f"{shell_words([f'./{word}'])}"
        )
    reads_a_file = any(isinstance(param, click.Option) and "--file" in param.opts for param in ctx.command.params)
    word = _word_of(ctx, error.option_name) if reads_a_file else None
    if word is None or Path(word).is_dir():
        return None
    return _run_it_with_f(word)


def _run_it_with_f(word: str, read_as: str = "") -> str:
    return f"{file_name(word)} is a file here{read_as}; to run the query in it, pass -f {shell_words([f'./{word}'])}"


def file_taken_with_f(value: str) -> str | None:
    """For a query file ``-f value`` that is not there, given as one word ``-fvalue`` that names a file here
    (``kgraph query -foo.rq``, which click reads as ``-f oo.rq``), how to run the query in it; None otherwise."""
    ctx = click.get_current_context(silent=True)
    word = f"-f{value}"
    if ctx is None or word not in ctx.meta.get(_GIVEN, ()) or not Path(word).is_file():
        return None
    return _run_it_with_f(word, f", which reads as -f {shell_words([value])}")


def _word_of(ctx: click.Context, option: str) -> str | None:
    """The word of the command line that click read as the unknown ``option`` and that names a file or folder here;
    None if there is no such word."""
    for word in ctx.meta.get(_GIVEN, ()):
        if word.startswith("--"):
            gave = word.split("=", 1)[0] == option
        else:  # click names the first letter of -xyz that is no option of the command
            gave = word.startswith("-") and len(option) == len("-x") and option[1] in word[1:]
        if gave and os.path.lexists(word):
            return str(word)
    return None


class OneLineUsageError(click.UsageError):
    """A usage error (an unknown option or command, a missing argument, a bad value) said on one line, as kgraph's
    other errors are: ``Error: <message>``, where click wrote four lines (the usage, ``Try '... --help' for
    help.``, a blank line, the message). click's message names the option or argument, and the value refused
    with the values it takes, or the option or command meant (``Did you mean '--lang'?``)."""

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(_with_hint(error), error.ctx)

    @classmethod
    def of(cls, error: click.UsageError) -> click.UsageError:
        """``error`` said on one line; but a group given no command (``kgraph``, ``kgraph export``) shows its help
        as click does (since click 8.2 a usage error whose message is the whole help, which became
        ``Error: Usage: ...``)."""
        if isinstance(error, (cls, *_NO_ARGS_IS_HELP)):
            return error
        return cls(error)

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(
            f"Error: {self.format_message()}", file=file or sys.stderr, color=self.ctx.color if self.ctx else None
        )


class LazyGroup(click.Group):
    """A group whose sub-commands named in ``lazy`` (``{name: "module:attribute"}``) are imported when used.

    ``kgraph query`` should not pay for importing networkx, the viewer or the server: each command's module is
    imported only when that command runs. ``--help`` lists a command not imported yet by its line of
    ``summaries`` (the first paragraph of its help, which is all of it click's list shows), so that listing the
    commands imports none of them: ``kgraph --help`` took 0.47 s and 53 MB, and takes what importing the group
    does. A lazy command without a summary is imported to be listed.
    """

    def __init__(
        self,
        *args: Any,  # noqa: ANN401 - click's
        lazy: Mapping[str, str] | None = None,
        summaries: Mapping[str, str] | None = None,
        **kwargs: Any,  # noqa: ANN401 - click's
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})
        self.summaries = dict(summaries or {})
        self._listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, imported or not, sorted."""
        return sorted({*super().list_commands(ctx), *self.lazy})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's list of the commands, each lazy one not imported yet described by its summary."""
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """click's completion of a command's name (README, "Shell completion"), each lazy one not imported yet
        described by its summary: the Tab key after ``kgraph`` imported every command whose name starts with what was
        typed (all of them after ``kgraph `` alone: 0.75 s and 52 MB, against 0.23 s and 31 MB)."""
        self._listing = True
        try:
            return super().shell_complete(ctx, incomplete)
        finally:
            self._listing = False

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, importing its module first if it is a lazy one; while the commands are listed,
        a stand-in that holds only its summary."""
        if self._listing and cmd_name not in self.commands and cmd_name in self.summaries:
            return click.Command(cmd_name, help=self.summaries[cmd_name])
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            if not isinstance(command, click.Command):  # pragma: no cover - a wrong entry in the table
                raise TypeError(f"{self.lazy[cmd_name]} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


class Terminated(KeyboardInterrupt):
    """A command stopped by one of :data:`TERMINATING`: a KeyboardInterrupt, so that what cleans up after Ctrl-C
    (a store half loaded, an output half written, a query's worker) cleans up after it too."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate(signum: int, _frame: object) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def _stopping_cleanly() -> Iterator[None]:
    """While a command runs, SIGTERM and SIGHUP raise :class:`Terminated` instead of ending the process at once
    (Python's default), which left a store being loaded as a hidden folder of its size. A signal ignored already
    stays ignored (``nohup kgraph load ...`` goes on when its terminal closes). Signal handlers belong to the main
    thread: elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before: dict[int, Any] = {}
    try:
        for signum in TERMINATING:
            if signal.getsignal(signum) is signal.SIG_DFL:
                # noted first: a signal that comes as the next handler is set raises there, and this one is put back
                before[signum] = signal.SIG_DFL
                signal.signal(signum, _terminate)
        yield
    finally:
        _put_back(before)


def _put_back(handlers: dict[int, Any]) -> None:
    """Set the handler of each signal in ``handlers`` back (its number: the handler :func:`_stopping_cleanly`
    replaced by :func:`_terminate`), every one of them even when a signal comes meanwhile, and raise its
    :class:`Terminated` after.

    A signal that came as the command ended is acted on by its :func:`_terminate` as a handler is set back
    (``signal.signal`` acts on a pending signal before it sets a handler), and that cut the loop short: the
    handlers were left raising :class:`Terminated` for the rest of a Python caller's life (one that catches the
    ``SystemExit`` of ``kgraph.cli.main``, click's ``CliRunner``), where its SIGTERM had ended it. Setting them
    again until all are back is enough: a handler set back is the default, which raises nothing in Python.
    Blocking the signals meanwhile, as :func:`kgraph.atomic.uninterrupted` does, would not do here:
    ``signal.pthread_sigmask`` acts on a pending signal too, and :func:`_terminate` would raise with the signals
    blocked."""
    set_every_handler(handlers)  # a Terminated, or Ctrl-C's KeyboardInterrupt, raised once all are set


class Group(LazyGroup):
    """The one place where the core's errors become exit codes (``KGraphError.exit_code``), and where a failure
    to write the output becomes one: a reader that stopped reading (``| head``) ends the command quietly (exit
    0: what it read is what it wanted), a full disk is an error (exit 2), not a traceback."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,  # noqa: ANN401 - click's settings
    ) -> click.Context:
        """The command line parsed, as click does; a Ctrl-C meanwhile ends the command as it does later, with
        130 (click's own answer to it, here, is exit 1: a negative answer)."""
        given = list(args)
        try:
            ctx = super().make_context(info_name, args, parent, **extra)
        except KeyboardInterrupt:
            click.echo("Aborted!", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None
        except click.UsageError as error:  # kgraph's own options: --store, --data, ...
            raise OneLineUsageError.of(error) from None
        if parent is None:  # the whole command line, for a usage error of a command (_file_taken_for_an_option)
            ctx.meta.setdefault(_GIVEN, given)
        return ctx

    def invoke(self, ctx: click.Context) -> Any:  # noqa: ANN401 - whatever the command returns
        try:
            OneLineWarnings.install()
            try:
                with _stopping_cleanly():
                    return super().invoke(ctx)
            finally:
                if sys.stdout is not None:  # None: started with standard output closed
                    sys.stdout.flush()  # what is still buffered: a failure to write it is met here, not at exit
        except click.UsageError as error:  # a command's options and arguments, and what its code refuses so
            raise OneLineUsageError.of(error) from None
        except KGraphError as error:
            raise _kgraph_failure(ctx.find_object(State), error) from error
        except Terminated as stopped:
            with contextlib.suppress(OSError):  # a closed terminal's SIGHUP: there may be no stderr left
                _say_what_was_left(stopped)
                click.echo("Terminated", err=True)
            raise click.exceptions.Exit(128 + stopped.signum) from None
        except KeyboardInterrupt as stopped:
            # click says "Aborted!" and exits 1, which here means a negative answer (not found, no path): a script
            # must tell an interrupted command from one, so 130, as a shell gives a command that Ctrl-C stopped.
            _say_what_was_left(stopped)
            click.echo("Aborted!", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None
        except (MemoryError, RuntimeError) as error:
            failure = _out_of_memory_or_damaged(ctx.find_object(State), error)
            if failure is None:
                raise
            raise failure from error
        except OSError as error:
            if error.errno == errno.EPIPE:
                discard_stdout()
                return None
            state = ctx.find_object(State)
            failure = write_failure(error) or _replaced_store(state) or _no_permission(error)
            if failure is None and store_failure(error) is error:
                failure = _store_failure(state, error, "cannot read the store {store}")
            if failure is None:
                raise
            raise failure from error


def _out_of_memory_or_damaged(state: State | None, error: MemoryError | RuntimeError) -> click.ClickException | None:
    """The one line for running out of memory (a graph, a file or an answer larger than the machine holds: it was a
    traceback) or for a damaged store (RocksDB, under Oxigraph, checks each block it reads: a damaged store can open
    and fail later); None for any other RuntimeError."""
    if isinstance(error, MemoryError):
        return NotAnswered(
            "kgraph ran out of memory; for a graph this large, load it into a store (kgraph load --store DIR) and run "
            "commands with --store DIR, or give the process more memory"
        )
    if not str(error).startswith("Corruption:"):
        return None
    return _store_failure(state, error, "the store {store} is damaged")


def _no_permission(error: OSError) -> BadInput | None:
    """The one line for a file or folder this user may not read or search that no command foresaw (a store's copy
    of the ontology in a folder without search permission: ``validate`` ended in a PermissionError traceback);
    None for any other error."""
    if error.errno not in (errno.EACCES, errno.EPERM) or not isinstance(error.filename, str | bytes | os.PathLike):
        return None  # no file named (a descriptor's number, or none)
    where = display_path(Path(os.fsdecode(error.filename)))
    return BadInput(
        f"cannot use {where}: {error.strerror or error}; check the permissions of it and of the folders above it"
    )


def _kgraph_failure(state: State | None, error: KGraphError) -> click.ClickException:
    """The one line and exit code of a command that failed with ``error``."""
    # An error the store's database gave: a kgraph load replaced the store meanwhile, or the store is damaged (a
    # query's rows are read through it: "the store failed while reading the answer: Corruption: ..."). A
    # StoreError already says what failed and what to do (a load that ran out of room writing a new store).
    failed = store_failure(error)
    if failed is not None and not isinstance(error, StoreError):
        damaged = isinstance(failed, RuntimeError)
        return _store_failure(
            state, failed, "the store {store} is damaged" if damaged else "cannot read the store {store}"
        )
    replaced = _replaced_store(state) if failed is not None else None
    if replaced is not None:
        return replaced
    # terminal_safe: a message may quote the data (a label, a line of a file), whose control characters would
    # drive the terminal; each command quotes names with names.in_a_message, this catches the rest
    return FAILURES.get(error.exit_code, BadInput)(terminal_safe(error.cli_message))


def _say_what_was_left(stopped: KeyboardInterrupt) -> None:
    """The notes the core added to an interrupt on its way out (what ``kgraph push`` left at the store), one line
    each on stderr."""
    for note in getattr(stopped, "__notes__", ()):
        click.echo(terminal_safe(" ".join(str(note).split())), err=True)


def _store_failure(state: State | None, error: BaseException, what: str) -> BadInput:
    """The error to report for ``error`` from the store a command reads (``what``, with ``{store}`` in it, says
    how): one :func:`_replaced_store` explains, or one to rebuild the store for."""
    replaced = _replaced_store(state)
    if replaced is not None:
        return replaced
    store = display_path(state.store) if state is not None and state.store is not None else "the store"
    return BadInput(rebuild_the_store(what, store, error))


def _replaced_store(state: State | None) -> BadInput | None:
    """The error to report when the store a command reads was replaced by ``kgraph load`` as it read: Oxigraph
    opens the store's table files as it first reads them, by name, and the names are now the new store's (RocksDB
    says "Corruption: Mismatch in unique ID", or finds a file gone). None if the store is the one opened."""
    loaded = None if state is None else state._loaded  # the graph, only if the command loaded it
    if loaded is None or not loaded.store_replaced():
        return None
    store = display_path(loaded.store_dir) if loaded.store_dir is not None else "the store"
    return BadInput(f"the store {store} was replaced (kgraph load) while this command read it; run the command again")


class OneLineWarnings(logging.Handler):
    """Print what rdflib logs as one line each on stderr, ``warning: rdflib: ...``, the same line once.

    rdflib logs a warning with its traceback when it meets a literal it cannot read as its datatype (``"x"^^
    xsd:integer``), in a query's text or made by a query in memory (one read from a store is the load's to warn of:
    :class:`kgraph.oxstore._StoreReads`); with no logging set up, Python printed that traceback,
    which looks like kgraph failing. A file's warnings while it is parsed are collected with the file's name
    instead (:func:`kgraph.store.parse_file`). After :data:`MAX` different lines, one more says the rest are left
    out.
    """

    MAX = 20

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: set[str] = set()

    @classmethod
    def install(cls) -> None:
        """Put one on rdflib's logger, or empty the one there of the lines it printed (one command each)."""
        logger = logging.getLogger("rdflib")
        for handler in logger.handlers:
            if isinstance(handler, cls):
                handler.seen.clear()
                return
        logger.addHandler(cls())

    def emit(self, record: logging.LogRecord) -> None:
        line = rdflib_warning(record)
        if line in self.seen or len(self.seen) > self.MAX:
            return
        self.seen.add(line)
        if len(self.seen) > self.MAX:
            line = "more warnings left out"
        with contextlib.suppress(OSError):  # stderr closed: nowhere to warn
            warn(f"rdflib: {line}")


def write_failure(error: OSError) -> BadInput | None:
    """The error to report for ``error`` if it is a write that failed for want of room or of an open standard
    output (standard output then points at the null device, so that Python's flush at exit does not fail
    again); None for any other error."""
    if isinstance(error, ClosedOutputError):
        return BadInput(f"cannot write the output: {error.strerror}; give a file to write to")
    if error.errno in _NO_ROOM and error.filename is None:
        discard_stdout()
        reason = error.strerror or str(error)
        return BadInput(f"cannot write the output: {reason}; make room, or write it elsewhere")
    return None


class ClosedOutputError(OSError):
    """A write to standard output when the command started with it closed (``kgraph ... >&-``)."""

    def __init__(self) -> None:
        super().__init__(errno.EBADF, "standard output is closed")


class ClosedOutput(io.TextIOWrapper):
    """What ``sys.stdout`` is when the command started with standard output closed (Python makes it None): a
    command that writes its output there fails with :class:`ClosedOutputError`, one that does not runs."""

    def __init__(self) -> None:
        super().__init__(_ClosedBinary(), encoding="utf-8")

    def isatty(self) -> bool:
        return False


class _ClosedBinary(io.BufferedIOBase):
    name = "<stdout>"

    def writable(self) -> bool:
        return True

    def write(self, _data: Any, /) -> int:  # noqa: ANN401 - bytes-like
        raise ClosedOutputError

    def isatty(self) -> bool:
        return False


#: Errors of a write that found no room: full disk, quota, file too large, or the device failing.
_NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def discard_stdout() -> None:
    """Point standard output at the null device, so that what Python still holds for it goes nowhere at exit
    instead of failing again there."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a file (a test's capture): nothing is flushed at exit
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


class Seconds(click.FloatRange):
    """A number of seconds, at least ``min`` and at most :data:`MAX_SECONDS`: click's FloatRange, which takes
    ``nan`` (no comparison fails with it), so that ``--timeout nan`` meant no limit at all; and any number, so
    that ``--timeout inf`` (or ``1e10``) reached Python's sockets and waits, which take no more than their clock
    holds (a traceback from ``push`` and ``query --endpoint``, HTTP 500 for every query of ``serve --isolate``)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:  # noqa: ANN401
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if number > MAX_SECONDS:
            unlimited = ", or 0 for no limit" if self.min == 0 else ""
            self.fail(f"{value} is more than {MAX_SECONDS:,} seconds (11 days); give fewer{unlimited}", param, ctx)
        return number


#: The longest time limit an option takes: Python's waits on a socket, a lock or a poll (in whole milliseconds, a
#: C int: about 24 days) refuse longer ones.
MAX_SECONDS = 1_000_000


def _not_a_file(
    value: Any,  # noqa: ANN401
    advice: str,
    kind: click.Path,
    param: click.Parameter | None,
    ctx: click.Context | None,
) -> None:
    """Refuse a file where a folder is wanted in kgraph's words, with what to give instead: click said only
    ``Directory 'v.html' is a file.``"""
    found = _looked_up(value, advice, kind, param, ctx)
    if found is not None and not stat.S_ISDIR(found.st_mode):
        kind.fail(f"{display_path(Path(value))} is a file, not a folder; {advice}", param, ctx)


#: What looking a name up says of a name with nothing there (``Path.exists`` takes them for "no").
_NOTHING_THERE = (errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EBADF)


def _looked_up(
    value: Any,  # noqa: ANN401
    advice: str,
    kind: click.Path,
    param: click.Parameter | None,
    ctx: click.Context | None,
) -> os.stat_result | None:
    """What is at ``value`` (its links followed), None if nothing; a name the system will not look up fails as bad
    usage with ``advice``: a name too long, one in a folder this user may not enter (``Path.exists`` raised those,
    a traceback)."""
    try:
        return Path(value).stat()
    except OSError as error:
        if error.errno in _NOTHING_THERE:
            return None
        kind.fail(f"{display_path(Path(value))}: {error.strerror or error}; {advice}", param, ctx)


class Folder(click.Path):
    """A folder to read (``--data``, ``--ontology``, ``--store``): an empty name (``--data "$DATA"`` with ``DATA``
    unset) is refused; it was read as the current folder: ``--data ""`` read the data files there without a word,
    ``--store ""`` said ``. is not a kgraph store``, and ``build one with kgraph load --store .``, which is refused."""

    def __init__(self, what: str = "a folder (. for the current one)") -> None:
        super().__init__(path_type=Path, file_okay=False)
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:  # noqa: ANN401
        if str(value) == "":
            self.fail(f"the name is empty; name {self.what}", param, ctx)
        _not_a_file(value, f"name {self.what}", self, param, ctx)
        return super().convert(value, param, ctx)


#: What an empty --store is told to name.
STORE_FOLDER = "the store's folder, such as kgraph-store"


class OutFolder(click.Path):
    """A folder to write files into: ``-``, standard output for the commands that write one file, is refused
    rather than made a folder named ``-`` (``kgraph export neo4j --out -`` wrote ``-/nodes_Entity.csv`` ...); an
    empty name (``--out "$OUT"`` with ``OUT`` unset) is refused rather than read as the current folder (it wrote
    some 60 files there)."""

    def __init__(self) -> None:
        super().__init__(path_type=Path, file_okay=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:  # noqa: ANN401
        if str(value) == "-":
            self.fail(
                "this command writes a folder of files, not one stream to standard output; name a folder", param, ctx
            )
        if str(value) == "":
            self.fail("the name is empty; name a folder (. for the current one)", param, ctx)
        _not_a_file(value, "name another folder", self, param, ctx)
        return super().convert(value, param, ctx)


class OutFile(click.Path):
    """A file to write: an empty name (``--output "$OUT"`` with ``OUT`` unset) is refused as such; it was taken
    for the current folder (``cannot write .: Device or resource busy``, ``--output . is a folder``). So is a name
    that ends in a separator (``-o new/``), which names a folder: the file was written as ``new``."""

    def __init__(self, *, allow_dash: bool = False) -> None:
        super().__init__(path_type=Path, dir_okay=False, allow_dash=allow_dash)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:  # noqa: ANN401
        if str(value) == "":
            self.fail("the name is empty; name a file (- for standard output)", param, ctx)
        found = None if str(value) == "-" else _looked_up(value, "name another file", self, param, ctx)
        if found is not None and stat.S_ISDIR(found.st_mode):
            self.fail(f"{display_path(Path(value))} is a folder; name a file (- for standard output)", param, ctx)
        separator = str(value)[-1]
        if separator in {os.sep, os.altsep or os.sep}:
            shown = f"{display_path(Path(value))}{separator}"
            self.fail(
                f"{shown} ends in {separator}, which names a folder; name a file (- for standard output)", param, ctx
            )
        return super().convert(value, param, ctx)


class InFile(click.Path):
    """A file to read (``kgraph load FILES``, ``query -f``): an empty name (``kgraph load "$EXTRA"`` with ``EXTRA``
    unset) is refused as such; it was taken for the current folder (``. is not a file``, ``cannot read . (-f): Is a
    directory``), a name no one gave. A folder is left to the command to tell in its own words, as it tells any
    name that is no file: load's FILES to :func:`kgraph.persist.build`, ``query -f`` to its reading of the file
    (click said `Invalid value for '[FILES]...': File 'd' is a directory.`)."""

    def __init__(self, *, allow_dash: bool = False) -> None:
        super().__init__(path_type=Path, allow_dash=allow_dash)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:  # noqa: ANN401
        if str(value) == "" and self.allow_dash:  # query -f: as an empty --output is told
            self.fail("the name is empty; name a file (- for standard input)", param, ctx)
        if str(value) == "":  # load FILES: worded as for a name that is no file ("x.ttl is not a file; pass ...")
            raise BadInput('"" is not a file (the name is empty); pass RDF files (*.ttl, *.trig, *.nt, *.nq)')
        return super().convert(value, param, ctx)


class NotEmpty(click.types.StringParamType):
    """Text that may not be empty (``--auth-env "$VAR"`` with ``VAR`` unset): an empty ``--auth-env`` named no
    variable and went without a password, without a word; an empty ``--host`` failed only after a warning about
    serving on it (``--host " "`` too: `--host   lets other machines connect`). ``what``: what is empty, and what
    to give instead."""

    name = "text"

    def __init__(self, what: str) -> None:
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:  # noqa: ANN401
        if not str(value).strip():
            self.fail(self.what, param, ctx)
        return super().convert(value, param, ctx)


class EnvName(NotEmpty):
    """The name of an environment variable (``--auth-env``): letters, digits and ``_``, not a digit first, as a
    shell can set. Any other name was taken as given and named no variable the user could have set: ``query`` and
    ``push`` went on without a password, without a word, and ``serve --host 0.0.0.0`` asked to set
    ``$X=admin:secret=user:password``, printing the password of ``--auth-env X=admin:secret`` (or of ``--auth-env
    "$KGRAPH_SERVE_AUTH"``, the variable's value). A name that may hold the password (``=``, ``:``) is not repeated."""

    def __init__(self, example: str) -> None:
        super().__init__(f"the name is empty; name an environment variable, such as {example}")
        self.example = example

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:  # noqa: ANN401
        name = super().convert(value, param, ctx)
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            return name
        example = self.example
        if "=" in name:
            reason = f"the name holds '=' (NAME=user:password?); name the variable alone, such as {example}"
        elif ":" in name:
            reason = (
                f"the name holds ':' (its value user:password?); name the variable, such as {example}, not ${example}"
            )
        elif re.fullmatch(r"\$[A-Za-z_][A-Za-z0-9_]*", name):  # '$VAR' in single quotes
            self.fail(f"the name goes without the $: --auth-env {name[1:]}", param, ctx)
        else:
            reason = (
                f"{printable(name)!r} is not a variable's name (letters, digits and _, not a digit first); name one"
            )
            reason += f", such as {example}"
        self.fail(f"{reason}, and set user:password in it", param, ctx)


def unset_auth_variable(ctx: click.Context) -> str | None:
    """The variable ``--auth-env VAR`` named, when the option was given and ``$VAR`` is unset or empty; else None.

    The default variable unset means "no login", as the help says; a variable the user named and forgot to export
    (or set in another shell) went without a password without a word: ``query`` and ``push`` learnt of it from a
    store's 401 at best, and ``serve`` served without one.
    """
    name = ctx.params.get("auth_env")
    if not option_given(ctx, "auth_env") or not isinstance(name, str) or os.environ.get(name):
        return None
    return name


def inputs_of(loaded: LoadedGraph) -> list[Path | None]:
    """The folders ``loaded`` was read from (data, ontology, store) and the files (a data file may link to one
    elsewhere; a store's may have been given to ``kgraph load`` from anywhere), where no command writes (see
    :func:`kgraph.atomic.refuse_inputs`)."""
    return [loaded.data_dir, loaded.ontology_dir, loaded.store_dir, *loaded.files]


def configured_store(folder: Path) -> Path | None:
    """The store ``kgraph.toml`` in ``folder`` names (``[store] path``), relative to that file; None if none."""
    path = folder / CONFIG_FILE
    where = file_name(str(Path(typed_path(folder)) / CONFIG_FILE))  # display_path(path) would show a link's target
    if not path.is_file():
        if not (path.exists() or path.is_symlink()):
            return None
        # Skipped, it left commands on the in-memory graph without a word, as a typo in the file did.
        what = "a folder" if path.is_dir() else "a symbolic link that leads to no file"
        raise BadInput(f"{where} is {what}; make it a file with [store] path in it, or remove it")
    import tomllib  # noqa: PLC0415 - only when there is a file to read

    try:
        raw = path.read_bytes()
        # A byte order mark first (Windows editors write one) is not a setting, as in the data files.
        config = tomllib.loads(raw.decode("utf-8-sig"))
    except OSError as error:
        raise BadInput(f"cannot read {where}: {error.strerror or error}; check that the file is readable") from error
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise BadInput(f"{where}:{line}: the file is not UTF-8 text; fix the file or remove it") from error
    except tomllib.TOMLDecodeError as error:
        # tomllib says "Invalid value (at line 2, column 8)": file:line:column first, as for data and queries
        reason, place = str(error), where
        if found := re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", reason, re.DOTALL):
            reason, place = found[1], f"{where}:{found[2]}:{found[3]}"
        elif found := re.fullmatch(r"(.*) \(at end of document\)", reason, re.DOTALL):
            last = len(raw.decode("utf-8-sig").splitlines()) or 1
            reason, place = found[1], f"{where}:{last}"
        raise BadInput(f"{place}: {reason}; fix the file or remove it") from error
    unknown = sorted(set(config) - {"store"})
    store = config.get("store", {})
    if not isinstance(store, dict):
        raise BadInput(f'{where}: store must be a table: [store] with path = "kgraph-store" under it')
    unknown += sorted(f"store.{key}" for key in set(store) - {"path"})
    if unknown:  # a typo would otherwise leave commands on the in-memory graph without a word
        raise BadInput(f"{where}: unknown setting {', '.join(unknown)}; kgraph reads [store] path only")
    value = store.get("path")
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise BadInput(f'{where}: [store] path must be a folder name, such as path = "kgraph-store"')
    return path.parent / value

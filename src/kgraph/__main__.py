"""The ``kgraph`` command's entry point: the console script and ``python -m kgraph``.

It imports nothing before :func:`main` runs, and imports the command line inside it, so that a Ctrl-C while
Python imports rdflib and the rest (a third of a second on a quiet machine, seconds on a busy one) ends the
command as a Ctrl-C does later (``Aborted!``, exit 130), not in Python's traceback and a death by signal; and a
SIGTERM or SIGHUP as they do later (``Terminated``, exit 143 or 129).
"""

# Nothing is imported here but sys, which Python has already imported (nor typing or contextlib: the Ctrl-C this
# module catches can come while they would be imported).
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

#: The exit code of a command interrupted by Ctrl-C (SIGINT), as a shell reports it: 128 + 2
#: (``kgraph.cli_common.INTERRUPTED``, which this module does not import).
INTERRUPTED = 130


def main(argv: "Sequence[str] | None" = None) -> None:
    """Run the ``kgraph`` command (:func:`kgraph.cli.main`) with ``argv``, or the process's arguments."""
    _raise_dropped_interrupts()
    terminating: list[int] = []
    try:
        _terminate_while_importing(terminating)  # in the try: a SIGTERM may come as it sets SIGHUP's handler
        from kgraph.cli import main as run  # noqa: PLC0415 - imported here, where a Ctrl-C is caught

        _put_back(terminating)  # the command sets its own: kgraph.cli_common._stopping_cleanly
    except KeyboardInterrupt as stopped:
        signum = getattr(stopped, "signum", None)
        _say("Aborted!" if signum is None else "Terminated")
        raise SystemExit(INTERRUPTED if signum is None else 128 + signum) from None
    run(argv)


def _terminate_while_importing(handled: list[int]) -> None:
    """Have SIGTERM and SIGHUP raise a KeyboardInterrupt that holds their ``signum`` rather than end the process at
    once, as they do while the command runs (``kgraph.cli_common.Terminated``, which is not imported yet); add the
    signals handled so to ``handled`` (not those ignored, as with ``nohup``: they stay ignored), each before its
    handler is set, for one that comes meanwhile raises here.

    The handlers are set with ``_signal``, which Python has imported at start-up: :mod:`signal` would import
    enum first, a few milliseconds in which a SIGTERM still ended the process."""
    import _signal  # type: ignore[import-not-found]  # noqa: PLC0415 - built in, already imported

    def terminate(signum: int, _frame: object) -> None:
        terminated = KeyboardInterrupt(signum)
        terminated.signum = signum  # type: ignore[attr-defined]
        raise terminated

    signals = [getattr(_signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(_signal, name)]
    for signum in signals:
        if _signal.getsignal(signum) == _signal.SIG_DFL:
            handled.append(signum)
            try:
                _signal.signal(signum, terminate)
            except ValueError:  # not Python's main thread, where handlers are set: nothing changes
                handled.pop()
                break


def _put_back(signals: list[int]) -> None:
    """Give ``signals`` their default handler back."""
    import _signal  # noqa: PLC0415 - built in, already imported

    for signum in signals:
        _signal.signal(signum, _signal.SIG_DFL)


def _say(line: str) -> None:
    """Write ``line`` on standard error, if there is one to write on."""
    if sys.stderr is not None:  # started with standard error closed: nothing to say it on
        try:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed terminal: the exit code still says it
            pass


def _raise_dropped_interrupts() -> None:
    """Make sure a Ctrl-C stops the command even when Python drops its KeyboardInterrupt.

    Python runs a signal's handler in whatever code the main thread is running. That may be a finalizer or a
    weakref callback: the garbage collector and the import system run them at any time. Python drops an
    exception raised there ("Exception ignored in ..."), and the command went on as if no Ctrl-C had come: a
    query on a store ran on for ever. Python hands such an exception to :data:`sys.unraisablehook`. The hook
    installed here has the main thread take the same signal again, sent from a thread of its own, as soon as the
    main thread runs code of its own (if that is another such callback, the same happens again). It does this for
    a KeyboardInterrupt dropped in the main thread, or a subclass of it that holds its ``signum``
    (``kgraph.cli_common.Terminated``: SIGTERM and SIGHUP). Anything else goes to the hook that was there before.
    """
    import _thread  # noqa: PLC0415 - built in: nothing to load

    main_thread = _thread.get_ident()
    previous = sys.unraisablehook

    def hook(unraisable: "sys.UnraisableHookArgs") -> None:
        dropped = unraisable.exc_value
        if isinstance(dropped, KeyboardInterrupt) and _thread.get_ident() == main_thread:
            import signal  # noqa: PLC0415 - long imported by the command, which is running

            signum = signal.Signals(getattr(dropped, "signum", signal.SIGINT))
            try:  # from another thread: here, in the hook, the interrupt would be raised, and dropped, again
                _thread.start_new_thread(_thread.interrupt_main, (signum,))
            except RuntimeError:  # no new thread while Python shuts down: reported below, as Python would
                pass
            else:
                return
        previous(unraisable)

    sys.unraisablehook = hook


if __name__ == "__main__":
    main()

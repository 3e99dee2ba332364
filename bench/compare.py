"""What the benchmarks that set this checkout against an earlier revision share (``graph_formats.py``,
``query_memory.py``, ``update_memory.py``): the earlier code checked out from git into a temporary folder, a seeded
generated graph, and each command run in a process of its own, measured by ``os.wait4``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Run ``command``; its wall time in seconds, its peak memory in MB and its CPU time (user and system) in
    seconds. A failure stops the benchmark. Its standard error is read as it runs (a full pipe would stall it)."""
    seconds, megabytes, cpu, _errors = run_with_errors(command, env)
    return seconds, megabytes, cpu


def run_with_errors(command: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """:func:`run`, and what the command wrote on standard error."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    errors = process.stderr.read().decode() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        sys.exit(f"{' '.join(command)} failed:\n{errors}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, errors


def code_env(src: Path) -> dict[str, str]:
    """The environment that runs kgraph from the ``src`` folder given (no graph cache: a store reads none, and a
    load writes none into the user's cache)."""
    return {**os.environ, "PYTHONPATH": str(src), "KGRAPH_NO_CACHE": "1"}


@contextmanager
def against(baseline: str, triples: int) -> Iterator[tuple[Path, dict[str, dict[str, str]], Path]]:
    """A temporary folder; the environments that run the code of ``baseline`` (checked out there) and of this
    checkout, as ``old`` and ``new``; and a data folder beside them holding ``gen.trig``, a graph of about
    ``triples`` triples from ``generate.py``. The checkout is removed at the end."""
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as scratch:
        work = Path(scratch)
        old = work / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), baseline], check=True)  # noqa: S603, S607
        try:
            data = work / "data"
            data.mkdir()
            generate = [sys.executable, str(BENCH / "generate.py"), "--triples", str(triples), str(data / "gen.trig")]
            subprocess.run(generate, check=True)  # noqa: S603
            yield work, {"old": code_env(old / "src"), "new": code_env(ROOT / "src")}, data
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)  # noqa: S603, S607
            shutil.rmtree(old, ignore_errors=True)

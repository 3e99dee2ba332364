"""How long the Tab key takes: kgraph's shell completion against the command it completes, in the same run.

    python bench/completion.py [--runs 9] [--store DIR [--prefix TEXT]]

A shell starts ``kgraph`` anew for every Tab, with click's completion variables (``_KGRAPH_COMPLETE=bash_complete``,
``COMP_WORDS``, ``COMP_CWORD``); each case here does the same, and its baseline is the command being completed, run
with the first name the completion offered (``kgraph show Trai`` -> ``kgraph show Trainium``), as a new process
too. Cases are interleaved, ``--runs`` times each, and the medians of wall time and peak memory (``os.wait4``) are
reported with their ratio, as a Markdown table. kgraph's graph cache is warmed first (the first command on
unchanged data fills it). With ``--store DIR`` (a store ``kgraph load`` built), the same on it, completing
``--prefix`` (default ``a``) and an empty word (the first 200 of every name).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def kgraph_command() -> list[str]:
    script = Path(sys.executable).with_name("kgraph")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kgraph"]


def timed(command: list[str], environment: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak resident memory (KB) and standard output of one run."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=environment)  # noqa: S603
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed")
        out.seek(0)
        return seconds, usage.ru_maxrss, out.read().decode("utf-8")


def completion(words: list[str]) -> tuple[list[str], dict[str, str]]:
    """The command and environment of a Tab after ``words`` (the last one the word being typed)."""
    environment = {
        **os.environ,
        "_KGRAPH_COMPLETE": "bash_complete",
        "COMP_WORDS": " ".join(["kgraph", *words]),
        "COMP_CWORD": str(len(words)),
    }
    return kgraph_command(), environment


def first_offered(words: list[str]) -> str:
    command, environment = completion(words)
    lines = timed(command, environment)[2].splitlines()
    if not lines:
        raise SystemExit(f"nothing offered after kgraph {' '.join(words)}")
    return lines[0].split(",", 1)[1]


def cases(store: Path | None, prefix: str) -> list[tuple[str, list[str], list[str]]]:
    """(what, the words typed, the command they complete to): the baseline replaces the last word with the first
    candidate."""
    typed = [
        [""],
        ["show", "Trai"],
        ["path", "Sony", "Trai"],
        ["entities", "--type", "Ch"],
        ["queries", "run", "figures-of", "--param", "entity=Trai"],
    ]
    if store is not None:
        typed += [["--store", str(store), "show", prefix], ["--store", str(store), "show", ""]]
    found = []
    for words in typed:
        whole = [*words[:-1], first_offered(words)]
        if words == [""]:
            whole = ["--help"]  # the list of the commands, as their completion lists them
        shown = " ".join(words if store is None else [w if w != str(store) else "DIR" for w in words])
        found.append((shown if words[-1] else f"{shown} ''", words, whole))
    return found


def _shown(words: list[str], store: Path | None) -> str:
    return "kgraph " + " ".join("DIR" if store is not None and word == str(store) else word for word in words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--prefix", default="a")
    options = parser.parse_args()
    kgraph = kgraph_command()
    subprocess.run([*kgraph, "query", "ASK {}"], check=True, capture_output=True)  # noqa: S603 - warms the cache
    found = cases(options.store, options.prefix)
    times: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for _run in range(options.runs):
        for what, words, whole in found:
            command, environment = completion(words)
            times.setdefault((what, "tab"), []).append(timed(command, environment)[:2])
            times.setdefault((what, "command"), []).append(timed([*kgraph, *whole], dict(os.environ))[:2])
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, median of {options.runs} runs\n")  # noqa: T201
    print("| Tab after `kgraph ...` | completion | the command completed | time ratio | memory ratio |")  # noqa: T201
    print("| --- | ---: | ---: | ---: | ---: |")  # noqa: T201
    for what, _words, whole in found:
        tab = [statistics.median(v) for v in zip(*times[(what, "tab")], strict=True)]
        full = [statistics.median(v) for v in zip(*times[(what, "command")], strict=True)]
        print(  # noqa: T201
            f"| `{what}` | {tab[0]:.2f} s, {tab[1] / 1024:.0f} MB | `{_shown(whole, options.store)}`: {full[0]:.2f} s, "
            f"{full[1] / 1024:.0f} MB | {tab[0] / full[0]:.2f} | {tab[1] / full[1]:.2f} |"
        )


if __name__ == "__main__":
    main()

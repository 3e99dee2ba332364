"""Memory of ``kgraph validate``'s ``where:`` lines: this checkout against an earlier revision, in the same run.

    python bench/where_memory.py --triples 100000 --baseline HEAD~1
    python bench/where_memory.py --triples 300000 --baseline HEAD~1 --ways store

``bench/generate.py`` writes a seeded graph of about N triples (one TriG file) that breaks a rule on purpose (no
figure has its ``kg:figureKind``, about one entity in three), and ``kgraph load`` (this checkout) stores it. Then,
for each way (in memory, on the store), :func:`kgraph.validation.validate` in a process of its own with the code
of ``--baseline`` (checked out from git into a temporary folder) and with this checkout, one after the other. Each
gives its peak resident memory (``ru_maxrss``, from ``os.wait4``), and the peak of what Python allocated while the
where lines were worked out: ``tracemalloc`` from the start of ``kgraph.validation._located`` (after pySHACL) to
its end, over what was allocated when it started. The two codes' reports, as ``kgraph validate`` prints them, are
compared byte for byte: a difference stops the run. Prints a Markdown table, with the ratios new / old.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from compare import against  # noqa: E402 - the set-up the comparing benchmarks share


def case(way: str, data: str, store: str, out: str) -> dict[str, Any]:
    """Validate the graph ``way`` (``memory``, ``store``) in this process; write the report's text to ``out``."""
    from kgraph import formatting, persist, validation  # noqa: PLC0415 - the code under test
    from kgraph.store import load  # noqa: PLC0415

    located = validation._located
    peak: dict[str, float] = {}

    def measured(*args: Any) -> Any:  # noqa: ANN401 - the wrapped function's
        tracemalloc.start()
        before, _top = tracemalloc.get_traced_memory()
        started = time.process_time()
        try:
            return located(*args)
        finally:
            _now, top = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            peak.update(where_mb=(top - before) / 2**20, where_cpu=time.process_time() - started)

    validation._located = measured
    loaded = load(Path(data)) if way == "memory" else persist.open_store(Path(store))
    report = validation.validate(loaded)
    Path(out).write_text(formatting.validation_report(report), encoding="utf-8")
    return {"violations": report.count("Violation"), **peak}


def child(argv: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run ``argv`` with ``env``; its JSON output with ``peak_mb`` (its maximum resident memory)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=err)  # noqa: S603 - our own script
        _pid, status, usage = os.wait4(process.pid, 0)
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(argv)} failed:\n{err.read().decode()[-2000:]}")
        result: dict[str, Any] = json.loads(out.read().decode().strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--baseline", help="the git revision to compare with (e.g. HEAD~1)")
    parser.add_argument("--ways", nargs="+", choices=["memory", "store"], default=["memory", "store"])
    parser.add_argument("--case", nargs=4, help=argparse.SUPPRESS)  # internal: one way, in this process
    args = parser.parse_args()
    if args.case:
        print(json.dumps(case(*args.case)))  # noqa: T201
        return
    if not args.baseline:
        parser.error("--baseline REVISION is needed")
    with against(args.baseline, args.triples) as (work, envs, data):
        store = work / "store"
        load = [sys.executable, "-m", "kgraph", "--data", str(data), "load", "--store", str(store)]
        subprocess.run(load, env=envs["new"], check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        rows = []
        for way in args.ways:
            found = {}
            for code in ("old", "new"):
                out = work / f"{way}-{code}.txt"
                argv = [sys.executable, __file__, "--case", way, str(data), str(store), str(out)]
                found[code] = child(argv, envs[code])
            if (work / f"{way}-old.txt").read_bytes() != (work / f"{way}-new.txt").read_bytes():
                raise SystemExit(f"the two reports differ ({way})")
            rows.append((way, found["old"], found["new"]))
    print(f"#### About {args.triples:,} triples ({rows[0][2]['violations']:,} violations, the same report)\n")  # noqa: T201
    print("| validate | peak, old | peak, new | new / old | where lines' own peak, old | new | new / old |")  # noqa: T201
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")  # noqa: T201
    for way, old, new in rows:
        print(  # noqa: T201
            f"| {way} | {old['peak_mb']:,.0f} MB | {new['peak_mb']:,.0f} MB | {new['peak_mb'] / old['peak_mb']:.2f} "
            f"| {old['where_mb']:,.1f} MB | {new['where_mb']:,.1f} MB | {new['where_mb'] / old['where_mb']:.3f} |"
        )
    print(json.dumps({way: {"old": old, "new": new} for way, old, new in rows}), file=sys.stderr)  # noqa: T201


if __name__ == "__main__":
    main()

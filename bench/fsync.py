"""What syncing costs the writes all or nothing: `kgraph build` and `kgraph export neo4j`, with and without fsync.

    python bench/fsync.py                      # the bundled graph, and bench/generate.py's of 100k triples
    python bench/fsync.py --triples 0          # the bundled graph alone
    python bench/fsync.py --runs 5

Each command runs as a new process, the three ways taking turns, ``--runs`` times each, after one untimed run that
fills kgraph's cache (so the load is the same read of the cache each time):

* ``none``: no fsync at all (``os.fsync`` does nothing), the baseline;
* ``files``: each temporary file synced before its rename, the folders not (the code before the folders' sync);
* ``all``: the files, then each folder once its renames are in and each folder made into its parent (both
  ``kgraph.atomic.sync_parents``; no folder is made here: the first run made them): as it is.

For each: the median wall seconds of the command (from the child's start in Python, kgraph's import done), its
ratio to ``none``'s, the seconds spent inside ``os.fsync`` (median) with the number of calls, the files' and the
folders' apart (a folder is told by ``fstat``, outside the time counted), and the folders' share of the command's
wall time (median of each run's): what syncing the folders costs, measured in the same runs rather than as the
difference of two ways' medians, which the machine's other work moves by more. The 100k graph
is ``bench/generate.py``'s file beside the bundled data. It does not conform to the shapes (on purpose), so
``kgraph build`` would write nothing: its writing is timed alone, ``kgraph.export.build.write_all(loaded, out,
viewer=False)`` on the graph read from the cache (what ``build --no-viewer`` does after validating). Results go
to stdout, as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WAYS = ("none", "files", "all")

#: Run in the child: set the way up, count the time inside os.fsync, run the command, write the count.
CHILD = """
import json, os, stat, sys, time
way, report, args = sys.argv[1], sys.argv[2], sys.argv[3:]
import kgraph.atomic as atomic
import kgraph.export.files as files
fsync, spent = os.fsync, [0.0, 0, 0.0, 0]  # files' seconds and calls, then folders'
def timed(fd):
    folder = stat.S_ISDIR(os.fstat(fd).st_mode)
    start = time.perf_counter()
    try:
        fsync(fd)
    finally:
        spent[2 * folder] += time.perf_counter() - start
        spent[2 * folder + 1] += 1
os.fsync = (lambda fd: None) if way == "none" else timed
if way == "files":
    files.sync_parents = lambda paths: None  # the renames' folders
    atomic.sync_parents = lambda paths: None  # the folders made
start = time.perf_counter()
if args[0] == "write_all":  # build's writing, without its validation (bench/generate.py's graph breaks a shape)
    from pathlib import Path
    from kgraph.export.build import write_all
    from kgraph.query.loading import load
    loaded = load(Path(args[1]))
    start = time.perf_counter()
    write_all(loaded, Path(args[2]), viewer=False)
else:
    from kgraph.cli import cli
    try:
        cli(args)
    except SystemExit as end:
        if end.code:
            raise
wall = time.perf_counter() - start
with open(report, "w") as out:
    json.dump([wall, *spent], out)
"""


#: One run: wall seconds, then seconds inside ``os.fsync`` and its calls for files, then for folders.
Run = tuple[float, float, int, float, int]


def run(way: str, args: list[str], report: Path) -> Run:
    """Wall seconds of the command run ``way`` (from its start in Python, kgraph imported; ``write_all``: of the
    writing alone), seconds inside ``os.fsync`` and its calls, for files and for folders apart."""
    command = [sys.executable, "-c", CHILD, way, str(report), *args]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    wall, files, file_calls, folders, folder_calls = json.loads(report.read_text(encoding="utf-8"))
    return wall, files, file_calls, folders, folder_calls


def measure(label: str, args: list[str], runs: int, work: Path) -> None:
    """Print a row for each way: the median wall time and its ratio to ``none``'s, the median time inside
    ``os.fsync`` for files and for folders (calls: the first run's), and the folders' share of the wall time, all
    of the same runs."""
    report = work / "report.json"
    run("all", args, report)  # fills the cache
    times: dict[str, list[Run]] = {way: [] for way in WAYS}
    for _ in range(runs):
        for way in WAYS:
            times[way].append(run(way, args, report))
    base = statistics.median(one[0] for one in times["none"])
    for way in WAYS:
        wall = statistics.median(one[0] for one in times[way])
        files = statistics.median(one[1] for one in times[way])
        folders = statistics.median(one[3] for one in times[way])
        share = statistics.median(one[3] / one[0] for one in times[way])
        _wall, _files, file_calls, _folders, folder_calls = times[way][0]
        row = (
            f"| {label} | {way} | {wall:.2f} s | {wall / base:.2f} | {files * 1000:.1f} ms, {file_calls} calls "
            f"| {folders * 1000:.1f} ms, {folder_calls} calls | {share:.4f} |"
        )
        print(row, flush=True)  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="the generated graph's size; 0: none")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    from kgraph.resources import default_data_dir  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        header = "| graph, command | way | wall | / none | fsync of files | fsync of folders | folders / wall |"
        print(header)  # noqa: T201
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")  # noqa: T201
        measure("bundled, build", ["build", "--out", str(work / "b")], options.runs, work)
        measure("bundled, export neo4j", ["export", "neo4j", "--out", str(work / "n")], options.runs, work)
        if options.triples:
            data = work / "data"
            shutil.copytree(default_data_dir(), data)
            generate = [sys.executable, str(HERE / "generate.py"), "--triples", str(options.triples)]
            subprocess.run([*generate, str(data / "generated.trig")], check=True, stdout=subprocess.DEVNULL)  # noqa: S603
            size = f"{options.triples // 1000}k"
            build = ["write_all", str(data), str(work / "gb")]
            measure(f"{size}, build's writing (write_all, no viewer)", build, options.runs, work)
            export = ["--data", str(data), "export", "neo4j", "--out", str(work / "gn")]
            measure(f"{size}, export neo4j", export, options.runs, work)


if __name__ == "__main__":
    main()

"""Write ``constraints.txt``: the exact version of every package that ``pip install -e ".[test]"`` installs.

``python3.11 scripts/constraints.py`` makes a fresh virtual environment in a temporary folder, installs kgraph with its
test extra there *without* constraints (the newest releases within pyproject.toml's ranges), and writes one
``name==version`` line for kgraph's requirements, transitively, and for pip itself, sorted by name. The README's
set-up command and ``scripts/test`` install with ``pip install -c constraints.txt``, so a fresh clone gets the
versions the committed ``exports/`` and CI were made with; run this to move to newer releases, then run
``bash scripts/test`` and ``kgraph build`` and commit what changed.

A requirement that applies only on another platform or Python (``colorama; sys_platform == "win32"``, ``tomli;
python_version < "3.12"``) is not installed here, so it is resolved on its own (``pip install --dry-run``, the
versions above held) and pinned too, with a comment saying so: pip ignores a constraint on a package it does not
install, so the file serves Linux, macOS and Windows and every Python kgraph supports.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import venv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "constraints.txt"
HEADER = """\
# The exact versions kgraph is tested with: every package `pip install -e ".[test]"` installs, transitively.
# Install with them: pip install -c constraints.txt -e ".[test]" (scripts/test and the README's set-up do).
# Written by scripts/constraints.py from a fresh environment; run `python3.11 scripts/constraints.py` to refresh.
"""
ELSEWHERE = "  # not installed on every platform or Python"
#: The platforms and Pythons whose requirements are pinned (markers evaluated with each).
PLATFORMS = (("linux", "Linux", "posix"), ("darwin", "Darwin", "posix"), ("win32", "Windows", "nt"))
PYTHONS = ("3.11", "3.12", "3.13", "3.14")

#: Run by the fresh environment's Python: prints {"installed": {name: version}, "elsewhere": [requirement, ...],
#: "conditional": [name, ...]}. ``installed`` is kgraph[test]'s closure here, pip included; ``elsewhere`` the
#: requirements of that closure that apply under some other platform or Python of PLATFORMS x PYTHONS and name a
#: package not installed here; ``conditional`` the packages some of those platforms and Pythons do not need.
WALK = """
import json, sys
from importlib import metadata
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

platforms, pythons = json.loads(sys.argv[1])
here = {}
for dist in metadata.distributions():
    here.setdefault(canonicalize_name(dist.metadata["Name"]), dist)

def walk(target):
    needed, missing, todo = set(), set(), [("kgraph", frozenset({"test"}))]
    while todo:
        name, extras = todo.pop()
        for text in here[name].requires or []:
            req = Requirement(text)
            key = canonicalize_name(req.name)
            if req.marker is not None and not any(
                req.marker.evaluate({**target, "extra": extra}) for extra in (extras or {""})
            ):
                continue
            if key not in here:
                req.marker = None
                missing.add(str(req))
            elif (key, frozenset(req.extras)) not in needed:
                needed.add((key, frozenset(req.extras)))
                todo.append((key, frozenset(req.extras)))
    return {key for key, _extras in needed} | {canonicalize_name(Requirement(text).name) for text in missing}, missing

installed, _none = walk({})
reached, elsewhere = [], set()
for p, s, o in platforms:
    for v in pythons:
        target = {"sys_platform": p, "platform_system": s, "os_name": o, "python_version": v,
                  "python_full_version": v + ".0", "platform_python_implementation": "CPython",
                  "implementation_name": "cpython"}
        names, missing = walk(target)
        reached.append(names)
        elsewhere |= missing
result = {
    "installed": {"pip": here["pip"].version, **{key: here[key].version for key in installed}},
    "elsewhere": sorted(elsewhere),
    "conditional": sorted(set.union(*reached) - set.intersection(*reached)),
}
print(json.dumps(result))
"""


def main() -> int:
    oldest, running = PYTHONS[0], f"{sys.version_info.major}.{sys.version_info.minor}"
    if running != oldest:  # a newer one picks releases that need it (numpy 2.5 needs 3.12): 3.11 could not install
        sys.exit(
            f"scripts/constraints.py: run it with Python {oldest}, the oldest kgraph supports, not {running}: pins "
            f"chosen on a newer one may not install on {oldest}; constraints.txt unchanged"
        )
    with tempfile.TemporaryDirectory(prefix="kgraph-constraints-") as folder:
        python = fresh_environment(Path(folder) / "venv")
        walked = json.loads(run(python, "-c", WALK, json.dumps([PLATFORMS, PYTHONS])))
        pins: dict[str, str] = dict(walked["installed"])  # a copy: not_everywhere compares the two
        pins |= resolve_elsewhere(python, Path(folder), pins, walked["elsewhere"])
    some = not_everywhere(walked, pins)
    lines = [f"{name}=={pins[name]}{ELSEWHERE if name in some else ''}\n" for name in sorted(pins)]
    temporary = OUT.with_name(f".{OUT.name}.tmp")
    temporary.write_text(HEADER + "".join(lines), encoding="utf-8")
    temporary.replace(OUT)
    print(f"wrote {OUT.name}: {len(lines)} packages, {len(some)} of them not needed everywhere")  # noqa: T201
    return 0


def not_everywhere(walked: dict[str, Any], pins: Mapping[str, str]) -> set[str]:
    """The pinned packages that some platform or Python does not need: WALK's ``conditional``, and every pin not
    installed here. The walk cannot follow what a package not installed here requires, so on Python 3.12
    ``zipp``, which only ``importlib-metadata`` (before 3.12) needs, was pinned without the note; the file then
    depended on the Python that wrote it."""
    return set(walked["conditional"]) | (set(pins) - set(walked["installed"]))


def fresh_environment(where: Path) -> Path:
    """A new virtual environment at ``where`` with the newest pip and kgraph[test] (editable), unconstrained."""
    venv.create(where, with_pip=True)
    python = where / ("Scripts" if os.name == "nt" else "bin") / "python"
    run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(python, "-m", "pip", "install", "--quiet", "--editable", f"{ROOT}[test]")
    return python


def resolve_elsewhere(python: Path, folder: Path, pins: dict[str, str], requirements: list[str]) -> dict[str, str]:
    """The versions pip picks for ``requirements`` (and what they need that is not in ``pins``), ``pins`` held."""
    if not requirements:
        return {}
    held, report = folder / "held.txt", folder / "report.json"
    held.write_text("".join(f"{name}=={version}\n" for name, version in pins.items()), encoding="utf-8")
    run(
        python,
        *("-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed", "--report", str(report)),
        *("--constraint", str(held), *requirements),
    )
    chosen = json.loads(report.read_text(encoding="utf-8"))["install"]
    found = {canonical(item["metadata"]["name"]): item["metadata"]["version"] for item in chosen}
    return {name: version for name, version in found.items() if name not in pins}


def canonical(name: str) -> str:
    """A distribution's name as packaging's canonicalize_name writes it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def run(*command: str | Path) -> str:
    """Run ``command`` (stdout is returned, stderr passed on); stop the script if it fails."""
    done = subprocess.run([str(part) for part in command], stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        shown = " ".join(str(part).strip().split("\n")[0] for part in command[1:5])
        sys.exit(f"scripts/constraints.py: `{shown} ...` failed (exit {done.returncode}); constraints.txt unchanged")
    return done.stdout


if __name__ == "__main__":
    sys.exit(main())

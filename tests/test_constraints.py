"""constraints.txt pins every package `pip install -e ".[test]"` installs, at versions within pyproject.toml's ranges.

The checks read this environment's installed distributions (importlib.metadata) from kgraph's own requirements
down, and pyproject.toml itself, so a dependency added to pyproject.toml without refreshing the file
(``python3 scripts/constraints.py``) fails here.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPOSITORY = Path(__file__).resolve().parent.parent
CONSTRAINTS = REPOSITORY / "constraints.txt"
#: One pin: a PEP 503 name, an exact version, and the refresh script's note on a package not needed everywhere.
PIN = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*)==([0-9][0-9A-Za-z.+!]*)(  # not installed on every platform or Python)?")
REFRESH = "run `python3 scripts/constraints.py` and commit constraints.txt"


def read_pins(text: str) -> dict[str, Version]:
    """``name -> version`` of each ``name==version`` line; a line of any other kind is an AssertionError."""
    pins: dict[str, Version] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("# "):
            continue
        match = PIN.fullmatch(line)
        assert match, f"constraints.txt line {number}: {line!r} is not `name==version`"
        assert match[1] not in pins, f"constraints.txt line {number}: {match[1]} is pinned twice"
        pins[match[1]] = Version(match[2])
    return pins


def pinned() -> dict[str, Version]:
    return read_pins(CONSTRAINTS.read_text(encoding="utf-8"))


def pyproject_requirements() -> list[Requirement]:
    """kgraph's requirements and its test extra's, as pyproject.toml lists them."""
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(text) for text in project["dependencies"] + project["optional-dependencies"]["test"]]


def installed_requirements() -> list[Requirement]:
    """Every requirement met installing kgraph[test] here, transitively (markers evaluated for this environment)."""
    here = {canonicalize_name(dist.metadata["Name"]): dist for dist in metadata.distributions()}
    met: list[Requirement] = []
    todo, seen = [("kgraph", frozenset({"test"}))], set()
    while todo:
        name, extras = todo.pop()
        for text in here[name].requires or []:
            requirement = Requirement(text)
            if requirement.marker and not any(requirement.marker.evaluate({"extra": e}) for e in extras or {""}):
                continue
            met.append(requirement)
            key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
            if key not in seen:
                seen.add(key)
                todo.append(key)
    return met


def test_each_line_pins_one_package_to_one_version_in_order():
    text = CONSTRAINTS.read_text(encoding="utf-8")
    names = list(read_pins(text))
    assert names == sorted(names)
    assert "pip" in names  # scripts/test upgrades pip to it
    assert text.startswith("# ") and text.endswith("\n")


@pytest.mark.parametrize(
    "line",
    ["-e file:///home/me/kgraph", "kgraph @ file:///home/me/kgraph", "rdflib>=7", "Jinja2==3.1.6", "numpy==2.0 # x"],
)
def test_a_line_that_is_not_an_exact_pin_is_refused(line):
    with pytest.raises(AssertionError, match=r"line 2: .* is not `name==version`"):
        read_pins(f"# header\n{line}\n")


def test_every_requirement_in_pyproject_is_pinned():
    pins = pinned()
    missing = sorted({canonicalize_name(r.name) for r in pyproject_requirements()} - set(pins))
    assert not missing, f"pyproject.toml requires {', '.join(missing)}, which constraints.txt does not pin: {REFRESH}"


def test_every_installed_requirement_is_pinned():
    pins = pinned()
    missing = sorted({canonicalize_name(r.name) for r in installed_requirements()} - set(pins))
    assert not missing, f"kgraph[test] installs {', '.join(missing)}, which constraints.txt does not pin: {REFRESH}"


def test_pinned_versions_are_within_pyproject_ranges():
    pins = pinned()
    outside = [
        f"{r} (pinned {pins[canonicalize_name(r.name)]})" for r in pyproject_requirements() if not _allows(r, pins)
    ]
    assert not outside, f"constraints.txt pins versions outside pyproject.toml's ranges: {'; '.join(outside)}"


def test_pinned_versions_meet_what_the_installed_packages_require():
    """The pins agree with each other: each satisfies what the packages of this environment require of it (the
    same packages at the pinned versions when installed with ``-c constraints.txt``, as scripts/test does)."""
    pins = pinned()
    unmet = sorted({str(r) for r in installed_requirements() if not _allows(r, pins)})
    assert not unmet, f"constraints.txt pins versions that do not meet {'; '.join(unmet)}: {REFRESH}"


def test_what_the_refresh_script_finds_here_is_pinned():
    """scripts/constraints.py's walk, run in this environment, names only pinned packages, those needed only on
    another platform or Python (colorama on Windows) included, and flags exactly those the file flags."""
    spec = importlib.util.spec_from_file_location("constraints_script", REPOSITORY / "scripts" / "constraints.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    argument = json.dumps([script.PLATFORMS, script.PYTHONS])
    done = subprocess.run([sys.executable, "-c", script.WALK, argument], capture_output=True, text=True, check=True)
    walked = json.loads(done.stdout)
    pins = pinned()
    found = set(walked["installed"]) | {canonicalize_name(Requirement(r).name) for r in walked["elsewhere"]}
    assert {"rdflib", "numpy", "pytest", "pip", "colorama"} <= found
    assert not found - set(pins), f"not pinned: {sorted(found - set(pins))}: {REFRESH}"
    flagged = {line.split("==")[0] for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines() if "  # " in line}
    assert flagged == set(walked["conditional"])


def test_the_set_up_and_the_checks_install_with_the_constraints():
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    assert "python3 -m venv .venv && .venv/bin/pip install -c constraints.txt . && .venv/bin/kgraph build" in readme
    installs = [
        line
        for line in (REPOSITORY / "scripts" / "test").read_text(encoding="utf-8").splitlines()
        if "pip install" in line
    ]
    assert len(installs) == 2
    assert all("--constraint constraints.txt" in line for line in installs)


def _allows(requirement: Requirement, pins: dict[str, Version]) -> bool:
    pin = pins.get(canonicalize_name(requirement.name))
    return pin is None or requirement.specifier.contains(pin, prereleases=True)

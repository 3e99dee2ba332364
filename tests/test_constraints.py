"""constraints.txt pins every package `pip install -e ".[test]"` installs, at versions within pyproject.toml's ranges.

The checks read this environment's installed distributions (importlib.metadata) from kgraph's own requirements
down, and pyproject.toml itself, so a dependency added to pyproject.toml without refreshing the file
(``python3.11 scripts/constraints.py``) fails here.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPOSITORY = Path(__file__).resolve().parent.parent
CONSTRAINTS = REPOSITORY / "constraints.txt"
#: One pin: a PEP 503 name, an exact version, and the refresh script's note on a package not needed everywhere.
PIN = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*)==([0-9][0-9A-Za-z.+!]*)(  # not installed on every platform or Python)?")
REFRESH = "run `python3.11 scripts/constraints.py` and commit constraints.txt"


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
    """Every requirement met installing kgraph[test] here, transitively (markers evaluated for this environment);
    one whose package is not installed is listed, and not followed."""
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
            if key not in seen and key[0] in here:
                seen.add(key)
                todo.append(key)
    return met


def not_as_pinned(pins: dict[str, Version], installed: Callable[[str], str | None], needed: Iterable[str]) -> list[str]:
    """How an environment differs from ``pins`` (``installed(name)``: the version installed, or None): each package
    installed at another version (pip aside: scripts/test upgrades it, a bare install does not), and each of
    ``needed`` (what kgraph[test] requires there) that is not installed."""
    other = [
        f"{name} {version} (pinned {pins[name]})"
        for name in pins
        if name != "pip" and (version := installed(name)) is not None and Version(version) != pins[name]
    ]
    return other + [f"{name} not installed" for name in sorted(set(needed)) if installed(name) is None]


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


@pytest.fixture
def constrained() -> None:
    """Skip a check that reads this environment's packages where they are not the pinned ones (kgraph installed
    into an environment of one's own, without ``-c constraints.txt``): another version may require other packages,
    and the check would tell to refresh constraints.txt when it is the environment that differs. CI installs with
    the constraints (scripts/test), so there a package added without a pin still fails these checks."""
    needed = {canonicalize_name(requirement.name) for requirement in installed_requirements()}
    other = not_as_pinned(pinned(), _installed, needed)
    if other:
        shown = ", ".join(other[:3]) + (f" and {len(other) - 3} more" if len(other) > 3 else "")
        pytest.skip(
            f"this environment was not installed with constraints.txt ({shown}); to run these checks, install with "
            '`pip install -c constraints.txt -e ".[test]"` (bash scripts/test does)'
        )


def test_an_environment_installed_without_the_constraints_is_told_apart():
    """A package at another version than its pin, or a required one missing, is named; pip's version is not."""
    pins = {"pip": Version("26.0"), "rdflib": Version("7.6.0"), "colorama": Version("0.4.6")}
    versions = {"pip": "24.0", "rdflib": "7.6.0"}
    assert not_as_pinned(pins, versions.get, ["rdflib"]) == []
    versions["rdflib"] = "7.7.0"
    assert not_as_pinned(pins, versions.get, ["rdflib"]) == ["rdflib 7.7.0 (pinned 7.6.0)"]
    assert not_as_pinned(pins, versions.get, ["rdflib", "ladybug"]) == [
        "rdflib 7.7.0 (pinned 7.6.0)",
        "ladybug not installed",
    ]


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


@pytest.mark.usefixtures("constrained")
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


@pytest.mark.usefixtures("constrained")
def test_pinned_versions_meet_what_the_installed_packages_require():
    """The pins agree with each other: each satisfies what the packages of this environment require of it (the
    same packages at the pinned versions when installed with ``-c constraints.txt``, as scripts/test does)."""
    pins = pinned()
    unmet = sorted({str(r) for r in installed_requirements() if not _allows(r, pins)})
    assert not unmet, f"constraints.txt pins versions that do not meet {'; '.join(unmet)}: {REFRESH}"


@pytest.mark.usefixtures("constrained")
def test_what_the_refresh_script_finds_here_is_pinned():
    """scripts/constraints.py's walk, run in this environment, names only pinned packages, those needed only on
    another platform or Python (colorama on Windows) included, and flags exactly those the file flags."""
    script = _script()
    argument = json.dumps([script.PLATFORMS, script.PYTHONS])
    done = subprocess.run([sys.executable, "-c", script.WALK, argument], capture_output=True, text=True, check=True)
    walked = json.loads(done.stdout)
    pins = pinned()
    found = set(walked["installed"]) | {canonicalize_name(Requirement(r).name) for r in walked["elsewhere"]}
    assert {"rdflib", "numpy", "pytest", "pip", "colorama"} <= found
    assert not found - set(pins), f"not pinned: {sorted(found - set(pins))}: {REFRESH}"
    flagged = {line.split("==")[0] for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines() if "  # " in line}
    assert flagged == script.not_everywhere(walked, {name: str(version) for name, version in pins.items()})


def test_the_set_up_and_the_checks_install_with_the_constraints():
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    assert "python3 -m venv .venv && .venv/bin/pip install -c constraints.txt -e . && .venv/bin/kgraph build" in readme
    installs = [
        line
        for line in (REPOSITORY / "scripts" / "test").read_text(encoding="utf-8").splitlines()
        if "pip install" in line
    ]
    assert len(installs) == 2
    assert all("--constraint constraints.txt" in line for line in installs)


def test_the_refresh_script_notes_a_package_only_another_platform_s_packages_need(tmp_path, monkeypatch):
    """On Python 3.12 importlib-metadata (needed before 3.12) is not installed, so the walk never reaches zipp,
    which only it requires: the script pinned zipp (from pip's resolution of what is needed elsewhere) without the
    note, and the file depended on the Python that wrote it. A pin not installed here is noted. Run here with
    pip's resolution and the fresh environment stood in for (this environment's Python, no network)."""
    script = _script()
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    monkeypatch.setattr(script, "PYTHONS", (running, *(v for v in script.PYTHONS if v != running)))
    monkeypatch.setattr(script, "OUT", tmp_path / "constraints.txt")
    monkeypatch.setattr(script, "fresh_environment", lambda _where: Path(sys.executable))
    monkeypatch.setattr(script, "resolve_elsewhere", lambda *_args: {"only-elsewhere-needs-it": "1.0"})
    assert script.main() == 0
    lines = (tmp_path / "constraints.txt").read_text(encoding="utf-8").splitlines()
    assert "only-elsewhere-needs-it==1.0  # not installed on every platform or Python" in lines
    assert "rdflib==" + metadata.version("rdflib") in lines


def test_the_refresh_script_runs_on_the_oldest_python_only(tmp_path, monkeypatch):
    """Run on Python 3.12, the script pinned releases that need 3.12 (numpy 2.5.5, networkx 3.7), which a 3.11
    install with -c constraints.txt cannot get: it stops, before any install, unless run on the oldest one."""
    script = _script()
    monkeypatch.setattr(script, "PYTHONS", ("3.10", *script.PYTHONS))
    monkeypatch.setattr(script, "OUT", tmp_path / "constraints.txt")

    def no_install(_where: Path) -> Path:
        raise AssertionError("the script set up an environment")

    monkeypatch.setattr(script, "fresh_environment", no_install)
    with pytest.raises(SystemExit) as stopped:
        script.main()
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert stopped.value.code == (
        f"scripts/constraints.py: run it with Python 3.10, the oldest kgraph supports, not {running}: pins chosen on "
        "a newer one may not install on 3.10; constraints.txt unchanged"
    )
    assert not (tmp_path / "constraints.txt").exists()


def _script() -> ModuleType:
    """scripts/constraints.py, imported (its main is not run)."""
    spec = importlib.util.spec_from_file_location("constraints_script", REPOSITORY / "scripts" / "constraints.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def _allows(requirement: Requirement, pins: dict[str, Version]) -> bool:
    pin = pins.get(canonicalize_name(requirement.name))
    return pin is None or requirement.specifier.contains(pin, prereleases=True)

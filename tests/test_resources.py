"""Where the bundled ontology and data are found: the repository in a checkout, kgraph/_bundled in a wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kgraph import resources
from kgraph.errors import InputError
from kgraph.export.build import render_all

REPOSITORY = Path(__file__).resolve().parent.parent


def test_source_checkout_uses_the_repository_folders():
    if resources._source_checkout_root() is None:
        pytest.skip("kgraph is installed from a wheel here, not run from the source tree")
    assert resources.default_ontology_dir() == REPOSITORY / "ontology"
    assert resources.default_data_dir() == REPOSITORY / "data"


def test_missing_bundle_is_an_input_error(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "PACKAGE_DIR", tmp_path / "site-packages" / "kgraph")
    with pytest.raises(InputError, match=r"the bundled ontology is missing from .*; reinstall kgraph"):
        resources.default_ontology_dir()


def test_package_says_it_is_typed():
    # PEP 561: without the marker, mypy skips kgraph in a user's code ("missing library stubs or py.typed marker")
    assert (resources.PACKAGE_DIR / "py.typed").is_file()


@pytest.mark.slow
def test_installed_wheel_carries_the_graph_and_builds_from_any_folder(tmp_path, loaded):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(REPOSITORY),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("kgraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "kgraph/_bundled/ontology/kgraph.ttl",
        "kgraph/_bundled/ontology/shapes.ttl",
        "kgraph/_bundled/ontology/rules/customer-of.rq",
        "kgraph/_bundled/data/00-source.trig",
        "kgraph/py.typed",
        "kgraph/simplified.txt",  # how names fold traditional Chinese characters
    ):
        assert name in names
    assert {f"kgraph/_bundled/data/{p.name}" for p in loaded.data_files} <= names

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import kgraph.resources as r; print(r.PACKAGE_DIR); print(r.bundled_root())"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        check=True,
    ).stdout.splitlines()
    assert where == [str(target / "kgraph"), str(target / "kgraph" / "_bundled")]

    build = subprocess.run(
        [sys.executable, "-m", "kgraph", "build"], capture_output=True, text=True, cwd=elsewhere, env=env, check=False
    )
    assert build.returncode == 0, build.stderr
    # the bundled copy is the repository's graph: same exports, byte for byte
    expected = render_all(loaded)
    files = (elsewhere / "exports").rglob("*")  # writers may write into sub-folders (neo4j/)
    assert sorted(p.relative_to(elsewhere / "exports").as_posix() for p in files if p.is_file()) == sorted(expected)
    for name, content in expected.items():
        assert (elsewhere / "exports" / name).read_bytes() == content, name

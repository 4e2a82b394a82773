"""The layout is the architecture: nlp/ -> graph/ <- exports/, and the CLI package on top.

graph/ (the model) imports neither side; nlp/ knows nothing of RDF or the CLI; exports/ knows
nothing of spaCy or the CLI. Checked on the import statements of the source files.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# folder -> module prefixes its code must not import
FORBIDDEN = {
    "graph": ("plankg.nlp", "plankg.exports", "plankg.cli", "plankg.api", "spacy", "rdflib", "pyoxigraph"),
    "nlp": (
        "plankg.exports",
        "plankg.cli",
        "plankg.api",
        "plankg.sources",
        "plankg.store",
        "rdflib",
        "pyoxigraph",
    ),
    "exports": ("plankg.nlp", "plankg.cli", "plankg.api", "plankg.linkeddata", "plankg.view", "spacy"),
}


def imported_modules(path: Path, package: str) -> set[str]:
    """Absolute names of the modules a source file imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                names.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                names.add(node.module)
    return names


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_no_import_back_up_the_flow(folder: str) -> None:
    offending = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for name in imported_modules(path, f"plankg.{folder}"):
            if name == "plankg" or name.startswith(FORBIDDEN[folder]):
                offending.append(f"{path.relative_to(ROOT)}: {name}")
    assert offending == []


def test_the_wheel_installs_only_plankg(tmp_path: Path) -> None:
    """`pip install .` puts one top-level name in site-packages; training code stays out."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("plankg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"plankg", wheel.name.split("-py")[0] + ".dist-info"}
    for part in (
        "plankg/nlp/models/plankg_zh/config.cfg",
        "plankg/graph/data/divisions.tsv",
        "plankg/nlp/pipeline.cfg",
    ):
        assert part in names
    assert not [n for n in names if "training" in n.split("/")]
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "[spacy_factories]" in zipfile.ZipFile(wheel).read(entry_points).decode()

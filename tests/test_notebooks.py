"""The research notebooks in notebooks/ run top to bottom: on the bundled sample, and on another folder.

Each notebook is executed in a fresh Jupyter kernel (nbclient) with matplotlib's headless Agg backend; a
failing cell fails the test with the cell's traceback. The notebooks are stored without outputs.
"""

from __future__ import annotations

import csv
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

pytestmark = [
    pytest.mark.usefixtures("pipeline_dir"),
    pytest.mark.slow,
]  # the kernel loads the pipeline from disk


def execute(path: Path, out: Path, corpus: Path | None = None) -> Exception | None:
    """Run every cell of the notebook at `path`, writing the build into `out`; the error, if any."""
    env = dict(os.environ, MPLBACKEND="Agg", PLANKG_OUT=str(out), PLANKG_CORPUS=str(corpus or ""))
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    try:
        client.execute(env=env)  # passed on to the kernel process
    except Exception as exc:  # noqa: BLE001 - reported by the test that owns this run
        return exc
    return None


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Exception | None]]:
    """Every notebook on the sample, and 02 on another folder, run two kernels at a time: name -> (out, error)."""
    corpus = tmp_path_factory.mktemp("corpus")
    for name in ("jiangxia", "suzhou", "xiaoshan"):
        (corpus / f"{name}.txt").write_bytes((ROOT / "tests" / "fixtures" / f"{name}.txt").read_bytes())
    jobs = {p.stem: (p, tmp_path_factory.mktemp(p.stem), None) for p in NOTEBOOKS}
    jobs["02_targets on a folder"] = (
        ROOT / "notebooks" / "02_targets.ipynb",
        tmp_path_factory.mktemp("out"),
        corpus,
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(execute, *job) for name, job in jobs.items()}
        return {name: (jobs[name][1], future.result()) for name, future in futures.items()}


def test_three_notebooks_stored_without_outputs() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01_corpus_overview.ipynb",
        "02_targets.ipynb",
        "03_network_and_sparql.ipynb",
    ]
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_the_sample(path: Path, runs: dict) -> None:
    out, error = runs[path.stem]
    if error is not None:
        raise error
    assert (out / "graph.graphml").exists() and (out / "graph.ttl").exists()


def test_targets_notebook_runs_on_another_folder(runs: dict) -> None:
    """PLANKG_CORPUS points the notebook at any folder: here the three test fixture articles."""
    out, error = runs["02_targets on a folder"]
    if error is not None:
        raise error
    with open(out / "targets.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {row["document"] for row in rows} >= {"suzhou", "xiaoshan"}
    assert all(row["indicator"] and row["status"] in ("target", "actual") for row in rows)

"""The research notebooks in notebooks/ run top to bottom: on the bundled sample, and on another folder.

Each notebook is executed in a fresh Jupyter kernel (nbclient) with matplotlib's headless Agg backend and
an empty matplotlib cache (MPLCONFIGDIR); a failing cell fails the test with the cell's traceback. Every
chart must draw its Chinese labels: no cell may print matplotlib's "Glyph ... missing from font(s)"
warning. The notebooks are stored without outputs; what they write goes to the folder they are given.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
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


Run = tuple[Path, Exception | None, list[str]]  # output folder, error, text the cells printed


def execute(path: Path, out: Path, corpus: Path | None = None) -> Run:
    """Run every cell of the notebook at `path`, writing its outputs into `out`."""
    config = out.with_name(out.name + "-mplconfig")  # a fresh font cache, as on a new machine
    env = dict(
        os.environ,
        MPLBACKEND="Agg",
        MPLCONFIGDIR=str(config),
        PLANKG_OUT=str(out),
        PLANKG_CORPUS=str(corpus or ""),
    )
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    error = None
    try:
        client.execute(env=env)  # passed on to the kernel process
    except Exception as exc:  # noqa: BLE001 - reported by the test that owns this run
        error = exc
    printed = [
        output.get("text", "") if output.get("output_type") == "stream" else str(output.get("data", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    ]
    return out, error, printed


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
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
        return {name: future.result() for name, future in futures.items()}


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
    out, error, printed = runs[path.stem]
    if error is not None:
        raise error
    assert (out / "graph.graphml").exists() and (out / "graph.ttl").exists()
    text = "\n".join(printed)
    assert "Chinese labels drawn with Noto Sans CJK SC" in text
    assert "missing from font" not in text, "a chart drew Chinese as boxes"
    assert list(out.glob("*.png")), "the figures are saved beside the build"


def test_charts_draw_chinese_with_the_cjk_font(tmp_path: Path) -> None:
    """Outside a notebook too: with use_cjk_font a chart of Chinese labels renders without one missing
    glyph, and without it the same chart warns (so the check would see boxes)."""
    script = (
        "import warnings, matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\n"
        "from plankg.notebook import use_cjk_font\n"
        "import sys\n"
        "font = use_cjk_font() if sys.argv[1] == 'font' else None\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    fig, ax = plt.subplots()\n"
        "    ax.bar(['天河区', '萧山区'], [7000, 2400])\n"
        "    ax.set_title('地区生产总值（亿元）')\n"
        "    fig.savefig(sys.argv[2])\n"
        "print(font, sum('missing from font' in str(w.message) for w in caught))\n"
    )
    env = dict(os.environ, MPLCONFIGDIR=str(tmp_path / "cache"))
    found = {}
    for mode in ("font", "none"):
        done = subprocess.run(
            [sys.executable, "-c", script, mode, str(tmp_path / f"{mode}.png")],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        found[mode] = done.stdout.split()
    assert found["font"] == ["Noto", "Sans", "CJK", "SC", "0"]
    if int(found["none"][-1]) == 0:
        pytest.skip("this machine has a CJK font as matplotlib's default: the check cannot fail here")
    assert int(found["none"][-1]) > 0


def test_targets_notebook_runs_on_another_folder(runs: dict) -> None:
    """PLANKG_CORPUS points the notebook at any folder: here the three test fixture articles."""
    out, error, _ = runs["02_targets on a folder"]
    if error is not None:
        raise error
    with open(out / "targets.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {row["document"] for row in rows} >= {"suzhou", "xiaoshan"}
    assert all(row["indicator"] and row["status"] in ("target", "actual") for row in rows)

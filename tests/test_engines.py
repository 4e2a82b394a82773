"""The extraction map can run in parallel processes or on a Dask cluster: same graph either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.api import build

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = Path(__file__).parents[1] / "plankg" / "sample"


def graphml(out: Path) -> bytes:
    return (out / "graph.graphml").read_bytes()


@pytest.mark.slow
def test_dask_local_cluster_gives_the_in_process_graph(tmp_path: Path) -> None:
    inputs = [FIXTURES, SAMPLE]
    build(inputs, out_dir=tmp_path / "local")
    build(inputs, out_dir=tmp_path / "dask", engine="dask", n_process=2)
    assert graphml(tmp_path / "dask") == graphml(tmp_path / "local")


def test_two_processes_give_the_in_process_graph(tmp_path: Path) -> None:
    inputs = [FIXTURES, SAMPLE]
    build(inputs, out_dir=tmp_path / "one")
    build(inputs, out_dir=tmp_path / "two", n_process=2)
    assert graphml(tmp_path / "two") == graphml(tmp_path / "one")

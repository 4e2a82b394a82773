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


class _Done:
    def __init__(self, value: object) -> None:
        self.value = value

    def result(self) -> object:
        return self.value


class _InstantClient:
    """Stands in for a Dask client: runs each task at once, and says how many documents had been read
    by then."""

    def __init__(self, address: str, read: list[int]) -> None:
        self.read = read

    def scheduler_info(self) -> dict:
        return {"workers": {"w1": {}, "w2": {}}}

    def submit(self, function, batch, pure: bool = False) -> _Done:
        return _Done([(doc, self.read[0]) for doc in batch])

    def close(self) -> None:
        pass


def test_the_dask_path_streams_the_corpus_in_a_window_of_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    import dask.distributed

    from plankg import distributed

    read = [0]

    def corpus():
        for i in range(1000):
            read[0] = i + 1
            yield f"doc{i}"

    monkeypatch.setattr(dask.distributed, "Client", lambda address: _InstantClient(address, read))
    facts = distributed.analyse_on_dask(corpus(), scheduler="tcp://127.0.0.1:1")  # type: ignore[arg-type]
    first = next(facts)
    # when the first facts reach the builder, only a window of batches has been read, not the corpus
    assert read[0] <= distributed.INFLIGHT * 2 * distributed.BATCH
    out = [first, *facts]
    assert [doc for doc, _ in out] == [f"doc{i}" for i in range(1000)]  # all of them, in input order


def test_without_fork_spacys_worker_processes_give_the_same_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where fork is missing or unsafe, spaCy's nlp.pipe(n_process=2) runs the workers instead of
    the warm pool: the same graph."""
    from plankg import distributed

    inputs = [FIXTURES, SAMPLE]
    build(inputs, out_dir=tmp_path / "pool", n_process=2)
    monkeypatch.setattr(distributed, "can_fork", lambda: False)
    build(inputs, out_dir=tmp_path / "spacy", n_process=2)
    assert graphml(tmp_path / "spacy") == graphml(tmp_path / "pool")

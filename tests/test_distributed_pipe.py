"""`--jobs N` runs the pipeline in N worker processes (a forked warm pool, or spaCy's own
`nlp.pipe(n_process=N)` where fork is not safe): same facts, same graph."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest
from spacy.language import Language

from plankg import distributed
from plankg.api import analyse, build
from plankg.nlp import workers
from plankg.sources import Document, simplify

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.usefixtures("pipeline_dir")  # the worker pipeline is read from disk


def documents() -> list[Document]:
    """The fixture texts (dated), a Traditional one (its original kept) and a repeated text."""
    docs = [
        Document(p.stem, p.read_text(encoding="utf-8"), date="2024-02-26", source=str(p))
        for p in sorted(FIXTURES.glob("*.txt"))
    ]
    traditional = "浙江省杭州市召開經濟工作會議。會議強調，要加快發展數字經濟。"
    big5 = simplify(Document("hangzhou", traditional, source="hangzhou.txt"))
    assert big5.original is not None
    return [*docs, big5, Document("again", docs[0].text, source="again.txt")]


def test_two_processes_give_the_in_process_facts() -> None:
    in_process = list(analyse(documents()))
    two = list(analyse(documents(), n_process=2, batch_size=1))
    assert two == in_process
    assert [f.doc_id for f in two] == [d.doc_id for d in documents()]
    assert any(r.attrs.get("sentence_original") for f in two for r in f.relations)  # the original came along


def test_build_with_two_processes_equals_one() -> None:
    one = build(documents=documents()).graph
    two = build(documents=documents(), n_process=2).graph
    assert list(two.nodes(data=True)) == list(one.nodes(data=True))
    assert list(two.edges(keys=True, data=True)) == list(one.edges(keys=True, data=True))


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the spies reach workers by fork")
def test_jobs_run_in_spacy_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = workers.packing_pipeline()
    assert nlp.pipe_names[0] == "plankg_segment" and nlp.pipe_names[-1] == "plankg_pack"

    calls: list[tuple[int, int]] = []
    multiprocessing_pipe = Language._multiprocessing_pipe

    def spy(self, texts, pipes, n_process, batch_size):
        calls.append((n_process, batch_size))
        return multiprocessing_pipe(self, texts, pipes, n_process, batch_size)

    pack = workers.Pack.__call__

    def stamped(self, doc):
        packed = pack(self, doc)
        packed.user_data["pid"] = os.getpid()  # which process packed it
        return packed

    pids: list[int] = []
    unpack = workers.unpack

    def record(doc):
        pids.append(doc.user_data["pid"])
        return unpack(doc)

    monkeypatch.setattr(distributed, "can_fork", lambda: False)  # as where fork is not safe
    monkeypatch.setattr(Language, "_multiprocessing_pipe", spy)
    monkeypatch.setattr(workers.Pack, "__call__", stamped)
    monkeypatch.setattr(distributed, "unpack", record)
    facts = list(analyse(documents(), n_process=2, batch_size=1))

    assert calls == [(2, 1)]
    assert len(pids) == len(facts) == len(documents())
    assert len(set(pids)) == 2 and os.getpid() not in pids  # both workers packed, the parent none


STAMPS: list[Path] = []  # the folder the pool's workers note themselves in (set before they fork)
_ANALYSE_RECORDS = distributed._analyse_records


def _stamped_analysis(batch: list[Document]) -> list:
    """The pool's task, noting which process ran it (module level: the pool sends it by name)."""
    (STAMPS[0] / f"{os.getpid()}-{batch[0].doc_id}").touch()
    return _ANALYSE_RECORDS(batch)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the pool forks")
def test_jobs_run_in_a_warm_pool_of_forked_workers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each batch is analysed in a worker forked from the parent (which loaded the pipeline once), and
    comes back as the fact store's JSON records."""
    monkeypatch.setattr(distributed, "_analyse_records", _stamped_analysis)
    STAMPS[:] = [tmp_path]
    records = list(distributed.analyse_in_processes(documents(), 2, batch_size=1, records=True))
    assert [r.doc_id for r in records] == [d.doc_id for d in documents()]
    assert all(isinstance(r, distributed.Record) and r.json.startswith("{") for r in records)
    pids = {int(p.name.split("-")[0]) for p in tmp_path.iterdir()}
    assert len(pids) == 2 and os.getpid() not in pids

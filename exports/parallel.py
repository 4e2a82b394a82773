"""Write several export files at once: one forked process per group of formats.

The graph is built in the parent; a forked child sees it without copying (copy-on-write), writes its
formats to temporary files and hands their names back, and the parent renames them together with its
own (atomic.adopt), so the export stays all-or-nothing. Where fork is missing (Windows, macOS's
default) or unsafe (other threads are running), the formats are written one after another.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from . import atomic
from . import formats as registry

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

Job = tuple[registry.Format, Path]
WEIGHT = {registry.RDF: 8}  # RDF files take about eight times as long as GraphML; other kinds 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def groups(jobs: list[Job], workers: int) -> list[list[Job]]:
    """The jobs in at most `workers` groups of about equal cost, heaviest placed first; each group
    keeps the jobs' order."""
    bins: list[list[Job]] = [[] for _ in range(min(workers, len(jobs)))]
    cost = [0] * len(bins)
    for job in sorted(jobs, key=lambda j: -WEIGHT.get(j[0].kind, 1)):
        i = cost.index(min(cost))
        bins[i].append(job)
        cost[i] += WEIGHT.get(job[0].kind, 1)
    return [sorted(b, key=jobs.index) for b in bins if b]


def _child(graph: nx.MultiDiGraph, jobs: list[Job], texts: Mapping[str, str] | None, conn) -> None:
    waiting: list[tuple[Path, Path]] = []
    atomic._pending.set(waiting)  # this process's writes wait for the parent to rename them
    try:
        for fmt, path in jobs:
            fmt.write(graph, path, texts)
        conn.send(("ok", waiting))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        for tmp, _ in waiting:
            with contextlib.suppress(OSError):
                tmp.unlink()
        try:
            conn.send(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        conn.close()


def write_parallel(
    graph: nx.MultiDiGraph, jobs: list[Job], texts: Mapping[str, str] | None, workers: int
) -> list[Path]:
    """Write every job, the first group here and the others in forked processes; the paths written."""
    first, *others = groups(jobs, workers)
    context = multiprocessing.get_context("fork")
    children = []
    try:
        for group in others:
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(graph, group, texts, send), daemon=True)
            process.start()
            send.close()
            children.append((process, receive))
        for fmt, path in first:
            fmt.write(graph, path, texts)
        results = []
        for process, receive in children:
            try:
                results.append(receive.recv())
            except EOFError:  # the child died without a word (killed)
                results.append(("error", OSError("an export process ended before writing its files")))
            process.join()
    except BaseException:
        for process, _ in children:
            process.terminate()
            process.join()
        raise
    error = next((value for status, value in results if status == "error"), None)
    if error is not None:
        for status, value in results:
            for tmp, _ in value if status == "ok" else []:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        raise error
    for _, waiting in results:
        for tmp, target in waiting:
            atomic.adopt(tmp, target)
    return [path for _, path in jobs]

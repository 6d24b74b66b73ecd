"""Spread independent work over the machine's cores with forked worker processes.

Workers are forked after the parent has built what they read (documents, views, the
template environment), so they share it copy-on-write instead of receiving it pickled;
only their results travel back. Without ``fork`` (Windows, macOS's default) or with one
job, the work runs in this process. Never call this from a process that runs threads.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
import os
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")

BATCH = 64
"""Results per message: large enough to amortise pickling, small enough to keep pipes moving."""


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def map_forked(
    setup: Callable[[], Callable[[T], R]], items: Sequence[T], jobs: int, *, share_here: bool = False
) -> list[R]:
    """``[task(item) for item in items]`` where ``task = setup()`` is made once per process.

    ``share_here``: this process takes one share itself and ``jobs - 1`` workers the rest.
    Right for work over what this process already holds (rendering): a forked worker copies
    each page of shared memory it touches (CPython writes reference counts into objects),
    so a worker fewer is a copy less. Wrong for work that makes large short-lived objects
    (parsing): those would fragment this process's heap around the results it keeps.

    Raises:
        Exception: what a task raised, in this process or a worker (with the worker's traceback as a note);
            RuntimeError if a worker died or its exception could not be sent.
    """
    jobs = min(jobs, len(items))
    if jobs <= 1 or not can_fork():
        task = setup()
        return [task(item) for item in items]
    context = multiprocessing.get_context("fork")
    results: list[Any] = [None] * len(items)
    connections, workers = [], []
    # Frozen objects are left alone by the workers' collector, so it does not write to
    # (and thereby copy) every page of memory the workers share with this process.
    gc.freeze()
    shares = [range(n, len(items), jobs) for n in range(jobs)]  # interleaved: slow and fast items spread evenly
    first = 1 if share_here else 0
    for worker in range(first, jobs):
        receiver, sender = context.Pipe(duplex=False)
        share = shares[worker]
        process = context.Process(target=_work, args=(setup, items, share, sender), daemon=True)
        process.start()
        sender.close()
        connections.append(receiver)
        workers.append(process)
    gc.unfreeze()
    try:
        if share_here:
            task = setup()
            for index in shares[0]:
                results[index] = task(items[index])
        _collect(connections, results)
    finally:
        for process in workers:
            if process.is_alive():
                process.terminate()
            process.join()
    return results


def _work(setup: Callable[[], Callable[[Any], Any]], items: Sequence[Any], share: range,
          sender: multiprocessing.connection.Connection) -> None:
    try:
        task = setup()
        done = [(index, task(items[index])) for index in share]
        for start in range(0, len(done), BATCH):
            sender.send(("batch", done[start : start + BATCH]))
        sender.send(("done", None))
    except Exception as exc:
        # The same exception in the parent, so a caller can tell the kinds apart (a damaged cache).
        exc.add_note(f"in a worker process:\n{traceback.format_exc()}")
        try:
            sender.send(("raised", exc))
        except Exception:  # an exception that does not pickle
            sender.send(("error", traceback.format_exc()))
    except BaseException:
        sender.send(("error", traceback.format_exc()))
    finally:
        sender.close()
def _collect(connections: list[multiprocessing.connection.Connection], results: list[Any]) -> None:
    pending = list(connections)
    while pending:
        for ready in multiprocessing.connection.wait(pending):
            connection = cast(multiprocessing.connection.Connection, ready)  # wait() returns what it was given
            try:
                kind, payload = connection.recv()
            except EOFError:
                raise RuntimeError("a worker process died without finishing its work") from None
            if kind == "batch":
                for index, result in payload:
                    results[index] = result
            elif kind == "raised":
                raise payload
            elif kind == "error":
                raise RuntimeError(f"a worker process failed:\n{payload}")
            else:
                pending.remove(connection)

"""Running work in forked worker processes, with results in the order a serial run gives them.

Workers are forked (Linux), so they inherit the parent's linter, its compiled rules and the file
bytes already read: nothing but task numbers goes to a worker, and only results come back. The
parent hands out tasks largest first, one or two at a time, so a worker that finishes early takes
more. Elsewhere (no fork, or not Linux) the caller lints serially.

A worker never prints and ignores Ctrl-C: the parent receives it, stops the workers and re-raises.
A worker that dies (killed, out of memory) becomes a :class:`WorkerError` naming the file it was
on, never a hang.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # multiprocessing itself is imported only when workers are started (start-up time)
    from multiprocessing.connection import Connection

R = TypeVar("R")

# Parallel runs pay only when there is enough to lint. Starting and gathering 2 workers costs about
# 20 ms, and articles lint at about 1.5-3 ms a KB (bench/bench_jobs.py), so each worker's share
# should be at least 32 KB (50-100 ms of work).
MIN_BYTES_PER_WORKER = 32 * 1024
_IN_FLIGHT = 2  # tasks a worker holds at once, so it never waits for the parent


class WorkerError(Exception):
    """A worker process died; the message names the file and what to do."""


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether workers can be forked (Linux; fork is unsafe on macOS and missing on Windows)."""
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def plan_workers(jobs: int, sizes: Sequence[int]) -> int:
    """How many workers to use for tasks of these sizes in bytes: 1 means lint in this process."""
    if jobs < 2 or len(sizes) < 2 or not can_fork():
        return 1
    workers = min(jobs, len(sizes), sum(sizes) // MIN_BYTES_PER_WORKER)
    return workers if workers >= 2 else 1


def run(task: Callable[[int], R], sizes: Sequence[int], workers: int, label: Callable[[int], str]) -> list[R]:
    """``task(i)`` for every task ``i`` in ``workers`` forked processes; results in task order.

    If tasks raise, the exception of the lowest-numbered one is re-raised, as a serial run would.
    ``label(i)`` names task ``i`` in the message of a worker that died.
    """
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i], i))
    results: dict[int, Any] = {}
    failures: dict[int, BaseException] = {}
    try:
        procs, conns = _start(task, workers)
    except OSError:  # no memory or process slots to fork: lint here instead
        return [task(i) for i in range(len(sizes))]
    try:
        _gather(conns, procs, order, results, failures, label)
    except BaseException:  # Ctrl-C, a dead worker: stop the others now
        _stop(procs, conns, abort=True)
        raise
    _stop(procs, conns)
    if failures:
        raise failures[min(failures)]
    return [results[i] for i in range(len(sizes))]


def _start(task: Callable[[int], Any], workers: int) -> tuple[list, list[Connection]]:
    """Fork the workers with Ctrl-C blocked in them (the parent's mask is restored after)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    procs, conns = [], []
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # keep the inherited objects out of the workers' collections (and their pages shared)
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        try:
            for _ in range(workers):
                parent_end, child_end = context.Pipe(duplex=True)
                proc = context.Process(target=_work, args=(task, child_end), daemon=True)
                proc.start()
                child_end.close()
                procs.append(proc)
                conns.append(parent_end)
        finally:
            gc.unfreeze()
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)  # a Ctrl-C pressed meanwhile is raised here
    except BaseException:
        _stop(procs, conns, abort=True)
        raise
    return procs, conns


def _gather(conns: list[Connection], procs: list, order: list[int], results: dict, failures: dict,
            label: Callable[[int], str]) -> None:
    """Hand out tasks and collect results until every task is done."""
    from multiprocessing.connection import wait

    queue = iter(order)
    held: dict[Connection, list[int]] = {conn: [] for conn in conns}

    def died(conn: Connection) -> WorkerError:
        proc = procs[conns.index(conn)]
        proc.join(1)
        return WorkerError(_died(label(held[conn][0]) if held[conn] else "a file", proc.exitcode))

    live = list(conns)
    for conn in conns:
        if not _hand_out(conn, queue, held[conn]):
            raise died(conn)
    while live:
        for conn in wait(live):
            try:
                index, ok, value = conn.recv()
            except (EOFError, OSError):
                raise died(conn) from None
            held[conn].remove(index)
            (results if ok else failures)[index] = value
            if not _hand_out(conn, queue, held[conn]):
                raise died(conn)
            if not held[conn]:
                live.remove(conn)


def _hand_out(conn: Connection, queue: Iterator[int], held: list[int]) -> bool:
    """Top the worker up to its share of tasks, or tell it to finish; False if it has gone."""
    try:
        while len(held) < _IN_FLIGHT:
            index = next(queue, None)
            if index is None:
                if not held:
                    conn.send(None)
                return True
            held.append(index)
            conn.send(index)
    except OSError:  # a broken pipe: the worker died
        return False
    return True


def _died(name: str, exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        how = f"was killed by signal {-exitcode}"
        how += f" ({signal.Signals(-exitcode).name})" if -exitcode in signal.valid_signals() else ""
    else:
        how = "stopped unexpectedly" + (f" (exit status {exitcode})" if exitcode is not None else "")
    return f"{name}: the worker process linting this file {how}; rerun with --jobs 1 to lint in one process"


def _stop(procs: list, conns: list[Connection], abort: bool = False) -> None:
    """Close the pipes and reap the workers: they exit once told to finish, or are ended on ``abort``.

    Ctrl-C is held off meanwhile (a second press would otherwise leave workers behind); one pressed
    during the clean-up is raised when it is done.
    """
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        for conn in conns:
            conn.close()
        for proc in procs:
            if abort:
                proc.terminate()
            proc.join(2 if abort else 5)
            if proc.is_alive():
                proc.kill()
                proc.join()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _work(task: Callable[[int], Any], conn: Connection) -> None:
    """A worker: run each task number received, send back (number, ok, result or exception)."""
    devnull = open(os.devnull, "w")  # noqa: SIM115 - a worker must never print, not even from C code
    os.dup2(devnull.fileno(), 1)
    os.dup2(devnull.fileno(), 2)
    sys.stdout = sys.stderr = devnull
    while True:
        try:
            index = conn.recv()
        except (EOFError, OSError):
            return  # the parent has gone
        if index is None:
            return
        try:
            message = (index, True, task(index))
        except BaseException as exc:  # noqa: BLE001 - the parent re-raises it
            message = (index, False, _portable(exc))
        try:
            conn.send(message)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            conn.send((index, False, RuntimeError(f"cannot return a worker's result: {exc}")))


def _portable(exc: BaseException) -> BaseException:
    """The exception itself if it survives pickling, else a RuntimeError with its type and message."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")

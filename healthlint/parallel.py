"""Running work in forked worker processes, with results in the order a serial run gives them.

Workers are forked (Linux), so they inherit the parent's linter and its compiled rules: only the
work items (a file's name and bytes) go to a worker, and only results come back. The parent hands
out items in order, one or two at a time, so a worker that finishes early takes more, and passes
results on in order as soon as each is due: a report can be written while the run goes on, and
memory stays flat. Elsewhere (no fork, or not Linux) the caller lints serially.

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
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from healthlint.errors import WorkerError

if TYPE_CHECKING:  # multiprocessing itself is imported only when workers are started (start-up time)
    from multiprocessing.connection import Connection

T = TypeVar("T")
R = TypeVar("R")

# Parallel runs pay only when there is enough to lint. Starting and gathering 2 workers costs about
# 20 ms, and articles lint at about 1.5-3 ms a KB (bench/bench_jobs.py), so each worker's share
# should be at least 32 KB (50-100 ms of work).
MIN_BYTES_PER_WORKER = 32 * 1024
_IN_FLIGHT = 2  # tasks a worker holds at once, so it never waits for the parent


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
    if jobs < 2 or len(sizes) < 2:
        return 1
    workers = min(jobs, len(sizes), sum(sizes) // MIN_BYTES_PER_WORKER)
    return workers if workers >= 2 and can_fork() else 1


def imap(task: Callable[[T], R], items: Iterable[T], *, jobs: int, size: Callable[[T], int],
         label: Callable[[T], str]) -> Iterator[tuple[T, R | None]]:
    """``(item, task(item))`` for every item, in the items' order, running tasks in forked workers.

    ``size(item)`` is the bytes of work an item needs; an item of size 0 needs none and comes back
    as ``(item, None)``. Items are read lazily, at most :data:`AHEAD` of them (and about
    :data:`AHEAD_BYTES`) beyond the one the caller waits for, so memory stays flat however many
    there are. The first task runs here (what it builds lazily, every worker then inherits);
    workers are forked only once the items in sight hold enough work for 2 (see
    :func:`plan_workers`), so a run with little to do never pays for them. A task's exception is
    raised when its item's turn comes, as in a serial run; ``label(item)`` names the item in the
    message of a worker that died.
    """
    pool = _OrderedPool(task, iter(items), jobs, size, label)
    try:
        yield from pool.results()
    except BaseException:  # Ctrl-C, a dead worker, a task's exception, the caller giving up
        pool.stop(abort=True)
        raise
    finally:
        pool.stop()


AHEAD = 64  # items looked at beyond the one awaited
AHEAD_BYTES = 8 * 1024 * 1024  # ... unless they hold more bytes than this


class _OrderedPool:
    """The state of :func:`imap`: items in sight, workers (once forked) and results not yet due."""

    def __init__(self, task: Callable, items: Iterator, jobs: int, size: Callable, label: Callable) -> None:
        self.task, self.items, self.jobs, self.size, self.label = task, items, jobs, size, label
        self.sight: deque[list] = deque()  # [index, item, size, sent] in order
        self.sight_bytes = 0
        self.next_index = 0
        self.exhausted = False
        self.warm = False  # a task has run here
        self.procs: list = []
        self.conns: list[Connection] = []
        self.held: dict[Connection, list[int]] = {}
        self.done: dict[int, tuple[bool, Any]] = {}
        self.stopped = False

    def results(self) -> Iterator[tuple[Any, Any]]:
        while True:
            self._look_ahead()
            if not self.sight:
                return
            index, item, size, _ = self.sight[0]
            if size and index not in self.done:
                if not self.procs and (not self.warm or not self._fork()):
                    self._forget_head()
                    self.warm = True
                    yield item, self.task(item)
                    continue
                self._hand_out()
                self._receive()
                continue
            self._forget_head()
            if not size:
                yield item, None
                continue
            ok, value = self.done.pop(index)
            if not ok:
                raise value
            yield item, value

    def _look_ahead(self) -> None:
        while not self.exhausted and len(self.sight) <= AHEAD and (self.sight_bytes < AHEAD_BYTES or len(self.sight) < 2 * self.jobs):
            item = next(self.items, _END)
            if item is _END:
                self.exhausted = True
                return
            size = self.size(item)
            self.sight.append([self.next_index, item, size, False])
            self.sight_bytes += size
            self.next_index += 1

    def _forget_head(self) -> None:
        self.sight_bytes -= self.sight.popleft()[2]

    def _fork(self) -> bool:
        """Start the workers if the work in sight is worth it; False if linting stays here."""
        sizes = [size for _, _, size, _ in self.sight if size]
        workers = plan_workers(self.jobs, sizes)
        if workers < 2:
            return False
        try:
            self.procs, self.conns = _start(self.task, workers)
        except OSError:  # no memory or process slots to fork: lint here instead
            self.jobs = 1
            return False
        self.held = {conn: [] for conn in self.conns}
        return True

    def _hand_out(self) -> None:
        """Give each worker tasks, in order, up to its share in flight."""
        waiting = (entry for entry in self.sight if entry[2] and not entry[3])
        for conn in self.conns:
            while len(self.held[conn]) < _IN_FLIGHT:
                entry = next(waiting, None)
                if entry is None:
                    return
                try:
                    conn.send((entry[0], entry[1]))
                except OSError:  # a broken pipe: the worker died
                    raise self._died(conn) from None
                entry[3] = True
                self.held[conn].append(entry[0])

    def _receive(self) -> None:
        """Wait for at least one result."""
        from multiprocessing.connection import wait

        busy = [conn for conn in self.conns if self.held[conn]]
        for conn in wait(busy):
            try:
                index, ok, value = conn.recv()
            except (EOFError, OSError):
                raise self._died(conn) from None
            self.held[conn].remove(index)
            self.done[index] = (ok, value)

    def _died(self, conn: Connection) -> WorkerError:
        proc = self.procs[self.conns.index(conn)]
        proc.join(1)
        held = self.held[conn]
        name = next((self.label(item) for index, item, _, _ in self.sight if held and index == held[0]), "a file")
        return WorkerError(_died(name, proc.exitcode))

    def stop(self, abort: bool = False) -> None:
        """Tell the workers to finish (once) and reap them; on ``abort``, end them at once."""
        if self.stopped:
            return
        self.stopped = True
        for conn in () if abort else self.conns:
            try:
                conn.send(None)  # not just closing: workers forked later hold copies of earlier pipes
            except OSError:
                pass
        _stop(self.procs, self.conns, abort)


_END = object()


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


def _work(task: Callable[[Any], Any], conn: Connection) -> None:
    """A worker: run the task on each (number, item) received, send back (number, ok, result or exception)."""
    devnull = open(os.devnull, "w")  # noqa: SIM115 - a worker must never print, not even from C code
    os.dup2(devnull.fileno(), 1)
    os.dup2(devnull.fileno(), 2)
    sys.stdout = sys.stderr = devnull
    while True:
        try:
            received = conn.recv()
        except (EOFError, OSError):
            return  # the parent has gone, or has no more work
        if received is None:
            return
        index, item = received
        try:
            message = (index, True, task(item))
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

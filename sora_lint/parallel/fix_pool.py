"""Fix runs over worker processes (``concurrent.futures``), outcomes in file order.

A fix decodes whole pictures, so two things matter here that a check run never meets. A
worker killed mid-file (the out-of-memory killer, a ``kill -9``) must end the run at once
with exit 2 and the name of the file it was fixing, never a hang: ``ProcessPoolExecutor``
reports a dead worker as ``BrokenProcessPool``, and each task records which process took
which file. And the decodes of all workers share one memory budget
(``max-decode-memory``, :class:`SharedBudget`): a decode waits its turn rather than run
beside another that would take the run over the budget.

Workers get the run as :mod:`sora_lint.parallel.pool` gives it to them: inherited when they
fork, rebuilt from a :class:`~sora_lint.parallel.pool.WorkerSpec` when they start fresh.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sora_lint.errors import WorkerError
from sora_lint.fix import budget
from sora_lint.parallel.pool import Work, WorkerSpec, ignore_interrupt, start_method
from sora_lint.run.discovery import Candidate
from sora_lint.run.engine import FileOutcome, Session

#: Files handed out ahead per worker. Outcomes are reported in file order, so while one slow
#: file (a lossless WebP takes a second) holds the head of the line the others must still
#: have work: with 2 ahead, --fix-to over the shared corpus took 1.16x the wall clock (same
#: CPU). Bounded all the same, so outcomes waiting for their turn stay a few hundred.
AHEAD_PER_WORKER = 64

# What a worker holds: the session and the work function (inherited after a fork, built from
# the spec otherwise), and the table of which process took which file.
_STATE: dict[str, Any] = {}


class SharedBudget:
    """A decode memory budget the worker processes of a run share.

    A decode reserves its estimate before it starts and gives it back when done. Turns are
    taken in order (a ticket each), so a large decode is never overtaken for ever by small
    ones; a decode waits while the others' reservations leave too little room. The lock
    lives in shared memory: if a worker dies holding it, the pool is broken anyway and every
    worker is stopped, so nobody waits on it for ever.
    """

    def __init__(self, context: Any, total: int) -> None:
        self.total = total
        self._turns = context.Condition(context.Lock())
        self._used = context.RawValue("q", 0)
        self._issued = context.RawValue("q", 0)  # tickets handed out
        self._serving = context.RawValue("q", 0)  # the ticket whose turn it is

    @contextlib.contextmanager
    def reserve(self, nbytes: int) -> Iterator[None]:
        nbytes = max(0, min(nbytes, self.total))
        with self._turns:
            ticket = self._issued.value
            self._issued.value = ticket + 1
            while self._serving.value != ticket or self._used.value + nbytes > self.total:
                self._turns.wait()
            self._serving.value = ticket + 1
            self._used.value += nbytes
            self._turns.notify_all()
        try:
            yield
        finally:
            with self._turns:
                self._used.value -= nbytes
                self._turns.notify_all()


def _init(spec: WorkerSpec | None, work: Work, shared: SharedBudget, taken: Any) -> None:
    ignore_interrupt()
    budget.install(shared)
    _STATE["taken"] = taken
    if spec is not None:  # a fresh process: rebuild the run (a fork inherited it)
        _STATE["session"] = spec.build_session()
        _STATE["work"] = work


def _fix(index: int, candidate: Candidate) -> FileOutcome:
    _STATE["taken"][index] = os.getpid()  # read by the main process if this one dies
    work: Work = _STATE["work"]
    return work(candidate, _STATE["session"])


def run_fix_pool(
    candidates: Sequence[Candidate],
    session: Session,
    spec: WorkerSpec,
    jobs: int,
    work: Work,
) -> Iterator[FileOutcome]:
    """Yield ``work(candidate, session)`` for each candidate, in order, from ``jobs`` workers;
    a worker that dies is a :class:`~sora_lint.errors.WorkerError` naming its file."""
    import multiprocessing  # only for a pool: importing it costs start-up time

    context = multiprocessing.get_context(start_method())
    memory = int(session.settings.get("max-decode-memory") or budget.DEFAULT_BUDGET)
    shared = SharedBudget(context, memory)
    taken = context.RawArray("q", len(candidates))  # the pid that took each file, 0 if none
    forked = context.get_start_method() == "fork"
    if forked:
        _STATE.update(session=session, work=work)
    executor = ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=_init,
        initargs=(None if forked else spec, work, shared, taken),
    )
    workers: dict[int, Any] = {}  # pid -> multiprocessing.Process, for their exit codes
    futures: dict[int, Future[FileOutcome]] = {}
    done = False
    try:
        submitted = 0
        for index in range(len(candidates)):
            while submitted < len(candidates) and submitted <= index + AHEAD_PER_WORKER * jobs:
                futures[submitted] = executor.submit(_fix, submitted, candidates[submitted])
                submitted += 1
            workers.update((p.pid, p) for p in multiprocessing.active_children() if p.pid)
            try:
                outcome = futures.pop(index).result()
            except BrokenProcessPool:
                executor.shutdown(wait=True, cancel_futures=True)
                raise WorkerError(
                    _death_notice(candidates, index, futures, taken, workers)
                ) from None
            yield outcome
        done = True
    finally:
        if not done:  # an error or Ctrl-C: stop the workers now, not after their files
            for process in workers.values():
                with contextlib.suppress(OSError, ValueError, AttributeError):
                    process.terminate()
        executor.shutdown(wait=True, cancel_futures=True)
        _STATE.clear()


def _death_notice(
    candidates: Sequence[Candidate],
    index: int,
    pending: dict[int, Future[FileOutcome]],
    taken: Any,
    workers: dict[int, Any],
) -> str:
    """Which worker died and which file it was fixing (every file it may have been, when the
    table cannot tell)."""
    unfinished = [index, *(i for i, f in sorted(pending.items()) if not _succeeded(f))]
    dead = {
        pid: process.exitcode
        for pid, process in workers.items()
        if process.exitcode not in (None, 0, -signal.SIGTERM)
    }
    files = [i for i in unfinished if taken[i] in dead]
    if not files:
        files = [i for i in unfinished if taken[i]] or [index]
    codes = {dead[taken[i]] for i in files if taken[i] in dead}
    how = _how(int(codes.pop())) if len(codes) == 1 else "died"
    names = " or ".join(candidates[i].display for i in files[:3])
    if len(files) > 3:
        names += f" (or {len(files) - 3} more)"
    return (
        f"a worker process {how} while fixing {names}; a file being fixed is either "
        "unchanged or whole, and the files not reached are unchanged. Run again, with "
        "--jobs 1 or a lower max-decode-memory if memory ran out"
    )


def _succeeded(future: Future[FileOutcome]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


def _how(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (out of memory?)" if -code == signal.SIGKILL else ""
        return f"was killed by {name}{hint}"
    return f"exited with code {code}"

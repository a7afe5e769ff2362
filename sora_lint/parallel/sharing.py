"""Check runs where processes fork: the main process works alongside ``jobs - 1`` workers.

With a pool of ``jobs`` workers the main process only waits, unpacks and reports: one
process more than CPUs, and every file's outcome crosses a pipe. Here the main process
takes chunks of files from the same counter as the workers whenever the next chunk in file
order is not ready yet, so every CPU probes, fewer outcomes travel, and the work stays
balanced however fast each process goes. Outcomes still come out in file order.

A worker takes its chunks in increasing order and each sends on its own pipe, so the main
process, reading chunks in file order, meets every finding's template before its number
(see :class:`~sora_lint.transfer.Packer`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sora_lint.errors import WorkerError
from sora_lint.parallel.pool import Work, ignore_interrupt
from sora_lint.parallel.transfer import Packer, Unpacker
from sora_lint.run.discovery import Candidate
from sora_lint.run.engine import FileOutcome, Session

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

#: What a worker sends when no chunk is left to take (after its results).
_DONE = "done"
#: Chunks of its own the main process keeps ready per job at most while the next chunk in
#: file order is still with a worker.
MAX_AHEAD = 4


class _Counter:
    """The next chunk to take, shared by every process of the run."""

    def __init__(self, context: Any, chunks: int) -> None:
        self.value = context.RawValue("q", 0)
        self.lock = context.Lock()
        self.chunks = chunks

    def take(self) -> int | None:
        with self.lock:
            taken = int(self.value.value)
            if taken >= self.chunks:
                return None
            self.value.value = taken + 1
        return taken


def run_sharing(
    candidates: Sequence[Candidate],
    session: Session,
    jobs: int,
    size: int,
    work: Work,
) -> Iterator[FileOutcome]:
    """Yield ``work(candidate, session)`` for each candidate, in order, from this process and
    ``jobs - 1`` forked workers, taking chunks of ``size`` files."""
    import multiprocessing  # only when a pool is worth it: importing it costs start-up time

    context = multiprocessing.get_context("fork")
    count = -(-len(candidates) // size)
    counter = _Counter(context, count)
    workers: dict[Connection, Any] = {}
    for _ in range(jobs - 1):
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(
            target=_work,
            args=(candidates, session, work, size, counter, writer),
            daemon=True,
        )
        process.start()
        writer.close()
        workers[reader] = process
    ready: dict[int, tuple[bool, list[Any]]] = {}
    ahead = MAX_AHEAD * jobs  # own chunks kept waiting at most: memory stays flat
    unpacker = Unpacker()
    finished = False
    try:
        for index in range(count):
            while index not in ready:
                _receive(workers, ready, block=False)
                if index in ready:
                    break
                own_waiting = sum(1 for is_own, _ in ready.values() if is_own)
                taken = counter.take() if own_waiting < ahead else None
                if taken is None:
                    _receive(workers, ready, block=True)
                    continue
                start = taken * size
                own = [work(c, session) for c in candidates[start : start + size]]
                ready[taken] = (True, own)
            is_own, results = ready.pop(index)
            if is_own:
                yield from results
            else:
                start = index * size
                for candidate, packed in zip(candidates[start : start + size], results,
                                             strict=True):  # fmt: skip
                    yield unpacker.outcome(packed, candidate)
        finished = True
    finally:
        for process in workers.values():
            if not finished:
                process.terminate()
            process.join()
        for reader in workers:
            reader.close()


def _receive(
    workers: dict[Connection, Any], ready: dict[int, tuple[bool, list[Any]]], block: bool
) -> None:
    """Take what the workers sent; with ``block``, wait until one sends or ends (a worker
    that ends without saying it is done, killed or out of memory, is an error, not a hang)."""
    from multiprocessing.connection import Connection, wait

    waiting = [reader for reader in workers if not reader.closed]
    if block and not waiting:  # cannot happen: a worker says it is done after its last chunk
        raise WorkerError("a chunk of files went missing between the processes; run again")
    for reader in wait(waiting, None if block else 0):
        assert isinstance(reader, Connection)
        while not reader.closed and reader.poll():
            try:
                message = reader.recv()
            except EOFError:
                reader.close()
                workers[reader].join(1)
                code = workers[reader].exitcode
                raise WorkerError(
                    f"a worker process stopped before finishing its files (exit code {code}); "
                    "run again, or with --jobs 1"
                ) from None
            if isinstance(message, BaseException):
                raise message
            if message == _DONE:
                reader.close()
            else:
                index, results = message
                ready[index] = (False, results)


def _work(
    candidates: Sequence[Candidate],
    session: Session,
    work: Work,
    size: int,
    counter: _Counter,
    writer: Connection,
) -> None:
    """A worker: take chunks until none is left, sending each chunk's packed outcomes."""
    ignore_interrupt()
    packer = Packer()
    try:
        while (taken := counter.take()) is not None:
            start = taken * size
            chunk = candidates[start : start + size]
            writer.send((taken, [packer.pack(work(c, session)) for c in chunk]))
        writer.send(_DONE)
    except BaseException as exc:  # noqa: BLE001 - the main process raises it
        try:
            writer.send(exc)
        except Exception:  # noqa: BLE001 - an exception that cannot travel
            writer.send(RuntimeError(f"{type(exc).__name__}: {exc}"))
    finally:
        writer.close()

"""Check runs where processes fork: the main process works alongside ``jobs - 1`` workers.

With a pool of ``jobs`` workers the main process only waits, unpacks and reports: one
process more than CPUs, and every file's outcome crosses a pipe. Here the main process
takes chunks of files from the same counter as the workers whenever the next chunk in file
order is not ready yet, so every CPU probes and the work stays balanced however fast each
process goes. Outcomes still come out in file order.

The workers only probe (read each file's header, the larger part of a file's cost) and send
the probe results (:mod:`~sora_lint.parallel.probed`: two small numbers a file); the main
process checks every file through ``process_file`` with its probe result, as the cache hands
one over, so each kind of file is checked once in the run and no finding crosses a pipe.
Measured against workers that checked and sent their outcomes (each distinct finding once,
then its number, rebuilt in the main process), ``--jobs 2`` on the benchmark corpus: 272k
instructions a file (both processes) instead of 319k, 15% fewer, as a worker's outcome cost
the main process more to rebuild than to check from the probe result; whole runs take ~20%
less CPU (each kind of file is also checked once, not once per process).

The main process unpacks each message as it arrives from a worker's pipe, so it meets every
kind a worker numbered before the number.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sora_lint.errors import WorkerError
from sora_lint.parallel.pool import ignore_interrupt
from sora_lint.parallel.probed import AssetPacker, AssetUnpacker
from sora_lint.run.discovery import Candidate
from sora_lint.run.engine import FileOutcome, Session, probe, process_file
from sora_lint.types import Asset

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

#: What a worker sends when no chunk is left to take (after its results).
_DONE = "done"
#: Chunks of its own, and chunks the workers probed, the main process keeps waiting for their
#: turn per job at most.
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
) -> Iterator[FileOutcome]:
    """Yield each candidate's outcome, in order, from this process and ``jobs - 1`` forked
    workers, taking chunks of ``size`` files."""
    import multiprocessing  # only when a pool is worth it: importing it costs start-up time

    context = multiprocessing.get_context("fork")
    count = -(-len(candidates) // size)
    counter = _Counter(context, count)
    workers: dict[Connection, Any] = {}
    for _ in range(jobs - 1):
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(
            target=_work,
            args=(candidates, session, size, counter, writer),
            daemon=True,
        )
        process.start()
        writer.close()
        workers[reader] = process
    own: dict[int, list[FileOutcome]] = {}  # this process's chunks waiting for their turn
    # Chunks kept waiting for their turn at most, of each side: memory stays flat. A worker
    # only probes, so it can run far ahead of a slow check; past this its pipe fills and it
    # waits. Reading on when the next chunk is needed cannot deadlock: each worker sends its
    # chunks in file order, so its next message is the one needed, or a later one.
    ahead = MAX_AHEAD * jobs
    inbox = _Inbox(workers, candidates, size)
    probed = inbox.probed  # the workers' chunks, probed, waiting for their turn
    finished = False
    try:
        for index in range(count):
            while index not in own and index not in probed:
                if len(probed) < ahead:  # else leave them in the pipe: a worker waits when full
                    inbox.receive(block=False)
                    if index in probed:
                        break
                taken = counter.take() if len(own) < ahead else None
                if taken is None:
                    inbox.receive(block=True)
                    continue
                start = taken * size
                own[taken] = [process_file(c, session) for c in candidates[start : start + size]]
            assets = probed.pop(index, None)
            if assets is None:
                yield from own.pop(index)
                continue
            start = index * size
            for candidate, asset in zip(candidates[start : start + size], assets, strict=True):
                yield process_file(candidate, session, asset)  # checked here, as for the cache
        finished = True
    finally:
        for process in workers.values():
            if not finished:
                process.terminate()
            process.join()
        for reader in workers:
            reader.close()


class _Inbox:
    """What the workers sent, unpacked as it arrives (in each worker's order, as numbered
    kinds need)."""

    def __init__(
        self, workers: dict[Connection, Any], candidates: Sequence[Candidate], size: int
    ) -> None:
        self.workers = workers
        self.candidates = candidates
        self.size = size
        self.unpackers = {reader: AssetUnpacker() for reader in workers}
        #: The probe results of the chunks the workers sent, by chunk.
        self.probed: dict[int, list[Asset]] = {}

    def receive(self, block: bool) -> None:
        """Take what the workers sent; with ``block``, wait until one sends or ends (a worker
        that ends without saying it is done, killed or out of memory, is an error, not a
        hang)."""
        from multiprocessing.connection import Connection, wait

        workers = self.workers
        waiting = [reader for reader in workers if not reader.closed]
        if block and not waiting:  # cannot happen: a worker says it is done after its last
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
                        f"a worker process stopped before finishing its files (exit code "
                        f"{code}); run again, or with --jobs 1"
                    ) from None
                if isinstance(message, BaseException):
                    raise message
                if message == _DONE:
                    reader.close()
                else:
                    index, defined, flat = message
                    start = index * self.size
                    chunk = self.candidates[start : start + self.size]
                    self.probed[index] = self.unpackers[reader].unpack(defined, flat, chunk)


def _work(
    candidates: Sequence[Candidate],
    session: Session,
    size: int,
    counter: _Counter,
    writer: Connection,
) -> None:
    """A worker: take chunks until none is left, sending each chunk's probe results."""
    ignore_interrupt()
    packer = AssetPacker()
    try:
        while (taken := counter.take()) is not None:
            start = taken * size
            assets = [probe(c, session) for c in candidates[start : start + size]]
            writer.send((taken, *packer.pack(assets)))
        writer.send(_DONE)
    except BaseException as exc:  # noqa: BLE001 - the main process raises it
        try:
            writer.send(exc)
        except Exception:  # noqa: BLE001 - an exception that cannot travel
            writer.send(RuntimeError(f"{type(exc).__name__}: {exc}"))
    finally:
        writer.close()

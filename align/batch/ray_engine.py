"""The batch on Ray: encoder actors that each load the model once, and CPU tasks that do the rest.

Why tasks around shared encoder actors rather than a linear Ray Data
pipeline: aligning a pair encodes twice (its sentences, then the runs of
joined sentences its first pass was unsure of), so the stages would loop
back to the encoder. Here each pair is a task (read, segment, align, write)
that asks an encoder actor for vectors whenever it needs them; each actor
holds one model on the CPUs (or GPU) Ray gave it, and merges the requests
waiting for it into one batch, across documents. The driver streams the
pairs, keeping a bounded number in flight. Ray retries a task whose
worker died and restarts a dead actor, replaying its pending calls.

Imported only for ``--engine ray``: the local engine needs no Ray.
"""
from __future__ import annotations

import asyncio
import logging
import signal
import socket
from collections.abc import Iterator

import numpy as np
import ray

from align.batch.engines import Task
from align.batch.manifest import FAILED, PairRecord
from align.batch.work import BatchOptions, align_pair
from align.errors import AlignError

log = logging.getLogger(__name__)

# Retries of a pair whose worker process died, and restarts of a dead encoder actor.
RETRIES = 3
# Pairs in flight per encoder actor: enough to keep it busy while the others align or read.
IN_FLIGHT_PER_WORKER = 2
# Texts of one call above which a pair's encoding is spread over every worker (a long document).
SPREAD_OVER = 512


@ray.remote(max_restarts=RETRIES, max_task_retries=RETRIES)
class EncoderActor:
    """One loaded encoder on a worker's CPUs (or GPU), shared by the pair tasks sent to it.

    Async, so that calls arriving while it encodes queue up and are then
    encoded together: one batch across several documents.
    """

    def __init__(self, model: str, device: str, threads: int, use_cache: bool):
        from align.embed import load_encoder

        self.encoder = load_encoder(model, use_cache=use_cache, num_threads=threads, device=device)
        self.waiting: list[tuple[list[str], asyncio.Future]] = []

    def name(self) -> str:
        return self.encoder.name

    async def encode(self, texts: list[str]) -> np.ndarray:
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        self.waiting.append((texts, done))
        if len(self.waiting) == 1:
            loop.call_soon(self._encode_waiting)
        return await done

    def _encode_waiting(self) -> None:
        batch, self.waiting = self.waiting, []
        try:
            vectors = self.encoder.encode([text for texts, _ in batch for text in texts])
        except Exception as exc:  # every waiting caller learns why
            for _, done in batch:
                done.set_exception(exc)
            return
        start = 0
        for texts, done in batch:
            done.set_result(vectors[start:start + len(texts)])
            start += len(texts)


class ActorEncoder:
    """The ``Encoder`` interface over the encoder actors, for the code that aligns a pair.

    A pair's texts go to its own worker; a long list (a long document) is cut
    into chunks spread over every worker, starting with its own, so that one
    long pair is not encoded by one worker while the others idle. Each text's
    vector does not depend on the batch it is in, so the result is the same.
    """

    def __init__(self, actors: list, own: int, name: str):
        self.actors, self.own, self.name = actors, own, name

    def encode(self, texts) -> np.ndarray:
        texts = list(texts)
        if len(texts) <= SPREAD_OVER:
            return ray.get(self.actors[self.own].encode.remote(texts))
        chunk = -(-len(texts) // len(self.actors))
        calls = [self.actors[(self.own + k) % len(self.actors)].encode.remote(texts[start:start + chunk])
                 for k, start in enumerate(range(0, len(texts), chunk))]
        return np.concatenate(ray.get(calls))


@ray.remote(num_cpus=0, max_retries=RETRIES)
def align_pair_task(job, actors: list, own: int, name: str, options: BatchOptions, previous) -> PairRecord:
    """One pair on a Ray worker. No CPU is reserved: the pair spends its time waiting for the encoder actors,
    which hold the workers' CPUs."""
    return align_pair(job, ActorEncoder(actors, own, name), options, previous, f"worker {own + 1}")


class RayEngine:
    """Pairs on a Ray cluster: ``workers`` encoder actors of ``cpus`` CPUs each (and a GPU each on cuda).

    ``workers`` defaults to what the cluster holds: its CPUs divided by ``cpus``, or its GPUs.
    Without ``address`` a local Ray is started with just those CPUs and shut
    down at the end; with one, the run joins that cluster and leaves it up.
    """

    def __init__(self, model: str, workers: int | None = None, cpus: int = 1, device: str = "cpu",
                 address: str | None = None, use_cache: bool = True):
        self.model, self.workers, self.cpus, self.device = model, workers, cpus, device
        self.address, self.use_cache = address, use_cache
        self.actors: list = []

    def __enter__(self) -> RayEngine:
        self._handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._start()
        except BaseException:
            self.__exit__()  # whatever Ray started, and the signal handlers it set, go
            raise
        return self

    def _start(self) -> None:
        quiet = {"log_to_driver": False, "logging_level": logging.INFO if log.isEnabledFor(logging.INFO)
                 else logging.ERROR}  # Ray's start-up notices only at -v
        try:
            if self.address:
                _check_reachable(self.address)
                ray.init(address=self.address, **quiet)
            else:
                ray.init(num_cpus=self.workers * self.cpus if self.workers else None, include_dashboard=False,
                         **quiet)
        except (ConnectionError, RuntimeError, ValueError, OSError) as exc:
            raise AlignError(f"cannot start or join Ray{f' at {self.address}' if self.address else ''}: "
                             f"{str(exc).splitlines()[0]}") from None
        gpus = 1 if self.device == "cuda" else 0
        if not self.workers:
            held = ray.cluster_resources()
            self.workers = max(1, int(held.get("GPU", 0) if gpus else held.get("CPU", 1) // self.cpus))
        self.actors = [EncoderActor.options(num_cpus=self.cpus, num_gpus=gpus).remote(
            self.model, self.device, self.cpus, self.use_cache) for _ in range(self.workers)]
        try:
            self.name = ray.get(self.actors[0].name.remote())
        except ray.exceptions.RayActorError as exc:
            raise AlignError(f"the encoder could not be loaded on the Ray workers: {exc}") from None

    def __exit__(self, *exc) -> None:
        ray.shutdown()
        for sig, handler in self._handlers.items():  # Ray's own handlers go with it
            signal.signal(sig, handler)

    def run(self, tasks: Iterator[Task], options: BatchOptions) -> Iterator[PairRecord]:
        """Each pair goes to the worker with the least input in flight, so one long pair does not hold
        back the pairs queued behind it."""
        in_flight: dict = {}  # task -> (its pair, its worker, its input bytes)
        load = [0] * len(self.actors)  # input bytes in flight, per worker
        limit = IN_FLIGHT_PER_WORKER * len(self.actors)
        for job, previous in tasks:
            worker = min(range(len(load)), key=load.__getitem__)
            size = _input_bytes(job)
            load[worker] += size
            task = align_pair_task.remote(job, self.actors, worker, self.name, options, previous)
            in_flight[task] = (job, worker, size)
            if len(in_flight) >= limit:
                yield _next_record(in_flight, load)
        while in_flight:
            yield _next_record(in_flight, load)


def _input_bytes(job) -> int:
    """How much work a pair is, before reading it: the size of its two files (0 if unknown)."""
    try:
        return job.src.stat().st_size + job.tgt.stat().st_size
    except OSError:
        return 0


def _next_record(in_flight: dict, load: list[int]) -> PairRecord:
    """The record of the next task to finish; a task Ray gave up on (retries spent) is a failed pair."""
    (finished,), _ = ray.wait(list(in_flight), num_returns=1)
    job, worker, size = in_flight.pop(finished)
    load[worker] -= size
    try:
        return ray.get(finished)
    except ray.exceptions.RayError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        return PairRecord(job.output, str(job.src), str(job.tgt), FAILED, reason=f"Ray: {reason}")


def _check_reachable(address: str, timeout: float = 10.0) -> None:
    """Refuse a cluster address nothing answers at, in seconds: Ray itself keeps retrying for minutes."""
    host_port = address.removeprefix("ray://")
    if host_port == "auto" or ":" not in host_port:
        return
    host, _, port = host_port.rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=timeout).close()
    except ValueError:
        raise AlignError(f"--address {address!r}: expected HOST:PORT, ray://HOST:PORT or auto") from None
    except OSError as exc:
        raise AlignError(f"cannot reach a Ray cluster at {address}: {exc.strerror or exc}") from None

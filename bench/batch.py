"""Corpus scale: sentences per second of `align batch` on each engine, memory per worker, resume after a kill.

    python bench/batch.py                                   # the issue's corpus: 400 pairs + 20 pairs of 5,000
    python bench/batch.py --pairs 24 --long-pairs 1 --long-sentences 1000 --out bench/results/batch.json

The corpus is made from the development sets in ../shared/bench: every
document pair (ntrex en-ja, en-ru, ja-ru, zh-en and Text+Berg de-fr) is
written again with its gold beads in a shuffled order (a real parallel pair,
with sentences in a new order), until there are --pairs pairs; the long pairs
chain such shuffles to --long-sentences source sentences each.

Each configuration runs the `align batch` command (TSV outputs, one-segment-
per-line input) with a fresh embedding cache of its own, so that every run
encodes what it has to:
  local, 1 CPU      the local engine under `taskset -c 0` (the C encoder then uses one thread)
  ray, 1 worker     --engine ray --workers 1, Ray itself also kept to CPU 0
  ray, 2 workers    --engine ray --workers 2 (one CPU each)
  ray, 2 nodes      `ray start --head --num-cpus 1` plus a second `ray start --address ... --num-cpus 1`
                    on this machine, and --address pointing at the head
  resume            ray, 2 workers, killed (SIGKILL, whole process group) when half the pairs are in the
                    manifest, then run again with --resume: the seconds it takes and the pairs it redid
Peak memory is the largest resident size seen (sampled every 0.2 s) of one
encoder actor and of one pair-task process (Ray), or of the process (local).
Outputs of every configuration are compared byte for byte with the local engine's.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "bench"
SETS = ("ntrex_en-ja_dev", "ntrex_en-ru_dev", "ntrex_ja-ru_dev", "ntrex_zh-en_dev", "textberg_de-fr_dev")
BIN = Path(sys.executable).parent


def _documents() -> dict[str, list[tuple[list[str], list[str], list[tuple[list[int], list[int]]]]]]:
    """Every document pair of every set, by set: its source and target lines and its gold beads."""
    docs: dict[str, list] = {}
    for name in SETS:
        for gold in sorted((BENCH / name).glob("*.gold")):
            src = gold.with_suffix(".src").read_text(encoding="utf-8").splitlines()
            tgt = gold.with_suffix(".tgt").read_text(encoding="utf-8").splitlines()
            beads = [tuple(json.loads(side) for side in line.split(":")) for line in gold.read_text().splitlines()]
            docs.setdefault(name, []).append((src, tgt, beads))
    return docs


def _shuffled(doc, rng: random.Random) -> tuple[list[str], list[str]]:
    src, tgt, beads = doc
    order = beads[:]
    rng.shuffle(order)
    return [src[i] for s, _ in order for i in s], [tgt[j] for _, t in order for j in t]


def make_corpus(folder: Path, pairs: int, long_pairs: int, long_sentences: int, seed: int = 1) -> tuple[Path, int]:
    """The pair list and the number of sentences (both sides) in the corpus."""
    rng, by_set = random.Random(seed), _documents()
    docs = [doc for docs in by_set.values() for doc in docs]
    lines, sentences = [], 0

    def write(name: str, src: list[str], tgt: list[str]) -> None:
        nonlocal sentences
        (folder / f"{name}.src").write_text("\n".join(src) + "\n", encoding="utf-8")
        (folder / f"{name}.tgt").write_text("\n".join(tgt) + "\n", encoding="utf-8")
        lines.append(f"{name}.src\t{name}.tgt\t{name}")
        sentences += len(src) + len(tgt)

    folder.mkdir(parents=True)
    for k in range(pairs):
        write(f"p{k:05d}", *_shuffled(docs[k % len(docs)], rng))
    for k in range(long_pairs):
        src, tgt = [], []
        news = by_set[SETS[k % 4]]  # one language pair per long pair
        while len(src) < long_sentences:
            more = _shuffled(news[rng.randrange(len(news))], rng)
            src += more[0]
            tgt += more[1]
        write(f"long{k:03d}", src, tgt)
    (folder / "pairs.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "pairs.tsv", sentences


class PeakMemory:
    """Largest resident set (MiB) seen of Ray's encoder actors, its task workers, and the given process."""

    def __init__(self, pid: int):
        self.pid, self.peaks, self._stop = pid, {"actor": 0.0, "task": 0.0, "process": 0.0}, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    args = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    rss = int((entry / "statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
                except (OSError, ValueError, IndexError):
                    continue
                kind = ("actor" if "ray::EncoderActor" in args else "task" if "ray::align_pair" in args
                        else "process" if int(entry.name) == self.pid else None)
                if kind:
                    self.peaks[kind] = max(self.peaks[kind], rss)

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        return {k: round(v) for k, v in self.peaks.items()}


def run_batch(listing: Path, out: Path, cache: Path, extra: list[str], pin: bool = False,
              kill_at: int | None = None) -> dict:
    """One `align batch` run; with ``kill_at``, SIGKILL it once the manifest has that many lines."""
    command = [str(BIN / "align"), "batch", "--list", str(listing), "--out-dir", str(out), "--presplit", *extra]
    if pin:
        command = ["taskset", "-c", "0", *command]
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache), "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    memory = PeakMemory(child.pid)
    manifest = out / "align-batch.manifest.jsonl"
    while kill_at is not None and child.poll() is None:
        if manifest.is_file() and manifest.read_text().count("\n") >= kill_at:
            os.killpg(child.pid, signal.SIGKILL)
            break
        time.sleep(0.2)
    err = child.communicate()[1]
    if kill_at is not None:
        subprocess.run([str(BIN / "ray"), "stop", "--force"], capture_output=True)  # what the kill left behind
    seconds = time.perf_counter() - started
    report = out / "align-batch.report.json"
    data = json.loads(report.read_text()) if report.is_file() and kill_at is None else {}
    if kill_at is None and child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{err[-2000:]}")
    return {"seconds": round(seconds, 1), "report": data, "memory_mib": memory.stop()}


def same_outputs(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.glob("*.tsv"))
    return names == sorted(p.name for p in b.glob("*.tsv")) and all(
        (a / n).read_bytes() == (b / n).read_bytes() for n in names)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=400)
    parser.add_argument("--long-pairs", type=int, default=20)
    parser.add_argument("--long-sentences", type=int, default=5000)
    parser.add_argument("--skip", default="", help="comma-separated configurations to leave out, e.g. 'nodes'")
    parser.add_argument("--out", type=Path, help="also write the numbers as JSON here")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    work = Path(tempfile.mkdtemp(prefix="align-batch-bench-"))
    try:
        listing, sentences = make_corpus(work / "corpus", args.pairs, args.long_pairs, args.long_sentences)
        print(f"corpus: {args.pairs} pairs + {args.long_pairs} long pairs of {args.long_sentences} source sentences; "
              f"{sentences:,} sentences in all", flush=True)
        results: dict[str, dict] = {}
        configs = {
            "local": ([], True),
            "ray1": (["--engine", "ray", "--workers", "1"], True),
            "ray2": (["--engine", "ray", "--workers", "2"], False),
        }
        for name, (extra, pin) in configs.items():
            if name in skip:
                continue
            results[name] = run_batch(listing, work / name, work / f"cache-{name}", extra, pin)
            _show(name, results[name])
        if "nodes" not in skip:
            results["nodes"] = _two_nodes(listing, work)
            _show("nodes", results["nodes"])
        if "resume" not in skip:
            results["resume"] = _resume(listing, work, args.pairs + args.long_pairs)
            print(f"resume: killed at {results['resume']['killed_at']} pairs; --resume took "
                  f"{results['resume']['seconds']} s, aligned {results['resume']['aligned']} and skipped "
                  f"{results['resume']['skipped']}; redone: {results['resume']['redone']}", flush=True)
        for name in ("ray1", "ray2", "nodes"):
            if name in results and "local" in results:
                results[name]["same_as_local"] = same_outputs(work / "local", work / name)
        _summary(results)
        if args.out:
            args.out.write_text(json.dumps({"corpus_sentences": sentences, "pairs": args.pairs,
                                            "long_pairs": args.long_pairs, "long_sentences": args.long_sentences,
                                            "cpus": os.cpu_count(), "results": results}, indent=2) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _two_nodes(listing: Path, work: Path) -> dict:
    ray = str(BIN / "ray")
    port = "6391"
    # Ray 2.60 signs cluster traffic with a token (~/.ray/auth_token) once asked to: both nodes and the driver.
    env = {**os.environ, "ALIGN_CACHE_DIR": str(work / "cache-nodes"), "RAY_AUTH_MODE": "token"}
    os.environ["RAY_AUTH_MODE"] = "token"
    subprocess.run([ray, "start", "--head", "--num-cpus", "1", "--port", port, "--include-dashboard", "false"],
                   check=True, capture_output=True, env=env)
    try:
        subprocess.run([ray, "start", "--address", f"127.0.0.1:{port}", "--num-cpus", "1"], check=True,
                       capture_output=True, env=env)
        return run_batch(listing, work / "nodes", work / "cache-nodes",
                         ["--engine", "ray", "--address", f"127.0.0.1:{port}", "--workers", "2"])
    finally:
        subprocess.run([ray, "stop", "--force"], capture_output=True)


def _resume(listing: Path, work: Path, total: int) -> dict:
    out, cache, extra = work / "resume", work / "cache-resume", ["--engine", "ray", "--workers", "2"]
    run_batch(listing, out, cache, extra, kill_at=total // 2)
    done_before = {json.loads(line)["output"] for line in (out / "align-batch.manifest.jsonl").read_text().splitlines()
                   if line.strip().endswith("}")}
    mtimes = {name: (out / name).stat().st_mtime_ns for name in done_before}
    again = run_batch(listing, out, cache, [*extra, "--resume"])
    redone = sorted(n for n, m in mtimes.items() if (out / n).stat().st_mtime_ns != m)
    return {"killed_at": len(done_before), "seconds": again["seconds"], "aligned": again["report"]["aligned"],
            "skipped": again["report"]["skipped"], "redone": redone}


def _show(name: str, result: dict) -> None:
    report = result["report"]
    print(f"{name}: {report['sentences']:,} sentences in {result['seconds']} s (wall, with start-up) = "
          f"{report['sentences'] / result['seconds']:.1f} sentences/s; in the run {report['sentences_per_second']} "
          f"sentences/s; peak memory MiB {result['memory_mib']}", flush=True)


def _summary(results: dict) -> None:
    rate = {n: r["report"]["sentences"] / r["seconds"] for n, r in results.items() if "report" in r and r["report"]}
    if "ray1" in rate and "ray2" in rate:
        print(f"ray 2 workers / 1 worker: {rate['ray2'] / rate['ray1']:.2f}x (target >= 1.7x)")
    if "ray1" in rate and "nodes" in rate:
        print(f"ray 2 nodes / 1 worker: {rate['nodes'] / rate['ray1']:.2f}x")
    if "local" in rate and "ray1" in rate:
        print(f"ray engine overhead on one CPU: {(rate['local'] / rate['ray1'] - 1):+.1%} (target <= 10%)")
    for name in ("ray1", "ray2", "nodes"):
        if "same_as_local" in results.get(name, {}):
            print(f"{name} outputs identical to local: {results[name]['same_as_local']}")


if __name__ == "__main__":
    sys.exit(main())

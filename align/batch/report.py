"""A run summed up, as JSON for machines and as text for people."""
from __future__ import annotations

import json

from align.batch.engines import RunSummary
from align.pairing.probability import MEDIUM, kept_message


def report_data(summary: RunSummary) -> dict:
    return {
        "engine": summary.engine,
        "pairs": summary.pairs,
        "aligned": summary.aligned,
        "skipped": summary.skipped,
        "failed": summary.failed,
        "sentences": summary.sentences,
        "seconds": round(summary.seconds, 2),
        "sentences_per_second": round(summary.sentences_per_second, 1),
        "beads": summary.beads,
        "beads_left_out": summary.beads_left_out,
        "low_probability_share": round(summary.low_probability_beads / summary.beads, 4) if summary.beads else 0.0,
        "low_probability_below": MEDIUM,
        "workers": {name: {"pairs": int(pairs), "sentences": int(sentences), "busy_seconds": round(busy, 2)}
                    for name, (pairs, sentences, busy) in sorted(summary.workers.items())},
        "failures": [{"output": r.output, "src": r.src, "tgt": r.tgt, "reason": r.reason} for r in summary.failures],
        "passages": [{"output": r.output, "src": r.src, "tgt": r.tgt, "runs": list(r.passages)}
                     for r in summary.passages],
        "stopped": summary.stopped or None,
    }


def report_json(summary: RunSummary) -> str:
    return json.dumps(report_data(summary), ensure_ascii=False, indent=2) + "\n"


def report_text(summary: RunSummary, min_score: float | None = None, shown: int = 20) -> str:
    data = report_data(summary)
    lines = [
        f"engine: {data['engine']}",
        f"pairs: {data['pairs']:,} ({data['aligned']:,} aligned, {data['skipped']:,} already done, "
        f"{data['failed']:,} failed)",
        f"sentences aligned: {data['sentences']:,} in {data['seconds']:,.1f} s "
        f"({data['sentences_per_second']:,.1f} sentences/s)",
        f"beads: {data['beads']:,}, of which {data['low_probability_share']:.1%} below probability "
        f"{MEDIUM} (worth a look)",
    ]
    if min_score is not None:
        lines.append(kept_message(summary.beads, summary.beads + summary.beads_left_out, min_score))
    lines += [f"  {name}: {w['pairs']:,} pairs, {w['sentences']:,} sentences" for name, w in data["workers"].items()]
    if summary.passages:
        lines.append(f"pairs with 5 or more sentences in a row with no counterpart (a passage one file lacks, or files "
                     f"that are no pair): {len(summary.passages):,}")
        for record in summary.passages[:shown]:
            lines.append(f"  {record.src} + {record.tgt}: " + "; ".join(record.passages))
        if len(summary.passages) > shown:
            lines.append(f"  and {len(summary.passages) - shown:,} more, in the JSON report and the manifest")
    if summary.failures:
        lines.append("failed pairs:")
        lines += [f"  {f['src']} + {f['tgt']}: {f['reason']}" for f in data["failures"]]
    if summary.stopped:
        lines.append(summary.stopped)
    return "\n".join(lines) + "\n"

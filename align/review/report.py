"""What a review produces for people and pipelines: CSV, JSONL and a self-contained HTML report.

The report needs no network: inline CSS and charts drawn as inline SVG bars
(severities, flags, score histogram), then the worst units with their reasons.
Every text that came from the user goes through ``html.escape``; a unit's texts
show their runs of spaces and characters of no width (``visible_html``). The collector
keeps counts and a bounded heap of the worst units, so a report on a million
units costs the memory of its table, not of the memory.
"""
from __future__ import annotations

import csv
import heapq
import html
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import BinaryIO

from align.formats.tabular import sheet_safe
from align.pairing.passages import MIN_SENTENCES, as_sentence
from align.review.model import RANK, SEVERITIES, BeadReview
from align.text.visible import visible_html

CSV_COLUMNS = ("index", "severity", "score", "flags", "reasons", "src_lang", "tgt_lang", "src", "tgt")
DECISION_COLUMNS = ("status", "note")  # where the input holds a reviewer's decisions (a project, its export)
SEVERITY_COLOURS = {"ok": "#4caf50", "minor": "#c0a000", "major": "#e07000", "critical": "#c62828"}


def review_record(review: BeadReview, src: str, tgt: str, src_lang: str, tgt_lang: str) -> dict:
    """One unit as a flat record: the CSV columns (``flags`` joined by ';', ``reasons`` by ' | ')."""
    return {"index": review.index, "severity": review.severity, "score": f"{review.score:.4f}",
            "flags": review.flag_names, "reasons": " | ".join(f.reason for f in review.flags),
            "src_lang": src_lang, "tgt_lang": tgt_lang, "src": src, "tgt": tgt}


class RowWriter:
    """CSV (RFC 4180, header first) or JSONL rows on a binary stream, one unit at a time.

    In CSV every text cell is quoted and the texts made safe for spreadsheets, as
    ``formats.tabular`` writes them (a unit reading ``=HYPERLINK(...)`` is no formula).
    """

    def __init__(self, stream: BinaryIO, fmt: str, decisions: bool = False):
        self.fmt = fmt
        self.out = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        if fmt == "csv":
            self.csv = csv.DictWriter(self.out, fieldnames=CSV_COLUMNS + (DECISION_COLUMNS if decisions else ()),
                                      lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
            self.csv.writeheader()

    def write(self, review: BeadReview, src: str, tgt: str, src_lang: str, tgt_lang: str,
              decision: tuple[str | None, str] | None = None) -> None:
        """``decision``: the unit's reviewer status and note, where the writer was made with ``decisions``."""
        kept = dict(zip(DECISION_COLUMNS, (decision[0] or "automatic", decision[1]))) if decision else {}
        if self.fmt == "csv":
            self.csv.writerow(review_record(review, sheet_safe(src), sheet_safe(tgt), src_lang, tgt_lang)
                              | {k: sheet_safe(v) for k, v in kept.items()})
            return
        record = review_record(review, src, tgt, src_lang, tgt_lang) | kept
        record.update(score=review.score, flags=[f.name for f in review.flags],
                      reasons=[f.reason for f in review.flags],
                      severities=[f.severity for f in review.flags], signals=review.signals)
        self.out.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.out.flush()
        self.out.detach()


@dataclass
class ReportCollector:
    """Counts, a score histogram and the ``top`` worst units, gathered one unit at a time."""

    top: int = 50
    paired: bool = True  # see ``Source.paired``: only pairs have runs of one-sided units to report
    units: int = 0
    severities: Counter = field(default_factory=Counter)
    flags: Counter = field(default_factory=Counter)
    histogram: list[int] = field(default_factory=lambda: [0] * 10)
    _worst: list = field(default_factory=list)
    # Runs of consecutive one-sided units, [first index, last index, units with source only, with target only]:
    # a passage one side lacks is one finding, not a hundred omissions read one by one.
    _runs: list = field(default_factory=list)
    _run: list | None = None

    def add(self, review: BeadReview, src: str, tgt: str) -> None:
        self.units += 1
        if self.paired:
            self._follow_run(review.index, bool(src.strip()), bool(tgt.strip()))
        self.severities[review.severity] += 1
        self.flags.update({f.name for f in review.flags})
        self.histogram[min(int(review.score * 10), 9)] += 1
        if review.severity == "ok":
            return
        key = (RANK[review.severity], -review.score, -review.index)
        item = (key, review.index, review, src[:400], tgt[:400])
        if len(self._worst) < self.top:
            heapq.heappush(self._worst, item)
        elif key > self._worst[0][0]:
            heapq.heapreplace(self._worst, item)

    def _follow_run(self, index: int, has_src: bool, has_tgt: bool) -> None:
        if has_src != has_tgt:
            self._run = self._run or [index, index, 0, 0]
            self._run[1] = index
            self._run[2 if has_src else 3] += 1
            return
        if self._run and self._run[2] + self._run[3] >= MIN_SENTENCES:
            self._runs.append(tuple(self._run))
        self._run = None

    def lone_runs(self) -> list[str]:
        """One line per run of ``MIN_SENTENCES`` or more consecutive units with one side empty."""
        runs = self._runs + ([tuple(self._run)] if self._run and self._run[2] + self._run[3] >= MIN_SENTENCES
                             else [])
        lines = []
        for first, last, src_only, tgt_only in runs:
            if src_only and tgt_only:
                what = (f"have one side empty, {src_only} the target and {tgt_only} the source: text that only one "
                        "side has, on each side")
            else:
                lacking = "target" if src_only else "source"
                what = f"have no {lacking}: a passage the {lacking} lacks?"
            lines.append(f"units {first}-{last} ({last - first + 1} in a row) {what}")
        return lines

    @property
    def worst_severity(self) -> str:
        return max(self.severities, key=RANK.__getitem__, default="ok")

    def worst(self) -> list[tuple[BeadReview, str, str]]:
        return [(r, s, t) for _, _, r, s, t in sorted(self._worst, reverse=True)]

    def html(self, title: str, details: str = "") -> str:
        """The whole report as one HTML page."""
        e = html.escape
        sev = [(name, self.severities.get(name, 0), SEVERITY_COLOURS[name]) for name in SEVERITIES]
        flags = [(name, n, "#5c6bc0") for name, n in self.flags.most_common()]
        hist = [(f"{i / 10:.1f}–{(i + 1) / 10:.1f}", n, "#26a69a") for i, n in enumerate(self.histogram)]
        rows = []
        for review, src, tgt in self.worst():
            reasons = "".join(f"<li><b>{e(f.name)}</b> ({e(f.severity)}): {e(f.reason)}</li>" for f in review.flags)
            rows.append(f'<tr><td>{review.index}</td><td class="{e(review.severity)}">{e(review.severity)}</td>'
                        f"<td>{review.score:.2f}</td><td dir='auto'>{visible_html(src)}</td>"
                        f"<td dir='auto'>{visible_html(tgt)}</td>"
                        f"<td><ul>{reasons}</ul></td></tr>")
        table = ("<table><tr><th>index</th><th>severity</th><th>score</th><th>source</th><th>target</th>"
                 f"<th>why</th></tr>{''.join(rows)}</table>" if rows else "<p>Nothing flagged.</p>")
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>{_CSS}</style></head><body>
<h1>{e(title)}</h1>
<p>{self.units:,} units reviewed. {e(details)}</p>
{''.join(f"<p class='major'>{e(as_sentence(line))}</p>" for line in self.lone_runs())}
<div class="charts">
<figure>{bar_chart(sev)}<figcaption>units per severity</figcaption></figure>
<figure>{bar_chart(flags)}<figcaption>units per flag</figcaption></figure>
<figure>{bar_chart(hist)}<figcaption>score (quality, higher is better)</figcaption></figure>
</div>
<h2>The {len(rows)} worst units</h2>
{table}
</body></html>
"""


_CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#222}
.charts{display:flex;flex-wrap:wrap;gap:2em}figure{margin:0}figcaption{font-size:.9em;color:#555}
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #ccc;padding:4px;vertical-align:top}
td ul{margin:0;padding-left:1.2em}.unseen{font-size:.75em;font-family:monospace;color:#b35c00;background:#fdebd0;
border-radius:.2em;padding:0 .15em}.critical{color:#c62828;font-weight:bold}.major{color:#e07000}.minor{color:#a08000}"""


def bar_chart(bars: list[tuple[str, int, str]], width: int = 360, row: int = 20) -> str:
    """Horizontal bars (label, value, colour) as an inline SVG element."""
    e = html.escape
    if not bars:
        return '<svg width="10" height="10" role="img" aria-label="no data"></svg>'
    label_w, top = 130, max(n for _, n, _ in bars) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{row * len(bars) + 4}" '
             f'role="img" font-size="12" font-family="sans-serif">']
    for i, (label, n, colour) in enumerate(bars):
        y, w = i * row + 2, int((width - label_w - 50) * n / top)
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{e(label)}</text>'
                     f'<rect x="{label_w}" y="{y + 2}" width="{w}" height="{row - 6}" fill="{e(colour)}"/>'
                     f'<text x="{label_w + w + 4}" y="{y + 14}">{n:,}</text>')
    parts.append("</svg>")
    return "".join(parts)

"""The mining report as a person reads it (terminal) and as a program reads it (JSON)."""
from __future__ import annotations

from align.lang import lang_name
from align.mining.mine import MiningReport, Passage, SentencePair


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def format_report(report: MiningReport) -> str:
    """A terminal summary of what was found, in reading order."""
    doc, out = report.document, []
    out.append(f"{doc.name}: {len(doc.segments)} sentences")
    out.append(f"  {'language':<14}{'sentences':>10}{'characters':>12}")
    for lang, entry in sorted(report.inventory.items(), key=lambda kv: -kv[1]["characters"]):
        out.append(f"  {lang_name(lang) + ' (' + lang + ')':<14}{entry['sentences']:>10}"
                   f"{entry['characters']:>12}")
    if report.message:
        out.append(report.message)
    if report.parallels:
        out.append(f"parallel passages: {len(report.parallels)}")
        for p in report.parallels:
            out.append(f"  lines {p.a.lines} ({p.a.lang}) <-> lines {p.b.lines} ({p.b.lang})  "
                       f"confidence {p.score:.2f}, {len(p.pairs)} sentence pairs")
            for pair in p.pairs:  # in full: a pair is judged on its whole text
                out.append(f"    {pair.score:.2f}  {pair.line_a:>4} {' '.join(pair.text_a.split())}")
                out.append(f"          {pair.line_b:>4} {' '.join(pair.text_b.split())}")
    if report.duplicates:
        out.append("repeated paragraphs (first kept): " + "; ".join(
            ", ".join(map(str, group)) for group in report.duplicates))
    main = doc.lang
    foreign = [p for p in report.unmatched if p.lang != main]
    if foreign:
        out.append("foreign passages without a counterpart:")
        out += [f"  lines {p.lines} ({p.lang}) {_short(doc.segments[p.segments[0]].text)}" for p in foreign]
    if report.boilerplate:
        lines = doc.text.split("\n")
        out.append("boilerplate (not mined):")
        out += [f"  {n:>4} {_short(lines[n - 1])}" for n in report.boilerplate]
    return "\n".join(out)


def _passage_json(p: Passage) -> dict:
    return {"lang": p.lang, "first_line": p.first_line, "last_line": p.last_line, "segments": list(p.segments)}


def report_to_json(report: MiningReport) -> dict:
    """Plain data for ``--format json``."""
    pair_json = lambda pair: {k: getattr(pair, k) for k in SentencePair.__dataclass_fields__}  # noqa: E731
    return {
        "document": report.document.name,
        "monolingual": report.monolingual,
        "message": report.message,
        "inventory": report.inventory,
        "parallels": [{"a": _passage_json(p.a), "b": _passage_json(p.b), "score": p.score,
                       "beads": [{"a": list(b.src), "b": list(b.tgt), "score": round(b.score, 4)}
                                 for b in (p.alignment.beads if p.alignment else [])],
                       "pairs": [pair_json(x) for x in p.pairs]} for p in report.parallels],
        "pairs": [pair_json(x) for x in report.pairs],
        "duplicates": report.duplicates,
        "unmatched": [_passage_json(p) for p in report.unmatched],
        "boilerplate": report.boilerplate,
    }

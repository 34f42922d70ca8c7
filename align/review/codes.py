"""Placeholders and inline tags: what software strings and formatted text must carry over unchanged.

A translation that loses ``{0}``, ``%s`` or a bold tag breaks the program or the page that uses
it, however good its words are, so a TM manager's QA checks them before anything else (Xbench's
"tag mismatch", Okapi CheckMate's "code differences"). Two kinds are compared:

- placeholders written in the text: ``{0}``, ``{name}``, ``{{name}}``, ``${name}``, printf's
  ``%s``, ``%1$d``, ``%.2f``, ``%@``, Python's ``%(name)s``, and markup such as ``<b>``, ``</b>``,
  ``<br/>``; a percent sign before a space or a word (``50% of``, ``5 %``) is no placeholder;
- a TMX variant's inline codes (``bpt``, ``ept``, ``ph``, ``it``, ``ut``), counted by kind, since
  the native code inside may fairly differ between languages (an RTF font number).

Order is free (a translation may move a placeholder); the count of each is not.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from align.review.model import Flag

_PLACEHOLDER = re.compile(
    r"\{\{\s*[\w.\-]*\s*\}\}"                                  # {{name}}
    r"|\$?\{[\w.\-:]*\}"                                        # {0} {name} ${name} {}
    r"|%\(\w+\)[sdifr]"                                         # %(name)s
    r"|%(?:\d+\$)?[-+#0]?\d*(?:\.\d+)?(?:l{0,2}|h)[sdifuxXeEgGc@](?![A-Za-z])"  # %s %1$d %.2f %ld
    r"|</?[A-Za-z][\w:-]*(?:\s+[\w:-]+(?:=(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s<>]+))?)*\s*/?>"  # <b> </b> <br/> <a href>
)


def placeholders(text: str) -> Counter[str]:
    """The placeholders and markup tags written in ``text``, with their counts; inner spaces of
    ``{{ name }}`` and a tag's attributes do not count (``<a href="x">`` is ``<a>``)."""
    found: Counter[str] = Counter()
    for match in _PLACEHOLDER.finditer(text):
        token = match.group()
        if token.startswith("<"):
            token = re.sub(r"\s.*?(/?>)$", r"\1", token, flags=re.DOTALL)
        found[re.sub(r"\s+", "", token)] += 1
    return found


def _difference(src: Counter[str], tgt: Counter[str]) -> tuple[list[str], list[str]]:
    return sorted((src - tgt).elements()), sorted((tgt - src).elements())


def tag_flags(src: str, tgt: str, src_codes: Sequence[str] = (), tgt_codes: Sequence[str] = ()) -> list[Flag]:
    """``tag_mismatch`` (major) when a placeholder or an inline code of one side is missing from the
    other or written there more often; ``*_codes``: a TMX variant's inline code kinds."""
    reasons = []
    missing, extra = _difference(placeholders(src), placeholders(tgt))
    if missing:
        reasons.append(f"placeholder {', '.join(missing)} of the source is missing from the target")
    if extra:
        reasons.append(f"the target has placeholder {', '.join(extra)} that the source has not (or not as often)")
    if Counter(src_codes) != Counter(tgt_codes):
        reasons.append(f"inline codes differ: the source holds {_codes(src_codes)}, the target {_codes(tgt_codes)}")
    return [Flag("tag_mismatch", "major", "; ".join(reasons))] if reasons else []


def _codes(codes: Sequence[str]) -> str:
    return ", ".join(f"{n} <{kind}>" for kind, n in sorted(Counter(codes).items())) or "none"

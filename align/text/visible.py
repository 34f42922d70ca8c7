"""Text as HTML with what a reader cannot see drawn: the workbench's view and the review report show it alike.

A translation memory keeps characters a page does not show: characters of
no width and runs of spaces. A reviewer must see them, as CAT tools show
them; a right-to-left override is drawn, never obeyed, so that it cannot
turn the rest of a page around.
"""
from __future__ import annotations

import html
import re
import unicodedata

# What a reader cannot see in a sentence but a translation memory keeps: characters of no width (format
# characters: zero-width spaces and joiners, direction marks, a soft hyphen, a stray BOM) and runs of spaces or
# tabs. A reviewer checking a TM must see them, as CAT tools show them, so they are drawn as marks.
_UNSEEN = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[ \t]{2,}|\t")
_SHORT_NAMES = {"\u00ad": "SHY", "\u200b": "ZWSP", "\u200c": "ZWNJ", "\u200d": "ZWJ", "\u200e": "LRM",
                "\u200f": "RLM", "\u2060": "WJ", "\ufeff": "BOM"}


def visible_html(text: str) -> str:
    """A text escaped for HTML, its invisible characters and runs of spaces drawn as marks (see ``_UNSEEN``) in
    ``<span class="unseen">``, their names in the title; the page's stylesheet says how the marks look."""
    out, at = [], 0
    for found in _UNSEEN.finditer(text):
        out.append(html.escape(text[at:found.start()]))
        run = found.group()
        if run[0] in " \t":
            title = f"{len(run)} spaces" if set(run) == {" "} else "tab" if run == "\t" else "spaces and tabs"
            out.append(f'<span class="unseen" title="{title}">{run.replace(" ", "·").replace(chr(9), "→")}</span>')
        else:
            code = f"U+{ord(run):04X}"
            title = html.escape(f"{code} {unicodedata.name(run, 'format character')}")
            out.append(f'<span class="unseen" title="{title}">{_SHORT_NAMES.get(run, code)}</span>')
        at = found.end()
    return "".join(out) + html.escape(text[at:])

"""Subtitles (SubRip .srt, WebVTT .vtt, SubStation .ass/.ssa) read as their spoken text.

A subtitle file is mostly cue numbers, timings and styling: aligned as
text, each timing line is a sentence and every sentence breaks at a cue.
pysubs2 reads the cues; their text, tags taken off, is one line a cue in
time order, and a cue that stops mid-sentence (on a letter, a digit or a
comma) goes on in the next cue's line, so a sentence spoken over two cues
is one sentence again and the aligner pairs sentences, not screenfuls.
Comment events are left out.
"""
from __future__ import annotations

import re

from align.errors import InputError

EXTENSIONS = (".srt", ".vtt", ".ass", ".ssa")
# Without a telling extension (stdin, a pasted text): WebVTT's header, or SubRip's first cue.
_LOOKS_LIKE = re.compile(r"\A\s*(?:WEBVTT\b|\d+[ \t]*\r?\n[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->)")
# A cue ending so goes on in the next: a word, a number, a comma or a dash cut mid-sentence.
_GOES_ON = re.compile(r"[\w,、，;:\-–—]$")
# WebVTT blocks that are no cue (a note, a style sheet, a region), which pysubs2 would read into the cue before.
_VTT_NOT_CUES = re.compile(r"(?m)^(?:NOTE|STYLE|REGION)\b.*(?:\n.+)*\n?")


def is_subtitles(text: str, name: str) -> bool:
    """Whether a text is subtitles: by its file's extension, else by how it starts."""
    return name.lower().endswith(EXTENSIONS) or bool(_LOOKS_LIKE.match(text[:200]))


def spoken_text(text: str, name: str) -> str:
    """The cues' text, one line a cue (a cue's own line breaks become spaces); ``InputError`` if none."""
    import pysubs2

    if text.lstrip().startswith("WEBVTT"):
        text = _VTT_NOT_CUES.sub("", text)
    try:
        cues = pysubs2.SSAFile.from_string(text)
    except Exception as exc:  # pysubs2: format not recognised, or a malformed cue
        raise InputError(f"{name}: not subtitles that can be read ({exc})") from None
    lines = [" ".join(cue.plaintext.split()) for cue in sorted(cues, key=lambda c: c.start) if not cue.is_comment]
    lines = [line for line in lines if line]
    if not lines:
        raise InputError(f"{name}: subtitles with no text")
    out = [lines[0]]
    for line in lines[1:]:
        out.append((" " if _GOES_ON.search(out[-1]) else "\n") + line)
    return "".join(out) + "\n"

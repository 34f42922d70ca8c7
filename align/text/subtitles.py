"""Subtitles (SubRip .srt, WebVTT .vtt, SubStation .ass/.ssa) read as their spoken text.

A subtitle file is mostly cue numbers, timings and styling: aligned as
text, each timing line is a sentence and every sentence breaks at a cue.
pysubs2 reads the cues; their text, tags taken off, is one line a cue in
time order, and a cue that stops mid-sentence (on a lower-case letter, a
comma or a dash) goes on in the next cue's line, so a sentence spoken over two cues
is one sentence again and the aligner pairs sentences, not screenfuls.
Comment events are left out.
"""
from __future__ import annotations

import re

from align.errors import InputError

EXTENSIONS = (".srt", ".vtt", ".ass", ".ssa")
# Without a telling extension (stdin, a pasted text): WebVTT's header, or SubRip's first cue.
_LOOKS_LIKE = re.compile(r"\A\s*(?:WEBVTT\b|\d+[ \t]*\r?\n[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->)")
# A cue ending in a comma, a colon or a dash goes on in the next, as one ending in a lower-case letter does (see
# ``_goes_on``); one ending in a digit or a capital is a caption (CARDIFF BAY, 1999), and Japanese and Chinese
# cues, which seldom end in punctuation, are each a line.
_CONTINUING_MARKS = frozenset(",、，;:-–—")
# A WebVTT cue's identifier: the line just above its timing line.
_VTT_CUE_NAME = re.compile(r"(?m)^(?![^\n]*-->)[^\n]+\n(?=[^\n]*-->)")
# A cue whose timing line is broken (``7\n00:00:19,000 -->``, ``xx:yy --> zz``): its number and that line.
_BROKEN_TIMING = re.compile(r"(?m)^(?:\d+[ \t]*\n)?[^\n]*-->[^\n]*$")
# WebVTT blocks that are no cue (a note, a style sheet, a region), which pysubs2 would read into the cue before.
_VTT_NOT_CUES = re.compile(r"(?m)^(?:NOTE|STYLE|REGION)\b.*(?:\n.+)*\n?")


def is_subtitles(text: str, name: str) -> bool:
    """Whether a text is subtitles: by its file's extension, else by how it starts."""
    return name.lower().endswith(EXTENSIONS) or bool(_LOOKS_LIKE.match(text[:200]))


def spoken_text(text: str, name: str) -> str:
    """The cues' text, one line a cue (a cue's own line breaks become spaces); ``InputError`` if none."""
    import pysubs2

    if text.lstrip().startswith("WEBVTT"):
        text = _VTT_CUE_NAME.sub("", _VTT_NOT_CUES.sub("", text))
    try:
        cues = pysubs2.SSAFile.from_string(text)
    except Exception as exc:  # pysubs2: format not recognised, or a malformed cue
        raise InputError(f"{name}: not subtitles that can be read ({exc})") from None
    lines = [" ".join(part.split()) for cue in sorted(cues, key=lambda c: c.start) if not cue.is_comment
             for part in _spoken(cue.plaintext)]
    lines = [line for line in lines if line]
    if not lines:
        raise InputError(f"{name}: subtitles with no text")
    out = [lines[0]]
    for line in lines[1:]:
        out.append((" " if _goes_on(out[-1]) else "\n") + line)
    return "".join(out) + "\n"


def _spoken(cue: str) -> list[str]:
    """A cue's text, in the cues it holds: pysubs2 leaves a cue whose timing line is broken, number and timing
    line included, in the cue before it."""
    return _BROKEN_TIMING.split(cue)


def _goes_on(cue: str) -> bool:
    """Whether a cue stops mid-sentence (see ``_CONTINUING_MARKS``)."""
    return cue[-1] in _CONTINUING_MARKS or cue[-1].islower()

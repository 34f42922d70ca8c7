"""Lines of a web page that are not prose worth aligning.

Credits, bylines, share buttons, dates and links recur on every page a
scraper brings in; they are reported to the user but never mined.
"""
from __future__ import annotations

import re

from align.types import normalize_for_scoring

_UI_STRINGS = re.compile(
    r"^(コメント(を残す|を書く)?|comments?|leave a (comment|reply)|related( articles| posts)?|"
    r"back to top( button)?|share( this)?|tweet|シェア(する)?|ツイート|スポンサーリンク|sponsored|"
    r"advertisement|広告|プレスリリース|press release|telegram widget|関連記事|"
    r"タイトルとurlをコピーしました|(続きを読む|さらに読む|read more|もっと見る).*|"
    r"この写真をギャラリーで開きます.*|.*メールアドレスが公開されることはありません.*|"
    r"はてなブックマーク|(facebook|line|x|twitter)で(シェア|送る|ポスト)|поделиться|читайте также)$",
    re.IGNORECASE,
)
_CREDIT = re.compile(r"^@\s|^(文|写真|撮影|photo|text|by)\s*[:：]|^by\s+\S+(\s+\S+)?$", re.IGNORECASE)
# A credit's marks make a line a credit only where the line is about as short as a credit: a paragraph of three
# sentences that ends "(写真© タス通信)" had been thrown away whole, and its translation left without a partner.
_CREDIT_MARK = re.compile(r"©|\(写真[:：]")
CREDIT_MAX_CHARS = 60
_URL = re.compile(r"^(https?://\S+|(www\.)?[\w-]+(\.[\w-]+)*\.(com|org|net|jp|ru|io|info|co\.uk)(/\S*)?)$",
                  re.IGNORECASE)
_DATE = re.compile(r"^(公開日|更新日|published|updated)?\s*[:：]?\s*(\d{4}([年/.-]\d{1,2}){2}日?|"
                   r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4})"
                   r"(\s+\d{1,2}:\d{2})?\s*$", re.IGNORECASE)
# A site's menu: three or more short items set apart by bars ("Home | News | World | Politics").
_MENU = re.compile(r"^[^|]{1,20}(\|[^|]{1,20}){2,}$")
_NAME = re.compile(r"^[A-Z][a-z]+(\s+[A-Z][a-z]+){0,2}$")


def is_boilerplate(line: str, repeats: int = 1) -> bool:
    """Bylines, credits, links, dates and short UI strings: not prose to mine."""
    text = normalize_for_scoring(line).strip(" .:・|-–—")
    if not text:
        return False
    return bool(_UI_STRINGS.match(text) or _CREDIT.search(text) or _URL.match(text) or _DATE.match(text)
                or (_CREDIT_MARK.search(text) and len(text) <= CREDIT_MAX_CHARS) or _MENU.match(text)
                or (_NAME.match(text) and len(text) <= 30)
                or (repeats > 1 and len(text) <= 12))


def duplicate_key(line: str) -> str:
    return re.sub(r"[\W_]+", "", normalize_for_scoring(line).casefold())


def is_prose(text: str) -> bool:
    """Sentences worth embedding: a URL or a model number is not.

    A source credit often ends a sentence ("weather.com."), so the URL test
    ignores closing punctuation.
    """
    if _URL.match(text.strip().rstrip(".,;:!?)」』")):
        return False
    letters = sum(ch.isalpha() for ch in text)
    cjk = sum(ord(ch) >= 0x3040 for ch in text)
    words = len(re.findall(r"[^\W\d_]{2,}", text))
    return letters >= 0.5 * len(text.replace(" ", "")) and (cjk >= 4 or words >= 2)

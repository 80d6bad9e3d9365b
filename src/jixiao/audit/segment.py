"""Segment stage, text side: lines broken inside a sentence (a PDF's wrapped lines copied as
text, a page break in the middle of a paragraph) are joined again before paragraphs are cut.

A line is taken to be wrapped when it is about as wide as the text's wrap width and does not
end a sentence; the next line then continues it, unless it opens a heading. A running page
number ("7", "- 7 -", "第7页") between the two halves is dropped. Texts laid out one paragraph
per line (web pages) have no wrap width: nothing is joined there. Pure; no I/O.
"""

from __future__ import annotations

import re

_ENDS = ("。", "！", "？", "!", "?", "|", "｜")
_PAGE_NO = re.compile(
    r"^\s*([-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3}|\d{1,3})\s*$"
)
_HEADING = re.compile(
    r"^\s*([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.、．](?!\d)|第[一二三四五六七八九十\d]+[章节部分条])"
)
#: wrap widths above this are paragraphs on one line, not a page's wrapped lines
_MAX_WRAP = 100


def width(s: str) -> int:
    """Display width: a CJK character counts 2, anything else 1."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)


def wrap_width(lines: list[str]) -> int:
    """The width most prose lines are wrapped at (90th percentile of lines of some length);
    0 when the text is not wrapped."""
    ws = sorted(width(ln.strip()) for ln in lines if width(ln.strip()) >= 20 and "\t" not in ln)
    if len(ws) < 4:
        return 0
    w = ws[int(len(ws) * 0.95) - 1] if len(ws) >= 20 else ws[-2]
    near = sum(1 for x in ws if 0.85 * w <= x <= 1.05 * w)
    over = sum(1 for x in ws if x > 1.2 * w)
    # wrapped text: many lines end at about the same width (table cells and short lines may be
    # many too), few run past it
    if w > _MAX_WRAP or near < max(4, 0.1 * len(ws)) or over > 0.05 * len(ws):
        return 0
    return w


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NO.match(line))


def join_wrapped(lines: list[str]) -> list[str]:
    """``lines`` with wrapped lines joined to the line that continues them."""
    w = wrap_width(lines)
    if not w:
        return lines
    out: list[str] = []
    i = 0
    n = len(lines)
    while i < n:
        cur = lines[i].rstrip()
        while _wrapped(cur, w):
            j = i + 1
            while j < n and (not lines[j].strip() or is_page_number(lines[j])):
                j += 1
            if j >= n or "\t" in lines[j] or _HEADING.match(lines[j]) or j - i > 4:
                break
            cur = cur + lines[j].strip()
            i = j
        out.append(cur)
        i += 1
    return out


def _wrapped(line: str, w: int) -> bool:
    s = line.strip()
    return bool(s) and "\t" not in line and "http" not in s and not s.endswith(_ENDS) and width(s) >= 0.75 * w

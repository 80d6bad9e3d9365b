"""An extracted document: paragraphs and tables in document order, text normalised.

Every reader (.docx, .pdf, .txt) produces a :class:`Document`; every extractor works on it.
Paragraphs and tables are numbered separately from 0 in document order (DESIGN §12).
Text is normalised once here: traditional characters read as simplified, full-width digits
and signs as ASCII — character for character, so positions in the text stay meaningful.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class Paragraph:
    index: int
    text: str
    page: int | None = None  # 1-based page the paragraph starts on, where the reader knows it


@dataclass(frozen=True)
class Table:
    index: int
    rows: tuple[tuple[str, ...], ...]  # logical cells: a merged cell is one cell, repeated across its span
    page: int | None = None  # 1-based page the table starts on, where the reader knows it
    unit: str | None = None  # the table's unit banner (单位：元 / 万元 / 千元), where one was found

    def cell(self, r: int, c: int) -> str:
        row = self.rows[r]
        return row[c] if c < len(row) else ""


@dataclass
class Document:
    """Blocks (Paragraph | Table) in document order."""

    blocks: list = field(default_factory=list)
    name: str = ""

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


class DocumentBuilder:
    """Collects blocks in order and numbers them; normalises every text."""

    def __init__(self, name: str = ""):
        self.doc = Document(name=name)
        self._np = 0
        self._nt = 0

    def paragraph(self, text: str, page: int | None = None) -> None:
        t = normalize_text(text).strip()
        if not t:
            return
        self.doc.blocks.append(Paragraph(self._np, t, page))
        self._np += 1

    def table(self, rows: list[list[str]], page: int | None = None, unit: str | None = None) -> None:
        clean = [tuple(normalize_text(c).strip() for c in row) for row in rows]
        clean = [r for r in clean if any(r)]
        if not clean:
            return
        width = max(len(r) for r in clean)
        clean = [r + ("",) * (width - len(r)) for r in clean]
        self.doc.blocks.append(Table(self._nt, tuple(clean), page, unit))
        self._nt += 1


# --- normalisation -------------------------------------------------------------------------

_FULLWIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update(
    {
        ord("．"): ord("."),
        ord("％"): ord("%"),
        ord("＋"): ord("+"),
        ord("＝"): ord("="),
        ord("\u2212"): ord("-"),
        ord("\u00a0"): ord(" "),
        ord("\u3000"): ord(" "),
        ord("\u2002"): ord(" "),
        ord("\u2003"): ord(" "),
        ord("\u2009"): ord(" "),
        ord("\ufeff"): None,
        ord("\u200b"): None,
        ord("\r"): None,
    }
)
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
#: pinyin a copy site inserted after a character: 预(yù)算, 經(jīng)費(fèi) — read as 预算, 经费
_PINYIN = re.compile(
    r"(?<=[\u3400-\u9fff])[(（](?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}[)）]"
)


@lru_cache(maxsize=1)
def _char_map() -> dict:
    """Single-character traditional → simplified map from zhconv (fast ``str.translate``)."""
    table = dict(_FULLWIDTH)
    for k, v in _zh2hans().items():
        if len(k) == 1 and len(v) == 1 and k not in "「」『』":
            table[ord(k)] = v
    return table


def _zh2hans() -> dict:
    """zhconv's traditional → simplified (mainland) table, read from its JSON file directly
    (importing zhconv pulls in pkg_resources, a third of a second at every start)."""
    import importlib.util
    import json
    import os

    try:
        spec = importlib.util.find_spec("zhconv")
        path = os.path.join(os.path.dirname(spec.origin), "zhcdict.json")
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        out = dict(d["zh2Hans"])
        out.update(d["zh2CN"])
        return out
    except (OSError, KeyError, ValueError, AttributeError, TypeError):
        try:
            from zhconv import zhconv as z

            return z.getdict("zh-cn")
        except Exception:  # noqa: BLE001 - without zhconv, digits are still normalised
            return {}


def normalize_text(text: str) -> str:
    """Traditional → simplified, full-width digits/%/+/= → ASCII, odd spaces → ' ', inserted
    pinyin dropped (預(yù)算 → 预算).

    The full-width comma and the full-width minus (－) are kept: in Chinese prose they are a
    clause separator and an operator; the number scanner reads them where they are numeric.
    """
    if not text:
        return ""
    t = _BOOKMARK.sub("", text)
    t = _PINYIN.sub("", t)
    return t.translate(_char_map())

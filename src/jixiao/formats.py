"""``--format``: the one enum of output formats, and its parsing (used by every command).

Parsing raises ``errors.OptionError`` (a ``ValueError``) with a Chinese message; the shells map it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from .errors import OptionError


class Format(StrEnum):
    """An output format. A ``StrEnum``: ``Format.JSON == "json"``, so it goes wherever a name went."""

    TEXT = "text"
    JSON = "json"
    DOCX = "docx"
    HTML = "html"
    XLSX = "xlsx"

    @classmethod
    def parse(cls, text: str, allowed: Iterable[Format]) -> Format:
        """One format ('json', ' JSON ') out of ``allowed``."""
        allowed = tuple(allowed)
        t = (text or "").strip().lower().lstrip(".")
        if t not in allowed:
            raise OptionError(
                f"不支持的输出格式（--format）：{text or '（空）'}。", f"可选：{'、'.join(allowed)}。"
            )
        return cls(t)

    @classmethod
    def parse_list(cls, text: str, allowed: Iterable[Format], *, none_ok: bool = False) -> tuple[Format, ...]:
        """A comma list ('docx,html', full-width commas too), in order, without repeats. With
        ``none_ok``, 'none' / '无' / '' mean no output at all (an empty tuple)."""
        allowed = tuple(allowed)
        if none_ok and (text or "").strip().lower() in ("none", "无", ""):
            return ()
        names = tuple(
            dict.fromkeys(
                f.strip().lower().lstrip(".") for f in (text or "").replace("，", ",").split(",") if f.strip()
            )
        )
        bad = [f for f in names if f not in allowed]
        if not names or bad:
            raise OptionError(
                f"不支持的输出格式（--format）：{'、'.join(bad) or '（空）'}。",
                f"可选：{','.join(allowed)}，用逗号分隔。",
            )
        return tuple(cls(f) for f in names)


#: what the single-document commands print (check, evaluate, audit, review)
PRINTED = (Format.TEXT, Format.JSON)
#: what ``report`` and ``batch`` write
DOCUMENTS = (Format.DOCX, Format.HTML, Format.XLSX, Format.JSON)
#: what ``history`` and ``compare`` write
TABLES = (Format.TEXT, Format.JSON, Format.XLSX, Format.HTML)

__all__ = ["DOCUMENTS", "PRINTED", "TABLES", "Format"]

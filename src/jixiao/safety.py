"""Shared output-safety rules — the one place that decides what text may reach a terminal, a
spreadsheet, a web page, a Word file or a file name. Pure functions, no I/O.

* ``safe_text``: the one rule for all text: terminal escape sequences (ESC …), C0/C1 control
  characters (NUL, _x000B_ …) except tab and newline, DEL, bidirectional controls (U+202E …),
  zero-width format characters, lone surrogates and non-characters are removed.
* ``safe_sheet_text``: ``safe_text``, then never a formula, and Excel's own ``_xHHHH_`` escape
  kept literal.
* ``safe_filename``: ``safe_text``, then a name part safe on Windows, macOS and Linux that does
  not start like a formula.
"""

from __future__ import annotations

import re

from .money import AmountError, parse_decimal

#: a text cell starting with one of these is a formula (or a DDE/CSV injection) to Excel/WPS
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_formula_like(text: str | None) -> bool:
    """True if a spreadsheet could evaluate ``text``: it starts with FORMULA_START and is not a
    plain number such as ``-12.50`` or ``+3%`` (those stay as they are)."""
    if not text or not text.startswith(FORMULA_START):
        return False
    try:
        parse_decimal(text)
    except AmountError:
        return True
    return False


#: a terminal control sequence: CSI (ESC [ … final), OSC (ESC ] … BEL/ST), or ESC + one character
_ESCAPE_SEQ = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\s]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]"
)
#: characters no output may carry (tab and newline are kept; CR is dropped: it rewrites a line)
_UNSAFE_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 (but \t \n), DEL, C1
    "\u061c\u200b-\u200f\u202a-\u202e"  # Arabic letter mark, zero-width, LRM/RLM, embeddings/overrides
    "\u2060-\u2064\u2066-\u2069\ufeff"  # word joiner …, isolates, BOM
    "\ud800-\udfff\ufffe\uffff]"
)  # lone surrogates, non-characters


def safe_text(text: object) -> str:
    """``text`` with escape sequences and control/bidi/invisible format characters removed (tab
    and newline kept): the one rule for terminal, spreadsheet, HTML, Word and file-name output."""
    t = text if isinstance(text, str) else ("" if text is None else str(text))
    if t.isprintable():  # fast path (most text): no control or format character at all
        return t
    return _UNSAFE_CHARS.sub("", _ESCAPE_SEQ.sub("", t))


#: Excel reads _xHHHH_ in a cell's text as an escaped character: _x005F_ keeps it literal
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def safe_sheet_text(text: str) -> str:
    """``text`` for a spreadsheet cell: ``safe_text``; a leading ' when it would otherwise start a
    formula; a literal ``_x000B_`` stays literal (not turned into a control character)."""
    t = safe_text(text)
    if "_x" in t:
        t = _EXCEL_ESCAPE.sub(r"_x005F_\1", t)
    return "'" + t if is_formula_like(t) else t


#: path separators, control characters and characters Windows refuses in a name
_NAME_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_SPACES = re.compile(r"\s+")
#: device names Windows reserves, with or without an extension ("CON", "con.txt", "LPT1")
RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)
_EDGE = " ._"


def safe_filename(text: str | None, fallback: str = "", max_len: int = 80) -> str:
    """One file/folder name part: unsafe characters become '_', whitespace runs one space, no
    leading/trailing dots, spaces or '_', never a reserved device name, at most ``max_len``
    characters; ``fallback`` when nothing is left (the caller adds its own suffix)."""
    t = _SPACES.sub(" ", _NAME_UNSAFE.sub("_", safe_text(text or ""))).strip(_EDGE)
    t = t.lstrip("=+-@" + _EDGE)  # a name never starts like a formula (lists, CSV, spreadsheets)
    t = t[:max_len].rstrip(_EDGE)
    if not t:
        return fallback
    if t.split(".")[0].rstrip(" ").upper() in RESERVED_NAMES:
        t = ("_" + t)[:max_len].rstrip(_EDGE)
    return t

"""Shared output-safety rules: spreadsheet text that never runs as a formula, and file/folder
name parts that are safe on Windows, macOS and Linux. Pure functions, no I/O."""

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


def safe_sheet_text(text: str) -> str:
    """``text`` for a spreadsheet cell: a leading ' when it would otherwise start a formula."""
    return "'" + text if is_formula_like(text) else text


#: path separators, control characters and characters Windows refuses in a name
_NAME_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_SPACES = re.compile(r"\s+")
#: device names Windows reserves, with or without an extension ("CON", "con.txt", "LPT1")
RESERVED_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                            *(f"LPT{i}" for i in range(1, 10))})
_EDGE = " ._"


def safe_filename(text: str | None, fallback: str = "", max_len: int = 80) -> str:
    """One file/folder name part: unsafe characters become '_', whitespace runs one space, no
    leading/trailing dots, spaces or '_', never a reserved device name, at most ``max_len``
    characters; ``fallback`` when nothing is left (the caller adds its own suffix)."""
    t = _SPACES.sub(" ", _NAME_UNSAFE.sub("_", text or "")).strip(_EDGE)
    t = t[:max_len].rstrip(_EDGE)
    if not t:
        return fallback
    if t.split(".")[0].rstrip(" ").upper() in RESERVED_NAMES:
        t = ("_" + t)[:max_len].rstrip(_EDGE)
    return t

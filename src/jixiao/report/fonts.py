"""CJK font detection for charts: find an installed font that really has Chinese glyphs.

Fonts are looked up by file name in the usual font folders of Linux, Windows and macOS (fast,
no matplotlib import); matplotlib's font_manager is the fallback. When nothing is found the
charts are skipped with a warning — never drawn as boxes.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

#: font files, best first: (file name, preferred face inside a collection)
CJK_FILES = (
    ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("NotoSansCJKsc-Regular.otf", ""),
    ("NotoSansSC-Regular.otf", ""),
    ("NotoSansSC-Regular.ttf", ""),
    ("NotoSansSC-VF.ttf", ""),
    ("SourceHanSansSC-Regular.otf", ""),
    ("SourceHanSans-Regular.ttc", "Source Han Sans SC"),
    ("wqy-microhei.ttc", ""),
    ("wqy-zenhei.ttc", ""),
    ("msyh.ttc", "Microsoft YaHei"),
    ("msyh.ttf", ""),
    ("simhei.ttf", ""),
    ("simsun.ttc", "SimSun"),
    ("simfang.ttf", ""),
    ("simkai.ttf", ""),
    ("PingFang.ttc", "PingFang SC"),
    ("Hiragino Sans GB.ttc", ""),
    ("STHeiti Light.ttc", ""),
    ("Songti.ttc", ""),
    ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    ("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),
)

#: family names for the matplotlib fallback
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "SimSun",
    "FangSong",
    "KaiTi",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "AR PL UMing CN",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
)

#: characters a chart label must be able to show
PROBE = "部门项目预算执行率万元单位：（）"


def _font_dirs() -> list[Path]:
    home = Path.home()
    dirs = [
        home / ".fonts",
        home / ".local/share/fonts",
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
    ]
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs = [windir / "Fonts", Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft/Windows/Fonts"]
    elif sys.platform == "darwin":
        dirs = [
            Path("/System/Library/Fonts"),
            Path("/Library/Fonts"),
            home / "Library/Fonts",
            Path("/System/Library/Fonts/Supplemental"),
        ]
    return [d for d in dirs if d.is_dir()]


def _index_files() -> dict[str, str]:
    found: dict[str, str] = {}
    for d in _font_dirs():
        for root, _dirs, files in os.walk(d):
            for f in sorted(files):
                found.setdefault(f.lower(), os.path.join(root, f))
    return found


def _face(path: str, prefer: str) -> tuple[str, int] | None:
    """(family, index) of a face in ``path`` that has every PROBE glyph (``prefer`` first)."""
    from PIL import ImageFont

    faces = []
    for i in range(16):
        try:
            f = ImageFont.truetype(path, 12, index=i)
        except OSError:
            break
        faces.append((f.getname()[0], i, f))
        if not path.lower().endswith((".ttc", ".otc")):
            break
    faces.sort(key=lambda x: (x[0] != prefer, "SC" not in x[0], x[1]))
    for name, i, f in faces:
        if _has_glyphs(f):
            return name, i
    return None


def _has_glyphs(font) -> bool:
    """A glyph-less character renders as .notdef: compare each with a surely-missing code point."""
    try:

        def shape(ch):
            m = font.getmask(ch)
            return m.getbbox(), bytes(m)

        missing = shape("\U0010fffd")
        for ch in PROBE:
            got = shape(ch)
            if got[0] is None or got == missing:  # same box *and* same pixels: the .notdef glyph
                return False
        return True
    except Exception:  # noqa: BLE001 - an unreadable font is simply not a candidate
        return False


#: the OFL font shipped by the ``mplfonts`` package (a dependency): charts render the same on every
#: machine, even one without any CJK font installed
PACKAGED = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")


def packaged_font() -> str | None:
    """Path of Noto Sans CJK SC inside the installed ``mplfonts`` package (found without importing
    it: its import pulls in matplotlib), or None."""
    import importlib.util

    spec = importlib.util.find_spec(PACKAGED[0])
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        path = os.path.join(root, PACKAGED[1])
        if os.path.isfile(path):
            return path
    return None


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> tuple[str, str, int] | None:
    """(family, file path, face index) of a font with Chinese glyphs: the packaged Noto Sans CJK SC
    first, then the installed fonts; None when there is none at all."""
    path = packaged_font()
    if path:
        face = _face(path, "Noto Sans CJK SC")
        if face:
            return face[0], path, face[1]
    files = _index_files()
    for fname, prefer in CJK_FILES:
        path = files.get(fname.lower())
        if path:
            face = _face(path, prefer)
            if face:
                return face[0], path, face[1]
    try:  # fonts installed elsewhere: ask matplotlib (slower: imports it)
        from matplotlib import font_manager
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        return None
    by_name: dict[str, str] = {}
    for f in sorted(font_manager.fontManager.ttflist, key=lambda f: (f.weight != 400, f.fname)):
        by_name.setdefault(f.name, f.fname)
    for name in CJK_FAMILIES:
        if name in by_name:
            face = _face(by_name[name], name)
            if face:
                return face[0], by_name[name], face[1]
    return None

"""CJK font detection for charts: find a font that really has Chinese glyphs, never draw boxes."""

from __future__ import annotations

import functools

#: preferred families, best first (names as matplotlib's font_manager reports them)
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
    "Hiragino Sans GB", "Heiti SC", "STHeiti", "SimSun", "NSimSun", "FangSong", "KaiTi",
    "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN", "AR PL UKai CN",
    "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans CJK HK", "Noto Sans CJK KR",
)

#: characters a chart label must be able to show
_PROBE = "部门项目预算执行率万元"


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> tuple[str, str] | None:
    """(family, file path) of an installed font with Chinese glyphs, or None."""
    from matplotlib import font_manager

    by_name: dict[str, str] = {}
    for f in font_manager.fontManager.ttflist:
        by_name.setdefault(f.name, f.fname)
    candidates = [n for n in CJK_FAMILIES if n in by_name]
    # any other family whose name says it is Chinese, as a last resort
    candidates += sorted(n for n in by_name if n not in candidates
                         and any(k in n for k in ("CJK", "Hei", "Song", "Kai", "Fang", "Ming", "YaHei")))
    for name in candidates:
        if _has_glyphs(by_name[name]):
            return name, by_name[name]
    return None


def _has_glyphs(path: str) -> bool:
    try:
        from matplotlib.ft2font import FT2Font

        font = FT2Font(path)
        charmap = font.get_charmap()
        return all(ord(c) in charmap for c in _PROBE)
    except Exception:  # noqa: BLE001 - an unreadable font file is simply not a candidate
        return False

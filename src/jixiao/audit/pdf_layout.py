"""Page geometry from pypdfium2: text runs with their boxes, ruling lines, and the ruled tables
they draw (cells, merged cells), in top-down coordinates (points from the page's top-left).

Only what the PDF reader needs: ``page_layout(page)`` → (text lines outside tables, tables as
(bbox, rows of logical cells)). A merged cell's text is repeated over its span.
"""

from __future__ import annotations

from dataclasses import dataclass

SNAP = 2.0  # points: lines closer than this are one line


@dataclass
class Run:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def visual(page):
    """A function mapping a box in PDF user space (left, bottom, right, top) to the page as it
    is shown — (x0, x1, top, bottom) from the top-left — whatever the page's /Rotate."""
    rot = page.get_rotation() % 360
    w, h = page.get_width(), page.get_height()  # as shown
    if rot in (90, 270):
        w0, h0 = h, w  # unrotated width and height
    else:
        w0, h0 = w, h
    if rot == 90:
        return lambda lft, b, r, t: (b, t, lft, r)
    if rot == 180:
        return lambda lft, b, r, t: (w0 - r, w0 - lft, b, t)
    if rot == 270:
        return lambda lft, b, r, t: (h0 - t, h0 - b, w0 - r, w0 - lft)
    return lambda lft, b, r, t: (lft, r, h0 - t, h0 - b)


def text_runs(page, textpage, vs=()) -> list[Run]:
    """The page's text as runs (pdfium's text rectangles: a run of characters on one line).
    Where the rectangles miss characters (glyphs without a box, as in fonts that are not
    embedded), the page is read character by character instead."""
    vis = visual(page)
    out = []
    n = textpage.count_rects()
    whole = textpage.get_text_range()
    visible = sum(1 for ch in whole if not ch.isspace())
    for i in range(n):
        left, bottom, right, top = textpage.get_rect(i)
        t = textpage.get_text_bounded(left, bottom, right, top)
        t = t.replace("\r", "").replace("\n", "")
        if not t.strip():
            continue
        out.append(Run(*vis(left, bottom, right, top), t))
    if sum(1 for r in out for ch in r.text if not ch.isspace()) < visible:
        return _char_runs(textpage, vis, vs)
    return out


def _char_runs(textpage, vis, vs=()) -> list[Run]:
    """Runs built from single characters (a box from the origin and font size where pdfium
    gives none): consecutive characters on one baseline, close together and with no ruling
    line between them, make a run."""
    import ctypes

    import pypdfium2.raw as pc

    x, y = ctypes.c_double(), ctypes.c_double()
    out: list[Run] = []
    cur = None
    for i in range(textpage.count_chars()):
        code = pc.FPDFText_GetUnicode(textpage.raw, i)
        ch = chr(code) if code else ""
        if not ch or ch in "\r\n" or pc.FPDFText_IsGenerated(textpage.raw, i) == 1:
            continue
        left, bottom, right, top = textpage.get_charbox(i)
        size = pc.FPDFText_GetFontSize(textpage.raw, i) or 10.0
        pc.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
        vx, _, vy, _ = vis(x.value, y.value, x.value, y.value)
        if right - left > 0.01 or top - bottom > 0.01:
            x0, x1, _, _ = vis(left, bottom, right, top)
        else:
            x0, x1 = vx, vx + size
        # one line, one extent: from the baseline as shown
        box = Run(x0, max(x1, x0 + 0.1), vy - 0.8 * size, vy + 0.2 * size, ch)
        if (
            cur is not None
            and abs(box.cy - cur.cy) < 0.5 * (cur.bottom - cur.top)
            and -1 <= box.x0 - cur.x1 <= 1.0 * (box.bottom - box.top)
            and ch != " "
            and not any(cur.x1 - SNAP <= vx <= box.x0 + SNAP and y0 <= box.cy <= y1 for vx, y0, y1 in vs)
        ):
            cur.text += ch
            cur.x1 = max(cur.x1, box.x1)
            cur.top, cur.bottom = min(cur.top, box.top), max(cur.bottom, box.bottom)
            continue
        if ch == " ":
            cur = None
            continue
        cur = box
        out.append(cur)
    return out


def ruling_lines(page) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Horizontal (y, x0, x1) and vertical (x, y0, y1) lines drawn as thin paths, and the edges
    of drawn rectangles."""
    import pypdfium2.raw as pc

    vis = visual(page)
    hs, vs = [], []
    for obj in page.get_objects(filter=[pc.FPDF_PAGEOBJ_PATH], max_depth=4):
        try:
            left, right, y0, y1 = vis(*obj.get_bounds())
        except Exception:  # noqa: BLE001 - an odd path is skipped
            continue
        w, ht = right - left, y1 - y0
        if w < 0.5 and ht < 0.5:
            continue
        if ht <= SNAP and w > SNAP:
            hs.append(((y0 + y1) / 2, left, right))
        elif w <= SNAP and ht > SNAP:
            vs.append(((left + right) / 2, y0, y1))
        elif w > SNAP and ht > SNAP and w < page.get_width() * 0.98:
            hs += [(y0, left, right), (y1, left, right)]
            vs += [(left, y0, y1), (right, y0, y1)]
    return _merge(hs), _merge(vs)


def _merge(lines):
    """Lines on one coordinate (within SNAP) whose extents touch become one."""
    lines = sorted(lines)
    out: list[list[float]] = []
    for pos, a, b in lines:
        for m in reversed(out[-6:]):
            if abs(m[0] - pos) <= SNAP and a <= m[2] + SNAP and b >= m[1] - SNAP:
                m[1], m[2] = min(m[1], a), max(m[2], b)
                break
        else:
            out.append([pos, a, b])
    return [tuple(m) for m in out]


def _clusters(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= SNAP:
            continue
        out.append(v)
    return out


def find_tables(hs, vs) -> list[tuple[list, list]]:
    """Groups of crossing lines (at least 2 × 2) — each a ruled table's lines."""
    n_h = len(hs)
    parent = list(range(n_h + len(vs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(hs):
        for j, (x, y0, y1) in enumerate(vs):
            if x0 - SNAP <= x <= x1 + SNAP and y0 - SNAP <= y <= y1 + SNAP:
                a, b = find(i), find(n_h + j)
                if a != b:
                    parent[a] = b
    groups: dict = {}
    for i in range(n_h + len(vs)):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        gh = [hs[i] for i in members if i < n_h]
        gv = [vs[i - n_h] for i in members if i >= n_h]
        if len(gh) >= 2 and len(gv) >= 2:
            out.append((gh, gv))
    out.sort(key=lambda t: min(y for y, _, _ in t[0]))
    return out


def _covers(lines, pos, a, b) -> bool:
    """A line at ``pos`` spanning the middle of [a, b]."""
    mid = (a + b) / 2
    return any(abs(p - pos) <= SNAP and s - SNAP <= mid <= e + SNAP for p, s, e in lines)


def table_cells(gh, gv, runs: list[Run]):
    """The grid of one ruled table: (bbox, rows of cell texts, ids of the runs used)."""
    ys = _clusters([y for y, _, _ in gh])
    xs = _clusters([x for x, _, _ in gv])
    if len(ys) < 2 or len(xs) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr * nc < 2:
        return None  # a frame round a text block is no table
    root = list(range(nr * nc))

    def find(i):
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _covers(gv, xs[c + 1], ys[r], ys[r + 1]):
                root[find(r * nc + c)] = find(r * nc + c + 1)
            if r + 1 < nr and not _covers(gh, ys[r + 1], xs[c], xs[c + 1]):
                root[find(r * nc + c)] = find((r + 1) * nc + c)
    texts: dict[int, list[Run]] = {}
    used = set()
    x_lo, x_hi, y_lo, y_hi = xs[0], xs[-1], ys[0], ys[-1]
    import bisect

    for k, run in enumerate(runs):
        if not (x_lo <= run.cx <= x_hi and y_lo <= run.cy <= y_hi):
            continue
        c = min(max(bisect.bisect_right(xs, run.cx) - 1, 0), nc - 1)
        r = min(max(bisect.bisect_right(ys, run.cy) - 1, 0), nr - 1)
        texts.setdefault(find(r * nc + c), []).append(run)
        used.add(k)
    cell_text = {}
    for key, rs in texts.items():
        cell_text[key] = _cell_text(rs)
    rows = [[cell_text.get(find(r * nc + c), "") for c in range(nc)] for r in range(nr)]
    return (x_lo, y_lo, x_hi, y_hi), rows, used


def _cell_text(runs: list[Run]) -> str:
    """A cell's lines joined in reading order: a line wrapped inside a Chinese word or figure joins
    the next without a space ("项目名" + "称"); only two Latin words keep one between them."""
    out = ""
    for ln in group_lines(runs):
        text = "".join(r.text for r in ln).strip()
        if not text:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and text[0].isascii() and text[0].isalpha():
            out += " "
        out += text
    return out


def group_lines(runs: list[Run]) -> list[list[Run]]:
    """Runs on one line: a run whose vertical centre falls within a line's extent (or whose
    extent holds the line's centre) joins it — a small "、" or "。" sits low in its line."""
    lines: list[list] = []  # [top, bottom, runs]
    for run in sorted(runs, key=lambda r: (r.top, r.x0)):
        for ln in reversed(lines[-4:]):
            top, bottom = ln[0], ln[1]
            mid = (top + bottom) / 2
            if top - 0.5 <= run.cy <= bottom + 0.5 or run.top <= mid <= run.bottom:
                ln[2].append(run)
                if run.bottom - run.top > 0.6 * (bottom - top):
                    ln[0], ln[1] = min(top, run.top), max(bottom, run.bottom)
                break
        else:
            lines.append([run.top, run.bottom, [run]])
    lines.sort(key=lambda ln: ln[0])
    out = []
    for ln in lines:
        out.append(sorted(ln[2], key=lambda r: r.x0))
    return out


def line_dicts(runs: list[Run]) -> list[dict]:
    """Text lines in the shape the paragraph builder reads: text, x0, x1, top, bottom. Runs far
    apart on one line are joined with a space."""
    out = []
    for ln in group_lines(runs):
        parts = [ln[0].text]
        em = max(max(r.bottom - r.top for r in ln), 1.0)  # letter-spaced (justified) text
        for a, b in zip(ln, ln[1:], strict=False):  # has gaps of a third of that
            gap = b.x0 - a.x1
            ascii_pair = a.text[-1:].isascii() and b.text[:1].isascii()
            space = gap > 2 * em or (gap > 0.9 * em and ascii_pair)
            parts.append((" " if space and not parts[-1].endswith(" ") else "") + b.text)
        out.append(
            {
                "text": "".join(parts),
                "x0": min(r.x0 for r in ln),
                "x1": max(r.x1 for r in ln),
                "top": min(r.top for r in ln),
                "bottom": max(r.bottom for r in ln),
            }
        )
    return out


def page_layout(page) -> tuple[list[dict], list[tuple[float, list[list[str]]]], int]:
    """(lines outside tables, [(top, rows)] of the ruled tables, number of characters)."""
    hs, vs = ruling_lines(page)
    tp = page.get_textpage()
    try:
        nchars = tp.count_chars()
        runs = text_runs(page, tp, vs)
    finally:
        tp.close()
    tables = []
    used: set = set()
    for gh, gv in find_tables(hs, vs):
        got = table_cells(gh, gv, runs)
        if got is None:
            continue
        bbox, rows, ids = got
        if not ids:
            continue
        tables.append((bbox[1], rows))
        used |= ids
    rest = [r for k, r in enumerate(runs) if k not in used]
    return line_dicts(rest), tables, nchars

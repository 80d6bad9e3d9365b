"""Read submitted self-evaluation tables from an .xlsx (the documented layout, or a sheet laid
out like the printed table) or from the tables of a report (.docx/.pdf/.txt via
``jixiao.audit.read_document``).

Both come down to one grid reader: rows of cell texts, each cell with its location. Header rows
are found by their words (三级指标/指标名称 with 分值/指标权重 and 得分/指标得分; 全年预算数 with
全年执行数), so the national 项目支出绩效自评表, the 部门整体支出绩效自评表 and layouts such as
Chongqing's (得分系数 × 指标权重) are read alike. A new 项目名称 or funds block starts a new table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from .model import Funds, ScoredRow, SubmittedTable, Value

Grid = list[tuple[list[str], Callable[[int], dict]]]  # (row cells, column → location)

_WS = re.compile(r"[\s\u00a0\u3000]+")


def norm(text: str) -> str:
    t = unicodedata.normalize("NFKC", text or "")
    return _WS.sub("", t).replace("（", "(").replace("）", ")")


# header words → field (first match wins; checked on the normalised header text)
_IND_HEADS = (
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("level3", ("三级指标", "指标名称", "绩效指标名称")),
    ("nature", ("指标性质",)),
    ("target_adjusted", ("调整指标值", "全年(调整)指标值")),
    ("target", ("年度指标值", "年初指标值", "指标值", "目标值", "预期目标值")),
    ("actual", ("实际完成值", "全年完成值", "全年实际值", "完成值", "实际值")),
    ("unit", ("计量单位", "度量单位", "单位")),
    ("coefficient", ("得分系数",)),
    ("weight", ("指标权重", "分值", "权重")),
    ("score", ("指标得分", "得分", "自评得分")),
)
_FUND_HEADS = (
    ("initial", ("年初预算数", "年初预算")),
    ("full_year", ("全年(调整)预算数", "全年预算数", "调整后预算数", "全年预算")),
    ("actual", ("全年执行数", "执行数", "实际支出")),
    ("rate", ("执行率(%)", "执行率")),
    ("weight", ("执行率权重", "分值")),
    ("score", ("执行率得分", "得分")),
)
_TOTAL_WORDS = ("合计", "总分", "自评总分", "总计", "自评得分合计", "综合得分")
_NAME_WORDS = ("项目名称", "部门(单位)名称", "单位名称", "部门名称")


def _match(text: str, heads) -> str | None:
    t = norm(text)
    if not t or len(t) > 24:
        return None
    t = re.sub(r"\((分|万元|%|\d+分)\)$", "", t)
    for fld, words in heads:  # an exact header first ('执行率权重' is not '执行率' …)
        if t in words:
            return fld
    for fld, words in heads:  # … then a header with a short suffix ('得分计算方法' is not one)
        for w in words:
            if t.startswith(w) and len(t) - len(w) <= 4 and not re.search(r"\d", t[len(w) :]):
                return fld
    return None


def _header_map(cells: list[str], heads) -> dict[str, int]:
    out: dict[str, int] = {}
    for c, text in enumerate(cells):
        f = _match(text, heads)
        if f and f not in out:
            out[f] = c
    return out


def _is_indicator_header(m: dict[str, int]) -> bool:
    """三级指标 with 分值/得分, and 指标值/完成值 — or both 分值 and 得分 (a scored framework table
    such as 附件2 部门整体支出绩效自评表, whose rows can still be checked for 得分 ≤ 分值 and totals)."""
    return (
        "level3" in m
        and ("weight" in m or "score" in m)
        and ("target" in m or "actual" in m or ("weight" in m and "score" in m))
    )


def _is_fund_header(m: dict[str, int]) -> bool:
    return "full_year" in m and "actual" in m


def _val(cells: list[str], loc, c: int | None) -> Value | None:
    if c is None or c >= len(cells):
        return None
    t = (cells[c] or "").strip()
    return Value(t, loc(c)) if t else None


_NUM = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_PLACEHOLDER = re.compile(r"^(指标\d+[:：]?|……|…|\.+|-+|—+)$")


def _strip_label(t: str) -> str:
    """'指标1工程资金金额' → '工程资金金额' (the national form numbers its rows)."""
    return re.sub(r"^指标\d+[:：、.]?", "", t.strip())


def parse_grid(grid: Grid, default_kind: str = "project") -> list[SubmittedTable]:
    """Tables found in a stream of rows (one sheet, or a document's tables in order)."""
    tables: list[SubmittedTable] = []
    cur: SubmittedTable | None = None
    ind: dict[str, int] | None = None
    fund_head: dict[str, int] | None = None
    carry = {"level1": "", "level2": ""}
    title_hint = ""
    kind_hint = default_kind
    prev_head: dict[str, int] = {}

    def start(loc) -> SubmittedTable:
        nonlocal cur
        cur = SubmittedTable(kind=kind_hint, title=title_hint, location=loc)
        tables.append(cur)
        return cur

    for cells, loc in grid:
        texts = [norm(x) for x in cells]
        joined = "".join(texts)
        if not joined:
            continue
        if "部门整体" in joined and "自评" in joined and len(joined) < 40:
            kind_hint, title_hint = "department", ""  # a new form's title: names read before are not its own
        elif "项目支出" in joined and "自评" in joined and len(joined) < 40:
            kind_hint, title_hint = "project", ""
        # a name row: 项目名称 | X  (a new table)
        name_at = next(
            (i for i, t in enumerate(texts) if t in _NAME_WORDS or t.rstrip(":：") in _NAME_WORDS), None
        )
        if name_at is not None and len({t for t in texts[name_at + 1 :] if t}) > 3:
            name_at = None  # a header row of a list of projects (序号 | 项目名称 | 类别 | 全年预算 …), not a form's name row
        if name_at is not None:
            name = next(
                (
                    cells[j].strip()
                    for j in range(name_at + 1, len(cells))
                    if texts[j] and texts[j] not in _NAME_WORDS
                ),
                "",
            )
            if name:
                title_hint = name
                if cur is None or cur.rows or cur.funds:
                    start(loc(name_at))
                else:
                    cur.title = name
                ind, fund_head = None, None
                continue
        m = _header_map(cells, _FUND_HEADS)
        if _is_fund_header(m):
            fund_head = m
            if cur is None or cur.rows or (cur.funds and cur.funds.full_year):
                start(loc(0))
            ind = None
            continue
        m = _header_map(cells, _IND_HEADS)
        if not _is_indicator_header(m) and prev_head and "level3" in {**prev_head, **m}:
            both = {**prev_head, **m}  # a two-row header (绩效指标 | 年度指标值 … above 一级 | 二级 | 三级 …)
            if _is_indicator_header(both) and len(m) >= 2:
                m = both
        prev_head = m
        if _is_indicator_header(m):
            ind = m
            if cur is None:
                start(loc(0))
            carry = {"level1": "", "level2": ""}
            continue
        # a 小计 row closes its 一级指标 group: checked, never counted as an indicator
        if cur is not None and ind is not None and any(t in ("小计", "分项合计") for t in texts):
            sv = _val(cells, loc, ind.get("score"))
            if sv is not None:
                cur.subtotals.append((carry["level1"], sv))
            continue
        # a total row: 自评总分 | 97.6
        tot_at = next((i for i, t in enumerate(texts) if re.sub(r"\(.*?\)", "", t) in _TOTAL_WORDS), None)
        if tot_at is not None and cur is not None:
            num_c = next(
                (j for j in range(len(cells) - 1, tot_at, -1) if _NUM.fullmatch(norm(cells[j]))), None
            )
            if ind is not None and "score" in ind and ind["score"] < len(cells) and norm(cells[ind["score"]]):
                num_c = ind["score"]
            if num_c is not None:
                cur.total = Value(cells[num_c].strip(), loc(num_c))
            continue
        if fund_head is not None and ind is None:
            nums = [c for c in fund_head.values() if c < len(cells) and _NUM.search(texts[c] or "")]
            if nums and cur is not None:
                if cur.funds is None or cur.funds.full_year is None:
                    f = Funds(**{k: _val(cells, loc, c) for k, c in fund_head.items()}, location=loc(0))
                    if f.full_year is not None and _NUM.search(norm(f.full_year.text)):
                        cur.funds = f
                continue
        if ind is None or cur is None:
            continue
        l3v = _val(cells, loc, ind.get("level3"))
        l3 = _strip_label(l3v.text) if l3v else ""
        for k in ("level1", "level2"):
            v = _val(cells, loc, ind.get(k))
            if v is not None and not _PLACEHOLDER.match(norm(v.text)):
                carry[k] = v.text.strip()
                if k == "level1":
                    carry["level2"] = ""
        weight, score = _val(cells, loc, ind.get("weight")), _val(cells, loc, ind.get("score"))
        target = _val(cells, loc, ind.get("target_adjusted")) or _val(cells, loc, ind.get("target"))
        actual = _val(cells, loc, ind.get("actual"))
        if not l3 or _PLACEHOLDER.match(norm(l3)) or (weight is None and score is None):
            continue
        unit = _val(cells, loc, ind.get("unit"))
        cur.rows.append(
            ScoredRow(
                level1=carry["level1"],
                level2=carry["level2"],
                level3=l3,
                nature=_val(cells, loc, ind.get("nature")),
                target=target,
                actual=actual,
                unit=unit.text if unit else "",
                weight=weight,
                score=score,
                coefficient=_val(cells, loc, ind.get("coefficient")),
                location=l3v.location if l3v else loc(0),
            )
        )
    return [t for t in tables if t.rows or t.funds]


# ---------------------------------------------------------------- files


def _xlsx_grids(path: Path) -> list[tuple[str, Grid]]:
    from ..workbook.cells import as_text
    from ..workbook.read import cell_ref, read_workbook

    raw = read_workbook(path)
    out = []
    for sh in raw.sheets:
        grid: Grid = []
        for r, row in enumerate(sh.rows, start=1):
            cells = [as_text(v) for v in row]
            for r1, c1, r2, c2 in sh.merged:  # a merged label reads in every row/column it spans
                if r1 <= r <= r2 and (r1, c1) != (r, c1):
                    top = as_text(sh.value(r1, c1))
                    for c in range(c1, c2 + 1):
                        if c - 1 < len(cells) and not cells[c - 1]:
                            cells[c - 1] = top
            grid.append(
                (cells, lambda c, r=r, s=sh.title: {"sheet": s, "cell": cell_ref(r, c + 1), "row": r})
            )
        out.append((sh.title, grid))
    return out


def _document_grid_of(doc) -> Grid:
    grid: Grid = []
    for t in doc.tables:
        for r, row in enumerate(t.rows):
            grid.append(
                (
                    list(row),
                    lambda c, t=t, r=r: {
                        "table": t.index,
                        "row": r,
                        "column": c,
                        **({"page": t.page} if t.page else {}),
                    },
                )
            )
    return grid


def read_submitted(path: str | Path) -> list[SubmittedTable]:
    """Every self-evaluation table in an .xlsx (each sheet) or a report (.docx/.pdf/.txt)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"找不到文件：{p}")
    if p.is_dir():
        raise InputError(f"{p} 是文件夹，请给出自评表（.xlsx）或报告（.docx/.pdf）。")
    try:
        head = p.open("rb").read(4096)
    except OSError as exc:
        raise InputError(f"无法读取文件 {p}：{exc.strerror or exc}") from None
    if head[:4] == b"PK\x03\x04" and (b"xl/" in head or p.suffix.lower() in (".xlsx", ".xlsm")):
        tables = []
        for title, grid in _xlsx_grids(p):
            kind = "department" if "部门" in title or "整体" in title else "project"
            tables.extend(parse_grid(grid, kind))
        return tables
    from ..audit.readers import read_document

    doc = read_document(p)
    tables = parse_grid(_document_grid_of(doc)) if doc.tables else []
    return tables or parse_stream(_cells_of(doc))


# ---------------------------------------------------------------- flattened text


#: pinyin inserted after characters by some copy sites: '指标(biāo)'
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
_NATURE_TOKENS = frozenset(
    {"≥", "≤", "=", "﹦", "＝", ">", "<", ">=", "<=", "定性", "定量", "定性指标", "定量指标", "正向", "反向"}
)
_L1_WORDS = ("产出", "效益", "满意度", "效果")
_L2_WORDS = ("数量", "质量", "时效", "成本", "效益", "满意度", "影响")


def _is_num(t: str) -> bool:
    return bool(re.fullmatch(r"-?\d[\d,]*(\.\d+)?%?", t))


def _cells_of(doc) -> list[tuple[str, dict]]:
    """A document without tables as one stream of non-empty cells: a paragraph with '|' is a
    flattened table row (its cells in order), any other paragraph is one cell."""
    out = []
    for p in doc.paragraphs:
        loc = {"paragraph": p.index, **({"page": p.page} if p.page else {})}
        text = _PINYIN.sub("", p.text)
        parts = text.split("|") if "|" in text else [text]
        for part in parts:
            t = part.strip()
            if t:
                out.append((t, loc))
    return out


def parse_stream(cells: list[tuple[str, dict]]) -> list[SubmittedTable]:
    """The national forms flattened one cell per line (or '|' rows with merged cells left out):
    funds are read in header order from the numbers after 年度资金总额; each indicator row is a
    三级指标 text followed by [指标性质] 指标值 [单位] 完成值 分值 得分."""
    tables: list[SubmittedTable] = []
    cur: SubmittedTable | None = None
    kind = "project"
    fund_order: list[str] = []
    ind = False
    has_unit = has_nature = False
    l1 = l2 = ""
    n = len(cells)

    def texts(i: int, k: int = 1) -> str:
        return "".join(norm(cells[j][0]) for j in range(i, min(i + k, n)))

    def new_table(title: str, loc: dict) -> SubmittedTable:
        nonlocal cur
        cur = SubmittedTable(kind=kind, title=title, location=loc)
        tables.append(cur)
        return cur

    i = 0
    while i < n:
        t, loc = norm(cells[i][0]), cells[i][1]
        if "部门整体" in t and "自评" in t:
            kind = "department"
        if t.rstrip(":：") in _NAME_WORDS and i + 1 < n:
            title = cells[i + 1][0].strip()
            title = re.sub(r"(支出)?绩效自评表$", "", title) or title
            new_table(title, loc)
            fund_order, ind, l1, l2 = [], False, "", ""
            i += 2
            continue
        # header words, possibly split over two cells ('年初' '预算数')
        hit = None
        for k in (1, 2):
            f = _match(texts(i, k), _FUND_HEADS)
            if f and not ind:
                hit = ("fund", f, k)
                break
            g = _match(texts(i, k), _IND_HEADS)
            if g:
                hit = ("ind", g, k)
                break
        if hit and not _is_num(t):
            what, f, k = hit
            if what == "fund" and f not in fund_order:
                fund_order.append(f)
            elif what == "ind":
                ind = ind or f == "level3"
                has_unit = has_unit or f == "unit"
                has_nature = has_nature or f == "nature"
            i += k
            continue
        if t.rstrip(":：") == "年度资金总额" and fund_order:
            if cur is None:
                new_table("", loc)
            nums = []
            j = i + 1
            while j < n and _is_num(norm(cells[j][0])) and len(nums) < len(fund_order):
                nums.append(Value(cells[j][0].strip(), cells[j][1]))
                j += 1
            vals = dict(zip(fund_order, nums, strict=False))
            if cur.funds is None:
                cur.funds = Funds(**vals, location=loc)
            i = j
            continue
        if (
            re.sub(r"\(.*?\)", "", t) in _TOTAL_WORDS
            and cur is not None
            and i + 1 < n
            and _is_num(norm(cells[i + 1][0]))
        ):
            cur.total = Value(cells[i + 1][0].strip(), cells[i + 1][1])
            i += 2
            continue
        if not ind or cur is None or _is_num(t) or t in ("指标", "绩效指标") or _PLACEHOLDER.match(t):
            i += 1
            continue
        if t in ("满意度", "满意度指标"):
            l1, l2 = "满意度指标", ""
            i += 1
            continue
        if i + 1 < n and norm(cells[i + 1][0]) == "指标" and len(t) <= 10:  # '可持续影响' '指标': a 二级指标
            l2 = t
            i += 2
            continue
        if (
            t.endswith(("指标", "效益"))
            and any(w in t for w in _L1_WORDS)
            and len(t) <= 6
            and t.startswith(_L1_WORDS)
        ):
            l1, l2 = t, ""
            i += 1
            continue
        if (t.endswith("指标") or t.endswith("效益")) and any(w in t for w in _L2_WORDS) and len(t) <= 10:
            l2 = t
            i += 1
            continue
        # an indicator row: 三级指标 [性质] 指标值 [单位] 完成值 分值 得分
        row = _stream_row(cells, i, has_nature, has_unit)
        if row is None:
            i += 1
            continue
        r, i = row
        r.level1, r.level2 = l1, l2
        if r.level3:
            cur.rows.append(r)
    return [t for t in tables if t.rows or t.funds]


def _stream_row(cells, i: int, has_nature: bool, has_unit: bool):
    n = len(cells)
    l3 = _strip_label(cells[i][0])
    if not l3:
        return None
    j = i + 1

    def take():
        nonlocal j
        if j >= n:
            return None
        v = Value(cells[j][0].strip(), cells[j][1])
        j += 1
        return v

    nature = None
    if has_nature and j < n and norm(cells[j][0]) in _NATURE_TOKENS:
        nature = take()
    target = take()
    unit = ""
    if has_unit and j < n and not _is_num(norm(cells[j][0])) and len(norm(cells[j][0])) <= 4:
        unit = take().text
    actual = take()
    weight, score = take(), take()
    if weight is None or score is None or not _is_num(norm(weight.text)) or not _is_num(norm(score.text)):
        return None
    if target is None or actual is None:
        return None
    return ScoredRow(
        level1="",
        level2="",
        level3=l3,
        nature=nature,
        target=target,
        actual=actual,
        unit=unit,
        weight=weight,
        score=score,
        location=cells[i][1],
    ), j

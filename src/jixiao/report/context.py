"""ReportContext: the one typed object every renderer (Word, HTML, xlsx, JSON) reads.

``build_context(evaluation)`` is pure: it turns an Evaluation into a document tree of blocks
(headings, paragraphs, tables with merged cells, charts, page breaks) plus attachments. The
renderers only lay these blocks out, so the outputs never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..results import Evaluation
from ..safety import safe_filename
from .charts import ChartSpec


@dataclass(frozen=True, slots=True)   # slots: a 50,000-project report has millions of cells
class Cell:
    """A table cell. ``colspan``/``rowspan`` > 1 merge cells; covered positions are omitted."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    align: str = "center"   # left | center | right
    bold: bool = False
    #: a number (Decimal) for the xlsx export; text otherwise
    value: Decimal | int | None = None
    number_format: str = ""


#: while build_context runs: equal (immutable) cells are one object
_CELL_POOL: dict[str, dict] = {}


@dataclass(frozen=True)
class Table:
    key: str
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[int, ...]        # relative column widths; len == number of grid columns
    header_rows: int = 1
    caption: str = ""              # a line above the table (bold, centred)
    unit: str = "单位：万元"        # right-aligned line above the table ('' for none)
    small: bool = False            # smaller font (attachments)

    def __post_init__(self):
        pool = _CELL_POOL.get("cells")
        if pool is not None:   # equal cells shared: 50,000 project forms repeat the same few thousand
            object.__setattr__(self, "rows", tuple(tuple(pool.setdefault(c, c) for c in row) for row in self.rows))

    @property
    def ncols(self) -> int:
        return len(self.widths)

    def grid(self) -> list[list[tuple[Cell, str] | None]]:
        """The table as a full grid: (cell, role) where role is 'origin' or 'covered-v'/'covered-h'.

        Renderers that need every position (Word's vMerge continuation cells) use this.
        """
        nrows = len(self.rows)
        ncols = self.ncols
        grid: list[list[tuple[Cell, str] | None]] = [[None] * ncols for _ in range(nrows)]
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while c < ncols and grid[r][c] is not None:
                    c += 1
                if c >= ncols:
                    raise ValueError(f"table {self.key}: row {r} has too many cells")
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        if r + dr >= nrows or c + dc >= ncols:
                            raise ValueError(f"table {self.key}: span out of range at row {r}")
                        role = "origin" if (dr, dc) == (0, 0) else ("covered-h" if dr == 0 else "covered-v")
                        grid[r + dr][c + dc] = (cell, role)
                c += cell.colspan
        return grid


@dataclass(frozen=True)
class Heading:
    level: int      # 1 一、 2 （一） 3 1.
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    kind: str = "body"   # body | title | subtitle | note | right | center


@dataclass(frozen=True)
class Figure:
    chart: ChartSpec


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Para | Table | Figure | PageBreak


@dataclass
class Attachment:
    key: str
    title: str
    blocks: list[Block]


@dataclass
class ReportContext:
    title: str
    department: str
    year: int | None
    file_stem: str                  # '<单位名称><年度>年度部门整体支出绩效自评报告' (sanitised)
    base_stem: str                  # '<单位名称><年度>年度部门整体支出绩效自评' for 附件/评价结果
    blocks: list[Block]
    attachments: list[Attachment]
    evaluation: dict                # Evaluation.to_dict()
    warnings: list[str] = field(default_factory=list)

    def all_blocks(self) -> list[Block]:
        out = list(self.blocks)
        for a in self.attachments:
            out.append(PageBreak())
            out.extend(a.blocks)
        return out

    @property
    def charts(self) -> list[ChartSpec]:
        return [b.chart for b in self.all_blocks() if isinstance(b, Figure)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.all_blocks() if isinstance(b, Table)]


def safe_name(text: str, fallback: str = "未命名单位") -> str:
    """A file-name part: no path separators, control or reserved characters, not empty, ≤ 80 chars."""
    return safe_filename(text, fallback, 80)


def build_context(evaluation: Evaluation) -> ReportContext:
    """Pure: the whole report (body and attachments) as blocks, from one Evaluation."""
    from .attachments import build_attachments
    from .sections import build_body

    d = evaluation.department
    name = d.name or "【待补充：单位名称】"
    year = d.year
    ytxt = str(year) if year else "【待补充：年度】"
    title = f"{name}{ytxt}年度部门整体支出绩效自评报告"
    base = f"{safe_name(d.name)}{year if year else ''}年度部门整体支出绩效自评"
    _CELL_POOL["cells"] = {}
    try:
        blocks = build_body(evaluation)
        attachments = build_attachments(evaluation)
    finally:
        _CELL_POOL.pop("cells", None)
    return ReportContext(title=title, department=d.name, year=year, file_stem=base + "报告",
                         base_stem=base, blocks=blocks, attachments=attachments,
                         evaluation=evaluation.to_dict())

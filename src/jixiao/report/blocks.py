"""The document tree every renderer lays out: tables with merged cells, headings, paragraphs,
figures, page breaks, attachments. Plain frozen data, no behaviour beyond the table grid."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .charts import ChartSpec


@dataclass(frozen=True, slots=True)  # slots: a 50,000-project report has millions of cells
class Cell:
    """A table cell. ``colspan``/``rowspan`` > 1 merge cells; covered positions are omitted."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    align: str = "center"  # left | center | right
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
    widths: tuple[int, ...]  # relative column widths; len == number of grid columns
    header_rows: int = 1
    caption: str = ""  # a line above the table (bold, centred)
    unit: str = "单位：万元"  # right-aligned line above the table ('' for none)
    small: bool = False  # smaller font (attachments)
    sheet: str = ""  # short sheet name in the attachments workbook (≤ 31 chars)
    row_height: int = 0  # minimum row height in twips (a blank form leaves room to write)

    def __post_init__(self):
        pool = _CELL_POOL.get("cells")
        if pool is not None:  # equal cells shared: 50,000 project forms repeat the same few thousand
            object.__setattr__(
                self, "rows", tuple(tuple(pool.setdefault(c, c) for c in row) for row in self.rows)
            )

    @property
    def ncols(self) -> int:
        return len(self.widths)

    def grid(self) -> list[list[tuple[Cell, str] | None]]:
        """The table as a full grid: (cell, role) where role is 'origin' or 'covered-v'/'covered-h'.

        Renderers that need every position (Word's vMerge continuation cells) use this. Built on each
        call and not kept: a report of 50,000 project forms would otherwise hold every grid at once.
        """
        return self._grid()

    def _grid(self) -> list[list[tuple[Cell, str] | None]]:
        nrows = len(self.rows)
        ncols = self.ncols
        grid: list[list[tuple[Cell, str] | None]] = [[None] * ncols for _ in range(nrows)]
        for r, row in enumerate(self.rows):
            g = grid[r]
            c = 0
            for cell in row:
                while c < ncols and g[c] is not None:
                    c += 1
                if c >= ncols:
                    raise ValueError(f"table {self.key}: row {r} has too many cells")
                if cell.colspan == 1 and cell.rowspan == 1:  # the common case, without the span loops
                    g[c] = (cell, "origin")
                    c += 1
                    continue
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
    level: int  # 1 一、 2 （一） 3 1.
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    #: body | formula (a body line holding a long calculation: left-aligned, never letter-spaced)
    #: | intro / formula_intro (a line introducing the table or chart below: kept with it)
    #: | title | subtitle | note | right | center | lead (a bold run-in title of a numbered point)
    kind: str = "body"


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

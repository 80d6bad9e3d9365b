"""Where each value sits in the workbook: sheet titles, column positions and fixed-row numbers.

The parser records the layout it found (a user may reorder columns or add a title row); checks
use it to point each issue at the exact cell. A Department built without a workbook (tests)
gets ``default_layout()``, the template's own layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..issues import Location
from . import schema
from .read import cell_ref


@dataclass
class Layout:
    file: str | None = None
    titles: dict[str, str] = field(default_factory=dict)  # schema name → title as typed
    columns: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet → field → column (1-based)
    label_rows: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet → row label → Excel row

    def title(self, sheet: str) -> str:
        return self.titles.get(sheet, sheet)

    def col(self, sheet: str, fld: str) -> int | None:
        return self.columns.get(sheet, {}).get(fld)

    def row_of(self, sheet: str, label: str) -> int | None:
        return self.label_rows.get(sheet, {}).get(label)

    def loc(
        self,
        sheet: str,
        fld: str | None = None,
        *,
        row: int | None = None,
        label: str | None = None,
        key: str | None = None,
    ) -> Location:
        """Location of ``fld`` in a row given by number or by its fixed label."""
        if row is None and label is not None:
            row = self.row_of(sheet, label)
        c = self.col(sheet, fld) if fld else None
        cell = cell_ref(row, c) if (row and c) else None
        return Location(
            file=self.file, sheet=self.title(sheet), cell=cell, row=row, key=key if key is not None else label
        )


def default_layout(file: str | None = None) -> Layout:
    """The template's layout: header in row 1, columns and fixed rows in schema order."""
    lay = Layout(file=file)
    for s in schema.SHEETS:
        lay.titles[s.name] = s.name
        lay.columns[s.name] = {c.field: i for i, c in enumerate(s.columns, start=1)}
        lay.label_rows[s.name] = {r.label: i for i, r in enumerate(s.rows, start=2)}
    return lay

"""Build real .xlsx workbooks for tests.

``make_workbook(tmp_path, data, ...)`` writes a workbook from the template plus ``data`` (the
shape ``jixiao.workbook.template.fill_workbook`` takes), so each test shows exactly the data it
needs. With ``base="example"`` it starts from the bundled example's data
(examples/build_changsha_kjj_2023.py) and ``data`` overrides it: for sheets with fixed rows the
given cells replace the example's cells of that row, for record sheets the given list replaces
the rows (or use ``rows_edit`` to change a few rows). ``cells`` sets raw cells afterwards
(e.g. ``{("公共项目", "D3"): 6800}`` or ``"一千五百"``), ``edit`` gets the openpyxl workbook for
anything else (delete a sheet, insert a title row, merge cells …).

    path = make_workbook(tmp_path, {"公共项目": [{"项目名称": "甲", "年初预算": 1, "全年预算": 1}]})
    path = make_workbook(tmp_path, base="example", cells={("公共项目", "D3"): 6800})
"""

from __future__ import annotations

import copy
import importlib.util
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from jixiao.workbook import schema
from jixiao.workbook.template import build_template, fill_workbook, workbook_bytes

ROOT = Path(__file__).resolve().parents[1]
_BUILD = ROOT / "examples" / "build_changsha_kjj_2023.py"


def _example_module():
    spec = importlib.util.spec_from_file_location("build_changsha_kjj_2023", _BUILD)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def example_data() -> dict:
    """A fresh copy of the example's data (free to change)."""
    return copy.deepcopy(_example_module().data())


def merge_data(base: Mapping, data: Mapping) -> dict:
    out = copy.deepcopy(dict(base))
    for sheet, content in data.items():
        spec = schema.BY_NAME[sheet]
        if spec.kind == schema.TABLE or sheet not in out:
            out[sheet] = copy.deepcopy(content)
        elif spec.kind == schema.KV:
            out[sheet] = {**out[sheet], **content}
        else:
            merged = dict(out[sheet])
            for label, vals in content.items():
                merged[label] = {**merged.get(label, {}), **vals}
            out[sheet] = merged
    return out


def make_workbook(
    tmp_path: Path,
    data: Mapping | None = None,
    *,
    base: str = "blank",
    name: str = "基础数据表.xlsx",
    rows_edit: Mapping[str, Callable[[list[dict]], list[dict] | None]] | None = None,
    cells: Mapping[tuple[str, str], object] | None = None,
    drop: tuple[str, ...] = (),
    edit: Callable[[Workbook], None] | None = None,
) -> Path:
    """Write a workbook into ``tmp_path`` and return its path (see the module docstring)."""
    full = example_data() if base == "example" else {}
    full = merge_data(full, data or {})
    for sheet, fn in (rows_edit or {}).items():
        rows = full.setdefault(sheet, [])
        res = fn(rows)
        if res is not None:
            full[sheet] = res
    wb = build_template()
    fill_workbook(wb, full)
    for (sheet, coord), v in (cells or {}).items():
        wb[sheet][coord].value = v
    for sheet in drop:
        del wb[sheet]
    if edit is not None:
        edit(wb)
    p = Path(tmp_path) / name
    p.write_bytes(workbook_bytes(wb))
    return p


def find_row(path: Path, sheet: str, first_cell: str) -> int:
    """Excel row whose column A reads ``first_cell`` (for tests that point at a project row)."""
    from openpyxl import load_workbook

    ws = load_workbook(path)[sheet]
    for r in range(1, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == first_cell:
            return r
    raise KeyError(first_cell)


def D(x) -> Decimal:  # named like the Decimal constructor it wraps
    return Decimal(str(x))

"""Benchmark: read + parse + check a workbook, against calamine alone reading the same file.

    python benchmarks/bench_check.py            # example + 500/1,000/2,000/4,000 project rows
    python benchmarks/bench_check.py --quick    # fewer repeats

Target (issue 2): load ≤ 3× the calamine floor, and linear in rows. Times are CPU seconds of
this process (the least disturbed of several runs), so other work on the machine matters less.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import python_calamine as pc

from jixiao.workbook import load
from jixiao.workbook.template import build_template, fill_workbook, workbook_bytes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "changsha-kjj-2023.xlsx"


def calamine_floor(path: Path) -> None:
    wb = pc.CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    wb.close()


def timed(fn, path: Path, repeat: int) -> float:
    fn(path)  # warm-up (imports, file cache)
    runs = []
    for _ in range(repeat):
        t = time.process_time()  # CPU time: steadier than wall time on a shared machine
        fn(path)
        runs.append(time.process_time() - t)
    return min(runs)  # the least disturbed run: the machine is shared


def generated(path: Path, n: int) -> Path:
    """A workbook with ``n`` project rows (half 部门项目, half 公共项目) that reconcile."""
    half = n // 2
    dept = [
        {
            "项目名称": f"部门项目{i:05d}",
            "年初预算": Decimal(100 + i % 50),
            "预算调整": Decimal("-1.25"),
            "全年预算": Decimal(100 + i % 50) - Decimal("1.25"),
            "决算": Decimal(90 + i % 50),
            "差异原因": "按进度支付",
        }
        for i in range(half)
    ]
    public = [
        {
            "项目名称": f"公共项目{i:05d}",
            "年初预算": Decimal(1000 + i),
            "全年预算": Decimal(1000 + i),
            "实际分配": Decimal(900 + i),
            "指标文号": f"某财指〔2023〕{i}号",
        }
        for i in range(n - half)
    ]
    d_full = sum((r["全年预算"] for r in dept), Decimal(0))
    p_full = sum((r["全年预算"] for r in public), Decimal(0))
    data = {
        "基本信息": {"单位名称": "基准测试局", "年度": 2023},
        "支出总表": {
            "部门项目支出": {
                "年初预算": sum((r["年初预算"] for r in dept), Decimal(0)),
                "预算调整": Decimal("-1.25") * half,
                "全年预算": d_full,
                "决算": sum((r["决算"] for r in dept), Decimal(0)),
            },
            "公共项目支出": {
                "年初预算": p_full,
                "全年预算": p_full,
                "决算": sum((r["实际分配"] for r in public), Decimal(0)),
            },
        },
        "部门项目": dept,
        "公共项目": public,
    }
    wb = build_template()
    fill_workbook(wb, data)
    path.write_bytes(workbook_bytes(wb))
    return path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--sizes", default="500,1000,2000,4000")
    args = ap.parse_args()
    repeat = 3 if args.quick else 7
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        files = [("示例 changsha-kjj-2023", EXAMPLE, 30)]
        for n in (int(x) for x in args.sizes.split(",")):
            files.append((f"生成 {n} 行项目", generated(Path(tmp) / f"gen{n}.xlsx", n), n))
        for label, path, n in files:
            res = load(path)
            errors = sum(1 for i in res.issues if i.severity == "error")
            floor = timed(calamine_floor, path, repeat)
            full = timed(load, path, repeat)
            rows.append((label, n, path.stat().st_size, floor, full, errors))
    print(
        f"{'文件':<24}{'项目行':>8}{'大小KB':>9}{'calamine(ms)':>14}{'读取+校验(ms)':>16}{'倍数':>7}{'错误':>6}"
    )
    for label, n, size, floor, full, errors in rows:
        print(
            f"{label:<24}{n:>8}{size // 1024:>9}{floor * 1000:>14.1f}{full * 1000:>16.1f}{full / floor:>7.2f}{errors:>6}"
        )
    gen = [r for r in rows if r[0].startswith("生成")]
    if len(gen) >= 2:
        (_, n0, _, _, t0, _), (_, n1, _, _, t1, _) = gen[0], gen[-1]
        print(
            f"线性度：行数 ×{n1 / n0:.1f}，耗时 ×{t1 / t0:.2f}（每千行 {(t1 - t0) / (n1 - n0) * 1e6:.1f} ms）"
        )
    worst = max(r[4] / r[3] for r in rows)
    print(f"最大倍数 {worst:.2f}（目标 ≤ 3）")
    return 0 if worst <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())

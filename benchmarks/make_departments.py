"""Write N realistic synthetic department workbooks in the real template format.

Each department has a random size (staff, budget, 2–40 projects, performance indicators, KPIs);
all figures reconcile (年初 + 调整 = 全年, totals = sum of parts, assets roll forward) except in
the few workbooks deliberately broken (``--error-rate``): a total that does not add up, a missing
unit name, text in an amount cell, or a truncated (unreadable) file.

    python benchmarks/make_departments.py OUT_DIR -n 1000 [--years 2022,2023] [--seed 1]

Amounts are generated as integers of 分 and written as Decimal (no float anywhere).
"""

from __future__ import annotations

import argparse
import random
import sys
from decimal import Decimal
from pathlib import Path

ERROR_KINDS = ("total_mismatch", "missing_name", "text_amount", "truncated")
_D = Decimal

PREFIXES = ("市", "区", "县")
SUBJECTS = (
    "教育局",
    "民政局",
    "科学技术局",
    "财政局",
    "交通运输局",
    "农业农村局",
    "文化旅游局",
    "卫生健康委员会",
    "生态环境局",
    "住房和城乡建设局",
    "水利局",
    "商务局",
    "司法局",
    "审计局",
    "统计局",
    "体育局",
    "市场监督管理局",
    "应急管理局",
    "医疗保障局",
    "自然资源和规划局",
)
PLACES = (
    "长沙",
    "株洲",
    "湘潭",
    "衡阳",
    "邵阳",
    "岳阳",
    "常德",
    "张家界",
    "益阳",
    "郴州",
    "永州",
    "怀化",
    "娄底",
    "开福",
    "岳麓",
    "天心",
    "雨花",
    "芙蓉",
    "望城",
    "浏阳",
    "宁乡",
)
PROJECT_WORDS = (
    "信息化建设",
    "专项补助",
    "运行维护",
    "人才引进",
    "平台建设",
    "宣传培训",
    "监督检查",
    "课题研究",
    "设备购置",
    "应急保障",
    "基础设施维修",
    "奖励资金",
    "公共服务购买",
    "示范项目",
    "专项整治",
)


def money(rng: random.Random, lo_wan: int, hi_wan: int) -> Decimal:
    """A random amount in 万元 with 2 places, from integer 分."""
    return _D(rng.randint(lo_wan * 100, hi_wan * 100)).scaleb(-2)


def frac(rng: random.Random, x: Decimal, lo: int, hi: int) -> Decimal:
    """x × (a random percentage in lo..hi), rounded down to 分 (exact integer arithmetic)."""
    cents = int(x * 100)
    return _D(cents * rng.randint(lo, hi) // 100).scaleb(-2)


def unit_name(i: int) -> str:
    place = PLACES[i % len(PLACES)]
    subj = SUBJECTS[(i // len(PLACES)) % len(SUBJECTS)]
    n = i // (len(PLACES) * len(SUBJECTS))
    return f"{place}{PREFIXES[(i // 7) % 3]}{subj}" + (f"第{n + 1}分局" if n else "")


def budget_line(rng, initial: Decimal, adj_pct=(-15, 25), exec_pct=(55, 100)):
    adj = frac(rng, initial, *adj_pct) if rng.random() < 0.6 else _D("0.00")
    full = initial + adj
    actual = frac(rng, full, *exec_pct)
    prior = frac(rng, initial, 70, 130)
    return {"年初预算": initial, "预算调整": adj, "全年预算": full, "决算": actual, "上年决算": prior}


def _sum(rows, key):
    return sum((r[key] for r in rows), _D("0.00"))


def department(i: int, year: int, seed: int) -> dict:
    """The fill_workbook data of department ``i`` in ``year`` (deterministic in i, year, seed)."""
    rng = random.Random(seed * 1_000_003 + i * 101 + year)
    size = rng.choice((1, 1, 1, 2, 2, 3, 5))  # small units are common, big ones rare
    staff_auth = {
        "行政编制": rng.randint(10, 60) * size,
        "事业编制": rng.randint(0, 40) * size,
        "工勤编制": rng.randint(0, 6),
        "雇员员额": rng.randint(0, 8),
    }
    in_service = int(sum(staff_auth.values()) * rng.randint(80, 100) / 100)
    basic_parts = {
        "工资福利支出": money(rng, 300, 1500 * size),
        "商品和服务支出": money(rng, 50, 400 * size),
        "对个人和家庭的补助": money(rng, 5, 120 * size),
        "资本性支出": money(rng, 0, 60 * size),
    }
    spending = {k: budget_line(rng, v, (-3, 8), (92, 100)) for k, v in basic_parts.items()}
    basic = {c: _sum(spending.values(), c) for c in ("年初预算", "预算调整", "全年预算", "决算", "上年决算")}

    n_dept = rng.randint(1, 6 * size)
    n_pub = rng.randint(0, 4 * size + 2)
    dept_rows, pub_rows, used = [], [], set()

    def pname():
        while True:
            n = f"{rng.choice(('年度', '重点', '专项', '综合', '基层'))}{rng.choice(PROJECT_WORDS)}{rng.randint(1, 99)}"
            if n not in used:
                used.add(n)
                return n

    for _ in range(n_dept):
        bl = budget_line(rng, money(rng, 5, 800 * size))
        dept_rows.append(
            {
                "项目名称": pname(),
                **bl,
                "差异原因": "" if bl["决算"] == bl["全年预算"] else "部分工作延至下年",
            }
        )
    for _ in range(n_pub):
        bl = budget_line(rng, money(rng, 50, 5000 * size), (-30, 60), (30, 100))
        pub_rows.append(
            {
                "项目名称": pname(),
                "年初预算": bl["年初预算"],
                "预算调整": bl["预算调整"],
                "全年预算": bl["全年预算"],
                "实际分配": bl["决算"],
                "指标文号": f"财预〔{year}〕{rng.randint(1, 300)}号",
                "未执行原因": "" if bl["决算"] == bl["全年预算"] else "项目进度滞后",
            }
        )
    dept_sum = {c: _sum(dept_rows, c) for c in ("年初预算", "预算调整", "全年预算", "决算", "上年决算")}
    pub_sum = {c: _sum(pub_rows, c) for c in ("年初预算", "预算调整", "全年预算")}
    pub_sum["决算"] = _sum(pub_rows, "实际分配")
    pub_sum["上年决算"] = frac(rng, pub_sum["年初预算"], 60, 140) if pub_rows else _D("0.00")
    proj = {c: dept_sum[c] + pub_sum[c] for c in dept_sum}
    total = {c: basic[c] + proj[c] for c in basic}
    spend_sheet = {
        **spending,
        "基本支出合计": basic,
        "部门项目支出": dept_sum,
        "公共项目支出": pub_sum,
        "项目支出合计": proj,
        "整体支出合计": total,
        "政府性基金预算支出": {"决算": _D("0.00")},
        "国有资本经营预算支出": {"决算": _D("0.00")},
        "社会保险基金预算支出": {"决算": _D("0.00")},
        "上年结转": {"决算": money(rng, 0, 300 * size)},
        "年末结转结余": {"决算": money(rng, 0, 300 * size)},
    }

    tp = {}
    for name, hi in (("公务用车购置及运行费", 40), ("因公出国（境）费", 15), ("公务接待费", 20)):
        b = money(rng, 0, hi * size)
        tp[name] = {
            "上年预算": frac(rng, b, 90, 130),
            "上年决算": frac(rng, b, 50, 110),
            "本年预算": b,
            "本年决算": frac(rng, b, 20, 100),
            "变动原因": "严控一般性支出",
        }
    pf_budget = frac(rng, basic["全年预算"], 8, 20)

    perf = []
    for r in (dept_rows + pub_rows)[:12]:
        for lvl1, lvl2, lvl3, nature, unit in (
            ("产出指标", "数量指标", "完成事项数", "≥", "项"),
            ("产出指标", "时效指标", "按时完成率", "≥", "%"),
            ("效益指标", "社会效益指标", "服务对象覆盖面", "≥", "%"),
            ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", "%"),
        ):
            target = _D(rng.randint(5, 100))
            actual = target if rng.random() < 0.8 else frac(rng, target, 60, 99)
            perf.append(
                {
                    "项目名称": r["项目名称"],
                    "一级指标": lvl1,
                    "二级指标": lvl2,
                    "三级指标": lvl3,
                    "指标性质": nature,
                    "年度指标值": target,
                    "单位": unit,
                    "实际完成值": actual,
                }
            )
    kpis = [
        {
            "指标": f"完成年度重点任务{k + 1}",
            "指标性质": "≥",
            "目标值": _D(t := rng.randint(3, 400)),
            "完成值": _D(t if rng.random() < 0.85 else rng.randint(1, t)),
            "单位": "项",
        }
        for k in range(rng.randint(2, 8))
    ]
    surveyed = rng.randint(50, 800)

    fixed_orig = money(rng, 100, 3000 * size)
    dep = frac(rng, fixed_orig, 10, 60)
    parts = {
        "货币资金": money(rng, 50, 5000 * size),
        "其他应收款": money(rng, 0, 300),
        "预付账款": money(rng, 0, 200),
        "无形资产": money(rng, 0, 100 * size),
    }
    assets = {k: {"上年末": frac(rng, v, 50, 150), "本年末": v} for k, v in parts.items()}
    assets["固定资产原值"] = {"上年末": frac(rng, fixed_orig, 85, 100), "本年末": fixed_orig}
    assets["累计折旧"] = {"上年末": frac(rng, dep, 70, 100), "本年末": dep}
    assets["固定资产净值"] = {
        c: assets["固定资产原值"][c] - assets["累计折旧"][c] for c in ("上年末", "本年末")
    }
    assets["资产总额"] = {
        c: sum((assets[k][c] for k in (*parts, "固定资产净值")), _D("0.00")) for c in ("上年末", "本年末")
    }
    proc_full = frac(rng, basic["全年预算"], 1, 10)
    manual = []
    if rng.random() < 0.85:  # most evaluators have scored the qualitative items; the rest stay 待评
        for item in _qualitative_items():
            manual.append(
                {"指标": item.id, "得分": frac(rng, item.weight, 60, 100), "依据": "查阅相关制度和资料"}
            )

    return {
        "基本信息": {
            "单位名称": unit_name(i),
            "年度": year,
            "金额单位": "万元",
            "主管部门": "市人民政府",
            "主要职能": "负责本部门职责范围内的政策制定、组织实施和监督管理。",
            "重点工作": "围绕年度目标推进各项重点任务。",
        },
        "人员编制": {
            **{k: {"人数": v} for k, v in staff_auth.items()},
            "实有在职人数": {"人数": in_service},
            "其他雇员": {"人数": rng.randint(0, staff_auth["雇员员额"])},
            "离退休人数": {"人数": rng.randint(0, 40)},
        },
        "支出总表": spend_sheet,
        "三公经费": tp,
        "公用经费": {
            "公用经费": {
                "预算": pf_budget,
                "决算": frac(rng, pf_budget, 85, 100),
                "上年决算": frac(rng, pf_budget, 80, 110),
            }
        },
        "部门项目": dept_rows,
        "公共项目": pub_rows,
        "项目绩效指标": perf,
        "政府采购": {
            "合计": {
                "年初采购预算": proc_full,
                "全年采购预算": proc_full,
                "实际采购": frac(rng, proc_full, 70, 100),
            }
        },
        "资产": assets,
        "履职目标": kpis,
        "满意度": {"问卷数": {"数值": surveyed}, "满意数": {"数值": surveyed * rng.randint(85, 100) // 100}},
        "定性评分": manual,
    }


def _qualitative_items():
    """The default framework's evaluator-scored items (read from the framework, not hard-coded)."""
    from jixiao.frameworks.loader import load_framework

    return [i for i in load_framework(None).items if i.rule in ("qualitative", "manual")]


def break_data(data: dict, kind: str) -> None:
    if kind == "total_mismatch":
        data["支出总表"]["整体支出合计"]["决算"] += _D("123.45")
    elif kind == "missing_name":
        data["基本信息"]["单位名称"] = ""
    elif kind == "text_amount":
        data["支出总表"]["基本支出合计"]["年初预算"] = "待补充"


def write_one(path: Path, data: dict, error: str | None = None) -> Path:
    from jixiao.workbook.template import build_template, fill_workbook, workbook_bytes

    if error and error != "truncated":
        break_data(data, error)
    wb = build_template()
    fill_workbook(wb, data)
    blob = workbook_bytes(wb)
    if error == "truncated":
        blob = blob[: len(blob) // 3]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(blob)
    return path


def _write_task(args) -> Path:
    p, i, year, seed, err = args
    return write_one(p, department(i, year, seed), err)


def make(
    out: Path,
    n: int,
    years: tuple[int, ...] = (2023,),
    seed: int = 1,
    error_rate: float = 0.03,
    start: int = 0,
    jobs: int = 1,
) -> list[tuple[Path, str | None]]:
    """Write n workbooks per year into ``out`` (sub-folders by year when several years), in ``jobs``
    processes. Returns (path, error kind or None) for each file; the same arguments give the same files."""
    rng = random.Random(seed)
    tasks = []
    for year in years:
        folder = out / str(year) if len(years) > 1 else out
        for i in range(start, start + n):
            err = rng.choice(ERROR_KINDS) if rng.random() < error_rate else None
            tasks.append((folder / f"{i:05d}-{unit_name(i)}-{year}.xlsx", i, year, seed, err))
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as pool:
            paths = list(pool.map(_write_task, tasks, chunksize=8))
    else:
        paths = [_write_task(t) for t in tasks]
    return [(p, t[4]) for p, t in zip(paths, tasks, strict=True)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="生成 N 个合成的部门基础数据表（真实模板格式）")
    ap.add_argument("out", type=Path)
    ap.add_argument("-n", type=int, default=50, help="每个年度的单位数")
    ap.add_argument("--years", default="2023", help="年度，逗号分隔，如 2022,2023")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--error-rate", type=float, default=0.03, help="故意出错的文件比例")
    ap.add_argument("--jobs", type=int, default=1, help="并行进程数")
    a = ap.parse_args(argv)
    years = tuple(int(y) for y in a.years.split(","))
    made = make(a.out, a.n, years, a.seed, a.error_rate, jobs=a.jobs)
    bad = sum(1 for _, e in made if e)
    print(f"wrote {len(made)} workbooks into {a.out} ({bad} with deliberate errors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: peak memory (RSS) and time of check / evaluate / report for very large workbooks and
for the refused bombs of issue 14 — each run in its own process, measured with wait4()'s
ru_maxrss (the figure /usr/bin/time -v prints as "Maximum resident set size").

    python benchmarks/bench_memory.py [--projects 5000,50000] [--work DIR] [--skip-bombs]

The workbooks are generated first (benchmarks/make_hostile.py; never committed). Prints one line
per case and checks each against limits.PEAK_MEMORY_BUDGET_BYTES; the figures are recorded in
docs/limits.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import make_hostile  # noqa: E402

from jixiao import limits  # noqa: E402


def measure(args: list[str]) -> tuple[int, float, int, str]:
    """(exit code, seconds, peak RSS in KiB, the error line of stderr) of ``python -m jixiao ARGS``."""
    t = time.perf_counter()
    p = subprocess.Popen(
        [sys.executable, "-m", "jixiao", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=os.environ | {"PYTHONPATH": str(ROOT / "src")},
    )
    err = p.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    said = next((ln for ln in lines if "错误" in ln), lines[-1] if lines else "")
    return p.returncode, time.perf_counter() - t, usage.ru_maxrss, said


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", default="5000,50000", help="部门项目 rows of the large workbooks")
    ap.add_argument("--work", type=Path, default=None, help="folder for the generated files (default: temp)")
    ap.add_argument("--skip-bombs", action="store_true")
    a = ap.parse_args(argv)
    work = a.work or Path(tempfile.mkdtemp(prefix="jixiao-bench-mem-"))
    work.mkdir(parents=True, exist_ok=True)
    budget_kib = limits.PEAK_MEMORY_BUDGET_BYTES // 1024
    cases: list[tuple[str, list[str]]] = []
    if not a.skip_bombs:
        flood_within = lambda p: make_hostile.issue_flood(p, rows=50_000, columns="BCDEF")  # noqa: E731
        for name, make in (
            ("stray-bomb", make_hostile.stray_bomb),
            ("issue-flood", make_hostile.issue_flood),
            ("issue-flood-50k-rows", flood_within),
            ("whitespace-bomb", make_hostile.whitespace_bomb),
        ):
            p = work / f"{name}.xlsx"
            if not p.exists():
                make(p)
            cases.append(
                (f"{name} ({p.stat().st_size / 2**20:.1f} MB) check", ["check", str(p), "--format", "json"])
            )
        p = work / "whitespace-bomb.docx"
        if not p.exists():
            make_hostile.docx_whitespace_bomb(p)
        cases.append((f"whitespace-bomb.docx ({p.stat().st_size / 2**20:.1f} MB) audit", ["audit", str(p)]))
    for n in (int(x) for x in a.projects.split(",") if x):
        p = work / f"projects-{n}.xlsx"
        if not p.exists():
            make_hostile.many_projects(p, n)
        out = work / f"out-{n}"
        cases += [
            (f"{n:,} projects check", ["check", str(p), "--format", "json"]),
            (f"{n:,} projects evaluate --format json", ["evaluate", str(p), "--format", "json"]),
            (
                f"{n:,} projects report docx,html,xlsx,json",
                ["report", str(p), "-o", str(out), "--format", "docx,html,xlsx,json"],
            ),
        ]
    print(f"{'case':52} {'exit':>4} {'seconds':>8} {'peak RSS':>10}")
    over = 0
    for label, args in cases:
        code, secs, kib, last = measure(args)
        flag = "" if kib <= budget_kib else "  OVER BUDGET"
        over += bool(flag)
        print(f"{label:52} {code:>4} {secs:8.1f} {kib / 1024:8.0f} MB{flag}", flush=True)
        if code not in (0, 1):
            print(f"    {last}")
    print(f"budget: {budget_kib / 1024:.0f} MB (limits.PEAK_MEMORY_BUDGET_BYTES); files in {work}")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())

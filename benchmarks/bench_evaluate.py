"""Benchmark: evaluate N departments in-process (default 1,000) and report departments/s.

    .venv/bin/python benchmarks/bench_evaluate.py [--n 1000] [--framework six-dimension]

The departments are the reference department (30 projects) and the synthetic one, with their
figures perturbed per copy so that nothing is cached between runs except the parsed framework.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from reference_department import reference_department  # noqa: E402
from synthetic_department import synthetic_department  # noqa: E402

from jixiao.evaluate import evaluate  # noqa: E402
from jixiao.frameworks import load_framework  # noqa: E402


def departments(n: int):
    bases = [reference_department(), synthetic_department()]
    out = []
    for i in range(n):
        d = copy.deepcopy(bases[i % 2])
        bump = Decimal(i % 97) / 100
        for p in d.projects:
            if p.actual is not None:
                p.actual += bump
        if d.spending.total.actual is not None:
            d.spending.total.actual += bump
        d.name = f"{d.name}{i}"
        out.append(d)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--framework", default=None)
    args = ap.parse_args()
    depts = departments(args.n)
    fw = load_framework(args.framework)  # the YAML is read once, by the caller
    t0 = time.perf_counter()
    findings = items = 0
    for d in depts:
        ev = evaluate(d, fw)
        findings += len(ev.findings)
        items += len(ev.score.items) + sum(len(p.score.items) for p in ev.project_scores)
    dt = time.perf_counter() - t0
    print(
        f"evaluated {args.n} departments in {dt:.2f} s: {args.n / dt:,.0f} departments/s "
        f"({dt / args.n * 1000:.2f} ms each; {findings} findings, {items} scored items)"
    )


if __name__ == "__main__":
    main()

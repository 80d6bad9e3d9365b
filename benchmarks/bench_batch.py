"""Scale benchmark of ``jixiao batch``.

    python benchmarks/bench_batch.py -n 1000 [--formats json] [--workdir DIR]

Generates N synthetic workbooks (benchmarks/make_departments.py, ~3 % deliberately broken), then
measures, each batch in a fresh child process with a fresh SQLite store:

* calamine alone reading every sheet of every file (the floor: no parsing, checks or output);
* the batch with 1 process and with 2 processes: wall time, departments/s, speed-up;
* peak memory (ru_maxrss) of the batch parent and of its busiest worker, at N/10 and at N
  (flat in N means the parent does not accumulate results).

Prints a table and one JSON line (for docs/batch.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _maxrss_mb() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / (1024 * 1024) if sys.platform == "darwin" else r / 1024


def child(src: str, out: str, jobs: int, formats: str) -> None:
    """Run one batch in this (fresh) process and print its measurements as JSON."""
    from jixiao.batch import run_batch, write_summary
    from jixiao.store import Store, sqlite_url

    store = Store.open(sqlite_url(Path(out) / "jixiao.db"))
    t0 = time.perf_counter()
    res = run_batch(
        Path(src), Path(out), store=store, jobs=jobs, formats=tuple(f for f in formats.split(",") if f)
    )
    t_batch = time.perf_counter() - t0
    write_summary(res, store)
    wall = time.perf_counter() - t0
    store.close()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "parent_cpu_s": me.ru_utime + me.ru_stime,
                "workers_cpu_s": kids.ru_utime + kids.ru_stime,
                "jobs": jobs,
                "files": len(res.items),
                "counts": res.counts(),
                "batch_s": t_batch,
                "wall_s": wall,
                "parent_mb": _maxrss_mb(),
                "worker_mb": res.worker_maxrss_kb / 1024,
            }
        )
    )


def run_child(src: Path, out: Path, jobs: int, formats: str) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    p = subprocess.run(
        [sys.executable, __file__, "--child", str(src), str(out), str(jobs), formats],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(p.stdout.strip().splitlines()[-1])


def calamine_floor(files: list[Path]) -> float:
    from python_calamine import CalamineWorkbook

    t0 = time.perf_counter()
    for f in files:
        try:
            wb = CalamineWorkbook.from_path(str(f))
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python()
        except Exception:  # noqa: BLE001 - the deliberately broken files
            pass
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("--formats", default="json", help="batch --format (default json)")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        child(a.child[0], a.child[1], int(a.child[2]), a.child[3])
        return 0
    sys.path.insert(0, str(HERE))
    import make_departments

    work = a.workdir or Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    small_n = max(5, a.n // 10)
    big, small = work / f"in-{a.n}", work / f"in-{small_n}"
    t0 = time.perf_counter()
    for d, n in ((big, a.n), (small, small_n)):
        if not d.exists() or len(list(d.glob("*.xlsx"))) != n:
            shutil.rmtree(d, ignore_errors=True)
            make_departments.make(d, n, seed=a.seed, jobs=2)
    t_gen = time.perf_counter() - t0
    files = sorted(big.glob("*.xlsx"))
    size_mb = sum(f.stat().st_size for f in files) / 1e6

    floor = calamine_floor(files)
    r1 = run_child(big, work / "out-1", 1, a.formats)
    r2 = run_child(big, work / "out-2", 2, a.formats)
    rs = run_child(small, work / "out-small", 2, a.formats)
    res = {
        "n": a.n,
        "formats": a.formats,
        "cpus": os.cpu_count(),
        "input_mb": round(size_mb, 1),
        "generate_s": round(t_gen, 1),
        "calamine_s": round(floor, 2),
        "jobs1_s": round(r1["wall_s"], 1),
        "jobs2_s": round(r2["wall_s"], 1),
        "jobs1_per_s": round(a.n / r1["wall_s"], 1),
        "jobs2_per_s": round(a.n / r2["wall_s"], 1),
        "speedup": round(r1["wall_s"] / r2["wall_s"], 2),
        "parent_mb_small": round(rs["parent_mb"]),
        "worker_mb_small": round(rs["worker_mb"]),
        "parent_mb": round(r2["parent_mb"]),
        "worker_mb": round(r2["worker_mb"]),
        "parent_mb_jobs1": round(r1["parent_mb"]),
        "small_n": small_n,
        "counts": r2["counts"],
        "cpu_jobs1_s": round(r1["parent_cpu_s"], 1),
        "cpu_parent_jobs2_s": round(r2["parent_cpu_s"], 1),
        "cpu_workers_jobs2_s": round(r2["workers_cpu_s"], 1),
        "load_avg": os.getloadavg()[0],
    }
    # what 2 idle cores would give: the 1-process CPU time over the busier of (parent alone, all work / 2)
    c2 = max(r2["parent_cpu_s"], (r2["parent_cpu_s"] + r2["workers_cpu_s"]) / 2)
    res["speedup_cpu_bound"] = round(r1["parent_cpu_s"] / c2, 2)
    print(f"N = {a.n} workbooks ({size_mb:.1f} MB), formats: {a.formats}, {os.cpu_count()} CPUs")
    print(f"  generate            {t_gen:8.1f} s")
    print(f"  calamine only       {floor:8.2f} s   {a.n / floor:8.1f} files/s   (the floor)")
    print(f"  batch, 1 process    {r1['wall_s']:8.1f} s   {res['jobs1_per_s']:8.1f} departments/s")
    print(
        f"  batch, 2 processes  {r2['wall_s']:8.1f} s   {res['jobs2_per_s']:8.1f} departments/s   "
        f"speed-up {res['speedup']:.2f}×"
    )
    print(
        f"  peak memory, 2 processes: parent {res['parent_mb']} MB, worker {res['worker_mb']} MB at N={a.n}; "
        f"parent {res['parent_mb_small']} MB, worker {res['worker_mb_small']} MB at N={small_n}"
    )
    print(
        f"  CPU time: 1 process {res['cpu_jobs1_s']} s; 2 processes: parent {res['cpu_parent_jobs2_s']} s + "
        f"workers {res['cpu_workers_jobs2_s']} s   (load average {res['load_avg']:.1f}); "
        f"speed-up bound from CPU time on 2 idle cores {res['speedup_cpu_bound']:.2f}×"
    )
    print(f"  outcomes: {r2['counts']}")
    print(json.dumps(res, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

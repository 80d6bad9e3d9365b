"""Benchmark ``jixiao audit``: seconds to audit the reference report as .docx (built from the
published .txt at run time) and a ~100-page generated .docx.

    python benchmarks/bench_audit.py [--sections 70] [--repeat 5]

Prints one line per case: pages (estimated), claims, seconds (median of the runs, read + audit)
and the CLI wall time (new process, imports included).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
REFERENCE_TXT = ROOT.parent / "shared" / "reference" / "000_a0527484f83c9cee.txt"

from audit_corpus.builders import synthetic_report, write_docx  # noqa: E402

from jixiao.audit import audit_file  # noqa: E402
from jixiao.audit.numbers import find_numbers, sentences  # noqa: E402
from jixiao.audit.readers import parse_txt, read_document  # noqa: E402
from jixiao.audit.table_claims import parse_cell  # noqa: E402


def pages(doc) -> float:
    """A rough page count: ~1,000 characters of prose or ~28 table rows per A4 page."""
    chars = sum(len(p.text) for p in doc.paragraphs)
    rows = sum(len(t.rows) for t in doc.tables)
    return chars / 1000 + rows / 28


def bench(path: Path, repeat: int) -> dict:
    times, cpu = [], []
    result = None
    for _ in range(repeat):
        for f in (find_numbers, sentences, parse_cell):     # cold caches: every run reads afresh
            f.cache_clear()
        t, c = time.perf_counter(), time.process_time()
        result = audit_file(path)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    t = time.perf_counter()
    cli = subprocess.run([sys.executable, "-m", "jixiao", "audit", str(path), "--format", "json"],
                         capture_output=True)
    wall = time.perf_counter() - t
    return {"pages": round(pages(read_document(path))), "claims": len(result.claims),
            "summary": result.summary, "seconds": statistics.median(times), "cpu": statistics.median(cpu), "cli_wall": wall,
            "cli_exit": cli.returncode}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sections", type=int, default=70, help="generated report: sections (~1.4 pages each)")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        if REFERENCE_TXT.exists():
            ref = write_docx(read_document(REFERENCE_TXT), Path(tmp) / "reference.docx")
            cases.append(("reference .docx", ref))
        gen = write_docx(parse_txt(synthetic_report(1, sections=a.sections)), Path(tmp) / "generated.docx")
        cases.append((f"generated .docx ({a.sections} sections)", gen))
        for name, path in cases:
            r = bench(path, a.repeat)
            print(f"{name}: ~{r['pages']} pages, {r['claims']} claims {r['summary']}, "
                  f"audit {r['seconds']:.3f} s wall / {r['cpu']:.3f} s CPU (median of {a.repeat}), CLI {r['cli_wall']:.2f} s (exit {r['cli_exit']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

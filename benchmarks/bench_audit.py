"""Benchmark ``jixiao audit``: seconds to audit the reference report as .docx (built from the
published .txt at run time) and a ~100-page generated .docx.

    python benchmarks/bench_audit.py [--sections 70] [--repeat 5]
    python benchmarks/bench_audit.py --accuracy     # the full mutation corpus: recall, false mismatches
    python benchmarks/bench_audit.py --pdf           # real published PDFs: audit time ÷ pypdfium2 text time

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
        for f in (find_numbers, sentences, parse_cell):  # cold caches: every run reads afresh
            f.cache_clear()
        t, c = time.perf_counter(), time.process_time()
        result = audit_file(path)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    t = time.perf_counter()
    cli = subprocess.run(
        [sys.executable, "-m", "jixiao", "audit", str(path), "--format", "json"], capture_output=True
    )
    wall = time.perf_counter() - t
    return {
        "pages": round(pages(read_document(path))),
        "claims": len(result.claims),
        "summary": result.summary,
        "seconds": statistics.median(times),
        "cpu": statistics.median(cpu),
        "cli_wall": wall,
        "cli_exit": cli.returncode,
    }


def accuracy(tmp: Path) -> None:
    """The full mutation corpus (every figure, every format): recall and false mismatches."""
    from audit_corpus.builders import synthetic_document, to_txt
    from audit_corpus.mutations import Stats, false_mismatches, run

    def via_txt(doc):
        return parse_txt(to_txt(doc), doc.name)

    def via_docx(doc):
        return read_document(write_docx(doc, tmp / "m.docx"))

    docs = []
    if REFERENCE_TXT.exists():
        docs.append(("reference", read_document(REFERENCE_TXT)))
    docs += [(f"synthetic-{s}", synthetic_document(s)) for s in (1, 2, 3, 4)]
    from audit_corpus.shapes import disclosure_document

    docs.append(("disclosure-shapes", disclosure_document()))
    try:
        from jixiao.evaluate import evaluate
        from jixiao.report import build_context, render_docx_bytes
        from jixiao.workbook import load

        sys.path.insert(0, str(ROOT / "benchmarks"))
        import make_departments

        books = [ROOT / "examples" / "changsha-kjj-2023.xlsx"]
        books += [p for p, _ in make_departments.make(tmp / "wb", 3, seed=11, error_rate=0)]
        for b in books:
            p = tmp / (b.stem + ".docx")
            p.write_bytes(render_docx_bytes(build_context(evaluate(load(b).department))))
            docs.append((f"jixiao-report:{b.stem}", read_document(p)))
    except ImportError as exc:
        print(f"(jixiao report not available: {exc})")
    total = {"stated": Stats(), "inputs": Stats()}
    for name, doc in docs:
        res = {
            "memory": run(doc, label=name),
            "inputs": run(doc, label=name, inputs=True),
            ".txt": run(doc, via_txt, label=name),
            ".docx": run(doc, via_docx, every=1 if not name.startswith("jixiao") else 5, label=name),
        }
        fm = false_mismatches(doc)
        print(
            f"{name}: claims {len(read_and_audit(doc).claims)}, mismatches on the clean document {len(fm)}; "
            + "; ".join(
                f"{k} {v.caught}/{v.made} collateral {len(v.collateral)} short-list {len(v.short_lists)}"
                for k, v in res.items()
            )
        )
        for k in ("memory", ".txt", ".docx"):
            total["stated"].add(res[k])
        total["inputs"].add(res["inputs"])
    for k, st in total.items():
        print(
            f"TOTAL {k}: {st.caught}/{st.made} caught (recall {st.recall:.4f}), collateral {len(st.collateral)}, "
            f"not caught: short of a list that may be incomplete {len(st.short_lists)} {st.short_lists[:8]}, "
            f"other {len(st.missed)} {st.missed[:5]}"
        )
    print(
        "by claim kind (stated figures):",
        {k: f"{c}/{m}" for k, (m, c) in sorted(total["stated"].by_kind.items())},
    )
    for s in range(10, 110):
        fm = false_mismatches(synthetic_document(s))
        if fm:
            print("false mismatch in synthetic", s, [(c.text, c.stated, c.computed) for c in fm])
    print("synthetic reports 10..109: checked for false mismatches")


def read_and_audit(doc):
    from jixiao.audit import audit_document

    return audit_document(doc)


CORPUS = ROOT.parent / "shared" / "corpus"
PDFS = [
    CORPUS / "juesuan" / "上海市普陀区财政局2024年度部门决算.pdf",
    CORPUS / "budgets" / "05_苏州_审计局_2026年部门预算.pdf",
]


def pdf_floor(path: Path) -> float:
    """Seconds pypdfium2 needs to extract every page's text: the floor a PDF audit is measured against."""
    import pypdfium2 as pdfium

    t = time.perf_counter()
    pdf = pdfium.PdfDocument(str(path))
    for i in range(len(pdf)):
        pdf[i].get_textpage().get_text_range()
    pdf.close()
    return time.perf_counter() - t


def pdf_ratio(repeat: int) -> int:
    """In one run, per PDF: median audit time (read + audit, in-process), median pypdfium2 text
    time, and their ratio (goal: ≤ 8×)."""
    for path in PDFS:
        if not path.exists():
            print(f"{path.name}: absent (../shared/corpus)")
            continue
        audit_t, floor_t = [], []
        result = None
        for _ in range(repeat):
            for f in (find_numbers, sentences, parse_cell):
                f.cache_clear()
            t = time.perf_counter()
            result = audit_file(path)
            audit_t.append(time.perf_counter() - t)
            floor_t.append(pdf_floor(path))
        a, f = statistics.median(audit_t), statistics.median(floor_t)
        print(
            f"{path.name}: {result.tables} tables, {len(result.claims)} claims {result.summary}; "
            f"audit {a:.3f} s, pypdfium2 text {f:.3f} s, ratio {a / f:.1f}× (median of {repeat})"
        )
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sections", type=int, default=70, help="generated report: sections (~1.4 pages each)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--accuracy", action="store_true", help="run the full mutation corpus instead (minutes)")
    ap.add_argument(
        "--pdf", action="store_true", help="real PDFs of ../shared/corpus: ratio to pypdfium2's text time"
    )
    a = ap.parse_args(argv)
    if a.pdf:
        return pdf_ratio(a.repeat)
    if a.accuracy:
        with tempfile.TemporaryDirectory() as tmp:
            accuracy(Path(tmp))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        if REFERENCE_TXT.exists():
            ref = write_docx(read_document(REFERENCE_TXT), Path(tmp) / "reference.docx")
            cases.append(("reference .docx", ref))
        gen = write_docx(parse_txt(synthetic_report(1, sections=a.sections)), Path(tmp) / "generated.docx")
        cases.append((f"generated .docx ({a.sections} sections)", gen))
        for name, path in cases:
            r = bench(path, a.repeat)
            print(
                f"{name}: ~{r['pages']} pages, {r['claims']} claims {r['summary']}, "
                f"audit {r['seconds']:.3f} s wall / {r['cpu']:.3f} s CPU (median of {a.repeat}), CLI {r['cli_wall']:.2f} s (exit {r['cli_exit']})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

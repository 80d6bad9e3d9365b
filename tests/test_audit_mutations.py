"""The mutation corpus, built at test time: change ONE figure at a time and assert that the
change is reported as a mismatch at the right place and that nothing else changes status.

Sources: the reference report (read where it lies, as .txt and as a .docx built from it),
synthetic reports generated here with computed figures (.txt and .docx), and the .docx
reports jixiao itself writes (the bundled example and generated departments).
Figures: every stated figure of every checked claim (changed by one unit in each printed
digit, e.g. 86.76 → 87.87), and — separately — every input figure (changed by about a third).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from audit_corpus.builders import synthetic_document, to_txt, write_docx
from audit_corpus.mutations import Stats, false_mismatches, run
from conftest import EXAMPLE, need_reference

from jixiao.audit import audit_document
from jixiao.audit.readers import parse_txt, read_document


def _assert_perfect(st: Stats, what: str):
    """Every mutation caught, except a total raised above a list that does not read complete
    (it may omit a part): that one turns unverifiable ("可能未列全") and is NOT counted as caught."""
    assert st.made > 0
    assert not st.missed, f"{what}: missed {st.missed[:5]} (recall {st.caught}/{st.made})"
    assert st.caught + len(st.short_lists) == st.made
    assert not st.collateral, f"{what}: other claims changed status {st.collateral[:5]}"


def via_txt(doc):
    return parse_txt(to_txt(doc), doc.name)


def via_docx_factory(tmp: Path):
    def via(doc):
        p = write_docx(doc, tmp / "m.docx")
        return read_document(p)

    return via


@pytest.fixture(scope="module")
def ref_doc():
    return read_document(need_reference())


# --- the reference --------------------------------------------------------------------------


def test_reference_every_stated_figure(ref_doc):
    st = run(ref_doc, label="reference")
    _assert_perfect(st, "reference")
    assert st.made >= 80
    # every claim kind of the reference is exercised
    assert {
        "parts",
        "count_parts",
        "change",
        "change_rate",
        "saving",
        "formula",
        "rate",
        "net_value",
        "budget_identity",
        "table_identity",
        "table_total",
        "table_change_rate",
    } <= set(st.by_kind)


def test_reference_every_input_figure(ref_doc):
    _assert_perfect(run(ref_doc, label="reference-inputs", inputs=True), "reference inputs")


def test_reference_through_txt_files(ref_doc):
    _assert_perfect(run(ref_doc, via_txt, every=3, label="reference.txt"), "reference .txt")


def test_reference_through_docx_files(ref_doc, tmp_path):
    _assert_perfect(
        run(ref_doc, via_docx_factory(tmp_path), every=9, label="reference.docx"), "reference .docx"
    )


# --- synthetic reports written here -----------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_synthetic_reports_clean_and_every_figure(seed):
    doc = synthetic_document(seed)
    assert false_mismatches(doc) == []
    _assert_perfect(run(doc, label=f"synthetic-{seed}"), f"synthetic {seed}")
    _assert_perfect(run(doc, label=f"synthetic-{seed}-inputs", inputs=True), f"synthetic {seed} inputs")


def test_synthetic_through_files(tmp_path):
    doc = synthetic_document(7)
    _assert_perfect(run(doc, via_txt, every=2, label="synthetic.txt"), "synthetic .txt")
    _assert_perfect(run(doc, via_docx_factory(tmp_path), every=5, label="synthetic.docx"), "synthetic .docx")


def test_many_synthetic_reports_have_no_false_mismatch():
    for seed in range(10, 40):
        doc = synthetic_document(seed)
        bad = false_mismatches(doc)
        assert not bad, (seed, [(c.text, c.stated, c.computed) for c in bad])
        assert len(audit_document(doc).claims) >= 50


# --- reports jixiao writes ------------------------------------------------------------------


def _report_docx(workbook: Path) -> bytes:
    from jixiao.evaluate import evaluate
    from jixiao.report import build_context, render_docx_bytes
    from jixiao.workbook import load

    res = load(workbook)
    assert res.valid, [i.message for i in res.issues if i.severity == "error"][:3]
    return render_docx_bytes(build_context(evaluate(res.department)))


def _have_report():
    return importlib.util.find_spec("jixiao.report") is not None and EXAMPLE.exists()


@pytest.fixture(scope="module")
def example_report(tmp_path_factory):
    assert _have_report(), "jixiao.report or the example workbook is missing"
    p = tmp_path_factory.mktemp("rep") / "example.docx"
    p.write_bytes(_report_docx(EXAMPLE))
    return p


def test_own_report_passes_own_audit(example_report):
    from jixiao.audit import audit_file

    r = audit_file(example_report)
    assert r.mismatches == [], [(c.text, c.stated, c.computed) for c in r.mismatches]
    assert sum(1 for c in r.claims if c.status in ("ok", "rounding")) >= 100


def test_own_report_every_stated_figure(example_report):
    doc = read_document(example_report)
    _assert_perfect(run(doc, every=2, label="jixiao-report"), "jixiao report")


def test_own_report_through_docx(example_report, tmp_path):
    doc = read_document(example_report)
    _assert_perfect(
        run(doc, via_docx_factory(tmp_path), every=40, label="jixiao-report.docx"), "jixiao report .docx"
    )


def test_reports_of_generated_departments(tmp_path):
    assert _have_report(), "jixiao.report is missing"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        import make_departments
    finally:
        sys.path.pop(0)
    made = make_departments.make(tmp_path, 3, seed=11, error_rate=0)
    for path, _ in made:
        p = tmp_path / (path.stem + ".docx")
        p.write_bytes(_report_docx(path))
        doc = read_document(p)
        assert false_mismatches(doc) == []
        _assert_perfect(run(doc, every=4, label=path.stem), path.stem)


# --- 部门决算公开 shapes written here ------------------------------------------------------------


def test_disclosure_shapes_clean_and_every_figure(tmp_path):
    from audit_corpus.shapes import disclosure_document

    doc = disclosure_document()
    assert false_mismatches(doc) == []
    st = run(doc, label="disclosure")
    _assert_perfect(st, "disclosure")
    assert st.made >= 20 and {"parts", "count_parts", "rate", "change_rate", "saving"} <= set(st.by_kind)
    _assert_perfect(run(doc, label="disclosure-inputs", inputs=True), "disclosure inputs")
    _assert_perfect(run(doc, via_txt, every=2, label="disclosure.txt"), "disclosure .txt")
    _assert_perfect(
        run(doc, via_docx_factory(tmp_path), every=3, label="disclosure.docx"), "disclosure .docx"
    )

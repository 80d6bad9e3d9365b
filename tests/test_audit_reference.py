"""The published reference report as the golden set.

It is read where it lies (the ``reference_txt`` fixture: ../shared/reference); its sentences
are never copied into this repository. The .docx variant is built from it at test time. The
figures below are the ones its README re-checked by hand.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from audit_corpus.builders import write_docx
from conftest import need

from jixiao.audit import audit_document, audit_file
from jixiao.audit.readers import read_document

#: (kind, stated) → status every checked claim must have; the figures are the reference's
GOLDEN = {
    ("parts", "52878.93"): "ok",  # 2,032.72 + 298.41 + 50,547.80
    ("parts", "2032.72"): "ok",  # 1,547.34 + 147.41 + 337.97 (stated twice)
    ("parts", "50846.21"): "ok",  # 298.41 + 50,547.80 (the list goes on after a nested one)
    ("parts", "298.41"): "ok",  # ten department projects
    ("count_parts", "68"): "ok",  # 57 + 3 + 8
    ("parts", "57.84"): "ok",  # 10.84 + 42.00 + 5.00
    ("parts", "13.87"): "ok",  # 7.88 + 4.70 + 1.29
    ("saving", "43.97"): "ok",  # 57.84 − 13.87
    ("change", "63.04"): "ok",  # 2,032.72 − 1,969.68
    ("formula", "86.76"): "ok",  # 59 / 68
    ("formula", "-21.84"): "ok",  # (57.84 − 74.00) / 74.00
    ("formula", "99.50"): "ok",  # 147.41 / 148.15
    ("rate", "78.59"): "ok",  # 298.41 / 379.72 (the budget stated four paragraphs earlier)
    ("budget_identity", "73500.00"): "ok",  # 65,000.00 + 8,500.00
    ("change", "24915.48"): "ok",  # 50,846.21 − 75,761.69
    ("change_rate", "32.89"): "ok",
    ("rate", "92.33"): "ok",  # 52,878.93 / (75,785.97 − 10,435.00 − 8,080.00)
    ("rate", "12.63"): "ok",  # 8,500.00 / 67,285.97
    ("rate", "100.00"): "ok",  # 412.31 / 412.31
    ("parts", "39.65"): "ok",  # 17.65 + 22.00
    ("change", "804.12"): "ok",  # 998.12 − 194.00
    ("change_rate", "414.49"): "ok",
    ("net_value", "112.79"): "ok",  # 247.00 − 134.21
    ("parts", "11.63"): "ok",  # 8.64 + 2.99
    ("rate", "4.70"): "ok",  # 375.81 / 8,000.00
    ("table_change_rate", "31.99"): "ok",  # (7.88 − 5.97) / 5.97
    ("table_change_rate", "65.38"): "ok",  # (1.29 − 0.78) / 0.78
    # the report's genuine inconsistencies
    ("parts", "998.12"): "rounding",  # 112.79 + 811.63 + 72.63 + 1.06 = 998.11
    (
        "budget_identity",
        "379.72",
    ): "mismatch",  # "预算调整16.48" but 396.20 + 16.48 ≠ 379.72 (the table: −16.48)
}


@pytest.fixture(scope="module")
def ref_doc(request):
    from conftest import need_reference

    return read_document(need_reference())


def _check_golden(result):
    found = {}
    for c in result.claims:
        found.setdefault((c.kind, str(c.stated)), set()).add(c.status)
    problems = {k: (v, found.get(k)) for k, v in GOLDEN.items() if found.get(k) != {v}}
    assert not problems, problems


def test_reference_txt_golden(reference_txt):
    r = audit_file(reference_txt)
    _check_golden(r)
    s = r.summary
    assert len(r.claims) >= 40 and s["ok"] >= 80
    # every claim it makes is ok/rounding except the one genuine mismatch; nothing is invented
    assert s["mismatch"] == 1 and s["rounding"] == 1
    assert [c.stated for c in r.mismatches] == [D("379.72")]
    assert "调减" in r.mismatches[0].reason


def test_reference_claim_kinds_cover_tables_and_prose(reference_txt):
    r = audit_file(reference_txt)
    kinds = {}
    for c in r.claims:
        if c.status in ("ok", "rounding"):
            kinds[c.kind] = kinds.get(c.kind, 0) + 1
    assert kinds["table_identity"] >= 40  # 年初 + 调整 = 全年 (20 + 11 rows), 全年 − 决算 = 差额 (11)
    assert kinds["table_total"] >= 9  # 合计 rows of the three tables
    assert kinds["formula"] >= 3 and kinds["change"] >= 5 and kinds["parts"] >= 8 and kinds["rate"] >= 5
    # the three tables' 合计 rows: every amount column is checked, located in the 合计 row
    totals = [c for c in r.claims if c.kind == "table_total"]
    assert sorted({c.location["table"] for c in totals}) == [0, 1, 2]
    t1 = sorted(c.location["column"] for c in totals if c.location["table"] == 1)
    assert t1 == [2, 3, 4, 5] and {c.location["row"] for c in totals if c.location["table"] == 1} == {21}


def test_reference_docx_built_at_test_time_gives_the_same_result(ref_doc, tmp_path):
    path = write_docx(ref_doc, tmp_path / "reference.docx")
    from_docx = audit_file(path)
    from_txt = audit_document(ref_doc)
    _check_golden(from_docx)
    a = [(c.kind, c.location, c.stated, c.status) for c in from_txt.claims]
    b = [(c.kind, c.location, c.stated, c.status) for c in from_docx.claims]
    assert a == b


def test_reference_unverifiable_claims_say_why(reference_txt):
    r = audit_file(reference_txt)
    unv = [c for c in r.claims if c.status == "unverifiable"]
    assert unv and all(c.reason for c in unv) and all(c.computed is None for c in unv)
    # years, dates and 指标文号 (长财教指〔2023〕16号) never become claims
    assert not any(c.stated in (D(2023), D(2024), D(16)) for c in r.claims)


def test_reference_as_a_pdf_printed_by_libreoffice(ref_doc, tmp_path):
    """A real PDF (LibreOffice prints the .docx built from the reference): paragraphs rebuilt
    from wrapped lines, tables joined over page breaks, the same verdicts."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    need(bool(soffice), "LibreOffice (soffice) is not installed")
    src = write_docx(ref_doc, tmp_path / "reference.docx")
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "reference.pdf"
    need(pdf.exists(), "LibreOffice could not convert the reference .docx to PDF")
    r = audit_file(pdf)
    assert len(r.claims) >= 90
    assert [c.stated for c in r.mismatches] == [D("379.72")]
    assert [c.stated for c in r.claims if c.status == "rounding"] == [D("998.12")]

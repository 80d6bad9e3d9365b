"""The shared output-safety rules: formula-safe spreadsheet text and safe file-name parts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.batch import folder_name
from jixiao.report import safe_name
from jixiao.safety import (
    FORMULA_START,
    RESERVED_NAMES,
    is_formula_like,
    safe_filename,
    safe_sheet_text,
    safe_text,
)
from jixiao.web.safe_xlsx import needs_quote
from jixiao.web.views import safe_filename_part


@pytest.mark.parametrize(
    "text",
    [
        "=SUM(A1:A3)",
        "+1+1",
        "-2+3",
        "@SUM(1)",
        "\t=1",
        "\r=1",
        "\n=1",
        '=HYPERLINK("http://x")',
        "-",
        "+",
        "@",
        "-HYPERLINK(1)局",
    ],
)
def test_formula_starts_are_quoted(text):
    assert is_formula_like(text)
    # a carriage return is a control character: removed by the shared rule, and still quoted
    assert safe_sheet_text(text) == "'" + text.replace("\r", "")


@pytest.mark.parametrize("text", ["-12.50", "+3", "-1,620.00", "-12.5%", "科学技术局", "1=1", "", "'=1"])
def test_numbers_and_plain_text_stay(text):
    assert not is_formula_like(text)
    assert safe_sheet_text(text) == text


def test_all_three_callers_share_the_rule():
    from jixiao.batch.render import safe_cell
    from jixiao.report.xlsx import safe_sheet_text as report_rule
    from jixiao.web.safe_xlsx import DANGEROUS

    assert DANGEROUS == FORMULA_START and report_rule is safe_sheet_text
    assert safe_cell("@x") == "'@x" and safe_cell("\n=1") == "'\n=1" and safe_cell(-3) == -3
    assert needs_quote("=1") and not needs_quote("-1")


@given(st.text(max_size=40))
def test_safe_sheet_text_never_starts_a_formula(text):
    out = safe_sheet_text(text)
    assert not is_formula_like(out)
    clean = safe_text(text)  # control and bidi characters removed first (the shared rule)
    quoted = is_formula_like(clean)
    body = out[1:] if quoted else out
    assert re.sub(r"_x005F_(x[0-9A-Fa-f]{4}_)", r"_\1", body) == clean  # Excel escapes kept literal


@given(st.sampled_from(FORMULA_START), st.text(alphabet="ABCxyz局单位()!$:;=+-@ \t", max_size=20))
def test_a_formula_start_without_digits_is_always_quoted(head, tail):
    out = safe_sheet_text(head + tail)
    assert out.startswith("'") == is_formula_like(safe_text(head + tail))
    if head != "\r":  # a carriage return is removed by the shared rule: what follows decides
        assert out.startswith("'")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("../../逃逸单位", "逃逸单位"),
        ('a<b>c:d"e/f\\g|h?i*j', "a_b_c_d_e_f_g_h_i_j"),
        ("  多个   空格\t单位 ", "多个 空格_单位"),
        ("单位名称...", "单位名称"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("Lpt9", "_Lpt9"),
        ("COM1 .x", "_COM1 .x"),
        ("CONSOLE", "CONSOLE"),
        ("COM10", "COM10"),
        ("科技局\x00\x1f\x7f", "科技局"),
    ],
)
def test_safe_filename_cases(text, expected):
    assert safe_filename(text, "未命名") == expected


def test_safe_filename_fallback_and_length():
    assert safe_filename("", "备用") == "备用" and safe_filename(None, "备用") == "备用"
    assert safe_filename("/// ...", "备用") == "备用"
    assert safe_filename("局" * 100, "x", 60) == "局" * 60
    assert safe_filename("a" * 59 + " b", "x", 60) == "a" * 59


def test_callers_keep_their_fallback_length_and_suffix():
    assert safe_name("") == "未命名单位" and len(safe_name("局" * 200)) == 80
    assert safe_filename_part("") == "" and len(safe_filename_part("局" * 200)) == 60
    assert folder_name("", None) == "未命名单位-年度不详"
    assert folder_name("CON", 2023) == "_CON-2023"
    assert folder_name("长沙市科学技术局", 2023) == "长沙市科学技术局-2023"


@given(st.text(max_size=120), st.integers(1, 100))
def test_safe_filename_is_one_safe_component(text, max_len):
    name = safe_filename(text, "备用", max_len)
    assert name == "备用" or 0 < len(name) <= max_len
    assert not re.search(r'[\x00-\x1f\x7f<>:"/\\|?*]', name)
    assert name not in (".", "..") and not name.startswith((".", " ")) and not name.endswith((".", " "))
    assert name.split(".")[0].rstrip(" ").upper() not in RESERVED_NAMES

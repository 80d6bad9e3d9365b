"""One rule for every output (issue 14.3, 14.4, 14.6): text with terminal escapes, control and bidi
characters never reaches a terminal, an .xlsx, an .html, a .docx or a file name — tested once,
over every output, with the same hostile strings; and batch outputs are never read back as inputs
and are byte-identical across runs.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from jixiao.batch.placement import is_output
from jixiao.cli import app
from jixiao.safety import safe_filename, safe_sheet_text, safe_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "changsha-kjj-2023.xlsx"
runner = CliRunner()

#: what no output may hold: C0 controls but tab/newline, DEL, C1, bidi and zero-width controls
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
#: as Excel stores control characters in a cell (openpyxl refuses the characters themselves)
ESC_X = "_x001B_[31m"
HOSTILE_UNIT = f"{ESC_X}红色单位_x001B_[0m\u202e局甲_x000B__x0000_"
HOSTILE_PROJECT = f"=\u202e项目{ESC_X}_x0007_乙\u2066"


def test_safe_text_is_the_one_rule():
    assert safe_text("\x1b[31m红\x1b[0m\u202e甲\x00乙\x0b丙\r\n\t丁\u200b") == "红甲乙丙\n\t丁"
    assert safe_text("\x1b]0;窗口标题\x07正文") == "正文"
    assert safe_text("普通文字 1,234.50") == "普通文字 1,234.50"
    assert safe_sheet_text("=1+1") == "'=1+1" and safe_sheet_text("-12.50") == "-12.50"
    assert safe_sheet_text("a_x000B_b") == "a_x005F_x000B_b"  # stays literal in Excel
    assert safe_filename("=\u202e+cmd") == "cmd" and safe_filename("@\x1b[31mx") == "x"
    assert safe_filename("\u202e") == "" and safe_filename("", "未命名") == "未命名"


def _hostile_workbook(path: Path, *, unit: str = HOSTILE_UNIT) -> Path:
    wb = openpyxl.load_workbook(EXAMPLE)
    info = wb["基本信息"]
    for row in info.iter_rows(min_row=1, max_row=10):
        if row[0].value == "单位名称":
            row[1].value = unit
    ws = wb["部门项目"]
    ws["A3"] = HOSTILE_PROJECT  # a 部门项目 row: projects table, findings, attachments
    ws["A3"].data_type = "s"  # text starting with '=', not a formula
    wb.save(path)
    return path


def _texts_of(path: Path) -> list[tuple[str, str]]:
    """Every text a person or program reads from an output file: its name, and its content
    (every XML part of a zip, decoded, with Excel's _xHHHH_ escapes decoded as Excel does)."""
    out = [(path.name, path.name)]
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                if n.endswith((".xml", ".rels")):
                    t = z.read(n).decode("utf-8")
                    t = re.sub(
                        r"_x005F_(x[0-9A-Fa-f]{4}_)",
                        r"\1",
                        re.sub(r"(?<!_x005F)_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), t),
                    )
                    t = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), t)
                    out.append((f"{path.name}:{n}", t))
    elif path.suffix in (".html", ".json", ".txt", ".md"):
        t = path.read_text(encoding="utf-8")
        t = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), t)
        t = re.sub(r"&#x([0-9a-fA-F]+);", lambda m: chr(int(m.group(1), 16)), t)
        t = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), t)
        out.append((path.name, t))
    return out


def _assert_clean(where: str, text: str) -> None:
    m = FORBIDDEN.search(text)
    assert m is None, f"{where}: {m.group()!r} in …{text[max(0, m.start() - 40) : m.end() + 40]!r}"


def test_every_output_is_free_of_control_and_bidi_characters(tmp_path):
    wb = _hostile_workbook(tmp_path / "基础数据表.xlsx")
    outputs: list[tuple[str, str]] = []
    for args in (
        ["check", str(wb)],
        ["evaluate", str(wb)],
        ["evaluate", str(wb), "--format", "json"],
        ["check", str(wb), "--format", "json"],
    ):
        r = runner.invoke(app, args)
        assert r.exit_code in (0, 1), r.output
        outputs.append((" ".join(args[:1] + args[2:]), r.output))
    ev = outputs[1][1]
    assert "红色单位" in ev and "局甲" in ev and "项目" in ev  # the text itself is kept, only controls go

    out = tmp_path / "报告"
    r = runner.invoke(app, ["report", str(wb), "-o", str(out)])
    assert r.exit_code == 0, r.output
    outputs.append(("report", r.output))
    files = sorted(p for p in out.iterdir())
    assert {p.suffix for p in files} >= {".docx", ".html", ".xlsx", ".json"}
    for p in files:
        assert not p.name.startswith(("=", "+", "-", "@")), p.name
        outputs.extend(_texts_of(p))
    openpyxl.load_workbook(next(p for p in files if p.suffix == ".xlsx"))  # still opens

    # batch: the unit name with _x000B_ (openpyxl's IllegalCharacterError before), plus a broken unit
    src, bout = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    _hostile_workbook(src / "甲.xlsx")
    bad = openpyxl.load_workbook(_hostile_workbook(src / "\u202e坏.xlsx", unit=HOSTILE_UNIT + "乙"))
    bad["部门项目"]["B4"] = f"{ESC_X}不是金额"
    bad.save(src / "\u202e坏.xlsx")
    r = runner.invoke(app, ["batch", str(src), "-o", str(bout), "--jobs", "1", "--format", "html,xlsx"])
    assert r.exit_code == 1, r.output  # one unit has data errors; the summary is still written
    assert "数据有错误" in r.output and "坏.xlsx" in r.output
    outputs.append(("batch", r.output))
    assert (bout / "汇总.xlsx").is_file() and (bout / "汇总.html").is_file()
    for p in bout.rglob("*"):
        if p.is_file() and p.suffix in (".xlsx", ".html", ".docx", ".json"):
            outputs.extend(_texts_of(p))
        assert not p.name.startswith(("=", "+", "-", "@")) and not FORBIDDEN.search(p.name), p.name
    db = f"sqlite:///{bout / 'jixiao.db'}"
    for args in (
        ["history", "--db", db],
        ["history", "--db", db, "-o", str(tmp_path / "历史.xlsx")],
        ["history", "--db", db, "-o", str(tmp_path / "历史.html")],
    ):
        r = runner.invoke(app, args)
        assert r.exit_code == 0, r.output
        outputs.append(("history", r.output))
    outputs.extend(_texts_of(tmp_path / "历史.xlsx") + _texts_of(tmp_path / "历史.html"))
    assert any("红色单位" in t for _, t in outputs if "汇总" in _)

    for where, text in outputs:
        _assert_clean(where, text)


def test_the_output_layer_guards_text_that_did_not_come_through_the_reader(tmp_path):
    """Renderers and the console clean text themselves (a Department built in code, a message)."""
    from jixiao.cli.common import SafeConsole
    from jixiao.evaluate import evaluate
    from jixiao.report import build_context, render_docx_bytes, render_html, render_xlsx_bytes

    try:
        from synthetic_department import synthetic_department
    except ModuleNotFoundError:  # pragma: no cover
        from tests.synthetic_department import synthetic_department

    d = synthetic_department()
    d.name = "\x1b[2J单位\u202e\x00名\x07"
    d.dept_projects[0].name = "\x1b[31m项目\u202e\x0b甲"
    ev = evaluate(d)
    ctx = build_context(ev)
    _assert_clean("file name", ctx.file_stem)
    _assert_clean("html", render_html(ctx, charts=False))
    for name, blob in (("docx", render_docx_bytes(ctx, charts=False)), ("xlsx", render_xlsx_bytes(ctx))):
        p = tmp_path / f"r.{name}"
        p.write_bytes(blob)
        for where, text in _texts_of(p):
            _assert_clean(where, text)
    import io

    buf = io.StringIO()
    con = SafeConsole(file=buf, force_terminal=True, color_system="standard", width=120)
    from jixiao.cli import evaluate as ev_cli
    from jixiao.cli.evaluate import print_text

    saved = ev_cli.console
    ev_cli.console = con
    try:
        print_text(ev)
    finally:
        ev_cli.console = saved
    text = buf.getvalue()
    # rich's own colours remain (ESC [ … m); nothing else from the data
    assert "\x1b[2J" not in text and "\u202e" not in text and "\x00" not in text and "\x0b" not in text
    assert "单位名" in text and "项目甲" in text


def test_batch_outputs_are_never_read_as_inputs_later(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "a").mkdir(parents=True)
    (inbox / "a" / "u.xlsx").write_bytes(EXAMPLE.read_bytes())
    r = runner.invoke(
        app, ["batch", str(inbox / "a"), "-o", str(inbox / "sub"), "--jobs", "1", "--format", "xlsx"]
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        app, ["history", "--db", f"sqlite:///{inbox / 'sub' / 'jixiao.db'}", "-o", str(inbox / "历史.xlsx")]
    )
    assert r.exit_code == 0, r.output
    from jixiao.batch import discover

    found = discover(inbox, tmp_path / "out2")
    assert [p.relative_to(inbox).as_posix() for p in found] == ["a/u.xlsx"]
    assert is_output(inbox / "sub" / "汇总.xlsx", inbox) and is_output(inbox / "历史.xlsx", inbox)
    assert not is_output(inbox / "a" / "u.xlsx", inbox)
    r = runner.invoke(
        app, ["batch", str(inbox), "-o", str(tmp_path / "out2"), "--jobs", "1", "--format", "json"]
    )
    assert r.exit_code == 0, r.output
    assert "共 1 个文件" in r.output


def test_summary_and_history_files_are_byte_identical_across_runs(tmp_path):
    def once(n: int) -> dict[str, str]:
        src, out = tmp_path / f"in{n}", tmp_path / f"out{n}"
        src.mkdir()
        (src / "u.xlsx").write_bytes(EXAMPLE.read_bytes())
        r = runner.invoke(app, ["batch", str(src), "-o", str(out), "--jobs", "1", "--format", "xlsx"])
        assert r.exit_code == 0, r.output
        db = f"sqlite:///{out / 'jixiao.db'}"
        for suffix in ("xlsx", "html"):
            r = runner.invoke(app, ["history", "--db", db, "-o", str(out / f"历史.{suffix}")])
            assert r.exit_code == 0, r.output
        return {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (out / "汇总.xlsx", out / "汇总.html", out / "历史.xlsx", out / "历史.html")
        }

    first = once(1)
    import time

    time.sleep(1.1)  # a timestamp in seconds would differ now
    assert once(2) == first


@pytest.mark.parametrize("formats", ["docx,html,xlsx,json", "json,docx"])
def test_report_refusing_to_overwrite_its_input_writes_nothing(tmp_path, formats):
    """The input sits where the last format's output would go: nothing at all is written."""
    from jixiao.evaluate import evaluate
    from jixiao.report import build_context, output_names
    from jixiao.workbook import load

    ctx = build_context(evaluate(load(EXAMPLE).department))
    last = formats.split(",")[-1]
    wb = tmp_path / output_names(ctx)[last]
    wb.write_bytes(EXAMPLE.read_bytes())
    before = sorted(p.name for p in tmp_path.iterdir())
    r = runner.invoke(app, ["report", str(wb), "-o", str(tmp_path), "--format", formats])
    assert r.exit_code == 2 and "拒绝覆盖输入" in r.stderr, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert wb.read_bytes() == EXAMPLE.read_bytes()

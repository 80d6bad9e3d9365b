"""Property: whatever consistent data a department brings, the report jixiao writes passes
jixiao's own audit with no mismatch (DESIGN §8: "A report jixiao writes must pass jixiao's own audit")."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.model import (
    BudgetLine,
    Department,
    Project,
    PublicFunds,
    Satisfaction,
    Spending,
    Staffing,
    ThreePublic,
    ThreePublicItem,
)

money = st.decimals(min_value=Decimal("0"), max_value=Decimal("50000"), places=2, allow_nan=False,
                    allow_infinity=False)
names = st.text(alphabet="科技项目经费专项平台建设奖励甲乙丙丁（）0123456789", min_size=2, max_size=14)


@st.composite
def projects(draw, kind: str):
    out = []
    for i, name in enumerate(draw(st.lists(names, min_size=0, max_size=6, unique=True))):
        initial = draw(money)
        adj = draw(st.decimals(min_value=-initial, max_value=Decimal("5000"), places=2, allow_nan=False,
                               allow_infinity=False))
        full = initial + adj
        actual = draw(st.decimals(min_value=Decimal("0"), max_value=full, places=2, allow_nan=False,
                                  allow_infinity=False))
        prior = draw(st.one_of(st.none(), money))
        out.append(Project(name=f"{name}{kind[0]}{i}", kind=kind, initial=initial, adjustment=adj, full_year=full,
                           actual=actual, prior_actual=prior))
    return out


def _line(name, parts: list[Project] | None = None, **kw):
    return BudgetLine(name, **kw)


@st.composite
def departments(draw):
    dp = draw(projects("department"))
    pp = draw(projects("public"))
    parts = [BudgetLine(n, actual=draw(money)) for n in ("工资福利支出", "商品和服务支出", "对个人和家庭的补助")]
    basic_actual = sum((p.actual for p in parts), Decimal(0))
    basic_initial = draw(money)
    basic = BudgetLine("基本支出", basic_initial, Decimal("0"), basic_initial, basic_actual, draw(money))

    def total(ps, attr):
        return sum((getattr(p, attr) for p in ps), Decimal(0))

    dline = BudgetLine("部门项目支出", total(dp, "initial"), total(dp, "adjustment"), total(dp, "full_year"),
                       total(dp, "actual"))
    pline = BudgetLine("公共项目支出", total(pp, "initial"), total(pp, "adjustment"), total(pp, "full_year"),
                       total(pp, "actual"))
    proj = BudgetLine("项目支出", dline.initial + pline.initial, dline.adjustment + pline.adjustment,
                      dline.full_year + pline.full_year, dline.actual + pline.actual, draw(money))
    tot = BudgetLine("整体支出", basic.initial + proj.initial, basic.adjustment + proj.adjustment,
                     basic.full_year + proj.full_year, basic.actual + proj.actual)
    items = [ThreePublicItem(n, prior_actual=draw(money), budget=draw(money), actual=draw(money))
             for n in ("公务用车购置及运行费", "因公出国（境）费", "公务接待费")]
    authorized = {"行政编制": draw(st.integers(1, 200)), "工勤编制": draw(st.integers(0, 20))}
    return Department(
        name=draw(names) + "局", year=draw(st.integers(2015, 2030)),
        staffing=Staffing(authorized=authorized, in_service=draw(st.integers(0, 220)),
                          other_employees=draw(st.integers(0, 10)), retired=draw(st.integers(0, 50))),
        spending=Spending(basic_parts=parts, basic=basic, dept_projects=dline, public_projects=pline,
                          projects=proj, total=tot, gov_fund=draw(st.sampled_from([None, Decimal("0"),
                                                                                   Decimal("12.50")]))),
        three_public=ThreePublic(items=items),
        public_funds=PublicFunds(budget=draw(money), actual=draw(money), prior_actual=draw(money)),
        dept_projects=dp, public_projects=pp,
        satisfaction=Satisfaction(surveyed=80, satisfied=draw(st.integers(0, 80))),
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(departments())
def test_generated_reports_pass_our_own_audit(dept):
    from jixiao.audit import audit_file
    from jixiao.evaluate import evaluate
    from jixiao.report import build_context, render_docx_bytes

    ev = evaluate(dept)
    data = render_docx_bytes(build_context(ev), charts=False)
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "r.docx"
        p.write_bytes(data)
        res = audit_file(p).to_dict()
    bad = [(c["text"][:80], c["stated"], c["computed"], c["location"]) for c in res["claims"]
           if c["status"] == "mismatch"]
    assert not bad


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_missing_values_never_crash_and_never_print_none(data):
    """Blank any amounts of the reference department: the report still renders, shows placeholders
    or empty cells, never 'None'/'nan', and stays audit-clean."""
    import dataclasses
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from reference_department import reference_department

    from jixiao.audit import audit_file
    from jixiao.evaluate import evaluate
    from jixiao.report import build_context, render_docx_bytes, render_html

    d = reference_department()
    targets = [d.spending.basic, d.spending.total, d.spending.projects, d.public_funds, d.staffing,
               *d.dept_projects[:3], *d.public_projects[:3], *d.three_public.items]
    triple = ("initial", "adjustment", "full_year")
    for obj in targets:
        # 年初 + 调整 = 全年 can be completed from any two; rows missing two of them are data errors
        # that `check` rejects before a report is written, so at most one of the three is blanked
        keep = data.draw(st.sampled_from(triple))
        blanked_one = False
        for f in dataclasses.fields(obj):
            if f.name in ("name", "kind", "src", "authorized") or not data.draw(st.booleans()):
                continue
            if f.name in triple and (f.name == keep or blanked_one):
                continue
            if isinstance(getattr(obj, f.name), (Decimal, int)) or getattr(obj, f.name) is None:
                setattr(obj, f.name, None)
                blanked_one = blanked_one or f.name in triple
    ctx = build_context(evaluate(d))
    html = render_html(ctx, charts=False)
    docx_bytes = render_docx_bytes(ctx, charts=False)
    assert ">None<" not in html and "NaN" not in html
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "r.docx"
        p.write_bytes(docx_bytes)
        res = audit_file(p).to_dict()
    bad = [(c["text"][:80], c["stated"], c["computed"]) for c in res["claims"]
           if c["status"] == "mismatch"]
    assert not bad


#: fields a workbook may leave blank, by object: any subset is blanked (a blank is None, never 0)
_BLANKABLE = {
    "line": ("initial", "adjustment", "full_year", "actual", "prior_actual"),
    "staff": ("in_service", "other_employees", "retired"),
    "tp": ("prior_budget", "prior_actual", "budget", "actual"),
    "pf": ("budget", "actual", "prior_actual"),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(departments(), st.data())
def test_random_blanks_that_pass_check_pass_our_own_audit(dept, data):
    """Random blanks anywhere — including a staffing sheet with only 编制数合计 filled: whenever
    ``check`` passes the department, the report passes its own audit and validates against the
    evaluation JSON schema."""
    import json

    import jsonschema

    from jixiao.audit import audit_file
    from jixiao.checks import check_department
    from jixiao.evaluate import evaluate
    from jixiao.report import build_context, evaluation_schema, render_docx_bytes, render_json

    if data.draw(st.booleans(), label="only 编制数合计"):
        dept.staffing.authorized_total_stated = sum(dept.staffing.authorized.values()) + data.draw(
            st.integers(0, 20), label="stated total offset")
        dept.staffing.authorized = {}
    lines = [dept.spending.basic, dept.spending.total, dept.spending.projects, *dept.spending.basic_parts,
             *dept.dept_projects, *dept.public_projects]
    for obj, kind in ([(x, "line") for x in lines] + [(dept.staffing, "staff"), (dept.public_funds, "pf")]
                      + [(x, "tp") for x in dept.three_public.items]):
        for f in _BLANKABLE[kind]:
            if data.draw(st.integers(0, 4), label=f"blank {f}") == 0:
                setattr(obj, f, None)
    from hypothesis import event

    if any(i.severity == "error" for i in check_department(dept)):
        event("refused by check")
        return  # `check` refuses it: no report is written
    event("report written and audited")
    ctx = build_context(evaluate(dept))
    jsonschema.validate(json.loads(render_json(ctx)), evaluation_schema())
    # the public text never addresses the preparer; each 【待补充】 has its to-do item
    from jixiao.report.blocks import Heading, Para, Table

    texts = [b.text for b in ctx.all_blocks() if isinstance(b, (Heading, Para))]
    texts += [c.text for b in ctx.all_blocks() if isinstance(b, Table) for row in b.rows for c in row]
    public = "\n".join(texts)
    assert not [p for p in ("补齐数据", "重新生成", "定性评分表", "需说明原因", "请在", "None", "nan") if p in public]
    assert public.count("【待补充：") == len([t for t in ctx.todo if t.kind in ("narrative", "reason")])
    data_docx = render_docx_bytes(ctx, charts=False)
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "r.docx"
        p.write_bytes(data_docx)
        res = audit_file(p).to_dict()
    bad = [(c["text"][:80], c["stated"], c["computed"], c["location"]) for c in res["claims"]
           if c["status"] == "mismatch"]
    assert not bad

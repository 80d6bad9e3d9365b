"""Frameworks: shipped YAML load and add up; errors name the key and the line; other provinces'
score sheets are expressible as YAML (tests/frameworks/*.yaml) without code changes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from synthetic_department import synthetic_department

from jixiao.errors import FrameworkError
from jixiao.frameworks import list_frameworks, load_framework, parse_framework
from jixiao.indicators import compute_all
from jixiao.scoring import score

D = Decimal
HERE = Path(__file__).parent / "frameworks"


def test_shipped_frameworks():
    infos = {f.id: f for f in list_frameworks()}
    assert {"six-dimension", "mof-2013", "project"} <= set(infos)
    six = load_framework()
    assert six.id == "six-dimension" and six.kind == "department"
    assert [lv for lv in dict.fromkeys(i.level1 for i in six.items)] == [
        "运行成本",
        "管理效率",
        "履职效能",
        "社会效应",
        "可持续发展能力",
        "服务对象满意度",
    ]
    mof = load_framework("mof-2013")
    assert list(dict.fromkeys(i.level1 for i in mof.items)) == ["投入", "过程", "产出", "效果"]
    for fw in (six, mof):
        assert sum((i.weight for i in fw.items), D(0)) == fw.total == D(100)
        assert [g for g, _ in fw.grades] == ["优", "良", "中", "差"]
    proj = load_framework("project")
    assert proj.kind == "project" and proj.execution.weight == D(10)
    assert [(g.level1, g.weight) for g in proj.groups] == [
        ("产出指标", D(50)),
        ("效益指标", D(30)),
        ("满意度指标", D(10)),
    ]


def test_shipped_files_say_weights_are_not_official():
    """A department framework either reproduces a published scoring table (its address in the
    header and in ``reference``) or says its weights are jixiao's defaults."""
    for f in list_frameworks():
        if f.kind == "department":
            text = Path(f.path).read_text(encoding="utf-8")
            if f.source_url:
                assert f.source_url in text.split("\nid:")[0], f.id  # the address in the YAML header
            else:
                assert "不公布" in text or "没有公布权重" in text, f.id


def test_load_by_path_and_unknown_name(tmp_path):
    fw = load_framework(HERE / "ningxia-like.yaml")
    assert fw.id == "ningxia-like"
    with pytest.raises(FrameworkError, match="找不到评分框架"):
        load_framework("no-such-framework")
    with pytest.raises(FrameworkError, match="文件夹"):
        load_framework(tmp_path)


GOOD = """\
id: t
name: 测试
total: 10
levels:
  - name: 一级
    children:
      - name: 二级
        items:
          - id: a
            name: 在职人员控制率
            weight: 10
            rule: proportional
            source: staff_control_rate
"""


def _err(text: str) -> str:
    with pytest.raises(FrameworkError) as ei:
        parse_framework(text, "bad.yaml")
    return ei.value.message


def test_good_minimal_framework_parses():
    fw = parse_framework(GOOD)
    assert fw.items[0].level3 == "在职人员控制率" and fw.items[0].line == 9


@pytest.mark.parametrize(
    "old, new, key, line",
    [
        ("rule: proportional", "rule: proportionl", "rule", 12),  # bad enum value
        (
            "            source: staff_control_rate\n",
            "            source: staff_control_rate\n            tresh: 5\n",
            "tresh",
            14,
        ),  # unknown key
        ("weight: 10\n            rule", "weight: ten\n            rule", "weight", 11),  # not a number
        ("source: staff_control_rate", "source: no_such_indicator", "source", 13),  # unknown indicator id
        ("total: 10", "total: 12", "total", 3),  # weights do not add up
        ("          - id: a\n", "          - idx: a\n", "id", 9),  # required key missing
    ],
)
def test_errors_name_key_and_line(old, new, key, line):
    assert old in GOOD
    msg = _err(GOOD.replace(old, new))
    assert f"第{line}行" in msg, msg
    assert key in msg, msg
    assert msg.startswith("框架文件 bad.yaml")


def test_level_weight_mismatch_is_located():
    msg = _err(GOOD.replace("  - name: 一级\n", "  - name: 一级\n    weight: 9\n"))
    assert "第6行" in msg and "一级" in msg and "9" in msg  # the line of "weight: 9"


def test_duplicate_key_and_bad_yaml_and_bands():
    assert "重复" in _err(GOOD.replace("total: 10", "total: 10\ntotal: 10"))
    assert "YAML" in _err("id: [unclosed")
    assert "空" in _err("")
    bad_band = GOOD.replace(
        "rule: proportional", 'rule: bands\n            bands: [{when: "~ 5", points: 1}]'
    )
    assert "when" in _err(bad_band)
    too_many = GOOD.replace(
        "rule: proportional", "rule: bands\n            bands: [{when: else, points: 11}]"
    )
    assert "超出" in _err(too_many)
    both = GOOD.replace(
        "rule: proportional", "rule: bands\n            bands: [{when: else, points: 1, pct: 5}]"
    )
    assert "points" in _err(both)
    dup = GOOD.replace(
        "levels:",
        "levels:\n  - name: 再一级\n    children:\n      - name: x\n        items:\n"
        "          - {id: a, name: b, weight: 0, rule: manual}",
    )
    assert "重复" in _err(dup)


def test_project_framework_parts_must_add_up():
    text = (
        Path(load_framework("project").path).read_text(encoding="utf-8").replace("weight: 50", "weight: 55")
    )
    assert "不等于 total" in _err(text)


def test_framework_error_exit_code_is_usage():
    assert FrameworkError("x").exit_code == 2


# ---------------------------------------------------------------- other provinces' shapes


@pytest.mark.parametrize(
    "file, total, grade",
    [
        # hand-computed on tests/synthetic_department.py (see the YAML files for the rules):
        # 3 + 0 + 5 + 18 + 5 + 4 + 8 + 4.50 + 3 + 14.93 + 8
        ("hunan-like.yaml", "73.43", "中"),
        # 执行率90%×10=9 ; KPI 平均完成程度93.33%×50=46.67 ; 公用经费104%→系数0.8×10=8 ; 社会效益4 ; 满意度85%→0.8×10=8
        ("chongqing-like.yaml", "75.67", "良"),
        # 生态效益 不适用 → the other 90 points are scaled by 100/90:
        # 3.33 + 3.33 + 10.00 + 1.11 + 5.56 + 5.56 + 22.22 + 15.74 + 4.44
        ("ningxia-like.yaml", "71.29", "中"),
    ],
)
def test_province_shapes_score_by_hand(file, total, grade):
    fw = load_framework(HERE / file)
    d = synthetic_department()
    sc = score(fw, compute_all(d), d)
    assert sc.pending == []
    assert sc.total == D(total)
    assert sc.grade == grade
    assert sc.total == sum(i.score for i in sc.items if i.score is not None)


def test_ningxia_rescales_weights_to_total():
    fw = load_framework(HERE / "ningxia-like.yaml")
    d = synthetic_department()
    sc = score(fw, compute_all(d), d)
    by = {i.id: i for i in sc.items}
    assert by["eco"].status == "not_applicable" and by["eco"].score is None
    assert by["exec"].weight == D("11.11") and by["exec"].score == D("10.00")
    assert "折算" in by["exec"].basis
    assert by["pf"].score == D("1.11")  # 104% with step: each → 4 steps × 1 point off 5, then ×100/90
    assert by["kpi"].score == D("22.22")  # mode: count, 2 of 3 met: 20 × 100/90


def test_docs_list_every_indicator_and_rule():
    from jixiao.frameworks.schema import RULES
    from jixiao.indicators import REGISTRY

    doc = (Path(__file__).parents[1] / "docs" / "frameworks.md").read_text(encoding="utf-8")
    missing = [i for i in [*REGISTRY, *RULES] if f"`{i}`" not in doc]
    assert not missing, f"docs/frameworks.md does not document: {missing}"


def test_band_condition_must_be_quoted_text():
    bad = GOOD.replace(
        "rule: proportional", "rule: bands\n            bands:\n              - {when: 5, points: 1}"
    )
    msg = _err(bad)
    assert "when" in msg and "第14行" in msg and "应为文字" in msg
    bad = GOOD.replace(
        "rule: proportional", "rule: bands\n            bands:\n              - {when: 大于5, points: 1}"
    )
    assert "档位条件“大于5”格式不对" in _err(bad)


def test_non_utf8_framework_file(tmp_path):
    p = tmp_path / "gbk.yaml"
    p.write_bytes(GOOD.encode("gbk"))
    with pytest.raises(FrameworkError, match="UTF-8"):
        load_framework(p)
    p2 = tmp_path / "bom.yaml"
    p2.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))  # Windows Notepad's BOM is fine
    assert load_framework(p2).id == "t"

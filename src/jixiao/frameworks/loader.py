"""Load a scoring framework YAML: schema-validated, every error naming the key and the line.

The YAML is composed into nodes (keeping line marks), converted to plain data with a map
path → line, validated with jsonschema, then checked for meaning (weights add up, indicator ids
exist, band conditions parse). Any problem raises errors.FrameworkError (exit code 2) with a
Chinese message such as ``框架文件 my.yaml 第12行（levels[0].children[1].items[0].rule）：…``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from ..errors import FrameworkError
from . import schema

D = Decimal
HERE = Path(__file__).resolve().parent
DEFAULT_FRAMEWORK = "six-dimension"
#: the per-project 执行率 (jixiao.indicators.project_execution), the source of a project rule set's execution item
PROJECT_EXECUTION = "project_execution_rate"
DEFAULT_GRADES = (("优", D(90)), ("良", D(80)), ("中", D(60)), ("差", D(0)))
#: 定性 bands of DESIGN §6: 好 100–80%, 中 80–60%, 差 60–0%
DEFAULT_LEVELS = (("好", D(80)), ("中", D(60)), ("差", D(0)))


@dataclass(frozen=True)
class Band:
    op: str  # '<=', '<', '>=', '>', '==', 'else'
    bound: Decimal | None
    points: Decimal | None  # absolute points …
    pct: Decimal | None  # … or % of the item's 分值
    label: str = ""

    def matches(self, v: Decimal) -> bool:
        if self.op == "else":
            return True
        b = self.bound
        return {"<=": v <= b, "<": v < b, ">=": v >= b, ">": v > b, "==": v == b}[self.op]

    def describe(self) -> str:
        if self.op == "else":
            return "其他情况"
        return {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "="}[self.op] + format(self.bound, "f")

    def describe_in(self, unit: str) -> str:
        """The condition with the value's unit: '≤10%'."""
        if self.op == "else":
            return "其他情况"
        b = self.bound
        shown = format(b.normalize(), "f") if b == b.to_integral_value() else format(b, "f")
        return {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "="}[self.op] + shown + unit


@dataclass(frozen=True)
class Item:
    """A scored leaf (三级指标) with its rule and parameters."""

    id: str
    level1: str
    level2: str
    level3: str
    weight: Decimal
    rule: str
    source: str = ""
    target: Decimal = D(100)
    cap: bool = True
    bands: tuple[Band, ...] = ()
    threshold: Decimal | None = None
    direction: str = "above"
    per: Decimal = D(1)
    points: Decimal = D(0)
    step: str = "continuous"
    levels: tuple[tuple[str, Decimal], ...] = DEFAULT_LEVELS
    mode: str = "average"
    if_not_computable: str = "pending"
    note: str = ""
    line: int | None = None
    kpis: tuple[str, ...] = ()  # rule kpi: only these named 履职目标 rows (default: every row)


@dataclass(frozen=True)
class Group:
    """项目支出绩效自评: a 一级指标 group and the row labels that belong to it."""

    level1: str
    weight: Decimal
    match: tuple[str, ...]

    def matches(self, label: str) -> bool:
        return any(m in (label or "") for m in self.match)


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    kind: str  # department | project
    total: Decimal
    items: tuple[Item, ...] = ()
    grades: tuple[tuple[str, Decimal], ...] = DEFAULT_GRADES
    rescale: bool = True
    description: str = ""
    path: str = ""
    #: the published scoring table this framework reproduces: (title, url, note)
    reference: tuple[str, str, str] = ("", "", "")
    # project kind only
    execution: Item | None = None
    groups: tuple[Group, ...] = ()
    natures: tuple[tuple[str, str], ...] = ()
    missing_group: str = "pending"
    qualitative_levels: tuple[tuple[str, Decimal], ...] = DEFAULT_LEVELS

    def nature_rule(self, nature: str) -> str | None:
        n = (nature or "").strip()
        for k, v in self.natures:
            if k == n:
                return v
        return None


# ---------------------------------------------------------------- YAML with line numbers


class _Lines(dict):
    """path tuple → 1-based line of the value (and ('key', path) → line of a mapping key)."""


def _construct(node, path: tuple, lines: _Lines, file: str):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):
                raise FrameworkError(f"框架文件 {file} 第{k.start_mark.line + 1}行：键必须是文字。")
            key = k.value
            if key in out:
                raise FrameworkError(f"框架文件 {file} 第{k.start_mark.line + 1}行：键“{key}”重复出现。")
            lines[("key", *path, key)] = k.start_mark.line + 1
            out[key] = _construct(v, (*path, key), lines, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, (*path, i), lines, file) for i, v in enumerate(node.value)]
    # scalars: numbers become Decimal from their source text (exact), never float
    tag = node.tag.rsplit(":", 1)[-1]
    if tag in ("int", "float"):
        try:
            return D(node.value.replace("_", ""))
        except ArithmeticError:
            return node.value
    if tag in ("bool", "null"):
        return yaml.safe_load(node.value)
    return node.value


def _path_str(path) -> str:
    s = ""
    for p in path:
        s += f"[{p}]" if isinstance(p, int) else (f".{p}" if s else str(p))
    return s or "（根）"


TYPE_ZH = {
    "object": "键值表",
    "array": "列表",
    "string": "文字",
    "number": "数字",
    "boolean": "true/false",
    "integer": "整数",
}


def _schema_message(err) -> tuple[str, tuple]:
    """(Chinese message, path to locate) for one jsonschema error."""
    path = tuple(err.absolute_path)
    v = err.validator
    if v == "required":
        missing = re.findall(r"'([^']+)' is a required property", err.message)
        return f"缺少必填键“{missing[0] if missing else err.message}”", path
    if v == "additionalProperties":
        extra = re.findall(r"'([^']+)'", err.message)
        key = extra[0] if extra else "?"
        return f"不认识的键“{key}”（请检查拼写，见 docs/frameworks.md）", ("key", *path, key)
    if v == "enum":
        allowed = "、".join(str(x) for x in err.validator_value)
        return f"取值“{err.instance}”不在允许范围内（可选：{allowed}）", path
    if v == "type":
        want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        return f"应为{'或'.join(TYPE_ZH.get(t, t) for t in want)}，实际是“{err.instance}”", path
    if v == "pattern":
        if path and path[-1] == "when":
            return (
                f'档位条件“{err.instance}”格式不对，应写成带引号的 "<= 10"、"< 5"、">= 90"、"> 80"、'
                f'"== 0" 或 else'
            ), path
        return f"取值“{err.instance}”格式不对", path
    if v == "minItems":
        return "列表不能为空", path
    if v == "minLength":
        return "不能为空", path
    if v == "oneOf":
        return "须且只能填写 points（分数）或 pct（占分值的百分比）之一", path
    return err.message, path


def _line(lines: _Lines, path: tuple) -> int | None:
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = path[:-1] if path[0] != "key" else path[1:]


def _fail(file: str, lines: _Lines, path: tuple, msg: str):
    line = _line(lines, path)
    where = f"第{line}行" if line else ""
    shown = path[1:] if path and path[0] == "key" else path
    raise FrameworkError(
        f"框架文件 {file} {where}（{_path_str(shown)}）：{msg}",
        "框架文件的写法见 docs/frameworks.md；也可用 jixiao frameworks 查看内置框架。",
    )


# ---------------------------------------------------------------- building


def _num(x) -> Decimal:
    return x if isinstance(x, Decimal) else D(str(x))


_COND = re.compile(r"^\s*(<=|<|>=|>|==|=|≤|≥)\s*(-?\d+(?:\.\d+)?)\s*$")


def _band(b: dict) -> Band:
    w = str(b["when"]).strip()
    if w in ("else", "其他"):
        op, bound = "else", None
    else:
        m = _COND.match(w)
        op = {"=": "==", "≤": "<=", "≥": ">="}.get(m.group(1), m.group(1))
        bound = D(m.group(2))
    return Band(
        op,
        bound,
        _num(b["points"]) if "points" in b else None,
        _num(b["pct"]) if "pct" in b else None,
        b.get("label", ""),
    )


def _levels(raw) -> tuple[tuple[str, Decimal], ...]:
    if not raw:
        return DEFAULT_LEVELS
    return tuple(sorted(((x["name"], _num(x["min_pct"])) for x in raw), key=lambda t: -t[1]))


def _item(d: dict, level1: str, level2: str, path: tuple, file: str, lines: _Lines) -> Item:
    from ..indicators import REGISTRY

    rule = d["rule"]
    source = d.get("source", "")
    if rule in ("manual", "qualitative"):
        source = source or "manual"
    elif rule == "kpi":
        source = source or "kpi"
    elif rule in ("proportional", "inverse", "bands", "deduct", "equal"):
        if not source:
            _fail(file, lines, path, f"规则 {rule} 需要 source（指标 id）")
        if source not in REGISTRY and source != PROJECT_EXECUTION:
            _fail(
                file,
                lines,
                (*path, "source"),
                f"没有 id 为“{source}”的指标（可用的指标见 docs/frameworks.md）",
            )
    weight = _num(d["weight"])
    if weight < 0:
        _fail(file, lines, (*path, "weight"), "分值不能为负数")
    bands = tuple(_band(b) for b in d.get("bands", ()))
    if rule == "bands" and not bands:
        _fail(file, lines, path, "规则 bands 需要 bands 列表")
    for i, b in enumerate(bands):
        if b.points is not None and not (0 <= b.points <= weight):
            _fail(file, lines, (*path, "bands", i, "points"), f"档位分数 {b.points} 超出 0–{weight}")
        if b.pct is not None and not (0 <= b.pct <= 100):
            _fail(file, lines, (*path, "bands", i, "pct"), "档位百分比须在 0–100 之间")
    if rule == "deduct" and "threshold" not in d:
        _fail(file, lines, path, "规则 deduct 需要 threshold（满分的界限）")
    if "per" in d and _num(d["per"]) <= 0:
        _fail(file, lines, (*path, "per"), "per 须大于 0")
    return Item(
        id=d["id"],
        level1=level1,
        level2=level2,
        level3=d["name"],
        weight=weight,
        rule=rule,
        source=source,
        target=_num(d.get("target", 100)),
        cap=d.get("cap", True),
        bands=bands,
        threshold=_num(d["threshold"]) if "threshold" in d else None,
        direction=d.get("direction", "above"),
        per=_num(d.get("per", 1)),
        points=_num(d.get("points", 0)),
        step=d.get("step", "continuous"),
        levels=_levels(d.get("levels")),
        mode=d.get("mode", "average"),
        if_not_computable=d.get("if_not_computable", "pending"),
        note=d.get("note", ""),
        line=lines.get(path),
        kpis=tuple(str(k).strip() for k in d.get("kpis", ())),
    )


def _grades(raw) -> tuple[tuple[str, Decimal], ...]:
    if not raw:
        return DEFAULT_GRADES
    return tuple(sorted(((g["grade"], _num(g["min"])) for g in raw), key=lambda t: -t[1]))


def _build(data: dict, file: str, lines: _Lines) -> Framework:
    kind = data.get("kind", "department")
    validator = Draft202012Validator(schema.PROJECT if kind == "project" else schema.DEPARTMENT)
    errors = sorted(
        validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path)))
    )
    if errors:
        err = max(errors, key=lambda e: len(e.absolute_path))  # the most specific first
        msg, path = _schema_message(err)
        _fail(file, lines, path, msg)
    total = _num(data["total"])
    ref = data.get("reference") or {}
    common = dict(
        id=data["id"],
        name=data["name"],
        kind=kind,
        total=total,
        grades=_grades(data.get("grades")),
        rescale=data.get("rescale", True),
        description=data.get("description", ""),
        path=file,
        reference=(ref.get("title", ""), ref.get("url", ""), ref.get("note", "")),
    )
    if kind == "project":
        ex = data["execution"]
        execution = _item(
            {"id": "execution", "source": PROJECT_EXECUTION, **ex},
            ex["name"],
            ex["name"],
            ("execution",),
            file,
            lines,
        )
        groups = tuple(
            Group(g["level1"], _num(g["weight"]), tuple(g.get("match") or [g["level1"]]))
            for g in data["groups"]
        )
        s = execution.weight + sum((g.weight for g in groups), D(0))
        if s != total:
            _fail(file, lines, ("total",), f"各部分分值之和 {s} 不等于 total {total}")
        natures = tuple(
            (
                data.get("natures") or {"≥": "proportional", "≤": "inverse", "=": "equal", "定性": "manual"}
            ).items()
        )
        return Framework(
            **common,
            execution=execution,
            groups=groups,
            natures=natures,
            missing_group=data.get("missing_group", "pending"),
            qualitative_levels=_levels(data.get("qualitative_levels")),
        )
    items: list[Item] = []
    seen: dict[str, int] = {}
    for i, l1 in enumerate(data["levels"]):
        l1sum = D(0)
        for j, l2 in enumerate(l1["children"]):
            l2sum = D(0)
            for k, it in enumerate(l2["items"]):
                path = ("levels", i, "children", j, "items", k)
                if it["id"] in seen:
                    _fail(file, lines, (*path, "id"), f"指标 id“{it['id']}”与第{seen[it['id']]}行重复")
                seen[it["id"]] = lines.get((*path, "id"))
                item = _item(it, l1["name"], l2["name"], path, file, lines)
                items.append(item)
                l2sum += item.weight
            if "weight" in l2 and _num(l2["weight"]) != l2sum:
                _fail(
                    file,
                    lines,
                    ("levels", i, "children", j, "weight"),
                    f"二级指标“{l2['name']}”的分值 {l2['weight']} 不等于其下各项之和 {l2sum}",
                )
            l1sum += l2sum
        if "weight" in l1 and _num(l1["weight"]) != l1sum:
            _fail(
                file,
                lines,
                ("levels", i, "weight"),
                f"一级指标“{l1['name']}”的分值 {l1['weight']} 不等于其下各项之和 {l1sum}",
            )
    s = sum((it.weight for it in items), D(0))
    if s != total:
        _fail(file, lines, ("total",), f"各三级指标分值之和 {s} 不等于 total {total}")
    return Framework(**common, items=tuple(items))


def parse_framework(text: str, file: str = "<文本>", path: str = "") -> Framework:
    """Build a Framework from YAML text (pure: no file access)."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else ""
        raise FrameworkError(
            f"框架文件 {file} {where}不是合法的 YAML：{getattr(exc, 'problem', exc)}"
        ) from None
    if node is None:
        raise FrameworkError(f"框架文件 {file} 是空的。")
    lines = _Lines()
    data = _construct(node, (), lines, file)
    if not isinstance(data, dict):
        raise FrameworkError(f"框架文件 {file} 第1行：顶层应为键值表（id、name、total、levels …）。")
    fw = _build(data, file, lines)
    return Framework(**{**fw.__dict__, "path": path}) if path else fw


@functools.lru_cache(maxsize=1)
def _shipped() -> dict[str, Path]:
    return {p.stem: p for p in sorted(HERE.glob("*.yaml"))}


@functools.lru_cache(maxsize=8)
def _load_shipped(name: str) -> Framework:
    p = _shipped()[name]
    return parse_framework(p.read_text(encoding="utf-8"), p.name, str(p))


@functools.lru_cache(maxsize=32)
def _load_path(path: str, mtime: float) -> Framework:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FrameworkError(f"框架文件 {p.name} 不是 UTF-8 编码的文本。") from None
    except OSError as exc:
        raise FrameworkError(f"无法读取框架文件 {p}：{exc.strerror or exc}") from None
    return parse_framework(text, p.name, str(p))


def load_framework(name_or_path: str | Path | None = None) -> Framework:
    """A shipped framework by id ('six-dimension', 'mof-2013', 'project') or a YAML file path."""
    if isinstance(name_or_path, Framework):
        return name_or_path
    name = str(name_or_path) if name_or_path is not None else DEFAULT_FRAMEWORK
    shipped = _shipped()
    if name in shipped:
        return _load_shipped(name)
    else:
        p = Path(name)
        if not p.exists():
            avail = "、".join(shipped)
            raise FrameworkError(
                f"找不到评分框架“{name}”：既不是内置框架（{avail}），也不是存在的文件。",
                "用 jixiao frameworks 查看内置框架，或给出 YAML 文件路径。",
            )
        if p.is_dir():
            raise FrameworkError(f"评分框架“{name}”是一个文件夹，请给出 YAML 文件。")
    return _load_path(str(p.resolve()), p.stat().st_mtime)


@dataclass(frozen=True)
class FrameworkInfo:
    id: str
    name: str
    kind: str
    total: Decimal
    description: str
    path: str = field(default="")
    source_title: str = ""
    source_url: str = ""


def list_frameworks() -> list[FrameworkInfo]:
    out = []
    for stem, p in _shipped().items():
        f = load_framework(stem)
        out.append(
            FrameworkInfo(
                f.id, f.name, f.kind, f.total, f.description, str(p), f.reference[0], f.reference[1]
            )
        )
    return out

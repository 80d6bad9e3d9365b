"""What the page cache holds (a checked workbook, an evaluation, an audit, a self-review, a ranking)
and the display constants the officer and reviewer views share."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..issues import Issue
from ..results import Evaluation
from .pages import Preview

STATUS_ORDER = {"mismatch": 0, "unverifiable": 1, "rounding": 2, "ok": 3}
GRADES = ("优", "良", "中", "差")
GRADE_COLORS = {"优": "#2e7d32", "良": "#1565c0", "中": "#ef6c00", "差": "#c62828", "待评": "#9e9e9e"}


# ---- what the cache holds ----------------------------------------------------------------------
@dataclass(frozen=True)
class Checked:
    """A workbook with errors: its issues and the cells around them."""

    name: str
    unit: str
    issues: tuple[Issue, ...]
    previews: tuple[Preview, ...]


@dataclass
class Evaluated:
    name: str
    evaluation: Evaluation
    framework_label: str
    recorded: bool
    todo: tuple[str, ...] = ()
    files: dict[str, bytes] = field(default_factory=dict)  # rendered downloads, kept with the result


@dataclass(frozen=True)
class Audited:
    name: str
    claims: tuple[dict, ...]
    kind_names: dict[str, str]


@dataclass(frozen=True)
class SelfReviewed:
    name: str
    workbook: str
    tables: int
    items: tuple[dict, ...]  # ReviewItem.to_dict()
    words: tuple[tuple[str, str], ...]  # (status, Chinese word), worst first


@dataclass(frozen=True)
class RankedItem:
    file: str
    unit: str = ""
    year: int | None = None
    result_id: str = ""  # the unit's result page
    evaluation: Evaluation | None = None
    reason: str = ""  # why it was not evaluated
    check_id: str = ""  # its issue list


@dataclass(frozen=True)
class Ranked:
    framework: str
    items: tuple[RankedItem, ...]
    indicator_ids: tuple[str, ...]
    recorded: bool

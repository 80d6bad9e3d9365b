"""evaluate: Department → indicators, score, project scores and findings (pure orchestrator)."""

from __future__ import annotations

from pathlib import Path

from .findings import find
from .frameworks import Framework, load_framework
from .indicators import DEFAULT_OPTIONS, EvalOptions, compute_all, project_indicators
from .issues import Issue
from .model import Department
from .results import Evaluation
from .scoring import manual_score_issues, score, score_project


def evaluate(dept: Department, *, framework: str | Path | Framework | None = None, issues: list[Issue] = (),
             options: EvalOptions | None = None) -> Evaluation:
    """Evaluate one department. ``framework`` None = the default six-dimension framework.

    Pure apart from reading a framework YAML (cached); ``issues`` (from the workbook check) are
    carried into the result unchanged.
    """
    opts = options or DEFAULT_OPTIONS
    fw = load_framework(framework)
    pfw = load_framework(opts.project_framework)
    inds = compute_all(dept, opts)
    return Evaluation(
        department=dept,
        indicators=inds,
        project_indicators=project_indicators(dept, opts),
        score=score(fw, inds, dept),
        project_scores=[score_project(p, dept, pfw) for p in dept.projects],
        findings=find(dept, inds, opts),
        issues=[*issues, *manual_score_issues(fw, dept, pfw)],
    )


__all__ = ["evaluate", "EvalOptions", "DEFAULT_OPTIONS"]

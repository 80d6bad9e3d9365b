"""evaluate: Department → indicators, score, project scores and findings (pure orchestrator).

It takes a loaded ``Framework``: finding and reading a framework's YAML is the caller's job
(``frameworks.load_framework``; ``api.run`` does it for every shell).
"""

from __future__ import annotations

from collections.abc import Iterable

from .findings import find
from .frameworks import Framework, load_framework
from .indicators import compute_all, project_indicators
from .issues import Issue
from .model import Department
from .options import DEFAULT_OPTIONS, EvalOptions
from .results import Evaluation
from .scoring import manual_score_issues, score, score_project


def evaluate(
    dept: Department,
    framework: Framework | None = None,
    *,
    issues: Iterable[Issue] = (),
    options: EvalOptions | None = None,
    project_framework: Framework | None = None,
) -> Evaluation:
    """Evaluate one department against a loaded ``framework``.

    ``framework`` None = the shipped default (six-dimension); ``project_framework`` None = the
    shipped rule set named by ``options.project_framework``. ``issues`` (from the workbook check)
    are carried into the result unchanged.
    """
    if framework is not None and not isinstance(framework, Framework):
        raise TypeError(
            "evaluate() takes a loaded Framework: load it with frameworks.load_framework(name)"
            " (or call api.run, which does)"
        )
    opts = options or DEFAULT_OPTIONS
    fw = framework or load_framework(None)
    pfw = project_framework or load_framework(opts.project_framework)
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


__all__ = ["DEFAULT_OPTIONS", "EvalOptions", "evaluate"]

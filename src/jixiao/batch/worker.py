"""One workbook in a batch worker: read, check, evaluate (``api.run``) and render it.

``process_one`` never raises: every failure is a ``WorkerResult`` with a ``Status``. Everything
here crosses a process boundary, so it is plain picklable data.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from ..errors import EXIT_INPUT, JixiaoError


class Status(StrEnum):
    """What became of one input file. A ``StrEnum``: stored and compared as its value ('ok' …)."""

    OK = "ok"
    SKIPPED = "skipped"
    DATA_ERROR = "data_error"
    UNREADABLE = "unreadable"
    FAILED = "failed"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"

    @property
    def zh(self) -> str:
        return _STATUS_ZH[self]

    @property
    def failed(self) -> bool:
        """No evaluation came of it (the batch's exit code is 1)."""
        return self in FAILED_STATUSES


_STATUS_ZH = {
    Status.OK: "完成",
    Status.SKIPPED: "未变化（已跳过）",
    Status.DATA_ERROR: "数据有错误",
    Status.UNREADABLE: "无法读取",
    Status.FAILED: "处理失败",
    Status.DUPLICATE: "重复文件",
    Status.CONFLICT: "单位名称和年度重复",
}
FAILED_STATUSES = frozenset({Status.DATA_ERROR, Status.UNREADABLE, Status.FAILED})

#: status → Chinese label (summary, progress, CLI)
STATUS_ZH: dict[str, str] = {s.value: s.zh for s in Status}


@dataclass(frozen=True)
class Job:
    """One workbook for a worker (picklable)."""

    path: str
    input_hash: str
    framework: str | None
    formats: tuple[str, ...]
    scratch: str
    input_name: str = ""
    framework_id: str = ""
    framework_hash: str = ""


@dataclass(frozen=True)
class WorkerResult:
    """What a worker sends back for one workbook. After the worker has recorded the run in the
    store (``run_id`` set), ``slim()`` drops the bulky parts before it crosses back."""

    path: str
    input_hash: str
    scratch: str
    status: Status = Status.FAILED
    reason: str = ""
    unit: str = ""
    year: int | None = None
    supervisor: str = ""
    evaluation: dict | None = None  # Evaluation.to_dict() when status is ok
    issues: list[dict] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # rendered file names, in ``scratch``
    debug: str = ""  # a traceback, for an internal error
    seconds: float = 0.0
    maxrss_kb: int = 0
    pid: int = 0
    run_id: int | None = None  # set when the worker recorded the run itself
    folder: str = ""  # set when the worker placed its outputs itself
    store_error: str = ""
    place_error: str = ""

    @classmethod
    def failure(cls, job: Job, reason: str, status: Status = Status.FAILED) -> WorkerResult:
        return cls(job.path, job.input_hash, job.scratch, status=status, reason=reason)

    def slim(self) -> WorkerResult:
        return replace(self, evaluation=None, issues=[], debug="")


def maxrss_kb() -> int:
    """Peak resident memory of this process in KiB (0 where the platform cannot tell, e.g. Windows)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r // 1024 if sys.platform == "darwin" else r


def process_one(job: Job) -> WorkerResult:
    """Read, check, evaluate and render one workbook. Never raises: every failure is a result."""
    t0 = time.perf_counter()
    try:
        res = _process(job)
    except JixiaoError as exc:
        res = WorkerResult.failure(
            job, exc.message, Status.UNREADABLE if exc.exit_code == EXIT_INPUT else Status.FAILED
        )
    except MemoryError:
        res = WorkerResult.failure(job, "内存不足，文件可能过大。")
    except Exception as exc:  # noqa: BLE001 - one bad workbook never stops the batch
        res = replace(
            WorkerResult.failure(job, f"内部错误 {type(exc).__name__}: {exc}"),
            debug=traceback.format_exc(limit=8),
        )
    return replace(res, seconds=time.perf_counter() - t0, maxrss_kb=maxrss_kb(), pid=os.getpid())


def _process(job: Job) -> WorkerResult:
    from ..api import run

    out = run(job.path, job.framework)
    base = WorkerResult(job.path, job.input_hash, job.scratch, issues=[i.to_dict() for i in out.issues])
    dept = out.department
    if dept is None:
        return replace(
            base,
            status=Status.DATA_ERROR,
            reason=out.issues[0].message if out.issues else "无法从工作簿中读出单位数据",
        )
    base = replace(base, unit=dept.name, year=dept.year, supervisor=dept.supervisor)
    if out.evaluation is None:
        first = out.errors[0]
        return replace(
            base,
            status=Status.DATA_ERROR,
            reason=f"{len(out.errors)} 个错误，首个：{first.location.describe()} {first.message}".strip(),
        )
    files: list[str] = []
    if job.formats:
        from ..report import render

        Path(job.scratch).mkdir(parents=True, exist_ok=True)
        files = [Path(p).name for p in render(out.evaluation, Path(job.scratch), formats=job.formats)]
    return replace(base, status=Status.OK, evaluation=out.evaluation.to_dict(), issues=[], files=files)


__all__ = ["FAILED_STATUSES", "STATUS_ZH", "Job", "Status", "WorkerResult", "maxrss_kb", "process_one"]

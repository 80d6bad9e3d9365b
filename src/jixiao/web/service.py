"""The web page's calls into the library: one small method per task, each blocking (the app runs
them off the event loop). Tests use the real ``Library``; a subclass only to inject failures.

``run(path, framework)`` is the library's one "load → stop on errors → evaluate" call, ``jixiao.api.run``.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, api
from ..api import Outcome
from ..errors import InputError
from ..results import Evaluation


@dataclass(frozen=True)
class FrameworkChoice:
    id: str
    name: str
    description: str
    default: bool = False


def default_store_path() -> Path:
    """The embedded store's SQLite file in the user's data folder (as platformdirs would place it)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "jixiao" / "jixiao.db"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Library:
    """Blocking calls into jixiao for the web page."""

    # ---- officer ----------------------------------------------------------------------------
    def frameworks(self) -> list[FrameworkChoice]:
        from ..frameworks import list_frameworks
        from ..frameworks.loader import DEFAULT_FRAMEWORK

        # the 项目支出 rule set scores projects, not a whole department
        return [
            FrameworkChoice(f.id, f.name, f.description, f.id == DEFAULT_FRAMEWORK)
            for f in list_frameworks()
            if f.kind != "project"
        ]

    def framework(self, framework_id: str):
        from ..frameworks import load_framework

        return load_framework(framework_id)

    def framework_yaml(self, framework_id: str) -> bytes:
        from ..frameworks import list_frameworks

        for f in list_frameworks():
            if f.id == framework_id:
                return Path(f.path).read_bytes()
        raise KeyError(framework_id)

    def template_bytes(self) -> bytes:
        from ..workbook.template import write_template

        with tempfile.TemporaryDirectory(prefix="jixiao-web-") as d:
            p = Path(d) / "template.xlsx"
            write_template(p)
            return p.read_bytes()

    def run(self, path: Path, framework: str | None) -> Outcome:
        """Read and check a workbook; evaluate it when it has no errors (the library's one call)."""
        return api.run(path, framework or None)

    def render(self, evaluation: Evaluation, fmt: str) -> bytes:
        """Report bytes for fmt in docx | html | xlsx."""
        from ..report import build_context, render_docx_bytes, render_html, render_xlsx_bytes

        ctx = build_context(evaluation)
        if fmt == "docx":
            return render_docx_bytes(ctx)
        if fmt == "html":
            html = render_html(ctx)
            return html.encode("utf-8") if isinstance(html, str) else html
        if fmt == "xlsx":
            return render_xlsx_bytes(ctx)
        raise ValueError(fmt)

    def todo(self, evaluation: Evaluation) -> list[str]:
        """The report's 待办清单 when the report context carries one (else nothing)."""
        try:
            from ..report import build_context

            items = getattr(build_context(evaluation), "todo", None) or ()
        except Exception:  # noqa: BLE001 - the to-do list is an extra; the result page stands without it
            return []
        out = []
        for t in items:  # report.todo.TodoItem: section, text, where
            section, where = getattr(t, "section", ""), getattr(t, "where", "")
            out.append(
                f"{section + '：' if section else ''}{getattr(t, 'text', t)}{f'（{where}）' if where else ''}"
            )
        return out

    # ---- reviewer ---------------------------------------------------------------------------
    def audit(self, path: Path):
        from ..audit import audit_file

        return audit_file(path)

    @staticmethod
    def can_review() -> bool:
        """Whether this jixiao has the review of submitted 自评表 (``jixiao review``)."""
        import importlib.util

        return importlib.util.find_spec("jixiao.review") is not None

    def review(self, path: Path, workbook: Path | None):
        """Review a submitted 自评表 (.xlsx layout or a report's tables), against the workbook if given."""
        from ..review import review_file

        return review_file(path, workbook=workbook)

    def review_words(self) -> tuple[tuple[str, str], ...]:
        """(status, Chinese word) worst first, as ``jixiao review`` writes them."""
        from ..review import STATUS_ZH, STATUSES

        return tuple((s, STATUS_ZH.get(s, s)) for s in STATUSES)

    def kind_names(self) -> dict[str, str]:
        from ..audit import KIND_NAMES

        return dict(KIND_NAMES)


class History:
    """The store the page records to and reads history from (opened once, shared by requests)."""

    def __init__(self, url: str, label: str):
        self.url = url
        self.label = label  # what the page shows: the SQLite file's path, or the URL without password
        self._store = None
        self._lock = threading.Lock()
        self._fw: dict[str, tuple[str, str]] = {}

    def store(self):
        from ..store import Store

        with self._lock:
            if self._store is None:
                try:
                    if self.url.startswith("sqlite:///"):
                        Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
                    self._store = Store.open(self.url)
                except OSError as exc:
                    raise InputError(
                        f"无法打开历史数据库 {self.label}：{exc.strerror or exc}。",
                        "请检查该文件所在的文件夹是否存在且可写，或启动时用 --db 指定其他位置。",
                    ) from exc
            return self._store

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def fingerprint(self, framework: str | None) -> tuple[str, str]:
        from ..batch.runner import framework_fingerprint

        key = framework or ""
        if key not in self._fw or Path(key).is_file():
            self._fw[key] = framework_fingerprint(framework)
        return self._fw[key]

    def record(self, outcome: Outcome, data_hash: str, name: str, framework: str | None) -> int | None:
        """Store one upload's run (data errors too, when the unit is known). → run id."""
        from ..store import RunRecord

        dept = outcome.department
        if dept is None or not dept.name:
            return None
        fw_id, fw_hash = self.fingerprint(framework)
        ev = outcome.evaluation
        rec = RunRecord(
            input_hash=data_hash,
            framework_hash=fw_hash,
            tool_version=__version__,
            status="ok" if ev is not None else "data_error",
            input_name=name,
            framework_id=fw_id,
            reason="" if ev is not None else "基础数据表有错误，未评分",
            unit=dept.name,
            year=dept.year,
            supervisor=getattr(dept, "supervisor", "") or "",
            evaluation=ev.to_dict() if ev is not None else None,
            issues=[i.to_dict() for i in outcome.issues],
        )
        return self.store().record(rec)[0]

    def overview(self) -> tuple[list[str], list[int]]:
        """(units, years) with at least one evaluated run."""
        runs = self.store().latest_runs()
        return sorted({r["unit"] for r in runs}), sorted({r["year"] for r in runs})

    def history(self, unit: str | None):
        from ..compare import history

        return history(self.store(), unit=unit or None)

    def ranking(self, year: int, framework_id: str):
        """The newest evaluated run of each unit in ``year`` under one framework (YearResult rows)."""
        from ..compare import history

        rows, names = history(self.store(), framework_id=framework_id)
        return [r for r in rows if r.year == year], names

    def frameworks_used(self) -> list[str]:
        return sorted({r["framework_id"] for r in self.store().latest_runs() if r.get("framework_id")})

    def compare(self, years: tuple[int, int]):
        from ..compare import compare

        return compare(self.store(), years)

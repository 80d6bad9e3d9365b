"""``jixiao batch``: evaluate every workbook under a folder, in parallel processes.

Each worker reads one workbook, evaluates it, renders its outputs into a private scratch folder
and records the run in the store itself (the store takes concurrent writers: SQLite WAL + busy
timeout + BEGIN IMMEDIATE, or PostgreSQL); it sends back only a small summary row with the run id.
The worker also moves its outputs to ``OUT/<单位名称>-<年度>/`` (processes agree on folder names
through claim files). The parent keeps the small rows, the progress, conflict detection and the
summary; it records or places a run itself only when a worker could not (it died, or failed to
write). A run is
identified by sha256(workbook bytes) + framework hash + tool version, so re-running on the same
inputs adds no rows and skips work whose outputs are already in place.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sys
import time
import warnings
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from multiprocessing.context import BaseContext
from pathlib import Path

import sqlalchemy as sa

from .. import __version__
from ..checks.codes import BATCH_FAILED, BATCH_UNREADABLE
from ..errors import EXIT_DATA, EXIT_OK, UsageError
from ..formats import DOCUMENTS, Format
from ..issues import Location, make
from ..store import RunRecord, Store
from ..store.db import utcnow
from .placement import (
    _existing_folders,
    _outputs_in_place,
    _Placer,
    is_output,
    mark_output_folder,
    place_outputs,
)
from .worker import STATUS_ZH, Job, Status, WorkerResult, process_one
from .worker import maxrss_kb as _maxrss_kb

WORK_DIR = ".jixiao-work"
DEFAULT_FORMATS = (Format.DOCX, Format.HTML, Format.JSON)
ALL_FORMATS = DOCUMENTS


@dataclass
class Item:
    """One input file's outcome in this batch (what the summary lists)."""

    file: str  # path relative to the input folder
    input_hash: str = ""
    status: Status | str = ""  # '' until decided
    reason: str = ""
    unit: str = ""
    year: int | None = None
    run_id: int | None = None
    folder: str = ""  # output folder name under OUT ('' when none)
    files: list[str] = field(default_factory=list)
    note: str = ""  # duplicate / conflict remarks
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.status in (Status.DATA_ERROR, Status.UNREADABLE, Status.FAILED)


@dataclass
class BatchResult:
    out: Path
    db_url: str
    items: list[Item]
    seconds: float
    jobs: int
    worker_maxrss_kb: int = 0
    parent_maxrss_kb: int = 0
    summary_files: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_DATA if any(i.failed or i.status == Status.CONFLICT for i in self.items) else EXIT_OK

    def counts(self) -> dict[str, int]:
        c: dict[str, int] = {}
        for i in self.items:
            c[i.status] = c.get(i.status, 0) + 1
        return c


def describe_url(url: sa.URL) -> str:
    """An SQLite store as its file path (readable, not percent-encoded); others without password."""
    if url.get_backend_name() == "sqlite" and url.database:
        return url.database
    return url.render_as_string(hide_password=True)


# -- discovery, hashing, names -------------------------------------------------------------------
def discover(src: Path, out: Path) -> list[Path]:
    """Every .xlsx under ``src`` (recursively), skipping Office lock files (~$…), hidden folders
    and anything inside ``out``; sorted for a stable order."""
    src = Path(src)
    if not src.is_dir():
        raise UsageError(f"输入目录不存在或不是目录：{src}")
    out_r, src_r = Path(out).resolve(), src.resolve()
    if out_r == src_r or out_r in src_r.parents:
        raise UsageError(
            f"输出目录 {out} 不能是输入目录本身或它的上级目录。",
            "请另选一个输出目录，例如在输入目录旁边新建“输出”。",
        )
    found = []
    for p in src.rglob("*"):
        if p.suffix.lower() != ".xlsx" or not p.is_file() or p.name.startswith("~$"):
            continue
        rel = p.relative_to(src)
        if any(part.startswith(".") for part in rel.parts):
            continue
        rp = p.resolve()
        if out_r in rp.parents or is_output(p, src):  # our outputs (this or an earlier batch)
            continue
        found.append(p)
    return sorted(found, key=lambda p: str(p.relative_to(src)))


def check_formats(formats: tuple[str, ...]) -> tuple[Format, ...]:
    """The output formats as ``Format``s (none: evaluate and record only); OptionError if unknown."""
    return Format.parse_list(",".join(formats), DOCUMENTS) if formats else ()


def find_inputs(src: Path, out: Path) -> list[Path]:
    """``discover``, refusing a folder with no workbook at all (a wrong folder, or only .xls files)."""
    paths = discover(src, out)
    if not paths:
        raise UsageError(
            f"在 {src} 及其子目录中没有找到基础数据表（.xlsx 文件）。",
            "请确认目录是否正确；.xls 等旧格式请先在 Excel/WPS 中另存为 .xlsx。",
        )
    return paths


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def framework_fingerprint(framework: str | None) -> tuple[str, str]:
    """(framework id, sha256) identifying the scoring rules of a run. Loads the framework, so a bad
    one is a usage error before any work starts. The hash covers the chosen file and every shipped
    framework file (the project rule set is one of them)."""
    from ..frameworks.loader import HERE, load_framework

    fw = load_framework(framework)
    h = hashlib.sha256()
    if framework and not (HERE / f"{framework}.yaml").is_file() and Path(framework).is_file():
        h.update(b"file\0" + Path(framework).read_bytes())  # a user's own framework file
    else:
        h.update(b"shipped\0" + fw.id.encode())
    for f in sorted(HERE.glob("*.y*ml")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return fw.id, h.hexdigest()


# -- the parent ----------------------------------------------------------------------------------
def default_jobs() -> int:
    """The CPUs this process may use (container/affinity aware); at most 61 on Windows."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    return min(n, 61) if sys.platform == "win32" else n


ProgressFn = Callable[[Item], None]


def run_batch(
    src: Path,
    out: Path,
    *,
    store: Store,
    jobs: int | None = None,
    framework: str | None = None,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    on_start: Callable[[int], None] | None = None,
    on_item: ProgressFn | None = None,
    force: bool = False,
) -> BatchResult:
    """Process every workbook under ``src`` into ``out``; record each run in ``store``."""
    t0 = time.perf_counter()
    src, out = Path(src), Path(out)
    formats = check_formats(formats)
    jobs = max(1, jobs or default_jobs())
    paths = find_inputs(src, out)
    out.mkdir(parents=True, exist_ok=True)
    mark_output_folder(out)
    fw_label, fw_hash = framework_fingerprint(framework)
    scratch_root = out / WORK_DIR
    existing = _existing_folders(out)
    claims = scratch_root / "claims"
    shutil.rmtree(claims, ignore_errors=True)  # left by an interrupted batch
    claims.mkdir(parents=True)
    placer = _Placer(out, existing, claims)

    hashes = _hashes(paths)
    prevs = (
        {}
        if force
        else store.find_runs({h for h in hashes.values() if isinstance(h, str)}, fw_hash, __version__)
    )

    def make_job(p: Path, it: Item) -> Job:
        return Job(
            str(p),
            it.input_hash,
            framework,
            tuple(formats),
            str(scratch_root / it.input_hash[:20]),
            it.file,
            fw_label,
            fw_hash,
        )

    items, todo = _plan(src, paths, hashes, prevs, existing, placer, formats, make_job)
    jobs = min(jobs, max(1, len(todo)))

    def started() -> None:  # after the workers exist: no progress-bar thread is running at fork
        if on_start:
            on_start(len(items))
        for it in items:
            if it.status and on_item:
                on_item(it)

    worker_rss = 0

    def finish(it: Item, res: WorkerResult) -> None:
        nonlocal worker_rss
        worker_rss = max(worker_rss, res.maxrss_kb)
        _accept(it, res, store=store, placer=placer, fw=(fw_label, fw_hash), formats=formats)
        if on_item:
            on_item(it)

    try:
        if jobs == 1 or len(todo) <= 1:
            started()
            for it, job in todo:
                finish(it, process_one(job))
        else:
            if _fork_context() is not None:
                _warm(framework, formats)  # loaded once here, inherited by every forked worker
            _run_pool(todo, jobs, finish, started, store=store, place=(out, claims, placer.by_folder))
    finally:  # every finished run is already stored: an interrupted batch resumes where it stopped
        shutil.rmtree(scratch_root, ignore_errors=True)
    placer.report_conflicts()
    return BatchResult(
        out=out,
        db_url=describe_url(store.engine.url),
        items=items,
        seconds=time.perf_counter() - t0,
        jobs=jobs,
        worker_maxrss_kb=worker_rss,
        parent_maxrss_kb=_maxrss_kb(),
    )


def _hashes(paths: list[Path]) -> dict[Path, str | OSError]:
    out: dict[Path, str | OSError] = {}
    for p in paths:
        try:
            out[p] = file_hash(p)
        except OSError as exc:
            out[p] = exc
    return out


def _plan(
    src: Path,
    paths: list[Path],
    hashes: dict[Path, str | OSError],
    prevs: dict[str, dict],
    existing: dict[str, dict],
    placer: _Placer,
    formats: tuple[Format, ...],
    job: Callable[[Path, Item], Job],
) -> tuple[list[Item], list[tuple[Item, Job]]]:
    """One Item per input, in order; the work still to do. Unreadable, duplicate and unchanged
    inputs (same bytes, same framework, same tool, outputs in place) are decided here."""
    items: list[Item] = []
    todo: list[tuple[Item, Job]] = []
    seen: dict[str, Item] = {}
    for p in paths:
        it = Item(file=str(p.relative_to(src)))
        items.append(it)
        h = hashes[p]
        if isinstance(h, OSError):
            it.status, it.reason = Status.UNREADABLE, f"无法读取文件：{h.strerror or h}"
            continue
        it.input_hash = h
        if h in seen:
            it.status, it.note = Status.DUPLICATE, f"与 {seen[h].file} 内容完全相同，未重复处理"
            continue
        seen[h] = it
        prev = prevs.get(h)
        if prev is not None and _outputs_in_place(existing.get(h), formats, prev):
            _reuse(it, prev, existing.get(h), placer)
        else:
            todo.append((it, job(p, it)))
    return items, todo


def _reuse(it: Item, prev: dict, marker: dict | None, placer: _Placer) -> None:
    """An unchanged input: its earlier run stands (outputs kept, or still reported as bad)."""
    it.reason, it.run_id = prev["reason"], prev["id"]
    it.unit, it.year = prev["unit"] or "", prev["year"]
    if prev["status"] == Status.OK and marker is not None:
        it.status = Status.SKIPPED
        it.folder = marker["folder"]
        it.files = list(marker.get("files", []))
        placer.claim(it)
    else:  # still bad: report it again from the record
        it.status, it.note = Status(prev["status"]), "结果沿用上次运行的记录（文件未变化）"


def _run_pool(
    todo: list[tuple[Item, Job]],
    jobs: int,
    finish: Callable[[Item, WorkerResult], None],
    started: Callable[[], None] = lambda: None,
    *,
    store: Store | None = None,
    place: tuple | None = None,
) -> None:
    """At most ``jobs × 16`` tasks in flight: enough that workers never wait while the parent
    records results, few enough that the parent's memory stays flat in N.

    If a worker dies (killed, out of memory on a hostile file …) the pool breaks and every task in
    flight fails with it; those are retried one at a time in a fresh pool, so only the file that
    really kills a worker is reported as failed."""
    ctx = _fork_context()

    def new_pool() -> ProcessPoolExecutor:
        if store is not None:
            store.engine.dispose()  # no open database handles across fork
        return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init, initargs=init)

    init = (
        store.engine.url.render_as_string(hide_password=False) if store else None,
        store.clock if store else None,
        place,
    )

    limit = jobs * 16
    pending = deque(todo)
    suspects: deque[tuple[Item, Job]] = deque()
    running: dict[Future, tuple[Item, Job, bool]] = {}
    pool = new_pool()
    first = True
    try:
        while pending or suspects or running:
            if suspects:
                if not running:
                    it, job = suspects.popleft()
                    running[pool.submit(_work, job)] = (it, job, True)
            else:
                while pending and len(running) < limit:
                    it, job = pending.popleft()
                    running[pool.submit(_work, job)] = (it, job, False)
            if first:  # the first submit has started every worker process
                first = False
                started()
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            if _collect(done, running, suspects, finish):  # the pool broke
                for fut, (it, job, _) in running.items():  # they die with the pool: try them again
                    if fut.done() and not fut.cancelled() and fut.exception() is None:
                        finish(it, fut.result())  # it finished before the pool broke
                    else:
                        suspects.append((it, job))
                running.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                pool = new_pool()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _collect(
    done: set[Future],
    running: dict[Future, tuple[Item, Job, bool]],
    suspects: deque[tuple[Item, Job]],
    finish: Callable[[Item, WorkerResult], None],
) -> bool:
    """Finish the done tasks; a task lost with a broken pool becomes a suspect, to be retried
    alone (a suspect that breaks its pool again has failed). True when the pool broke."""
    broken = False
    for fut in done:
        it, job, suspect = running.pop(fut)
        try:
            res = fut.result()
        except BrokenProcessPool:
            broken = True
            if not suspect:
                suspects.append((it, job))
                continue
            res = WorkerResult.failure(job, "处理该文件时进程异常退出（可能内存不足或文件异常）。")
        except Exception as exc:  # noqa: BLE001 - pickling errors and the like
            res = WorkerResult.failure(job, f"处理进程出错：{type(exc).__name__} {exc}")
        finish(it, res)
    return broken


def _warm(framework: str | None, formats: tuple[str, ...]) -> None:
    """Import the pipeline and load the framework and font once in the parent (no user file is
    touched here: a hostile workbook can only ever crash a worker)."""
    import importlib

    for mod in ("workbook", "workbook.read", "workbook.parse", "checks", "evaluate", "frameworks.loader"):
        importlib.import_module(f"jixiao.{mod}")
    if formats:
        for mod in ("report", "report.context", "report.docx", "report.html", "report.fonts"):
            try:
                importlib.import_module(f"jixiao.{mod}")
            except ImportError:  # pragma: no cover - a renderer not built: the worker will say so
                pass
    try:
        from ..frameworks.loader import load_framework

        load_framework(framework)
        if formats:
            from ..report.fonts import find_cjk_font

            find_cjk_font()
    except Exception:  # noqa: BLE001 - warming is an optimisation; the workers report real errors
        pass


def _fork_context() -> BaseContext | None:
    """fork on Linux (fast start, inherits the parent's loaded modules); the platform default
    (spawn) elsewhere, where fork is unavailable or unsafe."""
    import multiprocessing as mp

    return mp.get_context("fork") if sys.platform.startswith("linux") else None


_WORKER_STORE: Store | None = None
_WORKER_PLACE: tuple | None = None  # (out, claims folder, folder → input hash of earlier batches)


def _worker_init(url: str | None = None, clock: Callable | None = None, place: tuple | None = None) -> None:
    """Workers leave Ctrl-C to the parent, which stops handing out work and exits cleanly; each
    opens its own connection to the store (already migrated by the parent)."""
    global _WORKER_STORE, _WORKER_PLACE
    _WORKER_PLACE = place
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warnings.simplefilter("ignore")  # library warnings would only garble the parent's progress bar
    if url:
        from ..store.engine import make_engine

        _WORKER_STORE = Store(make_engine(url), clock=clock or utcnow, migrate_now=False)


def _work(job: Job) -> WorkerResult:
    """In a worker: process one workbook and record the run; only a small row goes back to the
    parent. If the store write fails the full result goes back and the parent records it."""
    res = process_one(job)
    if _WORKER_STORE is not None and job.framework_hash:
        try:
            run_id = _record(
                _WORKER_STORE, res, job.input_hash, job.input_name, (job.framework_id, job.framework_hash)
            )
        except Exception as exc:  # noqa: BLE001 - the parent records it instead
            res = replace(res, store_error=f"{type(exc).__name__}: {exc}")
        else:
            res = replace(res.slim(), run_id=run_id)
    if _WORKER_PLACE is not None and res.status == Status.OK and res.run_id is not None:
        out, claims, by_folder = _WORKER_PLACE
        try:
            folder = place_outputs(
                out,
                claims,
                by_folder,
                input_hash=job.input_hash,
                input_name=job.input_name,
                unit=res.unit,
                year=res.year,
                scratch=Path(job.scratch),
                files=res.files,
                formats=job.formats,
            )
        except Exception as exc:  # noqa: BLE001 - the parent places it instead
            res = replace(res, place_error=f"{type(exc).__name__}: {exc}")
        else:
            res = replace(res, folder=folder)
    return res


def _record(store: Store, res: WorkerResult, input_hash: str, input_name: str, fw: tuple[str, str]) -> int:
    """Store one processed workbook's run (in a worker, or in the parent for ``--jobs 1``)."""
    issues = res.issues
    if res.status in (Status.UNREADABLE, Status.FAILED) and not issues:
        code = BATCH_UNREADABLE if res.status == Status.UNREADABLE else BATCH_FAILED
        issues = [make(code, location=Location(file=Path(input_name).name), reason=res.reason).to_dict()]
    rec = RunRecord(
        input_hash=input_hash,
        framework_hash=fw[1],
        tool_version=__version__,
        status=res.status.value,
        input_name=input_name,
        framework_id=fw[0],
        reason=res.reason,
        unit=res.unit,
        year=res.year,
        supervisor=res.supervisor,
        evaluation=res.evaluation,
        issues=issues,
    )
    return store.record(rec)[0]


def _accept(
    it: Item,
    res: WorkerResult,
    *,
    store: Store,
    placer: _Placer,
    fw: tuple[str, str],
    formats: tuple[str, ...],
) -> None:
    it.status = res.status
    it.reason = res.reason
    it.unit = res.unit
    it.year = res.year
    it.seconds = res.seconds
    it.run_id = res.run_id
    if it.run_id is None:  # --jobs 1, or the worker died / could not write to the store
        it.run_id = _record(store, res, it.input_hash, it.file, fw)
    if it.status == Status.OK:
        if res.folder:  # the worker placed its outputs
            it.folder, it.files = res.folder, list(res.files)
            placer.placed(it)
        else:
            placer.place(it, Path(res.scratch), list(res.files), formats)


__all__ = [
    "ALL_FORMATS",
    "DEFAULT_FORMATS",
    "STATUS_ZH",
    "BatchResult",
    "Item",
    "Job",
    "Status",
    "WorkerResult",
    "check_formats",
    "default_jobs",
    "describe_url",
    "discover",
    "file_hash",
    "find_inputs",
    "framework_fingerprint",
    "process_one",
    "run_batch",
]

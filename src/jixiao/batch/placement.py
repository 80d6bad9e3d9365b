"""Where each unit's outputs go: ``OUT/<单位名称>-<年度>/``, a sanitised single folder name, never
shared by two different workbooks; a marker file records which input a folder came from."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from ..fsutil import write_text_atomic
from ..safety import safe_filename

if TYPE_CHECKING:
    from .runner import Item

MARKER = ".jixiao-run.json"
#: written into every batch output folder (OUT): nothing under it is ever read as an input
OUT_MARKER = ".jixiao-output"
#: in docProps/core.xml <cp:keywords> of every .xlsx jixiao writes (summary, history, attachments)
OUTPUT_KEYWORD = b"jixiao-output"
FAILED = ("data_error", "unreadable", "failed")


def mark_output_folder(out: Path) -> None:
    """Mark ``out`` as a batch output folder (a later batch over a parent folder skips it)."""
    m = out / OUT_MARKER
    if not m.exists():
        write_text_atomic(m, "jixiao batch 输出目录：其中的文件不会被当作基础数据表读取。\n")


def is_output(path: Path, src: Path) -> bool:
    """True for a file jixiao wrote: inside a marked output folder (between ``src`` and it), or an
    .xlsx whose document properties carry OUTPUT_KEYWORD (history -o, report attachments …)."""
    for d in path.parents:
        if (d / OUT_MARKER).exists() or (d / MARKER).exists():
            return True
        if d == src:
            break
    try:
        import zipfile

        with zipfile.ZipFile(path) as z, z.open("docProps/core.xml") as f:
            return OUTPUT_KEYWORD in f.read(64 * 1024)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError):
        return False


def folder_name(unit: str, year: int | None) -> str:
    """'长沙市科学技术局-2023': a safe single folder name on Windows, macOS and Linux."""
    name = safe_filename(unit, "未命名单位", 80)
    return f"{name}-{year if year is not None else '年度不详'}"


def _existing_folders(out: Path) -> dict[str, dict]:
    """input hash → marker of unit folders a previous batch wrote into ``out``."""
    found: dict[str, dict] = {}
    for d in sorted(out.iterdir()) if out.is_dir() else []:
        m = d / MARKER
        if d.is_dir() and m.is_file():
            try:
                doc = json.loads(m.read_text(encoding="utf-8"))
                found[doc["input_hash"]] = doc | {"folder": d.name, "dir": str(d)}
            except (OSError, ValueError, KeyError):
                continue
    return found


def _outputs_in_place(marker: dict | None, formats: tuple[str, ...], prev: dict) -> bool:
    if prev["status"] != "ok":
        return prev["status"] in FAILED  # nothing to write for a failed input: the record is enough
    if marker is None or not set(formats) <= set(marker.get("formats", [])):
        return False
    return all((Path(marker["dir"]) / f).is_file() for f in marker.get("files", []))


def _claim(claims: Path, name: str) -> bool:
    """Take folder ``name`` for this batch (atomic across processes: O_EXCL on a claim file)."""
    try:
        os.close(os.open(claims / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        return True
    except FileExistsError:
        return False


def place_outputs(
    out: Path,
    claims: Path,
    by_folder: dict[str, str],
    *,
    input_hash: str,
    input_name: str,
    unit: str,
    year: int | None,
    scratch: Path,
    files: list[str],
    formats: tuple[str, ...],
) -> str:
    """Move one unit's rendered files from ``scratch`` to its own folder under ``out`` and return
    the folder name. Runs in the worker (or the parent for ``--jobs 1``); processes agree through
    claim files, so two different workbooks never share a folder. ``by_folder`` maps the folders
    an earlier batch wrote (folder → input hash): those may be overwritten, a user's own may not."""
    base = folder_name(unit, year)
    name, n = base, 1
    while True:
        on_disk = by_folder.get(name)
        free = not (out / name).exists() or on_disk is not None  # ours from an earlier batch
        if free and (on_disk in (None, input_hash) or name == base) and _claim(claims, name):
            break
        n += 1
        name = f"{base}（{n}）"
    target = out / name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    if scratch.is_dir():
        for f in files:
            os.replace(scratch / f, target / f)
        shutil.rmtree(scratch, ignore_errors=True)
    write_text_atomic(
        target / MARKER,
        json.dumps(
            {"input_hash": input_hash, "input": input_name, "formats": sorted(formats), "files": files},
            ensure_ascii=False,
            indent=1,
        ),
    )
    return name


class _Placer:
    """Conflict detection in the parent: two workbooks that claim the same unit and year are
    reported; the one that got the plain ``<单位名称>-<年度>`` folder is the first."""

    def __init__(self, out: Path, existing: dict[str, dict], claims: Path):
        self.out = out
        self.claims = claims
        self.by_folder = {m["folder"]: h for h, m in existing.items()}  # folder → input hash on disk
        self.by_base: dict[str, list[Item]] = {}  # unit-year → items

    def _base(self, it: Item) -> None:
        self.by_base.setdefault(folder_name(it.unit, it.year), []).append(it)

    def claim(self, it: Item) -> None:
        """An unchanged unit keeps its folder (before any worker starts)."""
        self.claims.mkdir(parents=True, exist_ok=True)
        _claim(self.claims, it.folder)
        self._base(it)

    def placed(self, it: Item) -> None:
        self._base(it)

    def place(self, it: Item, scratch: Path, files: list[str], formats: tuple[str, ...]) -> None:
        """Place in the parent (``--jobs 1``, or when a worker could not)."""
        self.claims.mkdir(parents=True, exist_ok=True)
        it.folder = place_outputs(
            self.out,
            self.claims,
            self.by_folder,
            input_hash=it.input_hash,
            input_name=it.file,
            unit=it.unit,
            year=it.year,
            scratch=scratch,
            files=files,
            formats=formats,
        )
        it.files = files
        self._base(it)

    def report_conflicts(self) -> None:
        for base, group in self.by_base.items():
            if len(group) < 2:
                continue
            first = next((i for i in group if i.folder == base), group[0])
            for other in group:
                if other is first:
                    continue
                other.status = "conflict"
                other.note = (
                    f"与 {first.file} 的单位名称和年度相同（{first.unit} {first.year}），"
                    f"输出另存于 {other.folder or '（无）'}"
                )
                if not first.note:
                    first.note = f"另有 {other.file} 填报了相同的单位名称和年度"

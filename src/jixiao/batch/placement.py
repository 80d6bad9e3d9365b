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
FAILED = ("data_error", "unreadable", "failed")



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


class _Placer:
    """Chooses each unit's output folder; two different workbooks never share one, and two
    workbooks that claim the same unit and year are reported as a conflict."""

    def __init__(self, out: Path, existing: dict[str, dict]):
        self.out = out
        self.by_folder = {m["folder"]: h for h, m in existing.items()}   # folder → input hash on disk
        self.claimed: dict[str, Item] = {}                                 # folder → item of this batch
        self.by_base: dict[str, Item] = {}                                 # unit-year → first item
        self.conflicts: list[tuple[Item, Item]] = []

    def _base(self, it: Item) -> str:
        base = folder_name(it.unit, it.year)
        first = self.by_base.setdefault(base, it)
        if first is not it:
            self.conflicts.append((first, it))
        return base

    def claim(self, it: Item) -> None:
        self._base(it)
        self.claimed[it.folder] = it

    def place(self, it: Item, scratch: Path, files: list[str], formats: tuple[str, ...]) -> None:
        base = self._base(it)
        name, n = base, 1
        while True:
            owner = self.claimed.get(name)
            on_disk = self.by_folder.get(name)
            free = not (self.out / name).exists() or on_disk is not None  # ours from an earlier batch
            if owner is None and free and (on_disk in (None, it.input_hash) or name == base):
                break
            n += 1
            name = f"{base}（{n}）"
        target = self.out / name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        if scratch.is_dir():
            for f in files:
                os.replace(scratch / f, target / f)
            shutil.rmtree(scratch, ignore_errors=True)
        write_text_atomic(target / MARKER, json.dumps(
            {"input_hash": it.input_hash, "input": it.file, "formats": sorted(formats), "files": files},
            ensure_ascii=False, indent=1))
        it.folder, it.files = name, files
        self.claimed[name] = it
        self.by_folder[name] = it.input_hash

    def report_conflicts(self) -> None:
        for first, other in self.conflicts:
            other.status = "conflict"
            other.note = (f"与 {first.file} 的单位名称和年度相同（{first.unit} {first.year}），"
                          f"输出另存于 {other.folder or '（无）'}")
            if not first.note:
                first.note = f"另有 {other.file} 填报了相同的单位名称和年度"

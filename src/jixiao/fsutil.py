"""Atomic output writing: never a half-written file, never over an input."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import UsageError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()


def refuse_inputs(paths, protect: tuple = ()) -> None:
    """Raise UsageError if any of ``paths`` is one of the ``protect`` inputs — called before the
    first of several outputs is written, so a refusal leaves nothing behind."""
    for p in paths:
        for q in protect:
            try:
                if Path(p).exists() and Path(q).exists() and Path(p).resolve() == Path(q).resolve():
                    raise UsageError(f"输出文件 {p} 与输入文件相同，拒绝覆盖输入。", "请换一个输出目录。")
            except OSError:
                pass


def write_bytes_atomic(path: str | os.PathLike, data: bytes, *, protect: tuple = ()) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder and os.replace.

    ``protect`` lists input paths that must never be overwritten.
    """
    p = Path(path)
    refuse_inputs((p,), protect)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~" + p.name[:40], suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, _MODE)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return p


def write_chunks_atomic(path: str | os.PathLike, chunks, *, protect: tuple = ()) -> Path:
    """Like write_bytes_atomic, for an output made piece by piece (str as UTF-8, or bytes): the
    pieces go to the temporary file as they come, so a large output is never held whole."""
    p = Path(path)
    refuse_inputs((p,), protect)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~" + p.name[:40], suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as f:
            for c in chunks:
                f.write(c.encode("utf-8") if isinstance(c, str) else c)
        os.chmod(tmp, _MODE)
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return p


def write_text_atomic(path: str | os.PathLike, text: str, *, protect: tuple = ()) -> Path:
    return write_bytes_atomic(path, text.encode("utf-8"), protect=protect)

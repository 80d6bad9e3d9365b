"""Upload safety: size limits while streaming, type checks by content, one temp folder per upload.

The uploaded file name is only ever *shown* (escaped); it is never used as a path. Each saved
upload gets a fixed name (``upload-1.xlsx`` …) inside its own ``tempfile.TemporaryDirectory``.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .. import limits

#: room for multipart boundaries, headers and the small form fields beside the file(s)
FORM_OVERHEAD = 256 * 1024
#: an xlsx/docx whose parts unpack to more than this is refused (zip bomb): the shared limit
MAX_UNPACKED = limits.MAX_UNPACKED_BYTES

KIND_ZH = {
    "xlsx": "Excel 工作簿（.xlsx）",
    "docx": "Word 文档（.docx）",
    "pdf": "PDF 文件",
    "txt": "文本文件（.txt）",
}


class UploadRejected(Exception):
    """An upload we refuse; ``message``/``hint`` are Chinese, ``status`` the HTTP status."""

    def __init__(self, message: str, hint: str = "", status: int = 422):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.status = status


class UploadTooLarge(UploadRejected):
    def __init__(self, limit_bytes: int):
        mb = limit_bytes // (1024 * 1024)
        super().__init__(
            f"上传的文件太大：单次上传不能超过 {mb} MB。",
            "请确认选择的是正确的文件；基础数据表通常只有几百 KB。",
            status=413,
        )


@dataclass(frozen=True)
class Sniffed:
    kind: str  # xlsx | docx | pdf | txt
    data: bytes


def _zip_names(data: bytes) -> list[zipfile.ZipInfo] | None:
    if not data.startswith(b"PK\x03\x04"):
        return None
    n = limits.zip_entries(data)
    if n is not None and n > limits.MAX_ZIP_ENTRIES:
        raise UploadRejected(
            f"上传的压缩文件中有 {n:,} 个部件，超过上限 {limits.MAX_ZIP_ENTRIES:,} 个，已拒绝处理。",
            "请检查文件是否损坏或被篡改。",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None


def _is_ole(data: bytes) -> bool:
    return data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _text_ok(data: bytes) -> bool:
    """Decodable text (UTF-8 with or without BOM, UTF-16 with BOM, or GB18030) without binary noise."""
    if not data.strip():
        return False
    text = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return False
    else:
        if b"\x00" in data:
            return False
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        return False
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return bad <= max(2, len(text) // 1000)


def sniff(data: bytes, allowed: tuple[str, ...]) -> Sniffed:
    """Decide what ``data`` is by its content (never by the file name) and check it is allowed."""
    want = "、".join(KIND_ZH[k] for k in allowed)
    if not data:
        raise UploadRejected("上传的文件是空的（0 字节）。", f"请选择{want}。")
    infos = _zip_names(data)
    kind = None
    if infos is not None:
        names = {i.filename for i in infos}
        if sum(i.file_size for i in infos) > MAX_UNPACKED:
            raise UploadRejected("上传的压缩文件解压后过大，已拒绝处理。", "请检查文件是否损坏或被篡改。")
        try:  # each part against its own limit (a sheet, the shared strings, document.xml …)
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                limits.check_members(z, "上传的文件")
        except limits.LimitExceeded as exc:
            raise UploadRejected(exc.message, exc.hint) from None
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            kind = "xlsx"
        elif "[Content_Types].xml" in names and "word/document.xml" in names:
            kind = "docx"
        else:
            raise UploadRejected("上传的文件是压缩包，但不是 Excel 工作簿或 Word 文档。", f"请选择{want}。")
    elif data.startswith(b"PK\x03\x04"):
        raise UploadRejected(
            "上传的文件像是 Excel 或 Word 文件，但已损坏或不完整，无法打开。",
            "请在 Excel/WPS 中打开确认后重新保存，再上传。",
        )
    elif data.startswith(b"%PDF-"):
        kind = "pdf"
    elif _is_ole(data):
        raise UploadRejected(
            "上传的是旧版 Office 文件（.xls/.doc）或加密文件，无法读取。",
            "请在 Excel/WPS 中打开后“另存为”新格式（.xlsx 或 .docx），并取消密码保护。",
        )
    elif _text_ok(data):
        kind = "txt"
    if kind is None:
        raise UploadRejected(
            "无法识别上传文件的格式：它不是有效的 Excel、Word、PDF 或文本文件，可能已损坏。",
            f"请选择{want}。",
        )
    if kind not in allowed:
        raise UploadRejected(f"上传的是{KIND_ZH[kind]}，这里需要{want}。", "请检查是否选错了文件。")
    return Sniffed(kind, data)


@contextmanager
def upload_folder() -> Iterator[Path]:
    """A fresh private temporary folder for one upload, removed afterwards (even on error)."""
    # ignore_cleanup_errors: on Windows a reader that still holds a handle must not turn a finished
    # request into an error page; the folder is in the user's temp directory either way.
    with tempfile.TemporaryDirectory(prefix="jixiao-web-", ignore_cleanup_errors=True) as d:
        yield Path(d)


def save(folder: Path, index: int, sniffed: Sniffed) -> Path:
    """Write the upload under a fixed name chosen by us — never the client's file name."""
    p = folder / f"upload-{index}.{sniffed.kind}"
    p.write_bytes(sniffed.data)
    return p


def display_name(name: str | None, default: str = "未命名文件") -> str:
    """The client's file name reduced to something safe to *show* (the template escapes it too)."""
    if not name:
        return default
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ord(ch) >= 32 and ch != "\x7f").strip()
    return base[:120] or default


class LimitBody:
    """ASGI middleware: refuse request bodies larger than ``limit`` bytes.

    The declared Content-Length is checked first (the body is then drained, so the browser sees
    the Chinese page instead of a reset connection); bytes are also counted while streaming, for
    chunked uploads or a lying header.
    """

    def __init__(self, app, limit: int, render_error, drain_cap: int = 256 * 1024 * 1024):
        self.app = app
        self.limit = limit
        self.render_error = render_error  # (UploadRejected) -> (status, headers, body bytes)
        self.drain_cap = drain_cap

    async def _reply(self, send, exc: UploadRejected):
        status, headers, body = self.render_error(exc)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        declared = None
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    declared = int(v)
                except ValueError:
                    declared = None
        if declared is not None and declared > self.limit:
            await self._drain(receive)
            await self._reply(send, UploadTooLarge(self.limit - FORM_OVERHEAD))
            return
        seen = 0
        started = False

        async def counted():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    raise UploadTooLarge(self.limit - FORM_OVERHEAD)
            return msg

        async def tracked(msg):
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, counted, tracked)
        except UploadTooLarge as exc:
            if started:
                raise
            await self._drain(receive)
            await self._reply(send, exc)

    async def _drain(self, receive):
        """Read and discard the rest of the body (up to ``drain_cap``) so the client can read our reply."""
        total = 0
        while total < self.drain_cap:
            msg = await receive()
            if msg["type"] != "http.request":
                return
            total += len(msg.get("body", b""))
            if not msg.get("more_body", False):
                return

"""The local web page (FastAPI + Jinja2, server-rendered, offline): ``create_app(settings)``.

Officer: upload a workbook → issues (with the offending cells) → indicators, score, findings,
charts → downloads. Reviewer: audit a report, rank many workbooks per year, history and
comparison from the store. Every POST answers with a redirect to the result's own GET address
(post/redirect/get), so Back and Reload never send a file again. Each page is a frozen context
(pages.py) served as HTML or, under the same address with ``.json``, as JSON.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import JixiaoError
from ..issues import SEVERITY_ZH
from . import filters
from .cache import ResultCache
from .guard import HostOriginGuard, SecurityHeaders
from .pages import ErrorPage, Page, to_json
from .service import History, Library, default_store_path
from .uploads import FORM_OVERHEAD, LimitBody, UploadRejected

HERE = Path(__file__).resolve().parent
log = logging.getLogger("jixiao.web")

HEADINGS = {
    400: "请求有误",
    403: "拒绝访问",
    404: "页面不存在",
    405: "请求方式不对",
    413: "文件太大",
    422: "无法处理上传的内容",
    500: "内部错误",
    504: "处理超时",
}


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    db: str | None = None  # store URL (SQLite or PostgreSQL); None = the embedded SQLite file
    max_upload_mb: int = 20
    cache_size: int = 400  # results kept for their pages and downloads (LRU)
    max_batch_files: int = 200
    time_budget_s: int = 120  # a request's work is abandoned (with a page saying so) after this
    batch_seconds_per_file: int = 5

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    def store_url(self) -> str:
        return self.db or ("sqlite:///" + str(default_store_path()))


def store_label(url: str) -> str:
    """What the page names: the SQLite file's path, or the URL without its password."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only a label
        return url.split("@")[-1]


class Web:
    """Everything the routes share: settings, library, result cache, store, templates."""

    def __init__(self, settings: Settings, library: Library):
        self.settings = settings
        self.library = library
        self.cache = ResultCache(settings.cache_size)
        url = settings.store_url()
        self.history = History(url, store_label(url))
        self.env = Environment(
            loader=FileSystemLoader(str(HERE / "templates")),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(filters.FILTERS)
        self.env.globals.update(SEVERITY_ZH=SEVERITY_ZH, settings=settings, store_name=self.history.label)

    def html(self, page: Page, status: int = 200) -> HTMLResponse:
        return HTMLResponse(
            self.env.get_template(page.template).render(page=page, active=page.active), status_code=status
        )

    def serve(self, page: Page, as_json: bool = False, status: int = 200) -> Response:
        if as_json:
            return Response(to_json(page), status_code=status, media_type="application/json; charset=utf-8")
        return self.html(page, status)

    def error(
        self,
        status: int,
        message: str,
        hint: str = "",
        heading: str = "",
        as_json: bool = False,
        back: str = "/",
    ) -> Response:
        page = ErrorPage(heading or HEADINGS.get(status, "出错了"), message, hint, status, back)
        return self.serve(page, as_json, status)

    def problem(self, status: int, message: str, hint: str = "", heading: str = "") -> RedirectResponse:
        """A refused POST answered like a result: the page gets its own address (303), so Back and
        Reload show it again instead of sending the files once more."""
        page = ErrorPage(heading or HEADINGS.get(status, "出错了"), message, hint, status)
        return RedirectResponse("/problem/" + self.cache.put(page), status_code=303)

    def refusal(self, status: int, message: str, hint: str = "") -> tuple[int, list, bytes]:
        """A refusal page for the ASGI middleware: (status, headers, body)."""
        r = self.error(status, message, hint)
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in r.headers.items()]
        return status, [*headers, (b"connection", b"close")], bytes(r.body)

    async def offload(self, fn, *args, budget: float | None = None):
        """Run blocking work off the event loop within the request's time budget."""
        budget = budget or self.settings.time_budget_s
        try:
            return await asyncio.wait_for(run_in_threadpool(fn, *args), timeout=budget)
        except TimeoutError:
            raise UploadRejected(
                f"处理超时：本次处理超过 {int(budget)} 秒，已停止等待。",
                "文件可能过大或过于复杂；请减少一次上传的文件数量，或检查文件内容后重试。",
                status=504,
            ) from None


def create_app(settings: Settings | None = None, library: Library | None = None) -> FastAPI:
    from .review_routes import router as review_router
    from .routes import router

    settings = settings or Settings()
    web = Web(settings, library or Library())
    app = FastAPI(title="jixiao 绩效自评", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.web = web

    def render_rejection(exc: UploadRejected):
        r = web.problem(exc.status, exc.message, exc.hint)  # too large: the body was read away, then 303
        return (
            303,
            [(k.encode("latin-1"), v.encode("latin-1")) for k, v in r.headers.items()]
            + [(b"connection", b"close")],
            b"",
        )

    app.add_middleware(
        LimitBody, limit=settings.max_upload_bytes + FORM_OVERHEAD, render_error=render_rejection
    )
    app.add_middleware(HostOriginGuard, bind=settings.host, refuse=web.refusal)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for exc_type, handler in HANDLERS.items():
        app.add_exception_handler(exc_type, handler)
    app.include_router(router)
    app.include_router(review_router)
    return app


# ---- error pages (never a traceback) ------------------------------------------------------------
def _web(request: Request) -> Web:
    return request.app.state.web


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json")


async def _http_error(request: Request, exc: StarletteHTTPException):
    msg = {404: "没有找到您要访问的页面。", 405: "该地址不支持这种请求方式。"}.get(
        exc.status_code, "请求无法完成。"
    )
    if isinstance(exc.detail, str) and any("\u4e00" <= ch <= "\u9fff" for ch in exc.detail):
        msg = exc.detail
    return _web(request).error(
        exc.status_code,
        msg,
        "请从首页重新开始。" if exc.status_code == 404 else "",
        as_json=_wants_json(request),
    )


async def _validation_error(request: Request, exc: RequestValidationError):
    return _web(request).error(
        400, "提交的内容不完整或格式不对。", "请返回上一页，选择文件后再提交。", heading="请求有误"
    )


async def _rejected(request: Request, exc: UploadRejected):
    if request.method == "POST":
        return _web(request).problem(exc.status, exc.message, exc.hint)
    return _web(request).error(exc.status, exc.message, exc.hint, as_json=_wants_json(request))


async def _jixiao_error(request: Request, exc: JixiaoError):
    if request.method == "POST":
        return _web(request).problem(422, exc.message, exc.hint, heading="无法读取上传的文件")
    return _web(request).error(422, exc.message, exc.hint, heading="无法读取上传的文件")


async def _internal(request: Request, exc: Exception):
    log.exception("internal error on %s", request.url.path)
    return _web(request).error(
        500,
        "服务器内部出错，本次操作没有完成。",
        "这是 jixiao 的缺陷：请记下操作步骤并反馈给开发者；您上传的文件没有被保存。",
    )


HANDLERS: dict[type[Exception], Any] = {
    StarletteHTTPException: _http_error,
    RequestValidationError: _validation_error,
    UploadRejected: _rejected,
    JixiaoError: _jixiao_error,
    Exception: _internal,
}

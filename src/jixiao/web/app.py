"""The local web page (FastAPI + Jinja2, server-rendered, offline): ``create_app(settings)``.

Officer: upload a workbook → check issues (with the offending cells) → indicators, score,
findings, charts → downloads. Reviewer: audit a report, rank many workbooks, compare years.
Everything a user sees is Chinese; errors are pages, never tracebacks.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import JixiaoError
from ..issues import SEVERITY_ZH, has_errors, sort_key
from . import charts, views
from .backend import Backend, FeatureUnavailable
from .cache import ResultCache
from .safe_xlsx import neutralise_formulas
from .uploads import (
    FORM_OVERHEAD,
    LimitBody,
    UploadRejected,
    display_name,
    save,
    sniff,
    upload_folder,
)

HERE = Path(__file__).resolve().parent
log = logging.getLogger("jixiao.web")

DOWNLOADS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "绩效自评报告.docx"),
    "html": ("text/html; charset=utf-8", "绩效自评报告.html"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "绩效自评附表.xlsx"),
    "json": ("application/json; charset=utf-8", "评价结果.json"),
}
STATUS_ZH = {400: "请求有误", 404: "页面不存在", 405: "请求方式不对", 413: "文件太大", 422: "无法处理上传的内容",
             500: "内部错误", 503: "此功能尚未可用"}


#: defence in depth: even if something slipped past escaping, no script runs and no page frames us
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'none'; object-src 'none'; "
                                 b"style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; "
                                 b"base-uri 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


class SecurityHeaders:
    """ASGI middleware adding SECURITY_HEADERS to every response (unless already set)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(msg):
            if msg["type"] == "http.response.start":
                have = {k.lower() for k, _ in msg.get("headers", [])}
                msg = dict(msg, headers=[*msg.get("headers", []), *[h for h in SECURITY_HEADERS if h[0] not in have]])
            await send(msg)

        await self.app(scope, receive, send_with_headers)


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    db: str | None = None          # store URL for history/compare (SQLite path or PostgreSQL URL)
    max_upload_mb: int = 20
    cache_size: int = 32           # evaluations kept for downloads (LRU)
    max_batch_files: int = 200

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(views.FILTERS)
    env.globals["SEVERITY_ZH"] = SEVERITY_ZH
    return env


def _attachment(filename: str) -> str:
    """Content-Disposition with an ASCII fallback and the UTF-8 Chinese name (RFC 6266/5987)."""
    ascii_name = "jixiao-" + ("report" if "报告" in filename else "export") + "." + filename.rsplit(".", 1)[-1]
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def create_app(settings: Settings | None = None, backend: Backend | None = None) -> FastAPI:
    settings = settings or Settings()
    backend = backend or Backend()
    env = _env()
    cache = ResultCache(settings.cache_size)
    app = FastAPI(title="jixiao 绩效自评", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.cache = cache
    app.state.backend = backend

    def page(_template: str, status: int = 200, **ctx) -> HTMLResponse:
        ctx.setdefault("settings", settings)
        html = env.get_template(_template).render(**ctx)
        return HTMLResponse(html, status_code=status)

    def error_page(status: int, message: str, hint: str = "") -> HTMLResponse:
        return page("error.html", status=status, status_code=status, title=STATUS_ZH.get(status, "出错了"),
                    message=message, hint=hint)

    def render_rejection(exc: UploadRejected):
        r = error_page(exc.status, exc.message, exc.hint)
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in r.headers.items()]
        headers.append((b"connection", b"close"))
        return exc.status, headers, r.body

    app.add_middleware(LimitBody, limit=settings.max_upload_bytes + FORM_OVERHEAD, render_error=render_rejection)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # ---- error pages ------------------------------------------------------------------
    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        msg = {404: "没有找到您要访问的页面。", 405: "该地址不支持这种请求方式。"}.get(exc.status_code, "请求无法完成。")
        hint = "请从首页重新开始。" if exc.status_code == 404 else ""
        if isinstance(exc.detail, str) and exc.detail and any("\u4e00" <= ch <= "\u9fff" for ch in exc.detail):
            msg = exc.detail
        return error_page(exc.status_code, msg, hint)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        return error_page(422, "提交的内容不完整或格式不对。", "请返回上一页，选择文件后再提交。")

    @app.exception_handler(UploadRejected)
    async def _rejected(request: Request, exc: UploadRejected):
        return error_page(exc.status, exc.message, exc.hint)

    @app.exception_handler(FeatureUnavailable)
    async def _unavailable(request: Request, exc: FeatureUnavailable):
        detail = f"（{exc.detail}）" if exc.detail else ""
        return error_page(503, f"此功能尚未可用：{exc.feature}。",
                          f"该部分正在开发或未安装{detail}；其他功能可以正常使用。")

    @app.exception_handler(JixiaoError)
    async def _jixiao_error(request: Request, exc: JixiaoError):
        return error_page(422, exc.message, exc.hint)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        log.exception("internal error on %s", request.url.path)
        return error_page(500, "服务器内部出错，本次操作没有完成。",
                          "这是 jixiao 的缺陷：请记下操作步骤并反馈给开发者；您上传的文件没有被保存。")

    # ---- officer ----------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    async def home(request: Request):
        fws = await run_in_threadpool(backend.frameworks)
        return page("home.html", frameworks=fws, active="officer")

    @app.get("/template")
    async def template():
        data = await run_in_threadpool(backend.template_bytes)
        return Response(neutralise_formulas(data), media_type=DOWNLOADS["xlsx"][0],
                        headers={"Content-Disposition": _attachment("基础数据表（空白模板）.xlsx")})

    async def _form(request: Request, max_files: int):
        try:
            return await request.form(max_files=max_files, max_fields=20)
        except UploadRejected:
            raise
        except Exception as exc:  # malformed multipart
            if isinstance(exc, StarletteHTTPException):
                raise UploadRejected("上传的表单无法解析。", "请用本页的上传按钮重新选择文件。", status=400) from None
            raise

    def closes_form(fn):
        """Close the parsed form (its spooled upload files) when the request is done, whatever happens."""
        @functools.wraps(fn)
        async def wrapper(request: Request):
            try:
                return await fn(request)
            finally:
                await request.close()
        return wrapper

    def _files(form, field: str) -> list[UploadFile]:
        return [f for f in form.getlist(field) if isinstance(f, UploadFile) and (f.filename or f.size)]

    @app.post("/check", response_class=HTMLResponse)
    @closes_form
    async def check(request: Request):
        form = await _form(request, max_files=2)
        files = _files(form, "workbook")
        if not files:
            raise UploadRejected("没有收到文件。", "请先点击“选择文件”，选中填好的基础数据表（.xlsx），再点“上传并校验”。",
                                 status=400)
        up = files[0]
        name = display_name(up.filename, "基础数据表.xlsx")
        sn = sniff(await up.read(), ("xlsx",))
        framework = str(form.get("framework") or "").strip() or None
        known = {fid for fid, _ in await run_in_threadpool(backend.frameworks)}
        if framework and known and framework not in known:
            raise UploadRejected("选择的评分框架不存在。", "请在下拉框中重新选择。", status=400)
        fw_files = _files(form, "framework_file")
        fw_file, fw_name = None, ""
        if fw_files:
            fw_name = display_name(fw_files[0].filename, "评分框架.yaml")
            try:
                fw_file = sniff(await fw_files[0].read(), ("txt",))
            except UploadRejected:
                raise UploadRejected(f"自定义评分框架“{fw_name}”不是 YAML 文本文件。",
                                     "框架文件的写法见 docs/frameworks.md；不用自定义框架时请不要选择该文件。") from None
        return await run_in_threadpool(_check_and_evaluate, sn, name, framework, fw_file, fw_name)

    def _check_and_evaluate(sn, name: str, framework: str | None, fw_file=None, fw_name: str = "") -> HTMLResponse:
        with upload_folder() as folder:
            path = save(folder, 1, sn)
            dept, issues = backend.load(path)
            issues = sorted(issues, key=sort_key)
            if dept is not None:
                dept.source_file = name
            if dept is None or has_errors(issues):
                previews = views.cell_previews(path, issues)
                return page("check.html", name=name, issues=issues, previews=previews,
                            summary=views.summarize(issues), active="officer")
            if fw_file is not None:  # the user's own framework: a YAML file, named by us
                fw_path = folder / "评分框架.yaml"
                fw_path.write_bytes(fw_file.data)
                framework = str(fw_path)
            try:
                ev = backend.evaluate(dept, framework, issues)
            except JixiaoError as exc:  # e.g. a framework file error: show the user's name, not our temp path
                if fw_file is not None:
                    exc.message = exc.message.replace(framework, fw_name).replace("评分框架.yaml", fw_name)
                exc.message = exc.message.replace(str(folder) + os.sep, "")
                raise
        token = cache.put({"ev": ev, "name": name, "framework": None if fw_file is not None else framework})
        return _result_page(token)

    def _result_page(token: str) -> HTMLResponse:
        entry = cache.get(token)
        if entry is None:
            return error_page(404, "这次的评价结果已过期（服务器只保留最近的若干份）。", "请重新上传基础数据表。")
        ev = entry["ev"]
        return page("result.html", ev=ev, name=entry["name"], token=token, active="officer",
                    summary=views.summarize(ev.issues), charts=views.result_charts(ev),
                    score_groups=views.score_groups(ev.score), downloads=DOWNLOADS)

    @app.get("/result/{token}", response_class=HTMLResponse)
    async def result(token: str):
        return _result_page(token)

    @app.get("/download/{token}/{fmt}")
    async def download(token: str, fmt: str):
        if fmt not in DOWNLOADS:
            return error_page(404, "不支持这种下载格式。", "可下载 .docx、.html、.xlsx、.json。")
        entry = cache.get(token)
        if entry is None:
            return error_page(404, "这次的评价结果已过期（服务器只保留最近的若干份）。", "请重新上传基础数据表。")
        ev = entry["ev"]
        files = entry.setdefault("files", {})  # rendered once per result, kept with it in the LRU
        data = files.get(fmt)
        if data is None:
            if fmt == "json":
                data = json.dumps(ev.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")
            else:
                data = await run_in_threadpool(backend.render, ev, fmt)
                if fmt == "xlsx":
                    data = await run_in_threadpool(neutralise_formulas, data)
            files[fmt] = data
        mime, fname = DOWNLOADS[fmt]
        unit = views.safe_filename_part(getattr(ev.department, "name", "") or "")
        year = getattr(ev.department, "year", None) or ""
        fname = f"{unit}{year}{'年度' if year else ''}{fname}" if unit else fname
        return Response(data, media_type=mime, headers={"Content-Disposition": _attachment(fname)})

    # ---- reviewer ---------------------------------------------------------------------
    @app.get("/review", response_class=HTMLResponse)
    async def review():
        overview = None
        if settings.db:
            try:
                overview = await run_in_threadpool(backend.store_overview, settings.db)
            except (JixiaoError, FeatureUnavailable) as exc:
                overview = {"error": getattr(exc, "message", None) or f"此功能尚未可用：{exc}"}
        return page("review.html", active="review", has_db=bool(settings.db), overview=overview)

    @app.get("/history", response_class=HTMLResponse)
    async def history(unit: str = ""):
        if not settings.db:
            return error_page(503, "此功能尚未可用：没有配置历史数据库。",
                              "启动时加上 --db 参数，例如：jixiao serve --db sqlite:///jixiao.db")
        res = await run_in_threadpool(backend.history, settings.db, unit.strip()[:200] or None)
        return page("history.html", data=res, unit=unit.strip(), active="review", svg=Markup(res["svg"] or ""))

    @app.post("/audit", response_class=HTMLResponse)
    @closes_form
    async def audit(request: Request):
        form = await _form(request, max_files=1)
        files = _files(form, "report")
        if not files:
            raise UploadRejected("没有收到报告文件。", "请选择要审核的报告（.docx、.pdf 或 .txt）。", status=400)
        up = files[0]
        name = display_name(up.filename, "报告")
        sn = sniff(await up.read(), ("docx", "pdf", "txt"))

        def run():
            with upload_folder() as folder:
                return backend.audit(save(folder, 1, sn))

        res = await run_in_threadpool(run)
        res["file"] = name
        claims = views.order_claims(res.get("claims", []))
        return page("audit.html", name=name, claims=claims, summary=views.claim_summary(claims), active="review",
                    kind_names=backend.kind_names())

    @app.post("/batch", response_class=HTMLResponse)
    @closes_form
    async def batch(request: Request):
        form = await _form(request, max_files=settings.max_batch_files)
        files = _files(form, "workbooks")
        if not files:
            raise UploadRejected("没有收到文件。", "请一次选择多个基础数据表（.xlsx），可按住 Ctrl 多选。", status=400)
        framework = str(form.get("framework") or "").strip() or None
        items = []
        for i, up in enumerate(files, 1):
            name = display_name(up.filename, f"第{i}个文件")
            try:
                items.append((name, sniff(await up.read(), ("xlsx",)), None))
            except UploadRejected as exc:
                items.append((name, None, exc.message))
        rows = await run_in_threadpool(_batch_rows, items, framework)
        ranked = views.rank(rows)
        dist = views.grade_counts(ranked)
        chart = await run_in_threadpool(
            backend.bar_svg, "等级分布", [g for g, _ in dist], [n for _, n in dist], unit="单位数",
            colors=[views.GRADE_COLORS[g] for g, _ in dist])
        chart = Markup(chart) if chart else charts.vbars("等级分布", dist)
        return page("batch.html", rows=ranked, active="review", grade_chart=chart, dist=dist,
                    indicator_ids=views.indicator_columns(ranked, backend.key_indicators()))

    def _batch_rows(items, framework):
        rows = []
        with upload_folder() as folder:
            for i, (name, sn, err) in enumerate(items, 1):
                row = {"file": name, "error": err, "ev": None, "errors": 0}
                if sn is not None:
                    try:
                        dept, issues = backend.load(save(folder, i, sn))
                        if dept is not None:
                            dept.source_file = name
                        if dept is None or has_errors(issues):
                            row["errors"] = sum(1 for x in issues if x.severity == "error")
                            row["error"] = f"基础数据表有 {row['errors']} 处错误，未评分"
                            row["unit"] = getattr(dept, "name", "") or ""
                        else:
                            row["ev"] = backend.evaluate(dept, framework, issues)
                    except JixiaoError as exc:
                        row["error"] = exc.message
                rows.append(row)
        return rows

    @app.get("/compare", response_class=HTMLResponse)
    async def compare(years: str = ""):
        if not settings.db:
            return error_page(503, "此功能尚未可用：没有配置历史数据库。",
                              "启动时加上 --db 参数，例如：jixiao serve --db sqlite:///jixiao.db")
        try:
            ys = sorted({int(y) for y in years.replace("，", ",").split(",") if y.strip()})
        except ValueError:
            ys = []
        if len(ys) != 2:
            return error_page(400, "请填写要对比的两个不同年度，用逗号分隔，例如 2022,2023。")
        res = await run_in_threadpool(backend.compare, settings.db, (ys[0], ys[1]))
        return page("compare.html", data=res, active="review", svg=Markup(res["svg"] or ""))

    return app

"""The page's addresses. GET handlers build a page context (views.py) and serve it as HTML or, with
``.json`` appended, as JSON; POST handlers do the work off the event loop, keep the result in the
cache (and record it in the store), and redirect (303) to the result's own GET address.

The officer's addresses and the helpers all routes share are here; the reviewer's are in
review_routes.py (its own router, included after this one by create_app)."""

from __future__ import annotations

import functools
import json
import logging
import os
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import JixiaoError
from . import views
from .app import Web
from .pages import ErrorPage, FrameworksPage, HomePage
from .safe_xlsx import neutralise_formulas
from .service import sha256
from .uploads import UploadRejected, display_name, save, sniff, upload_folder

log = logging.getLogger("jixiao.web")
router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "绩效自评报告.docx"),
    "html": ("text/html; charset=utf-8", "绩效自评报告.html"),
    "xlsx": (XLSX, "绩效自评附表.xlsx"),
    "json": ("application/json; charset=utf-8", "评价结果.json"),
}
OWN_FRAMEWORK = "__file__"  # the dropdown's "use the uploaded YAML" choice


def _web(request: Request) -> Web:
    return request.app.state.web


def _split(rid: str, *suffixes: str) -> tuple[str, str]:
    """'abc.json' → ('abc', 'json'); 'abc' → ('abc', '')."""
    for s in suffixes:
        if rid.endswith("." + s):
            return rid[: -len(s) - 1], s
    return rid, ""


def attachment(filename: str) -> str:
    """Content-Disposition with an ASCII fallback and the UTF-8 Chinese name (RFC 6266/5987)."""
    ascii_name = (
        "jixiao-" + ("report" if "报告" in filename else "export") + "." + filename.rsplit(".", 1)[-1]
    )
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def expired(web: Web, what: str, again: str, as_json: bool = False, back: str = "/") -> Response:
    n = web.settings.cache_size
    return web.error(
        404,
        f"这个{what}已过期：服务器只保留最近的 {n} 份结果，重新启动后全部清空。",
        again,
        heading=f"{what}已过期",
        as_json=as_json,
        back=back,
    )


# ---- forms ----------------------------------------------------------------------------------------
async def read_form(request: Request, field: str, max_files: int):
    try:
        return await request.form(max_files=max_files, max_fields=20)
    except UploadRejected:
        raise
    except StarletteHTTPException as exc:  # malformed multipart, or over the file count
        if "files" in str(exc.detail).lower():
            raise UploadRejected(
                f"一次最多上传 {max_files} 个文件。", "请分批选择，每批不超过这个数量。", status=413
            ) from None
        raise UploadRejected("上传的表单无法解析。", "请用本页的上传按钮重新选择文件。", status=400) from None


def files_of(form, field: str) -> list[UploadFile]:
    return [f for f in form.getlist(field) if isinstance(f, UploadFile) and (f.filename or f.size)]


def closes_form(fn):
    """Close the parsed form (its spooled upload files) when the request is done, whatever happens."""

    @functools.wraps(fn)
    async def wrapper(request: Request):
        try:
            return await fn(request)
        finally:
            await request.close()

    return wrapper


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# ---- officer ----------------------------------------------------------------------------------------
@router.get("/")
@router.get("/index.json")
async def home(request: Request):
    web = _web(request)
    fws = await web.offload(web.library.frameworks)
    page = HomePage(views.framework_choices(fws), web.settings.max_upload_mb)
    return web.serve(page, request.url.path.endswith(".json"))


@router.get("/favicon.ico")
async def favicon():
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/template")
async def template(request: Request):
    web = _web(request)
    data = await web.offload(web.library.template_bytes)
    return Response(
        neutralise_formulas(data),
        media_type=XLSX,
        headers={"Content-Disposition": attachment("基础数据表（空白模板）.xlsx")},
    )


@router.get("/frameworks")
@router.get("/frameworks.json")
async def frameworks(request: Request):
    web = _web(request)

    def build():
        return tuple(views.framework_doc(f, web.library.framework(f.id)) for f in web.library.frameworks())

    page = FrameworksPage(await web.offload(build))
    return web.serve(page, request.url.path.endswith(".json"))


@router.get("/frameworks/{name}")
async def framework_file(request: Request, name: str):
    web = _web(request)
    fid, ext = _split(name, "yaml")
    known = {f.id for f in await web.offload(web.library.frameworks)}
    if ext != "yaml" or fid not in known:
        return web.error(404, "没有这个内置评分框架。", "内置框架见“评分框架说明”页。", back="/frameworks")
    data = await web.offload(web.library.framework_yaml, fid)
    return Response(
        data,
        media_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": attachment(f"{fid}.yaml")},
    )


@router.post("/check")
@closes_form
async def check(request: Request):
    web = _web(request)
    form = await read_form(request, "workbook", max_files=2)
    files = files_of(form, "workbook")
    if not files:
        raise UploadRejected(
            "没有收到文件。",
            "请先点击“选择文件”，选中填好的基础数据表（.xlsx），再点“上传并校验”。",
            status=400,
        )
    name = display_name(files[0].filename, "基础数据表.xlsx")
    sn = sniff(await files[0].read(), ("xlsx",))
    framework = str(form.get("framework") or "").strip()
    fws = await web.offload(web.library.frameworks)
    fw_files = files_of(form, "framework_file")
    fw_file, fw_name = None, ""
    if fw_files:
        fw_name = display_name(fw_files[0].filename, "评分框架.yaml")
        if framework != OWN_FRAMEWORK:
            chosen = next((f.name for f in fws if f.id == framework), "默认框架")
            raise UploadRejected(
                f"评分框架选了两种：下拉框中的“{chosen}”和上传的文件“{fw_name}”。",
                "请在下拉框中选“使用上传的自定义框架文件”，或者取消选择框架文件，只用下拉框中的框架。",
            )
        try:
            fw_file = sniff(await fw_files[0].read(), ("txt",))
        except UploadRejected:
            raise UploadRejected(
                f"自定义评分框架“{fw_name}”不是 YAML 文本文件。",
                "框架文件的写法见本页面的“评分框架说明”；不用自定义框架时请不要选择该文件。",
            ) from None
    elif framework == OWN_FRAMEWORK:
        raise UploadRejected(
            "下拉框选了“使用上传的自定义框架文件”，但没有选择框架文件。",
            "请选择 .yaml 框架文件，或在下拉框中改选内置框架。",
        )
    elif framework and framework not in {f.id for f in fws}:
        raise UploadRejected("选择的评分框架不存在。", "请在下拉框中重新选择。", status=400)
    chosen_label = fw_name if fw_file is not None else ""
    url = await web.offload(_check_and_evaluate, web, sn, name, framework or None, fw_file, chosen_label)
    return see_other(url)


def _check_and_evaluate(web: Web, sn, name: str, framework: str | None, fw_file, fw_name: str) -> str:
    with upload_folder() as folder:
        path = save(folder, 1, sn)
        if fw_file is not None:  # the user's own framework: a YAML file, named by us
            fw_path = folder / "评分框架.yaml"
            fw_path.write_bytes(fw_file.data)
            framework = str(fw_path)
        try:
            outcome = web.library.run(path, framework)
        except JixiaoError as exc:  # e.g. a framework file error: show the user's name, not our temp path
            if fw_file is not None and framework:
                exc.message = exc.message.replace(framework, fw_name).replace("评分框架.yaml", fw_name)
            exc.message = exc.message.replace(str(folder) + os.sep, "")
            raise
        if outcome.department is not None:
            outcome.department.source_file = name
        recorded = _record(web, outcome, sha256(sn.data), name, framework)
        ev = outcome.evaluation
        if ev is None:
            unit = getattr(outcome.department, "name", "") or ""
            return "/check/" + web.cache.put(
                views.Checked(name, unit, outcome.issues, views.cell_previews(path, outcome.issues))
            )
    todo = tuple(web.library.todo(ev))
    return "/result/" + web.cache.put(
        views.Evaluated(name, ev, fw_name and f"{ev.score.framework}（{fw_name}）", recorded, todo)
    )


def _record(web: Web, outcome, data_hash: str, name: str, framework: str | None) -> bool:
    """Record the run in the store; a store that cannot be written never costs the user the result."""
    try:
        return web.history.record(outcome, data_hash, name, framework) is not None
    except Exception:
        log.exception("could not record %s in the store", name)
        return False


@router.get("/check/{rid}")
async def checked(request: Request, rid: str):
    web = _web(request)
    rid, ext = _split(rid, "json")
    entry = web.cache.get(rid)
    if not isinstance(entry, views.Checked):
        return expired(web, "校验结果", "请重新上传基础数据表。", ext == "json")
    return web.serve(views.check_page(rid, entry), ext == "json")


@router.get("/result/{rid}")
async def result(request: Request, rid: str):
    web = _web(request)
    rid, ext = _split(rid, "json")
    entry = web.cache.get(rid)
    if not isinstance(entry, views.Evaluated):
        return expired(web, "评价结果", "请重新上传基础数据表。", ext == "json")
    page = await web.offload(views.result_page, rid, entry)
    return web.serve(page, ext == "json")


@router.get("/download/{rid}/{fmt}")
async def download(request: Request, rid: str, fmt: str):
    web = _web(request)
    entry = web.cache.get(rid)
    if not isinstance(entry, views.Evaluated):
        return expired(web, "评价结果", "下载链接随结果一起失效。请重新上传基础数据表，再从新的结果页下载。")
    if fmt not in DOWNLOADS:
        return web.error(
            404, "不支持这种下载格式。", "可下载 .docx、.html、.xlsx、.json。", back=f"/result/{rid}"
        )
    ev = entry.evaluation
    data = entry.files.get(fmt)  # rendered once per result, kept with it in the LRU
    if data is None:
        if fmt == "json":
            data = json.dumps(ev.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")
        else:
            data = await web.offload(web.library.render, ev, fmt)
            if fmt == "xlsx":
                data = await web.offload(neutralise_formulas, data)
        entry.files[fmt] = data
    mime, fname = DOWNLOADS[fmt]
    unit = views.safe_filename_part(getattr(ev.department, "name", "") or "")
    year = getattr(ev.department, "year", None) or ""
    fname = f"{unit}{year}{'年度' if year else ''}{fname}" if unit else fname
    return Response(data, media_type=mime, headers={"Content-Disposition": attachment(fname)})


@router.get("/problem/{pid}")
async def problem(request: Request, pid: str):
    """A refused upload's explanation, at its own address (kept like a result)."""
    web = _web(request)
    pid, ext = _split(pid, "json")
    entry = web.cache.get(pid)
    if not isinstance(entry, ErrorPage):
        return expired(web, "提示", "请从首页重新开始。", ext == "json")
    return web.serve(entry, ext == "json", status=entry.status)

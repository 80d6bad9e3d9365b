"""The reviewer's addresses: the review page, audit, self-review, batch ranking, the stored ranking,
a unit's history and the comparison of years. Their own router, included after the officer's
(routes.py, whose helpers they use); GET/POST conventions as there."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..batch.summary import KEY_INDICATORS
from ..errors import JixiaoError
from . import views
from .app import Web
from .pages import ReviewPage
from .routes import (
    XLSX,
    _record,
    _split,
    _web,
    attachment,
    closes_form,
    expired,
    files_of,
    read_form,
    see_other,
)
from .service import sha256
from .uploads import Sniffed, UploadRejected, display_name, save, sniff, upload_folder

log = logging.getLogger("jixiao.web")
router = APIRouter()


@router.get("/review")
@router.get("/review.json")
async def review(request: Request):
    web = _web(request)
    units, years, error = await _overview(web)
    fws = await web.offload(web.library.frameworks)
    page = ReviewPage(
        views.framework_choices(fws),
        web.settings.max_upload_mb,
        web.settings.max_batch_files,
        web.library.can_review(),
        web.history.label,
        error,
        tuple(units),
        tuple(years),
    )
    return web.serve(page, request.url.path.endswith(".json"))


async def _overview(web: Web) -> tuple[list[str], list[int], str]:
    try:
        units, years = await web.offload(web.history.overview)
        return units, years, ""
    except JixiaoError as exc:
        return [], [], exc.message
    except Exception as exc:
        log.exception("store overview failed")
        return [], [], f"无法打开历史数据库：{type(exc).__name__}"


@router.post("/audit")
@closes_form
async def audit(request: Request):
    web = _web(request)
    form = await read_form(request, "report", max_files=1)
    files = files_of(form, "report")
    if not files:
        raise UploadRejected("没有收到报告文件。", "请选择要审核的报告（.docx、.pdf 或 .txt）。", status=400)
    name = display_name(files[0].filename, "报告")
    sn = sniff(await files[0].read(), ("docx", "pdf", "txt"))

    def run():
        with upload_folder() as folder:
            res = web.library.audit(save(folder, 1, sn))
        return views.Audited(name, tuple(c.to_dict() for c in res.claims), web.library.kind_names())

    entry = await web.offload(run)
    return see_other("/audit/" + web.cache.put(entry))


@router.get("/audit/{rid}")
async def audited(request: Request, rid: str):
    web = _web(request)
    rid, ext = _split(rid, "json")
    entry = web.cache.get(rid)
    if not isinstance(entry, views.Audited):
        return expired(web, "审核结果", "请重新上传要审核的报告。", ext == "json", back="/review")
    return web.serve(views.audit_page(rid, entry), ext == "json")


@router.post("/selfreview")
@closes_form
async def self_review(request: Request):
    """Review a submitted 自评表 (and, if given, compare it with the unit's workbook)."""
    web = _web(request)
    if not web.library.can_review():
        return web.error(404, "没有找到您要访问的页面。", "请从审核人员页面重新开始。", back="/review")
    form = await read_form(request, "table", max_files=2)
    files = files_of(form, "table")
    if not files:
        raise UploadRejected(
            "没有收到自评表。", "请选择单位提交的自评表（.xlsx）或自评报告（.docx、.pdf、.txt）。", status=400
        )
    name = display_name(files[0].filename, "自评表")
    sn = sniff(await files[0].read(), ("xlsx", "docx", "pdf", "txt"))
    wbs = files_of(form, "workbook")
    wb_name, wb_sn = "", None
    if wbs:
        wb_name = display_name(wbs[0].filename, "基础数据表.xlsx")
        wb_sn = sniff(await wbs[0].read(), ("xlsx",))

    def run():
        with upload_folder() as folder:
            res = web.library.review(
                save(folder, 1, sn), save(folder, 2, wb_sn) if wb_sn is not None else None
            )
        return views.SelfReviewed(
            name, wb_name, res.tables, tuple(i.to_dict() for i in res.items), web.library.review_words()
        )

    entry = await web.offload(run)
    return see_other("/selfreview/" + web.cache.put(entry))


@router.get("/selfreview/{rid}")
async def self_reviewed(request: Request, rid: str):
    web = _web(request)
    rid, ext = _split(rid, "json")
    entry = web.cache.get(rid)
    if not isinstance(entry, views.SelfReviewed):
        return expired(web, "复核结果", "请重新上传要复核的自评表。", ext == "json", back="/review")
    return web.serve(views.self_review_page(rid, entry), ext == "json")


@router.post("/batch")
@closes_form
async def batch(request: Request):
    web = _web(request)
    limit = web.settings.max_batch_files
    form = await read_form(request, "workbooks", max_files=limit)
    files = files_of(form, "workbooks")
    if not files:
        raise UploadRejected(
            "没有收到文件。", "请一次选择多个基础数据表（.xlsx），可按住 Ctrl 多选。", status=400
        )
    framework = str(form.get("framework") or "").strip() or None
    fws = await web.offload(web.library.frameworks)
    if framework and framework not in {f.id for f in fws}:
        raise UploadRejected("选择的评分框架不存在。", "请在下拉框中重新选择。", status=400)
    label = next(
        (f.name for f in fws if f.id == framework or (framework is None and f.default)), framework or ""
    )
    items: list[tuple[str, Sniffed | None, str]] = []
    for i, up in enumerate(files, 1):
        name = display_name(up.filename, f"第{i}个文件")
        try:
            items.append((name, sniff(await up.read(), ("xlsx",)), ""))
        except UploadRejected as exc:
            items.append((name, None, exc.message))
    budget = max(web.settings.time_budget_s, web.settings.batch_seconds_per_file * len(items))
    ranked = await web.offload(_rank, web, items, framework, label, budget=budget)
    return see_other("/ranking/" + web.cache.put(ranked))


def _rank(web: Web, items, framework: str | None, label: str) -> views.Ranked:
    out = []
    recorded = True
    with upload_folder() as folder:
        for i, (name, sn, reason) in enumerate(items, 1):
            if sn is None:
                out.append(views.RankedItem(name, reason=reason))
                continue
            path = save(folder, i, sn)
            try:
                outcome = web.library.run(path, framework)
            except JixiaoError as exc:
                out.append(views.RankedItem(name, reason=exc.message))
                continue
            dept = outcome.department
            if dept is not None:
                dept.source_file = name
            recorded = _record(web, outcome, sha256(sn.data), name, framework) and recorded
            unit, year = getattr(dept, "name", "") or "", getattr(dept, "year", None)
            if outcome.evaluation is not None:
                rid = web.cache.put(views.Evaluated(name, outcome.evaluation, "", recorded))
                out.append(views.RankedItem(name, unit, year, rid, outcome.evaluation))
            else:
                errors = sum(1 for x in outcome.issues if x.severity == "error")
                cid = web.cache.put(
                    views.Checked(name, unit, outcome.issues, views.cell_previews(path, outcome.issues))
                )
                out.append(
                    views.RankedItem(
                        name, unit, year, reason=f"基础数据表有 {errors} 处错误，未评分", check_id=cid
                    )
                )
    return views.Ranked(label, tuple(out), KEY_INDICATORS, recorded)


def _ranking_names(entry: views.Ranked) -> dict[str, str]:
    return views.indicator_names(
        [it.evaluation for it in entry.items if it.evaluation is not None], entry.indicator_ids
    )


@router.get("/ranking/{rid}")
async def ranking(request: Request, rid: str):
    web = _web(request)
    rid, ext = _split(rid, "json", "xlsx")
    entry = web.cache.get(rid)
    if not isinstance(entry, views.Ranked):
        return expired(web, "排名结果", "请重新上传各单位的基础数据表。", ext == "json", back="/review")
    page = views.ranking_page(rid, entry, _ranking_names(entry))
    if ext == "xlsx":
        from .exports import ranking_xlsx

        data = await web.offload(ranking_xlsx, page)
        return Response(
            data, media_type=XLSX, headers={"Content-Disposition": attachment("批量评价排名.xlsx")}
        )
    return web.serve(page, ext == "json")


@router.get("/ranking")
@router.get("/ranking.json")
@router.get("/ranking.xlsx")
async def stored_ranking(request: Request, year: str = "", framework: str = ""):
    """Rank what the store holds for one year under one framework: no upload needed."""
    web = _web(request)
    ext = request.url.path.rsplit(".", 1)[-1] if "." in request.url.path else ""

    def build():
        _, years = web.history.overview()
        used = web.history.frameworks_used()
        names = {f.id: f.name for f in web.library.frameworks()}
        default = next((f.id for f in web.library.frameworks() if f.default), "")
        fw = framework or (default if default in used else (used[0] if used else ""))
        try:
            y = int(year) if year.strip() else (years[-1] if years else None)
        except ValueError:
            y = years[-1] if years else None
        rows, inds = web.history.ranking(y, fw) if y is not None and fw else ([], {})
        shown = [*used, *([fw] if fw and fw not in used else [])]
        return views.stored_ranking_page(
            y, fw, names.get(fw, fw), years, [(f, names.get(f, f)) for f in shown], rows, inds
        )

    try:
        page = await web.offload(build)
    except JixiaoError as exc:
        return web.error(
            503, exc.message, exc.hint, heading="无法打开历史数据库", as_json=ext == "json", back="/review"
        )
    if ext == "xlsx":
        from .exports import ranking_xlsx

        data = await web.offload(ranking_xlsx, page)
        name = f"{page.years[0].year}年排名.xlsx" if page.years else "排名.xlsx"
        return Response(data, media_type=XLSX, headers={"Content-Disposition": attachment(name)})
    return web.serve(page, ext == "json")


@router.get("/history")
@router.get("/history.json")
async def history(request: Request, unit: str = ""):
    web = _web(request)
    as_json = request.url.path.endswith(".json")
    unit = unit.strip()[:200]

    def build():
        units, _ = web.history.overview()
        message = ""
        chosen = unit
        if unit and unit not in units:
            near = [u for u in units if unit in u or u in unit][:5]
            message = f"数据库中没有单位“{unit}”的评价记录。" + (
                f"相近的单位：{'、'.join(near)}。" if near else ""
            )
            chosen = ""
        rows, names = web.history.history(chosen or None) if units else ([], {})
        if unit and message:
            rows = []
        return views.history_page(web.history.label, chosen, units, rows, names, message)

    try:
        page = await web.offload(build)
    except JixiaoError as exc:
        return web.error(
            503, exc.message, exc.hint, heading="无法打开历史数据库", as_json=as_json, back="/review"
        )
    return web.serve(page, as_json)


@router.get("/compare")
@router.get("/compare.json")
async def compare(request: Request, years: str = "", a: str = "", b: str = ""):
    web = _web(request)
    as_json = request.url.path.endswith(".json")
    text = years or f"{a} {b}"

    def build():
        _, all_years = web.history.overview()
        try:
            ys = sorted(set(views.parse_years(text)))
        except ValueError as exc:
            return views.compare_page(
                web.history.label,
                None,
                all_years,
                None,
                f"“{str(exc)[:20]}”不是年度。请选择或填写两个年度，例如 2022、2023。",
            )
        if not text.strip():
            return views.compare_page(web.history.label, None, all_years, None, "")
        if len(ys) != 2:
            return views.compare_page(
                web.history.label, None, all_years, None, "请选择两个不同的年度进行对比（例如 2022、2023）。"
            )
        pair = (ys[0], ys[1])
        missing = [y for y in pair if y not in all_years]
        if missing:
            return views.compare_page(
                web.history.label,
                None,
                all_years,
                None,
                f"数据库中没有 {'、'.join(map(str, missing))} 年的评价记录。",
            )
        return views.compare_page(web.history.label, pair, all_years, web.history.compare(pair))

    try:
        page = await web.offload(build)
    except JixiaoError as exc:
        return web.error(
            503, exc.message, exc.hint, heading="无法打开历史数据库", as_json=as_json, back="/review"
        )
    return web.serve(page, as_json)

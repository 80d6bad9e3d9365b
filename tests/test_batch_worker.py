"""The batch worker's typed result: one workbook → a WorkerResult with a Status, never an exception."""

from __future__ import annotations

import pickle

from builders import make_workbook

from jixiao.batch import STATUS_ZH, Job, Status, WorkerResult, process_one


def _job(path, tmp_path, formats=("json",)) -> Job:
    return Job(str(path), "h" * 64, None, formats, str(tmp_path / "scratch"), path.name, "six-dimension", "x")


def test_a_good_workbook_is_ok_with_its_evaluation_and_files(tmp_path):
    res = process_one(_job(make_workbook(tmp_path, base="example"), tmp_path))
    assert isinstance(res, WorkerResult) and res.status is Status.OK and not res.status.failed
    assert res.unit and res.year and res.evaluation["score"]["framework_id"] == "six-dimension"
    assert res.files and all((tmp_path / "scratch" / f).is_file() for f in res.files)
    assert res.seconds > 0 and res.pid > 0
    assert pickle.loads(pickle.dumps(res)) == res  # it crosses a process boundary
    slim = res.slim()
    assert slim.evaluation is None and slim.issues == [] and slim.files == res.files


def test_data_errors_and_unreadable_files_are_results_not_exceptions(tmp_path):
    bad = process_one(
        _job(make_workbook(tmp_path, base="example", cells={("公共项目", "D3"): 6800}), tmp_path)
    )
    assert bad.status is Status.DATA_ERROR and bad.status.failed and bad.evaluation is None
    assert "个错误，首个：" in bad.reason and any(i["severity"] == "error" for i in bad.issues)
    junk = tmp_path / "坏.xlsx"
    junk.write_bytes(b"not a workbook")
    res = process_one(_job(junk, tmp_path))
    assert res.status is Status.UNREADABLE and res.reason and res.evaluation is None


def test_status_words():
    assert STATUS_ZH == {s.value: s.zh for s in Status}
    assert Status("data_error") is Status.DATA_ERROR and Status.OK == "ok"
    assert {s for s in Status if s.failed} == {Status.DATA_ERROR, Status.UNREADABLE, Status.FAILED}

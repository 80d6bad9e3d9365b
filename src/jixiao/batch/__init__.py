"""Many workbooks, in parallel, into the store and one summary (DESIGN §10)."""

from .placement import folder_name
from .runner import (
    ALL_FORMATS,
    DEFAULT_FORMATS,
    STATUS_ZH,
    BatchResult,
    Item,
    Job,
    Status,
    WorkerResult,
    discover,
    file_hash,
    framework_fingerprint,
    process_one,
    run_batch,
)
from .summary import KEY_INDICATORS, SummaryRow, build_rows, grade_distribution, write_summary

__all__ = [
    "ALL_FORMATS",
    "DEFAULT_FORMATS",
    "KEY_INDICATORS",
    "STATUS_ZH",
    "BatchResult",
    "Item",
    "Job",
    "Status",
    "SummaryRow",
    "WorkerResult",
    "build_rows",
    "discover",
    "file_hash",
    "folder_name",
    "framework_fingerprint",
    "grade_distribution",
    "process_one",
    "run_batch",
    "write_summary",
]

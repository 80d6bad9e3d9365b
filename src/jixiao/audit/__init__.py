"""Audit: re-check every arithmetic claim of a published report (DESIGN §9).

``audit_document(doc)`` is pure: an extracted :class:`Document` in, an :class:`AuditResult` out.
``audit_file(path)`` reads a .docx / .pdf / .txt first (the only I/O).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExitCode
from .compare import cross_document, text_vs_table
from .document import Document, DocumentBuilder, Paragraph, Table
from .pipeline import paragraph_claims
from .readers import parse_txt, read_document
from .recompute import KIND_NAMES, STATUSES, AuditResult, Claim
from .table_claims import table_claims

__all__ = [
    "AuditResult",
    "Claim",
    "Document",
    "DocumentBuilder",
    "KIND_NAMES",
    "MultiResult",
    "Paragraph",
    "STATUSES",
    "Table",
    "audit_document",
    "audit_documents",
    "audit_file",
    "audit_files",
    "audit_text",
    "read_document",
]


def audit_document(doc: Document, file: str = "") -> AuditResult:
    """Every claim of ``doc``, recomputed, in document order: its sentences, its tables, and
    the figures its sentences restate from its tables (``text_vs_table``)."""
    claims = paragraph_claims(doc.paragraphs) + table_claims(doc.tables) + text_vs_table(doc)
    order = {}
    for i, b in enumerate(doc.blocks):
        order[("p" if isinstance(b, Paragraph) else "t", b.index)] = i

    def key(c: Claim):
        loc = c.location
        if "paragraph" in loc:
            return (order.get(("p", loc["paragraph"]), 0), 0, c.refs[0][2] if c.refs else 0)
        return (order.get(("t", loc["table"]), 0), loc["row"], loc["column"])

    claims.sort(key=key)
    _add_pages(doc, claims)
    return AuditResult(
        file=file or doc.name, claims=claims, paragraphs=len(doc.paragraphs), tables=len(doc.tables)
    )


def _add_pages(doc: Document, claims: list[Claim]) -> None:
    """Give every claim the page its paragraph or table starts on (``location.page``), where known."""
    pages = {("p" if isinstance(b, Paragraph) else "t", b.index): b.page for b in doc.blocks}
    for c in claims:
        loc = c.location
        key = ("p", loc["paragraph"]) if "paragraph" in loc else ("t", loc.get("table"))
        page = pages.get(key)
        if page is not None and "page" not in loc:
            c.location = {**loc, "page": page}


def audit_file(path: str | Path) -> AuditResult:
    """Read a report (.docx / .pdf / .txt) and audit it. Raises InputError when unreadable."""
    doc = read_document(path)
    return audit_document(doc, file=str(path))


def audit_text(text: str, name: str = "") -> AuditResult:
    """Audit plain text (the .txt layout), e.g. pasted from a report."""
    return audit_document(parse_txt(text, name), file=name)


@dataclass
class MultiResult:
    """Several documents audited in one call; with ``same_unit``, the figures two of them state
    about one subject (支出合计, 基本/项目支出, “三公” total and items, 机关运行经费, 政府采购) are
    compared across them (``cross``: claims of kind ``cross_document``)."""

    results: list[AuditResult]
    cross: list[Claim] = field(default_factory=list)
    same_unit: bool = False

    @property
    def summary(self) -> dict:
        out = {s: 0 for s in ("ok", "rounding", "mismatch", "unverifiable")}
        for c in [c for r in self.results for c in r.claims] + self.cross:
            out[c.status] = out.get(c.status, 0) + 1
        return out

    @property
    def exit_code(self) -> int:
        return ExitCode.DATA if self.summary["mismatch"] else ExitCode.OK

    def to_dict(self) -> dict:
        return {
            "files": [r.to_dict() for r in self.results],
            "same_unit": self.same_unit,
            "cross_document": [c.to_dict() for c in self.cross],
            "summary": self.summary,
        }


def audit_documents(docs: list[tuple[str, Document]], same_unit: bool = False) -> MultiResult:
    """Pure: each document audited; with ``same_unit``, their facts compared across them."""
    results = [audit_document(d, file=name) for name, d in docs]
    cross: list[Claim] = []
    if same_unit:
        facts = []
        for name, d in docs:
            from . import facts as F

            reader = getattr(F, "table_facts", None)
            table = reader(d) if reader is not None else []
            facts.append((name, _with_pages(d, table + F.text_facts(d))))
        cross = cross_document(facts)
    return MultiResult(results, cross, same_unit)


def _with_pages(doc: Document, facts: list) -> list:
    """Facts located with the page their paragraph or table starts on, where known."""
    from dataclasses import replace

    pages = {("p" if isinstance(b, Paragraph) else "t", b.index): b.page for b in doc.blocks}
    out = []
    for f in facts:
        loc = f.location
        key = ("p", loc.get("paragraph")) if "paragraph" in loc else ("t", loc.get("table"))
        page = pages.get(key)
        out.append(
            replace(f, location={**loc, "page": page}) if page is not None and "page" not in loc else f
        )
    return out


def audit_files(paths: Sequence[str | Path], same_unit: bool = False) -> MultiResult:
    """Read and audit several documents (raises InputError on the first unreadable one)."""
    return audit_documents([(str(p), read_document(p)) for p in paths], same_unit=same_unit)

"""Audit: re-check every arithmetic claim of a published report (DESIGN §9).

``audit_document(doc)`` is pure: an extracted :class:`Document` in, an :class:`AuditResult` out.
``audit_file(path)`` reads a .docx / .pdf / .txt first (the only I/O).
"""

from __future__ import annotations

from pathlib import Path

from .document import Document, DocumentBuilder, Paragraph, Table
from .pipeline import paragraph_claims
from .readers import parse_txt, read_document
from .recompute import KIND_NAMES, STATUSES, AuditResult, Claim
from .table_claims import table_claims

__all__ = ["AuditResult", "Claim", "Document", "DocumentBuilder", "KIND_NAMES", "Paragraph", "STATUSES",
           "Table", "audit_document", "audit_file", "audit_text", "read_document"]


def audit_document(doc: Document, file: str = "") -> AuditResult:
    """Every claim of ``doc``, recomputed, in document order."""
    claims = paragraph_claims(doc.paragraphs) + table_claims(doc.tables)
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
    return AuditResult(file=file or doc.name, claims=claims, paragraphs=len(doc.paragraphs),
                       tables=len(doc.tables))


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

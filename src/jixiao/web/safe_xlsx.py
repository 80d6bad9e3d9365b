"""Exported spreadsheets never start a cell with ``= + - @`` (formula injection) unless it is a number.

Works on the .xlsx XML directly (shared strings, inline strings, formula cells), so charts,
images, styles and data validation survive untouched — openpyxl would drop charts on re-save.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from ..safety import FORMULA_START, is_formula_like, safe_sheet_text

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_T = f"{{{NS}}}t"
DANGEROUS = FORMULA_START
_CALC_REF = re.compile(rb"<(Override|Relationship)\b[^>]*calcChain[^>]*/>")
_SHEET = re.compile(r"^xl/(worksheets|chartsheets)/[^/]+\.xml$")


needs_quote = is_formula_like
quote_text = safe_sheet_text


def _fix_rich(parent) -> bool:
    """A <si> or <is> holds one or more <t>; quote the first text if the whole string is dangerous."""
    ts = [t for t in parent.iter(_T)]
    full = "".join(t.text or "" for t in ts)
    if needs_quote(full):
        first = next(t for t in ts if t.text)
        first.text = "'" + first.text
        return True
    return False


def _fix_sheet(root) -> bool:
    changed = False
    for c in root.iter(f"{{{NS}}}c"):
        f = c.find(f"{{{NS}}}f")
        v = c.find(f"{{{NS}}}v")
        t = c.get("t")
        if f is not None:
            formula = f.text or ""
            c.remove(f)
            changed = True
            if v is not None and v.text is not None and t not in ("str", "e"):
                continue  # keep the cached number/boolean as a plain value
            text = v.text if (v is not None and v.text is not None and t == "str") else "=" + formula
            _to_inline(c, v, quote_text(text))
        elif t == "inlineStr":
            is_ = c.find(f"{{{NS}}}is")
            if is_ is not None and _fix_rich(is_):
                changed = True
        elif t == "str" and v is not None and needs_quote(v.text):
            _to_inline(c, v, quote_text(v.text))
            changed = True
    return changed


def _to_inline(c, v, text: str) -> None:
    if v is not None:
        c.remove(v)
    c.set("t", "inlineStr")
    is_ = etree.SubElement(c, f"{{{NS}}}is")
    t = etree.SubElement(is_, _T)
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def neutralise_formulas(data: bytes) -> bytes:
    """Return the .xlsx with every dangerous text cell prefixed by an apostrophe and formulas
    replaced by their values (or their text, quoted). Non-xlsx bytes are returned unchanged."""
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return data
    out = io.BytesIO()
    with zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            raw = zin.read(info.filename)
            if info.filename == "xl/sharedStrings.xml" or _SHEET.match(info.filename):
                root = etree.fromstring(raw)
                if info.filename == "xl/sharedStrings.xml":
                    changed = any([_fix_rich(si) for si in root.iter(f"{{{NS}}}si")])
                else:
                    changed = _fix_sheet(root)
                if changed:
                    raw = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            if info.filename == "xl/calcChain.xml":
                continue  # formulas are gone; a stale calc chain makes Excel repair the file
            if info.filename in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
                raw = _CALC_REF.sub(b"", raw)
            zout.writestr(info, raw)
    return out.getvalue()

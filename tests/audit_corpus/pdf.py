"""A minimal PDF writer for tests: CJK text lines through a Type0 font with a ToUnicode map
(no embedded font needed for text extraction) and ruled tables, so pdfplumber finds both."""

from __future__ import annotations


def _hex(text: str) -> str:
    return "".join(f"{ord(ch):04X}" for ch in text)


def make_pdf(pages: list[list[tuple]], *, with_text: bool = True, rotate: int = 0) -> bytes:
    """``pages``: each a list of ('text', x, y, string, size) and ('table', x, y, col_widths,
    row_height, rows). Coordinates in points from the bottom left of an A4 page. ``rotate=90``
    writes a landscape page as many publishers do: an upright A4 MediaBox with /Rotate 90 and
    the content turned so that it shows upright (coordinates are then those of the page as
    shown, 842 wide and 595 high)."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
        "256 beginbfrange",
    ]
    cmap += [f"<{h:02X}00> <{h:02X}FF> <{h:02X}00>" for h in range(256)]
    cmap += ["endbfrange", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    cm = "\n".join(cmap).encode()
    tounicode = add(b"<< /Length %d >>\nstream\n" % len(cm) + cm + b"\nendstream")
    desc = add(
        b"<< /Type /FontDescriptor /FontName /Song /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
        b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
    )
    cid = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Song /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 /CIDToGIDMap /Identity >>"
        % desc
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Song /Encoding /Identity-H /DescendantFonts [%d 0 R] "
        b"/ToUnicode %d 0 R >>" % (cid, tounicode)
    )
    page_ids = []
    pages_id_placeholder = len(objs) + 1 + 2 * len(pages)
    for items in pages:
        ops: list[str] = []
        for it in items:
            if it[0] == "text" and with_text:
                _, x, y, s, size = it
                ops.append(f"BT /F1 {size} Tf {x} {y} Td <{_hex(s)}> Tj ET")
            elif it[0] == "table":
                _, x, y, widths, rh, rows = it
                total_w = sum(widths)
                for r in range(len(rows) + 1):
                    ops.append(f"{x} {y - r * rh} m {x + total_w} {y - r * rh} l S")
                cx = x
                for w in [0, *widths]:
                    cx += w
                    ops.append(f"{cx} {y} m {cx} {y - len(rows) * rh} l S")
                for r, row in enumerate(rows):
                    cx = x
                    for w, cell in zip(widths, row, strict=True):
                        if cell and with_text:
                            ops.append(f"BT /F1 9 Tf {cx + 3} {y - (r + 1) * rh + 5} Td <{_hex(cell)}> Tj ET")
                        cx += w
            elif it[0] == "rect":
                _, x, y, w, h = it
                ops.append(f"{x} {y} {w} {h} re f")
        if rotate == 90:
            ops = ["q 0 1 -1 0 595 0 cm", *ops, "Q"]
        content = "\n".join(ops).encode()
        cid_ = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        rot = b" /Rotate %d" % rotate if rotate else b""
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842]%s /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id_placeholder, rot, cid_, font)
            )
        )
    kids = " ".join(f"{p} 0 R" for p in page_ids).encode()
    pages_id = add(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_ids))
    assert pages_id == pages_id_placeholder
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    return bytes(out)

"""Read a PDF back as text: per page, and a table's rows by position (PDFium's text boxes)."""

from __future__ import annotations

import pypdfium2 as pdfium


def pages(pdf: bytes) -> list[str]:
    """The text of every page."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def boxes(pdf: bytes, index: int) -> list[tuple[float, float, str]]:
    """(left, top, text) of every text segment on one page."""
    doc = pdfium.PdfDocument(pdf)
    try:
        text = doc[index].get_textpage()
        found = []
        for i in range(text.count_rects()):
            left, bottom, right, top = text.get_rect(i)
            found.append((left, top, text.get_text_bounded(left, bottom, right, top).strip()))
        return found
    finally:
        doc.close()


def table(pdf: bytes, index: int, headers: list[str]) -> list[list[str]]:
    """The rows under a table whose column headers begin with the words in `headers`; cells join their lines."""
    segments = boxes(pdf, index)
    starts = []
    for header in headers:
        hit = next(s for s in segments if s[2] == header or s[2].startswith(header + " "))
        starts.append((hit[0], hit[1]))
    head_top = min(top for _, top in starts)
    columns = [x for x, _ in starts]
    # Row anchors: the first column's segments below the header line.
    body = [s for s in segments if s[1] < head_top - 12]
    anchors = sorted({round(s[1], 1) for s in body if abs(s[0] - columns[0]) < 8}, reverse=True)
    rows = []
    for i, top in enumerate(anchors):
        lower = anchors[i + 1] if i + 1 < len(anchors) else -1
        cells = [""] * len(columns)
        for left, seg_top, text in sorted(body, key=lambda s: (-s[1], s[0])):
            if lower + 2 < seg_top <= top + 2 and text:  # a row's cells share its first line, within 2 pt
                column = max(c for c in range(len(columns)) if columns[c] <= left + 3)
                cells[column] = f"{cells[column]} {text}".strip()
        rows.append(cells)
    return rows

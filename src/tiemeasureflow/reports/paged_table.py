"""A long table that splits page by page in linear time, repeating its header on every page.

reportlab's own Table re-measures every remaining row at each page break, which is
quadratic: 10,000 rows took minutes, and even page by page it spends most of a long report
resolving each cell's style and wrapping plain strings. Here the rows are measured once,
each page takes the rows that fit (bisecting the running total of their heights), and a page
is drawn straight onto the canvas: plain strings with one call each, paragraphs as flowables.
The style is a reportlab TableStyle command list limited to FONT, BACKGROUND, TEXTCOLOR, ALIGN,
VALIGN (middle), the four paddings and GRID.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate

from reportlab.lib import colors
from reportlab.platypus import Flowable

LEADING = 1.2  # a plain string's line height, in font sizes (reportlab's own default)


class _Style:
    """The cell attributes of one page's commands, resolved once per cell."""

    def __init__(self, commands: list, columns: int, rows: int):
        self.font = [[("Helvetica", 10.0)] * columns for _ in range(rows)]
        self.fill: dict[tuple[int, int], object] = {}
        self.ink = [[colors.black] * columns for _ in range(rows)]
        self.align = [["LEFT"] * columns for _ in range(rows)]
        self.pad = {"TOPPADDING": 3.0, "BOTTOMPADDING": 3.0, "LEFTPADDING": 6.0, "RIGHTPADDING": 6.0}
        self.grid: tuple[float, object] | None = None
        for name, start, stop, *args in commands:
            cells = [(c, r) for r in _span(start[1], stop[1], rows) for c in _span(start[0], stop[0], columns)]
            if name == "FONT":
                for c, r in cells:
                    self.font[r][c] = (args[0], float(args[1]))
            elif name == "BACKGROUND":
                self.fill.update(dict.fromkeys(cells, args[0]))
            elif name == "TEXTCOLOR":
                for c, r in cells:
                    self.ink[r][c] = args[0]
            elif name == "ALIGN":
                for c, r in cells:
                    self.align[r][c] = args[0].upper()
            elif name in self.pad:
                self.pad[name] = float(args[0])  # the tables here pad every cell alike
            elif name == "GRID":
                self.grid = (float(args[0]), args[1])


def _span(first: int, last: int, size: int) -> range:
    return range(first % size, last % size + 1)


def _heights(rows: list[list], widths: list[float], style: _Style) -> list[float]:
    """Each row's height: its tallest cell (one line for a string, the wrapped paragraph) plus paddings."""
    pads = style.pad["LEFTPADDING"] + style.pad["RIGHTPADDING"]
    vertical = style.pad["TOPPADDING"] + style.pad["BOTTOMPADDING"]
    out = []
    for r, row in enumerate(rows):
        tallest = 0.0
        for c, cell in enumerate(row):
            if isinstance(cell, Flowable):
                tallest = max(tallest, cell.wrap(widths[c] - pads, 1e9)[1])
            else:
                tallest = max(tallest, style.font[r][c][1] * LEADING * (str(cell).count("\n") + 1))
        out.append(tallest + vertical)
    return out


class _Page(Flowable):
    """One page's header and rows at known heights, drawn directly."""

    def __init__(self, rows: list[list], widths: list[float], heights: list[float], commands: list):
        super().__init__()
        self.rows, self.widths, self.heights, self.commands = rows, widths, heights, commands
        self.width, self.height = sum(widths), sum(heights)

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        canv, style = self.canv, _Style(self.commands, len(self.widths), len(self.rows))
        lefts = [0.0, *accumulate(self.widths)]
        tops = [self.height - y for y in (0.0, *accumulate(self.heights))]
        for (c, r), colour in style.fill.items():
            canv.setFillColor(colour)
            canv.rect(lefts[c], tops[r + 1], self.widths[c], self.heights[r], stroke=0, fill=1)
        pad = style.pad
        for r, row in enumerate(self.rows):
            bottom, height = tops[r + 1], self.heights[r]
            for c, cell in enumerate(row):
                left, width = lefts[c], self.widths[c]
                if isinstance(cell, Flowable):
                    # Wrapped when measured, at this width: a paragraph keeps its lines from then.
                    used = cell.height if hasattr(cell, "blPara") else cell.wrapOn(
                        canv, width - pad["LEFTPADDING"] - pad["RIGHTPADDING"], height)[1]
                    cell.drawOn(canv, left + pad["LEFTPADDING"], bottom + (height - used) / 2)
                    continue
                text = str(cell)
                if not text:
                    continue
                font, size = style.font[r][c]
                canv.setFont(font, size)
                canv.setFillColor(style.ink[r][c])
                # Vertically centred as reportlab's VALIGN MIDDLE puts a one-line string.
                base = bottom + (height + pad["BOTTOMPADDING"] - pad["TOPPADDING"]) / 2 - size * 0.35
                align = style.align[r][c]
                if align == "RIGHT":
                    canv.drawRightString(left + width - pad["RIGHTPADDING"], base, text)
                elif align in ("CENTER", "CENTRE"):
                    canv.drawCentredString(left + width / 2, base, text)
                else:
                    canv.drawString(left + pad["LEFTPADDING"], base, text)
        if style.grid:
            canv.setLineWidth(style.grid[0])
            canv.setStrokeColor(style.grid[1])
            path = canv.beginPath()
            for x in lefts:
                path.moveTo(x, 0)
                path.lineTo(x, self.height)
            for y in tops:
                path.moveTo(0, y)
                path.lineTo(self.width, y)
            canv.drawPath(path, stroke=1, fill=0)


class PagedTable(Flowable):
    """`header` + `rows`, drawn as one directly drawn block per page."""

    def __init__(self, header: list, rows: list[list], col_widths: list[float], base_style: list,
                 row_style: Callable[[int, int], list], _measured: tuple | None = None, _start: int = 0):
        super().__init__()
        self.header, self.rows, self.col_widths = header, rows, col_widths
        self.base_style, self.row_style = base_style, row_style
        self.start = _start
        if _measured is None:
            _measured = self._measure()
        self.header_height, self.offsets = _measured

    def _measure(self) -> tuple[float, list[float]]:
        whole = [self.header, *self.rows]
        heights = _heights(whole, self.col_widths, _Style(self.base_style, len(self.col_widths), len(whole)))
        return heights[0], [0.0, *accumulate(heights[1:])]

    def _remaining_height(self) -> float:
        return self.offsets[-1] - self.offsets[self.start]

    def _page(self, start: int, stop: int) -> _Page:
        style = list(self.base_style)
        for position, index in enumerate(range(start, stop), start=1):
            style += self.row_style(index, position)
        offsets = self.offsets[start:stop + 1]
        heights = [self.header_height, *(b - a for a, b in zip(offsets, offsets[1:], strict=False))]
        return _Page([self.header, *self.rows[start:stop]], self.col_widths, heights, style)

    def wrap(self, avail_width, avail_height):
        """The size of the whole remaining table."""
        self.width = sum(self.col_widths)
        self.height = self.header_height + self._remaining_height()
        return self.width, self.height

    def split(self, avail_width, avail_height):
        """The rows that fit on this page as one block, and the rest for the next pages."""
        room = avail_height - self.header_height
        stop = bisect_right(self.offsets, self.offsets[self.start] + room) - 1
        if stop <= self.start:
            return []  # not even one row fits: start on the next page
        rest = PagedTable(self.header, self.rows, self.col_widths, self.base_style, self.row_style,
                          (self.header_height, self.offsets), stop)
        first = self._page(self.start, stop)
        return [first, rest] if stop < len(self.rows) else [first]

    def draw(self):
        """Draw the remaining rows when they all fit on the current page."""
        page = self._page(self.start, len(self.rows))
        page.canv = self.canv
        page.draw()

"""A long table that splits page by page in linear time, repeating its header on every page.

reportlab's own Table re-measures every remaining row at each page break, which is
quadratic: 10,000 rows took minutes. Here the rows are measured once and each page
takes the rows that fit, found by bisecting the running total of their heights.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate

from reportlab.platypus import Flowable, Table, TableStyle


class PagedTable(Flowable):
    """`header` + `rows`, drawn as one reportlab Table per page."""

    def __init__(self, header: list, rows: list[list], col_widths: list[float], base_style: list,
                 row_style: Callable[[int, int], list], _measured: tuple | None = None, _start: int = 0):
        super().__init__()
        self.header, self.rows, self.col_widths = header, rows, col_widths
        self.base_style, self.row_style = base_style, row_style
        self.start = _start
        if _measured is None:
            _measured = self._measure()
        self.header_height, self.offsets = _measured
        self._chunk: Table | None = None

    def _measure(self) -> tuple[float, list[float]]:
        whole = Table([self.header, *self.rows], colWidths=self.col_widths, style=TableStyle(self.base_style))
        whole.wrap(sum(self.col_widths), 1e9)
        heights = whole._rowHeights
        return heights[0], [0.0, *accumulate(heights[1:])]

    def _remaining_height(self) -> float:
        return self.offsets[-1] - self.offsets[self.start]

    def _table(self, start: int, stop: int) -> Table:
        style = list(self.base_style)
        for position, index in enumerate(range(start, stop), start=1):
            style += self.row_style(index, position)
        # The heights measured once up front: reportlab need not wrap every cell of the page again.
        offsets = self.offsets[start:stop + 1]
        heights = [self.header_height, *(b - a for a, b in zip(offsets, offsets[1:], strict=False))]
        return Table([self.header, *self.rows[start:stop]], colWidths=self.col_widths, rowHeights=heights,
                     repeatRows=1, style=TableStyle(style))

    def wrap(self, avail_width, avail_height):
        """The size of the whole remaining table."""
        self.width = sum(self.col_widths)
        self.height = self.header_height + self._remaining_height()
        return self.width, self.height

    def split(self, avail_width, avail_height):
        """The rows that fit on this page as one table, and the rest for the next pages."""
        room = avail_height - self.header_height
        stop = bisect_right(self.offsets, self.offsets[self.start] + room) - 1
        if stop <= self.start:
            return []  # not even one row fits: start on the next page
        rest = PagedTable(self.header, self.rows, self.col_widths, self.base_style, self.row_style,
                          (self.header_height, self.offsets), stop)
        first = self._table(self.start, stop)
        return [first, rest] if stop < len(self.rows) else [first]

    def draw(self):
        """Draw the remaining rows when they all fit on the current page."""
        table = self._table(self.start, len(self.rows))
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)

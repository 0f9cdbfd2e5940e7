"""Pages of a long printout (badges, join cards, rosters): one page of rows per response, so
no page grows with the room; pure arithmetic, no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """Page ``number`` (from 1) of ``total`` rows, ``size`` rows a page."""

    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages (at least one, even for no rows)."""
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def first(self) -> int:
        """The position (from 1) of the page's first row; 0 when there are none."""
        return min(self.offset + 1, self.total)

    @property
    def last(self) -> int:
        return min(self.offset + self.size, self.total)


def page_of(total: int, size: int, requested: object) -> Page:
    """The page asked for (a number, or text from a query string), kept between the first
    and the last page: a missing, wrong or too large number gives the nearest page."""
    text = str(requested if requested is not None else "").strip()
    number = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else 1
    pages = Page(number=1, size=size, total=total).pages
    return Page(number=min(max(number, 1), pages), size=size, total=total)

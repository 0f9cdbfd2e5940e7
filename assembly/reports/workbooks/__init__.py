"""The report workbooks, written with XlsxWriter from plain rows (see :mod:`..domain`).

:mod:`.writer` holds the file and the cells (and why XlsxWriter), :mod:`.tables` the table
sheets, :mod:`.participation` the counts with their charts.
"""

from .comparison import write_comparison
from .participation import PARTICIPATION_HEADERS, write_participation
from .printing import Marks, Page
from .satisfaction import write_satisfaction
from .signin import SignInSheet
from .tables import HEADER_ROW, write_table
from .writer import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    PERCENT_FORMAT,
    Book,
    Formula,
    Sheet,
    Styled,
    discard,
    inert,
    partial_path,
    save,
)

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "HEADER_ROW",
    "PARTICIPATION_HEADERS",
    "PERCENT_FORMAT",
    "Book",
    "Formula",
    "Marks",
    "Page",
    "Sheet",
    "SignInSheet",
    "Styled",
    "discard",
    "inert",
    "partial_path",
    "save",
    "write_comparison",
    "write_participation",
    "write_satisfaction",
    "write_table",
]

"""Step 1 of an import: read an .xlsx or .csv list into a :class:`Sheet` (headers and text
rows). Pure logic (stdlib + openpyxl): bytes in, text out."""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _

MAX_ROWS = 20_000
#: a list has a few dozen columns; more is a broken or hostile file
MAX_COLUMNS = 200
#: the sheet inflated: 20,000 rows of 200 columns of text stay far below this
MAX_UNCOMPRESSED_BYTES = 200_000_000
MAX_ZIP_ENTRIES = 2_000
_TITLE_ROWS = 30

_XLSX_MAGIC = b"PK\x03\x04"
# Old binary .xls, and also password-protected .xlsx (an encrypted OLE container).
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportFileError(ValueError):
    """The file cannot be imported; ``message`` says why, in Spanish, for the operator."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """A list as read from the file: unique header names and rows of text, one per person."""

    headers: list[str]
    rows: list[list[str]]
    #: the row number each row has in the file as the operator sees it (1 = first line)
    row_numbers: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.row_numbers:
            self.row_numbers = list(range(2, len(self.rows) + 2))


def share_texts(rows: Iterable[list[str]], shared: dict[str, str] | None = None) -> None:
    """Hold each distinct cell text once, in place: a list repeats the same few values (a
    town, "C.C.", "Mujer", an organisation) in thousands of rows, and the reader (or the JSON
    the upload keeps) makes a new string for every cell; shared, they are about a third of a
    5,000-row list's text. ``shared`` carries the texts seen so far across calls."""
    seen = {} if shared is None else shared
    for cells in rows:
        for index, text in enumerate(cells):
            cells[index] = seen.setdefault(text, text)


def _too_wide() -> str:
    return _("El archivo tiene más de %(n)s columnas: deje solo las de la lista.", n=MAX_COLUMNS)


def read_table(
    filename: str, data: bytes, *, tick: Callable[[int, int], None] | None = None
) -> Sheet:
    """Read an .xlsx or .csv list into a :class:`Sheet`.

    The first non-empty row is the header (a title line above it, with a single filled cell,
    is skipped); blank rows are dropped. CSV: ``;``, ``,`` or tab delimited, UTF-8 or
    Latin-1/Windows-1252. Excel: the first sheet; dates become AAAA-MM-DD and whole numbers
    lose the ".0" a spreadsheet adds. Raises :class:`ImportFileError` when the file cannot be
    read, holds no data or has more than :data:`MAX_ROWS` rows. ``tick(rows read, 0)`` is
    called after every row (a long read yields there; see ``core.jobs.paced``).
    """
    if not data or not data.strip():
        raise ImportFileError(_("El archivo está vacío."))
    if data.startswith(_XLSX_MAGIC):
        records = _xlsx_records(data)
    elif data.startswith(_OLE_MAGIC):
        raise ImportFileError(
            _(
                "Este archivo es de Excel antiguo (.xls) o está protegido con contraseña. Ábralo en Excel y guárdelo como .xlsx o .csv, sin contraseña."
            )
        )
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_("No se pudo leer el archivo de Excel: el archivo está dañado."))
    else:
        records = _csv_records(data)
    return _build_table(records, tick)


def _build_table(
    records: Iterable[tuple[int, list[str]]], tick: Callable[[int, int], None] | None = None
) -> Sheet:
    numbered = []
    shared: dict[str, str] = {}
    for number, cells in records:
        if tick is not None:
            tick(number, 0)
        if any(cells):
            share_texts((cells,), shared)  # as they are read: the copies never pile up
            numbered.append((number, cells))
            if len(numbered) > MAX_ROWS + 1:  # + the header
                limit = f"{MAX_ROWS:_}".replace("_", ".")  # 20.000, as written in Colombia
                raise ImportFileError(
                    _(
                        "El archivo tiene más de %(limit)s filas. Divídalo en varios archivos.",
                        limit=limit,
                    )
                )
    # Lists often open with a title block ("LISTADO DE PREINSCRITOS", "Convenio 123",
    # "Fecha: ...") above the headers: the header is the first of the opening rows that is
    # about as wide as the widest of them.
    opening = [sum(1 for cell in cells if cell) for _, cells in numbered[:_TITLE_ROWS]]
    if opening:
        wanted = max(2, (max(opening) * 3 + 4) // 5)
        start = next((i for i, filled in enumerate(opening) if filled >= wanted), 0)
        del numbered[:start]
    if not numbered:
        raise ImportFileError(_("El archivo está vacío."))
    if len(numbered) == 1:
        raise ImportFileError(_("El archivo solo tiene encabezados: no hay filas de personas."))

    width = max(_last_filled(cells) for _, cells in numbered)
    headers = _unique_headers(numbered[0][1][:width], width)
    rows = [cells[:width] + [""] * (width - len(cells)) for _, cells in numbered[1:]]
    return Sheet(headers, rows, [number for number, _ in numbered[1:]])


def _last_filled(cells: list[str]) -> int:
    for index in range(len(cells), 0, -1):
        if cells[index - 1]:
            return index
    return 0


def _unique_headers(cells: list[str], width: int) -> list[str]:
    headers: list[str] = []
    taken: set[str] = set()
    copies: dict[str, int] = {}  # linear even when every header is the same
    for index in range(width):
        name = cells[index] if index < len(cells) and cells[index] else f"Columna {index + 1}"
        candidate, copy = name, copies.get(name, 2)
        while candidate in taken:  # two "Teléfono" columns must stay distinguishable
            candidate, copy = f"{name} ({copy})", copy + 1
        copies[name] = copy
        taken.add(candidate)
        headers.append(candidate)
    return headers


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Excel on Windows saves CSV as Windows-1252; Latin-1 decodes anything as a last resort.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _csv_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(data)
    if "\x00" in text:
        raise ImportFileError(_("El archivo no es un .csv ni un .xlsx que se pueda leer."))
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and lines[0].lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter = lines[0].strip()[4]  # Excel's own hint line: "sep=;"
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        delimiter = _sniff_delimiter(lines[:10])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            if len(cells) > MAX_COLUMNS and any(cell.strip() for cell in cells[MAX_COLUMNS:]):
                raise ImportFileError(_too_wide())
            yield number, [" ".join(cell.split()) for cell in cells[:MAX_COLUMNS]]
    except csv.Error as exc:
        raise ImportFileError(_("No se pudo leer el archivo CSV: %(exc)s.", exc=exc)) from exc


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the first lines into the most columns.

    Looking at several lines copes with a title line above the headers. Excel in Spanish
    writes ";", other tools ","; ties go to ";".
    """

    def columns(delimiter: str) -> int:
        try:
            return max((len(row) for row in csv.reader(lines, delimiter=delimiter)), default=0)
        except csv.Error:
            return 0

    return max((";", ",", "\t", "|"), key=columns)


def _check_zip(data: bytes) -> None:
    """Refuse a compressed bomb before openpyxl inflates anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(
            _("No se pudo leer el archivo de Excel. Verifique que sea un .xlsx válido.")
        ) from None
    total = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or total > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            _(
                "El archivo de Excel es demasiado grande una vez descomprimido "
                "(máximo %(mb)s MB). Guárdelo como .csv o divídalo.",
                mb=MAX_UNCOMPRESSED_BYTES // 1_000_000,
            )
        )


def _open_workbook(data: bytes, *, data_only: bool):
    import openpyxl  # here, not at start-up: half a second a server (re)start does not need

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they do not matter here.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(
            _("No se pudo leer el archivo de Excel. Verifique que sea un .xlsx válido.")
        ) from exc


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_SCAN_CHUNK = 1 << 20


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet holds a formula: its XML scanned in chunks (bounded memory),
    so the common list without formulas is read once."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as stream:
                tail = b""
                while chunk := stream.read(_SCAN_CHUNK):
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _formula_cells(data: bytes) -> set[tuple[int, int]]:
    """(row number, column index) of every formula cell of the first sheet."""
    workbook = _open_workbook(data, data_only=False)
    try:
        if not workbook.worksheets:
            return set()
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        return {
            (number, index)
            for number, cells in enumerate(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS), start=1)
            for index, cell in enumerate(cells)
            if getattr(cell, "data_type", None) == "f"
        }
    finally:
        workbook.close()


def _unsaved_formulas_message(cells: list[str]) -> str:
    shown = ", ".join(cells[:5])
    if len(cells) > 5:
        shown = _("%(cells)s y %(n)s más", cells=shown, n=len(cells) - 5)
    return _(
        "El archivo tiene fórmulas sin valor guardado (%(cells)s): se leerían en blanco. "
        "Ábralo en Excel o LibreOffice, deje que calcule y guárdelo de nuevo; o copie y pegue "
        "esas columnas como valores.",
        cells=shown,
    )


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    _check_zip(data)
    # A formula whose result was never saved (files written by other programs) has no value
    # to read: reported, never read as a blank cell.
    formulas = _formula_cells(data) if _has_formulas(data) else set()
    unsaved: list[str] = []
    workbook = _open_workbook(data, data_only=True)
    from openpyxl.utils import get_column_letter  # loaded by the line above

    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        # Some generators write a wrong sheet size, and read-only mode would trust it.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS + 1, values_only=True)
        for number, values in enumerate(rows, start=1):
            if len(values) > MAX_COLUMNS and values[MAX_COLUMNS] is not None:
                raise ImportFileError(_too_wide())
            if formulas:
                unsaved += [
                    f"{get_column_letter(index + 1)}{number}"
                    for index, value in enumerate(values[:MAX_COLUMNS])
                    if value is None and (number, index) in formulas
                ]
            yield number, [_cell_text(value) for value in _without_trailing_blanks(values)]
    finally:
        workbook.close()
    if unsaved:
        raise ImportFileError(_unsaved_formulas_message(unsaved))


def _without_trailing_blanks(values: tuple) -> tuple:
    """A row's first MAX_COLUMNS values without the empty cells after its last filled one
    (read-only openpyxl pads every row to the column cap: 200 cells for a 12-column list)."""
    end = min(len(values), MAX_COLUMNS)
    while end and values[end - 1] is None:
        end -= 1
    return values[:end]


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 1234567.0 is how a document number arrives
    if isinstance(value, str) and value[:1] == "'" and value.lstrip("'")[:1] in tuple("=+-@\t\r"):
        value = value[1:]  # the apostrophe the reports put before formula-like text (OWASP)
    return " ".join(str(value).split())

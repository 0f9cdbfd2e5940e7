"""Pre-registration lists, read from the .xlsx and .csv files the agreements send.

Pure logic (stdlib + openpyxl): bytes in, a preview of valid rows and errors out. Three steps,
so that the operator can check the column mapping before anything is saved:

1. :func:`read_table` turns the file into headers and text rows;
2. :func:`suggest_mapping` guesses which form field each column holds;
3. :func:`apply_mapping` validates every row with the unified form's rules.

:func:`errors_workbook` gives the rejected rows back as an .xlsx to fix and re-import.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from . import divipola
from .domain import (
    FIELDS,
    FIELDS_BY_KEY,
    ExtraQuestion,
    normalize_document,
    normalize_name,
    validate_registration,
)

MAX_ROWS = 20_000

# Mapping targets that are not form fields: they are folded into first_names / last_names.
FULL_NAME = "full_name"
SECOND_FIRST_NAME = "second_first_name"
SECOND_LAST_NAME = "second_last_name"
SPECIAL_KEYS: dict[str, str] = {
    FULL_NAME: "Nombre completo (se separa en nombres y apellidos)",
    SECOND_FIRST_NAME: "Segundo nombre",
    SECOND_LAST_NAME: "Segundo apellido",
}

_XLSX_MAGIC = b"PK\x03\x04"
# Old binary .xls, and also password-protected .xlsx (an encrypted OLE container).
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportFileError(ValueError):
    """The file cannot be imported; ``message`` says why, in Spanish, for the operator."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """A list as read from the file: unique header names and rows of text, one per person."""

    headers: list[str]
    rows: list[list[str]]
    #: the row number each row has in the file as the operator sees it (1 = first line)
    row_numbers: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.row_numbers:
            self.row_numbers = list(range(2, len(self.rows) + 2))


@dataclass
class ImportPreview:
    """What an import would do, before anything is saved."""

    #: (row number, clean registration) for each row that passes validation
    valid: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    #: (row number, {field key: message}) for each rejected row
    errors: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    #: (row number, row number of the first row with the same document), not imported
    duplicates_in_file: list[tuple[int, int]] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------


def read_table(filename: str, data: bytes) -> Table:
    """Read an .xlsx or .csv list into a :class:`Table`.

    The first non-empty row is the header (a title line above it, with a single filled cell,
    is skipped); blank rows are dropped. CSV: ``;``, ``,`` or tab delimited, UTF-8 or
    Latin-1/Windows-1252. Excel: the first sheet; dates become AAAA-MM-DD and whole numbers
    lose the ".0" a spreadsheet adds. Raises :class:`ImportFileError` when the file cannot be
    read, holds no data or has more than :data:`MAX_ROWS` rows.
    """
    if not data or not data.strip():
        raise ImportFileError("El archivo está vacío.")
    if data.startswith(_XLSX_MAGIC):
        records = _xlsx_records(data)
    elif data.startswith(_OLE_MAGIC):
        raise ImportFileError(
            "Este archivo es de Excel antiguo (.xls) o está protegido con contraseña. "
            "Ábralo en Excel y guárdelo como .xlsx o .csv, sin contraseña."
        )
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError("No se pudo leer el archivo de Excel: el archivo está dañado.")
    else:
        records = _csv_records(data)
    return _build_table(records)


def _build_table(records: Iterable[tuple[int, list[str]]]) -> Table:
    numbered = []
    for number, cells in records:
        if any(cells):
            numbered.append((number, cells))
            if len(numbered) > MAX_ROWS + 1:  # + the header
                limit = f"{MAX_ROWS:_}".replace("_", ".")  # 20.000, as written in Colombia
                raise ImportFileError(
                    f"El archivo tiene más de {limit} filas. Divídalo en varios archivos."
                )
    # Lists often open with a title line ("LISTADO DE PREINSCRITOS ...") above the headers.
    while (
        len(numbered) > 1
        and sum(1 for cell in numbered[0][1] if cell) == 1
        and sum(1 for cell in numbered[1][1] if cell) > 1
    ):
        numbered.pop(0)
    if not numbered:
        raise ImportFileError("El archivo está vacío.")
    if len(numbered) == 1:
        raise ImportFileError("El archivo solo tiene encabezados: no hay filas de personas.")

    width = max(_last_filled(cells) for _, cells in numbered)
    headers = _unique_headers(numbered[0][1][:width], width)
    rows = [cells[:width] + [""] * (width - len(cells)) for _, cells in numbered[1:]]
    return Table(headers, rows, [number for number, _ in numbered[1:]])


def _last_filled(cells: list[str]) -> int:
    for index in range(len(cells), 0, -1):
        if cells[index - 1]:
            return index
    return 0


def _unique_headers(cells: list[str], width: int) -> list[str]:
    headers: list[str] = []
    for index in range(width):
        name = cells[index] if index < len(cells) and cells[index] else f"Columna {index + 1}"
        candidate, copy = name, 2
        while candidate in headers:  # two "Teléfono" columns must stay distinguishable
            candidate, copy = f"{name} ({copy})", copy + 1
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
        raise ImportFileError("El archivo no es un .csv ni un .xlsx que se pueda leer.")
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and lines[0].lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter = lines[0].strip()[4]  # Excel's own hint line: "sep=;"
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        delimiter = _sniff_delimiter(lines[:10])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [" ".join(cell.split()) for cell in cells]
    except csv.Error as exc:
        raise ImportFileError(f"No se pudo leer el archivo CSV: {exc}.") from exc


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


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they do not matter here.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(
            "No se pudo leer el archivo de Excel. Verifique que sea un .xlsx válido."
        ) from exc
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        # Some generators write a wrong sheet size, and read-only mode would trust it.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
    finally:
        workbook.close()


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


# --------------------------------------------------------------------------------------------
# Column mapping
# --------------------------------------------------------------------------------------------

# Header variants, compared after normalize_name (no accents, case or punctuation). Order
# matters: the first rule whose phrase appears in the header wins, so the specific phrases
# ("tipo de documento") come before the general ones ("documento").
_HEADER_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("document_type", ("tipo de documento", "tipo documento", "tipo doc", "tipo de identificacion",
                       "tipo identificacion", "tipo id", "td")),
    ("disability_kind", ("tipo de discapacidad", "tipo discapacidad", "cual discapacidad")),
    ("organization_kind", ("tipo de organizacion", "tipo organizacion", "tipo de entidad")),
    ("organization_role", ("rol en la organizacion", "cargo en la organizacion", "cargo", "rol")),
    ("organization_name", ("nombre de la organizacion", "organizacion", "asociacion",
                           "nombre de la entidad", "entidad")),
    (FULL_NAME, ("nombre completo", "nombres y apellidos", "nombre y apellido",
                 "nombres completos", "nombre s y apellido s")),
    (SECOND_FIRST_NAME, ("segundo nombre",)),
    (SECOND_LAST_NAME, ("segundo apellido",)),
    ("first_names", ("primer nombre", "nombres", "nombre")),
    ("last_names", ("primer apellido", "apellidos", "apellido")),
    ("birth_date", ("fecha de nacimiento", "fecha nacimiento", "nacimiento", "f nac")),
    ("age_range", ("rango de edad", "rango edad", "grupo etario", "grupo de edad", "edad")),
    ("gender_identity", ("identidad de genero", "genero")),
    ("sexual_orientation", ("orientacion sexual", "orientacion")),
    ("sex", ("sexo",)),
    ("ethnicity", ("pertenencia etnica", "autorreconocimiento", "grupo etnico", "etnia",
                   "etnico", "etnica")),
    ("has_disability", ("discapacidad",)),
    ("is_victim", ("victima",)),
    ("is_migrant", ("migrante", "migracion")),
    ("zone", ("zona", "area de residencia", "rural urbano", "urbano rural")),
    ("consent_data", ("tratamiento de datos", "habeas data", "autorizacion de datos",
                      "proteccion de datos", "datos personales", "consentimiento")),
    ("consent_photos", ("uso de imagen", "uso de mi imagen", "fotografia", "fotografias", "fotos",
                        "autorizacion de imagen")),
    ("preferred_theme_id", ("eje tematico de preferencia", "eje de preferencia", "eje tematico",
                            "mesa de preferencia", "tema de interes")),
    ("email", ("correo", "email", "e mail", "mail")),
    ("phone", ("celular", "telefono", "movil", "whatsapp", "tel", "contacto")),
    ("document_number", ("numero de documento", "numero documento", "no documento",
                         "nro documento", "num documento", "numero de identificacion",
                         "numero identificacion", "no identificacion", "documento de identidad",
                         "identificacion", "documento", "cedula", "cc", "c c", "doc")),
    ("department_code", ("departamento", "depto", "dpto", "dpto residencia")),
    ("municipality_code", ("municipio", "ciudad", "mpio")),
    ("line_of_work", ("oficio", "actividad economica", "ocupacion", "actividad", "profesion")),
    ("knows_pit", ("conoce el pit", "conoce pit", "proyecto de impacto territorial")),
    ("took_part_before", ("participo", "ha participado", "participacion previa",
                          "participacion anterior")),
)  # fmt: skip


def _header_target(header: str) -> str | None:
    words = f" {normalize_name(header)} "
    for key, phrases in _HEADER_RULES:
        if any(f" {phrase} " in words for phrase in phrases):
            return key
    return None


def suggest_mapping(headers: Sequence[str]) -> dict[str, str | None]:
    """Guess the form field (or special key) each column holds; None when unsure.

    Spanish variants are recognised whatever their accents or case: "Cédula", "No.
    documento" and "Número de identificación" give ``document_number``. Each field is
    suggested for one column only, the first. "Nombre completo" gives :data:`FULL_NAME`, as
    does a lone "Nombre" column when the list has no surname column; a bare "Género" column
    is taken as the sex when there is no "Sexo" column.
    """
    mapping: dict[str, str | None] = {}
    taken: set[str] = set()
    for header in headers:
        target = _header_target(header)
        if target in taken:
            target = None
        mapping[header] = target
        if target:
            taken.add(target)
    for header, target in mapping.items():
        if target == "first_names" and not taken & {"last_names", FULL_NAME}:
            mapping[header] = FULL_NAME
        # Many lists call the sex column "Género" (F/M); sex is the required field.
        if (
            target == "gender_identity"
            and "sex" not in taken
            and normalize_name(header) == "genero"
        ):
            mapping[header] = "sex"
    return mapping


def mapping_targets() -> list[tuple[str, str]]:
    """Every key a column can be mapped to, with its Spanish label, for the mapping screen."""
    return [(f.key, f.label) for f in FIELDS] + list(SPECIAL_KEYS.items())


# --------------------------------------------------------------------------------------------
# Validating rows
# --------------------------------------------------------------------------------------------

_SURNAME_PARTICLES = frozenset({"de", "del", "la", "las", "los", "san", "y"})


def split_full_name(text: str) -> tuple[str, str]:
    """Split "Nombres Apellidos" into (first names, last names).

    Colombians carry two surnames, so the last two words are surnames; with three words only
    the first is a name ("Juan Pérez Gómez"). Particles stay with the word they introduce
    ("Pedro de la Cruz Gómez" -> "Pedro", "de la Cruz Gómez"). "Apellidos, Nombres" (with a
    comma) is understood too. Names that follow none of this are corrected at the desk.
    """
    if "," in text:
        last, _, first = text.partition(",")
        return " ".join(first.split()), " ".join(last.split())
    groups: list[str] = []
    pending: list[str] = []
    for word in text.split():
        pending.append(word)
        if normalize_name(word) not in _SURNAME_PARTICLES:
            groups.append(" ".join(pending))
            pending = []
    if pending:  # trailing particles: keep them rather than lose them
        groups.append(" ".join(pending))
    if len(groups) <= 1:
        return " ".join(groups), ""
    if len(groups) == 2:
        return groups[0], groups[1]
    if len(groups) == 3:
        return groups[0], " ".join(groups[1:])
    return " ".join(groups[:-2]), " ".join(groups[-2:])


def apply_mapping(
    table: Table,
    mapping: Mapping[str, str | None],
    *,
    theme_ids: Collection[int],
    today: date,
    consent_default: bool,
    extra_questions: Sequence[ExtraQuestion] = (),
    theme_titles: Mapping[int, str] | None = None,
) -> ImportPreview:
    """Validate every row of ``table`` as a registration, with columns read per ``mapping``.

    Places written as names are resolved to DIVIPOLA codes; document types, sexes, ethnicities
    etc. may be written as values, labels or common variants ("Cédula", "F", "Afro"). A row
    with no document type and a numeric document is taken as a cédula (a tarjeta de identidad
    when it has 11 digits). Lists from an agreement carry the consent collected upstream: when
    no column is mapped to ``consent_data`` every row gets ``consent_default``; when one is,
    each row's own answer counts. The preferred theme may be written as its title (as the
    Asistencia report writes it) when ``theme_titles`` (id -> title) is given. The same
    document twice in the file is reported once per repetition and only its first valid row
    is kept.
    """
    columns = [
        (index, mapping[header])
        for index, header in enumerate(table.headers)
        if mapping.get(header)
    ]
    has_consent_column = any(key == "consent_data" for _, key in columns)
    preview = ImportPreview()
    first_row_of: dict[str, int] = {}
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        raw, pre_errors = _raw_registration(cells, columns)
        _resolve_theme(raw, theme_titles or {}, pre_errors)
        if not has_consent_column:
            raw["consent_data"] = consent_default
        clean, errors = validate_registration(
            raw, theme_ids=theme_ids, extra_questions=extra_questions, today=today
        )
        errors.update(pre_errors)  # the importer knows better why a place was not found
        if errors:
            preview.errors.append((number, errors))
            continue
        document = str(clean["document_number"])
        if document in first_row_of:
            preview.duplicates_in_file.append((number, first_row_of[document]))
            continue
        first_row_of[document] = number
        preview.valid.append((number, clean))
    return preview


def _raw_registration(
    cells: list[str], columns: list[tuple[int, str]]
) -> tuple[dict[str, object], dict[str, str]]:
    """One row as the raw form input, with names and places made form-ready."""
    raw: dict[str, str] = {}
    for index, key in columns:
        value = cells[index] if index < len(cells) else ""
        if value and not raw.get(key):  # two columns for one field: the first filled wins
            raw[key] = value
    errors: dict[str, str] = {}

    full_name = raw.pop(FULL_NAME, "")
    if full_name and not raw.get("first_names") and not raw.get("last_names"):
        raw["first_names"], raw["last_names"] = split_full_name(full_name)
        if not raw["last_names"]:
            errors["last_names"] = f"No se encontraron apellidos en «{full_name}»."
    for part_key, whole_key in (
        (SECOND_FIRST_NAME, "first_names"),
        (SECOND_LAST_NAME, "last_names"),
    ):
        part = raw.pop(part_key, "")
        if part:
            raw[whole_key] = f"{raw.get(whole_key, '')} {part}".strip()

    number = normalize_document(raw.get("document_number", ""))
    if not raw.get("document_type") and number.isdigit():
        raw["document_type"] = "TI" if len(number) == 11 else "CC"

    _resolve_place(raw, errors)
    return dict(raw), errors


def _resolve_theme(raw: dict, theme_titles: Mapping[int, str], errors: dict[str, str]) -> None:
    """A preferred theme written as its title becomes the theme's id."""
    value = str(raw.get("preferred_theme_id") or "").strip()
    if not value or value.isdigit() or not theme_titles:
        return
    wanted = normalize_name(value)
    for theme_id, title in theme_titles.items():
        if normalize_name(title) == wanted:
            raw["preferred_theme_id"] = str(theme_id)
            return
    errors["preferred_theme_id"] = f"No se reconoce el eje «{value}» en esta asamblea."


def _resolve_place(raw: dict[str, str], errors: dict[str, str]) -> None:
    department = raw.get("department_code", "")
    if department and not department.isdigit():
        code = divipola.find_department(department)
        if code:
            raw["department_code"] = code
        else:
            errors["department_code"] = f"No se encontró el departamento «{department}»."
            del raw["department_code"]  # the municipality alone may still be found
    municipality = raw.get("municipality_code", "")
    if not municipality or municipality.isdigit():
        return  # codes are checked by the form's own rules
    department_code = raw.get("department_code") or None
    if department_code and department_code.isdigit():
        department_code = department_code.zfill(2)
    candidates = divipola.match_municipalities(municipality, department_code)
    if len(candidates) == 1:
        raw["municipality_code"] = candidates[0]
    elif len(candidates) > 1:
        errors["municipality_code"] = (
            f"Hay varios municipios llamados «{municipality}»: indique el departamento."
        )
    elif department_code and divipola.department_name(department_code):
        name = divipola.department_name(department_code)
        errors["municipality_code"] = f"No se encontró el municipio «{municipality}» en {name}."
    else:
        errors["municipality_code"] = f"No se encontró el municipio «{municipality}»."


# --------------------------------------------------------------------------------------------
# The errors workbook
# --------------------------------------------------------------------------------------------


def _field_label(key: str) -> str:
    if key in FIELDS_BY_KEY:
        return FIELDS_BY_KEY[key].label
    if key.startswith("extra_"):
        return "Pregunta adicional"
    return SPECIAL_KEYS.get(key, key)


def _cell(sheet, value: object, alignment: Alignment | None = None, font: Font | None = None):
    formula_like = isinstance(value, str) and value.startswith("=")
    if not (formula_like or alignment or font):
        return value  # plain values are cheaper than cell objects, and most cells are plain
    cell = WriteOnlyCell(sheet, value=value)
    if formula_like:
        cell.data_type = "s"  # text from the list, never a formula when the file is opened
    if alignment:
        cell.alignment = alignment
    if font:
        cell.font = font
    return cell


def errors_workbook(preview: ImportPreview, table: Table) -> bytes:
    """An .xlsx of the rows that were not imported: row number, original cells, the reasons.

    The operator fixes the rows in this file and imports it again, so the original columns
    come first and in their order; the last column holds the messages.
    """
    cells_of = dict(zip(table.row_numbers, table.rows, strict=True))
    problems: list[tuple[int, str]] = [
        (number, "\n".join(f"{_field_label(key)}: {message}" for key, message in errors.items()))
        for number, errors in preview.errors
    ]
    problems += [
        (number, f"Documento repetido: ya aparece en la fila {first}.")
        for number, first in preview.duplicates_in_file
    ]
    problems.sort()

    blank = [""] * len(table.headers)
    rows = [[number, *cells_of.get(number, blank), message] for number, message in problems]
    header = ["Fila", *table.headers, "Errores"]

    # Write-only: an import of 20,000 bad rows must not hold a full workbook model in memory.
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Errores")
    sheet.freeze_panes = "B2"
    for index, title in enumerate(header[1:-1], start=1):
        # Widths from the first rows are good enough; measuring every row is not free.
        width = max([len(title), *(len(str(row[index])) for row in rows[:200])])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width, 8) + 2, 40)
    sheet.column_dimensions[get_column_letter(len(header))].width = 80

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append([_cell(sheet, title, font=bold) for title in header])
    for row in rows:
        *cells, message = row
        sheet.append([_cell(sheet, value) for value in cells] + [_cell(sheet, message, wrap)])

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()

"""Step 3 of an import: every row checked with the unified form's rules, through the
chosen column mapping. Pure: a :class:`Sheet` and a mapping in, an :class:`ImportPreview`
out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from assembly.core import divipola
from assembly.marks import N_, Problem
from assembly.registration.domain import (
    IDENTITY_FIELDS,
    ExtraQuestion,
    normalize_document,
    normalize_name,
    validate_listed_person,
)
from assembly.registration.domain.validation import left_blank
from assembly.registration.imports.mapping import FULL_NAME, SECOND_FIRST_NAME, SECOND_LAST_NAME
from assembly.registration.imports.parse import Sheet


@dataclass
class ImportPreview:
    """What an import would do, before anything is saved."""

    #: (row number, clean registration) for each row that passes validation
    valid: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    #: (row number, {field key: message}) for each rejected row
    errors: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    #: (row number, row number of the first row with the same document), not imported
    duplicates_in_file: list[tuple[int, int]] = field(default_factory=list)
    #: (row number, {field key: message}): a value dropped, the person kept
    warnings: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    #: (row number, document, name of who holds it): already registered here, skipped
    existing: list[tuple[int, str, str]] = field(default_factory=list)
    #: (row number, earlier row with the same full name or None, attendee id or None): the
    #: same name with another document, imported, worth a comparison
    same_name: list[tuple[int, int | None, int | None]] = field(default_factory=list)
    #: (row number, document, clean registration) of people already registered as
    #: "incompleto": their empty fields are filled from the row (also listed in ``existing``)
    fills: list[tuple[int, str, dict[str, object]]] = field(default_factory=list)


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
    table: Sheet,
    mapping: Mapping[str, str | None],
    *,
    theme_ids: Collection[int],
    today: date,
    consent_default: bool,
    extra_questions: Sequence[ExtraQuestion] = (),
    theme_titles: Mapping[int, str] | None = None,
    value_map: Mapping[str, Mapping[str, str]] | None = None,
    department_code: str | None = None,
    known_documents: Mapping[str, str] | None = None,
    known_names: Mapping[str, tuple[int | None, int | None]] | None = None,
    incomplete: Collection[str] = (),
    tick: Callable[[int, int], None] | None = None,
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
    is kept. ``value_map`` ({field: {raw value: canonical value}}, from the value step) is
    applied to each cell first; "" means "sin dato". A municipality name shared by several
    municipalities is looked for in ``department_code`` (the assembly's) first. Rows are
    validated with :func:`validate_listed_person`: keep the person, flag the field.

    Duplicates come first: a row whose document is in ``known_documents`` (document -> name
    of who holds it in the assembly) is ``existing`` without being validated, and of the rows
    sharing a document only the first valid one is kept, the others reported as repeats. A
    valid row with the full name of an earlier row or of ``known_names`` (name key ->
    (None, attendee id)) under another document is listed in ``same_name``.

    A row of a person already registered whose document is in ``incomplete`` (an
    "incompleto" person) is still ``existing`` (never registered twice), and when it passes
    validation it is listed in ``fills`` too, so that its values complete the empty fields.

    ``tick(rows done, rows)`` is called after every row (a background job reports its
    progress and yields there; see ``core.jobs.paced``).
    """
    columns = [
        (index, mapping[header])
        for index, header in enumerate(table.headers)
        if mapping.get(header)
    ]
    has_consent_column = any(key == "consent_data" for _, key in columns)
    preview = ImportPreview()
    values = value_map or {}
    known = known_documents or {}
    names = dict(known_names or {})
    document_columns = [index for index, key in columns if key == "document_number"]
    # Duplicates first: rows are grouped by their document before any validation, so a
    # repeat is reported as a repeat, never hidden among the errors.
    copies = Counter(_document_of(cells, document_columns) for cells in table.rows)

    def check_row(cells: list[str]) -> tuple[dict, dict[str, str], dict[str, str]]:
        raw, pre_errors = _raw_registration(cells, columns, values, department_code)
        _resolve_theme(raw, theme_titles or {}, pre_errors)
        if not has_consent_column:
            raw["consent_data"] = consent_default
        clean, errors, warnings = validate_listed_person(
            raw, theme_ids=theme_ids, extra_questions=extra_questions, today=today
        )
        for key, message in pre_errors.items():  # the importer knows better why
            if key in IDENTITY_FIELDS:
                errors[key] = message
            else:
                warnings[key] = left_blank(message)
        return clean, errors, warnings

    kept: dict[str, int] = {}  # document -> row number imported
    failed: dict[str, list[tuple[int, dict[str, str]]]] = {}  # document -> rows that failed
    total = len(table.rows)
    for position, (number, cells) in enumerate(
        zip(table.row_numbers, table.rows, strict=True), start=1
    ):
        if tick is not None and position > 1:
            tick(position - 1, total)
        document = _document_of(cells, document_columns)
        if document in known:
            preview.existing.append((number, document, known[document]))
            if document in incomplete and document not in kept:
                clean, errors, _ = check_row(cells)
                if not errors:
                    kept[document] = number  # a repeat later in the file fills nothing
                    preview.fills.append((number, document, clean))
            continue
        if document in kept:
            preview.duplicates_in_file.append((number, kept[document]))
            continue
        clean, errors, warnings = check_row(cells)
        if errors:
            if document and copies[document] > 1:
                failed.setdefault(document, []).append((number, errors))
            else:
                preview.errors.append((number, errors))
            continue
        if document:
            kept[document] = number
        for earlier, _ in failed.pop(document, []):  # a broken copy of a person kept later
            preview.duplicates_in_file.append((earlier, number))
        if warnings:
            preview.warnings.append((number, warnings))
        _same_name(preview, number, clean, names)
        preview.valid.append((number, clean))
    if tick is not None:
        tick(total, total)
    for rows in failed.values():  # no row of the document passed: the first one's errors
        (first, errors), *others = rows
        preview.errors.append((first, errors))
        preview.duplicates_in_file.extend((number, first) for number, _ in others)
    preview.errors.sort()
    preview.duplicates_in_file.sort()
    return preview


def _document_of(cells: list[str], document_columns: list[int]) -> str:
    for index in document_columns:
        value = cells[index] if index < len(cells) else ""
        if value.strip():
            return normalize_document(value).upper()
    return ""


def _same_name(
    preview: ImportPreview, number: int, clean: Mapping[str, object], names: dict
) -> None:
    """The same full name with another document: a warning, with what to compare."""
    key = str(clean.get("name_key") or "")
    if not key:
        return
    other = names.get(key)
    if other is None:
        names[key] = (number, None)
        return
    other_row, attendee_id = other
    preview.same_name.append((number, other_row, attendee_id))


def _raw_registration(
    cells: list[str],
    columns: list[tuple[int, str]],
    values: Mapping[str, Mapping[str, str]] = {},
    department_code: str | None = None,
) -> tuple[dict[str, object], dict[str, str]]:
    """One row as the raw form input, with names and places made form-ready."""
    raw: dict[str, str] = {}
    for index, key in columns:
        value = cells[index] if index < len(cells) else ""
        if key in values:
            value = values[key].get(value.strip(), value)
        if value and not raw.get(key):  # two columns for one field: the first filled wins
            raw[key] = value
    errors: dict[str, str] = {}

    full_name = raw.pop(FULL_NAME, "")
    if full_name and not raw.get("first_names") and not raw.get("last_names"):
        raw["first_names"], raw["last_names"] = split_full_name(full_name)
        if not raw["last_names"]:
            errors["last_names"] = Problem(
                N_("No se encontraron apellidos en «%(name)s»."), name=full_name
            )
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

    _resolve_place(raw, errors, department_code)
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
    errors["preferred_theme_id"] = Problem(
        N_("No se reconoce el eje «%(theme)s» en esta asamblea."), theme=value
    )


def _resolve_place(
    raw: dict[str, str], errors: dict[str, str], home_department: str | None = None
) -> None:
    department = raw.get("department_code", "")
    if department and not department.isdigit():
        code = divipola.find_department(department)
        if code:
            raw["department_code"] = code
        else:
            errors["department_code"] = Problem(
                N_("No se encontró el departamento «%(name)s»."), name=department
            )
            del raw["department_code"]  # the municipality alone may still be found
    municipality = raw.get("municipality_code", "")
    if not municipality or municipality.isdigit():
        return  # codes are checked by the form's own rules
    department_code = raw.get("department_code") or None
    if department_code and department_code.isdigit():
        department_code = department_code.zfill(2)
    candidates = divipola.match_municipalities(municipality, department_code)
    if len(candidates) > 1 and home_department and not department_code:
        # a name shared by several municipalities: the assembly's own department first
        local = [code for code in candidates if code[:2] == home_department]
        candidates = local if len(local) == 1 else candidates
    if len(candidates) == 1:
        raw["municipality_code"] = candidates[0]
    elif len(candidates) > 1:
        errors["municipality_code"] = Problem(
            N_("Hay varios municipios llamados «%(name)s»: indique el departamento."),
            name=municipality,
        )
    elif department_code and divipola.department_name(department_code):
        name = divipola.department_name(department_code)
        errors["municipality_code"] = Problem(
            N_("No se encontró el municipio «%(name)s» en %(department)s."),
            name=municipality,
            department=name,
        )
    else:
        errors["municipality_code"] = Problem(
            N_("No se encontró el municipio «%(name)s»."), name=municipality
        )

"""The Asistencia sheet: every field of the unified form, extra questions, arrival and mesa."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo

from assembly.core import divipola
from assembly.registration import domain as registration

from . import anonymity, venue
from .common import (
    BOOL_KEYS,
    CHOICE_LABELS,
    DEFAULT_ZONE,
    NO_DATA,
    Column,
    pseudonym,
    yes_no,
)

#: form fields left out of the pseudonymised attendance list (identity and contact)
PRIVATE_KEYS = frozenset(
    {
        "document_type",
        "document_number",
        "first_names",
        "last_names",
        "birth_date",
        "phone",
        "email",
        # free text that names a small group (an association of five): never in the shared file
        "organization_name",
        "organization_role",
    }
)
#: the quasi-identifier columns the k-anonymity plan rewrites (anonymity.Quasi's fields)
_QUASI_FIELDS = {
    "age_range": "age",
    "sex": "sex",
    "department_code": "department",
    "municipality_code": "municipality",
    "organization_kind": "organization_kind",
}
_FIELD_KINDS = {"date": "date", "bool": "short", "email": "long", "phone": "text"}
_LONG_KEYS = frozenset({"organization_name", "first_names", "last_names", "preferred_theme_id"})
SOURCE_LABELS = {
    "preregistro": "Preinscripción",
    "mesa": "Mesa de registro",
    "importado": "Lista importada",
}

ATTENDED = "¿Asistió?"
ARRIVED_AT = "Fecha y hora de llegada"


def attendance_columns(extra_labels: Sequence[str], *, private: bool, multi: bool) -> list[Column]:
    """The Asistencia columns: every form field by its Spanish label (the pre-registration
    importer recognises them, so an export can be imported back), extra questions, arrival."""
    columns = [Column("Asamblea", "long")] if multi else []
    if private:
        columns.append(Column("Seudónimo"))
    for f in registration.FIELDS:
        if private and f.key in PRIVATE_KEYS:
            continue
        kind = "long" if f.key in _LONG_KEYS else _FIELD_KINDS.get(f.kind, "text")
        columns.append(Column(f.label, kind))
    columns += [Column(label, "text") for label in extra_labels]
    columns += [
        Column(ATTENDED, "short"),
        Column(ARRIVED_AT, "datetime"),
        Column("Punto de registro"),
        Column("Mesa temática", "long"),
        Column("Sub-mesa", "short"),
        Column("Origen del registro"),
        Column("Fecha de inscripción", "datetime"),
    ]
    return columns


@dataclass
class Context:
    """Names the rows refer to by id: assemblies, themes, mesas, sub-mesas, extra questions."""

    assemblies: dict[int, str] = field(default_factory=dict)
    themes: dict[int, str] = field(default_factory=dict)
    #: group id -> (number, theme title)
    groups: dict[int, tuple[int, str]] = field(default_factory=dict)
    #: table id -> (group number, table number)
    tables: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: the extra-question columns, in order: (label, {question id: kind})
    extra_columns: list[tuple[str, dict[int, str]]] = field(default_factory=list)
    #: assembly id -> the venue's zone (times are shown there; DEFAULT_ZONE when missing)
    zones: dict[int, tzinfo] = field(default_factory=dict)

    def zone(self, assembly_id: object) -> tzinfo:
        return self.zones.get(assembly_id, DEFAULT_ZONE)

    def group_label(self, group_id: int | None) -> str | None:
        if group_id is None or group_id not in self.groups:
            return None
        number, title = self.groups[group_id]
        return f"Mesa {number} — {title}"

    def table_label(self, table_id: int | None) -> str | None:
        if table_id is None or table_id not in self.tables:
            return None
        group_number, number = self.tables[table_id]
        return f"{group_number}.{number}"


def extra_columns_of(questions: Iterable[tuple[int, str, str]]) -> list[tuple[str, dict[int, str]]]:
    """One column per distinct question label (the same question asked in several assemblies
    shares a column in the national file): [(label, {question id: kind})]."""
    columns: dict[str, dict[int, str]] = {}
    for question_id, label, kind in questions:
        columns.setdefault(label.strip(), {})[question_id] = kind
    return list(columns.items())


def _extra_value(answers: Mapping[str, object], ids: dict[int, str]) -> object:
    asked_yes_no = False
    for question_id, kind in ids.items():
        value = answers.get(str(question_id))
        if value is None or value == "":
            # a yes/no question the person was asked and left blank is "Sin dato"; one
            # another assembly asked stays an empty cell
            asked_yes_no = asked_yes_no or (kind == "yesno" and str(question_id) in answers)
            continue
        if kind == "yesno" or isinstance(value, bool):
            return yes_no(value)
        return str(value)
    return NO_DATA if asked_yes_no else None


def place_names(department_code: str | None, municipality_code: str | None) -> tuple[str, str]:
    return (
        divipola.department_name(department_code or "") or (department_code or ""),
        divipola.municipality_name(municipality_code or "") or (municipality_code or ""),
    )


def quasi_of(record: Mapping[str, object], context: Context) -> anonymity.Quasi:
    """The person's quasi-identifiers as the file prints them (labels, mesa, sub-mesa)."""
    department, municipality = place_names(record["department_code"], record["municipality_code"])

    def label(key: str) -> str | None:
        value = record.get(key)
        return CHOICE_LABELS[key].get(value, value) if value is not None else None

    return anonymity.Quasi(
        age=label("age_range"),
        sex=label("sex"),
        department=department or None,
        municipality=municipality or None,
        organization_kind=label("organization_kind"),
        group=context.group_label(record.get("group_id")),
        table=context.table_label(record.get("table_id")),
    )


def attendance_row(
    record: Mapping[str, object],
    context: Context,
    *,
    private: bool,
    multi: bool,
    secret: str,
    printed: anonymity.Quasi | None = None,
) -> list[object]:
    """One person's row, with the same cells as :func:`attendance_columns`: labels instead of
    codes, real dates, "Sí"/"No", times at the assembly's venue. ``printed``: the
    quasi-identifiers the k-anonymity plan chose for this person (pseudonymised file)."""
    row: list[object] = [context.assemblies.get(record["assembly_id"])] if multi else []
    if private:
        row.append(pseudonym(secret, record["document_type"], record["document_number"]))
    department, municipality = place_names(record["department_code"], record["municipality_code"])
    for f in registration.FIELDS:
        key = f.key
        if private and key in PRIVATE_KEYS:
            continue
        value = record.get(key)
        if key == "department_code":
            value = department
        elif key == "municipality_code":
            value = municipality
        elif key == "preferred_theme_id":
            value = context.themes.get(value) if value is not None else None
        elif key in BOOL_KEYS:
            value = NO_DATA if value is None else yes_no(value)  # tri-state: never "No"
        elif key in CHOICE_LABELS and value is not None:
            value = CHOICE_LABELS[key].get(value, value)
        if printed is not None and key in _QUASI_FIELDS:
            value = getattr(printed, _QUASI_FIELDS[key])
        row.append(value)
    answers = record.get("extra_answers") or {}
    row += [_extra_value(answers, ids) for _, ids in context.extra_columns]
    zone = context.zone(record["assembly_id"])
    row += [
        yes_no(record["checked_in_at"] is not None),
        venue.local(record["checked_in_at"], zone),
        record.get("checked_in_desk"),
        printed.group if printed is not None else context.group_label(record.get("group_id")),
        printed.table if printed is not None else context.table_label(record.get("table_id")),
        SOURCE_LABELS.get(record.get("source") or "", record.get("source")),
        venue.local(record.get("created_at"), zone),
    ]
    return row

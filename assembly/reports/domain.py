"""What the supervisors' reports say: columns, Spanish labels, rows and the participation tally.

Pure logic: plain data in (records as mappings, as read from the database), plain data out
(lists of cell values). No Flask, no models, no openpyxl: :mod:`assembly.reports.workbooks`
turns these rows into sheets, :mod:`assembly.reports.services` reads the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from assembly.registration import divipola
from assembly.registration import domain as registration

# --------------------------------------------------------------------------------------------
# The reports
# --------------------------------------------------------------------------------------------

ATTENDANCE, PARTICIPATION, ROSTERS, AGENDA, COMMITMENTS, ALL = (
    "asistencia",
    "participacion",
    "mesas",
    "agenda",
    "compromisos",
    "completo",
)
#: report kind -> (title, what it holds), in the order the reports page lists them
REPORTS: dict[str, tuple[str, str]] = {
    ATTENDANCE: (
        "Asistencia",
        "Formato unificado: todos los campos del registro, preguntas adicionales, llegada y mesa.",
    ),
    PARTICIPATION: (
        "Participación / enfoque diferencial",
        "Inscritas y asistentes por sexo, edad, etnia, discapacidad, víctimas, migrantes, "
        "LGBTIQ+, zona, organización, oficio y municipio, con gráficos.",
    ),
    ROSTERS: (
        "Mesas y sub-mesas",
        "Quién está en cada mesa y sub-mesa: facilitación, líderes y vocerías.",
    ),
    AGENDA: (
        "Agenda consolidada",
        "Por eje: necesidad → solución → plan de trabajo, con el resultado de la aprobación.",
    ),
    COMMITMENTS: (
        "Compromisos",
        "Una fila por compromiso del plan de trabajo (quién, cuándo, estado) para el seguimiento.",
    ),
    ALL: (
        "Informe completo",
        "Todos los informes anteriores en un solo libro, una hoja por informe.",
    ),
}
#: the sheets each report file holds
SHEETS: dict[str, tuple[str, ...]] = {
    ATTENDANCE: (ATTENDANCE,),
    PARTICIPATION: (PARTICIPATION,),
    ROSTERS: (ROSTERS,),
    AGENDA: (AGENDA,),
    COMMITMENTS: (COMMITMENTS,),
    ALL: (ATTENDANCE, PARTICIPATION, ROSTERS, AGENDA, COMMITMENTS),
}
#: sheet titles (Excel allows 31 characters and no "/")
SHEET_TITLES = {
    ATTENDANCE: "Asistencia",
    PARTICIPATION: "Participación",
    ROSTERS: "Mesas y sub-mesas",
    AGENDA: "Agenda consolidada",
    COMMITMENTS: "Compromisos",
}

FULL, PSEUDONYMISED = "completa", "seudonimizada"
VARIANTS = {
    FULL: "Datos completos (documento y contacto)",
    PSEUDONYMISED: "Seudonimizada, para compartir (sin documento ni contacto)",
}

YES, NO, NO_DATA = "Sí", "No", "Sin dato"


def yes_no(value: object) -> str | None:
    if value is None:
        return None
    return YES if value else NO


def slugify(text: str) -> str:
    """A file-system friendly name: "Asamblea PIT Arauca" -> "asamblea-pit-arauca"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "asamblea"


def pseudonym(secret: str, document_type: str, document_number: str) -> str:
    """A stable code for one person: the same document gives the same code in every export
    and every assembly (so people can be counted across regions), and nobody without the
    server's key can go back to the document."""
    message = f"{document_type}:{document_number}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return "P-" + base64.b32encode(digest[:10]).decode()[:12]


# --------------------------------------------------------------------------------------------
# Header blocks
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssemblyInfo:
    """The assembly data every report carries in its header block."""

    id: int
    name: str
    region: str
    venue: str
    date: date
    agreement_line: str
    municipality_code: str | None = None

    @property
    def place(self) -> str:
        municipality = divipola.municipality_name(self.municipality_code or "") or ""
        return ", ".join(part for part in (self.venue, municipality) if part)


def header_lines(
    title: str, assemblies: Sequence[AssemblyInfo], generated_at: datetime, *, variant: str
) -> list[str]:
    """The lines above a report's table: agreement, report, assembly data, when and how."""
    agreements = list(dict.fromkeys(a.agreement_line for a in assemblies if a.agreement_line))
    lines = [" · ".join(agreements)] if agreements else []
    if len(assemblies) == 1:
        only = assemblies[0]
        lines.append(f"{title} — {only.name}")
        details = [only.region, only.place, only.date.strftime("%d/%m/%Y")]
        lines.append(" · ".join(part for part in details if part))
    else:
        lines.append(f"{title} — consolidado de {len(assemblies)} asambleas")
        names = "; ".join(f"{a.name} ({a.date.strftime('%d/%m/%Y')})" for a in assemblies[:12])
        more = f"; y {len(assemblies) - 12} más" if len(assemblies) > 12 else ""
        lines.append(names + more)
    note = (
        " Versión seudonimizada: sin documentos ni datos de contacto."
        if variant == PSEUDONYMISED
        else ""
    )
    lines.append(f"Generado el {generated_at.strftime('%d/%m/%Y %H:%M')}.{note}")
    return lines


# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------

#: what a column holds, for its width and number format
ColumnKind = str  # text, long, short, date, datetime, int


@dataclass(frozen=True)
class Column:
    header: str
    kind: ColumnKind = "text"


_LABELS: dict[str, dict[str, str]] = {
    f.key: dict(f.choices) for f in registration.FIELDS if f.kind == "choice" and f.choices
}
_BOOL_KEYS = frozenset(f.key for f in registration.FIELDS if f.kind == "bool")
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
    }
)
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
    for question_id, kind in ids.items():
        value = answers.get(str(question_id))
        if value is None or value == "":
            continue
        if kind == "yesno" or isinstance(value, bool):
            return yes_no(value)
        return str(value)
    return None


def place_names(department_code: str | None, municipality_code: str | None) -> tuple[str, str]:
    return (
        divipola.department_name(department_code or "") or (department_code or ""),
        divipola.municipality_name(municipality_code or "") or (municipality_code or ""),
    )


def attendance_row(
    record: Mapping[str, object], context: Context, *, private: bool, multi: bool, secret: str
) -> list[object]:
    """One person's row, with the same cells as :func:`attendance_columns`: labels instead of
    codes, real dates, "Sí"/"No"."""
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
        elif key in _BOOL_KEYS:
            value = yes_no(value)
        elif key in _LABELS and value is not None:
            value = _LABELS[key].get(value, value)
        row.append(value)
    answers = record.get("extra_answers") or {}
    row += [_extra_value(answers, ids) for _, ids in context.extra_columns]
    row += [
        yes_no(record["checked_in_at"] is not None),
        record["checked_in_at"],
        record.get("checked_in_desk"),
        context.group_label(record.get("group_id")),
        context.table_label(record.get("table_id")),
        SOURCE_LABELS.get(record.get("source") or "", record.get("source")),
        record.get("created_at"),
    ]
    return row


# --------------------------------------------------------------------------------------------
# Participation (enfoque diferencial)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    """One way of counting people: every person falls in exactly one category."""

    key: str
    title: str
    categorize: Callable[[Mapping[str, object]], str]
    #: the categories always listed (the same table shape for every assembly), in order
    fixed: tuple[str, ...] = ()
    #: list categories by count, largest first (municipalities), instead of in fixed order
    by_count: bool = False


def _choice_dimension(key: str, title: str, *, optional: bool) -> Dimension:
    labels = _LABELS[key]

    def categorize(record: Mapping[str, object]) -> str:
        value = record.get(key)
        return labels.get(value, str(value)) if value else NO_DATA

    fixed = tuple(labels.values()) + ((NO_DATA,) if optional else ())
    return Dimension(key, title, categorize, fixed)


def _yes_no_dimension(key: str, title: str, test: Callable[[Mapping], bool]) -> Dimension:
    return Dimension(key, title, lambda r: YES if test(r) else NO, (YES, NO))


_DISABILITY_LABELS = _LABELS["disability_kind"]
NO_DISABILITY = "Sin discapacidad"
DISABILITY_UNKNOWN_KIND = "Con discapacidad (tipo sin dato)"


def _disability(record: Mapping[str, object]) -> str:
    if not record.get("has_disability"):
        return NO_DISABILITY
    kind = record.get("disability_kind")
    return (
        f"Con discapacidad: {_DISABILITY_LABELS[kind]}"
        if kind in _DISABILITY_LABELS
        else DISABILITY_UNKNOWN_KIND
    )


def _municipality(record: Mapping[str, object]) -> str:
    department, municipality = place_names(
        record.get("department_code"), record.get("municipality_code")
    )
    if not municipality:
        return NO_DATA
    return f"{municipality} ({department})" if department else municipality


DIMENSIONS: tuple[Dimension, ...] = (
    _choice_dimension("sex", "Sexo", optional=False),
    _choice_dimension("gender_identity", "Identidad de género", optional=True),
    _choice_dimension("age_range", "Rango de edad", optional=True),
    _choice_dimension("ethnicity", "Autorreconocimiento étnico", optional=False),
    Dimension(
        "disability",
        "Discapacidad",
        _disability,
        (NO_DISABILITY, *(f"Con discapacidad: {label}" for label in _DISABILITY_LABELS.values()),
         DISABILITY_UNKNOWN_KIND),
    ),
    _yes_no_dimension("is_victim", "Víctimas del conflicto armado", lambda r: bool(r.get("is_victim"))),
    _yes_no_dimension("is_migrant", "Población migrante", lambda r: bool(r.get("is_migrant"))),
    _yes_no_dimension("lgbtiq", "Población LGBTIQ+", registration.is_lgbtiq),
    _choice_dimension("zone", "Zona de residencia (rural / urbana)", optional=True),
    _choice_dimension("organization_kind", "Tipo de organización", optional=True),
    _choice_dimension("line_of_work", "Oficio o actividad económica", optional=True),
    Dimension("municipality", "Municipio de residencia", _municipality, by_count=True),
)  # fmt: skip

_ETHNIC_GROUPS = frozenset({"indigena", "negro_afrocolombiano", "raizal", "palenquero", "rrom"})

#: the populations the programmes exist to reach: (label, test)
KEY_POPULATIONS: tuple[tuple[str, Callable[[Mapping[str, object]], bool]], ...] = (
    ("Mujeres", lambda r: r.get("sex") == "mujer"),
    ("Jóvenes (14 a 28 años)", lambda r: r.get("age_range") in registration.YOUTH_AGE_RANGES),
    ("Personas mayores (60 años o más)", lambda r: r.get("age_range") in registration.OLDER_ADULT_AGE_RANGES),
    ("Pertenencia étnica", lambda r: r.get("ethnicity") in _ETHNIC_GROUPS),
    ("Personas con discapacidad", lambda r: bool(r.get("has_disability"))),
    ("Víctimas del conflicto armado", lambda r: bool(r.get("is_victim"))),
    ("Población migrante", lambda r: bool(r.get("is_migrant"))),
    ("Población LGBTIQ+", registration.is_lgbtiq),
    ("Zona rural", lambda r: r.get("zone") == "rural"),
)  # fmt: skip


@dataclass
class Counts:
    registered: int = 0
    attended: int = 0


class Tally:
    """Counts people as the attendance rows stream past, registered and attended apart."""

    def __init__(self) -> None:
        self.total = Counts()
        self.dimensions: dict[str, tuple[Counter, Counter]] = {
            d.key: (Counter(), Counter()) for d in DIMENSIONS
        }
        self.populations: tuple[Counter, Counter] = (Counter(), Counter())

    def add(self, record: Mapping[str, object]) -> None:
        attended = record.get("checked_in_at") is not None
        self.total.registered += 1
        self.total.attended += attended
        for dimension in DIMENSIONS:
            category = dimension.categorize(record)
            registered, present = self.dimensions[dimension.key]
            registered[category] += 1
            if attended:
                present[category] += 1
        for label, test in KEY_POPULATIONS:
            if test(record):
                self.populations[0][label] += 1
                if attended:
                    self.populations[1][label] += 1

    def rows(self, dimension: Dimension) -> list[tuple[str, int, int]]:
        """(category, registered, attended) for one dimension; every person counted once."""
        registered, attended = self.dimensions[dimension.key]
        if dimension.by_count:
            categories = sorted(registered, key=lambda c: (-registered[c], c))
        else:
            extra = sorted(c for c in registered if c not in dimension.fixed)
            categories = [*dimension.fixed, *extra]
        return [(c, registered[c], attended[c]) for c in categories]

    def population_rows(self) -> list[tuple[str, int, int]]:
        registered, attended = self.populations
        return [(label, registered[label], attended[label]) for label, _ in KEY_POPULATIONS]


# --------------------------------------------------------------------------------------------
# Mesas y sub-mesas
# --------------------------------------------------------------------------------------------

ROSTER_COLUMNS = (
    Column("Mesa", "short"),
    Column("Eje temático", "long"),
    Column("Facilitador(a) de la mesa", "long"),
    Column("Vocero(a) de la mesa", "long"),
    Column("Sub-mesa", "short"),
    Column("Líder de la sub-mesa", "long"),
    Column("Vocero(a) de la sub-mesa", "long"),
    Column("Rol", "text"),
    Column("Persona", "long"),
    Column(ATTENDED, "short"),
)

LEADER, TABLE_SPOKESPERSON, GROUP_SPOKESPERSON = (
    "Líder",
    "Vocero(a) de sub-mesa",
    "Vocero(a) de la mesa",
)

_ROLE_ORDER = (LEADER, GROUP_SPOKESPERSON, TABLE_SPOKESPERSON)


@dataclass(frozen=True)
class GroupInfo:
    id: int
    assembly_id: int
    number: int
    theme: str
    facilitator: str | None
    spokesperson_id: int | None


@dataclass(frozen=True)
class TableInfo:
    id: int
    group_id: int
    number: int
    leader_id: int | None
    spokesperson_id: int | None


def roster_rows(
    groups: Sequence[GroupInfo],
    tables: Sequence[TableInfo],
    people: Sequence[Mapping[str, object]],
    *,
    person_label: Callable[[Mapping[str, object]], str],
    assembly_names: Mapping[int, str] | None = None,
) -> list[list[object]]:
    """One row per person seated in a mesa, sorted by mesa, sub-mesa and role (leader and
    spokespersons first); ``person_label`` gives a name or a pseudonym. ``people`` are
    mappings with id, group_id, table_id, checked_in_at and what person_label reads."""
    by_id = {p["id"]: p for p in people}
    tables_by_id = {t.id: t for t in tables}

    def label(person_id: int | None) -> str | None:
        return person_label(by_id[person_id]) if person_id in by_id else None

    group_by_id = {g.id: g for g in groups}
    rows = []
    for person in people:
        group = group_by_id.get(person.get("group_id"))
        if group is None:
            continue
        table = tables_by_id.get(person.get("table_id"))
        roles = []
        if table and table.leader_id == person["id"]:
            roles.append(LEADER)
        if table and table.spokesperson_id == person["id"]:
            roles.append(TABLE_SPOKESPERSON)
        if group.spokesperson_id == person["id"]:
            roles.append(GROUP_SPOKESPERSON)
        row = [
            group.number,
            group.theme,
            group.facilitator,
            label(group.spokesperson_id),
            f"{group.number}.{table.number}" if table else None,
            label(table.leader_id) if table else None,
            label(table.spokesperson_id) if table else None,
            " · ".join(roles) or "Participante",
            person_label(person),
            yes_no(person.get("checked_in_at") is not None),
        ]
        rank = min((_ROLE_ORDER.index(role) for role in roles), default=len(_ROLE_ORDER))
        order = (group.assembly_id, group.number, table.number if table else 0, rank, row[8])
        if assembly_names is not None:
            row.insert(0, assembly_names.get(group.assembly_id))
        rows.append((order, row))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


# --------------------------------------------------------------------------------------------
# Agenda consolidada and Compromisos
# --------------------------------------------------------------------------------------------

STATUS_LABELS = {"pendiente": "Pendiente", "en_curso": "En curso", "cumplido": "Cumplido"}
METHOD_LABELS = {"manos": "A mano alzada", "telefono": "Votación por teléfono"}
_QUARTER = re.compile(r"^(\d{4})-T([1-4])$")
_QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
_ORDINALS = {1: "1.er", 2: "2.º", 3: "3.er", 4: "4.º"}


def due_parts(due: str | None) -> tuple[str | None, date | None]:
    """(label, deadline) of a plan's "when": "2025-T2" -> ("2.º trimestre de 2025",
    30/06/2025); an ISO date -> ("14/03/2026", that date); anything else is kept as text."""
    if not due:
        return None, None
    match = _QUARTER.match(due)
    if match:
        year, quarter = int(match.group(1)), int(match.group(2))
        month, day = _QUARTER_ENDS[quarter]
        return f"{_ORDINALS[quarter]} trimestre de {year}", date(year, month, day)
    try:
        deadline = date.fromisoformat(due)
    except ValueError:
        return due, None
    return deadline.strftime("%d/%m/%Y"), deadline


def approval_parts(result: Mapping[str, object] | None) -> list[object]:
    """[decision, method, for, against, abstain] of one mesa's approval (blank when none)."""
    if not result:
        return [None, None, None, None, None]
    approved = result.get("approved")
    if approved is True:
        decision = "Aprobada"
    elif approved is False:
        decision = "No aprobada"
    else:
        decision = "Votación abierta"
    return [
        decision,
        METHOD_LABELS.get(str(result.get("method")), result.get("method")),
        result.get("for"),
        result.get("against"),
        result.get("abstain"),
    ]


APPROVAL_COLUMNS = (
    Column("Aprobación en plenaria"),
    Column("Método de aprobación"),
    Column("Votos a favor", "int"),
    Column("Votos en contra", "int"),
    Column("Abstenciones", "int"),
)
AGENDA_COLUMNS = (
    Column("Mesa", "short"),
    Column("Eje temático", "long"),
    Column("Sub-mesa", "short"),
    Column("Necesidad", "wide"),
    Column("Solución", "wide"),
    Column("Plan de trabajo: qué se hará", "wide"),
    Column("Quién", "long"),
    Column("Cuándo"),
    *APPROVAL_COLUMNS,
)
COMMITMENT_COLUMNS = (
    Column("Código", "short"),
    Column("Mesa", "short"),
    Column("Eje temático", "long"),
    Column("Sub-mesa", "short"),
    Column("Necesidad", "wide"),
    Column("Solución", "wide"),
    Column("Compromiso (qué se hará)", "wide"),
    Column("Responsables (quién)", "long"),
    Column("Plazo", "text"),
    Column("Fecha límite", "date"),
    Column("Estado", "text"),
    Column("Última actualización", "datetime"),
    Column("Observaciones de seguimiento", "wide"),
    Column("Fecha de seguimiento", "date"),
)
#: the Estado column offers these in a drop-down list
STATUS_CHOICES = tuple(STATUS_LABELS.values())


@dataclass(frozen=True)
class PieceInfo:
    """A piece with where it was written: what the agenda and commitments need."""

    id: str
    kind: str
    parent_id: str | None
    text: str
    who: str | None
    due: str | None
    status: str
    hidden: bool
    assembly_id: int
    group_id: int
    group_number: int
    theme: str
    table_number: int
    updated_at: datetime | None = None


def _sort_key(piece: PieceInfo) -> tuple:
    return (piece.assembly_id, piece.group_number, piece.table_number)


def agenda_rows(
    pieces: Sequence[PieceInfo],
    approvals: Mapping[int, Mapping[str, object]],
    *,
    assembly_names: Mapping[int, str] | None = None,
) -> list[list[object]]:
    """One row per need → solution → plan chain, mesa by mesa, as the plenary saw it: hidden
    pieces (duplicates merged by the facilitator) and what hangs from them are left out; a
    need without a solution, or a solution without a plan, still gets its row. ``pieces``
    come in writing order; ``approvals`` is board.services.approval_results()."""
    visible = [p for p in pieces if not p.hidden]
    children: dict[str, list[PieceInfo]] = {}
    for piece in visible:
        if piece.parent_id:
            children.setdefault(piece.parent_id, []).append(piece)
    needs = sorted((p for p in visible if p.kind == "need"), key=_sort_key)
    rows = []
    for need in needs:
        solutions = [c for c in children.get(need.id, []) if c.kind == "solution"] or [None]
        for solution in solutions:
            plans = (
                [c for c in children.get(solution.id, []) if c.kind == "plan"] if solution else []
            )
            for plan in plans or [None]:
                when, _ = due_parts(plan.due if plan else None)
                row = [
                    need.group_number,
                    need.theme,
                    f"{need.group_number}.{need.table_number}",
                    need.text,
                    solution.text if solution else None,
                    plan.text if plan else None,
                    plan.who if plan else None,
                    when,
                    *approval_parts(approvals.get(need.group_id)),
                ]
                if assembly_names is not None:
                    row.insert(0, assembly_names.get(need.assembly_id))
                rows.append(row)
    return rows


def commitment_rows(
    pieces: Sequence[PieceInfo], *, assembly_names: Mapping[int, str] | None = None
) -> list[list[object]]:
    """One row per visible work-plan piece, with its solution and need, ready to follow up:
    a short code, a real deadline date, the status and blank follow-up columns."""
    by_id = {p.id: p for p in pieces}
    rows = []
    for plan in sorted((p for p in pieces if p.kind == "plan" and not p.hidden), key=_sort_key):
        solution = by_id.get(plan.parent_id or "")
        need = by_id.get(solution.parent_id or "") if solution else None
        when, deadline = due_parts(plan.due)
        row = [
            plan.id[:8].upper(),
            plan.group_number,
            plan.theme,
            f"{plan.group_number}.{plan.table_number}",
            need.text if need else None,
            solution.text if solution else None,
            plan.text,
            plan.who,
            when,
            deadline,
            STATUS_LABELS.get(plan.status, plan.status),
            plan.updated_at,
            None,
            None,
        ]
        if assembly_names is not None:
            row.insert(0, assembly_names.get(plan.assembly_id))
        rows.append(row)
    return rows


def export_filename(kind: str, variant: str, when: datetime) -> str:
    """ "asistencia-seudonimizada-20260314-170502.xlsx"."""
    suffix = f"-{variant}" if kind in (ATTENDANCE, ROSTERS, ALL) else ""
    return f"{kind}{suffix}-{when.strftime('%Y%m%d-%H%M%S')}.xlsx"

"""Reading the database into the report sheets: what they refer to is read once, and the
attendees are streamed in batches (memory stays flat whatever the size of the assembly)."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import select

from assembly.assemblies.models import ExtraQuestion, Theme
from assembly.auth.models import User
from assembly.board import services as board
from assembly.extensions import db
from assembly.grouping.models import Group, Table
from assembly.helpers import venue_zone
from assembly.puzzle.models import Piece
from assembly.registration.models import Attendee
from assembly.reports import domain, follow_reading, satisfaction_reading, workbooks

#: rows between two cooperative yields (under gevent, other requests run meanwhile)
YIELD_EVERY = 500
STREAM_BATCH = 1000


def cooperate() -> None:
    """Under gevent (monkey-patched) this lets the worker's other greenlets run: a long export
    must not freeze the live room's sockets. Elsewhere it costs nothing."""
    time.sleep(0)


def _span(columns: Sequence[domain.Column], first: str, last: str) -> tuple[int, int] | None:
    """The 0-based first and last index of the columns headed ``first`` .. ``last``."""
    headers = [c.header for c in columns]
    if first not in headers or last not in headers:
        return None
    return headers.index(first), headers.index(last)


class ReportBuilder:
    """Reads what the sheets need once, and streams the attendees into them."""

    def __init__(
        self, assemblies, *, variant: str, secret: str, now: datetime, cooperate, k: int = 5
    ):
        self.assemblies = assemblies
        self.ids = [a.id for a in assemblies]
        self.multi = len(assemblies) > 1
        self.private = variant != domain.FULL
        self.variant = variant
        self.secret = secret
        #: the pseudonymised file is k-anonymous over its quasi-identifiers (anonymity.py)
        self.k = k
        self.now = now
        self.cooperate = cooperate
        self.zones = {a.id: venue_zone(a) for a in assemblies}
        self.infos = [
            domain.AssemblyInfo(
                a.id,
                a.name,
                a.region,
                a.venue,
                a.date,
                a.agreement_line,
                a.municipality_code,
                self.zones[a.id],
            )
            for a in assemblies
        ]
        self.names = {a.id: a.name for a in assemblies}
        self.tally = domain.Tally()
        self.per_assembly = {a.id: domain.Tally() for a in assemblies}
        self.roster_people: list[dict] = []
        self._context: domain.Context | None = None

    def lines(self, kind: str, title: str | None = None) -> list[str]:
        variant = self.variant if kind in (domain.ATTENDANCE, domain.ROSTERS) else ""
        title = title or domain.REPORTS[kind][0]
        return domain.header_lines(title, self.infos, self.now, variant=variant)

    # -- what every sheet refers to -----------------------------------------------------------

    @property
    def context(self) -> domain.Context:
        if self._context is None:
            context = domain.Context(assemblies=self.names, zones=self.zones)
            context.themes = dict(
                db.session.execute(
                    select(Theme.id, Theme.title).where(Theme.assembly_id.in_(self.ids))
                ).all()
            )
            for group in self.groups():
                context.groups[group.id] = (group.number, group.theme)
            for table in self.tables():
                group_number = context.groups.get(table.group_id, (0, ""))[0]
                context.tables[table.id] = (group_number, table.number)
            questions = db.session.execute(
                select(ExtraQuestion.id, ExtraQuestion.label, ExtraQuestion.kind)
                .where(ExtraQuestion.assembly_id.in_(self.ids))
                .order_by(ExtraQuestion.assembly_id, ExtraQuestion.position)
            ).all()
            context.extra_columns = domain.extra_columns_of(questions)
            self._context = context
        return self._context

    def groups(self) -> list[domain.GroupInfo]:
        if not hasattr(self, "_groups"):
            rows = db.session.execute(
                select(
                    Group.id,
                    Group.assembly_id,
                    Group.number,
                    Theme.title,
                    User.display_name,
                    Group.spokesperson_id,
                )
                .join(Theme, Theme.id == Group.theme_id)
                .outerjoin(User, User.id == Group.facilitator_id)
                .where(Group.assembly_id.in_(self.ids))
                .order_by(Group.assembly_id, Group.number)
            ).all()
            self._groups = [domain.GroupInfo(*row) for row in rows]
        return self._groups

    def tables(self) -> list[domain.TableInfo]:
        if not hasattr(self, "_tables"):
            rows = db.session.execute(
                select(
                    Table.id, Table.group_id, Table.number, Table.leader_id, Table.spokesperson_id
                )
                .join(Group, Group.id == Table.group_id)
                .where(Group.assembly_id.in_(self.ids))
            ).all()
            self._tables = [domain.TableInfo(*row) for row in rows]
        return self._tables

    def attendees(self, *, track: bool) -> Iterator[dict]:
        """Every attendee of the assemblies as a plain dict, streamed in batches; with
        ``track`` they are also counted for Participación and kept (lightly) for the rosters."""
        columns = Attendee.__table__.columns
        # Ids first, then the rows in batches: memory stays flat without a server-side cursor
        # (psycopg's named cursors outlive an export that stops half way and fail on cleanup).
        order = db.session.scalars(
            select(Attendee.id)
            .where(Attendee.assembly_id.in_(self.ids))
            .order_by(Attendee.assembly_id, Attendee.last_names, Attendee.first_names, Attendee.id)
        ).all()
        count = 0
        for start in range(0, len(order), STREAM_BATCH):
            batch = order[start : start + STREAM_BATCH]
            rows = {
                row["id"]: row
                for row in db.session.execute(
                    select(*columns).where(Attendee.id.in_(batch))
                ).mappings()
            }
            for attendee_id in batch:
                record = dict(rows[attendee_id])
                if track:
                    self._track(record)
                count += 1
                if count % YIELD_EVERY == 0:
                    self.cooperate()
                yield record

    def _track(self, record: dict) -> None:
        """Count one attendee for Participación and keep what the rosters need."""
        self.tally.add(record)
        if self.multi:
            self.per_assembly[record["assembly_id"]].add(record)
        if record["group_id"] is not None:
            self.roster_people.append(
                {
                    "id": record["id"],
                    "group_id": record["group_id"],
                    "table_id": record["table_id"],
                    "checked_in_at": record["checked_in_at"],
                    "label": self.person_label(record),
                }
            )

    def anonymity_plan(self, context) -> dict:
        """Every attendee's printed quasi-identifiers, k-anonymous over the whole file (a
        first, light pass: only the columns the plan reads)."""
        keys = ("id", "age_range", "sex", "department_code", "municipality_code")
        keys += ("organization_kind", "group_id", "table_id")
        columns = [Attendee.__table__.c[key] for key in keys]
        people = {
            row["id"]: domain.quasi_of(row, context)
            for row in db.session.execute(
                select(*columns).where(Attendee.assembly_id.in_(self.ids))
            ).mappings()
        }
        return domain.anonymity.plan(people, self.k)

    def person_label(self, record) -> str:
        if self.private:
            # not the Asistencia sheet's pseudonym: joining the two sheets by it would put the
            # sub-mesa back beside the person's generalised row
            return domain.pseudonym(
                self.secret + ":mesas", record["document_type"], record["document_number"]
            )
        return f"{record['first_names']} {record['last_names']}"

    def pieces(self) -> list[domain.PieceInfo]:
        if not hasattr(self, "_pieces"):
            rows = db.session.execute(
                select(
                    Piece.id,
                    Piece.kind,
                    Piece.parent_id,
                    Piece.text,
                    Piece.who,
                    Piece.due,
                    Piece.status,
                    Piece.hidden,
                    Group.assembly_id,
                    Group.id,
                    Group.number,
                    Theme.title,
                    Table.number,
                    Piece.updated_at,
                )
                .join(Table, Table.id == Piece.table_id)
                .join(Group, Group.id == Table.group_id)
                .join(Theme, Theme.id == Group.theme_id)
                .where(Group.assembly_id.in_(self.ids))
                .order_by(Piece.created_at, Piece.id)
            ).all()
            self._pieces = [domain.PieceInfo(*row) for row in rows]
        return self._pieces

    def updates(self) -> list[domain.UpdateInfo]:
        if not hasattr(self, "_updates"):
            self._updates = follow_reading.updates(self.ids)
        return self._updates

    def follow(self) -> dict[str, domain.FollowInfo]:
        return follow_reading.follow(self.ids, self.updates())

    def approvals(self) -> dict[int, dict]:
        merged: dict[int, dict] = {}
        for assembly_id in self.ids:
            merged.update(board.approval_results(assembly_id))
        return merged

    # -- the sheets ------------------------------------------------------------------------------

    def build(self, workbook, sheets: Sequence[str]) -> int:
        """Write ``sheets`` in order; returns the data rows of the first one."""
        counts = []
        tracked = False
        for sheet in sheets:
            if sheet == domain.ATTENDANCE:
                counts.append(self.attendance(workbook, track=True))
                tracked = True
            elif sheet == domain.PARTICIPATION:
                if not tracked:
                    for _ in self.attendees(track=True):
                        pass
                    tracked = True
                self.participation(workbook)
                counts.append(self.tally.total.registered)
            elif sheet == domain.ROSTERS:
                if not tracked:
                    for _ in self.attendees(track=True):
                        pass
                    tracked = True
                counts.append(self.rosters(workbook))
            elif sheet == domain.AGENDA:
                counts.append(self.agenda(workbook))
            elif sheet == domain.COMMITMENTS:
                counts.append(self.commitments(workbook))
            elif sheet == domain.FOLLOWUP:
                counts.append(self.followup_history(workbook))
            elif sheet == domain.SATISFACTION:
                counts.append(satisfaction_reading.write(self, workbook))
        return counts[0] if counts else 0

    def marks(self) -> workbooks.Marks:
        """The page header (agreement line) and footer (assembly) of every printed page."""
        agreements = dict.fromkeys(a.agreement_line for a in self.infos if a.agreement_line)
        if self.multi:
            footer = f"Consolidado de {len(self.infos)} asambleas"
        else:
            only = self.infos[0]
            footer = f"{only.name} · {only.date.strftime('%d/%m/%Y')}"
        return workbooks.Marks(" · ".join(agreements), footer)

    def attendance(self, workbook, *, track: bool) -> int:
        """The full data sheet and, for the full variant, the printable planilla beside it,
        both written as the attendees stream past once."""
        context = self.context
        columns = domain.attendance_columns(
            [label for label, _ in context.extra_columns], private=self.private, multi=self.multi
        )
        sheet_title = domain.SHEET_TITLES[domain.ATTENDANCE]
        lines = self.lines(domain.ATTENDANCE)
        data = workbook.sheet(sheet_title)  # first: it is the sheet that imports back
        planilla = None
        if not self.private:
            planilla = workbooks.SignInSheet(
                workbook, domain.SIGN_IN_TITLE, self.lines(domain.ATTENDANCE, domain.SIGN_IN_TITLE)
            )
        dates = {a.id: a.date.strftime("%d/%m/%Y") for a in self.infos}

        printed = self.anonymity_plan(context) if self.private else {}

        def rows():
            for record in self.attendees(track=track):
                if planilla is not None:
                    if self.multi:
                        assembly_id = record["assembly_id"]
                        planilla.section(
                            assembly_id, f"{self.names[assembly_id]} — {dates[assembly_id]}"
                        )
                    planilla.person(domain.sign_in_row(0, record, context))
                yield domain.attendance_row(
                    record,
                    context,
                    private=self.private,
                    multi=self.multi,
                    secret=self.secret,
                    printed=printed.get(record["id"]),
                )

        count = workbooks.write_table(
            workbook,
            sheet_title,
            lines,
            columns,
            rows(),
            sheet=data,
            marks=self.marks(),
            identity=_span(columns, "Seudónimo" if self.private else "Número de documento",
                           "Seudónimo" if self.private else "Apellidos"),
        )  # fmt: skip
        if planilla is not None:
            planilla.finish(self.marks())
        return count

    def participation(self, workbook) -> None:
        per_assembly = (
            [(a.name, a.date, self.per_assembly[a.id]) for a in self.assemblies]
            if self.multi
            else ()
        )
        workbooks.write_participation(
            workbook,
            domain.SHEET_TITLES[domain.PARTICIPATION],
            self.lines(domain.PARTICIPATION),
            self.tally,
            per_assembly=per_assembly,
            marks=self.marks(),
        )

    def _assembly_column(self, columns):
        return (domain.Column("Asamblea", "long"), *columns) if self.multi else tuple(columns)

    def rosters(self, workbook) -> int:
        rows = domain.roster_rows(
            self.groups(),
            self.tables(),
            self.roster_people,
            person_label=lambda person: person["label"],
            assembly_names=self.names if self.multi else None,
        )
        columns = list(self._assembly_column(domain.ROSTER_COLUMNS))
        if self.private:
            columns = [
                domain.Column("Persona (seudónimo)", c.kind) if c.header == "Persona" else c
                for c in columns
            ]
        return workbooks.write_table(
            workbook,
            domain.SHEET_TITLES[domain.ROSTERS],
            self.lines(domain.ROSTERS),
            columns,
            rows,
            marks=self.marks(),
            identity=_span(columns, "Mesa", "Mesa"),
        )

    def agenda(self, workbook) -> int:
        rows = domain.agenda_rows(
            self.pieces(), self.approvals(), assembly_names=self.names if self.multi else None
        )
        columns = self._assembly_column(domain.AGENDA_COLUMNS)
        return workbooks.write_table(
            workbook,
            domain.SHEET_TITLES[domain.AGENDA],
            self.lines(domain.AGENDA),
            columns,
            rows,
            marks=self.marks(),
            identity=_span(columns, "Mesa", "Sub-mesa"),
        )

    def commitments(self, workbook) -> int:
        columns = self._assembly_column(domain.COMMITMENT_COLUMNS)
        rows = domain.commitment_rows(
            self.pieces(),
            assembly_names=self.names if self.multi else None,
            zones=self.zones,
            follow=self.follow(),
        )
        status_column = next(i for i, c in enumerate(columns) if c.header == "Estado")
        self.cooperate()
        return workbooks.write_table(
            workbook,
            domain.SHEET_TITLES[domain.COMMITMENTS],
            self.lines(domain.COMMITMENTS),
            columns,
            rows,
            choices={status_column: domain.STATUS_CHOICES},
            marks=self.marks(),
            identity=_span(columns, "Código", "Código"),
        )

    def followup_history(self, workbook) -> int:
        columns = self._assembly_column(domain.FOLLOWUP_COLUMNS)
        rows = domain.followup_rows(
            self.updates(), assembly_names=self.names if self.multi else None, zones=self.zones
        )
        return workbooks.write_table(
            workbook,
            domain.SHEET_TITLES[domain.FOLLOWUP],
            self.lines(domain.FOLLOWUP),
            columns,
            rows,
            marks=self.marks(),
            identity=_span(columns, "Código", "Código"),
        )

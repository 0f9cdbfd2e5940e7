"""Reading the database for the report sheets: what they refer to is read once, and the
attendees are streamed in batches (memory stays flat whatever the size of the assembly).
:class:`~assembly.reports.builder.ReportBuilder` writes the sheets from it."""

from __future__ import annotations

import time
from collections.abc import Iterator
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
from assembly.reports import domain, follow_reading

#: rows between two cooperative yields (under gevent, other requests run meanwhile)
YIELD_EVERY = 500
STREAM_BATCH = 1000


def cooperate() -> None:
    """Under gevent (monkey-patched) this lets the worker's other greenlets run: a long export
    must not freeze the live room's sockets. Elsewhere it costs nothing."""
    time.sleep(0)


class ReportReading:
    """Reads what the sheets need once, and streams the attendees."""

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

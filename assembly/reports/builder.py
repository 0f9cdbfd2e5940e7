"""Writing the report sheets: each sheet from what :class:`~assembly.reports.reading.
ReportReading` read (the attendees stream past once, into the data sheet and the planilla)."""

from __future__ import annotations

from collections.abc import Sequence

from assembly.reports import comparison_reading, domain, satisfaction_reading, workbooks
from assembly.reports.reading import ReportReading


def _span(columns: Sequence[domain.Column], first: str, last: str) -> tuple[int, int] | None:
    """The 0-based first and last index of the columns headed ``first`` .. ``last``."""
    headers = [c.header for c in columns]
    if first not in headers or last not in headers:
        return None
    return headers.index(first), headers.index(last)


class ReportBuilder(ReportReading):
    """Reads what the sheets need once, and streams the attendees into them."""

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
            elif sheet == domain.COMPARISON and self.multi:  # a report of several only
                counts.append(comparison_reading.write(self, workbook))
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

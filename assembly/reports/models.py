from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assembly.extensions import db


class ExportLog(db.Model):
    """One report exported: who, what, which assemblies, when and the file it wrote.

    Kept when the account is deleted (``username`` stays), because the log is the record of
    who took personal data out of the system (Ley 1581 de 2012)."""

    __tablename__ = "export_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    #: the account's login name when it exported
    username: Mapped[str] = mapped_column(String(60), nullable=False)
    #: one of reports.domain.REPORTS
    report: Mapped[str] = mapped_column(String(20), nullable=False)
    #: completa or seudonimizada for reports with personal data; "" for the others
    variant: Mapped[str] = mapped_column(String(15), nullable=False, default="")
    #: the ids of the assemblies the file covers
    assembly_ids: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    #: the file, relative to EXPORTS_DIR ("3-asamblea-pit-arauca/asistencia-...xlsx")
    path: Mapped[str] = mapped_column(String(300), nullable=False)
    #: data rows in the file's main sheet
    rows: Mapped[int] = mapped_column(nullable=False, default=0)
    #: how long the export took, in milliseconds
    duration_ms: Mapped[int] = mapped_column(nullable=False, default=0)
    #: naive UTC, as every stored time (the file name and the log show it at the venue);
    #: exports logged before the reports moved to venue time hold the server's local time
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)

    user = relationship("User")

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def __repr__(self) -> str:
        return f"<ExportLog {self.id} {self.report} by {self.username}>"

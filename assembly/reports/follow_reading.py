"""Reading the follow-up (commitments and their reports) for the workbooks."""

from __future__ import annotations

from sqlalchemy import select

from assembly.extensions import db
from assembly.followup.models import Commitment, CommitmentUpdate
from assembly.grouping.models import Group
from assembly.reports import domain


def updates(assembly_ids: list[int]) -> list[domain.UpdateInfo]:
    """Every progress report of the assemblies' followed commitments, oldest first."""
    rows = db.session.execute(
        select(
            Commitment.piece_id,
            Commitment.id,
            Commitment.assembly_id,
            Group.number,
            Commitment.what,
            Commitment.who,
            CommitmentUpdate.created_at,
            CommitmentUpdate.source,
            CommitmentUpdate.status,
            CommitmentUpdate.progress,
            CommitmentUpdate.note,
            CommitmentUpdate.review,
            CommitmentUpdate.photo.is_not(None),
        )
        .join(Commitment, Commitment.id == CommitmentUpdate.commitment_id)
        .join(Group, Group.id == Commitment.group_id)
        .where(Commitment.assembly_id.in_(assembly_ids), Commitment.annulled.is_(False))
        .order_by(CommitmentUpdate.id)
    ).all()
    return [domain.UpdateInfo(*row) for row in rows]


def follow(
    assembly_ids: list[int], reports: list[domain.UpdateInfo]
) -> dict[str, domain.FollowInfo]:
    """plan piece id -> its commitment's status, progress and last report."""
    last: dict[int, domain.UpdateInfo] = {}
    for report in reports:
        last[report.commitment_id] = report
    rows = db.session.execute(
        select(
            Commitment.id,
            Commitment.piece_id,
            Commitment.status,
            Commitment.progress,
            Commitment.updated_at,
        ).where(
            Commitment.assembly_id.in_(assembly_ids),
            Commitment.annulled.is_(False),
            Commitment.piece_id.is_not(None),
        )
    ).all()
    result = {}
    for commitment_id, piece_id, status, progress, updated_at in rows:
        report = last.get(commitment_id)
        result[piece_id] = domain.FollowInfo(
            status,
            progress,
            updated_at,
            report.note if report else None,
            report.created_at if report else None,
        )
    return result

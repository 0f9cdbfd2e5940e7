"""How the follow-up reacts to the plenary (board's signals; see ARCHITECTURE.md)."""

from assembly.board.signals import agenda_approved, approval_annulled, piece_amended
from assembly.followup import services


@agenda_approved.connect
def make_commitments(group, **_kwargs) -> None:
    """An approved agenda's plan pieces become commitments."""
    services.commit_agenda(group)


@approval_annulled.connect
def annul_commitments(group, **_kwargs) -> None:
    services.annul_agenda(group)


@piece_amended.connect
def carry_amendment(piece, **_kwargs) -> None:
    services.carry_amendment(piece)

"""How the plenary reacts to the packages below it (their signals; see ARCHITECTURE.md)."""

from assembly.assemblies.signals import assembly_closed, assembly_closing
from assembly.board import services


@assembly_closing.connect
def no_closing_while_voting(assembly, *, actor=None, reason="", **_kwargs) -> None:
    """Refuse to close while a phone vote is open or a mesa is undecided, unless a reason
    confirms it (the open votes are then counted; the reason goes into the acta)."""
    services.refuse_closing_with_open_votes(assembly, actor, reason)


@assembly_closed.connect
def store_the_acta(assembly, *, actor=None, reason="", **_kwargs) -> None:
    """The acta is the snapshot taken the moment the assembly closes (a new version each
    time it closes again)."""
    services.store_acta(actor, assembly, reason)

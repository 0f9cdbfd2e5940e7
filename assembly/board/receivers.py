"""How the plenary reacts to the packages below it (their signals; see ARCHITECTURE.md)."""

from assembly.assemblies.signals import assembly_closed, assembly_closing
from assembly.board import services


@assembly_closing.connect
def no_closing_while_voting(assembly, **_kwargs) -> None:
    """Refuse to close while a phone vote is open (its result would be lost from the acta)."""
    services.refuse_closing_with_open_votes(assembly)


@assembly_closed.connect
def store_the_acta(assembly, *, actor=None, **_kwargs) -> None:
    """The acta is the snapshot taken the moment the assembly closes."""
    services.store_acta(actor, assembly)

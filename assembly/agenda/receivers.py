"""How the agenda reacts to the assemblies package (its signals; see ARCHITECTURE.md)."""

from assembly.agenda import broadcasts, services
from assembly.assemblies.realtime import queue
from assembly.assemblies.signals import agenda_edited, assembly_progress


@agenda_edited.connect
def carry_the_clock(assembly, *, actor=None, **_kwargs) -> None:
    """A running clock follows an agenda edit in the same transaction (or refuses it), and
    every clock screen hears the result."""
    services.reanchor_after_edit(actor, assembly.id)
    queue(broadcasts.clock_state(assembly.id))


@assembly_progress.connect
def clock_status(assembly, **_kwargs) -> dict:
    """Where the live clock is (idle, running, paused, finished), for the checklist."""
    return {"clock": services.clock_snapshot(assembly.id)["status"]}

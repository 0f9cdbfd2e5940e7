"""Socket.IO for the clock: follow it (``join_clock``), measure the server's time over it
(``clock_time``), run it (``clock_control``), and the projector's registration counter
(``join_projector``)."""

from flask_babel import gettext as _
from flask_login import current_user

from assembly.agenda import broadcasts, services
from assembly.assemblies import services as assemblies
from assembly.assemblies.realtime import broadcasting, join
from assembly.auth.domain import Permission
from assembly.auth.events import current_identity, identity_may_follow
from assembly.core import testclock
from assembly.core.schemas import AssemblyId, OptionalId, Payload, Text
from assembly.core.sockets import event
from assembly.desk.broadcasts import room as desk_room
from assembly.errors import PermissionDenied


class FollowClock(Payload):
    assembly_id: AssemblyId


class ClockControl(Payload):
    assembly_id: AssemblyId
    action: Text[20] = ""
    #: "extend": minutes to add (a number, or the text typed)
    minutes: float | Text[20] | None = None
    #: "start" / "jump": the slot's index or key ("m3.s2")
    position: int | Text[40] | None = None


def _ensure_follows(assembly_id: int) -> None:
    """The socket's credential may follow this assembly's clock (else PermissionDenied)."""
    if not identity_may_follow(current_identity(), assembly_id):
        raise PermissionDenied(_("No puede seguir el reloj de esta asamblea."))


@event("join_clock", FollowClock)
def on_join_clock(data: FollowClock) -> dict:
    """Follow an assembly's clock; the reply is the full snapshot (also after a reconnect)."""
    _ensure_follows(data.assembly_id)
    return join(
        data.assembly_id,
        [broadcasts.room(data.assembly_id)],
        lambda: services.clock_with_speakers(data.assembly_id),
    )


@event("clock_time", FollowClock)
def on_clock_time(data: FollowClock) -> dict:
    """The server's time, as ``GET /api/time`` gives it, for a screen that follows the clock to
    measure its offset on the socket it already has (static/js/shared/clock.js): a phone's
    samples cost no HTTP request and no headers."""
    _ensure_follows(data.assembly_id)
    return {"now": testclock.now(), "speed": testclock.speed()}


@event("clock_control", ClockControl)
def on_clock_control(data: ClockControl) -> dict:
    """Start, pause, resume, extend, next, back, jump or reset; every screen hears it."""
    if not current_user.is_authenticated or not current_user.can(Permission.RUN_CLOCK):
        raise PermissionDenied(_("Su cuenta no puede manejar el reloj."))
    with broadcasting() as out:
        services.control(
            current_user,
            data.assembly_id,
            data.action,
            minutes=data.minutes,
            position=data.position,
        )
        message = broadcasts.clock_state(data.assembly_id)
        out.add(message)
    return {"state": message.payload}


class SpeakersCommand(Payload):
    assembly_id: AssemblyId
    action: Text[20] = ""
    name: Text[200] | None = None
    kind: Text[20] | None = None
    minutes: float | Text[20] | None = None
    speaker_id: OptionalId = None


@event("speakers_command", SpeakersCommand)
def on_speakers_command(data: SpeakersCommand) -> dict:
    """The speakers list: add a turn, remove one, give the floor to the next, end the turn;
    every clock screen hears it (``clock_state`` carries the list)."""
    if not current_user.is_authenticated or not current_user.can(Permission.RUN_CLOCK):
        raise PermissionDenied(_("Su cuenta no puede manejar la lista de intervenciones."))
    with broadcasting() as out:
        services.speakers_command(
            current_user,
            data.assembly_id,
            data.action,
            name=data.name,
            kind=data.kind,
            minutes=data.minutes,
            speaker_id=data.speaker_id,
        )
        message = broadcasts.clock_state(data.assembly_id)
        out.add(message)
    return {"state": message.payload}


@event("join_projector", FollowClock)
def on_join_projector(data: FollowClock) -> dict:
    """The projector follows the registration counter live: it joins the desks' counter
    room (``desk:<id>``, counts only) and gets the current counts in the reply."""
    if not current_user.is_authenticated or not current_user.can(Permission.RUN_CLOCK):
        raise PermissionDenied(_("Su cuenta no puede abrir el proyector."))
    assembly = assemblies.get_assembly(data.assembly_id)
    return join(
        assembly.id,
        [desk_room(assembly.id)],
        lambda: {"assembly_id": assembly.id, **assemblies.overview(assembly)},
    )

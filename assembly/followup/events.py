"""Socket.IO for the follow-up: the moderator's survey commands (the pages use HTTP forms)."""

from flask_babel import gettext as _
from flask_login import current_user

from assembly.assemblies.realtime import broadcasting
from assembly.auth.domain import Permission
from assembly.board import broadcasts as board_broadcasts
from assembly.core.schemas import AssemblyId, Payload
from assembly.core.sockets import event
from assembly.errors import PermissionDenied
from assembly.followup import broadcasts, survey


class SurveyQr(Payload):
    assembly_id: AssemblyId
    #: true: the survey's QR full height on every board screen; false: back to its corner
    shown: bool = True


@event("survey_qr", SurveyQr)
def on_survey_qr(data: SurveyQr) -> dict:
    """«Mostrar QR en grande» / «Ocultar»: the board's screens follow (``plenary_state``), the
    consoles update their button (``survey_changed``)."""
    if not current_user.is_authenticated or not current_user.can(Permission.RUN_CLOCK):
        raise PermissionDenied(_("Solo la moderación abre y cierra la encuesta."))
    with broadcasting() as out:
        state = survey.show_qr_big(current_user, data.assembly_id, data.shown)
        out.add(board_broadcasts.plenary_state(state))
        current = survey.state_of(survey.survey_of(data.assembly_id))
        count = survey.answer_count(data.assembly_id)
        big = state["big_qr"] == "survey"
        out.add(broadcasts.survey_changed(data.assembly_id, count, current, big))
    return {"state": state, "big": big}

"""What the plenary tells the screens. One named builder per event; the handler adds the
result to its ``broadcasting()`` outbox, sent after the commit with ``rev``/``room``/``seq``.

Rooms: ``board:<assembly id>`` (projector and read-only phone boards), ``vote:<assembly id>``
(attendees' vote pages: told only when a vote opens, closes or is annulled).

A phone vote's turnout («N de M personas presentes han votado») is counted after the vote's
commit, once per burst (:func:`schedule_turnout`): counted inside each vote's transaction, two
concurrent votes on PostgreSQL could each miss the other and leave the board one short.
"""

from flask import current_app

from assembly.assemblies.realtime import Broadcast, broadcast, broadcasting
from assembly.board import services
from assembly.board.models import Approval
from assembly.core.coalesce import coalesced
from assembly.extensions import db


def plenary_state(state: dict) -> Broadcast:
    """The moderator revealed a mesa, zoomed, or switched to the whole puzzle."""
    return broadcast(
        "plenary_state",
        state,
        rooms=[f"board:{state['assembly_id']}"],
        assembly_id=state["assembly_id"],
    )


def approval_changed(
    assembly_id: int, group_id: int, approval: dict | None, *, electorate: int, phones: bool
) -> Broadcast:
    """A mesa's approval changed (tally, vote count, close, annulment).  ``phones`` also tells
    the vote pages, which only care when a vote opens or closes, not about every vote."""
    payload = {
        "assembly_id": assembly_id,
        "group_id": group_id,
        "approval": approval,
        "electorate": electorate,
    }
    rooms = [f"board:{assembly_id}"]
    if phones:
        rooms.append(f"vote:{assembly_id}")
    return broadcast("approval_changed", payload, rooms=rooms, assembly_id=assembly_id)


def rules_changed(assembly_id: int, rules: dict) -> Broadcast:
    """The voting rules or the people present changed (shown before each vote)."""
    payload = {"assembly_id": assembly_id, "rules": rules}
    return broadcast(
        "rules_changed", payload, rooms=[f"board:{assembly_id}"], assembly_id=assembly_id
    )


def schedule_turnout(assembly_id: int, approval_id: int) -> None:
    """Tell the board a phone vote's new count soon; call it after the vote's commit.  Votes
    within ``VOTE_TURNOUT_DELAY_MS`` share one broadcast, which counts every vote committed
    before it runs."""
    coalesced(
        ("turnout", approval_id),
        lambda: _send_turnout(assembly_id, approval_id),
        current_app.config.get("VOTE_TURNOUT_DELAY_MS", 0),
    )


def _send_turnout(assembly_id: int, approval_id: int) -> None:
    with broadcasting() as out:
        approval = db.session.get(Approval, approval_id)
        if approval is None:
            return  # annulled meanwhile: the annulment told the board
        out.add(
            approval_changed(
                assembly_id,
                approval.group_id,
                services.json_approval(approval),
                electorate=services.present_count(assembly_id),
                phones=False,
            )
        )

"""The audit line of a table's page or room (Ley 1581, issue 17.7): both show the names of the
table's people to whoever holds its join code, with no staff account. One line per read that
shows names (``table.read``, the table, how many people), batched with the others
(``audit.record_batched``): 300 tables' phones joining at the start of a session cost one
insert, not 300 commits."""

from flask_login import AnonymousUserMixin

from assembly.auth import audit
from assembly.auth.models import User

#: who a table's phone is in the log: the code's holder, not an account
PHONE = "table_code"


def audit_table_read(state: dict, viewer: User | AnonymousUserMixin | None) -> None:
    """Note that ``state`` (``services.table_state``) was shown, when it names anybody."""
    people = len(state.get("people") or ())
    if not people:
        return
    staff = viewer is not None and viewer.is_authenticated
    audit.record_batched(
        viewer if staff else PHONE,
        "table.read",
        assembly_id=state["assembly"]["id"],
        subject=f"table:{state['table']['id']}",
        people=people,
    )

"""How the grouping reacts to the assemblies package (its signals; see ARCHITECTURE.md)."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from assembly.assemblies.signals import assembly_progress, theme_added, theme_removing
from assembly.errors import Conflict
from assembly.extensions import db
from assembly.grouping.models import Group, Table
from assembly.registration.models import Attendee


@theme_added.connect
def open_mesa(theme, **_kwargs) -> None:
    """Every theme is worked by one mesa, numbered after the assembly's last one."""
    number = (
        db.session.scalar(
            select(func.max(Group.number)).where(Group.assembly_id == theme.assembly_id)
        )
        or 0
    ) + 1
    db.session.add(Group(assembly_id=theme.assembly_id, theme_id=theme.id, number=number))
    db.session.flush()


@theme_removing.connect
def refuse_while_seated(theme, **_kwargs) -> None:
    """A theme whose mesa has people goes only after they are moved (its mesa goes with it)."""
    seated = db.session.scalar(
        select(func.count(Attendee.id))
        .join(Group, Attendee.group_id == Group.id)
        .where(Group.theme_id == theme.id)
    )
    if seated:
        raise Conflict(
            _(
                "La mesa de este eje ya tiene %(n)s personas asignadas; muévalas antes de "
                "borrarlo.",
                n=seated,
            )
        )


@assembly_progress.connect
def table_counts(assembly, **_kwargs) -> dict:
    """Tables and seated people, for the assembly's checklist of the day."""
    tables = db.session.scalar(
        select(func.count(Table.id))
        .join(Group, Table.group_id == Group.id)
        .where(Group.assembly_id == assembly.id)
    )
    seated = db.session.scalar(
        select(func.count(Attendee.id)).where(
            Attendee.assembly_id == assembly.id, Attendee.table_id.is_not(None)
        )
    )
    return {"tables": tables or 0, "seated": seated or 0}

"""The pages that show the split: printable rosters (every mesa, one mesa, one sub-mesa), the
join cards with their QR, and a facilitator's own mesa."""

from flask import render_template
from flask_login import current_user

from assembly.assemblies.services import get_assembly, note_printed
from assembly.auth import audit
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.extensions import unit_of_work
from assembly.grouping import codes, services
from assembly.grouping.routes import bp, form_id
from assembly.helpers import room


def _people_shown(members: dict, tables) -> int:
    return sum(len(members.get(t.id, ())) for t in tables)


def _roster(assembly_id: int, groups, *, table=None, subject: str = ""):
    members = services.members_by_table(assembly_id)
    tables = [table] if table is not None else [t for g in groups for t in g.tables]
    page = render_template(
        "grouping/roster.html",
        assembly=get_assembly(assembly_id),
        groups=groups,
        only_table=table,
        members=members,
    )
    # a bulk read of names and organisations: one audit line (Ley 1581), as the lists write
    audit.record(
        current_user,
        "groups.roster",
        assembly_id=assembly_id,
        subject=subject,
        people=_people_shown(members, tables),
    )
    return page


@bp.route("/groups/roster")
@require(Permission.MANAGE_GROUPS)
def roster_all(assembly_id: int):
    """Printable roster of every mesa (one mesa per page)."""
    return _roster(assembly_id, services.groups_of(assembly_id))


@bp.route("/groups/<int:group_id>/roster")
@require(Permission.MANAGE_GROUPS)
def roster_group(assembly_id: int, group_id: int):
    """Printable roster of one mesa: its sub-mesas and their people."""
    group = services.get_group(assembly_id, group_id)
    return _roster(assembly_id, [group], subject=f"group:{group_id}")


@bp.route("/tables/<int:table_id>/roster")
@require(Permission.MANAGE_GROUPS)
def roster_table(assembly_id: int, table_id: int):
    """Printable roster of one sub-mesa."""
    table = services.get_table(assembly_id, table_id)
    return _roster(assembly_id, [table.group], table=table, subject=f"table:{table_id}")


@bp.route("/groups/cards")
@require(Permission.MANAGE_GROUPS)
def cards(assembly_id: int):
    """Join cards, one per sub-mesa, four to an A4 sheet: QR + short code in big letters."""
    group_id = form_id("group", optional=True)
    table_id = form_id("table", optional=True)
    groups = (
        [services.get_group(assembly_id, group_id)]
        if group_id is not None
        else services.groups_of(assembly_id)
    )
    tables = (
        [services.get_table(assembly_id, table_id)]
        if table_id is not None  # one card again, after its code changed
        else [t for g in groups for t in g.tables]
    )
    assembly = get_assembly(assembly_id)
    with unit_of_work():
        note_printed(assembly, room())
    return render_template(
        "grouping/cards.html",
        assembly=assembly,
        tables=tables,
        join_url=codes.join_url(),
    )


@bp.route("/tables/<int:table_id>/qr.png")
@require(Permission.MANAGE_GROUPS)
def table_qr(assembly_id: int, table_id: int):
    """The QR a leader scans: it opens the table's phone page, public_url('/mesa/<code>')."""

    table = services.get_table(assembly_id, table_id)
    return codes.join_qr(table)


@bp.route("/my-mesa")
@require(Permission.FACILITATE)
def my_mesa(assembly_id: int):
    """A facilitator's own mesa(s): the sub-mesas and their people, updated live."""
    assembly = get_assembly(assembly_id)
    groups = services.groups_facilitated_by(current_user, assembly_id)
    members = services.members_by_table(assembly_id)
    page = render_template("grouping/mine.html", assembly=assembly, groups=groups, members=members)
    audit.record(
        current_user,
        "groups.roster",
        assembly_id=assembly_id,
        subject="my-mesa",
        people=_people_shown(members, [t for g in groups for t in g.tables]),
    )
    return page

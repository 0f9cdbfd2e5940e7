"""The pages that show the split: printable rosters (every mesa, one mesa, one sub-mesa), the
join cards with their QR, and a facilitator's own mesa."""

from itertools import groupby

from flask import render_template, request
from flask_login import current_user

from assembly.assemblies.services import get_assembly, note_printed
from assembly.auth import audit
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.core.paging import page_of
from assembly.extensions import unit_of_work
from assembly.grouping import codes, services
from assembly.grouping.routes import bp, form_id
from assembly.helpers import room

#: sub-mesas a printed roster page holds (about 600 names, as a page of the groups screen)
ROSTER_TABLES_PER_PAGE = 30


def _people_shown(members: dict, tables) -> int:
    return sum(len(members.get(t.id, ())) for t in tables)


def _roster(assembly_id: int, *, group=None, table=None, subject: str = ""):
    """The printable roster of every mesa, one mesa (``group``) or one sub-mesa (``table``):
    ``ROSTER_TABLES_PER_PAGE`` sub-mesas a page with their people, each page printed on its
    own; the mesas with a sub-mesa on the page, under their heading (all mesas, empty, before
    the first split)."""
    if table is not None:
        tables, shown = [table], page_of(1, 1, 1)
    else:
        tables, shown = services.tables_page(
            assembly_id,
            group_id=group.id if group is not None else None,
            page=request.args.get("page"),
            per_page=ROSTER_TABLES_PER_PAGE,
        )
    if tables:
        sections = [(g, list(ts)) for g, ts in groupby(tables, key=lambda t: t.group)]
    else:
        sections = [(g, []) for g in ([group] if group else services.groups_of(assembly_id))]
    members = services.members_of_tables([t.id for t in tables])
    page = render_template(
        "grouping/roster.html",
        assembly=get_assembly(assembly_id),
        sections=sections,
        members=members,
        shown=shown,
        pages_of={"assembly_id": assembly_id, **({"group_id": group.id} if group else {})},
        endpoint="grouping.roster_group" if group is not None else "grouping.roster_all",
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
    """Printable roster of every mesa (one mesa per sheet), a page of sub-mesas at a time."""
    return _roster(assembly_id)


@bp.route("/groups/<int:group_id>/roster")
@require(Permission.MANAGE_GROUPS)
def roster_group(assembly_id: int, group_id: int):
    """Printable roster of one mesa: its sub-mesas and their people."""
    group = services.get_group(assembly_id, group_id)
    return _roster(assembly_id, group=group, subject=f"group:{group_id}")


@bp.route("/tables/<int:table_id>/roster")
@require(Permission.MANAGE_GROUPS)
def roster_table(assembly_id: int, table_id: int):
    """Printable roster of one sub-mesa."""
    table = services.get_table(assembly_id, table_id)
    return _roster(assembly_id, table=table, subject=f"table:{table_id}")


#: join cards a printed page holds (25 A4 sheets of 4): a room of 5,000 sub-mesas is 50 pages
CARDS_PER_PAGE = 100


@bp.route("/groups/cards")
@require(Permission.MANAGE_GROUPS)
def cards(assembly_id: int):
    """Join cards, one per sub-mesa, four to an A4 sheet: QR + short code in big letters;
    ``?group=`` one mesa's, ``?table=`` one card again (after its code changed);
    ``CARDS_PER_PAGE`` a page (``?page=2``), each page printed on its own."""
    group_id = form_id("group", optional=True)
    table_id = form_id("table", optional=True)
    if group_id is not None:
        services.get_group(assembly_id, group_id)  # another assembly's mesa is not found
    if table_id is not None:
        tables, shown = [services.get_table(assembly_id, table_id)], page_of(1, 1, 1)
    else:
        tables, shown = services.tables_page(
            assembly_id, group_id=group_id, page=request.args.get("page"), per_page=CARDS_PER_PAGE
        )
    assembly = get_assembly(assembly_id)
    with unit_of_work():
        note_printed(assembly, room())
    params = {"assembly_id": assembly_id, **({"group": group_id} if group_id is not None else {})}
    return render_template(
        "grouping/cards.html",
        assembly=assembly,
        tables=tables,
        shown=shown,
        pages_of=params,
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
    tables = [t for g in groups for t in g.tables]
    members = services.members_of_tables([t.id for t in tables])  # their mesas', not the room
    page = render_template("grouping/mine.html", assembly=assembly, groups=groups, members=members)
    audit.record(
        current_user,
        "groups.roster",
        assembly_id=assembly_id,
        subject="my-mesa",
        people=_people_shown(members, tables),
    )
    return page

"""The groups screen: the split (and its background job) and the manual changes (move, swap,
leader, lock, new join code, facilitator). Rosters, join cards and QR: ``roster_routes``."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import close_room

from assembly.assemblies.realtime import broadcasting
from assembly.assemblies.services import get_assembly
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.core import jobs
from assembly.core.schemas import as_id
from assembly.errors import AssemblyError, InvalidInput
from assembly.grouping import broadcasts, services, split_job
from assembly.helpers import utcnow

bp = Blueprint("grouping", __name__, url_prefix="/assemblies/<int:assembly_id>")

_DONE = {
    "move": "Persona movida.",
    "swap": "Personas intercambiadas.",
    "leader": "Liderazgo actualizado.",
    "lock": "Sub-mesa actualizada.",
    "facilitator": "Facilitación asignada.",
}


def form_id(name: str, *, optional: bool = False) -> int | None:
    """A form's id field (a huge or non-ASCII number is refused like a missing one)."""
    raw = (request.values.get(name) or "").strip()
    if not raw and optional:
        return None
    value = as_id(raw)
    if value is None:
        raise InvalidInput(_("Falta elegir un valor en el formulario."))
    return value


def _seed() -> int:
    raw = (request.values.get("seed") or "1").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise InvalidInput(_("La semilla debe ser un número entero positivo."))
    return int(raw)


#: sub-mesas per page of the groups screen (about 600 people: the page stays light at 50,000)
TABLES_PER_PAGE = 30
#: people without a table offered in the "move" list (the count says how many there are)
WAITING_SHOWN = 200


def _page() -> int:
    return max(request.values.get("page", 1, type=int) or 1, 1)


def _back(assembly_id: int, anchor: str = ""):
    """Back to the groups screen, on the page the form was sent from."""
    page = _page()
    args = {"page": page} if page > 1 else {}
    return redirect(url_for("grouping.index", assembly_id=assembly_id, **args) + anchor)


def _screen(assembly_id: int, preview=None, preview_error: str | None = None, status: int = 200):
    assembly = get_assembly(assembly_id)
    groups = services.groups_of(assembly_id)
    counts = services.population_counts(assembly_id)
    default = "checked_in" if counts["checked_in"] else "registered"
    all_tables = [t for g in groups for t in g.tables]
    pages = max(1, -(-len(all_tables) // TABLES_PER_PAGE))
    page = min(_page(), pages)
    shown = all_tables[(page - 1) * TABLES_PER_PAGE : page * TABLES_PER_PAGE]
    shown_ids = {t.id for t in shown}
    sizes = services.table_sizes(assembly_id)
    return render_template(
        "grouping/index.html",
        assembly=assembly,
        split_job=_split_job(assembly_id),
        groups=groups,
        all_tables=all_tables,
        # the mesas with a sub-mesa on this page, with those sub-mesas (all mesas before a split)
        page_groups=[
            (g, [t for t in g.tables if t.id in shown_ids])
            for g in groups
            if not all_tables or any(t.id in shown_ids for t in g.tables)
        ],
        page=page,
        pages=pages,
        per_page=TABLES_PER_PAGE,
        sizes=sizes,
        group_sizes={g.id: sum(sizes.get(t.id, 0) for t in g.tables) for g in groups},
        members=services.members_of_tables([t.id for t in shown]),
        waiting=services.unseated(assembly_id, limit=WAITING_SHOWN),
        waiting_count=services.unseated_count(assembly_id),
        quality=services.current_quality(assembly_id),
        counts=counts,
        facilitators=services.facilitators(),
        populations=services.POPULATIONS,
        preview=preview,
        preview_error=preview_error,
        describe=services.describe_changes,
        chosen=request.values.get("population", default),
        seed=request.values.get("seed", "1"),
    ), status


def _split_job(assembly_id: int) -> dict | None:
    """The split job this page follows (``?job=``, the account's own) or the assembly's running
    one, as the progress bar reads it; with the sentence to show once it has ended."""
    job = split_job.followed(assembly_id, request.args.get("job", type=int), current_user)
    if job is None:
        return None
    view = jobs.job_view(job)
    if job.status == jobs.DONE and job.result:
        view["summary"] = _split_summary(job.result)
    return view


def _split_summary(figures: dict) -> str:
    return _(
        "Sala repartida: %(people)s personas en %(tables)s sub-mesas. Tema preferido: "
        "%(pref).0f %%; líderes: %(leaders)s de %(tables)s.",
        people=figures["people"],
        tables=figures["tables"],
        pref=figures["preference_pct"],
        leaders=figures["leaders_found"],
    )


@bp.route("/groups")
@require(Permission.MANAGE_GROUPS)
def index(assembly_id: int):
    """Mesas side by side with their sub-mesas; split the room, move, swap, lock, lead."""
    population = request.args.get("population")
    if population is None:
        return _screen(assembly_id)
    try:
        report = services.preview_split(assembly_id, population=population, seed=_seed())
    except AssemblyError as error:
        if error.status == 404:
            raise
        return _screen(assembly_id, preview_error=error.message, status=error.status)
    return _screen(assembly_id, preview=report)


@bp.post("/groups/split")
@require(Permission.MANAGE_GROUPS)
def split(assembly_id: int):
    """Split the chosen population into mesas and sub-mesas (a re-split needs confirmation).
    A large room (``SPLIT_JOB_FROM`` people or more) is split by a background job: the page
    comes back at once with its progress bar."""
    population = request.form.get("population", "")
    threshold = current_app.config["SPLIT_JOB_FROM"]
    if population in services.POPULATIONS and (
        split_job.population_size(assembly_id, population) >= threshold
    ):
        try:
            job = split_job.start_split(
                current_user,
                assembly_id,
                population=population,
                seed=_seed(),
                confirm=request.form.get("confirm") == "1",
            )
        except AssemblyError as error:
            if error.status == 404:
                raise
            flash(error.message, "error")
            return _back(assembly_id)
        return redirect(url_for("grouping.index", assembly_id=assembly_id, job=job.id))
    try:
        with broadcasting() as out:
            report = services.run_split(
                current_user,
                assembly_id,
                population=population,
                seed=_seed(),
                confirm=request.form.get("confirm") == "1",
            )
            groups = services.groups_of(assembly_id)
            out.add(
                broadcasts.split(
                    assembly_id, [g.id for g in groups], [t.id for g in groups for t in g.tables]
                )
            )
    except AssemblyError as error:
        if error.status == 404:
            raise
        flash(error.message, "error")
        return _back(assembly_id)
    q = report.quality
    figures = {
        "people": q.people,
        "tables": q.tables_count,
        "preference_pct": q.preference_pct,
        "leaders_found": q.leaders_found,
    }
    flash(_split_summary(figures), "success")
    return _back(assembly_id)


def _change(assembly_id: int, run, anchor: str = ""):
    try:
        with broadcasting() as out:
            change = run()
            out.add(broadcasts.grouping_changed(change))
    except AssemblyError as error:
        if error.status == 404:
            raise
        flash(error.message, "error")
        return _back(assembly_id, anchor)
    flash(_(_DONE[change.action]), "success")
    return _back(assembly_id, anchor)


@bp.post("/groups/move")
@require(Permission.MANAGE_GROUPS)
def move(assembly_id: int):
    """Seat one person at another sub-mesa."""
    return _change(
        assembly_id,
        lambda: services.move_attendee(
            current_user, assembly_id, form_id("attendee_id"), form_id("table_id")
        ),
        "#tools",
    )


@bp.post("/groups/swap")
@require(Permission.MANAGE_GROUPS)
def swap(assembly_id: int):
    """Two people trade sub-mesas."""
    return _change(
        assembly_id,
        lambda: services.swap_attendees(
            current_user, assembly_id, form_id("first_id"), form_id("second_id")
        ),
        "#tools",
    )


@bp.post("/tables/<int:table_id>/leader")
@require(Permission.MANAGE_GROUPS)
def leader(assembly_id: int, table_id: int):
    """Set (or clear, with an empty choice) a sub-mesa's leader."""
    return _change(
        assembly_id,
        lambda: services.set_leader(
            current_user, assembly_id, table_id, form_id("attendee_id", optional=True)
        ),
        f"#table-{table_id}",
    )


@bp.post("/tables/<int:table_id>/lock")
@require(Permission.MANAGE_GROUPS)
def lock(assembly_id: int, table_id: int):
    """Lock or unlock a sub-mesa."""
    return _change(
        assembly_id,
        lambda: services.set_locked(
            current_user, assembly_id, table_id, request.form.get("locked") == "1"
        ),
        f"#table-{table_id}",
    )


@bp.post("/tables/<int:table_id>/code")
@require(Permission.MANAGE_GROUPS)
def rotate_code(assembly_id: int, table_id: int):
    """Give a sub-mesa a new join code; the phones on the old one are told to ask for it."""
    try:
        with broadcasting() as out:
            table, _old = services.rotate_join_code(current_user, assembly_id, table_id, utcnow())
            out.add(*broadcasts.code_changed(table))
            code, group_number, number = table.join_code, table.group.number, table.number
    except AssemblyError as error:
        if error.status == 404:
            raise
        flash(error.message, "error")
        return _back(assembly_id, f"#table-{table_id}")
    close_room(f"table:{table_id}", namespace="/")
    flash(
        _(
            "Código nuevo de la sub-mesa %(mesa)s.%(table)s: %(code)s. Imprima su tarjeta nueva.",
            mesa=group_number,
            table=number,
            code=code,
        ),
        "success",
    )
    return redirect(url_for("grouping.cards", assembly_id=assembly_id, table=table_id))


@bp.post("/groups/<int:group_id>/facilitator")
@require(Permission.MANAGE_GROUPS)
def facilitator(assembly_id: int, group_id: int):
    """Put a facilitator (staff account) in charge of a mesa, or none."""
    return _change(
        assembly_id,
        lambda: services.assign_facilitator(
            current_user, assembly_id, group_id, form_id("user_id", optional=True)
        ),
        f"#group-{group_id}",
    )

"""Assemblies, their themes and their agenda.  Every function flushes; the caller commits."""

import secrets

from sqlalchemy import func, select

from assembly.assemblies import template
from assembly.assemblies.domain import clean_assembly, clean_moment, clean_step, clean_theme, moved
from assembly.assemblies.models import Assembly, Moment, Step, Theme
from assembly.auth.models import User
from assembly.errors import Conflict, InvalidInput, NotFound
from assembly.extensions import db
from assembly.grouping.models import Group, Table
from assembly.registration.models import Attendee

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a noisy room


def _raise_if(errors: dict) -> None:
    if errors:
        raise InvalidInput(
            "Revise los campos marcados. " + " ".join(errors.values()), fields=errors
        )


def list_assemblies() -> list[Assembly]:
    return db.session.scalars(
        select(Assembly).order_by(Assembly.date.desc(), Assembly.id.desc())
    ).all()


def get_assembly(assembly_id: int) -> Assembly:
    assembly = db.session.get(Assembly, assembly_id)
    if assembly is None:
        raise NotFound("La asamblea no existe.")
    return assembly


def create_from_template(actor: User, raw: dict) -> Assembly:
    """A new assembly with the methodology's agenda, its 5 themes and one mesa per theme."""
    clean, errors = clean_assembly(raw)
    _raise_if(errors)
    assembly = Assembly(**clean, status="draft")
    for position, theme in enumerate(template.THEMES, start=1):
        assembly.themes.append(
            Theme(position=position, title=theme.title, description=theme.description)
        )
    for position, moment in enumerate(template.MOMENTS, start=1):
        row = Moment(
            position=position,
            title=moment.title,
            kind=moment.kind,
            planned_start=moment.start,
            planned_end=moment.end,
            objective=moment.objective,
            method=moment.method,
        )
        for step_position, step in enumerate(moment.steps, start=1):
            row.steps.append(
                Step(position=step_position, title=step.title, minutes=step.minutes, kind=step.kind)
            )
        assembly.moments.append(row)
    db.session.add(assembly)
    db.session.flush()
    for theme in assembly.themes:
        db.session.add(Group(assembly_id=assembly.id, theme_id=theme.id, number=theme.position))
    db.session.flush()
    return assembly


def template_defaults() -> dict:
    """What the "new assembly" form starts with."""
    return {
        "capacity": template.CAPACITY,
        "table_size": template.TABLE_SIZE,
        "agreement_line": template.AGREEMENT_LINE,
        "plan_start_year": template.PLAN_START_YEAR,
        "plan_end_year": template.PLAN_END_YEAR,
    }


def update_assembly(actor: User, assembly_id: int, raw: dict) -> Assembly:
    assembly = get_assembly(assembly_id)
    clean, errors = clean_assembly(raw)
    _raise_if(errors)
    for key, value in clean.items():
        setattr(assembly, key, value)
    db.session.flush()
    return assembly


def set_status(actor: User, assembly_id: int, status: str) -> Assembly:
    from assembly.assemblies.models import STATUSES

    assembly = get_assembly(assembly_id)
    if status not in STATUSES:
        raise InvalidInput("Estado no válido.")
    closing = status == "closed" and assembly.status != "closed"
    assembly.status = status
    db.session.flush()
    if closing:  # the acta is the snapshot taken at the moment the assembly closes
        from assembly.board.services import store_acta

        store_acta(actor, assembly)
    return assembly


# --- themes (each theme is one mesa) -------------------------------------------------------


def add_theme(actor: User, assembly_id: int, raw: dict) -> Theme:
    assembly = get_assembly(assembly_id)
    clean, errors = clean_theme(raw)
    _raise_if(errors)
    position = len(assembly.themes) + 1
    theme = Theme(assembly_id=assembly.id, position=position, **clean)
    db.session.add(theme)
    db.session.flush()
    number = (
        db.session.scalar(select(func.max(Group.number)).where(Group.assembly_id == assembly.id))
        or 0
    ) + 1
    db.session.add(Group(assembly_id=assembly.id, theme_id=theme.id, number=number))
    db.session.flush()
    return theme


def _theme(assembly_id: int, theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.assembly_id != assembly_id:
        raise NotFound("El eje no existe en esta asamblea.")
    return theme


def update_theme(actor: User, assembly_id: int, theme_id: int, raw: dict) -> Theme:
    theme = _theme(assembly_id, theme_id)
    clean, errors = clean_theme(raw)
    _raise_if(errors)
    theme.title, theme.description = clean["title"], clean["description"]
    db.session.flush()
    return theme


def delete_theme(actor: User, assembly_id: int, theme_id: int) -> None:
    theme = _theme(assembly_id, theme_id)
    group = db.session.scalar(select(Group).where(Group.theme_id == theme.id))
    seated = group and db.session.scalar(
        select(func.count(Attendee.id)).where(Attendee.group_id == group.id)
    )
    if seated:
        raise Conflict(
            f"La mesa de este eje ya tiene {seated} personas asignadas; muévalas antes de borrarlo."
        )
    assembly = theme.assembly
    assembly.themes.remove(theme)
    db.session.flush()
    _renumber(assembly.themes)


def move_theme(actor: User, assembly_id: int, theme_id: int, delta: int) -> None:
    theme = _theme(assembly_id, theme_id)
    themes = theme.assembly.themes
    _renumber(moved(themes, themes.index(theme), delta))


def _renumber(rows) -> None:
    # Two passes so that a unique (parent, position) never sees a transient duplicate.
    for offset, row in enumerate(rows, start=1):
        row.position = -offset
    db.session.flush()
    for offset, row in enumerate(rows, start=1):
        row.position = offset
    db.session.flush()


# --- agenda ---------------------------------------------------------------------------------


def _moment(assembly_id: int, moment_id: int) -> Moment:
    moment = db.session.get(Moment, moment_id)
    if moment is None or moment.assembly_id != assembly_id:
        raise NotFound("El momento no existe en esta asamblea.")
    return moment


def add_moment(actor: User, assembly_id: int, raw: dict) -> Moment:
    assembly = get_assembly(assembly_id)
    clean, errors = clean_moment(raw)
    _raise_if(errors)
    moment = Moment(assembly_id=assembly.id, position=len(assembly.moments) + 1, **clean)
    db.session.add(moment)
    db.session.flush()
    return moment


def update_moment(actor: User, assembly_id: int, moment_id: int, raw: dict) -> Moment:
    moment = _moment(assembly_id, moment_id)
    clean, errors = clean_moment(raw)
    _raise_if(errors)
    for key, value in clean.items():
        setattr(moment, key, value)
    db.session.flush()
    return moment


def delete_moment(actor: User, assembly_id: int, moment_id: int) -> None:
    moment = _moment(assembly_id, moment_id)
    assembly = moment.assembly
    assembly.moments.remove(moment)
    db.session.flush()
    _renumber(assembly.moments)


def move_moment(actor: User, assembly_id: int, moment_id: int, delta: int) -> None:
    moment = _moment(assembly_id, moment_id)
    moments = moment.assembly.moments
    _renumber(moved(moments, moments.index(moment), delta))


def _step(assembly_id: int, step_id: int) -> Step:
    step = db.session.get(Step, step_id)
    if step is None or step.moment.assembly_id != assembly_id:
        raise NotFound("El paso no existe en esta asamblea.")
    return step


def add_step(actor: User, assembly_id: int, moment_id: int, raw: dict) -> Step:
    moment = _moment(assembly_id, moment_id)
    clean, errors = clean_step(raw)
    _raise_if(errors)
    step = Step(moment_id=moment.id, position=len(moment.steps) + 1, **clean)
    db.session.add(step)
    db.session.flush()
    return step


def update_step(actor: User, assembly_id: int, step_id: int, raw: dict) -> Step:
    step = _step(assembly_id, step_id)
    clean, errors = clean_step(raw)
    _raise_if(errors)
    for key, value in clean.items():
        setattr(step, key, value)
    db.session.flush()
    return step


def delete_step(actor: User, assembly_id: int, step_id: int) -> None:
    step = _step(assembly_id, step_id)
    moment = step.moment
    moment.steps.remove(step)
    db.session.flush()
    _renumber(moment.steps)


def move_step(actor: User, assembly_id: int, step_id: int, delta: int) -> None:
    step = _step(assembly_id, step_id)
    steps = step.moment.steps
    _renumber(moved(steps, steps.index(step), delta))


def new_join_code(length: int = 6) -> str:
    """A short table code nobody can guess from another table's code."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(length))
        if not db.session.scalar(select(Table.id).where(Table.join_code == code)):
            return code


def overview(assembly: Assembly) -> dict:
    """Counts for the assembly's landing page."""
    registered = db.session.scalar(
        select(func.count(Attendee.id)).where(Attendee.assembly_id == assembly.id)
    )
    checked_in = db.session.scalar(
        select(func.count(Attendee.id)).where(
            Attendee.assembly_id == assembly.id, Attendee.checked_in_at.is_not(None)
        )
    )
    return {"registered": registered or 0, "checked_in": checked_in or 0}

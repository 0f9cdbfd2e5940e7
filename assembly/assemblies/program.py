"""The program of an assembly: its themes (each theme is one mesa) and its agenda (moments
and their steps), added, edited, removed and reordered. Every function flushes; the caller
commits. The packages above react through :mod:`assembly.assemblies.signals` (a theme's mesa,
the clock over an agenda edit)."""

from flask_babel import gettext as _

from assembly.assemblies import signals
from assembly.assemblies.domain import clean_moment, clean_step, clean_theme
from assembly.assemblies.models import Moment, Step, Theme
from assembly.assemblies.services import get_assembly, raise_if_invalid
from assembly.auth.models import User
from assembly.core.ordering import moved, renumber
from assembly.errors import NotFound
from assembly.extensions import db

# --- themes (each theme is one mesa) -------------------------------------------------------


def add_theme(actor: User, assembly_id: int, raw: dict) -> Theme:
    assembly = get_assembly(assembly_id)
    clean, errors = clean_theme(raw)
    raise_if_invalid(errors)
    position = len(assembly.themes) + 1
    theme = Theme(assembly_id=assembly.id, position=position, **clean)
    db.session.add(theme)
    db.session.flush()
    signals.theme_added.send(theme)
    db.session.flush()
    return theme


def _theme(assembly_id: int, theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.assembly_id != assembly_id:
        raise NotFound(_("El eje no existe en esta asamblea."))
    return theme


def update_theme(actor: User, assembly_id: int, theme_id: int, raw: dict) -> Theme:
    theme = _theme(assembly_id, theme_id)
    clean, errors = clean_theme(raw)
    raise_if_invalid(errors)
    theme.title, theme.description = clean["title"], clean["description"]
    db.session.flush()
    return theme


def delete_theme(actor: User, assembly_id: int, theme_id: int) -> None:
    theme = _theme(assembly_id, theme_id)
    signals.theme_removing.send(theme)  # grouping refuses while its mesa has people
    assembly = theme.assembly
    assembly.themes.remove(theme)
    db.session.flush()
    renumber(assembly.themes)


def move_theme(actor: User, assembly_id: int, theme_id: int, delta: int) -> None:
    theme = _theme(assembly_id, theme_id)
    themes = theme.assembly.themes
    renumber(moved(themes, themes.index(theme), delta))


# --- agenda ---------------------------------------------------------------------------------


def _moment(assembly_id: int, moment_id: int) -> Moment:
    moment = db.session.get(Moment, moment_id)
    if moment is None or moment.assembly_id != assembly_id:
        raise NotFound(_("El momento no existe en esta asamblea."))
    return moment


def add_moment(actor: User, assembly_id: int, raw: dict) -> Moment:
    assembly = get_assembly(assembly_id)
    clean, errors = clean_moment(raw)
    raise_if_invalid(errors)
    moment = Moment(assembly_id=assembly.id, position=len(assembly.moments) + 1, **clean)
    db.session.add(moment)
    db.session.flush()
    return moment


def update_moment(actor: User, assembly_id: int, moment_id: int, raw: dict) -> Moment:
    moment = _moment(assembly_id, moment_id)
    clean, errors = clean_moment(raw)
    raise_if_invalid(errors)
    for key, value in clean.items():
        setattr(moment, key, value)
    db.session.flush()
    return moment


def delete_moment(actor: User, assembly_id: int, moment_id: int) -> None:
    moment = _moment(assembly_id, moment_id)
    assembly = moment.assembly
    assembly.moments.remove(moment)
    db.session.flush()
    renumber(assembly.moments)


def move_moment(actor: User, assembly_id: int, moment_id: int, delta: int) -> None:
    moment = _moment(assembly_id, moment_id)
    moments = moment.assembly.moments
    renumber(moved(moments, moments.index(moment), delta))


def _step(assembly_id: int, step_id: int) -> Step:
    step = db.session.get(Step, step_id)
    if step is None or step.moment.assembly_id != assembly_id:
        raise NotFound(_("El paso no existe en esta asamblea."))
    return step


def add_step(actor: User, assembly_id: int, moment_id: int, raw: dict) -> Step:
    moment = _moment(assembly_id, moment_id)
    clean, errors = clean_step(raw)
    raise_if_invalid(errors)
    step = Step(moment_id=moment.id, position=len(moment.steps) + 1, **clean)
    db.session.add(step)
    db.session.flush()
    return step


def update_step(actor: User, assembly_id: int, step_id: int, raw: dict) -> Step:
    step = _step(assembly_id, step_id)
    clean, errors = clean_step(raw)
    raise_if_invalid(errors)
    for key, value in clean.items():
        setattr(step, key, value)
    db.session.flush()
    return step


def delete_step(actor: User, assembly_id: int, step_id: int) -> None:
    step = _step(assembly_id, step_id)
    moment = step.moment
    moment.steps.remove(step)
    db.session.flush()
    renumber(moment.steps)


def move_step(actor: User, assembly_id: int, step_id: int, delta: int) -> None:
    step = _step(assembly_id, step_id)
    steps = step.moment.steps
    renumber(moved(steps, steps.index(step), delta))


def agenda_edited(actor: User | None, assembly_id: int) -> None:
    """Tell the packages above that the moments or steps changed in this transaction (the
    agenda re-anchors a running clock, or refuses the edit)."""
    signals.agenda_edited.send(get_assembly(assembly_id), actor=actor)

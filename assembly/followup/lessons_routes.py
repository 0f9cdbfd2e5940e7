"""Lessons-learned cards (seed 003): the search across assemblies, an assembly's cards, the
card form, the area → code table and the printable cards (one per A4 page)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assembly.agenda import notes as moment_notes
from assembly.assemblies.realtime import broadcasting
from assembly.assemblies.services import get_assembly
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.errors import InvalidInput
from assembly.followup import lessons
from assembly.followup import lessons_domain as rules
from assembly.followup import lessons_labels as labels
from assembly.followup.routes import bp
from assembly.grouping.services import groups_of

LISTS = ("gcm_principles", "gcm_objectives", "sdgs", "commitment_ids")


def _lists(form) -> dict[str, list[str]]:
    return {key: form.getlist(key) for key in LISTS}


def _common():
    return {
        "fields": labels.FIELD_LABELS,
        "long_fields": {key for key, (_label, _n, long) in rules.TEXT_FIELDS.items() if long},
        "limits": {key: limit for key, (_label, limit, _long) in rules.TEXT_FIELDS.items()},
        "kinds": labels.KIND_LABELS,
        "principles": labels.PRINCIPLE_LABELS,
        "objectives": labels.OBJECTIVE_LABELS,
        "sdgs": labels.SDG_LABELS,
    }


@bp.route("/lecciones")
@require(Permission.VIEW_ASSEMBLY)
def lessons_search():
    """Every card of the assemblies this account works on, by keyword, territory, type and
    area."""
    filters = rules.clean_filters(request.args)
    return render_template(
        "followup/lessons_search.html",
        filters=filters,
        found=lessons.search(filters),
        areas=lessons.areas(),
        **_common(),
    )


@bp.route("/lecciones/areas")
@require(Permission.VIEW_ASSEMBLY)
def lesson_areas():
    """The area → code table the cards are coded with."""
    return render_template("followup/lesson_areas.html", areas=lessons.areas(), values={},
                           errors={})  # fmt: skip


@bp.route("/lecciones/areas", methods=["POST"])
@require(Permission.FOLLOW_UP)
def add_lesson_area():
    form = request.form.to_dict()
    try:
        with broadcasting():
            area = lessons.add_area(current_user, form)
    except InvalidInput as error:
        flash(str(error), "error")
        page = render_template("followup/lesson_areas.html", areas=lessons.areas(), values=form,
                               errors=error.fields or {})  # fmt: skip
        return page, 422
    flash(_("Área %(code)s agregada.", code=area.code), "success")
    return redirect(url_for("followup.lesson_areas"))


@bp.route("/assemblies/<int:assembly_id>/lecciones")
@require(Permission.VIEW_ASSEMBLY)
def lessons_index(assembly_id: int):
    """The assembly's cards."""
    assembly = get_assembly(assembly_id)
    cards = lessons.cards_of(assembly.id)
    return render_template(
        "followup/lessons_index.html",
        assembly=assembly,
        cards=cards,
        items=[(card, assembly) for card in cards],
        can_edit=current_user.can(Permission.FOLLOW_UP),
        **_common(),
    )


def _form_page(assembly, card=None, *, values=None, lists=None, errors=None, status=200):
    if values is None and card is not None:
        values = {**card.texts, "area_id": str(card.area_id), "kind": card.kind,
                  "group_id": str(card.group_id or "")}  # fmt: skip
        lists = {key: [str(v) for v in getattr(card, key)] for key in LISTS}
    page = render_template(
        "followup/lesson_form.html",
        assembly=assembly,
        card=card,
        values=values or {},
        lists=lists or {},
        errors=errors or {},
        areas=lessons.areas(),
        groups=groups_of(assembly.id),
        commitments=lessons.commitments_for(assembly.id),
        **_common(),
    )
    return page, status


@bp.route("/assemblies/<int:assembly_id>/lecciones/nueva")
@require(Permission.FOLLOW_UP)
def new_lesson(assembly_id: int):
    """An empty card; ``?nota=<id>`` starts it from a Moment 2/3 note (who, what was told,
    its lessons and good practices)."""
    assembly = get_assembly(assembly_id)
    values = {}
    note_id = request.args.get("nota", "")
    if note_id.isdigit():
        note = moment_notes.get_note(assembly.id, int(note_id))
        values = {"description": note.summary, "context": note.details, "lesson": note.lessons,
                  "success": note.practices, "actors": note.who}  # fmt: skip
    return _form_page(assembly, values=values)


@bp.route("/assemblies/<int:assembly_id>/lecciones/nueva", methods=["POST"])
@require(Permission.FOLLOW_UP)
def create_lesson(assembly_id: int):
    assembly = get_assembly(assembly_id)
    form = request.form
    try:
        with broadcasting():
            card = lessons.create_card(current_user, assembly.id, form.to_dict(), _lists(form))
            code = card.code
    except InvalidInput as error:
        flash(str(error), "error")
        return _form_page(assembly, values=form.to_dict(), lists=_lists(form),
                          errors=error.fields or {}, status=422)  # fmt: skip
    flash(_("Ficha %(code)s guardada.", code=code), "success")
    return redirect(url_for("followup.lessons_index", assembly_id=assembly.id))


@bp.route("/assemblies/<int:assembly_id>/lecciones/<int:card_id>")
@require(Permission.VIEW_ASSEMBLY)
def edit_lesson(assembly_id: int, card_id: int):
    assembly = get_assembly(assembly_id)
    return _form_page(assembly, lessons.get_card(assembly.id, card_id))


@bp.route("/assemblies/<int:assembly_id>/lecciones/<int:card_id>", methods=["POST"])
@require(Permission.FOLLOW_UP)
def update_lesson(assembly_id: int, card_id: int):
    assembly = get_assembly(assembly_id)
    card = lessons.get_card(assembly.id, card_id)
    form = request.form
    try:
        with broadcasting():
            card = lessons.update_card(current_user, assembly.id, card_id, form.to_dict(),
                                       _lists(form))  # fmt: skip
            code = card.code
    except InvalidInput as error:
        flash(str(error), "error")
        return _form_page(assembly, card, values=form.to_dict(), lists=_lists(form),
                          errors=error.fields or {}, status=422)  # fmt: skip
    flash(_("Ficha %(code)s guardada.", code=code), "success")
    return redirect(url_for("followup.lessons_index", assembly_id=assembly.id))


@bp.route("/assemblies/<int:assembly_id>/lecciones/imprimir")
@require(Permission.VIEW_ASSEMBLY)
def print_lessons(assembly_id: int):
    """The cards to print, one per A4 page (``?ficha=<id>`` for one)."""
    assembly = get_assembly(assembly_id)
    cards = lessons.cards_of(assembly.id)
    chosen = request.args.get("ficha", "")
    if chosen:
        cards = [lessons.get_card(assembly.id, int(chosen))] if chosen.isdigit() else []
    commitments = {c.id: c for c in lessons.commitments_for(assembly.id)}
    return render_template(
        "followup/lessons_print.html",
        assembly=assembly,
        cards=cards,
        commitments=commitments,
        **_common(),
    )

"""Importing a pre-registration list: upload → columns → values → review → confirm (a
background job with a progress bar) → undo while nobody of it has arrived."""

from pathlib import Path

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assembly.assemblies.services import get_assembly
from assembly.auth import audit
from assembly.auth.access import require
from assembly.auth.domain import Permission, Role
from assembly.core import jobs
from assembly.errors import AssemblyError, Conflict, NotFound
from assembly.extensions import unit_of_work
from assembly.helpers import venue_today
from assembly.registration.blueprint import bp
from assembly.registration.imports import apply as imports
from assembly.registration.imports import batches, review_job, uploads
from assembly.registration.imports.errors_file import errors_workbook

PENDING = "__pending__"


def _folder() -> Path:
    return uploads.instance_folder()


@bp.route("/assemblies/<int:assembly_id>/import", methods=["GET", "POST"])
@require(Permission.DESK)
def import_upload(assembly_id: int):
    """Step 1: upload an .xlsx or .csv list."""
    assembly = get_assembly(assembly_id)
    error = None
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise AssemblyError(_("Elija el archivo de la lista (.xlsx o .csv)."))
            # a big sheet takes a while to read: other requests are served between rows
            saved = uploads.save_upload(
                _folder(), assembly, upload.filename, upload.read(), tick=jobs.paced(jobs.breathe)
            )
        except AssemblyError as failure:
            error = failure.message
        else:
            return redirect(
                url_for("registration.import_mapping", assembly_id=assembly.id, key=saved.key)
            )
    return render_template(
        "registration/import_upload.html",
        assembly=assembly,
        error=error,
        batches=batches.batches_of(assembly.id),
    ), 422 if error else 200


@bp.route("/assemblies/<int:assembly_id>/import/<key>", methods=["GET", "POST"])
@require(Permission.DESK)
def import_mapping(assembly_id: int, key: str):
    """Step 2: say what each column holds (a mapping is suggested), with the first rows."""
    assembly = get_assembly(assembly_id)
    upload = uploads.load_upload(_folder(), assembly.id, key)
    mapping = upload.mapping or imports.suggested_mapping(assembly, upload.table.headers)
    consent_default = upload.consent_default
    errors: dict = {}
    if request.method == "POST":
        mapping = {
            header: request.form.get(f"col-{index}") or None
            for index, header in enumerate(upload.table.headers)
        }
        consent_default = bool(request.form.get("consent_default"))
        try:
            with unit_of_work():
                imports.set_mapping(_folder(), assembly, upload, mapping, consent_default)
        except AssemblyError as error:
            errors = error.fields or {"": error.message}
        else:
            return redirect(url_for("registration.import_values", assembly_id=assembly.id, key=key))
    return render_template(
        "registration/import_mapping.html",
        assembly=assembly,
        upload=upload,
        mapping=mapping,
        consent_default=consent_default,
        targets=imports.mapping_targets(assembly),
        preview_rows=upload.table.rows[: imports.PREVIEW_ROWS],
        errors=errors,
    ), 422 if errors else 200


def _choices_for(assembly, rows):
    """(value, label) per row for its select: the row's likely ones, then the whole list."""
    lists = {field_key: imports.value_options(assembly, field_key) for field_key in rows}

    def choices(field_key, row):
        merged = dict(row.options)
        for value, label in lists[field_key]:
            merged.setdefault(value, label)
        if row.value and row.value not in merged:
            merged[row.value] = imports.value_label(field_key, row.value)
        return list(merged.items())

    return choices


@bp.route("/assemblies/<int:assembly_id>/import/<key>/values", methods=["GET", "POST"])
@require(Permission.DESK)
def import_values(assembly_id: int, key: str):
    """Step 2b: what each distinct value of the closed-list columns becomes; the ambiguous
    and unmatched ones are chosen by hand."""
    assembly = get_assembly(assembly_id)
    upload = uploads.load_upload(_folder(), assembly.id, key)
    if upload.mapping is None:
        return redirect(url_for("registration.import_mapping", assembly_id=assembly.id, key=key))
    rows = imports.value_rows(assembly, upload)
    if request.method == "POST":
        chosen: dict[str, dict[str, str]] = {}
        for field_key, field_rows in rows.items():
            for index, row in enumerate(field_rows):
                picked = request.form.get(f"v-{field_key}-{index}")
                if picked is None or picked == PENDING:
                    continue
                if row.status == "chosen" or picked != row.value:
                    chosen.setdefault(field_key, {})[row.raw] = picked
        with unit_of_work():
            imports.set_values(_folder(), assembly, upload, chosen)
        rows = imports.value_rows(assembly, upload)
        if not any(row.needs_choice for field_rows in rows.values() for row in field_rows):
            return redirect(url_for("registration.import_review", assembly_id=assembly.id, key=key))
    pending = any(row.needs_choice for field_rows in rows.values() for row in field_rows)
    return render_template(
        "registration/import_values.html",
        assembly=assembly,
        upload=upload,
        rows=rows,
        labels=dict(imports.mapping_targets(assembly)),
        choices_for=_choices_for(assembly, rows),
        pending=pending,
        pending_value=PENDING,
        submitted=request.method == "POST",
    ), 422 if pending and request.method == "POST" else 200


@bp.route("/assemblies/<int:assembly_id>/import/<key>/review")
@require(Permission.DESK)
def import_review(assembly_id: int, key: str):
    """Step 3: what would be imported, what is wrong and what is already registered.

    A list of ``IMPORT_REVIEW_JOB_FROM`` rows or more is checked by a background job: this
    page shows its progress bar and reloads itself to the review once the job has ended."""
    assembly = get_assembly(assembly_id)
    upload = uploads.load_upload(_folder(), assembly.id, key)
    if upload.mapping is None or imports.pending_values(assembly, upload):
        return redirect(url_for("registration.import_values", assembly_id=assembly.id, key=key))
    # ?again=1: a failed review is made anew
    kept = {} if request.args.get("again") else review_job.state(_folder(), assembly, upload) or {}
    made = kept.get("summary")
    job = _review_job(kept.get("job"))
    if made is None and job is None:
        if len(upload.table.rows) < current_app.config["IMPORT_REVIEW_JOB_FROM"]:
            # a small list: checked at once (still yielding between slices of rows)
            made = review_job.review_now(
                _folder(),
                assembly,
                upload,
                tick=jobs.paced(jobs.breathe),
                writing=jobs.paced(jobs.breathe),
            )
        else:
            with unit_of_work():
                job, made = review_job.start_review(_folder(), assembly, upload, current_user)
    if made is None:
        return render_template(
            "registration/import_review_job.html",
            assembly=assembly,
            upload=upload,
            job=job,
            job_error=jobs.error_text(job),
        )
    if made["ambiguous"]:
        return redirect(url_for("registration.import_values", assembly_id=assembly.id, key=key))
    return render_template(
        "registration/import_review.html",
        assembly=assembly,
        upload=upload,
        result=review_job.shown(made),
        labels=dict(imports.mapping_targets(assembly)),
        max_shown=review_job.MAX_SHOWN,
    )


def _review_job(job_id: int | None) -> jobs.Job | None:
    """The review's job while it is readable by this account; None when there is none."""
    if job_id is None:
        return None
    try:
        job = jobs.get_job(job_id)
    except NotFound:
        return None
    if job.user_id != current_user.id and current_user.role != Role.ADMIN:
        return None  # another account's review: this one makes its own
    return job


@bp.route("/assemblies/<int:assembly_id>/import/<key>/errors.xlsx")
@require(Permission.DESK)
def import_errors(assembly_id: int, key: str):
    """The rejected rows as an .xlsx to correct and import again."""
    assembly = get_assembly(assembly_id)
    upload = uploads.load_upload(_folder(), assembly.id, key)
    # the file the review made (a big list's job made it); checked again only when gone
    data = review_job.kept_errors(_folder(), assembly, upload)
    if data is None:
        result = imports.review(
            assembly, upload, today=venue_today(assembly), tick=jobs.paced(jobs.breathe)
        )
        data = errors_workbook(result.preview, upload.table, tick=jobs.paced(jobs.breathe))
    stem = Path(upload.filename).stem[:60] or "lista"
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="errores-{stem}.xlsx"'},
    )


@bp.post("/assemblies/<int:assembly_id>/import/<key>/confirm")
@require(Permission.DESK)
def import_confirm(assembly_id: int, key: str):
    """Step 4: store every valid new row in a background job (all or none); the next page
    shows its progress bar. No request waits for the rows."""
    assembly = get_assembly(assembly_id)
    upload = uploads.load_upload(_folder(), assembly.id, key)
    with unit_of_work():
        # noted first: the job's own commit writes the line, and nothing of this request is
        # still writing once the job runs (SQLite has one writer)
        audit.note(
            current_user,
            "import.start",
            assembly_id=assembly.id,
            subject=f"import {upload.filename}",
            people=len(upload.table.rows) if upload.table is not None else 0,
        )
        job_id = batches.start_import(_folder(), assembly, upload, current_user).id
    return redirect(url_for("registration.import_job", assembly_id=assembly.id, job_id=job_id))


@bp.route("/assemblies/<int:assembly_id>/import/jobs/<int:job_id>")
@require(Permission.DESK)
def import_job(assembly_id: int, job_id: int):
    """The import's progress bar while its job runs; then what it did (or why it failed)."""
    assembly = get_assembly(assembly_id)
    job = jobs.get_job(job_id)
    mine = job.user_id == current_user.id or current_user.role == Role.ADMIN
    if job.kind != "import" or job.assembly_id != assembly.id or not mine:
        raise NotFound(_("Esta tarea no existe."))
    return render_template(
        "registration/import_job.html", assembly=assembly, job=job, job_error=jobs.error_text(job)
    )


@bp.post("/assemblies/<int:assembly_id>/imports/<int:batch_id>/undo")
@require(Permission.DESK)
def import_undo(assembly_id: int, batch_id: int):
    """Undo an import as a whole: its people are removed while nobody of them has arrived."""
    assembly = get_assembly(assembly_id)
    try:
        with unit_of_work():
            undone = batches.undo_batch(current_user, assembly, batch_id)
            audit.note(
                current_user,
                "import.undo",
                assembly_id=assembly.id,
                subject=f"import:{batch_id}",
                people=undone.removed + undone.emptied,
            )
    except Conflict as error:
        flash(error.message, "error")
    else:
        message = _("Importación deshecha: se quitaron %(n)s personas.", n=undone.removed)
        if undone.emptied:
            message += " " + _(
                "Se vaciaron de nuevo los datos que llenó a %(n)s personas ya inscritas.",
                n=undone.emptied,
            )
        if undone.kept:
            message += " " + _(
                "%(n)s datos que llenó se conservaron: se corrigieron después o la persona "
                "ya llegó.",
                n=undone.kept,
            )
        if undone.unrecorded:
            message += " " + _(
                "Los datos que llenó a %(n)s personas ya inscritas se conservan: esta "
                "importación es anterior al registro de esos cambios.",
                n=undone.unrecorded,
            )
        flash(message, "success")
    return redirect(url_for("registration.import_upload", assembly_id=assembly.id))


@bp.post("/assemblies/<int:assembly_id>/import/<key>/cancel")
@require(Permission.DESK)
def import_cancel(assembly_id: int, key: str):
    """Forget the uploaded file without importing anything."""
    assembly = get_assembly(assembly_id)
    uploads.load_upload(_folder(), assembly.id, key)  # only this assembly's uploads
    uploads.discard(_folder(), key)
    flash(_("Importación cancelada: no se guardó nada."), "info")
    return redirect(url_for("registration.import_upload", assembly_id=assembly.id))

"""Log in and out; staff accounts (admin only)."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select

from assembly.auth import services, sessions
from assembly.auth.access import require, role_labels
from assembly.auth.domain import Permission, Role
from assembly.auth.forms import LoginForm, UserForm
from assembly.auth.models import User
from assembly.core import jobs
from assembly.errors import AssemblyError, NotFound
from assembly.extensions import db, limiter, unit_of_work
from assembly.helpers import attach_errors

bp = Blueprint("auth", __name__)


def _login_limit():
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    _login_limit, methods=["POST"], deduct_when=lambda response: response.status_code != 302
)
def login():
    """The staff log-in form; failed attempts are throttled per address."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        with unit_of_work():
            user = services.authenticate(form.username.data, form.password.data)
        if user:
            sessions.start(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Usuario o contraseña incorrectos."), "error")
        status = 401
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """End the session, and every other session of this account (another browser, a lost
    phone)."""
    with unit_of_work():
        sessions.end_everywhere(current_user._get_current_object())
    logout_user()
    flash(_("Sesión cerrada."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/admin/users")
@require(Permission.MANAGE_USERS)
def users():
    """Every staff account with its role."""
    rows = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("auth/users.html", users=rows, role_labels=role_labels())


@bp.route("/admin/users/new", methods=["GET", "POST"])
@require(Permission.MANAGE_USERS)
def new_user():
    """Create a staff account."""
    form = UserForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                user = services.create_user(
                    username=form.username.data,
                    display_name=form.display_name.data,
                    password=form.password.data or "",
                    role=form.role.data,
                    all_assemblies=form.all_assemblies.data,
                )
        except AssemblyError as error:
            attach_errors(form, error)
        else:
            flash(_("Cuenta «%(name)s» creada.", name=user.username), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None), 422 if form.errors else 200


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@require(Permission.MANAGE_USERS)
def edit_user(user_id: int):
    """Change a staff account's name, role, state or password."""
    user = services.get_user(user_id)
    form = UserForm(obj=user)
    form.username.render_kw = {"readonly": True}
    if form.validate_on_submit():
        try:
            with unit_of_work():
                services.update_user(
                    current_user,
                    user.id,
                    display_name=form.display_name.data,
                    role=form.role.data,
                    active=form.active.data,
                    password=form.password.data or "",
                    all_assemblies=form.all_assemblies.data,
                )
        except AssemblyError as error:
            attach_errors(form, error)
        else:
            if user.id == current_user.id:
                sessions.start(user)  # this browser stays logged in; the others end
            flash(_("Cuenta «%(name)s» actualizada.", name=user.username), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=user), 422 if form.errors else 200


@bp.route("/api/jobs/<int:job_id>")
@login_required
def job_status(job_id: int):
    """A background job's progress, for the page's progress bar: only the account that
    started it, or an admin, may read it (anyone else is told it does not exist)."""
    job = jobs.get_job(job_id)
    if job.user_id != current_user.id and current_user.role != Role.ADMIN:
        raise NotFound(_("Esta tarea no existe."))
    response = jsonify(ok=True, job=jobs.job_view(job))
    response.headers["Cache-Control"] = "no-store"
    return response


def _safe_next(target: str | None) -> str:
    """Only local paths: an open redirect after log-in is a phishing tool."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("core.home")

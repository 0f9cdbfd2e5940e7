from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from assembly.auth.domain import DEFAULT_ROLE, ROLE_LABELS
from assembly.helpers import select_choices


class LoginForm(FlaskForm):
    username = StringField(_l("Usuario"), validators=[DataRequired(_l("Escriba su usuario."))])
    password = PasswordField(
        _l("Contraseña"), validators=[DataRequired(_l("Escriba su contraseña."))]
    )


def _role_choices() -> list:
    """The roles in the page's language (asked at each render, not once at start-up)."""
    return select_choices((role, _(label)) for role, label in ROLE_LABELS.items())


class UserForm(FlaskForm):
    username = StringField(_l("Usuario"), validators=[DataRequired(), Length(max=60)])
    display_name = StringField(_l("Nombre"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Rol"), choices=_role_choices, default=DEFAULT_ROLE.value)
    password = PasswordField(_l("Contraseña"), validators=[Optional(), Length(max=200)])
    active = BooleanField(_l("Cuenta activa"), default=True)
    all_assemblies = BooleanField(
        _l("Todas las asambleas"),
        description=_l(
            "Para supervisión nacional. Si no, la cuenta trabaja solo en las asambleas que se "
            "le asignen en la página de equipo de cada asamblea."
        ),
    )

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField


class AssemblyForm(FlaskForm):
    """Fields and CSRF only: every rule lives in assemblies.domain.clean_assembly, so each
    message exists once and the form shows all of them at the same time."""

    name = StringField(_l("Nombre de la asamblea"))
    region = StringField(_l("Región"))
    department_code = SelectField(_l("Departamento"), choices=[], validate_choice=False)
    municipality_code = SelectField(_l("Municipio"), choices=[], validate_choice=False)
    date = StringField(_l("Fecha"))
    venue = StringField(_l("Lugar"))
    capacity = StringField(_l("Aforo"))
    table_size = StringField(_l("Personas por sub-mesa"))
    plan_start_year = StringField(_l("Plan de trabajo desde"))
    plan_end_year = StringField(_l("Plan de trabajo hasta"))
    agreement_line = StringField(_l("Línea del convenio"))
    #: the venue's IANA zone: every time a person reads is shown in it
    time_zone = SelectField(_l("Zona horaria del lugar"), choices=[], validate_choice=False)

    def raw(self) -> dict:
        """The submitted values as strings, for the domain checks."""
        return {field.name: "" if field.data is None else str(field.data) for field in self}

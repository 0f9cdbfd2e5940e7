"""The form's fields, as data every screen and the importer iterate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assembly.registration.choices import (
    AGE_RANGES,
    DISABILITY_KINDS,
    DOCUMENT_TYPES,
    ETHNICITIES,
    GENDER_IDENTITIES,
    LINES_OF_WORK,
    N_,
    ORGANIZATION_KINDS,
    SEXES,
    SEXUAL_ORIENTATIONS,
    ZONES,
    Choices,
)

# --------------------------------------------------------------------------------------------
# The form's fields
# --------------------------------------------------------------------------------------------

FieldKind = Literal["text", "choice", "bool", "date", "email", "phone"]


@dataclass(frozen=True)
class Field:
    """One core field of the unified form."""

    key: str  #: the model's column name
    label: str  #: Spanish label, as on the paper form and in the exports
    kind: FieldKind
    required: bool = False
    choices: Choices = ()
    max_length: int | None = None
    #: where choices come from when they are not fixed: "departments", "municipalities"
    #: (of the chosen department) or "themes" (of the assembly)
    choices_from: str | None = None


FIELDS: tuple[Field, ...] = (
    Field("document_type", N_("Tipo de documento"), "choice", True, DOCUMENT_TYPES),
    Field("document_number", N_("Número de documento"), "text", True, max_length=20),
    Field("first_names", N_("Nombres"), "text", True, max_length=120),
    Field("last_names", N_("Apellidos"), "text", True, max_length=120),
    # Either birth_date or age_range is required; age_range is derived from birth_date.
    Field("birth_date", N_("Fecha de nacimiento"), "date"),
    Field("age_range", N_("Rango de edad"), "choice", choices=AGE_RANGES),
    Field("sex", N_("Sexo"), "choice", True, SEXES),
    Field("gender_identity", N_("Identidad de género"), "choice", choices=GENDER_IDENTITIES),
    Field("sexual_orientation", N_("Orientación sexual"), "choice", choices=SEXUAL_ORIENTATIONS),
    Field("ethnicity", N_("Autorreconocimiento étnico"), "choice", True, ETHNICITIES),
    Field("has_disability", N_("¿Tiene alguna discapacidad?"), "bool"),
    Field("disability_kind", N_("Tipo de discapacidad"), "choice", choices=DISABILITY_KINDS),
    Field("is_victim", N_("¿Es víctima del conflicto armado?"), "bool"),
    Field("is_migrant", N_("¿Es población migrante?"), "bool"),
    Field("zone", N_("Zona de residencia"), "choice", choices=ZONES),
    Field("phone", N_("Teléfono o celular"), "phone", max_length=20),
    Field("email", N_("Correo electrónico"), "email", max_length=200),
    Field("department_code", N_("Departamento"), "choice", True, choices_from="departments"),
    Field("municipality_code", N_("Municipio"), "choice", True, choices_from="municipalities"),
    Field("organization_name", N_("Organización a la que pertenece"), "text", max_length=200),
    Field("organization_kind", N_("Tipo de organización"), "choice", choices=ORGANIZATION_KINDS),
    Field("organization_role", N_("Rol en la organización"), "text", max_length=120),
    Field("line_of_work", N_("Oficio o actividad económica"), "choice", choices=LINES_OF_WORK),
    Field("knows_pit", N_("¿Conoce el Proyecto de Impacto Territorial (PIT)?"), "bool"),
    Field(
        "took_part_before",
        N_("¿Ha participado antes en espacios de diagnóstico de necesidades?"),
        "bool",
    ),
    Field("preferred_theme_id", N_("Eje temático de preferencia"), "choice", choices_from="themes"),
    Field(
        "consent_data",
        N_("Autorizo el tratamiento de mis datos personales (Ley 1581 de 2012)"),
        "bool",
        True,
    ),
    Field("consent_photos", N_("Autorizo el uso de mi imagen en fotografías y video"), "bool"),
)
FIELDS_BY_KEY: dict[str, Field] = {field.key: field for field in FIELDS}

#: the version of the consent text above (the data-processing authorisation); bump it when
#: the text changes, so each person's record says which text they accepted (Ley 1581)
CONSENT_VERSION = "2"
#: registration source -> the consent channel stored with the person
CONSENT_CHANNELS = {"preregistro": "form", "mesa": "desk", "importado": "import"}


@dataclass(frozen=True)
class ExtraQuestion:
    """A question an admin adds to one assembly's form; answered under ``extra_<id>``."""

    id: int
    label: str
    kind: Literal["text", "choice", "yesno"]
    choices: tuple[str, ...] = ()
    required: bool = False


EXTRA_TEXT_MAX_LENGTH = 500

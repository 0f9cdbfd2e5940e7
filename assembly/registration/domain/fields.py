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
    Field("document_type", "Tipo de documento", "choice", True, DOCUMENT_TYPES),
    Field("document_number", "Número de documento", "text", True, max_length=20),
    Field("first_names", "Nombres", "text", True, max_length=120),
    Field("last_names", "Apellidos", "text", True, max_length=120),
    # Either birth_date or age_range is required; age_range is derived from birth_date.
    Field("birth_date", "Fecha de nacimiento", "date"),
    Field("age_range", "Rango de edad", "choice", choices=AGE_RANGES),
    Field("sex", "Sexo", "choice", True, SEXES),
    Field("gender_identity", "Identidad de género", "choice", choices=GENDER_IDENTITIES),
    Field("sexual_orientation", "Orientación sexual", "choice", choices=SEXUAL_ORIENTATIONS),
    Field("ethnicity", "Autorreconocimiento étnico", "choice", True, ETHNICITIES),
    Field("has_disability", "¿Tiene alguna discapacidad?", "bool"),
    Field("disability_kind", "Tipo de discapacidad", "choice", choices=DISABILITY_KINDS),
    Field("is_victim", "¿Es víctima del conflicto armado?", "bool"),
    Field("is_migrant", "¿Es población migrante?", "bool"),
    Field("zone", "Zona de residencia", "choice", choices=ZONES),
    Field("phone", "Teléfono o celular", "phone", max_length=20),
    Field("email", "Correo electrónico", "email", max_length=200),
    Field("department_code", "Departamento", "choice", True, choices_from="departments"),
    Field("municipality_code", "Municipio", "choice", True, choices_from="municipalities"),
    Field("organization_name", "Organización a la que pertenece", "text", max_length=200),
    Field("organization_kind", "Tipo de organización", "choice", choices=ORGANIZATION_KINDS),
    Field("organization_role", "Rol en la organización", "text", max_length=120),
    Field("line_of_work", "Oficio o actividad económica", "choice", choices=LINES_OF_WORK),
    Field("knows_pit", "¿Conoce el Proyecto de Impacto Territorial (PIT)?", "bool"),
    Field(
        "took_part_before",
        "¿Ha participado antes en espacios de diagnóstico de necesidades?",
        "bool",
    ),
    Field("preferred_theme_id", "Eje temático de preferencia", "choice", choices_from="themes"),
    Field(
        "consent_data",
        "Autorizo el tratamiento de mis datos personales (Ley 1581 de 2012)",
        "bool",
        True,
    ),
    Field("consent_photos", "Autorizo el uso de mi imagen en fotografías y video", "bool"),
)
FIELDS_BY_KEY: dict[str, Field] = {field.key: field for field in FIELDS}

#: the version of the consent text above (the data-processing authorisation); bump it when
#: the text changes, so each person's record says which text they accepted (Ley 1581)
CONSENT_VERSION = "1"
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

"""Step 2 of an import: which form field each column holds (a suggestion the operator
confirms on the mapping screen)."""

from __future__ import annotations

from collections.abc import Sequence

from assembly.marks import N_
from assembly.registration.domain import (
    FIELDS,
    normalize_name,
)

# Mapping targets that are not form fields: they are folded into first_names / last_names.
FULL_NAME = "full_name"
SECOND_FIRST_NAME = "second_first_name"
SECOND_LAST_NAME = "second_last_name"
SPECIAL_KEYS: dict[str, str] = {
    FULL_NAME: N_("Nombre completo (se separa en nombres y apellidos)"),
    SECOND_FIRST_NAME: N_("Segundo nombre"),
    SECOND_LAST_NAME: N_("Segundo apellido"),
}


# Header variants, compared after normalize_name (no accents, case or punctuation). Order
# matters: the first rule whose phrase appears in the header wins, so the specific phrases
# ("tipo de documento") come before the general ones ("documento").
_HEADER_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("document_type", ("tipo de documento", "tipo documento", "tipo doc", "tipo de identificacion",
                       "tipo identificacion", "tipo id", "td")),
    ("disability_kind", ("tipo de discapacidad", "tipo discapacidad", "cual discapacidad")),
    ("organization_kind", ("tipo de organizacion", "tipo organizacion", "tipo de entidad")),
    ("organization_role", ("rol en la organizacion", "cargo en la organizacion", "cargo", "rol")),
    ("organization_name", ("nombre de la organizacion", "organizacion", "asociacion",
                           "nombre de la entidad", "entidad")),
    (FULL_NAME, ("nombre completo", "nombres y apellidos", "nombre y apellido",
                 "nombres completos", "nombre s y apellido s")),
    (SECOND_FIRST_NAME, ("segundo nombre",)),
    (SECOND_LAST_NAME, ("segundo apellido",)),
    ("first_names", ("primer nombre", "nombres", "nombre")),
    ("last_names", ("primer apellido", "apellidos", "apellido")),
    ("birth_date", ("fecha de nacimiento", "fecha nacimiento", "nacimiento", "f nac")),
    ("age_range", ("rango de edad", "rango edad", "grupo etario", "grupo de edad", "edad")),
    ("gender_identity", ("identidad de genero", "genero")),
    ("sexual_orientation", ("orientacion sexual", "orientacion")),
    ("sex", ("sexo",)),
    ("ethnicity", ("pertenencia etnica", "autorreconocimiento", "grupo etnico", "etnia",
                   "etnico", "etnica")),
    ("has_disability", ("discapacidad",)),
    ("is_victim", ("victima",)),
    ("is_migrant", ("migrante", "migracion")),
    ("zone", ("zona", "area de residencia", "rural urbano", "urbano rural")),
    ("consent_data", ("tratamiento de datos", "habeas data", "autorizacion de datos",
                      "proteccion de datos", "datos personales", "consentimiento")),
    ("consent_photos", ("uso de imagen", "uso de mi imagen", "fotografia", "fotografias", "fotos",
                        "autorizacion de imagen")),
    ("preferred_theme_id", ("eje tematico de preferencia", "eje de preferencia", "eje tematico",
                            "mesa de preferencia", "tema de interes")),
    ("email", ("correo", "email", "e mail", "mail")),
    ("phone", ("celular", "telefono", "movil", "whatsapp", "tel", "contacto")),
    ("document_number", ("numero de documento", "numero documento", "no documento",
                         "nro documento", "num documento", "numero de identificacion",
                         "numero identificacion", "no identificacion", "documento de identidad",
                         "identificacion", "documento", "cedula", "cc", "c c", "doc")),
    ("department_code", ("departamento", "depto", "dpto", "dpto residencia")),
    ("municipality_code", ("municipio", "ciudad", "mpio")),
    ("line_of_work", ("oficio", "actividad economica", "ocupacion", "actividad", "profesion")),
    ("knows_pit", ("conoce el pit", "conoce pit", "proyecto de impacto territorial")),
    ("took_part_before", ("participo", "ha participado", "participacion previa",
                          "participacion anterior")),
)  # fmt: skip


def _header_target(header: str) -> str | None:
    words = f" {normalize_name(header)} "
    for key, phrases in _HEADER_RULES:
        if any(f" {phrase} " in words for phrase in phrases):
            return key
    return None


def suggest_mapping(headers: Sequence[str]) -> dict[str, str | None]:
    """Guess the form field (or special key) each column holds; None when unsure.

    Spanish variants are recognised whatever their accents or case: "Cédula", "No.
    documento" and "Número de identificación" give ``document_number``. Each field is
    suggested for one column only, the first. "Nombre completo" gives :data:`FULL_NAME`, as
    does a lone "Nombre" column when the list has no surname column; a bare "Género" column
    is taken as the sex when there is no "Sexo" column.
    """
    mapping: dict[str, str | None] = {}
    taken: set[str] = set()
    for header in headers:
        target = _header_target(header)
        if target in taken:
            target = None
        mapping[header] = target
        if target:
            taken.add(target)
    for header, target in mapping.items():
        if target == "first_names" and not taken & {"last_names", FULL_NAME}:
            mapping[header] = FULL_NAME
        # Many lists call the sex column "Género" (F/M); sex is the required field.
        if (
            target == "gender_identity"
            and "sex" not in taken
            and normalize_name(header) == "genero"
        ):
            mapping[header] = "sex"
    return mapping


def mapping_targets() -> list[tuple[str, str]]:
    """Every key a column can be mapped to, with its Spanish label, for the mapping screen."""
    return [(f.key, f.label) for f in FIELDS] + list(SPECIAL_KEYS.items())

"""The unified form's choice lists (stored value, Spanish label), the variants people write
for them, and who counts as LGBTIQ+ in the reports.  Pure data."""

from __future__ import annotations

from collections.abc import Mapping

from assembly.marks import N_

Choices = tuple[tuple[str, str], ...]


# --------------------------------------------------------------------------------------------
# Choice lists: (stored value, Spanish label). Values are the model's column values: ASCII,
# snake_case, at most 30 characters; never change a value once data exist.
# --------------------------------------------------------------------------------------------

NO_ANSWER = "prefiero_no_responder"
_NO_ANSWER_CHOICE = (NO_ANSWER, N_("Prefiero no responder"))

DOCUMENT_TYPES: Choices = (
    ("CC", N_("Cédula de ciudadanía")),
    ("TI", N_("Tarjeta de identidad")),
    ("CE", N_("Cédula de extranjería")),
    ("PPT", N_("Permiso por Protección Temporal")),
    ("PEP", N_("Permiso Especial de Permanencia")),
    ("PA", N_("Pasaporte")),
    ("OTRO", N_("Otro")),
)
SEXES: Choices = (
    ("mujer", N_("Mujer")),
    ("hombre", N_("Hombre")),
    ("intersexual", N_("Intersexual")),
    _NO_ANSWER_CHOICE,
)
GENDER_IDENTITIES: Choices = (
    ("femenino", N_("Femenino")),
    ("masculino", N_("Masculino")),
    ("transgenero", N_("Transgénero")),
    ("no_binario", N_("No binario")),
    ("otra", N_("Otra")),
    _NO_ANSWER_CHOICE,
)
SEXUAL_ORIENTATIONS: Choices = (
    ("heterosexual", N_("Heterosexual")),
    ("lesbiana", N_("Lesbiana")),
    ("gay", N_("Gay")),
    ("bisexual", N_("Bisexual")),
    ("otra", N_("Otra")),
    _NO_ANSWER_CHOICE,
)
ETHNICITIES: Choices = (
    ("indigena", N_("Indígena")),
    ("negro_afrocolombiano", N_("Negro(a) / afrocolombiano(a)")),
    ("raizal", N_("Raizal")),
    ("palenquero", N_("Palenquero(a)")),
    ("rrom", N_("Rrom (gitano)")),
    # A list that only says "NARP" (negro, afrocolombiano, raizal, palenquero) without the
    # part: its own category, counted under NARP in the reports (NARP_ETHNICITIES).
    ("narp", N_("NARP sin especificar")),
    ("ninguno", N_("Ninguno")),
    # Ethnic origin is sensitive data: Ley 1581 (art. 6) makes answering optional, so the
    # required question always offers a way not to answer.
    _NO_ANSWER_CHOICE,
)
DISABILITY_KINDS: Choices = (
    ("fisica", N_("Física")),
    ("auditiva", N_("Auditiva")),
    ("visual", N_("Visual")),
    ("sordoceguera", N_("Sordoceguera")),
    ("intelectual", N_("Intelectual")),
    ("psicosocial", N_("Psicosocial (mental)")),
    ("multiple", N_("Múltiple")),
)
ZONES: Choices = (("rural", "Rural"), ("urbana", "Urbana"))

#: DANE's Negro, Afrocolombiano, Raizal y Palenquero population, as the reports count it
NARP_ETHNICITIES = frozenset({"negro_afrocolombiano", "raizal", "palenquero", "narp"})
#: every ethnic group (not "ninguno", not unanswered)
ETHNIC_GROUPS = NARP_ETHNICITIES | {"indigena", "rrom"}

# Youth is 14-28 (Ley 1622 de 2013, Estatuto de Ciudadanía Juvenil) and older adults are 60+
# (Ley 1251 de 2008), so the ranges never straddle those limits. (value, label, min, max)
AGE_BOUNDS: tuple[tuple[str, str, int, int], ...] = (
    ("0-13", N_("Menor de 14 años"), 0, 13),
    ("14-17", N_("14 a 17 años"), 14, 17),
    ("18-28", N_("18 a 28 años"), 18, 28),
    ("29-40", N_("29 a 40 años"), 29, 40),
    ("41-59", N_("41 a 59 años"), 41, 59),
    ("60+", N_("60 años o más"), 60, 200),
)
AGE_RANGES: Choices = tuple((value, label) for value, label, _, _ in AGE_BOUNDS)
YOUTH_AGE_RANGES = frozenset({"14-17", "18-28"})
OLDER_ADULT_AGE_RANGES = frozenset({"60+"})
MIN_AGE, MAX_AGE = 10, 110

ORGANIZATION_KINDS: Choices = (
    ("economia_popular", N_("Economía popular")),
    ("economia_solidaria", N_("Economía solidaria")),
    ("comunitaria", N_("Comunitaria")),
    ("entidad_publica", N_("Entidad pública")),
    ("cooperacion", N_("Cooperación")),
    ("otra", N_("Otra")),
    ("ninguna", N_("Ninguna")),
)
LINES_OF_WORK: Choices = (
    ("vendedor_ambulante", N_("Vendedor(a) ambulante o informal")),
    ("tendero", N_("Tendero(a)")),
    ("reciclador", N_("Reciclador(a)")),
    ("constructor", N_("Constructor(a)")),
    ("obrero_construccion", N_("Obrero(a) de la construcción")),
    ("mototaxista", N_("Mototaxista")),
    ("campesino", N_("Campesino(a)")),
    ("pescador", N_("Pescador(a)")),
    ("artesano", N_("Artesano(a)")),
    ("comerciante", N_("Comerciante")),
    ("trabajo_sexual", N_("Trabajador(a) sexual")),
    ("trabajo_cuidado", N_("Trabajo del cuidado o del hogar")),
    ("emprendedor", N_("Emprendedor(a)")),
    ("estudiante", N_("Estudiante")),
    ("servidor_publico", N_("Servidor(a) público(a)")),
    ("sin_empleo", N_("Sin empleo")),
    ("otro", N_("Otro")),
)

# How people write the choices in lists and at the desk, beyond the value and the label
# (always accepted): field -> {value: variants}. Compared with _choice_key(), so accents,
# case, spaces and punctuation do not matter ("C.C." is "cc").
CHOICE_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "document_type": {
        "CC": ("cedula", "cedula ciudadania", "cedula de ciudadania", "cedula ciudadana", "ced",
               "cc colombiana", "cedula colombiana"),
        "TI": ("tarjeta identidad", "tarjeta", "t identidad"),
        "CE": ("cedula extranjeria", "cedula de extranjeria", "cedula extranjera", "c extranjeria"),
        "PPT": ("permiso proteccion temporal", "permiso por proteccion temporal",
                "permiso de proteccion temporal", "pt"),
        "PEP": ("permiso especial permanencia", "permiso especial de permanencia"),
        "PA": ("pasaporte", "pas", "pp", "pasap", "passport"),
        "OTRO": ("registro civil", "rc", "nuip"),
    },
    "sex": {
        "mujer": ("f", "femenino"),
        "hombre": ("m", "h", "masculino"),
        "intersexual": ("intersex",),
        NO_ANSWER: ("no responde", "nr", "prefiero no decir"),
    },
    "gender_identity": {
        "femenino": ("mujer",),
        "masculino": ("hombre",),
        "transgenero": ("trans", "mujer trans", "hombre trans"),
        NO_ANSWER: ("no responde",),
    },
    "sexual_orientation": {
        "heterosexual": ("hetero",),
        "bisexual": ("bi",),
        NO_ANSWER: ("no responde",),
    },
    "ethnicity": {
        "negro_afrocolombiano": ("afro", "afrocolombiano", "afrocolombiana", "afrodescendiente",
                                 "afrodescendientes", "negro", "negra", "negros", "comunidad negra",
                                 "mulato", "mulata", "afro colombiano", "afrocolombianos",
                                 "negro mulato afrodescendiente afrocolombiano"),
        "raizal": ("raizal del archipielago", "raizal de san andres"),
        "palenquero": ("palenquera", "palenquero de san basilio"),
        "narp": ("narp sin especificar", "poblacion narp", "comunidad narp"),
        "indigena": ("indigenas", "pueblo indigena", "comunidad indigena"),
        "rrom": ("gitano", "gitana", "rom", "romani", "pueblo rrom", "rrom gitano"),
        # DANE's ethnic self-identification has no mestizo or white category: "ninguno".
        "ninguno": ("ninguna", "ningun", "ninguno de los anteriores", "no aplica", "na", "no",
                    "mestizo", "mestiza", "blanco", "blanca"),
    },
    "disability_kind": {
        "fisica": ("motora",),
        "auditiva": ("sorda", "sordo"),
        "visual": ("ceguera",),
        "intelectual": ("cognitiva",),
        "psicosocial": ("mental",),
        "multiple": ("multiples",),
    },
    # DANE: cabecera municipal is urban; centros poblados and rural disperso are rural.
    "zone": {"urbana": ("urbano", "cabecera", "cabecera municipal", "zona urbana", "area urbana",
                        "casco urbano", "u"),
             "rural": ("rural disperso", "vereda", "zona rural", "area rural", "centro poblado",
                       "resto", "corregimiento", "r")},
    "organization_kind": {
        "economia_popular": ("popular",),
        "economia_solidaria": ("solidaria", "cooperativa"),
        "comunitaria": ("junta de accion comunal", "jac"),
        "entidad_publica": ("publica",),
        "cooperacion": ("cooperacion internacional",),
        "ninguna": ("ninguno", "no aplica"),
    },
    "line_of_work": {
        "vendedor_ambulante": ("vendedor ambulante", "vendedora ambulante", "vendedor informal",
                               "vendedora informal", "venta ambulante"),
        "mototaxista": ("mototaxi",),
        "campesino": ("agricultor", "agricultora"),
        "trabajo_sexual": ("trabajo sexual",),
        "trabajo_cuidado": ("ama de casa", "hogar"),
        "sin_empleo": ("desempleado", "desempleada"),
    },
}  # fmt: skip


# --------------------------------------------------------------------------------------------
# LGBTIQ+: reports count it as its own population.
# --------------------------------------------------------------------------------------------

LGBTIQ_GENDER_IDENTITIES = frozenset({"transgenero", "no_binario", "otra"})
LGBTIQ_SEXUAL_ORIENTATIONS = frozenset({"lesbiana", "gay", "bisexual", "otra"})


def is_lgbtiq(record: Mapping[str, object] | object) -> bool:
    """True when the person belongs to the LGBTIQ+ population.

    ``record`` is a clean registration dict or an object with the same attributes (the
    model). Counted: a trans, non-binary or other gender identity, a lesbian, gay, bisexual or
    other orientation, and intersex people (the "I" of the acronym).
    """

    def get(key: str) -> object:
        if isinstance(record, Mapping):
            return record.get(key)
        return getattr(record, key, None)

    return (
        get("gender_identity") in LGBTIQ_GENDER_IDENTITIES
        or get("sexual_orientation") in LGBTIQ_SEXUAL_ORIENTATIONS
        or get("sex") == "intersexual"
    )

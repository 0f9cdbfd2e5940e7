"""The unified registration form (methodology.md, "Registro") as data, plus its validation.

Pure logic: plain data in, plain data out. No Flask, no models. The templates, the desk form,
the pre-registration importer and the exports all iterate :data:`FIELDS`, and every path that
creates an attendee goes through :func:`validate_registration`. ``fields`` (the form as data),
``normalize`` (names, documents, choices, dates), ``form`` (the form being checked),
``checks`` (each field's rule), ``validation`` (one registration, one listed person),
``questions`` (the extra questions an admin writes); the vocabulary lives in
``registration/choices.py``.
"""

from assembly.registration.choices import (  # noqa: F401  (re-exported: the form's vocabulary)
    AGE_BOUNDS,
    AGE_RANGES,
    CHOICE_ALIASES,
    DISABILITY_KINDS,
    DOCUMENT_TYPES,
    ETHNIC_GROUPS,
    ETHNICITIES,
    GENDER_IDENTITIES,
    LGBTIQ_GENDER_IDENTITIES,
    LGBTIQ_SEXUAL_ORIENTATIONS,
    LINES_OF_WORK,
    MAX_AGE,
    MIN_AGE,
    NARP_ETHNICITIES,
    NO_ANSWER,
    OLDER_ADULT_AGE_RANGES,
    ORGANIZATION_KINDS,
    SEXES,
    SEXUAL_ORIENTATIONS,
    YOUTH_AGE_RANGES,
    ZONES,
    Choices,
    is_lgbtiq,
)
from assembly.registration.consent import HABEAS_DATA_TEXT, PHOTO_CONSENT_TEXT  # noqa: F401
from assembly.registration.domain.checks import normal_email, normalize_phone  # noqa: F401
from assembly.registration.domain.fields import (  # noqa: F401
    EXTRA_TEXT_MAX_LENGTH,
    FIELDS,
    FIELDS_BY_KEY,
    ExtraQuestion,
    Field,
    FieldKind,
)
from assembly.registration.domain.normalize import (  # noqa: F401
    _APOSTROPHES,
    _APOSTROPHES_RE,
    _DATE_FORMATS,
    _FALSE_WORDS,
    _NAME_PARTICLES,
    _PUNCTUATION_RE,
    _TRUE_WORDS,
    _choice_key,
    _choice_lookup,
    _gender_variants,
    _strip_accents,
    _upper_match,
    age_on,
    age_range_for,
    age_range_for_age,
    format_person_name,
    match_choice,
    normalize_document,
    normalize_name,
    parse_bool,
    parse_date,
)
from assembly.registration.domain.questions import (  # noqa: F401
    EXTRA_CHOICE_MAX_LENGTH,
    EXTRA_LABEL_MAX_LENGTH,
    EXTRA_MAX_CHOICES,
    EXTRA_QUESTION_KINDS,
    clean_extra_question,
)
from assembly.registration.domain.validation import (  # noqa: F401
    CONSENT_REQUIRED_MESSAGE,
    IDENTITY_FIELDS,
    missing_fields,
    validate_listed_person,
    validate_registration,
)

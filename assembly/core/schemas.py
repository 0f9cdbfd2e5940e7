"""Declared inputs (contract 2): pydantic v2 validates every Socket.IO payload and JSON body.

A schema is a :class:`Payload` subclass; :func:`parse` turns a raw value into it or raises
:class:`~assembly.errors.InvalidInput` with one Spanish message per field (mapped from
pydantic's error types in :data:`FIELD_MESSAGES`, the only place that does it). A payload that
is not an object at all, a list where a text goes, a number too large for the database:
all are refusals, never a traceback::

    class SubmitPiece(Payload):
        id: Text[36]
        kind: Literal["need", "solution", "plan"]
        parent_id: Text[36] | None = None

    @event("submit_piece", SubmitPiece)        # core.sockets: Socket.IO
    def on_submit_piece(data: SubmitPiece): ...

    @json_body(CheckIn)                         # HTTP routes with a JSON body
    def check_in(assembly_id, body: CheckIn): ...

Unknown keys are ignored (clients send more than a handler reads); texts are stripped.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from assembly.errors import InvalidInput

#: the largest id or count the database stores (a 32-bit integer column)
MAX_INT = 2_147_483_647


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "true/false is not a number")
    return value


#: a database id: 1 .. 2**31-1 (a numeric string is accepted; true/false are not)
Id = Annotated[int, BeforeValidator(_no_bool), Field(ge=1, le=MAX_INT)]
#: an optional id: absent, null or "" (an empty form field) is None
OptionalId = Annotated[Id | None, BeforeValidator(lambda value: None if value == "" else value)]
#: a count or other whole number 0 .. 2**31-1
Count = Annotated[int, BeforeValidator(_no_bool), Field(ge=0, le=MAX_INT)]


class _TextFactory:
    """``Text[200]``: a string of at most 200 characters, stripped."""

    def __getitem__(self, max_length: int):
        return Annotated[str, StringConstraints(strip_whitespace=True, max_length=max_length)]


Text = _TextFactory()


@dataclass(frozen=True)
class Says:
    """The sentence a refusal leads with when this field is the one that failed:
    ``assembly_id: Annotated[Id, Says(_l("Falta la asamblea."))]``."""

    message: object


#: the assembly a socket event is about (a missing or bad one says "Falta la asamblea.")
AssemblyId = Annotated[Id, Says(_l("Falta la asamblea."))]


class Payload(BaseModel):
    """Base of every input schema."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)


S = TypeVar("S", bound=Payload)


#: pydantic error type -> the Spanish message shown beside the field (``%(name)s`` takes
#: the error's context: max_length, ge, le, expected...)
FIELD_MESSAGES = {
    "missing": _l("Falta este dato."),
    "string_type": _l("Debe ser un texto."),
    "string_too_long": _l("Es demasiado largo: como máximo %(max_length)s caracteres."),
    "string_too_short": _l("Es demasiado corto."),
    "int_type": _l("Debe ser un número entero."),
    "int_parsing": _l("Debe ser un número entero."),
    "int_from_float": _l("Debe ser un número entero."),
    "float_type": _l("Debe ser un número."),
    "float_parsing": _l("Debe ser un número."),
    "greater_than_equal": _l("Debe ser %(ge)s o más."),
    "greater_than": _l("Debe ser mayor que %(gt)s."),
    "less_than_equal": _l("Debe ser %(le)s o menos."),
    "less_than": _l("Debe ser menor que %(lt)s."),
    "bool_type": _l("Debe ser sí o no."),
    "bool_parsing": _l("Debe ser sí o no."),
    "literal_error": _l("Elija una de las opciones."),
    "enum": _l("Elija una de las opciones."),
    "uuid_type": _l("El identificador no es válido."),
    "uuid_parsing": _l("El identificador no es válido."),
    "list_type": _l("Debe ser una lista."),
    "too_long": _l("Tiene demasiados elementos."),
    "dict_type": _l("Los datos no tienen la forma esperada."),
    "model_type": _l("Los datos no tienen la forma esperada."),
    "value_error": _l("El valor no es válido."),
}


_ID = TypeAdapter(Id)


def as_id(value: object) -> int | None:
    """``value`` as a database id, or None (for credentials and other single values)."""
    try:
        return _ID.validate_python(value)
    except ValidationError:
        return None


def field_message(error: dict) -> str:
    template = FIELD_MESSAGES.get(error["type"], FIELD_MESSAGES["value_error"])
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return str(template) % context if "%(" in str(template) else str(template)
    except (KeyError, ValueError):
        return str(FIELD_MESSAGES["value_error"])


def field_messages(error: ValidationError) -> dict[str, str]:
    """``{"field.sub": "message"}``: the first problem of each field."""
    messages: dict[str, str] = {}
    for problem in error.errors(include_url=False, include_input=False):
        name = ".".join(str(part) for part in problem["loc"]) or "payload"
        messages.setdefault(name, field_message(problem))
    return messages


def parse(schema: type[S], data: object) -> S:
    """``data`` as ``schema``, or InvalidInput (``fields`` names every bad field)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidInput(
            _("Los datos enviados no tienen la forma esperada; recargue la página."),
            fields={"payload": str(FIELD_MESSAGES["dict_type"])},
        )
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        fields = field_messages(error)
        raise InvalidInput(_headline(schema, fields), fields=fields) from None


def _headline(schema: type[Payload], fields: dict[str, str]) -> str:
    """The field's own sentence (:class:`Says`) when one field failed and has one; else a
    sentence naming the fields."""
    if len(fields) == 1:
        name = next(iter(fields)).split(".")[0]
        info = schema.model_fields.get(name)
        says = next((m for m in (info.metadata if info else ()) if isinstance(m, Says)), None)
        if says is not None:
            return str(says.message)
    return _("Revise los datos enviados: %(fields)s.", fields=", ".join(sorted(fields)))


def json_body(schema: type[Payload]):
    """Route decorator: the request's JSON body parsed as ``schema`` arrives as ``body``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            kwargs["body"] = parse(schema, request.get_json(silent=True))
            return view(*args, **kwargs)

        wrapper.body_schema = schema
        return wrapper

    return decorator

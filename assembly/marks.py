"""``N_``: marks a Spanish label for the catalog without translating it (pybabel's default
keyword). Pure data modules (domains, choice lists) mark their labels with it; the screens
translate them where they show them (``_(label)``), while stored codes and the official Excel
reports keep the Spanish.

:class:`Problem` is a marked sentence with its parameters: it reads as its Spanish sentence
(it is a ``str``) and keeps its catalog msgid and parameters, so that what is shown later, in
another language — a form's field, an import's row, a failed background job's reason — is
said in its reader's (:func:`stored` keeps it as JSON, :func:`said` says it). Pure: no Flask.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping


def N_(text: str) -> str:
    """``text`` itself; pybabel extracts it into the catalog."""
    return text


class Problem(str):
    """``Problem(N_("Máximo %(n)s caracteres."), n=200)``: the Spanish sentence, with
    ``msgid`` and ``params``. A parameter may itself be a Problem (a label to translate too)
    or a list of them (written joined by commas)."""

    msgid: str
    params: dict[str, object]

    def __new__(cls, msgid: str, **params: object) -> Problem:
        text = msgid % {key: _spanish(value) for key, value in params.items()} if params else msgid
        problem = super().__new__(cls, text)
        problem.msgid, problem.params = msgid, params
        return problem


def _spanish(value: object) -> object:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return value


def stored(value: object) -> object:
    """``value`` as plain JSON that keeps what :func:`said` needs: a Problem as ``{"msgid",
    "params"}``; any other text as it is."""
    if isinstance(value, Problem):
        return {
            "msgid": value.msgid,
            "params": {key: stored(param) for key, param in value.params.items()},
        }
    if isinstance(value, list | tuple):
        return [stored(item) for item in value]
    return value if isinstance(value, int | float | type(None)) else str(value)


def said(value: object, gettext: Callable[..., str]) -> str:
    """A problem (or a :func:`stored` one) said through ``gettext`` (msgid, **params); a
    plain text (a review kept before problems were stored this way) as it was written."""
    if isinstance(value, Problem):
        value = stored(value)
    if isinstance(value, Mapping) and "msgid" in value:
        params = {key: _said_param(param, gettext) for key, param in value["params"].items()}
        return gettext(value["msgid"], **params) if params else gettext(value["msgid"])
    return str(value)


def _said_param(value: object, gettext: Callable[..., str]) -> object:
    if isinstance(value, list):
        return ", ".join(said(item, gettext) for item in value)
    if isinstance(value, Mapping):
        return said(value, gettext)
    return value

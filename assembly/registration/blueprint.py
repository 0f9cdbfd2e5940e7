"""The registration blueprint: its routes live in ``routes.py`` (the form, the list, tickets,
badges, the poster, extra questions) and ``imports/routes.py`` (list imports)."""

from flask import Blueprint

bp = Blueprint("registration", __name__)

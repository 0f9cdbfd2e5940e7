"""The desk's search: a person by name (every typed word starts a word of the name, accents
and case ignored) or by the first digits of the document, a page at a time.  Both go
through an index: the (assembly, document) unique index for a range, the name index
(:mod:`assembly.registration.name_index`) for the words."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, and_, func, literal, literal_column, or_, select
from sqlalchemy import text as sql_text

from assembly.core import divipola
from assembly.desk import domain
from assembly.extensions import db
from assembly.registration import name_index
from assembly.registration.models import Attendee


def _matching(assembly_id: int, text: str):
    words = domain.search_words(text)
    number = domain.document_prefix(text)
    if number is not None and all(any(c.isdigit() for c in word) for word in words):
        words = []  # digits only: a document number, found through its index (no name has them)
    if not words and number is None:
        return None
    matches = []
    if words:
        spaced = literal(" ") + Attendee.name_key  # so every word start follows a space
        # the name index finds the candidates; the LIKE keeps today's exact matches
        matches.append(and_(_named(words), *(spaced.like(f"% {word}%") for word in words)))
    if number is not None:
        # A range on the (assembly, document) unique index finds the prefix without a scan
        # (LIKE cannot use it: SQLite's is case-blind, PostgreSQL's needs a C collation);
        # the LIKE keeps the match exact.
        match = and_(
            Attendee.document_number >= number, Attendee.document_number.like(f"{number}%")
        )
        above = domain.prefix_upper_bound(number)
        if above is not None:
            match = and_(match, Attendee.document_number < above)
        matches.append(match)
    same_assembly = Attendee.assembly_id == assembly_id
    if number is None and db.session.get_bind().dialect.name == "sqlite":
        # "+ 0" keeps SQLite from walking the (assembly, name) index in name order and
        # testing each row against the name index's answer: the name index must drive
        same_assembly = Attendee.assembly_id + 0 == assembly_id
    return select(Attendee).where(same_assembly, or_(*matches))


def _named(words: list[str]):
    """People with a name word starting with each of ``words``, from the name index
    (:mod:`assembly.registration.name_index`): no scan of the names."""
    if db.session.get_bind().dialect.name == "postgresql":
        config = literal_column("'simple'")  # as the index is built, not a bound value
        return func.to_tsvector(config, Attendee.name_key).op("@@")(
            func.to_tsquery(config, name_index.postgresql_match(words))
        )
    found = sql_text(
        f"SELECT rowid FROM {name_index.FTS_TABLE} WHERE {name_index.FTS_TABLE} MATCH :names"
    ).bindparams(names=name_index.sqlite_match(words))
    return Attendee.id.in_(found.columns(rowid=Integer))


def search(assembly_id: int, text: str, limit: int = 8) -> list[Attendee]:
    """People whose name holds every typed word (as a word start, accents and case ignored),
    or whose document number starts with the typed digits."""
    return search_page(assembly_id, text, limit=limit).people


@dataclass(frozen=True)
class SearchPage:
    people: list[Attendee]
    #: every match of the text (and the narrowing), not only this page
    total: int
    offset: int


#: more matches than this are not narrowed in memory: the desk asks for more words
SEARCH_CAP = 2000


def search_page(
    assembly_id: int, text: str, *, narrow: str = "", offset: int = 0, limit: int = 20
) -> SearchPage:
    """One page of :func:`search`'s matches with their total, narrowed to those whose
    organisation or municipality holds every word of ``narrow`` (accents and case ignored)."""
    query = _matching(assembly_id, text)
    if query is None:
        return SearchPage([], 0, 0)
    query = query.order_by(Attendee.name_key, Attendee.id)
    limit = max(1, min(limit, 50))
    offset = max(0, offset)
    words = domain.search_words(narrow)
    if not words:
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        people = list(db.session.scalars(query.offset(offset).limit(limit)))
        return SearchPage(people, total or 0, offset)
    found = [
        a
        for a in db.session.scalars(query.limit(SEARCH_CAP))
        if domain.narrowed_by(
            words, a.organization_name, divipola.municipality_name(a.municipality_code or "")
        )
    ]
    return SearchPage(found[offset : offset + limit], len(found), offset)

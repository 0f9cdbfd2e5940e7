"""The statement objects a piece of code hands to the database, to check that a hot path
builds its statements once (bound values) instead of again on every call."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def executed(engine) -> Iterator[list]:
    """Every statement object executed on ``engine`` inside the block, in order (kept alive,
    so ``is`` tells one built once from one built again)."""
    seen: list = []

    def record(_conn, clauseelement, *_args):
        seen.append(clauseelement)

    event.listen(engine, "before_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_execute", record)


def rebuilt(first: list, second: list, *, mentioning: tuple[str, ...]) -> list[str]:
    """The SQL of the statements of ``second`` that mention one of ``mentioning`` and are not
    one of the objects of ``first`` (built again)."""
    return [
        sql
        for statement in second
        if any(part in (sql := " ".join(str(statement).split())) for part in mentioning)
        and not any(statement is old for old in first)
    ]

"""The tally the triggers keep beside a recount of the people, for the lock tests' processes."""


def stored_and_recounted(db) -> tuple[dict, dict]:
    """``{(table_id, kind, value): people}`` as stored and as recounted, nonzero rows only."""
    from sqlalchemy import select, text

    from assembly.grouping import tally_sql
    from assembly.grouping.models import TableTally

    stored = {
        (t, k, v): p
        for t, k, v, p in db.session.execute(
            select(TableTally.table_id, TableTally.kind, TableTally.value, TableTally.people)
        )
        if p
    }
    recount = {(t, k, v): int(p) for t, k, v, p in db.session.execute(text(tally_sql.RECOUNT)) if p}
    return stored, recount

"""The desk's live counters: registered, checked in, per mesa, per desk, arrivals per 5 minutes.

Every desk screen reads them when it opens and after every burst of check-ins (the debounced
broadcast), so their statements are built once with bound values: the arrivals' read alone is
24 range counts, and building it again (and computing its cache key) on every read cost more
than the database's work at 5,000 people.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select

from assembly.assemblies.models import Assembly, Theme
from assembly.desk import domain
from assembly.extensions import db
from assembly.grouping.models import Group
from assembly.helpers import venue_zone
from assembly.registration.models import Attendee

#: one count grouped by (mesa, desk): it reads only the index ``ix_attendees_counters`` (it
#: holds every column it needs, in that order, so nothing is sorted and no row is loaded)
_PER_MESA_AND_DESK = (
    select(
        Attendee.group_id,
        Attendee.checked_in_desk,
        func.count(Attendee.id),
        func.count(Attendee.checked_in_at),
        func.count(Attendee.checked_out_at),
    )
    .where(Attendee.assembly_id == bindparam("assembly_id"))
    .group_by(Attendee.group_id, Attendee.checked_in_desk)
)
_MESAS = (
    select(Group.id, Group.number, Theme.title)
    .join(Theme, Theme.id == Group.theme_id)
    .where(Group.assembly_id == bindparam("assembly_id"))
    .order_by(Group.number)
)


def counters(assembly: Assembly, now: datetime) -> dict:
    """What every desk shows live: registered, checked in, per mesa, per desk, and arrivals
    per 5 minutes over the last 2 hours (oldest first), at the venue's clock.

    Two indexed aggregates whatever the size of the room: the count grouped by (mesa, desk)
    (``_PER_MESA_AND_DESK``) and one over the last two hours' arrivals through
    ``ix_attendees_checked_in``, bucketed by the database."""
    assembly_id = assembly.id
    rows = db.session.execute(_PER_MESA_AND_DESK, {"assembly_id": assembly_id}).all()
    registered = checked_in = left = 0
    in_by_group: dict[int | None, int] = {}
    in_by_desk: dict[str, int] = {}
    for group_id, desk, people, arrived, gone in rows:
        registered += people
        checked_in += arrived
        left += gone
        if arrived:
            in_by_group[group_id] = in_by_group.get(group_id, 0) + arrived
            in_by_desk[desk] = in_by_desk.get(desk, 0) + arrived
    groups = db.session.execute(_MESAS, {"assembly_id": assembly_id}).all()
    per_mesa = [
        {
            "group_id": g.id,
            "number": g.number,
            "theme": g.title,
            "checked_in": in_by_group.get(g.id, 0),
        }
        for g in groups
    ]
    per_desk = [
        {"desk": desk, "checked_in": n}
        for desk, n in sorted(in_by_desk.items(), key=lambda item: (item[0] is not None, item[0]))
    ]
    return {
        "assembly_id": assembly_id,
        "registered": registered,
        "checked_in": checked_in,
        #: "salida" recorded: arrived but no longer present
        "left": left,
        "present": checked_in - left,
        "per_mesa": per_mesa,
        "unassigned": in_by_group.get(None, 0),
        "per_desk": per_desk,
        "arrivals": _arrivals(assembly, now),
    }


@functools.cache
def _arrivals_statement(buckets: int):
    """One range count per bucket, between the bound edges ``edge_<k>`` and ``edge_<k+1>``
    (``ix_attendees_checked_in``: the database steps through the index), built once."""

    def arrived(k: int):
        return (
            select(func.count())
            .where(
                Attendee.assembly_id == bindparam("assembly_id"),
                Attendee.checked_in_at >= bindparam(f"edge_{k}"),
                Attendee.checked_in_at < bindparam(f"edge_{k + 1}"),
            )
            .scalar_subquery()
        )

    return select(*(arrived(k) for k in range(buckets)))


def _arrivals(assembly: Assembly, now: datetime) -> list[dict]:
    starts = domain.arrival_bucket_starts(now)
    edges = [*starts, starts[-1] + timedelta(minutes=domain.ARRIVAL_BUCKET_MINUTES)]
    values = {f"edge_{k}": edge for k, edge in enumerate(edges)}
    counts = db.session.execute(
        _arrivals_statement(len(starts)), {"assembly_id": assembly.id, **values}
    ).one()
    return domain.arrival_buckets_from_counts(starts, dict(enumerate(counts)), venue_zone(assembly))

"""Ordered rows (themes, moments, steps, extra questions, slides): the ONE renumbering helper."""

from collections.abc import Sequence

from assembly.extensions import db


def moved(items: Sequence, index: int, delta: int) -> list:
    """``items`` with the element at ``index`` moved by ``delta`` places (clamped)."""
    target = max(0, min(len(items) - 1, index + delta))
    result = list(items)
    result.insert(target, result.pop(index))
    return result


def renumber(rows: Sequence, attribute: str = "position") -> None:
    """Store ``rows``' order as positions 1..n.

    Two passes through negative numbers, so that a unique (parent, position) constraint never
    sees a transient duplicate while rows trade places."""
    for offset, row in enumerate(rows, start=1):
        setattr(row, attribute, -offset)
    db.session.flush()
    for offset, row in enumerate(rows, start=1):
        setattr(row, attribute, offset)
    db.session.flush()

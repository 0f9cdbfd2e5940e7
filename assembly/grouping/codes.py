"""Table join codes: the ONE place they are made and read.

Six characters from an alphabet without 0/O and 1/I (read aloud in a noisy room), random
(nobody can guess a table's code from another's), unique across every assembly.  A rotated
code is kept (:class:`RetiredCode`): it opens nothing, tells its phones the code changed, and
is never handed out again.
"""

import re
import secrets

from sqlalchemy import select

from assembly.core.qr import png_response
from assembly.extensions import db
from assembly.grouping.models import RetiredCode, Table
from assembly.helpers import public_url

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 6
MAX_TYPED = 12


def normalize(typed: object) -> str | None:
    """A typed or scanned code as stored (case, spaces and dashes ignored); None when it
    cannot be one."""
    clean = re.sub(r"[\s\-]", "", str(typed or "")).upper()
    if not clean or len(clean) > MAX_TYPED or any(ch not in ALPHABET for ch in clean):
        return None
    return clean


def random_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_join_code(taken: set[str] | None = None) -> str:
    """A code no table uses. With ``taken`` (the codes in use, loaded once by a split that
    opens hundreds of tables) the check is in memory and the new code is added to it;
    without, it is checked against the database and the tables pending in this session."""
    if taken is not None:
        while (code := random_code()) in taken:
            pass
        taken.add(code)
        return code
    pending = {o.join_code for o in db.session.new if isinstance(o, Table)}
    with db.session.no_autoflush:
        while True:
            code = random_code()
            if (
                code not in pending
                and not db.session.scalar(select(Table.id).where(Table.join_code == code))
                and db.session.get(RetiredCode, code) is None
            ):
                return code


def taken_codes() -> set[str]:
    """Every code in use or retired (a split loads them once for :func:`new_join_code`)."""
    return set(db.session.scalars(select(Table.join_code))) | set(
        db.session.scalars(select(RetiredCode.code))
    )


def retired_table(typed: object) -> Table | None:
    """The table a rotated-away code belonged to (so its phones hear "el código cambió")."""
    clean = normalize(typed)
    if clean is None:
        return None
    retired = db.session.get(RetiredCode, clean)
    return db.session.get(Table, retired.table_id) if retired is not None else None


def join_url(code: str = "") -> str:
    """A table's phone page (``/mesa/<code>``), or without a code the page that asks for one,
    on the room's address (what join cards print and their QR opens)."""
    return public_url(f"/mesa/{code}" if code else "/mesa")


def join_qr(table: Table):
    """The PNG QR a leader scans to open the table's phone page; never kept by the browser
    (codes rotate; ``core.qr`` keeps the image of each address, and a new code is another)."""
    return png_response(
        join_url(table.join_code), box_size=10, border=2, cache_control="private, no-store"
    )

"""Printouts a page at a time (issue 16: no response grows with the room): badges, join cards
and rosters are ``BADGES_PER_PAGE`` / ``CARDS_PER_PAGE`` / ``ROSTER_TABLES_PER_PAGE`` rows a
page, «Página 2 de N» with the previous and next pages, and the pages together hold every
person or sub-mesa exactly once. Rooms seeded by bulk inserts (one statement, not one per row).
"""

import re
import secrets

import pytest
from sqlalchemy import func, insert, select

from assembly.core.paging import page_of
from assembly.core.qr import qr_svg
from assembly.grouping.models import Group, Table
from assembly.registration.models import Attendee
from assembly.registration.routes import BADGES_PER_PAGE
from tests.conftest import TEST_LAN_ADDRESS
from tests.support.qr_read import codes_made, decode_svg

#: a badge's printed first names (unique in these rooms: who is on the page)
BADGE_NAME = re.compile(r'<h2 class="badge-name">([^<]+)<br>')
#: a badge's first names and its QR code
BADGE = re.compile(
    r'<h2 class="badge-name">([^<]+)<br>.*?<div class="badge-qr">(<svg.*?</svg>)', re.S
)


def _people(db, assembly, n: int, *, tables: list[int] = (), names: int = 0) -> None:
    """``n`` attendees in one INSERT, first names ``Persona000000``…; seated round the
    ``tables`` given; ``names`` > 0 gives that many distinct sort keys only (people sharing
    one are ordered by id)."""
    rows = []
    for i in range(n):
        key = i % names if names else i
        rows.append(
            {
                "assembly_id": assembly.id, "ticket_token": secrets.token_urlsafe(18),
                "document_type": "CC", "document_number": str(50_000_000 + i),
                "first_names": f"Persona{i:06d}", "last_names": "Impresa",
                "name_key": f"persona {key:06d} impresa", "sex": "mujer",
                "department_code": "81", "municipality_code": "81001", "consent_data": True,
                "source": "preregistro",
                "table_id": tables[i % len(tables)] if tables else None,
            }
        )  # fmt: skip
    db.session.execute(insert(Attendee), rows)
    db.session.commit()


def _tables(db, assembly, n: int) -> list[int]:
    """``n`` sub-mesas spread over the assembly's mesas, in one INSERT; their ids."""
    groups = list(
        db.session.scalars(
            select(Group.id).where(Group.assembly_id == assembly.id).order_by(Group.number)
        )
    )
    rows = [
        {"group_id": groups[i % len(groups)], "number": i // len(groups) + 1,
         "join_code": f"P{assembly.id}{i:05d}", "capacity": 20, "locked": False}
        for i in range(n)
    ]  # fmt: skip
    db.session.execute(insert(Table), rows)
    db.session.commit()
    return list(
        db.session.scalars(
            select(Table.id).join(Group).where(Group.assembly_id == assembly.id).order_by(Table.id)
        )
    )


def test_the_page_arithmetic_keeps_a_wrong_page_inside_the_printout():
    assert page_of(50_000, 200, "2").pages == 250 and page_of(50_000, 200, "2").first == 201
    assert page_of(50_000, 200, 2).last == 400
    assert page_of(450, 200, "9").number == 3 and page_of(450, 200, "9").last == 450
    for wrong in (None, "", "0", "-1", "x", "²", "99999999999999"):
        assert page_of(450, 200, wrong).number in (1, 3), wrong
    assert page_of(0, 200, 1).pages == 1 and page_of(0, 200, 1).first == 0


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 8 badges, 4 cards, 3 sub-mesas: many pages from a room quick to render (each
    badge's QR is still ~2 ms of work); the real sizes are checked once below."""
    from assembly.grouping import roster_routes
    from assembly.registration import routes

    monkeypatch.setattr(routes, "BADGES_PER_PAGE", 8)
    monkeypatch.setattr(roster_routes, "CARDS_PER_PAGE", 4)
    monkeypatch.setattr(roster_routes, "ROSTER_TABLES_PER_PAGE", 3)


def test_all_badges_come_a_page_at_a_time_and_the_pages_cover_everyone_once(
    client, auth, make_assembly, db, small_pages
):
    assembly = make_assembly()
    n = 8 * 5 + 3  # six pages, the last one short
    _people(db, assembly, n, names=3)  # three sort keys: by name alone the order is not stable
    auth.login("organizer")
    seen = []
    for number in range(1, 7):
        html = client.get(f"/assemblies/{assembly.id}/badges?all=1&page={number}").text
        assert f"Página {number} de 6" in html and f"escarapelas {1 + 8 * (number - 1)}–" in html
        assert ('rel="prev"' in html) == (number > 1) and ('rel="next"' in html) == (number < 6)
        names = BADGE_NAME.findall(html)
        assert len(names) == html.count("<svg") == (8 if number < 6 else 3)
        seen += names
    assert sorted(seen) == [f"Persona{i:06d}" for i in range(n)]  # everyone, each once
    # a page past the end gives the last page; chosen people are paged the same way
    assert "Página 6 de 6" in client.get(f"/assemblies/{assembly.id}/badges?all=1&page=99").text
    ids = ",".join(map(str, db.session.scalars(select(Attendee.id).limit(9))))
    chosen = client.get(f"/assemblies/{assembly.id}/badges?ids={ids}&page=2&format=roll").text
    assert "Página 2 de 2" in chosen and len(BADGE_NAME.findall(chosen)) == 1
    assert f'href="/assemblies/{assembly.id}/badges?page=1&amp;ids={ids}&amp;format=roll"' in (
        chosen
    )  # the pager keeps the choice and the format


def test_a_badge_page_stays_the_same_size_when_the_room_grows_a_thousandfold(
    client, auth, make_assembly, db, small_pages
):
    auth.login("organizer")
    sizes = {}
    for n in (9, 8_001):
        assembly = make_assembly()
        _people(db, assembly, n)
        html = client.get(f"/assemblies/{assembly.id}/badges?all=1&page=2").text
        assert len(BADGE_NAME.findall(html)) == (1 if n == 9 else 8)
        html = client.get(f"/assemblies/{assembly.id}/badges?all=1").text
        assert len(BADGE_NAME.findall(html)) == html.count("<svg") == 8
        assert f"{n} escarapelas" in html  # the toolbar counts the whole printout
        sizes[n] = len(html.encode())
    small, big = sizes.values()
    assert big < small * 1.02, sizes  # the page numbers and each QR's own path differ


def test_a_real_badge_page_holds_200_badges_of_a_room_of_4_000(
    client, auth, make_assembly, db, monkeypatch
):
    """The page of 200 badges renders, each badge's QR read back by zxing-cpp to its own
    person's ticket URL; its codes are made without qrcode's mask search (~5 ms a code), and
    a reprint of the page makes none again (they are kept)."""
    assembly = make_assembly()
    _people(db, assembly, 4_000)
    tokens = dict(
        db.session.execute(
            select(Attendee.first_names, Attendee.ticket_token).where(
                Attendee.assembly_id == assembly.id
            )
        ).all()
    )
    qr_svg.cache_clear()
    made = codes_made(monkeypatch)
    auth.login("organizer")
    html = client.get(f"/assemblies/{assembly.id}/badges?all=1&page=20").text
    assert "Página 20 de 20" in html and "escarapelas 3801–4000 de 4000" in html
    assert len(BADGE_NAME.findall(html)) == html.count("<svg") == BADGES_PER_PAGE == 200
    assert len(html.encode()) < BADGES_PER_PAGE * 8_000  # ~6 KB a badge, its QR included
    badges = BADGE.findall(html)
    assert len(badges) == 200 and len(made) == 200
    for name, svg in badges:
        assert decode_svg(svg).text == f"http://{TEST_LAN_ADDRESS}/t/{tokens[name]}", name
    reprint = client.get(f"/assemblies/{assembly.id}/badges?all=1&page=20").text
    assert BADGE.findall(reprint) == badges
    assert len(made) == 200  # the reprint: the same codes, none made again


def test_join_cards_come_a_page_at_a_time_and_cover_every_sub_mesa_once(
    client, auth, make_assembly, db, small_pages
):
    assembly = make_assembly()
    ids = _tables(db, assembly, 4 * 6 + 1)  # seven pages of 4 cards, the last one of 1
    auth.login("organizer")
    codes = set(db.session.scalars(select(Table.join_code).where(Table.id.in_(ids))))
    seen = []
    for number in range(1, 8):
        html = client.get(f"/assemblies/{assembly.id}/groups/cards?page={number}").text
        assert f"Página {number} de 7" in html and ('rel="next"' in html) == (number < 7)
        assert html.count('class="join-card"') == (4 if number < 7 else 1)
        seen += re.findall(r'<p class="jc-code"[^>]*>([A-Z0-9]+)</p>', html)
    assert sorted(seen) == sorted(codes)  # every sub-mesa's card, each once
    # one mesa's cards: its own sub-mesas only, paged the same way, the pager keeps the mesa
    group = db.session.scalar(select(Group).where(Group.assembly_id == assembly.id))
    mine = db.session.scalar(select(func.count(Table.id)).where(Table.group_id == group.id))
    html = client.get(f"/assemblies/{assembly.id}/groups/cards?group={group.id}").text
    assert html.count('class="join-card"') == min(4, mine)
    if mine > 4:
        assert f"groups/cards?page=2&amp;group={group.id}" in html


def test_a_card_page_stays_the_same_size_when_the_room_grows(
    client, auth, make_assembly, db, small_pages
):
    auth.login("organizer")
    sizes = []
    for n in (5, 2_000):
        assembly = make_assembly()
        _tables(db, assembly, n)
        html = client.get(f"/assemblies/{assembly.id}/groups/cards").text
        assert html.count('class="join-card"') == 4
        sizes.append(len(html.encode()))
    assert sizes[1] < sizes[0] + 200, sizes


def test_rosters_come_a_page_of_sub_mesas_at_a_time_and_name_everyone_once(
    client, auth, make_assembly, db, small_pages
):
    assembly = make_assembly()
    ids = _tables(db, assembly, 3 * 3 + 2)  # four pages of 3 sub-mesas, the last one of 2
    _people(db, assembly, 11 * 5, tables=ids)  # five people at each
    auth.login("organizer")
    seen = []
    for number in range(1, 5):
        html = client.get(f"/assemblies/{assembly.id}/groups/roster?page={number}").text
        assert f"Página {number} de 4" in html
        assert html.count('<section class="roster-table">') == (3 if number < 4 else 2)
        seen += re.findall(r"<td>(Persona\d+) Impresa</td>", html)
    assert sorted(seen) == [f"Persona{i:06d}" for i in range(55)]
    group = db.session.scalar(select(Group).where(Group.assembly_id == assembly.id))
    html = client.get(f"/assemblies/{assembly.id}/groups/{group.id}/roster").text
    assert html.count('<section class="roster-mesa">') == 1  # one mesa's sub-mesas only
    assert "Mesa 1 —" in html and "Mesa 2 —" not in html


def test_a_roster_page_reads_a_page_of_people_however_big_the_room(
    client, auth, make_assembly, db, small_pages
):
    assembly = make_assembly()
    ids = _tables(db, assembly, 400)
    _people(db, assembly, 4_000, tables=ids)  # ten at each sub-mesa
    auth.login("organizer")
    html = client.get(f"/assemblies/{assembly.id}/groups/roster?page=2").text
    assert "Página 2 de 134" in html and "sub-mesas 4–6 de 400" in html
    assert len(re.findall(r"<td>Persona\d+ Impresa</td>", html)) == 30
    assert len(html.encode()) < 40_000

"""Venue time (ARCHITECTURE.md, contract 6): every time a person reads is in the assembly's own
zone, whatever the server's zone is. These tests run the process in Tokyo."""

import time
from datetime import datetime

import pytest
from flask import render_template_string

from assembly.agenda import services as agenda
from assembly.desk import services as desk
from assembly.extensions import db
from assembly.helpers import to_venue, venue_time, venue_today, venue_zone

#: 13:05 UTC = 08:05 in Bogotá (UTC−5) = 14:05 in Madrid in March (UTC+1) = 22:05 in Tokyo
STORED = datetime(2026, 3, 14, 13, 5)


@pytest.fixture(autouse=True)
def server_in_tokyo(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_process_really_is_elsewhere():
    assert time.strftime("%Z") in {"JST", "+09"}


def test_a_stored_time_is_read_at_the_venue(make_assembly):
    bogota = make_assembly()
    madrid = make_assembly(time_zone="Europe/Madrid")
    assert bogota.time_zone == "America/Bogota"
    assert venue_time(STORED, bogota) == "08:05"
    assert venue_time(STORED, madrid) == "14:05"
    assert to_venue(STORED, bogota).utcoffset().total_seconds() == -5 * 3600
    assert venue_time(None, bogota) == ""
    assert str(venue_zone(type("Old", (), {"time_zone": "No/Such"})())) == "America/Bogota"
    assert venue_today(bogota) == datetime.now(venue_zone(bogota)).date()


def test_the_jinja_filter(app, make_assembly):
    assembly = make_assembly(time_zone="Europe/Madrid")
    with app.test_request_context():
        html = render_template_string(
            "{{ t|venue_time(a) }} {{ t|venue_time(a, '%d/%m %H:%M') }}", t=STORED, a=assembly
        )
    assert html == "14:05 14/03 14:05"


def test_the_desk_says_the_arrival_time_of_the_venue(make_assembly, make_attendee):
    assembly = make_assembly()
    person = make_attendee(assembly, checked_in_at=STORED, checked_in_desk="Mesa 1")
    outcome = desk.check_in(None, assembly.id, person.ticket_token, "Mesa 2", STORED)
    assert outcome.kind == desk.ALREADY
    assert "a las 08:05 en Mesa 1" in outcome.message


def test_the_agenda_is_planned_in_the_venue_zone(make_assembly):
    assembly = make_assembly()
    schedule = agenda.schedule(assembly.id)
    assert schedule["rows"][0]["planned_text"] == "07:30–07:59"  # as typed, in Bogotá
    assembly.time_zone = "Europe/Madrid"
    db.session.commit()
    epoch = agenda.schedule(assembly.id)["rows"][0]["planned_start"]
    assert datetime.fromtimestamp(epoch, venue_zone(assembly)).strftime("%H:%M") == "07:30"


def test_the_assembly_form_offers_the_zones_colombia_first(client, auth):
    auth.login("admin")
    page = client.get("/assemblies/new").get_data(as_text=True)
    first = page.index('name="time_zone"')
    assert page.index("America/Bogota", first) < page.index("Europe/Madrid", first)
    assert page.index("America/Bogota", first) < page.index("America/Argentina", first)

"""The speakers list in Chromium: the moderator queues turns on the console; the current
speaker and the time left show on the console and the projector, from the server's clock."""

import re

from tests.browser.conftest import (
    LAPTOP,
    PROJECTOR,
    log_in,
    screenshot,
    start_a_talk,
    wait_for_clock,
)
from tests.browser.test_agenda_browser import axe_violations


def _seconds(text: str) -> int:
    minutes, seconds = re.fullmatch(r"-?(\d\d):(\d\d)", text.strip()).groups()
    return int(minutes) * 60 + int(seconds)


def test_the_console_runs_the_list_and_the_projector_shows_the_turn(
    new_page, make_user, make_assembly
):
    moderator, assembly = start_a_talk(make_user, make_assembly)

    console = new_page(LAPTOP, bypass_csp=True)
    log_in(console, moderator)
    console.goto(f"/assemblies/{assembly.id}/console")
    projector = new_page(PROJECTOR)
    log_in(projector, moderator)
    projector.goto(f"/assemblies/{assembly.id}/projector")
    board = projector.locator("[data-speakers]")
    assert board.is_hidden()  # nothing queued: the projector shows no list

    wait_for_clock(console)  # its socket is up: the commands below are sent, not refused
    box = console.locator("[data-speakers]")
    box.get_by_label("Nombre").fill("Cooperativa La Esperanza")
    box.get_by_role("button", name="Agregar a la lista").click()
    box.locator("[data-speaker-queue] li", has_text="Cooperativa La Esperanza").wait_for()
    assert "Experiencia o ponencia · 10 min" in box.locator("[data-speaker-queue]").inner_text()
    box.get_by_label("Nombre").fill("Pregunta del público")
    box.get_by_label("Tipo").select_option("floor")
    box.get_by_role("button", name="Agregar a la lista").click()
    box.locator("[data-speaker-queue] li", has_text="Pregunta del público").wait_for()
    board.wait_for()  # the projector shows the list as soon as someone is queued

    box.get_by_role("button", name="Dar la palabra al siguiente").click()
    box.locator("[data-speaker-current]", has_text="Cooperativa La Esperanza").wait_for()
    projector.locator("[data-speaker-current]", has_text="Cooperativa La Esperanza").wait_for()
    projector.wait_for_function(
        "() => document.querySelector('[data-speakers] [data-speaker-time]').textContent !== ''"
    )
    left_console = _seconds(box.locator("[data-speaker-time]").inner_text())
    left_projector = _seconds(projector.locator("[data-speaker-time]").inner_text())
    assert 590 <= left_console <= 600 and abs(left_console - left_projector) <= 2
    assert "Pregunta del público" in projector.locator("[data-speaker-queue]").inner_text()
    screenshot(console, "speakers-console-laptop")
    screenshot(projector, "speakers-projector-projector")
    assert axe_violations(console) == []

    box.get_by_role("button", name="Quitar").click()
    box.locator("[data-speaker-queue] li").wait_for(state="detached")
    box.get_by_role("button", name="Terminar la intervención").click()
    box.locator("[data-speaker-current]", has_text="Nadie tiene la palabra").wait_for()
    board.wait_for(state="hidden")

    box.get_by_label("Nombre").fill(" ")
    box.get_by_role("button", name="Agregar a la lista").click()
    console.get_by_text("Escriba el nombre de quien va a hablar.").wait_for()

    small = new_page({"width": 1280, "height": 720})
    log_in(small, moderator)
    small.goto(f"/assemblies/{assembly.id}/projector")
    # no wait for its join: a change made while it joins shows too (tests/integration/
    # test_join_race.py holds that moment for certain)
    box.get_by_label("Nombre").fill("Asociación Río Arauca")
    box.get_by_role("button", name="Agregar a la lista").click()
    box.get_by_role("button", name="Dar la palabra al siguiente").click()
    small.locator("[data-speaker-current]", has_text="Asociación Río Arauca").wait_for()
    screenshot(small, "speakers-projector-1280")

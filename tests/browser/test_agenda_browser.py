"""The live agenda in Chromium: console, projector and the desk's clock widget agree."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PROJECTOR, SCREENSHOTS, log_in, screenshot

COUNTDOWN = "[data-clock] [data-clock-time]"
AXE = SCREENSHOTS.parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list:
    """WCAG A/AA violations found by axe-core (contrast included); the page's context must
    bypass the CSP (``new_page(..., bypass_csp=True)``) for the script to be injected."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations"
    )
    return [(v["id"], node["target"]) for v in result for node in v["nodes"]]


def seconds(text: str) -> int:
    match = re.fullmatch(r"(-?)(\d+):(\d\d)", text.strip())
    assert match, f"not a countdown: {text!r}"
    value = int(match.group(2)) * 60 + int(match.group(3))
    return -value if match.group(1) else value


def read(page) -> tuple[int, float]:
    """The countdown shown and the instant it was read (same machine clock for all pages)."""
    text, at = page.evaluate(
        f"() => [document.querySelector('{COUNTDOWN}').textContent, Date.now() / 1000]"
    )
    return seconds(text), at


def assert_same_remaining(pages) -> list[int]:
    """Every screen shows the same remaining time within 1 s (reads are moments apart, so
    each is brought back to the first read's instant)."""
    readings = [read(page) for page in pages]
    first_value, first_at = readings[0]
    for value, at in readings[1:]:
        assert abs(value + (at - first_at) - first_value) <= 1.05, readings
    return [value for value, _ in readings]


def wait_status(page, status: str) -> None:
    page.wait_for_selector(f"[data-clock][data-status={status}]")


def test_console_projector_and_desk_show_the_same_clock(new_page, make_user, make_assembly):
    admin = make_user("admin")
    assembly = make_assembly()
    console = new_page(LAPTOP, bypass_csp=True)
    projector = new_page(PROJECTOR, bypass_csp=True)
    desk = new_page(LAPTOP)
    for page, path in [
        (console, f"/assemblies/{assembly.id}/console"),
        (projector, f"/assemblies/{assembly.id}/projector"),
        (desk, f"/assemblies/{assembly.id}/desk?desk=Mesa%201"),
    ]:
        log_in(page, admin)
        page.goto(path)
    screens = [console, projector, desk]
    for page in screens:
        page.wait_for_function(
            "() => document.querySelector('[data-clock] [data-clock-status]').textContent"
            ".includes('aún no ha comenzado')"
        )
    # Before the day: the projector is in idle mode with the first moment and its time.
    assert projector.locator("[data-projector]").get_attribute("data-mode") == "idle"
    assert projector.locator("[data-next-title]").text_content() == "Registro"
    assert projector.locator("[data-next-time]").text_content() == "07:30"
    screenshot(projector, "agenda-projector-idle-projector")
    assert axe_violations(projector) == []

    console.get_by_role("button", name="Iniciar la agenda").click()
    for page in screens:
        wait_status(page, "running")
    values = assert_same_remaining(screens)
    assert 28 * 60 < values[0] <= 29 * 60  # Registro: 07:30–07:59

    # Jump to the needs step of Moment 4 (far away: the console asks first).
    console.on("dialog", lambda dialog: dialog.accept())
    console.locator("tr.slot", has_text="Necesidades").get_by_role("button").click()
    for page in screens:
        page.wait_for_function(
            "() => document.querySelector('[data-clock] [data-clock-step]').textContent === 'Necesidades'"
        )
    assert projector.locator("[data-projector]").get_attribute("data-mode") == "clock"
    console.get_by_role("button", name="+5 min").click()
    for page in screens:
        page.wait_for_function(
            f"() => parseInt(document.querySelector('{COUNTDOWN}').textContent) >= 19"
        )
    values = assert_same_remaining(screens)
    assert 19 * 60 < values[0] <= 20 * 60
    # Typed extension and pause reach every screen too.
    console.get_by_label("Extender", exact=True).fill("2")
    console.get_by_role("button", name="Extender", exact=True).click()
    console.keyboard.press("Space")
    for page in screens:
        wait_status(page, "paused")
    values = assert_same_remaining(screens)
    assert values[0] == values[1] == values[2] and 21 * 60 < values[0] <= 22 * 60
    # the log is refreshed after the state: wait for it rather than read it at once
    expect(console.locator("[data-log] li").first).to_have_text(re.compile(r"Pausó$"))
    assert console.locator("[data-log]").get_by_text("Extendió 2 min").is_visible()
    console.keyboard.press("Space")
    for page in screens:
        wait_status(page, "running")

    # The projector at both sizes: the countdown takes at least 15% of the screen height.
    for size, name in [(PROJECTOR, "agenda-projector-projector"), ({"width": 1280, "height": 720}, "agenda-projector-720-projector")]:  # fmt: skip
        projector.set_viewport_size(size)
        box = projector.locator(COUNTDOWN).bounding_box()
        assert box["height"] >= 0.15 * size["height"], (size, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"]
        assert projector.evaluate("document.documentElement.scrollHeight") <= size["height"]
        screenshot(projector, name)
    console.wait_for_function(
        "() => document.querySelector('[data-delay]').textContent.startsWith('vamos')"
    )
    # What the moderator sees without scrolling (the console card is sticky).
    console.screenshot(path=str(SCREENSHOTS / "agenda-console-laptop.png"))
    assert axe_violations(console) == []
    assert axe_violations(projector) == []
    screenshot(desk, "agenda-desk-widget-laptop")


def test_time_up_is_signalled_on_the_projector_and_console(new_page, make_user, make_assembly):
    import time

    from assembly.agenda import services
    from assembly.extensions import db

    admin = make_user("admin")
    assembly = make_assembly()
    agenda = services.load_agenda(assembly)
    needs = next(i for i, s in enumerate(agenda.slots) if s.step_title == "Necesidades")
    # Needs (15 min) started 16 minutes ago: one minute overtime.
    services.control(admin, assembly.id, "jump", position=needs, now=time.time() - 16 * 60)
    db.session.commit()
    projector = new_page(PROJECTOR, bypass_csp=True)
    log_in(projector, admin)
    projector.goto(f"/assemblies/{assembly.id}/projector")
    projector.wait_for_selector("[data-clock].is-overtime")
    assert projector.locator("[data-clock-status]").text_content() == "¡Tiempo!"
    assert projector.locator(COUNTDOWN).text_content().startswith("-01:0")
    color = projector.locator(COUNTDOWN).evaluate("el => getComputedStyle(el).color")
    assert color == "rgb(252, 165, 165)"  # red on the dark projector
    # The sound switch builds its beep with the Web Audio API (no audio file).
    projector.get_by_role("button", name="Activar sonido").click()
    assert (
        projector.get_by_role("button", name="Sonido activado").get_attribute("aria-pressed")
        == "true"
    )
    screenshot(projector, "agenda-projector-timeup-projector")
    assert axe_violations(projector) == []

    console = new_page(LAPTOP)
    log_in(console, admin)
    console.goto(f"/assemblies/{assembly.id}/console")
    console.wait_for_selector("[data-clock].is-overtime")
    assert console.locator("[data-clock-status]").text_content() == "¡Tiempo!"


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    import struct
    import zlib

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind, body):
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_slides_are_uploaded_shown_in_idle_mode_and_deleted(new_page, make_user, make_assembly):
    admin = make_user("admin")
    assembly = make_assembly()
    page = new_page(LAPTOP, bypass_csp=True)
    log_in(page, admin)
    page.goto(f"/assemblies/{assembly.id}/slides")
    page.get_by_label("Imágenes").set_input_files(
        [
            {
                "name": "campaña.png",
                "mimeType": "image/png",
                "buffer": _png(320, 180, (29, 78, 216)),
            },
            {"name": "notas.txt", "mimeType": "image/png", "buffer": b"no soy una imagen"},
        ]
    )
    page.get_by_role("button", name="Subir", exact=True).click()
    assert page.get_by_role("alert").text_content() == (
        "«notas.txt» no es una imagen JPG, PNG, WebP o GIF."
    )
    assert page.locator(".slide-item").count() == 0  # one bad file stores none
    page.get_by_label("Imágenes").set_input_files(
        [
            {
                "name": "campaña.png",
                "mimeType": "image/png",
                "buffer": _png(320, 180, (29, 78, 216)),
            },
            {"name": "foto.png", "mimeType": "image/png", "buffer": _png(160, 120, (21, 128, 61))},
        ]
    )
    page.get_by_role("button", name="Subir", exact=True).click()
    assert page.locator(".slide-item").count() == 2
    page.locator(".slide-item").nth(1).get_by_role("button", name="Subir").click()
    assert page.locator(".slide-name").first.text_content().startswith("1. foto.png")
    screenshot(page, "agenda-slides-laptop")
    assert axe_violations(page) == []

    projector = new_page(PROJECTOR)
    log_in(projector, admin)
    projector.goto(f"/assemblies/{assembly.id}/projector")
    shown = projector.locator("[data-slides] img.is-shown")
    shown.wait_for()
    assert (
        projector.evaluate("document.querySelector('[data-slides] img.is-shown').naturalWidth")
        == 160
    )
    assert projector.locator("[data-slides]").is_visible()
    screenshot(projector, "agenda-projector-slides-projector")

    # Clean up through the page (the files live in the server's slides folder).
    page.on("dialog", lambda dialog: dialog.accept())
    for left in (1, 0):
        page.locator(".slide-item").first.get_by_role("button", name="Borrar").click()
        page.wait_for_function(f"() => document.querySelectorAll('.slide-item').length === {left}")
    page.reload()
    assert page.get_by_text("Aún no hay imágenes").is_visible()

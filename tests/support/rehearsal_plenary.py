"""The rehearsal's plenary: the board on the projector, the moderator's plenary console (rules,
reveal, show of hands, phone votes from 100 ticket pages), the satisfaction survey, the close
and the acta."""

from __future__ import annotations

import re
from collections import Counter

import requests
from playwright.sync_api import expect

from tests.support.rehearsal import in_parallel

#: the phone votes: mesa position (0-based) -> choices of its 100 voters
PHONE_VOTES = {
    1: ["for"] * 80 + ["against"] * 15 + ["abstain"] * 5,
    3: ["for"] * 70 + ["against"] * 20 + ["abstain"] * 10,
}
#: the shows of hands: mesa position -> (for, against, abstain)
HANDS = {0: (380, 40, 20), 2: (350, 60, 30), 4: (400, 25, 15)}
QUORUM = 80
#: how long a screen may take to show what the server did (a busy CI machine, PostgreSQL)
WAIT = 20_000
CHOICE_LABELS = {"for": "A favor", "against": "En contra", "abstain": "Abstención"}


def board_shows(page, count: int) -> None:
    """The projector's board holds ``count`` pieces (its own state, fed by its socket)."""
    page.wait_for_function(
        "(n) => window.asambleaBoard && window.asambleaBoard.state.pieces.size === n", arg=count
    )


def set_rules(console) -> None:
    """At least 80 participants for a vote to count; simple majority."""
    # the console's first state fills the form: wait for it, then change the rules
    expect(console.locator("[data-rules-text]")).to_contain_text("Quórum")
    form = console.locator("[data-rules-form]")
    form.get_by_label("Quórum").select_option("number")
    form.get_by_label("Valor").fill(str(QUORUM))
    form.get_by_label("Mayoría").select_option("simple")
    form.get_by_role("button", name="Guardar las reglas").click()
    expect(console.locator("[data-rules-text]")).to_contain_text(f"al menos {QUORUM}")


def vote_over_http(base_url: str, ticket: str, choice: str) -> None:
    """One attendee's phone without a browser: the ticket's vote page, then the choice."""
    http = requests.Session()
    page = http.get(f"{base_url}/t/{ticket}/votar", timeout=30)
    page.raise_for_status()
    approval = re.search(r'name="approval_id" value="(\d+)"', page.text)
    assert approval, "the vote page offers no open vote"
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page.text)
    response = http.post(
        f"{base_url}/t/{ticket}/votar",
        data={
            "approval_id": approval.group(1),
            "choice": choice,
            "csrf_token": token.group(1) if token else "",
        },
        timeout=30,
    )
    assert "Su voto quedó registrado" in response.text, response.text[:300]


def run_the_plenary(
    console, board, phones, base_url, tickets, present: int, stored_votes, shots=None
):
    """Every mesa revealed and decided: hands for 1, 3, 5; phones for 2 and 4 (three of each
    hundred on real ticket pages); ``stored_votes()`` reads the open vote's choices from the
    database. Returns the tallies as the test decided them."""
    decided = {}
    groups = console.locator("[data-group]")
    expect(groups).to_have_count(5)
    for position in range(5):
        mesa = groups.nth(position)
        mesa.get_by_role("button", name="Revelar: turno de la vocería").click()
        expect(board.locator("[data-mode-text]")).to_contain_text(
            f"Turno de la Mesa {position + 1}"
        )
        if position in HANDS:
            yes, no, abstain = HANDS[position]
            mesa.get_by_label("A favor").first.fill(str(yes))
            mesa.get_by_label("En contra").first.fill(str(no))
            mesa.get_by_label("Abstención").first.fill(str(abstain))
            mesa.get_by_role("button", name="Registrar conteo").click()
            expect(mesa.locator("[data-approval-state]")).to_contain_text("Aprobada", timeout=WAIT)
            decided[position] = {"for": yes, "against": no, "abstain": abstain}
            continue
        choices = PHONE_VOTES[position]
        for phone in phones:
            expect(phone.get_by_text("No hay ninguna votación abierta ahora.")).to_be_visible()
        mesa.get_by_role("button", name="Abrir votación por teléfono").click()
        # the console shows «Cerrar» once the server has opened it: then the room votes
        expect(mesa.get_by_role("button", name="Cerrar la votación")).to_be_visible()
        voters = tickets[: len(choices)]

        def on_phones(voters=voters, choices=choices) -> None:
            for phone, choice in zip(phones, choices, strict=False):
                phone.get_by_role("button", name=CHOICE_LABELS[choice]).wait_for()
                phone.get_by_role("button", name=CHOICE_LABELS[choice]).click()
                expect(phone.get_by_text("Su voto:")).to_be_visible()

        scripted = list(zip(voters[len(phones) :], choices[len(phones) :], strict=True))
        batches = [scripted[n::4] for n in range(4)]
        in_parallel(
            [
                lambda batch=batch: [vote_over_http(base_url, t, c) for t, c in batch]
                for batch in batches
            ],
            main=on_phones,
        )
        # every vote is stored, and the board's live count ends at it: it is counted after the
        # votes' commits (assembly/core/coalesce.py), so concurrent votes are never left out
        assert stored_votes() == Counter(choices)
        expect(
            board.get_by_text(f"{len(choices)} de {present} personas presentes han votado")
        ).to_be_visible(timeout=WAIT)
        if shots and position == 1:
            shots(phones[0], "vote-phone")
            shots(board, "board-vote-projector", settle_ms=900)
            shots(console, "plenary-console-laptop")
        mesa.get_by_role("button", name="Cerrar la votación").click()
        expect(mesa.locator("[data-approval-state]")).to_contain_text(
            "Aprobada por teléfono", timeout=WAIT
        )
        decided[position] = dict(Counter(choices))
    console.get_by_role("button", name="Mostrar el rompecabezas completo").click()
    board.wait_for_function(
        "() => window.asambleaBoard.state.plenary.mode === 'whole'"
        " && window.asambleaBoard.fitsPending() === 0"
    )
    if shots:
        shots(board, "board-whole-projector", settle_ms=900)
    return decided


def open_the_survey(page, assembly_id: int) -> None:
    page.goto(f"/assemblies/{assembly_id}/encuesta")
    page.get_by_role("button", name="Abrir la encuesta").click()
    expect(page.get_by_role("button", name="Cerrar la encuesta")).to_be_visible()


def answer_over_http(base_url: str, ticket: str, n: int) -> None:
    http = requests.Session()
    page = http.get(f"{base_url}/encuesta/{ticket}", timeout=30)
    page.raise_for_status()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page.text)
    response = http.post(
        f"{base_url}/encuesta/{ticket}",
        data={
            "overall": str(5 - n % 3),
            "mesa": str(4 + n % 2),
            "organization": str(3 + n % 3),
            "again": "si" if n % 4 else "no",
            "comment": "Muy buena la jornada" if n % 5 == 0 else "",
            "csrf_token": token.group(1) if token else "",
        },
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:300]


def answer_on_the_phone(page, ticket: str) -> None:
    page.goto(f"/t/{ticket}")
    page.get_by_role("link", name="Responder la encuesta").click()
    for legend, value in [
        ("Satisfacción general con la asamblea", "5"),
        ("Utilidad del trabajo en su mesa", "4"),
        ("Organización del evento", "5"),
    ]:
        page.get_by_role("group", name=legend).get_by_role("radio", name=value, exact=True).check()
    page.get_by_role("group", name="¿Volvería a asistir?").get_by_role(
        "radio", name="Sí", exact=True
    ).check()
    page.get_by_role("button", name="Enviar mis respuestas").click()
    page.wait_for_url(re.compile(rf"/encuesta/{re.escape(ticket)}$"))


def close_with_the_acta(page, assembly_id: int) -> None:
    page.goto(f"/assemblies/{assembly_id}/acta")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cerrar la asamblea y generar el acta").click()
    expect(page.get_by_role("heading", name="Acta de la asamblea")).to_be_visible()

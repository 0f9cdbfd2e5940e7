"""The rehearsal's afternoon: the moderator's console walks every moment of the agenda on the
test clock (one pause, one time-up, one extension) while 25 sub-mesas write their puzzle:
five on phone-sized pages (one loses the signal and comes back), twenty scripted."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import expect

from tests.support.rehearsal import (
    NEEDS,
    PLANS,
    SOLUTIONS,
    ScriptedTable,
    in_parallel,
)

#: the phones (by position) whose sub-mesa writes two needs: the first on time, the second
#: after the step's time is up (sent when the moderator extends it)
TWO_NEEDS = {0: 2, 1: 2}
OFFLINE = "Sin conexión: lo que escriba se guarda en este teléfono y se enviará al volver la señal"


@dataclass
class Seat:
    """One sub-mesa as the test knows it: its code, mesa, and who sits there."""

    table_id: int
    group_number: int
    number: int
    code: str
    people: list[int]


class Console:
    """The moderator's console page, driven as the moderator does."""

    def __init__(self, page, assembly_id: int, slots):
        self.page = page
        self.slots = slots
        self.position = None
        page.goto(f"/assemblies/{assembly_id}/console")
        expect(page.locator("[data-clock-status]")).to_contain_text("aún no ha comenzado")
        self.clock = page.locator("[data-clock]")

    def _shows(self, position: int) -> None:
        slot = self.slots[position]
        expect(self.page.locator("[data-clock-moment]")).to_have_text(slot.moment_title)
        expect(self.page.locator("[data-clock-step]")).to_have_text(slot.step_title or "")
        expect(self.clock).to_have_attribute("data-status", "running")
        self.position = position

    def start(self) -> None:
        self.page.get_by_role("button", name="Iniciar la agenda").click()
        self._shows(0)

    def next(self) -> None:
        self.page.get_by_role("button", name="Siguiente →").click()
        self._shows(self.position + 1)

    def until(self, wanted) -> None:
        """Press «Siguiente» until ``wanted(slot)`` holds for the running slot."""
        while not wanted(self.slots[self.position]):
            self.next()

    def pause_and_resume(self) -> None:
        self.page.get_by_role("button", name="Pausar").click()
        expect(self.clock).to_have_attribute("data-status", "paused")
        self.page.get_by_role("button", name="Reanudar").click()
        expect(self.clock).to_have_attribute("data-status", "running")

    def time_up(self) -> None:
        """The step runs out (the test clock makes its 15 minutes pass)."""
        expect(self.page.locator("[data-clock-status]")).to_have_text("¡Tiempo!", timeout=90_000)
        expect(self.clock).to_have_class(_has("is-overtime"))

    def extend(self) -> None:
        self.page.get_by_role("button", name="+5 min").click()
        expect(self.page.locator("[data-log] li").first).to_contain_text("Extendió 5 min")


def _has(name: str):
    return re.compile(rf"(^|\s){name}(\s|$)")


class Phone:
    """A leader's phone on the real table page."""

    def __init__(self, page, seat: Seat):
        self.page = page
        self.seat = seat
        page.goto(f"/mesa/{seat.code}")
        page.locator(".conn[data-state=online]").wait_for()

    def task(self, title: str) -> None:
        expect(self.page.locator("[data-task-title]")).to_have_text(title)

    def save(self, nth: int = 0) -> None:
        self.page.get_by_role("button", name="Guardar", exact=True).nth(nth).click()

    def need(self, label: str, text: str) -> None:
        self.page.get_by_label(label).fill(text)
        self.save()

    def solution(self, text: str) -> None:
        forms = self.page.get_by_label("Solución para esta necesidad")
        left = forms.count()
        forms.first.fill(text)
        self.save()
        expect(forms).to_have_count(left - 1)  # saved: the next need's form comes first

    def plan(self, what: str, who: str, due: str) -> None:
        forms = self.page.get_by_label("¿Qué se hará?")
        left = forms.count()
        forms.first.fill(what)
        self.page.get_by_label("¿Quién? (organizaciones o personas responsables)").first.fill(who)
        self.page.get_by_label("¿Cuándo?").first.select_option(due)
        self.save()
        expect(forms).to_have_count(left - 1)

    def spokesperson(self, attendee_id: int) -> None:
        select = self.page.get_by_label("¿Quién será su vocero o vocera en la plenaria?")
        select.select_option(str(attendee_id))
        self.page.get_by_role("button", name="Guardar vocería").click()
        expect(self.page.locator("[data-spokes-saved]")).to_contain_text("Guardado")


def write_the_puzzle(
    console: Console, phones: list[Phone], scripted, board, quarters, on_board=lambda kind: None
):
    """Needs, solutions and plans at every table as the console moves the steps; returns the
    pieces by kind. ``scripted`` are ScriptedTable clients; ``board`` a BoardListener;
    ``on_board(kind)`` runs once every piece of that kind is on the board."""
    tables = len(phones) + len(scripted)

    # Step 1: needs — each table one need, every third scripted table two
    console.until(lambda slot: slot.step_kind == "needs")
    needs_by_code: dict[str, list[dict]] = {}

    def scripted_needs(table: ScriptedTable, n: int) -> None:
        count = 2 if n % 3 == 0 else 1
        needs_by_code[table.code] = [
            table.write("need", NEEDS[(n + k) % len(NEEDS)]) for k in range(count)
        ]

    def phone_needs() -> None:
        for n, phone in enumerate(phones):
            phone.task("Paso 1: necesidades")
            phone.need("Necesidad 1 de 2", NEEDS[n % len(NEEDS)])
        phones[0].need("Necesidad 2 de 2", NEEDS[-1])

    in_parallel(
        [lambda t=t, n=n: scripted_needs(t, n) for n, t in enumerate(scripted)], main=phone_needs
    )
    needs = sum(len(v) for v in needs_by_code.values()) + len(phones) + 1
    board.wait_for("need", needs)
    # a phone whose acknowledgement was lost sends the same piece again: stored once
    again = scripted[0].resend(needs_by_code[scripted[0].code][0])
    assert again["created"] is False

    # time-up: the step's time and its grace run out; a need written then stays on the phone
    # «fuera de tiempo» until the moderator's extension reopens the step, then it is sent
    console.time_up()
    late = phones[1]
    expect(late.page.get_by_text("Se acabó el tiempo de este paso")).to_be_visible()
    late.need("Necesidad 2 de 2", NEEDS[-2])
    expect(late.page.locator(".badge.late").first).to_have_text("Fuera de tiempo")
    assert board.count("need") == needs
    console.extend()
    needs += 1
    board.wait_for("need", needs)
    expect(late.page.locator(".badge.late")).to_have_count(0)
    # and the time-up's refusal notice goes with it (it used to stay up to 8 s longer)
    expect(late.page.locator("[data-notice]")).to_be_hidden(timeout=1_000)
    on_board("need")

    # Step 2: solutions — one per need; the first phone loses the signal meanwhile
    console.next()
    offline = phones[0].page
    offline.context.set_offline(True)
    expect(offline.get_by_text(OFFLINE)).to_be_visible()
    solutions_by_code: dict[str, list[dict]] = {}

    def scripted_solutions(table: ScriptedTable, n: int) -> None:
        solutions_by_code[table.code] = [
            table.write("solution", SOLUTIONS[(n + k) % len(SOLUTIONS)], parent_id=need["id"])
            for k, need in enumerate(needs_by_code[table.code])
        ]

    def phone_solutions() -> None:
        phones[0].solution(SOLUTIONS[0])
        expect(offline.get_by_text("Pendiente de envío").first).to_be_visible()
        phones[0].solution(SOLUTIONS[1])
        for n, phone in enumerate(phones[1:], start=1):
            phone.task("Paso 2: soluciones")
            for k in range(TWO_NEEDS.get(n, 1)):
                phone.solution(SOLUTIONS[(n + k) % len(SOLUTIONS)])
        offline.context.set_offline(False)
        offline.locator(".conn[data-state=online]").wait_for(timeout=30_000)
        offline.wait_for_function("() => !document.body.innerText.includes('Pendiente de envío')")

    in_parallel(
        [lambda t=t, n=n: scripted_solutions(t, n) for n, t in enumerate(scripted)],
        main=phone_solutions,
    )
    board.wait_for("solution", needs)
    on_board("solution")

    # Step 3: the work plan — what, who and when for each solution
    console.next()

    def scripted_plans(table: ScriptedTable, n: int) -> None:
        for k, solution in enumerate(solutions_by_code[table.code]):
            what, who = PLANS[(n + k) % len(PLANS)]
            table.write(
                "plan", what, who=who, due=quarters[(n + k) % len(quarters)],
                parent_id=solution["id"],
            )  # fmt: skip

    def phone_plans() -> None:
        for n, phone in enumerate(phones):
            phone.task("Paso 3: plan de trabajo")
            for k in range(TWO_NEEDS.get(n, 1)):
                what, who = PLANS[(n + k) % len(PLANS)]
                phone.plan(what, who, quarters[(n + k) % len(quarters)])

    in_parallel(
        [lambda t=t, n=n: scripted_plans(t, n) for n, t in enumerate(scripted)], main=phone_plans
    )
    board.wait_for("plan", needs)
    on_board("plan")

    # Step 4: each sub-mesa names its vocero or vocera
    console.next()
    in_parallel(
        [lambda t=t: t.spokesperson(t.seat.people[0]) for t in scripted],
        main=lambda: [phone.spokesperson(phone.seat.people[0]) for phone in phones],
    )
    assert tables == 25
    return {"need": needs, "solution": needs, "plan": needs}

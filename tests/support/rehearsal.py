"""The crowd of the dress rehearsal (tests/browser/test_full_day.py): the pre-registration list
in an agreement's own shape, and scripted staff and phones that talk to the live server over
HTTP and Socket.IO as the real pages do."""

from __future__ import annotations

import random
import re
import threading
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import requests
import socketio

from tests.support import socket_events

# --------------------------------------------------------------------------- the list

TITLE = [
    ["CONVENIO 045 DE 2026 - UNIDAD SOLIDARIA"],
    ["Listado de preinscritos Asamblea Regional Orinoquía"],
    ["Corte: 10/03/2026", None, "Elaboró: Coordinación"],
    [],
]
HEADER = [
    "N°", "Nombres y Apellidos", "Tipo Doc.", "No. Identificación", "Género",
    "Pertenencia étnica", "Mpio residencia", "Edad", "Víctima", "Ocupación", "Zona",
]  # fmt: skip
FIRST = [
    "Ana María", "Luis", "Rosa Elena", "Pedro Pablo", "Carmen", "Jorge Iván", "Marta Lucía",
    "Luz Dary", "José", "Yolanda", "Wilson", "Nelly", "Óscar", "Gloria", "Édgar", "Sandra",
    "Fabio", "Blanca", "Hernán", "Dora", "Julián", "Esperanza", "Álvaro", "Nubia",
]  # fmt: skip
LAST = [
    "Peña", "Gómez", "Ríos", "Quintero", "Díaz", "Castro", "Rincón", "Muñoz", "Pardo", "Salas",
    "Mora", "Niño", "Rojas", "Torres", "Vargas", "Suárez", "Cárdenas", "Ortiz", "Beltrán", "Silva",
]  # fmt: skip
#: how the file writes sex, and what each means once the mapping is answered ("M" -> mujer)
SEX = {"F": "mujer", "Mujer": "mujer", "Femenino": "mujer", "M": "mujer",
       "H": "hombre", "Hombre": "hombre", "Masculino": "hombre"}  # fmt: skip
DOCUMENT_TYPES = ["C.C.", "cc", "Cédula", "C.C", "CC"]
ETHNICITY = ["Ninguna", "ninguno", "Negra", "Indígena", "NARP", "Raizal", "Ninguna", "Ninguna"]
MUNICIPALITIES = ["Sarabena", "tame", "ARAUCA", "Arauquita", "Fortul", "Saravena", "Tame"]
VICTIM = ["SI", "no", "", "No", "Sí"]
OCCUPATION = ["Vendedora ambulante", "Campesino", "Mototaxi", "Comerciante", "ama de casa"]
ZONE = ["urbano", "rural", "Urbana", "Rural disperso"]


@dataclass(frozen=True)
class Person:
    """One row of the agreement's list."""

    number: int
    name: str
    document_type: str
    document: str
    sex: str
    ethnicity: str
    municipality: str
    age: int
    victim: str
    occupation: str
    zone: str

    @property
    def document_digits(self) -> str:
        return re.sub(r"\D", "", self.document)

    def row(self) -> list:
        return [
            self.number, self.name, self.document_type, self.document, self.sex,
            self.ethnicity, self.municipality, self.age, self.victim, self.occupation, self.zone,
        ]  # fmt: skip


def people(count: int = 480, seed: int = 20) -> list[Person]:
    """``count`` people with distinct names and documents, in the list's sloppy spellings."""
    rng = random.Random(seed)
    names = [f"{f} {a} {b}" for f in FIRST for a in LAST for b in LAST if a != b]
    rng.shuffle(names)
    sexes = list(SEX)
    out = []
    for n in range(count):
        document = 1_057_300_000 + n * 7
        shown = f"{document:,}".replace(",", ".") if n % 3 == 0 else str(document)
        out.append(
            Person(
                number=n + 1,
                name=names[n] if n % 5 else names[n].upper(),
                document_type=DOCUMENT_TYPES[n % len(DOCUMENT_TYPES)],
                document=shown,
                sex=sexes[n % len(sexes)],
                ethnicity=ETHNICITY[n % len(ETHNICITY)],
                municipality=MUNICIPALITIES[n % len(MUNICIPALITIES)],
                age=18 + rng.randrange(60),
                victim=VICTIM[n % len(VICTIM)],
                occupation=OCCUPATION[n % len(OCCUPATION)],
                zone=ZONE[n % len(ZONE)],
            )
        )
    return out


def write_list(path: Path, rows: list[Person]) -> Path:
    """The list as the agreement sends it: a title block, then its own header and columns."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Preinscritos"
    for line in TITLE:
        sheet.append(line)
    sheet.append(HEADER)
    for person in rows:
        sheet.append(person.row())
    book.save(path)
    return path


def sex_counts(rows: list[Person]) -> Counter:
    return Counter(SEX[p.sex] for p in rows)


# --------------------------------------------------------------------------- staff over HTTP

_CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Staff:
    """A staff member's laptop without a browser: a logged-in HTTP session with its CSRF token."""

    def __init__(self, base_url: str, username: str, password: str):
        self.base_url = base_url
        self.http = requests.Session()
        page = self.http.get(f"{base_url}/login", timeout=15).text
        response = self.http.post(
            f"{base_url}/login",
            data={"username": username, "password": password, "csrf_token": self._token(page)},
            timeout=15,
        )
        assert "/login" not in response.url, "log-in failed"
        self.csrf = ""

    @staticmethod
    def _token(page: str) -> str:
        found = _CSRF_META.search(page) or _CSRF_INPUT.search(page)
        assert found, "no CSRF token on the page"
        return found.group(1)

    def get(self, path: str, **kwargs) -> requests.Response:
        response = self.http.get(self.base_url + path, timeout=30, **kwargs)
        response.raise_for_status()
        return response

    def token_from(self, path: str) -> str:
        self.csrf = self._token(self.get(path).text)
        return self.csrf

    def post_json(self, path: str, body: dict) -> dict:
        response = self.http.post(
            self.base_url + path, json=body, headers={"X-CSRFToken": self.csrf}, timeout=30
        )
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return response.json()

    def post_form(self, path: str, data: dict, **kwargs) -> requests.Response:
        return self.http.post(
            self.base_url + path, data={**data, "csrf_token": self.csrf}, timeout=30, **kwargs
        )

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)

    def socket(self) -> socketio.Client:
        """A Socket.IO connection on this log-in (the console or the groups screen, say)."""
        client = socketio.Client(reconnection=False)
        client.connect(
            self.base_url, headers={"Cookie": self.cookie_header()}, transports=["websocket"]
        )
        return client


def check_in_all(staff: Staff, assembly_id: int, desk: str, tickets: list[str]) -> Counter:
    """One desk scanning a queue of tickets; the results by kind (ok, already, unknown)."""
    staff.token_from(f"/assemblies/{assembly_id}/desk?desk={desk}")
    results = Counter()
    for ticket in tickets:
        reply = staff.post_json(
            f"/assemblies/{assembly_id}/desk/checkin", {"ticket": ticket, "desk": desk}
        )
        results[reply["result"]] += 1
    return results


def in_parallel(jobs: list, main=None) -> list:
    """Run the callables at once (the desks of the hall), re-raising the first failure;
    ``main`` runs meanwhile in the calling thread (Playwright's pages belong to it)."""
    results: list = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(index, job):
        try:
            results[index] = job()
        except BaseException as error:  # re-raised below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    try:
        if main is not None:
            main()
    finally:
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]
    return results


def unique_names(rows: list[Person]) -> list[Person]:
    """The people no other person's name search would also find (same words in any order)."""
    words = Counter(frozenset(p.name.lower().split()) for p in rows)
    return [p for p in rows if words[frozenset(p.name.lower().split())] == 1]


WALK_IN = {
    "document_type": "CC",
    "birth_date": "",
    "age_range": "41-59",
    "sex": "mujer",
    "gender_identity": "",
    "sexual_orientation": "",
    "ethnicity": "ninguno",
    "has_disability": "no",
    "is_victim": "no",
    "is_migrant": "no",
    "zone": "urbana",
    "department_code": "81",
    "municipality_code": "81001",
    "organization_kind": "economia_popular",
    "line_of_work": "vendedor_ambulante",
    "consent_data": "si",
}


#: second names of the walk-ins (distinct, so each can be found)
WALK_IN_NAMES = [
    "Abigail", "Belén", "Casimiro", "Dámaso", "Eloísa", "Fermín", "Genoveva", "Hilario",
    "Inés", "Jacinto", "Leonor", "Macario", "Natividad", "Onofre", "Petronila", "Quirino",
    "Remedios", "Saturnino", "Teófila", "Ulises", "Venancio", "Zoila",
]  # fmt: skip


def walk_in(staff: Staff, assembly_id: int, desk: str, number: int) -> str:
    """The desk's walk-in form, saved and checked in as the desk does; the new ticket."""
    path = f"/assemblies/{assembly_id}/attendees/new?desk={desk}&return=desk"
    staff.token_from(path)
    response = staff.post_form(
        path,
        {
            **WALK_IN,
            "document_number": str(1_099_000_000 + number),
            "first_names": f"{FIRST[number % len(FIRST)]} {WALK_IN_NAMES[number]}",
            "last_names": "Llegó Sin Inscripción",
        },
        allow_redirects=False,
    )
    errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)', response.text)
    assert response.status_code == 302, errors
    ticket = re.search(r"checkin=([^&]+)", response.headers["Location"]).group(1)
    staff.token_from(f"/assemblies/{assembly_id}/desk?desk={desk}")
    reply = staff.post_json(
        f"/assemblies/{assembly_id}/desk/checkin", {"ticket": ticket, "desk": desk}
    )
    assert reply["result"] == "ok", reply
    return ticket


# --------------------------------------------------------------------------- phones and board


class ScriptedTable:
    """A sub-mesa's phone without a browser: the table code on the socket, pieces by UUID."""

    def __init__(self, base_url: str, code: str):
        self.code = code
        self.client = socketio.Client(reconnection=False)
        self.client.connect(base_url, auth={"table_code": code}, transports=["websocket"])
        reply = self.client.call("join_table", {}, timeout=20)
        assert reply["ok"], reply
        self.state = reply["state"]

    def write(self, kind: str, text: str, **fields) -> dict:
        body = {"id": str(uuid.uuid4()), "kind": kind, "text": text, **fields}
        reply = self.client.call("submit_piece", body, timeout=20)
        assert reply["ok"], (self.code, reply)
        return reply["piece"]

    def resend(self, piece: dict) -> dict:
        """The same piece again (a phone whose acknowledgement was lost): never stored twice."""
        body = {k: piece.get(k) for k in ("id", "kind", "text", "parent_id", "who", "due")}
        reply = self.client.call("submit_piece", body, timeout=20)
        assert reply["ok"], reply
        return reply

    def spokesperson(self, attendee_id: int) -> dict:
        reply = self.client.call("set_spokesperson", {"attendee_id": attendee_id}, timeout=20)
        assert reply["ok"], reply
        return reply["table"]

    def close(self) -> None:
        self.client.disconnect()


class BoardListener:
    """The board's own socket (its ``board`` credential): every piece as the wall receives it."""

    def __init__(self, base_url: str, assembly_id: int, board_token: str):
        self.saved: Counter = Counter()  # piece id -> messages received
        self.pieces: dict[str, dict] = {}
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        socket_events.on(self.client, "piece_saved", self._on_saved)
        self.client.connect(base_url, auth={"board": board_token}, transports=["websocket"])
        reply = self.client.call("join_board", {"assembly_id": assembly_id}, timeout=20)
        assert reply["ok"], reply

    def _on_saved(self, message):
        piece = message.get("piece", message)
        with self.changed:
            self.saved[piece["id"]] += 1
            self.pieces[piece["id"]] = piece
            self.changed.notify_all()

    def count(self, kind: str) -> int:
        with self.changed:
            return sum(p["kind"] == kind and not p.get("hidden") for p in self.pieces.values())

    def wait_for(self, kind: str, count: int, timeout: float = 60) -> None:
        """Until the board has received ``count`` pieces of ``kind`` (an event, not a sleep)."""
        with self.changed:
            done = self.changed.wait_for(
                lambda: sum(p["kind"] == kind for p in self.pieces.values()) >= count, timeout
            )
        assert done, f"the board got {self.count(kind)} of {count} {kind} pieces"

    def close(self) -> None:
        self.client.disconnect()


NEEDS = [
    "Falta crédito blando y oportuno para las asociaciones de la economía popular",
    "Las organizaciones no se conocen entre sí ni trabajan en red en el territorio",
    "No hay formación en gestión cooperativa para los nuevos asociados",
    "Los productores no tienen asistencia técnica para transformar el cacao",
    "Falta un espacio regional que integre a las organizaciones solidarias",
]
SOLUTIONS = [
    "Un fondo rotatorio manejado en red por las cooperativas de la región",
    "Una mesa territorial de organizaciones que se reúna cada mes",
    "Escuela itinerante de economía solidaria con intercambios entre organizaciones",
    "Alianza con el SENA y la UNAD para asistencia técnica en planta",
    "Encuentro regional anual de economía solidaria con las alcaldías",
]
PLANS = [
    ("Constituir el fondo con aportes de cada cooperativa", "Cooperativas de Tame y Saravena"),
    ("Convocar la primera reunión de la mesa territorial", "Asociación de cacaoteros"),
    ("Diseñar el programa de la escuela y sus sedes", "Unidad Solidaria y UNAD"),
    ("Firmar el convenio de asistencia técnica", "Precooperativa agropecuaria"),
    ("Organizar el primer encuentro en Arauca", "Gobernación y organizaciones"),
]


class Shots:
    """The README's screenshots (issue 20.3), taken as the rehearsal goes when
    REHEARSAL_SCREENSHOTS names a folder (docs/screenshots.py sets it); otherwise nothing."""

    def __init__(self, folder: str | None):
        self.folder = Path(folder) if folder else None

    def __call__(self, page, name: str, *, settle_ms: int = 0) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")  # a page scrolled by its last save: its top
        if settle_ms:
            page.wait_for_timeout(settle_ms)  # entry animations, for the picture only
        page.screenshot(path=str(self.folder / f"{name}.png"))

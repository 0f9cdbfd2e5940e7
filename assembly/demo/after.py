"""The demo's after-the-day: Moments 2 and 3 noted, the satisfaction survey answered by most
of the room, and a lessons-learned card started from an experience (state ``cierre``)."""

from __future__ import annotations

import random

from assembly.agenda import notes
from assembly.assemblies.models import Assembly
from assembly.assemblies.realtime import broadcasting
from assembly.auth.models import User
from assembly.followup import lessons, survey

OFFER = {"kind": "oferta", "who": "SENA Regional",
         "summary": "Cursos cortos de cooperativismo y contabilidad solidaria en 2025.",
         "details": "Cupos para 200 asociados de las organizaciones del PIT."}  # fmt: skip
EXPERIENCE = {"kind": "experiencia", "who": "Asociación de Productores de Cacao",
              "summary": "Cómo vendieron juntos la cosecha a un comprador nacional.",
              "details": "¿Qué los unió? ¿Qué les costó? ¿Qué harían distinto?",
              "lessons": "Comprar insumos en común baja los costos de todas las familias.",
              "practices": "Un fondo rotatorio administrado por las mujeres de la asociación."}  # fmt: skip
COMMENTS = ("Muy buena organización.", "Faltó tiempo para la plenaria.",
            "Que la próxima sea en la zona rural.")  # fmt: skip


def before_closing(admin: User, assembly: Assembly, tickets: list[str], rng: random.Random):
    """Notes of Moments 2 and 3, and the survey opened at the end of Moment 5 and answered
    by about two thirds of the people present."""
    with broadcasting():
        notes.add_note(admin, assembly.id, OFFER)
        notes.add_note(admin, assembly.id, EXPERIENCE)
        survey.open_survey(admin, assembly.id)
    with broadcasting():
        for token in tickets:
            if rng.random() < 0.65:
                survey.answer(
                    token,
                    {"overall": str(rng.choices((3, 4, 5), (2, 5, 6))[0]),
                     "mesa": str(rng.choices((2, 3, 4, 5), (1, 2, 5, 5))[0]),
                     "organization": str(rng.choices((3, 4, 5), (3, 5, 4))[0]),
                     "again": "si" if rng.random() < 0.9 else "no",
                     "comment": rng.choice(COMMENTS) if rng.random() < 0.15 else ""},
                )  # fmt: skip


def after_closing(admin: User, assembly: Assembly) -> None:
    """A first lessons-learned card from the experience told in Moment 3."""
    with broadcasting():
        lessons.add_default_areas()
        area = next(a for a in lessons.areas() if a.code == "ISE")
        lessons.create_card(
            admin,
            assembly.id,
            {"area_id": str(area.id), "kind": "positiva",
             "finding": "Las compras en común fortalecen a las asociaciones pequeñas.",
             "description": EXPERIENCE["summary"], "lesson": EXPERIENCE["lessons"],
             "success": EXPERIENCE["practices"], "actors": EXPERIENCE["who"],
             "territory": assembly.region or "", "keywords": "Compras en común, Fondo rotatorio"},
            {"sdgs": ["8", "10"], "gcm_principles": ["a", "j"]},
        )  # fmt: skip

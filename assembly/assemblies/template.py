"""The methodology template: the Arauca day of methodology.md as plain data.

A new assembly is built from this; the admin then edits what differs in the room.
"""

from dataclasses import dataclass, field
from datetime import time

from assembly.marks import N_

AGREEMENT_LINE = (
    "Convenio Interadministrativo No. 02 de 2023 suscrito entre la Unidad Solidaria y la UNAD"
)


@dataclass(frozen=True)
class StepTemplate:
    title: str
    minutes: int
    kind: str = "other"


@dataclass(frozen=True)
class MomentTemplate:
    title: str
    start: time
    end: time
    kind: str
    objective: str = ""
    method: str = ""
    steps: tuple[StepTemplate, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ThemeTemplate:
    title: str
    description: str


MOMENT_KINDS = {
    "registro": N_("Registro"),
    "instalacion": N_("Instalación"),
    "espacio": N_("Espacio institucional"),
    "receso": N_("Receso"),
    "momento": N_("Momento metodológico"),
    "mesas": N_("Trabajo en mesas"),
    "plenaria": N_("Plenaria"),
}

STEP_KINDS = {
    "talk": N_("Intervención"),
    "needs": N_("Necesidades"),
    "solutions": N_("Soluciones"),
    "plan": N_("Plan de trabajo"),
    "spokesperson": N_("Vocería"),
    "other": N_("Otro"),
}

MOMENTS: tuple[MomentTemplate, ...] = (
    MomentTemplate(
        "Registro",
        time(7, 30),
        time(7, 59),
        "registro",
        "Registrar a las personas beneficiarias con los datos que requieren los informes.",
        "Formulario unificado para todas las asambleas, diligenciado en la mesa de registro "
        "por el equipo del Ministerio del Trabajo.",
    ),
    MomentTemplate(
        "Saludo e instalación",
        time(8, 0),
        time(8, 30),
        "instalacion",
        "Dar la bienvenida.",
        "Mientras inicia, proyectar imágenes y videos de la campaña (ALAS) o fotos y testimonios "
        "de la primera asamblea de la región; saludos del Ministerio, la Unidad, el Gobierno "
        "nacional y el convenio.",
    ),
    MomentTemplate(
        "Espacio Ministerio del Trabajo",
        time(8, 30),
        time(11, 0),
        "espacio",
        "Presentar los planes y actividades del Ministerio.",
    ),
    MomentTemplate("Receso", time(11, 0), time(11, 30), "receso"),
    MomentTemplate(
        "Momento 1 — Diagnóstico socioeconómico de la región",
        time(11, 30),
        time(12, 15),
        "momento",
        "Construir conocimiento con la comunidad.",
        "Intervención de una persona experta de la región: dinámicas de la economía popular, "
        "vocación productiva, economía solidaria en el territorio.",
    ),
    MomentTemplate("Almuerzo", time(12, 15), time(13, 15), "receso"),
    MomentTemplate(
        "Momento 2 — Balance de gestión y proyecto de impacto territorial (PIT)",
        time(13, 15),
        time(14, 15),
        "momento",
        "Presentar resultados y el PIT, sumar aliados.",
        "La Unidad presenta; luego los aliados del Estado presentan su oferta y posible aporte.",
    ),
    MomentTemplate(
        "Momento 3 — Diálogo de experiencias",
        time(14, 15),
        time(14, 45),
        "momento",
        "Reconocer la articulación alrededor del PIT.",
        "Preguntas orientadoras; tres asociaciones cuentan experiencias, dificultades y "
        "oportunidades: 10 minutos cada una.",
        (
            StepTemplate("Experiencia 1", 10, "talk"),
            StepTemplate("Experiencia 2", 10, "talk"),
            StepTemplate("Experiencia 3", 10, "talk"),
        ),
    ),
    MomentTemplate(
        "Momento 4 — Voces y apuestas",
        time(14, 45),
        time(15, 45),
        "mesas",
        "Construir la agenda con compromisos concretos 2024–2026 (plan de trabajo).",
        "Mesas de trabajo por eje temático; cada sub-mesa arma su rompecabezas: necesidades, "
        "soluciones, plan de trabajo y vocería.",
        (
            StepTemplate("Necesidades", 15, "needs"),
            StepTemplate("Soluciones", 15, "solutions"),
            StepTemplate("Plan de trabajo", 20, "plan"),
            StepTemplate("Vocería", 10, "spokesperson"),
        ),
    ),
    MomentTemplate("Receso", time(15, 45), time(16, 0), "receso"),
    MomentTemplate(
        "Momento 5 — Plenaria y aprobación de agenda",
        time(16, 0),
        time(16, 30),
        "plenaria",
        "Presentar y aprobar las agendas construidas en las mesas.",
        "Plenaria moderada por el convenio y la Unidad; se arma el gran rompecabezas solidario.",
    ),
)

THEMES: tuple[ThemeTemplate, ...] = (
    ThemeTemplate(
        "Asociatividad y el trabajo en red",
        "Relaciones y articulación entre personas y grupos hacia un objetivo común.",
    ),
    ThemeTemplate(
        "Acceso al crédito de la economía popular",
        "Líneas de crédito blandas, ágiles, oportunas y subsidiadas para la economía popular "
        "y comunitaria.",
    ),
    ThemeTemplate(
        "Formación para la asociatividad solidaria",
        "Formación, intercambios y pasantías para asociados, directivos y equipos de las "
        "organizaciones solidarias.",
    ),
    ThemeTemplate(
        "Asistencia técnica para los procesos de industrialización de la economía solidaria",
        "Desarrollo productivo y mejora continua de los servicios de las organizaciones.",
    ),
    ThemeTemplate(
        "Integración para la construcción de territorios solidarios",
        "El territorio construido social, económica, cultural y políticamente sobre principios "
        "solidarios.",
    ),
)

CAPACITY = 500
TABLE_SIZE = 20
PLAN_START_YEAR = 2024
PLAN_END_YEAR = 2026

"""What the demo's tables write, and which piece a simulated table writes next (pure)."""

from __future__ import annotations

import random
from dataclasses import dataclass

NEEDS = (
    "Falta de crédito blando para vendedores informales",
    "Las asociaciones de recicladores no tienen centro de acopio ni transporte propio",
    "Poca formación en contabilidad y costos en las organizaciones",
    "Los campesinos venden la cosecha a intermediarios que pagan tarde y a bajo precio",
    "Trámites de formalización lentos y costosos",
    "No hay redes entre las organizaciones del mismo municipio",
    "Mujeres cabeza de hogar sin capital semilla para sus emprendimientos",
    "Jóvenes rurales sin acompañamiento técnico para sus proyectos productivos",
    "La información de las convocatorias no llega a las veredas",
    "Faltan espacios de comercialización para los productos locales",
)
SOLUTIONS = (
    "Fondo rotatorio solidario entre cooperativas",
    "Centro de acopio comunitario con apoyo de la alcaldía",
    "Escuela de formación itinerante en las veredas",
    "Mercados campesinos semanales con compras públicas locales",
    "Ventanilla única de formalización en cada municipio",
    "Encuentros trimestrales de intercambio entre organizaciones",
    "Capital semilla con acompañamiento de la UNAD",
    "Emisora comunitaria y grupos de mensajería por vereda",
)
PLANS = (
    ("Diseñar el reglamento del fondo", "Cooperativas de Arauca"),
    ("Conseguir el lote y la báscula", "Red de recicladores y Alcaldía"),
    ("Primer ciclo de talleres en cinco veredas", "UNAD"),
    ("Firmar el convenio de compras públicas", "Gobernación y asociaciones campesinas"),
    ("Abrir la ventanilla en la cabecera municipal", "Unidad Solidaria"),
    ("Publicar el calendario de encuentros", "Mesa de economía solidaria"),
)

#: the kind a piece of ``kind`` hangs from
PARENT = {"need": None, "solution": "need", "plan": "solution"}


@dataclass(frozen=True)
class Written:
    """A stored piece, as the simulated room sees it."""

    id: str
    kind: str
    parent_id: str | None = None


@dataclass(frozen=True)
class Next:
    """The piece a simulated table writes next."""

    table_id: int
    kind: str
    parent_id: str | None
    text: str
    who: str = ""


def missing(kind: str, pieces: list[Written], max_needs: int = 2) -> list[str | None]:
    """The parents still waiting for a piece of ``kind`` at one table ([None] for a need)."""
    if kind == "need":
        return [None] if sum(p.kind == "need" for p in pieces) < max_needs else []
    parent_kind = PARENT[kind]
    answered = {p.parent_id for p in pieces if p.kind == kind}
    return [p.id for p in pieces if p.kind == parent_kind and p.id not in answered]


def next_piece(
    tables: dict[int, list[Written]], open_kinds: set[str], rng: random.Random
) -> Next | None:
    """One piece of an open kind for a table that still lacks it (the emptiest first), with
    a plausible text; None when every table has written what the step asks."""
    for kind in ("need", "solution", "plan"):
        if kind not in open_kinds:
            continue
        waiting = [(t, missing(kind, pieces)) for t, pieces in sorted(tables.items())]
        waiting = [(t, parents) for t, parents in waiting if parents]
        if not waiting:
            continue
        fewest = min(len(tables[t]) for t, _ in waiting)
        table_id, parents = rng.choice([w for w in waiting if len(tables[w[0]]) == fewest])
        if kind == "plan":
            text, who = rng.choice(PLANS)
            return Next(table_id, kind, parents[0], text, who)
        text = rng.choice(NEEDS if kind == "need" else SOLUTIONS)
        return Next(table_id, kind, parents[0], text)
    return None

"""Puzzle pieces for the board's browser tests and benchmark: realistic Spanish texts, some
very long, spread over every mesa's sub-tables as need → solution → plan chains."""

import itertools
import uuid

from assembly.extensions import db
from assembly.grouping.codes import new_join_code
from assembly.grouping.models import Group, Table
from assembly.puzzle.models import Piece

NEEDS = [
    "Falta de crédito blando para vendedores informales",
    "Las asociaciones de recicladores no tienen centros de acopio propios ni transporte para llevar el material a la planta",
    "Poca formación en contabilidad",
    "Los campesinos venden la cosecha a intermediarios que pagan precios muy bajos y tarde, sin ningún acuerdo de compra y sin información de precios del mercado regional",
    "Trámites de formalización lentos",
    "No hay redes entre organizaciones del mismo municipio",
    "Mujeres cabeza de hogar sin acceso a capital semilla ni acompañamiento técnico para sus emprendimientos de confecciones y alimentos, especialmente en las veredas más alejadas del casco urbano donde no llega la señal",
]
SOLUTIONS = [
    "Fondo rotatorio solidario entre cooperativas",
    "Centro de acopio comunitario gestionado por la red de recicladores con apoyo de la alcaldía",
    "Escuela de formación itinerante",
    "Mercados campesinos semanales con compras públicas locales",
    "Ventanilla única de formalización con acompañamiento de la UNAD y la Unidad Solidaria en cada municipio del departamento",
    "Encuentros trimestrales de intercambio",
]
PLANS = [
    ("Diseñar el reglamento del fondo", "Cooperativas de Arauca", "2025-T1"),
    ("Conseguir el lote y la báscula", "Red de recicladores y Alcaldía", "2024-T4"),
    (
        "Primer ciclo de talleres en cinco veredas con material en lenguaje sencillo y certificados",
        "UNAD",
        "2025-T2",
    ),
    (
        "Firmar convenio de compras públicas",
        "Gobernación y asociaciones campesinas del piedemonte",
        "2025-T3",
    ),
    ("Abrir la ventanilla", "Unidad Solidaria", "2026-T1"),
]


def tables_for(assembly, per_group: int = 5) -> list[Table]:
    """``per_group`` sub-tables in every mesa of the assembly (created once)."""
    tables = []
    for group in db.session.scalars(db.select(Group).where(Group.assembly_id == assembly.id)):
        existing = {t.number: t for t in group.tables}
        for number in range(1, per_group + 1):
            table = existing.get(number)
            if table is None:
                table = Table(group_id=group.id, number=number, join_code=new_join_code())
                db.session.add(table)
                db.session.flush()
            tables.append(table)
    db.session.commit()
    return sorted(tables, key=lambda t: (t.group.number, t.number))


def seed_pieces(assembly, count: int, per_group: int = 5) -> list[Piece]:
    """``count`` pieces: whole chains (need, solution, plan) dealt round the sub-tables so
    every mesa fills evenly; the remainder starts new chains."""
    tables = tables_for(assembly, per_group)
    # deal chains mesa by mesa so the board fills evenly
    order = sorted(tables, key=lambda t: (t.number, t.group.number))
    pieces, texts = [], itertools.count()
    chain = 0
    while len(pieces) < count:
        table = order[chain % len(order)]
        i = next(texts)
        need = Piece(
            id=str(uuid.uuid4()), table_id=table.id, kind="need", text=NEEDS[i % len(NEEDS)]
        )
        pieces.append(need)
        if len(pieces) < count:
            solution = Piece(
                id=str(uuid.uuid4()),
                table_id=table.id,
                kind="solution",
                parent_id=need.id,
                text=SOLUTIONS[i % len(SOLUTIONS)],
            )
            pieces.append(solution)
            if len(pieces) < count:
                what, who, due = PLANS[i % len(PLANS)]
                pieces.append(
                    Piece(
                        id=str(uuid.uuid4()),
                        table_id=table.id,
                        kind="plan",
                        parent_id=solution.id,
                        text=what,
                        who=who,
                        due=due,
                    )
                )
        chain += 1
    for piece in pieces:
        db.session.add(piece)
        db.session.flush()
    db.session.commit()
    return pieces

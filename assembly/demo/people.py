"""Invented people of Arauca for the demo: names, organisations, unified-form answers."""

import random

from assembly.core import divipola

FIRST_NAMES_F = [
    "María",
    "Luz Marina",
    "Ana Milena",
    "Yurany",
    "Diana",
    "Sandra",
    "Leidy",
    "Rosa Elena",
    "Marleny",
    "Yesenia",
    "Carmen",
    "Flor Alba",
    "Paola",
    "Nelly",
    "Kelly Johana",
    "Zoraida",
]
FIRST_NAMES_M = [
    "José",
    "Luis Alberto",
    "Carlos",
    "Jhon Fredy",
    "Wilmer",
    "Édgar",
    "Jairo",
    "Óscar",
    "Yeison",
    "Fabio",
    "Hernán",
    "Arley",
    "Néstor",
    "Ramiro",
    "Brayan",
    "Álvaro",
]
LAST_NAMES = [
    "Gómez",
    "Rodríguez",
    "Martínez",
    "Pérez",
    "Sánchez",
    "Ramírez",
    "Torres",
    "Díaz",
    "Vargas",
    "Rojas",
    "Moreno",
    "Jiménez",
    "Castro",
    "Ortiz",
    "Rubio",
    "Peña",
    "Carvajal",
    "Guevara",
    "Bautista",
    "Mendoza",
    "Ávila",
    "Cisneros",
    "Quintero",
    "Barrios",
    "Ibáñez",
    "Nuñez",
]
ORGANIZATIONS = [
    ("Asociación de Cacaoteros de Arauquita", "economia_solidaria", "campesino"),
    ("Cooperativa Multiactiva del Sarare", "economia_solidaria", "comerciante"),
    ("Recicladores Unidos de Arauca", "economia_popular", "reciclador"),
    ("Asomujeres Tame", "comunitaria", "trabajo_cuidado"),
    ("Mototaxistas del Llano", "economia_popular", "mototaxista"),
    ("Junta de Acción Comunal La Esperanza", "comunitaria", "campesino"),
    ("Vendedores Informales Plaza Principal", "economia_popular", "vendedor_ambulante"),
    ("Asociación de Pescadores del Río Arauca", "economia_solidaria", "pescador"),
    ("Fondo de Empleados Saravena", "economia_solidaria", "servidor_publico"),
    ("Red de Jóvenes Emprendedores", "comunitaria", "emprendedor"),
    ("Alcaldía de Arauca", "entidad_publica", "servidor_publico"),
    ("Constructores Solidarios", "economia_popular", "obrero_construccion"),
]


def fake_registrations(count: int, theme_ids: list[int], seed: int = 2026) -> list[dict]:
    """Plausible unified-form answers for ``count`` invented people of Arauca."""
    rng = random.Random(seed)
    arauca = [code for code, _name in divipola.municipalities("81")]
    rows = []
    for n in range(count):
        woman = rng.random() < 0.56
        organization = rng.choice(ORGANIZATIONS) if rng.random() < 0.85 else None
        disability = rng.random() < 0.07
        rows.append(
            {
                "document_type": rng.choices(["CC", "CE", "PPT", "TI"], [88, 3, 7, 2])[0],
                "document_number": str(rng.randint(1_000_000_000, 1_199_999_999))
                if n % 9
                else f"{rng.randint(17_000_000, 96_999_999)}",
                "first_names": rng.choice(FIRST_NAMES_F if woman else FIRST_NAMES_M),
                "last_names": f"{rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}",
                "age_range": rng.choices(["18-28", "29-40", "41-59", "60+"], [24, 31, 33, 12])[0],
                "sex": "mujer" if woman else "hombre",
                "gender_identity": rng.choices(
                    [
                        "femenino" if woman else "masculino",
                        "transgenero",
                        "no_binario",
                        "prefiero_no_responder",
                    ],
                    [92, 2, 2, 4],
                )[0],
                "sexual_orientation": rng.choices(
                    ["heterosexual", "lesbiana", "gay", "bisexual", "prefiero_no_responder"],
                    [85, 2, 3, 2, 8],
                )[0],
                "ethnicity": rng.choices(
                    ["ninguno", "indigena", "negro_afrocolombiano", "raizal", "palenquero", "rrom"],
                    [70, 14, 13, 1, 1, 1],
                )[0],
                "has_disability": disability,
                "disability_kind": rng.choice(["fisica", "visual", "auditiva"])
                if disability
                else "",
                "is_victim": rng.random() < 0.38,
                "is_migrant": rng.random() < 0.12,
                "zone": rng.choice(["rural", "urbana"]),
                "phone": f"3{rng.randint(100_000_000, 229_999_999)}" if rng.random() < 0.8 else "",
                "email": "",
                "department_code": "81",
                "municipality_code": rng.choice(arauca),
                "organization_name": organization[0] if organization else "",
                "organization_kind": organization[1] if organization else "ninguna",
                "organization_role": rng.choice(
                    ["Asociado(a)", "Presidente(a)", "Tesorero(a)", "Líder comunitario(a)"]
                )
                if organization
                else "",
                "line_of_work": organization[2]
                if organization
                else rng.choice(["tendero", "vendedor_ambulante", "otro"]),
                "knows_pit": rng.random() < 0.4,
                "took_part_before": rng.random() < 0.35,
                "preferred_theme_id": str(
                    rng.choices(theme_ids, [30, 25, 20, 15, 10][: len(theme_ids)])[0]
                )
                if rng.random() < 0.8
                else "",
                "consent_data": True,
                "consent_photos": rng.random() < 0.7,
            }
        )
    # Random document numbers may repeat; a registration list never does.
    seen = set()
    unique = []
    for row in rows:
        if row["document_number"] not in seen:
            seen.add(row["document_number"])
            unique.append(row)
    return unique

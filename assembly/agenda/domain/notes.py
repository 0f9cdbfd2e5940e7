"""The record of Moments 2 and 3, pure: what a note holds and how it is checked."""

from __future__ import annotations

from collections.abc import Mapping

#: oferta: an ally's institutional offer (Moment 2); experiencia: Moment 3's dialogue
KINDS = {"oferta": "Oferta institucional (Momento 2)", "experiencia": "Experiencia (Momento 3)"}
LIMITS = {"who": 200, "summary": 3000, "details": 3000, "lessons": 3000, "practices": 3000}


def clean_note(raw: Mapping[str, object]) -> tuple[dict, dict]:
    """A note from the form; returns (clean, errors). An offer keeps no lessons or practices."""
    errors: dict[str, str] = {}
    kind = str(raw.get("kind") or "").strip()
    if kind not in KINDS:
        errors["kind"] = "Elija oferta institucional o experiencia."
    clean = {"kind": kind}
    for key, limit in LIMITS.items():
        value = str(raw.get(key) or "").strip()
        if len(value) > limit:
            errors[key] = f"Máximo {limit} caracteres."
        clean[key] = value
    if not clean["who"] and "who" not in errors:
        errors["who"] = "Escriba quién presentó (aliado o asociación)."
    if not clean["summary"] and "summary" not in errors:
        errors["summary"] = (
            "Escriba la oferta." if kind == "oferta" else "Escriba la experiencia contada."
        )
    if kind == "oferta":
        clean["lessons"] = clean["practices"] = ""
    return clean, errors

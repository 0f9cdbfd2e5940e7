"""The assembly's voting rules, the people present and the moderator's headcount override."""

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import func, select

from assembly.assemblies.services import clean_reason, ensure_writable, get_assembly, log_incident
from assembly.auth.models import User
from assembly.board import domain
from assembly.board.models import PlenaryState
from assembly.errors import InvalidInput
from assembly.extensions import db
from assembly.registration.models import Attendee


def state_row(assembly_id: int) -> PlenaryState:
    """The assembly's plenary row, created (flushed) on first use."""
    state = db.session.get(PlenaryState, assembly_id)
    if state is None:
        state = PlenaryState(assembly_id=assembly_id, mode="live", revealed=[], version=0)
        db.session.add(state)
        db.session.flush()
    return state


def rules_of(assembly_id: int) -> domain.Rules:
    state = db.session.get(PlenaryState, assembly_id)
    if state is None:
        return domain.Rules()
    return domain.Rules(state.quorum_kind, float(state.quorum_value), state.majority)


def results_hidden(assembly_id: int) -> bool:
    state = db.session.get(PlenaryState, assembly_id)
    return bool(state and state.hide_results)


def checked_in_now(assembly_id: int) -> int:
    """Checked in and not checked out."""
    return (
        db.session.scalar(
            select(func.count(Attendee.id)).where(
                Attendee.assembly_id == assembly_id,
                Attendee.checked_in_at.is_not(None),
                Attendee.checked_out_at.is_(None),
            )
        )
        or 0
    )


def present_count(assembly_id: int) -> int:
    """The people present: the moderator's headcount if set, else checked in and not out."""
    state = db.session.get(PlenaryState, assembly_id)
    if state is not None and state.headcount is not None:
        return state.headcount
    return checked_in_now(assembly_id)


def rules_text(rules: domain.Rules, present: int) -> str:
    """The rules in one sentence, in the reader's language (static/js/lib/vote_rule.js writes
    the same sentence on the screens, from the same parameters)."""
    needed = domain.quorum_needed(rules, present)
    if rules.quorum_kind == "number":
        quorum = _("Quórum: al menos %(n)s participantes", n=needed)
    elif abs(rules.quorum_value - 0.5) < 1e-9:
        quorum = _(
            "Quórum: más de la mitad de las %(present)s personas presentes (%(n)s)",
            present=present,
            n=needed,
        )
    else:
        quorum = _(
            "Quórum: más del %(share)s %% de las %(present)s personas presentes (%(n)s)",
            share=round(rules.quorum_value * 100),
            present=present,
            n=needed,
        )
    majority = {
        "simple": _(
            "mayoría simple: más votos a favor que en contra (las abstenciones no cuentan "
            "para la mayoría)"
        ),
        "absolute": _("mayoría absoluta: a favor más de la mitad de las personas presentes"),
        "two_thirds": _(
            "dos tercios: a favor al menos 2/3 de los votos emitidos (la abstención cuenta "
            "como no a favor)"
        ),
    }.get(rules.majority, "")
    return _("%(quorum)s; %(majority)s. Las abstenciones cuentan para el quórum.") % {
        "quorum": quorum,
        "majority": majority,
    }


def approval_rule_text(approval: Mapping) -> str:
    """The sentence of the rule a vote was decided under (an ``approval_dict``, live or from an
    acta's snapshot), written when it is read, in the reader's language, from the parameters
    stored with the vote and the people present it was decided with (at closing, else at
    opening). A sentence stored as finished text (before the parameters sufficed) stays in the
    language it was stored in: it is shown only when the parameters are missing."""
    rule = approval.get("rule") or {}
    present = approval.get("present_close")
    if present is None:
        present = approval.get("present_open")
    if present is None or not {"quorum_kind", "quorum_value", "majority"} <= rule.keys():
        return str(rule.get("text") or "")
    return rules_text(domain.Rules.from_dict(rule), present)


def rules_view(assembly_id: int) -> dict:
    """What the console and the board show before each vote."""
    rules = rules_of(assembly_id)
    present = present_count(assembly_id)
    state = db.session.get(PlenaryState, assembly_id)
    return {
        **rules.as_dict(),
        "present": present,
        "checked_in": checked_in_now(assembly_id),
        "headcount": state.headcount if state else None,
        "quorum_needed": domain.quorum_needed(rules, present),
        "hide_results": bool(state and state.hide_results),
    }


def set_rules(actor: User | None, assembly_id: int, raw: dict) -> dict:
    """The moderator sets the rules (they apply to the votes opened after)."""
    ensure_writable(get_assembly(assembly_id))
    rules, errors = domain.clean_rules(raw)
    if errors:
        raise InvalidInput(_("Revise las reglas de votación."), fields=errors)
    state = state_row(assembly_id)
    state.quorum_kind, state.quorum_value, state.majority = (
        rules.quorum_kind,
        rules.quorum_value,
        rules.majority,
    )
    state.hide_results = str(raw.get("hide_results", "")).lower() in ("1", "true", "on", "yes")
    db.session.flush()
    return rules_view(assembly_id)


def set_headcount(actor: User | None, assembly_id: int, raw_value, raw_reason) -> dict:
    """The moderator overrides the people present (a headcount in the room), logged with who
    and why; an empty value goes back to the desk's count."""
    assembly = get_assembly(assembly_id)
    ensure_writable(assembly)
    text = str(raw_value if raw_value is not None else "").strip()
    value = None
    if text:
        if not text.isdigit() or not 0 < int(text) <= 100_000:
            raise InvalidInput(
                _("Escriba el número de personas presentes."),
                fields={"headcount": _("Número no válido.")},
            )
        value = int(text)
    reason = clean_reason(raw_reason)
    if value is not None and not reason:
        raise InvalidInput(
            _("Diga por qué corrige las personas presentes (queda registrado)."),
            fields={"reason": _("Falta el motivo.")},
        )
    state = state_row(assembly_id)
    before = state.headcount
    state.headcount = value
    db.session.flush()
    log_incident(
        assembly,
        "headcount",
        actor,
        reason,
        {"before": before, "after": value, "checked_in": checked_in_now(assembly_id)},
    )
    return rules_view(assembly_id)


def vote_rule_text(approval) -> str:
    """:func:`approval_rule_text` of a vote's own row (an open one: the people present when
    it opened), for the pages that hold the row rather than its screen view."""
    return approval_rule_text(
        {
            "rule": approval.rule,
            "present_open": approval.present_open,
            "present_close": approval.present_close,
        }
    )

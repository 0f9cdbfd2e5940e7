// The moderator's console (/assemblies/<id>/plenaria): drives every board screen through socket
// commands (plenary_command, approval_command) and follows the board's own state.
import { $, $$, el } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { connect } from "../shared/socket.js";
import { approvalRuleSentence, ruleSentence } from "../lib/vote_rule.js";

function kindLabel(kind) {
  return { need: t("Necesidad"), solution: t("Solución"), plan: t("Plan") }[kind] || kind;
}

export function init() {
  const root = $("[data-console]");
  const assemblyId = Number(root.dataset.assemblyId);
  const modeLine = $("[data-console-mode]", root);
  const status = $("[data-console-status]", root);
  const conn = connect({ assemblyId });
  const state = { plenary: null, approvals: {}, pieces: new Map(), groups: [], electorate: 0, rules: null };

  const say = (text) => {
    status.textContent = text;
  };

  async function send(event, payload, button) {
    button?.setAttribute("aria-busy", "true");
    const answer = await conn.request(event, { assembly_id: assemblyId, ...payload });
    button?.removeAttribute("aria-busy");
    say(answer.ok ? t("Hecho.") : answer.code === "timeout" ? t("Sin respuesta del servidor.") : answer.error);
  }

  conn.join(
    "join_board",
    { assembly_id: assemblyId },
    (ack) => {
      state.plenary = ack.state.plenary;
      state.approvals = ack.state.approvals;
      state.groups = ack.state.groups;
      state.electorate = ack.state.electorate;
      state.rules = ack.state.rules;
      state.pieces = new Map(ack.state.pieces.map((p) => [p.id, p]));
      renderAll();
    },
    { onRefused: (ack) => say(ack.error || t("No se pudo conectar.")) },
  );
  conn.onStatus((connection) => {
    if (connection === "offline" || connection === "refused") say(t("Sin conexión: reintentando…"));
  });
  conn.on("plenary_state", (plenary) => {
    state.plenary = plenary;
    renderMode();
    renderApprovals(); // the vote QR's button says whether the board shows it big
  });
  conn.on("approval_changed", (payload) => {
    if (payload.approval) state.approvals[payload.group_id] = payload.approval;
    else delete state.approvals[payload.group_id];
    state.electorate = payload.electorate;
    renderApprovals();
  });
  conn.on("rules_changed", (payload) => {
    state.rules = payload.rules;
    state.electorate = payload.rules.present;
    renderRules();
    renderApprovals();
  });
  conn.on("piece_saved", (piece) => {
    if (piece.hidden) state.pieces.delete(piece.id);
    else state.pieces.set(piece.id, piece);
    renderPieces();
  });
  conn.on("piece_deleted", (payload) => {
    state.pieces.delete(payload.id);
    renderPieces();
  });

  function renderAll() {
    renderRules();
    renderMode();
    renderApprovals();
    renderPieces();
  }

  function renderMode() {
    const p = state.plenary;
    if (!p) return;
    const group = state.groups.find((g) => g.id === p.group_id);
    let text = t("En vivo: todas las mesas.");
    if (p.mode === "reveal" && group) text = t("Turno de la Mesa {number}.", { number: group.number });
    if (p.mode === "whole") text = t("El rompecabezas completo.");
    if (p.piece_id) text += ` ${t("Hay una pieza ampliada.")}`;
    modeLine.textContent = text;
    for (const button of $$("[data-plenary=reveal]", root)) {
      const current = p.mode === "reveal" && Number(button.dataset.groupId) === p.group_id;
      button.setAttribute("aria-pressed", String(current));
    }
  }

  function renderRules() {
    const rules = state.rules;
    if (!rules) return;
    $("[data-rules-text]", root).textContent = ruleSentence(rules, rules.present);
    $("[data-present-line]", root).textContent =
      rules.headcount == null
        ? t("Personas presentes: {present} (registradas en la mesa y sin salida).", { present: rules.present })
        : t("Personas presentes: {present} (contadas en la sala; en la mesa de registro: {checked}).", {
            present: rules.present,
            checked: rules.checked_in,
          });
    const form = $("[data-rules-form]", root);
    if (form.contains(document.activeElement)) return; // do not overwrite what is being typed
    form.elements.quorum_kind.value = rules.quorum_kind;
    form.elements.quorum_value.value =
      rules.quorum_kind === "share" ? String(Math.round(rules.quorum_value * 100)) : String(rules.quorum_value);
    form.elements.majority.value = rules.majority;
    form.elements.hide_results.checked = rules.hide_results;
  }

  function outcomeText(approval, counts) {
    const how = approval.method === "manos" ? t("a mano alzada") : t("por teléfono");
    if (approval.outcome === "no_quorum") return t("Sin quórum ({how}): {counts}. La agenda no quedó aprobada.", { how, counts });
    return approval.approved ? t("Aprobada {how}: {counts}.", { how, counts }) : t("No aprobada {how}: {counts}.", { how, counts });
  }

  function renderApprovals() {
    for (const section of $$("[data-group]", root)) {
      const approval = state.approvals[section.dataset.group];
      const line = $("[data-approval-state]", section);
      $("[data-approval-forms]", section).hidden = Boolean(approval);
      $("[data-approval=close]", section).hidden = !approval || approval.status !== "open";
      $("[data-approval=reset]", section).hidden = !approval;
      // «Mostrar QR en grande»: the phone vote's QR full height on the board (issue 19)
      const voteQr = $("[data-vote-qr]", section);
      const big = state.plenary?.big_qr === "vote";
      voteQr.hidden = !approval || approval.status !== "open" || approval.method !== "telefono";
      voteQr.textContent = big ? t("Ocultar el QR grande") : t("Mostrar QR en grande");
      voteQr.setAttribute("aria-pressed", String(big));
      if (!approval) {
        line.textContent = t("Sin decisión todavía.");
        continue;
      }
      const counts = approval.hidden
        ? t("resultados ocultos hasta el cierre")
        : t("a favor {for} · en contra {against} · abstención {abstain}", {
            for: approval.for,
            against: approval.against,
            abstain: approval.abstain,
          });
      $("[data-correct-box]", section).hidden = !(approval.method === "manos" && approval.status === "closed");
      const sentence = approvalRuleSentence(approval);
      const rule = sentence ? ` ${sentence}` : "";
      if (approval.status === "open") {
        let text = t("Votación por teléfono abierta: {counts} ({total} de {electorate} presentes han votado).", {
          counts,
          total: approval.cast,
          electorate: state.electorate,
        });
        if (approval.shared_devices) {
          text += ` ${t("Atención: {n} teléfonos votaron con varios tiquetes.", { n: approval.shared_devices })}`;
        }
        line.textContent = text + rule;
      } else {
        line.textContent = outcomeText(approval, counts) + rule;
      }
    }
  }

  function renderPieces() {
    for (const section of $$("[data-group]", root)) {
      const list = $("[data-pieces]", section);
      const groupId = Number(section.dataset.group);
      const items = [];
      for (const piece of state.pieces.values()) {
        if (piece.group_id !== groupId) continue;
        items.push(
          el(
            "li",
            {},
            el("span", {
              text: t("Sub-mesa {table} · {kind}: {text}", {
                table: piece.table_number,
                kind: kindLabel(piece.kind),
                text: piece.text,
              }),
            }),
            el("button", {
              type: "button",
              class: "button small",
              "data-plenary": "zoom",
              "data-piece-id": piece.id,
              text: t("Ampliar"),
            }),
            el("a", {
              class: "button small",
              href: `/assemblies/${assemblyId}/piezas/${piece.id}/enmendar`,
              text: t("Enmendar"),
            }),
          ),
        );
      }
      if (items.length) list.replaceChildren(...items);
      else list.textContent = t("Esta mesa aún no tiene piezas.");
    }
  }

  root.addEventListener("click", (event) => {
    const plenary = event.target.closest("[data-plenary]");
    if (plenary) {
      send(
        "plenary_command",
        {
          action: plenary.dataset.plenary,
          group_id: plenary.dataset.groupId ? Number(plenary.dataset.groupId) : null,
          piece_id: plenary.dataset.pieceId || null,
        },
        plenary,
      );
      return;
    }
    const voteQr = event.target.closest("[data-vote-qr]");
    if (voteQr) {
      send("vote_qr", { shown: state.plenary?.big_qr !== "vote" }, voteQr);
      return;
    }
    const approval = event.target.closest("[data-approval]");
    if (approval) {
      const action = approval.dataset.approval;
      if (action === "reset" && !window.confirm(t("¿Anular la decisión de esta mesa? Se borran sus votos."))) return;
      const groupId = Number(approval.closest("[data-group]").dataset.group);
      send("approval_command", { action, group_id: groupId }, approval);
    }
  });

  root.addEventListener("submit", (event) => {
    const rulesForm = event.target.closest("[data-rules-form]");
    const headcount = event.target.closest("[data-headcount-form]");
    const correct = event.target.closest("[data-correct]");
    if (rulesForm || headcount || correct) event.preventDefault();
    if (rulesForm) {
      const data = Object.fromEntries(new FormData(rulesForm));
      send("plenary_rules", { ...data, hide_results: rulesForm.elements.hide_results.checked }, rulesForm.querySelector("button"));
      return;
    }
    if (headcount) {
      send("plenary_headcount", Object.fromEntries(new FormData(headcount)), headcount.querySelector("button"));
      return;
    }
    if (correct) {
      const groupId = Number(correct.closest("[data-group]").dataset.group);
      send("approval_command", { action: "correct", group_id: groupId, ...Object.fromEntries(new FormData(correct)) }, correct.querySelector("button"));
      return;
    }
    const form = event.target.closest("[data-hands]");
    if (!form) return;
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const groupId = Number(form.closest("[data-group]").dataset.group);
    send("approval_command", { action: "hands", group_id: groupId, ...data }, form.querySelector("button"));
  });
}

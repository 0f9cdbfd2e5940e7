// The moderator's console (/assemblies/<id>/plenaria): drives every board screen through
// socket commands (plenary_command, approval_command) and follows the board's own state.
const root = document.querySelector("[data-console]");
const assemblyId = Number(root.dataset.assemblyId);
const modeLine = root.querySelector("[data-console-mode]");
const status = root.querySelector("[data-console-status]");
const socket = window.io();
const state = { plenary: null, approvals: {}, pieces: new Map(), groups: [], electorate: 0 };
const LABELS = { need: "Necesidad", solution: "Solución", plan: "Plan" };

function say(text) {
  status.textContent = text;
}

function send(event, payload, button) {
  if (button) button.setAttribute("aria-busy", "true");
  socket.emit(event, { assembly_id: assemblyId, ...payload }, (ack) => {
    if (button) button.removeAttribute("aria-busy");
    if (!ack || !ack.ok) say(ack ? ack.error : "Sin respuesta del servidor.");
    else say("Hecho.");
  });
}

socket.on("connect", () => {
  socket.emit("join_board", { assembly_id: assemblyId }, (ack) => {
    if (!ack || !ack.ok) return say(ack ? ack.error : "No se pudo conectar.");
    state.plenary = ack.state.plenary;
    state.approvals = ack.state.approvals;
    state.groups = ack.state.groups;
    state.electorate = ack.state.electorate;
    state.pieces = new Map(ack.state.pieces.map((p) => [p.id, p]));
    renderAll();
  });
});
socket.on("disconnect", () => say("Sin conexión: reintentando…"));
socket.on("plenary_state", (plenary) => {
  state.plenary = plenary;
  renderMode();
});
socket.on("approval_changed", (payload) => {
  if (payload.approval) state.approvals[payload.group_id] = payload.approval;
  else delete state.approvals[payload.group_id];
  state.electorate = payload.electorate;
  renderApprovals();
});
socket.on("piece_saved", (piece) => {
  if (piece.hidden) state.pieces.delete(piece.id);
  else state.pieces.set(piece.id, piece);
  renderPieces();
});
socket.on("piece_deleted", (payload) => {
  state.pieces.delete(payload.id);
  renderPieces();
});

function renderAll() {
  renderMode();
  renderApprovals();
  renderPieces();
}

function renderMode() {
  const p = state.plenary;
  if (!p) return;
  const group = state.groups.find((g) => g.id === p.group_id);
  let text = "En vivo: todas las mesas.";
  if (p.mode === "reveal" && group) text = `Turno de la Mesa ${group.number}.`;
  if (p.mode === "whole") text = "El rompecabezas completo.";
  if (p.piece_id) text += " Hay una pieza ampliada.";
  modeLine.textContent = text;
  for (const button of root.querySelectorAll("[data-plenary=reveal]")) {
    const current = p.mode === "reveal" && Number(button.dataset.groupId) === p.group_id;
    button.setAttribute("aria-pressed", String(current));
  }
}

function renderApprovals() {
  for (const section of root.querySelectorAll("[data-group]")) {
    const approval = state.approvals[section.dataset.group];
    const line = section.querySelector("[data-approval-state]");
    const forms = section.querySelector("[data-approval-forms]");
    forms.hidden = Boolean(approval);
    section.querySelector("[data-approval=close]").hidden = !approval || approval.status !== "open";
    section.querySelector("[data-approval=reset]").hidden = !approval;
    if (!approval) {
      line.textContent = "Sin decisión todavía.";
      continue;
    }
    const counts = `a favor ${approval.for} · en contra ${approval.against} · abstención ${approval.abstain}`;
    if (approval.status === "open") {
      const total = approval.for + approval.against + approval.abstain;
      line.textContent = `Votación por teléfono abierta: ${counts} (${total} de ${state.electorate} registradas).`;
    } else {
      const how = approval.method === "manos" ? "a mano alzada" : "por teléfono";
      line.textContent = `${approval.approved ? "Aprobada" : "No aprobada"} ${how}: ${counts}.`;
    }
  }
}

function renderPieces() {
  for (const section of root.querySelectorAll("[data-group]")) {
    const list = section.querySelector("[data-pieces]");
    list.textContent = "";
    const groupId = Number(section.dataset.group);
    for (const piece of state.pieces.values()) {
      if (piece.group_id !== groupId) continue;
      const item = document.createElement("li");
      const label = document.createElement("span");
      label.textContent = `Submesa ${piece.table_number} · ${LABELS[piece.kind]}: ${piece.text}`;
      const zoom = document.createElement("button");
      zoom.type = "button";
      zoom.className = "button small";
      zoom.textContent = "Ampliar";
      zoom.dataset.plenary = "zoom";
      zoom.dataset.pieceId = piece.id;
      const amend = document.createElement("a");
      amend.className = "button small";
      amend.href = `/assemblies/${assemblyId}/piezas/${piece.id}/enmendar`;
      amend.textContent = "Enmendar";
      item.append(label, zoom, amend);
      list.append(item);
    }
    if (!list.children.length) list.textContent = "Esta mesa aún no tiene piezas.";
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
  const approval = event.target.closest("[data-approval]");
  if (approval) {
    const action = approval.dataset.approval;
    if (action === "reset" && !window.confirm("¿Anular la decisión de esta mesa? Se borran sus votos.")) return;
    const groupId = Number(approval.closest("[data-group]").dataset.group);
    send("approval_command", { action, group_id: groupId }, approval);
  }
});

root.addEventListener("submit", (event) => {
  const form = event.target.closest("[data-hands]");
  if (!form) return;
  event.preventDefault();
  const data = Object.fromEntries(new FormData(form));
  const groupId = Number(form.closest("[data-group]").dataset.group);
  send("approval_command", { action: "hands", group_id: groupId, ...data }, form.querySelector("button"));
});

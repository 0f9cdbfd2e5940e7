// The mesa facilitator's phone view: the mesa's sub-tables side by side with their progress and
// pieces, live; nudge a lagging table; hide, merge or fix a piece; record the mesa's spokesperson.
import { io } from "../vendor/socket.io/socket.io.esm.min.js";

const root = document.querySelector("[data-facilitate]");
const groupId = Number(root.dataset.groupId);
const $ = (sel) => root.querySelector(sel);
const KIND = { need: "Necesidad", solution: "Solución", plan: "Plan" };
const STEP_KINDS = { needs: "need", solutions: "solution", plan: "plan" };

let state = JSON.parse(document.getElementById("group-state").textContent);
let openKinds = new Set(state.open_kinds);
const fixing = new Set(); // piece ids with the typo form open

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children.filter((c) => c != null && c !== false));
  return node;
}

function progress(pieces) {
  const shown = pieces.filter((p) => !p.hidden);
  const count = (kind) => shown.filter((p) => p.kind === kind).length;
  return { needs: count("need"), solutions: count("solution"), plans: count("plan") };
}

function lagging(p) {
  if (openKinds.has("need")) return p.needs === 0;
  if (openKinds.has("solution")) return p.solutions < p.needs;
  if (openKinds.has("plan")) return p.plans < p.solutions;
  return false;
}

function pieceCard(piece, table) {
  const sameKind = state.tables.flatMap((t) => t.pieces).filter((p) => p.kind === piece.kind && p.id !== piece.id && !p.hidden);
  const body = [el("span", { class: "piece-kind", text: KIND[piece.kind] }), el("p", { class: "piece-text", text: piece.text })];
  if (piece.kind === "plan") body.push(el("p", { class: "piece-meta", text: `Quién: ${piece.who} · Cuándo: ${piece.due}` }));
  if (piece.hidden) body.push(el("span", { class: "badge", text: "Oculta" }));
  if (fixing.has(piece.id)) {
    const form = el("form", { class: "fac-edit", "data-fix": piece.id });
    const text = el("textarea", { name: "text", rows: 3, maxlength: 280, "aria-label": "Texto corregido" });
    text.value = piece.text;
    form.append(text, el("div", { class: "actions" }, el("button", { class: "button", type: "submit", text: "Guardar" }), el("button", { class: "button", type: "button", "data-cancel": piece.id, text: "Cancelar" })));
    body.push(form);
  } else {
    const actions = el("div", { class: "actions" },
      el("button", { class: "button", type: "button", "data-fix-open": piece.id, text: "Corregir" }),
      el("button", { class: "button", type: "button", "data-hide": piece.id, "data-hidden": piece.hidden ? "0" : "1", text: piece.hidden ? "Mostrar" : "Ocultar" }));
    if (!piece.hidden && sameKind.length) {
      const select = el("select", { "data-merge": piece.id, "aria-label": "Unir como duplicado de…" }, el("option", { value: "", text: "Unir como duplicado de…" }));
      for (const other of sameKind) {
        const owner = state.tables.find((t) => t.id === other.table_id);
        select.append(el("option", { value: other.id, text: `${owner ? owner.number : "?"}: ${other.text.slice(0, 40)}` }));
      }
      actions.append(select);
    }
    body.push(actions);
  }
  return el("article", { class: `piece piece-${piece.kind}${piece.hidden ? " is-hidden" : ""}`, "data-piece": piece.id, "data-table-id": table.id }, ...body);
}

function render() {
  // Keep what is being typed (a typo fix, a nudge) and the cursor across live updates.
  const typed = [...root.querySelectorAll("[data-fix] textarea, [data-nudge] input")].map((input) => [input.closest("form").dataset.fix || `n${input.closest("form").dataset.nudge}`, input.value, input === document.activeElement]);
  const columns = state.tables.map((table) => {
    const p = progress(table.pieces);
    const chip = (label, n, max) => el("li", { class: max && n >= max ? "is-done" : "" , text: `${label} ${n}/${max}` });
    return el("section", { class: `fac-table${lagging(p) ? " is-lagging" : ""}`, "data-table": table.id },
      el("h2", { text: `Sub-mesa ${table.number}` }),
      el("ul", { class: "progress" }, chip("Necesidades", p.needs, 2), chip("Soluciones", p.solutions, p.needs), chip("Planes", p.plans, p.solutions)),
      el("p", { class: "hint", text: `${table.members} personas · Vocería: ${table.spokesperson?.name || "sin elegir"}` }),
      ...table.pieces.map((piece) => pieceCard(piece, table)),
      el("form", { class: "inline-grid", "data-nudge": table.id },
        el("input", { name: "message", maxlength: 160, placeholder: "Mensaje (opcional)", "aria-label": `Mensaje para la sub-mesa ${table.number}` }),
        el("button", { class: "button", type: "submit", text: "Avisar a la mesa" })));
  });
  $("[data-tables]").replaceChildren(...columns);
  for (const [key, value, focused] of typed) {
    const form = root.querySelector(key.startsWith("n") ? `[data-nudge="${key.slice(1)}"]` : `[data-fix="${key}"]`);
    const input = form?.querySelector("textarea, input");
    if (input) { input.value = value; if (focused) input.focus(); }
  }
  const select = $("[data-group-spokes-select]");
  select.replaceChildren(el("option", { value: "", text: "Sin elegir" }), ...state.people.map((person) => {
    const table = state.tables.find((t) => t.id === person.table_id);
    const spokes = table && table.spokesperson?.id === person.id ? " (vocería de su sub-mesa)" : "";
    return el("option", { value: person.id, text: `${person.name}${spokes}` });
  }));
  select.value = state.group.spokesperson?.id ?? "";
}

function notice(message) {
  const box = $("[data-notice]");
  box.textContent = message || "";
  box.hidden = !message;
}

async function send(event, data) {
  try {
    const ack = await socket.timeout(10000).emitWithAck(event, data);
    notice(ack.ok ? "" : ack.error);
    return ack;
  } catch {
    notice("No hubo respuesta del servidor; intente de nuevo.");
    return { ok: false };
  }
}

function upsert(piece) {
  const table = state.tables.find((t) => t.id === piece.table_id);
  if (!table) return;
  const index = table.pieces.findIndex((p) => p.id === piece.id);
  if (index < 0) table.pieces.push(piece);
  else if (piece.version >= table.pieces[index].version) table.pieces[index] = piece;
}

root.addEventListener("click", async (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  if (button.dataset.fixOpen) { fixing.add(button.dataset.fixOpen); render(); }
  else if (button.dataset.cancel) { fixing.delete(button.dataset.cancel); render(); }
  else if (button.dataset.hide) {
    const ack = await send("hide_piece", { id: button.dataset.hide, hidden: button.dataset.hidden === "1" });
    if (ack.ok) { upsert(ack.piece); render(); }
  }
});

root.addEventListener("change", async (event) => {
  const select = event.target.closest("[data-merge]");
  if (!select || !select.value) return;
  const ack = await send("merge_piece", { id: select.dataset.merge, into_id: select.value });
  if (ack.ok) { upsert(ack.piece); render(); }
});

root.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  if (form.dataset.fix) {
    const ack = await send("fix_piece", { id: form.dataset.fix, text: form.elements.text.value });
    if (ack.ok) { fixing.delete(form.dataset.fix); upsert(ack.piece); render(); }
  } else if (form.dataset.nudge) {
    const ack = await send("nudge", { table_id: Number(form.dataset.nudge), message: form.elements.message.value });
    if (ack.ok) { notice(""); form.elements.message.value = ""; form.querySelector("button").textContent = "Aviso enviado ✓"; }
  } else if (form.hasAttribute("data-group-spokes")) {
    const ack = await send("set_group_spokesperson", { group_id: groupId, attendee_id: form.elements[0].value });
    if (ack.ok) { state.group = ack.group; render(); }
  }
});

const socket = io({ transports: ["websocket", "polling"] });
socket.on("connect", async () => {
  const ack = await send("facilitate_group", { group_id: groupId });
  $("[data-offline]").hidden = true;
  if (ack.ok) { state = ack.state; openKinds = new Set(state.open_kinds); render(); }
});
socket.on("disconnect", () => ($("[data-offline]").hidden = false));
socket.on("piece_saved", (piece) => { upsert(piece); render(); });
socket.on("piece_deleted", ({ id }) => {
  for (const table of state.tables) table.pieces = table.pieces.filter((p) => p.id !== id && p.parent_id !== id);
  render();
});
socket.on("table_changed", (info) => {
  const table = state.tables.find((t) => t.id === info.id);
  if (table) Object.assign(table, info);
  render();
});
socket.on("group_changed", (group) => { state.group = group; render(); });

const clockElement = document.querySelector("[data-clock]");
if (clockElement) {
  import("./clock_widget.js")
    .then(({ mountClock }) => mountClock(clockElement, socket, Number(root.dataset.assemblyId), (snapshot) => {
      const active = snapshot.status === "running" || snapshot.status === "paused";
      const kind = active && STEP_KINDS[snapshot.step?.kind];
      openKinds = new Set(kind ? [kind] : []);
      render();
    }))
    .catch(() => {});
}
render();

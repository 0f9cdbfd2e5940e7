// The table leaders' phone page (/mesa/<code>): needs, solutions, work plan, spokesperson.
//
// Loss-proof: every piece gets a UUID here; writes go into an outbox kept in localStorage and
// are sent in order over Socket.IO with an acknowledgement; what is not acknowledged stays in
// the outbox and is sent again on reconnect (the server stores each UUID once).  Whatever is
// being typed is saved in localStorage on every keystroke, so a reload loses nothing.
import { io } from "../vendor/socket.io/socket.io.esm.min.js";

const root = document.querySelector("[data-table]");
const code = root.dataset.code;
const $ = (sel) => root.querySelector(sel);
const KIND = { need: "Necesidad", solution: "Solución", plan: "Plan de trabajo" };
const STEP_KINDS = { needs: "need", solutions: "solution", plan: "plan" };
const EVENTS = { submit: "submit_piece", edit: "edit_piece", delete: "delete_piece" };
const MONTHS = ["ene–mar", "abr–jun", "jul–sep", "oct–dic"];

let state = JSON.parse(document.getElementById("table-state").textContent);
let pieces = new Map(state.pieces.map((p) => [p.id, p])); // as the server stored them
let openKinds = new Set(state.open_kinds);
const limits = state.limits;

// --- local storage: outbox and drafts ----------------------------------------------------
const key = (name) => `asamblea:${code}:${name}`;
function load(name, fallback) {
  try { return JSON.parse(localStorage.getItem(key(name))) ?? fallback; } catch { return fallback; }
}
function store(name, value) {
  try { localStorage.setItem(key(name), JSON.stringify(value)); } catch { /* full or private */ }
}
let outbox = load("outbox", []); // [{op, id, data, rev}] in sending order
let drafts = load("drafts", {}); // "<slot>|<field>" -> text being typed

function uuid() {
  if (window.crypto?.randomUUID) return crypto.randomUUID(); // secure contexts only
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// --- what the phone shows: stored pieces with the outbox applied ------------------------
function view() {
  const all = new Map([...pieces].map(([id, p]) => [id, { ...p }]));
  for (const item of outbox) {
    if (item.op === "delete") dropTree(all, item.id);
    else all.set(item.id, { ...(all.get(item.id) || {}), ...item.data, id: item.id, pending: true });
  }
  return [...all.values()].sort((a, b) => (a.created_at || "~").localeCompare(b.created_at || "~"));
}
function dropTree(map, id) {
  map.delete(id);
  for (const p of [...map.values()]) if (p.parent_id === id) dropTree(map, p.id);
}
const visible = (list) => list.filter((p) => !p.hidden);
const childOf = (list, parent, kind) => list.find((p) => p.parent_id === parent.id && p.kind === kind);
const dueLabel = (due) => {
  const m = /^(\d{4})-T([1-4])$/.exec(due || "");
  return m ? `${m[1]} · ${MONTHS[m[2] - 1]}` : due || "";
};

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children.filter((c) => c != null && c !== false));
  return node;
}

function card(piece, actions = null) {
  const body = [el("span", { class: "piece-kind", text: KIND[piece.kind] }), el("p", { class: "piece-text", text: piece.text || "…" })];
  if (piece.kind === "plan") {
    body.push(el("p", { class: "piece-meta" }, el("b", { text: "Quién: " }), piece.who || "…"));
    body.push(el("p", { class: "piece-meta" }, el("b", { text: "Cuándo: " }), dueLabel(piece.due) || "…"));
  }
  if (piece.pending) body.push(el("span", { class: "badge", text: "Pendiente de envío" }));
  if (piece.hidden) body.push(el("span", { class: "badge", text: "Ocultada por la facilitación" }));
  if (actions) body.push(actions);
  return el("article", { class: `piece piece-${piece.kind}${piece.hidden ? " is-hidden" : ""}`, "data-piece": piece.id }, ...body);
}

// --- forms: one per "slot" (a new need, the solution of a need, an edit...) -------------
const draftOf = (slot, field, fallback = "") => drafts[`${slot}|${field}`] ?? fallback;
function setDraft(slot, field, value) {
  drafts[`${slot}|${field}`] = value;
  store("drafts", drafts);
}
function clearDrafts(slot) {
  for (const k of Object.keys(drafts)) if (k.startsWith(`${slot}|`)) delete drafts[k];
  store("drafts", drafts);
}
const editing = (id) => Object.keys(drafts).some((k) => k.startsWith(`edit:${id}|`));
const slotErrors = {};

function counted(slot, field, label, limit, value, multiline) {
  const id = `f-${slot.replace(/[^a-z0-9]/gi, "-")}-${field}`;
  const input = el(multiline ? "textarea" : "input", { id, "data-field": field, maxlength: limit, rows: multiline ? 3 : null });
  input.value = value;
  const counter = el("span", { class: "counter", "data-counter": field, "aria-live": "off" });
  return el("div", { class: "field" }, el("label", { for: id, text: label }), input, counter);
}

function dueSelect(slot, value) {
  const id = `f-${slot.replace(/[^a-z0-9]/gi, "-")}-due`;
  const select = el("select", { id, "data-field": "due" }, el("option", { value: "", text: "Elija un trimestre" }));
  for (let y = state.assembly.plan_start_year; y <= state.assembly.plan_end_year; y++) {
    for (let q = 1; q <= 4; q++) select.append(el("option", { value: `${y}-T${q}`, text: `${y} · ${MONTHS[q - 1]}` }));
  }
  if (value && ![...select.options].some((o) => o.value === value)) select.append(el("option", { value, text: value }));
  select.value = value;
  return el("div", { class: "field" }, el("label", { for: id, text: "¿Cuándo?" }), select);
}

function pieceForm(slot, kind, { parentId = null, piece = null, label }) {
  const form = el("form", { class: `piece-form form-${kind}`, "data-slot": slot, "data-kind": kind, "data-parent": parentId, "data-id": piece?.id });
  const what = kind === "plan" ? "¿Qué se hará?" : label;
  form.append(counted(slot, "text", what, limits[kind], draftOf(slot, "text", piece?.text ?? ""), true));
  if (kind === "plan") {
    form.append(counted(slot, "who", "¿Quién? (organizaciones o personas responsables)", limits.who, draftOf(slot, "who", piece?.who ?? ""), false));
    form.append(dueSelect(slot, draftOf(slot, "due", piece?.due ?? "")));
  }
  form.append(el("p", { class: "error", "data-error": "", role: "alert", text: slotErrors[slot] || "" }));
  form.append(el("div", { class: "preview" }, el("span", { class: "preview-label", text: "Así se verá en el tablero:" }), el("div", { "data-preview": "" })));
  const buttons = el("div", { class: "actions" }, el("button", { class: "button primary", type: "submit", text: piece ? "Guardar cambios" : "Guardar" }));
  if (piece) buttons.append(el("button", { class: "button", type: "button", "data-cancel": "", text: "Cancelar" }));
  form.append(buttons);
  refreshForm(form);
  return form;
}

function formValues(form) {
  const values = {};
  for (const input of form.querySelectorAll("[data-field]")) values[input.dataset.field] = input.value;
  return values;
}

function refreshForm(form) {
  const values = formValues(form);
  for (const counter of form.querySelectorAll("[data-counter]")) {
    const field = counter.dataset.counter;
    const limit = field === "who" ? limits.who : limits[form.dataset.kind];
    const left = limit - (values[field] || "").length;
    counter.textContent = `${(values[field] || "").length}/${limit}`;
    counter.classList.toggle("is-low", left < 20);
  }
  const preview = form.querySelector("[data-preview]");
  preview.replaceChildren(card({ kind: form.dataset.kind, ...values, text: values.text.trim() }));
}

// --- rendering ---------------------------------------------------------------------------
function pieceActions(piece) {
  if (!openKinds.has(piece.kind) || piece.hidden) return null;
  return el(
    "div", { class: "actions" },
    el("button", { class: "button small", type: "button", "data-edit": piece.id, text: "Editar" }),
    el("button", { class: "button small danger", type: "button", "data-delete": piece.id, text: "Borrar" }),
  );
}

function editable(piece) {
  return editing(piece.id) ? pieceForm(`edit:${piece.id}`, piece.kind, { piece, label: KIND[piece.kind] }) : card(piece, pieceActions(piece));
}

function renderTask(list) {
  const kind = ["need", "solution", "plan"].find((k) => openKinds.has(k));
  const years = `${state.assembly.plan_start_year}–${state.assembly.plan_end_year}`;
  const titles = {
    need: ["Paso 1: necesidades", "Identifiquen una o, como máximo, dos necesidades de su eje temático."],
    solution: ["Paso 2: soluciones", "Una solución para cada necesidad. Prefieran soluciones que nazcan de la cooperación entre organizaciones: trabajo en red, alianzas, lo comunitario."],
    plan: ["Paso 3: plan de trabajo", `Para cada solución: qué se hará, quién (organizaciones o personas) y cuándo, dentro de ${years}.`],
  };
  const [title, hint] = titles[kind] || ["Esperen la señal de la moderación", "Cuando la moderación abra un paso, aquí aparecerá lo que deben escribir."];
  $("[data-task-title]").textContent = title;
  $("[data-task-hint]").textContent = hint;
  const body = [];
  const needs = visible(list).filter((p) => p.kind === "need");
  if (kind === "need") {
    needs.forEach((need) => body.push(editable(need)));
    if (needs.length < 2) body.push(pieceForm("need:new", "need", { label: `Necesidad ${needs.length + 1} de 2` }));
    else body.push(el("p", { class: "hint", text: "Ya tienen las dos necesidades: pueden editarlas." }));
  } else if (kind === "solution") {
    if (!needs.length) body.push(el("p", { class: "hint", text: "Su mesa no escribió necesidades." }));
    for (const need of needs) {
      const solution = childOf(visible(list), need, "solution");
      body.push(el("div", { class: "pair" }, card(need), solution ? editable(solution) : pieceForm(`solution:${need.id}`, "solution", { parentId: need.id, label: "Solución para esta necesidad" })));
    }
  } else if (kind === "plan") {
    const solutions = visible(list).filter((p) => p.kind === "solution");
    if (!solutions.length) body.push(el("p", { class: "hint", text: "Su mesa no escribió soluciones." }));
    for (const solution of solutions) {
      const plan = childOf(visible(list), solution, "plan");
      body.push(el("div", { class: "pair" }, card(solution), plan ? editable(plan) : pieceForm(`plan:${solution.id}`, "plan", { parentId: solution.id })));
    }
  }
  $("[data-task-body]").replaceChildren(...body);
}

function renderPuzzle(list) {
  const shown = list.filter((p) => !p.hidden);
  const tree = shown.filter((p) => p.kind === "need").map((need) => {
    const solution = childOf(shown, need, "solution");
    const plan = solution && childOf(shown, solution, "plan");
    return el("div", { class: "branch" }, card(need), solution && card(solution), plan && card(plan));
  });
  $("[data-puzzle]").replaceChildren(...(tree.length ? tree : [el("p", { class: "empty", text: "Todavía no hay piezas." })]));
}

function renderHead() {
  $("[data-members]").textContent = state.table.members;
  $("[data-spokes-name]").textContent = state.table.spokesperson?.name || "sin elegir";
  const select = $("[data-spokes-select]");
  const typed = $("[data-spokes-typed]");
  const people = state.people || [];
  select.hidden = !people.length;
  typed.hidden = !!people.length;
  select.replaceChildren(el("option", { value: "", text: "Elija a la persona" }), ...people.map((p) => el("option", { value: p.id, text: p.name })));
  select.value = state.table.spokesperson?.id ?? "";
}

function render() {
  // Rebuilding the forms must not cost the person their cursor: remember and restore it.
  const active = document.activeElement;
  const focus = active?.dataset?.field && active.closest("[data-slot]")
    ? { slot: active.closest("[data-slot]").dataset.slot, field: active.dataset.field, start: active.selectionStart, end: active.selectionEnd }
    : null;
  const list = view();
  renderTask(list);
  renderPuzzle(list);
  if (focus) {
    const again = root.querySelector(`[data-slot="${CSS.escape(focus.slot)}"] [data-field="${focus.field}"]`);
    if (again) {
      again.focus();
      if (focus.start != null && again.setSelectionRange) again.setSelectionRange(focus.start, focus.end);
    }
  }
}

// --- the outbox --------------------------------------------------------------------------
function enqueue(op, id, data = {}) {
  const queued = outbox.find((item) => item.id === id);
  if (queued && op !== "delete") {
    queued.data = { ...queued.data, ...data }; // an unsent submit stays a submit
    queued.rev += 1;
  } else if (queued) {
    queued.op = "delete";
    queued.data = {};
    queued.rev += 1;
  } else {
    outbox.push({ op, id, data, rev: 1 });
  }
  if (op === "delete") {
    // what hung from a deleted piece and was never sent goes too
    const gone = new Set([id]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const item of outbox) {
        if (item.op === "submit" && gone.has(item.data.parent_id) && !gone.has(item.id)) {
          gone.add(item.id);
          grew = true;
        }
      }
    }
    outbox = outbox.filter((item) => item.id === id || !gone.has(item.id));
  }
  store("outbox", outbox);
  render();
  flush();
}

let sending = false;
async function flush() {
  if (sending || !socket.connected) return;
  sending = true;
  try {
    while (outbox.length && socket.connected) {
      const item = outbox[0];
      const rev = item.rev;
      let ack;
      try {
        ack = await socket.timeout(10000).emitWithAck(EVENTS[item.op], { id: item.id, ...item.data });
      } catch {
        break; // no answer: it stays in the outbox and goes again after the reconnect
      }
      if (ack?.ok) {
        if (ack.piece) accept(ack.piece);
        for (const gone of ack.deleted || []) pieces.delete(gone);
        if (item.rev !== rev && item.op !== "delete") item.op = "edit"; // changed while in flight
        else outbox = outbox.filter((i) => i !== item);
      } else {
        outbox = outbox.filter((i) => i !== item);
        refused(item, ack?.error || "No se pudo guardar.");
      }
      store("outbox", outbox);
      render();
    }
  } finally {
    sending = false;
  }
}

function refused(item, message) {
  // The text is not lost: it goes back into its form with the reason.
  const piece = pieces.get(item.id);
  const slot = item.op === "submit" ? (item.data.kind === "need" ? "need:new" : `${item.data.kind}:${item.data.parent_id}`) : `edit:${item.id}`;
  if (item.op !== "delete" && !(item.op === "submit" && piece)) {
    for (const [field, value] of Object.entries(item.data)) if (["text", "who", "due"].includes(field)) setDraft(slot, field, value ?? "");
    slotErrors[slot] = message;
  }
  notice(message);
}

function accept(piece) {
  const known = pieces.get(piece.id);
  if (!known || piece.version >= known.version) pieces.set(piece.id, piece);
}

function notice(message) {
  const box = $("[data-notice]");
  box.textContent = message;
  box.hidden = !message;
  clearTimeout(notice.timer);
  if (message) notice.timer = setTimeout(() => (box.hidden = true), 8000);
}

// --- user actions ------------------------------------------------------------------------
root.addEventListener("input", (event) => {
  const form = event.target.closest("[data-slot]");
  if (!form || !event.target.dataset.field) return;
  setDraft(form.dataset.slot, event.target.dataset.field, event.target.value);
  refreshForm(form);
});

root.addEventListener("submit", (event) => {
  const form = event.target.closest("[data-slot]");
  if (!form) return;
  event.preventDefault();
  const slot = form.dataset.slot;
  const values = formValues(form);
  const missing = !values.text.trim() ? "Escriba el texto antes de guardar." : form.dataset.kind === "plan" && !values.who.trim() ? "Indique quién lo hará." : form.dataset.kind === "plan" && !values.due ? "Elija cuándo." : "";
  if (missing) {
    form.querySelector("[data-error]").textContent = missing;
    return;
  }
  delete slotErrors[slot];
  clearDrafts(slot);
  if (form.dataset.id) enqueue("edit", form.dataset.id, values);
  else enqueue("submit", uuid(), { kind: form.dataset.kind, parent_id: form.dataset.parent || null, ...values });
});

root.addEventListener("click", (event) => {
  const target = event.target.closest("button");
  if (!target) return;
  if (target.dataset.edit) {
    const piece = view().find((p) => p.id === target.dataset.edit);
    for (const field of ["text", "who", "due"]) if (piece?.[field] != null) setDraft(`edit:${piece.id}`, field, piece[field]);
    render();
  } else if (target.dataset.delete) {
    const piece = view().find((p) => p.id === target.dataset.delete);
    const extra = piece?.kind === "plan" ? "" : " También se borrará lo que se escribió a partir de ella.";
    if (piece && window.confirm(`¿Borrar esta pieza (${KIND[piece.kind].toLowerCase()})?${extra}`)) enqueue("delete", piece.id);
  } else if (target.hasAttribute("data-cancel")) {
    const slot = target.closest("[data-slot]").dataset.slot;
    delete slotErrors[slot];
    clearDrafts(slot);
    render();
  } else if (target.hasAttribute("data-nudge-close")) {
    $("[data-nudge]").hidden = true;
  }
});

$("[data-spokes-form]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = $("[data-spokes-error]");
  const people = state.people || [];
  const data = people.length ? { attendee_id: $("[data-spokes-select]").value } : { name: $("[data-spokes-typed]").value };
  if (!socket.connected) {
    error.textContent = "Sin conexión: intente de nuevo cuando vuelva la señal.";
    return;
  }
  try {
    const ack = await socket.timeout(10000).emitWithAck("set_spokesperson", data);
    error.textContent = ack.ok ? "" : ack.error;
    if (ack.ok) {
      state.table = ack.table;
      renderHead();
    }
  } catch {
    error.textContent = "No hubo respuesta; intente de nuevo.";
  }
});

// --- the connection ----------------------------------------------------------------------
const socket = io({
  auth: { table_code: code },
  transports: ["websocket", "polling"],
  reconnectionDelay: 500,
  reconnectionDelayMax: 4000,
});
const conn = document.querySelector("[data-conn]");
function online(yes) {
  $("[data-offline]").hidden = yes;
  conn.dataset.state = yes ? "online" : "offline";
  conn.textContent = yes ? "En línea" : "Sin conexión";
}

socket.on("connect", async () => {
  try {
    const ack = await socket.timeout(10000).emitWithAck("join_table", { code });
    if (!ack.ok) return notice(ack.error);
    state = ack.state;
    pieces = new Map(state.pieces.map((p) => [p.id, p]));
    openKinds = new Set(state.open_kinds);
    online(true);
    renderHead();
    render();
    flush();
  } catch {
    setTimeout(() => socket.disconnect().connect(), 2000); // no snapshot: start over
  }
});
socket.on("disconnect", () => online(false));
socket.on("connect_error", () => online(false));
socket.on("piece_saved", (piece) => {
  accept(piece);
  render();
});
socket.on("piece_deleted", ({ id }) => {
  dropTree(pieces, id);
  render();
});
socket.on("table_changed", (table) => {
  state.table = table;
  renderHead();
});
socket.on("nudged", ({ message }) => {
  $("[data-nudge-text]").textContent = message;
  $("[data-nudge]").hidden = false;
  navigator.vibrate?.(200);
});
window.addEventListener("offline", () => {
  online(false);
  socket.io.engine?.close(); // do not wait for the ping timeout: reconnect when the signal is back
});
window.addEventListener("online", () => {
  if (!socket.connected) socket.connect();
});

const clockElement = document.querySelector("[data-clock]");
if (clockElement) {
  import("./clock_widget.js")
    .then(({ mountClock }) =>
      mountClock(clockElement, socket, Number(root.dataset.assemblyId), (snapshot) => {
        const active = snapshot.status === "running" || snapshot.status === "paused";
        const kind = active && STEP_KINDS[snapshot.step?.kind];
        const next = new Set(kind ? [kind] : []);
        if ([...next].join() !== [...openKinds].join()) {
          openKinds = next;
          render();
        }
      }),
    )
    .catch(() => {});
}

renderHead();
render();

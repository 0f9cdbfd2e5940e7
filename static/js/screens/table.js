// The table leaders' phone page (/mesa/<code>): needs, solutions, work plan, spokesperson.
//
// Loss-proof: every piece gets a UUID here; writes go into an outbox kept in localStorage and
// are sent in order over Socket.IO with an acknowledgement (conn.request: a timeout is asked
// again on the same connection); what is not acknowledged stays in the outbox and is sent
// again a little later, after a reconnect or after any successful join (the server stores each
// UUID once). A refusal that is not retryable puts the text back in its form with the reason.
// Whatever is being typed is saved in localStorage on every keystroke, so a reload loses nothing.
import { mountClock, remainingAt } from "../shared/clock.js";
import { el, readJson } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { backoff, connect } from "../shared/socket.js";

const STEP_KINDS = { needs: "need", solutions: "solution", plan: "plan" };
const EVENTS = { submit: "submit_piece", edit: "edit_piece", delete: "delete_piece" };

// Set by init(): the page, what the server stored, the outbox and drafts, the connection.
let root, code, state, pieces, openKinds, limits, outbox, drafts, conn;
let stepKind = null; // the running step's kind (activeStep), null when nothing runs
let clockApi = null; // the mounted clock: the server's time and the current snapshot
const $ = (sel) => root.querySelector(sel);

function kindLabel(kind) {
  return { need: t("Necesidad"), solution: t("Solución"), plan: t("Plan de trabajo") }[kind] || kind;
}

function months(quarter) {
  return [t("ene–mar"), t("abr–jun"), t("jul–sep"), t("oct–dic")][quarter - 1];
}

// --- local storage: outbox and drafts ----------------------------------------------------
// Kept under the table, not its code: when the code is rotated the phone enters with the new
// one and finds its drafts and outbox. (Older pages stored them under the code: moved once.)
let tableId = null;
const key = (name) => `asamblea:table:${tableId}:${name}`;
function adoptCodeKeys() {
  for (const name of ["outbox", "drafts"]) {
    const old = `asamblea:${code}:${name}`;
    try {
      const value = localStorage.getItem(old);
      if (value != null && localStorage.getItem(key(name)) == null) localStorage.setItem(key(name), value);
      localStorage.removeItem(old);
    } catch { /* private mode: nothing stored */ }
  }
}
function load(name, fallback) {
  try { return JSON.parse(localStorage.getItem(key(name))) ?? fallback; } catch { return fallback; }
}
function store(name, value) {
  try { localStorage.setItem(key(name), JSON.stringify(value)); } catch { /* full or private */ }
}

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
    else all.set(item.id, { ...(all.get(item.id) || {}), ...item.data, id: item.id, pending: true, late: Boolean(item.late) });
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
  return m ? `${m[1]} · ${months(Number(m[2]))}` : due || "";
};

function card(piece, actions = null) {
  const body = [el("span", { class: "piece-kind", text: kindLabel(piece.kind) }), el("p", { class: "piece-text", text: piece.text || "…" })];
  if (piece.kind === "plan") {
    body.push(el("p", { class: "piece-meta" }, el("b", { text: t("Quién: ") }), piece.who || "…"));
    body.push(el("p", { class: "piece-meta" }, el("b", { text: t("Cuándo: ") }), dueLabel(piece.due) || "…"));
  }
  if (piece.late) body.push(el("span", { class: "badge late", text: t("Fuera de tiempo") }));
  else if (piece.pending) body.push(el("span", { class: "badge", text: t("Pendiente de envío") }));
  if (piece.hidden) body.push(el("span", { class: "badge", text: t("Ocultada por la facilitación") }));
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
  const select = el("select", { id, "data-field": "due" }, el("option", { value: "", text: t("Elija un trimestre") }));
  for (let y = state.assembly.plan_start_year; y <= state.assembly.plan_end_year; y++) {
    for (let q = 1; q <= 4; q++) select.append(el("option", { value: `${y}-T${q}`, text: `${y} · ${months(q)}` }));
  }
  if (value && ![...select.options].some((o) => o.value === value)) select.append(el("option", { value, text: value }));
  select.value = value;
  return el("div", { class: "field" }, el("label", { for: id, text: t("¿Cuándo?") }), select);
}

function pieceForm(slot, kind, { parentId = null, piece = null, label }) {
  const form = el("form", { class: `piece-form form-${kind}`, "data-slot": slot, "data-kind": kind, "data-parent": parentId, "data-id": piece?.id });
  const what = kind === "plan" ? t("¿Qué se hará?") : label;
  form.append(counted(slot, "text", what, limits[kind], draftOf(slot, "text", piece?.text ?? ""), true));
  if (kind === "plan") {
    form.append(counted(slot, "who", t("¿Quién? (organizaciones o personas responsables)"), limits.who, draftOf(slot, "who", piece?.who ?? ""), false));
    form.append(dueSelect(slot, draftOf(slot, "due", piece?.due ?? "")));
  }
  form.append(el("p", { class: "error", "data-error": "", role: "alert", text: slotErrors[slot] || "" }));
  form.append(el("div", { class: "preview" }, el("span", { class: "preview-label", text: t("Así se verá en el tablero:") }), el("div", { "data-preview": "" })));
  const buttons = el("div", { class: "actions" }, el("button", { class: "button primary", type: "submit", text: piece ? t("Guardar cambios") : t("Guardar") }));
  if (piece) buttons.append(el("button", { class: "button", type: "button", "data-cancel": "", text: t("Cancelar") }));
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

// The running (or paused) step's kind, from a clock snapshot: "needs", "spokesperson"…
function activeStep(snapshot) {
  const active = snapshot && (snapshot.status === "running" || snapshot.status === "paused");
  return active ? snapshot.step?.kind || null : null;
}

// --- rendering ---------------------------------------------------------------------------
// Only while its step is open, and before the plenary approves the mesa's agenda, may a piece
// change: otherwise the phone offers no edit or delete (the server refuses them too). Beside the buttons, the save's outcome: stored on the server, or
// still on this phone.
function pieceActions(piece) {
  if (state.table.frozen || !openKinds.has(piece.kind) || piece.hidden) return null;
  return el(
    "div", { class: "actions" },
    el("button", { class: "button small", type: "button", "data-edit": piece.id, text: t("Editar") }),
    el("button", { class: "button small danger", type: "button", "data-delete": piece.id, text: t("Borrar") }),
    piece.pending ? null : el("span", { class: "saved-note", "data-piece-saved": piece.id, role: "status", text: t("✓ Guardada") }),
  );
}

function editable(piece) {
  return editing(piece.id) ? pieceForm(`edit:${piece.id}`, piece.kind, { piece, label: kindLabel(piece.kind) }) : card(piece, pieceActions(piece));
}

function renderTask(list) {
  const frozen = state.table.frozen;
  const kind = frozen ? null : ["need", "solution", "plan"].find((k) => openKinds.has(k));
  const years = `${state.assembly.plan_start_year}–${state.assembly.plan_end_year}`;
  const titles = {
    need: [t("Paso 1: necesidades"), t("Identifiquen una o, como máximo, dos necesidades de su eje temático.")],
    solution: [t("Paso 2: soluciones"), t("Una solución para cada necesidad. Prefieran soluciones que nazcan de la cooperación entre organizaciones: trabajo en red, alianzas, lo comunitario.")],
    plan: [t("Paso 3: plan de trabajo"), t("Para cada solución: qué se hará, quién (organizaciones o personas) y cuándo, dentro de {years}.", { years })],
  };
  const idle = [t("Esperen la señal de la moderación"), t("Cuando la moderación abra un paso, aquí aparecerá lo que deben escribir.")];
  const spokes = [t("Paso 4: vocería"), t("Elijan entre ustedes a su vocero o vocera para la plenaria y guárdenlo abajo, en «Vocería de la sub-mesa».")];
  const approved = [t("La plenaria aprobó la agenda de su mesa"), t("Sus piezas ya no cambian desde este teléfono: las enmiendas se hacen en la plenaria.")];
  const [title, hint] = frozen ? approved : titles[kind] || (stepKind === "spokesperson" ? spokes : idle);
  $("[data-task-title]").textContent = title;
  $("[data-task-hint]").textContent = hint;
  const body = [];
  const needs = visible(list).filter((p) => p.kind === "need");
  if (kind === "need") {
    needs.forEach((need) => body.push(editable(need)));
    if (needs.length < 2) body.push(pieceForm("need:new", "need", { label: t("Necesidad {n} de 2", { n: needs.length + 1 }) }));
    else body.push(el("p", { class: "hint", text: t("Ya tienen las dos necesidades: pueden editarlas.") }));
  } else if (kind === "solution") {
    if (!needs.length) body.push(el("p", { class: "hint", text: t("Su mesa no escribió necesidades.") }));
    for (const need of needs) {
      const solution = childOf(visible(list), need, "solution");
      body.push(el("div", { class: "pair" }, card(need), solution ? editable(solution) : pieceForm(`solution:${need.id}`, "solution", { parentId: need.id, label: t("Solución para esta necesidad") })));
    }
  } else if (kind === "plan") {
    const solutions = visible(list).filter((p) => p.kind === "solution");
    if (!solutions.length) body.push(el("p", { class: "hint", text: t("Su mesa no escribió soluciones.") }));
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
  $("[data-puzzle]").replaceChildren(...(tree.length ? tree : [el("p", { class: "empty", text: t("Todavía no hay piezas.") })]));
}

function renderHead() {
  $("[data-members]").textContent = state.table.members;
  $("[data-spokes-name]").textContent = state.table.spokesperson?.name || t("sin elegir");
  const select = $("[data-spokes-select]");
  const typed = $("[data-spokes-typed]");
  const people = state.people || [];
  select.hidden = !people.length;
  typed.hidden = !!people.length;
  select.replaceChildren(el("option", { value: "", text: t("Elija a la persona") }), ...people.map((p) => el("option", { value: p.id, text: p.name })));
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
  renderGrace();
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
let retryTimer = 0;
let failures = 0;
async function flush() {
  if (sending || !conn.connected) return;
  sending = true;
  clearTimeout(retryTimer);
  try {
    // A piece refused for time-up waits («fuera de tiempo») until the step reopens.
    for (let item = outbox.find((i) => !i.late); item && conn.connected; item = outbox.find((i) => !i.late)) {
      const rev = item.rev;
      // Safe to repeat: the server stores each piece's UUID once.
      const answer = await conn.request(EVENTS[item.op], { id: item.id, ...item.data }, { retries: 3 });
      if (answer.ok) {
        failures = 0;
        if (answer.piece) accept(answer.piece);
        for (const gone of answer.deleted || []) pieces.delete(gone);
        if (item.rev !== rev && item.op !== "delete") item.op = "edit"; // changed while in flight
        else outbox = outbox.filter((i) => i !== item);
      } else if (answer.code === "code_changed") {
        // Kept: it goes once the phone enters with the new code.
        codeChanged(answer.error);
        break;
      } else if (answer.code === "time_up") {
        // Kept on this phone: it goes again if the step reopens; the facilitator sees it.
        item.late = true;
        notice(answer.error);
      } else if (answer.retry) {
        // Not stored yet (no answer, server busy): it stays first in line and goes again soon.
        if (conn.connected) retryTimer = setTimeout(flush, backoff(failures++, { base: 1000, max: 15000 }));
        break;
      } else {
        outbox = outbox.filter((i) => i !== item);
        refused(item, answer.error || t("No se pudo guardar."));
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
function listen() {
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
    const missing = !values.text.trim() ? t("Escriba el texto antes de guardar.") : form.dataset.kind === "plan" && !values.who.trim() ? t("Indique quién lo hará.") : form.dataset.kind === "plan" && !values.due ? t("Elija cuándo.") : "";
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
      const question = piece?.kind === "plan"
        ? t("¿Borrar esta pieza ({kind})?", { kind: kindLabel(piece?.kind).toLowerCase() })
        : t("¿Borrar esta pieza ({kind})? También se borrará lo que se escribió a partir de ella.", { kind: kindLabel(piece?.kind).toLowerCase() });
      if (piece && window.confirm(question)) enqueue("delete", piece.id);
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
    if (!conn.connected) {
      error.textContent = t("Sin conexión: intente de nuevo cuando vuelva la señal.");
      return;
    }
    const answer = await conn.request("set_spokesperson", data, { retries: 2 });
    if (answer.ok) {
      error.textContent = "";
      state.table = answer.table;
      renderHead();
      $("[data-spokes-saved]").textContent = t("✓ Guardado: {name} es la vocería de la sub-mesa.", {
        name: answer.table.spokesperson?.name || "",
      });
    } else {
      error.textContent = answer.code === "timeout" ? t("No hubo respuesta; intente de nuevo.") : answer.error;
    }
  });
}

// --- time-up: the grace countdown, and what waits «fuera de tiempo» -------------------------
// The server closes a step's input input_grace_s after its 00:00; these only say so.
function stepOpenFor(snapshot) {
  const kind = STEP_KINDS[activeStep(snapshot)];
  if (!kind || !clockApi) return { kind: null, left: null };
  const remaining = remainingAt(snapshot, clockApi.clock.serverNow());
  return { kind, remaining, left: remaining + (snapshot.input_grace_s ?? 30) };
}

function renderGrace() {
  const box = $("[data-grace]");
  const snapshot = clockApi?.snapshot();
  const { kind, remaining, left } = snapshot ? stepOpenFor(snapshot) : { kind: null };
  const late = outbox.filter((item) => item.late).length;
  let text = "";
  if (kind && remaining < 0 && left > 0) text = t("¡Tiempo! Quedan {n} s para enviar lo que falta.", { n: Math.ceil(left) });
  else if (kind && remaining < 0) text = t("Se acabó el tiempo de este paso: lo que envíen queda «fuera de tiempo» hasta que la moderación lo reabra.");
  if (late) text = `${text} ${t("Piezas fuera de tiempo en este teléfono: {n}. Se enviarán si la moderación reabre el paso.", { n: late })}`.trim();
  box.textContent = text;
  box.hidden = !text;
  box.dataset.state = kind && remaining < 0 && left > 0 ? "grace" : "closed";
}

// After a (re)join: a late piece the server no longer holds and whose text is on the board
// was accepted by the facilitator while this phone was away.
function settleLate(heldIds) {
  const held = new Set(heldIds);
  const before = outbox.length;
  outbox = outbox.filter((item) => {
    if (!item.late || held.has(item.id)) return true;
    const stored = pieces.get(item.id);
    return !(stored && stored.text === item.data.text);
  });
  if (outbox.length !== before) store("outbox", outbox);
}

// The step may have reopened (extended, or the moderator went back): try the late ones again.
function retryLate() {
  if (!outbox.some((item) => item.late)) return;
  const snapshot = clockApi?.snapshot();
  const { kind, left } = snapshot ? stepOpenFor(snapshot) : { kind: null };
  if (!kind || left <= 0) return;
  for (const item of outbox) delete item.late;
  store("outbox", outbox);
  notice(""); // the time-up refusal no longer holds: its pieces go now
  render();
  flush();
}

// --- a rotated join code ------------------------------------------------------------------
function codeChanged(message) {
  const box = $("[data-code-changed]");
  if (message) box.querySelector("[data-code-changed-text]").textContent = message;
  box.hidden = false;
  online(false);
  $("[data-offline]").hidden = true; // not a network problem: the banner above says what to do
}

// --- the connection ----------------------------------------------------------------------
function online(yes) {
  const indicator = document.querySelector("[data-conn]");
  $("[data-offline]").hidden = yes;
  indicator.dataset.state = yes ? "online" : "offline";
  indicator.textContent = yes ? t("En línea") : t("Sin conexión");
}

function follow() {
  conn.onStatus((status, detail) => {
    if (status !== "online" && status !== "connecting") online(false);
    if (status === "refused" && conn.refusal?.code === "code_changed") codeChanged(detail);
  });
  conn.on("code_changed", () => codeChanged());
  conn.join(
    "join_table",
    { code },
    (ack) => {
      state = ack.state;
      pieces = new Map(state.pieces.map((p) => [p.id, p]));
      openKinds = new Set(state.open_kinds);
      settleLate(state.late || []);
      online(true);
      renderHead();
      render();
      flush(); // what waited in the outbox goes now
    },
    { retries: 3, onRefused: (ack) => (ack.code === "code_changed" ? codeChanged(ack.error) : notice(ack.error)) },
  );
  conn.on("piece_saved", (piece) => {
    accept(piece);
    render();
  });
  conn.on("piece_deleted", ({ id }) => {
    dropTree(pieces, id);
    render();
  });
  conn.on("table_changed", (table) => {
    state.table = table;
    renderHead();
    render(); // an approval freezes the pieces (no edit or delete offered)
  });
  // Every event of the table's room has a handler, so its seq never looks like a gap.
  conn.on("late_piece_held", () => renderGrace());
  conn.on("late_piece_cleared", ({ id, accepted }) => {
    if (!accepted) return;
    // the facilitator put it on the board: nothing left to send
    outbox = outbox.filter((item) => !(item.id === id && item.late));
    store("outbox", outbox);
    render();
  });
  conn.on("nudged", ({ message }) => {
    $("[data-nudge-text]").textContent = message;
    $("[data-nudge]").hidden = false;
    navigator.vibrate?.(200);
  });

  const clockElement = document.querySelector("[data-clock]");
  if (clockElement) {
    clockApi = mountClock(clockElement, conn, Number(root.dataset.assemblyId), (snapshot) => {
      const active = snapshot.status === "running" || snapshot.status === "paused";
      const kind = active && STEP_KINDS[snapshot.step?.kind];
      const next = new Set(kind ? [kind] : []);
      const nextStep = activeStep(snapshot);
      if ([...next].join() !== [...openKinds].join() || nextStep !== stepKind) {
        openKinds = next;
        stepKind = nextStep;
        render();
      }
      retryLate();
    });
    setInterval(renderGrace, 1000);
  }
}

export function init() {
  root = document.querySelector("[data-table]");
  code = root.dataset.code;
  state = readJson("table-state");
  tableId = state.table.id;
  adoptCodeKeys();
  pieces = new Map(state.pieces.map((p) => [p.id, p])); // as the server stored them
  openKinds = new Set(state.open_kinds);
  stepKind = activeStep(state.clock);
  limits = state.limits;
  outbox = load("outbox", []); // [{op, id, data, rev}] in sending order
  drafts = load("drafts", {}); // "<slot>|<field>" -> text being typed
  conn = connect({ auth: { table_code: code }, assemblyId: Number(root.dataset.assemblyId) });
  listen();
  follow();
  renderHead();
  render();
}

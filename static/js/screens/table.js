// The table leaders' phone page (/mesa/<code>): needs, solutions, work plan, spokesperson.
//
// Loss-proof: every piece gets a UUID here; writes go into an outbox kept in localStorage and
// are sent in order over Socket.IO with an acknowledgement (conn.request: a timeout is asked
// again on the same connection); what is not acknowledged stays in the outbox and is sent
// again a little later, after a reconnect or after any successful join (the server stores each
// UUID once). A refusal that is not retryable puts the text back in its form with the reason.
// Whatever is being typed is saved in localStorage on every keystroke, so a reload loses nothing.
// Its parts: table/outbox.js (what the phone keeps), table/render.js (what it draws); this
// module sends, listens and follows the connection.
import { mountClock } from "../shared/clock.js";
import { readJson } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { backoff, connect } from "../shared/socket.js";
import { uuid } from "../shared/uuid.js";
import { Drafts, dropTree, Outbox, tableStore } from "./table/outbox.js";
import { activeStep, createView, formValues, kindLabel, STEP_KINDS } from "./table/render.js";

const EVENTS = { submit: "submit_piece", edit: "edit_piece", delete: "delete_piece" };

// Set by init(): the page's state (read by table/render.js), its view, the connection.
let page, view, conn;
const $ = (sel) => page.root.querySelector(sel);

// --- the outbox --------------------------------------------------------------------------
function enqueue(op, id, data = {}) {
  page.outbox.add(op, id, data);
  view.render();
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
    const { outbox } = page;
    for (let item = outbox.next(); item && conn.connected; item = outbox.next()) {
      const rev = item.rev;
      // Safe to repeat: the server stores each piece's UUID once.
      const answer = await conn.request(EVENTS[item.op], { id: item.id, ...item.data }, { retries: 3 });
      if (answer.ok) {
        failures = 0;
        if (answer.piece) accept(answer.piece);
        for (const gone of answer.deleted || []) page.pieces.delete(gone);
        outbox.sent(item, rev); // changed while in flight: it goes again as an edit
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
        outbox.drop((i) => i === item);
        refused(item, answer.error || t("No se pudo guardar."));
      }
      outbox.save();
      view.render();
    }
  } finally {
    sending = false;
  }
}

function refused(item, message) {
  // The text is not lost: it goes back into its form with the reason.
  const piece = page.pieces.get(item.id);
  const slot = item.op === "submit" ? (item.data.kind === "need" ? "need:new" : `${item.data.kind}:${item.data.parent_id}`) : `edit:${item.id}`;
  if (item.op !== "delete" && !(item.op === "submit" && piece)) {
    for (const [field, value] of Object.entries(item.data)) if (["text", "who", "due"].includes(field)) page.drafts.set(slot, field, value ?? "");
    page.drafts.errors[slot] = message;
  }
  notice(message);
}

function accept(piece) {
  const known = page.pieces.get(piece.id);
  if (!known || piece.version >= known.version) page.pieces.set(piece.id, piece);
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
  const { root, drafts } = page;
  root.addEventListener("input", (event) => {
    const form = event.target.closest("[data-slot]");
    if (!form || !event.target.dataset.field) return;
    drafts.set(form.dataset.slot, event.target.dataset.field, event.target.value);
    view.refreshForm(form);
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
    drafts.clear(slot);
    if (form.dataset.id) enqueue("edit", form.dataset.id, values);
    else enqueue("submit", uuid(), { kind: form.dataset.kind, parent_id: form.dataset.parent || null, ...values });
  });

  root.addEventListener("click", (event) => {
    const target = event.target.closest("button");
    if (!target) return;
    if (target.dataset.edit) {
      const piece = shown(target.dataset.edit);
      for (const field of ["text", "who", "due"]) if (piece?.[field] != null) drafts.set(`edit:${piece.id}`, field, piece[field]);
      view.render();
    } else if (target.dataset.delete) {
      const piece = shown(target.dataset.delete);
      const question = piece?.kind === "plan"
        ? t("¿Borrar esta pieza ({kind})?", { kind: kindLabel(piece?.kind).toLowerCase() })
        : t("¿Borrar esta pieza ({kind})? También se borrará lo que se escribió a partir de ella.", { kind: kindLabel(piece?.kind).toLowerCase() });
      if (piece && window.confirm(question)) enqueue("delete", piece.id);
    } else if (target.hasAttribute("data-cancel")) {
      drafts.clear(target.closest("[data-slot]").dataset.slot);
      view.render();
    } else if (target.hasAttribute("data-nudge-close")) {
      $("[data-nudge]").hidden = true;
    }
  });

  $("[data-spokes-form]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = $("[data-spokes-error]");
    const people = page.state.people || [];
    const data = people.length ? { attendee_id: $("[data-spokes-select]").value } : { name: $("[data-spokes-typed]").value };
    if (!conn.connected) {
      error.textContent = t("Sin conexión: intente de nuevo cuando vuelva la señal.");
      return;
    }
    const answer = await conn.request("set_spokesperson", data, { retries: 2 });
    if (answer.ok) {
      error.textContent = "";
      page.state.table = answer.table;
      view.renderHead();
      $("[data-spokes-saved]").textContent = t("✓ Guardado: {name} es la vocería de la sub-mesa.", {
        name: answer.table.spokesperson?.name || "",
      });
    } else {
      error.textContent = answer.code === "timeout" ? t("No hubo respuesta; intente de nuevo.") : answer.error;
    }
  });
}

// The step may have reopened (extended, or the moderator went back): try the late ones again.
function retryLate() {
  if (!page.outbox.late()) return;
  const snapshot = page.clockApi?.snapshot();
  const { kind, left } = snapshot ? view.stepOpenFor(snapshot) : { kind: null };
  if (!kind || left <= 0) return;
  page.outbox.unlate();
  notice(""); // the time-up refusal no longer holds: its pieces go now
  view.render();
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
    { code: page.code },
    (ack) => {
      adopt(ack.state);
      page.outbox.settle(page.state.late || [], page.pieces);
      online(true);
      view.renderHead();
      view.render();
      flush(); // what waited in the outbox goes now
    },
    { retries: 3, onRefused: (ack) => (ack.code === "code_changed" ? codeChanged(ack.error) : notice(ack.error)) },
  );
  conn.on("piece_saved", (piece) => {
    accept(piece);
    view.render();
  });
  conn.on("piece_deleted", ({ id }) => {
    dropTree(page.pieces, id);
    view.render();
  });
  conn.on("table_changed", (table) => {
    page.state.table = table;
    view.renderHead();
    view.render(); // an approval freezes the pieces (no edit or delete offered)
  });
  // Every event of the table's room has a handler, so its seq never looks like a gap.
  conn.on("late_piece_held", () => view.renderGrace());
  conn.on("late_piece_cleared", ({ id, accepted }) => {
    if (!accepted) return;
    // the facilitator put it on the board: nothing left to send
    page.outbox.drop((item) => item.id === id && item.late);
    view.render();
  });
  conn.on("nudged", ({ message }) => {
    $("[data-nudge-text]").textContent = message;
    $("[data-nudge]").hidden = false;
    navigator.vibrate?.(200);
  });

  const clockElement = document.querySelector("[data-clock]");
  if (clockElement) {
    page.clockApi = mountClock(clockElement, conn, Number(page.root.dataset.assemblyId), (snapshot) => {
      const step = activeStep(snapshot);
      const kind = STEP_KINDS[step];
      const next = new Set(kind ? [kind] : []);
      if ([...next].join() !== [...page.openKinds].join() || step !== page.stepKind) {
        page.openKinds = next;
        page.stepKind = step;
        view.render();
      }
      retryLate();
    });
    setInterval(view.renderGrace, 1000);
  }
}

// What the server stored, as a join (or the page) gives it.
function adopt(state) {
  page.state = state;
  page.pieces = new Map(state.pieces.map((p) => [p.id, p]));
  page.openKinds = new Set(state.open_kinds);
}

const shown = (id) => page.outbox.view(page.pieces).find((p) => p.id === id);

export function init() {
  const root = document.querySelector("[data-table]");
  const state = readJson("table-state");
  const store = tableStore(localStorage, state.table.id, root.dataset.code);
  page = { root, code: root.dataset.code, limits: state.limits, outbox: new Outbox(store), drafts: new Drafts(store), clockApi: null };
  adopt(state); // as the server stored it
  page.stepKind = activeStep(state.clock); // the running step's kind, null when nothing runs
  view = createView(page);
  conn = connect({ auth: { table_code: page.code }, assemblyId: Number(root.dataset.assemblyId) });
  listen();
  follow();
  view.renderHead();
  view.render();
}

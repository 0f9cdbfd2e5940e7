// The mesa facilitator's phone view: the mesa's sub-tables side by side with their progress and
// pieces, live; nudge a lagging table; hide, merge or fix a piece; record the mesa's spokesperson.
import { mountClock } from "../shared/clock.js";
import { el, readJson } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { connect } from "../shared/socket.js";

const STEP_KINDS = { needs: "need", solutions: "solution", plan: "plan" };

// Set by init(): the page, the mesa's state (server snapshot + live updates), the connection.
let root, groupId, state, openKinds, conn;
const $ = (sel) => root.querySelector(sel);
const fixing = new Set(); // piece ids with the typo form open

function kindLabel(kind) {
  return { need: t("Necesidad"), solution: t("Solución"), plan: t("Plan") }[kind] || kind;
}

// hidden, or under a hidden need or solution (the server's shown flag: one rule)
const isOff = (p) => p.hidden || p.shown === false;

function progress(pieces) {
  const shown = pieces.filter((p) => !isOff(p));
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
  const sameKind = state.tables.flatMap((table) => table.pieces).filter((p) => p.kind === piece.kind && p.id !== piece.id && !isOff(p));
  const body = [el("span", { class: "piece-kind", text: kindLabel(piece.kind) }), el("p", { class: "piece-text", text: piece.text })];
  if (piece.kind === "plan") body.push(el("p", { class: "piece-meta", text: t("Quién: {who} · Cuándo: {due}", { who: piece.who, due: piece.due }) }));
  if (piece.hidden) body.push(el("span", { class: "badge", text: t("Oculta") }));
  else if (piece.shown === false) body.push(el("span", { class: "badge", text: t("Oculta con la pieza de la que depende") }));
  if (fixing.has(piece.id)) {
    const form = el("form", { class: "fac-edit", "data-fix": piece.id });
    const text = el("textarea", { name: "text", rows: 3, maxlength: 280, "aria-label": t("Texto corregido") });
    text.value = piece.text;
    form.append(text, el("div", { class: "actions" }, el("button", { class: "button", type: "submit", text: t("Guardar") }), el("button", { class: "button", type: "button", "data-cancel": piece.id, text: t("Cancelar") })));
    body.push(form);
  } else {
    const actions = el("div", { class: "actions" },
      el("button", { class: "button", type: "button", "data-fix-open": piece.id, text: t("Corregir") }),
      el("button", { class: "button", type: "button", "data-hide": piece.id, "data-hidden": piece.hidden ? "0" : "1", text: piece.hidden ? t("Mostrar") : t("Ocultar") }));
    if (!isOff(piece) && sameKind.length) {
      const select = el("select", { "data-merge": piece.id, "aria-label": t("Unir como duplicado de…") }, el("option", { value: "", text: t("Unir como duplicado de…") }));
      for (const other of sameKind) {
        const owner = state.tables.find((candidate) => candidate.id === other.table_id);
        select.append(el("option", { value: other.id, text: `${owner ? owner.number : "?"}: ${other.text.slice(0, 40)}` }));
      }
      actions.append(select);
    }
    body.push(actions);
  }
  return el("article", { class: `piece piece-${piece.kind}${isOff(piece) ? " is-hidden" : ""}`, "data-piece": piece.id, "data-table-id": table.id }, ...body);
}

// A piece a table sent after its step's time ran out: not on the board until accepted here.
function lateCard(late) {
  const body = [
    el("span", { class: "piece-kind", text: kindLabel(late.kind) }),
    el("span", { class: "badge late", text: t("Fuera de tiempo · {time}", { time: late.received_time }) }),
    el("p", { class: "piece-text", text: late.text }),
  ];
  if (late.kind === "plan") body.push(el("p", { class: "piece-meta", text: t("Quién: {who} · Cuándo: {due}", { who: late.who, due: late.due }) }));
  if (late.op === "edit") body.push(el("p", { class: "hint", text: t("Cambio de una pieza ya guardada.") }));
  body.push(el("div", { class: "actions" }, el("button", { class: "button", type: "button", "data-accept-late": late.id, text: t("Aceptar en el tablero") })));
  return el("article", { class: `piece piece-${late.kind} is-late`, "data-late": late.id }, ...body);
}

function render() {
  // Keep what is being typed (a typo fix, a nudge) and the cursor across live updates.
  const typed = [...root.querySelectorAll("[data-fix] textarea, [data-nudge] input")].map((input) => [input.closest("form").dataset.fix || `n${input.closest("form").dataset.nudge}`, input.value, input === document.activeElement]);
  const nobody = t("sin elegir"); // its own call: pybabel misses a t() inside another t()
  const columns = state.tables.map((table) => {
    const p = progress(table.pieces);
    const chip = (label, n, max) => el("li", { class: max && n >= max ? "is-done" : "" , text: `${label} ${n}/${max}` });
    return el("section", { class: `fac-table${lagging(p) ? " is-lagging" : ""}`, "data-table": table.id },
      el("h2", { text: t("Sub-mesa {number}", { number: table.number }) }),
      el("ul", { class: "progress" }, chip(t("Necesidades"), p.needs, 2), chip(t("Soluciones"), p.solutions, p.needs), chip(t("Planes"), p.plans, p.solutions)),
      el("p", { class: "hint", text: t("{members} personas · Vocería: {name}", { members: table.members, name: table.spokesperson?.name || nobody }) }),
      el("p", { class: "fac-code" },
        el("span", { text: t("Código: ") }), el("code", { "data-code": table.id, text: table.join_code || "" }), " ",
        el("button", { class: "button small", type: "button", "data-rotate": table.id, text: t("Cambiar código") }), " ",
        el("a", { href: `/assemblies/${root.dataset.assemblyId}/tables/${table.id}/card`, target: "_blank", rel: "noopener", text: t("Imprimir tarjeta") })),
      ...table.pieces.map((piece) => pieceCard(piece, table)),
      ...(state.late || []).filter((late) => late.table_id === table.id).map(lateCard),
      el("form", { class: "inline-grid", "data-nudge": table.id },
        el("input", { name: "message", maxlength: 160, placeholder: t("Mensaje (opcional)"), "aria-label": t("Mensaje para la sub-mesa {number}", { number: table.number }) }),
        el("button", { class: "button", type: "submit", text: t("Avisar a la mesa") })));
  });
  $("[data-tables]").replaceChildren(...columns);
  for (const [key, value, focused] of typed) {
    const form = root.querySelector(key.startsWith("n") ? `[data-nudge="${key.slice(1)}"]` : `[data-fix="${key}"]`);
    const input = form?.querySelector("textarea, input");
    if (input) { input.value = value; if (focused) input.focus(); }
  }
  const select = $("[data-group-spokes-select]");
  select.replaceChildren(el("option", { value: "", text: t("Sin elegir") }), ...state.people.map((person) => {
    const table = state.tables.find((candidate) => candidate.id === person.table_id);
    const spokes = table && table.spokesperson?.id === person.id ? ` ${t("(vocería de su sub-mesa)")}` : "";
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
  const answer = await conn.request(event, data);
  if (answer.ok) notice("");
  else if (answer.code === "timeout" || answer.code === "offline") notice(t("No hubo respuesta del servidor; intente de nuevo."));
  else notice(answer.error);
  return answer;
}

function upsert(piece) {
  const table = state.tables.find((candidate) => candidate.id === piece.table_id);
  if (!table) return;
  const index = table.pieces.findIndex((p) => p.id === piece.id);
  if (index < 0) table.pieces.push(piece);
  else if (piece.version >= table.pieces[index].version) table.pieces[index] = piece;
}

function codeRotated({ table_id: id, join_code: code }) {
  const table = state.tables.find((candidate) => candidate.id === id);
  if (table) table.join_code = code;
  render();
}

function dropLate(id) {
  state.late = (state.late || []).filter((late) => late.id !== id);
}

function listen() {
  root.addEventListener("click", async (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.fixOpen) { fixing.add(button.dataset.fixOpen); render(); }
    else if (button.dataset.cancel) { fixing.delete(button.dataset.cancel); render(); }
    else if (button.dataset.rotate) {
      const table = state.tables.find((candidate) => candidate.id === Number(button.dataset.rotate));
      if (!window.confirm(t("¿Cambiar el código de la sub-mesa {number}? Los teléfonos con el código actual deberán pedir el nuevo.", { number: table?.number ?? "" }))) return;
      const ack = await send("rotate_table_code", { table_id: Number(button.dataset.rotate) });
      if (ack.ok) { codeRotated(ack); notice(t("Código nuevo de la sub-mesa {number}: {code}. Imprima su tarjeta.", { number: table?.number ?? "", code: ack.join_code })); }
    }
    else if (button.dataset.acceptLate) {
      const ack = await send("accept_late_piece", { id: button.dataset.acceptLate });
      if (ack.ok) { dropLate(ack.cleared); upsert(ack.piece); render(); }
    }
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
      if (ack.ok) { notice(""); form.elements.message.value = ""; form.querySelector("button").textContent = t("Aviso enviado ✓"); }
    } else if (form.hasAttribute("data-group-spokes")) {
      const ack = await send("set_group_spokesperson", { group_id: groupId, attendee_id: form.elements[0].value });
      if (ack.ok) { state.group = ack.group; render(); }
    }
  });

}

function follow() {
  conn.onStatus((status) => {
    if (status === "offline" || status === "refused") $("[data-offline]").hidden = false;
  });
  conn.join(
    "facilitate_group",
    { group_id: groupId },
    (ack) => {
      $("[data-offline]").hidden = true;
      notice("");
      state = ack.state;
      openKinds = new Set(state.open_kinds);
      render();
    },
    { onRefused: (ack) => { $("[data-offline]").hidden = true; notice(ack.error); } },
  );
  conn.on("piece_saved", (piece) => { upsert(piece); render(); });
  conn.on("piece_deleted", ({ id }) => {
    for (const table of state.tables) table.pieces = table.pieces.filter((p) => p.id !== id && p.parent_id !== id);
    render();
  });
  conn.on("table_changed", (info) => {
    const table = state.tables.find((candidate) => candidate.id === info.id);
    if (table) Object.assign(table, info);
    render();
  });
  conn.on("group_changed", (group) => { state.group = group; render(); });
  conn.on("late_piece_held", (late) => { dropLate(late.id); state.late.push(late); render(); });
  conn.on("late_piece_cleared", ({ id }) => { dropLate(id); render(); });
  conn.on("table_code_rotated", codeRotated);

  const clockElement = document.querySelector("[data-clock]");
  if (clockElement) {
    mountClock(clockElement, conn, Number(root.dataset.assemblyId), (snapshot) => {
      const active = snapshot.status === "running" || snapshot.status === "paused";
      const kind = active && STEP_KINDS[snapshot.step?.kind];
      openKinds = new Set(kind ? [kind] : []);
      render();
    });
  }
}

export function init() {
  root = document.querySelector("[data-facilitate]");
  groupId = Number(root.dataset.groupId);
  state = readJson("group-state");
  openKinds = new Set(state.open_kinds);
  conn = connect({ assemblyId: Number(root.dataset.assemblyId) });
  listen();
  follow();
  render();
}

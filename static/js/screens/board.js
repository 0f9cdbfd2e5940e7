// The plenary board (projector /assemblies/<id>/board and phones /tablero/<token>).
//
// On every (re)connect it asks for the full state (join_board), then applies deltas:
// piece_saved / piece_deleted (from the tables), plenary_state (the moderator's reveal, zoom,
// whole puzzle) and approval_changed (tallies and votes).  Rendering is batched into one
// animation frame and only the mesas that changed are laid out again; texts are fitted to
// their piece (largest font that fits, then an ellipsis) in a few batched passes.
// Modules: board_pieces.js (piece nodes), board_fit.js (text fitting), board_vote.js (the
// vote/approval panel), ../lib/board_layout.js (pure geometry).
import { fitRegion, regionGrids, tableCells } from "../lib/board_layout.js";
import { mountClock } from "../shared/clock.js";
import { el } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { connect } from "../shared/socket.js";
import { fitTexts } from "./board_fit.js";
import { KIND_ORDER, placeBlocks } from "./board_pieces.js";
import { approvalText, renderVotePanel } from "./board_vote.js";

// Set by init(): the board's elements and its connection.
let root, assemblyId, isPublic, canControl, stage, zoomLayer, votePanel, modeText, progress;
let connection, conn;

const state = {
  groups: [],
  pieces: new Map(),
  plenary: { mode: "live", group_id: null, piece_id: null, revealed: [], version: -1 },
  approvals: {},
  electorate: 0,
};
const regions = new Map(); // group id -> {el, field, title, badge, pieceEls: Map, labels: Map}
const dirty = new Set();
let fullLayout = true;
let frame = 0;
let fresh = new Set(); // ids that animate in on their next render

// --- socket ---------------------------------------------------------------------------------

function say(text) {
  if (connection.textContent !== text) connection.textContent = text;
}

function listen() {
  conn.onStatus((status) => {
    if (status === "online") say("");
    else if (status !== "connecting") say(t("Sin conexión: reintentando…"));
  });
  conn.join("join_board", { assembly_id: assemblyId }, (ack) => loadState(ack.state), {
    onRefused: (ack) => say(ack.error || t("No se pudo abrir el tablero.")),
  });
  conn.on("piece_saved", onPieceSaved);
  conn.on("piece_deleted", (payload) => {
    const known = state.pieces.get(payload.id);
    if (known) removePiece(known);
  });
  conn.on("plenary_state", onPlenary);
  conn.on("approval_changed", (payload) => {
    if (payload.approval) state.approvals[payload.group_id] = payload.approval;
    else delete state.approvals[payload.group_id];
    state.electorate = payload.electorate;
    renderApprovals();
  });
}

function onPieceSaved(piece) {
  if (piece.assembly_id !== assemblyId) return;
  const known = state.pieces.get(piece.id);
  if (known && known.version > piece.version) return; // a stale update
  if (piece.hidden) {
    if (known) removePiece(known);
    return;
  }
  if (!known) fresh.add(piece.id);
  state.pieces.set(piece.id, piece);
  dirty.add(piece.group_id);
  if (!state.groups.some((g) => g.tables.some((table) => table.id === piece.table_id))) {
    addTable(piece);
  }
  schedule();
}

function onPlenary(plenary) {
  if (plenary.version < state.plenary.version) return;
  const modeChanged =
    plenary.mode !== state.plenary.mode || plenary.group_id !== state.plenary.group_id;
  state.plenary = plenary;
  if (modeChanged) fullLayout = true;
  schedule();
}

function removePiece(piece) {
  state.pieces.delete(piece.id);
  dirty.add(piece.group_id);
  schedule();
}

function addTable(piece) {
  const group = state.groups.find((g) => g.id === piece.group_id);
  if (!group) return;
  group.tables.push({ id: piece.table_id, number: piece.table_number });
  group.tables.sort((a, b) => a.number - b.number);
}

function loadState(snapshot) {
  state.groups = snapshot.groups;
  state.pieces = new Map(snapshot.pieces.map((p) => [p.id, p]));
  state.plenary = snapshot.plenary;
  state.approvals = snapshot.approvals;
  state.electorate = snapshot.electorate;
  fresh = new Set();
  for (const region of regions.values()) region.el.remove();
  regions.clear();
  fullLayout = true;
  schedule();
}

// --- rendering ------------------------------------------------------------------------------

function schedule() {
  if (!frame) frame = requestAnimationFrame(render);
}

function visibleGroups() {
  const { mode, group_id: groupId } = state.plenary;
  if (mode === "reveal") return state.groups.filter((g) => g.id === groupId);
  return state.groups;
}

function render() {
  frame = 0;
  const shown = visibleGroups();
  if (fullLayout) {
    arrangeRegions(shown);
    for (const g of shown) dirty.add(g.id);
  }
  const work = [];
  for (const group of shown) {
    if (dirty.has(group.id)) work.push(...layoutRegion(group));
  }
  dirty.clear();
  fullLayout = false;
  fitTexts(work);
  renderMode();
  renderApprovals();
  renderZoom();
  fresh.clear();
}

function part(tag, className, text) {
  return el(tag, { class: className || null, text });
}

function regionFor(group) {
  let region = regions.get(group.id);
  if (region) return region;
  const section = part("section", "region");
  section.dataset.groupId = group.id;
  const head = part("header", "region-head");
  const title = part("h2", "region-title");
  title.append(part("span", "region-number", t("Mesa {number}", { number: group.number })), " ", part("span", "", group.title));
  const badge = part("p", "region-badge");
  badge.hidden = true;
  head.append(title, badge);
  const field = part("div", "region-field");
  const empty = part("p", "region-empty", t("Esperando las piezas de esta mesa…"));
  field.append(empty);
  section.append(head, field);
  region = { el: section, field, empty, badge, pieceEls: new Map(), labels: new Map(), group };
  regions.set(group.id, region);
  return region;
}

function arrangeRegions(shown) {
  const ids = new Set(shown.map((g) => g.id));
  for (const [id, region] of regions) {
    if (!ids.has(id)) {
      region.el.remove();
      regions.delete(id);
    }
  }
  stage.classList.toggle("is-single", shown.length === 1);
  for (const group of shown) stage.append(regionFor(group).el);
  const flow = isPublic && window.innerWidth < 760;
  stage.classList.toggle("is-flow", flow);
  if (flow || shown.length <= 1) {
    stage.style.gridTemplateColumns = "1fr";
    stage.style.gridTemplateRows = flow ? "" : "1fr";
    return;
  }
  // Try one row of mesas and two rows; keep the arrangement whose smallest pieces are biggest.
  const width = stage.clientWidth;
  const height = stage.clientHeight;
  let best = null;
  for (const [columns, rows] of regionGrids(shown.length)) {
    const w = width / columns - 24;
    const h = height / rows - 24 - (rows === 1 ? 90 : 70);
    let score = Infinity;
    for (const group of shown) {
      const blocks = blocksOf(group);
      if (blocks.length === 0) continue;
      score = Math.min(score, fitRegion(blocks, w, h).score);
    }
    if (score === Infinity) score = columns === shown.length ? 1 : 0; // empty: one row
    if (!best || score > best.score) best = { score, columns, rows };
  }
  stage.style.gridTemplateColumns = `repeat(${best.columns}, minmax(0, 1fr))`;
  stage.style.gridTemplateRows = `repeat(${best.rows}, minmax(0, 1fr))`;
}

function blocksOf(group) {
  const byTable = new Map(group.tables.map((table) => [table.id, []]));
  for (const piece of state.pieces.values()) {
    if (piece.group_id !== group.id) continue;
    if (!byTable.has(piece.table_id)) byTable.set(piece.table_id, []);
    byTable.get(piece.table_id).push(piece);
  }
  const numbers = new Map(group.tables.map((table) => [table.id, table.number]));
  const blocks = [];
  for (const [tableId, pieces] of byTable) {
    if (pieces.length === 0) continue;
    const { cells, rows } = tableCells(pieces);
    blocks.push({ tableId, number: numbers.get(tableId) ?? pieces[0].table_number, cells, rows });
  }
  blocks.sort((a, b) => a.number - b.number);
  return blocks;
}

function order(piece) {
  return KIND_ORDER[piece.kind] ?? 3;
}

function layoutRegion(group) {
  const region = regionFor(group);
  const blocks = blocksOf(group);
  region.empty.hidden = blocks.length > 0;
  const flow = stage.classList.contains("is-flow");
  const width = region.field.clientWidth;
  const height = flow ? Infinity : region.field.clientHeight;
  const single = stage.classList.contains("is-single");
  const fit = fitRegion(blocks, width, height, { maxRow: single ? 260 : 200, aspect: flow ? 0.85 : 0.62 });
  if (flow) region.field.style.height = blocks.length ? `${Math.ceil(fit.usedHeight) + 8}px` : "";
  return placeBlocks(region, fit, { maxFont: single ? 56 : 40, fresh, focusable: canControl });
}

// --- mode, approvals, zoom ------------------------------------------------------------------

function groupById(id) {
  return state.groups.find((g) => g.id === id);
}

function renderMode() {
  const { mode, group_id: groupId, revealed } = state.plenary;
  const current = groupById(groupId);
  let text = t("En vivo: las piezas llegan de las mesas");
  if (mode === "reveal" && current) {
    text = t("Turno de la Mesa {number}: {title}", { number: current.number, title: current.title });
  }
  if (mode === "whole") text = t("El rompecabezas completo");
  if (modeText.textContent !== text) modeText.textContent = text;
  progress.textContent = "";
  if (mode === "live") return;
  for (const group of state.groups) {
    const item = part("li", "", t("Mesa {number}", { number: group.number }));
    if (group.id === groupId && mode === "reveal") {
      item.className = "is-current";
      item.setAttribute("aria-current", "step");
      item.prepend("▶ ");
    } else if ((revealed || []).includes(group.id) || mode === "whole") {
      item.className = "is-done";
      item.prepend("✓ ");
    }
    progress.append(item);
  }
}

function renderApprovals() {
  for (const region of regions.values()) {
    const approval = state.approvals[region.group.id];
    region.badge.hidden = !approval;
    region.badge.textContent = approvalText(approval);
    region.badge.className = `region-badge ${approval ? `is-${approval.status}-${approval.approved}` : ""}`;
  }
  if (renderVotePanel(votePanel, state)) {
    fullLayout = true;
    schedule();
  }
}

function renderZoom() {
  const piece = state.pieces.get(state.plenary.piece_id || "");
  zoomLayer.hidden = !piece;
  if (!piece) {
    zoomLayer.textContent = "";
    zoomLayer.dataset.key = "";
    return;
  }
  // The zoom shows the whole chain the piece belongs to: its need, solutions and plans.
  const chain = [];
  let top = piece;
  while (top.parent_id && state.pieces.get(top.parent_id)) top = state.pieces.get(top.parent_id);
  const stack = [top];
  while (stack.length) {
    const current = stack.pop();
    chain.push(current);
    for (const p of state.pieces.values()) if (p.parent_id === current.id) stack.push(p);
  }
  const key = `${piece.id}:${chain.map((p) => `${p.id}.${p.version}`).join(",")}:${window.innerWidth}`;
  if (zoomLayer.dataset.key === key) return;
  zoomLayer.dataset.key = key;
  zoomLayer.textContent = "";
  const group = groupById(piece.group_id);
  const where = t("Mesa {mesa} · Submesa {table}", { mesa: piece.group_number, table: piece.table_number });
  const caption = part("p", "zoom-caption", `${where}${group ? ` · ${group.title}` : ""}`);
  const field = part("div", "region-field zoom-field");
  zoomLayer.append(caption, field);
  const { cells, rows } = tableCells(chain.sort((a, b) => order(a) - order(b)));
  const fit = fitRegion([{ tableId: piece.table_id, number: piece.table_number, cells, rows }], field.clientWidth, field.clientHeight, { maxRow: 420, aspect: 0.7 });
  const region = { field, pieceEls: new Map(), labels: new Map() };
  fitTexts(placeBlocks(region, fit, { maxFont: 84, focusId: piece.id, focusable: canControl }));
}

// --- the moderator clicks a piece to zoom (projector only) ------------------------------------

function controls() {
  const command = async (payload) => {
    const answer = await conn.request("plenary_command", { assembly_id: assemblyId, ...payload });
    if (!answer.ok) say(answer.error);
  };
  stage.addEventListener("click", (event) => {
    const node = event.target.closest(".piece");
    if (node) command({ action: "zoom", piece_id: node.dataset.pieceId });
  });
  stage.addEventListener("keydown", (event) => {
    const node = event.target.closest(".piece");
    if (node && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      command({ action: "zoom", piece_id: node.dataset.pieceId });
    }
  });
  zoomLayer.addEventListener("click", () => command({ action: "unzoom" }));
}

export function init() {
  root = document.querySelector("[data-board]");
  assemblyId = Number(root.dataset.assemblyId);
  isPublic = root.dataset.public === "true";
  canControl = root.dataset.canControl === "true";
  stage = root.querySelector("[data-stage]");
  zoomLayer = root.querySelector("[data-zoom]");
  votePanel = root.querySelector("[data-vote]");
  modeText = root.querySelector("[data-mode-text]");
  progress = root.querySelector("[data-progress]");
  connection = root.querySelector("[data-connection]");

  // the public board's credential is its unguessable token, not the assembly's number
  const auth = isPublic ? { board: root.dataset.boardToken } : undefined;
  conn = connect({ auth, assemblyId });
  const clockElement = root.querySelector("[data-clock]");
  if (clockElement) mountClock(clockElement, conn, assemblyId);
  listen();
  if (canControl) controls();

  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      fullLayout = true;
      zoomLayer.dataset.key = "";
      schedule();
    }, 150);
  });

  // Exposed for the browser tests and the benchmark (read-only use).
  window.asambleaBoard = { state, regions, schedule, socket: conn.socket, conn };
}

// The plenary board (projector /assemblies/<id>/board and phones /tablero/<token>).
//
// On every (re)connect it asks for the full state (join_board), then applies deltas:
// piece_saved / piece_deleted (from the tables), plenary_state (the moderator's reveal, zoom,
// whole puzzle) and approval_changed (tallies and votes).  Rendering is batched into one
// animation frame and only the mesas that changed are laid out again; texts are fitted to
// their piece (largest font that fits, then an ellipsis) in a few batched passes.
// Modules: board_pieces.js (piece nodes), board_fit.js (text fitting), board_vote.js (the
// vote/approval panel), ../lib/board_layout.js (pure geometry).
import { mountClock } from "../shared/clock.js";
import { t } from "../shared/i18n.js";
import { connect } from "../shared/socket.js";
import { fitSoon, fitsPending, setFitBudget } from "./board_fit.js";
import { moderatorControls, phoneControls } from "./board_controls.js";
import { createRuleCard } from "./board_rule.js";
import { createStage, legibleSizes } from "./board_stage.js";
import { renderMode } from "./board_strip.js";
import { decorateRegion, renderVotePanel } from "./board_vote.js";
import { createWhole } from "./board_whole.js";
import { renderZoom } from "./board_zoom.js";

// Set by init(): the board's elements and its connection.
let root, assemblyId, isPublic, canControl, stage, zoomLayer, votePanel, modeText, progress, pageText, wholeLayer;
let ruleCard; // the vote's rule over the stage for a turn, on a short window (board_rule.js)
let connection, conn;

const state = {
  groups: [],
  pieces: new Map(),
  plenary: { mode: "live", group_id: null, piece_id: null, revealed: [], version: -1 },
  approvals: {},
  electorate: 0,
};
const dirty = new Set(); // mesas whose pieces changed since the last frame
let board; // the stage (board_stage.js)
let whole; // the whole puzzle (board_whole.js)
let pageIndex = 0;
let current = null; // {groupId, part} of the page on screen
let turned = false;
let turnedAt = 0;
let pace = 15; // seconds a page stays before the next one (the moderator sets it: + / -)
let newestId = null;
let newestNode = null;
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
  conn.on("group_changed", (info) => {
    const group = state.groups.find((g) => g.id === info.id);
    if (!group) return;
    group.spokesperson = info.spokesperson;
    dirty.add(group.id);
    schedule();
  });
  conn.on("approval_changed", (payload) => {
    if (payload.approval) state.approvals[payload.group_id] = payload.approval;
    else delete state.approvals[payload.group_id];
    state.electorate = payload.electorate;
    if (state.plenary.mode === "whole") schedule(); // the blocks carry the badges
    else renderApprovals();
  });
  // the moderator corrected the people present: an open vote's «N de M» counts them at once
  conn.on("rules_changed", (payload) => {
    state.electorate = payload.rules.present;
    renderApprovals();
  });
}

function onPieceSaved(piece) {
  if (piece.assembly_id !== assemblyId) return;
  const known = state.pieces.get(piece.id);
  if (known && known.version > piece.version) return; // a stale update
  if (piece.hidden || piece.shown === false) {
    // hidden, or under a hidden need or solution (puzzle.domain.shown_pieces)
    if (known) removePiece(known);
    return;
  }
  if (!known) {
    fresh.add(piece.id);
    newestId = piece.id;
  }
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
  if (modeChanged) {
    fullLayout = true;
    pageIndex = 0;
    current = null;
    turnedAt = performance.now();
  }
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
  board.reset();
  whole.reset();
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

function isFlow() {
  return isPublic && window.innerWidth < 760;
}

/** The page on screen, kept across re-pagination by its (first) mesa and part. */
function currentPage(pages) {
  if (pages.length === 0) return null;
  if (current) {
    const same = pages.filter((p) => p.groups.some((g) => g.id === current.groupId));
    const keep = same.find((p) => p.part === current.part) || same[same.length - 1];
    if (keep) pageIndex = pages.indexOf(keep);
  }
  pageIndex = Math.min(Math.max(pageIndex, 0), pages.length - 1);
  const page = pages[pageIndex];
  current = pages.length > 1 ? { groupId: page.groups[0].id, part: page.part } : null;
  return page;
}

function render() {
  frame = 0;
  const isWhole = state.plenary.mode === "whole";
  root.classList.toggle("is-whole", isWhole);
  stage.hidden = isWhole;
  wholeLayer.hidden = !isWhole;
  if (isWhole) {
    whole.render(state, root.dataset.agreement || "");
    const { page, pages } = whole.current(); // a small window: one or two blocks a page
    renderMode(page, state, { pages, modeText, pageText, progress });
    dirty.clear();
    fullLayout = true; // the stage is laid out again when it comes back
    renderApprovals();
    renderZoom(zoomLayer, state, { focusable: canControl, minFont: legibleSizes(isPublic).minFont });
    return;
  }
  const flow = isFlow();
  stage.classList.toggle("is-flow", flow);
  if (fullLayout || dirty.size || turned) board.paginateFor(visibleGroups(), state.pieces, flow);
  if (turned) current = null;
  turned = false;
  const page = currentPage(board.pages);
  renderMode(page, state, { pages: board.pages, modeText, pageText, progress }); // first: the strip and the page line take their height before the layout
  const work = board.show(page, state.groups, fullLayout ? new Set(state.groups.map((g) => g.id)) : dirty, { flow, fresh });
  dirty.clear();
  fullLayout = false;
  fitSoon(work); // over the next frames when a page turn brings many texts
  markNewest();
  renderVote(); // the regions on screen were decorated by board.show
  renderZoom(zoomLayer, state, { focusable: canControl, minFont: legibleSizes(isPublic).minFont });
  fresh.clear();
}

function markNewest() {
  const node = newestId && stage.querySelector(`[data-piece-id="${newestId}"]`);
  if (node === newestNode) return;
  if (newestNode) newestNode.classList.remove("is-newest");
  newestNode = node || null;
  if (newestNode) newestNode.classList.add("is-newest");
}

/** Show the next (or previous) page; the rotation's clock starts again. */
function turnPage(step) {
  ruleCard.hide();
  if (state.plenary.mode === "whole") {
    if (whole.turn(step)) {
      turnedAt = performance.now();
      schedule();
    }
    return;
  }
  const count = board.pages.length;
  if (count < 2) return;
  pageIndex = (pageIndex + step + count) % count;
  turned = true;
  turnedAt = performance.now();
  schedule();
}

function rotate() {
  if (isFlow() || !zoomLayer.hidden || performance.now() - turnedAt < pace * 1000) return;
  turnedAt = performance.now(); // what this turn shows stays a whole turn, even on one page
  const isWhole = state.plenary.mode === "whole";
  // once a round of the pages, the vote's rule the panel has no room for takes a turn (the
  // whole puzzle turns its blocks' slices too: every other turn at least)
  if (ruleCard.turn(isWhole ? Math.max(2, whole.current().pages.length) : board.pages.length)) return;
  if (isWhole) {
    // the whole puzzle: every block shows its next slice of needs
    if (whole.next()) schedule();
  } else if (board.pages.length > 1) turnPage(1);
}

// --- mode, page, overview strip, approvals ---------------------------------------------------

const decorate = (region) => decorateRegion(region, state);

function renderApprovals() {
  for (const region of board.regions.values()) decorate(region);
  renderVote();
}

function renderVote() {
  if (renderVotePanel(votePanel, state)) {
    fullLayout = true;
    schedule();
  }
  ruleCard.refresh();
}

// --- the moderator's and the phone's controls (board_controls.js) -----------------------------

/** Show the first page of a mesa (a tab of the strip, on the phone and the projector). */
function showGroup(groupId) {
  const index = board.pages.findIndex((p) => p.groups.some((g) => g.id === groupId));
  if (index < 0) return;
  ruleCard.hide(); // the mesa asked for, not the rule's card over it
  pageIndex = index;
  current = null;
  turnedAt = performance.now();
  schedule();
}

function changePace(step) {
  pace = Math.max(5, Math.min(120, pace + step));
  const text = t("Cambio de página cada {seconds} s", { seconds: pace });
  say(text);
  setTimeout(() => {
    if (connection.textContent === text) say("");
  }, 2500);
}

async function command(payload) {
  const answer = await conn.request("plenary_command", { assembly_id: assemblyId, ...payload });
  if (!answer.ok) say(answer.error);
}

export function init() {
  root = document.querySelector("[data-board]");
  assemblyId = Number(root.dataset.assemblyId);
  isPublic = root.dataset.public === "true";
  canControl = root.dataset.canControl === "true";
  stage = root.querySelector("[data-stage]");
  zoomLayer = root.querySelector("[data-zoom]");
  votePanel = root.querySelector("[data-vote]");
  ruleCard = createRuleCard(root.querySelector("[data-vote-rule]"), votePanel);
  modeText = root.querySelector("[data-mode-text]");
  progress = root.querySelector("[data-progress]");
  connection = root.querySelector("[data-connection]");
  pageText = root.querySelector("[data-page]");
  const onFieldResize = (groupId) => { dirty.add(groupId); schedule(); };
  board = createStage(stage, { isPublic, focusable: canControl, decorate, onFieldResize });
  wholeLayer = root.querySelector("[data-whole]");
  whole = createWhole(wholeLayer, { minFont: legibleSizes(isPublic).minFont, focusable: canControl, paged: !isPublic });
  const asked = Number(new URLSearchParams(location.search).get("ritmo"));
  if (asked >= 5 && asked <= 120) pace = asked;
  turnedAt = performance.now();
  setInterval(rotate, 500);
  phoneControls({ progress, stage, showGroup, turnPage });

  // the public board's credential is its unguessable token, not the assembly's number
  const auth = isPublic ? { board: root.dataset.boardToken } : undefined;
  conn = connect({ auth, assemblyId });
  const clockElement = root.querySelector("[data-clock]");
  if (clockElement) mountClock(clockElement, conn, assemblyId);
  listen();
  if (canControl) moderatorControls({ layers: [stage, wholeLayer], zoomLayer, turnPage, changePace, command });

  // The stage (or the whole puzzle) changes size when the vote panel, the strip, the clock or
  // the window do: lay out again.
  let stageSize = "";
  const resized = new ResizeObserver(() => {
    const size = `${stage.clientWidth}x${stage.clientHeight}:${wholeLayer.clientWidth}x${wholeLayer.clientHeight}`;
    if (size === stageSize) return;
    stageSize = size;
    fullLayout = true;
    schedule();
  });
  resized.observe(stage);
  resized.observe(wholeLayer);
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
  window.asambleaBoard = {
    state,
    regions: board.regions,
    schedule,
    socket: conn.socket,
    conn,
    pages: () => board.pages,
    page: () => board.pages[pageIndex] || null,
    turnPage,
    wholePage: () => whole.current(),
    fitsPending,
    setFitBudget,
  };
}

// The board's zoom: the chain a piece belongs to (its need, solutions and plans), as large as
// the screen allows, every text whole where it fits.
import { fitRegion, tableCells } from "../lib/board_layout.js";
import { el } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { fitTexts } from "./board_fit.js";
import { KIND_ORDER, placeBlocks } from "./board_pieces.js";

const order = (piece) => KIND_ORDER[piece.kind] ?? 3;

export function renderZoom(zoomLayer, state, { focusable, minFont }) {
  const piece = state.pieces.get(state.plenary.piece_id || "");
  zoomLayer.hidden = !piece;
  if (!piece) {
    zoomLayer.textContent = "";
    zoomLayer.dataset.key = "";
    return;
  }
  const chain = [];
  let top = piece;
  while (top.parent_id && state.pieces.get(top.parent_id)) top = state.pieces.get(top.parent_id);
  const stack = [top];
  while (stack.length) {
    const current = stack.pop();
    chain.push(current);
    for (const p of state.pieces.values()) if (p.parent_id === current.id) stack.push(p);
  }
  const key = `${piece.id}:${chain.map((p) => `${p.id}.${p.version}`).join(",")}:${window.innerWidth}x${window.innerHeight}`;
  if (zoomLayer.dataset.key === key) return;
  zoomLayer.dataset.key = key;
  zoomLayer.textContent = "";
  const group = state.groups.find((g) => g.id === piece.group_id);
  const where = t("Mesa {mesa} · Sub-mesa {table}", { mesa: piece.group_number, table: piece.table_number });
  const caption = el("p", { class: "zoom-caption", text: `${where}${group ? ` · ${group.title}` : ""}` });
  const field = el("div", { class: "region-field zoom-field" });
  zoomLayer.append(caption, field);
  const { cells, rows } = tableCells(chain.sort((a, b) => order(a) - order(b)));
  const block = { tableId: piece.table_id, number: piece.table_number, cells, rows, part: 1, parts: 1 };
  const fit = fitRegion([block], field.clientWidth, field.clientHeight, { maxRow: 420, aspect: 0.7, minHeader: Math.round(minFont * 1.35) });
  const region = { field, pieceEls: new Map(), labels: new Map() };
  fitTexts(placeBlocks(region, fit, { maxFont: 84, minFont, focusId: piece.id, focusable }));
}

// The board's pieces: one absolutely placed node per piece (an SVG puzzle shape and its text),
// created once and moved afterwards; its shape and text are redone only when its size or
// version changed (the returned items are what the text fitting still has to do).
import { knob, piecePath } from "../lib/board_layout.js";
import { el } from "../shared/dom.js";
import { t } from "../shared/i18n.js";

export const KIND_ORDER = { need: 0, solution: 1, plan: 2 };

export function kindLabel(kind) {
  return { need: t("Necesidad"), solution: t("Solución"), plan: t("Plan") }[kind] || kind;
}

function part(tag, className, text) {
  return el(tag, { class: className || null, text });
}

/**
 * Place a fit's blocks in ``region`` ({field, pieceEls, labels}); pieces and labels not in the
 * fit are removed. ``minFont`` is the smallest legible size (no text is set below it).
 */
export function placeBlocks(region, fit, { maxFont, minFont = 11, focusId = null, fresh = null, focusable = false }) {
  const seen = new Set();
  const seenLabels = new Set();
  const work = [];
  const { w, hr, header } = fit;
  const kn = knob(w, hr);
  for (const { block, column, y } of fit.placed) {
    const x0 = column * (fit.columnWidth + fit.colGap);
    const labelKey = `${block.tableId}.${block.part || 1}`;
    let label = region.labels.get(labelKey);
    if (!label) {
      label = part("p", "table-label");
      region.field.append(label);
      region.labels.set(labelKey, label);
    }
    seenLabels.add(labelKey);
    label.textContent =
      block.parts > 1
        ? t("Sub-mesa {number} ({part} de {parts})", { number: block.number, part: block.part, parts: block.parts })
        : t("Sub-mesa {number}", { number: block.number });
    setBox(label, x0, y, fit.columnWidth, header);
    label.style.fontSize = `${Math.max(minFont, Math.round(header * 0.72))}px`;
    for (const cell of block.cells) {
      const piece = cell.piece;
      seen.add(piece.id);
      const h = cell.span * hr;
      const body = { w, h, tabs: cell.col < 2 ? cell.tabs.map((tab) => tab * hr) : [] };
      body.blank = cell.col > 0 ? h / 2 : null;
      const x = x0 + cell.col * w;
      const top = y + header + cell.row * hr;
      const from = piece.table_id !== block.tableId ? piece.table_number : null; // merged in: where it was written
      work.push(...placePiece(region, piece, x, top, body, kn, hr, { maxFont, minFont, focusId, fresh, focusable, from }));
    }
  }
  for (const [id, node] of region.pieceEls) {
    if (!seen.has(id)) {
      node.remove();
      region.pieceEls.delete(id);
    }
  }
  for (const [id, node] of region.labels) {
    if (!seenLabels.has(id)) {
      node.remove();
      region.labels.delete(id);
    }
  }
  return work;
}

let measure = null;
let family = "";

/** Width of a piece's label (icon, gap and the kind in bold capitals, spaced .04em). */
function labelWidth(word, px) {
  measure = measure || document.createElement("canvas").getContext("2d");
  family = family || getComputedStyle(document.body).fontFamily;
  measure.font = `800 ${px}px ${family}`;
  const text = word.toUpperCase();
  return measure.measureText(text).width + text.length * 0.04 * px + px * 1.5 + 2;
}

function setBox(node, x, y, w, h) {
  node.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
  node.style.width = `${Math.round(w)}px`;
  node.style.height = `${Math.round(h)}px`;
}

function pieceNode(piece, focusable) {
  const node = part("div", `piece piece-${piece.kind}`);
  node.dataset.pieceId = piece.id;
  const svgNS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("class", "piece-shape");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(svgNS, "path");
  svg.append(path);
  const box = part("div", "piece-text");
  const label = part("p", "piece-label");
  const icon = document.createElementNS(svgNS, "svg");
  icon.setAttribute("class", "icon");
  icon.setAttribute("aria-hidden", "true");
  const use = document.createElementNS(svgNS, "use");
  use.setAttribute("href", `#icon-${piece.kind}`);
  icon.append(use);
  label.append(icon, part("span", "piece-kind", kindLabel(piece.kind)));
  const text = part("p", "piece-body");
  const meta = part("p", "piece-meta");
  box.append(label, text, meta);
  node.append(svg, box);
  if (focusable) {
    node.tabIndex = 0;
    node.setAttribute("role", "button");
  }
  return node;
}

function placePiece(region, piece, x, y, body, kn, hr, { maxFont, minFont, focusId, fresh, focusable, from }) {
  let node = region.pieceEls.get(piece.id);
  const created = !node;
  if (created) {
    node = pieceNode(piece, focusable);
    region.pieceEls.set(piece.id, node);
    region.field.append(node);
    if (fresh && fresh.has(piece.id)) node.classList.add("is-new");
  }
  node.classList.toggle("is-focus", piece.id === focusId);
  const key = `${Math.round(body.w)}x${Math.round(body.h)}:${body.tabs.join(",")}:${piece.version}:${maxFont}:${minFont}:${from ?? ""}`;
  setBox(node, x, y, body.w, body.h);
  node.style.zIndex = String(3 - (KIND_ORDER[piece.kind] ?? 0));
  if (node.dataset.key === key) return [];
  node.dataset.key = key;
  const svg = node.firstChild;
  svg.setAttribute("width", String(Math.ceil(body.w + (body.tabs.length ? kn.k + 2 : 0))));
  svg.setAttribute("height", String(Math.ceil(body.h)));
  svg.firstChild.setAttribute("d", piecePath(body.w, body.h, body.tabs, body.blank, kn));
  const box = node.lastChild;
  // narrow pieces (a phone: three columns in 350 px) give their text most of the width
  const pad = Math.max(4, Math.min(14, hr * 0.08, body.w * 0.05));
  box.style.left = `${Math.round((body.blank != null ? kn.k : 0) + pad)}px`;
  box.style.top = `${Math.round(pad)}px`;
  box.style.right = `${Math.round(pad)}px`;
  box.style.bottom = `${Math.round(pad)}px`;
  const labelPx = Math.max(minFont, Math.min(28, hr * 0.15));
  box.firstChild.style.fontSize = `${labelPx}px`;
  // until a row holds the kind's line and three lines of text (six lines of the least font),
  // the kind's icon starts the text's first line instead of a line of its own (a least row,
  // board_stage.js ROW_LINES, holds three lines of text so)
  node.classList.toggle("is-compact", hr < Math.max(54, minFont * 6));
  // a piece too narrow for its kind's word ("NECESIDAD" at 28 px is ~240 px) keeps the icon;
  // the word stays for screen readers and the legend says which colour is which
  const textWidth = body.w - (body.blank != null ? kn.k : 0) - 2 * pad;
  node.classList.toggle("is-narrow", labelWidth(kindLabel(piece.kind), labelPx) > textWidth);
  const who = piece.kind === "plan" ? piece.who : null;
  const due = piece.kind === "plan" ? piece.due : null;
  const meta = box.lastChild;
  // one span a fact, «·» between them (CSS): a tight piece drops the who before it would cut
  // a word (board_fit.js stages; the zoom and the printed agenda show it whole)
  meta.textContent = "";
  const fact = (className, label, value) => {
    const span = part("span", className);
    if (label) span.append(part("strong", "", label));
    span.append(value);
    meta.append(span);
  };
  if (due) fact("meta-due", t("Cuándo: "), due);
  if (who) fact("meta-who", t("Quién: "), who);
  if (from != null) fact("piece-from", "", t("De la sub-mesa {number}", { number: from }));
  meta.hidden = !(who || due || from != null);
  node.setAttribute("aria-label", `${kindLabel(piece.kind)}: ${piece.text}`);
  node.title = piece.text;
  const hi = Math.max(minFont + 1, Math.min(maxFont, hr * 0.3));
  return [{ box, text: box.children[1], full: piece.text, lo: minFont, hi, key: `${piece.id}:${key}` }];
}

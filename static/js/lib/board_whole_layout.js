// Geometry of the whole puzzle (the plenary's «gran rompecabezas»): each mesa is one large
// piece; the mesas' blocks interlock with their neighbours (a tab on the right and bottom edges,
// a blank where the neighbour's tab goes) and the bottom row locks into the agreement line.
// Pure functions, no DOM (used by ../screens/board_whole.js).

/**
 * Rows of ``n`` blocks on a ``width`` × ``height`` figure: [{y, h, blocks: [{index, x, w}]}],
 * the arrangement whose blocks keep most text room (``inner(w, h)`` gives a block's text
 * area, negative when its longest word would not fit). A shorter last row is stretched to the
 * full width, so the figure has no hole.
 */
export function wholeRows(n, width, height, { inner = (w, h) => w * h } = {}) {
  if (n <= 0) return [];
  let best = null;
  for (let columns = 1; columns <= n; columns += 1) {
    const rows = Math.ceil(n / columns);
    if ((rows - 1) * columns >= n) continue; // a shorter arrangement with the same rows exists
    const w = width / columns;
    const h = height / rows;
    const score = inner(w, h);
    if (!best || score > best.score) best = { score, columns, rows };
  }
  const out = [];
  const h = height / best.rows;
  for (let r = 0, index = 0; r < best.rows; r += 1) {
    const count = Math.min(best.columns, n - index);
    const w = width / count;
    const blocks = [];
    for (let c = 0; c < count; c += 1, index += 1) blocks.push({ index, x: c * w, w });
    out.push({ y: r * h, h, blocks });
  }
  return out;
}

/**
 * The pages of ``n`` blocks with at most ``most`` a page: [[index…]…], in order, as even as
 * they can be (5 blocks two a page: [[0, 1], [2, 3], [4]]; three a page: [[0, 1, 2], [3, 4]]).
 */
export function wholePages(n, most) {
  if (n <= 0) return [];
  const count = Math.ceil(n / Math.max(1, most));
  const pages = [];
  for (let p = 0, index = 0; p < count; p += 1) {
    const size = Math.ceil((n - index) / (count - p));
    pages.push(Array.from({ length: size }, (_, i) => index + i));
    index += size;
  }
  return pages;
}

/**
 * Knobs of every block and of the agreement band: {blocks: [{top, right, bottom, left}],
 * band: [x…]}; each side a list of positions (x on top/bottom, y on right/left, in the
 * block's own coordinates) with s = 1 a tab out, -1 a blank in. A block's right tab sits in
 * its right neighbour's left blank; its bottom tab in the block below it (or the band).
 */
export function wholeKnobs(rows) {
  const blocks = [];
  for (const row of rows) {
    for (const b of row.blocks) blocks[b.index] = { top: [], right: [], bottom: [], left: [] };
  }
  rows.forEach((row, r) => {
    row.blocks.forEach((b, c) => {
      const own = blocks[b.index];
      if (c + 1 < row.blocks.length) {
        own.right.push({ at: row.h / 2, s: 1 });
        blocks[row.blocks[c + 1].index].left.push({ at: row.h / 2, s: -1 });
      }
      const below = rows[r + 1];
      if (!below) return;
      // the tab goes in the middle of its widest overlap with a block below (never on a seam)
      let best = null;
      for (const o of below.blocks) {
        const from = Math.max(b.x, o.x);
        const to = Math.min(b.x + b.w, o.x + o.w);
        if (to - from > 1 && (!best || to - from > best.to - best.from + 1)) best = { o, from, to };
      }
      if (!best) return;
      const x = (best.from + best.to) / 2;
      own.bottom.push({ at: x - b.x, s: 1 });
      blocks[best.o.index].top.push({ at: x - best.o.x, s: -1 });
    });
  });
  const last = rows[rows.length - 1];
  const band = last ? last.blocks.map((b) => b.x + b.w / 2) : [];
  if (last) for (const b of last.blocks) blocks[b.index].bottom.push({ at: b.w / 2, s: 1 });
  return { blocks, band };
}

/** Knob size for a block w × h: {k (depth), r (radius), n (neck half-width), d}. */
export function blockKnob(w, h) {
  const k = Math.max(8, Math.min(w, h) * 0.11);
  const r = 0.45 * k;
  const n = 0.25 * k;
  return { k, r, n, d: k - r - Math.sqrt(r * r - n * n) };
}

const f = (x) => Math.round(x * 10) / 10;

/** SVG path of a w × h frame with knobs on its sides (as wholeKnobs gives), drawn clockwise. */
export function framePath(w, h, sides, kn) {
  const { r, n, d } = kn;
  // each edge: start, unit direction, outward normal, and how a side's position maps onto it
  const edges = [
    { side: "top", x: 0, y: 0, ux: 1, uy: 0, vx: 0, vy: -1, len: w, pos: (at) => at },
    { side: "right", x: w, y: 0, ux: 0, uy: 1, vx: 1, vy: 0, len: h, pos: (at) => at },
    { side: "bottom", x: w, y: h, ux: -1, uy: 0, vx: 0, vy: 1, len: w, pos: (at) => w - at },
    { side: "left", x: 0, y: h, ux: 0, uy: -1, vx: -1, vy: 0, len: h, pos: (at) => h - at },
  ];
  const parts = ["M0 0"];
  for (const e of edges) {
    const knobs = (sides[e.side] || []).map((k) => ({ p: e.pos(k.at), s: k.s })).sort((a, b) => a.p - b.p);
    const at = (p, out = 0) => `${f(e.x + e.ux * p + e.vx * out)} ${f(e.y + e.uy * p + e.vy * out)}`;
    for (const { p, s } of knobs) {
      parts.push(`L${at(p - n)}`, `L${at(p - n, s * d)}`, `A${f(r)} ${f(r)} 0 1 ${s > 0 ? 1 : 0} ${at(p + n, s * d)}`, `L${at(p + n)}`);
    }
    parts.push(`L${at(e.len)}`);
  }
  parts.push("Z");
  return parts.join("");
}

/** How many words a need's short title keeps: the least a whole-puzzle block shows. */
export const SHORT_WORDS = 7;

/** The first words of ``text`` (at most ``words``), cut after a whole word with an ellipsis. */
export function shortTitle(text, words = SHORT_WORDS) {
  const all = String(text || "").trim().split(/\s+/).filter(Boolean);
  if (all.length <= words) return all.join(" ");
  return `${all.slice(0, words).join(" ").replace(/[,;:.]$/, "")}…`;
}

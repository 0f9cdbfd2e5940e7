// Geometry of the solidarity puzzle: pure functions, no DOM (used by board.js).
//
// A sub-table's pieces form a tree: need → solutions → plans.  Each tree is laid out as
// rows of three columns (need | solution | plan); a piece covers as many rows as the
// plans under it.  A piece's right edge carries one tab per child, centred on the child,
// and a solution or plan has a blank on its left edge at its own centre, so the two
// interlock exactly: the tab of a need sits in the blank of each of its solutions.

export const KIND_COLUMN = { need: 0, solution: 1, plan: 2 };
const PARENT_KIND = { solution: "need", plan: "solution" };

/** Cells of one sub-table: [{piece, col, row, span, tabs: [row offsets of tab centres]}]. */
export function tableCells(pieces) {
  const byId = new Map(pieces.map((p) => [p.id, { piece: p, children: [] }]));
  const roots = [];
  for (const p of pieces) {
    const parent = byId.get(p.parent_id || "");
    if (parent && parent.piece.kind === PARENT_KIND[p.kind]) parent.children.push(byId.get(p.id));
    else roots.push(byId.get(p.id));
  }
  const cells = [];
  let row = 0;
  const place = (node, start) => {
    const col = KIND_COLUMN[node.piece.kind] ?? 0;
    let span = 0;
    const tabs = [];
    for (const child of col < 2 ? node.children : []) {
      const childSpan = place(child, start + span);
      tabs.push(span + childSpan / 2);
      span += childSpan;
    }
    span = Math.max(span, 1);
    // A piece still waiting for its solution or plan shows a free tab at its centre.
    if (col < 2 && tabs.length === 0) tabs.push(0.5);
    cells.push({ piece: node.piece, col, row: start, span, tabs, root: false });
    return span;
  };
  for (const root of roots) {
    row += place(root, row);
    cells[cells.length - 1].root = true; // a root is placed after its children
  }
  return { cells, rows: row };
}

/** Heights of a sub-table block's parts for a row height ``hr``. */
export function blockMetrics(hr, minHeader = 14) {
  const header = Math.round(Math.max(minHeader, Math.min(Math.max(30, minHeader), hr * 0.3)));
  const gap = Math.round(4 + hr * 0.12);
  return { header, gap };
}

function pack(blocks, columns, hr, height, minHeader) {
  const { header, gap } = blockMetrics(hr, minHeader);
  const columnsY = new Array(columns).fill(0);
  const placed = [];
  let column = 0;
  for (const block of blocks) {
    const h = header + block.rows * hr;
    while (column < columns && columnsY[column] > 0 && columnsY[column] + h > height) column += 1;
    if (column >= columns || h > height) return null;
    placed.push({ block, column, y: columnsY[column] });
    columnsY[column] += h + gap;
  }
  return placed;
}

/**
 * Fit a mesa's sub-table blocks ([{rows, ...}]) into width × height: the number of block
 * columns and the row height that make the pieces largest.  ``height`` Infinity = flow
 * (a phone that scrolls): one column, row height from the width.
 */
export function fitRegion(
  blocks,
  width,
  height,
  { maxRow = 220, aspect = 0.62, colGap = 12, minWidth = 80, minHeader = 14, grow = 0, growRow = maxRow, wideRow = 0 } = {},
) {
  const maxColumns = Math.max(1, Math.min(4, Math.floor(width / Math.max(240, 3 * minWidth + colGap))));
  const candidates = [];
  let best = null;
  for (let columns = 1; columns <= (Number.isFinite(height) ? maxColumns : 1); columns += 1) {
    const columnWidth = (width - (columns - 1) * colGap) / columns;
    const w = columnWidth / 3;
    const cap = Math.min(maxRow, w * aspect);
    let hr = cap;
    let placed = pack(blocks, columns, hr, height, minHeader);
    if (!placed) {
      let lo = 4;
      let hi = cap;
      for (let i = 0; i < 18; i += 1) {
        const mid = (lo + hi) / 2;
        if (pack(blocks, columns, mid, height, minHeader)) lo = mid;
        else hi = mid;
      }
      hr = Math.floor(lo);
      placed = pack(blocks, columns, hr, height, minHeader) || [];
    }
    // Readability is the smaller of the two sides of a piece.
    const score = Math.min(hr, w * aspect);
    const candidate = { score, columns, columnWidth, w, hr, placed };
    candidates.push(candidate);
    if (!best || score > best.score + 0.5) best = candidate;
  }
  // The board uses its whole field: the rows grow taller than the pieces' proportion asks
  // while the blocks still pack (at most ``grow`` × the piece's width and ``growRow`` px), so
  // a few pieces fill the screen instead of leaving a band empty under them.
  const grown = (fit) => {
    if (!(grow > 0 && Number.isFinite(height) && fit.placed.length === blocks.length)) return fit;
    let lo = fit.hr;
    let hi = Math.max(lo, Math.min(growRow, fit.w * grow));
    for (let i = 0; i < 12 && hi - lo > 0.5; i += 1) {
      const mid = (lo + hi) / 2;
      if (pack(blocks, fit.columns, mid, height, minHeader)) lo = mid;
      else hi = mid;
    }
    // in steps of 8 px and only by a tenth or more: a piece arriving in a full mesa changes
    // no other piece's size (each size change means fitting its text again)
    const hr = Math.floor(lo / 8) * 8;
    const placed = hr >= fit.hr * 1.1 && pack(blocks, fit.columns, hr, height, minHeader);
    return placed ? { ...fit, hr, placed } : fit;
  };
  best = grown(best);
  // Fewer, wider block columns when their pieces hold a fifth more text (a piece's area) and
  // their rows stay ``wideRow`` tall or more: three sub-mesas of one chain on a 1280×720
  // projector stack the whole width instead of two columns and an empty quarter.
  if (wideRow > 0 && best.placed.length === blocks.length) {
    for (const candidate of candidates) {
      if (candidate.columns >= best.columns || candidate.placed.length !== blocks.length) continue;
      const fit = grown(candidate);
      if (fit.hr >= wideRow && fit.hr * fit.w >= best.hr * best.w * 1.2) {
        best = fit;
        break;
      }
    }
  }
  const { header, gap } = blockMetrics(best.hr, minHeader);
  let used = 0;
  for (const p of best.placed) used = Math.max(used, p.y + header + p.block.rows * best.hr);
  return { ...best, header, gap, colGap, usedHeight: used };
}

/** Tab depth and knob geometry for a body of width w and row height hr. */
export function knob(w, hr) {
  const k = Math.max(6, Math.min(hr * 0.26, w * 0.16));
  const r = 0.45 * k;
  const n = 0.25 * k;
  const d = k - r - Math.sqrt(r * r - n * n);
  return { k, r, n, d };
}

const f = (x) => Math.round(x * 10) / 10;

/** SVG path of a piece body w × h: tabs (centre offsets in px) on the right, a blank on the
 *  left at ``blank`` (px from the top) or none. */
export function piecePath(w, h, tabs, blank, kn) {
  const { r, n, d } = kn;
  const parts = [`M0 0H${f(w)}`];
  for (const c of [...tabs].sort((a, b) => a - b)) {
    parts.push(`V${f(c - n)}H${f(w + d)}A${f(r)} ${f(r)} 0 1 1 ${f(w + d)} ${f(c + n)}H${f(w)}`);
  }
  parts.push(`V${f(h)}H0`);
  if (blank != null) parts.push(`V${f(blank + n)}H${f(d)}A${f(r)} ${f(r)} 0 1 0 ${f(d)} ${f(blank - n)}H0`);
  parts.push("Z");
  return parts.join("");
}

/** Arrangement of n regions on a stage: [columns, rows] candidates to try. */
export function regionGrids(n) {
  if (n <= 1) return [[1, 1]];
  const grids = [[n, 1]];
  const two = Math.ceil(n / 2);
  if (two < n) grids.push([two, 2]);
  if (n <= 3) grids.push([1, n]); // stacked: each mesa the whole width (three columns of pieces)
  return grids;
}

/** A sub-table block ({cells, rows, ...}) cut at chain (need) boundaries into blocks of at
 *  most ``maxRows`` rows; a single chain taller than that stays whole. */
export function splitBlock(block, maxRows) {
  if (block.rows <= maxRows) return [block];
  const roots = block.cells.filter((c) => c.root).sort((a, b) => a.row - b.row);
  const parts = [];
  let start = 0;
  let end = 0;
  const flush = () => {
    if (end <= start) return;
    const cells = block.cells
      .filter((c) => c.row >= start && c.row < end)
      .map((c) => ({ ...c, row: c.row - start }));
    parts.push({ ...block, cells, rows: end - start, part: parts.length + 1 });
    start = end;
  };
  for (const root of roots) {
    if (root.row + root.span - start > maxRows) flush();
    end = root.row + root.span;
  }
  flush();
  for (const p of parts) p.parts = parts.length;
  return parts;
}

/** Whether a fit shows every block with pieces no smaller than the legible minimum. */
export function isLegible(fit, count, { minRow, minWidth }) {
  return fit.placed.length === count && fit.hr >= minRow - 0.5 && fit.w >= minWidth - 0.5;
}

/**
 * The board's pages: all mesas at once when every one of them is legible there (else every
 * mesa with pieces), in the arrangement that gives their pieces most room; otherwise as many
 * mesas a page, in order, as stay legible together (the screen is used, not one mesa and an
 * empty half), and a mesa that does not fit legibly alone is cut into slices of its sub-table
 * blocks.
 * ``groups`` [{id, blocks}]; ``stage`` {width, height}; ``region`` {padW, headH} (what a mesa's
 * frame takes around its field); ``legible`` {minRow, minWidth, minHeader} and fitRegion's
 * options. Returns [{groups: [{id, blocks}], columns, rows, part, parts}].
 */
export function paginate(groups, stage, region, options) {
  const fitOf = (blocks, w, h) => fitRegion(blocks, w, h, options);
  // a mesa alone on its page (or a slice of it): its pieces legible and, when narrower than
  // ``narrowWidth`` (two block columns beside a phone vote's QR), with room for rows
  // ``narrowRows`` × the least (their texts take more lines instead of one or two words)
  const { narrowWidth = 0, narrowRows = 1.5 } = options;
  const ok = (blocks, w, h) => {
    if (blocks.length === 0) return true;
    const fit = fitOf(blocks, w, h);
    if (!isLegible(fit, blocks.length, options)) return false;
    if (fit.w >= narrowWidth) return true;
    const tall = pack(blocks, fit.columns, options.minRow * narrowRows, h, options.minHeader);
    return Boolean(tall) && tall.length === blocks.length;
  };
  // The arrangement of these mesas on one page where their smallest pieces hold most text, or
  // null when in none of them every mesa stays legible.
  const together = (shown, bar = options) => {
    let best = null;
    for (const [columns, rows] of regionGrids(shown.length)) {
      const w = stage.width / columns - region.padW;
      const h = stage.height / rows - region.headH;
      let score = Infinity;
      for (const g of shown) {
        if (g.blocks.length === 0) continue;
        const fit = fitOf(g.blocks, w, h);
        // a piece's text area: narrow tall pieces hold fewer words than wide ones
        score = isLegible(fit, g.blocks.length, bar) ? Math.min(score, fit.hr * fit.w) : -1;
        if (score < 0) break;
      }
      if (score >= 0 && (!best || score > best.score * 1.02)) best = { score, columns, rows };
    }
    return best && { groups: shown, columns: best.columns, rows: best.rows, part: 1, parts: 1 };
  };
  // Mesas still without pieces give up their place when the others would not stay legible
  // beside them (the overview strip shows their zero counts): two mesas with a chain each
  // share one page instead of turning pages with three empty frames around them.
  const withPieces = groups.filter((g) => g.blocks.length > 0);
  const w = stage.width - region.padW;
  const h = stage.height - region.headH;
  const one = together(groups) || (withPieces.length && withPieces.length < groups.length && together(withPieces));
  // a mesa alone (on its turn): on one page only with pieces wide enough or rows tall enough
  // for it (``ok``), else it is sliced as below
  if (one && (one.groups.length !== 1 || ok(one.groups[0].blocks, w, h))) return [one];
  // The slices of a mesa too big for one page: each the longest run of blocks from where the
  // last ended that stays legible (adding a block never makes the pieces bigger, so a binary
  // search finds it). Not dealt evenly: a piece arriving then moves no block to another page
  // (the page on screen keeps its pieces and their fitted texts); a short last slice grows.
  const slicesOf = ({ blocks }) => {
    const slices = [];
    let start = 0;
    while (start < blocks.length) {
      let lo = 1; // a single block always gets its page
      let hi = blocks.length - start;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (ok(blocks.slice(start, start + mid), w, h)) lo = mid;
        else hi = mid - 1;
      }
      slices.push(blocks.slice(start, start + lo));
      start += lo;
    }
    return slices.length ? slices : [[]];
  };
  // Mesas share a page of the rotation only while their pieces keep room for a few lines
  // (1.4 × as tall as the least legible row, 1.25 × as wide): never pieces of one word
  // each where one mesa alone would show their sentences.
  const { shareRow = 1.4, shareWidth = 1.25 } = options;
  const bar = { ...options, minRow: options.minRow * shareRow, minWidth: options.minWidth * shareWidth };
  const pages = [];
  const list = withPieces.length ? withPieces : groups;
  for (let i = 0; i < list.length; ) {
    let page = null;
    let taken = 1;
    // a mesa that needs more than the whole stage shares it with none (and costs no tries)
    const alone = ok(list[i].blocks, w, h);
    for (let n = 2; alone && i + n <= list.length; n += 1) {
      const next = together(list.slice(i, i + n), bar);
      if (!next) break;
      page = next;
      taken = n;
    }
    if (page) pages.push(page);
    else {
      const slices = slicesOf(list[i]);
      slices.forEach((blocks, k) => {
        pages.push({ groups: [{ id: list[i].id, blocks }], columns: 1, rows: 1, part: k + 1, parts: slices.length });
      });
    }
    i += taken;
  }
  return pages;
}

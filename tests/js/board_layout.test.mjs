// The board's pure geometry: chains cut at need boundaries, pages that keep every piece legible.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fitRegion, isLegible, paginate, splitBlock, tableCells } from "../../static/js/lib/board_layout.js";

function chains(tableId, count) {
  const pieces = [];
  for (let i = 0; i < count; i += 1) {
    pieces.push({ id: `${tableId}n${i}`, kind: "need" });
    pieces.push({ id: `${tableId}s${i}`, kind: "solution", parent_id: `${tableId}n${i}` });
    pieces.push({ id: `${tableId}p${i}`, kind: "plan", parent_id: `${tableId}s${i}` });
  }
  const { cells, rows } = tableCells(pieces);
  return { tableId, number: tableId, cells, rows, part: 1, parts: 1 };
}

const LEGIBLE = { minRow: 92, minWidth: 210, minHeader: 38, maxRow: 260 };
const REGION = { padW: 50, headH: 107 };

test("a sub-table is cut between chains, never inside one", () => {
  const block = chains(1, 7);
  const parts = splitBlock(block, 3);
  assert.deepEqual(parts.map((p) => p.rows), [3, 3, 1]);
  assert.deepEqual(parts.map((p) => p.part), [1, 2, 3]);
  assert.ok(parts.every((p) => p.parts === 3));
  assert.equal(parts.reduce((n, p) => n + p.cells.length, 0), 21);
  for (const p of parts) {
    assert.ok(p.cells.every((c) => c.row >= 0 && c.row + c.span <= p.rows));
    const ids = new Set(p.cells.map((c) => c.piece.id));
    for (const c of p.cells) if (c.piece.parent_id) assert.ok(ids.has(c.piece.parent_id)); // whole chains
  }
  assert.deepEqual(splitBlock(block, 10), [block]);
});

test("few pieces: every mesa on one page; many: one mesa (or slice) a page, all legible", () => {
  const stage = { width: 1880, height: 780 };
  const few = [1, 2].map((id) => ({ id, blocks: [chains(id, 1)] }));
  assert.equal(paginate(few, stage, REGION, LEGIBLE).length, 1);

  const many = [1, 2, 3, 4, 5].map((id) => ({ id, blocks: [1, 2, 3, 4, 5].map((t) => chains(id * 10 + t, 8)) }))
    .map((g) => ({ ...g, blocks: g.blocks.flatMap((b) => splitBlock(b, 6)) }));
  const pages = paginate(many, stage, REGION, LEGIBLE);
  assert.ok(pages.length > 5);
  let shown = 0;
  for (const page of pages) {
    assert.equal(page.groups.length, 1);
    const { blocks } = page.groups[0];
    shown += blocks.reduce((n, b) => n + b.cells.length, 0);
    const fit = fitRegion(blocks, stage.width - REGION.padW, stage.height - REGION.headH, LEGIBLE);
    assert.ok(isLegible(fit, blocks.length, LEGIBLE), `page ${page.part}/${page.parts} hr=${fit.hr} w=${fit.w}`);
  }
  assert.equal(shown, 5 * 5 * 8 * 3); // every piece on some page, once
});

test("mesas without pieces get no page while others have some", () => {
  const groups = [{ id: 1, blocks: [chains(1, 30)].flatMap((b) => splitBlock(b, 6)) }, { id: 2, blocks: [] }];
  const pages = paginate(groups, { width: 1880, height: 780 }, REGION, LEGIBLE);
  assert.ok(pages.every((p) => p.groups[0].id === 1));
  assert.equal(paginate([{ id: 1, blocks: [] }], { width: 1880, height: 780 }, REGION, LEGIBLE).length, 1);
});

test("empty mesas give up their place so the mesas with pieces share one page", () => {
  // the English board's seed: a chain in mesa 1 and one in mesa 2, three mesas still empty;
  // beside three empty frames the two chains are not legible, alone they are (6 pieces shown)
  const groups = [1, 2, 3, 4, 5].map((id) => ({ id, blocks: id <= 2 ? [chains(id, 1)] : [] }));
  const pages = paginate(groups, { width: 1880, height: 780 }, REGION, LEGIBLE);
  assert.equal(pages.length, 1);
  assert.deepEqual(pages[0].groups.map((g) => g.id), [1, 2]);
  assert.equal(pages[0].groups.reduce((n, g) => n + g.blocks[0].cells.length, 0), 6);
  // no piece yet: every mesa's frame waits on the one page
  const empty = [1, 2, 3].map((id) => ({ id, blocks: [] }));
  assert.deepEqual(paginate(empty, { width: 1880, height: 780 }, REGION, LEGIBLE)[0].groups.map((g) => g.id), [1, 2, 3]);
});

test("mesas that fit legibly together share a page rather than one mesa and an empty half", () => {
  // the 40-piece board at 1920×1080: five mesas of two or three chains, one per sub-mesa
  const stage = { width: 1886, height: 707 };
  const groups = [3, 3, 3, 3, 2].map((n, i) => ({ id: i + 1, blocks: Array.from({ length: n }, (_, t) => chains((i + 1) * 10 + t, 1)) }));
  const pages = paginate(groups, stage, REGION, LEGIBLE);
  assert.ok(pages.length < 5, `${pages.length} pages`);
  assert.ok(pages.some((p) => p.groups.length > 1));
  assert.deepEqual(pages.flatMap((p) => p.groups.map((g) => g.id)), [1, 2, 3, 4, 5]); // in order, once
  for (const page of pages) {
    const w = stage.width / page.columns - REGION.padW;
    const h = stage.height / page.rows - REGION.headH;
    for (const g of page.groups) assert.ok(isLegible(fitRegion(g.blocks, w, h, LEGIBLE), g.blocks.length, LEGIBLE));
  }
});

test("with grow, the rows fill the field's height (within the cap) and still pack", () => {
  const block = chains(1, 1);
  const still = fitRegion([block], 1800, 600, LEGIBLE);
  const grown = fitRegion([block], 1800, 600, { ...LEGIBLE, grow: 1.1, growRow: 308 });
  assert.ok(grown.hr > still.hr);
  assert.ok(grown.hr <= 308 && grown.hr <= grown.w * 1.1);
  assert.ok(grown.usedHeight <= 600);
  const two = fitRegion([chains(1, 1), chains(2, 1)], 1800, 600, { ...LEGIBLE, grow: 1.1, growRow: 308 });
  assert.ok(two.usedHeight >= 600 * 0.85, `${two.usedHeight}`); // the field is filled
});

test("fewer, wider block columns when their pieces hold more text: the 1280×720 mesa of three chains", () => {
  // a mesa alone on a 1280×720 projector: three sub-mesas of one chain each
  const blocks = [1, 2, 3].map((id) => chains(id, 1));
  const options = { minRow: 66, minWidth: 150, minHeader: 27, maxRow: 260, grow: 1.1, growRow: 220 };
  const narrow = fitRegion(blocks, 1232, 420, options);
  const wide = fitRegion(blocks, 1232, 420, { ...options, wideRow: 92 });
  assert.equal(narrow.columns, 2); // two columns and an empty quarter under the second
  assert.equal(wide.columns, 1);
  assert.ok(wide.hr >= 92 && wide.hr * wide.w >= narrow.hr * narrow.w * 1.2, `${wide.hr}×${wide.w} vs ${narrow.hr}×${narrow.w}`);
  assert.ok(wide.usedHeight <= 420 && wide.usedHeight >= 420 * 0.85, `${wide.usedHeight}`);
  // rows under the bar keep the columns: many chains stay in several columns
  const many = [1, 2, 3, 4, 5, 6].map((id) => chains(id, 1));
  assert.equal(fitRegion(many, 1232, 420, { ...options, wideRow: 92 }).columns, fitRegion(many, 1232, 420, options).columns);
});

// 1920×1080 with a phone vote open: the stage is ~1450 px wide; two block columns would have
// pieces 231 px wide (text ~6 em) on rows of three lines: one or two words each
const VOTE_STAGE = { width: 1450, height: 560 };
const VOTE_REGION = { padW: 52, headH: 150 };
const VOTE_LEGIBLE = { minRow: 129, minWidth: 224, minHeader: 38, maxRow: 260 };
const NARROW = 252;

/** The pages of ``groups`` (one mesa) without and with the narrow rule; asserts the rule. */
function narrowPages(groups) {
  const field = (page) =>
    fitRegion(page.groups[0].blocks, VOTE_STAGE.width - VOTE_REGION.padW, VOTE_STAGE.height - VOTE_REGION.headH, VOTE_LEGIBLE);
  const before = paginate(groups, VOTE_STAGE, VOTE_REGION, VOTE_LEGIBLE);
  const narrowAndShort = before.filter((page) => field(page).w < NARROW && field(page).hr < 1.5 * 129);
  const pages = paginate(groups, VOTE_STAGE, VOTE_REGION, { ...VOTE_LEGIBLE, narrowWidth: NARROW });
  for (const page of pages) {
    const fit = field(page);
    assert.ok(fit.w >= NARROW || fit.hr >= 1.5 * 129, JSON.stringify({ w: fit.w, hr: fit.hr }));
  }
  // every block still on a page, in order
  assert.deepEqual(pages.flatMap((p) => p.groups[0].blocks.map((b) => b.tableId)), [1, 2, 3, 4]);
  return { before, narrowAndShort, pages };
}

test("narrow pieces page their mesa until their rows hold more lines (a stage beside a vote's QR)", () => {
  const { before, narrowAndShort, pages } = narrowPages([{ id: 1, blocks: [chains(1, 2), chains(2, 2), chains(3, 2), chains(4, 2)] }]);
  assert.ok(narrowAndShort.length > 0);
  assert.ok(pages.length > before.length);
});

test("a mesa alone on its turn is sliced too when one page would leave its pieces narrow and short", () => {
  const { before, narrowAndShort, pages } = narrowPages([{ id: 2, blocks: [chains(1, 1), chains(2, 1), chains(3, 1), chains(4, 1)] }]);
  assert.equal(before.length, 1);
  assert.equal(narrowAndShort.length, 1);
  assert.ok(pages.length > 1);
});

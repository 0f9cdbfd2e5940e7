// The whole puzzle's geometry: rows that keep every block legible, knobs that interlock.
import assert from "node:assert/strict";
import { test } from "node:test";

import { blockKnob, framePath, shortTitle, wholeKnobs, wholePages, wholeRows } from "../../static/js/lib/board_whole_layout.js";

test("five mesas: a short last row stretches to the full width; too narrow blocks are refused", () => {
  // text room: less a title's height and the knobs; -1 when the longest word would not fit
  const room = (w, h) => (w - 100) * (h - 150);
  const rows = wholeRows(5, 1800, 600, { inner: (w, h) => (w < 400 ? -1 : room(w, h)) });
  assert.deepEqual(rows.map((r) => r.blocks.length), [3, 2]);
  for (const row of rows) {
    const last = row.blocks[row.blocks.length - 1];
    assert.equal(Math.round(last.x + last.w), 1800); // no hole at the right
  }
  assert.deepEqual(rows.flatMap((r) => r.blocks.map((b) => b.index)), [0, 1, 2, 3, 4]);
  assert.deepEqual(wholeRows(5, 1800, 600, { inner: room }).map((r) => r.blocks.length), [5]); // narrow allowed: one row
  assert.deepEqual(wholeRows(0, 1800, 600), []);
});

test("every tab sits in a blank: right into the neighbour, bottom into the block below or the band", () => {
  const rows = wholeRows(5, 1800, 600, { inner: (w, h) => (w < 400 ? -1 : (w - 100) * (h - 150)) });
  const { blocks, band } = wholeKnobs(rows);
  const at = (index) => rows.flatMap((r) => r.blocks.map((b) => ({ ...b, y: r.y, h: r.h }))).find((b) => b.index === index);
  for (const row of rows) {
    row.blocks.forEach((b, c) => {
      const next = row.blocks[c + 1];
      if (!next) return assert.equal(blocks[b.index].right.length, 0);
      assert.deepEqual(blocks[b.index].right, [{ at: row.h / 2, s: 1 }]);
      assert.deepEqual(blocks[next.index].left, [{ at: row.h / 2, s: -1 }]);
    });
  }
  // the first row's bottom tabs land in the second row's top blanks, at the same x
  for (const index of [0, 1, 2]) {
    const upper = at(index);
    const x = upper.x + blocks[index].bottom[0].at;
    const lower = [3, 4].find((i) => blocks[i].top.some((k) => Math.abs(at(i).x + k.at - x) < 0.01 && k.s === -1));
    assert.ok(lower !== undefined, `block ${index}'s tab has its blank`);
  }
  assert.equal(band.length, 2); // the last row locks into the agreement line
  const d = framePath(900, 300, blocks[3], blockKnob(900, 300));
  assert.equal((d.match(/A/g) || []).length, blocks[3].top.length + blocks[3].right.length + blocks[3].bottom.length);
  assert.ok(d.startsWith("M0 0") && d.endsWith("Z"));
});

test("a need's short title ends after a whole word", () => {
  assert.equal(shortTitle("Poca formación en contabilidad"), "Poca formación en contabilidad");
  assert.equal(
    shortTitle("Las asociaciones de recicladores no tienen centros de acopio propios", 7),
    "Las asociaciones de recicladores no tienen centros…",
  );
  assert.equal(shortTitle("Falta crédito, capital y formación técnica", 2), "Falta crédito…");
});

test("pages of blocks: in order, as even as they can be, every block on one page", () => {
  assert.deepEqual(wholePages(5, 5), [[0, 1, 2, 3, 4]]);
  assert.deepEqual(wholePages(5, 2), [[0, 1], [2, 3], [4]]);
  assert.deepEqual(wholePages(5, 3), [[0, 1, 2], [3, 4]]);
  assert.deepEqual(wholePages(5, 1), [[0], [1], [2], [3], [4]]);
  assert.deepEqual(wholePages(4, 3), [[0, 1], [2, 3]]);
  assert.deepEqual(wholePages(0, 2), []);
});

// The board's stage: which mesas (or slice of one) are on screen, their regions, and their
// pieces laid out. Pages come from ../lib/board_layout.js paginate(): every mesa at once when
// all stay legible, else as many mesas a page as stay legible together, or one mesa (or a
// slice) a page; board.js turns the pages.
import { fitRegion, paginate, splitBlock, tableCells } from "../lib/board_layout.js";
import { el } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { placeBlocks } from "./board_pieces.js";

// a row's least height in lines of the least font: three lines of 1.18 and the piece's padding
const ROW_LINES = 4.6;

function part(tag, className, text) {
  return el(tag, { class: className || null, text });
}

// a piece's least width in ems of the least font: its text 6 em wide (ten letters a line) and
// its knob and padding (~2 em)
const PIECE_EMS = 8;

/**
 * Sizes below which nothing is set: 28 px at 1080 px high, 20 px at 720 px (issue 14.1). A
 * row holds three lines of text (a plan: two and its «Cuándo») and a piece ten letters a
 * line: the board pages its mesas rather than show pieces of one or two words (a phone
 * vote's QR beside a 1280×720 stage leaves its mesas' blocks room for one column, not two).
 */
export function legibleSizes(isPublic) {
  const minFont = isPublic ? 16 : Math.max(20, Math.round((window.innerHeight * 28) / 1080));
  return { minFont, minRow: Math.round(minFont * ROW_LINES), minWidth: Math.round(minFont * PIECE_EMS), minHeader: Math.round(minFont * 1.35) };
}

/** The table whose block a piece sits in: its need's (the top of its chain). */
export function homeTable(piece, pieces) {
  let top = piece;
  for (let i = 0; i < 3 && top.parent_id && pieces.has(top.parent_id); i += 1) top = pieces.get(top.parent_id);
  return top.table_id;
}

export function createStage(stage, { isPublic, focusable, decorate = () => {}, onFieldResize = () => {} }) {
  const regions = new Map(); // group id -> {el, head, field, empty, badge, pieceEls, labels, group}
  let pages = [];
  let signature = "";
  const heads = { key: "", most: 0 }; // the tallest mesa head seen for the mesas shown, at this size
  // a mesa's head that grows or shrinks (a badge, the spokesperson's name wrapping) changes
  // its field: that mesa is laid out again. Compared with the size its last layout measured,
  // so the layout's own change (a phone's field taking its rows' height) asks for none.
  const fields = new WeakMap();
  const sizeOf = (field, flow) => (flow ? `${field.clientWidth}` : `${field.clientWidth}x${field.clientHeight}`);
  const sized = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const known = fields.get(entry.target);
      if (known && known.size && known.size !== sizeOf(entry.target, known.flow)) onFieldResize(known.id);
    }
  });

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
    const speaker = part("p", "region-speaker");
    speaker.hidden = true;
    head.append(title, speaker, badge);
    const field = part("div", "region-field");
    const empty = part("p", "region-empty", t("Esperando las piezas de esta mesa…"));
    field.append(empty);
    section.append(head, field);
    region = { el: section, head, field, empty, badge, speaker, pieceEls: new Map(), labels: new Map(), group };
    regions.set(group.id, region);
    fields.set(field, { id: group.id, size: "" });
    sized.observe(field);
    return region;
  }

  function blocksOf(group, pieces, maxRows) {
    const byTable = new Map(group.tables.map((table) => [table.id, []]));
    for (const piece of pieces.values()) {
      if (piece.group_id !== group.id) continue;
      // a solution or plan merged under another table's need sits in that need's sub-mesa
      const home = homeTable(piece, pieces);
      if (!byTable.has(home)) byTable.set(home, []);
      byTable.get(home).push(piece);
    }
    const numbers = new Map(group.tables.map((table) => [table.id, table.number]));
    const blocks = [];
    for (const [tableId, list] of byTable) {
      if (list.length === 0) continue;
      const { cells, rows } = tableCells(list);
      const block = { tableId, number: numbers.get(tableId) ?? list[0].table_number, cells, rows, part: 1, parts: 1 };
      blocks.push(...splitBlock(block, maxRows));
    }
    blocks.sort((a, b) => a.number - b.number || a.part - b.part);
    return blocks;
  }

  /** The pages for these groups and pieces at the stage's current size. */
  function paginateFor(groups, pieces, flow) {
    const sizes = legibleSizes(isPublic);
    if (flow) {
      pages = groups.map((g) => ({ groups: [{ id: g.id, blocks: blocksOf(g, pieces, Infinity) }], columns: 1, rows: 1, part: 1, parts: 1 }));
      return pages;
    }
    const em = parseFloat(getComputedStyle(stage).fontSize) || 16;
    // a mesa's frame: its head is a line (1.4 em) unless one wraps (a revealed mesa's
    // spokesperson and badge under a long title), then as tall as the tallest seen on screen
    // for these mesas at this size: the pages do not change as the rotation brings a taller
    // or shorter head
    const width = stage.clientWidth;
    const height = stage.clientHeight;
    const key = `${groups.map((g) => g.id).join()}@${width}x${height}:${em}`;
    if (key !== heads.key) Object.assign(heads, { key, most: 0 });
    heads.most = Math.max(heads.most, ...[...regions.values()].map((r) => r.head.offsetHeight));
    const head = Math.max(em * 1.4, heads.most);
    const region = { padW: em * 1.4 + 12, headH: em * 2 + 12 + head };
    const maxRows = Math.max(1, Math.floor((height - region.headH - sizes.minHeader) / sizes.minRow));
    const input = groups.map((g) => ({ id: g.id, blocks: blocksOf(g, pieces, maxRows) }));
    // mesas share a page while their rows keep the least row's three lines (shareRow 1: the
    // least row is what sharing asked for before it held three lines, 1.4 × 3.3 lines) and
    // their pieces 9.4 em wide (shareWidth 1.17: what sharing asked for, 1.25 × 7.5 em,
    // before the least piece was 8 em wide)
    pages = paginate(input, { width, height }, region, {
      ...sizes,
      maxRow: 260,
      shareRow: 1,
      shareWidth: 1.17,
      // pieces under 9 em wide (two block columns beside a 1920×1080 vote's QR) page their
      // mesa until their rows take half as many lines more (five of text, not three)
      narrowWidth: Math.round(sizes.minFont * 9),
    });
    return pages;
  }

  /** Show ``page``; returns the fitting work of the regions in ``dirty`` (or all on a change). */
  function show(page, groups, dirty, { flow, fresh }) {
    const shown = page ? page.groups.map((pg) => ({ group: groups.find((g) => g.id === pg.id), blocks: pg.blocks })) : [];
    const sig = `${flow}:${page ? `${page.columns}x${page.rows}` : ""}:${shown
      .map(({ group, blocks }) => `${group.id}[${blocks.map((b) => `${b.tableId}.${b.part}`).join(",")}]`)
      .join(";")}`;
    const changed = sig !== signature;
    if (changed) {
      signature = sig;
      const ids = new Set(shown.map((s) => s.group.id));
      for (const [id, region] of regions) {
        if (!ids.has(id)) {
          sized.unobserve(region.field);
          region.el.remove();
          regions.delete(id);
        }
      }
      stage.classList.toggle("is-single", shown.length === 1);
      for (const { group } of shown) stage.append(regionFor(group).el);
      stage.style.gridTemplateColumns = flow ? "1fr" : `repeat(${page ? page.columns : 1}, minmax(0, 1fr))`;
      stage.style.gridTemplateRows = flow ? "" : `repeat(${page ? page.rows : 1}, minmax(0, 1fr))`;
    }
    const work = [];
    const sizes = legibleSizes(isPublic);
    for (const { group } of shown) decorate(regionFor(group)); // its head first: its field's height
    for (const { group, blocks } of shown) {
      if (changed || dirty.has(group.id)) work.push(...layoutRegion(regionFor(group), blocks, { flow, fresh, sizes, single: shown.length === 1 }));
    }
    return work;
  }

  function layoutRegion(region, blocks, { flow, fresh, sizes, single }) {
    region.empty.hidden = blocks.length > 0;
    const width = region.field.clientWidth;
    const height = flow ? Infinity : region.field.clientHeight;
    const fit = fitRegion(blocks, width, height, {
      // a phone scrolls: narrow pieces get tall rows, so whole texts fit without breaking words
      maxRow: flow ? 260 : single ? 260 : 200,
      aspect: flow ? 1.9 : 0.62,
      minWidth: flow ? 80 : sizes.minWidth,
      minHeader: flow ? 14 : sizes.minHeader,
      // the projector's pieces grow to fill their mesa's field (the texts grow with them)
      grow: flow ? 0 : 1.1,
      growRow: sizes.minFont * 11,
      // wider pieces when they hold more text, rows kept as tall as mesas sharing a page keep
      wideRow: flow ? 0 : sizes.minRow,
    });
    if (flow) region.field.style.height = blocks.length ? `${Math.ceil(fit.usedHeight) + 8}px` : "";
    Object.assign(fields.get(region.field), { flow, size: flow ? `${width}` : `${width}x${height}` }); // what it was laid out for
    return placeBlocks(region, fit, { maxFont: single ? 56 : 40, minFont: flow ? 12 : sizes.minFont, fresh, focusable });
  }

  function reset() {
    for (const region of regions.values()) {
      sized.unobserve(region.field);
      region.el.remove();
    }
    regions.clear();
    signature = "";
    heads.key = "";
  }

  return { regions, show, paginateFor, reset, get pages() { return pages; } };
}

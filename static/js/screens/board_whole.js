// The whole puzzle (plenary mode "whole", the «gran rompecabezas solidario»): every mesa as one
// large piece interlocking with its neighbours and, below them, the agreement line they lock
// into. A block names its mesa, its theme and its spokesperson, counts its pieces and lists its
// needs as short titles; when they do not all fit legibly the list shows a slice and the
// rotation turns every block's slice at the board's pace (next()).
import { SHORT_WORDS, blockKnob, framePath, shortTitle, wholeKnobs, wholePages, wholeRows } from "../lib/board_whole_layout.js";
import { el, svg } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { kindLabel } from "./board_pieces.js";
import { approvalText } from "./board_vote.js";

const KINDS = ["need", "solution", "plan"];

function icon(kind) {
  return svg("svg", { class: "icon", "aria-hidden": "true" }, svg("use", { href: `#icon-${kind}` }));
}

function needsOf(state, groupId) {
  return [...state.pieces.values()]
    .filter((p) => p.group_id === groupId && p.kind === "need")
    .sort((a, b) => (a.table_number ?? 0) - (b.table_number ?? 0) || String(a.created_at || "").localeCompare(String(b.created_at || "")));
}

function sliceText(first, last, total) {
  if (first === last) return t("Necesidad {number} de {total}", { number: first, total });
  return t("Necesidades {first}–{last} de {total}", { first, last, total });
}

function countsOf(state, groupId) {
  const c = { need: 0, solution: 0, plan: 0 };
  for (const p of state.pieces.values()) if (p.group_id === groupId && p.kind in c) c[p.kind] += 1;
  return c;
}

export function createWhole(layer, { minFont, focusable, paged = true }) {
  const figure = el("div", { class: "whole-figure" });
  const band = el("div", { class: "whole-band" });
  const bandShape = svg("svg", { class: "whole-shape", "aria-hidden": "true" }, svg("path"));
  const bandText = el("p", { class: "whole-agreement" });
  band.append(bandShape, bandText);
  layer.append(figure, band);
  const blocks = new Map(); // group id -> {node, shape, title, speaker, counts, badge, list, caption, start, next, key}
  let geometry = "";
  let pages = []; // [{chunk: [group index…], rows, band, width, height}]: the figure's pages
  let pageIndex = 0;
  let bandKey = "";

  function blockFor(group) {
    let block = blocks.get(group.id);
    if (block) return block;
    const node = el("section", { class: "whole-block", dataset: { groupId: group.id } });
    const shape = svg("svg", { class: "whole-shape", "aria-hidden": "true" }, svg("path"));
    const box = el("div", { class: "whole-text" });
    const title = el("h2", { class: "whole-title" });
    const speaker = el("p", { class: "whole-speaker" });
    const counts = el("p", { class: "whole-counts" });
    const badge = el("p", { class: "whole-badge" });
    const caption = el("p", { class: "whole-caption" });
    // A moderator's needs are buttons (a need opens its piece): a group of buttons, then, not a
    // list, whose items would have lost their listitem role to «button».
    const list = el("ul", { class: "whole-needs", role: focusable ? "group" : null });
    if (focusable) list.setAttribute("aria-label", t("Necesidades"));
    box.append(title, speaker, counts, badge, caption, list);
    node.append(shape, box);
    figure.append(node);
    block = { node, shape, box, title, speaker, counts, badge, list, caption, start: 0, next: 0, key: "" };
    blocks.set(group.id, block);
    return block;
  }

  const padOf = (w, h) => blockKnob(w, h).k / 2 + minFont * 0.45; // on average: blanks on one side of two
  const measure = document.createElement("canvas").getContext("2d");

  /**
   * The widest word a block must hold on one line: of the mesas' titles (bold, 1.15em), their
   * needs' short titles, their approval badges (with the pill's padding and border) and the
   * slice caption (capitals, spaced). A badge or caption wraps between its words, never cut.
   */
  function widestWord(groups) {
    const family = getComputedStyle(layer).fontFamily;
    const widest = (texts, font, spacing = 0) => {
      measure.font = font;
      let most = 0;
      for (const text of texts) {
        for (const word of text.split(/\s+/)) most = Math.max(most, measure.measureText(word).width + spacing * word.length);
      }
      return most;
    };
    const titles = groups.map((g) => `${t("Mesa {number}", { number: g.number })} ${g.title}`);
    const needs = groups.flatMap((g) => needsOf(lastState, g.id).map((n) => shortTitle(n.text)));
    const badges = groups.map((g) => approvalText(lastState.approvals?.[g.id]));
    const most = Math.max(...groups.map((g) => needsOf(lastState, g.id).length), 1);
    const caption = [sliceText(most, most, most), t("Necesidades: {total}", { total: most })].map((text) => text.toUpperCase());
    return Math.ceil(Math.max(
      widest(titles, `700 ${minFont * 1.15}px ${family}`),
      widest(needs, `600 ${minFont}px ${family}`) + minFont * 0.8,
      widest(badges, `800 ${minFont}px ${family}`) + minFont + 4,
      widest(caption, `800 ${minFont}px ${family}`, minFont * 0.03),
    )) + 4;
  }

  /** Place the blocks of ``chunk`` (indexes into ``groups``) over the figure; its rows. */
  function place(groups, chunk, width, height, inner) {
    const rows = wholeRows(chunk.length, width, height, { inner });
    const knobs = wholeKnobs(rows);
    for (const row of rows) {
      for (const b of row.blocks) {
        const block = blockFor(groups[chunk[b.index]]);
        const kn = blockKnob(b.w, row.h);
        const gap = 3; // the cut between two pieces
        const w = b.w - gap;
        const h = row.h - gap;
        Object.assign(block.node.style, {
          transform: `translate(${Math.round(b.x)}px, ${Math.round(row.y)}px)`,
          width: `${Math.round(w)}px`,
          height: `${Math.round(h)}px`,
        });
        block.shape.setAttribute("width", String(Math.ceil(w)));
        block.shape.setAttribute("height", String(Math.ceil(h)));
        block.shape.firstChild.setAttribute("d", framePath(w, h, knobs.blocks[b.index], kn));
        // a blank (a neighbour's tab) cuts into the block: the text keeps clear of it
        const sides = knobs.blocks[b.index];
        const pad = (side) => `${Math.round(minFont * 0.45 + (sides[side].some((k) => k.s < 0) ? kn.k : 0))}px`;
        Object.assign(block.box.style, { left: pad("left"), top: pad("top"), right: pad("right"), bottom: pad("bottom") });
        block.node.classList.toggle("is-tone", b.index % 2 === 1);
        block.key = ""; // its text is laid out again
      }
    }
    return { rows, band: knobs.band, width, height };
  }

  /** A block shows its title, spokesperson, counts and badge whole, and at least one need. */
  function legible(block) {
    const { box, list } = block;
    if (box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1) return false;
    const first = list.firstElementChild;
    return !first || first.getBoundingClientRect().bottom <= list.getBoundingClientRect().bottom + 1;
  }

  /**
   * Shapes and places of the blocks (only when the mesas or the figure's size changed): all
   * of them on one figure when each stays legible there, else as few pages as keep them
   * legible (a laptop at 200 %: one or two a page), which the rotation turns.
   */
  function lay(groups) {
    const width = figure.clientWidth;
    const height = figure.clientHeight;
    // a block's text room: its size less the knobs and its fixed lines (title, spokesperson,
    // counts); none when its longest word (a theme's or a need's) would not fit on one line
    const longest = widestWord(groups);
    const key = `${groups.map((g) => g.id).join(",")}:${width}x${height}:${longest}`;
    if (key === geometry) return;
    geometry = key;
    const inner = (w, h) => {
      const pad = 2 * padOf(w, h);
      if (w - pad < longest) return -Infinity;
      // short of room everywhere (a narrow projector): the least short, not the first
      const room = h - pad - 7 * minFont;
      return room > 0 ? (w - pad) * room : room;
    };
    pages = [];
    for (let most = groups.length; most >= 1; most -= 1) {
      const chunks = paged ? wholePages(groups.length, most) : [groups.map((_, i) => i)];
      pages = chunks.map((chunk) => ({ chunk, ...place(groups, chunk, width, height, inner) }));
      const shown = groups.map((group) => {
        const block = blockFor(group);
        block.node.hidden = false;
        fill(block, group, lastState);
        return block;
      });
      if (!paged || most === 1 || shown.every(legible)) break; // one read pass a try
    }
    for (const block of blocks.values()) block.key = ""; // filled for the measure: again for real
    if (pageIndex >= pages.length) pageIndex = 0;
    bandKey = "";
  }

  /** The agreement band under the page's last row: a blank under each of its blocks. */
  function drawBand(page) {
    const bw = band.clientWidth;
    const bh = band.clientHeight;
    const key = `${pageIndex}:${bw}x${bh}`;
    if (key === bandKey) return;
    bandKey = key;
    const { rows, width, height } = page;
    const kn = blockKnob(width / Math.max(1, rows[rows.length - 1]?.blocks.length || 1), height / Math.max(1, rows.length));
    bandShape.setAttribute("width", String(bw));
    bandShape.setAttribute("height", String(bh));
    bandShape.firstChild.setAttribute("d", framePath(bw, bh, { top: page.band.map((x) => ({ at: x, s: -1 })) }, kn));
    band.style.paddingTop = `${Math.round(kn.k)}px`;
  }

  /** The block's text: title, spokesperson, counts, approval, then the needs from its slice. */
  function fill(block, group, state) {
    const needs = needsOf(state, group.id);
    const counts = countsOf(state, group.id);
    const approval = state.approvals[group.id];
    const speaker = group.spokesperson ? group.spokesperson.name : "";
    const key = JSON.stringify([group.title, speaker, counts, approvalText(approval), block.start, needs.map((n) => `${n.id}.${n.version}`)]);
    if (block.key === key) return false;
    block.key = key;
    block.title.textContent = "";
    block.title.append(el("span", { class: "region-number", text: t("Mesa {number}", { number: group.number }) }), " ", group.title);
    block.speaker.textContent = speaker ? t("Vocería: {name}", { name: speaker }) : "";
    block.speaker.hidden = !speaker;
    block.counts.textContent = "";
    for (const kind of KINDS) {
      const chip = el("span", { class: `whole-count strip-${kind}` }, icon(kind), String(counts[kind]));
      chip.setAttribute("aria-label", `${kindLabel(kind)}: ${counts[kind]}`);
      block.counts.append(chip);
    }
    block.badge.textContent = approvalText(approval);
    block.badge.className = `whole-badge region-badge ${approval ? `is-${approval.status}-${approval.approved}` : ""}`;
    block.badge.hidden = !approval;
    if (block.start >= needs.length) block.start = 0;
    block.list.textContent = "";
    for (const need of needs.slice(block.start)) {
      const item = el("li", { class: "whole-need", dataset: { pieceId: need.id }, text: shortTitle(need.text) });
      item.title = need.text;
      if (focusable) {
        item.tabIndex = 0;
        item.setAttribute("role", "button");
      }
      block.list.append(item);
    }
    block.needs = needs.length;
    // The count chips say how many; the caption names the list only when it shows a slice.
    // While the list is measured it holds its longest form, so setting it cannot shrink the list.
    const n = needs.length;
    block.caption.textContent = n ? sliceText(n - 1, n, n) : t("Esperando las piezas de esta mesa…");
    block.caption.classList.toggle("is-empty", !needs.length);
    return true;
  }

  /** Hide the needs that do not fit whole (one read pass for every block, then the writes). */
  function clip(changed) {
    const cuts = changed.map((block) => {
      const limit = block.list.getBoundingClientRect().bottom + 1;
      const items = [...block.list.children];
      const shown = items.findIndex((item) => item.getBoundingClientRect().bottom > limit);
      return { block, items, shown: shown < 0 ? items.length : shown };
    });
    for (const { block, items, shown } of cuts) {
      items.forEach((item, i) => {
        item.hidden = i >= shown;
      });
      block.next = block.start + shown;
      if (!block.needs) continue;
      if (!shown) block.caption.textContent = t("Necesidades: {total}", { total: block.needs });
      else if (block.needs > shown) block.caption.textContent = sliceText(block.start + 1, block.start + shown, block.needs);
      else block.caption.textContent = "";
    }
    // a block too short for any need (a narrow projector): its count chips say how many, so
    // the caption that would repeat it goes rather than being cut
    const over = cuts.filter(({ block, shown }) => !shown && block.box.scrollHeight > block.box.clientHeight + 1);
    for (const { block } of over) block.caption.textContent = "";
    grow(cuts);
  }

  /**
   * The room left under a block's needs goes to their words: each shown need, in order, takes
   * as many more words of its text as still fit (all of them: no «…»), searched in batched
   * passes over every block (one layout a pass).
   */
  function grow(cuts) {
    // the list's height to the pixel: its scrollHeight is rounded, so a list one pixel over
    // (a need's last line half a pixel out of its block) reads as full, never as fitting
    const overflows = (block, item) =>
      block.list.scrollHeight > block.list.clientHeight || item.scrollWidth > item.clientWidth + 1;
    const settle = (job) => {
      job.item.textContent = job.lo > SHORT_WORDS ? shortTitle(job.item.title, job.lo) : job.short;
    };
    const most = Math.max(0, ...cuts.map(({ shown }) => shown));
    for (let i = 0; i < most; i += 1) {
      let todo = cuts
        .filter(({ shown, items }) => i < shown && items[i].textContent !== items[i].title)
        .map(({ block, items }) => {
          const item = items[i];
          const words = item.title.trim().split(/\s+/).length;
          return { block, item, lo: Math.min(SHORT_WORDS, words), hi: words, short: item.textContent };
        });
      for (let pass = 0; pass < 8 && todo.length; pass += 1) {
        for (const job of todo) {
          job.mid = Math.ceil((job.lo + job.hi) / 2);
          job.item.textContent = shortTitle(job.item.title, job.mid);
        }
        for (const job of todo) {
          if (overflows(job.block, job.item)) job.hi = job.mid - 1;
          else job.lo = job.mid;
        }
        todo = todo.filter((job) => {
          if (job.lo < job.hi) return true;
          settle(job);
          return false;
        });
      }
      todo.forEach(settle);
    }
  }

  let lastState = { pieces: new Map() };

  function render(state, agreementLine) {
    lastState = state;
    const groups = state.groups;
    for (const [id, block] of blocks) {
      if (!groups.some((g) => g.id === id)) {
        block.node.remove();
        blocks.delete(id);
      }
    }
    if (bandText.textContent !== agreementLine) bandText.textContent = agreementLine;
    lay(groups);
    const page = pages[pageIndex];
    const onPage = new Set(page ? page.chunk.map((i) => groups[i].id) : []);
    const changed = [];
    for (const group of groups) {
      const block = blockFor(group);
      block.node.hidden = !onPage.has(group.id);
      if (!block.node.hidden && fill(block, group, state)) changed.push(block);
    }
    if (page) drawBand(page);
    clip(changed);
  }

  /** The page on screen, as the header's «Mesas 1–2 de 5» reads it (board_strip.js). */
  function current() {
    const page = pages[pageIndex];
    if (!page || pages.length < 2) return { page: null, pages: [] };
    const groups = lastState.groups;
    return { page: { groups: page.chunk.map((i) => ({ id: groups[i].id })), part: 1, parts: 1 }, pages };
  }

  /** Show the next (``step`` 1) or previous (-1) page, each block from its first need. */
  function turn(step) {
    if (pages.length < 2) return false;
    pageIndex = (pageIndex + step + pages.length) % pages.length;
    for (const block of blocks.values()) {
      block.start = 0;
      block.key = "";
    }
    return true;
  }

  /**
   * The rotation: every block on screen shows its next slice of needs; on one page each
   * starts again from its first when it has shown its last; with several pages, the next
   * page once every block on screen has shown its last slice. False if nothing changed.
   */
  function next() {
    const page = pages[pageIndex];
    const ids = new Set(page ? page.chunk.map((i) => lastState.groups[i]?.id) : []);
    let turned = false;
    for (const [id, block] of blocks) {
      if (!ids.has(id) || block.next <= block.start || block.needs <= block.next - block.start) continue;
      if (pages.length > 1 && block.next >= block.needs) continue; // its last slice: the page turns
      block.start = block.next >= block.needs ? 0 : block.next;
      block.key = "";
      turned = true;
    }
    return turned || turn(1);
  }

  function reset() {
    geometry = "";
    pageIndex = 0;
    for (const block of blocks.values()) block.key = "";
  }

  return { render, next, turn, current, reset };
}

// The board's text fitting: the largest font that fits each piece, in batched passes (one
// layout per pass, never one per piece), then a shorter text cut at a word boundary when even
// the smallest legible size is too big (an address after a separator of its host or path; the
// zoom view shows it whole). Results are cached by text, box and size range, so a piece shown
// again (a rotation, a re-layout) is not measured; fitSoon spreads the rest over frames within
// a budget. A word too wide for its piece breaks
// at its syllables (../lib/hyphenate.js).
import { BREAK, SCHEME, addressCuts, breakLongWords, isAddress, unbroken } from "../lib/hyphenate.js";

const cache = new Map(); // key -> {font, text, classes}
const CACHE_MAX = 4000;

// a piece short of room: a plan drops its «Quién» and the word «Cuándo:» (is-tight), then its
// date goes up beside its calendar icon, in place of the word «Plan» (is-dated), and only then
// the date goes (is-bare)
const STAGES = ["is-tight", "is-dated", "is-bare"];
const MARKS = [...STAGES, "is-plain", "is-cut"];
const JOIN = "\u2060"; // a word joiner: no line break between a cut text's last word and its «…»

// Fitting over frames (a page turn brings up to ~150 texts to fit): each frame fits chunks
// until its budget is spent and leaves the rest to the next frames; a text still waiting
// keeps its box hidden, so it never shows at the wrong size.
const waiting = new Map(); // text box -> its latest item
const CHUNK = 24;
let budget = 8; // ms of fitting per frame
let drainFrame = 0;

/** The fitting budget per frame in ms (Infinity: everything in the frame that asks). */
export function setFitBudget(ms) {
  budget = ms;
}

/** Fit ``items`` soon: cached texts at once, the others in chunks over the next frames. */
export function fitSoon(items) {
  for (const item of items) {
    const known = item.key && cache.get(item.key);
    if (known) {
      waiting.delete(item.box);
      item.box.classList.remove("is-fitting");
      apply(item, known);
    } else {
      waiting.set(item.box, item);
      item.box.classList.add("is-fitting");
    }
  }
  drain();
}

function drain() {
  const start = performance.now();
  do {
    const chunk = [];
    for (const [box, item] of waiting) {
      waiting.delete(box);
      if (box.isConnected) chunk.push(item);
      if (chunk.length >= CHUNK) break;
    }
    fitTexts(chunk);
    for (const item of chunk) item.box.classList.remove("is-fitting");
  } while (waiting.size && performance.now() - start < budget);
  if (waiting.size && !drainFrame) {
    drainFrame = requestAnimationFrame(() => {
      drainFrame = 0;
      drain();
    });
  }
}

/** Texts still waiting for their fit (the tests and the benchmark wait for none). */
export function fitsPending() {
  return waiting.size;
}

function apply(item, fitted) {
  item.box.style.fontSize = `${fitted.font}px`;
  item.text.textContent = fitted.text;
  item.box.classList.remove(...MARKS);
  for (const name of fitted.classes) item.box.classList.add(name);
}

/**
 * Where a text may be cut: the ends of its words (never inside a word) and, inside a web
 * address, after each separator of its host and path («unidadsolidaria.gov.co/…»).
 */
function wordEnds(full) {
  const ends = [];
  const re = /\S+/g;
  let match = re.exec(full);
  while (match) {
    if (isAddress(unbroken(match[0]))) ends.push(...addressCuts(match[0]).map((at) => match.index + at));
    ends.push(match.index + match[0].length);
    match = re.exec(full);
  }
  return ends;
}

/** The text shown when it is cut after ``length`` characters: an address without its scheme. */
function cutText(full, length) {
  return full.slice(0, length).replace(SCHEME, "");
}

let measure = null;

/**
 * Whether a word is wider at ``px`` than the box's line (the piece's text is bold 600). It reads
 * the box when called: make every tester of a batch before writing any text (one layout, not
 * one a piece); the canvas is shared, so each test sets its own font.
 */
function widerThan(box, px, less = 0) {
  measure = measure || document.createElement("canvas").getContext("2d");
  const font = `600 ${px}px ${getComputedStyle(box).fontFamily}`;
  const room = box.clientWidth - 1 - less;
  return (word) => {
    measure.font = font;
    return measure.measureText(word).width > room;
  };
}

const fits = (item) =>
  item.box.scrollHeight <= item.box.clientHeight + 1 && item.box.scrollWidth <= item.box.clientWidth + 1;

/** The largest font in [lo, hi] at which each item's text fits (a binary search, batched). */
function search(todo) {
  for (const item of todo) {
    item.lo = item.least;
    item.hi = item.most;
    item.font = item.hi;
    item.box.style.fontSize = `${item.hi}px`;
  }
  const pending = todo.filter((item) => !fits(item));
  for (let pass = 0; pass < 6 && pending.length; pass += 1) {
    for (const item of pending) {
      item.mid = (item.lo + item.hi) / 2;
      item.box.style.fontSize = `${item.mid}px`;
    }
    for (const item of pending) {
      if (fits(item)) item.lo = item.mid;
      else item.hi = item.mid;
    }
  }
  for (const item of pending) {
    item.font = Math.floor(item.lo * 2) / 2;
    item.box.style.fontSize = `${item.font}px`;
  }
  return pending;
}

/** Largest font that fits for every box ({box, text, full, lo, hi, key}), batched. */
export function fitTexts(items) {
  const todo = [];
  for (const item of items) {
    const known = item.key && cache.get(item.key);
    if (known) apply(item, known);
    else todo.push(item);
  }
  if (todo.length === 0) return;
  for (const item of todo) {
    item.text.textContent = item.full;
    item.least = item.lo;
    item.most = item.hi;
    item.box.classList.remove(...MARKS);
  }
  let pending = search(todo);
  // A word wider than the piece even at the smallest size («interinstitucionalidad», an
  // address): it breaks at its syllables with a hyphen (an address after its «/»), never cut
  // inside a letter; the other words stay whole. Then the sizes are searched again.
  const wide = pending.filter((item) => item.box.scrollWidth > item.box.clientWidth + 1);
  const wideTests = wide.map((item) => widerThan(item.box, item.least)); // reads first
  wide.forEach((item, i) => {
    item.full = breakLongWords(item.full, wideTests[i]);
    item.text.textContent = item.full;
  });
  if (wide.length) {
    const again = new Set(search(wide));
    pending = pending.filter((item) => !wide.includes(item) || again.has(item));
  }
  // Still too long at the smallest size: the text is cut after a whole word, with an ellipsis.
  // A plan under three words of its "what" drops its «Quién»; its «Cuándo» (the date the room
  // holds it to) moves up beside its icon when not even its first word would show, and goes
  // only when not even then (the zoom and the printed agenda show both).
  let left = pending.filter((item) => !fits(item));
  for (let i = 0; left.length; i += 1) {
    cutToFit(left);
    left = left.filter((item) => !fits(item) || item.words < Math.min(i === 0 ? 3 : 1, item.ends.length));
    if (i === STAGES.length) break;
    for (const item of left) item.box.classList.add(STAGES[i]);
  }
  // A single word broken over more lines than the piece holds under its kind's label: the
  // label goes (the shape, the colour and the read-out name still say the kind), then, if
  // even that is not enough, the box is marked cut (the zoom shows it whole).
  const plain = [];
  for (const item of left) {
    if (fits(item)) continue;
    if (item.box.scrollHeight > item.box.clientHeight + 1) item.box.classList.add("is-plain");
    if (!fits(item)) plain.push(item);
  }
  // The first word shares its line with the kind's icon there: a word wider than the rest of
  // that line breaks at its syllables too («🔍 Encuen-tros…» in two lines, not three), and
  // the text is cut again.
  const plainTests = plain.map((item) => widerThan(item.box, item.font, item.font * 1.5)); // reads first
  plain.forEach((item, i) => {
    item.full = breakLongWords(item.full, plainTests[i]);
    item.text.textContent = item.full;
    item.ends = null;
  });
  if (plain.length) cutToFit(plain);
  for (const item of plain) if (!fits(item)) item.box.classList.add("is-cut");
  if (cache.size > CACHE_MAX) cache.clear();
  for (const item of todo) {
    if (!item.key) continue;
    const classes = MARKS.filter((name) => item.box.classList.contains(name));
    cache.set(item.key, { font: item.font, text: item.text.textContent, classes });
  }
}

function cutToFit(cut) {
  for (const item of cut) {
    item.ends = item.ends || wordEnds(item.full);
    item.min = 0; // words that fit
    item.max = item.ends.length;
  }
  // the ellipsis is joined to the last word shown (U+2060: never alone on a line; the word
  // goes down with it, or one word fewer shows)
  const show = (item, words, glue = JOIN) => {
    item.text.textContent = words >= item.ends.length ? item.full : `${cutText(item.full, item.ends[words - 1] || 0)}${glue}…`;
  };
  for (let pass = 0; pass < 8 && cut.length; pass += 1) {
    for (const item of cut) {
      item.n = Math.floor((item.min + item.max + 1) / 2);
      show(item, item.n);
    }
    for (const item of cut) {
      if (fits(item)) item.min = item.n;
      else item.max = item.n - 1;
    }
  }
  for (const item of cut) {
    item.words = item.min;
    show(item, Math.max(1, item.min));
  }
  // a first word that fills its line alone: its ellipsis goes under it (not out of the box)
  const alone = cut.filter((item) => item.words <= 1 && !fits(item));
  for (const item of alone) show(item, 1, BREAK);
}

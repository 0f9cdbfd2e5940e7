"""What the board's browser tests and benchmark read off the page (JS run by Playwright)."""

import warnings

from playwright.sync_api import TimeoutError as PlaywrightTimeout

#: the smallest computed font size of any visible text of the board (and where it is)
MIN_FONT = """
() => {
  let min = Infinity, where = "";
  const root = document.querySelector('[data-board]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    if (!el.getClientRects().length) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || r.bottom < 0 || r.top > innerHeight) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.opacity === '0') continue;
    const size = parseFloat(style.fontSize);
    if (size < min) { min = size; where = `${el.className} «${n.textContent.trim().slice(0, 40)}»`; }
  }
  return { min, where };
}
"""

#: texts of pieces on screen cut inside a word (the visible text must end at a word end, or
#: inside a web address after a separator of its host or path, the address shown without its
#: «https://» and «www.»; the break opportunities the board adds to over-long words, U+00AD and U+200B,
#: and the word joiner before a cut text's «…», U+2060, are not text)
CUT_MID_WORD = """
() => [...document.querySelectorAll('.board-stage .piece')].flatMap((piece) => {
  const shown = piece.querySelector('.piece-body').textContent.replace(/[\u00ad\u200b\u2060]/g, '');
  if (!shown.endsWith('…')) return [];
  const plain = (text) => text.replace(/(https?:\\/\\/)?www\\.|https?:\\/\\//gi, '');
  const full = plain(piece.getAttribute('title') || '');
  const kept = plain(shown.slice(0, -1));
  if (!full.startsWith(kept)) return [shown];
  const next = full.charAt(kept.length);
  if (next === '' || /\\s/.test(next)) return [];
  const word = kept.split(/\\s/).pop() + full.slice(kept.length).split(/\\s/)[0];
  const address = /^[\\w-]+(\\.[\\w-]+)+(\\/|$)/i.test(word);
  return address && /[/.?&=#_-]$/.test(kept) && kept.split(/\\s/).pop().length > 4 ? [] : [shown];
})
"""

#: the texts of pieces on screen whose «…» sits alone on the line under their last word (only a
#: first word that fills its line alone may leave it there)
LONE_ELLIPSIS = """
() => [...document.querySelectorAll('.board-stage .piece-body')].flatMap((node) => {
  const text = node.firstChild;
  if (!text || text.nodeType !== 3 || !text.textContent.endsWith('…')) return [];
  const top = (i) => {
    const range = document.createRange();
    range.setStart(text, i);
    range.setEnd(text, i + 1);
    const rect = [...range.getClientRects()].filter((r) => r.width > 0).pop();
    return rect ? Math.round(rect.top) : null;
  };
  const shown = text.textContent;
  let i = shown.length - 2;
  while (i >= 0 && (/[\\s\\u00ad\\u200b\\u2060]/.test(shown[i]) || top(i) === null)) i -= 1;
  if (i < 0 || top(i) === top(shown.length - 1)) return [];
  const words = shown.slice(0, i + 1).split(/\\s+/).filter(Boolean);
  return words.length > 1 ? [shown] : [];
})
"""

#: words of the pieces on screen laid out over two lines (broken inside the word) other than
#: at a break the board added: a soft hyphen (U+00AD, drawn as «-» at the line's end) between
#: syllables, or U+200B after an address's «/»
WORDS_BROKEN = """
() => [...document.querySelectorAll('.board-stage .piece-body, .board-stage .piece-label')].flatMap((node) => {
  const text = node.lastChild && node.lastChild.nodeType === 3 ? node.lastChild : node.firstChild;
  if (!text || text.nodeType !== 3) return [];
  const broken = [];
  const re = /\\S+/g;
  const top = (i) => {
    const range = document.createRange();
    range.setStart(text, i);
    range.setEnd(text, i + 1);
    // the last box: a letter right after a line's hyphen also reports the hyphen's box
    const rect = [...range.getClientRects()].filter((r) => r.width > 0).pop();
    return rect ? Math.round(rect.top) : null;
  };
  let match = re.exec(text.textContent);
  while (match) {
    let last = null, between = '';
    for (let i = match.index; i < match.index + match[0].length; i++) {
      const c = text.textContent[i];
      const t = /[\\u00ad\\u200b]/.test(c) ? null : top(i);
      if (t === null) { between += c; continue; }
      if (last !== null && t !== last && !/[\\u00ad\\u200b]/.test(between)) {
        broken.push(match[0].replace(/[\\u00ad\\u200b]/g, '')); break;
      }
      last = t; between = '';
    }
    match = re.exec(text.textContent);
  }
  return broken;
})
"""

#: badges, titles and labels of the board cut by their block or the window: each one's box
#: must lie inside its block (a whole-puzzle block's text box, a mesa's region, a piece's text)
#: and inside the viewport, and its own text must not overflow it
CLIPPED = """
() => {
  const SELECTORS = ['.whole-badge', '.whole-title', '.whole-speaker', '.whole-caption', '.whole-count',
    '.whole-need', '.region-badge', '.region-speaker', '.region-title', '.table-label', '.piece-label',
    '.board-head h1', '.board-assembly', '.board-mode-text', '.board-page-text', '.board-clock .clock-widget',
    '.legend li', '.board-agreement', '.board-qr', '.board-connection', '.strip-button'];
  const CONTAINERS = '.whole-text, .region, .piece-text, .board-head, .board-foot, .board-progress';
  const out = [];
  for (const node of document.querySelectorAll(SELECTORS.join(','))) {
    if (!node.getClientRects().length || !node.textContent.trim()) continue;
    const style = getComputedStyle(node);
    if (style.visibility === 'hidden') continue;
    const r = node.getBoundingClientRect();
    let box = node.parentElement.closest(CONTAINERS);
    if (box && getComputedStyle(box).display === 'contents') box = null;  // its parts are the board's cells
    const c = box ? box.getBoundingClientRect() : { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
    const name = `${node.className} «${node.textContent.trim().slice(0, 40)}»`;
    if (r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1 || r.bottom > c.bottom + 1)
      out.push(`${name} leaves its block`);
    if (r.left < -1 || r.top < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1)
      out.push(`${name} leaves the window`);
    if (node.scrollWidth > node.clientWidth + 1 && style.textOverflow !== 'ellipsis')
      out.push(`${name} overflows itself`);
  }
  return out;
}
"""


def settled_clipped(page, timeout_ms: float = 5000) -> list:
    """:data:`CLIPPED` once the board has settled: a text found cut is checked again on each
    frame until none is (a page relaid in the next frame is not what the room sees), and
    what is still cut after ``timeout_ms`` is returned. A board that stays cut fails."""
    first = page.evaluate(CLIPPED)
    if not first:
        return []
    try:
        page.wait_for_function(f"() => ({CLIPPED.strip()})().length === 0", timeout=timeout_ms)
    except PlaywrightTimeout:
        return page.evaluate(CLIPPED)
    warnings.warn(f"cut for a moment, then whole: {first}", stacklevel=2)
    return []

"""What the board's browser tests and benchmark read off the page (JS run by Playwright)."""

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

#: texts of pieces on screen cut inside a word (the visible text must end at a word end)
CUT_MID_WORD = """
() => [...document.querySelectorAll('.board-stage .piece')].flatMap((piece) => {
  const shown = piece.querySelector('.piece-body').textContent;
  const full = piece.getAttribute('title') || '';
  if (!shown.endsWith('…')) return [];
  const kept = shown.slice(0, -1);
  const next = full.charAt(kept.length);
  return full.startsWith(kept) && (next === '' || /\\s/.test(next)) ? [] : [shown];
})
"""

#: words of the pieces on screen laid out over two lines (broken inside the word)
WORDS_BROKEN = """
() => [...document.querySelectorAll('.board-stage .piece-body, .board-stage .piece-label')].flatMap((node) => {
  const text = node.lastChild && node.lastChild.nodeType === 3 ? node.lastChild : node.firstChild;
  if (!text || text.nodeType !== 3) return [];
  const broken = [];
  const re = /\\S+/g;
  let match = re.exec(text.textContent);
  while (match) {
    const range = document.createRange();
    range.setStart(text, match.index);
    range.setEnd(text, match.index + match[0].length);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (tops.size > 1) broken.push(match[0]);
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
    const box = node.parentElement.closest(CONTAINERS);
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

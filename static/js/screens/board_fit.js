// The board's text fitting: the largest font that fits each piece, in batched passes (one
// layout per pass, never one per piece), then shorter texts when even the smallest is too big.

export /** Largest font that fits for every box, in batched passes (one layout per pass). */
function fitTexts(items) {
  if (items.length === 0) return;
  for (const item of items) {
    item.text.textContent = item.full;
    item.box.classList.remove("is-tight", "is-bare", "is-cut");
  }
  const fits = (item) =>
    item.box.scrollHeight <= item.box.clientHeight + 1 &&
    item.box.scrollWidth <= item.box.clientWidth + 1;
  for (const item of items) item.box.style.fontSize = `${item.hi}px`;
  let pending = items.filter((item) => !fits(item));
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
  for (const item of pending) item.box.style.fontSize = `${Math.floor(item.lo * 2) / 2}px`;
  // Still too long at the smallest size: cut the text with an ellipsis (the zoom shows all).
  // The plan's "what" comes first: when too little of it would show, the who/when line
  // goes on one line, then away (the zoom and the printed agenda show it).
  const stages = ["is-tight", "is-bare"];
  let left = pending.filter((item) => !fits(item));
  for (let i = 0; left.length; i += 1) {
    cutToFit(left, fits);
    left = left.filter((item) => !fits(item) || item.min < Math.min(14, item.full.length));
    if (i === stages.length) break;
    for (const item of left) item.box.classList.add(stages[i]);
  }
  for (const item of left) if (!fits(item)) item.box.classList.add("is-cut");
}

function cutToFit(cut, fits) {
  for (const item of cut) {
    item.min = 0;
    item.max = item.full.length;
  }
  for (let pass = 0; pass < 11 && cut.length; pass += 1) {
    for (const item of cut) {
      item.n = Math.floor((item.min + item.max + 1) / 2);
      item.text.textContent = `${item.full.slice(0, item.n).trimEnd()}…`;
    }
    for (const item of cut) {
      if (fits(item)) item.min = item.n;
      else item.max = item.n - 1;
    }
  }
  for (const item of cut) item.text.textContent = `${item.full.slice(0, item.min).trimEnd()}…`;
  return cut.filter((item) => !fits(item));
}

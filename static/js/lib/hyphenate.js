// Spanish hyphenation for words too long for their line (the board's pieces: a 22-letter
// «interinstitucionalidad» at 28 px is wider than a piece). Pure functions, no DOM.
//
// Headless Chromium has no hyphenation dictionary, so CSS `hyphens: auto` does nothing there;
// instead the board inserts soft hyphens (U+00AD, shown as «-» only where the line breaks) at
// the syllable boundaries of the words that do not fit, and breaks an address after its «/».
// The syllables follow the RAE's rules: one consonant goes with the next vowel (ca-sa), two
// split (ar-ca) unless they are an onset that cannot split (pr, bl, tr, ch, ll, rr…: ca-bra),
// three or four leave the last two with the vowel when they are such an onset (ins-truc-ción);
// vowels stay together in a diphthong (cie-lo, ciu-dad) and part in a hiatus (le-er, pa-ís),
// but a line never breaks between two vowels, nor leaves fewer than two letters on a side.

export const SOFT_HYPHEN = "\u00ad";
export const BREAK = "\u200b"; // a break without a hyphen (after the «/» of an address)

const VOWEL = /[aeiouáéíóúüy]/;
const STRONG = /[aeoáéíóú]/; // í and ú too: an accented weak vowel forms a hiatus (pa-ís)
const ONSET = new Set(["pr", "br", "tr", "dr", "cr", "kr", "gr", "fr", "pl", "bl", "cl", "kl", "gl", "fl", "ch", "ll", "rr"]);
const LETTER = /[a-záéíóúüñ]/i;

function isVowel(word, i) {
  const c = word[i];
  if (!c || !VOWEL.test(c)) return false;
  if (c !== "y") return true;
  return !VOWEL.test(word[i + 1] || "") || i === word.length - 1; // «y» before a vowel is a consonant
}

/** Whether two vowels side by side are one syllable (a diphthong): not two strong ones. */
function together(a, b) {
  return !(STRONG.test(a) && STRONG.test(b));
}

/** The offsets (1…length-1) where ``word`` (letters only) splits into syllables. */
export function syllableBreaks(word) {
  const w = word.toLowerCase();
  const breaks = [];
  let i = 0;
  // the nucleus: a run of vowels, split at its hiatuses (never a place to break a line)
  const nucleusEnd = (start) => {
    let j = start + 1;
    while (j < w.length && isVowel(w, j) && together(w[j - 1], w[j])) j += 1;
    return j;
  };
  while (i < w.length && !isVowel(w, i)) i += 1;
  while (i < w.length) {
    const end = nucleusEnd(i);
    if (end < w.length && isVowel(w, end)) {
      i = end; // a hiatus: a new syllable starts at the next vowel, no break there
      continue;
    }
    let next = end;
    while (next < w.length && !isVowel(w, next)) next += 1;
    if (next >= w.length) break; // the last syllable keeps every final consonant
    const run = w.slice(end, next); // «h» counts as a consonant (pro-hi-bir, des-ha-cer)
    const n = run.length;
    // consonants that stay with the syllable before: none of one, else all but the last one
    // or two (when those two are an onset that cannot split)
    const cut = n <= 1 ? 0 : ONSET.has(run.slice(n - 2)) ? n - 2 : n - 1;
    breaks.push(end + cut);
    i = next;
  }
  return breaks.filter((b) => b > 0 && b < w.length);
}

/** ``word`` with a soft hyphen at each syllable boundary that leaves two letters a side. */
export function hyphenateWord(word, { minLeft = 2, minRight = 2 } = {}) {
  // only the letters' runs (a word may carry punctuation or digits: «interinstitucional,»)
  return word.replace(/[a-záéíóúüñ]+/gi, (run) => {
    const out = [];
    let last = 0;
    for (const at of syllableBreaks(run)) {
      if (at < minLeft || run.length - at < minRight) continue;
      out.push(run.slice(last, at));
      last = at;
    }
    out.push(run.slice(last));
    return out.join(SOFT_HYPHEN);
  });
}

/** Whether a token is an address (broken after its «/», «.», «?», «&», «=» without a hyphen). */
export function isAddress(token) {
  return /^(https?:\/\/|www\.)/i.test(token) || /^[\w.-]+\.[a-z]{2,}\/\S*/i.test(token);
}

/**
 * An address with a break opportunity after each of its separators; a part of it that
 * ``tooLong`` says is too wide for a line with an ellipsis after it («unidadsolidaria.…» in a
 * piece: the address may be cut there) also breaks between its syllables, with no hyphen
 * either (an address has none to add).
 */
export function breakAddress(token, tooLong = () => false) {
  return token.replace(/[^/.?&=#_-]*[/.?&=#_-]*/g, (part, at) => {
    if (!part) return part;
    const inner = tooLong(`${part}…`) ? hyphenateWord(part).replaceAll(SOFT_HYPHEN, BREAK) : part;
    return at + part.length < token.length && /[/.?&=#_-]$/.test(part) ? `${inner}${BREAK}` : inner;
  });
}

/** An address's scheme and «www.» (with their breaks): a cut text shows its address without. */
export const SCHEME = /(https?:\/\/\u200b?)?www\.\u200b?|https?:\/\/\u200b?/gi;

/**
 * Where an address (``token``, perhaps with break marks) may be cut short: after each run of
 * separators of its host and path, never inside its scheme and «www.», nor at its end.
 */
export function addressCuts(token) {
  const start = /^(https?:\/\/\u200b?)?(www\.\u200b?)?/i.exec(token)[0].length;
  const cuts = [];
  for (const match of token.matchAll(/[/.?&=#_-]+\u200b?/g)) {
    const at = match.index + match[0].length;
    if (at > start && at < token.length) cuts.push(at);
  }
  return cuts;
}

/**
 * ``text`` with break opportunities in the words ``tooLong(word)`` says do not fit on a line:
 * syllables for words, separators for addresses; every other word is left as it is.
 */
export function breakLongWords(text, tooLong) {
  return String(text).replace(/\S+/g, (token) => {
    if (!LETTER.test(token) || !tooLong(token)) return token;
    return isAddress(token) ? breakAddress(token, tooLong) : hyphenateWord(token);
  });
}

/** ``text`` without the break opportunities this module adds. */
export function unbroken(text) {
  return String(text).replaceAll(SOFT_HYPHEN, "").replaceAll(BREAK, "");
}

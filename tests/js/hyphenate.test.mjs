// Spanish syllable hyphenation for the board's over-long words (static/js/lib/hyphenate.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { BREAK, SCHEME, SOFT_HYPHEN, addressCuts, breakLongWords, hyphenateWord, isAddress, unbroken } from "../../static/js/lib/hyphenate.js";

const shown = (word) => hyphenateWord(word).replaceAll(SOFT_HYPHEN, "-");

test("long Spanish words break at their syllables", () => {
  assert.equal(shown("interinstitucionalidad"), "in-te-rins-ti-tu-cio-na-li-dad");
  assert.equal(shown("desconcentradamente"), "des-con-cen-tra-da-men-te");
  assert.equal(shown("constitucionalmente"), "cons-ti-tu-cio-nal-men-te");
  assert.equal(shown("industrialización"), "in-dus-tria-li-za-ción");
  assert.equal(shown("instrucción"), "ins-truc-ción");
  assert.equal(shown("obstáculo"), "obs-tá-cu-lo");
});

test("onsets that cannot split stay with their vowel; digraphs are never split", () => {
  assert.equal(shown("cooperativas"), "coo-pe-ra-ti-vas"); // never between two vowels
  assert.equal(shown("recicladores"), "re-ci-cla-do-res");
  assert.equal(shown("desarrollo"), "de-sa-rro-llo");
  assert.equal(shown("muchachos"), "mu-cha-chos");
  assert.equal(shown("comprometidos"), "com-pro-me-ti-dos");
  assert.equal(shown("Atlántico"), "At-lán-ti-co");
  assert.equal(shown("prohibición"), "pro-hi-bi-ción");
  assert.equal(shown("pingüinos"), "pin-güi-nos");
});

test("diphthongs stay whole, a hiatus is not a place to break, two letters a side", () => {
  assert.equal(shown("ciudadanía"), "ciu-da-da-nía");
  assert.equal(shown("poetas"), "poe-tas");
  assert.equal(shown("país"), "país");
  assert.equal(shown("aéreo"), "aé-reo"); // a-é-re-o: only the consonant is a place to break
  assert.equal(shown("abuela"), "abue-la"); // not «a-bue-la»: one letter would be left alone
  assert.equal(shown("reyes"), "re-yes");
  assert.equal(shown("ESPECIALIZACIÓN"), "ES-PE-CIA-LI-ZA-CIÓN");
});

test("punctuation and digits stay where they are; unbroken() undoes it", () => {
  assert.equal(shown("«interinstitucionalidad»,"), "«in-te-rins-ti-tu-cio-na-li-dad»,");
  const text = "La interinstitucionalidad del 2025-T1";
  const broken = breakLongWords(text, (word) => word.length > 12);
  assert.equal(broken.split(" ")[0], "La");
  assert.ok(broken.includes(SOFT_HYPHEN));
  assert.equal(unbroken(broken), text);
});

test("only the words that do not fit are touched; an address breaks after its separators", () => {
  const text = "Inscripciones en https://www.unidadsolidaria.gov.co/convocatorias/asambleas2026 hasta marzo";
  const broken = breakLongWords(text, (word) => word.length > 20);
  assert.ok(isAddress("https://www.unidadsolidaria.gov.co/convocatorias"));
  assert.ok(!isAddress("interinstitucionalidad"));
  const address = broken.split(" ")[2];
  assert.ok(!address.includes(SOFT_HYPHEN)); // no hyphen is ever added to an address
  assert.equal(address, ["https://", "www.", "unidadsolidaria.", "gov.", "co/", "convocatorias/", "asambleas2026"].join(BREAK));
  assert.deepEqual(broken.split(" ").filter((w) => w !== address), ["Inscripciones", "en", "hasta", "marzo"]);
  assert.equal(unbroken(broken), text);
  // a part of it still too wide for a line breaks between its syllables, with no hyphen either
  const narrow = breakLongWords("https://www.unidadsolidaria.gov.co/", (word) => word.length > 12);
  assert.equal(narrow, ["https://", "www.", "uni", "dad", "so", "li", "da", "ria.", "gov.", "co/"].join(BREAK));
});

test("an address may be cut short after a separator of its host or path, not in its scheme", () => {
  const url = "https://www.unidadsolidaria.gov.co/convocatorias/asambleas2026";
  const cuts = addressCuts(url).map((at) => url.slice(0, at));
  assert.deepEqual(cuts, [
    "https://www.unidadsolidaria.",
    "https://www.unidadsolidaria.gov.",
    "https://www.unidadsolidaria.gov.co/",
    "https://www.unidadsolidaria.gov.co/convocatorias/",
  ]);
  // with the break marks the board adds, the cuts fall after them (no mark left at a line end)
  const broken = breakLongWords(url, () => true);
  const marked = addressCuts(broken).map((at) => unbroken(broken.slice(0, at)));
  assert.deepEqual(marked, cuts);
  assert.ok(addressCuts(broken).every((at) => broken[at - 1] === BREAK));
  assert.deepEqual(addressCuts("http://x.org"), ["http://x.".length]);
  assert.equal(`Ver ${url.slice(0, 35)}`.replace(SCHEME, ""), "Ver unidadsolidaria.gov.co/");
  assert.equal(unbroken(broken.replace(SCHEME, "")), "unidadsolidaria.gov.co/convocatorias/asambleas2026");
  assert.equal("de http://x.org/a y www.y.co/b".replace(SCHEME, ""), "de x.org/a y y.co/b");
});

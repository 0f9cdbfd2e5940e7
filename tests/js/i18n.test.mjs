import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { setCatalog, t, tn } from "../../static/js/shared/i18n.js";

afterEach(() => setCatalog({}, "es"));

test("without a catalog the Spanish text is the message, with its placeholders filled", () => {
  assert.equal(t("Sin conexión"), "Sin conexión");
  assert.equal(t("Mesa {n}", { n: 3 }), "Mesa 3");
  assert.equal(t("{a} y {b}", { a: 1 }), "1 y {b}"); // an unknown name stays visible
});

test("the catalog translates and keeps the placeholders", () => {
  setCatalog({ "Mesa {n}": "Table {n}", "Vacío": "" }, "en");
  assert.equal(t("Mesa {n}", { n: 3 }), "Table 3");
  assert.equal(t("Vacío"), "Vacío"); // an empty translation falls back to the message
  assert.equal(t("No traducido"), "No traducido");
});

test("tn picks the plural form of the page's language", () => {
  assert.equal(tn("{n} pieza", "{n} piezas", 1), "1 pieza");
  assert.equal(tn("{n} pieza", "{n} piezas", 0), "0 piezas");
  setCatalog({ "{n} pieza": ["{n} piece", "{n} pieces"] }, "en");
  assert.equal(tn("{n} pieza", "{n} piezas", 1), "1 piece");
  assert.equal(tn("{n} pieza", "{n} piezas", 2, { extra: "x" }), "2 pieces");
});

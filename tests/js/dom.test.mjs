import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { el, setText, svg } from "../../static/js/shared/dom.js";
import { FakeElement, installDocument } from "./fake_dom.mjs";

beforeEach(() => installDocument());

test("el sets classes, text, attributes and skips false and null", () => {
  const node = el("button", { class: "button small", type: "button", "data-edit": 0, disabled: true, hidden: false, title: null, text: "Editar" });
  assert.equal(node.tagName, "BUTTON");
  assert.equal(node.getAttribute("class"), "button small");
  assert.equal(node.getAttribute("data-edit"), "0");
  assert.equal(node.getAttribute("disabled"), "");
  assert.equal(node.hasAttribute("hidden"), false);
  assert.equal(node.hasAttribute("title"), false);
  assert.equal(node.textContent, "Editar");
});

test("el appends children, strings and nested arrays, skipping null and false", () => {
  const node = el("p", {}, "a ", null, el("b", { text: "b" }), false, [" c", [" d"]]);
  assert.equal(node.textContent, "a b c d");
  assert.equal(node.children.length, 4);
});

test("el sets styles through the CSSOM, never a style attribute (the CSP forbids it)", () => {
  const node = el("span", { style: { width: "40%" } });
  assert.equal(node.style.width, "40%");
  assert.equal(node.hasAttribute("style"), false);
});

test("el adds listeners for on* functions", () => {
  let clicked = 0;
  const node = el("li", { onclick: () => (clicked += 1) });
  node.dispatch("click");
  assert.equal(clicked, 1);
  assert.equal(node.hasAttribute("onclick"), false);
});

test("svg makes SVG elements with the same arguments", () => {
  const node = svg("rect", { x: 1, class: "bar" }, svg("title", { text: "08:00: 3" }));
  assert.equal(node.namespaceURI, "http://www.w3.org/2000/svg");
  assert.equal(node.getAttribute("x"), "1");
  assert.equal(node.textContent, "08:00: 3");
});

test("setText only writes a changed text", () => {
  const node = new FakeElement("p");
  let writes = 0;
  Object.defineProperty(node, "textContent", {
    get: () => node._value ?? "",
    set: (value) => {
      writes += 1;
      node._value = value;
    },
  });
  setText(node, "uno");
  setText(node, "uno");
  setText(node, 2);
  assert.equal(writes, 2);
  assert.equal(node.textContent, "2");
});

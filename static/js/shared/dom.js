// DOM helpers shared by every screen.
//
//   el("button", { class: "button", type: "button", "data-edit": id, text: t("Editar") })
//   el("p", { class: "hint" }, "text", el("strong", { text: "bold" }), null)   // null skipped
//   el("div", { style: { width: "40%" } })   // styles through the CSSOM (the CSP forbids style="")
//   el("li", { onclick: () => … })           // listeners, never inline handlers

const SVG_NS = "http://www.w3.org/2000/svg";

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value == null) continue;
    if (name === "class") node.setAttribute("class", value);
    else if (name === "text") node.textContent = value;
    else if (name === "style") Object.assign(node.style, value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.flat(Infinity).filter((child) => child != null && child !== false));
  return node;
}

/** A new element: ``attrs`` as above, then children (nodes or strings; null/false skipped). */
export function el(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** A new SVG element, same arguments as el(). */
export function svg(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** The first match of ``selector`` inside ``root`` (the document by default). */
export function $(selector, root = document) {
  return root.querySelector(selector);
}

/** Every match of ``selector`` inside ``root``, as an array. */
export function $$(selector, root = document) {
  return [...root.querySelectorAll(selector)];
}

/** Set a node's text only when it changes (no needless layout or screen-reader chatter). */
export function setText(node, text) {
  const value = text == null ? "" : String(text);
  if (node && node.textContent !== value) node.textContent = value;
}

/** The JSON a template put in <script type="application/json" id="…"> (null when absent). */
export function readJson(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

// Just enough of a DOM for the shared modules' tests (Node has none): elements with
// attributes, children, text, style, dataset, listeners, and querySelector("[data-x]").
export class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.children = [];
    this.listeners = {};
    this.style = {};
    this.dataset = {};
    this._text = "";
  }
  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }
  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }
  removeAttribute(name) {
    this.attributes.delete(name);
  }
  hasAttribute(name) {
    return this.attributes.has(name);
  }
  append(...nodes) {
    for (const node of nodes) this.children.push(typeof node === "string" ? { text: node } : node);
  }
  addEventListener(type, listener) {
    (this.listeners[type] ||= []).push(listener);
  }
  dispatch(type, event = {}) {
    for (const listener of this.listeners[type] || []) listener(event);
  }
  get textContent() {
    return this._text + this.children.map((c) => (c instanceof FakeElement ? c.textContent : c.text)).join("");
  }
  set textContent(value) {
    this._text = String(value);
    this.children = [];
  }
  get classList() {
    const element = this;
    const names = () => new Set((element.getAttribute("class") || "").split(" ").filter(Boolean));
    return {
      toggle(name, on) {
        const set = names();
        if (on ?? !set.has(name)) set.add(name);
        else set.delete(name);
        element.setAttribute("class", [...set].join(" "));
      },
      contains: (name) => names().has(name),
    };
  }
  querySelector(selector) {
    const match = /^\[([\w-]+)\]$/.exec(selector);
    for (const child of this.children) {
      if (!(child instanceof FakeElement)) continue;
      if (match && child.hasAttribute(match[1])) return child;
      const deeper = child.querySelector(selector);
      if (deeper) return deeper;
    }
    return null;
  }
}

export function installDocument() {
  globalThis.document = {
    createElement: (tag) => new FakeElement(tag),
    createElementNS: (ns, tag) => Object.assign(new FakeElement(tag), { namespaceURI: ns }),
    documentElement: { lang: "es" },
    visibilityState: "visible",
    addEventListener() {},
    removeEventListener() {},
  };
  return globalThis.document;
}

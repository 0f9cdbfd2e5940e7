// Translated strings for the screens, from the Babel catalog of the page's language.
//
//   import { t, tn } from "../shared/i18n.js";
//   t("Sin conexión")                          -> "Offline" on an English page
//   t("Mesa {n}", { n: 3 })                    -> "Table 3"
//   tn("{n} pieza", "{n} piezas", count)       -> plural by the page's language ({n} = count)
//
// The Spanish text is the message id (as in the templates' _()). `pybabel extract` finds every
// t()/tn() call (babel.cfg: [javascript: static/js/**.js], keywords t and tn:1,2); the server
// builds each screen's catalog from the compiled translations (assembly/core/js_modules.py) and
// the page's entry module hands it to start(), which sets it before any screen's init() runs.
// So: call t() while running, never at import time, and give it a literal (extraction reads
// the source).
//
// The entry (/static/<release>/boot/<lang>/<names>.js, made by js_modules.py), imported by
// {{ screens("table", "shell") }} after modulepreload links for the screens' modules:
//
//   import { start } from "../../js/shared/i18n.js";
//   import * as screen0 from "../../js/screens/table.js";
//   start([["table", screen0]], { "Guardar": "Save", … }, "en");
//
// (start lives here, not in a boot module of its own: one request fewer on every page.)

let catalog = {};
let plural = new Intl.PluralRules("es");

/** Use ``messages`` ({msgid: translation | [singular, plural, ...]}) from now on. */
export function setCatalog(messages, language = globalThis.document?.documentElement?.lang) {
  catalog = messages || {};
  plural = new Intl.PluralRules(language || "es");
}

/** Set the catalog, then run every screen's init(); one that fails does not stop the others. */
export function start(screens, messages = {}, language = "es") {
  setCatalog(messages, language);
  for (const [name, screen] of screens) {
    try {
      screen.init();
    } catch (error) {
      console.error(`screen ${name} failed to start`, error);
    }
  }
}

/** The page's language ("es", "en"). */
export function language() {
  return globalThis.document?.documentElement?.lang || "es";
}

function fill(text, params) {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** ``message`` in the page's language, with ``{name}`` placeholders filled from ``params``. */
export function t(message, params) {
  const found = catalog[message];
  return fill(typeof found === "string" && found ? found : message, params);
}

/** The form of ``singular``/``plural`` for ``n`` (languages with two forms: one, other). */
export function tn(singular, pluralText, n, params = {}) {
  const forms = catalog[singular];
  const other = plural.select(n) !== "one";
  let text = other ? pluralText : singular;
  if (Array.isArray(forms) && forms[other ? 1 : 0]) text = forms[other ? 1 : 0];
  return fill(text, { n, ...params });
}

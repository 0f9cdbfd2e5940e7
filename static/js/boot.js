// Starts the page's screens. Templates end with {{ screens("name", …) }}, which renders
// modulepreload links for the screens' modules and the page's entry module
// (/static/<release>/boot/<lang>/<names>.js, made by assembly/core/js_modules.py):
//
//   import { start } from "../../js/boot.js";
//   import * as screen0 from "../../js/screens/table.js";
//   start([["table", screen0]], { "Guardar": "Save", … }, "en");
//
// Each screen module exports init() and does nothing at import; the catalog (empty on Spanish
// pages) holds the screens' translated strings (shared/i18n.js) and is set before any init().
import { setCatalog } from "./shared/i18n.js";

/** Set the catalog, then run every screen's init(); one that fails does not stop the others. */
export function start(screens, catalog = {}, language = "es") {
  setCatalog(catalog, language);
  for (const [name, screen] of screens) {
    try {
      screen.init();
    } catch (error) {
      console.error(`screen ${name} failed to start`, error);
    }
  }
}

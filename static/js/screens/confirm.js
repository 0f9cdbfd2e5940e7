// Forms marked data-confirm ask before they send (deletions); the question is the attribute.
import { $$ } from "../shared/dom.js";

export function init() {
  for (const form of $$("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
}

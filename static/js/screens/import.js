// Import steps: show progress while a big list uploads and while the server reads it.
import { $$ } from "../shared/dom.js";
import { t } from "../shared/i18n.js";

export function init() {
  for (const form of $$("form[data-busy]")) {
    const box = form.querySelector(".progress-box");
    const bar = box?.querySelector("progress");
    const label = box?.querySelector(".progress-label");
    const button = form.querySelector("button[type=submit]");
    const fileInput = form.querySelector("input[type=file]");

    form.addEventListener("submit", (event) => {
      if (box) box.hidden = false;
      button?.setAttribute("aria-busy", "true");
      if (!fileInput || !window.XMLHttpRequest || !fileInput.files.length) return; // a plain submit
      // Upload through XHR to report the bytes sent; the server answers with a redirect.
      event.preventDefault();
      const request = new XMLHttpRequest();
      request.open("POST", form.action || location.href);
      request.upload.addEventListener("progress", (progress) => {
        if (!progress.lengthComputable) return;
        const percent = Math.round((progress.loaded / progress.total) * 100);
        bar.value = percent;
        label.textContent = t("Subiendo… {percent} %", { percent });
      });
      request.upload.addEventListener("load", () => {
        bar.removeAttribute("value"); // indeterminate while the server reads the rows
        label.textContent = t("Leyendo la lista…");
      });
      request.addEventListener("load", () => {
        if (request.status < 400 && request.responseURL && request.responseURL !== location.href) {
          location.assign(request.responseURL);
          return;
        }
        document.open();
        document.write(request.responseText); // the page with the error message
        document.close();
      });
      request.addEventListener("error", () => {
        label.textContent = t("No se pudo subir el archivo: revise la conexión e intente de nuevo.");
        button?.removeAttribute("aria-busy");
      });
      request.send(new FormData(form));
    });
  }
}

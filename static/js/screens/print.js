// Print buttons ([data-print]): wait for every image (QR codes) before opening the dialog.
import { $$ } from "../shared/dom.js";

export function init() {
  for (const button of $$("[data-print]")) {
    button.addEventListener("click", async () => {
      await Promise.all([...document.images].map((image) => image.decode().catch(() => null)));
      window.print();
    });
  }
}

// The survey's console (/assemblies/<id>/encuesta): the results block is fetched again
// (the server's own partial) whenever an answer arrives or the survey opens or closes.
import { connect } from "../shared/socket.js";

export function init() {
  const root = document.querySelector("[data-survey-console]");
  if (!root) return;
  const results = root.querySelector("[data-survey-results]");
  const assemblyId = Number(root.dataset.assemblyId);
  let controller = null;

  async function refresh() {
    controller?.abort();
    controller = new AbortController();
    try {
      const response = await fetch(root.dataset.partialUrl, {
        signal: controller.signal,
        headers: { Accept: "text/html" },
      });
      if (!response.ok) return;
      results.innerHTML = await response.text(); // the server's own partial template
      root.dataset.refreshed = String(Number(root.dataset.refreshed || 0) + 1);
    } catch (error) {
      if (error.name !== "AbortError") console.warn("survey refresh failed", error);
    }
  }

  const conn = connect({ assemblyId });
  conn.join("join_assembly", { assembly_id: assemblyId }, () => {
    if (root.dataset.live === "joined") refresh(); // back after a cut: answers may have come
    root.dataset.live = "joined"; // tests wait for it
  });
  conn.on("survey_changed", (event) => {
    if (event.assembly_id === assemblyId) refresh();
  });
}

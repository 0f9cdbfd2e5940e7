// The survey's console (/assemblies/<id>/encuesta, and its panel on the plenary console): the
// results block is fetched again (the server's own partial) whenever an answer arrives or the
// survey opens or closes. While it is open, «Mostrar QR en grande» / «Ocultar el QR grande»
// shows its QR full height on every board screen (socket survey_qr); the button reads the
// board's choice from the survey's state (GET data-state-url → {state, big}) on every
// (re)connect and change.
import { t } from "../shared/i18n.js";
import { getJson } from "../shared/net.js";
import { pageConnection } from "../shared/socket.js";

export function init() {
  const root = document.querySelector("[data-survey-console]");
  if (!root) return;
  const results = root.querySelector("[data-survey-results]");
  const qrBox = root.querySelector("[data-survey-qr-box]");
  const qrButton = root.querySelector("[data-survey-qr]");
  const qrStatus = root.querySelector("[data-survey-qr-status]");
  const assemblyId = Number(root.dataset.assemblyId);
  let controller = null;
  let big = false;
  let shownOpen = null; // whether the QR shows the survey open, as last shown

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

  function showQr(open, isBig) {
    shownOpen = open;
    big = Boolean(isBig);
    qrBox.hidden = !open;
    qrButton.textContent = big ? t("Ocultar el QR grande") : t("Mostrar QR en grande");
    qrButton.setAttribute("aria-pressed", String(big));
    root.dataset.qrBig = String(big); // tests wait for it
  }

  async function readQr() {
    if (!qrBox) return;
    try {
      const answer = await getJson(root.dataset.stateUrl);
      showQr(answer.state === "abierta", answer.big);
    } catch (error) {
      console.warn("survey state unavailable", error); // the button keeps what it showed
    }
  }

  const conn = pageConnection({ assemblyId }); // the plenary console's socket, if it has one
  conn.join("join_assembly", { assembly_id: assemblyId }, () => {
    if (root.dataset.live === "joined") refresh(); // back after a cut: answers may have come
    readQr();
    root.dataset.live = "joined"; // tests wait for it
  });
  conn.on("survey_changed", (event) => {
    if (event.assembly_id !== assemblyId) return;
    refresh();
    // the event says the QR's size when it changed it; an answer changes neither it nor the
    // survey's state, so it asks nothing more
    if (qrBox && typeof event.big === "boolean") showQr(event.state === "abierta", event.big);
    else if ((event.state === "abierta") !== shownOpen) readQr();
  });
  qrButton?.addEventListener("click", async () => {
    qrButton.setAttribute("aria-busy", "true");
    const answer = await conn.request("survey_qr", { assembly_id: assemblyId, shown: !big });
    qrButton.removeAttribute("aria-busy");
    if (answer.ok) showQr(true, answer.big);
    qrStatus.textContent = !answer.ok
      ? answer.error
      : answer.big
        ? t("El tablero muestra el código QR de la encuesta en grande.")
        : t("El código QR de la encuesta volvió a su esquina del tablero.");
  });
}

// Reports page: start an export with fetch, show progress while the server builds the file,
// then download it and add the export to the log table. Without JavaScript the form posts
// and the server answers with the file itself.
import { el } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { fetchJson } from "../shared/net.js";

export function init() {
  const form = document.getElementById("report-form");
  const progress = document.getElementById("export-progress");
  const selectAll = document.getElementById("select-all");
  if (!form) return;
  const boxes = () => [...form.querySelectorAll('input[name="assembly_ids"]')];

  if (selectAll) {
    selectAll.addEventListener("change", () => {
      for (const box of boxes()) box.checked = selectAll.checked;
    });
    form.addEventListener("change", (event) => {
      if (event.target.name === "assembly_ids") selectAll.checked = boxes().every((box) => box.checked);
    });
  }

  function show(text, kind) {
    progress.hidden = false;
    progress.dataset.state = kind;
    progress.querySelector(".export-progress-text").textContent = text;
  }

  function logRow(entry, url) {
    const body = document.getElementById("export-log-body");
    if (!body) return;
    body.querySelector(".empty-row")?.remove();
    const cells = [entry.when, entry.who, entry.report, entry.variant, entry.assemblies, String(entry.rows)];
    const row = el(
      "tr",
      { class: "fresh" },
      cells.map((text, index) => el("td", { class: index === 0 ? "time" : index === 5 ? "num" : null, text })),
      el("td", {}, el("a", { href: url, text: entry.filename })),
    );
    body.prepend(row);
  }

  async function run(button) {
    if (!boxes().some((box) => box.checked)) {
      show(t("Seleccione al menos una asamblea."), "error");
      return;
    }
    const data = new FormData(form);
    data.set("report", button.value);
    const title = button.closest("li").querySelector("strong").textContent;
    const buttons = form.querySelectorAll('button[name="report"]');
    for (const b of buttons) b.disabled = true;
    button.setAttribute("aria-busy", "true");
    const started = performance.now();
    show(t("Generando «{title}»…", { title }), "busy");
    const timer = setInterval(() => {
      const seconds = Math.round((performance.now() - started) / 1000);
      show(t("Generando «{title}»… {seconds} s", { title, seconds }), "busy");
    }, 500);
    try {
      const answer = await fetchJson(form.action, { method: "POST", body: data });
      show(
        t("Listo: {file} ({rows} filas, {seconds} s). La descarga empezó.", {
          file: answer.filename,
          rows: answer.rows,
          seconds: answer.seconds,
        }),
        "done",
      );
      logRow(answer.log, answer.url);
      window.location.assign(answer.url);
    } catch (error) {
      show(error.serverMessage || t("No se pudo generar el informe. Intente de nuevo."), "error");
    } finally {
      clearInterval(timer);
      for (const b of buttons) b.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (!button || button.name !== "report" || !window.fetch) return;
    event.preventDefault();
    run(button);
  });
}

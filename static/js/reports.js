// Reports page: start an export with fetch, show progress while the server builds the file,
// then download it and add the export to the log table. Without JavaScript the form posts
// and the server answers with the file itself.
const form = document.getElementById("report-form");
const progress = document.getElementById("export-progress");
const selectAll = document.getElementById("select-all");

function boxes() {
  return [...form.querySelectorAll('input[name="assembly_ids"]')];
}

if (selectAll && form) {
  selectAll.addEventListener("change", () => {
    for (const box of boxes()) box.checked = selectAll.checked;
  });
  form.addEventListener("change", (event) => {
    if (event.target.name === "assembly_ids") {
      selectAll.checked = boxes().every((box) => box.checked);
    }
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
  const row = document.createElement("tr");
  const cells = [entry.when, entry.who, entry.report, entry.variant, entry.assemblies, String(entry.rows)];
  for (const [index, text] of cells.entries()) {
    const cell = document.createElement("td");
    cell.textContent = text;
    if (index === 0) cell.className = "time";
    if (index === 5) cell.className = "num";
    row.append(cell);
  }
  const link = document.createElement("a");
  link.href = url;
  link.textContent = entry.filename;
  const cell = document.createElement("td");
  cell.append(link);
  row.append(cell);
  row.classList.add("fresh");
  body.prepend(row);
}

async function run(button) {
  if (!boxes().some((box) => box.checked)) {
    show("Seleccione al menos una asamblea.", "error");
    return;
  }
  const data = new FormData(form);
  data.set("report", button.value);
  const title = button.closest("li").querySelector("strong").textContent;
  const buttons = form.querySelectorAll('button[name="report"]');
  for (const b of buttons) b.disabled = true;
  button.setAttribute("aria-busy", "true");
  const started = performance.now();
  show(`Generando «${title}»…`, "busy");
  const timer = setInterval(() => {
    const seconds = Math.round((performance.now() - started) / 1000);
    show(`Generando «${title}»… ${seconds} s`, "busy");
  }, 500);
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    let answer = null;
    try {
      answer = await response.json();
    } catch {
      answer = null;
    }
    if (!response.ok || !answer || !answer.ok) {
      throw new Error(answer?.error || "No se pudo generar el informe. Intente de nuevo.");
    }
    show(`Listo: ${answer.filename} (${answer.rows} filas, ${answer.seconds} s). La descarga empezó.`, "done");
    logRow(answer.log, answer.url);
    window.location.assign(answer.url);
  } catch (error) {
    show(error.message || "No se pudo generar el informe. Intente de nuevo.", "error");
  } finally {
    clearInterval(timer);
    for (const b of buttons) b.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

form?.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (!button || button.name !== "report" || !window.fetch) return;
  event.preventDefault();
  run(button);
});

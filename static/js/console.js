// Moderator console: the clock controls, the agenda (plan / real / proyectado) and the log.
import { io } from "../vendor/socket.io/socket.io.esm.min.js";
import { mountClock } from "./clock_widget.js";

const root = document.querySelector("[data-console]");
const assemblyId = Number(root.dataset.assemblyId);
const feedback = root.querySelector("[data-feedback]");
const scheduleBody = root.querySelector("[data-schedule]");
const logList = root.querySelector("[data-log]");
const buttons = [...root.querySelectorAll("button[data-action]")];
const extendForm = root.querySelector("[data-extend-form]");
let status = "idle";
let position = null;
let rows = [];

const socket = io({ transports: ["websocket", "polling"] });

function say(message, isError = false) {
  feedback.textContent = message;
  feedback.classList.toggle("error", isError);
}

// Commands go one after the other (a key pressed while the previous command is on its
// way is sent next, never dropped); each waits for the server's acknowledgement.
let queue = Promise.resolve();
function send(action, extra = {}) {
  root.setAttribute("aria-busy", "true");
  queue = queue.then(
    () =>
      new Promise((resolve) => {
        socket.timeout(8000).emit("clock_control", { assembly_id: assemblyId, action, ...extra }, (err, ack) => {
          if (err) say("El servidor no respondió. Revise la conexión e intente de nuevo.", true);
          else if (!ack.ok) say(ack.error, true);
          else say("");
          resolve();
        });
      }),
  );
  const mine = queue;
  mine.then(() => {
    if (queue === mine) root.removeAttribute("aria-busy");
  });
}

function updateButtons() {
  const active = status === "running" || status === "paused";
  const enabled = {
    start: !active,
    pause: status === "running",
    resume: status === "paused",
    extend: active,
    back: active || status === "finished",
    next: active,
    reset: status !== "idle",
  };
  for (const button of buttons) {
    const action = button.dataset.action;
    button.disabled = !enabled[action];
    if (action === "pause") button.hidden = status === "paused";
    if (action === "resume") button.hidden = status !== "paused";
    if (action === "start") button.hidden = active;
  }
  for (const input of extendForm.elements) input.disabled = !active;
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function renderSchedule(schedule) {
  rows = schedule.rows;
  root.querySelector("[data-delay]").textContent = schedule.delay_text;
  root.querySelector("[data-delay]").dataset.late = schedule.delay_minutes >= 1 ? "yes" : "no";
  root.querySelector("[data-delay-effect]").textContent = schedule.projected_end_text
    ? `Fin previsto: ${schedule.projected_end_text} (plan ${schedule.planned_end_text})`
    : "";
  const fragment = document.createDocumentFragment();
  let lastMoment = null;
  for (const row of rows) {
    if (row.step_title && row.moment_id !== lastMoment) {
      const head = document.createElement("tr");
      head.className = "moment-head";
      const th = document.createElement("th");
      th.colSpan = 5;
      th.scope = "rowgroup";
      th.textContent = row.moment_title;
      head.append(th);
      fragment.append(head);
    }
    lastMoment = row.moment_id;
    const tr = document.createElement("tr");
    tr.className = `slot slot-${row.status}${row.step_title ? " is-step" : ""}`;
    tr.dataset.position = row.position;
    if (row.status === "current") tr.setAttribute("aria-current", "step");
    tr.append(cell(row.step_title || row.moment_title, "title"));
    tr.append(cell(row.planned_text, "time"));
    tr.append(cell(row.actual_text || (row.status === "skipped" ? "omitido" : ""), "time"));
    const projected = cell(row.status === "pending" ? row.projected_text : "", "time");
    if (row.status === "pending" && row.shift_minutes) {
      const shift = document.createElement("span");
      shift.className = row.shift_minutes > 0 ? "shift late" : "shift early";
      shift.textContent = ` ${row.shift_minutes > 0 ? "+" : ""}${row.shift_minutes} min`;
      projected.append(shift);
    }
    tr.append(projected);
    const go = document.createElement("td");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button small";
    button.dataset.jump = row.position;
    button.textContent = row.status === "current" ? "Reiniciar" : "Ir aquí";
    button.setAttribute("aria-label", `${button.textContent}: ${row.step_title || row.moment_title}`);
    go.append(button);
    tr.append(go);
    fragment.append(tr);
  }
  scheduleBody.replaceChildren(fragment);
}

function renderLog(log) {
  const fragment = document.createDocumentFragment();
  for (const entry of log) {
    const li = document.createElement("li");
    const time = document.createElement("span");
    time.className = "time";
    time.textContent = entry.time;
    li.append(time, ` ${entry.who}: ${entry.label}`);
    fragment.append(li);
  }
  if (!log.length) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = "Todavía no hay acciones.";
    fragment.append(li);
  }
  logList.replaceChildren(fragment);
}

let refreshing = null;
async function refresh() {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    try {
      const response = await fetch(root.dataset.dataUrl, { cache: "no-store" });
      if (response.ok) {
        const body = await response.json();
        renderSchedule(body.schedule);
        renderLog(body.log);
      }
    } catch {
      // Offline for a moment: the next snapshot or the periodic refresh tries again.
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

const initial = JSON.parse(document.getElementById("console-initial").textContent);
renderSchedule(initial.schedule);
renderLog(initial.log);
status = initial.schedule.status;
position = initial.schedule.position;
updateButtons();

mountClock(root.querySelector("[data-clock]"), socket, assemblyId, (snapshot) => {
  status = snapshot.status;
  position = snapshot.position;
  updateButtons();
  refresh();
});
setInterval(refresh, 30_000);
socket.on("connect_error", () => say("Sin conexión con el servidor; reintentando…", true));
socket.on("connect", () => say(""));

for (const button of buttons) {
  button.addEventListener("click", () => {
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    const extra = button.dataset.minutes ? { minutes: Number(button.dataset.minutes) } : {};
    send(button.dataset.action, extra);
  });
}

extendForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const raw = extendForm.elements.minutes.value.trim().replace(",", ".");
  const minutes = Number(raw);
  if (!raw || !Number.isFinite(minutes) || minutes <= 0) {
    say("Escriba cuántos minutos extender (por ejemplo 3).", true);
    extendForm.elements.minutes.focus();
    return;
  }
  send("extend", { minutes });
  extendForm.reset();
});

scheduleBody.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-jump]");
  if (!button) return;
  const target = Number(button.dataset.jump);
  const from = position == null ? -1 : position;
  const row = rows[target];
  const name = row.step_title ? `${row.moment_title} · ${row.step_title}` : row.moment_title;
  const far = Math.abs(target - from) > 1;
  const question =
    target === position
      ? `¿Reiniciar «${name}» desde su tiempo completo?`
      : `¿Saltar a «${name}»? Empieza ahora con su tiempo completo.`;
  if ((far || target === position) && !window.confirm(question)) return;
  send("jump", { position: target });
});

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const target = event.target;
  if (target.closest("input, textarea, select, [contenteditable]")) return;
  if (event.key === " " || event.code === "Space") {
    // Space always pauses/resumes, even on a focused button (which would otherwise be
    // pressed again: "+5 min" twice); buttons still answer Enter.
    event.preventDefault();
    if (status === "running") send("pause");
    else if (status === "paused") send("resume");
  } else if (event.key === "n" || event.key === "N") {
    event.preventDefault();
    if (status === "running" || status === "paused") send("next");
  }
});

document.addEventListener("keyup", (event) => {
  if ((event.key === " " || event.code === "Space") && !event.target.closest("input, textarea, select")) {
    event.preventDefault();
  }
});

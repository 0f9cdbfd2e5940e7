// Moderator console (/assemblies/<id>/console): the clock controls, the agenda (plan / real /
// proyectado) and the log.
import { $, $$, el, readJson } from "../shared/dom.js";
import { mountClock } from "../shared/clock.js";
import { t } from "../shared/i18n.js";
import { connect } from "../shared/socket.js";
import { mountSpeakers } from "../shared/speakers.js";

export function init() {
  const root = $("[data-console]");
  const assemblyId = Number(root.dataset.assemblyId);
  const feedback = $("[data-feedback]", root);
  const scheduleBody = $("[data-schedule]", root);
  const logList = $("[data-log]", root);
  const buttons = $$("button[data-action]", root);
  const extendForm = $("[data-extend-form]", root);
  let status = "idle";
  let position = null;
  let rows = [];

  const conn = connect({ assemblyId });

  function say(message, isError = false) {
    feedback.textContent = message;
    feedback.classList.toggle("error", isError);
  }

  // Commands go one after the other (a key pressed while the previous command is on its way is
  // sent next, never dropped); each waits for the server's acknowledgement. They are not
  // repeated on a timeout: "+5 min" sent twice would extend twice.
  let queue = Promise.resolve();
  function send(action, extra = {}) {
    root.setAttribute("aria-busy", "true");
    queue = queue.then(async () => {
      const answer = await conn.request("clock_control", { assembly_id: assemblyId, action, ...extra }, { timeout: 8000 });
      if (answer.ok) say("");
      else if (answer.code === "timeout" || answer.code === "offline") {
        say(t("El servidor no respondió. Revise la conexión e intente de nuevo."), true);
      } else say(answer.error, true);
    });
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

  function renderSchedule(schedule) {
    rows = schedule.rows;
    const delay = $("[data-delay]", root);
    delay.textContent = schedule.delay_text;
    delay.dataset.late = schedule.delay_minutes >= 1 ? "yes" : "no";
    $("[data-delay-effect]", root).textContent = schedule.projected_end_text
      ? t("Fin previsto: {projected} (plan {planned})", {
          projected: schedule.projected_end_text,
          planned: schedule.planned_end_text,
        })
      : "";
    const fragment = document.createDocumentFragment();
    let lastMoment = null;
    for (const row of rows) {
      if (row.step_title && row.moment_id !== lastMoment) {
        const th = el("th", { scope: "rowgroup", text: row.moment_title });
        th.colSpan = 5;
        fragment.append(el("tr", { class: "moment-head" }, th));
      }
      lastMoment = row.moment_id;
      const projected = el("td", { class: "time", text: row.status === "pending" ? row.projected_text : "" });
      if (row.status === "pending" && row.shift_minutes) {
        const sign = row.shift_minutes > 0 ? "+" : "";
        projected.append(
          el("span", {
            class: row.shift_minutes > 0 ? "shift late" : "shift early",
            text: ` ${sign}${t("{minutes} min", { minutes: row.shift_minutes })}`,
          }),
        );
      }
      const label = row.status === "current" ? t("Reiniciar") : t("Ir aquí");
      const button = el("button", {
        type: "button",
        class: "button small",
        "data-jump": row.position,
        "aria-label": `${label}: ${row.step_title || row.moment_title}`,
        text: label,
      });
      fragment.append(
        el(
          "tr",
          {
            class: `slot slot-${row.status}${row.step_title ? " is-step" : ""}`,
            "data-position": row.position,
            "aria-current": row.status === "current" ? "step" : null,
          },
          el("td", { class: "title", text: row.step_title || row.moment_title }),
          el("td", { class: "time", text: row.planned_text }),
          el("td", { class: "time", text: row.actual_text || (row.status === "skipped" ? t("omitido") : "") }),
          projected,
          el("td", {}, button),
        ),
      );
    }
    scheduleBody.replaceChildren(fragment);
  }

  function renderLog(log) {
    const items = log.map((entry) =>
      el("li", {}, el("span", { class: "time", text: entry.time }), ` ${entry.who}: ${entry.label}`),
    );
    if (!items.length) items.push(el("li", { class: "muted", text: t("Todavía no hay acciones.") }));
    logList.replaceChildren(...items);
  }

  // One fetch at a time; a snapshot that arrives while one is in flight asks for another after
  // it, since the fetch in flight may have been answered before that snapshot's change.
  let refreshing = null;
  let again = false;
  async function refresh() {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      do {
        again = false;
        try {
          const response = await fetch(root.dataset.dataUrl, { cache: "no-store" });
          if (response.ok) {
            const body = await response.json();
            renderSchedule(body.schedule);
            renderLog(body.log);
          }
        } catch {
          // Offline for a moment: the next snapshot or the periodic refresh tries again.
        }
      } while (again);
      refreshing = null;
    })();
    return refreshing;
  }

  const initial = readJson("console-initial");
  renderSchedule(initial.schedule);
  renderLog(initial.log);
  status = initial.schedule.status;
  position = initial.schedule.position;
  updateButtons();

  const widget = mountClock($("[data-clock]", root), conn, assemblyId, (snapshot) => {
    speakers.render(snapshot.speakers);
    status = snapshot.status;
    position = snapshot.position;
    updateButtons();
    refresh();
  });
  setInterval(refresh, 30_000);

  // ---- the speakers list: turns inside any step, timed from the same server clock
  const speakerBox = $("[data-speakers]", root);
  const speakerFeedback = $("[data-speaker-feedback]", root);
  // One after the other, like the clock's: the server runs a socket's events side by side, so
  // «Dar la palabra» clicked right after «Agregar» could find the list still empty.
  let speakersQueue = Promise.resolve();
  async function speakersCommand(action, extra = {}) {
    const sent = speakersQueue.then(() =>
      conn.request("speakers_command", { assembly_id: assemblyId, action, ...extra }, { timeout: 8000 }));
    speakersQueue = sent;
    const answer = await sent;
    speakerFeedback.textContent = answer.ok ? "" : answer.code === "timeout" || answer.code === "offline"
      ? t("El servidor no respondió. Revise la conexión e intente de nuevo.")
      : answer.error;
    speakerFeedback.classList.toggle("error", !answer.ok);
    if (answer.ok) speakers.render(answer.state.speakers);
    return answer;
  }
  const speakers = mountSpeakers(speakerBox, widget, { onRemove: (turn) => speakersCommand("remove", { speaker_id: turn.id }) });
  for (const button of $$("[data-speaker-action]", speakerBox)) {
    button.addEventListener("click", () => speakersCommand(button.dataset.speakerAction));
  }
  const speakerForm = $("[data-speaker-form]", speakerBox);
  speakerForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = speakerForm.elements;
    const answer = await speakersCommand("add", { name: form.name.value, kind: form.kind.value || null, minutes: form.minutes.value || null });
    if (answer.ok) {
      form.name.value = "";
      form.minutes.value = "";
      form.name.focus();
    }
  });
  conn.onStatus((state) => {
    if (state === "online") say("");
    else if (state !== "connecting") say(t("Sin conexión con el servidor; reintentando…"), true);
  });

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
      say(t("Escriba cuántos minutos extender (por ejemplo 3)."), true);
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
        ? t("¿Reiniciar «{name}» desde su tiempo completo?", { name })
        : t("¿Saltar a «{name}»? Empieza ahora con su tiempo completo.", { name });
    if ((far || target === position) && !window.confirm(question)) return;
    send("jump", { position: target });
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
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
}

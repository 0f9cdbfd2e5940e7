// Projector: the countdown huge while a moment runs; before the day and in breaks (receso,
// registro) the idle slideshow with the next moment and the registration counter. Time-up turns
// the clock red with "¡Tiempo!" and, once sound is switched on, beeps.
import { mountClock } from "../shared/clock.js";
import { $, $$ } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { connect } from "../shared/socket.js";
import { mountSpeakers } from "../shared/speakers.js";

export function init() {
  const root = $("[data-projector]");
  const assemblyId = Number(root.dataset.assemblyId);
  const conn = connect({ assemblyId });

  // ---- next moment and mode
  const next = $("[data-next]", root);
  let speakers = null;
  function showSnapshot(snapshot) {
    speakers?.render(snapshot.speakers);
    root.dataset.mode = snapshot.idle ? "idle" : "clock";
    root.dataset.status = snapshot.status;
    const upcoming = snapshot.next;
    next.hidden = !upcoming;
    if (upcoming) {
      $("[data-next-title]", next).textContent = upcoming.title;
      const active = snapshot.status === "running" || snapshot.status === "paused";
      const late = active && upcoming.projected_text && upcoming.projected_text !== upcoming.planned_text;
      $("[data-next-time]", next).textContent = late
        ? t("{projected} (plan {planned})", { projected: upcoming.projected_text, planned: upcoming.planned_text })
        : upcoming.planned_text;
    }
  }
  const widget = mountClock($("[data-clock]", root), conn, assemblyId, showSnapshot);
  // the current speaker and their time, on the same server clock; the next three in line
  speakers = mountSpeakers($("[data-speakers]", root), widget, { queueLimit: 3 });
  speakers.render(widget.snapshot()?.speakers);

  // ---- time-up beep (Web Audio: no file); browsers allow sound only after a click
  let audio = null;
  const soundButton = $("[data-sound]", root);
  soundButton.addEventListener("click", () => {
    if (audio) {
      audio.close();
      audio = null;
    } else {
      audio = new AudioContext();
      beep(0.15);
    }
    soundButton.setAttribute("aria-pressed", String(Boolean(audio)));
    soundButton.textContent = audio ? t("Sonido activado") : t("Activar sonido");
  });

  function beep(seconds = 0.6, times = 3) {
    if (!audio) return;
    const start = audio.currentTime + 0.05;
    for (let i = 0; i < times; i += 1) {
      const at = start + i * (seconds + 0.25);
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = "square";
      oscillator.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + seconds);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + seconds + 0.05);
    }
  }

  // Beep once per slot run when it crosses zero (not on load when it is already overtime).
  let lastOvertime = null;
  let lastRun = null;
  setInterval(() => {
    const state = widget.clock.state();
    const run = state ? `${state.key}@${state.started_at}` : null;
    const overtime = widget.clock.overtime();
    if (run === lastRun && lastOvertime === false && overtime) beep();
    lastRun = run;
    lastOvertime = overtime;
  }, 250);

  // ---- slideshow
  const slides = $$("[data-slides] img", root).filter((img) => !img.closest(".pj-slides-empty"));
  let shown = 0;
  setInterval(() => {
    if (root.dataset.mode !== "idle" || slides.length < 2) return;
    slides[shown].classList.remove("is-shown");
    shown = (shown + 1) % slides.length;
    slides[shown].classList.add("is-shown");
  }, 8000);

  // ---- registration counter: live desk counters, and a periodic snapshot as a safety net
  function showCounts(state) {
    if (!state || state.assembly_id !== assemblyId) return;
    if (typeof state.checked_in === "number") $("[data-checked-in]", root).textContent = state.checked_in;
    if (typeof state.registered === "number") $("[data-registered]", root).textContent = state.registered;
  }
  // The desks' counter room: every check-in updates the counter at once.
  conn.join("join_projector", { assembly_id: assemblyId }, (ack) => showCounts(ack.state));
  conn.on("desk_counters", showCounts);
  conn.on("assembly_changed", showCounts);
  setInterval(async () => {
    if (!conn.connected) return;
    const answer = await conn.request("join_assembly", { assembly_id: assemblyId });
    if (answer.ok) showCounts(answer.state);
  }, 15_000);

  // ---- full screen
  $("[data-fullscreen]", root).addEventListener("click", () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen?.();
  });
}

// The reusable agenda clock widget (templates/agenda/_clock.html): current moment, step and
// countdown; red with "¡Tiempo!" when the time is up.  Any screen that has a Socket.IO
// connection allowed to follow the assembly (staff, table_code, ticket, board) mounts it:
//
//   import { mountClock } from "./clock_widget.js";
//   mountClock(document.querySelector("[data-clock]"), socket, assemblyId);
//
// It joins the clock room on every (re)connect, so the first snapshot after a reconnect
// corrects the screen at once; between snapshots it counts from the stored state only.
import { createClock } from "./clock.js";

const STATUS_TEXT = {
  idle: "La agenda aún no ha comenzado",
  paused: "En pausa",
  finished: "La agenda terminó",
};

function text(element, value) {
  if (element && element.textContent !== value) element.textContent = value;
}

/**
 * Mount the widget on ``element`` (the [data-clock] node of _clock.html).
 * Returns {clock, snapshot(), stop()}; ``onSnapshot`` (optional 4th argument) is called
 * with every snapshot the server sends, for screens that show more than the widget.
 */
export function mountClock(element, socket, assemblyId, onSnapshot = () => {}) {
  const id = Number(assemblyId ?? element.dataset.assemblyId);
  const parts = {
    moment: element.querySelector("[data-clock-moment]"),
    step: element.querySelector("[data-clock-step]"),
    time: element.querySelector("[data-clock-time]"),
    status: element.querySelector("[data-clock-status]"),
  };
  let snapshot = null;

  function render({ text: mmss, overtime, state }) {
    const status = state ? state.status : "idle";
    const active = status === "running" || status === "paused";
    element.dataset.status = status;
    element.classList.toggle("is-overtime", overtime);
    element.classList.toggle("is-paused", status === "paused");
    text(parts.moment, state?.moment ? state.moment.title : "");
    text(parts.step, state?.step ? state.step.title : "");
    text(parts.time, active ? mmss : "--:--");
    if (overtime) text(parts.status, "¡Tiempo!");
    else text(parts.status, STATUS_TEXT[status] ?? "");
  }

  const clock = createClock({ onTick: render });

  function accept(next) {
    if (!next || next.assembly_id !== id) return;
    if (clock.setState(next)) {
      snapshot = next;
      onSnapshot(next);
    }
  }

  function join() {
    socket.emit("join_clock", { assembly_id: id }, (ack) => {
      if (ack && ack.ok) accept(ack.state);
      else text(parts.status, ack?.error ?? "No se pudo conectar con el reloj.");
    });
  }

  const onState = (state) => accept(state);
  socket.on("clock_state", onState);
  socket.on("connect", join);
  if (socket.connected) join();

  const api = {
    clock,
    snapshot: () => snapshot,
    stop() {
      clock.stop();
      socket.off("clock_state", onState);
      socket.off("connect", join);
    },
  };
  // Reachable from the page (tests and tests/perf/bench_clock.py read the exact remaining time).
  element.assemblyClock = api;
  return api;
}

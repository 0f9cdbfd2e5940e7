// The agenda clock shared by every screen (projector, moderator console, phones), and the
// clock widget that shows it.
//
// The server owns the clock. It sends ClockState.to_dict() from assembly/agenda/domain.py
// plus the server's own time when it sent it:
//
//   { status: "idle" | "running" | "paused" | "finished",
//     position: 3, key: "m12.s41",          // current slot (null when idle/finished)
//     started_at: 1715369100.0,             // when this slot's run began
//     duration_s: 1200.0, extended_s: 300.0, // planned + extensions, and the extensions
//     paused_at: null, paused_total_s: 42.0, // paused_at is set while paused
//     version: 17,                           // grows with every change
//     history: [{ key, actual_start, actual_end, paused_s, extended_s }, ...],
//     server_now: 1715369400.5 }
//
// All times are UTC epoch seconds. A screen never counts down by itself: each tick it
// recomputes remaining = duration_s - elapsed from the state and "server now", which is
// the client clock plus an offset measured against the server's time: GET /api/time
// ({"now": epoch seconds}), or over the screen's socket (mountClock: the clock_time event,
// the same answer without an HTTP request's headers, five times per page load).
// So a phone waking up after minutes shows the right time on its next tick, and two
// screens differ only by their offset errors (at most half a round trip each).
// The arithmetic mirrors domain.py exactly; keep the two in step.
import { setText } from "./dom.js";
import { t } from "./i18n.js";

const ACTIVE = new Set(["running", "paused"]);

/** Seconds the current slot has run, pauses excluded (0 with no slot running). */
export function elapsedAt(state, serverNow) {
  if (!state || !ACTIVE.has(state.status) || state.started_at == null) return 0;
  const reference = state.status === "paused" ? state.paused_at : serverNow;
  // Clamped: with a slightly wrong offset "now" may fall just before the start.
  return Math.max(0, reference - state.started_at - state.paused_total_s);
}

/** Seconds left in the current slot; negative when overtime, 0 with no slot running. */
export function remainingAt(state, serverNow) {
  if (!state || !ACTIVE.has(state.status)) return 0;
  return state.duration_s - elapsedAt(state, serverNow);
}

/** "14:05", or "-01:30" when overtime; rounds up to the second like format_mmss(). */
export function formatMmss(seconds) {
  // Snap to the millisecond first so float noise cannot add a second.
  const whole = Math.ceil(Math.floor(seconds * 1000 + 0.5) / 1000);
  const sign = whole < 0 ? "-" : "";
  const abs = Math.abs(whole);
  const pad = (n) => String(n).padStart(2, "0");
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** NTP-style estimate from one request: {offset, rtt}, with server = client + offset. */
export function clockOffset(t0Client, serverTime, t1Client) {
  const rtt = t1Client - t0Client;
  if (rtt < 0) throw new RangeError("t1Client is before t0Client");
  return { offset: serverTime - (t0Client + t1Client) / 2, rtt };
}

/** The sample with the smallest round trip (its error bound, rtt / 2, is the tightest). */
export function bestOffset(samples) {
  if (!samples.length) throw new RangeError("no clock samples");
  return samples.reduce((best, s) => (s.rtt < best.rtt ? s : best));
}

/**
 * Create a clock for one screen.
 *
 * onTick({remaining, text, overtime, state}) is called every tickMs (and at once on a new
 * state). Call setState() with every snapshot or update the server sends; older versions
 * are ignored, so a late HTTP snapshot cannot undo a newer Socket.IO update.
 * ``ask()`` → {now, speed}, when given, measures instead of fetching timeUrl; the caller then
 * runs sync() once it can ask (a connected socket).
 */
export function createClock({
  onTick = () => {},
  timeUrl = "/api/time",
  samples = 5,
  tickMs = 250,
  resyncMs = 5 * 60 * 1000,
  fetch: fetchImpl = globalThis.fetch?.bind(globalThis),
  ask = null,
  now = () => Date.now() / 1000,
} = {}) {
  let state = null;
  let measured = null; // best {offset, rtt, at} of the server's time
  let coarse = { offset: 0, at: 0 }; // from server_now at arrival, until a measurement exists
  let speed = 1; // server seconds per client second: 1, except on a rehearsal's test clock
  let syncing = null;

  const offset = () => (measured ? measured.offset : coarse.offset);
  const serverNow = () => {
    const t = now();
    const base = measured ?? coarse;
    return t + base.offset + (t - (base.at ?? t)) * (speed - 1);
  };
  const remaining = () => remainingAt(state, serverNow());

  function tick() {
    const left = remaining();
    onTick({
      remaining: left,
      text: formatMmss(left),
      overtime: state != null && ACTIVE.has(state.status) && left < 0,
      state,
    });
  }

  function setState(next) {
    if (!next) return false;
    if (state && next.version < state.version) return false;
    state = next;
    if (!measured && typeof next.server_now === "number") {
      const t = now();
      coarse = { offset: next.server_now - t, at: t };
    }
    tick();
    return true;
  }

  async function sampleOnce() {
    const t0 = now();
    const body = ask ? await ask() : await (await fetchImpl(timeUrl, { cache: "no-store" })).json();
    const t1 = now();
    if (typeof body.speed === "number" && body.speed > 0) speed = body.speed;
    return { ...clockOffset(t0, body.now, t1), at: (t0 + t1) / 2 };
  }

  // Several samples one after the other; the fastest round trip wins. A failed sync keeps
  // the previous offset: a stale offset is better than none.
  function sync() {
    if (syncing) return syncing;
    syncing = (async () => {
      const results = [];
      for (let i = 0; i < samples; i += 1) {
        try {
          results.push(await sampleOnce());
        } catch {
          // Offline or a server restart: try the next sample.
        }
      }
      if (results.length) measured = bestOffset(results);
      syncing = null;
      tick();
      return measured;
    })();
    return syncing;
  }

  const onVisible = () => {
    if (globalThis.document?.visibilityState === "visible") sync();
  };
  const timers = [setInterval(tick, tickMs), setInterval(sync, resyncMs)];
  globalThis.document?.addEventListener("visibilitychange", onVisible);
  globalThis.addEventListener?.("online", sync);
  if (fetchImpl && !ask) sync();

  return {
    setState,
    state: () => state,
    remaining,
    elapsed: () => elapsedAt(state, serverNow()),
    overtime: () => state != null && ACTIVE.has(state.status) && remaining() < 0,
    serverNow,
    offset,
    format: formatMmss,
    sync,
    stop() {
      timers.forEach(clearInterval);
      globalThis.document?.removeEventListener("visibilitychange", onVisible);
      globalThis.removeEventListener?.("online", sync);
    },
  };
}

// --- the widget (templates/agenda/_clock.html) --------------------------------------------
//
// Current moment, step and countdown; red with "¡Tiempo!" when the time is up. Any screen whose
// connection may follow the assembly (staff, table_code, ticket, board) mounts it:
//
//   mountClock(document.querySelector("[data-clock]"), conn, assemblyId, (snapshot) => …);
//
// It joins the clock room through the connection (so again after every reconnect, resync or
// gap: the first snapshot corrects the screen at once); between snapshots it counts from the
// stored state only.

function statusText(status) {
  if (status === "idle") return t("La agenda aún no ha comenzado");
  if (status === "paused") return t("En pausa");
  if (status === "finished") return t("La agenda terminó");
  return "";
}

/**
 * Mount the widget on ``element`` (the [data-clock] node of _clock.html) over ``conn`` (a
 * Connection of socket.js). Returns {clock, snapshot(), stop()}; ``onSnapshot`` is called with
 * every newer state the server sends, for screens that show more than the widget.
 */
export function mountClock(element, conn, assemblyId, onSnapshot = () => {}) {
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
    element.dataset.status = status;
    element.classList.toggle("is-overtime", overtime);
    element.classList.toggle("is-paused", status === "paused");
    setText(parts.moment, state?.moment ? state.moment.title : "");
    setText(parts.step, state?.step ? state.step.title : "");
    setText(parts.time, ACTIVE.has(status) ? mmss : "--:--");
    setText(parts.status, overtime ? t("¡Tiempo!") : statusText(status));
  }

  // The offset is measured on this socket (clock_time), after every (re)join: no HTTP request.
  const ask = async () => {
    const answer = await conn.request("clock_time", { assembly_id: id });
    if (!answer.ok) throw new Error(answer.error);
    return answer;
  };
  const clock = createClock({ onTick: render, ask });

  function accept(next) {
    if (!next || next.assembly_id !== id) return;
    if (clock.setState(next)) {
      snapshot = next;
      onSnapshot(next);
    }
  }

  const stopState = conn.on("clock_state", accept);
  const joined = conn.join("join_clock", { assembly_id: id }, (ack) => {
    accept(ack.state);
    clock.sync();
  }, {
    onRefused: (ack) => setText(parts.status, ack.error || t("No se pudo conectar con el reloj.")),
  });

  const api = {
    clock,
    snapshot: () => snapshot,
    stop() {
      clock.stop();
      stopState();
      joined.stop();
    },
  };
  // Reachable from the page (tests and tests/perf/bench_clock.py read the exact remaining time).
  element.assemblyClock = api;
  return api;
}

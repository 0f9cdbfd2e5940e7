// The one way a screen talks to the server over Socket.IO (the vendored ESM build).
//
//   const conn = connect({ auth: { table_code: code }, assemblyId });   // or no auth: staff cookie
//   conn.onStatus((status, detail) => …);          // "connecting" | "online" | "offline" | "refused"
//   conn.join("join_table", { code }, (ack) => show(ack.state), { onRefused: (ack) => say(ack.error) });
//   conn.on("piece_saved", (piece) => …);
//   const answer = await conn.request("submit_piece", data, { retries: 3 });
//   if (answer.ok) … else if (answer.retry) keep it for later … else show(answer.error, answer.fields);
//
// Joins: every join is run on each (re)connect, on a `resync` event from the server, and again
// when a room's messages show a gap; its snapshot is handed to the callback (a failed join is
// retried with backoff while connected; a refusal that is not retryable goes to onRefused).
//
// Ordering (contract 3 of the plan): a broadcast carries `rev` (the assembly's revision), `room`
// and `seq` (that room's counter); a join's answer carries `rev` and the `seq` of the rooms it
// joined ({"table:3": 12}). A message whose seq is not above the last one seen for its room is
// dropped (a duplicate); one that skips a number re-runs the joins of that room (fresh
// snapshot). While a join is on its way, numbered messages wait and are replayed after its
// snapshot, so nothing is applied twice or lost. A message without `seq` carries no gap
// information and is applied as it comes. Every numbered message counts, handled or not: a
// room also carries events this screen ignores (the plenary console's rules on the board's
// room), and leaving them out would make the next message look like a gap (a full snapshot
// per screen). A `batch` ([[event, payload], …], assembly/core/batches.py) is unpacked in order.
//
// request(): an acknowledgement that does not come within `timeout` ms is asked again, with
// backoff, ON THE SAME CONNECTION, up to `retries` times (default 0: pass retries only for
// commands that are safe to repeat — the server stores a piece's UUID once, joins are reads).
// It never throws; it answers {ok: true, …} or a refusal {ok: false, error, code, retry, fields}.
// `retry` is true for timeouts, a lost connection and refusals the server marks retryable.
import { io as socketIo } from "../../vendor/socket.io/socket.io.esm.min.js";
import { t } from "./i18n.js";

export const DEFAULT_TIMEOUT = 10000;

/** Milliseconds to wait before attempt ``attempt + 1``: doubling, capped, with jitter. */
export function backoff(attempt, { base = 500, max = 10000, random = Math.random } = {}) {
  const ceiling = Math.min(max, base * 2 ** attempt);
  return ceiling / 2 + (random() * ceiling) / 2;
}

/** The server's acknowledgement in the one shape every screen reads. */
export function answerOf(ack) {
  if (ack && typeof ack === "object" && ack.ok === true) return ack;
  if (ack && typeof ack === "object" && ack.ok === false) {
    return {
      ...ack,
      error: ack.error || t("No se pudo completar la acción."),
      code: ack.code ?? null,
      retry: ack.retry === true,
      fields: ack.fields || {},
    };
  }
  return { ok: false, error: t("Respuesta inesperada del servidor."), code: "internal", retry: false, fields: {} };
}

export function timedOut() {
  return { ok: false, error: t("El servidor no respondió a tiempo."), code: "timeout", retry: true, fields: {} };
}

export function offline() {
  return { ok: false, error: t("Sin conexión con el servidor."), code: "offline", retry: true, fields: {} };
}

function numbered(payload) {
  return Boolean(payload) && typeof payload.seq === "number" && typeof payload.room === "string";
}

/** The rooms a join answered for, as [room, seq] pairs ({"seq": {"table:3": 12}}). */
export function roomsOf(ack) {
  if (!ack || typeof ack !== "object") return [];
  const map = typeof ack.seq === "object" && ack.seq ? ack.seq : ack.rooms;
  if (map && typeof map === "object") {
    return Object.entries(map).filter(([, seq]) => typeof seq === "number");
  }
  if (typeof ack.seq === "number" && typeof ack.room === "string") return [[ack.room, ack.seq]];
  return [];
}

/** The last sequence number seen per room, and the verdict on each new message. */
export class Rooms {
  constructor() {
    this.last = new Map();
  }

  /** "apply" (and remember it), "stale" (seen already) or "gap" (something was missed). */
  check(payload) {
    if (!numbered(payload)) return "apply";
    const last = this.last.get(payload.room);
    if (last !== undefined && payload.seq <= last) return "stale";
    if (last !== undefined && payload.seq > last + 1) return "gap";
    this.last.set(payload.room, payload.seq);
    return "apply";
  }

  /** A snapshot's numbers replace what was known; answers the rooms it names. */
  record(ack) {
    const pairs = roomsOf(ack);
    for (const [room, seq] of pairs) this.last.set(room, seq);
    return pairs.map(([room]) => room);
  }

  reset() {
    this.last.clear();
  }
}

export class Connection {
  constructor(socket, { assemblyId = null, backoff: timing = {}, window: win = globalThis.window } = {}) {
    this.socket = socket;
    this.assemblyId = assemblyId == null ? null : Number(assemblyId);
    this.timing = timing;
    this.rooms = new Rooms();
    this.rev = null;
    this.status = "connecting";
    this.detail = "";
    this.refusal = null;
    this.joins = [];
    this.handlers = new Map();
    this.statusListeners = new Set();
    this.waiting = []; // numbered messages held while a join is on its way
    this.joining = 0;
    this.busyAttempts = 0; // connects answered "busy, ask again" in a row

    socket.on("connect", () => {
      this.busyAttempts = 0;
      this.rooms.reset(); // a new connection is in no room: every join runs again
      this.setStatus("online");
      this.rejoin();
    });
    socket.on("disconnect", (reason) => {
      this.setStatus("offline", reason);
      if (reason === "io server disconnect") socket.connect(); // the server let go: try again
    });
    socket.on("connect_error", (error) => {
      if (!socket.active && error?.data?.retry) {
        // Too busy to check the credential (a reconnect storm): not a refusal, ask again soon.
        this.setStatus("offline", error?.message || "");
        setTimeout(() => this.wake(), backoff(this.busyAttempts++, this.timing));
        return;
      }
      // Not active: the server refused this credential; it will not retry by itself.
      // ``refusal`` keeps the server's reason ({code: "code_changed"}) for the screen.
      this.refusal = socket.active ? null : error?.data || null;
      this.setStatus(socket.active ? "offline" : "refused", error?.message || "");
    });
    socket.onAny((event, payload) => {
      if (event !== "batch") this.receive(event, payload);
      else for (const [name, body] of payload) this.receive(name, body);
    });
    socket.on("resync", (payload) => {
      const target = payload?.assembly_id;
      if (target == null || this.assemblyId == null || Number(target) === this.assemblyId) {
        this.rejoin();
      }
    });
    if (win?.addEventListener) {
      // The phone knows before the ping timeout: reconnect as soon as the network is back.
      win.addEventListener("offline", () => {
        this.setStatus("offline", "network");
        socket.io?.engine?.close();
      });
      win.addEventListener("online", () => this.wake());
      win.document?.addEventListener("visibilitychange", () => {
        if (win.document.visibilityState === "visible") this.wake();
      });
    }
  }

  get connected() {
    return Boolean(this.socket.connected);
  }

  /** Connect again now if the socket is neither connected nor already trying. */
  wake() {
    if (!this.socket.connected && !this.socket.active) this.socket.connect();
  }

  setStatus(status, detail = "") {
    this.status = status;
    this.detail = detail;
    for (const listener of this.statusListeners) listener(status, detail);
  }

  /** ``listener(status, detail)`` now and on every change; returns a function that stops it. */
  onStatus(listener) {
    this.statusListeners.add(listener);
    listener(this.status, this.detail);
    return () => this.statusListeners.delete(listener);
  }

  /** ``handler(payload)`` for every ``event`` that is neither a duplicate nor after a gap. */
  on(event, handler) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event).add(handler);
    return () => this.handlers.get(event).delete(handler);
  }

  receive(event, payload) {
    this.noteRev(payload);
    if (numbered(payload) && this.joining > 0) {
      this.waiting.push([event, payload]);
      return;
    }
    this.route(event, payload);
  }

  route(event, payload) {
    const verdict = this.rooms.check(payload);
    if (verdict === "stale") return;
    if (verdict === "gap") {
      this.rejoin(this.owners(payload.room));
      return;
    }
    for (const handler of this.handlers.get(event) || []) handler(payload);
  }

  noteRev(payload) {
    if (payload && typeof payload.rev === "number" && (this.rev == null || payload.rev > this.rev)) {
      this.rev = payload.rev;
    }
  }

  owners(room) {
    const owners = this.joins.filter((entry) => entry.rooms.has(room));
    return owners.length ? owners : this.joins;
  }

  /**
   * Join with ``event``/``payload`` (a value, or a function called each time) now if connected
   * and after every reconnect, resync or gap; ``onSnapshot(ack)`` gets each successful answer.
   */
  join(event, payload, onSnapshot, { onRefused = () => {}, retries = 2, timeout = DEFAULT_TIMEOUT } = {}) {
    const entry = { event, payload, onSnapshot, onRefused, retries, timeout, rooms: new Set() };
    Object.assign(entry, { attempt: 0, timer: null, running: false, again: false });
    this.joins.push(entry);
    if (this.socket.connected) this.runJoin(entry);
    return {
      rerun: () => this.runJoin(entry),
      stop: () => {
        clearTimeout(entry.timer);
        this.joins = this.joins.filter((other) => other !== entry);
      },
    };
  }

  rejoin(entries = this.joins) {
    for (const entry of entries) this.runJoin(entry);
  }

  async runJoin(entry) {
    if (entry.running) {
      entry.again = true;
      return;
    }
    clearTimeout(entry.timer);
    entry.running = true;
    this.joining += 1;
    try {
      const payload = typeof entry.payload === "function" ? entry.payload() : entry.payload;
      const answer = await this.request(entry.event, payload, { retries: entry.retries, timeout: entry.timeout });
      if (!this.joins.includes(entry)) return;
      if (answer.ok) {
        entry.attempt = 0;
        entry.rooms = new Set(this.rooms.record(answer));
        this.noteRev(answer);
        entry.onSnapshot(answer);
      } else if (answer.retry) {
        // Retried while connected; after a disconnect the reconnect runs it again anyway.
        if (this.socket.connected) {
          entry.timer = setTimeout(() => this.runJoin(entry), backoff(entry.attempt++, this.timing));
        }
      } else {
        entry.onRefused(answer);
      }
    } finally {
      entry.running = false;
      this.joining -= 1;
      this.drain();
      if (entry.again) {
        entry.again = false;
        this.runJoin(entry);
      }
    }
  }

  drain() {
    while (this.waiting.length && this.joining === 0) this.route(...this.waiting.shift());
  }

  /** Emit and wait for the acknowledgement (see the top of this file); never throws. */
  async request(event, payload, { timeout = DEFAULT_TIMEOUT, retries = 0 } = {}) {
    for (let attempt = 0; ; attempt += 1) {
      if (!this.socket.connected) return offline();
      let answer;
      try {
        answer = answerOf(await this.socket.timeout(timeout).emitWithAck(event, payload));
      } catch {
        answer = this.socket.connected ? timedOut() : offline();
      }
      if (answer.ok || !answer.retry || attempt >= retries || !this.socket.connected) return answer;
      await new Promise((resolve) => setTimeout(resolve, backoff(attempt, this.timing)));
    }
  }

  close() {
    for (const entry of this.joins) clearTimeout(entry.timer);
    this.joins = [];
    this.socket.disconnect();
  }
}

/**
 * Open the page's connection: ``auth`` is a credential ({table_code}, {ticket}, {board}) or
 * nothing (staff pages use their session cookie). ``io`` is for tests.
 */
export function connect({ auth, assemblyId = null, io = socketIo, options = {}, ...rest } = {}) {
  const socket = io({
    auth,
    transports: ["websocket", "polling"],
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
    ...options,
  });
  opened = new Connection(socket, { assemblyId, ...rest });
  return opened;
}

let opened = null;

/** The connection the page's main screen opened (one websocket a page: a panel beside the
 * screen, like the board's survey corner, joins its rooms on it), or a new one if none. */
export function pageConnection(options = {}) {
  return opened || connect(options);
}

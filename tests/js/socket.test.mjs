import assert from "node:assert/strict";
import { test } from "node:test";

import { answerOf, backoff, Connection, roomsOf, Rooms } from "../../static/js/shared/socket.js";

const TIMEOUT = Symbol("no acknowledgement");
const RESERVED = new Set(["connect", "connect_error", "disconnect"]);
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
async function until(check, what) {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await tick();
  }
  assert.fail(`never happened: ${what}`);
}

/** A Socket.IO client double: `server[event](payload, n)` answers the n-th emit of `event`. */
class FakeSocket {
  constructor(server = {}) {
    this.server = server;
    this.handlers = {};
    this.any = [];
    this.connected = false;
    this.active = true;
    this.emits = [];
    this.connects = 0;
  }
  on(event, handler) {
    (this.handlers[event] ||= []).push(handler);
  }
  onAny(handler) {
    this.any.push(handler);
  }
  /** As Socket.IO does: every event to its own listeners; the server's also to onAny's. */
  fire(event, payload) {
    for (const handler of this.handlers[event] || []) handler(payload);
    if (RESERVED.has(event)) return;
    for (const handler of this.any) handler(event, payload);
  }
  connect() {
    this.connects += 1;
    this.connected = true;
    this.fire("connect");
  }
  drop(reason = "transport close") {
    this.connected = false;
    this.fire("disconnect", reason);
  }
  disconnect() {
    this.connected = false;
  }
  timeout() {
    return {
      emitWithAck: async (event, payload) => {
        const n = this.emits.filter((e) => e.event === event).length;
        this.emits.push({ event, payload });
        const answer = await (this.server[event] || (() => ({ ok: true })))(payload, n);
        if (answer === TIMEOUT) throw new Error("operation has timed out");
        return answer;
      },
    };
  }
  count(event) {
    return this.emits.filter((e) => e.event === event).length;
  }
}

function open(server, options = {}) {
  const socket = new FakeSocket(server);
  const conn = new Connection(socket, { assemblyId: 7, backoff: { base: 1, max: 2 }, window: null, ...options });
  return { socket, conn };
}

test("backoff doubles up to its cap, with jitter inside the upper half", () => {
  assert.equal(backoff(0, { base: 500, random: () => 0 }), 250);
  assert.equal(backoff(2, { base: 500, random: () => 1 }), 2000);
  assert.equal(backoff(10, { base: 500, max: 10000, random: () => 1 }), 10000);
});

test("an answer without code or retry (today's server) is a refusal that is not retried", () => {
  assert.deepEqual(answerOf({ ok: false, error: "No." }), { ok: false, error: "No.", code: null, retry: false, fields: {} });
  assert.equal(answerOf({ ok: false, error: "x", code: "rate_limited", retry: true }).retry, true);
  assert.equal(answerOf(undefined).ok, false);
  const ok = { ok: true, piece: {} };
  assert.equal(answerOf(ok), ok);
});

test("request answers at once when the socket is not connected (no waiting for a reconnect)", async () => {
  const { socket, conn } = open();
  const answer = await conn.request("submit_piece", {}, { retries: 3 });
  assert.equal(answer.code, "offline");
  assert.equal(answer.retry, true);
  assert.equal(socket.count("submit_piece"), 0);
});

test("an acknowledgement timeout is retried on the same connection", async () => {
  const { socket, conn } = open({ submit_piece: (_, n) => (n < 2 ? TIMEOUT : { ok: true, piece: { id: "a" } }) });
  socket.connect();
  const answer = await conn.request("submit_piece", { id: "a" }, { retries: 3 });
  assert.equal(answer.ok, true);
  assert.equal(socket.count("submit_piece"), 3);
  assert.equal(socket.connects, 1); // never reconnected to get there
});

test("retries run out into a retryable timeout; without retries there is one attempt", async () => {
  const { socket, conn } = open({ clock_control: () => TIMEOUT });
  socket.connect();
  const answer = await conn.request("clock_control", {}, { retries: 2 });
  assert.equal(answer.code, "timeout");
  assert.equal(answer.retry, true);
  assert.equal(socket.count("clock_control"), 3);
  await conn.request("clock_control", {});
  assert.equal(socket.count("clock_control"), 4);
});

test("a refusal is retried only when the server says so", async () => {
  const { socket, conn } = open({
    submit_piece: () => ({ ok: false, error: "Texto muy largo", code: "invalid", retry: false, fields: { text: "Máximo 280" } }),
    edit_piece: (_, n) => (n === 0 ? { ok: false, error: "Ocupado", code: "unavailable", retry: true } : { ok: true }),
  });
  socket.connect();
  const refused = await conn.request("submit_piece", {}, { retries: 3 });
  assert.deepEqual([refused.code, refused.retry, refused.fields.text], ["invalid", false, "Máximo 280"]);
  assert.equal(socket.count("submit_piece"), 1);
  assert.equal((await conn.request("edit_piece", {}, { retries: 3 })).ok, true);
  assert.equal(socket.count("edit_piece"), 2);
});

test("a join runs on connect and again on every reconnect", async () => {
  const { socket, conn } = open({ join_table: (_, n) => ({ ok: true, state: { n } }) });
  const snapshots = [];
  conn.join("join_table", { code: "ABC123" }, (ack) => snapshots.push(ack.state.n));
  assert.deepEqual(snapshots, []); // not connected yet: nothing sent
  socket.connect();
  await until(() => snapshots.length === 1, "first join");
  socket.drop();
  socket.connect();
  await until(() => snapshots.length === 2, "join after the reconnect");
  assert.deepEqual(snapshots, [0, 1]);
  assert.deepEqual(socket.emits.map((e) => e.payload), [{ code: "ABC123" }, { code: "ABC123" }]);
});

test("a failed join is retried while connected; a plain refusal goes to onRefused", async () => {
  const { socket, conn } = open({
    join_board: (_, n) => (n < 5 ? TIMEOUT : { ok: true, state: "board" }),
    join_votes: () => ({ ok: false, error: "Tiquete no válido" }),
  });
  const got = [];
  conn.join("join_board", { assembly_id: 7 }, (ack) => got.push(ack.state));
  conn.join("join_votes", { assembly_id: 7 }, () => got.push("votes"), { onRefused: (ack) => got.push(ack.error) });
  socket.connect();
  await until(() => got.includes("board"), "the board's join, after several timeouts");
  assert.ok(got.includes("Tiquete no válido"));
  assert.equal(socket.count("join_votes"), 1);
  assert.equal(socket.connects, 1);
});

test("duplicates are dropped and a gap re-runs the join of its room", async () => {
  const { socket, conn } = open({ join_table: (_, n) => ({ ok: true, rev: 40 + n, seq: { "table:3": n === 0 ? 10 : 14 } }) });
  const seen = [];
  let joins = 0;
  conn.join("join_table", {}, () => (joins += 1));
  conn.on("piece_saved", (piece) => seen.push(piece.seq));
  socket.connect();
  await until(() => joins === 1, "first join");
  socket.fire("piece_saved", { room: "table:3", seq: 11, rev: 41 });
  socket.fire("piece_saved", { room: "table:3", seq: 11, rev: 41 }); // the same again
  socket.fire("piece_saved", { room: "table:3", seq: 10, rev: 40 }); // older than the snapshot
  assert.deepEqual(seen, [11]);
  socket.fire("piece_saved", { room: "table:3", seq: 13, rev: 43 }); // 12 went missing
  await until(() => joins === 2, "the join after the gap");
  assert.deepEqual(seen, [11]); // the message after the gap is covered by the fresh snapshot
  socket.fire("piece_saved", { room: "table:3", seq: 15, rev: 45 });
  assert.deepEqual(seen, [11, 15]);
  assert.equal(conn.rev, 45);
});

test("a batch hands each of its messages to its handlers in order, with the same checks", async () => {
  const { socket, conn } = open({ join_board: () => ({ ok: true, rev: 40, seq: { "board:7": 10 } }) });
  const seen = [];
  let joins = 0;
  conn.join("join_board", {}, () => (joins += 1));
  conn.on("piece_saved", (piece) => seen.push(["saved", piece.seq]));
  conn.on("piece_deleted", (piece) => seen.push(["deleted", piece.seq]));
  socket.connect();
  await until(() => joins === 1, "the join");
  socket.fire("batch", [
    ["piece_saved", { room: "board:7", seq: 10, rev: 40 }], // inside the snapshot: dropped
    ["piece_saved", { room: "board:7", seq: 11, rev: 41 }],
    ["piece_deleted", { room: "board:7", seq: 12, rev: 42 }],
  ]);
  assert.deepEqual(seen, [["saved", 11], ["deleted", 12]]);
  assert.equal(conn.rev, 42);
  socket.fire("batch", [["piece_saved", { room: "board:7", seq: 14, rev: 44 }]]); // 13 missing
  await until(() => joins === 2, "the join after the gap inside a batch");
  assert.deepEqual(seen, [["saved", 11], ["deleted", 12]]);
});

test("messages without seq carry no gap information and are applied as they come", async () => {
  const { socket, conn } = open();
  const seen = [];
  conn.on("clock_state", (state) => seen.push(state.version));
  socket.connect();
  socket.fire("clock_state", { version: 2 });
  socket.fire("clock_state", { version: 2 });
  assert.deepEqual(seen, [2, 2]);
});

test("numbered messages that arrive during a join wait for its snapshot, then replay once", async () => {
  let release;
  const { socket, conn } = open({
    join_table: () => new Promise((resolve) => (release = () => resolve({ ok: true, seq: { "table:3": 21 } }))),
  });
  const order = [];
  conn.join("join_table", {}, () => order.push("snapshot"));
  conn.on("piece_saved", (piece) => order.push(piece.seq));
  socket.connect();
  socket.fire("piece_saved", { room: "table:3", seq: 21 }); // already inside the snapshot
  socket.fire("piece_saved", { room: "table:3", seq: 22 }); // after it
  assert.deepEqual(order, []);
  release();
  await until(() => order.length === 2, "snapshot and replay");
  assert.deepEqual(order, ["snapshot", 22]);
});

test("a resync for this assembly (or any) re-runs the joins; another assembly's does not", async () => {
  const { socket, conn } = open({ join_desk: () => ({ ok: true }) });
  let joins = 0;
  conn.join("join_desk", { assembly_id: 7 }, () => (joins += 1));
  socket.connect();
  await until(() => joins === 1, "join");
  socket.fire("resync", { assembly_id: 8 });
  await tick();
  assert.equal(joins, 1);
  socket.fire("resync", { assembly_id: 7 });
  await until(() => joins === 2, "resync of this assembly");
  socket.fire("resync", {});
  await until(() => joins === 3, "resync of every assembly");
});

test("the status follows the socket; a refused credential is told apart", () => {
  const { socket, conn } = open();
  const seen = [];
  conn.onStatus((status) => seen.push(status));
  socket.connect();
  socket.drop();
  socket.active = false;
  socket.fire("connect_error", new Error("Código de mesa no válido"));
  assert.deepEqual(seen, ["connecting", "online", "offline", "refused"]);
  assert.equal(conn.detail, "Código de mesa no válido");
});

test("a connect answered 'busy, ask again' (a reconnect storm) connects again by itself", async () => {
  const { socket, conn } = open();
  const seen = [];
  conn.onStatus((status) => seen.push(status));
  socket.active = false;
  const busy = Object.assign(new Error("El servidor está ocupado."), { data: { code: "unavailable", retry: true } });
  socket.fire("connect_error", busy);
  assert.equal(conn.status, "offline");
  await until(() => socket.connects === 1, "a new connect after the busy answer");
  assert.equal(conn.status, "online");
  socket.drop();
  socket.fire("connect_error", Object.assign(new Error("Código de mesa no válido"), { data: { code: "invalid" } }));
  assert.equal(conn.status, "refused"); // a real refusal still stops
  await tick();
  assert.equal(socket.connects, 1);
  assert.deepEqual(seen.slice(0, 2), ["connecting", "offline"]);
});

test("a join answer names its rooms as a map, or as one room and its number", () => {
  assert.deepEqual(roomsOf({ seq: { "board:1": 4, "clock:1": 9 } }), [["board:1", 4], ["clock:1", 9]]);
  assert.deepEqual(roomsOf({ room: "table:3", seq: 5 }), [["table:3", 5]]);
  assert.deepEqual(roomsOf({ ok: true }), []);
  const rooms = new Rooms();
  assert.equal(rooms.check({ room: "a", seq: 3 }), "apply"); // first news of a room: no gap known
  assert.equal(rooms.check({ room: "a", seq: 4 }), "apply");
  assert.equal(rooms.check({ room: "a", seq: 6 }), "gap");
});

/** A join whose answer the test sends: ``answer(ack)`` settles the n-th one. */
function heldJoins() {
  const pending = [];
  const server = (_payload, n) => new Promise((resolve) => (pending[n] = resolve));
  return { server, answer: (n, ack) => pending[n]({ ok: true, ...ack }), sent: () => pending.length };
}

test("a change broadcast while a join is on its way shows once, before or after the answer", async () => {
  // the clock's join answers with the speaker the moderator just gave the floor to, or not yet
  for (const [snapshotSeq, messageSeq, first, applied] of [
    [5, 6, "message", [6]], // newer than the snapshot, arrived before the answer: applied after it
    [6, 6, "message", []], //  already inside the snapshot, arrived before it: not applied twice
    [5, 6, "answer", [6]], //  newer, arrived after the answer
    [6, 6, "answer", []], //   inside the snapshot, its emit came after the answer
  ]) {
    const clock = heldJoins();
    const { socket, conn } = open({ join_clock: clock.server });
    const order = [];
    conn.join("join_clock", { assembly_id: 7 }, (ack) => order.push(`snapshot ${ack.seq["clock:7"]}`));
    conn.on("clock_state", (state) => order.push(state.seq));
    socket.connect();
    await until(() => clock.sent() === 1, "the join sent");
    const message = { room: "clock:7", seq: messageSeq, rev: 30 + messageSeq };
    if (first === "message") socket.fire("clock_state", message);
    clock.answer(0, { rev: 30 + snapshotSeq, seq: { "clock:7": snapshotSeq } });
    await until(() => order.length > 0, "the snapshot");
    if (first === "answer") socket.fire("clock_state", message);
    assert.deepEqual(order, [`snapshot ${snapshotSeq}`, ...applied], `${first} first, snapshot at ${snapshotSeq}`);
    assert.equal(socket.count("join_clock"), 1); // no gap: no second join
  }
});

test("two joins on their way (the projector's clock and counter): a message waits for both", async () => {
  for (const clockFirst of [true, false]) {
    const clock = heldJoins();
    const desk = heldJoins();
    const { socket, conn } = open({ join_clock: clock.server, join_projector: desk.server });
    const order = [];
    conn.join("join_clock", {}, () => order.push("clock"));
    conn.join("join_projector", {}, () => order.push("desk"));
    conn.on("clock_state", (state) => order.push(`clock_state ${state.seq}`));
    conn.on("desk_counters", (state) => order.push(`desk_counters ${state.seq}`));
    socket.connect();
    await until(() => clock.sent() === 1 && desk.sent() === 1, "both joins sent");
    socket.fire("clock_state", { room: "clock:7", seq: 4 });
    socket.fire("desk_counters", { room: "desk:7", seq: 9 }); // inside the counter's snapshot
    const answerClock = () => clock.answer(0, { seq: { "clock:7": 3 } });
    const answerDesk = () => desk.answer(0, { seq: { "desk:7": 9 } });
    const [one, two] = clockFirst ? [answerClock, answerDesk] : [answerDesk, answerClock];
    one();
    await until(() => order.length === 1, "the first snapshot");
    assert.equal(order.length, 1); // nothing replayed while the other join is on its way
    two();
    await until(() => order.length === 3, "the second snapshot and the replay");
    assert.deepEqual(order.slice(2), ["clock_state 4"]);
    assert.equal(socket.count("join_clock") + socket.count("join_projector"), 2);
  }
});

test("a numbered message this screen has no handler for still counts: the next is no gap", async () => {
  const { socket, conn } = open({ join_board: () => ({ ok: true, rev: 50, seq: { "board:7": 10 } }) });
  const seen = [];
  conn.join("join_board", { assembly_id: 7 }, () => seen.push("snapshot"));
  conn.on("piece_saved", (piece) => seen.push(piece.seq));
  socket.connect();
  await until(() => seen.length === 1, "the join");
  socket.fire("rules_changed", { room: "board:7", seq: 11, rev: 51 }); // the plenary console's
  socket.fire("piece_saved", { room: "board:7", seq: 12, rev: 52 });
  await tick();
  assert.deepEqual(seen, ["snapshot", 12]);
  assert.equal(socket.count("join_board"), 1);
  assert.equal(conn.rev, 52);
  socket.fire("rules_changed", { room: "board:7", seq: 14, rev: 54 }); // 13 went missing: a gap still is one
  await until(() => socket.count("join_board") === 2, "the join after a real gap");
});

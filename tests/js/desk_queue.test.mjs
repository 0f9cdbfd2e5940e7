import assert from "node:assert/strict";
import { test } from "node:test";

import { keepsScan, ScanQueue, sendQueued } from "../../static/js/lib/desk_queue.js";

class MemoryStorage {
  constructor() {
    this.data = new Map();
  }
  getItem(key) {
    return this.data.has(key) ? this.data.get(key) : null;
  }
  setItem(key, value) {
    this.data.set(key, String(value));
  }
  removeItem(key) {
    this.data.delete(key);
  }
}

function queue(storage = new MemoryStorage(), clock = { ms: 1000 }) {
  let n = 0;
  return new ScanQueue(storage, "q", { now: () => clock.ms, newId: () => `id-${++n}` });
}

test("queued scans survive a reload and carry their age by this laptop's clock", () => {
  const storage = new MemoryStorage();
  const clock = { ms: 1000 };
  const first = queue(storage, clock);
  first.add("http://10.0.0.2/t/abc", "Mesa 1");
  clock.ms = 61_000;
  const reloaded = queue(storage, clock);
  assert.equal(reloaded.items.length, 1);
  assert.deepEqual(reloaded.body(reloaded.items[0]), {
    ticket: "http://10.0.0.2/t/abc",
    desk: "Mesa 1",
    scan_id: "id-1",
    age_ms: 60_000,
  });
  clock.ms = 0; // the clock went back: never a negative age
  assert.equal(reloaded.body(reloaded.items[0]).age_ms, 0);
  reloaded.remove("id-1");
  assert.equal(storage.getItem("q"), null);
});

test("unreadable storage is an empty queue", () => {
  const storage = new MemoryStorage();
  storage.setItem("q", "{not json");
  assert.deepEqual(queue(storage).items, []);
  storage.setItem("q", JSON.stringify([{ id: "x" }, { id: "y", ticket: "t" }]));
  assert.deepEqual(queue(storage).items.map((item) => item.id), ["y"]);
});

test("scans go oldest first; the first with no answer stops the run and stays queued", async () => {
  const q = queue();
  q.add("a", "M");
  q.add("b", "M");
  q.add("c", "M");
  const sent = [];
  const results = [];
  const kept = [];
  const offline = Object.assign(new Error("offline"), { retry: true });
  const done = await sendQueued(
    q,
    async (item) => {
      sent.push(item.ticket);
      if (item.ticket === "b") throw offline;
      return { result: "ok" };
    },
    { onResult: (item, outcome) => results.push([item.ticket, outcome]), onKept: (item) => kept.push(item.ticket) },
  );
  assert.equal(done, false);
  assert.deepEqual(sent, ["a", "b"]);
  assert.deepEqual(results, [["a", { data: { result: "ok" } }]]);
  assert.deepEqual(kept, ["b"]);
  assert.deepEqual(q.items.map((item) => item.ticket), ["b", "c"]);

  const refused = Object.assign(new Error("La asamblea está cerrada."), { retry: false, status: 409 });
  const again = await sendQueued(q, async (item) => {
    if (item.ticket === "b") throw refused;
    return { result: "already" };
  }, { onResult: (item, outcome) => results.push([item.ticket, outcome]) });
  assert.equal(again, true);
  assert.deepEqual(results.slice(1), [["b", { error: refused }], ["c", { data: { result: "already" } }]]);
  assert.deepEqual(q.items, []);
});

test("what keeps a scan: no answer, a retryable refusal, a closed session", () => {
  assert.ok(keepsScan({ retry: true }));
  assert.ok(keepsScan({ retry: false, status: 401 }));
  assert.equal(keepsScan({ retry: false, status: 422 }), false);
  assert.equal(keepsScan(null), false);
});

import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { mountClock } from "../../static/js/shared/clock.js";
import { FakeElement, installDocument } from "./fake_dom.mjs";

beforeEach(() => installDocument());

function widget() {
  const element = new FakeElement("section");
  for (const part of ["data-clock-moment", "data-clock-step", "data-clock-time", "data-clock-status"]) {
    const child = new FakeElement("p");
    child.setAttribute(part, "");
    element.append(child);
  }
  element.dataset.assemblyId = "4";
  return element;
}

function fakeConnection() {
  return {
    joins: [],
    handlers: {},
    join(event, payload, onSnapshot, options) {
      this.joins.push({ event, payload, onSnapshot, options });
      return { stop() {} };
    },
    on(event, handler) {
      this.handlers[event] = handler;
      return () => delete this.handlers[event];
    },
  };
}

const state = (version, extra = {}) => ({
  assembly_id: 4,
  status: "paused",
  version,
  started_at: 1000,
  paused_at: 1060,
  paused_total_s: 0,
  duration_s: 600,
  extended_s: 0,
  moment: { title: "Mesas" },
  step: { title: "Necesidades" },
  ...extra,
});

test("the widget joins the clock room through the connection and shows the snapshot", () => {
  const conn = fakeConnection();
  const element = widget();
  const snapshots = [];
  const api = mountClock(element, conn, 4, (snapshot) => snapshots.push(snapshot.version));
  assert.equal(conn.joins[0].event, "join_clock");
  assert.deepEqual(conn.joins[0].payload, { assembly_id: 4 });
  conn.joins[0].onSnapshot({ ok: true, state: state(3) });
  assert.equal(element.querySelector("[data-clock-time]").textContent, "09:00");
  assert.equal(element.querySelector("[data-clock-step]").textContent, "Necesidades");
  assert.equal(element.querySelector("[data-clock-status]").textContent, "En pausa");
  assert.equal(element.dataset.status, "paused");
  // a late older state is ignored, a newer one and another assembly's are told apart
  conn.handlers.clock_state(state(2, { paused_at: 1500 }));
  conn.handlers.clock_state(state(9, { assembly_id: 5 }));
  conn.handlers.clock_state(state(4, { status: "finished" }));
  assert.deepEqual(snapshots, [3, 4]);
  assert.equal(element.querySelector("[data-clock-time]").textContent, "--:--");
  api.stop();
});

test("the widget measures the server's time on its socket after each join, never over HTTP", async () => {
  const conn = fakeConnection();
  const asked = [];
  conn.request = async (event, payload) => {
    asked.push([event, payload]);
    return { ok: true, now: Date.now() / 1000 + 3600, speed: 1 };
  };
  const fetched = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url) => fetched.push(url);
  try {
    const api = mountClock(widget(), conn, 4);
    assert.deepEqual(asked, []); // not before the socket has joined
    conn.joins[0].onSnapshot({ ok: true, state: state(3) });
    await api.clock.sync(); // the sync the join started
    assert.equal(asked.length, 5);
    assert.deepEqual(asked[0], ["clock_time", { assembly_id: 4 }]);
    assert.ok(Math.abs(api.clock.offset() - 3600) < 1, api.clock.offset());
    assert.deepEqual(fetched, []);
    api.stop();
  } finally {
    globalThis.fetch = realFetch;
  }
});

test("a refused join says why on the widget", () => {
  const conn = fakeConnection();
  const element = widget();
  const api = mountClock(element, conn, 4);
  conn.joins[0].options.onRefused({ ok: false, error: "Sin permiso" });
  assert.equal(element.querySelector("[data-clock-status]").textContent, "Sin permiso");
  api.stop();
});

test("on a rehearsal's test clock the screen counts at the server's speed", async () => {
  const { createClock } = await import("../../static/js/shared/clock.js");
  let client = 1000;
  const clock = createClock({
    now: () => client,
    fetch: async () => ({ json: async () => ({ now: 5000, speed: 60 }) }),
    samples: 1,
  });
  await clock.sync();
  assert.equal(clock.serverNow(), 5000);
  client += 2; // two real seconds are two minutes of agenda time
  assert.equal(clock.serverNow(), 5120);
  clock.stop();
});

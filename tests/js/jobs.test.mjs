import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { followJob, fraction, jobText, jobUrl } from "../../static/js/shared/jobs.js";
import { NetworkError, Refusal } from "../../static/js/shared/net.js";
import { FakeElement, installDocument } from "./fake_dom.mjs";

beforeEach(() => installDocument());

const noWait = async () => {};

function reader(answers) {
  const calls = [];
  const read = async (url) => {
    calls.push(url);
    const next = answers.shift();
    if (next instanceof Error) throw next;
    return next;
  };
  return { read, calls };
}

test("a job's URL, share and line of text", () => {
  assert.equal(jobUrl(12), "/api/jobs/12");
  assert.equal(jobUrl("12"), "/api/jobs/12");
  assert.equal(jobUrl("/api/jobs/12"), "/api/jobs/12");
  assert.equal(fraction({ done: 5, total: 20 }), 0.25);
  assert.equal(fraction({ done: 5, total: 0 }), null);
  assert.equal(jobText({ status: "running", done: 120, total: 480, message: "Importando filas" }), "Importando filas · 120 de 480 (25 %)");
  assert.equal(jobText({ status: "failed", error: "La hoja está vacía" }), "La hoja está vacía");
});

test("the bar follows the job until it is done, then resolves with its result", async () => {
  const element = new FakeElement("div");
  const { read, calls } = reader([
    { status: "pending", done: 0, total: 0 },
    { status: "running", done: 2, total: 4, message: "Leyendo" },
    { status: "done", done: 4, total: 4, result: { imported: 4 } },
  ]);
  const seen = [];
  const result = await followJob(element, 9, { read, sleep: noWait, onUpdate: (job) => seen.push(job.status) });
  assert.deepEqual(result, { imported: 4 });
  assert.deepEqual(calls, ["/api/jobs/9", "/api/jobs/9", "/api/jobs/9"]);
  assert.deepEqual(seen, ["pending", "running", "done"]);
  const bar = element.querySelector("[data-job-bar]");
  assert.equal(bar.value, 1);
  assert.equal(element.dataset.jobStatus, "done");
});

test("a failed job rejects with its error; a lost network only says so and keeps asking", async () => {
  const element = new FakeElement("div");
  const { read, calls } = reader([new NetworkError(), { status: "running", done: 1, total: 2 }, { status: "failed", error: "Columna sin nombre" }]);
  await assert.rejects(followJob(element, "/api/jobs/3", { read, sleep: noWait }), /Columna sin nombre/);
  assert.equal(calls.length, 3);
});

test("a refusal (no permission, no such job) stops at once", async () => {
  const element = new FakeElement("div");
  const { read } = reader([new Refusal({ ok: false, error: "No encontrado" }, 404)]);
  await assert.rejects(followJob(element, 5, { read, sleep: noWait }), /No encontrado/);
});

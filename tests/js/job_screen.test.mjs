import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { init } from "../../static/js/screens/job.js";
import { FakeElement, installDocument } from "./fake_dom.mjs";

// The page as the server rendered it: one [data-job] element (only for a job not ended yet).
function page(jobId) {
  const document = installDocument();
  const element = new FakeElement("div");
  element.setAttribute("data-job", String(jobId));
  element.dataset.job = String(jobId);
  document.querySelectorAll = (selector) => (selector === "[data-job]" ? [element] : []);
  document.querySelector = () => null;
  return element;
}

function reloads() {
  const seen = [];
  let settle;
  const reloaded = new Promise((resolve) => (settle = resolve));
  globalThis.window = { location: { reload: () => (seen.push("reload"), settle()) } };
  return { seen, reloaded };
}

function serve(answers) {
  globalThis.fetch = async () => {
    const [status, body] = answers.length > 1 ? answers.shift() : answers[0];
    return { ok: status === 200, status, redirected: false, url: "http://x/api/jobs/1", json: async () => body };
  };
}

beforeEach(() => delete globalThis.window);

test("a job that ended before the page's first poll still reloads the page (a small import)", async () => {
  page(7);
  const { seen, reloaded } = reloads();
  serve([[200, { ok: true, job: { status: "done", done: 40, total: 40, result: { new: 40 } } }]]);
  init();
  await reloaded;
  assert.deepEqual(seen, ["reload"]);
});

test("a job that fails reloads the page too (it shows why)", async () => {
  page(8);
  const { seen, reloaded } = reloads();
  serve([[200, { ok: true, job: { status: "failed", error: "Hoja vacía" } }]]);
  init();
  await reloaded;
  assert.deepEqual(seen, ["reload"]);
});

test("a job that cannot be read (gone, no permission) never reloads: no loop", async () => {
  const element = page(9);
  const { seen } = reloads();
  serve([[404, { ok: false, error: "Esta tarea no existe." }]]);
  init();
  for (let i = 0; i < 20 && element.dataset.jobStatus === undefined; i += 1) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, []);
});

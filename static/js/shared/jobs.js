// The progress bar of a background job (contract 8: imports, the split, exports).
//
//   const result = await followJob(element, jobId);        // or followJob(element, "/api/jobs/7")
//
// ``element`` gets a <progress> and a line of text (or uses the ones it has: [data-job-bar],
// [data-job-text]); the job is read from GET /api/jobs/<id> →
// {status, done, total, message, result, error} every `interval` ms (slower after network
// errors, which only say so: the job goes on on the server) until its status is final. Resolves
// with `result` when it succeeded, rejects with an Error (message = the job's error) when it
// failed; ``onUpdate(job)`` sees every answer. A page can also mark an element
// <div data-job="<id or url>"> and boot the "job" screen, which follows every such element and
// reloads the page when the jobs it saw running have ended.
import { el } from "./dom.js";
import { t } from "./i18n.js";
import { getJson, NetworkError } from "./net.js";

const DONE = new Set(["done", "finished", "succeeded", "success"]);
const FAILED = new Set(["failed", "error", "cancelled", "canceled"]);

/** True once a job's status will not change any more. */
export function isFinal(status) {
  return DONE.has(status) || FAILED.has(status);
}

/** The URL of a job given its id or its URL. */
export function jobUrl(job) {
  return typeof job === "number" || /^\d+$/.test(String(job)) ? `/api/jobs/${job}` : String(job);
}

/** Share done, 0–1 (null when the total is not known yet). */
export function fraction(job) {
  if (!job || !(job.total > 0)) return null;
  return Math.max(0, Math.min(1, (job.done || 0) / job.total));
}

/** What the line under the bar says. */
export function jobText(job) {
  if (!job) return t("Esperando…");
  if (DONE.has(job.status)) return job.message || t("Listo.");
  if (FAILED.has(job.status)) return job.error || job.message || t("El trabajo falló.");
  const share = fraction(job);
  const count = job.total > 0 ? t("{done} de {total}", { done: job.done || 0, total: job.total }) : "";
  const percent = share == null ? "" : ` (${Math.round(share * 100)} %)`;
  return [job.message || t("Trabajando…"), count && `${count}${percent}`].filter(Boolean).join(" · ");
}

function parts(element) {
  let bar = element.querySelector("[data-job-bar]");
  let text = element.querySelector("[data-job-text]");
  if (!bar) {
    bar = el("progress", { "data-job-bar": "", max: 1 });
    element.append(bar);
  }
  if (!text) {
    text = el("p", { "data-job-text": "", class: "job-text", role: "status", "aria-live": "polite" });
    element.append(text);
  }
  return { bar, text };
}

/** Show ``job`` (one answer of /api/jobs/<id>) in ``element``. */
export function renderJob(element, job) {
  const { bar, text } = parts(element);
  const share = fraction(job);
  if (share == null && !DONE.has(job?.status)) bar.removeAttribute("value");
  else bar.value = DONE.has(job?.status) ? 1 : share;
  text.textContent = jobText(job);
  element.dataset.jobStatus = job?.status || "pending";
}

/** Follow a job until it ends (see the top of this file). */
export function followJob(element, job, { interval = 700, read = getJson, sleep, onUpdate } = {}) {
  const wait = sleep || ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const url = jobUrl(job);
  return (async () => {
    let delay = interval;
    for (;;) {
      let answer;
      try {
        answer = await read(url);
        delay = interval;
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error; // 404, no permission: not ours to fix
        parts(element).text.textContent = t("Sin conexión: el trabajo sigue en el servidor; reintentando…");
        delay = Math.min(delay * 2, 10000);
        await wait(delay);
        continue;
      }
      const state = answer.job || answer;
      renderJob(element, state);
      onUpdate?.(state);
      if (DONE.has(state.status)) return state.result;
      if (FAILED.has(state.status)) throw new Error(jobText(state));
      await wait(delay);
    }
  })();
}

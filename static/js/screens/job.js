// Pages that show background jobs: every [data-job="<id or url>"] gets its progress bar
// (shared/jobs.js). The server renders such an element only for a job that had not ended, so
// once every job of the page has settled and at least one was seen to end (done or failed),
// the page reloads to show what it made, even when the job ended before the first poll (a
// small list imports in less time than the page takes to load). A job that cannot be read
// (no permission, gone) is not seen to end: the page stays, saying why, and never loops.
import { $$ } from "../shared/dom.js";
import { followJob, isFinal } from "../shared/jobs.js";

export function init() {
  const elements = $$("[data-job]");
  if (!elements.length) return;
  let sawEnd = false;
  const onUpdate = (job) => {
    if (isFinal(job.status)) sawEnd = true;
  };
  const runs = elements.map((element) => followJob(element, element.dataset.job, { onUpdate }));
  Promise.allSettled(runs).then(() => {
    if (sawEnd) window.location.reload();
  });
}

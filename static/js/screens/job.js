// Pages that show background jobs: every [data-job="<id or url>"] gets its progress bar
// (shared/jobs.js); when the jobs this page saw running have all ended, it reloads to show what
// they made (a page opened after they ended does not reload).
import { $$ } from "../shared/dom.js";
import { followJob, isFinal } from "../shared/jobs.js";

export function init() {
  const elements = $$("[data-job]");
  if (!elements.length) return;
  let sawRunning = false;
  const onUpdate = (job) => {
    if (!isFinal(job.status)) sawRunning = true;
  };
  const runs = elements.map((element) => followJob(element, element.dataset.job, { onUpdate }));
  Promise.allSettled(runs).then(() => {
    if (sawRunning) window.location.reload();
  });
}

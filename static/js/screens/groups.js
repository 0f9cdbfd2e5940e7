// Groups screen and a facilitator's mesa: follow the assembly's room and offer a reload when
// someone else changes the split (the page itself is server-rendered; reloading is the update).
import { $$ } from "../shared/dom.js";
import { connect } from "../shared/socket.js";

export function init() {
  // A mesa's facilitator select saves as soon as it changes.
  for (const select of $$("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
    const button = select.form.querySelector("button[type=submit]");
    if (button) button.style.display = "none"; // saves on change; the button is the no-JS way
  }

  const root = document.getElementById("mesas");
  const banner = document.getElementById("live-banner");
  if (!root || !banner) return;
  const assemblyId = Number(root.dataset.assemblyId);
  const mine = (root.dataset.groupIds || "").split(",").filter(Boolean).map(Number);
  const conn = connect({ assemblyId });
  let pending = 1 + mine.length;
  const joined = () => {
    pending -= 1;
    if (pending <= 0) root.dataset.live = "joined"; // every room joined (tests wait for it)
  };
  conn.join("join_assembly", { assembly_id: assemblyId }, joined);
  for (const groupId of mine) {
    conn.join("follow_group", { assembly_id: assemblyId, group_id: groupId }, joined);
  }
  conn.on("grouping_changed", (event) => {
    if (event.assembly_id !== assemblyId) return;
    if (mine.length && !event.group_ids.some((id) => mine.includes(id))) return;
    banner.hidden = false;
  });
}

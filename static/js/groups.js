// Groups screen and a facilitator's mesa: follow the assembly's room and offer a reload when
// someone else changes the split (the page itself is server-rendered; reloading is the update).
const root = document.getElementById("mesas");
const banner = document.getElementById("live-banner");

// A mesa's facilitator select saves as soon as it changes.
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.requestSubmit());
  const button = select.form.querySelector("button[type=submit]");
  if (button) button.style.display = "none"; // saves on change; the button is the no-JS way
}

if (root && banner && window.io) {
  const assemblyId = Number(root.dataset.assemblyId);
  const mine = (root.dataset.groupIds || "").split(",").filter(Boolean).map(Number);
  const socket = window.io({ transports: ["websocket", "polling"] });
  socket.on("connect", () => {
    socket.emit("join_assembly", { assembly_id: assemblyId }, () => {});
    for (const groupId of mine) socket.emit("follow_group", { assembly_id: assemblyId, group_id: groupId }, () => {});
  });
  socket.on("grouping_changed", (event) => {
    if (event.assembly_id !== assemblyId) return;
    if (mine.length && !event.group_ids.some((id) => mine.includes(id))) return;
    banner.hidden = false;
  });
}

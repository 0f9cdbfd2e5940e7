// The attendee's vote page (/t/<ticket>/votar): reloads itself when a vote opens or closes,
// so nobody has to refresh; the vote itself is a plain form (works without JavaScript).
const root = document.querySelector("[data-vote-page]");
const assemblyId = Number(root.dataset.assemblyId);
const socket = window.io({ auth: { ticket: root.dataset.ticket } });
let known = null;

socket.on("connect", () => {
  socket.emit("join_votes", { assembly_id: assemblyId }, (ack) => {
    if (!ack || !ack.ok) return;
    const open = ack.open.join(",");
    const shown = [...root.querySelectorAll("input[name=approval_id]")].map((i) => i.value).join(",");
    if (open !== shown) window.location.reload(); // something changed while we were away
    known = open;
  });
});

socket.on("approval_changed", (payload) => {
  if (payload.assembly_id !== assemblyId || known === null) return;
  window.location.reload();
});

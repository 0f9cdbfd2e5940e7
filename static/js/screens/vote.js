// The attendee's vote page (/t/<ticket>/votar): reloads itself when a vote opens or closes,
// so nobody has to refresh; the vote itself is a plain form (works without JavaScript).
import { $$ } from "../shared/dom.js";
import { connect } from "../shared/socket.js";

export function init() {
  const root = document.querySelector("[data-vote-page]");
  const assemblyId = Number(root.dataset.assemblyId);
  const conn = connect({ auth: { ticket: root.dataset.ticket }, assemblyId });
  let known = null;

  conn.join("join_votes", { assembly_id: assemblyId }, (ack) => {
    const open = ack.open.join(",");
    const shown = $$("input[name=approval_id]", root).map((input) => input.value).join(",");
    if (open !== shown) window.location.reload(); // something changed while we were away
    known = open;
  });
  conn.on("approval_changed", (payload) => {
    if (payload.assembly_id !== assemblyId || known === null) return;
    window.location.reload();
  });
}

// The survey's corner on the projected board ([data-board-survey], followup/_board_survey.html):
// shown while the satisfaction survey is open, hidden otherwise. The state is read from the
// server on every (re)connect (GET data-state-url → {state, closes_in}) and follows the
// staff room's `survey_changed` (open, close, each answer); the window's own end hides it
// too. The board's layout gives the corner a column of its own (board.css), so showing it
// narrows the stage (the board lays out again) instead of covering pieces.
import { getJson } from "../shared/net.js";
import { pageConnection } from "../shared/socket.js";

export function init() {
  const corner = document.querySelector("[data-board-survey]");
  const root = document.querySelector("[data-board]");
  if (!corner || !root) return;
  const assemblyId = Number(root.dataset.assemblyId);
  let closing = 0;

  function show(state, closesIn = null) {
    corner.dataset.state = state;
    corner.hidden = state !== "abierta";
    clearTimeout(closing);
    if (!corner.hidden && closesIn != null) {
      closing = setTimeout(() => show("cerrada"), Math.min(closesIn * 1000, 2 ** 31 - 1));
    }
  }

  async function read() {
    try {
      const answer = await getJson(corner.dataset.stateUrl);
      show(answer.state, answer.closes_in);
    } catch (error) {
      console.warn("survey state unavailable", error); // the corner keeps what it showed
    }
  }

  const conn = pageConnection({ assemblyId }); // the board's own socket: one a page
  conn.join("join_assembly", { assembly_id: assemblyId }, () => {
    read();
    corner.dataset.live = "joined"; // tests wait for it
  });
  conn.on("survey_changed", (event) => {
    if (event.assembly_id === assemblyId && event.state !== corner.dataset.state) read();
  });
}

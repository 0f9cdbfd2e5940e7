// The board's controls: the phone's tabs and swipe, and the moderator's keys (pages, the
// rotation's pace) and clicks (a piece's zoom) on the projector. board.js owns what they move.

/** The phone board: a tab of the strip shows its mesa; a horizontal swipe turns the page. */
export function phoneControls({ progress, stage, showGroup, turnPage }) {
  progress.addEventListener("click", (event) => {
    const button = event.target.closest("[data-group-id]");
    if (button) showGroup(Number(button.dataset.groupId));
  });
  let start = null;
  stage.addEventListener("touchstart", (event) => {
    const touch = event.changedTouches[0];
    start = { x: touch.clientX, y: touch.clientY };
  }, { passive: true });
  stage.addEventListener("touchend", (event) => {
    if (!start) return;
    const touch = event.changedTouches[0];
    const dx = touch.clientX - start.x;
    const dy = touch.clientY - start.y;
    start = null;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 1.5 * Math.abs(dy)) {
      turnPage(dx < 0 ? 1 : -1);
      window.scrollTo({ top: stage.offsetTop - 8 });
    }
  }, { passive: true });
}

/**
 * The moderator's projector: arrows turn pages, + / - set the rotation's pace (``changePace``
 * with the step in seconds), a click or Enter on a piece zooms it (``command`` sends the
 * plenary command), a click on the zoom closes it.
 */
export function moderatorControls({ layers, zoomLayer, turnPage, changePace, command }) {
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, select")) return;
    if (event.key === "ArrowRight" || event.key === "PageDown") turnPage(1);
    else if (event.key === "ArrowLeft" || event.key === "PageUp") turnPage(-1);
    else if (event.key === "+" || event.key === "-") changePace(event.key === "+" ? 5 : -5);
  });
  for (const layer of layers) {
    layer.addEventListener("click", (event) => {
      const node = event.target.closest("[data-piece-id]");
      if (node) command({ action: "zoom", piece_id: node.dataset.pieceId });
    });
    layer.addEventListener("keydown", (event) => {
      const node = event.target.closest("[data-piece-id]");
      if (node && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        command({ action: "zoom", piece_id: node.dataset.pieceId });
      }
    });
  }
  zoomLayer.addEventListener("click", () => command({ action: "unzoom" }));
}

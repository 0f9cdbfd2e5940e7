// The desk's shared state: the page, its parts and what several parts read (the desk's name,
// the connection, the laptop's scan queue, one action at a time). Filled by the screen's init()
// (screens/desk.js); nothing here runs at import.

export const desk = {
  root: null, // #desk
  els: null, // its parts, by name (elements())
  assemblyId: 0,
  name: "", // this desk's name ("Mesa 2"), asked once and kept in localStorage
  conn: null, // the Socket.IO connection (counters, clock)
  rules: null, // the ticket rules (shared/tickets.js)
  queue: null, // the scan queue (lib/desk_queue.js)
  busy: false, // a check-in, undo or salida is on its way
};

/** The parts of the page, by name. */
export function elements(root) {
  const $ = (selector) => root.querySelector(selector);
  return {
    input: $("#scan-input"),
    results: $("[data-results]"),
    empty: $("[data-search-empty]"),
    result: $("[data-result]"),
    title: $("[data-result-title]"),
    name: $("[data-result-name]"),
    detail: $("[data-result-detail]"),
    seat: $("[data-result-seat]"),
    badge: $("[data-result-badge]"),
    complete: $("[data-result-complete]"),
    retry: $("[data-retry]"),
    checkOut: $("[data-check-out]"),
    undo: $("[data-undo]"),
    undoHint: $("[data-undo-hint]"),
    walkIn: $("[data-walk-in]"),
    deskName: $("[data-desk-name]"),
    changeDesk: $("[data-change-desk]"),
    setup: $("[data-desk-setup]"),
    work: $("[data-desk-work]"),
    net: $("[data-net]"),
    camera: $("[data-camera]"),
    cameraLabel: $("[data-camera-label]"),
    cameraPanel: $("[data-camera-panel]"),
    video: $("[data-camera-video]"),
    cameraStatus: $("[data-camera-status]"),
    narrowBox: $("[data-narrow-box]"),
    narrow: $("[data-narrow]"),
    count: $("[data-search-count]"),
    more: $("[data-more]"),
    recent: $("[data-recent]"),
    recentEmpty: $("[data-recent-empty]"),
    queueBox: $("[data-queue]"),
    queueTitle: $("[data-queue-title]"),
    queueList: $("[data-queue-list]"),
  };
}

export function focusInput() {
  if (!desk.els.work.hidden) desk.els.input.focus({ preventScroll: true });
}

export function socketConnected() {
  return Boolean(desk.conn?.connected);
}

// The registration desk (templates/desk/desk.html).
//
// One always-focused input takes everything: a USB/Bluetooth scanner types the ticket URL
// (…/t/<token>) and Enter; a person types a name or document number and picks a result with
// the arrows + Enter or a tap.  Every check-in is one POST; the answer is shown big: green
// (checked in), amber (already, at HH:MM by desk N) or red (unknown ticket).  Nothing is lost
// silently.  Counters arrive over Socket.IO (room desk:<assembly>); the camera decoder (jsQR)
// is loaded only when the camera button is pressed.
//
// This module wires the parts in screens/desk/: state (the shared state), panel (the answer),
// checkin (scan queue, pick, salida), search, recent (recent arrivals, undo), counters, camera;
// here the desk's name, the focus and the connection.
import { mountClock } from "../shared/clock.js";
import { t } from "../shared/i18n.js";
import { ScanQueue } from "../lib/desk_queue.js";
import { connect } from "../shared/socket.js";
import { ticketRules } from "../shared/tickets.js";
import { mountCamera, toggleCamera } from "./desk/camera.js";
import { checkInPerson, checkOut, resumeQueue, scan, syncQueue } from "./desk/checkin.js";
import { refreshCounters, renderCounters } from "./desk/counters.js";
import { retryAction } from "./desk/panel.js";
import { loadRecent, mountRecent } from "./desk/recent.js";
import { listenSearch } from "./desk/search.js";
import { desk, elements, focusInput } from "./desk/state.js";

const STORE_DESK = "asamblea.desk.name";
let els; // set by init(): the page's parts (desk.els)

// ------------------------------------------------------------------ desk name

function setDesk(name) {
  desk.name = (name || "").trim().replace(/\s+/g, " ").slice(0, 40);
  if (desk.name) localStorage.setItem(STORE_DESK, desk.name);
  if (els.recent && desk.name) loadRecent();
  els.deskName.textContent = desk.name ? `· ${desk.name}` : "";
  const params = new URLSearchParams(location.search);
  if (desk.name) params.set("desk", desk.name);
  history.replaceState(null, "", `${location.pathname}?${params}`);
  els.walkIn.href = `${desk.root.dataset.walkInUrl}?${new URLSearchParams({ desk: desk.name, return: "desk" })}`;
  els.setup.hidden = Boolean(desk.name);
  els.work.hidden = !desk.name;
  els.changeDesk.hidden = !desk.name;
  if (desk.name) focusInput();
  else document.getElementById("desk-name-input").focus();
}

let pendingTicket = null; // a walk-in's ?checkin= that arrived before the desk had a name

function listenSetup() {
  els.setup.addEventListener("submit", (event) => {
    event.preventDefault();
    setDesk(document.getElementById("desk-name-input").value);
    if (desk.name && pendingTicket) {
      const ticket = pendingTicket;
      pendingTicket = null;
      scan(ticket);
    }
  });

  els.changeDesk.addEventListener("click", () => {
    document.getElementById("desk-name-input").value = desk.name;
    els.setup.hidden = false;
    els.work.hidden = true;
    els.changeDesk.hidden = true;
    document.getElementById("desk-name-input").select();
  });
}

// ------------------------------------------------------------------ focus

// Focus that falls to nothing (a click on the page, a closed result) goes back to the input,
// so the scanner never types into the void.  Links and buttons keep their keyboard focus.
function keepFocus() {
  document.addEventListener("focusout", () => {
    setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body || active === els.result) focusInput();
    }, 0);
  });
  document.addEventListener("keydown", (event) => {
    const active = document.activeElement;
    const typing = active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
    if (!typing && !els.work.hidden && event.key.length === 1 && !event.ctrlKey && !event.metaKey) {
      focusInput(); // the key lands in the input
    }
  });
}

function listenActions() {
  els.checkOut?.addEventListener("click", () => checkOut());
  els.retry.addEventListener("click", () => {
    const action = retryAction;
    if (action) {
      els.input.value = "";
      action();
    }
  });
}

// ------------------------------------------------------------------ connection

function setNet(state, text) {
  els.net.dataset.state = state;
  els.net.textContent = text;
}

function connectSocket() {
  const assemblyId = desk.assemblyId;
  const conn = (desk.conn = connect({ assemblyId }));
  conn.onStatus((status) => {
    if (status === "offline" || status === "refused") setNet("offline", t("Sin conexión con el servidor"));
    if (status === "online" && desk.queue.items.length) syncQueue(); // the server is back: send now
  });
  conn.join(
    "join_desk",
    { assembly_id: assemblyId },
    (ack) => {
      setNet("online", t("En línea"));
      renderCounters(ack.state);
    },
    { onRefused: (ack) => setNet("offline", ack.error || t("Sin contadores en vivo")) },
  );
  conn.on("desk_counters", renderCounters);
  const clock = document.querySelector("[data-clock]");
  if (clock) mountClock(clock, conn, assemblyId);
  window.addEventListener("offline", () => setNet("offline", t("Sin red en este equipo")));
  window.addEventListener("online", () => syncQueue());
}

// ------------------------------------------------------------------ start

export function init() {
  desk.root = document.getElementById("desk");
  desk.assemblyId = Number(desk.root.dataset.assemblyId);
  desk.els = els = elements(desk.root);
  desk.rules = ticketRules(desk.root.dataset.ticketRules);
  desk.queue = new ScanQueue(localStorage, `asamblea.desk.queue.${desk.assemblyId}`);
  listenSetup();
  keepFocus();
  mountRecent();
  listenActions();
  listenSearch({ onPick: checkInPerson, onTicket: scan });
  mountCamera(els, { url: desk.root.dataset.jsqrUrl, code: scan, busy: () => desk.busy });
  els.camera.addEventListener("click", () => {
    toggleCamera();
    focusInput();
  });

  const params = new URLSearchParams(location.search);
  setDesk(params.get("desk") || localStorage.getItem(STORE_DESK) || "");
  connectSocket();
  refreshCounters();
  resumeQueue();

  // The walk-in form comes back with ?checkin=<token>: check the new person in at once.
  const pending = params.get("checkin");
  if (pending) {
    params.delete("checkin");
    history.replaceState(null, "", `${location.pathname}?${params}`);
    if (desk.name) scan(pending);
    else pendingTicket = pending;
  }
}

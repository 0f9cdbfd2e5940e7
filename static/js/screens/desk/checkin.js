// Every way a person is checked in at the desk, and the answer shown. A scan first goes into
// this laptop's queue (lib/desk_queue.js) with a UUID and its time: with no network it stays
// there, "pendiente", and is sent by itself when the server answers again (the server counts
// each UUID once; the earliest scan wins). A pick from the search is one POST that needs the
// server: if the network fails the panel says it was not recorded. «Registrar salida» too.
import { el } from "../../shared/dom.js";
import { t } from "../../shared/i18n.js";
import { postJson } from "../../shared/net.js";
import { backoff } from "../../shared/socket.js";
import { sendQueued } from "../../lib/desk_queue.js";
import { refreshCounters } from "./counters.js";
import { beep, leaving, personDetail, seatText, show, showFailure } from "./panel.js";
import { loadRecent, rememberLast } from "./recent.js";
import { clearResults } from "./search.js";
import { desk, focusInput, socketConnected } from "./state.js";

let live = null; // the queued scan the big panel is waiting for
let syncing = false;
let syncAgain = false;
let syncTimer = 0;
let syncFailures = 0;
const waited = new Set(); // ids of queued scans that had to wait
const answered = []; // scans answered after waiting in the queue, newest first (this session)

/** What the outcome card shows of a person found (checked in now or already). */
function personCard(person) {
  return {
    person,
    name: person.name,
    detail: personDetail(person),
    seat: seatText(person),
    badge: person.badge_url,
    complete: person.incomplete ? person.complete_url : null,
  };
}

function showOutcome(data) {
  const person = data.person;
  if (data.result === "ok") {
    show("ok", {
      // (no t() inside template literals: the catalog extraction does not see them)
      title: data.returned
        ? "✓ " + t("Regreso registrado")
        : "✓ " + t("Llegada registrada") + (person.checked_in_time ? " · " + person.checked_in_time : ""),
      ...personCard(person),
    });
    rememberLast(person);
    loadRecent();
  } else if (data.result === "already") {
    show("already", {
      title: t("Ya registrada a las {time} en {desk}", {
        time: person.checked_in_time,
        desk: person.checked_in_desk || t("otra mesa"),
      }),
      ...personCard(person),
    });
  } else {
    show("unknown", {
      title: `✗ ${t("Tiquete no válido")}`,
      detail: `${data.message} ${t("Busque a la persona por nombre o documento.")}`,
    });
  }
  beep(data.result);
}

async function checkIn(body, { restoreText = "" } = {}) {
  const els = desk.els;
  if (desk.busy) return;
  desk.busy = true;
  live = null; // the panel now answers this pick, not a queued scan
  els.result.setAttribute("aria-busy", "true");
  try {
    const data = await postJson(desk.root.dataset.checkinUrl, { ...body, desk: desk.name });
    showOutcome(data);
    if (!socketConnected()) refreshCounters();
  } catch (error) {
    if (restoreText && !els.input.value) els.input.value = restoreText;
    showFailure(error, () => checkIn(body, { restoreText }));
  } finally {
    desk.busy = false;
    els.result.removeAttribute("aria-busy");
    focusInput();
  }
}

/** A person picked from the search. */
export function checkInPerson(person) {
  clearResults();
  desk.els.input.value = "";
  return checkIn({ attendee_id: person.id });
}

/** A ticket scanned (or typed): queued, then sent. */
export function scan(text) {
  clearResults();
  desk.els.input.value = "";
  live = desk.queue.add(text, desk.name).id;
  renderQueue();
  return syncQueue();
}

export async function checkOut() {
  const person = leaving;
  if (!person || desk.busy) return;
  desk.busy = true;
  try {
    const data = await postJson(desk.root.dataset.checkoutUrl, { attendee_id: person.id });
    show("undone", {
      title: t("Salida registrada · {time}", { time: data.person.checked_out_time }),
      name: data.person.name,
      detail: t("Ya no cuenta como presente. Si vuelve, escanee su tiquete otra vez."),
      seat: seatText(data.person),
    });
    if (!socketConnected()) refreshCounters();
  } catch (error) {
    showFailure(error, null);
  } finally {
    desk.busy = false;
    focusInput();
  }
}

// ------------------------------------------------------------------ the scan queue

/** Scans kept from before a reload: shown, and sent now. */
export function resumeQueue() {
  renderQueue();
  for (const item of desk.queue.items) waited.add(item.id);
  if (desk.queue.items.length) syncQueue();
}

function sendScan(item) {
  // A hung server is no answer: after 10 s the scan stays queued and goes again.
  return postJson(desk.root.dataset.checkinUrl, desk.queue.body(item), { signal: AbortSignal.timeout(10000) });
}

export async function syncQueue() {
  if (syncing) {
    syncAgain = true;
    return;
  }
  syncing = true;
  clearTimeout(syncTimer);
  try {
    const empty = await sendQueued(desk.queue, sendScan, { onResult: scanAnswered, onKept: scanKept });
    if (empty) syncFailures = 0;
    else syncTimer = setTimeout(syncQueue, backoff(syncFailures++, { base: 2000, max: 15000 }));
  } finally {
    syncing = false;
    renderQueue();
    if (syncAgain) {
      syncAgain = false;
      syncQueue();
    }
  }
}

function scanAnswered(item, { data, error }) {
  const shown = item.id === live;
  if (shown) {
    live = null;
    if (data) showOutcome(data);
    else {
      if (!desk.els.input.value) desk.els.input.value = item.ticket; // refused: back in the input
      showFailure(error, null);
    }
  } else if (data?.result === "ok") {
    loadRecent();
  }
  if (waited.delete(item.id)) {
    answered.unshift({ item, data, error }); // it was "pendiente": say how it ended
    answered.splice(20);
  }
  if (data?.result === "ok" && !socketConnected()) refreshCounters();
}

function scanKept(item, error) {
  for (const other of desk.queue.items) waited.add(other.id);
  if (live && waited.has(live)) showPending(error);
}

function showPending(error) {
  const waiting = desk.queue.items.length;
  show("pending", {
    title: t("Pendiente: se registrará al volver la conexión"),
    detail:
      error?.status === 401
        ? t("La sesión se cerró: el escaneo queda guardado en este equipo. Vuelva a iniciar sesión en otra pestaña.")
        : t("El escaneo quedó guardado en este equipo ({n} pendientes) y se enviará solo. Puede seguir escaneando.", {
            n: waiting,
          }),
    retry: syncQueue,
  });
}

function clockTime(ms) {
  // The venue's time, as every other time on the desk (the laptop's zone may differ).
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  try {
    return new Date(ms).toLocaleTimeString("es-CO", { ...options, timeZone: desk.root.dataset.timeZone });
  } catch {
    return new Date(ms).toLocaleTimeString("es-CO", options); // an unknown zone name
  }
}

function answeredText({ data, error }) {
  if (error) return [error.message, "error"];
  if (data.result === "ok") return [`✓ ${data.person.name} · ${seatText(data.person)}`, "ok"];
  if (data.result === "already") return [`${data.person.name}: ${data.message}`, "already"];
  return [`✗ ${t("Tiquete no válido")}: ${data.message}`, "unknown"];
}

function renderQueue() {
  const els = desk.els;
  const waiting = desk.queue.items;
  els.queueBox.hidden = !waiting.length && !answered.length;
  els.queueTitle.textContent = waiting.length
    ? t("Escaneos pendientes de enviar: {n}", { n: waiting.length })
    : t("Escaneos enviados al volver la conexión");
  els.queueList.replaceChildren(
    ...waiting.map((item) =>
      el(
        "li",
        { class: "queue-item", "data-state": "pending" },
        el("span", { class: "recent-time", text: clockTime(item.at) }),
        el("span", { class: "queue-state", text: t("pendiente") }),
        el("span", { class: "meta", text: `…${item.ticket.slice(-6)}` }),
      ),
    ),
    ...answered.map((entry) => {
      const [text, kind] = answeredText(entry);
      return el(
        "li",
        { class: "queue-item", "data-state": kind },
        el("span", { class: "recent-time", text: clockTime(entry.item.at) }),
        el("span", { class: "queue-state", text }),
      );
    }),
  );
}

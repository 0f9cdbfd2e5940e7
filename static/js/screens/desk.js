// The registration desk (templates/desk/desk.html).
//
// One always-focused input takes everything: a USB/Bluetooth scanner types the ticket URL
// (…/t/<token>) and Enter; a person types a name or document number and picks a result with
// the arrows + Enter or a tap.  Every check-in is one POST; the answer is shown big: green
// (checked in), amber (already, at HH:MM by desk N) or red (unknown ticket).  A scan first goes
// into this laptop's queue (lib/desk_queue.js) with a UUID and its time: with no network it
// stays there, "pendiente", and is sent by itself when the server answers again (the server
// counts each UUID once; the earliest scan wins).  A pick from the search needs the server:
// if the network fails the screen says it was not recorded.  Nothing is lost silently.
// Counters arrive over Socket.IO (room desk:<assembly>); the camera decoder (jsQR) is loaded
// only when the camera button is pressed.
import { mountClock } from "../shared/clock.js";
import { el } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { ScanQueue, sendQueued } from "../lib/desk_queue.js";
import { getJson, NetworkError, postJson, Refusal } from "../shared/net.js";
import { backoff, connect } from "../shared/socket.js";
import { looksLikeTicket, ticketRules } from "../shared/tickets.js";
import { mountCamera, toggleCamera } from "./desk_camera.js";
import { paintCounters } from "./desk_counters.js";

// Set by init(): the page, its parts, the connection.
let root, assemblyId, els, conn, STORE_LAST, lastCheckIn, rules, queue;
const $ = (selector) => root.querySelector(selector);

function elements() {
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

const STORE_DESK = "asamblea.desk.name";
let desk = "";
let results = [];
let highlighted = -1;
// Enter on a name checks in only when exactly one person matches; with several, the first
// Enter selects (arms) the highlighted one and a second Enter on the same one confirms.
let armed = -1;
let total = 0;
let nextOffset = null;
let resultsFor = null; // the "text|narrow" the shown results answer
let searchTimer = null;
let searchSeq = 0;
let busy = false;
let retryAction = null;
let leaving = null; // the present person shown in the result panel: "Registrar salida" applies to them

// ------------------------------------------------------------------ desk name

function setDesk(name) {
  desk = (name || "").trim().replace(/\s+/g, " ").slice(0, 40);
  if (desk) localStorage.setItem(STORE_DESK, desk);
  if (els.recent && desk) loadRecent();
  els.deskName.textContent = desk ? `· ${desk}` : "";
  const params = new URLSearchParams(location.search);
  if (desk) params.set("desk", desk);
  history.replaceState(null, "", `${location.pathname}?${params}`);
  els.walkIn.href = `${root.dataset.walkInUrl}?${new URLSearchParams({ desk, return: "desk" })}`;
  els.setup.hidden = Boolean(desk);
  els.work.hidden = !desk;
  els.changeDesk.hidden = !desk;
  if (desk) focusInput();
  else document.getElementById("desk-name-input").focus();
}

let pendingTicket = null; // a walk-in's ?checkin= that arrived before the desk had a name

function listenSetup() {
  els.setup.addEventListener("submit", (event) => {
    event.preventDefault();
    setDesk(document.getElementById("desk-name-input").value);
    if (desk && pendingTicket) {
      const ticket = pendingTicket;
      pendingTicket = null;
      scan(ticket);
    }
  });

  els.changeDesk.addEventListener("click", () => {
    document.getElementById("desk-name-input").value = desk;
    els.setup.hidden = false;
    els.work.hidden = true;
    els.changeDesk.hidden = true;
    document.getElementById("desk-name-input").select();
  });
}

// ------------------------------------------------------------------ focus

function focusInput() {
  if (!els.work.hidden) els.input.focus({ preventScroll: true });
}

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

// ------------------------------------------------------------------ result panel

function show(kind, { title, name = "", detail = "", seat = "", badge = null, retry = null, complete = null, person = null }) {
  els.result.dataset.kind = kind;
  // The optional "salida": offered for the person shown while they count as present.
  leaving = person && person.checked_in && !person.checked_out ? person : null;
  if (els.checkOut) els.checkOut.hidden = !leaving;
  // An imported person without the form's required fields: the desk completes the form.
  if (els.complete) {
    els.complete.hidden = !complete;
    if (complete) els.complete.href = `${complete}&${new URLSearchParams({ desk })}`;
  }
  els.title.textContent = title;
  els.name.textContent = name;
  els.detail.textContent = detail;
  els.seat.textContent = seat;
  els.badge.hidden = !badge;
  if (badge) els.badge.href = badge;
  retryAction = retry;
  els.retry.hidden = !retry;
  // Re-trigger the flash animation even when the same kind repeats.
  els.result.classList.remove("flash-in");
  void els.result.offsetWidth;
  els.result.classList.add("flash-in");
}

function seatText(person) {
  if (!person || person.mesa == null) return t("Mesa temática: por asignar");
  const theme = person.theme ? ` · ${person.theme}` : "";
  const table = person.table != null ? ` · ${t("Sub-mesa {number}", { number: person.table })}` : "";
  return `${t("Mesa {number}", { number: person.mesa })}${table}${theme}`;
}

function personDetail(person) {
  const parts = [];
  if (person.organization) parts.push(person.organization);
  if (person.document) parts.push(`${person.document_type} ${person.document}`);
  return parts.join(" · ");
}

function showOutcome(data) {
  const person = data.person;
  if (data.result === "ok") {
    show("ok", {
      // (no t() inside template literals: the catalog extraction does not see them)
      title: data.returned
        ? "✓ " + t("Regreso registrado")
        : "✓ " + t("Llegada registrada") + (person.checked_in_time ? " · " + person.checked_in_time : ""),
      person,
      name: person.name,
      detail: personDetail(person),
      seat: seatText(person),
      badge: person.badge_url,
      complete: person.incomplete ? person.complete_url : null,
    });
    rememberLast(person);
    loadRecent();
  } else if (data.result === "already") {
    show("already", {
      title: t("Ya registrada a las {time} en {desk}", {
        time: person.checked_in_time,
        desk: person.checked_in_desk || t("otra mesa"),
      }),
      person,
      name: person.name,
      detail: personDetail(person),
      seat: seatText(person),
      badge: person.badge_url,
      complete: person.incomplete ? person.complete_url : null,
    });
  } else {
    show("unknown", {
      title: `✗ ${t("Tiquete no válido")}`,
      detail: `${data.message} ${t("Busque a la persona por nombre o documento.")}`,
    });
  }
  beep(data.result);
}

function showFailure(error, retry) {
  if (error instanceof NetworkError) {
    show("error", {
      title: t("Sin conexión: NO se registró"),
      detail: t("No hubo respuesta del servidor. Revise la red y pulse Enter o «Reintentar»."),
      retry,
    });
  } else {
    show("error", { title: t("No se registró"), detail: error.message, retry: null });
  }
  beep("unknown");
}

// A short tone, so the person at the desk hears the answer while looking at the queue.
let audio = null;
function beep(kind) {
  try {
    audio = audio || new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = kind === "ok" ? 880 : kind === "already" ? 520 : 220;
    gain.gain.value = 0.08;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + (kind === "ok" ? 0.12 : 0.3));
  } catch {
    /* no audio: the colours say it all */
  }
}

// ------------------------------------------------------------------ check-in

async function checkIn(body, { restoreText = "" } = {}) {
  if (busy) return;
  busy = true;
  live = null; // the panel now answers this pick, not a queued scan
  els.result.setAttribute("aria-busy", "true");
  try {
    const data = await postJson(root.dataset.checkinUrl, { ...body, desk });
    showOutcome(data);
    if (!socketConnected()) refreshCounters();
  } catch (error) {
    if (restoreText && !els.input.value) els.input.value = restoreText;
    showFailure(error, () => checkIn(body, { restoreText }));
  } finally {
    busy = false;
    els.result.removeAttribute("aria-busy");
    focusInput();
  }
}

function scan(text) {
  clearResults();
  els.input.value = "";
  live = queue.add(text, desk).id;
  renderQueue();
  return syncQueue();
}

// ------------------------------------------------------------------ the scan queue

let live = null; // the queued scan the big panel is waiting for
let syncing = false;
let syncAgain = false;
let syncTimer = 0;
let syncFailures = 0;
const waited = new Set(); // ids of queued scans that had to wait
const answered = []; // scans answered after waiting in the queue, newest first (this session)

function sendScan(item) {
  // A hung server is no answer: after 10 s the scan stays queued and goes again.
  return postJson(root.dataset.checkinUrl, queue.body(item), { signal: AbortSignal.timeout(10000) });
}

async function syncQueue() {
  if (syncing) {
    syncAgain = true;
    return;
  }
  syncing = true;
  clearTimeout(syncTimer);
  try {
    const empty = await sendQueued(queue, sendScan, { onResult: scanAnswered, onKept: scanKept });
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
      if (!els.input.value) els.input.value = item.ticket; // refused: back in the input
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
  for (const other of queue.items) waited.add(other.id);
  if (live && waited.has(live)) showPending(error);
}

function showPending(error) {
  const waiting = queue.items.length;
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
    return new Date(ms).toLocaleTimeString("es-CO", { ...options, timeZone: root.dataset.timeZone });
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
  const waiting = queue.items;
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

function checkInPerson(person) {
  clearResults();
  els.input.value = "";
  return checkIn({ attendee_id: person.id });
}

function rememberLast(person) {
  lastCheckIn = { id: person.id, name: person.name };
  localStorage.setItem(STORE_LAST, JSON.stringify(lastCheckIn));
  renderUndo();
}

function renderUndo() {
  els.undo.disabled = !lastCheckIn;
  els.undoHint.textContent = lastCheckIn ? t("Última llegada en esta mesa: {name}", { name: lastCheckIn.name }) : "";
}

function listenActions() {
  els.undo.addEventListener("click", async () => {
    if (!lastCheckIn || busy) return;
    busy = true;
    const target = lastCheckIn;
    try {
      const data = await postJson(root.dataset.undoUrl, { attendee_id: target.id });
      show("undone", {
        title: t("Llegada deshecha"),
        name: data.person.name,
        detail: t("Ya no cuenta como presente. Si llega, vuelva a registrarla."),
      });
      lastCheckIn = null;
      localStorage.removeItem(STORE_LAST);
      renderUndo();
      loadRecent();
    } catch (error) {
      if (error instanceof Refusal) {
        lastCheckIn = null; // nothing to undo any more (someone else did it)
        localStorage.removeItem(STORE_LAST);
        renderUndo();
      }
      showFailure(error, null);
    } finally {
      busy = false;
      focusInput();
    }
  });

  els.checkOut?.addEventListener("click", () => checkOut());

  els.retry.addEventListener("click", () => {
    const action = retryAction;
    if (action) {
      els.input.value = "";
      action();
    }
  });
}

async function checkOut() {
  const person = leaving;
  if (!person || busy) return;
  busy = true;
  try {
    const data = await postJson(root.dataset.checkoutUrl, { attendee_id: person.id });
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
    busy = false;
    focusInput();
  }
}

// ------------------------------------------------------------------ search

function looksLikeTyping(text) {
  // A scanner's URL while it is still being typed: never a name or a document.
  return /^(h|ht|htt|https?)([:Ñ]|$)/i.test(text) || text.includes("/");
}

function clearResults() {
  clearTimeout(searchTimer);
  searchSeq += 1;
  results = [];
  highlighted = -1;
  armed = -1;
  total = 0;
  nextOffset = null;
  resultsFor = null;
  els.results.replaceChildren();
  els.results.hidden = true;
  els.empty.hidden = true;
  els.count.hidden = true;
  els.more.hidden = true;
  els.narrowBox.hidden = !els.narrow.value;
  els.input.setAttribute("aria-expanded", "false");
  els.input.removeAttribute("aria-activedescendant");
}

function searchKey(text) {
  return `${text}|${els.narrow.value.trim()}`;
}

async function runSearch(text, { offset = 0 } = {}) {
  const seq = ++searchSeq;
  const narrow = els.narrow.value.trim();
  try {
    const data = await getJson(`${root.dataset.searchUrl}?${new URLSearchParams({ q: text, narrow, offset })}`);
    if (seq !== searchSeq) return; // a newer keystroke won
    renderResults(offset ? [...results, ...data.results] : data.results, text, data);
  } catch (error) {
    if (seq !== searchSeq) return;
    els.results.hidden = true;
    els.empty.hidden = false;
    els.empty.textContent = error instanceof NetworkError ? t("Sin conexión: no se pudo buscar.") : error.message;
  }
}

function resultItem(person, index) {
  return el(
    "li",
    {
      id: `result-${index}`,
      role: "option",
      class: "search-result",
      "data-index": index,
      onmousedown: (event) => event.preventDefault(), // keep the input's focus
      onclick: () => checkInPerson(person),
    },
    el(
      "strong",
      {},
      person.name,
      person.incomplete ? el("span", { class: "flag incomplete", text: t("incompleto") }) : null,
    ),
    el("span", {
      class: "meta",
      text: [personDetail(person), person.place, person.mesa != null ? seatText(person) : ""]
        .filter(Boolean)
        .join(" · "),
    }),
    el("span", {
      class: person.checked_in ? "state in" : "state",
      text: person.checked_in
        ? person.checked_out
          ? t("Salió {time} · registrar regreso", { time: person.checked_out_time })
          : t("Llegó {time} · {desk}", { time: person.checked_in_time, desk: person.checked_in_desk })
        : t("Registrar"),
    }),
  );
}

function renderResults(list, text, page) {
  const appended = list.length > results.length && resultsFor === searchKey(text);
  results = list;
  total = page.total;
  nextOffset = page.next_offset;
  resultsFor = searchKey(text);
  if (!appended) {
    highlighted = list.length ? 0 : -1;
    armed = -1;
  }
  els.results.replaceChildren(...list.map(resultItem));
  els.results.hidden = !list.length;
  els.input.setAttribute("aria-expanded", String(Boolean(list.length)));
  els.empty.hidden = Boolean(list.length);
  els.empty.textContent = list.length ? "" : t("Nadie inscrito coincide con «{text}».", { text });
  els.more.hidden = nextOffset == null;
  els.narrowBox.hidden = total <= 5 && !els.narrow.value;
  paintHighlight();
}

function arm(index) {
  armed = index;
  paintHighlight();
}

function paintHighlight() {
  [...els.results.children].forEach((li, index) => {
    li.setAttribute("aria-selected", String(index === highlighted));
    li.classList.toggle("armed", index === armed);
  });
  if (highlighted >= 0) {
    els.input.setAttribute("aria-activedescendant", `result-${highlighted}`);
    els.results.children[highlighted]?.scrollIntoView({ block: "nearest" });
  } else {
    els.input.removeAttribute("aria-activedescendant");
  }
  els.count.hidden = !results.length;
  if (armed >= 0 && results[armed]) {
    els.count.dataset.armed = "true";
    els.count.textContent = t("Pulse Enter otra vez para registrar a {name}.", { name: results[armed].name });
  } else if (results.length) {
    delete els.count.dataset.armed;
    els.count.textContent =
      total === 1
        ? t("Una persona coincide: Enter la registra.")
        : t("{total} personas coinciden (se ven {shown}). Elija con ↑ ↓ y pulse Enter dos veces.", {
            total,
            shown: results.length,
          });
  }
}

// What Enter does on a typed name: never check in someone the desk did not see chosen.
function enterOnName(text) {
  if (resultsFor !== searchKey(text)) {
    clearTimeout(searchTimer);
    runSearch(text); // Enter before the results came: show them; Enter again decides
    return;
  }
  if (total === 1 && results.length === 1) {
    checkInPerson(results[0]);
  } else if (highlighted >= 0 && results[highlighted]) {
    if (armed === highlighted) checkInPerson(results[highlighted]);
    else arm(highlighted);
  }
}

function listenInput() {
  els.input.addEventListener("input", () => {
    const text = els.input.value.trim();
    clearTimeout(searchTimer);
    armed = -1;
    resultsFor = null;
    if (text.length < 2 || looksLikeTyping(text) || looksLikeTicket(text, rules)) {
      if (!text) clearResults();
      return;
    }
    searchTimer = setTimeout(() => runSearch(text), 120);
  });

  els.narrow.addEventListener("input", () => {
    const text = els.input.value.trim();
    armed = -1;
    resultsFor = null;
    clearTimeout(searchTimer);
    if (text.length >= 2) searchTimer = setTimeout(() => runSearch(text), 120);
  });
  els.narrow.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === "Escape") {
      event.preventDefault();
      focusInput();
    }
  });
  els.more.addEventListener("click", () => {
    const text = els.input.value.trim();
    if (nextOffset != null && text) runSearch(text, { offset: nextOffset });
    focusInput();
  });

  els.input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!results.length) return;
      event.preventDefault();
      const delta = event.key === "ArrowDown" ? 1 : -1;
      highlighted = (highlighted + delta + results.length) % results.length;
      armed = -1;
      paintHighlight();
    } else if (event.key === "Escape") {
      els.input.value = "";
      els.narrow.value = "";
      clearResults();
    } else if (event.key === "Enter") {
      event.preventDefault();
      const text = els.input.value.trim();
      if (!text) {
        if (retryAction) retryAction();
        return;
      }
      if (looksLikeTicket(text, rules)) {
        scan(text);
      } else if (text.length >= 2) {
        enterOnName(text);
      }
    }
  });
}

// ------------------------------------------------------------------ recent check-ins

async function loadRecent() {
  if (!desk) return;
  try {
    const data = await getJson(`${root.dataset.recentUrl}?${new URLSearchParams({ desk })}`);
    renderRecent(data.results);
  } catch {
    /* offline: the list stays as it was; the net indicator says so */
  }
}

function renderRecent(people) {
  els.recentEmpty.hidden = people.length > 0;
  els.recent.replaceChildren(
    ...people.map((person) =>
      el(
        "li",
        {},
        el("span", { class: "recent-time", text: person.checked_in_time }),
        el("span", { class: "recent-name", text: person.name }),
        el("span", { class: "meta", text: seatText(person) }),
        el("button", {
          type: "button",
          class: "button small",
          text: t("Deshacer"),
          "aria-label": t("Deshacer la llegada de {name}", { name: person.name }),
          onclick: () => undoPerson(person),
        }),
      ),
    ),
  );
}

async function undoPerson(person) {
  if (busy) return;
  busy = true;
  try {
    const data = await postJson(root.dataset.undoUrl, { attendee_id: person.id });
    show("undone", {
      title: t("Llegada deshecha"),
      name: data.person.name,
      detail: t("Ya no cuenta como presente. Si llega, vuelva a registrarla."),
    });
    if (lastCheckIn && lastCheckIn.id === person.id) {
      lastCheckIn = null;
      localStorage.removeItem(STORE_LAST);
      renderUndo();
    }
  } catch (error) {
    showFailure(error, null);
  } finally {
    busy = false;
    loadRecent();
    focusInput();
  }
}

// ------------------------------------------------------------------ counters

function socketConnected() {
  return Boolean(conn?.connected);
}

async function refreshCounters() {
  try {
    const data = await getJson(root.dataset.countersUrl);
    renderCounters(data.state);
  } catch {
    /* the net indicator already says we are offline */
  }
}

function renderCounters(state) {
  paintCounters(root, assemblyId, state);
}

function setNet(state, text) {
  els.net.dataset.state = state;
  els.net.textContent = text;
}

function connectSocket() {
  conn = connect({ assemblyId });
  conn.onStatus((status) => {
    if (status === "offline" || status === "refused") setNet("offline", t("Sin conexión con el servidor"));
    if (status === "online" && queue.items.length) syncQueue(); // the server is back: send now
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
  root = document.getElementById("desk");
  assemblyId = Number(root.dataset.assemblyId);
  els = elements();
  rules = ticketRules(root.dataset.ticketRules);
  STORE_LAST = `asamblea.desk.last.${assemblyId}`;
  lastCheckIn = JSON.parse(localStorage.getItem(STORE_LAST) || "null");
  queue = new ScanQueue(localStorage, `asamblea.desk.queue.${assemblyId}`);
  listenSetup();
  keepFocus();
  listenActions();
  listenInput();
  mountCamera(els, { url: root.dataset.jsqrUrl, code: scan, busy: () => busy });
  els.camera.addEventListener("click", () => {
    toggleCamera();
    focusInput();
  });

  const params = new URLSearchParams(location.search);
  setDesk(params.get("desk") || localStorage.getItem(STORE_DESK) || "");
  renderUndo();
  connectSocket();
  refreshCounters();
  renderQueue();
  for (const item of queue.items) waited.add(item.id); // scans kept from before a reload
  if (queue.items.length) syncQueue();

  // The walk-in form comes back with ?checkin=<token>: check the new person in at once.
  const pending = params.get("checkin");
  if (pending) {
    params.delete("checkin");
    history.replaceState(null, "", `${location.pathname}?${params}`);
    if (desk) scan(pending);
    else pendingTicket = pending;
  }
}

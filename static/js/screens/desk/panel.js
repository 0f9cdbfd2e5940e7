// The desk's result panel: the big answer (green checked in, amber already, red unknown,
// grey pending or undone), its tone, and how a person's seat and details read.
import { t } from "../../shared/i18n.js";
import { NetworkError } from "../../shared/net.js";
import { desk } from "./state.js";

/** What Enter on an empty input or «Reintentar» does now (null: nothing). */
export let retryAction = null;
/** The present person shown in the panel: «Registrar salida» applies to them. */
export let leaving = null;

export function show(kind, { title, name = "", detail = "", seat = "", badge = null, retry = null, complete = null, person = null }) {
  const els = desk.els;
  els.result.dataset.kind = kind;
  // The optional "salida": offered for the person shown while they count as present.
  leaving = person && person.checked_in && !person.checked_out ? person : null;
  if (els.checkOut) els.checkOut.hidden = !leaving;
  // An imported person without the form's required fields: the desk completes the form.
  if (els.complete) {
    els.complete.hidden = !complete;
    if (complete) els.complete.href = `${complete}&${new URLSearchParams({ desk: desk.name })}`;
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

export function seatText(person) {
  if (!person || person.mesa == null) return t("Mesa temática: por asignar");
  const theme = person.theme ? ` · ${person.theme}` : "";
  const table = person.table != null ? ` · ${t("Sub-mesa {number}", { number: person.table })}` : "";
  return `${t("Mesa {number}", { number: person.mesa })}${table}${theme}`;
}

export function personDetail(person) {
  const parts = [];
  if (person.organization) parts.push(person.organization);
  if (person.document) parts.push(`${person.document_type} ${person.document}`);
  return parts.join(" · ");
}

export function showFailure(error, retry) {
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
export function beep(kind) {
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

// The desk's recent check-ins (this desk's last arrivals, each with «Deshacer») and the undo of
// the last arrival at this desk (kept in localStorage across reloads).
import { el } from "../../shared/dom.js";
import { t } from "../../shared/i18n.js";
import { getJson, postJson, Refusal } from "../../shared/net.js";
import { seatText, show, showFailure } from "./panel.js";
import { desk, focusInput } from "./state.js";

let storeLast, lastCheckIn; // set by mountRecent()

/** Read the last arrival kept for this assembly and wire the undo button. */
export function mountRecent() {
  storeLast = `asamblea.desk.last.${desk.assemblyId}`;
  lastCheckIn = JSON.parse(localStorage.getItem(storeLast) || "null");
  desk.els.undo.addEventListener("click", undoLast);
  renderUndo();
}

function forgetLast() {
  lastCheckIn = null;
  localStorage.removeItem(storeLast);
  renderUndo();
}

export function rememberLast(person) {
  lastCheckIn = { id: person.id, name: person.name };
  localStorage.setItem(storeLast, JSON.stringify(lastCheckIn));
  renderUndo();
}

function renderUndo() {
  desk.els.undo.disabled = !lastCheckIn;
  desk.els.undoHint.textContent = lastCheckIn ? t("Última llegada en esta mesa: {name}", { name: lastCheckIn.name }) : "";
}

function showUndone(data) {
  show("undone", {
    title: t("Llegada deshecha"),
    name: data.person.name,
    detail: t("Ya no cuenta como presente. Si llega, vuelva a registrarla."),
  });
}

async function undoLast() {
  if (!lastCheckIn || desk.busy) return;
  desk.busy = true;
  const target = lastCheckIn;
  try {
    showUndone(await postJson(desk.root.dataset.undoUrl, { attendee_id: target.id }));
    forgetLast();
    loadRecent();
  } catch (error) {
    if (error instanceof Refusal) forgetLast(); // nothing to undo any more (someone else did it)
    showFailure(error, null);
  } finally {
    desk.busy = false;
    focusInput();
  }
}

export async function loadRecent() {
  if (!desk.name) return;
  try {
    const data = await getJson(`${desk.root.dataset.recentUrl}?${new URLSearchParams({ desk: desk.name })}`);
    renderRecent(data.results);
  } catch {
    /* offline: the list stays as it was; the net indicator says so */
  }
}

function renderRecent(people) {
  desk.els.recentEmpty.hidden = people.length > 0;
  desk.els.recent.replaceChildren(
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
  if (desk.busy) return;
  desk.busy = true;
  try {
    showUndone(await postJson(desk.root.dataset.undoUrl, { attendee_id: person.id }));
    if (lastCheckIn && lastCheckIn.id === person.id) forgetLast();
  } catch (error) {
    showFailure(error, null);
  } finally {
    desk.busy = false;
    loadRecent();
    focusInput();
  }
}

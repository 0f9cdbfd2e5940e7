// The desk's search: a typed name or document shows the registered people who match (a page
// at a time, narrowed by a second field); ↑ ↓ pick, and Enter checks in only someone the desk
// saw chosen. A typed or scanned ticket goes to the scan instead.
import { el } from "../../shared/dom.js";
import { t } from "../../shared/i18n.js";
import { getJson, NetworkError } from "../../shared/net.js";
import { looksLikeTicket } from "../../shared/tickets.js";
import { personDetail, retryAction, seatText } from "./panel.js";
import { desk, focusInput } from "./state.js";

let pick, scan; // set by listenSearch(): check a chosen person in; send a ticket
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

function looksLikeTyping(text) {
  // A scanner's URL while it is still being typed: never a name or a document.
  return /^(h|ht|htt|https?)([:Ñ]|$)/i.test(text) || text.includes("/");
}

export function clearResults() {
  const els = desk.els;
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
  return `${text}|${desk.els.narrow.value.trim()}`;
}

async function runSearch(text, { offset = 0 } = {}) {
  const els = desk.els;
  const seq = ++searchSeq;
  const narrow = els.narrow.value.trim();
  try {
    const data = await getJson(`${desk.root.dataset.searchUrl}?${new URLSearchParams({ q: text, narrow, offset })}`);
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
      onclick: () => pick(person),
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
  const els = desk.els;
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
  const els = desk.els;
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
    pick(results[0]);
  } else if (highlighted >= 0 && results[highlighted]) {
    if (armed === highlighted) pick(results[highlighted]);
    else arm(highlighted);
  }
}

/** The input, the narrowing field and «Ver más»: ``onPick(person)`` checks a chosen person
 * in, ``onTicket(text)`` sends a typed or scanned ticket. */
export function listenSearch({ onPick, onTicket }) {
  const els = desk.els;
  pick = onPick;
  scan = onTicket;
  els.input.addEventListener("input", () => {
    const text = els.input.value.trim();
    clearTimeout(searchTimer);
    armed = -1;
    resultsFor = null;
    if (text.length < 2 || looksLikeTyping(text) || looksLikeTicket(text, desk.rules)) {
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
      if (looksLikeTicket(text, desk.rules)) {
        scan(text);
      } else if (text.length >= 2) {
        enterOnName(text);
      }
    }
  });
}

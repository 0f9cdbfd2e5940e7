// The board's header lines: what the moderator shows, "Mesa 2 de 5 · parte 1 de 2" when the
// board shows one mesa (or a slice) at a time, "Mesas 1–2 de 5" when a page holds several of
// them, and the overview strip of every mesa's pieces.
import { el } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { kindLabel } from "./board_pieces.js";

function part(tag, className, text) {
  return el(tag, { class: className || null, text });
}

function counts(state) {
  const byGroup = new Map(state.groups.map((g) => [g.id, { need: 0, solution: 0, plan: 0 }]));
  for (const piece of state.pieces.values()) {
    const c = byGroup.get(piece.group_id);
    if (c && piece.kind in c) c[piece.kind] += 1;
  }
  return byGroup;
}

export function renderMode(page, state, { pages, modeText, pageText, progress }) {
  const { mode, group_id: groupId, revealed } = state.plenary;
  const groupById = (id) => state.groups.find((g) => g.id === id);
  const current = groupById(groupId);
  let text = t("En vivo: las piezas llegan de las mesas");
  if (mode === "reveal" && current) {
    text = t("Turno de la Mesa {number}: {title}", { number: current.number, title: current.title });
  }
  if (mode === "whole") text = t("El rompecabezas completo");
  if (modeText.textContent !== text) modeText.textContent = text;
  modeText.classList.toggle("is-live", mode !== "reveal" && mode !== "whole"); // a short window keeps the page line alone
  modeText.classList.toggle("is-turn", mode === "reveal"); // with a phone vote open, too
  // "Mesa 2 de 5" when the board shows one mesa (or a slice of it) at a time.
  let where = "";
  if (page && page.groups.length > 1 && pages.length > 1) {
    // several mesas a page (as many as stay legible together): «Mesas 1–2 de 5»
    const numbers = page.groups.map((g) => groupById(g.id).number);
    where = t("Mesas {first}–{last} de {total}", { first: numbers[0], last: numbers[numbers.length - 1], total: state.groups.length });
  } else if (page && page.groups.length === 1 && (pages.length > 1 || page.parts > 1)) {
    const group = groupById(page.groups[0].id);
    where = t("Mesa {number} de {total}", { number: group.number, total: state.groups.length });
    if (page.parts > 1) {
      const slice = t("parte {part} de {parts}", { part: page.part, parts: page.parts });
      where = `${where} · ${slice}`;
    }
  }
  if (pageText.textContent !== where) pageText.textContent = where;
  pageText.hidden = !where;
  // The overview strip: every mesa's pieces by kind, the one on screen marked.
  const onScreen = new Set(page ? page.groups.map((g) => g.id) : []);
  const byGroup = counts(state);
  const key = JSON.stringify([mode, groupId, revealed, [...onScreen], [...byGroup]]);
  if (progress.dataset.key === key) return;
  progress.dataset.key = key;
  progress.textContent = "";
  for (const group of state.groups) {
    const item = part("li", "strip-mesa");
    const name = part("span", "strip-name", t("Mesa {number}", { number: group.number }));
    // a short window shows the mesa's number alone (the button's label names it)
    const number = part("span", "strip-name strip-number", String(group.number));
    if (mode === "reveal" && group.id === groupId) {
      item.classList.add("is-current");
      item.setAttribute("aria-current", "step");
      for (const node of [name, number]) node.prepend("▶ ");
    } else if ((revealed || []).includes(group.id) || mode === "whole") {
      item.classList.add("is-done");
      for (const node of [name, number]) node.prepend("✓ ");
    }
    if (onScreen.has(group.id) && onScreen.size < state.groups.length) item.classList.add("is-shown");
    const button = part("button", "strip-button");
    button.type = "button";
    button.dataset.groupId = group.id;
    button.append(name, number);
    const c = byGroup.get(group.id);
    for (const kind of ["need", "solution", "plan"]) {
      const chip = part("span", `strip-count strip-${kind}`, String(c[kind]));
      chip.title = kindLabel(kind);
      button.append(chip);
    }
    item.append(button);
    button.setAttribute(
      "aria-label",
      t("Mesa {number}: {needs} necesidades, {solutions} soluciones, {plans} planes", {
        number: group.number,
        needs: c.need,
        solutions: c.solution,
        plans: c.plan,
      }),
    );
    progress.append(item);
  }
}

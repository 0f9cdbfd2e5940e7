// What a table's phone draws: the task of the running step (its forms), the puzzle, the head
// (members, spokesperson) and the time-up line, from the page's state (screens/table.js):
// {root, state, pieces, openKinds, stepKind, limits, outbox, drafts, clockApi}.
import { remainingAt } from "../../shared/clock.js";
import { el } from "../../shared/dom.js";
import { t } from "../../shared/i18n.js";

export const STEP_KINDS = { needs: "need", solutions: "solution", plan: "plan" };

/** The running (or paused) step's kind, from a clock snapshot: "needs", "spokesperson"… */
export function activeStep(snapshot) {
  const active = snapshot && (snapshot.status === "running" || snapshot.status === "paused");
  return active ? snapshot.step?.kind || null : null;
}

export function kindLabel(kind) {
  return { need: t("Necesidad"), solution: t("Solución"), plan: t("Plan de trabajo") }[kind] || kind;
}

export function formValues(form) {
  const values = {};
  for (const input of form.querySelectorAll("[data-field]")) values[input.dataset.field] = input.value;
  return values;
}

export function createView(page) {
  const $ = (sel) => page.root.querySelector(sel);
  const visible = (list) => list.filter((p) => !p.hidden);
  const childOf = (list, parent, kind) => list.find((p) => p.parent_id === parent.id && p.kind === kind);
  // The quarters a commitment may take, as the server offers them (assemblies/periods.py):
  // [value, label] pairs; a stored value off the list shows as it is.
  const dueLabel = (due) => new Map(page.state.assembly.quarters).get(due) || due || "";

  function card(piece, actions = null) {
    const body = [el("span", { class: "piece-kind", text: kindLabel(piece.kind) }), el("p", { class: "piece-text", text: piece.text || "…" })];
    if (piece.kind === "plan") {
      body.push(el("p", { class: "piece-meta" }, el("b", { text: t("Quién: ") }), piece.who || "…"));
      body.push(el("p", { class: "piece-meta" }, el("b", { text: t("Cuándo: ") }), dueLabel(piece.due) || "…"));
    }
    if (piece.late) body.push(el("span", { class: "badge late", text: t("Fuera de tiempo") }));
    else if (piece.pending) body.push(el("span", { class: "badge", text: t("Pendiente de envío") }));
    if (piece.hidden) body.push(el("span", { class: "badge", text: t("Ocultada por la facilitación") }));
    if (actions) body.push(actions);
    return el("article", { class: `piece piece-${piece.kind}${piece.hidden ? " is-hidden" : ""}`, "data-piece": piece.id }, ...body);
  }

  // --- forms: one per "slot" (a new need, the solution of a need, an edit...) ---------------
  const fieldId = (slot, field) => `f-${slot.replace(/[^a-z0-9]/gi, "-")}-${field}`;

  function counted(slot, field, label, limit, value, multiline) {
    const id = fieldId(slot, field);
    const input = el(multiline ? "textarea" : "input", { id, "data-field": field, maxlength: limit, rows: multiline ? 3 : null });
    input.value = value;
    const counter = el("span", { class: "counter", "data-counter": field, "aria-live": "off" });
    return el("div", { class: "field" }, el("label", { for: id, text: label }), input, counter);
  }

  function dueSelect(slot, value) {
    const id = fieldId(slot, "due");
    const select = el("select", { id, "data-field": "due" }, el("option", { value: "", text: t("Elija un trimestre") }));
    for (const [quarter, text] of page.state.assembly.quarters) select.append(el("option", { value: quarter, text }));
    if (value && ![...select.options].some((o) => o.value === value)) select.append(el("option", { value, text: value }));
    select.value = value;
    return el("div", { class: "field" }, el("label", { for: id, text: t("¿Cuándo?") }), select);
  }

  function pieceForm(slot, kind, { parentId = null, piece = null, label }) {
    const { drafts, limits } = page;
    const form = el("form", { class: `piece-form form-${kind}`, "data-slot": slot, "data-kind": kind, "data-parent": parentId, "data-id": piece?.id });
    const what = kind === "plan" ? t("¿Qué se hará?") : label;
    form.append(counted(slot, "text", what, limits[kind], drafts.get(slot, "text", piece?.text ?? ""), true));
    if (kind === "plan") {
      form.append(counted(slot, "who", t("¿Quién? (organizaciones o personas responsables)"), limits.who, drafts.get(slot, "who", piece?.who ?? ""), false));
      form.append(dueSelect(slot, drafts.get(slot, "due", piece?.due ?? "")));
    }
    form.append(el("p", { class: "error", "data-error": "", role: "alert", text: drafts.errors[slot] || "" }));
    form.append(el("div", { class: "preview" }, el("span", { class: "preview-label", text: t("Así se verá en el tablero:") }), el("div", { "data-preview": "" })));
    const buttons = el("div", { class: "actions" }, el("button", { class: "button primary", type: "submit", text: piece ? t("Guardar cambios") : t("Guardar") }));
    if (piece) buttons.append(el("button", { class: "button", type: "button", "data-cancel": "", text: t("Cancelar") }));
    form.append(buttons);
    refreshForm(form);
    return form;
  }

  function refreshForm(form) {
    const values = formValues(form);
    for (const counter of form.querySelectorAll("[data-counter]")) {
      const field = counter.dataset.counter;
      const limit = field === "who" ? page.limits.who : page.limits[form.dataset.kind];
      const left = limit - (values[field] || "").length;
      counter.textContent = `${(values[field] || "").length}/${limit}`;
      counter.classList.toggle("is-low", left < 20);
    }
    const preview = form.querySelector("[data-preview]");
    preview.replaceChildren(card({ kind: form.dataset.kind, ...values, text: values.text.trim() }));
  }

  // --- the task ---------------------------------------------------------------------------
  // Only while its step is open, and before the plenary approves the mesa's agenda, may a piece
  // change: otherwise the phone offers no edit or delete (the server refuses them too). Beside
  // the buttons, the save's outcome: stored on the server, or still on this phone.
  function pieceActions(piece) {
    if (page.state.table.frozen || !page.openKinds.has(piece.kind) || piece.hidden) return null;
    return el(
      "div", { class: "actions" },
      el("button", { class: "button small", type: "button", "data-edit": piece.id, text: t("Editar") }),
      el("button", { class: "button small danger", type: "button", "data-delete": piece.id, text: t("Borrar") }),
      piece.pending ? null : el("span", { class: "saved-note", "data-piece-saved": piece.id, role: "status", text: t("✓ Guardada") }),
    );
  }

  function editable(piece) {
    return page.drafts.editing(piece.id) ? pieceForm(`edit:${piece.id}`, piece.kind, { piece, label: kindLabel(piece.kind) }) : card(piece, pieceActions(piece));
  }

  function renderTask(list) {
    const { state, openKinds } = page;
    const frozen = state.table.frozen;
    const kind = frozen ? null : ["need", "solution", "plan"].find((k) => openKinds.has(k));
    const years = `${state.assembly.plan_start_year}–${state.assembly.plan_end_year}`;
    const titles = {
      need: [t("Paso 1: necesidades"), t("Identifiquen una o, como máximo, dos necesidades de su eje temático.")],
      solution: [t("Paso 2: soluciones"), t("Una solución para cada necesidad. Prefieran soluciones que nazcan de la cooperación entre organizaciones: trabajo en red, alianzas, lo comunitario.")],
      plan: [t("Paso 3: plan de trabajo"), t("Para cada solución: qué se hará, quién (organizaciones o personas) y cuándo, dentro de {years}.", { years })],
    };
    const idle = [t("Esperen la señal de la moderación"), t("Cuando la moderación abra un paso, aquí aparecerá lo que deben escribir.")];
    const spokes = [t("Paso 4: vocería"), t("Elijan entre ustedes a su vocero o vocera para la plenaria y guárdenlo abajo, en «Vocería de la sub-mesa».")];
    const approved = [t("La plenaria aprobó la agenda de su mesa"), t("Sus piezas ya no cambian desde este teléfono: las enmiendas se hacen en la plenaria.")];
    const [title, hint] = frozen ? approved : titles[kind] || (page.stepKind === "spokesperson" ? spokes : idle);
    $("[data-task-title]").textContent = title;
    $("[data-task-hint]").textContent = hint;
    const body = [];
    const shown = visible(list);
    const needs = shown.filter((p) => p.kind === "need");
    if (kind === "need") {
      needs.forEach((need) => body.push(editable(need)));
      if (needs.length < 2) body.push(pieceForm("need:new", "need", { label: t("Necesidad {n} de 2", { n: needs.length + 1 }) }));
      else body.push(el("p", { class: "hint", text: t("Ya tienen las dos necesidades: pueden editarlas.") }));
    } else if (kind === "solution") {
      if (!needs.length) body.push(el("p", { class: "hint", text: t("Su mesa no escribió necesidades.") }));
      for (const need of needs) {
        const solution = childOf(shown, need, "solution");
        body.push(el("div", { class: "pair" }, card(need), solution ? editable(solution) : pieceForm(`solution:${need.id}`, "solution", { parentId: need.id, label: t("Solución para esta necesidad") })));
      }
    } else if (kind === "plan") {
      const solutions = shown.filter((p) => p.kind === "solution");
      if (!solutions.length) body.push(el("p", { class: "hint", text: t("Su mesa no escribió soluciones.") }));
      for (const solution of solutions) {
        const plan = childOf(shown, solution, "plan");
        body.push(el("div", { class: "pair" }, card(solution), plan ? editable(plan) : pieceForm(`plan:${solution.id}`, "plan", { parentId: solution.id })));
      }
    }
    $("[data-task-body]").replaceChildren(...body);
  }

  function renderPuzzle(list) {
    const shown = visible(list);
    const tree = shown.filter((p) => p.kind === "need").map((need) => {
      const solution = childOf(shown, need, "solution");
      const plan = solution && childOf(shown, solution, "plan");
      return el("div", { class: "branch" }, card(need), solution && card(solution), plan && card(plan));
    });
    $("[data-puzzle]").replaceChildren(...(tree.length ? tree : [el("p", { class: "empty", text: t("Todavía no hay piezas.") })]));
  }

  function renderHead() {
    const { table, people = [] } = page.state;
    $("[data-members]").textContent = table.members;
    $("[data-spokes-name]").textContent = table.spokesperson?.name || t("sin elegir");
    const select = $("[data-spokes-select]");
    const typed = $("[data-spokes-typed]");
    select.hidden = !people.length;
    typed.hidden = !!people.length;
    select.replaceChildren(el("option", { value: "", text: t("Elija a la persona") }), ...people.map((p) => el("option", { value: p.id, text: p.name })));
    select.value = table.spokesperson?.id ?? "";
  }

  // --- time-up: the grace countdown, and what waits «fuera de tiempo» ------------------------
  // The server closes a step's input input_grace_s after its 00:00; these only say so.
  function stepOpenFor(snapshot) {
    const kind = STEP_KINDS[activeStep(snapshot)];
    if (!kind || !page.clockApi) return { kind: null, left: null };
    const remaining = remainingAt(snapshot, page.clockApi.clock.serverNow());
    return { kind, remaining, left: remaining + (snapshot.input_grace_s ?? 30) };
  }

  function renderGrace() {
    const box = $("[data-grace]");
    const snapshot = page.clockApi?.snapshot();
    const { kind, remaining, left } = snapshot ? stepOpenFor(snapshot) : { kind: null };
    const late = page.outbox.late();
    let text = "";
    if (kind && remaining < 0 && left > 0) text = t("¡Tiempo! Quedan {n} s para enviar lo que falta.", { n: Math.ceil(left) });
    else if (kind && remaining < 0) text = t("Se acabó el tiempo de este paso: lo que envíen queda «fuera de tiempo» hasta que la moderación lo reabra.");
    if (late) text = `${text} ${t("Piezas fuera de tiempo en este teléfono: {n}. Se enviarán si la moderación reabre el paso.", { n: late })}`.trim();
    box.textContent = text;
    box.hidden = !text;
    box.dataset.state = kind && remaining < 0 && left > 0 ? "grace" : "closed";
  }

  function render() {
    // Rebuilding the forms must not cost the person their cursor: remember and restore it.
    const active = document.activeElement;
    const focus = active?.dataset?.field && active.closest("[data-slot]")
      ? { slot: active.closest("[data-slot]").dataset.slot, field: active.dataset.field, start: active.selectionStart, end: active.selectionEnd }
      : null;
    const list = page.outbox.view(page.pieces);
    renderTask(list);
    renderPuzzle(list);
    renderGrace();
    if (focus) {
      const again = page.root.querySelector(`[data-slot="${CSS.escape(focus.slot)}"] [data-field="${focus.field}"]`);
      if (again) {
        again.focus();
        if (focus.start != null && again.setSelectionRange) again.setSelectionRange(focus.start, focus.end);
      }
    }
  }

  return { render, renderHead, renderGrace, refreshForm, stepOpenFor };
}

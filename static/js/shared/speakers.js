// The speakers list on the console and the projector: the current turn counted from the server's
// clock (the clock widget's measured offset, like the agenda's countdown), and the queue in order.
// The list arrives inside every clock snapshot (snapshot.speakers, see agenda/services/speakers.py).
import { formatMmss } from "./clock.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";

/**
 * ``box`` holds [data-speaker-current], [data-speaker-time] and [data-speaker-queue];
 * ``widget`` is what mountClock returned. With ``onRemove(turn)`` each queued turn gets a
 * «Quitar» button (the console). Returns {render(view)}.
 */
export function mountSpeakers(box, widget, { onRemove = null, queueLimit = Infinity } = {}) {
  const current = box.querySelector("[data-speaker-current]");
  const timer = box.querySelector("[data-speaker-time]");
  const queue = box.querySelector("[data-speaker-queue]");
  let view = null;

  function tick() {
    const turn = view?.current;
    if (!turn || turn.started_at == null) {
      timer.textContent = "";
      box.classList.remove("is-overtime");
      return;
    }
    const left = turn.duration_s - (widget.clock.serverNow() - turn.started_at);
    timer.textContent = formatMmss(left);
    box.classList.toggle("is-overtime", left < 0);
  }

  function render(next) {
    view = next || null;
    const turns = view?.queue || [];
    box.dataset.state = view?.current ? "speaking" : turns.length ? "waiting" : "empty";
    if (!onRemove) box.hidden = !view?.current && !turns.length; // the projector: only when used
    current.textContent = view?.current
      ? `${view.current.name} · ${view.current.kind_label}`
      : t("Nadie tiene la palabra");
    queue.replaceChildren(
      ...turns.slice(0, queueLimit).map((turn) =>
        el(
          "li",
          { "data-turn": turn.id },
          el("span", { text: turn.name }),
          el("span", { class: "muted", text: ` · ${turn.kind_label} · ${t("{minutes} min", { minutes: turn.minutes })}` }),
          onRemove
            ? el("button", {
                class: "button small",
                type: "button",
                text: t("Quitar"),
                "aria-label": t("Quitar a {name} de la lista", { name: turn.name }),
                onclick: () => onRemove(turn),
              })
            : null,
        ),
      ),
    );
    tick();
  }

  setInterval(tick, 250);
  return { render };
}

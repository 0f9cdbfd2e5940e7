// The desk's live counters (templates/desk/desk.html's aside): registered, checked in and
// present, per mesa, per desk, and arrivals every 5 minutes over 2 hours as a small SVG chart.
import { el, svg } from "../../shared/dom.js";
import { t } from "../../shared/i18n.js";
import { getJson } from "../../shared/net.js";
import { desk } from "./state.js";

function barList(list, items) {
  const max = Math.max(1, ...items.map((item) => item.value));
  list.replaceChildren(
    ...items.map((item) =>
      el(
        "li",
        {},
        el("span", { class: "bar-label", title: item.title || item.label, text: item.label }),
        el("span", { class: "bar-track" }, el("span", { class: "bar-fill", style: { width: `${(100 * item.value) / max}%` } })),
        el("span", { class: "bar-value", text: item.value }),
      ),
    ),
  );
}

function renderArrivals(holder, buckets) {
  const width = 240;
  const height = 64;
  const gap = 2;
  const barWidth = width / buckets.length - gap;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  const last = buckets[buckets.length - 1];
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height + 14}`,
    role: "img",
    "aria-label": t("{total} llegadas en las últimas 2 horas; {count} desde las {time}", {
      total,
      count: last ? last.count : 0,
      time: last ? last.start : "",
    }),
  });
  buckets.forEach((bucket, index) => {
    const h = bucket.count ? Math.max(2, (height * bucket.count) / max) : 0;
    chart.append(
      svg(
        "rect",
        {
          x: index * (barWidth + gap),
          y: height - h,
          width: barWidth,
          height: h,
          class: index === buckets.length - 1 ? "bar now" : "bar",
        },
        svg("title", { text: `${bucket.start}: ${bucket.count}` }),
      ),
    );
  });
  [0, Math.floor(buckets.length / 2), buckets.length - 1].forEach((index, i) => {
    if (!buckets[index]) return;
    chart.append(
      svg("text", {
        x: index * (barWidth + gap) + (i === 2 ? barWidth : 0),
        y: height + 12,
        "text-anchor": ["start", "middle", "end"][i],
        text: buckets[index].start,
      }),
    );
  });
  holder.replaceChildren(chart);
}

/** The desk's live counters (room desk:<id>, or GET …/desk/counters) into ``root``. */
export function paintCounters(root, assemblyId, state) {
  if (!state || state.assembly_id !== assemblyId) return;
  const $ = (selector) => root.querySelector(selector);
  $("[data-count-in]").textContent = state.checked_in;
  $("[data-count-registered]").textContent = state.registered;
  const present = $("[data-count-present]");
  if (present) present.textContent = state.present;
  $("[data-progress]").style.width = `${
    state.registered ? Math.min(100, (100 * state.checked_in) / state.registered) : 0
  }%`;
  const mesas = state.per_mesa.map((m) => ({
    label: t("Mesa {number}", { number: m.number }),
    title: m.theme,
    value: m.checked_in,
  }));
  if (state.unassigned) mesas.push({ label: t("Sin mesa"), value: state.unassigned });
  barList($("[data-per-mesa]"), mesas);
  barList(
    $("[data-per-desk]"),
    state.per_desk.map((d) => ({ label: d.desk || "—", value: d.checked_in })),
  );
  renderArrivals($("[data-arrivals]"), state.arrivals);
}

/** The counters as the server has them now (no socket, or after a check-in without one). */
export async function refreshCounters() {
  try {
    const data = await getJson(desk.root.dataset.countersUrl);
    renderCounters(data.state);
  } catch {
    /* the net indicator already says we are offline */
  }
}

export function renderCounters(state) {
  paintCounters(desk.root, desk.assemblyId, state);
}

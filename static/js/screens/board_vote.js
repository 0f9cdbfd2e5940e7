// The board's vote/approval panel: the revealed mesa's approval or any open phone vote, with
// its tallies (owned by the plenary work: quorum, results, the vote QR go here), and which QR
// the moderator shows full height.
import { el } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { approvalRuleSentence } from "../lib/vote_rule.js";

function part(tag, className, text) {
  return el(tag, { class: className || null, text });
}

function choiceLabel(choice) {
  return { for: t("A favor"), against: t("En contra"), abstain: t("Abstención") }[choice];
}

/** The short status of a mesa's approval ("" when there is none), for the region badges. */
export function approvalText(approval) {
  if (!approval) return "";
  if (approval.status === "open") return t("Votación abierta");
  if (approval.outcome === "no_quorum") return `✗ ${t("Sin quórum")}`;
  return approval.approved ? `✓ ${t("Agenda aprobada")}` : `✗ ${t("Agenda no aprobada")}`;
}

/** A mesa's head on the stage: its approval badge and, on its turn, its spokesperson. */
export function decorateRegion(region, state) {
  const approval = state.approvals[region.group.id];
  const text = approvalText(approval);
  region.badge.hidden = !approval;
  if (region.badge.textContent !== text) region.badge.textContent = text;
  region.badge.className = `region-badge ${approval ? `is-${approval.status}-${approval.approved}` : ""}`;
  // the spokesperson's turn: the mesa's vocero / vocera is named on its block
  const speaker = region.group.spokesperson;
  const named = state.plenary.mode === "reveal" && speaker ? t("Vocería: {name}", { name: speaker.name }) : "";
  if (region.speaker.textContent !== named) region.speaker.textContent = named;
  region.speaker.hidden = !named;
}

/**
 * «Mostrar QR en grande» (issue 19): the moderator's choice, part of the board's state
 * (plenary.big_qr: "vote", "survey" or null), shows that QR full height over the board, for
 * the back of the hall; a hidden one (no open vote, the survey closed) stays hidden.
 */
function showBig(voteQr, big) {
  voteQr?.classList.toggle("is-big", big === "vote" && !voteQr.hidden);
  document.querySelector("[data-board-survey]")?.classList.toggle("is-big", big === "survey");
}

/**
 * Render the panel into `panel` from the board's state ({plenary, approvals, electorate,
 * groups}). Returns true when the panel was shown or hidden (the board then lays out again,
 * since the panel takes screen space).
 */
export function renderVotePanel(panel, state) {
  const groupById = (id) => state.groups.find((g) => g.id === id);
  // The panel: the revealed mesa's approval, or any open phone vote.
  const { mode, group_id: groupId } = state.plenary;
  let groupForPanel = mode === "reveal" ? groupId : null;
  const open = Object.values(state.approvals).find((a) => a.status === "open");
  if (open) groupForPanel = open.group_id;
  const approval = groupForPanel != null ? state.approvals[groupForPanel] : null;
  const group = groupById(groupForPanel);
  const wasHidden = panel.hidden;
  // the big QR to /votar/<assembly> while a phone vote is open (projector only)
  const voteQr = document.querySelector("[data-vote-qr]");
  if (voteQr) voteQr.hidden = !(open && open.method === "telefono");
  showBig(voteQr, state.plenary.big_qr);
  panel.hidden = !approval || !group;
  if (panel.hidden) return !wasHidden;
  panel.textContent = "";
  const total = approval.cast ?? approval.for + approval.against + approval.abstain;
  const head = part("p", "vote-head");
  // the status in a span of its own: a short window leaves it to the vote's QR («Vote con su teléfono»)
  head.append(part("strong", "", t("Agenda de la Mesa {number}: ", { number: group.number })), part("span", "vote-status", approvalText(approval)));
  if (approval.status === "open") {
    const hint = approval.method === "telefono" ? t("vote con su teléfono: escanee el código QR") : "";
    if (hint) head.append(part("span", "vote-hint", ` · ${hint}`));
  }
  const bars = part("ul", "vote-bars");
  for (const choice of ["for", "against", "abstain"]) {
    const item = part("li", `vote-${choice}`);
    const hidden = approval[choice] == null;
    const share = total && !hidden ? Math.round((approval[choice] / total) * 100) : 0;
    const bar = part("span", "vote-bar");
    bar.style.setProperty("--share", `${share}%`);
    item.append(part("span", "vote-label", choiceLabel(choice)), bar, part("span", "vote-count", hidden ? "·" : String(approval[choice])));
    bars.append(item);
  }
  const foot = part(
    "p",
    "vote-foot",
    approval.method === "telefono"
      ? t("{total} de {electorate} personas presentes han votado", { total, electorate: state.electorate })
      : t("Conteo a mano alzada: {total} votos", { total }),
  );
  if (approval.hidden) foot.append(` · ${t("resultados ocultos hasta el cierre")}`);
  const sentence = approvalRuleSentence(approval);
  const rule = sentence ? part("p", "vote-rule", sentence) : null;
  panel.append(head, bars, foot);
  if (rule) panel.append(rule);
  return wasHidden;
}

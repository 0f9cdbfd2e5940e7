// The vote's rule where the board has no room for it (issue 20.7: text at 200 % without loss).
// On a window under 800 px high (a 1280×720 projector, a laptop at 200 %) or a narrow board the
// vote panel reads on a line or two and leaves its rule's sentence out (board.css,
// board_small.css); the board's rotation then gives that sentence the stage's place for one
// turn a round of its pages, in a card over the stage (the stage keeps its layout under it).
// The moderator's console and the phones' vote page say the rule too.
import { el } from "../shared/dom.js";
import { t } from "../shared/i18n.js";

/** The card in ``card`` for the rule of the vote panel ``panel`` (board_vote.js renders it). */
export function createRuleCard(card, panel) {
  let turns = 0; // the rotation's turns since the card last showed

  /** The rule's sentence the panel has but does not show ("" when it shows it or has none). */
  function unshown() {
    const rule = panel.querySelector(".vote-rule");
    return !panel.hidden && rule && rule.getClientRects().length === 0 ? rule.textContent : ""; // not laid out: hidden by the CSS
  }

  let filled = null; // the sentence the card holds (the panel is drawn again on every render)

  // (which vote: the panel under the card says it)
  function fill(sentence) {
    if (sentence === filled) return;
    filled = sentence;
    card.replaceChildren(el("h2", { text: t("Cómo se decide esta votación") }), el("p", { class: "board-rule-text", text: sentence }));
  }

  /**
   * One turn of the rotation, a round being ``round`` turns (the board's pages): true when the
   * card takes it (it shows); false when the pages turn (the card, if shown, goes).
   */
  function turn(round) {
    if (!card.hidden) return hide();
    const sentence = unshown();
    turns = sentence ? turns + 1 : 0;
    if (!sentence || turns < Math.max(1, round)) return false;
    turns = 0;
    fill(sentence);
    card.hidden = false;
    return true;
  }

  function hide() {
    card.hidden = true;
    return false;
  }

  /** The vote panel was drawn again: the card shows its rule as it is now (or goes). */
  function refresh() {
    if (card.hidden) return;
    const sentence = unshown();
    if (sentence) fill(sentence);
    else hide();
  }

  return { turn, hide, refresh, get shown() { return !card.hidden; } };
}

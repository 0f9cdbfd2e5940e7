// The sentence of a vote's rules (quorum, majority) in the page's language, written from the
// rule's parameters: the server stores those with each vote, never the sentence (a stored
// sentence stays in the language of the moment it was stored; issue 20.8). The same sentence
// as board.services.rules.rules_text (the acta's, written on the server).
import { t } from "../shared/i18n.js";

function majorityText(majority) {
  return (
    {
      simple: t("mayoría simple: más votos a favor que en contra (las abstenciones no cuentan para la mayoría)"),
      absolute: t("mayoría absoluta: a favor más de la mitad de las personas presentes"),
      two_thirds: t("dos tercios: a favor al menos 2/3 de los votos emitidos (la abstención cuenta como no a favor)"),
    }[majority] || ""
  );
}

/**
 * ``rule``: {quorum_kind, quorum_value, majority, quorum_needed} (the rules in force, or those
 * stored with a vote); ``present``: the people present it counts with. A rule stored before
 * its parameters sufficed shows its stored ``text``.
 */
export function ruleSentence(rule, present) {
  if (!rule) return "";
  if (!rule.quorum_kind || !rule.majority || present == null) return rule.text || "";
  const n = rule.quorum_needed;
  let quorum;
  if (rule.quorum_kind === "number") quorum = t("Quórum: al menos {n} participantes", { n });
  else if (Math.abs(rule.quorum_value - 0.5) < 1e-9) {
    quorum = t("Quórum: más de la mitad de las {present} personas presentes ({n})", { present, n });
  } else {
    // the percent sign goes with the number: "% de" in a message reads as a printf "% d"
    quorum = t("Quórum: más del {share} de las {present} personas presentes ({n})", {
      share: `${Math.round(rule.quorum_value * 100)} %`,
      present,
      n,
    });
  }
  return t("{quorum}; {majority}. Las abstenciones cuentan para el quórum.", {
    quorum,
    majority: majorityText(rule.majority),
  });
}

/** The rule a vote was decided under, with the people present at closing (else at opening). */
export function approvalRuleSentence(approval) {
  return ruleSentence(approval?.rule, approval?.present_close ?? approval?.present_open);
}

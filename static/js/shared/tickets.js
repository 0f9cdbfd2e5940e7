// "Did a scanner type this?" — the desk's rule, from the server's own patterns
// (assembly/desk/ticket_rules.py puts them in data-ticket-rules; one source: desk/domain.py):
// a ticket URL (…/t/<token>), a bare token long enough, or the URL as a US-keyboard scanner
// types it on a Spanish layout ("httpÑ--host-t-<token>", which the server translates back).

/** The rules of data-ticket-rules (JSON text or the parsed object), ready to apply. */
export function ticketRules(source) {
  const rules = typeof source === "string" ? JSON.parse(source) : source;
  return {
    marker: rules.marker,
    token: new RegExp(rules.token),
    mismatched: new RegExp(rules.mismatched),
    minLength: rules.min_length,
  };
}

/** True for what only a scanner types (as assembly.desk.domain.looks_like_ticket). */
export function looksLikeTicket(text, rules) {
  const value = (text || "").trim();
  return (
    value.includes(rules.marker) ||
    rules.mismatched.test(value) ||
    (rules.token.test(value) && value.length >= rules.minLength)
  );
}

import assert from "node:assert/strict";
import { test } from "node:test";

import { looksLikeTicket, ticketRules } from "../../static/js/shared/tickets.js";

// The same patterns the server hands the desk page (tests/unit/test_js.py checks the real ones
// against Python's looks_like_ticket).
const rules = ticketRules(
  JSON.stringify({ marker: "/t/", token: "^[A-Za-z0-9_\\-]{16,64}$", mismatched: "-t-([A-Za-z0-9'?]{16,64})$", min_length: 24 }),
);

test("a ticket URL, a long token or a mismatched-keyboard URL is a scan", () => {
  assert.ok(looksLikeTicket("http://192.168.1.10:5000/t/abcdefghijklmnopqrstuvwx", rules));
  assert.ok(looksLikeTicket("  abcdefghijklmnopqrstuvwxyz_-12  ", rules));
  assert.ok(looksLikeTicket("httpÑ--192.168.1.10Ñ5000-t-abc'defghij?klmnopq", rules));
});

test("names, documents and short words are not", () => {
  for (const text of ["María José", "1.234.567", "abcdefghijklmnop", "", "Luz Dary Peña"]) {
    assert.equal(looksLikeTicket(text, rules), false, text);
  }
});

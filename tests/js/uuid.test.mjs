import assert from "node:assert/strict";
import { test } from "node:test";

import { uuid } from "../../static/js/shared/uuid.js";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("a UUID without crypto.randomUUID (plain http on the LAN) is a v4 UUID", () => {
  assert.match(uuid({ getRandomValues: (bytes) => bytes.fill(255) }), V4);
  assert.match(uuid({ getRandomValues: (bytes) => bytes.fill(0) }), V4);
});

test("where crypto.randomUUID exists (a secure context) it is used", () => {
  assert.equal(uuid({ randomUUID: () => "from-the-browser" }), "from-the-browser");
  assert.match(uuid(), V4); // Node's own crypto
});

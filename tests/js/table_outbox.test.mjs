import assert from "node:assert/strict";
import { test } from "node:test";

import { Drafts, Outbox, tableStore } from "../../static/js/screens/table/outbox.js";

class MemoryStorage {
  constructor(entries = {}) {
    this.data = new Map(Object.entries(entries));
  }
  getItem(key) {
    return this.data.has(key) ? this.data.get(key) : null;
  }
  setItem(key, value) {
    this.data.set(key, String(value));
  }
  removeItem(key) {
    this.data.delete(key);
  }
}

const piece = (id, extra = {}) => ({ id, kind: "need", text: id, version: 1, created_at: id, ...extra });

test("the outbox and drafts live under the table, and an older page's (under its code) move once", () => {
  const storage = new MemoryStorage({ "asamblea:MESA37:outbox": '[{"op":"submit","id":"a","data":{},"rev":1}]' });
  const outbox = new Outbox(tableStore(storage, 3, "MESA37"));
  assert.equal(outbox.items[0].id, "a");
  assert.equal(storage.getItem("asamblea:MESA37:outbox"), null);
  outbox.add("submit", "b", { kind: "need", text: "B" });
  // a rotated code finds the same outbox
  assert.deepEqual(new Outbox(tableStore(storage, 3, "NUEVO1")).items.map((i) => i.id), ["a", "b"]);
});

test("storage that refuses (private mode, full) keeps the outbox in memory and breaks nothing", () => {
  const broken = { getItem() { throw new Error("denied"); }, setItem() { throw new Error("full"); }, removeItem() {} };
  const outbox = new Outbox(tableStore(broken, 3, "MESA37"));
  outbox.add("submit", "a", { kind: "need", text: "A" });
  assert.equal(outbox.items.length, 1);
});

test("a second write of a queued piece joins the first; a delete takes what hung from it", () => {
  const outbox = new Outbox(tableStore(new MemoryStorage(), 3, "X"));
  outbox.add("submit", "need", { kind: "need", text: "uno" });
  outbox.add("edit", "need", { text: "uno, corregido" });
  assert.deepEqual(outbox.items, [{ op: "submit", id: "need", data: { kind: "need", text: "uno, corregido" }, rev: 2 }]);
  outbox.add("submit", "sol", { kind: "solution", parent_id: "need", text: "s" });
  outbox.add("submit", "plan", { kind: "plan", parent_id: "sol", text: "p" });
  outbox.add("submit", "other", { kind: "need", text: "dos" });
  outbox.add("delete", "need");
  assert.deepEqual(outbox.items.map((i) => [i.op, i.id]), [["delete", "need"], ["submit", "other"]]);
});

test("an item changed while in flight goes again as an edit; an unchanged one leaves", () => {
  const outbox = new Outbox(tableStore(new MemoryStorage(), 3, "X"));
  outbox.add("submit", "a", { kind: "need", text: "A" });
  const item = outbox.next();
  const rev = item.rev;
  outbox.add("edit", "a", { text: "A2" }); // typed again while the submit was on its way
  outbox.sent(item, rev);
  assert.deepEqual([item.op, item.data.text], ["edit", "A2"]);
  outbox.sent(item, item.rev);
  assert.equal(outbox.items.length, 0);
});

test("late items wait, go again when the step reopens, and leave once the facilitator took them", () => {
  const outbox = new Outbox(tableStore(new MemoryStorage(), 3, "X"));
  outbox.add("submit", "a", { kind: "need", text: "A" });
  outbox.add("submit", "b", { kind: "need", text: "B" });
  outbox.items[0].late = true;
  assert.equal(outbox.next().id, "b");
  assert.equal(outbox.late(), 1);
  outbox.unlate();
  assert.equal(outbox.next().id, "a");
  outbox.items[0].late = true;
  outbox.items[1].late = true;
  // after a join: "a" is stored with its text and no longer held; "b" is still held
  outbox.settle(["b"], new Map([["a", piece("a", { text: "A" })], ["b", piece("b", { text: "B" })]]));
  assert.deepEqual(outbox.items.map((i) => i.id), ["b"]);
});

test("the view is the stored pieces with the queued writes applied", () => {
  const outbox = new Outbox(tableStore(new MemoryStorage(), 3, "X"));
  const stored = new Map([["1", piece("1")], ["2", piece("2")], ["3", piece("3", { kind: "solution", parent_id: "2" })]]);
  outbox.add("edit", "1", { text: "uno, editado" });
  outbox.add("delete", "2");
  outbox.add("submit", "9", { kind: "need", text: "nueva" });
  const view = outbox.view(stored);
  // oldest first; what the server has not stored yet (no created_at) last
  assert.deepEqual(view.map((p) => [p.id, p.text, p.pending]), [["1", "uno, editado", true], ["9", "nueva", true]]);
  const dated = new Map([["b", piece("b", { created_at: "2026-03-14T10:05:00" })], ["a", piece("a", { created_at: "2026-03-14T10:01:00" })]]);
  assert.deepEqual(outbox.view(dated).map((p) => p.id), ["a", "b", "1", "9"]);
  assert.equal(stored.get("1").text, "1"); // the stored pieces are not touched
});

test("drafts are kept per slot and field; clearing a slot forgets its refusal too", () => {
  const storage = new MemoryStorage();
  const drafts = new Drafts(tableStore(storage, 3, "X"));
  drafts.set("edit:1", "text", "a medio escribir");
  drafts.errors["edit:1"] = "Demasiado largo";
  assert.equal(new Drafts(tableStore(storage, 3, "X")).get("edit:1", "text"), "a medio escribir");
  assert.ok(drafts.editing("1"));
  drafts.clear("edit:1");
  assert.equal(drafts.get("edit:1", "text", "—"), "—");
  assert.equal(drafts.errors["edit:1"], undefined);
  assert.ok(!drafts.editing("1"));
});

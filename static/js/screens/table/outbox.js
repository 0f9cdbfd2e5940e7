// What a table's phone keeps for itself (localStorage): the outbox of writes not yet
// acknowledged and the drafts being typed. Pure: the storage is handed in (tests use a stand-in).
//
// Kept under the table, not its code: when the code is rotated the phone enters with the new
// one and finds its drafts and outbox. (Older pages stored them under the code: moved once.)

/** load/save of ``name`` ("outbox", "drafts") for table ``tableId``; a full or private
 * storage keeps nothing and breaks nothing. */
export function tableStore(storage, tableId, code) {
  const key = (name) => `asamblea:table:${tableId}:${name}`;
  const attempt = (fn, fallback) => {
    try { return fn(); } catch { return fallback; }
  };
  for (const name of ["outbox", "drafts"]) {
    const old = `asamblea:${code}:${name}`;
    attempt(() => {
      const value = storage.getItem(old);
      if (value != null && storage.getItem(key(name)) == null) storage.setItem(key(name), value);
      storage.removeItem(old);
    });
  }
  return {
    load: (name, fallback) => attempt(() => JSON.parse(storage.getItem(key(name))) ?? fallback, fallback),
    save: (name, value) => attempt(() => storage.setItem(key(name), JSON.stringify(value))),
  };
}

/** Remove ``id`` and what hangs from it (its solution, that solution's plan) from ``map``. */
export function dropTree(map, id) {
  map.delete(id);
  for (const p of [...map.values()]) if (p.parent_id === id) dropTree(map, p.id);
}

/** The writes in sending order: [{op: "submit" | "edit" | "delete", id, data, rev, late?}]. */
export class Outbox {
  constructor(store) {
    this.store = store;
    this.items = store.load("outbox", []);
  }

  save() {
    this.store.save("outbox", this.items);
  }

  /** Queue a write of piece ``id``; a second write of a piece still queued joins the first. */
  add(op, id, data = {}) {
    const queued = this.items.find((item) => item.id === id);
    if (queued && op !== "delete") {
      queued.data = { ...queued.data, ...data }; // an unsent submit stays a submit
      queued.rev += 1;
    } else if (queued) {
      queued.op = "delete";
      queued.data = {};
      queued.rev += 1;
    } else {
      this.items.push({ op, id, data, rev: 1 });
    }
    if (op === "delete") {
      // what hung from a deleted piece and was never sent goes too
      const gone = new Set([id]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const item of this.items) {
          if (item.op === "submit" && gone.has(item.data.parent_id) && !gone.has(item.id)) {
            gone.add(item.id);
            grew = true;
          }
        }
      }
      this.items = this.items.filter((item) => item.id === id || !gone.has(item.id));
    }
    this.save();
  }

  /** The next write to send: the first not held «fuera de tiempo». */
  next() {
    return this.items.find((item) => !item.late);
  }

  /** ``item`` was stored as it was at ``rev``: done, or an edit of what changed meanwhile. */
  sent(item, rev) {
    if (item.rev !== rev && item.op !== "delete") item.op = "edit";
    else this.drop((i) => i === item);
  }

  /** Forget the writes ``which`` picks (saved). Answers whether any went. */
  drop(which) {
    const before = this.items.length;
    this.items = this.items.filter((item) => !which(item));
    this.save();
    return this.items.length !== before;
  }

  late() {
    return this.items.filter((item) => item.late).length;
  }

  /** The step reopened: the late writes go again. */
  unlate() {
    for (const item of this.items) delete item.late;
    this.save();
  }

  /** After a (re)join: a late piece the server no longer holds and whose text is stored was
   * accepted by the facilitator while this phone was away. */
  settle(heldIds, pieces) {
    const held = new Set(heldIds);
    this.drop((item) => {
      const stored = pieces.get(item.id);
      return item.late && !held.has(item.id) && stored && stored.text === item.data.text;
    });
  }

  /** What the phone shows: the stored ``pieces`` (a Map) with the queued writes applied. */
  view(pieces) {
    const all = new Map([...pieces].map(([id, p]) => [id, { ...p }]));
    for (const item of this.items) {
      if (item.op === "delete") dropTree(all, item.id);
      else all.set(item.id, { ...(all.get(item.id) || {}), ...item.data, id: item.id, pending: true, late: Boolean(item.late) });
    }
    // Oldest first, the unsent last: "~" sorts after the ISO times by code point (localeCompare
    // put it first: a piece just written jumped ahead of the stored ones until acknowledged).
    const when = (p) => p.created_at || "~";
    return [...all.values()].sort((a, b) => (when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : 0));
  }
}

/** What is being typed, per form "slot" (a new need, the solution of a need, an edit...). */
export class Drafts {
  constructor(store) {
    this.store = store;
    this.values = store.load("drafts", {}); // "<slot>|<field>" -> text
    this.errors = {}; // slot -> why the server refused what it held (not kept)
  }

  get(slot, field, fallback = "") {
    return this.values[`${slot}|${field}`] ?? fallback;
  }

  set(slot, field, value) {
    this.values[`${slot}|${field}`] = value;
    this.store.save("drafts", this.values);
  }

  clear(slot) {
    for (const k of Object.keys(this.values)) if (k.startsWith(`${slot}|`)) delete this.values[k];
    delete this.errors[slot];
    this.store.save("drafts", this.values);
  }

  editing(id) {
    return Object.keys(this.values).some((k) => k.startsWith(`edit:${id}|`));
  }
}

// The desk's scan queue (issue 13.5, pretixSCAN's promise): every ticket scan is kept on this
// laptop (localStorage) with a UUID and the moment it was made, until the server answers it.
// With no network the scans wait, shown as "pendiente", and go oldest first when it is back;
// the server counts a UUID once and dates each scan by its age (the earliest scan wins).
// The queue holds what the scanner typed, the desk's name and a time: no copy of the list.
import { uuid } from "../shared/uuid.js";

export class ScanQueue {
  /** ``storage`` is localStorage (or a stand-in); ``now`` the clock in ms. */
  constructor(storage, key, { now = () => Date.now(), newId = uuid } = {}) {
    this.storage = storage;
    this.key = key;
    this.now = now;
    this.newId = newId;
    this.items = this.load();
  }

  load() {
    try {
      const items = JSON.parse(this.storage.getItem(this.key) || "[]");
      return Array.isArray(items) ? items.filter((item) => item && item.id && item.ticket) : [];
    } catch {
      return [];
    }
  }

  save() {
    try {
      if (this.items.length) this.storage.setItem(this.key, JSON.stringify(this.items));
      else this.storage.removeItem(this.key);
    } catch {
      /* storage full or private mode: the queue still holds the scans in memory */
    }
  }

  /** Keep a scan of ``ticket`` at ``desk``; answers the queued item. */
  add(ticket, desk) {
    const item = { id: this.newId(), ticket, desk, at: this.now() };
    this.items.push(item);
    this.save();
    return item;
  }

  remove(id) {
    this.items = this.items.filter((item) => item.id !== id);
    this.save();
  }

  /** The check-in request of ``item``: its age by this laptop's clock, never negative. */
  body(item) {
    return { ticket: item.ticket, desk: item.desk, scan_id: item.id, age_ms: Math.max(0, Math.round(this.now() - item.at)) };
  }
}

/** True when a failed send should keep the scan for later: no answer, a retryable refusal
 * (server busy) or a closed session (the scan waits while someone logs in again). */
export function keepsScan(error) {
  return Boolean(error && (error.retry === true || error.status === 401));
}

/**
 * Send the queued scans oldest first with ``send(item) → data`` (throws on failure).
 * ``onResult(item, {data} | {error})`` for each answered one (it leaves the queue);
 * at the first scan that must wait, ``onKept(item, error)`` and stop. Answers true when the
 * queue is empty.
 */
export async function sendQueued(queue, send, { onResult = () => {}, onKept = () => {} } = {}) {
  while (queue.items.length) {
    const item = queue.items[0];
    let outcome;
    try {
      outcome = { data: await send(item) };
    } catch (error) {
      if (keepsScan(error)) {
        onKept(item, error);
        return false;
      }
      outcome = { error };
    }
    queue.remove(item.id);
    onResult(item, outcome);
  }
  return true;
}

// A random UUID (v4) for what a page makes before the server has seen it (a piece, a scan):
// the server stores each one once. crypto.randomUUID exists only in secure contexts, not on
// the venue LAN's plain http, so the bytes are set by hand there.
export function uuid(crypto = globalThis.crypto) {
  if (crypto?.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

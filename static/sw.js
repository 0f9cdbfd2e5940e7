// The service worker (issue 13.3b), served from the root scope as /sw.js by
// assembly/core/offline.py, which puts `self.ASSEMBLY = {release, precache, offline}` before
// this file. Browsers run it only in a secure context: the server laptop on localhost, or
// HTTPS (ASSEMBLY_TLS_CERT / ASSEMBLY_TLS_KEY). On the venue's plain-HTTP LAN phones never get
// it; their pages recover on their own (socket.js, the outboxes in localStorage).
//
// One cache per release ("asamblea-<release>"): the static files (cache first: their URLs
// carry the release), the offline page, and the shells of the pages that must reload with no
// network — /mesa, a table's page (/mesa/<code>), a ticket (/t/<token>) and the desk — kept
// network first: online, the server's fresh page (stored for later); offline, the last one
// stored, whose screen then shows its drafts and outbox from localStorage. Any other page
// asked for offline gets the app's own offline page, never the browser's error. Nothing else
// is stored: no staff list, no API answer, no Socket.IO traffic. The log-in page (after a
// log-out, or a session that ended) drops the kept desk pages, which name the staff member;
// the desk's queued scans live in localStorage and stay.
const CONFIG = self.ASSEMBLY || { release: "dev", precache: [], offline: "/offline" };
const CACHE = `asamblea-${CONFIG.release}`;
const SHELLS = [/^\/mesa$/, /^\/mesa\/[^/]+$/, /^\/t\/[^/.]+$/, /^\/t\/[^/.]+\.png$/, /^\/assemblies\/\d+\/desk$/];
const NEVER = [/^\/socket\.io\//, /^\/api\//, /^\/sw\.js$/];
const STAFF_SHELLS = /^\/assemblies\/\d+\/desk$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([CONFIG.offline, ...CONFIG.precache]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("asamblea-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

function sameOrigin(url) {
  return url.origin === self.location.origin;
}

function isShell(url) {
  return SHELLS.some((pattern) => pattern.test(url.pathname));
}

function isStatic(url) {
  return url.pathname.startsWith(`/static/${CONFIG.release}/`);
}

async function keep(request, response) {
  if (response && response.ok && response.type === "basic" && !response.redirected) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: CACHE });
  if (cached) return cached;
  return keep(request, await fetch(request));
}

async function networkFirst(request, url) {
  try {
    const response = await fetch(request);
    return isShell(url) ? await keep(request, response) : response;
  } catch (error) {
    const cache = await caches.open(CACHE);
    const cached = isShell(url)
      ? (await cache.match(request)) || (await cache.match(request, { ignoreSearch: true }))
      : null;
    if (cached) return cached;
    if (request.mode === "navigate") {
      const offline = await cache.match(CONFIG.offline);
      if (offline) return offline;
    }
    throw error;
  }
}

async function forgetStaffPages() {
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) {
    if (STAFF_SHELLS.test(new URL(request.url).pathname)) await cache.delete(request);
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (!sameOrigin(url) || NEVER.some((pattern) => pattern.test(url.pathname))) return;
  if (request.mode === "navigate" && url.pathname === "/login") event.waitUntil(forgetStaffPages());
  if (isStatic(url)) event.respondWith(cacheFirst(request));
  else if (request.mode === "navigate" || isShell(url)) event.respondWith(networkFirst(request, url));
});

// A shell page asks to be kept with what it loaded (its first load came before the worker):
// {type: "keep", urls: [...]}. Only shells and this release's static files are stored.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const href of data.urls.slice(0, 200)) {
        let url;
        try {
          url = new URL(href, self.location.origin);
        } catch {
          continue;
        }
        url.hash = "";
        if (!sameOrigin(url) || !(isShell(url) || isStatic(url))) continue;
        if (await cache.match(url.href)) continue;
        try {
          await keep(new Request(url.href, { credentials: "same-origin" }), await fetch(url.href, { credentials: "same-origin" }));
        } catch {
          /* offline again: the next visit keeps it */
        }
      }
      event.source?.postMessage({ type: "kept" });
    })(),
  );
});

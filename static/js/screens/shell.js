// Pages that must reload with no network (/mesa, a table's page, a ticket, the desk) boot this
// screen beside their own: in a secure context (localhost, or HTTPS) it registers the service
// worker (/sw.js, see static/sw.js) and asks it to keep this page and what it loaded, so a
// reload while offline shows the page, its drafts and its outbox; the offline banner's "do not
// reload" ([data-no-reload]) is hidden then. On plain HTTP (the venue's LAN) browsers allow no
// service worker: nothing happens here, and the pages recover on their own (no reload needed).
export function init() {
  const workers = globalThis.navigator?.serviceWorker;
  if (!globalThis.isSecureContext || !workers) return;
  if (workers.controller) hideReloadWarning(); // this page reloads offline: no need to warn
  workers.addEventListener("message", (event) => {
    if (event.data?.type !== "kept") return;
    document.documentElement.dataset.offlineReady = "true";
    hideReloadWarning();
  });
  workers
    .register("/sw.js", { scope: "/" })
    .then(() => workers.ready)
    .then((registration) => {
      const loaded = performance.getEntriesByType("resource").map((entry) => entry.name);
      registration.active?.postMessage({ type: "keep", urls: [location.href, ...loaded] });
    })
    .catch((error) => console.warn("service worker not registered", error));
}

function hideReloadWarning() {
  for (const element of document.querySelectorAll("[data-no-reload]")) element.hidden = true;
}

// JSON over HTTP with the app's refusal shape ({"ok": false, "error", "code", "retry",
// "fields"}), the CSRF header and a clear split between "no answer" and "answered no".
//
//   try { const data = await postJson(url, { ticket }); … }
//   catch (error) { if (error instanceof NetworkError) … else if (error instanceof Refusal) … }
import { t } from "./i18n.js";

/** No answer from the server (offline, connection reset, server down). */
export class NetworkError extends Error {
  constructor(message = t("Sin conexión con el servidor.")) {
    super(message);
    this.code = "offline";
    this.retry = true;
  }
}

/** The server answered, and the answer is no: ``message``, ``code``, ``retry``, ``fields``. */
export class Refusal extends Error {
  constructor(body, status) {
    super(body?.error || t("El servidor respondió {status}. No se guardó nada.", { status }));
    /** the server's own message, when it sent one */
    this.serverMessage = body?.error || null;
    this.status = status;
    this.code = body?.code ?? null;
    this.retry = body?.retry === true;
    this.fields = body?.fields || {};
  }
}

/** The page's CSRF token (templates put it in <meta name="csrf-token">). */
export function csrfToken() {
  return globalThis.document?.querySelector('meta[name="csrf-token"]')?.content || "";
}

async function readAnswer(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.redirected && new URL(response.url).pathname.endsWith("/login")) {
    throw new Refusal(
      { error: t("La sesión se cerró. Vuelva a iniciar sesión y repita la acción."), code: "forbidden" },
      401,
    );
  }
  if (!response.ok || !body || body.ok === false) throw new Refusal(body, response.status);
  return body;
}

/** Send ``init`` to ``url`` and read a JSON answer; throws NetworkError or Refusal. */
export async function fetchJson(url, init = {}, fetchImpl = globalThis.fetch) {
  let response;
  try {
    response = await fetchImpl(url, {
      credentials: "same-origin",
      ...init,
      headers: { Accept: "application/json", ...(init.headers || {}) },
    });
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    throw new NetworkError();
  }
  return readAnswer(response);
}

export function getJson(url, init = {}) {
  return fetchJson(url, { ...init, method: "GET" });
}

export function postJson(url, body, init = {}) {
  return fetchJson(url, {
    ...init,
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), ...(init.headers || {}) },
    body: JSON.stringify(body),
  });
}

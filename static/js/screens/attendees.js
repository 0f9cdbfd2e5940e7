// Attendees list: results follow the search box as you type (the same page, partial=1).
export function init() {
  const search = document.getElementById("attendee-search");
  const input = document.getElementById("q");
  const results = document.getElementById("results");
  if (!search || !input || !results) return;
  let timer = null;
  let controller = null;

  async function refresh() {
    controller?.abort();
    controller = new AbortController();
    const url = new URL(search.dataset.url, location.href);
    if (input.value.trim()) url.searchParams.set("q", input.value.trim());
    const pageUrl = url.toString();
    url.searchParams.set("partial", "1");
    try {
      const response = await fetch(url, { signal: controller.signal, headers: { Accept: "text/html" } });
      if (!response.ok) return;
      results.innerHTML = await response.text(); // the server's own partial template
      history.replaceState(null, "", pageUrl);
    } catch (error) {
      if (error.name !== "AbortError") console.warn("search failed", error);
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 200);
  });
  search.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    refresh();
  });
}

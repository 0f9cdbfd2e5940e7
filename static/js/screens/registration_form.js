// The unified registration form: show the disability kind only after "Sí", and take the
// person straight to the error summary after a failed submit. The form works without this.
export function init() {
  const form = document.getElementById("registration-form");
  document.getElementById("error-summary")?.focus();
  if (!form) return;

  for (const block of form.querySelectorAll("[data-depends-on]")) {
    const name = block.dataset.dependsOn;
    const update = (event) => {
      const answer = form.querySelector(`input[name="${name}"]:checked`)?.value;
      const hasError = block.querySelector(".has-error");
      block.hidden = answer !== "si" && !hasError;
      // "No" or "Sin responder" chosen now: a kind picked before no longer applies
      if (answer === "no" || (event && answer !== "si")) {
        const select = block.querySelector("select");
        if (select) select.value = "";
      }
    };
    for (const radio of form.querySelectorAll(`input[name="${name}"]`)) radio.addEventListener("change", update);
    update();
  }

  // One tap is enough: a second tap while the page loads would only resend the same form.
  form.addEventListener("submit", () => {
    const button = form.querySelector("button[type=submit]");
    if (button) setTimeout(() => button.setAttribute("aria-busy", "true"), 0);
  });
}

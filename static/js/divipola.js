// Dependent selects: choosing a department loads its municipalities (DANE DIVIPOLA).
// Works on every form that has a select with data-municipalities and a *_municipality_code twin.
for (const department of document.querySelectorAll("select[data-municipalities]")) {
  const municipality = department.form.querySelector("select[name$='municipality_code']");
  if (!municipality) continue;
  department.addEventListener("change", async () => {
    municipality.disabled = true;
    municipality.replaceChildren(new Option("Cargando…", ""));
    try {
      const base = department.dataset.municipalities.replace(/\/[^/]*$/, "");
      const response = await fetch(`${base}/${encodeURIComponent(department.value || "00")}`);
      const { municipalities } = await response.json();
      municipality.replaceChildren(new Option("—", ""), ...municipalities.map((m) => new Option(m.name, m.code)));
    } catch {
      municipality.replaceChildren(new Option("No se pudo cargar la lista; intente de nuevo", ""));
    } finally {
      municipality.disabled = false;
    }
  });
}

// Dependent selects: choosing a department loads its municipalities (DANE DIVIPOLA). Works on
// every form that has a select with data-municipalities and a *_municipality_code twin.
import { $$ } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { getJson } from "../shared/net.js";

export function init() {
  for (const department of $$("select[data-municipalities]")) {
    const municipality = department.form.querySelector("select[name$='municipality_code']");
    if (!municipality) continue;
    department.addEventListener("change", async () => {
      municipality.disabled = true;
      municipality.replaceChildren(new Option(t("Cargando…"), ""));
      try {
        const base = department.dataset.municipalities.replace(/\/[^/]*$/, "");
        const { municipalities } = await getJson(`${base}/${encodeURIComponent(department.value || "00")}`);
        municipality.replaceChildren(new Option("—", ""), ...municipalities.map((m) => new Option(m.name, m.code)));
      } catch {
        municipality.replaceChildren(new Option(t("No se pudo cargar la lista; intente de nuevo"), ""));
      } finally {
        municipality.disabled = false;
      }
    });
  }
}

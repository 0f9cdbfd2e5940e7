"""Every page type in English (issue 20.8): with ``?lang=en`` no user-visible Spanish is left
outside the catalog — text, the attributes people read (title, aria-label, placeholder, alt,
button values) and the page title. What people stored (the assembly's name, its themes and
agenda, names, consent texts, DIVIPOLA place names) stays as written, so every stored string
is taken out of the page text before it is read."""

import zoneinfo

from sqlalchemy import String, Text, select

from assembly.core import divipola
from assembly.extensions import db as _db
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_accessibility_browser import PHONE_PREFIXES, _seed, _settle
from tests.browser.test_pages_browser import _pages

#: words and marks only Spanish UI text has (not "mesa": the English glossary keeps it)
SPANISH = r"""/(^|[^\p{L}\d_])(de|del|la|las|los|el|para|con|por|una|que|sin|sus|hay|está|aún|todavía|guardar|buscar|nueva|nuevo|volver|salir|entrar|cerrar|abrir|personas?|inscrib\p{L}*|elija|escriba|sí)(?=$|[^\p{L}\d_])|[áéíóúñ¿¡]/iu"""

FIND = (
    r"""(stored) => {
  const spanish = """
    + SPANISH
    + r""";
  // a stored string counts only as whole words (a stored "la" must not eat into "place")
  const escape = (value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const storedRe = new RegExp(`(?<![\\p{L}\\d])(?:${stored.map(escape).join('|')})(?![\\p{L}\\d])`, 'gu');
  const own = (text) => text.replace(storedRe, ' ').trim();
  const found = new Set();
  const check = (where, text) => { const rest = own(text || ''); if (spanish.test(rest)) found.add(`${location.pathname}: ${where}${text.trim().slice(0, 300)}`); };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, template, textarea, [lang=es]')) continue;
    if (parent.closest('option') || parent.getClientRects().length) check('', node.textContent);
  }
  for (const e of document.querySelectorAll('[placeholder], [title], [aria-label], [alt], input[type=submit], input[type=button]')) {
    for (const name of ['placeholder', 'title', 'aria-label', 'alt']) if (e.hasAttribute(name)) check(`@${name} `, e.getAttribute(name));
    if (e.type === 'submit' || e.type === 'button') check('@value ', e.value);
  }
  check('<title> ', document.title);
  return [...found];
}"""
)


def _stored_strings() -> list[str]:
    """Every string the database holds (a small test database) and the DIVIPOLA names,
    longest first so a long text goes before a word inside it."""
    # the product's name, the language's own name, a law's official name, IANA zone names
    values = {"Asamblea", "Español", "Ley 1581 de 2012", *zoneinfo.available_timezones()}
    values.update(zone.replace("_", " ") for zone in zoneinfo.available_timezones())
    for table in _db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
        if columns:
            for row in _db.session.execute(select(*columns)):
                values.update(v.strip() for v in row if isinstance(v, str) and v.strip())
    for code, name in divipola.departments():
        values.add(name)
        values.update(n for _c, n in divipola.municipalities(code))
    _db.session.rollback()
    return sorted(values, key=len, reverse=True)


def test_every_page_type_has_no_spanish_left_in_english(
    new_page, make_user, make_assembly, make_attendee
):
    admin, assembly, group, person = _seed(make_user, make_assembly, make_attendee)
    stored = _stored_strings()
    laptop = new_page(LAPTOP)
    phone = new_page(PHONE)
    found = []
    for page in (laptop, phone):
        page.on("dialog", lambda dialog: dialog.dismiss())
        page.goto("/login?lang=en")
        _settle(page)
        found += page.evaluate(FIND, stored)
        log_in_english(page, admin)
    for path in _pages(assembly, group, person):
        page = phone if path.startswith(PHONE_PREFIXES) else laptop
        page.goto(path + ("&" if "?" in path else "?") + "lang=en")
        _settle(page)
        found += page.evaluate(FIND, stored)
    assert found == []


def log_in_english(page, user) -> None:
    from tests.conftest import TEST_PASSWORD

    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/assemblies/")

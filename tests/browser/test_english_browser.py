"""Every page type in English (issue 20.8): with ``?lang=en`` no user-visible Spanish is left
outside the catalog — text, the attributes people read (title, aria-label, placeholder, alt,
button values) and the page title. What people stored (the assembly's name, its themes and
agenda, names, DIVIPOLA place names, the lists uploaded for import) stays as written, so every
stored string (text columns, the strings inside JSON columns, the uploaded lists' cells) is
taken out of the page text before it is read, whole or shortened to fit (its beginning, then an
ellipsis or the end of the text). The consent texts are translated too: their Spanish text,
the one that binds, is read only by opening its disclosure (not shown, so not checked)."""

import json
import zoneinfo
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import current_app
from sqlalchemy import JSON, String, Text, select

from assembly.core import divipola
from assembly.extensions import db as _db
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_accessibility_browser import PHONE_PREFIXES, _seed, _settle
from tests.browser.test_pages_browser import _pages
from tests.support.day_seed import day_pages, seed_day

CATALOG = Path(__file__).resolve().parents[2] / "assembly/translations/en/LC_MESSAGES/messages.po"
#: words and marks only Spanish UI text has (not "mesa": the English glossary keeps it)
SPANISH = r"""/(^|[^\p{L}\d_])(de|del|la|las|los|el|para|con|por|una|que|sin|sus|hay|está|aún|todavía|guardar|buscar|nueva|nuevo|volver|salir|entrar|cerrar|abrir|personas?|inscrib\p{L}*|elija|escriba|sí)(?=$|[^\p{L}\d_])|[áéíóúñ¿¡]/iu"""

FIND = (
    r"""([stored, sources]) => {
  const spanish = """
    + SPANISH
    + r""";
  // a stored string counts only as whole words (a stored "la" must not eat into "place")
  const escape = (value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const storedRe = new RegExp(`(?<![\\p{L}\\d])(?:${stored.map(escape).join('|')})(?![\\p{L}\\d])`, 'gu');
  // a stored text shortened to fit (the whole puzzle's captions, a select's options): its
  // beginning, cut anywhere, then an ellipsis or the end of the text
  const spaced = (text) => text.replace(/[\u00ad\u200b\u2060]/g, '').replace(/\s+/g, ' ');
  const long = stored.map(spaced).filter((value) => value.length >= 16);
  const unshortened = (text) => {
    let rest = text;
    for (const value of long) {
      const head = value.slice(0, 12);
      for (let at = rest.indexOf(head); at >= 0; at = rest.indexOf(head, at + 1)) {
        let end = at + head.length;
        while (end < rest.length && rest[end] === value[end - at]) end += 1;
        const cut = /^[,;:.]?\s*(…|\.\.\.|$)/u.exec(rest.slice(end));
        if (cut) rest = `${rest.slice(0, at)} ${rest.slice(end + cut[0].length)}`;
      }
    }
    return rest.trim();
  };
  // (cut before a shorter stored string inside it is taken out: an organisation's name)
  const own = (text) => {
    const plain = spaced(text);
    const rest = plain.replace(storedRe, ' ').trim();
    return spanish.test(rest) ? unshortened(plain).replace(storedRe, ' ').trim() : rest;
  };
  const found = new Set();
  // a catalog entry shown as its Spanish source: a label that never went through _() (a
  // Spanish word list cannot know "Inscripciones abiertas" or "Necesidad"; the catalog does)
  const untranslated = new Set(sources);
  const check = (where, text) => {
    const rest = own(text || '');
    if (spanish.test(rest) || untranslated.has(rest.replace(/^✓\s*/, ''))) found.add(`${location.pathname}: ${where}${text.trim().slice(0, 300)}`);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, template, textarea')) continue;
    // shown: laid out, and not inside a closed disclosure (Chromium keeps the boxes of a closed
    // <details>' content, hidden by content-visibility, which checkVisibility sees)
    if (parent.closest('option') || (parent.getClientRects().length && parent.checkVisibility())) check('', node.textContent);
  }
  for (const e of document.querySelectorAll('[placeholder], [title], [aria-label], [alt], input[type=submit], input[type=button]')) {
    for (const name of ['placeholder', 'title', 'aria-label', 'alt']) if (e.hasAttribute(name)) check(`@${name} `, e.getAttribute(name));
    if (e.type === 'submit' || e.type === 'button') check('@value ', e.value);
  }
  check('<title> ', document.title);
  return [...found];
}"""
)


def _json_strings(value) -> Iterator[str]:
    """The strings inside a JSON value (its leaves: a dict's keys are codes)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _stored_strings(labels: Collection[str] = ()) -> list[str]:
    """Every string the database holds (text columns and the strings inside JSON columns: a
    survey's questions, a commitment's texts, the acta's snapshot...), the cells of the lists
    uploaded for import and the DIVIPOLA names,
    whitespace as a page shows it, longest first so a long text goes before a word inside it.
    A JSON string that is one of the catalog's ``labels`` is a label kept with the data (the
    acta's piece kinds): shown, it must still go through the catalog, so it is not taken out."""
    # the product's name, the language's own name, a law's official name, IANA zone names
    values = {"Asamblea", "Español", "Ley 1581 de 2012", *zoneinfo.available_timezones()}
    values.update(zone.replace("_", " ") for zone in zoneinfo.available_timezones())
    labels = set(labels)
    for table in _db.metadata.sorted_tables:
        texts = [c for c in table.columns if isinstance(c.type, (String, Text))]
        documents = [c for c in table.columns if isinstance(c.type, JSON)]
        if texts:
            for row in _db.session.execute(select(*texts)):
                values.update(v for v in row if isinstance(v, str))
        if documents:
            for row in _db.session.execute(select(*documents)):
                values.update(v for v in _json_strings(list(row)) if v.strip() not in labels)
    # the lists uploaded for import, kept as read (their headers and cells: what people wrote)
    for sheet in (Path(current_app.instance_path) / "imports").glob("*.sheet.json"):
        values.update(_json_strings(json.loads(sheet.read_text(encoding="utf-8"))))
    for code, name in divipola.departments():
        values.add(name)
        values.update(n for _c, n in divipola.municipalities(code))
    _db.session.rollback()
    spaced = {" ".join(v.split()) for v in values}
    return sorted((v for v in spaced if v), key=len, reverse=True)


def _catalog_sources() -> list[str]:
    """The catalog's Spanish sources whose English differs: seen as they are on an English
    page, they were shown without going through the catalog."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    return sorted(
        message.id
        for message in catalog
        if isinstance(message.id, str)
        and len(message.id) > 2
        and message.string not in ("", message.id)
    )


@pytest.mark.slow  # a walk over every page type in English (~25 s): run once
def test_every_page_type_has_no_spanish_left_in_english(
    new_page, make_user, make_assembly, make_attendee
):
    admin, assembly, group, person = _seed(make_user, make_assembly, make_attendee)
    sources = _catalog_sources()
    stored = [_stored_strings(sources), sources]
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


@pytest.mark.slow  # the day's seed and every page type in its real states (~1 min)
def test_the_days_real_states_have_no_spanish_left_in_english(new_page, make_user, tmp_path):
    """The same walk in the day's states (tests/support/day_seed.py): votes decided and open,
    an acta, the survey, commitments, an import's steps: what only such data shows."""
    day = seed_day(make_user, tmp_path)
    sources = _catalog_sources()
    stored = [_stored_strings(sources), sources]
    laptop = new_page(LAPTOP)
    phone = new_page(PHONE)
    for page in (laptop, phone):
        page.on("dialog", lambda dialog: dialog.dismiss())
        page.goto("/login?lang=en")
        _settle(page)
        log_in_english(page, day.admin)
    found = []
    for path in day_pages(day):
        page = phone if path.startswith(PHONE_PREFIXES) else laptop
        page.goto(path + ("&" if "?" in path else "?") + "lang=en")
        _settle(page)
        found += page.evaluate(FIND, stored)
    assert found == []

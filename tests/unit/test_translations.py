"""Everything a person reads goes through the catalog (issue 20.8), and the catalog is complete
in English. Re-run after adding strings (README, "Languages"):

    pybabel extract / update / compile  (the commands in the README)
    .venv/bin/python -m pytest tests/unit/test_translations.py

A pragmatic detector, not a parser of every language: in templates, text between tags and the
attributes people read (title, placeholder, aria-label, alt, label, data-confirm, button
values) must come from ``_()``/``ngettext()``, and no string literal in a Jinja expression may
look like Spanish prose; in JS (static/js), no string or template literal outside ``t()``/
``tn()`` may look like Spanish prose. ALLOWED lists the few deliberate exceptions (codes,
proper nouns, units).
"""

import io
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
JS = ROOT / "static" / "js"
TRANSLATIONS = ROOT / "assembly" / "translations"

#: words people read that are the same in every language of the interface
ALLOWED = {
    "Asamblea",  # the product's name
    "Español",  # language names, each in its own language
    "English",
    "min",  # minutes
    "(UTC)",
    "v",  # "v3": a piece's version
    "Enter",  # key names in JS (event.key), not text
    "Escape",
    "Space",
    "AbortError",  # the name of a DOM exception
    "sí",  # a stored answer code compared in a template, not shown
    "Completa",  # a stored report variant compared in a template, not shown
}
#: attributes a person reads (or hears)
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "label", "data-confirm"}
#: blocks of base.html that hold class names, not text
CLASS_BLOCKS = re.compile(
    r"\{%-?\s*block\s+(body_class|main_class)\s*-?%\}.*?\{%-?\s*endblock", re.S
)
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
LETTER = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]")
#: Spanish: its own letters and signs, or one of its short words that English does not use
SPANISH = re.compile(
    r"[áéíóúüñÁÉÍÓÚÜÑ¿¡«»]"
    r"|\b(de|la|el|los|las|que|por|para|con|del|una|sin|su|sus|se|al|lo|hay|ya|tiene)\b",
    re.IGNORECASE,
)
#: a lone capitalised word: a label ("Editar", "Guardar") unless it is a technical name
WORD = re.compile(r"^[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+$")
GETTEXT_CALLS = {"_", "gettext", "ngettext", "_l", "lazy_gettext"}


def _where(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def _looks_spanish(text: str) -> bool:
    text = text.strip()
    if not LETTER.search(text) or text in ALLOWED:
        return False
    if re.fullmatch(r"[%\w/:.\- ]*%[dmYHM][%\w/:.\- ]*", text):  # a date format
        return False
    return bool(SPANISH.search(text) or WORD.match(text))


# --------------------------------------------------------------------------- templates


class _TextFinder(HTMLParser):
    """Text nodes and read attributes of a template whose Jinja parts became \\0."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._raw = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._raw += 1
        names = dict(attrs)
        for name, value in attrs:
            readable = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and names.get("type") in ("submit", "button")
            )
            if readable and value:
                self._check(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._raw -= 1

    def handle_data(self, data):
        if not self._raw:
            self._check(data)

    def _check(self, text: str) -> None:
        for part in text.split("\0"):
            part = " ".join(part.split())
            words = re.sub(r"^[^A-Za-zÁÉÍÓÚÑáéíóúñ(]+|[^A-Za-zÁÉÍÓÚÑáéíóúñ)]+$", "", part)
            if re.fullmatch(r'(\s*[\w-]+="[^"]*"?)+|\s*[\w-]+="', part):
                continue  # a macro writing attributes (aria-describedby="…"), not text
            if LETTER.search(part) and words not in ALLOWED:
                self.found.append((self.getpos()[0], part))


def _template_text_outside_gettext(path: Path) -> list[str]:
    source = JINJA_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text())
    source = CLASS_BLOCKS.sub(lambda m: "\n" * m.group(0).count("\n"), source)
    source = JINJA.sub(lambda m: "\0" + "\n" * m.group(0).count("\n"), source)
    finder = _TextFinder()
    finder.feed(source)
    return [f"{_where(path)}:{line}: {text!r}" for line, text in finder.found]


def _template_literals_outside_gettext(path: Path) -> list[str]:
    found, calls, previous = [], [], None
    for line, kind, value in Environment().lex(path.read_text()):
        if kind == "operator" and value in "([{":
            calls.append(
                previous == ("name", "_") or previous in {("name", n) for n in GETTEXT_CALLS}
            )
        elif kind == "operator" and value in ")]}":
            if calls:
                calls.pop()
        elif kind == "string" and not any(calls) and _looks_spanish(value[1:-1]):
            found.append(f"{_where(path)}:{line}: {value}")
        if kind != "whitespace":
            previous = (kind, value)
    return found


def test_templates_show_no_spanish_outside_the_catalog():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        found += _template_text_outside_gettext(path)
        found += _template_literals_outside_gettext(path)
    assert found == []


def test_the_template_detector_finds_what_it_must(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% block body_class %}phone{% endblock %}<p>{{ _("Bien") }} Texto suelto</p>'
        '<input placeholder="Nombre"><button title="{{ _(\'ok\') }}">{{ x or "sin elegir" }}</button>'
    )
    found = _template_text_outside_gettext(page) + _template_literals_outside_gettext(page)
    assert [item.split(": ", 1)[1] for item in found] == [
        "'Texto suelto'",
        "'Nombre'",
        '"sin elegir"',
    ]


# --------------------------------------------------------------------------- JS

_REGEX_BEFORE = set("(,=:[!&|?{};+-*%<>~^") | {"return", "typeof", ""}


def _js_literals(source: str):
    """(line, text, inside_t) for every string and template literal of ``source``; the text of
    a template literal is its literal parts (``${…}`` removed). A small scanner: comments,
    regular expressions and nested template expressions are skipped."""
    out = []
    i, line, n = 0, 1, len(source)
    calls: list[bool] = []  # one entry per open parenthesis: is it t( or tn( ?
    last = ""  # the last significant token, to tell a regex from a division

    def inside() -> bool:
        return any(calls)

    while i < n:
        c = source[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
        elif source.startswith("/*", i):
            end = source.index("*/", i) + 2
            line += source.count("\n", i, end)
            i = end
        elif c in "\"'":
            j = i + 1
            while source[j] != c:
                j += 2 if source[j] == "\\" else 1
            out.append((line, source[i + 1 : j], inside()))
            i, last = j + 1, "string"
        elif c == "`":
            j, depth, parts, start = i + 1, 0, [], i + 1
            while True:
                ch = source[j]
                if ch == "\\":
                    j += 2
                    continue
                if depth == 0 and ch == "`":
                    parts.append(source[start:j])
                    break
                if depth == 0 and source.startswith("${", j):
                    parts.append(source[start:j])
                    depth, j = 1, j + 2
                    continue
                if depth and ch == "{":
                    depth += 1
                elif depth and ch == "}":
                    depth -= 1
                    if depth == 0:
                        start = j + 1
                j += 1
            out.append((line, " ".join(" ".join(parts).split()), inside()))
            line += source.count("\n", i, j)
            i, last = j + 1, "string"
        elif c == "/" and (last in _REGEX_BEFORE):
            j = i + 1
            klass = False
            while source[j] != "/" or klass:
                if source[j] == "\\":
                    j += 1
                elif source[j] == "[":
                    klass = True
                elif source[j] == "]":
                    klass = False
                j += 1
            i, last = j + 1, "regex"
        elif c.isalpha() or c in "_$":
            j = i
            while j < n and (source[j].isalnum() or source[j] in "_$"):
                j += 1
            word = source[i:j]
            i, last = j, word if word in _REGEX_BEFORE else "name:" + word
        elif c == "(":
            calls.append(last in ("name:t", "name:tn"))
            i, last = i + 1, c
        elif c == ")":
            if calls:
                calls.pop()
            i, last = i + 1, c
        else:
            i, last = i + 1, c
    return out


def _js_spanish_outside_t(path: Path) -> list[str]:
    return [
        f"{_where(path)}:{line}: {text!r}"
        for line, text, translated in _js_literals(path.read_text(encoding="utf-8"))
        if not translated and _looks_spanish(text)
    ]


def test_js_shows_no_spanish_outside_the_catalog():
    found = []
    for path in sorted(JS.rglob("*.js")):
        found += _js_spanish_outside_t(path)
    assert found == []


def test_the_js_detector_finds_what_it_must(tmp_path):
    script = tmp_path / "screen.js"
    script.write_text(
        "// un comentario: «no cuenta»\n"
        'const a = t("Bien {n}", { n: 1 }), re = /[^a-z"]/gi, b = x / 2;\n'
        "el('button', { text: \"Guardar\" });\n"
        'const c = `Mesa ${t("no")} de ${n}`;\n'
        'if (event.key === "Enter") say(tn("{n} pieza", "{n} piezas", n));\n'
        'node.className = "button small";\n'
    )
    assert [item.split(": ", 1)[1] for item in _js_spanish_outside_t(script)] == [
        "'Guardar'",
        "'Mesa de'",
    ]


# --------------------------------------------------------------------------- the catalog


def _extracted(tmp_path) -> dict:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with open(pot, "rb") as handle:
        return {message.id: message for message in read_po(handle) if message.id}


def _english():
    with open(TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def _key(message_id):
    return message_id[0] if isinstance(message_id, (tuple, list)) else message_id


def test_every_message_of_templates_js_and_python_has_an_english_translation(tmp_path):
    catalog = _english()
    missing = []
    for message in _extracted(tmp_path).values():
        entry = catalog.get(message.id)
        strings = entry.string if entry else None
        forms = strings if isinstance(strings, (tuple, list)) else [strings]
        if entry is None or entry.fuzzy or not all(forms):
            where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
            missing.append(f"{_key(message.id)!r} ({where})")
    assert missing == [], f"{len(missing)} messages without English"


def _mo_messages(data: bytes) -> dict:
    return {_key(m.id): m.string for m in read_mo(io.BytesIO(data)) if m.id}


@pytest.mark.parametrize("language", ["en"])
def test_the_compiled_catalog_is_the_current_one(language):
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    fresh = io.BytesIO()
    write_mo(fresh, catalog)
    assert _mo_messages((folder / "messages.mo").read_bytes()) == _mo_messages(fresh.getvalue())

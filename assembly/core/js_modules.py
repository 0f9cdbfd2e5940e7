"""How pages load their JavaScript, and the JS catalogs of translated strings.

A template ends with ``{{ screens("table") }}`` (several names for several screens). That
renders ``<link rel="modulepreload">`` for every module the screens import (the browser gets
the whole import graph at once: no waterfall of round trips on a slow network), then one
``<script type="module" src="/static/<release>/boot/<lang>/<screens>.js">``: the page's entry
module, generated here, which imports ``start`` from ``js/shared/i18n.js`` and
``js/screens/<name>.js`` statically and calls ``start()`` with the screens and their catalog. Static imports mean every screen's
``init()`` has run before DOMContentLoaded. No inline script, no import map: modules import
each other by relative paths under the release prefix.

The catalog holds the translated strings of those screens' modules only (what ``pybabel
extract`` finds in their ``t()``/``tn()`` calls, see babel.cfg), built at run time from the
compiled Babel catalog; Spanish pages (the language of the message ids) carry none. The entry
lives under the release (whose hash covers the compiled translations), so it is cached like
any asset.
"""

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.extract import extract
from flask import Flask, Response, abort, current_app, request, url_for
from flask_babel import force_locale, get_locale, get_translations
from markupsafe import Markup, escape

from assembly import config as config_module

STATIC_DIR = config_module.PROJECT_ROOT / "static"

#: the language the message ids are written in: its pages need no catalog
SOURCE_LANGUAGE = "es"
JS_KEYWORDS = {"t": None, "tn": (1, 2)}
MAX_SCREENS = 4
_IMPORT = re.compile(
    r"""^\s*(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']""",
    re.MULTILINE,
)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class ModuleGraph:
    """The static imports between the modules of ``static/`` (paths relative to it)."""

    def __init__(self, root: Path):
        self.root = root
        self._imports: dict[str, tuple[str, ...]] = {}  # files are fixed for a release
        self._messages: dict[str, tuple] = {}

    def imports(self, path: str) -> tuple[str, ...]:
        if path not in self._imports:
            self._imports[path] = self._read_imports(path)
        return self._imports[path]

    def _read_imports(self, path: str) -> tuple[str, ...]:
        source = (self.root / path).read_text(encoding="utf-8")
        found = []
        for match in _IMPORT.finditer(source):
            target = match.group(1) or match.group(2)
            if target.startswith("."):
                resolved = (Path("/") / path).parent.joinpath(target).resolve()
                found.append(resolved.relative_to("/").as_posix())
        return tuple(found)

    def closure(self, roots: list[str]) -> list[str]:
        """Every module ``roots`` need, each once, in the order they are met."""
        seen: dict[str, None] = {}
        stack = list(reversed(roots))
        while stack:
            path = stack.pop()
            if path in seen:
                continue
            seen[path] = None
            stack.extend(reversed(self.imports(path)))
        return list(seen)

    def messages(self, path: str) -> tuple[str | tuple[str, ...], ...]:
        """The messages of one module's ``t()``/``tn()`` calls, as ``pybabel extract`` sees."""
        if path not in self._messages:
            with open(self.root / path, "rb") as source:
                self._messages[path] = tuple(
                    message
                    for _line, message, _comments, _context in extract(
                        "javascript",
                        source,
                        keywords=JS_KEYWORDS,
                        # t() inside `${…}` too, as babel.cfg asks of the .po extraction
                        options={"parse_template_string": True},
                    )
                )
        return self._messages[path]


def _graph() -> ModuleGraph:
    return current_app.extensions["assembly.js"]


def _screen_paths(names: tuple[str, ...]) -> list[str]:
    return [f"js/screens/{name}.js" for name in names]


def _valid(names: tuple[str, ...]) -> bool:
    return (
        0 < len(names) <= MAX_SCREENS
        and len(set(names)) == len(names)
        and all(
            _NAME.match(n) and (STATIC_DIR / "js" / "screens" / f"{n}.js").is_file() for n in names
        )
    )


def catalog(language: str, names: tuple[str, ...]) -> dict:
    """{msgid: translation} (plurals: {singular: [one, other]}) for the screens' modules."""
    return dict(_catalog(language, names))


@lru_cache(maxsize=256)
def _catalog(language: str, names: tuple[str, ...]) -> tuple:
    graph = _graph()
    entries = {}
    with force_locale(language):
        translations = get_translations()
        for path in graph.closure(_screen_paths(names)):
            if not path.startswith("js/"):
                continue
            for message in graph.messages(path):
                if isinstance(message, tuple):
                    singular, plural = message[0], message[1]
                    forms = [translations.ngettext(singular, plural, n) for n in (1, 2)]
                    if forms != [singular, plural]:
                        entries[singular] = forms
                else:
                    text = translations.gettext(message)
                    if text != message:
                        entries[message] = text
    return tuple(entries.items())


def entry_source(language: str, names: tuple[str, ...]) -> str:
    """The page's entry module: the catalog, then each screen's init() (js/shared/i18n.js)."""
    lines = ['import { start } from "../../js/shared/i18n.js";']
    for index, name in enumerate(names):
        lines.append(f'import * as screen{index} from "../../js/screens/{name}.js";')
    messages = catalog(language, names) if language != SOURCE_LANGUAGE else {}
    screens_list = ", ".join(f'["{name}", screen{index}]' for index, name in enumerate(names))
    lines.append(
        f"start([{screens_list}], {json.dumps(messages, ensure_ascii=False, sort_keys=True)}, "
        f"{json.dumps(language)});"
    )
    return "\n".join(lines) + "\n"


def _language() -> str:
    language = str(get_locale() or SOURCE_LANGUAGE)
    return language if language in config_module.LANGUAGES else SOURCE_LANGUAGE


def screens(*names: str) -> Markup:
    """The tags that boot ``names`` (see the module docstring)."""
    if not _valid(names):
        raise ValueError(f"unknown screen module in {names!r}")
    modules = _graph().closure(["js/shared/i18n.js", *_screen_paths(names)])
    tags = [
        f'<link rel="modulepreload" href="{escape(url_for("static", filename=path))}">'
        for path in modules
    ]
    entry = url_for("js_entry", language=_language(), names="+".join(names))
    tags.append(f'<script type="module" src="{escape(entry)}"></script>')
    return Markup("\n".join(tags))


def serve_entry(release: str, language: str, names: str):
    """The entry module of ``names`` ("table", "divipola+registration_form") in ``language``."""
    screen_names = tuple(names.split("+"))
    if language not in config_module.LANGUAGES or not _valid(screen_names):
        abort(404)
    body = entry_source(language, screen_names)
    response = Response(body, mimetype="text/javascript")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:20])
    static = current_app.extensions["assembly.static"]
    response.headers["Cache-Control"] = static.cache_control(release)
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.extensions["assembly.js"] = ModuleGraph(STATIC_DIR)
    _catalog.cache_clear()
    app.add_url_rule(
        "/static/<release>/boot/<language>/<names>.js",
        endpoint="js_entry",
        view_func=serve_entry,
    )
    app.jinja_env.globals["screens"] = screens

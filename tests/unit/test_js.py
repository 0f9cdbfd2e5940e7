"""The shared JS modules (static/js/shared) under Node's own test runner, and the desk's
ticket rule: the JS applies the server's patterns and decides exactly as Python does."""

import json
import subprocess
from pathlib import Path

from assembly.desk.domain import looks_like_ticket
from assembly.desk.ticket_rules import ticket_rules
from tests.support.services import node_module_json, require_node

ROOT = Path(__file__).resolve().parents[2]
JS_TESTS = ROOT / "tests" / "js"


def test_the_shared_js_modules_pass_their_node_tests():
    node = require_node()
    files = sorted(str(path) for path in JS_TESTS.glob("*.test.mjs"))
    assert len(files) >= 6
    result = subprocess.run(
        [node, "--test", *files], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    summary = [line for line in result.stdout.splitlines() if line.startswith("# ")]
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "# fail 0" in summary, summary


def test_the_desk_page_decides_what_a_scanner_typed_exactly_as_the_server():
    token = "Zx9_-aBcDeFgHiJkLmNoPqRsTuVwXy"
    texts = [
        f"http://192.168.1.10:5000/t/{token}",
        f"https://asamblea.example/t/{token}.png?download=1",
        token,
        token[:20],
        token[:24],
        "httpÑ--192.168.1.10Ñ5000-t-Zx9?'aBcDeFgHiJkLmNoPq",
        "María José Peña",
        "1.234.567",
        "  ",
        "/t/",
        "ht",
        "abc-t-short",
    ]
    script = (
        'import { looksLikeTicket, ticketRules } from "./static/js/shared/tickets.js";\n'
        f"const rules = ticketRules({json.dumps(json.dumps(ticket_rules()))});\n"
        f"const texts = {json.dumps(texts)};\n"
        "console.log(JSON.stringify(texts.map((text) => looksLikeTicket(text, rules))));\n"
    )

    assert node_module_json(script) == [looks_like_ticket(text) for text in texts]


def test_every_module_still_parses_once_minified(tmp_path):
    """The server minifies our scripts (assembly.core.web.minified): each must stay valid."""
    from assembly.core.web import minified

    node = require_node()
    (tmp_path / "package.json").write_text('{"type": "module"}')
    static = ROOT / "static"
    files = sorted((static / "js").rglob("*.js"))
    for path in files:
        name = path.relative_to(static).as_posix()
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(minified(name, path.read_bytes()))
        assert len(target.read_bytes()) < len(path.read_bytes()), name
    result = subprocess.run(
        [node, "--check", *(str(tmp_path / p.relative_to(static)) for p in files)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr

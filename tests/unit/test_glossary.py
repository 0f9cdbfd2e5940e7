"""One glossary on every screen (issue 20.6): the methodology's words, written one way, over
the templates and the JavaScript shown to people. The Excel reports keep their official
column names (assembly/reports) and are not checked here."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/js/**/*.js")])

#: wrong form -> what the glossary writes
WRONG = {
    r"\b[Ss]ubmesas?\b": "sub-mesa",
    r"\b[Ss]ub mesas?\b": "sub-mesa",
    r"\b[Ss]ubgrupos?\b": "sub-mesa (the methodology's word for a table)",
    r"\b[Vv]ocero\b(?!\s*(/|o)\s*vocera)(?<!vocera o vocero)": "vocero o vocera (or «vocería»)",
    r"\b[Vv]ocero\(a\)": "vocero o vocera",
    r"\b[Ll]íder\(esa\)": "líder o lideresa",
}


def _hits() -> list[str]:
    found = []
    for path in FILES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for pattern, right in WRONG.items():
                for match in re.finditer(pattern, line):
                    where = path.relative_to(ROOT)
                    found.append(f"{where}:{number}: «{match.group(0)}» → {right}")
    return found


def test_the_screens_use_one_glossary():
    assert FILES, "no templates or scripts found"
    assert _hits() == []


def test_the_glossary_check_catches_the_old_spellings(tmp_path, monkeypatch):
    sample = tmp_path / "templates" / "x.html"
    sample.parent.mkdir()
    sample.write_text("Submesa 3 · el vocero habla · Sub-mesa 4 · vocero o vocera\n")
    monkeypatch.setattr(sys.modules[__name__], "FILES", [sample])
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert len(_hits()) == 2

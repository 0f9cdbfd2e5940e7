"""Regenerate the README's screenshots (docs/screenshots/*.png) from the dress rehearsal.

    .venv/bin/python docs/screenshots.py

runs tests/browser/test_full_day.py (it needs Chromium, like the browser tests) with
REHEARSAL_SCREENSHOTS=docs/screenshots, so every picture shows the rehearsal's own day: the
desk after 470 check-ins, the public form on a phone, a table's phone, a facilitator's view,
the board empty, mid-session and whole, the console at a time-up, a phone vote, the acta and
the reports page. Each PNG is then reduced to a palette of at most 256 colours (and, if still
needed, fewer) so that none passes 200 KB; commit them with the README.
"""

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "docs" / "screenshots"
LIMIT = 200 * 1024


def shrink(path: Path) -> int:
    """Quantise ``path`` in place until it fits in LIMIT bytes; its new size."""
    image = Image.open(path).convert("RGB")
    for colors in (256, 128, 64, 32):
        image.quantize(colors=colors).save(path, optimize=True)
        if path.stat().st_size <= LIMIT:
            break
    return path.stat().st_size


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "REHEARSAL_SCREENSHOTS": str(FOLDER)}
    command = [
        sys.executable, "-m", "pytest", "-m", "slow", "-q", "-p", "no:cacheprovider",
        "-W", "ignore:unclosed:ResourceWarning", "tests/browser/test_full_day.py",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    if result.returncode:
        return result.returncode
    for path in sorted(FOLDER.glob("*.png")):
        size = shrink(path)
        print(f"{path.relative_to(ROOT)}: {size // 1024} KB")
        if size > LIMIT:
            print(f"  still over {LIMIT // 1024} KB", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

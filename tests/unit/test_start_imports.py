"""A server's start loads what serving needs, not what one screen's action needs: after a
kill -9 the phones wait for the restart (issue 16.7), and openpyxl alone took about half a
second of it. The list import loads it when a list arrives."""

import subprocess
import sys

#: libraries a start must not load, and who loads them instead
LAZY = {"openpyxl": "reading an uploaded list, writing its refused rows"}


def test_the_app_starts_without_the_spreadsheet_reader():
    probe = (
        "import sys; from assembly import create_app; create_app(); "
        f"print(sorted(m for m in {sorted(LAZY)!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
